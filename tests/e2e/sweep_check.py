#!/usr/bin/env python3
"""Checks of `nnpart sweep` output against its own --json, for
cli_sweep_objective.sh (not a test on its own).

  sweep_check.py csv OUT.csv OUT.json COLUMN
      the CSV's COLUMN (the optimum's value on the objective; latency_s under
      latency) holds the JSON's objective_value at every point and
      breakpoint; under latency no second column of it.
  sweep_check.py svg OUT.svg OUT.json TITLE BASELINE-KEY [latency]
      the y axis is called TITLE; the optimum's line and the best baseline's
      line pass through the JSON's objective_value and the least BASELINE-KEY
      among the baselines within the limits (with `latency`: the least
      latency_s among the feasible ones) at every point, read back through
      the y axis' tick labels.

Prints what differs and exits 1 when a check fails."""
import csv
import json
import math
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
PREFIX = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "m": 1e-3, "u": 1e-6, "\u00b5": 1e-6,
          "\u03bc": 1e-6, "n": 1e-9}


def fail(msg):
    print("# " + msg)
    sys.exit(1)


def close(a, b, rel=1e-12):
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b))


def check_csv(path, jpath, column):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    with open(jpath) as f:
        doc = json.load(f)
    head = rows[0]
    if head.count(column) != 1:
        fail("header %s has %d columns %s" % (head, head.count(column), column))
    at = head.index(column)
    lat = head.index("latency_s")
    if column != "latency_s" and at != lat + 1:
        fail("%s is column %d, not right after latency_s (%d)" % (column, at, lat))
    if column == "latency_s" and head[lat + 1] != "status":
        fail("under latency a column %s follows latency_s" % head[lat + 1])
    points = iter(doc["points"])
    breaks = iter(doc.get("breakpoints", []))
    n = 0
    for row in rows[1:]:
        kind = row[0] if head[0] == "row" else "point"
        want = next(points if kind == "point" else breaks)
        got = float(row[at])
        if "objective_value" not in want:
            fail("%s %d: the JSON has no objective_value" % (kind, n))
        if not close(got, want["objective_value"]):
            fail("%s %d: %s = %r, the JSON's objective_value %r" %
                 (kind, n, column, got, want["objective_value"]))
        if not close(float(row[lat]), want["latency_s"]):
            fail("%s %d: latency_s %s, the JSON's %r" % (kind, n, row[lat], want["latency_s"]))
        n += 1
    if next(points, None) is not None or next(breaks, None) is not None:
        fail("the JSON has more points or breakpoints than the CSV's %d rows" % n)
    print("# %d rows checked" % n)


def tick_value(text):
    m = re.fullmatch(r"(-?[0-9.]+(?:e[-+]?[0-9]+)?) ?([kMGmu\u00b5\u03bcn]?)(J|s)", text)
    if not m:
        fail("y tick label %r has no value in J or s" % text)
    return float(m.group(1)) * PREFIX[m.group(2)]


def check_svg(path, jpath, title, key, latency):
    root = ET.parse(path).getroot()
    with open(jpath) as f:
        doc = json.load(f)
    texts = list(root.iter(SVG + "text"))
    names = [t.text for t in texts if t.get("class") == "axisname" and t.get("transform")]
    if len(names) != 1:
        fail("%d rotated axis names" % len(names))
    log = names[0].endswith(" (log scale)")
    if names[0].removesuffix(" (log scale)") != title:
        fail("the y axis is called %r, not %r" % (names[0], title))
    # The y ticks: labels right-aligned left of the axis, 4 px below their line.
    ticks = [(float(t.get("y")) - 4, tick_value(t.text)) for t in texts
             if t.get("class") == "tick" and t.get("text-anchor") == "end"]
    if len(ticks) < 2:
        fail("fewer than two y ticks")
    f = (lambda v: math.log10(v)) if log else (lambda v: v)
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    # Tick labels are rounded to 3 digits: the scale from the two far ticks.
    scale = (y1 - y0) / (f(v1) - f(v0))

    def pixel(v):
        return y0 + (f(v) - f(v0)) * scale

    lines = {}
    for p in root.iter(SVG + "polyline"):
        stroke = p.get("stroke")
        pts = [tuple(map(float, xy.split(","))) for xy in p.get("points").split()]
        lines.setdefault(stroke, []).extend(pts)
    want_opt = [pt["objective_value"] for pt in doc["points"]]
    want_best = []
    for pt in doc["points"]:
        if latency:
            vals = [b["latency_s"] for b in pt["baselines"] if b["feasible"]]
        else:
            vals = [b[key] for b in pt["baselines"] if b["within_limits"]]
        want_best.append(min(vals))
    # The tick values are exact (1-2-5 steps); 0.5 px for the 2-decimal pixels.
    for name, stroke, want in (("optimum", "#111111", want_opt),
                               ("best baseline", "#c0392b", want_best)):
        got = lines.get(stroke, [])
        if len(got) != len(want):
            fail("the %s line has %d points, the JSON %d" % (name, len(got), len(want)))
        for i, ((_, y), v) in enumerate(zip(got, want)):
            if abs(y - pixel(v)) > 0.5:
                fail("%s at point %d: drawn at y %.2f, its value %r is at %.2f" %
                     (name, i, y, v, pixel(v)))
    spread = max(abs(pixel(a) - pixel(b)) for a, b in zip(want_opt, want_best))
    print("# %d points on each line; axis %r; the lines differ by up to %.1f px" %
          (len(want_opt), names[0], spread))


if __name__ == "__main__":
    if sys.argv[1] == "csv":
        check_csv(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        check_svg(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
                  len(sys.argv) > 6 and sys.argv[6] == "latency")
