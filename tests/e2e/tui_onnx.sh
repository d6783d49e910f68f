#!/bin/sh
# `nnpart MODEL.onnx` in a headless tmux: the explorer opens on the built-in
# devices with the imported units, shows each device's memory bandwidth
# column, edits it like speed (typed, with its unit), and quits cleanly.
. tests/e2e/tui_tap.inc

tui_start s 220 50 "$ROOT/tests/fixtures/onnx/resnet18.onnx"
check s "the explorer opens the model's units" 'layer1\.0'
check s "on the built-in devices, with a memory bandwidth column" 'mem bw'
# The explorer starts in the links pane: back to the devices, first device,
# fourth value (speed, memory, load rate, memory bandwidth); type 15 GB/s
# once the prompt names the field.
t send-keys -t s BTab Right Right Right Enter
wait_for s '^ device:[^ ]*\.memory_bandwidth: *$'
t send-keys -t s '15 GB/s' Enter
check s "a typed memory bandwidth shows with its unit" 'phone .* 15 GB/s'
tui_quit s
check s "it quits (y: without saving)" "^EXITED 0"
check_reports "no sanitizer reports"
finish
