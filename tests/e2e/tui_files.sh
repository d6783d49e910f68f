#!/bin/sh
# The explorer's files in a headless tmux (120x40): s keeps a hand-written
# file (configs/gpt2-home.yaml, comments and presets) byte for byte outside
# the edit; S onto an existing file asks; w onto the opened scenario is
# refused, onto another existing file asks; "~/" expands to $HOME. Every
# wait polls the screen for up to 10 s. Prints TAP lines.
. tests/e2e/tui_tap.inc

mkdir "$TMP/home"
EXTRA_ENV="HOME=$TMP/home"

# same WHAT FILE1 FILE2
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1"; diff "$2" "$3" | sed 's/^/#   /'; fi
}

cp "$ROOT/configs/gpt2-home.yaml" "$TMP/g.yaml"
printf 'precious\n' >"$TMP/other.yaml"
tui_start f 120 40 g.yaml
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
# The save's message would not change: an unknown key replaces it first.
t send-keys -t f '!'
wait_for f "'!' does nothing here"
t send-keys -t f s
wait_for f "saved to g.yaml$"
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

check_reports "no sanitizer reports from the explorer"
finish
