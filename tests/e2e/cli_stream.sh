#!/bin/sh
# The stream timeline (issue 12): under objective throughput `solve --gantt`
# and `--svg` show several inputs in flight, each in its own shade, with one
# period bracketed; `--inputs N` asks for it under any objective, on solve
# and eval. Every picture parses (xmllint) and renders (rsvg-convert).
. "$(dirname "$0")/cli_tap.inc"
cam=configs/camera-stream.yaml
we=configs/worked-example.yaml

# valid_svg FILE: parses as XML, is an <svg> document, renders to a PNG.
valid_svg() {
    xmllint --noout "$1" 2>"$tmp/xmllint.err" || { sed 's/^/#   /' "$tmp/xmllint.err"; return 1; }
    [ "$(xmllint --xpath 'name(/*)' "$1")" = svg ] || return 1
    rsvg-convert "$1" -o "$1.png" 2>"$tmp/rsvg.err" || { sed 's/^/#   /' "$tmp/rsvg.err"; return 1; }
    [ "$(head -c 4 "$1.png" | tail -c 3)" = PNG ]
}

# The period solve prints, as text ("39.8 ms").
COLUMNS=120 LC_ALL=C.UTF-8 "$NNPART" solve "$cam" --gantt --inputs 4 >"$tmp/cam.txt" 2>"$tmp/err"
rc=$?
period=$(sed -n 's/^period: *\([0-9.]* [mu]*s\) .*/\1/p' "$tmp/cam.txt")
check "solve --gantt on the camera stream: exit 0, prints the period" sh -c "[ $rc = 0 ] && [ -n '$period' ]"
check "the timeline says how many inputs stream through it" \
    grep -q '^timeline: 4 inputs streaming through the pipeline, one period bracketed$' "$tmp/cam.txt"
# Without --inputs, enough to fill the pipeline: one input's 116 ms over the
# period, rounded up.
COLUMNS=120 LC_ALL=C.UTF-8 "$NNPART" solve "$cam" --gantt >"$tmp/fill.txt" 2>&1
check "by default enough inputs to fill the pipeline (3)" sh -c "
    grep -q '^timeline: 3 inputs streaming through the pipeline, one period bracketed$' '$tmp/fill.txt' &&
    grep -q '^hub  *│·*1█*2▓*3▒*·*$' '$tmp/fill.txt'"
check "a lane per device and per link direction" sh -c "
    grep -q '^cam  *│' '$tmp/cam.txt' && grep -q '^hub  *│' '$tmp/cam.txt' &&
    grep -q '^cam->hub  *│' '$tmp/cam.txt' && grep -q '^hub->cloud │' '$tmp/cam.txt'"
check "the hub lane holds all four inputs, each numbered, each in its own fill" \
    grep -q '^hub  *│·*1█*2▓*3▒*4░*·*$' "$tmp/cam.txt"
check "the legend names inputs 1 to 4 and the period solve reports" sh -c "
    grep -q '█ input 1  ▓ input 2  ▒ input 3  ░ input 4' '$tmp/cam.txt' &&
    grep -q '╞═╡ period $period ([0-9.]* inputs/s), one input [0-9.]* ms' '$tmp/cam.txt'"
check "the axis brackets one period, labelled" sh -c "
    grep -q '^ *└.*╞═*╡' '$tmp/cam.txt' && grep -q '^ .*  period $period  ' '$tmp/cam.txt'"
COLUMNS=100 LC_ALL=C "$NNPART" solve "$cam" --gantt --inputs 2 >"$tmp/ascii.txt" 2>&1
check "--inputs 2 in ASCII: two inputs, # and @, [=] bracket, nothing else" sh -c "
    grep -q '^timeline: 2 inputs' '$tmp/ascii.txt' && grep -q '# input 1  @ input 2  \. idle  \[=\] period' '$tmp/ascii.txt' &&
    grep -q '^ *+.*\[=*\]' '$tmp/ascii.txt' && ! grep -q 'input 3' '$tmp/ascii.txt' &&
    ! LC_ALL=C grep -q '[^ -~]' '$tmp/ascii.txt'"

run solve "$cam" --svg "$tmp/cam.svg" --inputs 4
check "solve --svg on the camera stream: exit 0" status_is 0
check "the stream picture parses and renders" valid_svg "$tmp/cam.svg"
check "the picture: title with period and rate, inputs 1-4 in the legend, the period marked" sh -c "
    grep -q '>optimum: period $period ([0-9.]* inputs/s), one input [0-9.]* ms<' '$tmp/cam.svg' &&
    grep -q '>input 1<' '$tmp/cam.svg' && grep -q '>input 4<' '$tmp/cam.svg' &&
    ! grep -q '>input 5<' '$tmp/cam.svg' && grep -q '>period $period<' '$tmp/cam.svg' &&
    grep -q '>hub-&gt;cloud<' '$tmp/cam.svg'"
run solve "$cam" --svg "$tmp/cmp.svg" --compare "all on hub" --inputs 3
check "--compare under throughput: both placements stream, on one axis" sh -c "[ $rc = 0 ] &&
    grep -q '>optimum: period $period' '$tmp/cmp.svg' && grep -q '>all on hub: period [0-9.]* ms' '$tmp/cmp.svg' &&
    grep -q '>input 3<' '$tmp/cmp.svg' && ! grep -q '>input 4<' '$tmp/cmp.svg'"
check "the comparison picture is valid" valid_svg "$tmp/cmp.svg"

# Other objectives: one inference unless --inputs asks for a stream.
COLUMNS=100 "$NNPART" solve "$we" --gantt >"$tmp/we.txt" 2>&1
check "latency objective: --gantt is one inference, as before" sh -c "
    grep -q '^timeline:$' '$tmp/we.txt' && ! grep -q 'input 1' '$tmp/we.txt'"
COLUMNS=100 LC_ALL=C.UTF-8 "$NNPART" eval "$we" --place edge,cloud,cloud --gantt --inputs 3 >"$tmp/ev.txt" 2>&1
check "eval --inputs 3: the placement's stream, the worked example's 200 ms period" sh -c "
    grep -q '^timeline: 3 inputs streaming' '$tmp/ev.txt' && grep -q 'period 200 ms (5 inputs/s)' '$tmp/ev.txt' &&
    grep -q '^edge->cloud *│ *1█*2▓*3▒' '$tmp/ev.txt'"
run eval "$we" --place cloud --svg "$tmp/ev.svg" --inputs 5
check "eval --svg --inputs 5: valid, five inputs, period 100 ms" sh -c "[ $rc = 0 ] &&
    grep -q '>input 5<' '$tmp/ev.svg' && grep -q '>period 100 ms<' '$tmp/ev.svg'"
check "eval's stream picture is valid" valid_svg "$tmp/ev.svg"

# Bad --inputs: exit 2, the exact message, nothing written.
for bad in 0 10 x 2.5 ""; do
    run solve "$cam" --gantt --inputs "$bad"
    check "--inputs '$bad': exit 2 and the accepted range" sh -c "[ $rc = 2 ] &&
        grep -qx \"nnpart solve: --inputs: '$bad' is not a whole number from 1 to 9\" '$tmp/err'"
done
run eval "$we" --place edge --inputs 3
check "--inputs without --gantt or --svg: exit 2" sh -c "[ $rc = 2 ] &&
    grep -qx 'nnpart eval: --inputs needs --gantt or --svg' '$tmp/err'"
run solve "$cam" --inputs 12 --svg "$tmp/never.svg"
check "a bad --inputs writes no picture" sh -c "[ $rc = 2 ] && [ ! -e '$tmp/never.svg' ]"
# What sets the period (issue 12): the busiest engine, whose busy time is
# the period, then the next busiest; in text and in JSON, under throughput only.
check "solve names the bottleneck: the hub's compute, then the camera's uplink" \
    grep -qx 'busiest:   hub compute 39.8 ms of 39.8 ms period; next: cam→hub link 24.1 ms' "$tmp/cam.txt"
LC_ALL=C "$NNPART" solve "$cam" >"$tmp/cam-ascii.txt" 2>&1
check "...with an ASCII arrow without UTF-8" \
    grep -qx 'busiest:   hub compute 39.8 ms of 39.8 ms period; next: cam->hub link 24.1 ms' "$tmp/cam-ascii.txt"
run solve "$cam" --json
check "--json: bottleneck {engine, kind, from, to, busy_s = period_s, next}" json_status 0 '
    .bottleneck.engine == "hub compute" and .bottleneck.kind == "compute" and
    .bottleneck.from == "hub" and .bottleneck.to == "hub" and .bottleneck.busy_s == .period_s and
    .bottleneck.next.engine == "cam->hub link" and .bottleneck.next.kind == "link" and
    .bottleneck.next.from == "cam" and .bottleneck.next.to == "hub" and
    (.bottleneck.next.busy_s - 0.02408448 | fabs) < 1e-9'
run solve "$we" --json
check "...and none under latency" json_status 0 'has("bottleneck") | not'
run solve "$we"
check "...nor in the text" sh -c "[ $rc = 0 ] && ! grep -q '^busiest:' '$tmp/out'"
# The summary's values start in one column (12) whatever the objective:
# every line up to the first blank one is a label, padded.
aligned() {
    awk 'NF == 0 { exit }
        { n++ } !/^[a-z]+: / || substr($0, 11, 1) != " " || substr($0, 12, 1) == " " { bad++ }
        END { exit bad || n < 6 }' "$1"
}
check "solve's labels align under latency" aligned "$tmp/out"
check "...and under throughput (busiest:)" aligned "$tmp/cam-ascii.txt"
"$NNPART" solve configs/battery-phone.yaml >"$tmp/bp.txt" 2>&1
check "...and under battery-energy" aligned "$tmp/bp.txt"
# The worked example as a stream (MODEL.md): all on the cloud, the 100 kB
# input at 8 Mbit/s on edge -> cloud sets the 100 ms period; the cloud's
# 12 ms of compute comes next.
run solve "$we" --objective throughput --json
check "the worked example's stream: the input's link, then the cloud's compute" json_status 0 '
    .bottleneck.engine == "edge->cloud link" and .bottleneck.busy_s == .period_s and
    (.period_s - 0.1 | fabs) < 1e-12 and .bottleneck.next.engine == "cloud compute" and
    (.bottleneck.next.busy_s - 0.012 | fabs) < 1e-12'
finish
