/* Character-cell painter of the timeline layout: the plain text printer
 * (`nnpart solve --gantt`) and the cells the curses painter draws. */
#include "gantt_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/units.h"
#include "utf8.h"

const char *gantt_glyph(const gantt_bar *bar, const gantt_lane *lane, bool unicode)
{
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
    if (g->total_col >= 0) {
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
    int title_w = gantt_title_width(in, ev);
    if (title_w < 4) title_w = 4;
    if (title_w > width / 3) title_w = width / 3;
    int plot = width - title_w - 2;
    if (plot < 10) plot = 10;

    gantt_layout g;
    if (gantt_layout_build(in, ev, &view, plot, &g) != 0) {
        fprintf(out, "timeline: out of memory\n");
        return;
    }
    gantt_cell *cells = calloc((size_t)plot, sizeof *cells);
    if (!cells) {
        gantt_layout_free(&g);
        fprintf(out, "timeline: out of memory\n");
        return;
    }
    for (int l = 0; l < g.nlanes; l++) {
        gantt_lane_render(&g, l, unicode, cells);
        /* Cut the title by characters, then pad to the column. */
        const char *t = g.lanes[l].title;
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
    size_t rule_size = (size_t)(plot + 2) * 4, labels_size = (size_t)plot + 2;
    char *rule = malloc(rule_size), *labels = malloc(labels_size);
    if (rule && labels) {
        gantt_axis_render(&g, unicode, rule, rule_size, labels, labels_size);
        /* The corner sits under the lanes' separator. */
        fprintf(out, "%*s%s%s\n", title_w + 1, "", unicode ? "\u2514" : "+", rule);
        fprintf(out, "%*s%s\n", title_w + 2, "", labels);
    }
    free(rule);
    free(labels);
    /* Legend and latency, wrapped to the width. */
    char lat[64], latency[96];
    units_format(ev->latency, UNIT_TIME, lat, sizeof lat);
    snprintf(latency, sizeof latency, "latency %s (%s)", lat, mode_name(ev->mode));
    const char *items[] = {gantt_legend(GANTT_COMPUTE, unicode),  gantt_legend(GANTT_LOAD, unicode),
                           gantt_legend(GANTT_TRANSFER, unicode), gantt_legend(GANTT_IDLE, unicode),
                           gantt_legend(GANTT_WAIT, unicode),     latency};
    int col = fprintf(out, "%*s", title_w + 2, "");
    bool first = true;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        int n = utf8_cells(items[i]);
        if (!first && col + 2 + n > width) {
            fprintf(out, "\n%*s", title_w + 2, "");
            col = title_w + 2;
            first = true;
        }
        col += fprintf(out, "%s%s", first ? "" : "  ", items[i]) - (int)strlen(items[i]) + n;
        first = false;
    }
    fputc('\n', out);
    free(cells);
    gantt_layout_free(&g);
}
