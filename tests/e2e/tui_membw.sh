#!/bin/sh
# The devices' "mem bw" column at 120x40 on the default scenario: it is on
# show (beside the links; the source and sink are marks on the names),
# `l` moves the selection onto it from load rate (and no further), and `+`
# changes the device's memory bandwidth.
. tests/e2e/tui_tap.inc

cp "$ROOT/configs/default.yaml" "$TMP/s.yaml"
tui_start s 120 40 s.yaml
check s "the explorer opens the default scenario" 'latency [0-9]'
check s "at 120x40 the devices pane shows the 'mem bw' header" '^Devices .*load rate  mem bw .*Links'
# The explorer starts in the links pane: back to the devices, first device
# (phone), then from speed three columns right: memory, load rate, mem bw.
# One more l stays on mem bw: it is the last value column.
t send-keys -t s BTab l l l l
# The default devices have no memory bandwidth ("-", which no step changes):
# type one first, on the field the selection names.
t send-keys -t s Enter
check s "l reaches mem bw: Enter edits phone's memory bandwidth" '^ device:phone\.memory_bandwidth: *$'
t send-keys -t s '10 GB/s' Enter
check s "the typed memory bandwidth shows in its column" '^phone .* 80 MB/s    10 GB/s '
t send-keys -t s +
check s "+ doubles it" 'device:phone\.memory_bandwidth: 10 GB/s -> 20 GB/s'
check s "the devices pane shows the doubled value" '^phone .* 80 MB/s    20 GB/s '
tui_quit s
check s "it quits (y: without saving)" "^EXITED 0"
check_reports "no sanitizer reports"
finish
