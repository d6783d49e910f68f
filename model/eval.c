/* The evaluator: MODEL.md's timing, to the letter. Everything nnpart shows
 * about a placement comes from here. */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

static double comp_at(const nn_instance *in, int l, int d)
{
    return in->comp[(size_t)l * (size_t)in->D + (size_t)d];
}

/* Device that receives the tensor at boundary b: the next layer's, or the sink. */
static int boundary_target(const nn_instance *in, const int *place, int b)
{
    return b < in->L ? place[b] : in->sink;
}

/* Device that sends the tensor at boundary b: the source, or layer b's. */
static int boundary_origin(const nn_instance *in, const int *place, int b)
{
    return b == 0 ? in->source : place[b - 1];
}

/* Ready(l) per mode for a load time w (own weights and the shared tensors
 * first needed on d); `loaded` accumulates each device's preload queue. */
static double ready_time(nn_mode mode, int d, double w, double arrive, double *loaded)
{
    switch (mode) {
    case MODE_PRELOAD:
        loaded[d] += w;
        return loaded[d];
    case MODE_ONDEMAND:
        return arrive + w;
    case MODE_RESIDENT:
    case MODE_COUNT:
        break;
    }
    return arrive;
}

/* Weights (each shared tensor once) plus the largest input + output of the
 * layers placed on each device. */
static void memory_use(const nn_instance *in, const int *place, double *used)
{
    double peak[NN_MAX_DEVICES] = {0};
    for (int d = 0; d < in->D; d++)
        used[d] = 0;
    for (int l = 0; l < in->L; l++) {
        int d = place[l];
        used[d] += instance_weight(in, place, l);
        if (in->act[l] > peak[d]) peak[d] = in->act[l];
    }
    for (int d = 0; d < in->D; d++)
        used[d] += peak[d];
}

static bool placement_valid(const nn_instance *in, const int *place)
{
    if (in->L <= 0 || in->D <= 0 || in->D > NN_MAX_DEVICES) return false;
    for (int l = 0; l < in->L; l++)
        if (place[l] < 0 || place[l] >= in->D) return false;
    return in->source >= 0 && in->source < in->D && in->sink >= 0 && in->sink < in->D;
}

double eval_latency(const nn_instance *in, const int *place, nn_mode mode)
{
    if (!placement_valid(in, place)) return INFINITY;
    double used[NN_MAX_DEVICES], loaded[NN_MAX_DEVICES] = {0};
    memory_use(in, place, used);
    for (int d = 0; d < in->D; d++)
        if (used[d] > in->memory[d]) return INFINITY;

    double arrive = instance_xfer(in, 0, in->source, place[0]);
    for (int l = 0; l < in->L; l++) {
        int d = place[l];
        if (in->pin[l] >= 0 && in->pin[l] != d) return INFINITY;
        double ready = ready_time(mode, d, instance_load(in, place, l), arrive, loaded);
        double finish = fmax(arrive, ready) + comp_at(in, l, d);
        arrive = finish + instance_xfer(in, l + 1, d, boundary_target(in, place, l + 1));
    }
    return arrive; /* isinf when some transfer has no route */
}

/* Growable arrays of the result. */
static int push_reason(nn_eval *ev, nn_reason r)
{
    nn_reason *grown = realloc(ev->reasons, (size_t)(ev->nreasons + 1) * sizeof *grown);
    if (!grown) return -1;
    ev->reasons = grown;
    ev->reasons[ev->nreasons++] = r;
    return 0;
}

static int push_hop(nn_eval *ev, nn_hop_span h, int *cap)
{
    if (ev->nhops == *cap) {
        int n = *cap ? *cap * 2 : 16;
        nn_hop_span *grown = realloc(ev->hops, (size_t)n * sizeof *grown);
        if (!grown) return -1;
        ev->hops = grown;
        *cap = n;
    }
    ev->hops[ev->nhops++] = h;
    return 0;
}

/* What a boundary's tensor is, for messages. */
static void boundary_name(const nn_instance *in, int b, char *buf, size_t size)
{
    char sz[32];
    units_format(in->bytes[b], UNIT_BYTES, sz, sizeof sz);
    if (b == 0)
        snprintf(buf, size, "the network input (%s)", sz);
    else
        snprintf(buf, size, "the output of %s (%s)", in->layer_names[b - 1], sz);
}

/* Lays out the hops of boundary b leaving `from` at time t; returns arrival. */
static int route_hops(const nn_instance *in, nn_eval *ev, int b, int from, int to, double t,
                      int *cap, double *arrival)
{
    size_t DD = (size_t)in->D * (size_t)in->D;
    const int *next = in->next + (size_t)b * DD;
    int u = from;
    while (u != to) {
        int v = next[(size_t)u * (size_t)in->D + (size_t)to];
        double dt = instance_xfer(in, b, u, v);
        if (push_hop(ev,
                     (nn_hop_span){.boundary = b, .from = u, .to = v, .start = t, .end = t + dt},
                     cap) != 0)
            return -1;
        t += dt;
        u = v;
    }
    *arrival = t;
    return 0;
}

static int check_memory(const nn_instance *in, const int *place, nn_eval *ev)
{
    double weights[NN_MAX_DEVICES] = {0};
    for (int l = 0; l < in->L; l++)
        weights[place[l]] += instance_weight(in, place, l);
    for (int d = 0; d < in->D; d++) {
        if (ev->mem_used[d] <= in->memory[d]) continue;
        char need[32], w[32], has[32], over[32];
        units_format(ev->mem_used[d], UNIT_BYTES, need, sizeof need);
        units_format(weights[d], UNIT_BYTES, w, sizeof w);
        units_format(in->memory[d], UNIT_BYTES, has, sizeof has);
        units_format(ev->mem_used[d] - in->memory[d], UNIT_BYTES, over, sizeof over);
        nn_reason r = {.kind = REASON_MEMORY,
                       .device = d,
                       .layer = -1,
                       .amount = ev->mem_used[d] - in->memory[d]};
        snprintf(r.text, sizeof r.text,
                 "%s needs %s of memory (weights %s + largest activations), has %s: %s over",
                 in->device_names[d], need, w, has, over);
        if (push_reason(ev, r) != 0) return -1;
    }
    return 0;
}

static int check_pins(const nn_instance *in, const int *place, nn_eval *ev)
{
    for (int l = 0; l < in->L; l++) {
        if (in->pin[l] < 0 || in->pin[l] == place[l]) continue;
        nn_reason r = {.kind = REASON_PIN, .device = place[l], .layer = l};
        snprintf(r.text, sizeof r.text, "layer %s is pinned to %s but placed on %s",
                 in->layer_names[l], in->device_names[in->pin[l]], in->device_names[place[l]]);
        if (push_reason(ev, r) != 0) return -1;
    }
    return 0;
}

static int run_timeline(const nn_instance *in, const int *place, nn_mode mode, nn_eval *ev)
{
    double loaded[NN_MAX_DEVICES] = {0};
    int hop_cap = 0;
    double t = 0;
    for (int b = 0; b <= in->L; b++) {
        int from = boundary_origin(in, place, b), to = boundary_target(in, place, b);
        double arrive;
        if (isinf(instance_xfer(in, b, from, to))) {
            char what[NN_TEXT_LEN];
            boundary_name(in, b, what, sizeof what);
            nn_reason r = {.kind = REASON_ROUTE, .device = from, .layer = b - 1};
            snprintf(r.text, sizeof r.text, "no route from %s to %s for %s", in->device_names[from],
                     in->device_names[to], what);
            if (push_reason(ev, r) != 0) return -1;
            arrive = INFINITY;
        } else if (route_hops(in, ev, b, from, to, t, &hop_cap, &arrive) != 0) {
            return -1;
        }
        if (b == in->L) {
            ev->latency = arrive;
            break;
        }
        int d = place[b];
        double before = loaded[d];
        double w = instance_load(in, place, b);
        double ready = ready_time(mode, d, w, arrive, loaded);
        if (mode != MODE_RESIDENT && w > 0) {
            double start = mode == MODE_PRELOAD ? before : arrive;
            ev->loads[ev->nloads++] =
                (nn_load_span){.device = d, .layer = b, .start = start, .end = start + w};
        }
        double start = fmax(arrive, ready), prev = b > 0 ? ev->layers[b - 1].finish : 0;
        nn_wait waited = ready > arrive ? WAIT_WEIGHTS : arrive > prev ? WAIT_INPUT : WAIT_NOTHING;
        ev->layers[b] = (nn_layer_time){.device = d,
                                        .waited = waited,
                                        .arrive = arrive,
                                        .ready = ready,
                                        .start = start,
                                        .finish = start + comp_at(in, b, d)};
        t = ev->layers[b].finish;
    }
    return 0;
}

int eval_run(const nn_instance *in, const int *place, nn_mode mode, nn_eval *out)
{
    memset(out, 0, sizeof *out);
    out->mode = mode;
    out->L = in->L;
    out->D = in->D;
    out->latency = INFINITY;
    if (!placement_valid(in, place)) {
        nn_reason r = {.kind = REASON_DEVICE, .device = -1, .layer = -1};
        snprintf(r.text, sizeof r.text, "the placement names a device that does not exist");
        return push_reason(out, r);
    }
    out->layers = calloc((size_t)in->L, sizeof *out->layers);
    out->loads = calloc((size_t)in->L, sizeof *out->loads);
    out->mem_used = calloc((size_t)in->D, sizeof *out->mem_used);
    if (!out->layers || !out->loads || !out->mem_used) goto fail;
    memory_use(in, place, out->mem_used);
    if (check_memory(in, place, out) != 0 || check_pins(in, place, out) != 0 ||
        run_timeline(in, place, mode, out) != 0)
        goto fail;
    out->feasible = out->nreasons == 0 && isfinite(out->latency);
    out->energy = out->energy_battery = INFINITY;
    out->energy_dev = calloc((size_t)in->D, sizeof *out->energy_dev);
    if (!out->energy_dev) goto fail;
    if (out->feasible)
        out->energy = eval_energy(in, place, mode, &out->energy_battery, out->energy_dev);
    return 0;
fail:
    eval_free(out);
    return -1;
}

/* The totals are one running sum in an order that does not depend on the
 * devices' indices: every device's idle energy by index, then each layer's
 * compute and load energy in layer order, then each boundary's route energy
 * (its hops summed as instance_build sums them for xenergy). Each term
 * depends only on the numbers of the device it is charged to, so swapping
 * two devices identical in every number (the label engine's first-use order,
 * MODEL.md) changes no bit of the totals. The per-device parts are summed
 * per device and add up to the totals only up to rounding. */
double eval_energy(const nn_instance *in, const int *place, nn_mode mode, double *battery,
                   double *per_device)
{
    double e[NN_MAX_DEVICES] = {0};
    if (battery) *battery = INFINITY;
    double T = eval_latency(in, place, mode);
    if (!isfinite(T)) return INFINITY;
    double total = 0, bat = 0;
    for (int d = 0; d < in->D; d++) {
        e[d] = in->idle_power[d] * T;
        total += e[d];
        if (in->battery[d]) bat += e[d];
    }
    for (int l = 0; l < in->L; l++) {
        int d = place[l];
        double c = (in->power[d] - in->idle_power[d]) * comp_at(in, l, d);
        e[d] += c;
        total += c;
        if (in->battery[d]) bat += c;
        if (mode != MODE_RESIDENT) {
            double w = in->load_power[d] * instance_load(in, place, l);
            e[d] += w;
            total += w;
            if (in->battery[d]) bat += w;
        }
    }
    size_t DD = (size_t)in->D * (size_t)in->D;
    for (int b = 0; b <= in->L; b++) {
        int to = boundary_target(in, place, b);
        double all = 0, rbat = 0;
        for (int u = boundary_origin(in, place, b), hops = 0; u != to && hops < in->D; hops++) {
            int v = in->next[(size_t)b * DD + (size_t)u * in->D + to];
            if (v < 0 || v >= in->D) break; /* an instance edited without routes */
            double j = in->hop_energy[(size_t)u * in->D + v] * 8.0 * in->bytes[b];
            e[u] += j;
            all += j;
            if (in->battery[u]) rbat += j;
            u = v;
        }
        total += all;
        bat += rbat;
    }
    for (int d = 0; per_device && d < in->D; d++)
        per_device[d] = e[d];
    if (battery) *battery = bat;
    return total;
}

bool eval_contiguous(const nn_instance *in, const int *place)
{
    unsigned char seen[NN_MAX_DEVICES] = {0};
    for (int l = 0; l < in->L; l++) {
        if (l > 0 && place[l] == place[l - 1]) continue;
        if (seen[place[l]]) return false;
        seen[place[l]] = 1;
    }
    return true;
}

/* Walks every task of one input through `place`: calls `fn` with the
 * engine (a device d, or D + u * D + v for the link u -> v), its busy time,
 * the delay after it (a hop's propagation latency) and the task. */
typedef void (*task_fn)(void *ctx, int engine, double busy, double delay,
                        const nn_stream_task *task);

static void stream_walk(const nn_instance *in, const int *place, task_fn fn, void *ctx)
{
    int D = in->D;
    size_t DD = (size_t)D * (size_t)D;
    for (int b = 0; b <= in->L; b++) {
        int to = boundary_target(in, place, b);
        for (int u = boundary_origin(in, place, b), hops = 0; u != to && hops < D; hops++) {
            int v = in->next[(size_t)b * DD + (size_t)u * D + to];
            if (v < 0 || v >= D) break;
            double rate = in->hop_rate[(size_t)u * D + v];
            double busy = rate > 0 ? 8.0 * in->bytes[b] / rate : 0;
            double delay = instance_xfer(in, b, u, v) - busy; /* the hop's latency */
            nn_stream_task t = {.layer = -1, .boundary = b, .from = u, .to = v};
            fn(ctx, D + u * D + v, busy, delay > 0 ? delay : 0, &t);
            u = v;
        }
        if (b == in->L) break;
        nn_stream_task t = {.layer = b, .boundary = -1, .from = place[b], .to = place[b]};
        fn(ctx, place[b], comp_at(in, b, place[b]), 0, &t);
    }
}

typedef struct busy_ctx {
    double *busy; /* [D + D * D] */
} busy_ctx;

static void add_busy(void *ctx, int engine, double busy, double delay, const nn_stream_task *t)
{
    (void)delay;
    (void)t;
    ((busy_ctx *)ctx)->busy[engine] += busy;
}

/* Each engine's busy time per input into busy[D + D * D]; false when the
 * placement cannot stream (infeasible, or not contiguous under stages). */
static bool stream_busy(const nn_instance *in, const int *place, double *busy)
{
    if (!isfinite(eval_latency(in, place, MODE_RESIDENT))) return false;
    if (in->stages == STAGES_CONTIGUOUS && !eval_contiguous(in, place)) return false;
    memset(busy, 0, sizeof(double) * (size_t)in->D * (size_t)(in->D + 1));
    busy_ctx c = {.busy = busy};
    stream_walk(in, place, add_busy, &c);
    return true;
}

double eval_period(const nn_instance *in, const int *place)
{
    double busy[NN_MAX_DEVICES * (NN_MAX_DEVICES + 1)];
    if (!stream_busy(in, place, busy)) return INFINITY;
    double period = 0;
    for (int k = 0; k < in->D * (in->D + 1); k++)
        period = fmax(period, busy[k]);
    return period;
}

static nn_engine_busy engine_of(const nn_instance *in, int k, double busy_s)
{
    int D = in->D;
    if (k < D) return (nn_engine_busy){.from = k, .to = k, .busy_s = busy_s};
    return (nn_engine_busy){.from = (k - D) / D, .to = (k - D) % D, .busy_s = busy_s};
}

double eval_bottleneck(const nn_instance *in, const int *place, nn_bottleneck *out)
{
    const nn_engine_busy none = {.from = -1, .to = -1, .busy_s = 0};
    *out = (nn_bottleneck){.period = INFINITY, .engine = none, .next = none};
    double busy[NN_MAX_DEVICES * (NN_MAX_DEVICES + 1)];
    if (!stream_busy(in, place, busy)) return INFINITY;
    /* The same maximum as eval_period's, so the two agree exactly. */
    int first = -1, second = -1;
    for (int k = 0; k < in->D * (in->D + 1); k++) {
        if (!(busy[k] > 0)) continue;
        if (first < 0 || busy[k] > busy[first]) {
            second = first;
            first = k;
        } else if (second < 0 || busy[k] > busy[second]) {
            second = k;
        }
    }
    out->period = first >= 0 ? busy[first] : 0;
    if (first >= 0) out->engine = engine_of(in, first, busy[first]);
    if (second >= 0) out->next = engine_of(in, second, busy[second]);
    return out->period;
}

void eval_engine_name(const nn_instance *in, const nn_engine_busy *e, const char *arrow, char *buf,
                      size_t size)
{
    if (e->from < 0)
        snprintf(buf, size, "none");
    else if (e->from == e->to)
        snprintf(buf, size, "%s compute", in->device_names[e->from]);
    else
        snprintf(buf, size, "%s%s%s link", in->device_names[e->from], arrow,
                 in->device_names[e->to]);
}

void eval_bottleneck_format(const nn_instance *in, const nn_bottleneck *b, const char *arrow,
                            char *buf, size_t size)
{
    if (size == 0) return;
    buf[0] = '\0';
    if (b->engine.from < 0) return;
    char name[2 * NN_NAME_LEN + 16], busy[32], period[32];
    eval_engine_name(in, &b->engine, arrow, name, sizeof name);
    units_format(b->engine.busy_s, UNIT_TIME, busy, sizeof busy);
    units_format(b->period, UNIT_TIME, period, sizeof period);
    int n = snprintf(buf, size, "%s %s of %s period", name, busy, period);
    if (b->next.from < 0 || n < 0 || (size_t)n >= size) return;
    eval_engine_name(in, &b->next, arrow, name, sizeof name);
    units_format(b->next.busy_s, UNIT_TIME, busy, sizeof busy);
    snprintf(buf + n, size - (size_t)n, "; next: %s %s", name, busy);
}

double eval_objective(const nn_instance *in, const int *place, nn_mode mode, nn_objective obj,
                      double latency_limit, double energy_limit)
{
    return eval_objective_limited(in, place, mode, obj, latency_limit, energy_limit, false);
}

double eval_objective_limited(const nn_instance *in, const int *place, nn_mode mode,
                              nn_objective obj, double latency_limit, double energy_limit,
                              bool battery_limit)
{
    if (obj == OBJ_THROUGHPUT) return eval_period(in, place);
    if (in->stages == STAGES_CONTIGUOUS && !eval_contiguous(in, place)) return INFINITY;
    double T = eval_latency(in, place, mode);
    if (!isfinite(T) || (latency_limit > 0 && T > latency_limit)) return INFINITY;
    double bat, e = eval_energy(in, place, mode, &bat, NULL);
    double limited = obj == OBJ_BATTERY_ENERGY || battery_limit ? bat : e;
    if (energy_limit > 0 && limited > energy_limit) return INFINITY;
    return obj == OBJ_LATENCY ? T : obj == OBJ_BATTERY_ENERGY ? bat : e;
}

/* The periodic schedule. Each engine's tasks occupy disjoint windows of one
 * period (their busy times add up to at most the period); input 0's task
 * starts at the earliest time after its predecessor whose window, taken
 * modulo the period, is free on its engine (first fit), and input k runs k
 * periods later. Should fragmentation leave no free window, the schedule
 * falls back to packing each engine's tasks in chain order from 0, which
 * always fits. */
enum { SCHED_ENGINES = NN_MAX_DEVICES * (NN_MAX_DEVICES + 1), SCHED_SLOTS = 64 };

typedef struct sched_slot {
    double at, len; /* window [at, at + len) modulo the period */
} sched_slot;

typedef struct sched_ctx {
    double period;
    bool packed; /* the fallback: offsets in chain order */
    double offset[SCHED_ENGINES];
    int nslots[SCHED_ENGINES];
    sched_slot (*slots)[SCHED_SLOTS];
    double ready; /* when input 0's next task may start */
    double first; /* start of input 0's first task, or NAN */
    nn_stream *out;
    int cap;
    bool failed, nofit;
} sched_ctx;

/* Distance from a forward to b on the circle of length p, in [0, p). */
static double circ(double a, double b, double p)
{
    double d = fmod(b - a, p);
    return d < 0 ? d + p : d;
}

/* The earliest start >= ready whose window of `busy` is free on `engine`;
 * NAN when none is (fragmentation). */
static double first_fit(sched_ctx *c, int engine, double busy, double ready)
{
    double P = c->period, eps = 1e-12 * P, s = ready, moved = 0;
    for (int iter = 0; iter <= 2 * c->nslots[engine] + 2; iter++) {
        double o = fmod(s, P);
        bool clash = false;
        for (int k = 0; k < c->nslots[engine]; k++) {
            const sched_slot *w = &c->slots[engine][k];
            if (circ(w->at, o, P) < w->len - eps || circ(o, w->at, P) < busy - eps) {
                double step = circ(o, w->at + w->len, P);
                if (step <= 0) step = w->len;
                s += step;
                moved += step;
                clash = true;
                break;
            }
        }
        if (!clash) return s;
        if (moved > P) break;
    }
    return NAN;
}

static void place_task(void *ctx, int engine, double busy, double delay, const nn_stream_task *t)
{
    sched_ctx *c = ctx;
    double start = c->ready;
    if (busy > 0 && c->period > 0) {
        if (c->packed) {
            double o = c->offset[engine];
            start = o + c->period * ceil((c->ready - o) / c->period);
            while (start < c->ready)
                start += c->period; /* rounding */
            if (start < o) start = o;
            c->offset[engine] += busy;
        } else {
            start = first_fit(c, engine, busy, c->ready);
            if (isnan(start) || c->nslots[engine] >= SCHED_SLOTS) {
                c->nofit = true;
                return;
            }
            c->slots[engine][c->nslots[engine]++] =
                (sched_slot){.at = fmod(start, c->period), .len = busy};
        }
    }
    if (isnan(c->first)) c->first = start;
    c->ready = start + busy + delay;
    nn_stream *out = c->out;
    for (int k = 0; k < out->ninputs && !c->failed; k++) {
        if (out->ntasks == c->cap) {
            int n = c->cap ? 2 * c->cap : 64;
            nn_stream_task *grown = realloc(out->tasks, (size_t)n * sizeof *grown);
            if (!grown) {
                c->failed = true;
                return;
            }
            out->tasks = grown;
            c->cap = n;
        }
        nn_stream_task x = *t;
        x.input = k;
        x.start = start + k * c->period;
        x.end = x.start + busy;
        out->tasks[out->ntasks++] = x;
    }
}

int eval_stream(const nn_instance *in, const int *place, int ninputs, nn_stream *out)
{
    memset(out, 0, sizeof *out);
    out->period = eval_period(in, place);
    out->latency = INFINITY;
    out->ninputs = ninputs > 0 ? ninputs : 1;
    if (!isfinite(out->period)) return 0;
    sched_ctx *c = calloc(1, sizeof *c);
    if (c) c->slots = calloc(SCHED_ENGINES, sizeof *c->slots);
    if (!c || !c->slots) {
        if (c) free(c->slots);
        free(c);
        return -1;
    }
    bool failed = false;
    for (int pass = 0; pass < 2; pass++) {
        sched_slot(*slots)[SCHED_SLOTS] = c->slots;
        memset(c, 0, sizeof *c);
        memset(slots, 0, SCHED_ENGINES * sizeof *slots);
        c->slots = slots;
        c->packed = pass == 1;
        c->period = out->period;
        c->first = NAN;
        c->cap = 0;
        c->out = out;
        free(out->tasks);
        out->tasks = NULL;
        out->ntasks = 0;
        stream_walk(in, place, place_task, c);
        failed = c->failed;
        if (failed || !c->nofit) break;
    }
    out->feasible = !failed;
    out->latency = c->ready - (isnan(c->first) ? 0 : c->first);
    free(c->slots);
    free(c);
    if (failed) {
        eval_stream_free(out);
        return -1;
    }
    return 0;
}

void eval_stream_free(nn_stream *st)
{
    if (!st) return;
    free(st->tasks);
    memset(st, 0, sizeof *st);
}

void eval_free(nn_eval *ev)
{
    if (!ev) return;
    free(ev->energy_dev);
    free(ev->layers);
    free(ev->loads);
    free(ev->hops);
    free(ev->mem_used);
    free(ev->reasons);
    memset(ev, 0, sizeof *ev);
}
