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

typedef enum nn_reason_kind { REASON_MEMORY, REASON_PIN, REASON_ROUTE, REASON_DEVICE } nn_reason_kind;

typedef struct nn_reason {
    nn_reason_kind kind;
    int device; /* or -1 */
    int layer;  /* 0-based, or -1 */
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
} nn_eval;

/* Simulates `place` (device per layer, 0-based) under `mode`. Returns -1 only
 * when out of memory; infeasibility is reported in out->feasible/reasons. */
int eval_run(const nn_instance *in, const int *place, nn_mode mode, nn_eval *out);
void eval_free(nn_eval *ev);

/* Latency alone, without allocating: INFINITY when infeasible (memory, pin or
 * route). For brute force, dynamic programs and baselines. */
double eval_latency(const nn_instance *in, const int *place, nn_mode mode);

#endif
