#!/bin/sh
# The explorer's sensitivity view and export in a headless tmux at 120x40,
# on MODEL.md's worked example: v plots the edge-cloud bandwidth from x1/100
# to x100 with its two changes of placement, [ moves the value just below
# the change at 3.27 Mbit/s, e exports the plot and then the timeline next
# to the scenario without overwriting, and an ASCII terminal gets the plot
# in ASCII. Every wait polls the screen and gives up after 15 s. TAP lines.
TUI_WAIT=15
. tests/e2e/tui_tap.inc
start() { # start NAME LOCALE FILE
    EXTRA_ENV="LANG=$2 LC_ALL=$2"
    tui_start "$1" 120 40 "$3"
    EXTRA_ENV=
}

cp configs/worked-example.yaml "$TMP/worked.yaml"
start main C.UTF-8 worked.yaml
check main "the explorer opens on the worked example" "latency 712 ms"
# The Links pane has the focus at start, on the edge-cloud bandwidth.
t send-keys -t main v
check main "v opens the sensitivity view of the selected value" "Sensitivity of link:edge-cloud.bandwidth"
check main "it finds both changes of placement and says where the first is" \
    "2 changes of placement (first at 23[0-9.]* kbit/s)"
check main "the plot's axis runs from x1/100 to x100 in bit/s" "100 kbit/s .*1 Mbit/s .*10 Mbit/s .*100 Mbit/s"
check main "the optimum is drawn in braille, the changes as rules, the value now marked" "▲"
if screen main | grep -q -e "⣀" -e "⠒" -e "⠉" && screen main | grep -q "┆"; then
    ok "braille lines and change rules on screen"
else
    not_ok "braille lines and change rules on screen"
    dump main
fi
check main "the bands name their placements" "B cloud×3 .*C edge×1 cloud×2"
t send-keys -t main '['
check main "[ moves the value just past the change below (an undoable edit)" \
    "link:edge-cloud.bandwidth: 8 Mbit/s -> 3.26 Mbit/s (just past the change of placement at 3.27 Mbit/s)"
check main "there cloud x3 is optimal: 0.721 + 8000 / b = 723 ms" "latency 723 ms"
check main "the view is computed again around the new value" "Sensitivity of link:edge-cloud.bandwidth .*▲ now"
t send-keys -t main e
check main "e exports the plot next to the scenario and says where" \
    "exported the sensitivity plot to $TMP/worked-sensitivity-edge-cloud-bandwidth.svg"
if xmllint --noout "$TMP/worked-sensitivity-edge-cloud-bandwidth.svg" &&
    rsvg-convert "$TMP/worked-sensitivity-edge-cloud-bandwidth.svg" -o "$TMP/s.png"; then
    ok "the exported plot parses and renders"
else
    not_ok "the exported plot parses and renders"
fi
t send-keys -t main v
check main "v again brings the timeline back" "Timeline"
t send-keys -t main e
check main "e exports the timeline" "exported the timeline to $TMP/worked-timeline.svg"
t send-keys -t main e
check main "a second export takes a new name instead of overwriting" \
    "exported the timeline to $TMP/worked-timeline-2.svg"
if grep -q '>optimum: 723 ms (preload)<' "$TMP/worked-timeline.svg" && xmllint --noout "$TMP/worked-timeline.svg"; then
    ok "the exported timeline is the one on screen"
else
    not_ok "the exported timeline is the one on screen"
fi
t send-keys -t main u
check main "u undoes the move to the change point" "latency 712 ms"
t send-keys -t main q
check main "q quits (nothing unsaved after the undo)" "^EXITED 0"

start plain C worked.yaml
check plain "an ASCII terminal opens" "latency 712 ms"
t send-keys -t plain v
check plain "the ASCII plot: * for the optimum, : for changes, ^ for now" "\^ now"
if wait_for plain "2 changes of placement" && screen plain | grep -q '\*\*' && screen plain | grep -q ':'; then
    ok "the ASCII plot draws the line and the changes"
else
    not_ok "the ASCII plot draws the line and the changes"
    dump plain
fi
t send-keys -t plain q
check plain "the ASCII session quits" "^EXITED 0"

check_reports "no sanitizer reports (leaks or errors) from the explorer"
finish
