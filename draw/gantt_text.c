/* Character-cell painter of the timeline layout: the plain text printer
 * (`nnpart solve --gantt`) and the cells the curses painter draws. */
#include "gantt_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/units.h"
#include "utf8.h"

const char *gantt_input_glyph(int input, bool unicode)
{
    /* Four fills, densest first; the number at each bar's start tells a
     * fifth input from the first. */
    static const char *const blocks[] = {"\u2588", "\u2593", "\u2592", "\u2591"};
    static const char *const ascii[] = {"#", "@", "%", "="};
    int k = (input < 0 ? 0 : input) % 4;
    return unicode ? blocks[k] : ascii[k];
}

const char *gantt_glyph(const gantt_bar *bar, const gantt_lane *lane, bool unicode)
{
    if (bar->input >= 0 && bar->kind != GANTT_IDLE) return gantt_input_glyph(bar->input, unicode);
    if (bar->tick) return unicode ? "\u2502" : "|"; /* a thin bar: no time at this scale */
    switch (bar->kind) {
    case GANTT_COMPUTE: /* full block; dark shade for the next of touching layers */
        if (bar->shade) return unicode ? "\u2593" : "%";
        return unicode ? "\u2588" : "#";
    case GANTT_LOAD:
        return unicode ? "\u2592" : "="; /* medium shade */
    case GANTT_IDLE:
        return unicode ? "\u00b7" : "."; /* middle dot */
    case GANTT_WAIT:
        return unicode ? "\u2591" : ":"; /* light shade */
    case GANTT_TRANSFER: {
        bool forward = lane && bar->device == lane->a;
        if (unicode) return forward ? "\u00bb" : "\u00ab"; /* >> and << */
        return forward ? ">" : "<";
    }
    }
    return "?";
}

void gantt_lane_render(const gantt_layout *g, int lane, bool unicode, gantt_cell *cells)
{
    for (int c = 0; c < g->width; c++)
        cells[c] = (gantt_cell){.text = " ", .bar = -1};
    if (lane < 0 || lane >= g->nlanes) return;
    const gantt_lane *ln = &g->lanes[lane];
    /* By rank, so each cell shows what gantt_bar_at finds there. */
    for (int pass = 0; pass < 4; pass++) {
        for (int i = ln->first_bar; i < ln->first_bar + ln->nbars; i++) {
            const gantt_bar *bar = &g->bars[i];
            if (gantt_bar_rank(bar) != pass) continue;
            const char *glyph = gantt_glyph(bar, ln, unicode);
            for (int c = bar->col0; c < bar->col1; c++) {
                str_copy(cells[c].text, sizeof cells[c].text, glyph);
                cells[c].bar = i;
                cells[c].label = false;
            }
            const char *p = bar->label;
            for (int c = bar->col0; *p && c < bar->col1; c++) {
                p += utf8_char(p, cells[c].text, sizeof cells[c].text);
                cells[c].label = true;
            }
        }
    }
}

void gantt_axis_render(const gantt_layout *g, bool unicode, char *rule, size_t rule_size,
                       char *labels, size_t labels_size)
{
    /* The rule: one cell per plot column; the latency has its own mark. */
    size_t n = 0;
    rule[0] = '\0';
    for (int c = 0; c < g->width; c++) {
        bool tick = false;
        for (int k = 0; k < g->nticks && !tick; k++)
            tick = g->ticks[k].col == c;
        const char *s = unicode ? (tick ? "\u2534" : "\u2500") : (tick ? "+" : "-");
        if (c == g->total_col) s = unicode ? "\u25b2" : "^";
        /* A stream's period: a bracket over one steady-state window. */
        int p0 = g->period_col0, p1 = g->period_col1 >= g->width ? g->width - 1 : g->period_col1;
        if (p0 >= 0 && c >= p0 && c <= p1)
            s = c == p0   ? (unicode ? "\u255e" : "[")
                : c == p1 ? (unicode ? "\u2561" : "]")
                          : (unicode ? "\u2550" : "=");
        size_t len = strlen(s);
        if (n + len + 1 > rule_size) break;
        memcpy(rule + n, s, len + 1);
        n += len;
    }

    /* Labels start at their tick; one that would run into the previous or off
     * the end moves left, or is dropped. */
    size_t w = (size_t)g->width;
    if (labels_size == 0) return;
    if (w > labels_size - 1) w = labels_size - 1;
    memset(labels, ' ', w);
    labels[w] = '\0';
    /* The latency's label first ("T 174 ms", ending at its mark when it
     * does not fit after it); tick labels keep clear of it. */
    int t_from = -1, t_to = -1;
    if (g->period_col0 >= 0) {
        /* "period 39.8 ms" under its bracket, centred, kept on the line. */
        char text[40], v[24];
        units_format(g->period, UNIT_TIME, v, sizeof v);
        snprintf(text, sizeof text, "period %s", v);
        int len = (int)strlen(text);
        int at = (g->period_col0 + g->period_col1) / 2 - len / 2;
        if (at + len > (int)w) at = (int)w - len;
        if (at < 0) at = 0;
        if (at + len <= (int)w) {
            memcpy(labels + at, text, (size_t)len);
            t_from = at;
            t_to = at + len;
        }
    } else if (g->total_col >= 0) {
        char text[40], v[24];
        units_format(g->total, UNIT_TIME, v, sizeof v);
        snprintf(text, sizeof text, "T %s", v);
        int len = (int)strlen(text), at = g->total_col;
        if (at + len > (int)w) at = g->total_col + 1 - len;
        if (at < 0) at = 0;
        if (at + len <= (int)w) {
            memcpy(labels + at, text, (size_t)len);
            t_from = at;
            t_to = at + len;
        }
    }
    int free_from = 0;
    for (int k = 0; k < g->nticks; k++) {
        const char *text = g->ticks[k].label;
        int len = (int)strlen(text);
        int at = g->ticks[k].col;
        if (at + len > (int)w) at = (int)w - len;
        if (at < free_from) continue;
        if (t_from >= 0 && at < t_to + 1 && at + len + 1 > t_from) continue;
        memcpy(labels + at, text, (size_t)len);
        free_from = at + len + 1;
    }
    /* Trailing blanks are noise in captures and pipes. */
    for (size_t i = w; i > 0 && labels[i - 1] == ' '; i--)
        labels[i - 1] = '\0';
}

const char *gantt_legend(gantt_kind kind, bool unicode)
{
    switch (kind) {
    case GANTT_COMPUTE:
        return unicode ? "\u2588\u2593\u2502 compute" : "#%| compute";
    case GANTT_LOAD:
        return unicode ? "\u2592 loading weights" : "= loading weights";
    case GANTT_TRANSFER:
        return unicode ? "\u00bb\u00ab transfer" : "<> transfer";
    case GANTT_IDLE:
        return unicode ? "\u00b7 idle" : ". idle";
    case GANTT_WAIT:
        return unicode ? "\u2591 waiting for weights" : ": waiting for weights";
    }
    return "";
}

/* The lanes of `g` under their titles (`title_w` cells), then the axis. */
static int print_lanes(FILE *out, const gantt_layout *g, int title_w, bool unicode)
{
    int plot = g->width;
    gantt_cell *cells = calloc((size_t)plot, sizeof *cells);
    size_t rule_size = (size_t)(plot + 2) * 4, labels_size = (size_t)plot + 2;
    char *rule = malloc(rule_size), *labels = malloc(labels_size);
    if (!cells || !rule || !labels) {
        free(cells);
        free(rule);
        free(labels);
        return -1;
    }
    for (int l = 0; l < g->nlanes; l++) {
        gantt_lane_render(g, l, unicode, cells);
        /* Cut the title by characters, then pad to the column. */
        const char *t = g->lanes[l].title;
        int shown = 0;
        for (const char *p = t; *p && shown < title_w;) {
            char ch[8];
            p += utf8_char(p, ch, sizeof ch);
            fputs(ch, out);
            shown++;
        }
        fprintf(out, "%*s%s", title_w - shown + 1, "", unicode ? "\u2502" : "|");
        int last = plot;
        while (last > 0 && cells[last - 1].bar < 0)
            last--;
        for (int c = 0; c < last; c++)
            fputs(cells[c].text, out);
        fputc('\n', out);
    }
    gantt_axis_render(g, unicode, rule, rule_size, labels, labels_size);
    /* The corner sits under the lanes' separator. */
    fprintf(out, "%*s%s%s\n", title_w + 1, "", unicode ? "\u2514" : "+", rule);
    fprintf(out, "%*s%s\n", title_w + 2, "", labels);
    free(cells);
    free(rule);
    free(labels);
    return 0;
}

/* Legend items after the titles' column, wrapped to the width. */
static void print_legend(FILE *out, const char *const *items, int n, int title_w, int width)
{
    int col = fprintf(out, "%*s", title_w + 2, "");
    bool first = true;
    for (int i = 0; i < n; i++) {
        int cells = utf8_cells(items[i]);
        if (!first && col + 2 + cells > width) {
            fprintf(out, "\n%*s", title_w + 2, "");
            col = title_w + 2;
            first = true;
        }
        col += fprintf(out, "%s%s", first ? "" : "  ", items[i]) - (int)strlen(items[i]) + cells;
        first = false;
    }
    fputc('\n', out);
}

/* Title and plot columns for `width` and the longest title. */
static void print_columns(int width, int longest, int *title_w, int *plot)
{
    *title_w = longest < 4 ? 4 : longest;
    if (*title_w > width / 3) *title_w = width / 3;
    *plot = width - *title_w - 2;
    if (*plot < 10) *plot = 10;
}

void gantt_print(FILE *out, const nn_instance *in, const nn_eval *ev, int width, bool unicode)
{
    if (!ev->feasible || !isfinite(ev->latency)) {
        fprintf(out, "timeline: the placement is infeasible\n");
        for (int i = 0; i < ev->nreasons; i++)
            fprintf(out, "  %s\n", ev->reasons[i].text);
        return;
    }
    gantt_view view;
    gantt_view_fit(&view, ev->latency);

    /* Titles first: the plot gets what they leave. */
    int title_w, plot;
    print_columns(width, gantt_title_width(in, ev), &title_w, &plot);
    gantt_layout g;
    if (gantt_layout_build(in, ev, &view, plot, &g) != 0 ||
        print_lanes(out, &g, title_w, unicode)) {
        fprintf(out, "timeline: out of memory\n");
        if (g.lanes) gantt_layout_free(&g);
        return;
    }
    /* Legend and latency, wrapped to the width. */
    char lat[64], latency[96];
    units_format(ev->latency, UNIT_TIME, lat, sizeof lat);
    snprintf(latency, sizeof latency, "latency %s (%s)", lat, mode_name(ev->mode));
    const char *items[] = {gantt_legend(GANTT_COMPUTE, unicode),  gantt_legend(GANTT_LOAD, unicode),
                           gantt_legend(GANTT_TRANSFER, unicode), gantt_legend(GANTT_IDLE, unicode),
                           gantt_legend(GANTT_WAIT, unicode),     latency};
    print_legend(out, items, (int)(sizeof items / sizeof items[0]), title_w, width);
    gantt_layout_free(&g);
}

void gantt_input_legend(int input, bool unicode, char *buf, size_t size)
{
    snprintf(buf, size, "%s input %d", gantt_input_glyph(input, unicode), input + 1);
}

void gantt_stream_summary(const gantt_layout *g, char *buf, size_t size)
{
    char p[32], l[32];
    units_format(g->period, UNIT_TIME, p, sizeof p);
    units_format(g->latency, UNIT_TIME, l, sizeof l);
    if (g->period > 0)
        snprintf(buf, size, "period %s (%.4g inputs/s), one input %s", p, 1 / g->period, l);
    else
        snprintf(buf, size, "period %s (nothing keeps an engine busy), one input %s", p, l);
}

void gantt_print_stream(FILE *out, const nn_instance *in, const nn_stream *st, int width,
                        bool unicode)
{
    if (!st->feasible || !isfinite(st->period)) {
        fprintf(out, "timeline: the placement cannot stream (infeasible)\n");
        return;
    }
    gantt_view view;
    gantt_view_fit(&view, gantt_stream_total(st));
    int title_w, plot;
    print_columns(width, gantt_stream_title_width(in, st), &title_w, &plot);
    gantt_layout g;
    if (gantt_stream_build(in, st, &view, plot, &g) != 0 ||
        print_lanes(out, &g, title_w, unicode)) {
        fprintf(out, "timeline: out of memory\n");
        if (g.lanes) gantt_layout_free(&g);
        return;
    }
    /* Each input's shade, then idle, then the period and one input's latency. */
    char names[GANTT_MAX_INPUTS][32], summary[160], bracket[200];
    const char *items[GANTT_MAX_INPUTS + 3];
    int n = 0;
    for (int k = 0; k < st->ninputs && k < GANTT_MAX_INPUTS; k++) {
        gantt_input_legend(k, unicode, names[k], sizeof names[k]);
        items[n++] = names[k];
    }
    items[n++] = gantt_legend(GANTT_IDLE, unicode);
    gantt_stream_summary(&g, summary, sizeof summary);
    snprintf(bracket, sizeof bracket, "%s %s", unicode ? "\u255e\u2550\u2561" : "[=]", summary);
    items[n++] = bracket;
    items[n++] = "(weights resident)";
    print_legend(out, items, n, title_w, width);
    gantt_layout_free(&g);
}
