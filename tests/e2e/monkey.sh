#!/bin/sh
# Monkey test of the explorer: thousands of random keys, resizes and mouse
# clicks into the real binary ($NNPART: the sanitizer build under make test)
# in a headless tmux, on several scenarios (one with control characters and
# a right-to-left override in its names). Seeded (MONKEY_SEED, default 8):
# the same seed sends the same events, so a failure reproduces. Fails on any
# sanitizer report, a crash (exit status other than 0), or a hang (no exit
# within 20 s of the closing keys). Prints TAP lines.
. tests/e2e/tui_tap.inc
SEED=${MONKEY_SEED:-8}
EVENTS=${MONKEY_EVENTS:-220} # per scenario; each event is 1 to 12 keys
[ -n "${MONKEY_KEEP:-}" ] && trap 'tmux -L "$SOCK" kill-server 2>/dev/null; echo "# kept $TMP"' EXIT INT TERM
ENV="$TUI_ENV ESCDELAY=100 HOME=$TMP"

# An idle session keeps the server up while the explorer's is replaced
# (killing the only session stops the server, racing the next start).
t new-session -d -s keep -x 80 -y 24 "sleep 600"

# The scenarios, copied so that saves stay in $TMP.
cp configs/worked-example.yaml configs/gpt2-home.yaml configs/drone-4g.yaml "$TMP"/
printf 'name: "\\e]2;pwned\\a \\u009b31m"\nnetwork: resnet18\ndevices:\n  - {name: "ph\\u202eone", speed: 20 GFLOP/s, memory: 2 GB, load_rate: 80 MB/s}\n  - {name: hub, preset: jetson-orin}\nlinks:\n  - {between: ["ph\\u202eone", hub], bandwidth: 100 Mbit/s, latency: 2 ms}\n' >"$TMP/evil.yaml"

# events SEED: one line per event, from awk's seeded generator.
#   K key...        keys for tmux send-keys
#   R cols rows     resize the window
#   C x y           a mouse click
#   T text          a prompt: clear it, type a short name, Enter
events() {
    awk -v seed="$1" -v count="$EVENTS" 'BEGIN {
        srand(seed)
        nk = split("j k h l g G Tab BTab PageUp PageDown Home End Up Down Left Right + - = _ " \
                   "Enter p c P m n a d u C-r z Z < > f ? Escape BSpace y n 1 2 0 k M G s x " \
                   "q C-u F1 i o O v F ] [ e E , . / r t", K, " ")
        for (i = 0; i < count; i++) {
            r = rand()
            if (r < 0.08) {
                printf "R %d %d\n", 20 + int(rand() * 180), 6 + int(rand() * 54)
            } else if (r < 0.22) {
                printf "C %d %d\n", int(rand() * 120), int(rand() * 40)
            } else if (r < 0.25) {
                printf "T %s\n", (rand() < 0.5 ? "S" : "w")
            } else {
                line = "K"
                m = 1 + int(rand() * 12)
                for (j = 0; j < m; j++) line = line " " K[1 + int(rand() * nk)]
                print line
            }
        }
    }'
}

# exited SESSION: the explorer's exit status once it has ended, else "".
exited() {
    cat "$TMP/status.$1" 2>/dev/null
}

start() {
    t kill-session -t "$1" 2>/dev/null
    rm -f "$TMP/status.$1"
    t new-session -d -s "$1" -x 120 -y 40 \
        "cd $TMP && env $ENV $NNPART $2 2>>$TMP/stderr.$1; echo \$? >$TMP/status.$1.new; mv $TMP/status.$1.new $TMP/status.$1; sleep 600"
}

k=0
total_keys=0
for file in "" worked-example.yaml gpt2-home.yaml drone-4g.yaml evil.yaml; do
    k=$((k + 1))
    s=m$k
    label=${file:-the built-in default}
    arg=${file:+$TMP/$file}
    start "$s" "$arg"
    wait_for "$s" '[^ ]'
    if [ "$file" = evil.yaml ]; then
        # The name holds ESC ] 2 ; pwned BEL: painted escaped, it cannot
        # retitle the terminal (tmux keeps the title it is sent).
        wait_for "$s" pwned
        title=$(t display -p -t "$s" '#{pane_title}')
        if t capture-pane -p -t "$s" | grep -qF '\x1b]2;pwned\x07' && ! printf '%s' "$title" | grep -q pwned; then
            ok "the explorer paints a name with ESC ] 2 escaped; the title stays '$title'"
        else
            not_ok "the explorer paints a name with ESC ] 2 escaped (title '$title')"
            t capture-pane -p -t "$s" | head -n 5 | sed 's/^/#   /'
        fi
    fi
    restarts=0
    crashed=""
    events $((SEED * 100 + k)) >"$TMP/events"
    while read -r kind a b; do
        [ -n "${MONKEY_TRACE:-}" ] && echo "# $s: $kind $a $b" >&2
        st=$(exited "$s")
        if [ -n "$st" ]; then
            # q (and y) ended it: fine when the status is 0; start again.
            [ "$st" != 0 ] && { crashed=$st; break; }
            restarts=$((restarts + 1))
            start "$s" "$arg"
            wait_for "$s" '[^ ]'
        fi
        case $kind in
        K)
            # shellcheck disable=SC2086
            t send-keys -t "$s" $a $b
            total_keys=$((total_keys + 1 + $(echo "$b" | wc -w)))
            ;;
        R) t resize-window -t "$s" -x "$a" -y "$b" ;;
        C) click "$s" "$a" "$b" ;;
        T)
            t send-keys -t "$s" "$a" C-u
            t send-keys -t "$s" -l "monkey$k"
            t send-keys -t "$s" Enter n Escape
            total_keys=$((total_keys + 4))
            ;;
        esac
    done <"$TMP/events"
    if [ -n "$crashed" ]; then
        not_ok "monkey on $label: exit status $crashed (seed $SEED)"
        tail -n 15 "$TMP/stderr.$s" | sed 's/^/#   /'
        continue
    fi
    # Closing: leave any prompt, quit, confirm; a hang never shows EXITED.
    t resize-window -t "$s" -x 120 -y 40
    i=0
    while [ -z "$(exited "$s")" ] && [ $i -lt 100 ]; do
        [ $((i % 5)) = 0 ] && t send-keys -t "$s" Escape Escape q y 2>/dev/null
        sleep 0.2
        i=$((i + 1))
    done
    st=$(exited "$s")
    if [ "$st" = 0 ]; then
        ok "monkey on $label: $(wc -l <"$TMP/events") events, $restarts restart(s) after q, exits 0 (seed $SEED)"
    else
        not_ok "monkey on $label: ${st:+exit status $st}${st:-no exit within 20 s (hang)} (seed $SEED)"
        t capture-pane -p -t "$s" | tail -n 15 | sed 's/^/#   /'
    fi
done

check_reports "no sanitizer reports from $total_keys keys and the resizes and clicks (seed $SEED)"
finish
