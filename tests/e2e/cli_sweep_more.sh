#!/bin/sh
# `nnpart sweep` beyond one line of points: --breakpoints (the worked
# example's change at 1.6e6 / 0.49 bit/s, MODEL.md's algebra), grids of two
# axes and preset axes, --svg pictures (xmllint, rsvg-convert), --jobs and
# --shard giving the serial results (GNU parallel), and bad arguments.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml
bw="--vary link:edge-cloud.bandwidth"

valid_svg() {
    xmllint --noout "$1" && rsvg-convert "$1" -o "$1.png" && [ -s "$1.png" ]
}

run sweep "$we" $bw --from 1Mbit/s --to 10Mbit/s --steps 3 --log --breakpoints --json
check "--breakpoints --json: one change point, within 0.1% of 3.2653 Mbit/s" json_true '
    (.breakpoints | length) == 1
    and (.breakpoints[0] | ((.value / (1.6e6 / 0.49) - 1) | fabs) < 1e-3
         and (.high - .low) <= 1e-3 * .value and .low < .value and .value < .high
         and .before == ["cloud","cloud","cloud"] and .after == ["edge","cloud","cloud"]
         and ((.latency_s - ([0.721 + 8000 / .value, 0.231 + 1.608e6 / .value] | min)) | fabs) < 1e-9)'
run sweep "$we" $bw --from 1Mbit/s --to 10Mbit/s --steps 3 --log --breakpoints --csv
check "--breakpoints --csv: header with row/before/after, the change between the points" sh -c "
    [ $rc = 0 ] && head -1 '$tmp/out' | grep -qx 'row,value (bit/s),latency_s,status,gap,solve_time_s,changed,placement,best_baseline,best_baseline_latency_s,before,after' &&
    [ \"\$(cut -d, -f1 '$tmp/out' | tr '\n' ' ')\" = 'row point point breakpoint point ' ] &&
    grep -q '^breakpoint,3266[0-9.]*,0.7233[0-9]*,,,,1,edge\*1 cloud\*2,,,cloud\*3,edge\*1 cloud\*2$' '$tmp/out'"
run sweep "$we" $bw --from 1Mbit/s --to 10Mbit/s --steps 3 --log --breakpoints
check "--breakpoints text: ranges with the placement and latency at each end" sh -c "[ $rc = 0 ] &&
    grep -q '^placement ranges (each change located to 0.1% of its value):' '$tmp/out' &&
    grep -Eq '^ +1 Mbit/s +3.27 Mbit/s +cloud.3 +840 ms +723 ms$' '$tmp/out' &&
    grep -Eq '^ +3.27 Mbit/s +10 Mbit/s +edge.1 cloud.2 +723 ms +712 ms$' '$tmp/out'"

run sweep "$we" $bw --from 1Mbit/s --to 1Gbit/s --steps 7 --log --breakpoints --svg "$tmp/s.svg"
check "sweep --svg: exit 0" status_is 0
check "sweep --svg parses and renders" valid_svg "$tmp/s.svg"
check "sweep --svg: bands labelled with placements, the change marked, lines and axes" sh -c "
    grep -q '>cloud×3<' '$tmp/s.svg' && grep -q '>edge×1 cloud×2<' '$tmp/s.svg' &&
    grep -q '>3.27 Mbit/s<' '$tmp/s.svg' && grep -q '>optimum (nnpart)<' '$tmp/s.svg' &&
    grep -q '>best baseline<' '$tmp/s.svg' && grep -q '>all on cloud' '$tmp/s.svg' &&
    grep -q '>link:edge-cloud.bandwidth (log scale)<' '$tmp/s.svg' && grep -q '>100 Mbit/s<' '$tmp/s.svg'"
run sweep "$we" $bw --from 1Mbit/s --to 1Gbit/s --steps 7 --log --svg "$tmp/s.svg"
check "sweep --svg onto an existing file: exit 2" sh -c "[ $rc = 2 ] &&
    grep -qx \"nnpart sweep: --svg: '$tmp/s.svg' exists; add --force to overwrite it\" '$tmp/err'"

# A preset axis: the cloud's type. A smart camera as the "cloud" keeps L1
# on the edge.
run sweep "$we" --vary device:cloud.preset --values t4,a100,smart-camera --csv
check "preset axis --csv: presets by name, the placement moves at the camera" sh -c "[ $rc = 0 ] &&
    head -1 '$tmp/out' | grep -q '^value (preset),latency_s,' &&
    [ \"\$(cut -d, -f1,6,7 '$tmp/out' | tail -3 | tr '\n' ' ')\" = 't4,0,cloud*3 a100,0,cloud*3 smart-camera,1,edge*1 cloud*2 ' ]"

# A grid: the cloud's load rate against the link's bandwidth. At 100 MB/s
# the cloud needs L1 done on the edge once the link is fast; at 1 GB/s it
# preloads everything in time.
grid="--vary device:cloud.load_rate --values 100MB/s,1GB/s --vary link:edge-cloud.bandwidth --from 1Mbit/s --to 100Mbit/s --steps 3 --log"
run sweep "$we" $grid --json
check "grid --json: 6 points with values [a, b], two axes" json_true '
    (.points | length) == 6 and .points[0].values == [1e8, 1e6] and .points[5].values == [1e9, 1e8]
    and (.axes | map(.vary)) == ["device:cloud.load_rate", "link:edge-cloud.bandwidth"]
    and .axes[0].unit == "B/s" and .axes[1].log and (.axes[1].values | length) == 3'
check "grid: a row starts unchanged, the placement moves along the bandwidth" json_true '
    .points[0].changed == false and .points[1].changed and .points[3].changed == false
    and .points[0].placement == ["cloud","cloud","cloud"] and .points[2].placement == ["edge","cloud","cloud"]
    and all(.points[3:][]; .placement == ["cloud","cloud","cloud"])'
run sweep "$we" $grid --csv
check "grid --csv: two value columns" sh -c "[ $rc = 0 ] &&
    head -1 '$tmp/out' | grep -q '^value 1 (B/s),value 2 (bit/s),latency_s,' &&
    sed -n 2p '$tmp/out' | grep -q '^100000000,1000000,' && [ \$(wc -l <'$tmp/out') = 7 ]"
run sweep "$we" $grid
check "grid text: a map of letters and their placements" sh -c "[ $rc = 0 ] &&
    grep -Eq '^  100 MB/s  A B B $' '$tmp/out' && grep -Eq '^    1 GB/s  A A A $' '$tmp/out' &&
    grep -Eq '^  A  cloud.3 \(4 points\)$' '$tmp/out' && grep -Eq '^  B  edge.1 cloud.2 \(2 points\)$' '$tmp/out'"
run sweep "$we" $grid --svg "$tmp/map.svg"
check "grid --svg: a heat map with letters and the legend" sh -c "[ $rc = 0 ] && grep -q '>optimal placement:<' '$tmp/map.svg' &&
    grep -q '>A  cloud×3 (4 points)<' '$tmp/map.svg' && grep -q '>B 712 ms<' '$tmp/map.svg' && grep -q '>1 GB/s<' '$tmp/map.svg'"
check "the heat map parses and renders" valid_svg "$tmp/map.svg"

# Threads and slices give the serial CSV exactly (the timing column aside).
strip_time() { cut -d, -f1-5,7- "$1"; }
args="$bw --from 1Mbit/s --to 1Gbit/s --steps 9 --log --breakpoints --csv"
"$NNPART" sweep "$we" $args >"$tmp/serial.csv"
"$NNPART" sweep "$we" $args --jobs 2 >"$tmp/jobs.csv"
check "--jobs 2 gives the serial CSV" sh -c "strip_() { cut -d, -f1-5,7- \"\$1\"; };
    [ -s '$tmp/serial.csv' ] && [ \"\$(strip_ '$tmp/serial.csv')\" = \"\$(strip_ '$tmp/jobs.csv')\" ]"
parallel -k "'$NNPART'" sweep "$we" $args --shard {}/4 ::: 1 2 3 4 >"$tmp/shards.csv"
check "4 shards run by GNU parallel concatenate to the serial CSV" sh -c "strip_() { cut -d, -f1-5,7- \"\$1\"; };
    [ \"\$(strip_ '$tmp/serial.csv')\" = \"\$(strip_ '$tmp/shards.csv')\" ]"
check "only shard 1 prints the header" sh -c "[ \$(grep -c '^row,' '$tmp/shards.csv') = 1 ]"
run sweep "$we" $grid --json --shard 2/2
check "--shard with --json: the slice's points and the shard" json_true '
    (.points | length) == 3 and .shard == {"index": 2, "count": 2, "first": 3, "last": 6}
    and .points[0].values == [1e9, 1e6] and .points[0].changed == false'

# Bad arguments: exit 2 and the message.
bad() { # bad DESCRIPTION MESSAGE ARGS...
    d=$1
    m=$2
    shift 2
    run sweep "$we" "$@"
    check "$d" sh -c "[ $rc = 2 ] && grep -qxF -- \"nnpart sweep: $m\" '$tmp/err'"
}
bad "--steps 1 with --to" "--steps 1 leaves no room for --to: give 2 or more steps, or leave out --to for the single point --from" \
    $bw --from 1Mbit/s --to 2Mbit/s --steps 1
bad "repeated --mode" "option '--mode' given twice" $bw --from 1Mbit/s --to 2Mbit/s --mode preload --mode resident
bad "--from twice for one axis" "--from given twice for --vary link:edge-cloud.bandwidth" \
    $bw --from 1Mbit/s --from 2Mbit/s --to 3Mbit/s
bad "three axes" "--vary: at most two axes (a grid)" $bw --from 1Mbit/s --to 2Mbit/s \
    --vary device:cloud.speed --values 1GFLOP/s --vary device:edge.speed --values 1GFLOP/s
bad "both axes the same field" "--vary: both axes set link:edge-cloud.bandwidth" $bw --from 1Mbit/s --to 2Mbit/s $bw --values 1Mbit/s
bad "a preset axis with --from" "--vary device:cloud.preset takes preset names: give --values NAME,... (not --from, --to, --steps or --log)" \
    --vary device:cloud.preset --from 1 --to 2
bad "an unknown preset" "--values: no device preset named 'moon'; accepted: raspberry-pi-4, smart-camera, jetson-nano, phone, laptop, jetson-orin, desktop-gpu, t4, a100" \
    --vary device:cloud.preset --values moon
bad "--breakpoints on a grid" "--breakpoints needs one --vary, not a grid" $grid --breakpoints
bad "--breakpoints on presets" "--breakpoints needs a number to bisect; device:cloud.preset takes presets" \
    --vary device:cloud.preset --values t4,a100 --breakpoints
bad "--values with --from" "--values replaces --from, --to and --steps for --vary link:edge-cloud.bandwidth" \
    $bw --from 1Mbit/s --values 2Mbit/s
bad "--jobs 0" "--jobs: '0' is not a whole number from 1 to 256" $bw --from 1Mbit/s --to 2Mbit/s --jobs 0
bad "--shard 3/2" "--shard: '3/2' is not K/N with 1 <= K <= N <= 250000 (e.g. 2/8)" $bw --from 1Mbit/s --to 2Mbit/s --csv --shard 3/2
bad "--shard in text" "--shard needs --csv or --json" $bw --from 1Mbit/s --to 2Mbit/s --shard 1/2
bad "--svg with --shard" "--svg draws the whole sweep; it cannot be combined with --shard" \
    $bw --from 1Mbit/s --to 2Mbit/s --csv --shard 1/2 --svg "$tmp/x.svg"
bad "--force without --svg" "--force needs --svg" $bw --from 1Mbit/s --to 2Mbit/s --force
run sweep "$we" $bw --from 1Mbit/s --steps 1 --json
check "--steps 1 without --to: the single point --from" json_true '[.points[].value] == [1e6]'
run sweep "$we" --vary device:cloud.speed --from 1kFLOP/s --to 1000PFLOP/s --steps 3 --log --json
check "--log across the whole speed range: finite points" json_true '
    [.points[].value] | length == 3 and all(. > 0 and . < 1e300)'

# The best baseline is chosen and valued on the objective: the CSV's last
# column is named after the objective's value and unit (best_baseline_latency_s
# under latency, as before) and holds the least of the JSON's baselines on it.
best_column() { head -1 "$tmp/b.csv" | grep -q ",best_baseline,best_baseline_$1\$" && near "$2" "$3"; }
sed 's/^objective: .*/objective: energy/' configs/battery-phone.yaml >"$tmp/energy.yaml"
for c in "$we edge latency_s latency_s" "$tmp/energy.yaml phone energy_j energy_j" \
    "configs/battery-phone.yaml phone battery_energy_j energy_battery_j" \
    "configs/camera-stream.yaml cam period_s period_s"; do
    set -- $c
    "$NNPART" sweep "$1" --vary "device:$2.memory" --values 1TB --csv >"$tmp/b.csv" 2>"$tmp/err"
    "$NNPART" sweep "$1" --vary "device:$2.memory" --values 1TB --json >"$tmp/b.json" 2>>"$tmp/err"
    want=$(jq "[.points[0].baselines[] | select(.within_limits) | .$4] | min" "$tmp/b.json")
    got=$(sed -n 2p "$tmp/b.csv" | awk -F, '{ print $NF }')
    check "sweep --csv under $(basename "$1"): best_baseline_$3, the best baseline's value ($got)" \
        best_column "$3" "$got" "$want"
done
run sweep configs/camera-stream.yaml --vary device:cam.memory --values 1TB
check "sweep text under throughput: the optimum's period and rate, the best baseline's period, the ratio of the periods" sh -c "
    [ $rc = 0 ] && grep -Eq ' latency +period +inputs/s +placement .* best baseline +its period +vs optimum$' '$tmp/out' &&
    grep -Eq '^ +1 TB +116 ms +39.8 ms +25.11 +hub.9 cloud.4 +optimal +all on hub +45.8 ms +1.15x$' '$tmp/out'"

finish
