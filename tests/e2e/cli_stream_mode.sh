#!/bin/sh
# Under objective throughput weights are resident (MODEL.md, Throughput):
# --mode preload or ondemand means nothing there and is refused with 2, as
# other meaningless options are; a file's other mode is said not to apply,
# and changes no number (solve, sweep and eval printed "mode: preload" and
# the contiguous-run DP baseline was the preload DP's pick).
. "$(dirname "$0")/cli_tap.inc"
cam=configs/camera-stream.yaml
we=configs/worked-example.yaml
bw="--vary link:hub-cloud.bandwidth --from 1Mbit/s --to 1Gbit/s --steps 3 --log"
msg="--mode preload: objective throughput keeps weights resident; accepted with it: resident, or no --mode"

# refused CMD DESCRIPTION MESSAGE ARGS...: exit 2, the message on stderr.
refused() {
    c=$1
    d=$2
    m=$3
    shift 3
    run "$c" "$@"
    check "$d" sh -c "[ $rc = 2 ] && grep -qxF -- \"nnpart $c: $m\" '$tmp/err' && [ ! -s '$tmp/out' ]"
}
refused solve "solve --mode preload under throughput: exit 2, names the option and what is accepted" \
    "$msg" "$cam" --mode preload
refused solve "solve --mode ondemand --json under throughput: exit 2" \
    "--mode ondemand: objective throughput keeps weights resident; accepted with it: resident, or no --mode" \
    "$cam" --mode ondemand --json
refused solve "solve --objective throughput --mode preload on a preload file: exit 2" \
    "$msg" "$we" --objective throughput --mode preload
refused sweep "sweep --mode preload under throughput: exit 2" "$msg" "$cam" $bw --mode preload
refused sweep "sweep --csv --mode preload under throughput: exit 2" "$msg" "$cam" $bw --csv --mode preload
refused eval "eval --mode preload under throughput: exit 2" "$msg" "$cam" --place hub --mode preload

run solve "$cam" --mode resident
check "solve --mode resident under throughput: exit 0, mode: resident, no note" sh -c "
    [ $rc = 0 ] && grep -qx 'mode:      resident' '$tmp/out'"
run solve "$we" --mode preload --json
check "solve --mode preload under latency still runs in preload" json_status 0 '.mode == "preload"'
run pareto "$cam" --mode preload
check "pareto (latency and energy) --mode preload on a stream's file: exit 0, mode preload" sh -c "
    [ $rc = 0 ] && grep -qx 'mode:      preload' '$tmp/out'"

# The stream with mode: preload in its file: resident everywhere, said so.
sed 's/^mode: resident$/mode: preload/' "$cam" >"$tmp/pre.yaml"
grep -q '^mode: preload$' "$tmp/pre.yaml" || echo "not ok - the fixture has no mode: preload"
note="resident (objective throughput keeps weights resident; the file's preload does not apply)"
printf 'mode:      %s\n' "$note" >"$tmp/solve-mode"
printf 'mode:     %s\n' "$note" >"$tmp/sweep-mode"
run solve "$tmp/pre.yaml"
check "solve: the header says resident and why, not the file's preload" sh -c "
    [ $rc = 0 ] && grep -qxFf '$tmp/solve-mode' '$tmp/out' && ! grep -q '^mode: *preload' '$tmp/out'"
strip='del(.solve_time_s, .labels_time_s, .ilp_time_s, .tiebreak.time_s, .engine_note, .message)'
"$NNPART" solve "$cam" --json | jq "$strip" >"$tmp/res.json"
"$NNPART" solve "$tmp/pre.yaml" --json | jq "$strip" >"$tmp/pre.json"
check "solve --json: the preload file's answer is the resident file's, baselines included" \
    cmp -s "$tmp/res.json" "$tmp/pre.json"
check "...mode resident in it, and the DP baseline of period 45.8 ms (was 40.1 ms, preload's DP)" sh -c "
    jq -e '.mode == \"resident\" and ([.baselines[] | select(.name == \"contiguous-run DP\") | .period_s]
        | .[0] > 0.0457 and .[0] < 0.0458)' '$tmp/pre.json' >/dev/null"
run sweep "$tmp/pre.yaml" $bw
check "sweep: the header says resident and why" sh -c "
    [ $rc = 0 ] && grep -qxFf '$tmp/sweep-mode' '$tmp/out'"
"$NNPART" sweep "$cam" $bw >"$tmp/res.txt"
check "sweep: the table is the resident file's" sh -c "
    tail -n +4 '$tmp/res.txt' >'$tmp/a' && tail -n +4 '$tmp/out' >'$tmp/b' && cmp -s '$tmp/a' '$tmp/b'"
"$NNPART" sweep "$cam" $bw --csv | cut -d, -f1-5,7- >"$tmp/res.csv"
"$NNPART" sweep "$tmp/pre.yaml" $bw --csv | cut -d, -f1-5,7- >"$tmp/pre.csv"
check "sweep --csv: the values and baselines are the resident file's" cmp -s "$tmp/res.csv" "$tmp/pre.csv"
run sweep "$tmp/pre.yaml" $bw --json
check "sweep --json: mode resident" json_status 0 '.mode == "resident"'
run sweep "$tmp/pre.yaml" $bw --svg "$tmp/pre.svg"
check "sweep --svg: the title says resident, not preload" sh -c "
    [ $rc = 0 ] && grep -q 'ResNet-18, resident<' '$tmp/pre.svg' && ! grep -q 'preload' '$tmp/pre.svg'"
run eval "$tmp/pre.yaml" --place 'hub*9,cloud*4' --json
lat=$(jq '.latency_s' "$tmp/pre.json")
check "eval: weights resident, the latency solve reports" json_status 0 \
    '.mode == "resident" and .latency_s == $l' --argjson l "$lat"
finish
