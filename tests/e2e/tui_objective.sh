#!/bin/sh
# The explorer's objective key (issue 12): the header says what is
# optimised with its value and unit for every objective (battery energy in
# mJ, throughput as the period per input and inputs/s, latency), O switches
# to the next objective and re-solves, u undoes it.
# TAP lines.
TUI_WAIT=20
. tests/e2e/tui_tap.inc

cp configs/battery-phone.yaml "$TMP/bp.yaml"
EXTRA_ENV="TERM=xterm-256color"
tui_start m 200 40 bp.yaml
check m "the header says the battery energy is optimised, with its value" \
    "optimising battery-energy: [0-9.]* mJ"
t send-keys -t m O
check m "O switches to throughput: the header shows the period per input and inputs/s" \
    "optimising throughput: [0-9.]* [mu]*s per input ([0-9.]* inputs/s)"
# The file's mode is preload; a stream's weights are resident and the
# header says the mode solved in (it said "mode preload").
check m "...and the mode solved in: resident, not the file's preload" \
    "| mode resident | optimising throughput"
t send-keys -t m m
check m "m under throughput: the mode changes for the other objectives, said so" \
    "mode: preload -> ondemand (applies to the other objectives: throughput keeps weights resident)"
check m "...and the header still says resident" "| mode resident | optimising throughput"
t send-keys -t m u
t send-keys -t m O
check m "O again: latency, the header says so after the latency with its unit" \
    "latency [0-9.]* [mu]*s ([^)]*) | optimising latency"
check m "...and the switch is said" "objective: throughput -> latency"
if screen m | grep -q "optimising throughput"; then not_ok "...and no throughput in the header"; else
    ok "...and no throughput in the header"
fi
t send-keys -t m u
check m "u undoes the switch" "optimising throughput"
tui_quit m
check m "the explorer quits" "EXITED 0"
check_reports "no sanitizer reports"
finish
