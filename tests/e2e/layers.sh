#!/bin/sh
# The layering rule of the brief, checked on the sources: model/ and solve/
# never include curses or the drawing layer, and draw/ never includes curses,
# so the CLI and the explorer share one curses-free layout.
n=0
check() { # check DESCRIPTION PATTERN DIR...
    desc=$1
    pat=$2
    shift 2
    n=$((n + 1))
    hits=$(grep -lE "$pat" "$@" 2>/dev/null)
    if [ -z "$hits" ]; then
        echo "ok $n - $desc"
    else
        echo "not ok $n - $desc:" $hits
    fi
}
check "model/ and solve/ do not include curses" '#include *[<"](n?curses|ncursesw/)' model/*.[ch] solve/*.[ch]
check "model/ and solve/ do not include draw/" '#include *".*(draw/|gantt|plot|svg)' model/*.[ch] solve/*.[ch]
check "draw/ does not include curses" '#include *[<"](n?curses|ncursesw/)' draw/*.[ch]
check "draw/ does not include tui/ or cli/" '#include *"\.\./(tui|cli)/' draw/*.[ch]
