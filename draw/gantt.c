/* Timeline layout: evaluation intervals -> lanes of bars in columns. */
#include "gantt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/critical.h"
#include "../model/units.h"
#include "plot.h"
#include "utf8.h"

/* Narrowest window, so zooming in stops at something still meaningful. */
#define GANTT_MIN_SPAN 1e-6
/* Columns between tick marks at least, so "100 ms" labels never touch. */
#define GANTT_TICK_GAP 12

static bool total_valid(double total)
{
    return isfinite(total) && total > 0;
}

void gantt_view_fit(gantt_view *v, double total)
{
    *v = (gantt_view){.t0 = 0, .t1 = total_valid(total) ? total : 1.0, .fit = true};
}

/* Keeps the window's width and moves it inside [0, total]. */
static void view_clamp(gantt_view *v, double total)
{
    double span = v->t1 - v->t0;
    if (!total_valid(total)) total = 1.0;
    if (span >= total) {
        gantt_view_fit(v, total);
        return;
    }
    if (v->t0 < 0) {
        v->t0 = 0;
        v->t1 = span;
    }
    if (v->t1 > total) {
        v->t1 = total;
        v->t0 = total - span;
    }
    v->fit = false;
}

void gantt_view_zoom(gantt_view *v, double factor, double total)
{
    if (!(factor > 0)) return;
    double centre = (v->t0 + v->t1) / 2;
    double span = (v->t1 - v->t0) / factor;
    if (span < GANTT_MIN_SPAN) span = GANTT_MIN_SPAN;
    v->t0 = centre - span / 2;
    v->t1 = centre + span / 2;
    view_clamp(v, total);
}

void gantt_view_pan(gantt_view *v, double fraction, double total)
{
    double shift = fraction * (v->t1 - v->t0);
    v->t0 += shift;
    v->t1 += shift;
    view_clamp(v, total);
}

typedef struct builder {
    gantt_layout *g;
    int cap;
    const nn_critical *crit; /* flags bars on the critical path, or NULL */
} builder;

static gantt_bar *bar_push(builder *b)
{
    gantt_layout *g = b->g;
    if (g->nbars == b->cap) {
        int n = b->cap ? b->cap * 2 : 32;
        gantt_bar *grown = realloc(g->bars, (size_t)n * sizeof *grown);
        if (!grown) return NULL;
        g->bars = grown;
        b->cap = n;
    }
    return &g->bars[g->nbars++];
}

/* A zero-length interval at t0: one unlabelled column at its instant, shared
 * with the lane's previous tick when both fall in the same column. */
static int tick_add(builder *b, int lane, gantt_bar proto)
{
    gantt_layout *g = b->g;
    double x = (proto.t0 - g->t0) * (g->width / (g->t1 - g->t0));
    if (!(x >= 0 && x <= g->width)) return 0;
    int c = (int)lround(x);
    if (c >= g->width) c = g->width - 1;
    const gantt_lane *ln = &g->lanes[lane];
    if (ln->nbars > 0) {
        const gantt_bar *last = &g->bars[ln->first_bar + ln->nbars - 1];
        if (last->tick && last->col0 == c) return 0;
    }
    gantt_bar *bar = bar_push(b);
    if (!bar) return -1;
    proto.lane = lane;
    proto.col0 = c;
    proto.col1 = c + 1;
    proto.t1 = proto.t0;
    proto.label[0] = '\0';
    *bar = proto;
    g->lanes[lane].nbars++;
    return 0;
}

/* Adds the interval [t0, t1] to the current lane if it shows in the window.
 * A visible interval gets at least one column so short layers never vanish. */
static int bar_add(builder *b, int lane, gantt_bar proto, const char *label)
{
    gantt_layout *g = b->g;
    if (proto.tick) return tick_add(b, lane, proto);
    if (!(proto.t1 > proto.t0)) return 0;
    double scale = g->width / (g->t1 - g->t0);
    double x0 = (proto.t0 - g->t0) * scale, x1 = (proto.t1 - g->t0) * scale;
    if (x1 <= 0 || x0 >= g->width) return 0;
    proto.clip_left = x0 < 0;
    proto.clip_right = x1 > g->width;
    int c0 = proto.clip_left ? 0 : (int)lround(x0);
    int c1 = proto.clip_right ? g->width : (int)lround(x1);
    if (c0 >= g->width) c0 = g->width - 1;
    if (c1 <= c0) c1 = c0 + 1;
    gantt_bar *bar = bar_push(b);
    if (!bar) return -1;
    proto.lane = lane;
    proto.col0 = c0;
    proto.col1 = c1;
    proto.label[0] = '\0';
    /* One fill column after the label keeps neighbouring labels apart. */
    if (label && utf8_cells(label) + 1 <= c1 - c0) str_copy(proto.label, sizeof proto.label, label);
    *bar = proto;
    g->lanes[lane].nbars++;
    return 0;
}

static const char *boundary_label(const nn_instance *in, int boundary)
{
    return boundary == 0 ? "input" : in->layer_names[boundary - 1];
}

/* A device's load and compute lanes; without an evaluation (`ev` NULL)
 * they stay empty. */
static int lanes_device(builder *b, const nn_instance *in, const nn_eval *ev, int d, int *lane)
{
    gantt_layout *g = b->g;
    int first = *lane;
    if (g->load_lanes) {
        gantt_lane *load = &g->lanes[*lane];
        *load = (gantt_lane){
            .kind = LANE_LOAD, .device = d, .a = -1, .b = -1, .color = d, .first_bar = g->nbars};
        snprintf(load->title, sizeof load->title, "%s load", in->device_names[d]);
    }
    gantt_lane *comp = &g->lanes[*lane + (g->load_lanes ? 1 : 0)];
    *comp = (gantt_lane){
        .kind = LANE_COMPUTE, .device = d, .a = -1, .b = -1, .color = d, .first_bar = g->nbars};
    snprintf(comp->title, sizeof comp->title, "%s", in->device_names[d]);
    if (!ev) {
        *lane += g->load_lanes ? 2 : 1;
        return 0;
    }
    for (int i = 0; g->load_lanes && i < ev->nloads; i++) {
        const nn_load_span *s = &ev->loads[i];
        if (s->device != d) continue;
        gantt_bar p = {.kind = GANTT_LOAD,
                       .t0 = s->start,
                       .t1 = s->end,
                       .layer = s->layer,
                       .boundary = -1,
                       .device = d,
                       .to = -1,
                       .tick = !(s->end > s->start)};
        if (b->crit) p.critical = b->crit->load_on[i];
        if (bar_add(b, *lane, p, in->layer_names[s->layer]) != 0) return -1;
    }
    if (g->load_lanes) (*lane)++;
    (void)first;

    comp->first_bar = g->nbars;
    int last_compute = -1; /* bar index, for alternating shades */
    /* Gaps shorter than this are rounding, not waiting. */
    double eps = g->total * 1e-9;
    double busy_until = 0;
    for (int l = 0; l < ev->L; l++) {
        const nn_layer_time *t = &ev->layers[l];
        if (t->device != d) continue;
        /* Idle until the input is here, then waiting for the weights. */
        double input = t->arrive > busy_until ? t->arrive : busy_until;
        if (input > t->start) input = t->start;
        if (input - busy_until > eps) {
            gantt_bar idle = {.kind = GANTT_IDLE,
                              .t0 = busy_until,
                              .t1 = input,
                              .layer = -1,
                              .boundary = -1,
                              .device = d,
                              .to = -1};
            if (bar_add(b, *lane, idle, NULL) != 0) return -1;
        }
        if (t->start - input > eps) {
            gantt_bar wait = {.kind = GANTT_WAIT,
                              .t0 = input,
                              .t1 = t->start,
                              .layer = l,
                              .boundary = -1,
                              .device = d,
                              .to = -1};
            if (bar_add(b, *lane, wait, NULL) != 0) return -1;
        }
        gantt_bar p = {.kind = GANTT_COMPUTE,
                       .t0 = t->start,
                       .t1 = t->finish,
                       .layer = l,
                       .boundary = -1,
                       .device = d,
                       .to = -1,
                       .tick = !(t->finish > t->start)};
        if (b->crit) p.critical = b->crit->layer_on[l];
        int before = g->nbars;
        if (bar_add(b, *lane, p, in->layer_names[l]) != 0) return -1;
        if (g->nbars > before && !p.tick) {
            /* Touching the layer before: the other shade shows where one
             * ends and the next begins. */
            gantt_bar *now = &g->bars[g->nbars - 1];
            if (last_compute >= 0 && g->bars[last_compute].col1 >= now->col0)
                now->shade = 1 - g->bars[last_compute].shade;
            last_compute = g->nbars - 1;
        }
        if (t->finish > busy_until) busy_until = t->finish;
    }
    if (g->total - busy_until > eps) {
        gantt_bar idle = {.kind = GANTT_IDLE,
                          .t0 = busy_until,
                          .t1 = g->total,
                          .layer = -1,
                          .boundary = -1,
                          .device = d,
                          .to = -1};
        if (bar_add(b, *lane, idle, NULL) != 0) return -1;
    }
    (*lane)++;
    return 0;
}

/* Whether anything crosses between devices a and c, either way. */
static bool pair_used(const nn_eval *ev, int a, int c)
{
    for (int i = 0; i < ev->nhops; i++) {
        const nn_hop_span *h = &ev->hops[i];
        if ((h->from == a && h->to == c) || (h->from == c && h->to == a)) return true;
    }
    return false;
}

int gantt_link_lanes(const nn_instance *in, const nn_eval *ev)
{
    int n = 0;
    for (int a = 0; a < in->D; a++)
        for (int c = a + 1; c < in->D; c++)
            n += pair_used(ev, a, c);
    return n;
}

int gantt_title_width(const nn_instance *in, const nn_eval *ev)
{
    int w = 0;
    for (int d = 0; d < in->D; d++) {
        int n = utf8_cells(in->device_names[d]) + 5; /* " load" */
        if (n > w) w = n;
    }
    for (int i = 0; i < ev->nhops; i++) {
        const nn_hop_span *h = &ev->hops[i];
        int n = utf8_cells(in->device_names[h->from]) + 1 + utf8_cells(in->device_names[h->to]);
        if (n > w) w = n;
    }
    return w;
}

static int lanes_links(builder *b, const nn_instance *in, const nn_eval *ev, int *lane)
{
    gantt_layout *g = b->g;
    /* Pairs in device order, so lanes keep their place from solve to solve. */
    for (int a = 0; a < in->D; a++) {
        for (int c = a + 1; c < in->D; c++) {
            if (!pair_used(ev, a, c)) continue;
            gantt_lane *ln = &g->lanes[*lane];
            *ln = (gantt_lane){.kind = LANE_LINK,
                               .device = -1,
                               .a = a,
                               .b = c,
                               .color = -1,
                               .first_bar = g->nbars};
            snprintf(ln->title, sizeof ln->title, "%s-%s", in->device_names[a],
                     in->device_names[c]);
            for (int i = 0; i < ev->nhops; i++) {
                const nn_hop_span *h = &ev->hops[i];
                if (!((h->from == a && h->to == c) || (h->from == c && h->to == a))) continue;
                gantt_bar p = {.kind = GANTT_TRANSFER,
                               .t0 = h->start,
                               .t1 = h->end,
                               .layer = -1,
                               .boundary = h->boundary,
                               .device = h->from,
                               .to = h->to};
                if (b->crit) p.critical = b->crit->hop_on[i];
                if (bar_add(b, *lane, p, boundary_label(in, h->boundary)) != 0) return -1;
            }
            (*lane)++;
        }
    }
    return 0;
}

static void ticks_build(gantt_layout *g)
{
    g->nticks = 0;
    double span = g->t1 - g->t0;
    if (g->width <= 0 || !(span > 0)) return;
    double step = plot_nice_step(span * GANTT_TICK_GAP / g->width);
    double first = ceil(g->t0 / step - 1e-9);
    for (int i = 0; g->nticks < GANTT_MAX_TICKS; i++) {
        double t = (first + i) * step;
        if (t > g->t1 + step * 1e-9) break;
        if (fabs(t) < step * 1e-9) t = 0;
        gantt_tick *k = &g->ticks[g->nticks++];
        k->t = t;
        k->col = (int)lround((t - g->t0) / span * g->width);
        if (k->col > g->width) k->col = g->width;
        units_format(t, UNIT_TIME, k->label, sizeof k->label);
    }
}

int gantt_layout_build(const nn_instance *in, const nn_eval *ev, const gantt_view *view, int width,
                       gantt_layout *out)
{
    memset(out, 0, sizeof *out);
    out->width = width > 1 ? width : 1;
    out->total = ev->latency;
    out->t0 = view->t0;
    out->t1 = view->t1 > view->t0 ? view->t1 : view->t0 + 1.0;

    out->load_lanes = gantt_device_lanes(ev) == 2;
    out->lanes = calloc((size_t)(gantt_device_lanes(ev) * in->D + gantt_link_lanes(in, ev)),
                        sizeof *out->lanes);
    if (!out->lanes) return -1;
    ticks_build(out);
    out->total_col = -1;
    if (isfinite(out->total) && out->total >= out->t0 && out->total <= out->t1 * (1 + 1e-12)) {
        int col = (int)lround((out->total - out->t0) / (out->t1 - out->t0) * out->width);
        out->total_col = col >= out->width ? out->width - 1 : col;
    }

    builder b = {.g = out};
    bool timed = isfinite(ev->latency) && ev->layers && ev->L == in->L;
    nn_critical crit;
    bool have_crit = timed && ev->feasible && critical_path(in, ev, &crit) == 0;
    if (have_crit) b.crit = &crit;
    int lane = 0, rc = 0;
    for (int d = 0; rc == 0 && d < in->D; d++)
        rc = lanes_device(&b, in, timed ? ev : NULL, d, &lane);
    if (rc == 0 && timed) rc = lanes_links(&b, in, ev, &lane);
    if (have_crit) critical_free(&crit);
    if (rc != 0) {
        gantt_layout_free(out);
        return -1;
    }
    out->nlanes = lane;
    return 0;
}

int gantt_device_lanes(const nn_eval *ev)
{
    return ev->mode == MODE_RESIDENT ? 1 : 2;
}

int gantt_compute_lane(const gantt_layout *g, int d)
{
    for (int i = 0; i < g->nlanes; i++)
        if (g->lanes[i].kind == LANE_COMPUTE && g->lanes[i].device == d) return i;
    return -1;
}

void gantt_layout_free(gantt_layout *g)
{
    free(g->lanes);
    free(g->bars);
    memset(g, 0, sizeof *g);
}

int gantt_bar_rank(const gantt_bar *bar)
{
    if (bar->kind == GANTT_IDLE) return 0;
    if (bar->kind == GANTT_WAIT) return 1;
    return bar->tick ? 2 : 3;
}

int gantt_bar_at(const gantt_layout *g, int lane, int col)
{
    if (lane < 0 || lane >= g->nlanes) return -1;
    const gantt_lane *ln = &g->lanes[lane];
    int found = -1;
    for (int i = ln->first_bar; i < ln->first_bar + ln->nbars; i++) {
        const gantt_bar *bar = &g->bars[i];
        if (col < bar->col0 || col >= bar->col1) continue;
        if (found < 0 || gantt_bar_rank(bar) >= gantt_bar_rank(&g->bars[found])) found = i;
    }
    return found;
}
