#!/bin/sh
# Energy, the Pareto front and streams (issue 12): the shipped battery-phone
# and camera-stream scenarios end to end, JSON fields, and bad arguments with
# their exact messages.
. "$(dirname "$0")/cli_tap.inc"
bp=configs/battery-phone.yaml
cam=configs/camera-stream.yaml

err_is() {
    status_is "$1" || return 1
    got=$(head -n 1 "$tmp/err")
    [ "$got" = "$2" ] && return 0
    echo "# got:  $got"
    echo "# want: $2"
    return 1
}

run check "$bp"
check "check accepts the battery-phone scenario" status_is 0
run solve "$bp" --json
check "solve minimises the phone's battery energy" json_true \
    '.optimised == "battery-energy" and .status == "optimal" and .energy_battery_j > 0 and .energy_j >= .energy_battery_j and ([.energy[] | select(.battery) | .energy_j] | add) == .energy_battery_j'
cp "$tmp/out" "$tmp/energy.json"
run solve "$bp" --objective latency --json
check "the latency optimum is no slower and spends no less battery energy" jq -e -n \
    --slurpfile e "$tmp/energy.json" --slurpfile l "$tmp/out" \
    '$l[0].latency_s <= $e[0].latency_s and $l[0].energy_battery_j >= $e[0].energy_battery_j' >/dev/null
run pareto "$bp" --json
check "pareto: several points, latency rising and energy falling" json_true \
    '.status == "optimal" and (.points | length) >= 2 and ([.points[].latency_s] | . == sort) and ([.points[].energy_j] | . == (sort | reverse))'
cp "$tmp/out" "$tmp/front.json"
check "the front's ends are the latency and battery-energy optima" jq -e -n \
    --slurpfile f "$tmp/front.json" --slurpfile e "$tmp/energy.json" \
    '($f[0].points[-1].energy_j - $e[0].energy_battery_j | fabs) <= 1e-9 * $e[0].energy_battery_j' >/dev/null
run pareto "$bp" --csv
check "pareto --csv has a header and a line per point" sh -c \
    "head -n 1 '$tmp/out' | grep -qx 'latency_s,energy_j,placement' && [ \$(wc -l < '$tmp/out') -eq \$((1 + \$(jq '.points | length' '$tmp/front.json'))) ]"
run pareto "$bp"
check "pareto prints a table and a plot" sh -c "grep -q 'each proven optimal' '$tmp/out' && grep -q 'latency$' '$tmp/out'"
run pareto "$bp" --max-points 1 --json
check "pareto --max-points 1 stops at one point and says so" json_true \
    '(.points | length) == 1 and .truncated'
run pareto "$bp" --max-points 0
check "pareto --max-points 0 is refused" err_is 2 \
    "nnpart pareto: --max-points: '0' is not a number from 1 to 10000"
run pareto "$bp" --json --csv
check "pareto --json --csv is refused" err_is 2 "nnpart pareto: --json and --csv cannot be combined"

run solve "$cam" --json
check "camera stream: the period, frames/s and one frame's latency" json_true \
    '.optimised == "throughput" and .status == "optimal" and .period_s > 0 and (.inputs_per_s * .period_s - 1 | fabs) < 1e-12 and .pipeline_latency_s >= .period_s'
run solve "$cam"
check "camera stream: faster than one frame at a time" sh -c "grep -q 'the pipeline is [0-9.]*x faster' '$tmp/out'"
run solve "$cam" --json
cp "$tmp/out" "$tmp/cam.json"
run eval "$cam" --place "$(jq -r '.placement | join(",")' "$tmp/cam.json")" --json
check "eval of the throughput optimum gives the same period" jq -e -n \
    --slurpfile a "$tmp/cam.json" --slurpfile b "$tmp/out" \
    '$a[0].period_s == $b[0].period_s and $b[0].pipeline_latency_s >= $b[0].latency_s * (1 - 1e-12)' >/dev/null
run solve "$cam" --objective energi
check "solve --objective with a typo is refused" err_is 2 \
    "nnpart solve: --objective: unknown objective 'energi'; accepted: latency, energy, battery-energy, throughput"
run sweep "$bp" --vary device:phone.power --from 1W --to 8W --steps 3 --json
check "sweep varies a device's power" json_true '(.points | length) == 3'
echo "1..$n"
[ "$fails" = 0 ]
