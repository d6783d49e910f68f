#!/usr/bin/env python3
"""Checks of `nnpart sweep` output against its own --json, for
cli_sweep_objective.sh (not a test on its own).

  sweep_check.py csv OUT.csv OUT.json COLUMN
      the CSV's COLUMN (the optimum's value on the objective; latency_s under
      latency) holds the JSON's objective_value at every point and
      breakpoint; under latency no second column of it.
  sweep_check.py svg OUT.svg OUT.json TITLE BASELINE-KEY
      the y axis is called TITLE; the optimum's line and the best baseline's
      line pass through the JSON's objective_value and the least BASELINE-KEY
      among the baselines within the limits at every point, read back
      through the y axis' tick labels.

  sweep_check.py agree OUT.csv OUT.json OUT.svg OUT.txt BASELINE-KEY
      every output of one sweep says the same (one axis, --breakpoints):
      the CSV's best baseline is the least BASELINE-KEY among the JSON's
      baselines within the limits (empty where none is); the SVG's optimum,
      best baseline and each device's line are the CSV's and the JSON's
      values within the limits, no point where a baseline is over them, and
      a legend that counts those points; the text table's latency, the
      objective's value, best baseline and its value are the CSV's; the
      placement ranges' values at each end are on the objective, in its
      unit, the breakpoints' objective_value at each change.

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


def check_svg(path, jpath, title, key):
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


def unit_value(text, unit):
    """A table cell such as '712 ms' or '2.08 J' in base units; '-' and
    'over the limits' are infinite."""
    if text in ("-", "over the limits"):
        return math.inf
    m = re.fullmatch(r"(-?[0-9.]+(?:e[-+]?[0-9]+)?) ?([kMGmu\u00b5\u03bcn]?)" + unit, text)
    if not m:
        fail("cell %r is not a value in %s" % (text, unit))
    return float(m.group(1)) * PREFIX[m.group(2)]


def shown(a, b):
    """Printed to 3 significant digits (units_format) or 4 (inputs/s)."""
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 6e-3 * max(abs(a), abs(b))


def text_tables(path):
    """The text output's tables: [(header cells, rows of cells)], columns
    from the dashes under the header."""
    with open(path) as f:
        lines = f.read().split("\n")
    tables = []
    for i, line in enumerate(lines):
        if not line.strip() or set(line.strip()) - {"-", " "}:
            continue
        spans = [m.span() for m in re.finditer(r"-+", line)]
        # Cells are left- or right-aligned within their dashes' columns.
        def cut(text):
            text = text.ljust(len(line))
            return [text[a:b].strip() for a, b in spans]
        rows = []
        for row in lines[i + 1:]:
            if not row.strip():
                break
            rows.append(cut(row))
        tables.append((cut(lines[i - 1]), rows))
    return tables


def plot_lines(root):
    """The SVG's polylines by stroke (in order), the legend's names by
    stroke, and the plot area's top and bottom."""
    lines, names = {}, {}
    last = None
    for el in root.iter():
        tag = el.tag.replace(SVG, "")
        if tag == "polyline":
            pts = [tuple(map(float, xy.split(","))) for xy in el.get("points").split()]
            lines.setdefault(el.get("stroke"), []).extend(pts)
        elif tag == "line" and el.get("stroke"):
            last = el.get("stroke")
        elif tag == "text" and last and el.text:
            names[last] = el.text
            last = None
        elif tag == "text":
            last = None
    rects = [el for el in root.iter(SVG + "rect") if el.get("class") == "axis"]
    top = float(rects[0].get("y"))
    return lines, names, top, top + float(rects[0].get("height"))


def check_agree(cpath, jpath, spath, tpath, key):
    with open(cpath, newline="") as f:
        rows = list(csv.reader(f))
    with open(jpath) as f:
        doc = json.load(f)
    head = rows[0]
    col = head[-3].removeprefix("best_baseline_")  # before,after follow it
    if not head[-3].startswith("best_baseline_"):
        fail("no best_baseline_ column before before,after: %s" % head)
    at_value = head.index(col)
    at_lat, at_name, at_best = head.index("latency_s"), head.index("best_baseline"), len(head) - 3
    points = [r for r in rows[1:] if r[0] == "point"]
    num = lambda t: float(t) if t != "" else math.inf
    M = len(points)
    if M != len(doc["points"]):
        fail("the CSV has %d points, the JSON %d" % (M, len(doc["points"])))
    # 1. The CSV's best baseline: the least on the objective within the limits.
    for i, (r, pt) in enumerate(zip(points, doc["points"])):
        within = [b for b in pt["baselines"] if b["within_limits"]]
        want = min((b[key] for b in within), default=math.inf)
        got = num(r[at_best])
        if not (got == want or close(got, want)):
            fail("point %d: best_baseline_%s %r, the least within the limits %r" %
                 (i, col, got, want))
        names = [b["name"] for b in within if close(b[key], want)]
        if (r[at_name] or None) not in (names or [None]):
            fail("point %d: best_baseline %r, not one of %s" % (i, r[at_name], names))
    # 2. The picture: the same values, nothing where over the limits.
    root = ET.parse(spath).getroot()
    texts = list(root.iter(SVG + "text"))
    axis = [t.text for t in texts if t.get("class") == "axisname" and t.get("transform")][0]
    log = axis.endswith(" (log scale)")
    unit = "J" if col.endswith("_j") else "s"
    ticks = [(float(t.get("y")) - 4, tick_value(t.text)) for t in texts
             if t.get("class") == "tick" and t.get("text-anchor") == "end"]
    f = (lambda v: math.log10(v)) if log else (lambda v: v)
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    scale = (y1 - y0) / (f(v1) - f(v0))
    lines, legend, top, bottom = plot_lines(root)

    def pixel(v):  # clipped to the plot area, as drawn
        return min(max(y0 + (f(v) - f(v0)) * scale, top), bottom)

    def check_line(name, stroke, want):
        finite = [v for v in want if math.isfinite(v)]
        got = lines.get(stroke, [])
        if len(got) != len(finite):
            fail("the %s line has %d points; %d are within the limits (%s)" %
                 (name, len(got), len(finite), want))
        for i, ((_, y), v) in enumerate(zip(got, finite)):
            if abs(y - pixel(v)) > 0.5:
                fail("%s at its point %d: drawn at y %.2f, its value %r is at %.2f" %
                     (name, i, y, v, pixel(v)))

    check_line("optimum", "#111111", [num(r[at_value]) for r in points])
    check_line("best baseline", "#c0392b", [num(r[at_best]) for r in points])
    devices = sorted({b["name"] for pt in doc["points"] for b in pt["baselines"]
                      if b["name"].startswith("all on ") and b["feasible"]})
    by_name = {v.split(" (")[0]: k for k, v in legend.items()}
    for d in devices:
        vals, over = [], 0
        for pt in doc["points"]:
            b = [b for b in pt["baselines"] if b["name"] == d][0]
            vals.append(b[key] if b["within_limits"] else math.inf)
            over += b["feasible"] and not b["within_limits"]
        stroke = by_name.get(d)
        if stroke is None:
            fail("the legend has no line %r (%s)" % (d, sorted(legend.values())))
        check_line(d, stroke, vals)
        note = legend[stroke].removeprefix(d)
        if over and ("over the limits at %d of %d points" % (over, M) if over < M
                     else "over the limits at every point") not in note:
            fail("%r is over the limits at %d of %d points; its legend says %r" %
                 (d, over, M, legend[stroke]))
        if not over and "over the limits" in note:
            fail("%r is within the limits everywhere; its legend says %r" % (d, legend[stroke]))
    # 3. The text table: the CSV's values, on the objective.
    tables = text_tables(tpath)
    thead, trows = tables[0]
    oname = {"latency_s": "latency", "energy_j": "energy", "battery_energy_j": "battery energy",
             "period_s": "period"}[col]
    need = ["latency", "best baseline", "its " + oname]
    if col != "latency_s":
        need.append(oname)
    if col == "period_s":
        need.append("inputs/s")
    for c in need:
        if c not in thead:
            fail("the text table has no column %r: %s" % (c, thead))
    if len(trows) != M:
        fail("the text table has %d rows, the CSV %d points" % (len(trows), M))
    for i, (t, r) in enumerate(zip(trows, points)):
        cell = dict(zip(thead, t))
        pairs = [("latency", unit_value(cell["latency"], "s"), num(r[at_lat])),
                 ("its " + oname, unit_value(cell["its " + oname], unit), num(r[at_best]))]
        if col != "latency_s":
            pairs.append((oname, unit_value(cell[oname], unit), num(r[at_value])))
        if col == "period_s":
            rate = float(cell["inputs/s"]) if cell["inputs/s"] != "-" else math.inf
            pairs.append(("inputs/s", rate, 1 / num(r[at_value])))
        for what, a, b in pairs:
            if not shown(a, b):
                fail("text row %d: %s %r, the CSV's %r" % (i, what, a, b))
        if cell["best baseline"] != (r[at_name] or "-"):
            fail("text row %d: best baseline %r, the CSV's %r" %
                 (i, cell["best baseline"], r[at_name]))
    # 4. The placement ranges: the objective's value at each end.
    if len(tables) < 2:
        fail("no placement ranges table")
    rhead, rrows = tables[1]
    ends = [oname + " at from", oname + " at to"]
    if rhead[3:5] != ends:
        fail("the ranges' value columns are %s, not %s" % (rhead[3:], ends))
    if col == "period_s" and rhead[5:7] != ["inputs/s at from", "inputs/s at to"]:
        fail("the ranges have no inputs/s at either end: %s" % rhead)
    vals = [(unit_value(r[3], unit), unit_value(r[4], unit)) for r in rrows]
    if col == "period_s":
        for i, (r, (a, b)) in enumerate(zip(rrows, vals)):
            for cell, v in ((r[5], a), (r[6], b)):
                rate = float(cell) if cell != "-" else math.inf
                if not shown(rate, 1 / v):
                    fail("range %d: inputs/s %r, 1 / its period %r" % (i, cell, v))
    bps = doc["breakpoints"]
    if len(rrows) != len(bps) + 1:
        fail("%d ranges for %d breakpoints" % (len(rrows), len(bps)))
    if not shown(vals[0][0], num(points[0][at_value])) or \
            not shown(vals[-1][1], num(points[-1][at_value])):
        fail("the ranges' ends %r, %r; the first and last points' %s %s, %s" %
             (vals[0][0], vals[-1][1], col, points[0][at_value], points[-1][at_value]))
    for i, bp in enumerate(bps):
        want = bp["objective_value"] if bp["objective_value"] is not None else math.inf
        if not shown(min(vals[i][1], vals[i + 1][0]), want):
            fail("change %d: the ranges' values %r and %r, the breakpoint's %s %r" %
                 (i, vals[i][1], vals[i + 1][0], col, want))
    print("# %d points, %d breakpoints: CSV, JSON, SVG (%d lines) and text agree on %s" %
          (M, len(bps), 2 + len(devices), col))


if __name__ == "__main__":
    if sys.argv[1] == "agree":
        check_agree(*sys.argv[2:7])
    elif sys.argv[1] == "csv":
        check_csv(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        check_svg(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
