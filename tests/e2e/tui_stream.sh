#!/bin/sh
# The explorer under objective throughput (issue 12): on
# configs/camera-stream.yaml the header states the period, inputs/s and one
# input's latency; the timeline shows several inputs in flight, each in its
# own fill and colour (its own attribute in monochrome), one period
# bracketed on the axis; O to latency brings back one inference, u the
# stream. TAP lines.
NNPART=${NNPART:-build/nnpart}
case $NNPART in /*) ;; *) NNPART=$PWD/$NNPART ;; esac
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; exit 1; }

SOCK=nnpart-stream-$$
TMP=$(mktemp -d)
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
cp configs/camera-stream.yaml "$TMP/cam.yaml"
ENV="ESCDELAY=300 LANG=C.UTF-8 LC_ALL=C.UTF-8 ASAN_OPTIONS=log_path=$TMP/asan:abort_on_error=0"
t() { tmux -L "$SOCK" "$@"; }
screen() { t capture-pane -p -t "${1:-m}"; }
wait_for() {
    i=0
    while [ $i -lt 200 ]; do
        screen "$2" | grep -q -e "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() {
    if wait_for "$2" "$3"; then ok "$1"; else
        not_ok "$1 (waited 20 s for '$2')"
        screen "$3" | sed 's/^/#   /'
    fi
}
absent() {
    if screen "$3" | grep -q -e "$2"; then
        not_ok "$1"
        screen "$3" | sed 's/^/#   /'
    else ok "$1"; fi
}

t new-session -d -s m -x 160 -y 45 "cd $TMP && env $ENV $NNPART cam.yaml; echo EXITED \$?; sleep 600"
check "the header states the period and inputs/s" \
    "optimising throughput: 39.8 ms per input (25.11 inputs/s)"
check "...and one input's latency through the pipeline" "| one input 116 ms"
# What sets the period, not one inference's critical path: the hub's
# compute (39.8 ms of the period), then the camera's uplink.
check "the second row names the bottleneck and the next busiest engine" \
    "^ bottleneck: hub compute 39.8 ms of 39.8 ms period; next: cam→hub link 24.1 ms *$"
absent "...and no critical path of one inference" "critical path:" m
# Enough inputs to fill the pipeline: 116 ms over 39.8 ms, rounded up.
check "the timeline shows three inputs in flight, with their legend" \
    "Timeline: 3 inputs in flight  █ input 1 ▓ input 2 ▒ input 3 *$"
check "the hub's lane holds all three inputs, numbered, each in its own fill" \
    "^hub  *│·*1█*2▓*3▒*·*$"
check "a lane per link direction" "^hub->cloud │"
check "the axis brackets one period" "╞═*╡"
check "...labelled with the evaluator's period" "  period 39.8 ms  "
# Each input its own colour: the numbers on green, yellow, cyan.
if t capture-pane -e -p -t m | grep "hub.*│" | head -1 |
    grep -q "$(printf '\033')\[42m1.*$(printf '\033')\[43m2.*$(printf '\033')\[46m3"; then
    ok "each input in its own colour"
else
    not_ok "each input in its own colour"
    t capture-pane -e -p -t m | grep "hub.*│" | head -1 | cat -v | sed 's/^/#   /'
fi
# A click on a bar says which input it is and what it holds.
click() {
    press=$(printf "\033[M \\$(printf %o $((33 + $2)))\\$(printf %o $((33 + $3)))")
    release=$(printf "\033[M#\\$(printf %o $((33 + $2)))\\$(printf %o $((33 + $3)))")
    t send-keys -t "$1" -l "$press$release"
}
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
check "a click on input 2's run on the hub names its layers and times" \
    "input 2: conv1 to layer4.0 compute on hub: 65.9 ms to 106 ms (39.8 ms)"
set -- $(where "^hub->cloud │" "▒▒▒")
click m "$1" "$2"
check "a click on input 3's transfer names the tensor and the link" \
    "input 3: the output of layer4.0 from hub to cloud: 146 ms to 166 ms (20.1 ms)"
t send-keys -t m Escape
t send-keys -t m O
check "O: the next objective, latency" "objective: throughput -> latency"
# The message comes with the edit; the timeline changes with its result.
wait_for "objective: throughput -> latency: .*→" m
# Its critical path, then no inputs in flight (both are the result on show's).
check "...latency: the critical path of one inference again" "^ critical path: " m
absent "...one inference again: no inputs in flight" "inputs in flight" m
absent "...and no bottleneck" "bottleneck:" m
t send-keys -t m u
check "u: the stream again" "Timeline: 3 inputs in flight"
t send-keys -t m q
# The objective changed: y only once the explorer asks.
wait_for "Quit without saving?" m && t send-keys -t m y
check "the explorer quits" "EXITED 0"

# At 80x24 the header's narrowest form keeps the period, its rate and one
# input's latency; the lanes scroll.
t new-session -d -s small -x 80 -y 24 "cd $TMP && env $ENV $NNPART cam.yaml; echo EXITED \$?; sleep 600"
check "80x24: the header keeps period, inputs/s and one input's latency" \
    "^ ResNet-18 | resident | period 39.8 ms, 25.11 inputs/s | one input 116 ms$" small
check "80x24: the bottleneck's row fits whole" \
    "^ bottleneck: hub compute 39.8 ms of 39.8 ms period; next: cam→hub link 24.1 ms$" small
check "80x24: the stream's inputs are in the hub's lane" "^hub  *│·*1█*2▓*3▒*·*$" small
check "80x24: the period is bracketed" "period 39.8 ms" small
t send-keys -t small q
check "the small explorer quits" "EXITED 0" small

# Monochrome: the fills and attributes tell the inputs apart.
t new-session -d -s mono -x 120 -y 40 "cd $TMP && env $ENV NO_COLOR=1 $NNPART cam.yaml; echo EXITED \$?; sleep 600"
check "monochrome: three inputs in flight" "Timeline: 3 inputs in flight" mono
check "monochrome: each input's own fill on the hub" "^hub  *│·*1█*2▓*3▒*·*$" mono
# tmux writes each cell's attributes in full: bold, plain, bold underlined.
t capture-pane -e -p -t mono | grep "hub.*│" | head -1 >"$TMP/mono"
fill() { grep -q "\[$1m.\[39m.\[49m$2" "$TMP/mono"; }
if fill '0;1' █ && fill 0 ▓ && fill '0;1;4' ▒; then
    ok "monochrome: inputs 1-3 bold, plain, bold underlined"
else
    not_ok "monochrome: inputs 1-3 bold, plain, bold underlined"
    t capture-pane -e -p -t mono | grep "hub.*│" | head -1 | cat -v | sed 's/^/#   /'
fi
t send-keys -t mono q
check "the monochrome explorer quits" "EXITED 0" mono
if ls "$TMP"/asan* >/dev/null 2>&1; then
    not_ok "no sanitizer reports"
    cat "$TMP"/asan* | sed 's/^/#   /' | head -40
else
    ok "no sanitizer reports"
fi
echo "1..$n"
[ "$failed" = 0 ]
