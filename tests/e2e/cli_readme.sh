#!/bin/sh
# README.md stays true: its scenario examples load, its commands exist, and
# the man page documents every command.
. "$(dirname "$0")/cli_tap.inc"

# The n-th ```yaml block of README.md.
yaml_block() {
    awk -v want="$1" '/^```yaml$/ { n++; on = (n == want); next } /^```$/ { on = 0 } on' README.md
}

yaml_block 1 >"$tmp/example.yaml"
run check "$tmp/example.yaml"
check "README's scenario example loads" status_is 0

# The inline-network example replaces the first example's `network:` line.
yaml_block 2 >"$tmp/network.yaml"
awk -v net="$tmp/network.yaml" '
    /^network:/ { while ((getline line < net) > 0) print line; next } { print }' \
    "$tmp/example.yaml" >"$tmp/inline.yaml"
run check "$tmp/inline.yaml"
check "README's inline network example loads" status_is 0

run --help
for c in $(sed -n 's/^| `nnpart \([a-z]*\) .*/\1/p' README.md); do
    check "README's command '$c' is in nnpart --help" grep -q "^  $c " "$tmp/out"
    check "the man page documents '$c'" grep -q "^\.B nnpart $c" doc/nnpart.1
done

# Every option a command's --help lists (but --help itself) is in its row of
# README's command table and in the man page.
for c in $(sed -n 's/^| `nnpart \([a-z]*\) .*/\1/p' README.md); do
    grep "^| \`nnpart $c " README.md | head -n 1 | sed 's/\\|/ /g' >"$tmp/row"
    run "$c" --help
    opts=$(sed -n 's/^  \(--*[a-z][a-z-]*\).*/\1/p' "$tmp/out" | grep -v -x -e -h -e --help)
    for o in $opts; do
        check "README's row for '$c' has $o" grep -q -e "$o[] |\`]" "$tmp/row"
        check "the man page has $o" grep -q -F -e "$(printf '%s' "$o" | sed 's/-/\\-/g')" doc/nnpart.1
    done
done

finish
