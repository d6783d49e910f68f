/* The sensitivity view in curses. */
#include "sensitivity_paint.h"

#include <stdio.h>
#include <string.h>

#include "../draw/plot_text.h"
#include "../draw/utf8.h"
#include "sensitivity.h"

/* Writes `s` from (y, x), at most `w` characters; returns the characters written. */
static int put(int y, int x, int w, const char *s, attr_t a)
{
    int n = 0;
    attron(a);
    move(y, x);
    for (const char *p = s; *p && n < w; n++) {
        char ch[8];
        p += utf8_char(p, ch, sizeof ch);
        addstr(ch);
    }
    attroff(a);
    return n;
}

static attr_t look_of(const sens_looks *l, plot_cell_kind k)
{
    switch (k) {
    case PCELL_EMPTY:
        return A_NORMAL;
    case PCELL_AXIS:
        return l->axis;
    case PCELL_OPTIMUM:
        return l->optimum;
    case PCELL_BEST:
        return l->best;
    case PCELL_MARK:
        return l->mark;
    case PCELL_CURRENT:
        return l->current;
    case PCELL_BAND:
        return l->band;
    }
    return A_NORMAL;
}

void sens_paint(const explorer *ex, int y, int x, int h, int w, bool unicode,
                const sens_looks *looks)
{
    if (h <= 0 || w <= 0) return;
    for (int r = y; r < y + h; r++) {
        move(r, x);
        for (int c = 0; c < w; c++)
            addch(' ');
    }
    const ex_sens *v = ex->sens;
    const sens_result *r = v ? v->shown : NULL;
    char title[400];
    const char *line = unicode ? "\u2500\u2500" : "--";
    const char *dots = unicode ? "\u2504\u2504" : "++";
    const char *rule = unicode ? "\u2506" : ":";
    snprintf(title, sizeof title, " Sensitivity of %s%s ", r ? r->what : "the selected value",
             sens_computing(ex) ? " (solving...)" : "");
    int at = x + put(y, x, w, title, looks->title) + 1;
    /* Legend: the optimum, the best baseline (by its line's name: on the
     * objective, and where none is within the limits), a change, now. */
    char best[120] = " best baseline";
    for (int k = 0; r && r->ok && k < r->plot.nseries; k++)
        if (r->plot.series[k].style == PLOT_BEST)
            snprintf(best, sizeof best, " %s", r->plot.series[k].name);
    struct {
        const char *glyph, *name;
        attr_t a;
    } legend[] = {{line, " optimum", looks->optimum},
                  {dots, best, looks->best},
                  {rule, " change", looks->mark},
                  {unicode ? "\u25b2" : "^", " now", looks->current}};
    for (size_t i = 0; i < sizeof legend / sizeof legend[0] && at < x + w; i++) {
        at += put(y, at, x + w - at, legend[i].glyph, legend[i].a);
        at += put(y, at, x + w - at, legend[i].name, looks->text) + 2;
    }
    if (h < 2) return;
    if (!r) {
        put(y + 2 < y + h ? y + 2 : y + 1, x + 2, w - 4,
            "solving x1/100 .. x100 around the value...", looks->dim);
        return;
    }
    if (!r->ok) {
        put(y + 1, x + 2, w - 4, r->message, looks->error);
        return;
    }
    /* The bands' placements take the last rows, as many as fit. */
    int nbands = r->plot.nbands, legend_rows = nbands > 0 ? (h >= 12 ? 2 : 1) : 0;
    plot_text t;
    if (plot_text_render(&r->plot, w, h - 1 - legend_rows, unicode, &t) != 0) {
        put(y + 1, x + 2, w - 4, "too small for the plot: enlarge the window", looks->dim);
        return;
    }
    for (int row = 0; row < t.h; row++) {
        move(y + 1 + row, x);
        for (int c = 0; c < t.w; c++) {
            const plot_cell *pc = &t.cells[(size_t)row * (size_t)t.w + (size_t)c];
            attr_t a = look_of(looks, pc->kind);
            attron(a);
            addstr(pc->text);
            attroff(a);
        }
    }
    plot_text_free(&t);
    /* "A phone×2 hub×8 cloud×1 hub×2  B ..." wrapped onto the legend rows. */
    int ly = y + 1 + (h - 1 - legend_rows), lx = x + 1;
    int shown[64], nshown = 0;
    for (int b = 0; b < nbands && ly < y + h; b++) {
        bool seen = false;
        for (int k = 0; k < nshown && !seen; k++)
            seen = shown[k] == r->plot.bands[b].cls;
        if (seen || nshown == 64) continue;
        shown[nshown++] = r->plot.bands[b].cls;
        char letter[16], item[320];
        plot_class_letter(r->plot.bands[b].cls, letter, sizeof letter);
        snprintf(item, sizeof item, "%s", r->plot.bands[b].label);
        int need = utf8_cells(letter) + 1 + utf8_cells(item);
        if (lx > x + 1 && lx + need > x + w) {
            ly++;
            lx = x + 1;
            if (ly >= y + h) break;
        }
        lx += put(ly, lx, x + w - lx, letter, looks->band) + 1;
        lx += put(ly, lx, x + w - lx, item, looks->text) + 2;
    }
}
