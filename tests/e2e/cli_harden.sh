#!/bin/sh
# Hardening (issue 8): values the loader accepts never reach a GLPK abort,
# time limits, special files, terminals, untrusted text. Every bad input has
# its exact message and exit status 2.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml

# err_is STATUS MESSAGE: the last run exited with STATUS and its first line
# on stderr is exactly MESSAGE.
err_is() {
    status_is "$1" || return 1
    got=$(head -n 1 "$tmp/err")
    [ "$got" = "$2" ] && return 0
    echo "# got:  $got"
    echo "# want: $2"
    return 1
}

# --- ranges -----------------------------------------------------------------
run sweep configs/default.yaml --vary device:phone.speed --from 5e-324 --to 1e308 --steps 4 --log
check "sweep --from 5e-324 FLOP/s: a range error, not a GLPK abort" err_is 2 \
    "nnpart sweep: --from: speed must be from 1 kFLOP/s to 1000 PFLOP/s, got 4.94e-324 FLOP/s"
run sweep configs/default.yaml --vary device:phone.speed --from 1GFLOP/s --to 1e308 --steps 4 --log
check "sweep --to 1e308 FLOP/s: a range error with a unit" err_is 2 \
    "nnpart sweep: --to: speed must be from 1 kFLOP/s to 1000 PFLOP/s, got 1e+308 FLOP/s"
run sweep "$we" --vary link:edge-cloud.latency --from 0 --to 1e290 --steps 2
check "sweep --to 1e290 s latency: a range error" err_is 2 \
    "nnpart sweep: --to: latency must be from 0 s to 1000 s, got 1e+290 s"
run sweep "$we" --vary device:edge.speed --from 1kFLOP/s --to 1000PFLOP/s --steps 3 --log --json
check "sweep over the whole speed range solves every point" json_true \
    '(.points | length) == 3 and all(.points[]; .status == "optimal" or .status == "feasible")'

# --- time limits --------------------------------------------------------------
run solve "$we" --time-limit 0
check "solve --time-limit 0 is refused, pointing at 'none'" err_is 2 \
    "nnpart solve: --time-limit: 0 s leaves no time to solve; give a time such as '10s', or 'none' for no limit"
run solve "$we" --time-limit 3parsecs
check "solve --time-limit with a bad unit" err_is 2 \
    "nnpart solve: --time-limit: unknown unit 'parsecs' in '3parsecs', expected a time such as '2 ms' (s, ms, us, ns); or 'none' for no limit"
run solve "$we" --time-limit none --json
check "solve --time-limit none solves to optimality" json_true '.status == "optimal"'
run sweep "$we" --vary device:edge.speed --from 1GFLOP/s --to 2GFLOP/s --steps 2 --time-limit 0
check "sweep --time-limit 0 is refused too" err_is 2 \
    "nnpart sweep: --time-limit: 0 s leaves no time to solve; give a time such as '10s', or 'none' for no limit"
run solve --help
check "solve --help documents the default time limit" grep -q 'default 10s; none: no limit' "$tmp/out"

# --- terminals and special files -------------------------------------------------
run "$we" </dev/null
check "the explorer with stdin not a terminal: a clear error, exit 2" err_is 2 \
    "nnpart: the explorer needs a terminal, but standard input is not a terminal."

mkfifo "$tmp/fifo"
run check "$tmp/fifo"
check "a FIFO as the scenario is refused at once, not read forever" err_is 2 \
    "$tmp/fifo: not a regular file (a FIFO); accepted: a scenario file"
run solve "$tmp"
check "a directory as the scenario is refused" err_is 2 \
    "$tmp: not a regular file (a directory); accepted: a scenario file"
run check /dev/zero
check "a device as the scenario is refused" err_is 2 \
    "/dev/zero: not a regular file (a character device); accepted: a scenario file"

# --- bounded time and memory ----------------------------------------------------------
awk 'BEGIN { printf "a: "; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >"$tmp/deep.yaml"
run check "$tmp/deep.yaml"
check "100,000 nested lists: refused at the 65th level with line and column" err_is 2 \
    "$tmp/deep.yaml:1:67: lists and mappings nested 65 deep; at most 64 levels accepted"
{
    printf 'network: alexnet\ndevices: [{name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 MB/s}]\npins:\n'
    awk 'BEGIN { for (i = 0; i < 80000; i++) print "  k" i ": a"; print "  k79999: a" }'
} >"$tmp/pins.yaml"
run check "$tmp/pins.yaml"
check "80,001 pins keys: the duplicate found (sorted, not quadratic)" err_is 2 \
    "$tmp/pins.yaml:80004:3: pins.k79999: duplicate key 'k79999' (first at line 80003, column 3); each key may appear once"
# big L D: L layers on D devices, a star of links around d0.
big() {
    printf 'network:\n  input: 1 kB\n  layers:\n'
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "    - {name: L" i ", flops: 1 GFLOP, weights: 1 MB, output: 1 kB}" }'
    printf 'devices:\n'
    awk -v d="$2" 'BEGIN { for (i = 0; i < d; i++) print "  - {name: d" i ", speed: " (1 + i % 4) " GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}" }'
    printf 'links:\n'
    awk -v d="$2" 'BEGIN { for (i = 1; i < d; i++) print "  - {between: [d0, d" i "], bandwidth: 1 Gbit/s}" }'
}
big 1025 32 >"$tmp/big.yaml"
run solve "$tmp/big.yaml" --time-limit 5s
check "32 devices x 1025 layers: refused with the size limit" err_is 2 \
    "$tmp/big.yaml:2:3: network: 1025 layers on 32 devices is too large to solve in bounded time and memory; accepted: layers x devices x devices at most 1048576 (e.g. 1024 layers on 32 devices, 4096 on 16, 4096 on 4)"
# Past the ILP's size (64 layers on 32 devices) the label engine runs alone;
# what only the ILP answers is refused with the ILP's size.
big 65 32 >"$tmp/past-ilp.yaml"
run solve "$tmp/past-ilp.yaml" --time-limit 2s --json
check "32 devices x 65 layers: the label engine alone, and JSON says why" json_true \
    '.engine == "labels" and .ilp_time_s == null and (.engine_note | startswith("the ILP did not run: 65 layers on 32 devices is more than its size (layers x devices x devices at most 65536)"))'
ilp_refused="$tmp/past-ilp.yaml:2:3: network: 65 layers on 32 devices is too large to solve in bounded time and memory; accepted: layers x devices x devices at most 65536 (e.g. 64 layers on 32 devices, 256 on 16, 4096 on 4)"
run solve "$tmp/past-ilp.yaml" --engine ilp
check "32 devices x 65 layers, --engine ilp: refused with the ILP's size" err_is 2 "$ilp_refused"
run solve "$tmp/past-ilp.yaml" --objective throughput --time-limit 2s --json
check "32 devices x 65 layers, --objective throughput: the throughput engine's, solved" json_true \
    '.engine == "labels" and (.status == "optimal" or .status == "feasible")'
run solve "$tmp/past-ilp.yaml" --objective energy --time-limit 2s --json
check "32 devices x 65 layers, --objective energy: the label engine's, solved" json_true \
    '.engine == "labels" and (.status == "optimal" or .status == "feasible")'
run solve "$tmp/past-ilp.yaml" --write-lp "$tmp/past.lp"
check "32 devices x 65 layers, --write-lp: refused, no file written" sh -c \
    "[ $rc = 2 ] && [ \"\$(head -n 1 '$tmp/err')\" = '$ilp_refused' ] && [ ! -e '$tmp/past.lp' ]"
{ cat "$tmp/past-ilp.yaml"; printf 'stages: contiguous\n'; } >"$tmp/past-stages.yaml"
stages_refused=$(printf '%s' "$ilp_refused" | sed "s|past-ilp.yaml|past-stages.yaml|")
run solve "$tmp/past-stages.yaml"
check "32 devices x 65 layers, stages: contiguous (the ILP's): refused" err_is 2 "$stages_refused"
run pareto "$tmp/past-stages.yaml"
check "32 devices x 65 layers, pareto with contiguous stages: refused" err_is 2 "$stages_refused"
run sweep "$tmp/past-ilp.yaml" --vary device:d1.speed --from 1GFLOP/s --to 2GFLOP/s --steps 2 --engine ilp
check "32 devices x 65 layers, sweep --engine ilp: refused" err_is 2 "$ilp_refused"
big 64 32 >"$tmp/at-ilp.yaml"
run solve "$tmp/at-ilp.yaml" --mode resident --time-limit 2s --json
check "32 devices x 64 layers: within the ILP's size, no engine note" json_true \
    '.engine_note == "" and (.status == "optimal" or .status == "feasible")'
COLUMNS=30000000 "$NNPART" solve "$we" --gantt >"$tmp/out" 2>"$tmp/err"
rc=$?
check "COLUMNS=30000000: the timeline is capped at 1000 columns" sh -c \
    "[ $rc = 0 ] && [ \$(LC_ALL=C.UTF-8 wc -L <'$tmp/out') -le 1000 ]"


# --- untrusted text ------------------------------------------------------------------
printf 'name: "\\e]2;pwned\\a"\nnetwork: alexnet\ndevices: [{name: "ph\\u202eone", speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 MB/s}]\n' >"$tmp/evil.yaml"
run check "$tmp/evil.yaml"
check "check: a name with ESC ] 2 ; BEL prints escaped, nothing raw" sh -c \
    "[ $rc = 0 ] && grep -qF 'scenario: \\x1b]2;pwned\\x07' '$tmp/out' && ! grep -q \"\$(printf '\\033')\" '$tmp/out'"
check "check: a right-to-left override in a device name prints as \\u202e, columns aligned" sh -c \
    "grep -qF '  ph\\u202eone  edge' '$tmp/out' && ! grep -q \"\$(printf '\\342\\200\\256')\" '$tmp/out'"
run solve "$tmp/evil.yaml" --json
check "solve --json: the name stays valid JSON with its escapes" json_true '.scenario == "\u001b]2;pwned\u0007"'
printf 'mode: "\\u009b31m"\nnetwork: alexnet\ndevices: [{name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 MB/s}]\n' >"$tmp/c1.yaml"
run check "$tmp/c1.yaml"
check "an unknown mode with U+009B (CSI) is echoed escaped" err_is 2 \
    "$tmp/c1.yaml:1:7: mode: unknown mode '\\u009b31m'; accepted: preload, ondemand, resident"
printf 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' >"$tmp/passwd"
run check "$tmp/passwd"
check "a password file: refused without echoing a byte of it" err_is 2 \
    "$tmp/passwd:1:1: (top level): expected a mapping with keys name, network, mode, objective, latency_limit, energy_limit, stages, source, sink, devices, links, pins, profiles; found a single value"
printf 'root: "*:20228:0:99999:7:::"\ndaemon: "*:20228:0:99999:7:::"\n' >"$tmp/shadow"
run check "$tmp/shadow"
check "a mapping without one scenario key: refused without echoing its keys" err_is 2 \
    "$tmp/shadow:1:1: not a scenario file: none of its keys is a scenario key; accepted: a YAML mapping with keys name, network, mode, objective, latency_limit, energy_limit, stages, source, sink, devices, links, pins, profiles"
check "... and no line of it on stdout or stderr" sh -c "! grep -q 'root\|daemon\|20228' '$tmp/out' '$tmp/err'"
if [ -r /etc/shadow ]; then
    run check /etc/shadow
    check "nnpart check /etc/shadow does not print its first line" sh -c \
        "[ $rc = 2 ] && ! grep -qF \"\$(head -n 1 /etc/shadow | cut -c1-20)\" '$tmp/err'"
fi


# --- smaller things ----------------------------------------------------------------------
run eval "$we" --place 'edge*2,cloud*99999999999999999999'
check "--place with a count past any network: the real problem, not a clamped count" err_is 2 \
    "nnpart eval: --place: the count in 'cloud*99999999999999999999' is more than the network 'worked' has layers (3)"
run eval "$we" --place edge --place cloud
check "a repeated option is an error, not the last one silently" err_is 2 \
    "nnpart eval: option '--place' given twice"
run solve "$we" --json --json
check "a repeated flag too" err_is 2 "nnpart solve: option '--json' given twice"
run "$we" extra
check "nnpart FILE extra says what is wrong" err_is 2 \
    "nnpart: unexpected argument 'extra' after the file '$we'; the explorer opens one file, and a command comes first (nnpart COMMAND FILE ...)"

finish
