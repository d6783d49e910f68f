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
    bool stream;             /* gantt_stream_build: labels are input numbers */
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
    if (!b->stream) {
        proto.input = -1;
        proto.layer_last = proto.layer;
    }
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
    /* One fill column after the label keeps neighbouring labels apart; an
     * input's number may fill its bar (the next bar has its own shade). */
    if (label && utf8_cells(label) + (b->stream ? 0 : 1) <= c1 - c0)
        str_copy(proto.label, sizeof proto.label, label);
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

    out->period_col0 = out->period_col1 = -1;
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

/* --- a stream: inputs through the periodic schedule ------------------------ */

int gantt_stream_inputs(const nn_stream *one)
{
    int n = 3;
    if (isfinite(one->period) && one->period > 0 && isfinite(one->latency)) {
        double fill = ceil(one->latency / one->period - 1e-9);
        if (fill > n) n = fill < GANTT_MAX_INPUTS ? (int)fill : GANTT_MAX_INPUTS;
    }
    return n;
}

int gantt_stream_eval(const nn_instance *in, const int *place, int ninputs, nn_stream *out)
{
    if (ninputs <= 0) {
        nn_stream one;
        if (eval_stream(in, place, 1, &one) != 0) return -1;
        ninputs = gantt_stream_inputs(&one);
        eval_stream_free(&one);
    }
    return eval_stream(in, place, ninputs, out);
}

double gantt_stream_total(const nn_stream *st)
{
    if (!st->feasible || !isfinite(st->period)) return 0;
    /* Input 0 starts at 0; the last one's output reaches the sink a
     * latency after its start (after its last hop's propagation, too). */
    double t = (st->ninputs - 1) * st->period + st->latency;
    for (int i = 0; i < st->ntasks; i++)
        if (st->tasks[i].end > t) t = st->tasks[i].end;
    return t;
}

/* Whether some hop of the stream goes from a to c (this direction only). */
static bool direction_used(const nn_stream *st, int a, int c)
{
    for (int i = 0; i < st->ntasks; i++) {
        const nn_stream_task *t = &st->tasks[i];
        if (t->layer < 0 && t->from == a && t->to == c && t->end > t->start) return true;
    }
    return false;
}

/* The link directions a stream uses, in device order, a -> c before c -> a:
 * fills pairs[2 * k], pairs[2 * k + 1] when given; returns how many. */
static int stream_directions(const nn_instance *in, const nn_stream *st, int *pairs)
{
    int n = 0;
    for (int a = 0; a < in->D; a++)
        for (int c = a + 1; c < in->D; c++)
            for (int dir = 0; dir < 2; dir++) {
                int u = dir ? c : a, v = dir ? a : c;
                if (!direction_used(st, u, v)) continue;
                if (pairs) {
                    pairs[2 * n] = u;
                    pairs[2 * n + 1] = v;
                }
                n++;
            }
    return n;
}

int gantt_stream_link_lanes(const nn_instance *in, const nn_stream *st)
{
    return stream_directions(in, st, NULL);
}

int gantt_stream_title_width(const nn_instance *in, const nn_stream *st)
{
    int w = 0;
    for (int d = 0; d < in->D; d++)
        if (utf8_cells(in->device_names[d]) > w) w = utf8_cells(in->device_names[d]);
    for (int i = 0; i < st->ntasks; i++) {
        const nn_stream_task *t = &st->tasks[i];
        if (t->layer >= 0) continue;
        int n = utf8_cells(in->device_names[t->from]) + 2 + utf8_cells(in->device_names[t->to]);
        if (n > w) w = n;
    }
    return w;
}

/* Time order; on one engine tasks never overlap, so ties are empty tasks. */
static int task_cmp(const void *x, const void *y)
{
    const nn_stream_task *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return a->input - b->input;
}

/* Copies the tasks of one engine that take time into buf, in time order:
 * a device's compute (link < 0) or the hops from u to v. */
static int lane_tasks(const nn_stream *st, int device, int u, int v, nn_stream_task *buf)
{
    int n = 0;
    for (int i = 0; i < st->ntasks; i++) {
        const nn_stream_task *t = &st->tasks[i];
        if (!(t->end > t->start)) continue;
        bool mine = device >= 0 ? t->layer >= 0 && t->from == device
                                : t->layer < 0 && t->from == u && t->to == v;
        if (mine) buf[n++] = *t;
    }
    qsort(buf, (size_t)n, sizeof *buf, task_cmp);
    return n;
}

static void input_label(int input, char *buf, size_t size)
{
    snprintf(buf, size, "%d", input + 1);
}

/* A device's compute lane: each input's run of touching layers one bar,
 * idle time between. */
static int stream_device(builder *b, const nn_stream *st, int d, nn_stream_task *buf)
{
    gantt_layout *g = b->g;
    int n = lane_tasks(st, d, -1, -1, buf);
    double eps = g->total * 1e-9, busy_until = 0;
    for (int i = 0; i < n;) {
        gantt_bar p = {.kind = GANTT_COMPUTE,
                       .t0 = buf[i].start,
                       .t1 = buf[i].end,
                       .layer = buf[i].layer,
                       .layer_last = buf[i].layer,
                       .boundary = -1,
                       .device = d,
                       .to = -1,
                       .input = buf[i].input};
        int j = i + 1;
        for (; j < n && buf[j].input == p.input && buf[j].start - p.t1 <= eps; j++) {
            p.t1 = buf[j].end;
            p.layer_last = buf[j].layer;
        }
        if (p.t0 - busy_until > eps) {
            gantt_bar idle = {.kind = GANTT_IDLE,
                              .t0 = busy_until,
                              .t1 = p.t0,
                              .layer = -1,
                              .layer_last = -1,
                              .boundary = -1,
                              .device = d,
                              .to = -1,
                              .input = -1};
            if (bar_add(b, g->nlanes, idle, NULL) != 0) return -1;
        }
        char label[16];
        input_label(p.input, label, sizeof label);
        if (bar_add(b, g->nlanes, p, label) != 0) return -1;
        if (p.t1 > busy_until) busy_until = p.t1;
        i = j;
    }
    if (g->total - busy_until > eps) {
        gantt_bar idle = {.kind = GANTT_IDLE,
                          .t0 = busy_until,
                          .t1 = g->total,
                          .layer = -1,
                          .layer_last = -1,
                          .boundary = -1,
                          .device = d,
                          .to = -1,
                          .input = -1};
        if (bar_add(b, g->nlanes, idle, NULL) != 0) return -1;
    }
    return 0;
}

/* The hops from u to v, one bar each. */
static int stream_link(builder *b, const nn_stream *st, int u, int v, nn_stream_task *buf)
{
    int n = lane_tasks(st, -1, u, v, buf);
    for (int i = 0; i < n; i++) {
        gantt_bar p = {.kind = GANTT_TRANSFER,
                       .t0 = buf[i].start,
                       .t1 = buf[i].end,
                       .layer = -1,
                       .layer_last = -1,
                       .boundary = buf[i].boundary,
                       .device = u,
                       .to = v,
                       .input = buf[i].input};
        char label[16];
        input_label(p.input, label, sizeof label);
        if (bar_add(b, b->g->nlanes, p, label) != 0) return -1;
    }
    return 0;
}

/* The period marked: window m of [m P, (m + 1) P) is steady (every task
 * instance overlapping it belongs to an input 0..N-1) from m = ceil(E / P)
 * - 1, E the end of input 0's last task; the earliest such window, or the
 * last one there is when too few inputs are drawn. */
static void stream_period(gantt_layout *g, const nn_stream *st)
{
    g->period_col0 = g->period_col1 = -1;
    double P = st->period, end0 = 0;
    if (!(P > 0) || !isfinite(P)) return;
    for (int i = 0; i < st->ntasks; i++)
        if (st->tasks[i].input == 0 && st->tasks[i].end > end0) end0 = st->tasks[i].end;
    double m = ceil(end0 / P - 1e-9) - 1;
    if (m > st->ninputs - 1) m = st->ninputs - 1;
    if (m < 0) m = 0;
    g->period_t0 = m * P;
    g->period_t1 = (m + 1) * P;
    double span = g->t1 - g->t0, slack = span * 1e-9;
    if (g->period_t0 < g->t0 - slack || g->period_t1 > g->t1 + slack) return;
    g->period_col0 = (int)lround((g->period_t0 - g->t0) / span * g->width);
    g->period_col1 = (int)lround((g->period_t1 - g->t0) / span * g->width);
    if (g->period_col1 > g->width) g->period_col1 = g->width;
    if (g->period_col0 >= g->period_col1) g->period_col0 = g->period_col1 - 1;
    if (g->period_col0 < 0) g->period_col0 = 0;
}

int gantt_stream_build(const nn_instance *in, const nn_stream *st, const gantt_view *view,
                       int width, gantt_layout *out)
{
    memset(out, 0, sizeof *out);
    out->width = width > 1 ? width : 1;
    out->stream = true;
    out->ninputs = st->ninputs;
    out->period = st->period;
    out->latency = st->latency;
    out->total = gantt_stream_total(st);
    out->total_col = -1;
    out->t0 = view->t0;
    out->t1 = view->t1 > view->t0 ? view->t1 : view->t0 + 1.0;
    bool timed = st->feasible && isfinite(st->period) && st->ntasks > 0;
    int nlinks = timed ? stream_directions(in, st, NULL) : 0;
    int *pairs = calloc((size_t)(2 * nlinks + 1), sizeof *pairs);
    nn_stream_task *buf = calloc((size_t)st->ntasks + 1, sizeof *buf);
    out->lanes = calloc((size_t)(in->D + nlinks), sizeof *out->lanes);
    if (!pairs || !buf || !out->lanes) goto fail;
    if (timed) stream_directions(in, st, pairs);
    ticks_build(out);
    if (timed)
        stream_period(out, st);
    else
        out->period_col0 = out->period_col1 = -1;

    builder b = {.g = out, .stream = true};
    for (int d = 0; d < in->D; d++) {
        gantt_lane *ln = &out->lanes[out->nlanes];
        *ln = (gantt_lane){.kind = LANE_COMPUTE,
                           .device = d,
                           .a = -1,
                           .b = -1,
                           .color = d,
                           .first_bar = out->nbars};
        snprintf(ln->title, sizeof ln->title, "%s", in->device_names[d]);
        if (timed && stream_device(&b, st, d, buf) != 0) goto fail;
        out->nlanes++;
    }
    for (int k = 0; k < nlinks; k++) {
        int u = pairs[2 * k], v = pairs[2 * k + 1];
        gantt_lane *ln = &out->lanes[out->nlanes];
        *ln = (gantt_lane){
            .kind = LANE_LINK, .device = -1, .a = u, .b = v, .color = -1, .first_bar = out->nbars};
        snprintf(ln->title, sizeof ln->title, "%s->%s", in->device_names[u], in->device_names[v]);
        if (stream_link(&b, st, u, v, buf) != 0) goto fail;
        out->nlanes++;
    }
    free(pairs);
    free(buf);
    return 0;
fail:
    free(pairs);
    free(buf);
    gantt_layout_free(out);
    return -1;
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
