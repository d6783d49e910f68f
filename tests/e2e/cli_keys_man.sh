#!/bin/sh
# The man page's explorer keys are the key table's (nnpart --keys-man
# prints them from the table that dispatches keys and prints the help).
. "$(dirname "$0")/cli_tap.inc"

awk '/^\.\\" keys: end/ { exit } on { print } /^\.\\" keys: generated/ { on = 1 }' doc/nnpart.1 \
    >"$tmp/man"
run --keys-man
check "nnpart --keys-man lists keys" grep -q '^\.B q F10 Ctrl\\-C$' "$tmp/out"
check "doc/nnpart.1 lists the explorer's keys as the key table has them (make man-keys)" \
    cmp -s "$tmp/man" "$tmp/out"
run solv
check "a mistyped command suggests the closest (nnpart solv)" \
    grep -q "unknown command 'solv' (did you mean 'solve'?)" "$tmp/err"
check "a mistyped command exits with 2" status_is 2
finish
