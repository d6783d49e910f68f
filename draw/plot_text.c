/* Line plots in character cells: braille dots or ASCII. */
#include "plot_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/common.h"
#include "utf8.h"

void plot_class_letter(int cls, char *buf, size_t size)
{
    if (cls < 26)
        snprintf(buf, size, "%c", 'A' + cls);
    else
        snprintf(buf, size, "%c%d", 'A' + cls % 26, cls / 26);
}

static plot_cell *cell(plot_text *t, int x, int y)
{
    return &t->cells[(size_t)y * (size_t)t->w + (size_t)x];
}

static void put_text(plot_text *t, int x, int y, const char *s, plot_cell_kind kind)
{
    for (const char *p = s; *p && x < t->w; x++) {
        if (x < 0) {
            char skip[8];
            p += utf8_char(p, skip, sizeof skip);
            continue;
        }
        plot_cell *c = cell(t, x, y);
        p += utf8_char(p, c->text, sizeof c->text);
        c->kind = kind;
    }
}

/* Braille dot bits by (column 0-1, row 0-3) within a cell. */
static const unsigned char DOT[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

/* Dots of one series: [pw * 2] columns x [ph * 4] rows, as a bitmap. */
static void series_dots(const plot_data *p, int s, const plot_axis *xa, const plot_axis *ya,
                        int cols, int rows, unsigned char *bits)
{
    const plot_series *ser = &p->series[s];
    if (p->xcat) {
        /* Categories (presets) have no order: a short level mark at each,
         * never a line joining them. */
        int half = cols / (4 * (p->n > 1 ? p->n : 2));
        if (half > 3) half = 3;
        for (int i = 0; i < p->n; i++) {
            double v = isfinite(ser->y[i]) ? plot_axis_frac(ya, ser->y[i]) : NAN;
            if (!isfinite(v) || v < 0 || v > 1) continue;
            int r = rows - 1 - (int)floor(v * (rows - 1) + 0.5);
            int c = (int)floor(plot_axis_frac(xa, p->x[i]) * (cols - 1) + 0.5);
            for (int cc = c - half; cc <= c + half; cc++)
                if (cc >= 0 && cc < cols) bits[(size_t)r * (size_t)cols + (size_t)cc] = 1;
        }
        return;
    }
    int prev_row = -1, prev_col = -1;
    for (int c = 0; c < cols; c++) {
        /* The value under this dot column, interpolated between samples in
         * the axis' own scale. */
        double f = (c + 0.5) / cols;
        double v = NAN;
        for (int i = 0; i + 1 < p->n; i++) {
            double a = plot_axis_frac(xa, p->x[i]), b = plot_axis_frac(xa, p->x[i + 1]);
            double lo = fmin(a, b), hi = fmax(a, b);
            if (f < lo || f > hi || hi == lo) continue;
            double y0 = ser->y[i], y1 = ser->y[i + 1];
            if (!isfinite(y0) || !isfinite(y1)) break;
            double t = (f - a) / (b - a);
            double fy0 = plot_axis_frac(ya, y0), fy1 = plot_axis_frac(ya, y1);
            v = fy0 + (fy1 - fy0) * t;
            break;
        }
        if (p->n == 1 && isfinite(ser->y[0])) v = plot_axis_frac(ya, ser->y[0]);
        if (!isfinite(v) || v < 0 || v > 1) {
            prev_row = -1;
            continue;
        }
        int r = rows - 1 - (int)floor(v * (rows - 1) + 0.5);
        /* Join to the dot before so steep stretches stay one line. */
        int from = r, to = r;
        if (prev_row >= 0 && prev_col == c - 1) {
            from = prev_row < r ? prev_row + 1 : r;
            to = prev_row > r ? prev_row - 1 : r;
            if (from > to) from = to = r;
        }
        for (int rr = from; rr <= to; rr++)
            bits[(size_t)rr * (size_t)cols + (size_t)c] = 1;
        bits[(size_t)r * (size_t)cols + (size_t)c] = 1;
        prev_row = r;
        prev_col = c;
    }
}

int plot_text_render(const plot_data *p, int w, int h, bool unicode, plot_text *out)
{
    memset(out, 0, sizeof *out);
    if (w < 20 || h < 6) return -1;
    plot_axis xa, ya;
    plot_axes(p, 2 + w / 14, 2 + h / 3, &xa, &ya);
    int lw = 0;
    for (int i = 0; i < ya.nticks; i++)
        if (utf8_cells(ya.ticks[i].label) > lw) lw = utf8_cells(ya.ticks[i].label);
    out->w = w;
    out->h = h;
    out->x0 = lw + 2;
    out->y0 = 1; /* band letters on top */
    out->pw = w - out->x0 - 1;
    out->ph = h - out->y0 - 2; /* the axis rule and its labels below */
    if (out->pw < 8 || out->ph < 3) return -1;
    out->cells = calloc((size_t)w * (size_t)h, sizeof *out->cells);
    if (!out->cells) return -1;
    for (int i = 0; i < w * h; i++) {
        out->cells[i] = (plot_cell){.text = " ", .kind = PCELL_EMPTY, .band = -1};
    }
    /* Bands: which placement is optimal under each column, and its letter
     * once in the middle of its stretch when it fits. */
    for (int b = 0; b < p->nbands; b++) {
        double a = plot_axis_frac(&xa, p->bands[b].x0), z = plot_axis_frac(&xa, p->bands[b].x1);
        int c0 = (int)floor(fmin(a, z) * out->pw + 0.5),
            c1 = (int)floor(fmax(a, z) * out->pw + 0.5);
        if (c0 < 0) c0 = 0;
        if (c1 > out->pw) c1 = out->pw;
        for (int c = c0; c < c1; c++)
            for (int y = 0; y < h; y++)
                cell(out, out->x0 + c, y)->band = p->bands[b].cls;
        char letter[16];
        plot_class_letter(p->bands[b].cls, letter, sizeof letter);
        int len = (int)strlen(letter);
        if (c1 - c0 >= len) put_text(out, out->x0 + (c0 + c1 - len) / 2, 0, letter, PCELL_BAND);
    }
    /* Axes: the y rule with its ticks, the x rule below. */
    for (int y = out->y0; y < out->y0 + out->ph; y++)
        put_text(out, out->x0 - 1, y, unicode ? "\u2502" : "|", PCELL_AXIS);
    for (int i = 0; i < ya.nticks; i++) {
        double f = plot_axis_frac(&ya, ya.ticks[i].v);
        if (f < 0 || f > 1) continue;
        int y = out->y0 + out->ph - 1 - (int)floor(f * (out->ph - 1) + 0.5);
        put_text(out, out->x0 - 2 - utf8_cells(ya.ticks[i].label), y, ya.ticks[i].label,
                 PCELL_AXIS);
        put_text(out, out->x0 - 1, y, unicode ? "\u2524" : "+", PCELL_AXIS);
    }
    int ry = out->y0 + out->ph;
    put_text(out, out->x0 - 1, ry, unicode ? "\u2514" : "+", PCELL_AXIS);
    for (int c = 0; c < out->pw; c++)
        put_text(out, out->x0 + c, ry, unicode ? "\u2500" : "-", PCELL_AXIS);
    int free_from = 0;
    for (int i = 0; i < xa.nticks; i++) {
        double f = plot_axis_frac(&xa, xa.ticks[i].v);
        if (f < 0 || f > 1) continue;
        int c = (int)floor(f * (out->pw - 1) + 0.5);
        put_text(out, out->x0 + c, ry, unicode ? "\u2534" : "+", PCELL_AXIS);
        int len = utf8_cells(xa.ticks[i].label), at = out->x0 + c - len / 2;
        if (at + len > w) at = w - len;
        if (at < free_from) continue;
        put_text(out, at, ry + 1, xa.ticks[i].label, PCELL_AXIS);
        free_from = at + len + 1;
    }
    /* Lines: the best baseline, then the optimum over it. */
    int cols = out->pw * (unicode ? 2 : 1), rows = out->ph * (unicode ? 4 : 1);
    unsigned char *bits = calloc((size_t)cols * (size_t)rows, 1);
    if (!bits) {
        plot_text_free(out);
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        int s = -1;
        for (int k = 0; k < p->nseries; k++)
            if (p->series[k].style == (pass == 0 ? PLOT_BEST : PLOT_OPTIMUM)) s = k;
        if (s < 0) continue;
        memset(bits, 0, (size_t)cols * (size_t)rows);
        series_dots(p, s, &xa, &ya, cols, rows, bits);
        plot_cell_kind kind = pass == 0 ? PCELL_BEST : PCELL_OPTIMUM;
        for (int cy = 0; cy < out->ph; cy++)
            for (int cx = 0; cx < out->pw; cx++) {
                plot_cell *pc = cell(out, out->x0 + cx, out->y0 + cy);
                if (unicode) {
                    unsigned mask = 0;
                    for (int dx = 0; dx < 2; dx++)
                        for (int dy = 0; dy < 4; dy++)
                            if (bits[(size_t)(cy * 4 + dy) * (size_t)cols + (size_t)(cx * 2 + dx)])
                                mask |= DOT[dx][dy];
                    if (!mask) continue;
                    /* Dots already there (the other line) stay. */
                    if (pc->kind == PCELL_BEST || pc->kind == PCELL_OPTIMUM) {
                        unsigned char *t = (unsigned char *)pc->text;
                        mask |= ((unsigned)(t[1] & 0x03) << 6) | (t[2] & 0x3F);
                    }
                    pc->text[0] = (char)0xE2;
                    pc->text[1] = (char)(0xA0 | (mask >> 6));
                    pc->text[2] = (char)(0x80 | (mask & 0x3F));
                    pc->text[3] = '\0';
                    pc->kind = kind;
                } else if (bits[(size_t)cy * (size_t)cols + (size_t)cx]) {
                    str_copy(pc->text, sizeof pc->text, pass == 0 ? "+" : "*");
                    pc->kind = kind;
                }
            }
    }
    free(bits);
    /* Change points: upright rules where no line is drawn. */
    for (int m = 0; m < p->nmarks; m++) {
        double f = plot_axis_frac(&xa, p->marks[m].x);
        if (f < 0 || f > 1) continue;
        int c = (int)floor(f * (out->pw - 1) + 0.5);
        for (int y = out->y0; y < out->y0 + out->ph; y++) {
            plot_cell *pc = cell(out, out->x0 + c, y);
            if (pc->kind == PCELL_EMPTY) {
                str_copy(pc->text, sizeof pc->text, unicode ? "\u2506" : ":");
                pc->kind = PCELL_MARK;
            }
        }
        put_text(out, out->x0 + c, ry, unicode ? "\u253c" : "+", PCELL_MARK);
    }
    if (isfinite(p->current) && !p->xcat) {
        double f = plot_axis_frac(&xa, p->current);
        if (f >= 0 && f <= 1) {
            int c = (int)floor(f * (out->pw - 1) + 0.5);
            put_text(out, out->x0 + c, ry, unicode ? "\u25b2" : "^", PCELL_CURRENT);
        }
    }
    return 0;
}

void plot_text_free(plot_text *t)
{
    free(t->cells);
    memset(t, 0, sizeof *t);
}
