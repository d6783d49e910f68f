#!/bin/sh
# The command line's contract: help and version, exit statuses (0 ok,
# 1 infeasible, 2 bad input or usage), messages that name file:line:column,
# `check` on every shipped scenario, the zoo's JSON, the explorer refusing
# to draw into a pipe.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml

run --version
check "--version prints the version" grep -Eq '^nnpart [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"
run --help
check "--help exits 0 and lists every command" sh -c \
    "[ $rc = 0 ] && for c in explore check zoo presets eval solve sweep; do grep -q \"^  \$c \" '$tmp/out' || exit 1; done"
for c in explore check zoo presets eval solve sweep; do
    run "$c" --help
    check "$c --help exits 0 with its usage" sh -c "[ $rc = 0 ] && grep -q '^usage: nnpart $c' '$tmp/out'"
done

run frobnicate "$we"
check "unknown command: exit 2, message and usage on stderr" sh -c \
    "[ $rc = 2 ] && grep -q \"unknown command 'frobnicate'\" '$tmp/err' && grep -q '^usage:' '$tmp/err'"
run --frobnicate
check "unknown global option: exit 2" status_is 2
run eval "$we" --place edge --bogus
check "unknown option of a command: exit 2, names it" sh -c \
    "[ $rc = 2 ] && grep -q \"unknown option '--bogus'\" '$tmp/err' && grep -q '^usage: nnpart eval' '$tmp/err'"
run eval "$we"
check "eval without --place: exit 2" status_is 2
run eval "$we" --place edge,cloud
check "eval with too few devices: exit 2, says how many layers" sh -c \
    "[ $rc = 2 ] && grep -q '2 devices but the network .* has 3 layers' '$tmp/err'"
run eval "$we" --place edge,clod,cloud
check "eval with an unknown device: exit 2, lists the devices" sh -c \
    "[ $rc = 2 ] && grep -q \"no device named 'clod' (devices: edge, cloud)\" '$tmp/err'"
run eval "$we" --place edge --mode fastest
check "unknown mode: exit 2, lists the modes" sh -c \
    "[ $rc = 2 ] && grep -q 'preload, ondemand, resident' '$tmp/err'"
run solve "$we" --time-limit soon
check "--time-limit without a time: exit 2" status_is 2
run check
check "check without a file: exit 2" status_is 2
run check "$tmp/missing.yaml"
check "missing file: exit 2, message names it" sh -c "[ $rc = 2 ] && grep -q '$tmp/missing.yaml' '$tmp/err'"

# Bad scenario files: exit 2 and the loader's message, FILE:LINE:COL first.
sed 's/speed: 1 GFLOP/speeed: 1 GFLOP/' "$we" >"$tmp/typo.yaml"
sed 's#speed: 1 GFLOP/s#speed: 3 ms#' "$we" >"$tmp/unit.yaml"
sed 's#memory: 100 MB#memory: -5 MB#' "$we" >"$tmp/negative.yaml"
printf 'name: [\n' >"$tmp/syntax.yaml"
for f in typo unit negative syntax; do
    for c in check "eval --place edge" solve; do
        # shellcheck disable=SC2086
        run $c "$tmp/$f.yaml"
        check "$f.yaml: '$c' exits 2 with $f.yaml:LINE:COL on stderr" sh -c \
            "[ $rc = 2 ] && grep -Eq '^$tmp/$f.yaml:[0-9]+:[0-9]+: ' '$tmp/err' && [ ! -s '$tmp/out' ]"
    done
done
run check "$tmp/typo.yaml"
check "a typo gets the closest key" grep -q "did you mean 'speed'" "$tmp/err"

# Every shipped scenario is valid.
for f in configs/*.yaml; do
    run check "$f"
    check "check $f" sh -c "[ $rc = 0 ] && grep -q ': ok$' '$tmp/out'"
done
run check "$we"
check "check summarises devices and links with units" sh -c \
    "grep -q '1 GFLOP/s' '$tmp/out' && grep -q '8 Mbit/s' '$tmp/out' && grep -q '10 MB/s' '$tmp/out'"

# The zoo.
run zoo --json
check "zoo --json lists every network" json_true 'length >= 7 and all(.[]; .params > 0 and .macs > 0)'
run zoo alexnet --json
check "zoo alexnet --json: torchvision's 61,100,840 parameters" json_true \
    '.name != null and .totals.params == 61100840 and .totals.flops == 2 * .totals.macs'
check "zoo alexnet --json: totals are the sums of the layers" json_true '
    .totals.params == ([.layers[].params] | add) and .totals.macs == ([.layers[].macs] | add)
    and .totals.weight_bytes == ([.layers[].weight_bytes] | add)
    and all(.layers[]; has("name") and has("type") and has("output_shape") and has("flops")
                       and has("output_bytes"))'
check "zoo alexnet --json: output shape of the classifier is [1000]" json_true \
    '.layers[-1].output_shape == [1000]'
run zoo resnet50 --json
check "zoo resnet50 --json: 25,557,032 parameters" json_true '.totals.params == 25557032'
run zoo ResNet-18
check "zoo NAME ignores case and -/_, prints a total row" sh -c \
    "[ $rc = 0 ] && grep -q '^total ' '$tmp/out' && grep -q '46.8 MB' '$tmp/out'"
run zoo nosuchnet
check "zoo with an unknown name: exit 2, lists the zoo" sh -c \
    "[ $rc = 2 ] && grep -q 'alexnet' '$tmp/err'"

# The presets scenario files may name.
run presets --json
check "presets --json: devices and links with their numbers and reasons" json_true '
    (.devices | length) > 0 and (.links | length) > 0
    and all(.devices[]; .speed_flop_s > 0 and .memory_bytes > 0 and (.rationale | length) > 0)
    and all(.links[]; .bandwidth_bit_s > 0 and .latency_s >= 0)'
run presets
check "presets text shows units" sh -c "[ $rc = 0 ] && grep -q 'GFLOP/s' '$tmp/out' && grep -q 'Mbit/s' '$tmp/out'"

# The explorer needs a terminal.
run "$we"
check "nnpart FILE into a pipe: exit 2 and says why" sh -c \
    "[ $rc = 2 ] && grep -q 'needs a terminal' '$tmp/err'"
run
check "nnpart alone into a pipe: exit 2" status_is 2

# Names with quotes, backslashes and control characters survive JSON.
{
    printf 'name: "say \\"hi\\" \\\\ tab\\there"\n'
    sed '/^name:/d' "$we"
} >"$tmp/quoted.yaml"
run eval "$tmp/quoted.yaml" --place edge --json
check "a name with quote, backslash and tab comes back intact from JSON" json_true \
    '.scenario == "say \"hi\" \\ tab\there"'

# Every JSON output parses.
for args in "zoo --json" "zoo gpt2 --json" "presets --json" "eval $we --place edge,cloud,cloud --json" \
    "solve $we --json" "sweep $we --vary device:cloud.speed --from 1GFLOP/s --to 1TFLOP/s --steps 3 --json"; do
    # shellcheck disable=SC2086
    run $args
    check "valid JSON: nnpart $args" json_valid
done

finish
