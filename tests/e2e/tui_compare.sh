#!/bin/sh
# The compare view (c) at 80x24 on every scenario in configs/: both
# timelines on one time axis, each labelled with its name and latency and
# the difference stated, and each shows the compute lane of every device its
# placement uses (the other panes give way to one row each). The compared
# placement is the last baseline (the contiguous-run DP); its devices come
# from `nnpart solve --json`, the optimum's from the explorer's own header
# (read at 200x50, where the placement line is whole). TAP lines.
. tests/e2e/tui_tap.inc
command -v jq >/dev/null 2>&1 || { not_ok "jq is installed"; finish; exit 1; }

# section FIRST LAST: the lane titles between the line matching FIRST and
# the next matching LAST (the labels and the axis).
section() {
    screen "$S" | awk -v a="$1" -v b="$2" '
        f && $0 ~ b { exit }
        f { t = $0; sub(/[│|].*/, "", t); gsub(/ +$/, "", t); if (t != "") print t }
        $0 ~ a { f = 1 }'
}
# has_lanes WHAT FILE LANES: every device of FILE (one a line) is a lane of LANES.
has_lanes() {
    miss=""
    while read -r d; do
        printf '%s\n' "$3" | grep -qx "$d" || miss="$miss $d"
    done <"$2"
    if [ -z "$miss" ]; then ok "$1"; else
        not_ok "$1 (no compute lane for:$miss)"
        dump "$S"
    fi
}

for f in configs/*.yaml; do
    name=$(basename "$f" .yaml)
    cp "$f" "$TMP/$name.yaml"
    # A scenario may name files beside it (an ONNX model, profiles).
    "$NNPART" solve "$f" --json >"$TMP/$name.json" 2>/dev/null
    jq -r '.baselines[-1].placement | unique | .[]' "$TMP/$name.json" >"$TMP/$name.base"
    base=$(jq -r '.baselines[-1].name' "$TMP/$name.json")
    S=$name
    TUI_CWD=$ROOT tui_start "$S" 200 50 "$TMP/$name.yaml"
    if ! settled "$S"; then
        not_ok "$name: the explorer opens and solves"
        dump "$S"
        continue
    fi
    # The optimum's devices, from its placement line (phone×2 hub×2 ...).
    screen "$S" | sed -n 3p | grep -o '[^ ]*×[0-9]*' | sed 's/×[0-9]*$//' | sort -u >"$TMP/$name.opt"
    # The latency: "latency 174 ms", or a stream's "one input 121 ms".
    lat=$(screen "$S" | sed -n 1p | grep -o '\(latency\|one input\) [0-9.]* [a-z]*s' | head -n 1 |
        sed 's/^[a-z ]* \([0-9.]* [a-z]*s\)$/\1/')
    [ -n "$lat" ] || { not_ok "$name: the header shows the optimum's latency"; dump "$S"; continue; }
    t resize-window -t "$S" -x 80 -y 24
    # From the links pane (the start): Tab to the timeline, layers, baselines.
    t send-keys -t "$S" Tab Tab Tab G
    wait_for "$S" "baseline $base" || { not_ok "$name: G selects the last baseline"; dump "$S"; }
    t send-keys -t "$S" c
    if wait_for "$S" "^ vs $base: [0-9.]* [a-z]*s (" && wait_for "$S" "^ [^ ]* optimum[a-z -]*: [a-z ]*$lat"; then
        ok "$name at 80x24: both timelines labelled, the optimum's latency ($lat) and the baseline's"
    else
        not_ok "$name at 80x24: both timelines labelled with their latencies"
        dump "$S"
        continue
    fi
    # At 80 columns (the compare view's labels are painted at this width)
    # the header's rows take shorter forms, never a cut one.
    if ! screen "$S" | sed -n 1,3p | grep -q "…"; then
        ok "$name at 80x24: the header's three rows are whole (no ellipsis)"
    else
        not_ok "$name at 80x24: the header's three rows are whole"
        dump "$S"
    fi
    # The baseline's latency in its label is the one the Baselines pane lists;
    # under another objective the pane lists the objective's value (energy
    # in J, a stream's period), scored as solve's JSON scores it.
    blat=$(screen "$S" | grep "^ vs $base: " | sed "s/^ vs $base: \([0-9.]* [a-z]*s\) .*/\1/")
    goal=$(jq -r .optimised "$TMP/$name.json")
    case $goal in
    latency) want="$blat" what="latency" ;;
    energy | battery-energy) want="[0-9.]* [mu]*J" what="energy" ;;
    *) want="[0-9.]* [mu]*s" what="period" ;;
    esac
    if screen "$S" | grep -q "^$base  *$want  "; then
        ok "$name: the label's $blat is the baseline's; the Baselines pane lists its $what"
    else
        not_ok "$name: the label's latency '$blat' is the baseline's, the pane lists its $what"
        dump "$S"
    fi
    if screen "$S" | grep "^ vs $base: " | grep -q "([+-][0-9.]*%, [+-][0-9.]* [a-z]*s)"; then
        ok "$name: the difference is stated in percent and in time"
    else
        not_ok "$name: the difference is stated"
        dump "$S"
    fi
    has_lanes "$name: the optimum's timeline has a compute lane for each device it uses" \
        "$TMP/$name.opt" "$(section '^ [^ ]+ optimum[a-z -]*: ' '^ vs ')"
    has_lanes "$name: the baseline's timeline has a compute lane for each device it uses" \
        "$TMP/$name.base" "$(section '^ vs ' '^ +(└|[+])')"
    if [ "$(screen "$S" | grep -c -E '^ +(└|[+])')" -eq 1 ] && screen "$S" | grep -E '^ +(└|[+])' | grep -q -E '▲|\^'; then
        ok "$name: one time axis, the optimum's latency marked on it"
    else
        not_ok "$name: one time axis with the latency marked"
        dump "$S"
    fi
    t send-keys -t "$S" c
    check_off=$(wait_for "$S" "comparison off" && echo yes)
    if [ "$check_off" = yes ] && ! screen "$S" | grep -q "^ vs $base: "; then
        ok "$name: c again ends the comparison"
    else
        not_ok "$name: c again ends the comparison"
        dump "$S"
    fi
    t send-keys -t "$S" q
    # The session stays till the end: killing the last one takes the tmux
    # server down under the next new-session.
    wait_for "$S" "^EXITED 0" || { not_ok "$name: q quits"; dump "$S"; }
done

# Clicks in the compare view (ASCII, where a column is a byte): a bar of the
# compared timeline names its layer, device and times, and whose it is.
# bar_at AFTER LANE: "x y" of the first compute cell (#) of LANE after the
# line matching AFTER.
bar_at() {
    screen "$S" | awk -v a="$1" -v l="^$2 " 'f && $0 ~ l { i = index($0, "#"); if (i) { print i - 1, NR - 1; exit } } $0 ~ a { f = 1 }'
}
S=click
EXTRA_ENV="LANG=C LC_ALL=C" tui_start "$S" 80 24 default.yaml
settled "$S"
t send-keys -t "$S" Tab Tab Tab G c
if wait_for "$S" "^ vs contiguous-run DP: " && set -- $(bar_at "^ vs " cloud) && [ -n "${2:-}" ]; then
    click "$S" "$1" "$2"
    check "$S" "a click on the compared timeline's bar says what it is and that it is the baseline's" \
        "in contiguous-run DP: [a-z0-9]* computes on cloud: [0-9.]* [a-z]*s to "
else
    not_ok "the compared timeline has a cloud lane with a compute bar (ASCII)"
    dump "$S"
fi
if set -- $(bar_at "^ \\^ optimum: " phone) && [ -n "${2:-}" ]; then
    click "$S" "$1" "$2"
    check "$S" "a click on the optimum's bar says what it is" "^ [a-z0-9]* computes on phone: "
else
    not_ok "the optimum's timeline has a phone lane with a compute bar (ASCII)"
    dump "$S"
fi
t send-keys -t "$S" q
check_reports "no sanitizer reports"
finish
