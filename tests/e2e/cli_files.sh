#!/bin/sh
# Output files and streams of the command line: --write-lp asks for --force
# before replacing a file, never writes over the scenario being read, and a
# failed LP write is reported after the result; a write error on stdout
# (/dev/full) makes every command say so on stderr and exit non-zero.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml

cp "$we" "$tmp/we.yaml"
ln -s we.yaml "$tmp/alias.yaml"
printf 'precious\n' >"$tmp/old.lp"

run solve "$tmp/we.yaml" --write-lp "$tmp/old.lp"
check "--write-lp onto an existing file: exit 2, the file kept" sh -c "[ $rc = 2 ] &&
    grep -qx \"nnpart solve: --write-lp: '$tmp/old.lp' exists; add --force to replace it\" '$tmp/err' &&
    [ \"\$(cat '$tmp/old.lp')\" = precious ] && [ ! -s '$tmp/out' ]"
run solve "$tmp/we.yaml" --write-lp "$tmp/old.lp" --force
check "--write-lp --force replaces it with the LP" sh -c "[ $rc = 0 ] &&
    grep -qi '^minimize' '$tmp/old.lp'"

for target in we.yaml alias.yaml; do
    run solve "$tmp/we.yaml" --write-lp "$tmp/$target" --force
    check "--write-lp onto the scenario itself ($target), even with --force: exit 2, kept" sh -c "
        [ $rc = 2 ] && cmp -s '$we' '$tmp/we.yaml' &&
        grep -qx \"nnpart solve: --write-lp: '$tmp/$target' is the scenario being read; choose another file for the LP\" '$tmp/err'"
done

# Pictures never go over the scenario either.
for cmd in "solve" "eval --place edge,cloud,cloud" \
    "sweep --vary device:edge.speed --from 1GFLOP/s --to 2GFLOP/s"; do
    # shellcheck disable=SC2086
    run ${cmd%% *} "$tmp/alias.yaml" $(echo "$cmd" | cut -s -d' ' -f2-) --svg "$tmp/we.yaml" --force
    check "${cmd%% *} --svg onto the scenario, even with --force: exit 2, kept" sh -c "
        [ $rc = 2 ] && cmp -s '$we' '$tmp/we.yaml' &&
        grep -qx \"nnpart ${cmd%% *}: --svg: '$tmp/we.yaml' is the scenario being read; choose another file\" '$tmp/err'"
done

run solve "$we" --write-lp /dev/full
check "--write-lp /dev/full: the result is printed, the failed write said, exit 1" sh -c "
    [ $rc = 1 ] && grep -q '^latency: *712 ms' '$tmp/out' && grep -q '^baselines' '$tmp/out' &&
    grep -qx \"nnpart solve: cannot write the LP file '/dev/full': write failed: No space left on device\" '$tmp/err'"
run solve "$we" --write-lp /dev/null
check "--write-lp onto a device replaces nothing: no --force needed" status_is 0

# Every command's stdout into a full disk.
while read -r args; do
    # shellcheck disable=SC2086
    "$NNPART" $args >/dev/full 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne 0 ] &&
        grep -qx 'nnpart: cannot write the output: No space left on device' "$tmp/err"; then
        ok "nnpart $args > /dev/full: exit $rc, said on stderr"
    else
        not_ok "nnpart $args > /dev/full: exit $rc, said on stderr"
        sed 's/^/#   /' "$tmp/err"
    fi
done <<LIST
solve configs/default.yaml
solve $we --json
check $we
eval $we --place edge,cloud,cloud
sweep $we --vary device:edge.speed --from 1GFLOP/s --to 2GFLOP/s --steps 2
zoo
zoo resnet18 --json
presets
--help
--version
solve --help
LIST
"$NNPART" check "$we" >/dev/null 2>"$tmp/err"
check "with a working stdout the same command exits 0 and says nothing" sh -c "[ $? = 0 ] && [ ! -s '$tmp/err' ]"
"$NNPART" solve "$tmp/missing.yaml" >/dev/full 2>"$tmp/err"
rc=$?
check "a failing command keeps its own status (2) under a full stdout" status_is 2
finish
