/* SVG timelines: the layout's lanes, bars and ticks in pixels. */
#include "gantt_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/critical.h"
#include "../model/units.h"
#include "svg.h"

/* Picture geometry, pixels. */
#define W_TOTAL 1200.0
#define MARGIN 24.0
#define COL_PX 7.0 /* one layout column: labels of 12 px text fit as the layout decides */
#define FONT 12.0
#define H_LOAD 14.0
#define H_COMPUTE 24.0
#define H_LINK 18.0
#define LANE_GAP 4.0
#define GROUP_GAP 8.0
#define H_HEADING 52.0
#define H_PANEL_TITLE 50.0
#define H_AXIS 34.0
#define H_PANEL_GAP 18.0

static const char CSS[] =
    "text { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; "
    "font-size: 12px; fill: #222222; }\n"
    ".heading { font-size: 18px; font-weight: bold; }\n"
    ".sub { font-size: 13px; fill: #555555; }\n"
    ".panel { font-size: 14px; font-weight: bold; }\n"
    ".lane { font-size: 12px; text-anchor: end; }\n"
    ".tick { font-size: 11px; text-anchor: middle; fill: #444444; }\n"
    ".on { fill: #ffffff; text-anchor: middle; }\n"
    ".over { fill: #222222; text-anchor: middle; }\n"
    ".marker { font-size: 12px; font-weight: bold; fill: #c0392b; }\n"
    ".grid { stroke: #e4e4e4; stroke-width: 1; }\n"
    ".axis { stroke: #444444; stroke-width: 1; }\n";

/* Hatches: waiting for weights (on the critical path) and idle (preloading
 * there is free). */
static const char DEFS[] =
    "<defs>\n"
    "<pattern id=\"wait\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fbe3e0\"/>"
    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d9534f\" stroke-width=\"2.5\"/>"
    "</pattern>\n"
    "<pattern id=\"idle\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
    "<rect width=\"6\" height=\"6\" fill=\"#f4f4f4\"/>"
    "<circle cx=\"3\" cy=\"3\" r=\"0.8\" fill=\"#b8b8b8\"/></pattern>\n"
    "</defs>\n";

typedef struct panel {
    const gantt_svg_row *row;
    bool drawn; /* has a finite timeline */
    gantt_layout g;
    double height;
} panel;

static double lane_height(gantt_lane_kind k)
{
    return k == LANE_LOAD ? H_LOAD : k == LANE_COMPUTE ? H_COMPUTE : H_LINK;
}

static double lanes_height(const gantt_layout *g)
{
    double h = 0;
    for (int l = 0; l < g->nlanes; l++) {
        h += lane_height(g->lanes[l].kind) + LANE_GAP;
        /* Space between a device's compute lane and the next group. */
        if (g->lanes[l].kind != LANE_LOAD) h += GROUP_GAP;
    }
    return h;
}

static double panel_height(const panel *p)
{
    if (!p->drawn) return H_PANEL_TITLE + 18.0 * (p->row->ev->nreasons + 1) + H_PANEL_GAP;
    return H_PANEL_TITLE + lanes_height(&p->g) + H_AXIS + H_PANEL_GAP;
}

typedef struct frame {
    svg *s;
    double x0, plot_w; /* plot area in pixels */
    double t1;         /* right end of the axis, seconds (left end is 0) */
} frame;

static double x_of(const frame *f, double t)
{
    return f->x0 + t / f->t1 * f->plot_w;
}

static void fmt_time(double t, char *buf, size_t size)
{
    units_format(t, UNIT_TIME, buf, size);
}

static const char *kind_name(gantt_kind k)
{
    switch (k) {
    case GANTT_COMPUTE:
        return "compute";
    case GANTT_LOAD:
        return "loading weights";
    case GANTT_TRANSFER:
        return "transfer";
    case GANTT_IDLE:
        return "idle (waiting for input)";
    case GANTT_WAIT:
        return "waiting for weights";
    }
    return "";
}

static void bar_tip(const nn_instance *in, const gantt_bar *b, char *tip, size_t size)
{
    char a[32], z[32], d[32];
    fmt_time(b->t0, a, sizeof a);
    fmt_time(b->t1, z, sizeof z);
    fmt_time(b->t1 - b->t0, d, sizeof d);
    if (b->kind == GANTT_TRANSFER)
        snprintf(tip, size, "%s: %s \xE2\x86\x92 %s, %s to %s (%s)",
                 b->boundary == 0 ? "input" : in->layer_names[b->boundary - 1],
                 in->device_names[b->device], in->device_names[b->to], a, z, d);
    else if (b->layer >= 0)
        snprintf(tip, size, "%s on %s: %s, %s to %s (%s)", in->layer_names[b->layer],
                 in->device_names[b->device], kind_name(b->kind), a, z, d);
    else
        snprintf(tip, size, "%s: %s, %s to %s (%s)", in->device_names[b->device],
                 kind_name(b->kind), a, z, d);
}

static void bar_draw(const frame *f, const nn_instance *in, const gantt_lane *ln,
                     const gantt_bar *b, double y, double h)
{
    svg *s = f->s;
    double x0 = x_of(f, b->t0 < 0 ? 0 : b->t0), x1 = x_of(f, b->t1);
    double w = x1 - x0;
    /* A layer too short for the scale still shows, as a sliver. */
    bool thin = w < 4.0;
    if (w < 2.0) w = 2.0;
    char tip[3 * NN_NAME_LEN + 96], attrs[160];
    bar_tip(in, b, tip, sizeof tip);
    /* The lane's colour (its device); transfers take their sender's. */
    const char *colour = svg_palette(ln->color >= 0 ? ln->color : b->device);
    svg_group_begin(s, NULL, tip);
    if (b->tick) {
        /* No time at all (pool, flatten): a thin line at its instant. */
        snprintf(attrs, sizeof attrs, "fill=\"%s\"%s", colour,
                 b->kind == GANTT_LOAD ? " fill-opacity=\"0.6\"" : "");
        svg_rect(s, x_of(f, b->t0) - 0.75, y, 1.5, h, attrs);
        svg_group_end(s);
        return;
    }
    switch (b->kind) {
    case GANTT_COMPUTE:
        /* The white edge separates consecutive layers; slivers keep their colour. */
        snprintf(attrs, sizeof attrs, "fill=\"%s\"%s", colour,
                 thin ? "" : " stroke=\"#ffffff\" stroke-width=\"1\"");
        break;
    case GANTT_LOAD:
        snprintf(attrs, sizeof attrs,
                 "fill=\"%s\" fill-opacity=\"0.35\" stroke=\"%s\" stroke-width=\"0.8\"", colour,
                 colour);
        break;
    case GANTT_TRANSFER:
        snprintf(attrs, sizeof attrs,
                 "fill=\"%s\" fill-opacity=\"0.8\" stroke=\"#333333\" stroke-width=\"0.6\"",
                 colour);
        break;
    case GANTT_WAIT:
        snprintf(attrs, sizeof attrs, "fill=\"url(#wait)\"");
        break;
    case GANTT_IDLE:
        snprintf(attrs, sizeof attrs, "fill=\"url(#idle)\"");
        break;
    }
    svg_rect(s, x0, y, w, h, attrs);
    /* The second of two touching layers is a shade darker. */
    if (b->kind == GANTT_COMPUTE && b->shade)
        svg_rect(s, x0, y, w, h, "fill=\"#000000\" fill-opacity=\"0.18\"");
    /* The critical path: what the latency is made of, outlined. */
    if (b->critical)
        svg_rect(s, x0, y, w, h, "fill=\"none\" stroke=\"#111111\" stroke-width=\"2.2\"");
    /* The layout decides whether a label fits; check the pixels as well. */
    if (b->label[0] && svg_text_width(b->label, FONT) + 4 <= w) {
        char label[2 * NN_NAME_LEN + 8];
        const char *text = b->label;
        /* A transfer says where it goes when there is room. */
        if (b->kind == GANTT_TRANSFER && b->to >= 0) {
            snprintf(label, sizeof label, "%s \xE2\x86\x92 %s", b->label, in->device_names[b->to]);
            if (svg_text_width(label, FONT) + 4 <= w) text = label;
        }
        svg_text(s, x0 + w / 2, y + h / 2 + FONT * 0.35,
                 b->kind == GANTT_COMPUTE ? "class=\"on\"" : "class=\"over\"", text);
    }
    svg_group_end(s);
}

static void axis_draw(const frame *f, const gantt_layout *g, double top, double bottom)
{
    svg *s = f->s;
    for (int k = 0; k < g->nticks; k++) {
        double x = x_of(f, g->ticks[k].t);
        svg_line(s, x, top, x, bottom, "class=\"grid\"");
        svg_line(s, x, bottom, x, bottom + 5, "class=\"axis\"");
        svg_text(s, x, bottom + 18, "class=\"tick\"", g->ticks[k].label);
    }
    svg_line(s, f->x0, bottom, f->x0 + f->plot_w, bottom, "class=\"axis\"");
}

static void latency_draw(const frame *f, double latency, double top, double bottom)
{
    svg *s = f->s;
    double x = x_of(f, latency);
    svg_line(s, x, top - 6, x, bottom,
             "stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"6 3\"");
    char t[32], text[64];
    fmt_time(latency, t, sizeof t);
    snprintf(text, sizeof text, "latency %s", t);
    /* Right-aligned at the line when it would run off the picture. */
    bool left = x + 4 + svg_text_width(text, FONT) > s->width - 4;
    svg_text(s, left ? x - 4 : x + 4, top - 8,
             left ? "class=\"marker\" text-anchor=\"end\"" : "class=\"marker\"", text);
}

static void panel_draw(const frame *f, const panel *p, double y)
{
    svg *s = f->s;
    const gantt_svg_row *row = p->row;
    char title[NN_TEXT_LEN + 64];
    if (p->drawn) {
        char t[32];
        fmt_time(row->ev->latency, t, sizeof t);
        snprintf(title, sizeof title, "%s: %s (%s)", row->title, t, mode_name(row->ev->mode));
    } else {
        snprintf(title, sizeof title, "%s: infeasible", row->title);
    }
    svg_text(s, MARGIN, y + 16, "class=\"panel\"", title);
    if (row->subtitle)
        svg_text(s, MARGIN + svg_text_width(title, 14) * 1.08 + 16, y + 16, "class=\"sub\"",
                 row->subtitle);
    if (p->drawn) {
        /* The latency decomposed along the critical path. */
        nn_critical c;
        if (critical_path(row->in, row->ev, &c) == 0) {
            char text[512], line[560];
            critical_format(row->in, &c, false, text, sizeof text);
            snprintf(line, sizeof line, "critical path: %s", text);
            svg_text(s, MARGIN, y + 36, "class=\"sub\"", line);
            critical_free(&c);
        }
    }
    y += H_PANEL_TITLE;
    if (!p->drawn) {
        for (int i = 0; i < row->ev->nreasons; i++)
            svg_text(s, MARGIN + 12, y + 14 + 18.0 * i, NULL, row->ev->reasons[i].text);
        return;
    }
    const gantt_layout *g = &p->g;
    double top = y, bottom = y + lanes_height(g) - GROUP_GAP;
    axis_draw(f, g, top, bottom);
    for (int l = 0; l < g->nlanes; l++) {
        const gantt_lane *ln = &g->lanes[l];
        double h = lane_height(ln->kind);
        svg_rect(s, f->x0, y, f->plot_w, h, "fill=\"#fafafa\"");
        svg_text(s, f->x0 - 8, y + h / 2 + FONT * 0.35,
                 ln->kind == LANE_LOAD ? "class=\"lane\" fill=\"#777777\"" : "class=\"lane\"",
                 ln->title);
        /* By rank (idle, waiting, ticks, work), so real bars stay on top. */
        for (int pass = 0; pass < 4; pass++)
            for (int i = ln->first_bar; i < ln->first_bar + ln->nbars; i++)
                if (gantt_bar_rank(&g->bars[i]) == pass)
                    bar_draw(f, row->in, ln, &g->bars[i], y, h);
        y += h + LANE_GAP + (ln->kind != LANE_LOAD ? GROUP_GAP : 0);
    }
    latency_draw(f, row->ev->latency, top, bottom);
}

/* Draws the legend from (x, y) when `s` is set, wrapping at the right
 * margin; returns the height it takes. */
static double legend_draw(svg *s, const nn_instance *in, double x0, double y0)
{
    static const gantt_kind kinds[] = {GANTT_COMPUTE, GANTT_LOAD, GANTT_WAIT, GANTT_TRANSFER,
                                       GANTT_IDLE};
    static const char *const fills[] = {
        "fill=\"#4e79a7\"",
        "fill=\"#4e79a7\" fill-opacity=\"0.35\" stroke=\"#4e79a7\" stroke-width=\"0.8\"",
        "fill=\"url(#wait)\"", "fill=\"#888888\" stroke=\"#333333\" stroke-width=\"0.6\"",
        "fill=\"url(#idle)\" stroke=\"#cccccc\" stroke-width=\"0.6\""};
    double x = x0, y = y0;
    int nkinds = (int)(sizeof kinds / sizeof kinds[0]);
    int nitems = nkinds + 2 + in->D;
    for (int k = 0; k < nitems; k++) {
        /* Kinds, then the critical path (d == -2) and the latency (-1), then devices. */
        int d = k - nkinds - 2;
        const char *name = d >= 0    ? in->device_names[d]
                           : d == -2 ? "critical path"
                           : d == -1 ? "latency"
                                     : kind_name(kinds[k]);
        double w = (d >= 0 ? 19 : d == -1 ? 12 : 28) + svg_text_width(name, FONT);
        /* Devices start their own line: they say what the colours mean. */
        if ((d == 0 || x + w > W_TOTAL - MARGIN) && x > x0) {
            x = x0;
            y += 22;
        }
        if (s && d >= 0) {
            /* Bars take their device's colour (a transfer: the sender's). */
            char attrs[64];
            snprintf(attrs, sizeof attrs, "fill=\"%s\"", svg_palette(d));
            svg_rect(s, x, y - 11, 14, 14, attrs);
            svg_text(s, x + 19, y, NULL, name);
        } else if (s && d == -2) {
            svg_rect(s, x, y - 11, 22, 14,
                     "fill=\"#dddddd\" stroke=\"#111111\" stroke-width=\"2.2\"");
            svg_text(s, x + 28, y, NULL, name);
        } else if (s && d == -1) {
            svg_line(s, x + 4, y - 12, x + 4, y + 3,
                     "stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"6 3\"");
            svg_text(s, x + 12, y, NULL, name);
        } else if (s) {
            svg_rect(s, x, y - 11, 22, 14, fills[k]);
            svg_text(s, x + 28, y, NULL, name);
        }
        x += w + 22;
    }
    return y - y0 + 22;
}

int gantt_svg_write(FILE *out, const char *heading, const gantt_svg_row *rows, int nrows)
{
    if (nrows <= 0) return -1;
    panel *ps = calloc((size_t)nrows, sizeof *ps);
    if (!ps) return -1;
    int rc = -1;
    /* The shared axis: [0, the longest finite latency]. */
    double t1 = 0;
    double title_w = 0;
    for (int i = 0; i < nrows; i++) {
        const nn_eval *ev = rows[i].ev;
        ps[i].row = &rows[i];
        ps[i].drawn = ev->feasible && isfinite(ev->latency) && ev->latency > 0;
        if (ps[i].drawn && ev->latency > t1) t1 = ev->latency;
        if (ps[i].drawn) {
            double w = gantt_title_width(rows[i].in, ev) * FONT * SVG_CHAR_EM;
            if (w > title_w) title_w = w;
        }
    }
    if (!(t1 > 0)) t1 = 1.0;
    double x0 = MARGIN + title_w + 14;
    double plot_w = W_TOTAL - x0 - MARGIN - 8;
    int cols = (int)(plot_w / COL_PX);
    gantt_view view = {.t0 = 0, .t1 = t1, .fit = true};
    double height = H_HEADING + legend_draw(NULL, rows[0].in, MARGIN, 0) + 14 + MARGIN;
    for (int i = 0; i < nrows; i++) {
        if (ps[i].drawn && gantt_layout_build(rows[i].in, rows[i].ev, &view, cols, &ps[i].g) != 0) {
            ps[i].drawn = false;
            goto out;
        }
        ps[i].height = panel_height(&ps[i]);
        height += ps[i].height;
    }

    svg s;
    svg_begin(&s, out, W_TOTAL, ceil(height), heading, CSS);
    fputs(DEFS, out);
    svg_text(&s, MARGIN, MARGIN + 14, "class=\"heading\"", heading);
    frame f = {.s = &s, .x0 = x0, .plot_w = plot_w, .t1 = t1};
    double y = H_HEADING;
    for (int i = 0; i < nrows; i++) {
        panel_draw(&f, &ps[i], y);
        y += ps[i].height;
    }
    legend_draw(&s, rows[0].in, MARGIN, y + 14);
    svg_end(&s);
    rc = ferror(out) ? -1 : 0;
out:
    for (int i = 0; i < nrows; i++)
        if (ps[i].drawn) gantt_layout_free(&ps[i].g);
    free(ps);
    return rc;
}
