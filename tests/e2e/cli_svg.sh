#!/bin/sh
# `solve --svg` and `eval --svg`: every picture parses as XML (xmllint) and
# renders (rsvg-convert); names with markup stay text; --compare; existing
# files are kept unless --force.
. "$(dirname "$0")/cli_tap.inc"
we=configs/worked-example.yaml

# valid_svg FILE: parses as XML, is an <svg> document, renders to a PNG.
valid_svg() {
    xmllint --noout "$1" 2>"$tmp/xmllint.err" || { sed 's/^/#   /' "$tmp/xmllint.err"; return 1; }
    [ "$(xmllint --xpath 'name(/*)' "$1")" = svg ] || return 1
    rsvg-convert "$1" -o "$1.png" 2>"$tmp/rsvg.err" || { sed 's/^/#   /' "$tmp/rsvg.err"; return 1; }
    # A PNG starts with \211PNG.
    [ "$(head -c 4 "$1.png" | tail -c 3)" = PNG ]
}

run solve "$we" --svg "$tmp/t.svg"
check "solve --svg: exit 0" status_is 0
check "solve --svg: parses and renders" valid_svg "$tmp/t.svg"
check "solve --svg: lanes, bars, latency and legend" sh -c "
    grep -q '>edge load<' '$tmp/t.svg' && grep -q '>cloud<' '$tmp/t.svg' &&
    grep -q '>edge-cloud<' '$tmp/t.svg' && grep -q 'latency 712 ms' '$tmp/t.svg' &&
    grep -q '>optimum: 712 ms (preload)<' '$tmp/t.svg' && grep -q '>waiting for weights<' '$tmp/t.svg' &&
    grep -q '>L2<' '$tmp/t.svg' && grep -q '>700 ms<' '$tmp/t.svg'"
check "solve --svg: text output unchanged on stdout" grep -q '^latency: *712 ms' "$tmp/out"

run solve "$we" --svg "$tmp/t.svg"
check "an existing file is kept without --force: exit 2 and the message" sh -c "[ $rc = 2 ] &&
    grep -qx \"nnpart solve: --svg: '$tmp/t.svg' exists; add --force to overwrite it\" '$tmp/err'"
: >"$tmp/empty.svg"
run solve "$we" --svg "$tmp/empty.svg"
check "the existing file is untouched" sh -c "[ $rc = 2 ] && [ ! -s '$tmp/empty.svg' ]"
run solve "$we" --svg "$tmp/empty.svg" --force
check "--force replaces it" sh -c "[ $rc = 0 ] && grep -q '</svg>' '$tmp/empty.svg'"
# /dev/stdout on a pipe is no file to keep: written in place, no --force.
"$NNPART" solve "$we" --svg /dev/stdout 2>"$tmp/err" | cat >"$tmp/piped"
check "--svg /dev/stdout on a pipe is written in place without --force" sh -c "
    grep -q '</svg>' '$tmp/piped' && grep -q '^latency: *712 ms' '$tmp/piped' && [ ! -s '$tmp/err' ]"
check "no temporary files are left beside it" sh -c "[ -z \"\$(ls -A '$tmp' | grep '^\\.')\" ]"
run solve "$we" --svg "$tmp/no/such/dir/t.svg"
check "--svg into a missing directory: exit 1, says why" sh -c "[ $rc = 1 ] &&
    grep -q \"^nnpart solve: --svg: cannot write '$tmp/no/such/dir/t.svg': No such file or directory\" '$tmp/err'"
run solve "$we" --svg ""
check "--svg with an empty name: exit 2" sh -c "[ $rc = 2 ] &&
    grep -qx 'nnpart solve: --svg: the file name is empty' '$tmp/err'"

run solve "$we" --svg "$tmp/cmp.svg" --compare "all on cloud" --json
check "solve --compare 'all on cloud': JSON on stdout, both timelines drawn" sh -c "[ $rc = 0 ] &&
    jq -e .latency_s '$tmp/out' >/dev/null && grep -q '>optimum: 712 ms' '$tmp/cmp.svg' &&
    grep -q '>all on cloud: 722 ms (preload)<' '$tmp/cmp.svg'"
check "the comparison picture is valid" valid_svg "$tmp/cmp.svg"
run solve "$we" --svg "$tmp/best.svg" --compare best
check "solve --compare best draws the best baseline (a tie with the optimum)" sh -c "[ $rc = 0 ] &&
    grep -q '>split edge|cloud after L1: 712 ms (preload)<' '$tmp/best.svg'"
run solve "$we" --svg "$tmp/bad.svg" --compare "all on mars"
check "solve --compare unknown: exit 2, names baselines and the placement error" sh -c "[ $rc = 2 ] &&
    grep -q \"^nnpart solve: --compare: 'all on mars' is neither a baseline (best, all on edge, all on cloud\" '$tmp/err' &&
    grep -q \"nor a placement (no device named 'all' (devices: edge, cloud))\" '$tmp/err' && [ ! -e '$tmp/bad.svg' ]"
run solve "$we" --compare best
check "--compare without --svg: exit 2" sh -c "[ $rc = 2 ] &&
    grep -qx 'nnpart solve: --compare needs --svg' '$tmp/err'"
run solve "$we" --force
check "--force without --svg: exit 2" sh -c "[ $rc = 2 ] &&
    grep -qx 'nnpart solve: --force needs --svg or --write-lp' '$tmp/err'"

run eval "$we" --place edge,cloud,cloud --svg "$tmp/e.svg" --compare cloud
check "eval --svg --compare PLACEMENT: both drawn" sh -c "[ $rc = 0 ] &&
    grep -q '>placement: 712 ms (preload)<' '$tmp/e.svg' && grep -q '>compared: 722 ms (preload)<' '$tmp/e.svg'"
check "eval's picture is valid" valid_svg "$tmp/e.svg"
run eval "$we" --place edge --svg "$tmp/e2.svg" --compare "all on cloud" --mode ondemand
check "eval --compare BASELINE under --mode" sh -c "[ $rc = 0 ] &&
    grep -q '>placement: 8.3 s (ondemand)<' '$tmp/e2.svg' && grep -q '>all on cloud: 843 ms (ondemand)<' '$tmp/e2.svg'"
run eval "$we" --place edge --svg "$tmp/e3.svg" --compare edge,edge
check "eval --compare with a short placement: exit 2, the reason" sh -c "[ $rc = 2 ] &&
    grep -q '^nnpart eval: --compare: .*is neither a baseline' '$tmp/err' && [ ! -e '$tmp/e3.svg' ]"

# Markup and quotes in names are text in the picture.
sed 's/name: L2,/name: "a<b\&c \\"q\\" '"'"'s'"'"' >",/; s/^name: .*/name: "<script>\&amp;"/' "$we" >"$tmp/markup.yaml"
run solve "$tmp/markup.yaml" --svg "$tmp/m.svg"
check "names with < & \" ' : solve --svg exits 0" status_is 0
check "markup picture parses and renders" valid_svg "$tmp/m.svg"
check "the escaped names read back as the original text" sh -c "
    xmllint --xpath 'string(/*[local-name()=\"svg\"]/*[local-name()=\"title\"])' '$tmp/m.svg' |
        grep -q '^<script>&amp; ' &&
    xmllint --xpath 'string(//*[local-name()=\"text\"][starts-with(., \"a<\")])' '$tmp/m.svg' |
        grep -qx \"a<b&c \\\"q\\\" 's' >\""

# An infeasible placement: a picture saying why.
sed 's/memory: 100 MB/memory: 10 MB/' "$we" >"$tmp/small-edge.yaml"
run eval "$tmp/small-edge.yaml" --place edge --svg "$tmp/inf.svg"
check "eval --svg of an infeasible placement: exit 1, picture names the reason" sh -c "[ $rc = 1 ] &&
    grep -q '>placement: infeasible<' '$tmp/inf.svg' && grep -q 'edge needs' '$tmp/inf.svg'"
check "the infeasible picture is valid" valid_svg "$tmp/inf.svg"

finish
