#!/bin/sh
# The source and sink on show at every size: a mark on the device's name in
# the Devices pane ("phone in+out": the input starts and the result must
# arrive there), at 80x24, 100x30, 120x40, 140x40 and 200x50 on the default
# and on configs/gpt2-home.yaml; i and o move them, the message says from
# where to where, and the marks follow. TAP lines.
NNPART=${NNPART:-build/nnpart}
case $NNPART in /*) ;; *) NNPART=$PWD/$NNPART ;; esac
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; echo "1..$n"; exit 1; }

SOCK=nnpart-ends-$$
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
SIZES="80x24 100x30 120x40 140x40 200x50"
at_sizes() { # WHAT REGEX: the regex shows at every size
    for size in $SIZES; do
        t resize-window -t s -x "${size%x*}" -y "${size#*x}"
        check "$1 at $size" "$2"
    done
}

for f in default gpt2-home; do
    cp "configs/$f.yaml" "$TMP/$f.yaml"
done
t new-session -d -s s -x 80 -y 24 \
    "cd $TMP && env LANG=C.UTF-8 LC_ALL=C.UTF-8 ASAN_OPTIONS=log_path=$TMP/asan $NNPART default.yaml; echo EXITED \$?; sleep 600"
check "the explorer opens the default scenario" 'latency [0-9]'
at_sizes "the phone is marked as source and sink" '^phone in+out  '
# From the links pane (the start) to the devices; the hub becomes the sink.
t send-keys -t s BTab j o
check "o makes the selected device the sink and says from where" \
    'sink (the result goes): phone -> hub'
at_sizes "the marks follow: the phone is the source, the hub the sink" '^phone in  '
check "...and the hub is marked as the sink" '^hub out  '
t send-keys -t s o
check "o on the sink says it is the sink already" 'hub is the sink already'
t send-keys -t s k o
check "o on the phone moves the sink back" 'sink (the result goes): hub -> phone'
check "...marked again as source and sink" '^phone in+out  '
t send-keys -t s i
check "i on the source says it is the source already" 'phone is the source already'
t send-keys -t s j j i
check "i makes the cloud the source" 'source (the input starts): phone -> cloud'
check "...and the cloud is marked" '^cloud in  '
t send-keys -t s Tab
t send-keys -t s i
check "i outside the devices pane says where to select a device" \
    'i makes the source the selected device: select one in the Devices pane first'
t send-keys -t s q
sleep 0.3
t send-keys -t s y
check "it quits (y: without saving)" "^EXITED 0"

t kill-session -t s 2>/dev/null
t new-session -d -s s -x 80 -y 24 \
    "cd $TMP && env LANG=C.UTF-8 LC_ALL=C.UTF-8 ASAN_OPTIONS=log_path=$TMP/asan $NNPART gpt2-home.yaml; echo EXITED \$?; sleep 600"
check "the explorer opens configs/gpt2-home.yaml" 'latency [0-9]'
at_sizes "gpt2-home: the phone is marked as source and sink" '^phone in+out  '
t send-keys -t s q
check "it quits" "^EXITED 0"
if ls "$TMP"/asan.* >/dev/null 2>&1; then
    not_ok "no sanitizer reports"
    head -n 30 "$TMP"/asan.* | sed 's/^/#   /'
else
    ok "no sanitizer reports"
fi
echo "1..$n"
[ "$failed" = 0 ]
