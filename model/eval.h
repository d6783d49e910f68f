/* The evaluator: the single source of truth for what a placement costs.
 * It simulates MODEL.md's timing for one placement and mode and reports the
 * whole timeline, or every reason the placement is infeasible. */
#ifndef NNPART_EVAL_H
#define NNPART_EVAL_H

#include "instance.h"

/* What held a layer's start back after the layer before it finished (for
 * the first layer: after time 0). */
typedef enum nn_wait {
    WAIT_NOTHING, /* it started at once */
    WAIT_INPUT,   /* its input was crossing a link */
    WAIT_WEIGHTS, /* its input was there, its weights were not */
} nn_wait;

typedef struct nn_layer_time {
    int device;
    nn_wait waited;
    double arrive; /* R(l): input present on the device */
    double ready;  /* Ready(l): weights resident */
    double start;  /* S(l) */
    double finish; /* F(l) */
} nn_layer_time;

typedef struct nn_load_span { /* weights of `layer` streaming into `device` */
    int device, layer;
    double start, end;
} nn_load_span;

typedef struct nn_hop_span { /* one hop of the tensor at `boundary` */
    int boundary;            /* 0 = network input, l = output of layer l (1-based) */
    int from, to;            /* devices of this hop */
    double start, end;
} nn_hop_span;

typedef enum nn_reason_kind {
    REASON_MEMORY,
    REASON_PIN,
    REASON_ROUTE,
    REASON_DEVICE
} nn_reason_kind;

typedef struct nn_reason {
    nn_reason_kind kind;
    int device;    /* or -1 */
    int layer;     /* 0-based, or -1 */
    double amount; /* memory: bytes over the limit */
    char text[NN_TEXT_LEN + 96];
} nn_reason;

typedef struct nn_eval {
    bool feasible;
    double latency; /* T in seconds; INFINITY when a transfer has no route */
    nn_mode mode;
    int L, D;
    nn_layer_time *layers; /* [L] */
    int nloads;
    nn_load_span *loads;
    int nhops;
    nn_hop_span *hops;
    double *mem_used; /* [D] weights + largest input + output, bytes */
    int nreasons;
    nn_reason *reasons;
    /* Energy of this inference (MODEL.md, energy); INFINITY when infeasible. */
    double energy, energy_battery; /* joules: all devices, battery devices */
    double *energy_dev;            /* [D] joules per device */
} nn_eval;

/* One task of a stream's periodic schedule: a layer's compute on a device,
 * or one hop's transmission over a link direction. */
typedef struct nn_stream_task {
    int input;    /* 0..N-1 */
    int layer;    /* compute: 0-based layer; a hop: -1 */
    int boundary; /* a hop: 0 = network input, l = output of layer l; compute: -1 */
    int from, to; /* compute: from = to = the device; a hop: its two ends */
    double start, end;
} nn_stream_task;

typedef struct nn_stream {
    bool feasible;
    double period;  /* the largest busy time of any engine, seconds */
    double latency; /* of one input through the schedule, seconds */
    int ninputs, ntasks;
    nn_stream_task *tasks;
} nn_stream;

/* Simulates `place` (device per layer, 0-based) under `mode`. Returns -1 only
 * when out of memory; infeasibility is reported in out->feasible/reasons. */
int eval_run(const nn_instance *in, const int *place, nn_mode mode, nn_eval *out);
void eval_free(nn_eval *ev);

/* Latency alone, without allocating: INFINITY when infeasible (memory, pin or
 * route). For brute force, dynamic programs and baselines. */
double eval_latency(const nn_instance *in, const int *place, nn_mode mode);

/* Energy of one inference in joules, without allocating (MODEL.md,
 * energy): INFINITY when infeasible. `battery` (optional) gets the part of
 * the devices with battery: true; `per_device` (optional, [D]) each one's. */
double eval_energy(const nn_instance *in, const int *place, nn_mode mode, double *battery,
                   double *per_device);

/* The objective `obj` of a placement (latency, energy, battery energy, or a
 * stream's period) under the limits (0: none; the energy limit bounds the
 * battery devices' energy under battery-energy; a stream has no limits) and
 * the instance's stages rule: INFINITY when infeasible or over a limit. */
double eval_objective(const nn_instance *in, const int *place, nn_mode mode, nn_objective obj,
                      double latency_limit, double energy_limit);
/* The same, with the energy limit on the battery devices' energy when
 * `battery_limit` (always so under battery-energy). */
double eval_objective_limited(const nn_instance *in, const int *place, nn_mode mode,
                              nn_objective obj, double latency_limit, double energy_limit,
                              bool battery_limit);

/* A stream of inputs (MODEL.md, throughput), weights resident: the period,
 * the largest busy time of any engine (a device's compute, a link
 * direction's transmission 8 x bytes / bandwidth). INFINITY when infeasible
 * (memory, pins, routes) or not contiguous under stages: contiguous. */
double eval_period(const nn_instance *in, const int *place);

/* One engine of a stream: a device's compute (from == to) or one link
 * direction from -> to, with its busy time per input (MODEL.md,
 * throughput). from = to = -1: none. */
typedef struct nn_engine_busy {
    int from, to;
    double busy_s;
} nn_engine_busy;

/* What sets a stream's period: the busiest engine (its busy time is the
 * period) and the next busiest, for how much slack the rest has. */
typedef struct nn_bottleneck {
    double period;         /* eval_period's; INFINITY when infeasible */
    nn_engine_busy engine; /* none when infeasible or nothing is busy */
    nn_engine_busy next;   /* none when no other engine is busy */
} nn_bottleneck;

/* The bottleneck of `place` under a stream; returns out->period. Ties go to
 * the first engine: devices in order, then links in (from, to) order. */
double eval_bottleneck(const nn_instance *in, const int *place, nn_bottleneck *out);

/* "hub compute" or "hub->cloud link" (`arrow` between the ends). */
void eval_engine_name(const nn_instance *in, const nn_engine_busy *e, const char *arrow, char *buf,
                      size_t size);

/* "hub compute 39.8 ms of 39.8 ms period; next: hub->cloud link 20.1 ms"
 * ("" when there is no bottleneck). */
void eval_bottleneck_format(const nn_instance *in, const nn_bottleneck *b, const char *arrow,
                            char *buf, size_t size);

/* Simulates `ninputs` inputs through a periodic schedule of that period:
 * each engine runs its tasks in chain order once per period, each task as
 * early as its input allows. Returns -1 only when out of memory. */
int eval_stream(const nn_instance *in, const int *place, int ninputs, nn_stream *out);
void eval_stream_free(nn_stream *st);

/* Each device holds at most one contiguous run of layers. */
bool eval_contiguous(const nn_instance *in, const int *place);

#endif
