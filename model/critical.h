/* The critical path of an evaluated placement: why the latency is what it
 * is. Walking back from the result's arrival at the sink, every instant of
 * [0, T] is charged to exactly one thing that held the result up: a layer
 * computing, a tensor crossing a link, or a device loading weights that a
 * layer had to wait for. The segments tile [0, T] with no gap or overlap, so
 * the totals add up to the latency. No curses here. */
#ifndef NNPART_CRITICAL_H
#define NNPART_CRITICAL_H

#include "eval.h"

typedef enum nn_cp_kind { CP_COMPUTE, CP_TRANSFER, CP_WEIGHTS, CP_KIND_COUNT } nn_cp_kind;

typedef struct nn_cp_segment {
    nn_cp_kind kind;
    double t0, t1; /* t1 of one segment is t0 of the next, exactly */
    int layer;     /* compute, weights: 0-based layer; transfer: -1 */
    int device;    /* compute, weights: the device; transfer: the sender of the hop */
    int to;        /* transfer: the receiver of the hop; else -1 */
    int boundary;  /* transfer: 0 = input, l = output of layer l; else -1 */
    int index;     /* transfer: index into ev->hops; weights: into ev->loads; else -1 */
} nn_cp_segment;

typedef struct nn_critical {
    double latency; /* the evaluation's T */
    int nseg;
    nn_cp_segment *seg; /* in time order, from 0 to T */
    double total[CP_KIND_COUNT];
    int D;
    double *compute_on; /* [D] compute on the path per device */
    double *weights_on; /* [D] waiting for weights per device */
    double *link;       /* [D * D] transfer per unordered pair, at [min * D + max] */
    /* Per element of the evaluation: on the path or not. */
    bool *layer_on; /* [L] the layer's compute */
    bool *load_on;  /* [ev->nloads] */
    bool *hop_on;   /* [ev->nhops] */
} nn_critical;

/* Decomposes a feasible evaluation `ev` of `in`. Returns -1 when out of
 * memory, or when `ev` has no finite latency (then *out is empty). */
int critical_path(const nn_instance *in, const nn_eval *ev, nn_critical *out);
void critical_free(nn_critical *c);

/* "compute 60 ms (phone 40 ms, cloud 20 ms) + transfer 30 ms (phone-hub)
 * + weights 84 ms (cloud)": every kind with a share, its devices or links in
 * falling order. `brief` leaves out the per-device breakdown. */
void critical_format(const nn_instance *in, const nn_critical *c, bool brief, char *buf,
                     size_t size);

const char *critical_kind_name(nn_cp_kind k); /* "compute", "transfer", "weights" */

#endif
