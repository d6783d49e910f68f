#!/bin/sh
# Why the latency is what it is, on the command line: solve and eval print
# the critical path and say per layer what it waited for; --json carries
# both (the path's parts add up to the latency); eval --gantt draws the
# timeline with the latency marked on the axis.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml

run solve "$we"
check "solve prints the critical path of the worked example" \
    grep -q '^critical:  compute 1 ms (cloud) + transfer 11 ms (edge-cloud) + weights 700 ms (cloud)$' "$tmp/out"
check "solve's layer table says what each layer waited for" \
    grep -q '^  L2 .* input$' "$tmp/out"

run eval "$we" --place edge,cloud,cloud --json
check "eval --json: the critical path's parts add up to the latency" json_true '
    (.critical_path.compute_s + .critical_path.transfer_s + .critical_path.weights_s - .latency_s
        | fabs) < 1e-12
    and (.critical_path.devices | map(.device) == ["cloud"])
    and (.critical_path.links[0].a == "edge") and (.critical_path.segments | length == 4)
    and (.critical_path.segments[0].start_s == 0)
    and (.critical_path.segments[-1].end_s == .latency_s)'
check "eval --json: what each layer waited for" json_true \
    '[.layers[].waited] == ["weights", "input", "weights"]'

for m in preload ondemand resident; do
    run solve configs/default.yaml --mode "$m" --json
    check "solve --json --mode $m: the critical path adds up to the latency" json_true '
        (.critical_path.compute_s + .critical_path.transfer_s + .critical_path.weights_s
            - .latency_s | fabs) < 1e-9 * .latency_s'
done

run eval "$we" --place edge,cloud,cloud --gantt
check "eval --gantt draws the timeline" grep -q '^cloud load ' "$tmp/out"
check "eval --gantt marks the latency on the axis" grep -q 'T 712 ms' "$tmp/out"
check "eval prints the critical path under the latency" \
    grep -q '^critical path: compute 1 ms (cloud)' "$tmp/out"
run eval "$we" --place edge,cloud,cloud --gantt --json
check "eval --gantt with --json is refused" status_is 2
finish
