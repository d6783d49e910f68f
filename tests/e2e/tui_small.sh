#!/bin/sh
# The explorer at 80x24 in a headless tmux: every pane is drawn and reached
# with Tab, the timeline's lanes scroll (link lanes included) and say how
# many are hidden; an edit says which layers moved and how the latency
# changed; the critical path is highlighted; a baseline's timeline shows
# under the optimum's; unknown keys say so; Ctrl-C asks like q. TAP lines.
NNPART=${NNPART:-build/nnpart}
case $NNPART in /*) ;; *) NNPART=$PWD/$NNPART ;; esac
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
command -v tmux >/dev/null 2>&1 || { not_ok "tmux is installed"; exit 1; }

SOCK=nnpart-small-$$
TMP=$(mktemp -d)
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
ENV="ESCDELAY=300 LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color ASAN_OPTIONS=log_path=$TMP/asan:abort_on_error=0"
t() { tmux -L "$SOCK" "$@"; }
screen() { t capture-pane -p -t m; }
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
settled() { wait_for "^ optimal in .*; baselines \(in \)\?[0-9]"; }

t new-session -d -s m -x 80 -y 24 "cd $TMP && env $ENV $NNPART; echo EXITED \$?; sleep 600"
settled
for pane in "^Devices " "^Links (a - b)" " Timeline " "^Layers " "^Baselines "; do
    check "at 80x24 the pane '$pane' is drawn" "$pane"
done
check "the header shows the critical path" "^ critical path: .*compute"
check "the timeline says how many lanes are hidden" "[0-9] below (PgUp/PgDn)"
# Tab: Links (start) -> Timeline; PgDn until the last lanes (the links).
t send-keys -t m Tab
for k in 1 2 3; do t send-keys -t m NPage; done
check "PgDn in the timeline reaches the link lanes" "^phone-hub "
check "...and says which lanes are shown" "timeline lanes [0-9]*-[0-9]* of [0-9]*"
# Every pane Tab visits is on the screen with its focus marked.
t send-keys -t m Tab Tab
t send-keys -t m G
check "G selects the last baseline and names it" "baseline contiguous-run DP"
t send-keys -t m c
check "c compares the baseline: its timeline under the optimum's" "^ vs contiguous-run DP: "
t send-keys -t m c
check "c again ends the comparison" "comparison off"

# The critical path in its own colour (magenta: SGR 35).
if t capture-pane -e -p -t m | grep -q "$(printf '\033')\[35m"; then
    ok "the critical path is drawn in its own colour"
else
    not_ok "the critical path is drawn in its own colour"
fi

# An edit: the message says what moved and how the latency changed.
# One edit (typed, so no intermediate result is shown in between).
t send-keys -t m BTab BTab BTab j Enter C-u 3Mbit/s Enter
check "an edit says how the latency changed" "bandwidth: .* ms → [0-9.]* ms,"
check "...and which layers moved, from → to" "moved [0-9]* layers\?: [a-z0-9]* [a-z]*→[a-z]*"
check "the header shows the latency change" "latency [0-9.]* ms (was [0-9.]* ms, [+-]"
t send-keys -t m / conv3 Enter
check "moved layers show from → to in the Layers pane" "^conv3 .*phone→hub"

t send-keys -t m '!'
check "an unknown key says so" "'!' does nothing here; ? lists the keys"
t send-keys -t m / conv4 Enter
check "/ finds a layer and says what it is" "layer conv4 on "
t send-keys -t m F1
check "F1 opens the help" "Help: what each key does"
check "help lines wrap inside the box at 80 columns (a long line continues below)" "[x│] loading  *[x│]"
t send-keys -t m Escape
t send-keys -t m C-c
check "Ctrl-C with unsaved changes asks, like q" "There are unsaved changes. Quit without saving?"
t send-keys -t m n
check "n keeps the explorer open" "not quitting"
t send-keys -t m C-c y
check "Ctrl-C then y quits" "^EXITED 0"
if ls "$TMP"/asan.* >/dev/null 2>&1; then
    not_ok "no sanitizer reports"
    cat "$TMP"/asan.* | head -40 | sed 's/^/# /'
else
    ok "no sanitizer reports"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
