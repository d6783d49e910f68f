#!/bin/sh
# Installs what nnpart needs to build (and, with "test", to run its tests;
# with "bench", the benchmark's CBC) when a header or tool is missing:
# apt-get as root, otherwise it prints the
# exact command and stops.
set -e
want=${1:-build}
pkgs=""
need() { # need FILE-OR-COMMAND PACKAGE
    case "$1" in
    /*) [ -e "$1" ] || pkgs="$pkgs $2" ;;
    *) command -v "$1" >/dev/null 2>&1 || pkgs="$pkgs $2" ;;
    esac
}
need cc gcc
need make make
need pkg-config pkg-config
need /usr/include/glpk.h libglpk-dev
need /usr/include/yaml.h libyaml-dev
need /usr/include/ncursesw/curses.h libncurses-dev
need /usr/include/protobuf-c/protobuf-c.h libprotobuf-c-dev
need protoc-c protobuf-c-compiler
need /usr/include/onnx/onnx.proto libonnx-dev
if [ "$want" = bench ]; then
    need cbc coinor-cbc # make bench: CBC on the benchmark's big-M model
fi
if [ "$want" = test ]; then
    need /usr/include/cmocka.h libcmocka-dev
    need tmux tmux
    need jq jq
    need python3 python3 # tests/e2e/sweep_check.py: the sweep CSV and SVG read back
    need xmllint libxml2-utils
    need rsvg-convert librsvg2-bin
    need parallel parallel
    need clang clang # make fuzz: libFuzzer harnesses
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
        pkgs="$pkgs libfuzzer-14-dev"
fi
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "nnpart: installing$pkgs" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq $pkgs >&2
else
    echo "nnpart: missing packages. Run:" >&2
    echo "    sudo apt-get install -y$pkgs" >&2
    exit 1
fi
