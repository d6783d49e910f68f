#!/bin/sh
# The energy figures in the explorer's panes (issue 12): on
# configs/battery-phone.yaml the devices show power, idle and load power and
# battery, the links their energy per bit; l reaches power, + doubles it, a
# bad typed value is refused with its reason, and s saves a file that
# differs from the original in that one value only. TAP lines.
TUI_WAIT=20
. tests/e2e/tui_tap.inc

cp configs/battery-phone.yaml "$TMP/bp.yaml"
EXTRA_ENV="TERM=xterm-256color"
tui_start m 160 40 bp.yaml
check m "the explorer opens the battery phone" "optimising battery-energy: [0-9.]* mJ"
check m "the devices pane shows the energy columns" "^Devices .* power  *idle  *load pwr  *battery"
check m "...with the phone's figures" "^phone .* 4 W  *600 mW  *1 W  *yes"
check m "the links pane shows the energy per bit" "Links (a - b) .* energy"
check m "...in nJ/bit" "phone - cloud .* 250 nJ/bit"
# To the devices' power: l until the prompt names it. Each step waits for
# what it changes on the screen (a prompt missed under load would send the
# search past the power).
prompt="^ device:phone\.[a-z_]*: *$"
cancelled() { ! screen_has m "$prompt" && screen_has m "cancelled: nothing changed"; }
t send-keys -t m BTab
found=no
for i in 1 2 3 4 5 6 7 8; do
    t send-keys -t m Enter
    wait_for m "$prompt" || break
    if screen_has m "^ device:phone.power: *$"; then found=yes; break; fi
    t send-keys -t m Escape
    # Esc read alone (past ESCDELAY), so that the l is not read as Alt-l.
    wait_until cancelled || break
    t send-keys -t m l
done
if [ $found = yes ]; then ok "l reaches the phone's power"; else not_ok "l reaches the phone's power"; fi
t send-keys -t m "3 parsecs" Enter
check m "a bad unit is refused with what is accepted" \
    "refused: unknown unit 'parsecs' in '3 parsecs', expected a power such as '3 W' (W, mW, uW, kW)"
t send-keys -t m C-u "2000 kW" Enter
check m "a value out of range is refused with the range" \
    "refused: power must be from 0 W to 1000 kW, got 2000 kW"
t send-keys -t m Escape
check m "Esc cancels" "cancelled: nothing changed"
t send-keys -t m +
check m "+ doubles the power" "device:phone.power: 4 W -> 8 W"
# The result's message comes after the solve: s only then, so the save's
# message is the last.
check m "...and the result says what it did" "device:phone.power: 4 W -> 8 W: "
t send-keys -t m s
check m "s saves" "saved to bp.yaml"
if diff configs/battery-phone.yaml "$TMP/bp.yaml" >"$TMP/diff"; then
    not_ok "the saved file changed"
else
    if [ "$(grep -c '^[<>]' "$TMP/diff")" = 2 ] && grep -q '^<     power: 4 W$' "$TMP/diff" &&
        grep -q '^>     power: 8 W$' "$TMP/diff"; then
        ok "the diff shows only the power changed"
    else
        not_ok "the diff shows only the power changed"
        sed 's/^/#   /' "$TMP/diff"
    fi
fi
t send-keys -t m q # saved: nothing to ask
check m "the explorer quits" "EXITED 0"
check_reports "no sanitizer reports"
finish
