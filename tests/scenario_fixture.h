/* Builds small scenarios in code for tests: raw layers, devices, links. */
#ifndef NNPART_TEST_SCENARIO_FIXTURE_H
#define NNPART_TEST_SCENARIO_FIXTURE_H

#include <stdlib.h>

#include "scenario.h"

static inline int fixture_device(nn_scenario *s, const char *name, double speed, double memory,
                                 double load_rate)
{
    nn_device d = {.tier = TIER_EDGE, .speed = speed, .memory = memory, .load_rate = load_rate};
    str_copy(d.name, sizeof d.name, name);
    return scenario_add_device(s, &d);
}

static inline int fixture_link(nn_scenario *s, int a, int b, double bw, double reverse,
                               double latency)
{
    nn_link l = {.a = a,
                 .b = b,
                 .bandwidth = bw,
                 .reverse = reverse,
                 .reverse_given = reverse != bw,
                 .latency = latency};
    return scenario_add_link(s, &l);
}

static inline void fixture_layer(nn_network *net, const char *name, double flops, double weights,
                                 double output)
{
    nn_layer *l = network_add_layer(net, name, LT_RAW);
    l->raw_flops = flops;
    l->raw_weights = weights;
    l->raw_output = output;
}

/* Gives the scenario its network (raw layers already added to `net`). */
static inline int fixture_finish(nn_scenario *s, nn_network *net, double input_bytes)
{
    int bad;
    char why[256];
    net->input_bytes = input_bytes;
    if (network_infer(net, &bad, why, sizeof why) != 0) return -1;
    return scenario_set_network(s, net);
}

/* MODEL.md's worked example up to fixture_finish: its devices, its link
 * and its three layers in `net`. */
static inline void worked_example_parts(nn_scenario *s, const char *name, nn_network *net)
{
    scenario_init(s);
    str_copy(s->name, sizeof s->name, name);
    fixture_device(s, "edge", 1e9, 100e6, 10e6);
    fixture_device(s, "cloud", 100e9, 1000e6, 100e6);
    fixture_link(s, 0, 1, 8e6, 8e6, 0.010);
    *net = (nn_network){0};
    str_copy(net->name, sizeof net->name, "worked");
    fixture_layer(net, "L1", 1e8, 1e6, 200000);
    fixture_layer(net, "L2", 1e9, 20e6, 10000);
    fixture_layer(net, "L3", 1e8, 50e6, 1000);
}

/* MODEL.md's worked example. */
static inline void fixture_worked_example(nn_scenario *s)
{
    nn_network net;
    worked_example_parts(s, "worked example", &net);
    fixture_finish(s, &net, 100000);
}

/* The worked example with a 10 MB tensor "emb" that L1 and L3 share. */
static inline void fixture_worked_example_shared(nn_scenario *s)
{
    nn_network net;
    worked_example_parts(s, "worked example, shared", &net);
    int t = network_add_shared(&net, "emb", 10e6);
    layer_add_use(&net.layers[0], t);
    layer_add_use(&net.layers[2], t);
    fixture_finish(s, &net, 100000);
}

/* D devices in a chain of links and L layers, with memory to spare (every
 * baseline and the contiguous DP have work to do). fixture_long(s, 4, 4096)
 * is the largest instance the ILP accepts (layers x devices^2 = 65536), of
 * bench/adversarial.sh: seconds of baselines in all. */
static inline void fixture_long(nn_scenario *s, int D, int L)
{
    scenario_init(s);
    str_copy(s->name, sizeof s->name, "long");
    for (int d = 0; d < D; d++) {
        char name[16];
        snprintf(name, sizeof name, "d%d", d);
        fixture_device(s, name, 1e9 * (1 + 3 * d), 100e9, 1e9);
    }
    for (int d = 0; d + 1 < D; d++)
        fixture_link(s, d, d + 1, 1e9, 1e9, 0);
    nn_network net = {0};
    str_copy(net.name, sizeof net.name, "long");
    for (int l = 0; l < L; l++) {
        char name[16];
        snprintf(name, sizeof name, "L%d", l);
        fixture_layer(&net, name, 1e9 * (1 + l % 7), 1e6 * (1 + l % 5), 1e3 * (1 + l % 3));
    }
    fixture_finish(s, &net, 1000);
}

/* L identical transformer-like blocks (20 GFLOP, 140 MB of weights, 1.5 MB
 * out, 1.5 MB in) on the devices already in `s`: the stacks where branch
 * and bound and the exact search take a while. */
static inline int fixture_blocks(nn_scenario *s, int L)
{
    nn_network net = {0};
    for (int l = 0; l < L; l++) {
        char name[24];
        snprintf(name, sizeof name, "block%d", l);
        fixture_layer(&net, name, 2e10, 1.4e8, 1.5e6);
    }
    return fixture_finish(s, &net, 1.5e6);
}

/* fixture_blocks on D devices of three speeds and two load rates, every
 * pair linked alike (1 Gbit/s, 1 ms). */
static inline int fixture_stack(nn_scenario *s, int L, int D)
{
    scenario_init(s);
    for (int d = 0; d < D; d++) {
        char name[24];
        snprintf(name, sizeof name, "d%d", d);
        fixture_device(s, name, 1e11 * (1 + d % 3), 4e9, 2e8 * (1 + d % 2));
    }
    for (int a = 0; a < D; a++)
        for (int b = a + 1; b < D; b++)
            fixture_link(s, a, b, 1e9, 1e9, 0.001);
    return fixture_blocks(s, L);
}

#endif
