#!/bin/sh
# The explorer when its terminal goes away, in a headless tmux: the pane is
# killed (SIGHUP and the pty closed), or killed with SIGHUP ignored (only the
# end of input tells), or the process gets SIGTERM. Each time the process
# ends within 5 s without spinning (its CPU time after the kill stays under
# 0.5 s), the opened file is untouched, and the unsaved edit is in a new
# FILE.save (FILE.save.1 when that is taken) that loads, said on stderr;
# with nothing unsaved no copy is written. Prints TAP lines.
. tests/e2e/tui_tap.inc
ENV="$TUI_ENV TERM=xterm-256color"

# cpu PID: user + system clock ticks so far (empty once it is gone).
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
alive() { [ -e "/proc/$1/stat" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# ended WHAT PID CPU0: PID is gone within 5 s, and used under 0.5 s of CPU
# after CPU0 (its ticks at the kill) as last seen.
ended() {
    i=0
    last=$3
    while [ $i -lt 50 ] && alive "$2"; do
        c=$(cpu "$2")
        [ -n "$c" ] && last=$c
        sleep 0.1
        i=$((i + 1))
    done
    hz=$(getconf CLK_TCK)
    if alive "$2"; then
        not_ok "$1: the process ended within 5 s (still running, $((last - $3)) ticks of CPU since)"
    elif [ $(((last - $3) * 2)) -ge "$hz" ]; then
        not_ok "$1: no spinning after the hang-up ($((last - $3)) ticks of CPU)"
    else
        ok "$1: ended within 5 s, $((last - $3)) ticks of CPU after the hang-up"
    fi
}
# start NAME PREFIX: the explorer on $TMP/NAME/we.yaml in session NAME; its
# pid in $TMP/NAME/pid, its stderr in $TMP/NAME/err. PREFIX runs first in
# the shell that then becomes nnpart (exec).
start() {
    mkdir -p "$TMP/$1"
    cp "$ROOT/configs/worked-example.yaml" "$TMP/$1/we.yaml"
    t new-session -d -s "$1" -x 100 -y 30 \
        "cd $TMP/$1 && $2 echo \$\$ > pid; exec env $ENV $NNPART we.yaml 2>err"
    check "$1" "$1: the explorer is open" "optimal in"
    pid=$(cat "$TMP/$1/pid")
}
# edit NAME: m changes the mode; its message says so.
edit() {
    t send-keys -t "$1" m
    check "$1" "$1: an edit (m)" "mode: .* -> "
}
# kept NAME SAVE: we.yaml is as it was, SAVE loads and holds the edit.
kept() {
    if cmp -s "$ROOT/configs/worked-example.yaml" "$TMP/$1/we.yaml"; then
        ok "$1: the opened file is untouched"
    else
        not_ok "$1: the opened file is untouched"
    fi
    if [ -f "$TMP/$1/$2" ] && "$NNPART" check "$TMP/$1/$2" >/dev/null 2>&1 &&
        ! cmp -s "$TMP/$1/we.yaml" "$TMP/$1/$2" &&
        diff "$TMP/$1/we.yaml" "$TMP/$1/$2" | grep -q '^> mode: '; then
        ok "$1: the unsaved edit is in $2, which loads"
    else
        not_ok "$1: the unsaved edit is in $2, which loads"
        ls -la "$TMP/$1" | sed 's/^/#   /'
    fi
    if grep -qx "nnpart: the session ended (hang-up); the unsaved changes are in $2" "$TMP/$1/err"; then
        ok "$1: stderr says where"
    else
        not_ok "$1: stderr says where"
        sed 's/^/#   /' "$TMP/$1/err"
    fi
}

# --- the pane killed: SIGHUP -------------------------------------------------------
start hup ""
edit hup
c0=$(cpu "$pid")
t kill-session -t hup
ended hup "$pid" "$c0"
kept hup we.yaml.save

# --- SIGHUP ignored: the pty closing is the end of input; FILE.save is taken -------
start eof "trap '' HUP;"
cp "$ROOT/configs/default.yaml" "$TMP/eof/we.yaml.save"
edit eof
c0=$(cpu "$pid")
t kill-session -t eof
ended eof "$pid" "$c0"
kept eof we.yaml.save.1
if cmp -s "$ROOT/configs/default.yaml" "$TMP/eof/we.yaml.save"; then
    ok "eof: the FILE.save already there is not replaced"
else
    not_ok "eof: the FILE.save already there is not replaced"
fi

# --- SIGTERM ----------------------------------------------------------------------
start term ""
edit term
c0=$(cpu "$pid")
kill -TERM "$pid"
ended term "$pid" "$c0"
kept term we.yaml.save

# --- nothing unsaved: no copy -------------------------------------------------------
start clean ""
c0=$(cpu "$pid")
t kill-session -t clean
ended clean "$pid" "$c0"
if [ ! -e "$TMP/clean/we.yaml.save" ] && [ ! -s "$TMP/clean/err" ]; then
    ok "clean: nothing unsaved, no copy and nothing said"
else
    not_ok "clean: nothing unsaved, no copy and nothing said"
fi

check_reports "no sanitizer report"
finish
