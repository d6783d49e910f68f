/* The label-setting engine: an exact search over placements, layer by layer.
 *
 * A label after layer l holds the device of l, its finish time F(l), the
 * busy path so far, each device's preload queue (the time its load engine
 * frees) and, for the devices whose memory can bind, the weights placed on
 * them and their largest input + output, and which shared tensors each device
 * holds (a flag, 0 once loaded, so that less is better). This state determines the future,
 * and every future time is monotone (non-decreasing) in it, so among the
 * labels of one layer and device only those no other label beats in every
 * coordinate can lead to a strictly better placement: keeping the
 * non-dominated ones is exact.
 *
 * Pruning: a label whose lower bound reaches the incumbent (within PROVE_REL)
 * is dropped. The bound is the finish time plus the shortest chain tail from
 * the next layer (a backward DP over (layer, device), memory ignored), and in
 * preload mode a one-layer lookahead through the queues, the weight
 * streaming (water-filling) bound, the heavy-layer bounds and the visited
 * sets (MODEL.md, Engines). Before the exact search and the
 * tie-break, the (layer, device) pairs no placement below the limit can use
 * are left out (ctx_restrict), which tightens every table. A device whose
 * queue plus the least it could add to any later layer already reaches the
 * incumbent is closed for the label (its queue becomes infinite): it cannot
 * help, and closed lanes make labels comparable. Devices that are identical
 * in every number (compute, load, memory, every route to and from them, not
 * pinned, not source or sink) are used in first-use order. A beam pass (a
 * few labels per device and layer) gives the first incumbent.
 *
 * Ties are broken as the ILP does: a second search minimises the busy path
 * among placements with T <= T* (1 + TIE_REL), then solve_canonical picks
 * the one representative both engines return (see its comment).
 *
 * Memory is bounded: past LAB_MAX_STATES labels in one layer the best (by
 * bound) are kept and the result is feasible with a gap. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "solve_internal.h"
#include "units.h"

#define PROVE_REL 1e-9                  /* optimality is proven to this relative margin */
#define TIE_REL 1e-10                   /* latencies this close to T* tie (as in the ILP) */
#define BUSY_REL 1e-12                  /* busy paths this close tie */
#define BEAM_WIDTH 3                    /* labels per (layer, device) in the first beam pass */
#define BEAM_WIDTH_MAX 48               /* ... and in the last */
#define LAB_MAX_STATES (1 << 18)        /* labels of one layer, and candidates */
#define LAB_MAX_BYTES ((size_t)1 << 27) /* state bytes of one layer's candidates */
#define LAB_MAX_KEPT ((size_t)1 << 24)  /* backtracking entries over all layers */
#define CANON_CHECK_S 0.001             /* seconds: a busy search's first try, or check */
#define CANON_POLISH_WORK 1.5e5         /* L^3 D at most: local_tiebreak before the busy search */
#define CANON_DFS_NODES 20000L          /* depth-first nodes before layer-by-layer fixing */
#define VISIT_MAX_DEVICES 10            /* the visit table has 2^D sets per (layer, device) */
#define VISIT_MAX_WORK 4e7              /* ... and costs L D^2 2^D to build */
#define HEAVY_K 2                       /* heavy layers tried per label */
#define HEAVY_SET 6                     /* ... out of this many in all */
#define REACH_MAX_WORK 3e7              /* the chain times to the heavy layers: L^2 D^3 at most */
#define RESTRICT_ROUNDS 4               /* rounds of leaving out pairs above a limit */
#define CANON_MAX_MEMO ((size_t)1 << 20)

/* Offsets in a label's state vector. */
#define S_F 0 /* finish time of the label's layer */
#define S_B 1 /* busy path so far (the resident finish time) */
#define S_Q 2 /* preload queues [nq], weights [nm], peaks [nm], shared-tensor flags [S * D] */

typedef struct lab_ctx {
    const nn_instance *in;
    nn_mode mode;
    int L, D;
    unsigned char *ok;  /* [l * D + d] */
    unsigned char *ok0; /* ok before any limit restricted it (ctx_restrict) */
    double *tail;       /* [l * D + d] least chain time from the finish of l on d to the sink */
    double *btail;      /* the same for the busy path (compute and transfers) */
    double *lane;       /* [l * D + d] preload: least load + chain + tail over layers >= l on d */
    double *trail;      /* [l * D + d] preload: least compute + tail over layers >= l on d */
    double *rest;       /* [l] preload: own weight bytes of the layers >= l */
    double rate[NN_MAX_DEVICES]; /* preload: the fastest bytes per second any layer loads on d */
    int *heavy;     /* preload: [l * HEAVY_K + i] the layers after l that alone take longest, -1 */
    double **reach; /* [k]: NULL, or the chain times to heavy layer k (reach_build) */
    double *visit;  /* preload, few devices: [(l * D + d) << D | M] least chain time from the
                       finish of l on d to the sink through every device of the set M */
    int nq, nm, stride;
    int fo;        /* offset of the shared-tensor flags [t * D + d]: 1 not yet loaded on d */
    int *last_use; /* [S] last layer that uses tensor t */
    int mslot[NN_MAX_DEVICES];     /* index among the devices whose memory can bind, -1 */
    int prev_same[NN_MAX_DEVICES]; /* identical device just before d, -1 */
    const nn_solve_options *opt;
    double t0, deadline;
    long ticks;
    bool stopped;
} lab_ctx;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t at(const lab_ctx *c, int l, int d)
{
    return (size_t)l * (size_t)c->D + (size_t)d;
}

/* Cancel flag every call, the clock every 64; the race's hook too. */
static bool lab_stop(lab_ctx *c)
{
    if (c->stopped) return true;
    if ((c->opt->cancel && atomic_load(c->opt->cancel)) ||
        share_stopped(c->opt->share, ENGINE_LABELS))
        return c->stopped = true;
    if ((++c->ticks & 63) == 0) {
        if (c->opt->share) share_tick(c->opt->share);
        if (isfinite(c->deadline) && now_s() > c->deadline) return c->stopped = true;
    }
    return false;
}

/* lab_stop with the clock read now: for loops whose steps are not cheap. */
static bool lab_stop_now(lab_ctx *c)
{
    c->ticks |= 63;
    return lab_stop(c);
}

/* ---- preparation --------------------------------------------------------- */

static double chain_time(const lab_ctx *c, int l, int d)
{
    double t = solve_comp(c->in, l, d);
    if (c->mode == MODE_ONDEMAND) t += solve_load(c->in, l, d);
    return t;
}

/* The load, compute and tail of layer k on g; INFINITY where k cannot run. */
static double heavy_time(const lab_ctx *c, int k, int g)
{
    if (!c->ok[at(c, k, g)]) return INFINITY;
    return solve_load(c->in, k, g) + solve_comp(c->in, k, g) + c->tail[at(c, k, g)];
}

static void reach_build(lab_ctx *c);

/* For the labels after each layer l, the HEAVY_K later layers whose least
 * heavy_time over the devices is largest, among the HEAVY_SET largest of
 * all (so that few layers need chain times, see reach_build). */
static void heavy_build(lab_ctx *c)
{
    int L = c->L, D = c->D;
    c->heavy = malloc((size_t)L * HEAVY_K * sizeof *c->heavy);
    double *h = malloc((size_t)L * sizeof *h);
    if (!c->heavy || !h) {
        free(c->heavy);
        c->heavy = NULL;
        free(h);
        return;
    }
    for (int k = 0; k < L; k++) {
        h[k] = INFINITY;
        for (int g = 0; g < D; g++)
            h[k] = fmin(h[k], heavy_time(c, k, g));
        if (!isfinite(h[k])) h[k] = -INFINITY; /* runs nowhere: no bound from it */
    }
    int set[HEAVY_SET], n = 0; /* by h, largest first */
    for (int k = 1; k < L; k++) {
        if (!isfinite(h[k])) continue;
        int p = n < HEAVY_SET ? n++ : HEAVY_SET;
        for (; p > 0 && h[set[p - 1]] < h[k]; p--)
            if (p < HEAVY_SET) set[p] = set[p - 1];
        if (p < HEAVY_SET) set[p] = k;
    }
    for (int l = 0; l < L; l++) {
        int m = 0;
        for (int i = 0; i < n && m < HEAVY_K; i++)
            if (set[i] > l) c->heavy[(size_t)l * HEAVY_K + m++] = set[i];
        for (; m < HEAVY_K; m++)
            c->heavy[(size_t)l * HEAVY_K + m] = -1;
    }
    free(h);
    reach_build(c);
}

/* The chain times to each heavy layer k: reach[k][(l * D + e) * D + g] is
 * the least compute and transfer time from the finish of l on e to the
 * arrival of k's input on g (l < k), a backward DP from k; only for the
 * layers some label's list names (L D^3 each at most). */
static void reach_build(lab_ctx *c)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    size_t DD = (size_t)D * (size_t)D;
    if ((double)L * L * D * D * D > REACH_MAX_WORK) return;
    c->reach = calloc((size_t)L, sizeof *c->reach);
    if (!c->reach) return;
    for (int k = 1; k < L; k++) {
        bool named = false;
        for (int j = 0; j < L * HEAVY_K && !named; j++)
            named = c->heavy[j] == k;
        if (!named) continue;
        double *r = malloc((size_t)k * DD * sizeof *r);
        if (!r) continue; /* that layer's bounds go without it */
        for (int l = k - 1; l >= 0; l--)
            for (int e = 0; e < D; e++)
                for (int g = 0; g < D; g++) {
                    double t = INFINITY;
                    if (l == k - 1) {
                        t = instance_xfer(in, k, e, g);
                    } else {
                        for (int f = 0; f < D; f++)
                            if (c->ok[at(c, l + 1, f)])
                                t = fmin(t, instance_xfer(in, l + 1, e, f) +
                                                solve_comp(in, l + 1, f) +
                                                r[((size_t)(l + 1) * D + f) * D + g]);
                    }
                    r[((size_t)l * D + e) * D + g] = t;
                }
        c->reach[k] = r;
    }
}

/* The chain tails again, now per set of devices the rest must run at least
 * one layer on: spreading the loads over more devices costs the transfers
 * that reach them (preload; see set_bound). Only where 2^D is small. */
static void visit_build(lab_ctx *c)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    size_t sets = (size_t)1 << (D < 31 ? D : 31);
    if (D > VISIT_MAX_DEVICES || (double)L * D * D * (double)sets > VISIT_MAX_WORK) return;
    c->visit = malloc((size_t)L * (size_t)D * sets * sizeof *c->visit);
    if (!c->visit) return; /* the bound is only weaker without it */
    for (int l = L - 1; l >= 0; l--)
        for (int d = 0; d < D; d++) {
            double *v = c->visit + at(c, l, d) * sets;
            for (size_t m = 0; m < sets; m++)
                v[m] = INFINITY;
            if (l == L - 1) {
                v[0] = instance_xfer(in, L, d, in->sink);
                continue;
            }
            for (int e = 0; e < D; e++) {
                if (!c->ok[at(c, l + 1, e)]) continue;
                double x = instance_xfer(in, l + 1, d, e) + solve_comp(in, l + 1, e);
                if (!isfinite(x)) continue;
                const double *w = c->visit + at(c, l + 1, e) * sets;
                size_t bit = (size_t)1 << e;
                /* The sets through e: m with or without e reach w[m without e]. */
                for (size_t m = 0; m < sets; m++)
                    v[m] = fmin(v[m], x + w[m & ~bit]);
            }
        }
}

/* extra: the heavy-layer and visited-set tables too (preload). */
static void tails_build(lab_ctx *c, bool extra)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    for (int l = L - 1; l >= 0; l--) {
        for (int d = 0; d < D; d++) {
            double t = INFINITY, b = INFINITY;
            if (l == L - 1) {
                t = b = instance_xfer(in, L, d, in->sink);
            } else {
                for (int e = 0; e < D; e++) {
                    if (!c->ok[at(c, l + 1, e)]) continue;
                    double x = instance_xfer(in, l + 1, d, e);
                    t = fmin(t, x + chain_time(c, l + 1, e) + c->tail[at(c, l + 1, e)]);
                    b = fmin(b, x + solve_comp(in, l + 1, e) + c->btail[at(c, l + 1, e)]);
                }
            }
            c->tail[at(c, l, d)] = t;
            c->btail[at(c, l, d)] = b;
        }
    }
    if (c->mode != MODE_PRELOAD) return;
    for (int d = 0; d < D; d++) {
        double best = INFINITY, after = INFINITY;
        for (int l = L - 1; l >= 0; l--) {
            if (c->ok[at(c, l, d)]) {
                double t = solve_comp(in, l, d) + c->tail[at(c, l, d)];
                best = fmin(best, solve_load(in, l, d) + t);
                after = fmin(after, t);
            }
            c->lane[at(c, l, d)] = best;
            c->trail[at(c, l, d)] = after;
        }
        c->rate[d] = 0;
        for (int l = 0; l < L; l++)
            if (in->weights[l] > 0)
                c->rate[d] = fmax(c->rate[d], solve_load(in, l, d) > 0
                                                  ? in->weights[l] / solve_load(in, l, d)
                                                  : INFINITY);
    }
    double sum = 0;
    for (int l = L - 1; l >= 0; l--) {
        sum += in->weights[l];
        c->rest[l] = sum;
    }
    if (!extra) return;
    heavy_build(c);
    visit_build(c);
}

/* Swapping d and e maps the instance onto itself. */
static bool devices_identical(const lab_ctx *c, int d, int e)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    if (d == in->source || d == in->sink || e == in->source || e == in->sink) return false;
    if (in->memory[d] != in->memory[e]) return false;
    for (int t = 0; t < in->S; t++)
        if (in->shared_load[(size_t)t * D + d] != in->shared_load[(size_t)t * D + e]) return false;
    for (int l = 0; l < L; l++) {
        if (in->pin[l] == d || in->pin[l] == e) return false;
        if (solve_comp(in, l, d) != solve_comp(in, l, e) ||
            solve_load(in, l, d) != solve_load(in, l, e) ||
            c->ok[at(c, l, d)] != c->ok[at(c, l, e)])
            return false;
    }
    for (int b = 0; b <= L; b++) {
        if (instance_xfer(in, b, d, e) != instance_xfer(in, b, e, d)) return false;
        for (int g = 0; g < D; g++) {
            if (g == d || g == e) continue;
            if (instance_xfer(in, b, d, g) != instance_xfer(in, b, e, g) ||
                instance_xfer(in, b, g, d) != instance_xfer(in, b, g, e))
                return false;
        }
    }
    return true;
}

static int ctx_init(lab_ctx *c, const nn_instance *in, nn_mode mode, const nn_solve_options *opt,
                    bool *possible)
{
    int L = in->L, D = in->D;
    size_t LD = (size_t)L * (size_t)D;
    *c = (lab_ctx){.in = in, .mode = mode, .L = L, .D = D, .opt = opt, .t0 = now_s()};
    c->deadline = opt->time_limit_s > 0 ? c->t0 + opt->time_limit_s : INFINITY;
    c->ok = calloc(LD, 1);
    c->tail = malloc(LD * sizeof *c->tail);
    c->btail = malloc(LD * sizeof *c->btail);
    c->lane = malloc(LD * sizeof *c->lane);
    c->last_use = malloc(((size_t)in->S + 1) * sizeof *c->last_use);
    c->trail = malloc(LD * sizeof *c->trail);
    c->rest = malloc((size_t)L * sizeof *c->rest);
    if (!c->ok || !c->tail || !c->btail || !c->lane || !c->last_use || !c->trail || !c->rest)
        return -1;
    for (int t = 0; t < in->S; t++)
        c->last_use[t] = -1;
    for (int l = 0; l < L; l++)
        for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++)
            c->last_use[in->use_tensor[u]] = l;
    *possible = feasible_mask(in, c->ok);
    c->ok0 = malloc(LD);
    if (!c->ok0) return -1;
    memcpy(c->ok0, c->ok, LD);
    tails_build(c, true);
    c->nq = mode == MODE_PRELOAD ? D : 0;
    for (int d = 0; d < D; d++) {
        double weights = 0, peak = 0;
        for (int l = 0; l < L; l++) {
            if (!c->ok[at(c, l, d)]) continue;
            weights += in->weights[l] + in->shared_need[l]; /* shared ones perhaps twice */
            peak = fmax(peak, in->act[l]);
        }
        c->mslot[d] = weights + peak <= in->memory[d] ? -1 : c->nm++;
    }
    c->fo = S_Q + c->nq + 2 * c->nm;
    c->stride = c->fo + in->S * D;
    /* Identical devices: d may be used only once the one before it is.
     * Comparing all pairs costs L * D^3; skip it where that is large. */
    for (int d = 0; d < D; d++)
        c->prev_same[d] = -1;
    if ((double)L * D * D * D < 2e7) {
        for (int e = 1; e < D; e++)
            for (int d = e - 1; d >= 0 && c->prev_same[e] < 0; d--)
                if (devices_identical(c, d, e)) c->prev_same[e] = d;
    }
    return 0;
}

/* The tables tails_build allocates. */
static void tables_free(lab_ctx *c)
{
    free(c->visit);
    if (c->reach)
        for (int k = 0; k < c->L; k++)
            free(c->reach[k]);
    free(c->reach);
    free(c->heavy);
    c->visit = NULL;
    c->reach = NULL;
    c->heavy = NULL;
}

/* Leaves out of ok every (layer, device) pair that no placement below
 * `limit` can use: the least latency through it, max(the earliest its input
 * can arrive, in preload its own load) + its chain time + the tail, is
 * above the limit. Fewer pairs make every table tighter, which may leave
 * out more pairs: a few rounds. The tables are rebuilt. Every bound stays
 * valid for the placements
 * below the limit, which are all the search and the tie-break look for. */
static void ctx_restrict(lab_ctx *c, double limit)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    memcpy(c->ok, c->ok0, (size_t)L * (size_t)D);
    tables_free(c);
    tails_build(c, false);
    double *head = malloc((size_t)L * (size_t)D * sizeof *head);
    if (!head || !isfinite(limit)) {
        free(head);
        tails_build(c, true);
        return;
    }
    double cut = limit * (1 + 1e-12);
    for (int round = 0; round < RESTRICT_ROUNDS; round++) {
        /* The earliest arrival of each layer's input on each device. */
        for (int l = 0; l < L; l++)
            for (int g = 0; g < D; g++) {
                double t = INFINITY;
                if (l == 0) {
                    t = instance_xfer(in, 0, in->source, g);
                } else {
                    for (int f = 0; f < D; f++)
                        if (c->ok[at(c, l - 1, f)])
                            t = fmin(t, head[at(c, l - 1, f)] + chain_time(c, l - 1, f) +
                                            instance_xfer(in, l, f, g));
                }
                head[at(c, l, g)] = t;
            }
        bool changed = false;
        for (int l = 0; l < L; l++)
            for (int g = 0; g < D; g++) {
                if (!c->ok[at(c, l, g)]) continue;
                double start = head[at(c, l, g)];
                if (c->mode == MODE_PRELOAD) start = fmax(start, solve_load(in, l, g));
                if (start + chain_time(c, l, g) + c->tail[at(c, l, g)] > cut) {
                    c->ok[at(c, l, g)] = 0;
                    changed = true;
                }
            }
        if (!changed) break;
        tails_build(c, false);
    }
    free(head);
    tables_free(c);
    tails_build(c, true);
}

static void ctx_free(lab_ctx *c)
{
    free(c->ok);
    free(c->tail);
    free(c->btail);
    free(c->lane);
    free(c->last_use);
    free(c->trail);
    free(c->rest);
    free(c->ok0);
    tables_free(c);
}

/* ---- one step ------------------------------------------------------------ */

/* Places layer l on e after state s (layer l - 1 on `from`, or the source
 * when l == 0) into ns. The arithmetic follows eval_latency step by step,
 * so a complete label's time is the evaluator's to the last bit. */
static bool lab_step(const lab_ctx *c, const double *s, int from, int l, int e, double *ns)
{
    const nn_instance *in = c->in;
    if (!c->ok[at(c, l, e)]) return false;
    if (c->nq && isinf(s[S_Q + e])) return false; /* closed lane */
    double x = l == 0 ? instance_xfer(in, 0, in->source, e) : instance_xfer(in, l, from, e);
    if (!isfinite(x)) return false;
    /* Own weights, and the shared tensors e does not hold yet, in the
     * evaluator's order of sums (instance_load, instance_weight). */
    double load = solve_load(in, l, e), bytes = in->weights[l];
    for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++) {
        int t = in->use_tensor[u];
        if (s[c->fo + t * c->D + e] == 0) continue;
        load += in->shared_load[(size_t)t * c->D + e];
        bytes += in->shared_bytes[t];
    }
    int m = c->mslot[e];
    double w = 0, p = 0;
    if (m >= 0) {
        w = s[S_Q + c->nq + m] + bytes;
        p = fmax(s[S_Q + c->nq + c->nm + m], in->act[l]);
        if (!(w + p <= in->memory[e])) return false;
    }
    memcpy(ns, s, (size_t)c->stride * sizeof *ns);
    if (m >= 0) {
        ns[S_Q + c->nq + m] = w;
        ns[S_Q + c->nq + c->nm + m] = p;
    }
    for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++) {
        int t = in->use_tensor[u];
        ns[c->fo + t * c->D + e] = 0;
        /* Past its last use a tensor's flags no longer matter: clear them
         * so that labels stay comparable. */
        if (c->last_use[t] == l)
            for (int g = 0; g < c->D; g++)
                ns[c->fo + t * c->D + g] = 0;
    }
    double arrive = l == 0 ? x : s[S_F] + x, ready = arrive;
    if (c->mode == MODE_PRELOAD) {
        ns[S_Q + e] = s[S_Q + e] + load;
        ready = ns[S_Q + e];
    } else if (c->mode == MODE_ONDEMAND) {
        ready = arrive + load;
    }
    ns[S_F] = fmax(arrive, ready) + solve_comp(in, l, e);
    ns[S_B] = (l == 0 ? x : s[S_B] + x) + solve_comp(in, l, e);
    return true;
}

/* The state before layer 0: nothing loaded, no shared tensor held. */
static void lab_root(const lab_ctx *c, double *s)
{
    memset(s, 0, (size_t)c->stride * sizeof *s);
    for (int k = c->fo; k < c->stride; k++)
        s[k] = 1;
}

/* The latency and busy path of a complete label (l = L - 1 on e). */
static double lab_total(const lab_ctx *c, const double *s, int e, int which)
{
    return s[which] + instance_xfer(c->in, c->L, e, c->in->sink);
}

/* Closes the lanes that cannot finish below `limit` any more. */
static void lanes_close(const lab_ctx *c, double *ns, int l, double limit)
{
    if (!c->nq) return;
    for (int g = 0; g < c->D; g++) {
        double q = ns[S_Q + g];
        if (isinf(q)) continue;
        double rest = l + 1 < c->L ? c->lane[at(c, l + 1, g)] : INFINITY;
        if (!(q + rest < limit)) {
            ns[S_Q + g] = INFINITY;
            int m = c->mslot[g];
            if (m >= 0) ns[S_Q + c->nq + m] = ns[S_Q + c->nq + c->nm + m] = INFINITY;
            for (int t = 0; t < c->in->S; t++)
                ns[c->fo + t * c->D + g] = INFINITY;
        }
    }
}

/* Preload: the weights still to load must stream in somewhere. If a device
 * g takes some of the layers after l, its queue frees at q_g, it loads them
 * one after the other at no more than rate_g bytes/s, and its last one then
 * computes and reaches the sink (at least trail_g). So T >= q_g + bytes_g /
 * rate_g + trail_g for every g used, and the bytes add up to what remains:
 * T is at least the least level at which sum_g rate_g (T - q_g - trail_g)+
 * covers them (water filling; memory, pins and shared tensors left out,
 * which only weakens it). */
static double load_bound(const lab_ctx *c, const double *ns, int l)
{
    double bytes = c->rest[l + 1];
    if (!(bytes > 0)) return 0;
    double a[NN_MAX_DEVICES], r[NN_MAX_DEVICES];
    int n = 0;
    for (int g = 0; g < c->D; g++) {
        double start = ns[S_Q + g] + c->trail[at(c, l + 1, g)];
        if (!isfinite(start) || !(c->rate[g] > 0)) continue;
        if (isinf(c->rate[g])) return start; /* loads in no time: the weakest case */
        int k = n++;
        for (; k > 0 && a[k - 1] > start; k--) {
            a[k] = a[k - 1];
            r[k] = r[k - 1];
        }
        a[k] = start;
        r[k] = c->rate[g];
    }
    double R = 0, S = 0;
    for (int j = 0; j < n; j++) {
        R += r[j];
        S += r[j] * a[j];
        double t = (bytes + S) / R;
        if (j == n - 1 || t <= a[j + 1]) return t;
    }
    return INFINITY; /* no device can load any more */
}

/* Preload: the weight-streaming bound and the chain tail together. Let U be
 * the devices that run the layers after l. The chain then passes through
 * every device of U (T >= F + visit(l, e, U)), and only the devices of U
 * load the remaining bytes (T >= the water-filling level over U alone).
 * So T >= the least over sets M of the larger of the two. Spreading the
 * loads wide lowers the second and raises the first by the transfers that
 * reach the far devices. Stops once below `floor` (a bound known anyway). */
static double set_bound(const lab_ctx *c, const double *ns, int l, int e, double floor)
{
    if (!c->visit || l + 1 >= c->L) return 0;
    double bytes = c->rest[l + 1];
    if (!(bytes > 0)) return 0;
    double a[NN_MAX_DEVICES], r[NN_MAX_DEVICES];
    int dev[NN_MAX_DEVICES], n = 0;
    size_t open = 0;
    for (int g = 0; g < c->D; g++) {
        double start = ns[S_Q + g] + c->trail[at(c, l + 1, g)];
        if (!isfinite(start)) continue;                       /* closed, or runs nothing later */
        if (!(c->rate[g] > 0) || isinf(c->rate[g])) return 0; /* no finite rate: skip */
        int k = n++;
        for (; k > 0 && a[k - 1] > start; k--) {
            a[k] = a[k - 1];
            r[k] = r[k - 1];
            dev[k] = dev[k - 1];
        }
        a[k] = start;
        r[k] = c->rate[g];
        dev[k] = g;
        open |= (size_t)1 << g;
    }
    const double *v = c->visit + (at(c, l, e) << c->D);
    double best = INFINITY;
    for (size_t m = open; m; m = (m - 1) & open) {
        double chain = ns[S_F] + v[m];
        if (!(chain < best)) continue;
        double R = 0, S = 0, level = INFINITY;
        int j = 0;
        while (j < n && !(m >> dev[j] & 1))
            j++;
        while (j < n) {
            R += r[j];
            S += r[j] * a[j];
            int k = j + 1;
            while (k < n && !(m >> dev[k] & 1))
                k++;
            double t = (bytes + S) / R;
            if (k == n || t <= a[k]) {
                level = t;
                break;
            }
            j = k;
        }
        best = fmin(best, fmax(chain, level));
        if (best <= floor) return best;
    }
    return best;
}

/* Preload: the next layer on some g starts once its input arrives and g's
 * queue has loaded it. */
static double next_bound(const lab_ctx *c, const double *ns, int l, int e)
{
    const nn_instance *in = c->in;
    if (c->mode != MODE_PRELOAD || l + 1 >= c->L) return 0;
    double next = INFINITY;
    for (int g = 0; g < c->D; g++) {
        if (!c->ok[at(c, l + 1, g)] || isinf(ns[S_Q + g])) continue;
        double x = instance_xfer(in, l + 1, e, g);
        if (!isfinite(x)) continue;
        double t = fmax(ns[S_F] + x, ns[S_Q + g] + solve_load(in, l + 1, g)) +
                   solve_comp(in, l + 1, g) + c->tail[at(c, l + 1, g)];
        next = fmin(next, t);
    }
    return next;
}

/* Preload: a later layer k runs on some device g whose queue must first
 * load it, after which it computes and the chain still reaches the sink:
 * T >= min over g of q_g + load(k, g) + comp(k, g) + tail(k, g). A layer is
 * not divisible, unlike the bytes of the streaming bound: one large layer
 * (VGG's first fully connected layer) bounds where the streaming bound
 * spreads it over every device. And k starts no sooner than the chain from
 * l can bring its input to g (reach). */
static const double *reach_to(const lab_ctx *c, int k, int l, int e)
{
    if (!c->reach || !c->reach[k]) return NULL;
    return c->reach[k] + ((size_t)l * c->D + (size_t)e) * (size_t)c->D;
}

/* The earliest start of heavy layer k on g: its queue has loaded it (and
 * `extra` more), and the chain from l on e has brought its input. */
static double heavy_start(const lab_ctx *c, const double *ns, int l, int e, int k, int g,
                          double extra)
{
    double start = ns[S_Q + g] + extra + solve_load(c->in, k, g);
    const double *r = reach_to(c, k, l, e);
    if (r) start = fmax(start, ns[S_F] + r[g]);
    return start;
}

static double heavy_bound(const lab_ctx *c, const double *ns, int l, int e)
{
    if (!c->heavy || l + 1 >= c->L) return 0;
    const nn_instance *in = c->in;
    int D = c->D;
    const int *hk = c->heavy + (size_t)l * HEAVY_K;
    double lb = 0;
    for (int i = 0; i < HEAVY_K && hk[i] >= 0; i++) {
        int k = hk[i];
        double best = INFINITY;
        for (int g = 0; g < D; g++)
            if (c->ok[at(c, k, g)])
                best = fmin(best, heavy_start(c, ns, l, e, k, g, 0) + solve_comp(in, k, g) +
                                      c->tail[at(c, k, g)]);
        lb = fmax(lb, best);
    }
    /* Two heavy layers a < b together: b's queue also loads a when they
     * share a device, and b's input comes after a finishes, then the chain
     * from a to b. */
    if (!c->reach || HEAVY_K < 2 || hk[1] < 0) return lb;
    int a = hk[0] < hk[1] ? hk[0] : hk[1], b = hk[0] < hk[1] ? hk[1] : hk[0];
    double best = INFINITY;
    for (int ga = 0; ga < D; ga++) {
        if (!c->ok[at(c, a, ga)]) continue;
        double fa = heavy_start(c, ns, l, e, a, ga, 0) + solve_comp(in, a, ga);
        const double *r = reach_to(c, b, a, ga);
        if (!isfinite(fa) || !r) continue;
        for (int gb = 0; gb < D; gb++) {
            if (!c->ok[at(c, b, gb)]) continue;
            double sb =
                ns[S_Q + gb] + solve_load(in, b, gb) + (ga == gb ? solve_load(in, a, ga) : 0);
            sb = fmax(sb, fa + r[gb]);
            best = fmin(best, sb + solve_comp(in, b, gb) + c->tail[at(c, b, gb)]);
        }
    }
    return fmax(lb, best);
}

/* Lower bound on the latency of any completion of ns (layer l on e); once
 * it is above `stop` (the label is pruned) the costlier bounds are left
 * out. Cheapest first. */
static double lab_bound_until(const lab_ctx *c, const double *ns, int l, int e, double stop)
{
    double lb = ns[S_F] + c->tail[at(c, l, e)];
    if (c->mode != MODE_PRELOAD || l + 1 >= c->L || lb > stop) return lb;
    lb = fmax(lb, next_bound(c, ns, l, e));
    if (lb > stop) return lb;
    lb = fmax(lb, load_bound(c, ns, l));
    if (lb > stop) return lb;
    lb = fmax(lb, heavy_bound(c, ns, l, e));
    if (lb > stop) return lb;
    return fmax(lb, set_bound(c, ns, l, e, lb));
}

static double lab_bound(const lab_ctx *c, const double *ns, int l, int e)
{
    return lab_bound_until(c, ns, l, e, INFINITY);
}

/* a <= b in every coordinate that matters (the busy path only in the
 * tie-break phase). */
static bool dominates(const lab_ctx *c, const double *a, const double *b, bool busy)
{
    if (a[S_F] > b[S_F] || (busy && a[S_B] > b[S_B])) return false;
    for (int k = S_Q; k < c->stride; k++)
        if (a[k] > b[k]) return false;
    return true;
}

/* ---- the layer-by-layer search ------------------------------------------- */

typedef struct lab_back { /* per layer: how each kept label was reached */
    int n;
    int32_t *parent;
    uint8_t *dev;
} lab_back;

typedef struct cand_key {
    double f, sum;
    int32_t idx;
} cand_key;

static int key_cmp(const void *pa, const void *pb)
{
    const cand_key *a = pa, *b = pb;
    if (a->f != b->f) return a->f < b->f ? -1 : 1;
    if (a->sum != b->sum) return a->sum < b->sum ? -1 : 1;
    return a->idx - b->idx;
}

typedef enum lab_phase {
    PHASE_BEAM,    /* a few labels per device: an incumbent */
    PHASE_LATENCY, /* exact: least latency */
    PHASE_BUSY,    /* exact: least busy path with T <= tlim */
    PHASE_FIT      /* any placement with T <= tlim, busy path <= blim and prefix `fixed` */
} lab_phase;

typedef struct lab_search {
    lab_ctx *c;
    lab_phase phase;
    double ub;        /* latency phases: best latency; busy phase: best busy path */
    double tlim;      /* busy and fit phases: latency limit */
    double blim;      /* fit phase: busy path limit */
    const int *fixed; /* fit phase: the devices of layers 0 .. nfixed - 1 */
    int nfixed;
    int width;  /* beam: labels kept per (layer, device) */
    int total;  /* beam: labels kept per layer, 0: no cap */
    int *best;  /* [L] placement of ub, when found */
    bool found; /* a complete placement is known */
    bool truncated;
    double dropped_lb; /* least bound of the labels dropped by a cap */
    double open_lb;    /* when stopped: least bound of the labels left */
    lab_back *back;    /* [L] */
    size_t kept;
} lab_search;

/* Labels of one layer (kept) or the candidates for the next. */
typedef struct lab_set {
    size_t n, cap;
    int st;
    double *state; /* [n * st] */
    double *lb;
    int32_t *par;
    uint8_t *dev;
    uint32_t *used; /* identical devices used so far */
    cand_key *key;
    int32_t *pick;
} lab_set;

static void set_free(lab_set *t)
{
    free(t->state);
    free(t->lb);
    free(t->par);
    free(t->dev);
    free(t->used);
    free(t->key);
    free(t->pick);
    memset(t, 0, sizeof *t);
}

#define GROW(ptr, cap)                                                                             \
    do {                                                                                           \
        void *g_ = realloc((ptr), (cap) * sizeof *(ptr));                                          \
        if (!g_) return false;                                                                     \
        (ptr) = g_;                                                                                \
    } while (0)

static bool set_reserve(lab_set *t, size_t need)
{
    if (need <= t->cap) return true;
    size_t cap = t->cap ? t->cap : 64;
    while (cap < need)
        cap *= 2;
    GROW(t->lb, cap);
    GROW(t->par, cap);
    GROW(t->dev, cap);
    GROW(t->used, cap);
    GROW(t->key, cap);
    GROW(t->pick, cap);
    GROW(t->state, cap * (size_t)t->st);
    t->cap = cap;
    return true;
}

static void back_free(lab_search *s)
{
    if (!s->back) return;
    for (int l = 0; l < s->c->L; l++) {
        free(s->back[l].parent);
        free(s->back[l].dev);
    }
    free(s->back);
    s->back = NULL;
}

static void reconstruct(const lab_search *s, int l, int32_t idx, int *place)
{
    for (int k = l; k >= 0; k--) {
        place[k] = s->back[k].dev[idx];
        idx = s->back[k].parent[idx];
    }
}

/* The race's incumbent, when better than ours (latency phases). */
static void ub_refresh(lab_search *s)
{
    solve_share *sh = s->c->opt->share;
    if (!sh || s->phase >= PHASE_BUSY || !(share_best(sh, NULL) < s->ub)) return;
    double v = share_best(sh, s->best);
    if (v < s->ub) {
        s->ub = v;
        s->found = true;
    }
}

static double prune_limit(const lab_search *s)
{
    if (s->phase >= PHASE_BUSY) return s->tlim;
    return s->ub * (1 - PROVE_REL);
}

/* Keeps, per device, the candidates no earlier one dominates (sorted by
 * finish time, a label can only be beaten by one before it); at most
 * `width` per device when not 0. Comparing with every kept label is
 * quadratic in the worst case but most comparisons end at the first
 * coordinate. Writes pick[]. */
static size_t dominance_filter(const lab_ctx *c, lab_set *t, bool busy, int width)
{
    int st = t->st;
    for (size_t k = 0; k < t->n; k++) {
        const double *v = t->state + k * st;
        double sum = busy ? v[S_B] : 0;
        for (int j = S_Q; j < st; j++)
            sum += v[j];
        t->key[k] = (cand_key){.f = v[S_F], .sum = sum, .idx = (int32_t)k};
    }
    qsort(t->key, t->n, sizeof *t->key, key_cmp);
    size_t npick = 0, work = 0;
    for (int e = 0; e < c->D; e++) {
        size_t first = npick;
        for (size_t k = 0; k < t->n; k++) {
            int32_t j = t->key[k].idx;
            if (t->dev[j] != e) continue;
            if (width && npick - first >= (size_t)width) break;
            /* Each step compares with every label kept: the stop flag and
             * the clock every 2^14 comparisons (a layer's filter can take
             * tens of milliseconds; a race's loser and a time limit stop
             * it). */
            work += npick - first + 1;
            if (work >> 14) {
                work = 0;
                if (lab_stop_now((lab_ctx *)c)) return npick;
            }
            const double *nv = t->state + (size_t)j * st;
            bool beaten = false;
            for (size_t q = first; q < npick && !beaten; q++)
                beaten = dominates(c, t->state + (size_t)t->pick[q] * st, nv, busy);
            if (!beaten) t->pick[npick++] = j;
        }
    }
    return npick;
}

static int lb_cmp(const void *pa, const void *pb)
{
    const cand_key *a = pa, *b = pb;
    if (a->f != b->f) return a->f < b->f ? -1 : 1;
    return a->idx - b->idx;
}

/* Keeps the `keep` picked labels of least bound; the others count as
 * dropped. */
static size_t cap_picks(lab_search *s, lab_set *t, size_t npick, size_t keep)
{
    for (size_t k = 0; k < npick; k++)
        t->key[k] = (cand_key){.f = t->lb[t->pick[k]], .idx = t->pick[k]};
    qsort(t->key, npick, sizeof *t->key, lb_cmp);
    for (size_t k = keep; k < npick; k++)
        s->dropped_lb = fmin(s->dropped_lb, t->key[k].f);
    for (size_t k = 0; k < keep; k++)
        t->pick[k] = t->key[k].idx;
    s->truncated = true;
    return keep;
}

/* Runs one phase. Returns -1 when out of memory, else 0; c->stopped and
 * s->truncated tell whether it completed. */
static int lab_run(lab_search *s)
{
    lab_ctx *c = s->c;
    const nn_instance *in = c->in;
    int L = c->L, D = c->D, st = c->stride;
    bool busy = s->phase >= PHASE_BUSY, fit = s->phase == PHASE_FIT;
    int width = s->phase == PHASE_BEAM ? s->width : 0;
    size_t cap = LAB_MAX_STATES;
    if ((size_t)st * sizeof(double) * cap > LAB_MAX_BYTES) cap = LAB_MAX_BYTES / ((size_t)st * 8);
    int ret = -1;
    lab_set cur = {.st = st}, nxt = {.st = st};
    s->kept = 0;
    s->open_lb = INFINITY;
    s->back = calloc((size_t)L, sizeof *s->back);
    if (!s->back || !set_reserve(&cur, 1)) goto done;
    lab_root(c, cur.state);
    cur.lb[0] = 0;
    cur.used[0] = 0;
    cur.n = 1;
    for (int l = 0; l < L && cur.n > 0; l++) {
        ub_refresh(s);
        double limit = prune_limit(s);
        nxt.n = 0;
        bool full = false;
        for (size_t i = 0; i < cur.n && !full; i++) {
            if (lab_stop(c)) {
                double open = s->dropped_lb; /* what is left: labels not expanded, and made */
                for (size_t k = i; k < cur.n; k++)
                    open = fmin(open, cur.lb[k]);
                for (size_t k = 0; k < nxt.n; k++)
                    open = fmin(open, nxt.lb[k]);
                s->open_lb = open;
                ret = 0;
                goto done;
            }
            if (!busy && !(cur.lb[i] < limit)) continue; /* the incumbent improved */
            if (!set_reserve(&nxt, nxt.n + (size_t)D)) goto done;
            const double *sv = cur.state + i * st;
            int from = l == 0 ? -1 : s->back[l - 1].dev[i];
            for (int e = 0; e < D; e++) {
                if (fit && l < s->nfixed && e != s->fixed[l]) continue;
                int ps = c->prev_same[e];
                if (ps >= 0 && !(cur.used[i] & (1u << ps))) continue;
                double *ns = nxt.state + nxt.n * st;
                if (!lab_step(c, sv, from, l, e, ns)) continue;
                if (l == L - 1) {
                    double t = lab_total(c, ns, e, S_F);
                    double v = busy ? lab_total(c, ns, e, S_B) : t;
                    bool take = fit    ? t <= s->tlim && v <= s->blim
                                : busy ? t <= s->tlim && v < s->ub * (1 - BUSY_REL)
                                       : v < s->ub;
                    if (take) {
                        s->ub = v;
                        s->found = true;
                        s->best[L - 1] = e;
                        if (L > 1) reconstruct(s, L - 2, (int32_t)i, s->best);
                        if (!busy && c->opt->share) share_offer(c->opt->share, in, s->best, v);
                        limit = prune_limit(s);
                        if (fit) { /* one is enough */
                            ret = 0;
                            goto done;
                        }
                    }
                    continue;
                }
                double lb;
                if (busy) { /* the busy bound first: it is the cheaper one */
                    double b = ns[S_B] + c->btail[at(c, l, e)];
                    if (fit ? b > s->blim : !(b < s->ub * (1 - BUSY_REL))) continue;
                    lb = lab_bound_until(c, ns, l, e, s->tlim);
                    if (lb > s->tlim) continue;
                } else {
                    lb = lab_bound_until(c, ns, l, e, nextafter(limit, -INFINITY));
                    if (!(lb < limit)) continue;
                }
                lanes_close(c, ns, l, limit);
                size_t k = nxt.n++;
                nxt.lb[k] = lb;
                nxt.par[k] = (int32_t)i;
                nxt.dev[k] = (uint8_t)e;
                nxt.used[k] = cur.used[i] | (1u << e);
            }
            if (nxt.n + (size_t)D > cap) full = true;
        }
        if (full) { /* out of room: the labels not expanded are dropped */
            s->truncated = true;
            for (size_t k = 0; k < cur.n; k++)
                s->dropped_lb = fmin(s->dropped_lb, cur.lb[k]);
        }
        if (l == L - 1) break;
        size_t npick = dominance_filter(c, &nxt, busy, width);
        if (c->stopped) {
            s->open_lb = s->dropped_lb;
            for (size_t k = 0; k < nxt.n; k++)
                s->open_lb = fmin(s->open_lb, nxt.lb[k]);
            ret = 0;
            goto done;
        }
        if (!width && npick > cap / 2) npick = cap_picks(s, &nxt, npick, cap / 2);
        if (width && s->total && npick > (size_t)s->total)
            npick = cap_picks(s, &nxt, npick, (size_t)s->total);
        if (s->kept + npick > LAB_MAX_KEPT) npick = cap_picks(s, &nxt, npick, 0);
        lab_back *bk = &s->back[l];
        bk->n = (int)npick;
        bk->parent = malloc((npick ? npick : 1) * sizeof *bk->parent);
        bk->dev = malloc(npick ? npick : 1);
        cur.n = 0;
        if (!bk->parent || !bk->dev || !set_reserve(&cur, npick)) goto done;
        for (size_t k = 0; k < npick; k++) {
            int32_t j = nxt.pick[k];
            bk->parent[k] = nxt.par[j];
            bk->dev[k] = nxt.dev[j];
            memcpy(cur.state + k * st, nxt.state + (size_t)j * st, (size_t)st * sizeof *cur.state);
            cur.lb[k] = nxt.lb[j];
            cur.used[k] = nxt.used[j];
        }
        cur.n = npick;
        s->kept += npick;
    }
    ret = 0;
done:
    set_free(&cur);
    set_free(&nxt);
    back_free(s);
    return ret;
}

/* ---- the canonical representative of a set of ties ----------------------- */

/* The k-th device in the canonical order at a layer whose predecessor is on
 * `prev` (-1 for the first layer): prev first, then the others by index. */
static int canon_device(int prev, int k)
{
    return prev < 0 ? k : k == 0 ? prev : k <= prev ? k - 1 : k;
}

/* Identical devices are used in index order: the canonical placement is
 * always such (swapping two identical devices first used at layer l puts
 * the lower index first in the order, the device before l being neither). */
static bool canon_allowed(const lab_ctx *c, uint32_t used, int e)
{
    int ps = c->prev_same[e];
    return ps < 0 || (used & (1u << ps));
}

/* Depth-first, in the canonical order. The first complete placement within
 * both limits is the least in that order, a function of the limits alone.
 * States whose subtree failed are remembered per (layer, device): a state
 * they dominate fails too. Returns 0 (found, in `place`), 1 (none), 2 (past
 * `budget` nodes or stopped), -1 (out of memory). */
typedef struct canon_memo {
    size_t n, cap;
    double *v;
} canon_memo;

static int canon_search(lab_ctx *c, int *place, double tlim, double blim, long budget)
{
    int L = c->L, D = c->D, st = c->stride;
    size_t LD = (size_t)L * (size_t)D;
    double *stack = malloc(((size_t)L + 1) * (size_t)st * sizeof *stack);
    int *choice = malloc((size_t)L * sizeof *choice);
    int *cand = malloc((size_t)L * sizeof *cand);
    uint32_t *used = malloc(((size_t)L + 1) * sizeof *used);
    canon_memo *memo = calloc(LD, sizeof *memo);
    int ret = -1;
    long nodes = 0;
    size_t memo_total = 0;
    if (!stack || !choice || !cand || !used || !memo) goto done;
    lab_root(c, stack);
    used[0] = 0;
    int l = 0;
    choice[0] = -1;
    while (l >= 0) {
        if (++nodes > budget || lab_stop(c)) {
            ret = 2;
            goto done;
        }
        int prev = l > 0 ? cand[l - 1] : -1;
        int k = ++choice[l];
        if (k >= D) {
            /* Every continuation of stack[l] failed. */
            if (l > 0 && memo_total < CANON_MAX_MEMO) {
                canon_memo *mm = &memo[at(c, l - 1, prev)];
                if (mm->n == mm->cap) {
                    size_t cap = mm->cap ? mm->cap * 2 : 4;
                    double *grown = realloc(mm->v, cap * (size_t)st * sizeof *grown);
                    if (!grown) goto done;
                    mm->v = grown;
                    mm->cap = cap;
                }
                memcpy(mm->v + mm->n * st, stack + (size_t)l * st, (size_t)st * sizeof *stack);
                mm->n++;
                memo_total++;
            }
            l--;
            continue;
        }
        int e = canon_device(prev, k);
        if (!canon_allowed(c, used[l], e)) continue;
        double *ns = stack + ((size_t)l + 1) * st;
        if (!lab_step(c, stack + (size_t)l * st, prev, l, e, ns)) continue;
        if (l == L - 1) {
            if (lab_total(c, ns, e, S_F) <= tlim && lab_total(c, ns, e, S_B) <= blim) {
                cand[l] = e;
                memcpy(place, cand, (size_t)L * sizeof *place);
                ret = 0;
                goto done;
            }
            continue;
        }
        if (lab_bound(c, ns, l, e) > tlim || ns[S_B] + c->btail[at(c, l, e)] > blim) continue;
        lanes_close(c, ns, l, tlim * (1 + 1e-15));
        const canon_memo *mm = &memo[at(c, l, e)];
        bool failed = false;
        for (size_t q = 0; q < mm->n && !failed; q++)
            failed = dominates(c, mm->v + q * st, ns, true);
        if (failed) continue;
        cand[l] = e;
        used[l + 1] = used[l] | (1u << e);
        l++;
        choice[l] = -1;
    }
    ret = 1;
done:
    if (memo)
        for (size_t i = 0; i < LD; i++)
            free(memo[i].v);
    free(memo);
    free(stack);
    free(choice);
    free(cand);
    free(used);
    return ret;
}

/* The same least placement by fixing one layer at a time: the first device
 * in the canonical order after which some completion stays within both
 * limits, each such question answered by the label search (PHASE_FIT,
 * exact: dominance and bounds, no budget). `place` is within the limits on
 * entry, a witness: its device needs no search. Returns 0 (found), 2
 * (stopped or a label cap reached: not proven), -1 (out of memory). */
static int canon_fix(lab_ctx *c, int *place, double tlim, double blim)
{
    int L = c->L, D = c->D;
    int *fixed = malloc((size_t)L * sizeof *fixed);
    int *found = malloc((size_t)L * sizeof *found);
    int ret = -1;
    if (!fixed || !found) goto done;
    ret = 2;
    uint32_t used = 0;
    for (int l = 0; l < L; l++) {
        int prev = l > 0 ? fixed[l - 1] : -1;
        bool done = false;
        for (int k = 0; k < D && !done; k++) {
            int e = canon_device(prev, k);
            if (!canon_allowed(c, used, e) || !c->ok[at(c, l, e)]) continue;
            fixed[l] = e;
            if (place[l] == e) break; /* the witness goes on with it */
            lab_search s = {.c = c,
                            .phase = PHASE_FIT,
                            .best = found,
                            .ub = INFINITY,
                            .tlim = tlim,
                            .blim = blim,
                            .fixed = fixed,
                            .nfixed = l + 1,
                            .dropped_lb = INFINITY};
            if (lab_run(&s) != 0) {
                ret = -1;
                goto done;
            }
            if (s.found) {
                memcpy(place, found, (size_t)L * sizeof *place);
                done = true;
            } else if (c->stopped || s.truncated) {
                goto done;
            }
        }
        if (place[l] != fixed[l]) goto done; /* no device fits: cannot happen */
        used |= 1u << fixed[l];
    }
    ret = 0;
done:
    free(fixed);
    free(found);
    return ret;
}

/* MODEL.md's tie-break, from `place` (latency-optimal): the least busy path
 * among placements with T <= T (1 + TIE_REL) (the label search, from
 * `place`'s busy path), then the least placement in the canonical order
 * among those within BUSY_REL of it: the depth-first search, or, past its
 * budget, layer-by-layer fixing. Stopped, `place` is settled among its
 * ties instead (local_settle) and the flags say what is not proven. */
static int canon_run(lab_ctx *c, int *place, long dfs_nodes, bool busy_proven)
{
    const nn_instance *in = c->in;
    double tlim = eval_latency(in, place, c->mode) * (1 + TIE_REL);
    ctx_restrict(c, tlim); /* the pairs no tie can use go (bounds) */
    int flags = busy_proven || c->mode == MODE_RESIDENT ? CANON_BUSY_MINIMAL : 0;
    if (c->mode != MODE_RESIDENT) {
        /* Proven by the caller (the ILP's phase 2, to GLPK's tolerances):
         * the label search only checks it, exactly, where that is quick.
         * Otherwise, where local search is cheap, a search that does not
         * end quickly starts again from a busy path local search shortened
         * (the pruning bound then bites at once; AlexNet on 8 devices with
         * fast links: 120-190 ms, 2-9 ms so). */
        bool polish = !busy_proven && (double)c->L * c->L * c->L * c->D <= CANON_POLISH_WORK;
        double deadline = c->deadline;
        for (int pass = 0; pass < 2; pass++) {
            lab_search b = {.c = c,
                            .phase = PHASE_BUSY,
                            .best = place,
                            .tlim = tlim,
                            .ub = solve_busy_path(in, place),
                            .dropped_lb = INFINITY};
            bool budget = pass == 0 && (busy_proven || polish);
            if (budget) c->deadline = fmin(deadline, now_s() + CANON_CHECK_S);
            if (lab_run(&b) != 0) return -1;
            c->deadline = deadline;
            if (!c->stopped && !b.truncated) flags |= CANON_BUSY_MINIMAL;
            if (!budget || !c->stopped || (isfinite(deadline) && now_s() > deadline) ||
                (c->opt->cancel && atomic_load(c->opt->cancel)))
                break;
            c->stopped = false; /* only the budget ran out */
            if (busy_proven) break;
            local_tiebreak(in, c->mode, place, tlim);
        }
    }
    double blim = solve_busy_path(in, place) * (1 + BUSY_REL);
    if (!c->stopped) {
        long budget = dfs_nodes >= 0 ? dfs_nodes : CANON_DFS_NODES + 16L * c->L * c->D;
        int rc = budget > 0 ? canon_search(c, place, tlim, blim, budget) : 2;
        if (rc == 2 && !c->stopped) rc = canon_fix(c, place, tlim, blim);
        if (rc == -1) return -1;
        if (rc == 0) return flags | CANON_EXACT;
    }
    local_settle(in, c->mode, place, tlim, blim);
    return flags;
}

int solve_canonical_nodes(const nn_instance *in, nn_mode mode, int *place, atomic_int *cancel,
                          double deadline, bool busy_proven, long dfs_nodes)
{
    nn_solve_options opt = {.mode = mode, .cancel = cancel};
    lab_ctx c = {0};
    bool possible = false;
    int ret = -1;
    if (in->L > 0 && in->D <= NN_MAX_DEVICES && ctx_init(&c, in, mode, &opt, &possible) == 0) {
        c.deadline = deadline;
        ret = possible ? canon_run(&c, place, dfs_nodes, busy_proven) : 0;
    }
    ctx_free(&c);
    return ret;
}

int solve_canonical(const nn_instance *in, nn_mode mode, int *place, atomic_int *cancel,
                    double deadline, bool busy_proven)
{
    return solve_canonical_nodes(in, mode, place, cancel, deadline, busy_proven, -1);
}

bool labels_prefix_bounds(const nn_instance *in, nn_mode mode, const int *prefix, int l,
                          double close_limit, double *bounds)
{
    nn_solve_options opt = {.mode = mode};
    lab_ctx c = {0};
    bool possible = false, reached = false;
    double *s = NULL;
    if (l < 0 || l >= in->L || ctx_init(&c, in, mode, &opt, &possible) != 0 || !possible) goto done;
    ctx_restrict(&c, close_limit);
    s = malloc(2 * (size_t)c.stride * sizeof *s);
    if (!s) goto done;
    double *cur = s, *ns = s + c.stride;
    lab_root(&c, cur);
    for (int k = 0; k <= l; k++) {
        if (!lab_step(&c, cur, k ? prefix[k - 1] : -1, k, prefix[k], ns)) goto done;
        if (k < l) lanes_close(&c, ns, k, close_limit);
        double *t = cur;
        cur = ns;
        ns = t;
    }
    int e = prefix[l];
    bounds[0] = cur[S_F] + c.tail[at(&c, l, e)];
    bounds[1] = next_bound(&c, cur, l, e);
    bounds[2] = c.mode == MODE_PRELOAD && l + 1 < in->L ? load_bound(&c, cur, l) : 0;
    bounds[3] = set_bound(&c, cur, l, e, -INFINITY);
    bounds[4] = heavy_bound(&c, cur, l, e);
    reached = true;
done:
    free(s);
    ctx_free(&c);
    return reached;
}

/* ---- the engine ---------------------------------------------------------- */

static void format_time(double s, char *buf, size_t size)
{
    units_format(s, UNIT_TIME, buf, size);
}

static int result_fill(nn_solve_result *out, const nn_instance *in, nn_mode mode, const int *place,
                       double bound)
{
    free(out->place);
    out->place = malloc((size_t)in->L * sizeof *out->place);
    if (!out->place) return -1;
    memcpy(out->place, place, (size_t)in->L * sizeof *place);
    out->latency = out->objective = out->value = eval_latency(in, place, mode);
    out->energy = eval_energy(in, place, mode, &out->energy_battery, NULL);
    out->period = out->stream_latency = INFINITY;
    out->busy_path = solve_busy_path(in, place);
    out->bound = fmin(bound, out->latency);
    out->gap = out->latency > 0 ? (out->latency - out->bound) / out->latency : 0;
    if (out->gap < 0) out->gap = 0;
    return 0;
}

/* The better of the contiguous DP and the caller's warm start, polished by
 * local search where that is cheap. */
static double first_incumbent(const lab_ctx *c, int *place)
{
    const nn_instance *in = c->in;
    nn_stop stop = {.deadline = c->deadline,
                    .cancel = c->opt->cancel,
                    .share = c->opt->share,
                    .engine = ENGINE_LABELS};
    double best = solve_dp_contiguous_until(in, c->mode, place, &stop, NULL);
    if (c->opt->warm_start) {
        double warm = eval_latency(in, c->opt->warm_start, c->mode);
        if (warm < best) {
            best = warm;
            memcpy(place, c->opt->warm_start, (size_t)in->L * sizeof *place);
        }
    }
    if (isfinite(best) && (double)in->L * in->L * in->D < 2e6)
        best = local_improve(in, c->mode, place);
    return best;
}

int solve_labels(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out)
{
    /* Latency only, for now: the other objectives, limits and contiguous
     * stages are the ILP's (MODEL.md). */
    if (opt->objective != OBJ_LATENCY || opt->latency_limit > 0 || opt->energy_limit > 0 ||
        in->stages == STAGES_CONTIGUOUS)
        return solve_ilp(in, opt, out);
    memset(out, 0, sizeof *out);
    out->latency = out->objective = out->busy_path = INFINITY;
    double t0 = now_s();
    if (in->L <= 0 || in->D <= 0 || in->D > NN_MAX_DEVICES) {
        out->status = SOLVE_ERROR;
        snprintf(out->message, sizeof out->message, "solver failure: %s",
                 in->L <= 0 ? "the network has no layers" : "the number of devices is invalid");
        return 0;
    }
    nn_mode mode = opt->mode;
    lab_ctx c;
    bool possible = false;
    int *best = malloc((size_t)in->L * sizeof *best);
    int ret = -1;
    if (!best || ctx_init(&c, in, mode, opt, &possible) != 0) goto done;
    ret = 0;
    if (!possible) {
        solve_message_infeasible(out, in, false);
        goto done;
    }
    /* More weights than all memories together: no search needed. */
    double weights = 0, memory = 0;
    for (int l = 0; l < in->L; l++)
        weights += in->weights[l];
    for (int t = 0; t < in->S; t++)
        weights += in->shared_bytes[t];
    for (int d = 0; d < in->D; d++)
        memory += in->memory[d];
    if (weights > memory) {
        solve_message_infeasible(out, in, true);
        goto done;
    }
    lab_search s = {.c = &c, .phase = PHASE_BEAM, .best = best, .dropped_lb = INFINITY};
    s.ub = first_incumbent(&c, best);
    s.found = isfinite(s.ub);
    if (s.found && opt->share) share_offer(opt->share, in, best, s.ub);
    /* A greedy pass (one label per layer, the least bound), then beams of
     * growing width: a good incumbent early prunes most of the exact search. */
    s.width = 1;
    s.total = 1;
    if (lab_run(&s) != 0) goto fail;
    s.total = 0;
    for (int w = BEAM_WIDTH; w <= BEAM_WIDTH_MAX && !c.stopped; w *= 4) {
        s.width = w;
        if (lab_run(&s) != 0) goto fail;
    }
    s.phase = PHASE_LATENCY;
    ctx_restrict(&c, prune_limit(&s));
    s.truncated = false;
    s.dropped_lb = INFINITY;
    if (lab_run(&s) != 0) goto fail;
    ub_refresh(&s);
    double lower = feasible_lower_bound(in, mode);
    if (c.stopped || s.truncated) {
        const char *why = c.stopped ? ((opt->cancel && atomic_load(opt->cancel)) ||
                                               share_stopped(opt->share, ENGINE_LABELS)
                                           ? "cancelled"
                                           : "time limit reached")
                                    : "label memory cap reached";
        if (!s.found) {
            out->status = SOLVE_NO_RESULT;
            snprintf(out->message, sizeof out->message, "no placement found (%s)", why);
            goto done;
        }
        double open = c.stopped ? s.open_lb : INFINITY;
        if (s.truncated) open = fmin(open, s.dropped_lb);
        if (result_fill(out, in, mode, best, fmax(lower, fmin(open, s.ub))) != 0) goto fail;
        out->status = SOLVE_FEASIBLE;
        char lat[32];
        format_time(out->latency, lat, sizeof lat);
        snprintf(out->message, sizeof out->message, "feasible: %s, within %.3g%% of optimal (%s)",
                 lat, 100.0 * out->gap, why);
        goto done;
    }
    if (!s.found) {
        solve_message_infeasible(out, in, true);
        goto done;
    }
    /* Phase 2: MODEL.md's tie-break, in a race only when this engine
     * proved first. */
    double lat = eval_latency(in, best, mode);
    int canon = 0;
    double t2 = now_s();
    if (share_claim(opt->share, ENGINE_LABELS)) {
        canon = canon_run(&c, best, -1, false);
        if (canon < 0) goto fail;
    }
    t2 = now_s() - t2;
    if (result_fill(out, in, mode, best, lat) != 0) goto fail;
    out->status = SOLVE_OPTIMAL;
    out->busy_minimal = canon & CANON_BUSY_MINIMAL;
    out->canonical = canon & CANON_EXACT;
    out->tiebreak_s = t2;
    out->bound = out->latency;
    out->gap = 0;
    char lt[32];
    format_time(out->latency, lt, sizeof lt);
    snprintf(out->message, sizeof out->message, "optimal: %s", lt);
    goto done;
fail:
    ret = -1;
done:
    if (best) ctx_free(&c);
    free(best);
    out->solve_time_s = now_s() - t0;
    return ret;
}
