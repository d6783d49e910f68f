#!/bin/sh
# `nnpart sweep` says the same thing in the CSV, the JSON, the --svg
# picture and the text tables under every objective, with and without
# limits (tests/e2e/sweep_check.py agree): the best baseline is the least
# on the objective within the limits (none where none is within them), a
# baseline over a limit has no point on its line and its legend says where,
# the text table shows the optimum's value on the objective, and the
# placement ranges give the objective's value (its unit) at each end.
. "$(dirname "$0")/cli_tap.inc"
chk="python3 $(dirname "$0")/sweep_check.py"
jq_true() { jq -e "$@" >/dev/null; }

# The worked example with power and link energy: offloading to the cloud is
# fast but costs radio energy, so under a 3 J energy limit the fastest
# baselines (contiguous-run DP, the split after L1) are over it once the
# link's energy reaches 10 uJ/bit.
cat >"$tmp/we.yaml" <<'EOF'
name: worked example with energy
network:
  name: worked
  input: 100000 B
  layers:
    - {name: L1, flops: 1e8, weights: 1 MB, output: 200 kB}
    - {name: L2, flops: 1e9, weights: 20 MB, output: 10 kB}
    - {name: L3, flops: 1e8, weights: 50 MB, output: 1 kB}
mode: preload
objective: latency
source: edge
sink: edge
devices:
  - {name: edge, tier: edge, speed: 1 GFLOP/s, memory: 100 MB, load_rate: 10 MB/s, power: 1 W}
  - {name: cloud, tier: cloud, speed: 100 GFLOP/s, memory: 1000 MB, load_rate: 100 MB/s, power: 100 W}
links:
  - {between: [edge, cloud], bandwidth: 8 Mbit/s, latency: 10 ms, energy: 10 uJ/bit}
EOF
sed 's/^objective: .*/objective: latency\nenergy_limit: 3 J/' "$tmp/we.yaml" >"$tmp/we-elimit.yaml"
sed 's/^objective: .*/objective: latency\nlatency_limit: 1 s/' "$tmp/we.yaml" >"$tmp/we-tlimit.yaml"
# Under energy with a 4 s latency limit and cheaper radio, all on edge
# (7.2 s) is over the limit and the cloud's power moves the optimum.
sed -e 's/^objective: .*/objective: energy\nlatency_limit: 4 s/' -e 's|10 uJ/bit|100 nJ/bit|' \
    "$tmp/we.yaml" >"$tmp/we-energy-tlimit.yaml"
sed 's/^objective: .*/objective: energy/' configs/battery-phone.yaml >"$tmp/phone-energy.yaml"
sed 's/^objective: .*/objective: battery-energy\nlatency_limit: 150 ms/' \
    configs/battery-phone.yaml >"$tmp/phone-tlimit.yaml"
sed 's/^objective: .*/objective: energy\nenergy_limit: 4 J/' configs/battery-phone.yaml \
    >"$tmp/phone-energy-elimit.yaml"
# The phone's battery under 150 mJ: below 10 Mbit/s nothing is within it.
sed 's/^objective: .*/objective: battery-energy\nenergy_limit: 150 mJ/' configs/battery-phone.yaml \
    >"$tmp/phone-elimit.yaml"

# Each case: file, axis, from, to, the baselines' JSON key on the objective,
# whether some baseline is over a limit at some point (checked, so the
# limit case cannot pass vacuously).
cases="$tmp/we.yaml|link:edge-cloud.bandwidth|1Mbit/s|1Gbit/s|latency_s|no
$tmp/we-elimit.yaml|link:edge-cloud.energy|1nJ/bit|100uJ/bit|latency_s|yes
$tmp/we-tlimit.yaml|link:edge-cloud.bandwidth|1Mbit/s|1Gbit/s|latency_s|yes
$tmp/we-energy-tlimit.yaml|device:cloud.power|1W|10kW|energy_j|yes
$tmp/phone-energy.yaml|device:hub.power|1W|1kW|energy_j|no
$tmp/phone-energy-elimit.yaml|device:hub.power|1W|1kW|energy_j|yes
configs/battery-phone.yaml|link:phone-hub.bandwidth|1Mbit/s|1Gbit/s|energy_battery_j|no
$tmp/phone-tlimit.yaml|link:phone-hub.bandwidth|1Mbit/s|1Gbit/s|energy_battery_j|yes
$tmp/phone-elimit.yaml|link:phone-hub.bandwidth|1Mbit/s|1Gbit/s|energy_battery_j|yes
configs/camera-stream.yaml|link:hub-cloud.bandwidth|1Mbit/s|1Gbit/s|period_s|no"

echo "$cases" | while IFS='|' read -r file vary from to key over; do
    name=$(basename "$file" .yaml)
    args="--vary $vary --from $from --to $to --steps 6 --log --breakpoints"
    "$NNPART" sweep "$file" $args --csv >"$tmp/s.csv" 2>"$tmp/err"
    "$NNPART" sweep "$file" $args --json >"$tmp/s.json" 2>>"$tmp/err"
    "$NNPART" sweep "$file" $args >"$tmp/s.txt" 2>>"$tmp/err"
    rm -f "$tmp/s.svg"
    "$NNPART" sweep "$file" $args --svg "$tmp/s.svg" >/dev/null 2>>"$tmp/err"
    check "$name: the sweep has a change point" \
        jq_true '(.breakpoints | length) > 0' "$tmp/s.json"
    if [ "$over" = yes ]; then
        check "$name: some baseline is over a limit at some point" \
            jq_true '[.points[].baselines[] | select(.feasible and (.within_limits | not))]
                | length > 0' "$tmp/s.json"
    fi
    check "$name: CSV, JSON, SVG and text agree on the objective and the limits" \
        $chk agree "$tmp/s.csv" "$tmp/s.json" "$tmp/s.svg" "$tmp/s.txt" "$key"
done >"$tmp/tap" 2>&1
tap_renumber "$tmp/tap" # the loop ran in a subshell

# Under the energy limit the least-latency feasible baseline is over it at
# 10 and 100 uJ/bit: the picture's best baseline is not that one.
"$NNPART" sweep "$tmp/we-elimit.yaml" --vary link:edge-cloud.energy --values 10uJ/bit \
    --json >"$tmp/e.json"
check "energy limit at 10 uJ/bit: the least-latency baseline is over it" jq_true \
    '.points[0].baselines | (map(select(.feasible)) | min_by(.latency_s).within_limits) == false' \
    "$tmp/e.json"
run sweep "$tmp/we-elimit.yaml" --vary link:edge-cloud.energy --values 10uJ/bit,100uJ/bit \
    --svg "$tmp/e.svg"
check "energy limit: all on cloud's line says it is over the limits at every point" \
    grep -q '>all on cloud (over the limits at every point)<' "$tmp/e.svg"

finish
