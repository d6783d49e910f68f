/* SVG plots: lines over placement bands, and heat maps of placements. */
#include "plot_svg.h"

#include <math.h>
#include <string.h>

#include "../model/common.h"
#include "svg.h"

#define FONT 12.0

static const char CSS[] =
    "text { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; "
    "font-size: 12px; fill: #222222; }\n"
    ".heading { font-size: 18px; font-weight: bold; }\n"
    ".axisname { font-size: 13px; }\n"
    ".tick { font-size: 11px; fill: #444444; }\n"
    ".band { font-size: 11px; fill: #333333; text-anchor: middle; }\n"
    ".cell { font-size: 10px; fill: #222222; text-anchor: middle; }\n"
    ".mark { font-size: 10px; fill: #555555; }\n"
    ".grid { stroke: #e6e6e6; stroke-width: 1; }\n"
    ".axis { stroke: #444444; stroke-width: 1; fill: none; }\n";

/* Letters name placement classes where their full text does not fit. */
static void class_letter(int cls, char *buf, size_t size)
{
    if (cls < 26)
        snprintf(buf, size, "%c", 'A' + cls);
    else
        snprintf(buf, size, "%c%d", 'A' + cls % 26, cls / 26);
}

typedef struct area {
    double x0, y0, w, h;
    plot_axis x, y;
} area;

static double px(const area *a, double v)
{
    return a->x0 + plot_axis_frac(&a->x, v) * a->w;
}

static double py(const area *a, double v)
{
    return a->y0 + a->h - plot_axis_frac(&a->y, v) * a->h;
}

static const char *series_stroke(const plot_series *s, int index, char *buf, size_t size)
{
    switch (s->style) {
    case PLOT_OPTIMUM:
        return "stroke=\"#111111\" stroke-width=\"3\" fill=\"none\"";
    case PLOT_BEST:
        return "stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"8 4\" fill=\"none\"";
    case PLOT_BASELINE:
        break;
    }
    snprintf(buf, size, "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\" fill=\"none\"",
             svg_palette(index));
    return buf;
}

/* On a category axis (presets) the points have no order between them, so
 * each is a short level mark of the series' stroke, never a joining line. */
static void series_marks(svg *s, const area *a, const plot_data *p, int k, const char *stroke)
{
    const plot_series *ser = &p->series[k];
    double half = fmin(14.0, 0.3 * a->w / (p->n > 1 ? p->n - 1 : 1));
    for (int i = 0; i < p->n; i++) {
        double v = ser->y[i];
        if (!isfinite(v) || (a->y.log && v <= 0)) continue;
        double x = px(a, p->x[i]), y = py(a, fmin(fmax(v, a->y.lo), a->y.hi));
        fprintf(s->out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" %s/>\n", x - half, y,
                x + half, y, stroke);
        if (ser->style == PLOT_OPTIMUM)
            fprintf(s->out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"#111111\"/>\n", x, y);
    }
}

/* A series as polylines, broken where it has no value. */
static void series_draw(svg *s, const area *a, const plot_data *p, int k)
{
    const plot_series *ser = &p->series[k];
    char buf[160];
    const char *stroke = series_stroke(ser, k, buf, sizeof buf);
    if (p->xcat) {
        series_marks(s, a, p, k, stroke);
        return;
    }
    bool open = false;
    for (int i = 0; i < p->n; i++) {
        double v = ser->y[i];
        bool ok = isfinite(v) && (!a->y.log || v > 0);
        if (ok && !open) {
            fprintf(s->out, "<polyline %s points=\"", stroke);
            open = true;
        }
        if (ok)
            fprintf(s->out, "%.2f,%.2f ", px(a, p->x[i]), py(a, fmin(fmax(v, a->y.lo), a->y.hi)));
        if ((!ok || i == p->n - 1) && open) {
            fputs("\"/>\n", s->out);
            open = false;
        }
    }
    if (ser->style == PLOT_OPTIMUM)
        for (int i = 0; i < p->n; i++)
            if (isfinite(ser->y[i]) && (!a->y.log || ser->y[i] > 0)) {
                double x = px(a, p->x[i]), y = py(a, fmin(fmax(ser->y[i], a->y.lo), a->y.hi));
                fprintf(s->out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%s\" fill=\"#111111\"/>\n", x,
                        y, ser->numbered ? "4" : "2.5");
                if (ser->numbered) {
                    char num[16];
                    snprintf(num, sizeof num, "%d", i + 1);
                    svg_text(s, x + 6, y - 6, "class=\"mark\"", num);
                }
            }
}

static void bands_draw(svg *s, const area *a, const plot_data *p)
{
    for (int i = 0; i < p->nbands; i++) {
        const plot_band *b = &p->bands[i];
        double x0 = px(a, b->x0), x1 = px(a, b->x1);
        if (x0 > x1) {
            double t = x0;
            x0 = x1;
            x1 = t;
        }
        x0 = fmax(x0, a->x0);
        x1 = fmin(x1, a->x0 + a->w);
        if (x1 <= x0) continue;
        char attrs[96], tip[320];
        snprintf(attrs, sizeof attrs, "fill=\"%s\" fill-opacity=\"0.55\"",
                 plot_class_colour(b->cls));
        snprintf(tip, sizeof tip, "%s", b->label);
        svg_group_begin(s, NULL, tip);
        svg_rect(s, x0, a->y0, x1 - x0, a->h, attrs);
        char letter[16];
        class_letter(b->cls, letter, sizeof letter);
        const char *text = svg_text_width(b->label, 11) + 8 <= x1 - x0 ? b->label
                           : svg_text_width(letter, 11) + 4 <= x1 - x0 ? letter
                                                                       : NULL;
        if (text) svg_text(s, (x0 + x1) / 2, a->y0 + 16, "class=\"band\"", text);
        svg_group_end(s);
    }
}

static void axes_draw(svg *s, const area *a, const plot_data *p)
{
    for (int i = 0; i < a->x.nticks; i++) {
        double x = px(a, a->x.ticks[i].v);
        if (x < a->x0 - 0.5 || x > a->x0 + a->w + 0.5) continue;
        svg_line(s, x, a->y0, x, a->y0 + a->h, "class=\"grid\"");
        svg_line(s, x, a->y0 + a->h, x, a->y0 + a->h + 5, "class=\"axis\"");
        svg_text(s, x, a->y0 + a->h + 19, "class=\"tick\" text-anchor=\"middle\"",
                 a->x.ticks[i].label);
    }
    for (int i = 0; i < a->y.nticks; i++) {
        double y = py(a, a->y.ticks[i].v);
        if (y < a->y0 - 0.5 || y > a->y0 + a->h + 0.5) continue;
        svg_line(s, a->x0, y, a->x0 + a->w, y, "class=\"grid\"");
        svg_line(s, a->x0 - 5, y, a->x0, y, "class=\"axis\"");
        svg_text(s, a->x0 - 8, y + 4, "class=\"tick\" text-anchor=\"end\"", a->y.ticks[i].label);
    }
    svg_rect(s, a->x0, a->y0, a->w, a->h, "class=\"axis\"");
    char name[256];
    snprintf(name, sizeof name, "%s%s", p->xname, a->x.log ? " (log scale)" : "");
    svg_text(s, a->x0 + a->w / 2, a->y0 + a->h + 40, "class=\"axisname\" text-anchor=\"middle\"",
             name);
    char yname[96];
    snprintf(yname, sizeof yname, "%s%s", plot_yname(p), a->y.log ? " (log scale)" : "");
    fprintf(s->out,
            "<text x=\"%.2f\" y=\"%.2f\" class=\"axisname\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 %.2f %.2f)\">",
            a->x0 - 62, a->y0 + a->h / 2, a->x0 - 62, a->y0 + a->h / 2);
    svg_escape(s->out, yname);
    fputs("</text>\n", s->out);
}

static void marks_draw(svg *s, const area *a, const plot_data *p)
{
    double last_label = -INFINITY;
    for (int i = 0; i < p->nmarks; i++) {
        double x = px(a, p->marks[i].x);
        if (x < a->x0 || x > a->x0 + a->w) continue;
        /* Labels closer than a line of text would overlap: the first wins. */
        bool labelled = fabs(x - last_label) >= 14;
        svg_line(s, x, a->y0, x, a->y0 + a->h,
                 "stroke=\"#333333\" stroke-width=\"1.2\" stroke-dasharray=\"2 3\"");
        /* Upright along the line, below the band labels. */
        double ty = a->y0 + 30;
        if (labelled) {
            last_label = x;
            fprintf(s->out,
                    "<text x=\"%.2f\" y=\"%.2f\" class=\"mark\" text-anchor=\"end\" "
                    "transform=\"rotate(-90 %.2f %.2f)\">",
                    x - 3, ty, x - 3, ty);
            svg_escape(s->out, p->marks[i].label);
            fputs("</text>\n", s->out);
        }
        fprintf(s->out, "<path d=\"M %.2f %.2f l -5 -8 l 10 0 z\" fill=\"#333333\"/>\n", x,
                a->y0 + a->h);
    }
    if (isfinite(p->current) && !p->xcat) {
        double x = px(a, p->current);
        svg_line(s, x, a->y0, x, a->y0 + a->h, "stroke=\"#1f77b4\" stroke-width=\"2\"");
        svg_text(s, x + 4, a->y0 + a->h - 6, "fill=\"#1f77b4\"", "now");
    }
}

/* Legend rows under the plot: the lines, then the placements' colours.
 * Measures when `s` is NULL; returns the height used. */
static double legend_draw(svg *s, const plot_data *p, const plot_axis *ya, double x0, double y0,
                          double right)
{
    double x = x0, y = y0;
    for (int k = 0; k < p->nseries; k++) {
        char name[160];
        /* A line entirely off the chart says where it is. */
        if (plot_series_off(p, k, ya)) {
            double lo = INFINITY, hi = -INFINITY;
            for (int i = 0; i < p->n; i++)
                if (isfinite(p->series[k].y[i])) {
                    lo = fmin(lo, p->series[k].y[i]);
                    hi = fmax(hi, p->series[k].y[i]);
                }
            char a[32], b[32];
            units_format(lo, plot_yunit(p), a, sizeof a);
            units_format(hi, plot_yunit(p), b, sizeof b);
            if (!(lo <= hi)) /* no value at all: its name says why (over the limits) */
                str_copy(name, sizeof name, p->series[k].name);
            else if (strcmp(a, b) == 0)
                snprintf(name, sizeof name, "%s (off the chart: %s)", p->series[k].name, a);
            else
                snprintf(name, sizeof name, "%s (off the chart: %s to %s)", p->series[k].name, a,
                         b);
        } else {
            str_copy(name, sizeof name, p->series[k].name);
        }
        double w = 40 + svg_text_width(name, FONT) + 22;
        if (x + w > right && x > x0) {
            x = x0;
            y += 20;
        }
        if (s) {
            char buf[160];
            fprintf(s->out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" %s/>\n", x,
                    y - 4, x + 32, y - 4, series_stroke(&p->series[k], k, buf, sizeof buf));
            svg_text(s, x + 40, y, NULL, name);
        }
        x += w;
    }
    if (p->nmarks) {
        double w = 40 + svg_text_width("change of placement", FONT) + 22;
        if (x + w > right && x > x0) {
            x = x0;
            y += 20;
        }
        if (s) {
            svg_line(s, x + 16, y - 12, x + 16, y + 3,
                     "stroke=\"#333333\" stroke-width=\"1.2\" stroke-dasharray=\"2 3\"");
            svg_text(s, x + 40, y, NULL, "change of placement");
        }
    }
    /* One entry per placement class, in the order they appear. */
    int shown[64], nshown = 0;
    for (int i = 0; i < p->nbands && nshown < 64; i++) {
        bool seen = false;
        for (int j = 0; j < nshown && !seen; j++)
            seen = shown[j] == p->bands[i].cls;
        if (seen) continue;
        shown[nshown++] = p->bands[i].cls;
        if (nshown == 1) {
            x = x0;
            y += 24;
        }
        char letter[16], text[300];
        class_letter(p->bands[i].cls, letter, sizeof letter);
        snprintf(text, sizeof text, "%s  %s", letter, p->bands[i].label);
        double w = 26 + svg_text_width(text, FONT) + 22;
        if (x + w > right && x > x0) {
            x = x0;
            y += 20;
        }
        if (s) {
            char attrs[96];
            snprintf(attrs, sizeof attrs, "fill=\"%s\" stroke=\"#999999\" stroke-width=\"0.6\"",
                     plot_class_colour(p->bands[i].cls));
            svg_rect(s, x, y - 11, 18, 14, attrs);
            svg_text(s, x + 26, y, NULL, text);
        }
        x += w;
    }
    return y - y0 + 20;
}

int plot_svg_write(FILE *out, const plot_data *p)
{
    const double W = 1100, top = 64, left = 96, right = 36, plot_h = 380;
    area a = {.x0 = left, .y0 = top, .w = W - left - right, .h = plot_h};
    plot_axes(p, 9, 8, &a.x, &a.y);
    double legend_y = top + plot_h + 76;
    double H = legend_y + legend_draw(NULL, p, &a.y, left, legend_y, W - right) + 16;
    svg s;
    svg_begin(&s, out, W, ceil(H), p->title, CSS);
    svg_text(&s, 24, 34, "class=\"heading\"", p->title);
    fprintf(out,
            "<defs><clipPath id=\"plotarea\"><rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
            "height=\"%.2f\"/></clipPath></defs>\n",
            a.x0, a.y0, a.w, a.h);
    bands_draw(&s, &a, p);
    axes_draw(&s, &a, p);
    /* Baselines under the optimum, so its line stays on top; lines beyond
     * the axis are cut at its edge. */
    fputs("<g clip-path=\"url(#plotarea)\">\n", out);
    for (int k = p->nseries - 1; k >= 0; k--)
        series_draw(&s, &a, p, k);
    fputs("</g>\n", out);
    marks_draw(&s, &a, p);
    legend_draw(&s, p, &a.y, left, legend_y, W - right);
    svg_end(&s);
    return ferror(out) ? -1 : 0;
}

int plot_svg_map_write(FILE *out, const plot_map *m)
{
    /* Cells as large as fit a slide, never smaller than a few pixels. */
    double cw = fmin(72, fmax(6, 900.0 / m->nx)), ch = fmin(40, fmax(6, 440.0 / m->ny));
    double ylab = 0;
    for (int i = 0; i < m->ny; i++)
        ylab = fmax(ylab, svg_text_width(m->ylabels[i], 11));
    double xlab = 0;
    for (int j = 0; j < m->nx; j++)
        xlab = fmax(xlab, svg_text_width(m->xlabels[j], 11));
    /* Column labels slant when they do not fit under their cells. */
    int xevery = 1;
    bool slant = xlab + 6 > cw;
    if (slant)
        while (xevery < m->nx && 14.0 * 1 > cw * xevery)
            xevery++;
    int yevery = 1;
    while (yevery < m->ny && 13.0 > ch * yevery)
        yevery++;
    double x0 = 24 + 20 + ylab + 10, y0 = 64;
    double gw = cw * m->nx, gh = ch * m->ny;
    double below = slant ? xlab * 0.72 + 24 : 24;
    double W = fmax(x0 + gw + 40, 720);
    double legend_y = y0 + gh + below + 44;
    double H = legend_y + 22.0 * (m->nclasses + 1) + 16;
    svg s;
    svg_begin(&s, out, W, ceil(H), m->title, CSS);
    svg_text(&s, 24, 34, "class=\"heading\"", m->title);
    /* Letters tell classes apart where colours repeat; the optimum's value (a
     * latency, an energy, a period) when it fits. */
    bool with_latency = cw >= 58 && ch >= 16, with_letter = cw >= 12 && ch >= 12;
    for (int i = 0; i < m->ny; i++)
        for (int j = 0; j < m->nx; j++) {
            int k = i * m->nx + j;
            int cls = m->cls[k];
            char attrs[96], tip[512], lat[32];
            units_format(m->value[k], m->unit, lat, sizeof lat);
            snprintf(attrs, sizeof attrs, "fill=\"%s\"", plot_class_colour(cls));
            snprintf(tip, sizeof tip, "%s, %s: %s%s%s", m->ylabels[i], m->xlabels[j],
                     cls >= 0 ? m->class_labels[cls] : "no feasible placement",
                     cls >= 0 ? ", " : "", cls >= 0 ? lat : "");
            svg_group_begin(&s, NULL, tip);
            svg_rect(&s, x0 + j * cw, y0 + i * ch, cw, ch, attrs);
            if (with_letter && cls >= 0) {
                char letter[16], text[64];
                class_letter(cls, letter, sizeof letter);
                snprintf(text, sizeof text, "%s%s%s", letter, with_latency ? " " : "",
                         with_latency ? lat : "");
                svg_text(&s, x0 + (j + 0.5) * cw, y0 + (i + 0.5) * ch + 3.5, "class=\"cell\"",
                         text);
            }
            svg_group_end(&s);
        }
    /* Borders where the winning placement changes make the regions read. */
    for (int i = 0; i < m->ny; i++)
        for (int j = 0; j < m->nx; j++) {
            int k = i * m->nx + j;
            if (j + 1 < m->nx && m->cls[k] != m->cls[k + 1])
                svg_line(&s, x0 + (j + 1) * cw, y0 + i * ch, x0 + (j + 1) * cw, y0 + (i + 1) * ch,
                         "stroke=\"#333333\" stroke-width=\"1.5\"");
            if (i + 1 < m->ny && m->cls[k] != m->cls[k + m->nx])
                svg_line(&s, x0 + j * cw, y0 + (i + 1) * ch, x0 + (j + 1) * cw, y0 + (i + 1) * ch,
                         "stroke=\"#333333\" stroke-width=\"1.5\"");
        }
    svg_rect(&s, x0, y0, gw, gh, "class=\"axis\"");
    for (int i = 0; i < m->ny; i += yevery)
        svg_text(&s, x0 - 6, y0 + (i + 0.5) * ch + 4, "class=\"tick\" text-anchor=\"end\"",
                 m->ylabels[i]);
    for (int j = 0; j < m->nx; j += xevery) {
        double x = x0 + (j + 0.5) * cw, y = y0 + gh + 14;
        if (slant) {
            fprintf(s.out,
                    "<text x=\"%.2f\" y=\"%.2f\" class=\"tick\" text-anchor=\"end\" "
                    "transform=\"rotate(-45 %.2f %.2f)\">",
                    x + 3, y - 4, x + 3, y - 4);
            svg_escape(s.out, m->xlabels[j]);
            fputs("</text>\n", s.out);
        } else {
            svg_text(&s, x, y, "class=\"tick\" text-anchor=\"middle\"", m->xlabels[j]);
        }
    }
    svg_text(&s, x0 + gw / 2, y0 + gh + below + 14, "class=\"axisname\" text-anchor=\"middle\"",
             m->xname);
    fprintf(s.out,
            "<text x=\"%.2f\" y=\"%.2f\" class=\"axisname\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 %.2f %.2f)\">",
            30.0, y0 + gh / 2, 30.0, y0 + gh / 2);
    svg_escape(s.out, m->yname);
    fputs("</text>\n", s.out);
    double y = legend_y;
    svg_text(&s, 24, y, "class=\"axisname\"", "optimal placement:");
    for (int c = 0; c < m->nclasses; c++) {
        y += 22;
        char attrs[96], text[320];
        snprintf(attrs, sizeof attrs, "fill=\"%s\" stroke=\"#999999\" stroke-width=\"0.6\"",
                 plot_class_colour(c));
        svg_rect(&s, 24, y - 12, 22, 15, attrs);
        char letter[16];
        class_letter(c, letter, sizeof letter);
        snprintf(text, sizeof text, "%s  %s (%d point%s)", letter, m->class_labels[c],
                 m->class_count[c], m->class_count[c] == 1 ? "" : "s");
        svg_text(&s, 54, y, NULL, text);
    }
    svg_end(&s);
    return ferror(out) ? -1 : 0;
}
