#!/bin/sh
# `nnpart MODEL.onnx` in a headless tmux: the explorer opens on the built-in
# devices with the imported units, shows each device's memory bandwidth
# column, edits it like speed (typed, with its unit), and quits cleanly.
NNPART=${NNPART:-build/nnpart}
case $NNPART in /*) ;; *) NNPART=$PWD/$NNPART ;; esac
MODEL=$PWD/tests/fixtures/onnx/resnet18.onnx
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; echo "1..$n"; exit 1; }

SOCK=nnpart-onnx-$$
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

t new-session -d -s s -x 220 -y 50 \
    "cd $TMP && env LANG=C.UTF-8 LC_ALL=C.UTF-8 ASAN_OPTIONS=log_path=$TMP/asan $NNPART $MODEL; echo EXITED \$?; sleep 600"
check "the explorer opens the model's units" 'layer1\.0'
check "on the built-in devices, with a memory bandwidth column" 'mem bw'
# The explorer starts in the links pane: back to the devices, first device,
# fourth value (speed, memory, load rate, memory bandwidth); type 15 GB/s.
t send-keys -t s BTab Right Right Right Enter
sleep 0.3
t send-keys -t s '15 GB/s' Enter
check "a typed memory bandwidth shows with its unit" 'phone .* 15 GB/s'
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
