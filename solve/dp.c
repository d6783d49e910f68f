/* The contiguous-run dynamic program: the exact optimum over placements in
 * which every device runs at most one contiguous run of layers.
 *
 * A state is (next layer, set of devices used, device of the last run) and
 * holds the earliest finish time of the last run. A run's timing depends
 * only on when its input arrives (the device held no earlier layers, so its
 * preload queue starts with the run), and is monotone in that time: keeping
 * the minimum per state is exact.
 *
 * The state space grows as 2^D. Past a work budget the program keeps the
 * devices most likely to matter (pinned ones, then the fastest) and is exact
 * over that subset only; it then serves as a good incumbent, not a bound.
 *
 * The budget still allows seconds of work on the largest instances, so the
 * caller's stop (time limit, cancel, the race) is checked as it goes; below
 * DP_ALWAYS_WORK steps (tens of milliseconds at worst) it is not, so that a solve
 * stopped at once still has the DP's placement as its incumbent. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "solve_internal.h"

#define DP_WORK_BUDGET 4e7        /* run-extension steps */
#define DP_MAX_ENTRIES (1u << 21) /* states kept in memory */
#define DP_MAX_DEVICES 20
#define DP_ALWAYS_WORK 1e7 /* run-extension steps done whatever the stop */

typedef struct dp_ctx {
    const nn_instance *in;
    nn_mode mode;
    int k;                   /* devices in the program */
    int dev[NN_MAX_DEVICES]; /* program index -> instance device */
    size_t per_layer;        /* (1 << k) * k */
    double *t;               /* [l * per_layer + U * k + i] earliest finish */
    int32_t *back;           /* entry the run started from; -1: the source */
    double best;
    int32_t best_from; /* entry the final run started from */
    int best_start, best_dev;
} dp_ctx;

static double dp_work(int L, int k)
{
    return (double)L * L * k * k * ldexp(1.0, k) / 4;
}

static size_t dp_entries(int L, int k)
{
    return (size_t)L * ((size_t)1 << k) * (size_t)k;
}

static bool dp_fits_budget(int L, int k)
{
    return dp_work(L, k) <= DP_WORK_BUDGET && dp_entries(L, k) <= DP_MAX_ENTRIES;
}

/* Chooses the devices: all of them when affordable, else pinned devices and
 * then the fastest over the whole network. Returns how many. */
static int dp_pick_devices(const nn_instance *in, int *dev)
{
    int L = in->L, D = in->D;
    if (D <= DP_MAX_DEVICES && dp_fits_budget(L, D)) {
        for (int d = 0; d < D; d++)
            dev[d] = d;
        return D;
    }
    bool taken[NN_MAX_DEVICES] = {false};
    int k = 0;
    for (int l = 0; l < L; l++) {
        int p = in->pin[l];
        if (p >= 0 && p < D && !taken[p]) {
            taken[p] = true;
            dev[k++] = p;
        }
    }
    if (k > DP_MAX_DEVICES) return 0;
    double total[NN_MAX_DEVICES] = {0};
    for (int d = 0; d < D; d++)
        for (int l = 0; l < L; l++)
            total[d] += solve_comp(in, l, d);
    while (k < D && dp_fits_budget(L, k + 1) && k < DP_MAX_DEVICES) {
        int pick = -1;
        for (int d = 0; d < D; d++)
            if (!taken[d] && (pick < 0 || total[d] < total[pick])) pick = d;
        taken[pick] = true;
        dev[k++] = pick;
    }
    return k;
}

static size_t dp_index(const dp_ctx *c, int l, unsigned used, int i)
{
    return (size_t)l * c->per_layer + (size_t)used * (size_t)c->k + (size_t)i;
}

/* Runs layers l, l+1, ... on program device j starting from arrival time
 * `arrive`, relaxing the state after each possible end of the run. The
 * arithmetic follows eval_latency step by step so the values agree. */
static void dp_extend(dp_ctx *c, int32_t from, int l, unsigned used, int j, double arrive)
{
    const nn_instance *in = c->in;
    int e = c->dev[j];
    unsigned used2 = used | (1u << j);
    double t = arrive, loaded = 0, weights = 0, peak = 0;
    for (int m = l; m < in->L; m++) {
        if (in->pin[m] >= 0 && in->pin[m] != e) break;
        /* Shared tensors load with their first use in the run: the device
         * holds no layer before it. */
        double w = solve_load(in, m, e);
        weights += in->weights[m];
        for (int u = in->use_start[m]; u < in->use_start[m + 1]; u++) {
            int v = in->use_prev[u];
            if (v >= 0 && in->use_layer[v] >= l) continue;
            weights += in->shared_bytes[in->use_tensor[u]];
            w += in->shared_load[(size_t)in->use_tensor[u] * (size_t)in->D + (size_t)e];
        }
        peak = fmax(peak, in->act[m]);
        if (weights + peak > in->memory[e]) break;
        double ready = t;
        if (c->mode == MODE_PRELOAD) {
            loaded += w;
            ready = loaded;
        } else if (c->mode == MODE_ONDEMAND) {
            ready = t + w;
        }
        t = fmax(t, ready) + solve_comp(in, m, e);
        if (!(t < c->best)) break; /* finish times only grow along a path */
        if (m == in->L - 1) {
            double total = t + instance_xfer(in, in->L, e, in->sink);
            if (total < c->best) {
                c->best = total;
                c->best_from = from;
                c->best_start = l;
                c->best_dev = j;
            }
        } else {
            size_t idx = dp_index(c, m + 1, used2, j);
            if (t < c->t[idx]) {
                c->t[idx] = t;
                c->back[idx] = from;
            }
        }
    }
}

static void dp_reconstruct(const dp_ctx *c, int *place)
{
    int end = c->in->L, start = c->best_start, j = c->best_dev;
    int32_t from = c->best_from;
    for (;;) {
        for (int m = start; m < end; m++)
            place[m] = c->dev[j];
        if (from < 0) break;
        size_t idx = (size_t)from;
        end = (int)(idx / c->per_layer);
        j = (int)(idx % (size_t)c->k);
        from = c->back[idx];
        start = from < 0 ? 0 : (int)((size_t)from / c->per_layer);
    }
}

/* The clock every DP_CHECK_EVERY state sets (a set costs at most k^2 run
 * extensions of L layers). */
#define DP_CHECK_EVERY 16

double solve_dp_contiguous(const nn_instance *in, nn_mode mode, int *place)
{
    return solve_dp_contiguous_until(in, mode, place, NULL, NULL);
}

double solve_dp_contiguous_until(const nn_instance *in, nn_mode mode, int *place,
                                 const nn_stop *stop, bool *stopped)
{
    int L = in->L;
    bool quit = false;
    if (stopped) *stopped = false;
    if (L <= 0 || in->D <= 0) return INFINITY;
    dp_ctx c = {.in = in, .mode = mode, .best = INFINITY, .best_from = -1};
    c.k = dp_pick_devices(in, c.dev);
    if (c.k == 0) return INFINITY;
    if (dp_work(L, c.k) < DP_ALWAYS_WORK) stop = NULL;
    if (solve_stop_now(stop)) {
        if (stopped) *stopped = true;
        return INFINITY;
    }
    c.per_layer = ((size_t)1 << c.k) * (size_t)c.k;
    size_t n = dp_entries(L, c.k);
    c.t = malloc(n * sizeof *c.t);
    c.back = malloc(n * sizeof *c.back);
    if (!c.t || !c.back) {
        free(c.t);
        free(c.back);
        return INFINITY;
    }
    for (size_t i = 0; i < n; i++)
        c.t[i] = INFINITY;

    for (int j = 0; j < c.k; j++) {
        double arrive = instance_xfer(in, 0, in->source, c.dev[j]);
        if (arrive < c.best) dp_extend(&c, -1, 0, 0, j, arrive);
    }
    unsigned nsets = 1u << c.k;
    for (int l = 1; l < L && !quit; l++) {
        for (unsigned used = 1; used < nsets && !quit; used++) {
            if (used % DP_CHECK_EVERY == 1 && solve_stop_now(stop)) {
                quit = true;
                break;
            }
            for (int i = 0; i < c.k; i++) {
                if (!(used & (1u << i))) continue;
                size_t idx = dp_index(&c, l, used, i);
                double t = c.t[idx];
                if (!(t < c.best)) continue;
                for (int j = 0; j < c.k; j++) {
                    if (used & (1u << j)) continue;
                    double arrive = t + instance_xfer(in, l, c.dev[i], c.dev[j]);
                    if (arrive < c.best) dp_extend(&c, (int32_t)idx, l, used, j, arrive);
                }
            }
        }
    }
    if (quit) c.best = INFINITY;
    if (place && isfinite(c.best)) dp_reconstruct(&c, place);
    free(c.t);
    free(c.back);
    if (stopped) *stopped = quit;
    return c.best;
}
