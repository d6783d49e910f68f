#!/bin/sh
# ONNX models on the command line: nnpart import (YAML, JSON, -o without
# clobbering), a scenario naming a model, check/eval/solve/sweep on it, a
# model given where a scenario goes, and bad files with their messages.
. "$(dirname "$0")/cli_tap.inc"
fx=tests/fixtures/onnx
cfg=$fx/scenario.yaml

run import $fx/resnet18.onnx
check "import prints a scenario with 13 units" sh -c \
    "[ $rc = 0 ] && [ \$(grep -c '^    - {name: ' '$tmp/out') = 13 ] && grep -q '^    - {name: layer1.0, flops: 462.422016 MFLOP, weights: 295.424 kB, output: 802.816 kB, shape: \[64, 56, 56\]}' '$tmp/out'"
cp "$tmp/out" "$tmp/r18.yaml"
run check "$tmp/r18.yaml"
check "the printed scenario loads" status_is 0
run import $fx/resnet18.onnx --json
check "--json: zoo's form, totals and 13 layers" json_true \
    '.name == "resnet18" and .totals.macs == 1814073344 and (.layers | length) == 13 and .layers[2].name == "layer1.0" and .layers[2].output_bytes == 802816'
run import $fx/gpt_tiny.onnx --json
check "--json: the tied head uses the shared embedding" json_true \
    '.shared[0].name == "wte.weight" and .layers[-1].uses == ["wte.weight"] and .layers[-1].weight_bytes == 0'
run import $fx/vit_b_16.onnx --granularity ops --json
check "--granularity ops: one unit per op that depends on the input" json_true '(.layers | length) == 500'
run import $fx/vit_b_16.onnx --granularity 4 --json
check "--granularity 4: at most 4 units, the same MACs" json_true \
    '(.layers | length) == 4 and .totals.macs == 17563828224'
run import $fx/vit_b_16.onnx --granularity fine
check "--granularity fine: exit 2 with the accepted forms" sh -c \
    "[ $rc = 2 ] && grep -q \"granularity 'fine': accepted: auto\" '$tmp/err'"

run import $fx/resnet18.onnx -o "$tmp/net.yaml"
check "-o writes the file" sh -c "[ $rc = 0 ] && cmp -s '$tmp/net.yaml' '$tmp/r18.yaml'"
echo "keep me" >"$tmp/net.yaml"
run import $fx/resnet18.onnx -o "$tmp/net.yaml"
check "-o never overwrites without --force" sh -c \
    "[ $rc = 2 ] && grep -q 'exists; give --force' '$tmp/err' && [ \"\$(cat '$tmp/net.yaml')\" = 'keep me' ]"
run import $fx/resnet18.onnx -o "$tmp/net.yaml" --force
check "-o --force replaces it" sh -c "[ $rc = 0 ] && cmp -s '$tmp/net.yaml' '$tmp/r18.yaml'"
cp $fx/resnet18.onnx "$tmp/self.onnx"
run import "$tmp/self.onnx" -o "$tmp/self.onnx" --force
check "-o onto the model being read, even with --force: exit 2, kept" sh -c "[ $rc = 2 ] &&
    grep -qx \"nnpart import: -o: '$tmp/self.onnx' is the model being read; choose another file\" '$tmp/err' &&
    cmp -s $fx/resnet18.onnx '$tmp/self.onnx'"

run check $cfg
check "a scenario naming a model: check" sh -c \
    "[ $rc = 0 ] && grep -q 'network:  resnet18 (onnx: resnet18.onnx), 13 layers' '$tmp/out'"
run solve $cfg --json
check "solve on it: optimal, one device per unit" json_true \
    '.status == "optimal" and (.placement | length) == 13'
run eval $cfg --place phone --json
check "eval on it" json_true '.feasible == true and (.layers | length) == 13'
run sweep $cfg --vary link:phone-hub.bandwidth --from 1Mbit/s --to 1Gbit/s --steps 3 --log --csv
check "sweep on it" sh -c "[ $rc = 0 ] && [ \$(wc -l < '$tmp/out') -ge 4 ]"
run check $fx/resnet18.onnx
check "a model where a scenario goes: the built-in devices" sh -c \
    "[ $rc = 0 ] && grep -q '13 layers' '$tmp/out' && grep -q 'phone' '$tmp/out'"

mkdir -p "$tmp/sub"
printf 'network: {onnx: missing.onnx}\ndevices:\n  - {name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n' >"$tmp/sub/s.yaml"
run check "$tmp/sub/s.yaml"
check "a missing model: file:line:col, exit 2" sh -c \
    "[ $rc = 2 ] && grep -q \"s.yaml:1:17: network.onnx: $tmp/sub/missing.onnx: cannot open: No such file or directory\" '$tmp/err'"
printf 'hello, not a model\n' >"$tmp/x.onnx"
run import "$tmp/x.onnx"
check "not protobuf: exit 2 and says so" sh -c \
    "[ $rc = 2 ] && grep -q 'not an ONNX model: the file is not a protobuf ModelProto' '$tmp/err'"
head -c 4000 $fx/resnet18.onnx >"$tmp/cut.onnx"
run import "$tmp/cut.onnx"
check "truncated: exit 2 and says so" sh -c \
    "[ $rc = 2 ] && grep -q 'truncated or corrupt' '$tmp/err'"
finish
