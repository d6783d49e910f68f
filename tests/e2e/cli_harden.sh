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

finish
