#!/bin/sh
# Drives the real explorer ($NNPART) in a headless tmux at 120x40: opens the
# default, edits bandwidths, speeds, pins and the mode, undoes and redoes,
# saves and reopens, resizes (checking at 130x42 and 80x24 how the rows are
# used), clicks, and quits with unsaved changes. Every wait polls the screen
# and gives up after 10 s. Prints TAP lines.
. tests/e2e/tui_tap.inc

# start NAME ARGS...: the explorer in a new 120x40 session.
start() {
    name=$1
    shift
    tui_start "$name" 120 40 "$@"
}

# The device column of the layers pane, one word per layer.
placement() {
    screen "$1" | awk '
        f && (length($0) == 0 || substr($0, 1, 1) == " ") { exit }
        f { split(substr($0, off), w, " "); n = split(w[1], m, "→"); printf "%s ", m[n] }
        /^Layers / { f = 1; off = index($0, "device") }'
}

latency() { screen "$1" | sed -n 's/.*| latency \([0-9.]* [a-z]*\)[ ,(|].*/\1/p' | head -n 1; }


# --- open the default -------------------------------------------------------
start main
check main "opens the built-in default scenario" "Edge, hub and cloud | AlexNet, 13 layers | mode preload"
if settled main && [ -n "$(latency main)" ]; then
    ok "the first solve shows an optimal latency with its unit ($(latency main))"
else
    not_ok "the first solve shows an optimal latency"
    dump main
fi
check main "the timeline shows load and compute lanes and a time axis" "^cloud load"
check main "the legend names the kinds of bars" "compute .* loading weights .* transfer"
# The message line (above the hints) says what to try, not the keys again.
if [ "$(screen main | grep -c '? help')" -eq 1 ] &&
    ! screen main | tail -n 2 | head -n 1 | grep -q -e Tab -e help; then
    ok "the footer has one line of key hints, and the first message is not a copy of it"
else
    not_ok "the footer has one line of key hints, and the first message is not a copy of it"
    dump main
fi
P0=$(placement main)
L0=$(latency main)
echo "# start: $L0, placement $P0"

# --- bandwidth down and up (the Links pane has the focus at start) ---------
# Same latency with another placement can happen (ties); a different latency
# with the hub-cloud link going out of or into use cannot keep the placement.
P=$P0
L=$L0
# step KEY TIMES MESSAGE WHAT: presses KEY TIMES times on the selected value,
# waits for MESSAGE and a settled result, and checks that the placement and
# the latency both changed; leaves them in P and L.
step() {
    Pb=$P
    Lb=$L
    i=0
    while [ $i -lt "$2" ]; do
        t send-keys -t main -- "$1"
        i=$((i + 1))
    done
    if wait_for main "$3" && settled main; then
        P=$(placement main)
        L=$(latency main)
        echo "# $4: $L, placement $P"
        if [ "$P" != "$Pb" ] && [ "$L" != "$Lb" ]; then
            ok "$4 changes the placement and the latency ($Lb -> $L)"
        else
            not_ok "$4 changes the placement and the latency"
            dump main
        fi
    else
        not_ok "$4: waited 10 s for '$3'"
        dump main
    fi
}
t send-keys -t main j
step - 5 "link:hub-cloud.bandwidth: 6.25 Mbit/s -> 3.12 Mbit/s" \
    "lowering the hub-cloud bandwidth to 3.12 Mbit/s"
check main "the links pane shows the new bandwidth with its unit" "hub - cloud  *3.12 Mbit/s"
# Both where the links pane says it and in the timeline, which has a lane
# per link in use (the pane's "in use" column may give way to the devices').
if screen main | grep -q -e "hub - cloud .*in use" -e "^hub-cloud "; then
    not_ok "at 3.12 Mbit/s the optimum stops using the hub-cloud link"
    dump main
else
    ok "at 3.12 Mbit/s the optimum stops using the hub-cloud link"
fi
step + 10 "link:hub-cloud.bandwidth: 1.6 Gbit/s -> 3.2 Gbit/s" \
    "raising the hub-cloud bandwidth to 3.2 Gbit/s"
check main "at 3.2 Gbit/s the hub-cloud link is in use again" "hub - cloud  *3.2 Gbit/s .*in use"
# Back to 3.12 Mbit/s for the rest (undo, five steps at a time, is tested below).
for i in 1 2 3 4 5 6 7 8 9 10; do t send-keys -t main -- -; done
wait_for main "link:hub-cloud.bandwidth: 6.25 Mbit/s -> 3.12 Mbit/s" && settled main

# --- typed values -----------------------------------------------------------
t send-keys -t main BTab j j Enter
check main "Enter asks for a value, naming the field, its value and its unit" \
    "^ now 20 TFLOP/s; type a compute rate such as .* (Esc cancels)"
check main "the prompt is short, leaving room to type" "^ device:cloud.speed: *$"
t send-keys -t main "5 TFLOP/s" Enter
check main "a typed speed with a unit is applied" "device:cloud.speed: 20 TFLOP/s -> 5 TFLOP/s"
check main "the devices pane shows the typed speed" "^cloud .* 5 TFLOP/s"
settled main
t send-keys -t main Enter "3 ms" Enter
check main "a value of the wrong kind is refused with the reason" "refused: '3 ms' is a time"
t send-keys -t main C-u "fast" Enter
check main "a value that is not a number is refused" "refused: .*fast"
t send-keys -t main Escape
check main "Esc cancels the prompt and changes nothing" "cancelled: nothing changed"
if wait_for main "^cloud .* 5 TFLOP/s"; then
    ok "the refused values left the speed unchanged"
else
    not_ok "the refused values left the speed unchanged"
    dump main
fi

# --- pin a layer ------------------------------------------------------------
# Devices -> Links -> Timeline -> Layers; conv1 is the first row.
t send-keys -t main Tab Tab Tab p p
check main "p pins the selected layer, cycling through the devices" "pinned conv1 to hub"
settled main
check main "the layers pane shows the pinned layer on its device" "^conv1 .*hub\*"

# --- mode, undo, redo -------------------------------------------------------
t send-keys -t main m
check main "m switches the mode" "mode ondemand | latency"
settled main
L_OD=$(latency main)
t send-keys -t main u
check main "u undoes the mode change" "undid mode: preload -> ondemand"
check main "the header shows the mode restored" "mode preload | latency"
t send-keys -t main u
check main "u undoes the pin" "undid pinned conv1 to hub"
t send-keys -t main C-r
check main "Ctrl-R redoes the pin" "redid pinned conv1 to hub"
t send-keys -t main C-r
check main "Ctrl-R redoes the mode change" "mode ondemand | latency"
settled main
latency_is() { [ "$(latency "$1")" = "$2" ]; }
if wait_until latency_is main "$L_OD"; then
    ok "redo gives back the same result ($L_OD)"
else
    not_ok "redo gives back the same result ($L_OD, now $(latency main))"
fi

# --- save, reopen, compare --------------------------------------------------
t send-keys -t main s
check main "s on the built-in default asks for a path" "^ Save as: *$"
t send-keys -t main "$TMP/nope/x.yaml" Enter
check main "saving to a directory that does not exist is refused with the reason" "not saved:"
t send-keys -t main C-u "$TMP/saved.yaml" Enter
check main "the scenario is saved" "saved to $TMP/saved.yaml"
settled main
saved_shown() { screen_has main " $TMP/saved.yaml\$" && ! screen_has main "\[modified\]"; }
if wait_until saved_shown; then
    ok "after saving the header shows the file and no unsaved changes"
else
    not_ok "after saving the header shows the file and no unsaved changes"
    dump main
fi
L_SAVED=$(latency main)
P_SAVED=$(placement main)
if "$NNPART" check "$TMP/saved.yaml" >"$TMP/check.out" 2>&1; then
    ok "the saved file passes nnpart check"
else
    not_ok "the saved file passes nnpart check"
    sed 's/^/#   /' "$TMP/check.out"
fi
start again "$TMP/saved.yaml"
check again "the saved file reopens" "Edge, hub and cloud | AlexNet, 13 layers | mode ondemand"
settled again
reopened() {
    screen_has again "^cloud .* 5 TFLOP/s" && screen_has again "hub - cloud  *3.12 Mbit/s" &&
        latency_is again "$L_SAVED" && [ "$(placement again)" = "$P_SAVED" ]
}
if wait_until reopened; then
    ok "the reopened scenario has the same values, pin, placement and latency ($L_SAVED)"
else
    not_ok "the reopened scenario has the same values, pin, placement and latency"
    dump again
fi
t send-keys -t again q
check again "quitting without changes does not ask" "^EXITED 0"

# --- resize and the use of the screen ---------------------------------------
# Lanes of the timeline: rows with a title before the separator.
lane_rows() { screen main | grep -c '^[^ │|][^│|]*[│|]'; }
blank_rows() { screen main | grep -c '^ *$'; }
# Links in use, from the links pane (all shown at 120x40).
K=$(screen main | grep -c "in use *$")
echo "# links in use: $K"
# At 80x24 every pane keeps its title and two rows, which leaves 4 rows for
# lanes; the others scroll (tui_small.sh reaches them).
LANES=$((6 + K))
[ $LANES -gt 4 ] && LANES=4
all_lanes_at() { [ "$(lane_rows)" -eq $LANES ] && screen main | grep -q "^Layers "; }
few_blank_at_130() { [ "$(screen main | wc -l)" -eq 42 ] && [ "$(blank_rows)" -lt 3 ] &&
    screen main | grep -q "^Layers .*Baselines"; }
# The baselines' names as the command line prints them (the main session
# shows what was last saved).
"$NNPART" solve "$TMP/saved.yaml" 2>/dev/null | awk '
    /^baselines/ { b = 1 }
    b && /^  ---/ { f = 1; next }
    f && NF == 0 { exit }
    f { sub(/^  /, ""); sub(/   *([0-9.]+ [a-z]+|infeasible|-) .*$/, ""); print }' >"$TMP/baselines"
baselines_whole() {
    [ -s "$TMP/baselines" ] || return 1
    while IFS= read -r name; do
        screen main | grep -qF "$name" || return 1
    done <"$TMP/baselines"
}
t resize-window -t main -x 130 -y 42
check_until main "at 130x42 spare rows go to the timeline: fewer than 3 blank rows" few_blank_at_130
# (Waited for too: a capture may catch tmux part-way through a paint.)
if wait_until baselines_whole; then
    ok "at 130x42 the baselines' names are whole ($(wc -l <"$TMP/baselines") names)"
else
    not_ok "at 130x42 the baselines' names are whole"
    sed 's/^/#   want: /' "$TMP/baselines"
    dump main
fi
if [ "$(screen main | grep -c '? help')" -eq 1 ]; then
    ok "one line of key hints"
else
    not_ok "one line of key hints"
    dump main
fi
t resize-window -t main -x 80 -y 24
check_until main "at 80x24 the timeline shows $LANES of its $((6 + K)) lanes" all_lanes_at
check main "at 80x24 the header keeps the latency" "^ .*| latency [0-9]"
t resize-window -t main -x 70 -y 20
check main "a terminal below 80x24 is told so" "needs a terminal of at least 80x24; this one is 70x20"
t resize-window -t main -x 90 -y 30
check main "at 90x30 the panes stack and the timeline stays" "^Links (a - b)"
check main "the timeline is redrawn at the new width" "^cloud load"
t resize-window -t main -x 120 -y 40
check main "back at 120x40 the panes sit side by side" "^Devices .* Links (a - b)"

# --- help and quit ----------------------------------------------------------
t send-keys -t main '?'
check main "? shows the help generated from the key table" "Help: what each key does"
check main "the help lists the keys of the table" "Ctrl-R  *redo"
t send-keys -t main x m
check main "an edit after saving marks the scenario modified" "\[modified\] $TMP/saved.yaml"
t send-keys -t main q
check main "q with unsaved changes asks first" "There are unsaved changes. Quit without saving?"
t send-keys -t main n
check main "n keeps the explorer open" "not quitting"
t send-keys -t main q y
check main "q then y quits" "^EXITED 0"

# --- ASCII and monochrome ---------------------------------------------------
cp configs/worked-example.yaml "$TMP/"
EXTRA_ENV="LANG=C LC_ALL=C NO_COLOR=1"
start plain worked-example.yaml
EXTRA_ENV=
check plain "without a UTF-8 locale the timeline uses ASCII" "^cloud load *|L2=*"
check plain "ASCII arrows head the links pane" "a -> b"
check plain "the worked example's optimum is 712 ms" "latency 712 ms"

# Mouse clicks at positions found on the screen (0-based coordinates).
# where SESSION LINE-REGEX TEXT: "x y" of TEXT on the first line matching.
where() {
    screen "$1" | awk -v re="$2" -v s="$3" '$0 ~ re { i = index($0, s); if (i) { print i - 1, NR - 1; exit } }'
}
# click_check SESSION LINE-REGEX TEXT DX DY KEYS WHAT EXPECTED [SAID]: clicks
# DX, DY cells away from TEXT on the first line matching, types KEYS (or "-"
# for none) once the click's message SAID shows, and checks that the screen
# then shows EXPECTED.
click_check() {
    s=$1
    said=${9:-}
    set -- "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" $(where "$1" "$2" "$3")
    if [ -z "${9:-}" ]; then
        not_ok "$7 ('$3' is not on the screen)"
        dump "$s"
        return
    fi
    if [ "$6" = - ]; then
        click "$s" "$(($9 + $4))" "$((${10} + $5))"
    else
        # Keys typed while the click is still on its way can miss it.
        if ! click_said "$s" "$(($9 + $4))" "$((${10} + $5))" "$said"; then
            not_ok "$7 (the click did not say '$said')"
            dump "$s"
            return
        fi
        t send-keys -t "$s" "$6"
    fi
    check "$s" "$7" "$8"
}
settled plain
click_check plain "^edge  *[|]" "L1#" 0 0 - "a click on a timeline bar selects it and says what it is" \
    "L1 computes on edge: 100 ms to 200 ms (100 ms)"
t send-keys -t plain Escape
click_check plain "^edge-cloud *[|]" "L1>" 3 0 - \
    "a click on a transfer names the tensor, the link and the times" \
    "the output of L1 (200 kB) from edge to cloud: 200 ms to 410 ms (210 ms)"
# With room to spare, compute lanes are taller: any of their rows is the bar.
click_check plain "^edge  *[|]" "L1#" 1 1 - "a click on a tall compute bar's lower row selects it" \
    "L1 computes on edge: 100 ms to 200 ms (100 ms)"
click_check plain "^cloud " "100 GFLOP/s" 0 0 + "a click on a device's speed selects it for + and -" \
    "device:cloud.speed: 100 GFLOP/s -> 200 GFLOP/s" "device cloud (cloud): 100 GFLOP/s"
settled plain

# w writes the ILP; a path that cannot be written is reported, the result stays.
t send-keys -t plain w
check plain "w asks where to write the LP file" "Write the ILP to: nnpart.lp"
t send-keys -t plain Enter
check plain "w writes the ILP and says how large it is" "wrote the ILP ([0-9]* rows, [0-9]* columns) to nnpart.lp"
if grep -qi "minimize" "$TMP/nnpart.lp" 2>/dev/null && grep -q "x_L1_edge" "$TMP/nnpart.lp"; then
    ok "the LP file is in CPLEX LP format with readable names"
else
    not_ok "the LP file is in CPLEX LP format with readable names"
    head -n 20 "$TMP/nnpart.lp" 2>&1 | sed 's/^/#   /'
fi
t send-keys -t plain w C-u "$TMP/no/such/dir/x.lp" Enter
check plain "an LP file that cannot be written is reported" "cannot write the LP file"
check plain "the timeline stays after a failed LP write" "^cloud load *|L2="
t send-keys -t plain u
check plain "u undoes the clicked speed change" "undid device:cloud.speed: 100 GFLOP/s -> 200 GFLOP/s"
t send-keys -t plain q
check plain "the ASCII session quits without asking (the edit was undone)" "^EXITED 0"

# --- sanitizers ----------------------------------------------------------------
check_reports "no sanitizer reports (leaks or errors) from the explorer"
finish
