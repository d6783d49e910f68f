/* The numbers of one scenario, ready for the evaluator and the solver:
 * compute and load times per (layer, device), and the fastest route of every
 * tensor between every pair of devices. Boundary b = 0 is the network input
 * (from the source to layer 1), b = l (1..L) is the output of layer l (to
 * layer l + 1, or to the sink for b = L). Layers are 0-based in arrays:
 * layer l (1-based in MODEL.md) is index l - 1. */
#ifndef NNPART_INSTANCE_H
#define NNPART_INSTANCE_H

#include "scenario.h"

typedef struct nn_instance {
    int L, D;
    nn_mode mode;
    int source, sink;
    double *comp;   /* [l * D + d] c(l, d), seconds */
    double *load;   /* [l * D + d] w(l, d), seconds */
    double *bytes;  /* [b], b = 0..L: tensor size at boundary b */
    double *xfer;   /* [(b * D + d) * D + e] x(bytes[b], d, e); INFINITY: no route */
    int *next;      /* [(b * D + d) * D + e] next hop from d towards e, -1: none */
    double *weights; /* [l] weight bytes */
    double *act;     /* [l] input + output bytes */
    double *memory;  /* [d] bytes */
    int *pin;        /* [l] device or -1 */
    char (*layer_names)[NN_NAME_LEN];
    char (*device_names)[NN_NAME_LEN];
} nn_instance;

/* Derives the instance; returns -1 only when out of memory. */
int instance_build(const nn_scenario *s, nn_instance *out);
void instance_free(nn_instance *in);

static inline double instance_xfer(const nn_instance *in, int b, int d, int e)
{
    return in->xfer[((size_t)b * (size_t)in->D + (size_t)d) * (size_t)in->D + (size_t)e];
}

#endif
