#!/bin/sh
# --json stays valid JSON whatever the text it carries: a scenario name with
# ESC, BEL, a C1 control, bidirectional overrides, a quote and a backslash,
# and layer names from an ONNX model whose node names are invalid UTF-8,
# controls, a right-to-left override, quotes (tests/fixtures/hostile/
# names.onnx, made by scripts/make_hostile_onnx.py). jq and Python's json
# module both read every output; a reader gets the characters back, and the
# raw output holds no byte a terminal acts on. The importer makes node names
# printable (invalid bytes and controls become '_'), so what it writes loads
# again. The text output keeps its terminal escaping. (Invalid UTF-8 given
# to the JSON writer itself becomes U+FFFD: tests/test_cli.c.)
. "$(dirname "$0")/cli_tap.inc"
dir=tests/fixtures/hostile
s=$dir/scenario.yaml

# valid_json DESC: jq and python3 both parse $tmp/out; no ESC, BEL, C1 or
# bidirectional override reaches the output as raw bytes.
valid_json() {
    check "$1: jq reads it" json_valid
    check "$1: python3 -m json.tool reads it" python3 -m json.tool "$tmp/out" /dev/null
    check "$1: no raw control, C1 or override byte" sh -c "
        ! LC_ALL=C grep -q \"\$(printf '[\\001-\\010\\033\\177]')\" '$tmp/out' &&
        ! LC_ALL=C grep -q \"\$(printf '\\302[\\200-\\237]\\\\|\\342\\200[\\252-\\256]\\\\|\\342\\201[\\246-\\251]\\\\|[\\370-\\377]')\" '$tmp/out'"
}

run solve "$s" --json
valid_json "solve --json"
check "solve --json: the layer names read back, invalid bytes and controls as _" json_true \
    '[.layers[].name] == ["_\"\\__mm", "r\u202eo___"]'
check "solve --json: the scenario name reads back as written" json_true \
    '.scenario == "x\u001b]2;pwned\u0007 \u009b2J \u202eevil\u202c \"q\" \\"'
check "solve --json: device names in placements and baselines" json_true \
    '(.baselines | map(.name) | index("all on ph\u202eone")) != null'

run eval "$s" --place "hub,hub" --json
valid_json "eval --json"
check "eval --json: the names read back" json_true \
    '.layers[0].name == "_\"\\__mm" and .layers[1].name == "r\u202eo___" and .placement == ["hub", "hub"]'

run pareto "$s" --json
valid_json "pareto --json"

run import "$dir/names.onnx" --granularity ops --json
valid_json "import --json"
check "import --json: the node names, made printable" json_true \
    '[.layers[].name] == ["_\"\\__mm", "r\u202eo___"]'
run import "$dir/names.onnx" --granularity ops -o "$tmp/imported.yaml"
check "import -o: the scenario it writes loads again" sh -c "[ $rc = 0 ] &&
    '$NNPART' check '$tmp/imported.yaml' >/dev/null"

# Ordinary UTF-8 passes unchanged.
printf 'name: "caf\303\251 \303\227 3"\n' >"$tmp/utf8.yaml"
sed -n '/^network:/,$p' "$s" | sed "s|names.onnx|$PWD/$dir/names.onnx|" >>"$tmp/utf8.yaml"
run solve "$tmp/utf8.yaml" --json
want=$(printf '"scenario": "caf\303\251 \303\227 3"')
check "ordinary UTF-8 is written as it is" sh -c "[ $rc = 0 ] && grep -qF '$want' '$tmp/out'"

# The text output keeps the terminal escaping (\x.., \u....).
run solve "$s"
check "text output: escaped for the terminal as before" sh -c "[ $rc = 0 ] &&
    grep -qF 'scenario:  x\\x1b]2;pwned\\x07 \\u009b2J \\u202eevil\\u202c \"q\" \\' '$tmp/out' &&
    grep -qF 'placement: ph\\u202eone' '$tmp/out'"

finish
