#!/bin/sh
# embed.sh SYMBOL FILE: prints a C file defining `const char SYMBOL[]` with
# FILE's bytes, so the default scenario is compiled into the binary.
set -e
printf '/* Generated from %s by scripts/embed.sh; do not edit. */\n' "$2"
printf 'const char %s[] = {\n' "$1"
od -An -v -tu1 "$2" | awk '{ line = ""; for (i = 1; i <= NF; i++) line = line $i ","; print line }'
printf '0};\n'
