#!/bin/sh
# The explorer under objective throughput (issue 12): on
# configs/camera-stream.yaml the header states the period, inputs/s and one
# input's latency; the timeline shows several inputs in flight, each in its
# own fill and colour (its own attribute in monochrome), one period
# bracketed on the axis; O to latency brings back one inference, u the
# stream. TAP lines.
TUI_WAIT=${TUI_WAIT:-20}
. tests/e2e/tui_tap.inc
cp configs/camera-stream.yaml "$TMP/cam.yaml"
# absent SESSION WHAT REGEX: one TAP line: REGEX is not on S's screen now.
absent() {
    if screen_has "$1" "$3"; then
        not_ok "$2"
        dump "$1"
    else ok "$2"; fi
}

tui_start m 160 45 cam.yaml
check m "the header states the period and inputs/s" \
    "optimising throughput: 39.8 ms per input (25.11 inputs/s)"
check m "...and one input's latency through the pipeline" "| one input 116 ms"
# What sets the period, not one inference's critical path: the hub's
# compute (39.8 ms of the period), then the camera's uplink.
check m "the second row names the bottleneck and the next busiest engine" \
    "^ bottleneck: hub compute 39.8 ms of 39.8 ms period; next: cam→hub link 24.1 ms *$"
absent m "...and no critical path of one inference" "critical path:"
# Enough inputs to fill the pipeline: 116 ms over 39.8 ms, rounded up.
check m "the timeline shows three inputs in flight, with their legend" \
    "Timeline: 3 inputs in flight  █ input 1 ▓ input 2 ▒ input 3 *$"
check m "the hub's lane holds all three inputs, numbered, each in its own fill" \
    "^hub  *│·*1█*2▓*3▒*·*$"
check m "a lane per link direction" "^hub->cloud │"
check m "the axis brackets one period" "╞═*╡"
check m "...labelled with the evaluator's period" "  period 39.8 ms  "
# Each input its own colour: the numbers on green, yellow, cyan (waited
# for: a capture may catch tmux part-way through a paint).
coloured() {
    t capture-pane -e -p -t m | grep "hub.*│" | head -1 |
        grep -q "$(printf '\033')\[42m1.*$(printf '\033')\[43m2.*$(printf '\033')\[46m3"
}
if wait_until coloured; then
    ok "each input in its own colour"
else
    not_ok "each input in its own colour"
    t capture-pane -e -p -t m | grep "hub.*│" | head -1 | cat -v | sed 's/^/#   /'
fi
# A click on a bar says which input it is and what it holds.
# where LINE-REGEX TEXT: "x y" (character cells) of TEXT on the first line matching.
where() {
    screen m >"$TMP/screen"
    LC_ALL=C.UTF-8 grep -n -m1 -e "$1" "$TMP/screen" | LC_ALL=C.UTF-8 sed -n "s/^\([0-9]*\):\(.*\)$2.*/\1 \2/p" |
        while read -r row prefix; do
            printf '%s %s\n' "$(printf '%s' "$prefix" | LC_ALL=C.UTF-8 wc -m)" "$((row - 1))"
        done
}
set -- $(where "^hub  *│" "▓▓▓")
click m "$1" "$2"
check m "a click on input 2's run on the hub names its layers and times" \
    "input 2: conv1 to layer4.0 compute on hub: 65.9 ms to 106 ms (39.8 ms)"
set -- $(where "^hub->cloud │" "▒▒▒")
click m "$1" "$2"
check m "a click on input 3's transfer names the tensor and the link" \
    "input 3: the output of layer4.0 from hub to cloud: 146 ms to 166 ms (20.1 ms)"
t send-keys -t m Escape
t send-keys -t m O
check m "O: the next objective, latency" "objective: throughput -> latency"
# The message comes with the edit; the timeline changes with its result.
wait_for m "objective: throughput -> latency: .*→"
# Its critical path, then no inputs in flight (both are the result on show's).
check m "...latency: the critical path of one inference again" "^ critical path: "
absent m "...one inference again: no inputs in flight" "inputs in flight"
absent m "...and no bottleneck" "bottleneck:"
t send-keys -t m u
check m "u: the stream again" "Timeline: 3 inputs in flight"
# The objective changed: y once the explorer asks.
tui_quit m
check m "the explorer quits" "EXITED 0"

# At 80x24 the header's narrowest form keeps the period, its rate and one
# input's latency; the lanes scroll.
tui_start small 80 24 cam.yaml
check small "80x24: the header keeps period, inputs/s and one input's latency" \
    "^ ResNet-18 | resident | period 39.8 ms, 25.11 inputs/s | one input 116 ms$"
check small "80x24: the bottleneck's row fits whole" \
    "^ bottleneck: hub compute 39.8 ms of 39.8 ms period; next: cam→hub link 24.1 ms$"
check small "80x24: the stream's inputs are in the hub's lane" "^hub  *│·*1█*2▓*3▒*·*$"
check small "80x24: the period is bracketed" "period 39.8 ms"
t send-keys -t small q
check small "the small explorer quits" "EXITED 0"

# Monochrome: the fills and attributes tell the inputs apart.
EXTRA_ENV=NO_COLOR=1
tui_start mono 120 40 cam.yaml
EXTRA_ENV=
check mono "monochrome: three inputs in flight" "Timeline: 3 inputs in flight"
check mono "monochrome: each input's own fill on the hub" "^hub  *│·*1█*2▓*3▒*·*$"
# tmux writes each cell's attributes in full: bold, plain, bold underlined.
fill() { grep -q "\[$1m.\[39m.\[49m$2" "$TMP/mono"; }
mono_fills() {
    t capture-pane -e -p -t mono | grep "hub.*│" | head -1 >"$TMP/mono"
    fill '0;1' █ && fill 0 ▓ && fill '0;1;4' ▒
}
if wait_until mono_fills; then
    ok "monochrome: inputs 1-3 bold, plain, bold underlined"
else
    not_ok "monochrome: inputs 1-3 bold, plain, bold underlined"
    t capture-pane -e -p -t mono | grep "hub.*│" | head -1 | cat -v | sed 's/^/#   /'
fi
t send-keys -t mono q
check mono "the monochrome explorer quits" "EXITED 0"
check_reports "no sanitizer reports"
finish
