#!/bin/sh
# The explorer's files in a headless tmux (120x40): s keeps a hand-written
# file (configs/gpt2-home.yaml, comments and presets) byte for byte outside
# the edit; S onto an existing file asks; w onto the opened scenario is
# refused, onto another existing file asks; "~/" expands to $HOME. Every
# wait polls the screen for up to 10 s. Prints TAP lines.
NNPART=${NNPART:-build/nnpart}
case $NNPART in /*) ;; *) NNPART=$PWD/$NNPART ;; esac
ROOT=$PWD

n=0
failed=0
ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
}
if ! command -v tmux >/dev/null 2>&1 || [ ! -x "$NNPART" ]; then
    not_ok "tmux and $NNPART are there"
    exit 1
fi

SOCK=nnpart-files-$$
TMP=$(mktemp -d)
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
mkdir "$TMP/home"
ENV="LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$TMP/home ASAN_OPTIONS=log_path=$TMP/asan:abort_on_error=0"

t() { tmux -L "$SOCK" "$@"; }
screen() { t capture-pane -p -t "$1"; }
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        if screen "$1" | grep -q -e "$2"; then return 0; fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() {
    if wait_for "$1" "$3"; then
        ok "$2"
    else
        not_ok "$2 (waited 10 s for '$3')"
        screen "$1" | sed 's/^/#   /'
    fi
}
# same WHAT FILE1 FILE2
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1"; diff "$2" "$3" | sed 's/^/#   /'; fi
}

cp "$ROOT/configs/gpt2-home.yaml" "$TMP/g.yaml"
printf 'precious\n' >"$TMP/other.yaml"
t new-session -d -s f -x 120 -y 40 \
    "cd $TMP && env $ENV $NNPART g.yaml; echo EXITED \$?; sleep 600"
check f "opens the hand-written file" "GPT-2 on five home devices"

# --- s: only the edited bytes change ------------------------------------------
# The Links pane has the focus: - halves the phone-laptop bandwidth (a wifi
# preset, so an override line is added); m moves resident -> preload.
t send-keys -t f - m
# Let the edits' result arrive first: it would replace the save's message.
wait_for f "mode: resident -> preload: " || true
t send-keys -t f s
check f "s saves to the opened file" "saved to g.yaml$"
diff "$ROOT/configs/gpt2-home.yaml" "$TMP/g.yaml" >"$TMP/diff"
if [ "$(grep -c '^[<>]' "$TMP/diff")" = 3 ] &&
    grep -qx '< mode: resident' "$TMP/diff" && grep -qx '> mode: preload' "$TMP/diff" &&
    grep -Eqx '>     bandwidth: [0-9.]+ [kMG]bit/s' "$TMP/diff" &&
    grep -A1 -x '  - between: \[phone, laptop\]' "$TMP/g.yaml" | grep -qx '    preset: wifi' &&
    grep -A2 -x '  - between: \[phone, laptop\]' "$TMP/g.yaml" | grep -Eqx '    bandwidth: .*'; then
    ok "the save changed the mode and added one override line; every comment and preset is kept"
else
    not_ok "the save changed the mode and added one override line; every comment and preset is kept"
    sed 's/^/#   /' "$TMP/diff"
fi
if "$NNPART" check "$TMP/g.yaml" >/dev/null 2>&1; then
    ok "the saved file passes nnpart check"
else
    not_ok "the saved file passes nnpart check"
fi
cp "$TMP/g.yaml" "$TMP/g.saved"
# The message does not change: give the key a moment.
t send-keys -t f s
sleep 1
same "saving again gives the same bytes" "$TMP/g.saved" "$TMP/g.yaml"

# --- S onto an existing file asks ----------------------------------------------
t send-keys -t f m S C-u "$TMP/other.yaml" Enter
check f "S onto an existing file asks first" "other.yaml exists. Replace it? (y/n)"
t send-keys -t f n
check f "n keeps it" "not saved: $TMP/other.yaml is unchanged"
if [ "$(cat "$TMP/other.yaml")" = precious ]; then
    ok "the existing file is untouched"
else
    not_ok "the existing file is untouched"
fi

# --- w: never over the scenario, asks before another file ------------------------
t send-keys -t f w C-u "$TMP/g.yaml" Enter
check f "w onto the opened scenario is refused" "refused: $TMP/g.yaml is the scenario being edited"
t send-keys -t f Escape
same "the scenario is untouched" "$TMP/g.saved" "$TMP/g.yaml"
t send-keys -t f w C-u "$TMP/other.yaml" Enter
check f "w onto an existing file asks first" "other.yaml exists. Replace it with the LP? (y/n)"
t send-keys -t f y
check f "y writes the LP" "wrote the ILP ([0-9]* rows, [0-9]* columns) to $TMP/other.yaml"
if grep -qi '^minimize' "$TMP/other.yaml"; then ok "the LP is in the file"; else not_ok "the LP is in the file"; fi

# --- ~/ --------------------------------------------------------------------------
t send-keys -t f S C-u "~/home.yaml" Enter
check f "S ~/home.yaml saves into \$HOME" "saved to $TMP/home/home.yaml"
if [ -f "$TMP/home/home.yaml" ] && grep -q '^# GPT-2 small' "$TMP/home/home.yaml"; then
    ok "the copy under \$HOME keeps the opened file's comments"
else
    not_ok "the copy under \$HOME keeps the opened file's comments"
fi
t send-keys -t f q
check f "quits without asking (everything saved)" "^EXITED 0"

if ls "$TMP"/asan.* >/dev/null 2>&1; then
    not_ok "no sanitizer reports from the explorer"
    head -n 40 "$TMP"/asan.* | sed 's/^/#   /'
else
    ok "no sanitizer reports from the explorer"
fi
[ "$failed" = 0 ]
