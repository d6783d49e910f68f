#!/bin/sh
# The explorer's objective key (issue 12): the header says what is
# optimised, O switches to the next objective and re-solves, u undoes it.
# TAP lines.
NNPART=${NNPART:-build/nnpart}
case $NNPART in /*) ;; *) NNPART=$PWD/$NNPART ;; esac
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; exit 1; }

SOCK=nnpart-objective-$$
TMP=$(mktemp -d)
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
cp configs/battery-phone.yaml "$TMP/bp.yaml"
ENV="ESCDELAY=300 LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color ASAN_OPTIONS=log_path=$TMP/asan:abort_on_error=0"
t() { tmux -L "$SOCK" "$@"; }
screen() { t capture-pane -p -t m; }
wait_for() {
    i=0
    while [ $i -lt 200 ]; do
        screen | grep -q -e "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() {
    if wait_for "$2"; then ok "$1"; else
        not_ok "$1 (waited 20 s for '$2')"
        screen | sed 's/^/#   /'
    fi
}

t new-session -d -s m -x 160 -y 40 "cd $TMP && env $ENV $NNPART bp.yaml; echo EXITED \$?; sleep 600"
check "the header says the battery energy is optimised, with its value" \
    "optimising battery-energy: [0-9.]* mJ"
t send-keys -t m O
check "O switches to throughput: the header shows the period per input" \
    "optimising throughput: [0-9.]* [mu]*s per input"
t send-keys -t m O
check "O again: latency, the header no longer says 'optimising'" "objective: throughput -> latency"
if screen | grep -q "optimising"; then not_ok "...and no 'optimising' in the header"; else
    ok "...and no 'optimising' in the header"
fi
t send-keys -t m u
check "u undoes the switch" "optimising throughput"
t send-keys -t m q
sleep 0.5
t send-keys -t m y
check "the explorer quits" "EXITED 0"
if ls "$TMP"/asan* >/dev/null 2>&1; then
    not_ok "no sanitizer reports"
    cat "$TMP"/asan* | sed 's/^/#   /' | head -40
else
    ok "no sanitizer reports"
fi
echo "1..$n"
[ "$failed" = 0 ]
