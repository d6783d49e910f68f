#!/bin/sh
# Issue 7: the explorer shows the placement `nnpart solve` prints, whatever
# engine answers. On configs/default.yaml, E switches the explorer to the
# ILP alone (then to the label engine); each re-solve starts from the
# explorer's last placement (its warm start), also after an edit that moves
# the optimum and its undo. The summary line must carry solve's placement.
TUI_WAIT=${TUI_WAIT:-20}
. tests/e2e/tui_tap.inc
CONFIG=$ROOT/configs/default.yaml
# The summary line: "optimal in T (ENGINE...); baselines ...  PLACEMENT  FILE".
summary() { screen s | grep -F ' optimal in ' | head -n 1; }
# shows TEXT: the summary line has TEXT, then solve's placement.
shows() { case $(summary) in *"$1"*"  $WANT  "*) return 0 ;; esac; return 1; }
# moved: the ILP answered, with another placement than solve's.
moved() { case $(summary) in *"(ILP)"*) ! shows "(ILP)" ;; *) return 1 ;; esac; }

export LANG=C.UTF-8 LC_ALL=C.UTF-8
WANT=$("$NNPART" solve "$CONFIG" | sed -n 's/^placement: *//p')
if [ -n "$WANT" ]; then ok "nnpart solve prints a placement ($WANT)"; else
    not_ok "nnpart solve prints a placement"
fi
for e in ilp labels; do
    got=$("$NNPART" solve "$CONFIG" --engine $e | sed -n 's/^placement: *//p')
    if [ "$got" = "$WANT" ]; then ok "solve --engine $e prints the same placement"; else
        not_ok "solve --engine $e prints '$got', auto '$WANT'"
    fi
done

cp "$CONFIG" "$TMP/s.yaml"
tui_start s 160 40 s.yaml
check_until s "the explorer (auto) shows solve's placement" shows "optimal in "
t send-keys -t s E
wait_for s "engine: auto"
check_until s "E: the ILP alone, from the explorer's warm start, shows solve's placement" shows "(ILP)"
# An edit that moves the optimum (the links pane's first value, doubled),
# then its undo: the ILP re-solves from the edited optimum.
t send-keys -t s +
check_until s "the edit moves the ILP's optimum" moved
t send-keys -t s u
check_until s "after an edit and its undo the ILP, warm-started, shows solve's placement" shows "(ILP)"
t send-keys -t s E
wait_for s "engine: ilp"
check_until s "E again: the label engine shows solve's placement" shows "(labels)"
tui_quit s
check s "the explorer quits" "EXITED 0"
check_reports "no sanitizer reports"
finish
