/* Seeded random scenarios for the solver tests, built through nn_scenario and
 * instance_build so the whole chain is exercised: tight memories, pins,
 * missing links, one-way and one-way-slow links, relayed routes, zero-weight
 * layers, profiles and shared weight tensors. Also brute force over every placement: the least
 * latency, and the shortest busy path among the placements that reach it.
 * A failure to build fails the test. */
#ifndef NNPART_TEST_HELPERS_RANDOM_H
#define NNPART_TEST_HELPERS_RANDOM_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "eval.h"
#include "scenario_fixture.h"

typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline double rng_unit(rng *r) /* [0, 1) */
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static inline int rng_int(rng *r, int lo, int hi) /* [lo, hi] */
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static inline bool rng_chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

/* Log-uniform in [lo, hi]. */
static inline double rng_log(rng *r, double lo, double hi)
{
    return exp(log(lo) + rng_unit(r) * (log(hi) - log(lo)));
}

typedef struct random_spec {
    int max_layers;      /* 1..max */
    int max_devices;     /* 1..max */
    long max_placements; /* D^L is kept at or below this (brute force) */
} random_spec;

/* Fills `s` with a random scenario for `seed`. Returns 0 on success. */
/* With chance p, 1 to `most` shared tensors of 10 kB to 100 MB, each used
 * by 1-3 of the L layers (a repeated use is refused); their bytes. */
static inline double random_shared(nn_network *net, rng *r, double p, int most, int L)
{
    double total = 0;
    int nshared = rng_chance(r, p) ? rng_int(r, 1, most) : 0;
    for (int k = 0; k < nshared; k++) {
        char name[24];
        snprintf(name, sizeof name, "S%d", k + 1);
        double bytes = rng_log(r, 1e4, 1e8);
        int t = network_add_shared(net, name, bytes);
        int uses = rng_int(r, 1, L < 3 ? L : 3);
        for (int i = 0; i < uses; i++)
            layer_add_use(&net->layers[rng_int(r, 0, L - 1)], t);
        total += bytes;
    }
    return total;
}

static inline int random_scenario(nn_scenario *s, uint64_t seed, const random_spec *spec)
{
    rng r = {.s = seed * 0x2545F4914F6CDD1Dull + 1};
    scenario_init(s);
    snprintf(s->name, sizeof s->name, "random %llu", (unsigned long long)seed);
    int D = rng_chance(&r, 0.1) ? 1 : rng_int(&r, 2, spec->max_devices), L;
    for (;;) {
        L = rng_int(&r, 1, spec->max_layers);
        long n = 1;
        for (int l = 0; l < L && n <= spec->max_placements; l++)
            n *= D;
        if (n <= spec->max_placements) break;
    }
    nn_network net = {0};
    snprintf(net.name, sizeof net.name, "net%llu", (unsigned long long)seed);
    double total_weights = 0, biggest_act = 0, prev_out = rng_log(&r, 1e3, 1e6);
    double input = prev_out;
    for (int l = 0; l < L; l++) {
        char name[24];
        snprintf(name, sizeof name, "L%d", l + 1);
        double flops = rng_log(&r, 1e6, 1e10);
        double weights = rng_chance(&r, 0.2) ? 0 : rng_log(&r, 1e4, 1e8);
        double out = rng_log(&r, 1e2, 1e7);
        fixture_layer(&net, name, flops, weights, out);
        total_weights += weights;
        biggest_act = fmax(biggest_act, prev_out + out);
        prev_out = out;
    }
    /* Shared tensors, from a stream of their own so the rest of the
     * instance stays what it was for each seed: used by 1-3 layers. */
    rng rs = {.s = seed * 0x9E3779B97F4A7C15ull + 7};
    total_weights += random_shared(&net, &rs, 0.5, 2, L);
    for (int d = 0; d < D; d++) {
        char name[24];
        snprintf(name, sizeof name, "dev%d", d);
        double memory;
        double roll = rng_unit(&r);
        if (roll < 0.25)
            memory = 1e13; /* roomy */
        else if (roll < 0.95)
            memory = biggest_act + total_weights * (0.3 + 0.9 * rng_unit(&r)); /* tight */
        else
            memory = total_weights * rng_unit(&r) * 0.5 + 1; /* small */
        fixture_device(s, name, rng_log(&r, 1e8, 1e11), memory, rng_log(&r, 1e7, 1e9));
    }
    for (int a = 0; a < D; a++) {
        for (int b = a + 1; b < D; b++) {
            if (rng_chance(&r, 0.3)) continue; /* missing link: routes relay */
            double bw = rng_log(&r, 1e6, 1e9), rev = bw;
            double roll = rng_unit(&r);
            if (roll < 0.2)
                rev = bw / 100; /* one way slow */
            else if (roll < 0.3)
                rev = 0; /* one way only */
            else if (roll < 0.5)
                rev = rng_log(&r, 1e6, 1e9);
            fixture_link(s, a, b, bw, rev, rng_chance(&r, 0.2) ? 0 : rng_log(&r, 1e-4, 2e-2));
        }
    }
    /* Profiles: measured times on some devices override flops / speed. */
    for (int l = 0; l < L; l++)
        for (int d = 0; d < D; d++)
            if (rng_chance(&r, 0.15))
                layer_add_profile(&net.layers[l], s->devices[d].name, rng_log(&r, 1e-5, 1e-1));
    /* Energy, from a stream of its own: power, idle and load power, battery
     * devices, link energy per bit. */
    rng re = {.s = seed * 0xD1B54A32D192ED03ull + 11};
    for (int d = 0; d < D; d++) {
        nn_device *dev = &s->devices[d];
        dev->power = rng_log(&re, 0.5, 300);
        dev->idle_power =
            rng_chance(&re, 0.1) ? dev->power * 1.5 : dev->power * rng_unit(&re) * 0.5;
        dev->load_power = rng_chance(&re, 0.3) ? 0 : rng_log(&re, 0.1, 10);
        dev->battery = rng_chance(&re, 0.4);
    }
    for (int i = 0; i < s->nlinks; i++)
        s->links[i].energy = rng_chance(&re, 0.2) ? 0 : rng_log(&re, 1e-10, 1e-6);
    s->mode = (nn_mode)rng_int(&r, 0, MODE_COUNT - 1);
    s->source = rng_int(&r, 0, D - 1);
    s->sink = rng_chance(&r, 0.6) ? s->source : rng_int(&r, 0, D - 1);
    if (fixture_finish(s, &net, input) != 0) return -1;
    for (int l = 0; l < L; l++)
        if (rng_chance(&r, 0.12)) s->pin[l] = rng_int(&r, 0, D - 1);
    return 0;
}

/* Every device and every link made like the first, no profiles, and some
 * layers without work or output: the objectives then tie across devices
 * and only the canonical order decides. */
static inline void scenario_make_alike(nn_scenario *s)
{
    for (int d = 1; d < s->ndevices; d++) {
        char name[NN_NAME_LEN];
        memcpy(name, s->devices[d].name, sizeof name);
        s->devices[d] = s->devices[0];
        memcpy(s->devices[d].name, name, sizeof name);
    }
    for (int i = 1; i < s->nlinks; i++) {
        int a = s->links[i].a, b = s->links[i].b;
        s->links[i] = s->links[0];
        s->links[i].a = a;
        s->links[i].b = b;
    }
    for (int l = 0; l < s->net.nlayers; l++) {
        s->net.layers[l].nprofiles = 0;
        if (l % 3 == 1) s->net.layers[l].flops = 0;
        if (l % 4 == 2) s->net.layers[l].output_bytes = 0;
    }
}

/* random_scenario for `seed` and its instance. */
static inline void random_instance(nn_scenario *s, nn_instance *in, uint64_t seed,
                                   const random_spec *spec)
{
    assert_int_equal(random_scenario(s, seed, spec), 0);
    assert_int_equal(instance_build(s, in), 0);
}

/* Frees the instance, then the scenario it was built from. */
static inline void scenario_instance_free(nn_scenario *s, nn_instance *in)
{
    instance_free(in);
    scenario_free(s);
}

/* "0 1 1 " for a placement of three layers, cut to fit `size`. */
static inline void placement_describe(const int *place, int L, char *buf, size_t size)
{
    size_t n = 0;
    if (size) buf[0] = '\0';
    for (int l = 0; l < L && n + 4 < size; l++)
        n += (size_t)snprintf(buf + n, size - n, "%d ", place[l]);
}

/* The next placement in counting order (layer 0 fastest); false after the
 * last, when `place` is back to all zeros. */
static inline bool placement_next(int *place, int L, int D)
{
    int l = 0;
    while (l < L && ++place[l] == D)
        place[l++] = 0;
    return l < L;
}

/* Minimum of eval_objective over every placement; the argmin to `best`. */
static inline double brute_force_goal(const nn_instance *in, nn_mode mode, nn_objective obj,
                                      double latency_limit, double energy_limit, int *best)
{
    int L = in->L, D = in->D, place[16] = {0};
    double min = INFINITY;
    for (;;) {
        double v = eval_objective(in, place, mode, obj, latency_limit, energy_limit);
        if (v < min) {
            min = v;
            if (best)
                for (int l = 0; l < L; l++)
                    best[l] = place[l];
        }
        if (!placement_next(place, L, D)) break;
    }
    return min;
}

/* Does every device hold at most one contiguous run of layers? */
static inline bool placement_contiguous(const int *place, int L)
{
    int seen[NN_MAX_DEVICES] = {0};
    for (int l = 0; l < L; l++) {
        if (l > 0 && place[l] == place[l - 1]) continue;
        if (seen[place[l]]) return false;
        seen[place[l]] = 1;
    }
    return true;
}

/* Minimum of eval_latency over every placement (only contiguous ones when
 * asked); writes the argmin to `best` when not NULL. */
static inline double brute_force(const nn_instance *in, nn_mode mode, bool contiguous_only,
                                 int *best)
{
    int L = in->L, D = in->D, place[16] = {0};
    double min = INFINITY;
    for (;;) {
        if (!contiguous_only || placement_contiguous(place, L)) {
            double t = eval_latency(in, place, mode);
            if (t < min) {
                min = t;
                if (best)
                    for (int l = 0; l < L; l++)
                        best[l] = place[l];
            }
        }
        if (!placement_next(place, L, D)) break;
    }
    return min;
}

static inline bool rel_close(double a, double b, double tol)
{
    if (isinf(a) || isinf(b)) return a == b;
    return fabs(a - b) <= tol * fmax(fabs(a), fabs(b)) + 1e-15;
}

/* The shortest busy path (compute and transfers without waiting: the
 * resident latency) among every placement whose latency under `mode` is
 * within `tol` relative of `optimum`; writes one such placement to `best`
 * when not NULL. INFINITY when none is. */
static inline double brute_force_tied_busy(const nn_instance *in, nn_mode mode, double optimum,
                                           double tol, int *best)
{
    int L = in->L, D = in->D, place[16] = {0};
    double min = INFINITY;
    for (;;) {
        double t = eval_latency(in, place, mode);
        if (isfinite(t) && rel_close(t, optimum, tol)) {
            double busy = eval_latency(in, place, MODE_RESIDENT);
            if (busy < min) {
                min = busy;
                if (best)
                    for (int l = 0; l < L; l++)
                        best[l] = place[l];
            }
        }
        if (!placement_next(place, L, D)) break;
    }
    return min;
}

/* Is a before b in MODEL.md's canonical order: at the first layer where
 * they differ, the device of the layer before first, then by index? */
static inline bool placement_canonical_before(const int *a, const int *b, int L)
{
    for (int l = 0; l < L; l++) {
        if (a[l] == b[l]) continue;
        int ra = l > 0 && a[l] == a[l - 1] ? -1 : a[l];
        int rb = l > 0 && b[l] == b[l - 1] ? -1 : b[l];
        return ra < rb;
    }
    return false;
}

/* The least placement in that order with latency <= limit and busy path
 * <= busy_limit; false when none is. */
static inline bool brute_force_canonical_within(const nn_instance *in, nn_mode mode, double limit,
                                                double busy_limit, int *best)
{
    int L = in->L, D = in->D, place[16] = {0};
    bool any = false;
    for (;;) {
        if ((!any || placement_canonical_before(place, best, L)) &&
            eval_latency(in, place, mode) <= limit &&
            eval_latency(in, place, MODE_RESIDENT) <= busy_limit) {
            for (int l = 0; l < L; l++)
                best[l] = place[l];
            any = true;
        }
        if (!placement_next(place, L, D)) break;
    }
    return any;
}

/* MODEL.md's canonical placement, by brute force: T* the least latency; B*
 * the least busy path among the placements with latency <= T* (1 + 1e-10)
 * (in resident mode, where the busy path is the latency, T*); the least in
 * the canonical order among those with busy path <= B* (1 + 1e-12). False
 * when no placement is feasible. */
static inline bool brute_force_canonical(const nn_instance *in, nn_mode mode, int *best)
{
    double t = brute_force(in, mode, false, NULL);
    if (!isfinite(t)) return false;
    double limit = t * (1 + 1e-10), busy = INFINITY;
    if (mode == MODE_RESIDENT) {
        busy = t;
    } else {
        int L = in->L, D = in->D, place[16] = {0};
        for (;;) {
            if (eval_latency(in, place, mode) <= limit)
                busy = fmin(busy, eval_latency(in, place, MODE_RESIDENT));
            if (!placement_next(place, L, D)) break;
        }
    }
    return brute_force_canonical_within(in, mode, limit, busy * (1 + 1e-12), best);
}

/* Makes the last layer's weight loading the critical path on every device:
 * then any placement of the earlier layers that finishes in time ties. */
static inline void ties_inflate(nn_instance *in)
{
    int L = in->L, D = in->D;
    double work = 0;
    for (int b = 0; b <= L; b++) {
        double worst = 0;
        for (int d = 0; d < D; d++)
            for (int e = 0; e < D; e++)
                if (isfinite(instance_xfer(in, b, d, e)))
                    worst = fmax(worst, instance_xfer(in, b, d, e));
        if (b < L)
            for (int d = 0; d < D; d++)
                worst += in->comp[(size_t)b * D + d];
        work += worst;
    }
    for (int d = 0; d < D; d++)
        in->load[(size_t)(L - 1) * D + d] += 2 * work;
}

/* Makes device e a copy of d in every number the engines read: compute,
 * load, memory and every transfer to and from the other devices. */
static inline void twin_devices(nn_instance *in, int d, int e)
{
    int L = in->L, D = in->D;
    for (int l = 0; l < L; l++) {
        in->comp[(size_t)l * D + e] = in->comp[(size_t)l * D + d];
        in->load[(size_t)l * D + e] = in->load[(size_t)l * D + d];
        if (in->pin[l] == d || in->pin[l] == e) in->pin[l] = -1;
    }
    in->memory[e] = in->memory[d];
    for (int b = 0; b <= L; b++) {
        double *x = in->xfer + (size_t)b * D * D;
        for (int g = 0; g < D; g++) {
            if (g == d || g == e) continue;
            x[(size_t)e * D + g] = x[(size_t)d * D + g];
            x[(size_t)g * D + e] = x[(size_t)g * D + d];
        }
        x[(size_t)e * D + d] = x[(size_t)d * D + e];
    }
}

/* The first two devices that are neither the source nor the sink (to be
 * made twins); false when there are not two. */
static inline bool twin_pair(const nn_instance *in, int *d, int *e)
{
    for (int a = 0; a < in->D; a++)
        for (int b = a + 1; b < in->D; b++)
            if (a != in->source && a != in->sink && b != in->source && b != in->sink) {
                *d = a;
                *e = b;
                return true;
            }
    return false;
}

/* random_instance with two of its devices made twins (twin_pair,
 * twin_devices); false, the instance built all the same, when it has not two
 * devices that are neither the source nor the sink. */
static inline bool random_twin_instance(nn_scenario *s, nn_instance *in, uint64_t seed,
                                        const random_spec *spec)
{
    random_instance(s, in, seed, spec);
    int d, e;
    if (!twin_pair(in, &d, &e)) return false;
    twin_devices(in, d, e);
    return true;
}

/* Device changes along the chain of layers. */
static inline int placement_switches(const int *place, int L)
{
    int n = 0;
    for (int l = 1; l < L; l++)
        n += place[l] != place[l - 1];
    return n;
}

/* The second key of the tie-break (MODEL.md, "Ties beyond latency"): the
 * busy path under latency and throughput (for a stream: one input alone,
 * weights resident), the latency in the mode under the energy objectives. */
static inline double goal_second_key(const nn_instance *in, nn_mode mode, nn_objective obj,
                                     const int *place)
{
    bool energy = obj == OBJ_ENERGY || obj == OBJ_BATTERY_ENERGY;
    return eval_latency(in, place, energy ? mode : MODE_RESIDENT);
}

/* The whole order every engine must return, by brute force: the least
 * objective O* (limits and stages included); among placements with O <=
 * O* (1 + 1e-10), the least second key S*; among those with second key <=
 * S* (1 + 1e-12), the canonical least. Writes it to `best` and returns O*
 * (INFINITY, `best` untouched, when nothing is feasible). */
static inline double brute_force_ordered(const nn_instance *in, nn_mode mode, nn_objective obj,
                                         double latency_limit, double energy_limit,
                                         bool battery_limit, int *best)
{
    int L = in->L, D = in->D, place[16] = {0};
    double omin = INFINITY, smin = INFINITY;
    for (int pass = 0; pass < 3; pass++) {
        bool found = false;
        for (;;) {
            double v = eval_objective_limited(in, place, mode, obj, latency_limit, energy_limit,
                                              battery_limit);
            if (pass == 0) {
                omin = fmin(omin, v);
            } else if (isfinite(v) && v <= omin * (1 + 1e-10)) {
                double k = goal_second_key(in, mode, obj, place);
                if (pass == 1) {
                    smin = fmin(smin, k);
                } else if (k <= smin * (1 + 1e-12) &&
                           (!found || placement_canonical_before(place, best, L))) {
                    found = true;
                    for (int l = 0; l < L; l++)
                        best[l] = place[l];
                }
            }
            if (!placement_next(place, L, D)) break;
        }
        if (!isfinite(omin)) break;
    }
    return omin;
}

#endif
