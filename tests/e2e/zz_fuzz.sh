#!/bin/sh
# Last of `make test`: `make fuzz` (every libFuzzer harness in fuzz/ under
# ASan and UBSan for FUZZ_SECONDS each). FUZZ_SECONDS=0 skips it.
[ "${FUZZ_SECONDS:-12}" = 0 ] && { echo "# fuzzing skipped (FUZZ_SECONDS=0)"; exit 0; }
# The outer make's settings (the test build's flags) are not the fuzz build's.
unset MAKEFLAGS MFLAGS MAKELEVEL
out=$(make -j2 --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-12}" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E '^(not )?ok |^#'
if [ "$rc" != 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok '; then
    echo "not ok 1 - make fuzz failed to build"
    printf '%s\n' "$out" | tail -30 | sed 's/^/#   /'
fi
[ "$rc" = 0 ]
