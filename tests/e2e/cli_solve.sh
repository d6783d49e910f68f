#!/bin/sh
# `nnpart solve`: the worked example's optimum in each mode, the JSON fields
# the issue lists, baselines, --gantt, --write-lp, infeasible scenarios, and
# `eval` of infeasible placements with their reasons.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml

# mode placement latency_s, from MODEL.md
while read -r mode place want; do
    run solve "$we" --mode "$mode" --json
    got=$(jq -r '.latency_s' "$tmp/out" 2>/dev/null)
    if status_is 0 && near "$got" "$want" &&
        json_true '.status == "optimal" and .feasible and (.placement | join(",")) == $p' \
            --arg p "$place"; then
        ok "solve --mode $mode: $place, $want s"
    else
        not_ok "solve --mode $mode: $place, $want s (got '$got')"
    fi
done <<'TABLE'
preload edge,cloud,cloud 0.712
ondemand cloud,cloud,cloud 0.843
resident cloud,cloud,cloud 0.133
TABLE

run solve "$we" --json
check "solve --json has eval's fields and the solver's" json_true '
    (.mode == "preload") and (.gap == 0) and (.solve_time_s >= 0)
    and (.engine == "labels" or .engine == "ilp") and (.labels_time_s >= 0)
    and (if .engine == "ilp" then (.rows > 0) and (.cols > 0) else true end)
    and (.layers | length == 3) and all(.layers[]; has("name") and has("device")
        and has("start_s") and has("finish_s"))
    and (.reasons == [])'
check "solve --json: the tie-break finished (canonical, second key least, its time)" json_true '
    .tiebreak.canonical == true and .tiebreak.second_key_minimal == true
    and .tiebreak.time_s >= 0 and .tiebreak.time_s <= .solve_time_s'
check "solve --json baselines: name, latency_s, feasible; none beats the optimum" json_true '
    .latency_s as $opt
    | (.baselines | length > 0)
    and all(.baselines[]; has("name") and has("latency_s") and has("feasible"))
    and all(.baselines[] | select(.feasible); .latency_s >= $opt * (1 - 1e-9))'
check "solve --json: all on the edge is a baseline at 7.2 s" json_true '
    any(.baselines[]; .feasible and .placement == ["edge","edge","edge"]
                      and ((.latency_s - 7.2) | fabs) < 1e-9 * 7.2)'

run solve "$we"
check "solve text: status, latency with unit, placement, baselines" sh -c "[ $rc = 0 ] &&
    grep -q '^status: *optimal' '$tmp/out' && grep -q '^latency: *712 ms' '$tmp/out' &&
    grep -Eq '^placement: *edge.1 cloud.2$' '$tmp/out' && grep -q '^baselines' '$tmp/out'"

COLUMNS=80 run solve "$we" --gantt
check "solve --gantt draws lanes for both devices and an axis in ms" sh -c "[ $rc = 0 ] &&
    grep -q '^edge' '$tmp/out' && grep -q '^cloud' '$tmp/out' && grep -q '700 ms' '$tmp/out'"
run solve "$we" --gantt --json
check "--gantt with --json: exit 2" status_is 2

run solve "$we" --write-lp "$tmp/model.lp"
check "--write-lp writes a CPLEX LP file" sh -c \
    "[ $rc = 0 ] && grep -qi '^minimize' '$tmp/model.lp' && grep -qi '^end' '$tmp/model.lp'"
run solve "$we" --write-lp "$tmp/no/such/dir/model.lp"
check "--write-lp into a missing directory: exit 2" status_is 2
run solve "$we" --time-limit 10s --json
check "--time-limit 10s still finds the optimum" json_true '.status == "optimal"'

# Memory too small for the whole network anywhere: infeasible, exit 1.
sed 's/memory: 100 MB/memory: 5 MB/; s/memory: 1000 MB/memory: 5 MB/' "$we" >"$tmp/tiny.yaml"
run solve "$tmp/tiny.yaml" --json
check "infeasible scenario: exit 1, status infeasible, valid JSON" json_status 1 \
    '.status == "infeasible" and .feasible == false and .latency_s == null
     and .tiebreak == null'

run solve "$tmp/tiny.yaml"
check "infeasible scenario, text: exit 1, says infeasible" sh -c \
    "[ $rc = 1 ] && grep -q 'infeasible' '$tmp/out'"

# eval of infeasible placements: exit 1 and every reason.
sed 's/memory: 100 MB/memory: 10 MB/' "$we" >"$tmp/small-edge.yaml"
run eval "$tmp/small-edge.yaml" --place edge --json
check "eval over memory: exit 1, a memory reason naming the device" json_status 1 '
    .feasible == false and any(.reasons[]; .kind == "memory" and .device == "edge"
                                           and .over_bytes > 0)'
run eval "$tmp/small-edge.yaml" --place edge
check "eval over memory, text: lists the reason" sh -c \
    "[ $rc = 1 ] && grep -q '^infeasible' '$tmp/out' && grep -q 'edge needs' '$tmp/out'"
{ cat "$we"; printf 'pins:\n  L3: edge\n'; } >"$tmp/pinned.yaml"
run eval "$tmp/pinned.yaml" --place cloud --json
check "eval against a pin: exit 1, a pin reason for L3" json_status 1 \
    'any(.reasons[]; .kind == "pin" and .layer == "L3")'
run solve "$tmp/pinned.yaml" --json
check "solve respects the pin" json_true '.placement[2] == "edge" and .feasible'

finish
