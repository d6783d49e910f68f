#!/bin/sh
# The devices' "mem bw" column at 120x40 on the default scenario: it is on
# show (beside the links; the source and sink are marks on the names),
# `l` moves the selection onto it from load rate (and no further), and `+`
# changes the device's memory bandwidth.
NNPART=${NNPART:-build/nnpart}
case $NNPART in /*) ;; *) NNPART=$PWD/$NNPART ;; esac
CONFIG=$PWD/configs/default.yaml
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; echo "1..$n"; exit 1; }

SOCK=nnpart-membw-$$
TMP=$(mktemp -d)
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
t() { tmux -L "$SOCK" "$@"; }
screen() { t capture-pane -p -t s; }
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        screen | grep -q -e "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() {
    if wait_for "$2"; then ok "$1"; else
        not_ok "$1 (waited 10 s for '$2')"
        screen | sed 's/^/#   /'
    fi
}

cp "$CONFIG" "$TMP/s.yaml"
t new-session -d -s s -x 120 -y 40 \
    "cd $TMP && env LANG=C.UTF-8 LC_ALL=C.UTF-8 ASAN_OPTIONS=log_path=$TMP/asan $NNPART s.yaml; echo EXITED \$?; sleep 600"
check "the explorer opens the default scenario" 'latency [0-9]'
check "at 120x40 the devices pane shows the 'mem bw' header" '^Devices .*load rate  mem bw .*Links'
# The explorer starts in the links pane: back to the devices, first device
# (phone), then from speed three columns right: memory, load rate, mem bw.
t send-keys -t s BTab l l
sleep 0.3
t send-keys -t s l
sleep 0.3
# One more l stays on mem bw: it is the last value column.
t send-keys -t s l
sleep 0.3
# The default devices have no memory bandwidth ("-", which no step changes):
# type one first, on the field the selection names.
t send-keys -t s Enter
check "l reaches mem bw: Enter edits phone's memory bandwidth" '^ device:phone\.memory_bandwidth: *$'
t send-keys -t s '10 GB/s' Enter
check "the typed memory bandwidth shows in its column" '^phone .* 80 MB/s    10 GB/s '
t send-keys -t s +
check "+ doubles it" 'device:phone\.memory_bandwidth: 10 GB/s -> 20 GB/s'
check "the devices pane shows the doubled value" '^phone .* 80 MB/s    20 GB/s '
t send-keys -t s q
sleep 0.3
t send-keys -t s y
check "it quits (y: without saving)" "^EXITED 0"
if ls "$TMP"/asan.* >/dev/null 2>&1; then
    not_ok "no sanitizer reports"
    head -n 30 "$TMP"/asan.* | sed 's/^/#   /'
else
    ok "no sanitizer reports"
fi
echo "1..$n"
[ "$failed" = 0 ]
