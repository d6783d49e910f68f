#!/bin/sh
# Runs every cmocka test binary given as arguments, then every end-to-end
# script in tests/e2e/ (TAP-style "ok" / "not ok" lines), and prints one
# closing line "N passed, N failed". Exits non-zero on any failure.
# Environment: NNPART (the binary under test), BUILD (its build tree).
passed=0
failed=0
broken=""
log=$(mktemp)
for t in "$@"; do
    echo "== $t"
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi # crashed or sanitizer abort
    [ "$rc" != 0 ] && broken="$broken $t"
    passed=$((passed + p))
    failed=$((failed + f))
done
for s in tests/e2e/*.sh; do
    [ -f "$s" ] || continue
    echo "== $s"
    sh "$s" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
    [ "$rc" != 0 ] && broken="$broken $s"
    passed=$((passed + p))
    failed=$((failed + f))
done
rm -f "$log"
[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ -z "$broken" ]
