#!/bin/sh
# The explorer's Pareto view (issue 12) on configs/battery-phone.yaml: F
# opens the exact latency-energy front beside the timeline; it has as many
# points as `nnpart pareto --json`; ] and [ step along it and each point's
# latency and energy on screen are the command line's; P pins the point on
# show; e exports the front as SVG; an edit of the phone's power computes
# the front again, and it is the command line's for the saved file; F closes
# the view. TAP lines.
TUI_WAIT=30
. tests/e2e/tui_tap.inc
if ! command -v jq >/dev/null 2>&1; then
    not_ok "jq is installed (scripts/deps.sh test installs it)"
    finish
    exit 1
fi

cp configs/battery-phone.yaml "$TMP/bp.yaml"
EXTRA_ENV="TERM=xterm-256color"
# The command line's front of FILE: "latency energy" per point, as its table
# prints them (the explorer formats values the same way).
cli_points() {
    "$NNPART" pareto "$1" | awk '/^  -  -/ { on = 1; next } on && NF == 0 { exit }
        on { print $2 " " $3 " " $4 " " $5 }'
}

COUNT=$("$NNPART" pareto "$TMP/bp.yaml" --json | jq '.points|length')
cli_points "$TMP/bp.yaml" >"$TMP/points"
[ "$COUNT" -ge 2 ] && [ "$(wc -l <"$TMP/points")" = "$COUNT" ] ||
    not_ok "the command line gives a front of several points ($COUNT)"

tui_start m 160 40 bp.yaml
check m "the explorer opens the battery phone" "^ optimal in"
t send-keys -t m F
check m "F opens the Pareto view: as many points as nnpart pareto --json ($COUNT)" \
    "Pareto front: $COUNT points, each proven optimal"
check m "...beside the timeline" "Pareto front of latency and battery energy: $COUNT points .*Timeline"
# Battery energy is optimised: the optimum is the last, most frugal point.
last=$(sed -n "${COUNT}p" "$TMP/points")
check m "the header says which point is on show: the optimum's own ($COUNT/$COUNT)" \
    "point $COUNT/$COUNT of the Pareto front: ${last% * *}, ${last#* * } on battery (the optimum's own)"
t send-keys -t m ]
check m "] at the most frugal point says so" "the most frugal point of the front already ($COUNT/$COUNT)"
k=$COUNT
while [ "$k" -gt 1 ]; do
    k=$((k - 1))
    pt=$(sed -n "${k}p" "$TMP/points")
    lat=${pt% * *}
    en=${pt#* * }
    t send-keys -t m [
    check m "[ steps to point $k/$COUNT: latency $lat, energy $en as nnpart pareto says" \
        "Pareto point $k/$COUNT: latency $lat, battery energy $en ("
    check m "...and the header shows it in the optimum's place" \
        "point $k/$COUNT of the Pareto front: $lat, $en on battery (in the optimum's place)"
    check m "...and its latency" "| latency $lat"
done
t send-keys -t m [
check m "[ at the fastest point says so" "the fastest point of the front already (1/$COUNT)"
# Tab from the links: the timeline, where Right steps too.
t send-keys -t m Tab
sleep 0.3
t send-keys -t m Right
pt=$(sed -n "2p" "$TMP/points")
check m "Right beside the view steps to point 2" "Pareto point 2/$COUNT: latency ${pt% * *}, battery energy ${pt#* * } ("
t send-keys -t m e
check m "e exports the front" "exported the Pareto front to .*bp-pareto.svg"
if [ -f "$TMP/bp-pareto.svg" ] && xmllint --noout "$TMP/bp-pareto.svg" 2>/dev/null &&
    grep -q "Pareto front ($COUNT points" "$TMP/bp-pareto.svg"; then
    ok "...as a well-formed SVG picture of the $COUNT points"
else
    not_ok "...as a well-formed SVG picture of the $COUNT points"
fi
t send-keys -t m P
check m "P pins the point on show" "pinned every layer to point 2/$COUNT of the Pareto front"
check m "...and the front of the pinned scenario is its one point" \
    "Pareto front of latency and battery energy: 1 point "
t send-keys -t m u
check m "u undoes the pins" "undid pinned every layer to point 2/$COUNT of the Pareto front"
check m "...and the front is computed again" "Pareto front of latency and battery energy: $COUNT points"

# Edit the phone's power: the front is computed again, and it is the
# command line's for the saved file.
t send-keys -t m BTab
sleep 0.3
t send-keys -t m BTab
sleep 0.3
found=no
for i in 1 2 3 4 5 6 7 8; do
    t send-keys -t m Enter
    sleep 0.3
    if screen m | grep -q "device:phone.power:"; then found=yes; break; fi
    t send-keys -t m Escape
    sleep 0.5 # past ESCDELAY: the l is not read as Alt-l
    t send-keys -t m l
    sleep 0.2
done
if [ $found = yes ]; then ok "the devices pane reaches the phone's power"; else
    not_ok "the devices pane reaches the phone's power"
fi
t send-keys -t m "400 mW" Enter
check m "the power is set" "^phone .*400 MB/s  *400 mW"
t send-keys -t m s
# The save's message may give way to the front's: the file says it.
saved() { grep -q '^    power: 400 mW$' "$TMP/bp.yaml"; }
check_until m "s saves the power" saved
COUNT2=$("$NNPART" pareto "$TMP/bp.yaml" --json | jq '.points|length')
cli_points "$TMP/bp.yaml" >"$TMP/points2"
if cmp -s "$TMP/points" "$TMP/points2"; then not_ok "the power changes the command line's front"; else
    ok "the power changes the command line's front ($COUNT -> $COUNT2 points)"
fi
check m "the explorer's front is computed again: $COUNT2 points" \
    "Pareto front of latency and battery energy: $COUNT2 points"
pt=$(sed -n "1p" "$TMP/points2")
k=0
while [ "$k" -lt "$COUNT2" ]; do
    k=$((k + 1))
    t send-keys -t m [
    sleep 0.3
done
check m "its fastest point is the command line's: ${pt% * *}, ${pt#* * }" \
    "point 1/$COUNT2 of the Pareto front: ${pt% * *}, ${pt#* * } on battery"
t send-keys -t m F
check m "F closes the view" "Pareto view closed; the optimum is back on show"
check m "...and the optimum's status is back" "^ optimal in"
t send-keys -t m q # saved: nothing to ask
check m "the explorer quits" "EXITED 0"
check_reports "no sanitizer reports"
finish
