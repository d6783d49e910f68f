#!/bin/sh
# `nnpart sweep`: the points, the placement change as the edge-cloud link
# gets faster, units on --from/--to, CSV and JSON, and bad arguments.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml

# At 1 Mbit/s the input is cheaper to ship than L1's 200 kB output, so all
# layers go to the cloud; from 10 Mbit/s on, L1 stays on the edge while the
# cloud preloads L2 and L3 (MODEL.md). At 1 Gbit/s: 0.2 s on the edge,
# 0.01 + 1.6 ms up, L3 waits for its weights until 0.7 s, finishes at
# 0.701 s, and 0.01 + 8 us back: 0.711008 s.
run sweep "$we" --vary link:edge-cloud.bandwidth --from 1Mbit/s --to 1Gbit/s --steps 7 --log --json
check "sweep --json: exit 0, 7 points, the field and its unit" json_status 0 '
    .vary == "link:edge-cloud.bandwidth" and .unit == "bit/s" and (.points | length) == 7'
check "points run from 1 Mbit/s to 1 Gbit/s on a log scale" json_true '
    [.points[].value] as $v
    | $v[0] == 1e6 and $v[6] == 1e9 and ((($v[3] / 3.16227766016838e7) - 1) | fabs) < 1e-12'
check "every point: latency_s, placement per layer, status, baselines" json_true '
    all(.points[]; (.latency_s > 0) and (.placement | length) == 3 and .status == "optimal"
        and (.baselines | length) > 0 and all(.baselines[]; has("name") and has("latency_s")
        and has("feasible")))'
check "the placement moves from cloud,cloud,cloud to edge,cloud,cloud" json_true '
    .points[0].placement == ["cloud","cloud","cloud"]
    and .points[6].placement == ["edge","cloud","cloud"]'
check "exactly one change, marked where the placement differs from the point before" json_true '
    ([.points | range(1; length) as $i | (.[$i].placement != .[$i - 1].placement) == .[$i].changed]
        | all)
    and ([.points[] | select(.changed)] | length) == 1 and .points[0].changed == false'
last=$(jq -r '.points[6].latency_s' "$tmp/out")
check "latency at 1 Gbit/s is 0.711008 s" near "$last" 0.711008
check "latency never rises as the link gets faster" json_true '
    [.points[].latency_s] as $l | all(range(1; $l | length); $l[.] <= $l[. - 1] * (1 + 1e-12))'

run sweep "$we" --vary link:edge-cloud.bandwidth --from 1Mbit/s --to 1Gbit/s --steps 7 --log
check "text: a row per point with units, '*' at the change" sh -c "[ $rc = 0 ] &&
    grep -q '1 Mbit/s' '$tmp/out' && grep -q '1 Gbit/s' '$tmp/out' &&
    [ \$(grep -c '^\* ' '$tmp/out') = 2 ]"

run sweep "$we" --vary device:cloud.speed --from 1GFLOP/s --to 101GFLOP/s --steps 3 --csv
check "--csv: a header and one line per point" sh -c "[ $rc = 0 ] && [ \$(wc -l <'$tmp/out') = 4 ] &&
    head -1 '$tmp/out' | grep -q '^value (FLOP/s),latency_s,status'"
check "--csv: linear points 1, 51, 101 GFLOP/s" sh -c \
    "[ \"\$(cut -d, -f1 '$tmp/out' | tail -3 | tr '\n' ' ')\" = '1000000000 51000000000 101000000000 ' ]"

run sweep "$we" --vary link:edge-cloud.latency --from 0 --to 20ms --steps 2 --json
check "sweeping a link latency in ms" json_true '[.points[].value] == [0, 0.02]'

run sweep "$we" --vary device:cloud.speed --from 3ms --to 1GFLOP/s
check "--from with a unit of the wrong kind: exit 2, says what is expected" sh -c \
    "[ $rc = 2 ] && grep -q 'compute rate' '$tmp/err'"
run sweep "$we" --vary device:moon.speed --from 1GFLOP/s --to 2GFLOP/s
check "--vary with an unknown device: exit 2" sh -c "[ $rc = 2 ] && grep -q moon '$tmp/err'"
run sweep "$we" --vary device:cloud.colour --from 1 --to 2
check "--vary with an unknown field: exit 2" status_is 2
run sweep "$we" --vary link:edge-cloud.latency --from 0 --to 1s --log
check "--log from 0: exit 2" status_is 2
run sweep "$we" --vary device:cloud.speed --from 1GFLOP/s --to 2GFLOP/s --steps 0
check "--steps 0: exit 2" status_is 2
run sweep "$we" --vary device:cloud.speed --from 1GFLOP/s --to 2GFLOP/s --csv --json
check "--csv with --json: exit 2" status_is 2

finish
