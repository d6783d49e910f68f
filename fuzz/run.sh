#!/bin/sh
# Runs each libFuzzer harness for $FUZZ_SECONDS on its corpus: the corpus
# it grows in $BUILD/corpus/NAME, its seeds in fuzz/seeds/NAME and the
# directories named after the colon. Prints one TAP line per harness
# ("ok N - fuzz_x: ..."); any finding (crash, sanitizer report, leak,
# timeout, a failed property) fails it, with libFuzzer's log and the input.
# Usage: fuzz/run.sh BUILD/fuzz/NAME:SEED_DIR... ...
: "${FUZZ_SECONDS:=12}"
: "${BUILD:=build/fuzz}"
n=0
fails=0
for spec in "$@"; do
    bin=${spec%%:*}
    seeds=${spec#*:}
    name=$(basename "$bin")
    corpus=$BUILD/corpus/$name
    artifacts=$BUILD/findings/$name
    mkdir -p "$corpus" "$artifacts"
    dirs=""
    [ -d "fuzz/seeds/$name" ] && dirs="fuzz/seeds/$name"
    for d in $seeds; do [ -d "$d" ] && dirs="$dirs $d"; done
    log=$BUILD/$name.log
    n=$((n + 1))
    # shellcheck disable=SC2086
    if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" $dirs >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "ok $n - $name: ${runs:-?} inputs in ${FUZZ_SECONDS} s, no finding"
    else
        fails=$((fails + 1))
        echo "not ok $n - $name: a finding (log $log, inputs in $artifacts)"
        grep -v '^#' "$log" | tail -40 | sed 's/^/#   /'
    fi
done
[ "$fails" = 0 ]
