#!/bin/sh
# make bench-adversarial: generates each adversarial input of issue 8 and
# runs nnpart on it, printing the exit status, the median wall time of 3 runs
# and the peak RSS (GNU time). Target: every one under 2 s and 200 MB, and a
# --time-limit bounds the whole run (loading, model building, baselines):
# the last column gives the time over the limit.
# Usage: sh bench/adversarial.sh [NNPART]
NNPART=${1:-build/nnpart}
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
trap 'if [ -n "${KEEP:-}" ]; then echo "# inputs kept in $tmp" >&2; else rm -rf "$tmp"; fi' EXIT
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
we=configs/worked-example.yaml

devices_we='devices:
  - {name: edge, tier: edge, speed: 1 GFLOP/s, memory: 100 MB, load_rate: 10 MB/s}
  - {name: cloud, tier: cloud, speed: 100 GFLOP/s, memory: 1000 MB, load_rate: 100 MB/s}
links:
  - {between: [edge, cloud], bandwidth: 8 Mbit/s, latency: 10 ms}
source: edge
sink: edge'

# identical N: N identical raw layers on the worked example's devices.
identical() {
    printf 'network:\n  name: same\n  input: 100000 B\n  layers:\n'
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "    - {name: L" i ", flops: 1e8, weights: 1 MB, output: 200 kB}" }'
    printf '%s\n' "$devices_we"
}
awk 'BEGIN { printf "a: "; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >"$tmp/deep-100k.yaml"
awk 'BEGIN { printf "a: "; for (i = 0; i < 1000000; i++) printf "["; for (i = 0; i < 1000000; i++) printf "]"; print "" }' >"$tmp/deep-1m.yaml"
{
    printf 'network: alexnet\ndevices: [{name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 MB/s}]\npins:\n'
    awk 'BEGIN { for (i = 0; i < 80000; i++) print "  k" i ": a" }'
} >"$tmp/pins-80k.yaml"
identical 100 >"$tmp/identical-100.yaml"
identical 200 >"$tmp/identical-200.yaml"
{
    printf 'network:\n  input: 1 kB\n  layers:\n'
    awk 'BEGIN { for (i = 0; i < 4096; i++) print "    - {name: L" i ", flops: 1 GFLOP, output: 1 kB}" }'
    printf 'devices:\n'
    awk 'BEGIN { for (i = 0; i < 32; i++) print "  - {name: d" i ", speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}" }'
} >"$tmp/big-32x4096.yaml"
{
    # The largest size accepted: 4096 layers on 4 devices.
    printf 'network:\n  input: 1 kB\n  layers:\n'
    awk 'BEGIN { for (i = 0; i < 4096; i++) print "    - {name: L" i ", flops: " (1 + i % 7) " GFLOP, weights: " (1 + i % 5) " MB, output: " (1 + i % 3) " kB}" }'
    printf 'devices:\n'
    awk 'BEGIN { for (i = 0; i < 4; i++) print "  - {name: d" i ", speed: " (1 + 3 * i) " GFLOP/s, memory: 10 GB, load_rate: 1 GB/s}" }'
    printf 'links:\n  - {between: [d0, d1], bandwidth: 1 Gbit/s}\n  - {between: [d1, d2], bandwidth: 1 Gbit/s}\n  - {between: [d2, d3], bandwidth: 1 Gbit/s}\n'
} >"$tmp/largest-4x4096.yaml"
# The same with memory to spare: every baseline and the DP have work to do.
sed 's/memory: 10 GB/memory: 100 GB/' "$tmp/largest-4x4096.yaml" >"$tmp/largest-roomy.yaml"
{
    # The largest size accepted on 32 devices (the label engine alone, past
    # the ILP's 64 layers): 1024 layers, a star of links around d0.
    printf 'network:\n  input: 1 kB\n  layers:\n'
    awk 'BEGIN { for (i = 0; i < 1024; i++) print "    - {name: L" i ", flops: " (1 + i % 7) " GFLOP, weights: " (1 + i % 5) " MB, output: " (1 + i % 3) " kB}" }'
    printf 'devices:\n'
    awk 'BEGIN { for (i = 0; i < 32; i++) print "  - {name: d" i ", speed: " (1 + i % 4) " GFLOP/s, memory: " (1 + i % 3) " GB, load_rate: 1 GB/s}" }'
    printf 'links:\n'
    awk 'BEGIN { for (i = 1; i < 32; i++) print "  - {between: [d0, d" i "], bandwidth: 1 Gbit/s, latency: 1 ms}" }'
} >"$tmp/largest-32x1024.yaml"
cat >"$tmp/extreme-corners.yaml" <<'YAML'
# Every number at an end of its accepted range.
network:
  input: 10 TB
  layers:
    - {name: huge, flops: 1000 PFLOP, weights: 10 TB, output: 10 TB}
    - {name: tiny, flops: 0, weights: 0 B, output: 0 B, profile: {slow: 1000 s, fast: 0 s}}
    - {name: mid, flops: 1 FLOP, weights: 1 B, output: 1 B}
devices:
  - {name: slow, speed: 1 kFLOP/s, memory: 100 TB, load_rate: 1 kB/s}
  - {name: fast, speed: 1000 PFLOP/s, memory: 100 TB, load_rate: 100 TB/s}
  - {name: small, speed: 1000 PFLOP/s, memory: 1 kB, load_rate: 100 TB/s}
links:
  - {between: [slow, fast], bandwidth: 100 bit/s, reverse_bandwidth: 100 Tbit/s, latency: 1000 s}
  - {between: [fast, small], bandwidth: 100 Tbit/s, latency: 0 s}
YAML

# case NAME EXPECTED-STATUS ENV... -- ARGS...
printf '| input | command | exit | median time | peak RSS | under 2 s and 200 MB | over the limit |\n|---|---|---|---|---|---|---|\n'
case_run() {
    name=$1
    envs=$2
    shift 2
    times=""
    rss=0
    for i in $(seq "$RUNS"); do
        # shellcheck disable=SC2086
        env $envs /usr/bin/time -f "%e %M" -o "$tmp/time" "$NNPART" "$@" >/dev/null 2>"$tmp/err"
        st=$?
        # GNU time puts "Command exited with non-zero status N" first.
        t=$(tail -n 1 "$tmp/time" | cut -d' ' -f1)
        m=$(tail -n 1 "$tmp/time" | cut -d' ' -f2)
        times="$times $t"
        [ "$m" -gt "$rss" ] && rss=$m
    done
    med=$(printf '%s\n' $times | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    verdict=$(awk -v t="$med" -v m="$rss" 'BEGIN { print (t < 2 && m < 200 * 1024) ? "yes" : "**no**" }')
    # The limit given, else solve's and sweep's default (10 s), else none.
    limit=$(printf '%s\n' "$@" | awk 'p { print; exit } $0 == "--time-limit" { p = 1 }')
    case "$1:$limit" in
    solve: | sweep:) limit=10s ;;
    *:) limit= ;;
    esac
    over=-
    if [ -n "$limit" ]; then
        over=$(printf '%s' "$limit" | awk -v t="$med" '{ v = $0 + 0; if ($0 ~ /ms$/) v /= 1000;
            d = t - v; if (d <= 0) print "within"; else printf "+%.2f s", d }')
    fi
    shown=$(printf '%s' "$*" | sed "s|$tmp/||g")
    printf '| %s | `%snnpart %s` | %s | %s s | %s MB |%s | %s |\n' "$name" "${envs:+$envs }" "$shown" "$st" "$med" \
        "$(awk -v m="$rss" 'BEGIN { printf "%.0f", m / 1024 }')" " $verdict" "$over"
}
case_run "100,000 nested lists" "" check "$tmp/deep-100k.yaml"
case_run "1,000,000 nested lists" "" check "$tmp/deep-1m.yaml"
case_run "80,000 pins keys" "" check "$tmp/pins-80k.yaml"
case_run "COLUMNS=30000000" "COLUMNS=30000000" solve "$we" --gantt
case_run "100 identical raw layers, 2 devices" "" solve "$tmp/identical-100.yaml"
case_run "200 identical raw layers, 2 devices" "" solve "$tmp/identical-200.yaml"
case_run "200 identical layers, --time-limit 1s" "" solve "$tmp/identical-200.yaml" --time-limit 1s
case_run "32 devices x 4096 layers" "" solve "$tmp/big-32x4096.yaml" --time-limit 5s
case_run "4 devices x 4096 layers (largest accepted)" "" solve "$tmp/largest-4x4096.yaml" --time-limit 1s
case_run "largest, --time-limit 100ms" "" solve "$tmp/largest-4x4096.yaml" --time-limit 100ms
case_run "largest, --time-limit 3s" "" solve "$tmp/largest-4x4096.yaml" --time-limit 3s
case_run "largest with memory to spare, --time-limit 1s" "" solve "$tmp/largest-roomy.yaml" --time-limit 1s
case_run "largest with memory to spare, default limit" "" solve "$tmp/largest-roomy.yaml"
case_run "largest, --engine ilp --time-limit 1s" "" solve "$tmp/largest-4x4096.yaml" --engine ilp --time-limit 1s
case_run "32 devices x 1024 layers (largest on 32), --time-limit 1s" "" solve "$tmp/largest-32x1024.yaml" --time-limit 1s
case_run "32 devices x 1024 layers, default limit" "" solve "$tmp/largest-32x1024.yaml"
case_run "32 devices x 1024 layers, --engine ilp" "" solve "$tmp/largest-32x1024.yaml" --engine ilp
case_run "every number at a range end" "" solve "$tmp/extreme-corners.yaml"
case_run "sweep 5e-324 to 1e308 FLOP/s" "" sweep configs/default.yaml --vary device:phone.speed --from 5e-324 --to 1e308 --steps 4 --log
