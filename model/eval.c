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
    return 0;
fail:
    eval_free(out);
    return -1;
}

void eval_free(nn_eval *ev)
{
    if (!ev) return;
    free(ev->layers);
    free(ev->loads);
    free(ev->hops);
    free(ev->mem_used);
    free(ev->reasons);
    memset(ev, 0, sizeof *ev);
}
