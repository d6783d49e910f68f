/* SVG timelines: the layout's lanes, bars and ticks in pixels. */
#include "gantt_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/critical.h"
#include "../model/units.h"
#include "gantt_text.h"
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
#define H_BRACKET 26.0 /* a stream's period bracket under the tick labels */
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
    if (!p->drawn)
        return H_PANEL_TITLE + 18.0 * ((p->row->ev ? p->row->ev->nreasons : 0) + 1) + H_PANEL_GAP;
    return H_PANEL_TITLE + lanes_height(&p->g) + H_AXIS + (p->g.stream ? H_BRACKET : 0) +
           H_PANEL_GAP;
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

/* A stream input's shade: dark enough for white text, and unlike the
 * device palette, so a stream never reads as devices. */
static const char *input_colour(int input)
{
    static const char *const shades[] = {"#1b6ca8", "#d1495b", "#2a9d8f", "#8e5ea2", "#e07a1f",
                                         "#4a4e69", "#6a994e", "#b5179e", "#577590"};
    int n = (int)(sizeof shades / sizeof shades[0]);
    return shades[(input < 0 ? 0 : input) % n];
}

static void bar_tip(const nn_instance *in, const gantt_bar *b, char *tip, size_t size)
{
    char a[32], z[32], d[32];
    fmt_time(b->t0, a, sizeof a);
    fmt_time(b->t1, z, sizeof z);
    fmt_time(b->t1 - b->t0, d, sizeof d);
    if (b->input >= 0 && b->kind == GANTT_TRANSFER)
        snprintf(tip, size, "input %d: %s, %s \xE2\x86\x92 %s, %s to %s (%s)", b->input + 1,
                 b->boundary == 0 ? "input" : in->layer_names[b->boundary - 1],
                 in->device_names[b->device], in->device_names[b->to], a, z, d);
    else if (b->input >= 0 && b->layer_last != b->layer)
        snprintf(tip, size, "input %d: %s to %s on %s, %s to %s (%s)", b->input + 1,
                 in->layer_names[b->layer], in->layer_names[b->layer_last],
                 in->device_names[b->device], a, z, d);
    else if (b->input >= 0)
        snprintf(tip, size, "input %d: %s on %s, %s to %s (%s)", b->input + 1,
                 in->layer_names[b->layer], in->device_names[b->device], a, z, d);
    else if (b->kind == GANTT_TRANSFER)
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
    /* The lane's colour (its device); transfers take their sender's; a
     * stream's bars their input's. */
    const char *colour = b->input >= 0 ? input_colour(b->input)
                                       : svg_palette(ln->color >= 0 ? ln->color : b->device);
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
    if (b->input >= 0 && b->label[0]) {
        /* A stream's bar: its input, in full where there is room. */
        char label[NN_NAME_LEN + 8];
        snprintf(label, sizeof label, "input %s", b->label);
        const char *text = svg_text_width(label, FONT) + 4 <= w ? label : b->label;
        if (svg_text_width(text, FONT) + 2 <= w)
            svg_text(s, x0 + w / 2, y + h / 2 + FONT * 0.35, "class=\"on\"", text);
    } else if (b->label[0] && svg_text_width(b->label, FONT) + 4 <= w) {
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

/* A stream's period: a bracket under the tick labels over one
 * steady-state window, its edges dashed through the lanes. */
static void period_draw(const frame *f, const gantt_layout *g, double top, double bottom)
{
    svg *s = f->s;
    if (g->period_col0 < 0) return;
    double x0 = x_of(f, g->period_t0), x1 = x_of(f, g->period_t1), y = bottom + 30;
    static const char edge[] = "stroke=\"#c0392b\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"";
    svg_line(s, x0, top - 4, x0, bottom, edge);
    svg_line(s, x1, top - 4, x1, bottom, edge);
    static const char pen[] = "stroke=\"#c0392b\" stroke-width=\"2\"";
    svg_line(s, x0, y - 6, x0, y, pen);
    svg_line(s, x0, y, x1, y, pen);
    svg_line(s, x1, y - 6, x1, y, pen);
    char t[32], text[64];
    fmt_time(g->period, t, sizeof t);
    snprintf(text, sizeof text, "period %s", t);
    svg_text(s, (x0 + x1) / 2, y + 15, "class=\"marker\" text-anchor=\"middle\"", text);
}

static void panel_title(const panel *p, char *title, size_t size)
{
    const gantt_svg_row *row = p->row;
    char t[32];
    if (!p->drawn) {
        snprintf(title, size, "%s: %s", row->title,
                 row->stream ? "cannot stream (infeasible)" : "infeasible");
    } else if (row->stream) {
        char summary[160];
        gantt_stream_summary(&p->g, summary, sizeof summary);
        snprintf(title, size, "%s: %s", row->title, summary);
    } else {
        fmt_time(row->ev->latency, t, sizeof t);
        snprintf(title, size, "%s: %s (%s)", row->title, t, mode_name(row->ev->mode));
    }
}

static void panel_draw(const frame *f, const panel *p, double y)
{
    svg *s = f->s;
    const gantt_svg_row *row = p->row;
    char title[NN_TEXT_LEN + 200];
    panel_title(p, title, sizeof title);
    if (p->drawn && row->stream) {
        svg_text(s, MARGIN, y + 16, "class=\"panel\"", title);
        if (row->subtitle)
            svg_text(s, MARGIN + svg_text_width(title, 14) * 1.08 + 16, y + 16, "class=\"sub\"",
                     row->subtitle);
        char line[160];
        snprintf(line, sizeof line,
                 "%d inputs back to back, weights resident; each input in its own shade; the "
                 "bracket marks one period of the steady state",
                 p->g.ninputs);
        svg_text(s, MARGIN, y + 36, "class=\"sub\"", line);
    } else {
        svg_text(s, MARGIN, y + 16, "class=\"panel\"", title);
        if (row->subtitle)
            svg_text(s, MARGIN + svg_text_width(title, 14) * 1.08 + 16, y + 16, "class=\"sub\"",
                     row->subtitle);
    }
    if (p->drawn && !row->stream) {
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
        for (int i = 0; row->ev && i < row->ev->nreasons; i++)
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
    if (g->stream)
        period_draw(f, g, top, bottom);
    else
        latency_draw(f, row->ev->latency, top, bottom);
}

typedef enum legend_what {
    LEGEND_KIND,
    LEGEND_CRITICAL,
    LEGEND_LATENCY,
    LEGEND_DEVICE,
    LEGEND_INPUT,
    LEGEND_PERIOD,
} legend_what;

typedef struct legend_item {
    legend_what what;
    int index; /* the kind's, device or input */
    char name[NN_NAME_LEN + 16];
} legend_item;

enum { LEGEND_KINDS = 5, LEGEND_MAX = LEGEND_KINDS + 3 + NN_MAX_DEVICES + GANTT_MAX_INPUTS + 1 };

/* What the legend explains: one inference's kinds, critical path, latency
 * and devices when some row draws one; a stream's inputs and period when
 * some row draws one (`ninputs` > 0). */
static int legend_items(const nn_instance *in, bool single, int ninputs, legend_item *items)
{
    static const gantt_kind kinds[LEGEND_KINDS] = {GANTT_COMPUTE, GANTT_LOAD, GANTT_WAIT,
                                                   GANTT_TRANSFER, GANTT_IDLE};
    int n = 0;
    for (int k = 0; k < LEGEND_KINDS; k++) {
        /* A stream alone: its transfers and idle time, not loading. */
        if (!single && kinds[k] != GANTT_TRANSFER && kinds[k] != GANTT_IDLE) continue;
        items[n] = (legend_item){.what = LEGEND_KIND, .index = k};
        snprintf(items[n++].name, sizeof items[0].name, "%s", kind_name(kinds[k]));
    }
    if (single) {
        items[n] = (legend_item){.what = LEGEND_CRITICAL};
        snprintf(items[n++].name, sizeof items[0].name, "critical path");
        items[n] = (legend_item){.what = LEGEND_LATENCY};
        snprintf(items[n++].name, sizeof items[0].name, "latency");
    }
    if (ninputs > 0) {
        items[n] = (legend_item){.what = LEGEND_PERIOD};
        snprintf(items[n++].name, sizeof items[0].name, "one period of the steady state");
    }
    for (int d = 0; single && d < in->D; d++) {
        items[n] = (legend_item){.what = LEGEND_DEVICE, .index = d};
        snprintf(items[n++].name, sizeof items[0].name, "%s", in->device_names[d]);
    }
    for (int k = 0; k < ninputs && k < GANTT_MAX_INPUTS; k++) {
        items[n] = (legend_item){.what = LEGEND_INPUT, .index = k};
        snprintf(items[n++].name, sizeof items[0].name, "input %d", k + 1);
    }
    return n;
}

/* Draws the legend from (x, y) when `s` is set, wrapping at the right
 * margin; returns the height it takes. */
static double legend_draw(svg *s, const nn_instance *in, bool single, int ninputs, double x0,
                          double y0)
{
    static const char *const fills[LEGEND_KINDS] = {
        "fill=\"#4e79a7\"",
        "fill=\"#4e79a7\" fill-opacity=\"0.35\" stroke=\"#4e79a7\" stroke-width=\"0.8\"",
        "fill=\"url(#wait)\"", "fill=\"#888888\" stroke=\"#333333\" stroke-width=\"0.6\"",
        "fill=\"url(#idle)\" stroke=\"#cccccc\" stroke-width=\"0.6\""};
    legend_item items[LEGEND_MAX];
    int nitems = legend_items(in, single, ninputs, items);
    double x = x0, y = y0;
    for (int k = 0; k < nitems; k++) {
        const legend_item *it = &items[k];
        bool swatch = it->what == LEGEND_DEVICE || it->what == LEGEND_INPUT;
        double w = (swatch                       ? 19
                    : it->what == LEGEND_LATENCY ? 12
                                                 : 28) +
                   svg_text_width(it->name, FONT);
        /* Devices and inputs start their own line: they say what the colours mean. */
        bool first_of_line = swatch && (k == 0 || items[k - 1].what != it->what);
        if ((first_of_line || x + w > W_TOTAL - MARGIN) && x > x0) {
            x = x0;
            y += 22;
        }
        if (s) {
            char attrs[64];
            switch (it->what) {
            case LEGEND_DEVICE:
            case LEGEND_INPUT:
                /* Bars take their device's colour (a transfer: the sender's),
                 * a stream's bars their input's. */
                snprintf(attrs, sizeof attrs, "fill=\"%s\"",
                         it->what == LEGEND_DEVICE ? svg_palette(it->index)
                                                   : input_colour(it->index));
                svg_rect(s, x, y - 11, 14, 14, attrs);
                svg_text(s, x + 19, y, NULL, it->name);
                break;
            case LEGEND_CRITICAL:
                svg_rect(s, x, y - 11, 22, 14,
                         "fill=\"#dddddd\" stroke=\"#111111\" stroke-width=\"2.2\"");
                svg_text(s, x + 28, y, NULL, it->name);
                break;
            case LEGEND_LATENCY:
                svg_line(s, x + 4, y - 12, x + 4, y + 3,
                         "stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"6 3\"");
                svg_text(s, x + 12, y, NULL, it->name);
                break;
            case LEGEND_PERIOD:
                svg_line(s, x, y - 6, x, y, "stroke=\"#c0392b\" stroke-width=\"2\"");
                svg_line(s, x, y, x + 22, y, "stroke=\"#c0392b\" stroke-width=\"2\"");
                svg_line(s, x + 22, y - 6, x + 22, y, "stroke=\"#c0392b\" stroke-width=\"2\"");
                svg_text(s, x + 28, y, NULL, it->name);
                break;
            case LEGEND_KIND:
                svg_rect(s, x, y - 11, 22, 14, fills[it->index]);
                svg_text(s, x + 28, y, NULL, it->name);
                break;
            }
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
    bool single = false;
    int ninputs = 0;
    for (int i = 0; i < nrows; i++) {
        const nn_eval *ev = rows[i].ev;
        const nn_stream *st = rows[i].stream;
        ps[i].row = &rows[i];
        double end = st ? gantt_stream_total(st) : ev->feasible ? ev->latency : 0;
        /* A stream where nothing takes time still has its lanes. */
        ps[i].drawn = st ? st->feasible && isfinite(st->period) : isfinite(end) && end > 0;
        if (ps[i].drawn && end > t1) t1 = end;
        if (ps[i].drawn) {
            int cells =
                st ? gantt_stream_title_width(rows[i].in, st) : gantt_title_width(rows[i].in, ev);
            double w = cells * FONT * SVG_CHAR_EM;
            if (w > title_w) title_w = w;
        }
        if (st && st->ninputs > ninputs) ninputs = st->ninputs;
        single |= !st;
    }
    if (!(t1 > 0)) t1 = 1.0;
    double x0 = MARGIN + title_w + 14;
    double plot_w = W_TOTAL - x0 - MARGIN - 8;
    int cols = (int)(plot_w / COL_PX);
    gantt_view view = {.t0 = 0, .t1 = t1, .fit = true};
    double height =
        H_HEADING + legend_draw(NULL, rows[0].in, single, ninputs, MARGIN, 0) + 14 + MARGIN;
    for (int i = 0; i < nrows; i++) {
        const gantt_svg_row *r = &rows[i];
        if (ps[i].drawn &&
            (r->stream ? gantt_stream_build(r->in, r->stream, &view, cols, &ps[i].g)
                       : gantt_layout_build(r->in, r->ev, &view, cols, &ps[i].g)) != 0) {
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
    legend_draw(&s, rows[0].in, single, ninputs, MARGIN, y + 14);
    svg_end(&s);
    rc = ferror(out) ? -1 : 0;
out:
    for (int i = 0; i < nrows; i++)
        if (ps[i].drawn) gantt_layout_free(&ps[i].g);
    free(ps);
    return rc;
}
