#!/bin/sh
# MODEL.md's worked example through `nnpart eval --json`: all twelve
# latencies (4 placements x 3 modes) to 1e-9 relative, and the timeline of
# the preload optimum.
. "$(dirname "$0")/cli_tap.inc"
file=configs/worked-example.yaml

# placement mode latency_s, from MODEL.md's table
while read -r place mode want; do
    run eval "$file" --place "$place" --mode "$mode" --json
    got=$(jq -r '.latency_s' "$tmp/out" 2>/dev/null)
    if status_is 0 && near "$got" "$want" && json_true '.feasible and .mode == $m' --arg m "$mode"; then
        ok "eval $place $mode = $want s"
    else
        not_ok "eval $place $mode = $want s (got '$got')"
    fi
done <<'TABLE'
edge,edge,edge preload 7.2
edge,edge,edge ondemand 8.3
edge,edge,edge resident 1.2
edge,cloud,cloud preload 0.712
edge,cloud,cloud ondemand 1.132
edge,cloud,cloud resident 0.332
cloud,cloud,cloud preload 0.722
cloud,cloud,cloud ondemand 0.843
cloud,cloud,cloud resident 0.133
edge,edge,cloud preload 3.132
edge,edge,cloud ondemand 3.732
edge,edge,cloud resident 1.132
TABLE

# The preload optimum, step by step (MODEL.md): L1 on the edge 0.1-0.2 s,
# its 200 kB reach the cloud at 0.41 s, L3 waits for its weights until 0.7 s.
run eval "$file" --place edge,cloud,cloud --json
check "timeline of edge,cloud,cloud" json_true '
    [.layers[] | .name, .device] == ["L1","edge","L2","cloud","L3","cloud"]
    and (.layers[1].arrive_s - 0.41 | fabs) < 1e-12
    and (.layers[2].ready_s - 0.7 | fabs) < 1e-12
    and (.layers[2].finish_s - 0.701 | fabs) < 1e-12
    and .placement == ["edge","cloud","cloud"] and .reasons == []'
check "two transfers: L1's output up, L3's output back" json_true '
    [.transfers[] | [.from, .to, .bytes]] == [["edge","cloud",200000],["cloud","edge",1000]]'
check "preload streams every layer's weights from time 0 per device" json_true '
    [.loads[] | [.device, .layer, .start_s]] == [["edge","L1",0],["cloud","L2",0],["cloud","L3",0.2]]'

# The same placement written run-length and as a single name for all layers.
run eval "$file" --place 'edge*1,cloud*2' --json
check "--place 'edge*1,cloud*2' is edge,cloud,cloud" json_true '.placement == ["edge","cloud","cloud"]'
run eval "$file" --place cloud --mode resident --json
got=$(jq -r '.latency_s' "$tmp/out")
check "--place cloud puts every layer there (133 ms resident)" near "$got" 0.133

# The text form shows the latency with its unit.
run eval "$file" --place edge,cloud,cloud
check "text output ends with the latency in ms" grep -q '^latency: 712 ms (preload)$' "$tmp/out"

finish
