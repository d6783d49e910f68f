#!/bin/sh
# The source and sink on show at every size: a mark on the device's name in
# the Devices pane ("phone in+out": the input starts and the result must
# arrive there), at 80x24, 100x30, 120x40, 140x40 and 200x50 on the default
# and on configs/gpt2-home.yaml; i and o move them, the message says from
# where to where, and the marks follow. TAP lines.
. tests/e2e/tui_tap.inc
SIZES="80x24 100x30 120x40 140x40 200x50"
at_sizes() { # SESSION WHAT REGEX: the regex shows at every size
    for size in $SIZES; do
        t resize-window -t "$1" -x "${size%x*}" -y "${size#*x}"
        check "$1" "$2 at $size" "$3"
    done
}

for f in default gpt2-home; do
    cp "configs/$f.yaml" "$TMP/$f.yaml"
done
tui_start s 80 24 default.yaml
check s "the explorer opens the default scenario" 'latency [0-9]'
at_sizes s "the phone is marked as source and sink" '^phone in+out  '
# From the links pane (the start) to the devices; the hub becomes the sink.
t send-keys -t s BTab j o
check s "o makes the selected device the sink and says from where" \
    'sink (the result goes): phone -> hub'
at_sizes s "the marks follow: the phone is the source, the hub the sink" '^phone in  '
check s "...and the hub is marked as the sink" '^hub out  '
# The edit's result replaces its message (with the latency change): wait for
# it, so that it does not replace the next message.
wait_for s 'sink (the result goes): phone -> hub: .* → '
t send-keys -t s o
check s "o on the sink says it is the sink already" 'hub is the sink already'
t send-keys -t s k o
check s "o on the phone moves the sink back" 'sink (the result goes): hub -> phone'
check s "...marked again as source and sink" '^phone in+out  '
wait_for s 'sink (the result goes): hub -> phone: .* → '
t send-keys -t s i
check s "i on the source says it is the source already" 'phone is the source already'
t send-keys -t s j j i
check s "i makes the cloud the source" 'source (the input starts): phone -> cloud'
check s "...and the cloud is marked" '^cloud in  '
# Its result replaces the message (the latency is unchanged here): wait for
# it, so that it does not replace the next key's message.
wait_for s 'source (the input starts): phone -> cloud: latency unchanged'
t send-keys -t s Tab
t send-keys -t s i
check s "i outside the devices pane says where to select a device" \
    'i makes the source the selected device: select one in the Devices pane first'
tui_quit s
check s "it quits (y: without saving)" "^EXITED 0"

# A second session (killing the only one would stop the server, racing the start).
tui_start g 80 24 gpt2-home.yaml
check g "the explorer opens configs/gpt2-home.yaml" 'latency [0-9]'
at_sizes g "gpt2-home: the phone is marked as source and sink" '^phone in+out  '
t send-keys -t g q
check g "it quits" "^EXITED 0"
check_reports "no sanitizer reports"
finish
