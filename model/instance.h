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
    double *comp;    /* [l * D + d] c(l, d), seconds */
    double *load;    /* [l * D + d] w(l, d), seconds */
    double *bytes;   /* [b], b = 0..L: tensor size at boundary b */
    double *xfer;    /* [(b * D + d) * D + e] x(bytes[b], d, e); INFINITY: no route */
    int *next;       /* [(b * D + d) * D + e] next hop from d towards e, -1: none */
    double *weights; /* [l] bytes of the layer's own weights */
    double *act;     /* [l] input + output bytes */
    double *memory;  /* [d] bytes */
    int *pin;        /* [l] device or -1 */
    char (*layer_names)[NN_NAME_LEN];
    char (*device_names)[NN_NAME_LEN];
    /* Shared tensors s = 0..S-1: a device loads and stores each once, with
     * the first of its layers (in layer order) that uses it. Use u of
     * layer l (use_start[l] <= u < use_start[l + 1]) is tensor use_tensor[u];
     * use_prev[u] is the previous use of that tensor by an earlier layer
     * (an index into the same arrays), -1 for the first. */
    int S;
    double *shared_bytes;                   /* [s] */
    double *shared_load;                    /* [s * D + d] seconds to load s on d */
    int *use_start;                         /* [L + 1] */
    int *use_tensor, *use_layer, *use_prev; /* [use_start[L]] */
    double *shared_need;                    /* [l] bytes of every tensor layer l uses */
    char (*shared_names)[NN_NAME_LEN];
    /* Energy (MODEL.md, energy) and streams (throughput). */
    double *power, *idle_power, *load_power; /* [d] watts */
    unsigned char *battery;                  /* [d] */
    double *hop_energy;                      /* [d * D + e] J/bit of the direct link d -> e */
    double *hop_rate;    /* [d * D + e] bit/s of the direct link d -> e, 0: none */
    double *xenergy;     /* [(b * D + d) * D + e] J of the route, all senders */
    double *xenergy_bat; /* [(b * D + d) * D + e] J charged to battery senders */
    nn_objective objective;
    double latency_limit, energy_limit; /* 0: none */
    nn_stages stages;
} nn_instance;

/* Derives the instance; returns -1 only when out of memory. */
int instance_build(const nn_scenario *s, nn_instance *out);
void instance_free(nn_instance *in);

static inline double instance_xfer(const nn_instance *in, int b, int d, int e)
{
    return in->xfer[((size_t)b * (size_t)in->D + (size_t)d) * (size_t)in->D + (size_t)e];
}

/* Whether use u (of layer l) is the first of its tensor on place[l]: no
 * earlier layer that uses the tensor runs there. */
static inline bool instance_use_first(const nn_instance *in, const int *place, int u)
{
    int d = place[in->use_layer[u]];
    for (int v = in->use_prev[u]; v >= 0; v = in->use_prev[v])
        if (place[in->use_layer[v]] == d) return false;
    return true;
}

/* Load time of layer l on place[l]: its own weights and the shared tensors
 * first needed there, seconds. */
static inline double instance_load(const nn_instance *in, const int *place, int l)
{
    int d = place[l];
    double t = in->load[(size_t)l * (size_t)in->D + (size_t)d];
    for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++)
        if (instance_use_first(in, place, u))
            t += in->shared_load[(size_t)in->use_tensor[u] * (size_t)in->D + (size_t)d];
    return t;
}

/* Bytes that layer l adds to place[l]'s memory: its own weights and the
 * shared tensors first needed there. */
static inline double instance_weight(const nn_instance *in, const int *place, int l)
{
    double b = in->weights[l];
    for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++)
        if (instance_use_first(in, place, u)) b += in->shared_bytes[in->use_tensor[u]];
    return b;
}

/* "phone×2 hub×2 phone×6 cloud×1": runs of layers on one device, with
 * "*" for "×" when `unicode` is false. */
void placement_compact(char (*device_names)[NN_NAME_LEN], const int *place, int nlayers,
                       bool unicode, char *buf, size_t size);

#endif
