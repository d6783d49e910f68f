/* The Pareto view in curses. */
#include "pareto_paint.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../draw/scatter.h"
#include "../draw/utf8.h"
#include "../model/text.h"
#include "pareto_view.h"

/* Y-axis labels take this many cells, then the rule. */
#define LABEL_W 9

/* Writes `s` (escaped: names come from files) from (y, x), at most `w`
 * cells; returns the cells written. */
static int put(int y, int x, int w, const char *s, attr_t a)
{
    char safe[2048];
    text_escape(safe, sizeof safe, s);
    int n = 0;
    attron(a);
    move(y, x);
    for (const char *p = safe; *p && n < w; n++) {
        char ch[8];
        p += utf8_char(p, ch, sizeof ch);
        addstr(ch);
    }
    attroff(a);
    return n;
}

/* A point's glyph: its number for the first nine, a bullet after. */
static void glyph(int i, bool unicode, char *buf, size_t size)
{
    if (i >= 0 && i < 9)
        snprintf(buf, size, "%c", '1' + i);
    else
        snprintf(buf, size, "%s", unicode ? "\u2022" : "*");
}

void pview_paint(const explorer *ex, int y, int x, int h, int w, bool unicode,
                 const pview_looks *looks)
{
    if (h <= 0 || w <= 0) return;
    for (int r = y; r < y + h; r++) {
        move(r, x);
        for (int c = 0; c < w; c++)
            addch(' ');
    }
    const ex_pview *pv = ex->pview;
    const pview_result *r = pv ? pv->shown : NULL;
    const char *opt_glyph = unicode ? "\u25c6" : "+";
    char title[200];
    if (r)
        snprintf(title, sizeof title, " Pareto front of latency and %senergy: %d point%s%s ",
                 r->battery ? "battery " : "", r->front.count, r->front.count == 1 ? "" : "s",
                 pview_computing(ex) ? " (solving...)" : "");
    else
        snprintf(title, sizeof title, " Pareto front of latency and energy (solving...) ");
    int at = x + put(y, x, w, title, looks->title) + 1;
    /* Legend: the optimum's mark (off the front), the point on show. */
    struct {
        const char *glyph, *name;
        attr_t a;
    } legend[] = {{opt_glyph, " optimum", looks->optimum}, {"#", " on show", looks->selected}};
    for (size_t i = 0; i < sizeof legend / sizeof legend[0]; i++) {
        int need = 1 + (int)strlen(legend[i].name);
        if (at + need > x + w) break;
        at += put(y, at, x + w - at, legend[i].glyph, legend[i].a);
        at += put(y, at, x + w - at, legend[i].name, looks->text) + 2;
    }
    if (h < 2) return;
    if (!r) {
        put(y + 1, x + 1, w - 2, "solving the front (each point an ILP)...", looks->dim);
        return;
    }
    int n = r->front.count;
    if (n == 0) {
        put(y + 1, x + 1, w - 2, r->message, looks->error);
        return;
    }
    /* The optimum's own point, or its place off the front. */
    const tui_outcome *o = pview_optimum(ex);
    bool have_opt = o && o->res.place && o->in.L == r->L;
    double opt_lat = have_opt ? o->res.latency : NAN,
           opt_e = have_opt ? pview_energy_of(r, o) : NAN;
    int opt_point = have_opt ? pview_match(&r->front, opt_lat, opt_e) : -1;
    /* Rows: title, plot, axis, x labels, the point on show. */
    int area_h = h - 4, area_w = w - LABEL_W - 2;
    if (area_h < 2 || area_w < 8) {
        char text[256];
        if (!pview_point_text(ex, text, sizeof text))
            snprintf(text, sizeof text, "%d points: enlarge the window for the plot", n);
        put(y + 1, x + 1, w - 2, text, looks->text);
        return;
    }
    double *px = malloc((size_t)(n + 1) * sizeof *px), *py = malloc((size_t)(n + 1) * sizeof *py);
    scatter_grid g;
    if (!px || !py) {
        free(px);
        free(py);
        return;
    }
    for (int i = 0; i < n; i++) {
        px[i] = r->front.points[i].latency;
        py[i] = r->front.points[i].energy;
    }
    px[n] = opt_lat;
    py[n] = opt_e; /* NAN when there is none: left out of the layout */
    int extra = have_opt && opt_point < 0 ? 1 : 0;
    if (scatter_layout(px, py, n + extra, area_w, area_h, &g) != 0) {
        free(px);
        free(py);
        return;
    }
    int ax = x + LABEL_W + 1; /* the rule's column */
    for (int row = 0; row < area_h; row++) {
        char label[32] = "";
        if (row == 0) units_format(g.y1, UNIT_ENERGY, label, sizeof label);
        if (row == area_h - 1) units_format(g.y0, UNIT_ENERGY, label, sizeof label);
        char field[40];
        snprintf(field, sizeof field, "%*s", LABEL_W, label);
        put(y + 1 + row, x, LABEL_W, field, looks->axis);
        put(y + 1 + row, ax, 1, unicode ? "\u2502" : "|", looks->axis);
        for (int c = 0; c < area_w; c++) {
            int p = g.cell[(size_t)row * (size_t)area_w + (size_t)c];
            if (p == 0) continue;
            char gl[8];
            if (p - 1 == n)
                snprintf(gl, sizeof gl, "%s", opt_glyph);
            else
                glyph(p - 1, unicode, gl, sizeof gl);
            put(y + 1 + row, ax + 1 + c, 1, gl, p - 1 == opt_point ? looks->optimum : looks->point);
        }
    }
    /* The optimum and the point on show win their cells. */
    int row, col;
    if (have_opt && scatter_cell(&g, opt_lat, opt_e, &row, &col)) {
        char gl[8];
        if (opt_point >= 0)
            glyph(opt_point, unicode, gl, sizeof gl);
        else
            snprintf(gl, sizeof gl, "%s", opt_glyph);
        put(y + 1 + row, ax + 1 + col, 1, gl, looks->optimum);
    }
    if (pv->sel >= 0 && pv->sel < n && scatter_cell(&g, px[pv->sel], py[pv->sel], &row, &col)) {
        char gl[8];
        glyph(pv->sel, unicode, gl, sizeof gl);
        put(y + 1 + row, ax + 1 + col, 1, gl, looks->selected);
    }
    /* The latency axis. */
    int ay = y + 1 + area_h;
    move(ay, ax);
    attron(looks->axis);
    addstr(unicode ? "\u2514" : "+");
    for (int c = 0; c < area_w; c++)
        addstr(unicode ? "\u2500" : "-");
    attroff(looks->axis);
    char lo[32], hi[32], labels[256];
    units_format(g.x0, UNIT_TIME, lo, sizeof lo);
    units_format(g.x1, UNIT_TIME, hi, sizeof hi);
    int gap = area_w - (int)strlen(lo) - (int)strlen(hi) - 8;
    snprintf(labels, sizeof labels, "%s%*slatency%*s%s", lo, gap > 2 ? gap / 2 : 1, "",
             gap > 2 ? gap - gap / 2 : 1, "", hi);
    put(ay + 1, ax + 1, area_w, labels, looks->axis);
    /* What is on show, or how to get there. */
    char text[512], place[320] = "";
    if (pv->sel >= 0 && pv->sel < n) {
        const nn_pareto_point *pt = &r->front.points[pv->sel];
        char lat[32], e[32];
        units_format(pt->latency, UNIT_TIME, lat, sizeof lat);
        units_format(pt->energy, UNIT_ENERGY, e, sizeof e);
        placement_compact(o->in.device_names, pt->place, r->L, unicode, place, sizeof place);
        snprintf(text, sizeof text, "%d/%d  %s  %s  %s", pv->sel + 1, n, lat, e, place);
    } else if (have_opt && opt_point < 0) {
        snprintf(text, sizeof text, "%s the optimum, off the front (%s); ] [ step", opt_glyph,
                 ex->doc.objective == OBJ_THROUGHPUT ? "it minimises the period"
                                                     : "as fast, more energy");
    } else {
        snprintf(text, sizeof text, "] and [ step along the front; P pins the point on show");
    }
    put(y + h - 1, x + 1, w - 2, text, looks->text);
    scatter_free(&g);
    free(px);
    free(py);
}
