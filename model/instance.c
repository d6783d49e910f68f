/* From a scenario to the numbers the evaluator and solver use. Routes are
 * per tensor size, since a hop costs latency + 8 * bytes / bandwidth and the
 * fastest path for a small tensor (latency-bound) may differ from the one
 * for a large tensor (bandwidth-bound). */
#include "instance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void instance_free(nn_instance *in)
{
    if (!in) return;
    free(in->comp);
    free(in->load);
    free(in->bytes);
    free(in->xfer);
    free(in->next);
    free(in->weights);
    free(in->act);
    free(in->memory);
    free(in->pin);
    free(in->layer_names);
    free(in->device_names);
    free(in->shared_bytes);
    free(in->shared_load);
    free(in->use_start);
    free(in->use_tensor);
    free(in->use_layer);
    free(in->use_prev);
    free(in->shared_need);
    free(in->shared_names);
    free(in->power);
    free(in->idle_power);
    free(in->load_power);
    free(in->battery);
    free(in->hop_energy);
    free(in->hop_rate);
    free(in->xenergy);
    free(in->xenergy_bat);
    memset(in, 0, sizeof *in);
}

/* A measured profile wins; otherwise the roofline: the layer is bound by its
 * compute or by the bytes it moves through memory (its weights, its input and
 * its output), whichever takes longer. Without memory_bandwidth, flops / speed. */
static double layer_compute_time(const nn_layer *layer, double input_bytes, const nn_device *dev)
{
    for (int i = 0; i < layer->nprofiles; i++)
        if (strcmp(layer->profiles[i].device, dev->name) == 0) return layer->profiles[i].seconds;
    double t = layer->flops / dev->speed;
    if (dev->memory_bandwidth > 0) {
        double touched = layer->weight_bytes + input_bytes + layer->output_bytes;
        t = fmax(t, touched / dev->memory_bandwidth);
    }
    return t;
}

/* All-pairs fastest store-and-forward routes for a tensor of `bytes`. */
static void routes_compute(const nn_scenario *s, double bytes, double *cost, int *next)
{
    int D = s->ndevices;
    for (int d = 0; d < D; d++) {
        for (int e = 0; e < D; e++) {
            cost[d * D + e] = d == e ? 0.0 : INFINITY;
            next[d * D + e] = d == e ? d : -1;
        }
    }
    for (int i = 0; i < s->nlinks; i++) {
        const nn_link *l = &s->links[i];
        const int ends[2][2] = {{l->a, l->b}, {l->b, l->a}};
        for (int k = 0; k < 2; k++) {
            int from = ends[k][0], to = ends[k][1];
            double bw = link_bandwidth(l, from);
            if (!(bw > 0)) continue;
            double c = l->latency + 8.0 * bytes / bw;
            if (c < cost[from * D + to]) {
                cost[from * D + to] = c;
                next[from * D + to] = to;
            }
        }
    }
    for (int k = 0; k < D; k++) {
        for (int d = 0; d < D; d++) {
            if (isinf(cost[d * D + k])) continue;
            for (int e = 0; e < D; e++) {
                double c = cost[d * D + k] + cost[k * D + e];
                if (c < cost[d * D + e]) {
                    cost[d * D + e] = c;
                    next[d * D + e] = next[d * D + k];
                }
            }
        }
    }
}

/* The shared tensors and each layer's uses of them. */
static int shared_build(const nn_scenario *s, nn_instance *in)
{
    const nn_network *net = &s->net;
    int L = in->L, D = in->D, S = net->nshared, n = 0;
    for (int l = 0; l < L; l++)
        n += net->layers[l].nuses;
    in->S = S;
    in->shared_bytes = calloc((size_t)S + 1, sizeof(double));
    in->shared_load = calloc((size_t)S * (size_t)D + 1, sizeof(double));
    in->shared_names = calloc((size_t)S + 1, NN_NAME_LEN);
    in->use_start = calloc((size_t)L + 1, sizeof(int));
    in->use_tensor = calloc((size_t)n + 1, sizeof(int));
    in->use_layer = calloc((size_t)n + 1, sizeof(int));
    in->use_prev = calloc((size_t)n + 1, sizeof(int));
    in->shared_need = calloc((size_t)L + 1, sizeof(double));
    int *last = calloc((size_t)S + 1, sizeof(int));
    if (!in->shared_bytes || !in->shared_load || !in->shared_names || !in->use_start ||
        !in->use_tensor || !in->use_layer || !in->use_prev || !in->shared_need || !last) {
        free(last);
        return -1;
    }
    for (int t = 0; t < S; t++) {
        in->shared_bytes[t] = net->shared[t].bytes;
        str_copy(in->shared_names[t], NN_NAME_LEN, net->shared[t].name);
        for (int d = 0; d < D; d++)
            in->shared_load[(size_t)t * D + d] = net->shared[t].bytes / s->devices[d].load_rate;
        last[t] = -1;
    }
    int u = 0;
    for (int l = 0; l < L; l++) {
        in->use_start[l] = u;
        const nn_layer *layer = &net->layers[l];
        for (int k = 0; k < layer->nuses; k++) {
            int t = layer->uses[k];
            if (t < 0 || t >= S) continue;
            in->use_tensor[u] = t;
            in->use_layer[u] = l;
            in->use_prev[u] = last[t];
            in->shared_need[l] += in->shared_bytes[t];
            last[t] = u++;
        }
    }
    in->use_start[L] = u;
    free(last);
    return 0;
}

/* Devices' power, direct links' energy and rates, and each route's energy:
 * each hop costs its link's energy x 8 x bytes, charged to its sender. */
static int energy_build(const nn_scenario *s, nn_instance *in)
{
    int D = in->D, L = in->L;
    size_t DD = (size_t)D * (size_t)D, BDD = (size_t)(L + 1) * DD;
    in->power = calloc((size_t)D + 1, sizeof(double));
    in->idle_power = calloc((size_t)D + 1, sizeof(double));
    in->load_power = calloc((size_t)D + 1, sizeof(double));
    in->battery = calloc((size_t)D + 1, 1);
    in->hop_energy = calloc(DD + 1, sizeof(double));
    in->hop_rate = calloc(DD + 1, sizeof(double));
    in->xenergy = calloc(BDD + 1, sizeof(double));
    in->xenergy_bat = calloc(BDD + 1, sizeof(double));
    if (!in->power || !in->idle_power || !in->load_power || !in->battery || !in->hop_energy ||
        !in->hop_rate || !in->xenergy || !in->xenergy_bat)
        return -1;
    for (int d = 0; d < D; d++) {
        in->power[d] = s->devices[d].power;
        in->idle_power[d] = s->devices[d].idle_power;
        in->load_power[d] = s->devices[d].load_power;
        in->battery[d] = s->devices[d].battery;
    }
    for (int i = 0; i < s->nlinks; i++) {
        const nn_link *l = &s->links[i];
        in->hop_energy[(size_t)l->a * D + l->b] = in->hop_energy[(size_t)l->b * D + l->a] =
            l->energy;
        in->hop_rate[(size_t)l->a * D + l->b] = link_bandwidth(l, l->a);
        in->hop_rate[(size_t)l->b * D + l->a] = link_bandwidth(l, l->b);
    }
    for (int b = 0; b <= L; b++) {
        for (int d = 0; d < D; d++) {
            for (int e = 0; e < D; e++) {
                size_t k = ((size_t)b * D + d) * D + e;
                if (!isfinite(in->xfer[k])) continue;
                double all = 0, bat = 0;
                for (int u = d, hops = 0; u != e && hops < D; hops++) {
                    int v = in->next[((size_t)b * D + u) * D + e];
                    if (v < 0) break;
                    double j = in->hop_energy[(size_t)u * D + v] * 8.0 * in->bytes[b];
                    all += j;
                    if (in->battery[u]) bat += j;
                    u = v;
                }
                in->xenergy[k] = all;
                in->xenergy_bat[k] = bat;
            }
        }
    }
    in->objective = s->objective;
    in->latency_limit = s->latency_limit;
    in->energy_limit = s->energy_limit;
    in->stages = s->stages;
    return 0;
}

int instance_build(const nn_scenario *s, nn_instance *out)
{
    memset(out, 0, sizeof *out);
    int L = s->net.nlayers, D = s->ndevices;
    size_t LD = (size_t)L * (size_t)D, BDD = (size_t)(L + 1) * (size_t)D * (size_t)D;
    nn_instance in = {
        .L = L,
        .D = D,
        .mode = s->mode,
        .source = s->source,
        .sink = s->sink,
        .comp = calloc(LD + 1, sizeof(double)),
        .load = calloc(LD + 1, sizeof(double)),
        .bytes = calloc((size_t)L + 1, sizeof(double)),
        .xfer = calloc(BDD + 1, sizeof(double)),
        .next = calloc(BDD + 1, sizeof(int)),
        .weights = calloc((size_t)L + 1, sizeof(double)),
        .act = calloc((size_t)L + 1, sizeof(double)),
        .memory = calloc((size_t)D + 1, sizeof(double)),
        .pin = calloc((size_t)L + 1, sizeof(int)),
        .layer_names = calloc((size_t)L + 1, NN_NAME_LEN),
        .device_names = calloc((size_t)D + 1, NN_NAME_LEN),
    };
    if (!in.comp || !in.load || !in.bytes || !in.xfer || !in.next || !in.weights || !in.act ||
        !in.memory || !in.pin || !in.layer_names || !in.device_names || shared_build(s, &in) != 0) {
        instance_free(&in);
        return -1;
    }
    for (int d = 0; d < D; d++) {
        in.memory[d] = s->devices[d].memory;
        str_copy(in.device_names[d], NN_NAME_LEN, s->devices[d].name);
    }
    in.bytes[0] = s->net.input_bytes;
    for (int l = 0; l < L; l++) {
        const nn_layer *layer = &s->net.layers[l];
        str_copy(in.layer_names[l], NN_NAME_LEN, layer->name);
        in.bytes[l + 1] = layer->output_bytes;
        in.weights[l] = layer->weight_bytes;
        in.pin[l] = s->pin ? s->pin[l] : -1;
        for (int d = 0; d < D; d++) {
            in.comp[(size_t)l * D + d] = layer_compute_time(layer, in.bytes[l], &s->devices[d]);
            in.load[(size_t)l * D + d] = layer->weight_bytes / s->devices[d].load_rate;
        }
    }
    for (int l = 0; l < L; l++)
        in.act[l] = in.bytes[l] + in.bytes[l + 1];

    size_t DD = (size_t)D * (size_t)D;
    for (int b = 0; b <= L; b++) {
        double *cost = in.xfer + (size_t)b * DD;
        int *next = in.next + (size_t)b * DD;
        /* Equal tensor sizes share routes (common in transformer stacks). */
        if (b > 0 && in.bytes[b] == in.bytes[b - 1]) {
            memcpy(cost, cost - DD, DD * sizeof *cost);
            memcpy(next, next - DD, DD * sizeof *next);
        } else {
            routes_compute(s, in.bytes[b], cost, next);
        }
    }
    if (energy_build(s, &in) != 0) {
        instance_free(&in);
        return -1;
    }
    *out = in;
    return 0;
}

void placement_compact(char (*device_names)[NN_NAME_LEN], const int *place, int nlayers,
                       bool unicode, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int l = 0; l < nlayers && n < size;) {
        int run = 1;
        while (l + run < nlayers && place[l + run] == place[l])
            run++;
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s%d", n ? " " : "", device_names[place[l]],
                              unicode ? "\xC3\x97" : "*", run);
        l += run;
    }
}
