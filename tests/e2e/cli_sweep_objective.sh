#!/bin/sh
# `nnpart sweep` under each objective: the CSV's column of the optimum's own
# value on the objective (energy_j, battery_energy_j, period_s; latency_s
# under latency) against the JSON's objective_value at every point and
# breakpoint, and the --svg line plot on the objective (its axis title, the
# optimum's and the best baseline's lines read back through the y ticks and
# compared with the JSON) under energy and throughput, unchanged under
# latency. The SVG and CSV are parsed by tests/e2e/sweep_check.py.
. "$(dirname "$0")/cli_tap.inc"
chk="python3 $(dirname "$0")/sweep_check.py"

sed 's/^objective: .*/objective: energy/' configs/battery-phone.yaml >"$tmp/energy.yaml"
# Each case: file, axis, objective column, y axis title, baselines' key.
# Every sweep here changes placement at least once (breakpoints included).
cases="configs/worked-example.yaml|link:edge-cloud.bandwidth|1Mbit/s|1Gbit/s|latency_s|latency|latency_s
$tmp/energy.yaml|device:hub.power|1W|1kW|energy_j|energy (J per input)|energy_j
configs/battery-phone.yaml|link:phone-hub.bandwidth|1Mbit/s|1Gbit/s|battery_energy_j|battery energy (J per input)|energy_battery_j
configs/camera-stream.yaml|link:hub-cloud.bandwidth|1Mbit/s|1Gbit/s|period_s|period (s per input)|period_s"

json_file_true() { jq -e "$2" "$1" >/dev/null; }

valid_svg() {
    xmllint --noout "$1" && rsvg-convert "$1" -o "$1.png" && [ -s "$1.png" ]
}

echo "$cases" | while IFS='|' read -r file vary from to col title key; do
    name=$(basename "$file" .yaml)
    args="--vary $vary --from $from --to $to --steps 5 --log --breakpoints"
    "$NNPART" sweep "$file" $args --csv >"$tmp/s.csv" 2>"$tmp/err"
    "$NNPART" sweep "$file" $args --json >"$tmp/s.json" 2>>"$tmp/err"
    check "$name: sweep --csv has $col, the JSON's objective_value at every point and breakpoint" \
        sh -c "[ -s '$tmp/s.csv' ] && $chk csv '$tmp/s.csv' '$tmp/s.json' $col"
    check "$name: the sweep has a change point (the breakpoint rows are checked)" \
        sh -c "jq -e '(.breakpoints | length) > 0' '$tmp/s.json' >/dev/null"
    case $col in energy_j | period_s | latency_s) ;; *) continue ;; esac
    rm -f "$tmp/s.svg" "$tmp/s.svg.png"
    "$NNPART" sweep "$file" $args --svg "$tmp/s.svg" >/dev/null 2>>"$tmp/err"
    check "$name: sweep --svg parses (xmllint) and renders (rsvg-convert)" valid_svg "$tmp/s.svg"
    if [ "$col" = latency_s ]; then
        check "$name: the picture plots latencies, the best baseline the least latency" \
            $chk svg "$tmp/s.svg" "$tmp/s.json" "$title" "$key"
        check "$name: the legend's best baseline as before" grep -q '>best baseline<' "$tmp/s.svg"
    else
        check "$name: the y axis is '$title'; the optimum and the best baseline on it" \
            $chk svg "$tmp/s.svg" "$tmp/s.json" "$title" "$key"
        what=$(echo "$title" | sed 's/ (.*//')
        check "$name: the legend says the best baseline is the least $what" \
            grep -q ">best baseline (least $what)<" "$tmp/s.svg"
    fi
done >"$tmp/tap"
tap_renumber "$tmp/tap" # the loop ran in a subshell

# Under energy the best baseline is chosen on energy, not latency: at 1 kW
# for the hub the least-energy baseline is not the least-latency one, and
# the picture's red line is at the former.
"$NNPART" sweep "$tmp/energy.yaml" --vary device:hub.power --values 1kW --json >"$tmp/e.json"
check "energy at 1 kW: the least-energy baseline is not the least-latency one" json_file_true \
    "$tmp/e.json" '.points[0].baselines | map(select(.within_limits))
    | (min_by(.energy_j).name) != (min_by(.latency_s).name)'

# A grid's map under energy: each cell's value is the optimum's energy.
"$NNPART" sweep "$tmp/energy.yaml" --vary device:hub.power --values 1W,1kW \
    --vary link:phone-hub.bandwidth --values 10Mbit/s,1Gbit/s --svg "$tmp/m.svg" >/dev/null
"$NNPART" sweep "$tmp/energy.yaml" --vary device:hub.power --values 1W,1kW \
    --vary link:phone-hub.bandwidth --values 10Mbit/s,1Gbit/s --json >"$tmp/m.json"
check "grid --svg under energy parses and renders" valid_svg "$tmp/m.svg"
check "grid --svg under energy: every cell shows the optimum's energy in J" sh -c "
    n=0; for v in \$(jq -r '.points[].objective_value' '$tmp/m.json'); do
        j=\$(awk -v v=\$v 'BEGIN { printf \"%.3g J\", v }');
        grep -q \"class=\\\"cell\\\"[^>]*>[A-Z] \$j<\" '$tmp/m.svg' || { echo \"# no cell with \$j\"; exit 1; };
        n=\$((n + 1)); done; [ \$n = 4 ]"

finish
