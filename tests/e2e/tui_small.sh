#!/bin/sh
# The explorer at 80x24 in a headless tmux: every pane is drawn and reached
# with Tab, the timeline's lanes scroll (link lanes included) and say how
# many are hidden; an edit says which layers moved and how the latency
# changed; the critical path is highlighted; a baseline's timeline shows
# under the optimum's; unknown keys say so; Ctrl-C asks like q. TAP lines.
. tests/e2e/tui_tap.inc

EXTRA_ENV="TERM=xterm-256color"
tui_start m 80 24
settled m
for pane in "^Devices " "^Links (a - b)" " Timeline " "^Layers " "^Baselines "; do
    check m "at 80x24 the pane '$pane' is drawn" "$pane"
done
check m "the header shows the critical path" "^ critical path: .*compute"
check m "the placement summary is whole at 80 columns (no ellipsis)" "^ optimal in [^…]*  [a-z]*×[0-9]*\( [a-z]*×[0-9]*\)*$"
check m "the timeline says how many lanes are hidden" "[0-9] below (PgUp/PgDn)"
# Tab: Links (start) -> Timeline; PgDn until the last lanes (the links).
t send-keys -t m Tab
for k in 1 2 3; do t send-keys -t m NPage; done
check m "PgDn in the timeline reaches the link lanes" "^phone-hub "
check m "...and says which lanes are shown" "timeline lanes [0-9]*-[0-9]* of [0-9]*"
# Every pane Tab visits is on the screen with its focus marked.
t send-keys -t m Tab Tab
t send-keys -t m G
check m "G selects the last baseline and names it" "baseline contiguous-run DP"
t send-keys -t m c
check m "c compares the baseline: its timeline under the optimum's" "^ vs contiguous-run DP: "
t send-keys -t m c
check m "c again ends the comparison" "comparison off"

# The critical path in its own colour (magenta: SGR 35).
if t capture-pane -e -p -t m | grep -q "$(printf '\033')\[35m"; then
    ok "the critical path is drawn in its own colour"
else
    not_ok "the critical path is drawn in its own colour"
fi

# An edit: the message says what moved and how the latency changed.
# One edit (typed, so no intermediate result is shown in between).
t send-keys -t m BTab BTab BTab j Enter C-u 3Mbit/s Enter
check m "an edit says how the latency changed" "bandwidth: .* ms → [0-9.]* ms,"
check m "...and which layers moved, from → to" "moved [0-9]* layers\?: [a-z0-9]* [a-z]*→[a-z]*"
check m "the header shows the latency change" "latency [0-9.]* ms (was [0-9.]* ms, [+-]"
t send-keys -t m / conv3 Enter
check m "moved layers show from → to in the Layers pane" "^conv3 .*phone→hub"

t send-keys -t m '!'
check m "an unknown key says so" "'!' does nothing here; ? lists the keys"
t send-keys -t m / conv4 Enter
check m "/ finds a layer and says what it is" "layer conv4 on "
t send-keys -t m F1
check m "F1 opens the help" "Help: what each key does"
check m "help lines wrap inside the box at 80 columns (a long paragraph continues below, reflowed)" "[x│] compute (below), per link the transfers\.  *[x│]"
t send-keys -t m Escape
t send-keys -t m C-c
check m "Ctrl-C with unsaved changes asks, like q" "There are unsaved changes. Quit without saving?"
t send-keys -t m n
check m "n keeps the explorer open" "not quitting"
t send-keys -t m C-c y
check m "Ctrl-C then y quits" "^EXITED 0"
check_reports "no sanitizer reports"
finish
