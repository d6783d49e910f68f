/* The label engine's state: its context (the tables every bound reads,
 * built once per instance and rebuilt when a limit leaves pairs out) and
 * one step of a label (labels.c explains the search). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "labels_internal.h"

#define VISIT_MAX_WORK 4e7 /* ... and costs L D^2 2^D to build */
#define HEAVY_SET 6        /* heavy layers: HEAVY_K tried per label, out of this many in all */
#define REACH_MAX_WORK 3e7 /* the chain times to the heavy layers: L^2 D^3 at most */
#define RESTRICT_ROUNDS 4  /* rounds of leaving out pairs above a limit */

double lab_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Cancel flag every call, the clock every 64; the race's hook too. */
bool lab_stop(lab_ctx *c)
{
    if (c->stopped) return true;
    if ((c->opt->cancel && atomic_load(c->opt->cancel)) ||
        share_stopped(c->opt->share, ENGINE_LABELS))
        return c->stopped = true;
    if ((++c->ticks & 63) == 0) {
        if (c->opt->share) share_tick(c->opt->share);
        if (isfinite(c->deadline) && lab_now() > c->deadline) return c->stopped = true;
    }
    return false;
}

/* lab_stop with the clock read now: for loops whose steps are not cheap. */
bool lab_stop_now(lab_ctx *c)
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
    if (!c->ok[lab_at(c, k, g)]) return INFINITY;
    return solve_load(c->in, k, g) + solve_comp(c->in, k, g) + c->tail[lab_at(c, k, g)];
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
            h[k] = lab_min(h[k], heavy_time(c, k, g));
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
                            if (c->ok[lab_at(c, l + 1, f)])
                                t = lab_min(t, instance_xfer(in, l + 1, e, f) +
                                                   solve_comp(in, l + 1, f) +
                                                   r[((size_t)(l + 1) * D + f) * D + g]);
                    }
                    r[((size_t)l * D + e) * D + g] = t;
                }
        c->reach[k] = r;
    }
}

/* The least chain time from the finish of l on d to the sink when the
 * layers after l run on exactly the devices of a set M (each at least
 * once, no other; with heavy_sets, M is where the charged layers run and
 * the others run anywhere), the compute of each layer k on e counted less
 * kappa[e] per byte of its own weights where it is one of the charged
 * layers (weights at least `heavy`; visit: kappa 0). */
static double *visit_table(const lab_ctx *c, const double *kappa, double heavy, bool heavy_sets)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    size_t sets = (size_t)1 << D;
    double *t = malloc((size_t)L * (size_t)D * sets * sizeof *t);
    if (!t) return NULL;
    for (int l = L - 1; l >= 0; l--)
        for (int d = 0; d < D; d++) {
            double *v = t + lab_at(c, l, d) * sets;
            for (size_t m = 0; m < sets; m++)
                v[m] = INFINITY;
            if (l == L - 1) {
                v[0] = instance_xfer(in, L, d, in->sink);
                continue;
            }
            bool charged = in->weights[l + 1] >= heavy;
            for (int e = 0; e < D; e++) {
                if (!c->ok[lab_at(c, l + 1, e)]) continue;
                double x = instance_xfer(in, l + 1, d, e) + solve_comp(in, l + 1, e) -
                           (charged ? kappa[e] * in->weights[l + 1] : 0);
                if (!isfinite(x)) continue;
                const double *w = t + lab_at(c, l + 1, e) * sets;
                size_t bit = (size_t)1 << e;
                if (heavy_sets && !charged) { /* only the charged layers make the set */
                    for (size_t m = 0; m < sets; m++)
                        v[m] = lab_min(v[m], x + w[m]);
                    continue;
                }
                /* The sets with e, in runs of `bit` from each odd multiple
                 * of it: the layers after l + 1 run on m, or on m without e. */
                for (size_t run = bit; run < sets; run += 2 * bit)
                    for (size_t m = run; m < run + bit; m++)
                        v[m] = lab_min(v[m], x + lab_min(w[m], w[m - bit]));
            }
        }
    return t;
}

/* From the finish of l, when g's last charged layer k > l is followed by
 * charged layers on exactly the devices R (g not among them): the least of
 * comp(k, g) + hvisit(k, g, R) over k (order_exceeds). */
static void vlast_build(lab_ctx *c, double heavy)
{
    int L = c->L, D = c->D;
    size_t sets = (size_t)1 << D;
    if (!c->hvisit) return;
    c->vlast = malloc((size_t)L * (size_t)D * sets * sizeof *c->vlast);
    if (!c->vlast) return;
    for (int l = L - 1; l >= 0; l--)
        for (int g = 0; g < D; g++) {
            double *v = c->vlast + lab_at(c, l, g) * sets;
            if (l == L - 1) {
                for (size_t m = 0; m < sets; m++)
                    v[m] = INFINITY;
                continue;
            }
            const double *after = c->vlast + lab_at(c, l + 1, g) * sets;
            const double *w = c->hvisit + lab_at(c, l + 1, g) * sets;
            double comp = c->ok[lab_at(c, l + 1, g)] && c->in->weights[l + 1] >= heavy
                              ? solve_comp(c->in, l + 1, g)
                              : INFINITY;
            for (size_t m = 0; m < sets; m++)
                v[m] = lab_min(after[m], comp + w[m]);
        }
}

/* The chain tails again, now per set of devices the rest runs on:
 * spreading the loads over more devices costs the transfers that reach
 * them (preload; see set_bound). Only where 2^D is small. */
static void visit_build(lab_ctx *c)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    size_t sets = (size_t)1 << (D < 31 ? D : 31);
    if (D > VISIT_MAX_DEVICES || (double)L * D * D * (double)sets > VISIT_MAX_WORK) return;
    double zero[NN_MAX_DEVICES] = {0};
    c->visit = visit_table(c, zero, INFINITY, false);
    if (!c->visit) return; /* the bound is only weaker without it */
    /* Compute charged per byte (charge_exceeds): the charged layers are
     * those with at least half the most own weights of any layer after the
     * first; each device's seconds per byte is the least of theirs, so that
     * no layer's compute counts below zero; and the devices by it, cheapest
     * first. */
    double most = 0;
    for (int l = 1; l < L; l++)
        most = lab_max(most, in->weights[l]);
    if (!(most > 0)) return;
    double heavy = most / 2, sum = 0, lo = INFINITY, hi = 0;
    for (int l = L - 1; l >= 0; l--) {
        if (l > 0 && in->weights[l] >= heavy) {
            sum += in->weights[l];
            lo = lab_min(lo, in->weights[l]);
            hi = lab_max(hi, in->weights[l]);
        }
        c->hrest[l] = sum;
        c->hlo[l] = isfinite(lo) ? lo : 0;
        c->hhi[l] = hi;
    }
    for (int d = 0; d < D; d++) {
        double own = 0, hown = 0;
        for (int l = L - 1; l >= 0; l--) {
            if (c->ok[lab_at(c, l, d)]) own += in->weights[l];
            if (c->ok[lab_at(c, l, d)] && l > 0 && in->weights[l] >= heavy) hown += in->weights[l];
            c->okrest[lab_at(c, l, d)] = own;
            c->hokrest[lab_at(c, l, d)] = hown;
        }
    }
    for (int d = 0; d < D; d++) {
        double k_d = INFINITY;
        for (int l = 1; l < L; l++)
            if (in->weights[l] >= heavy && c->ok[lab_at(c, l, d)])
                k_d = lab_min(k_d, solve_comp(in, l, d) / in->weights[l]);
        c->kappa[d] = isfinite(k_d) ? k_d : 0;
        int k = d;
        for (; k > 0 && c->kappa[c->korder[k - 1]] > c->kappa[d]; k--)
            c->korder[k] = c->korder[k - 1];
        c->korder[k] = d;
    }
    c->cvisit = visit_table(c, c->kappa, heavy, false);
    c->hvisit = visit_table(c, zero, heavy, true);
    vlast_build(c, heavy);
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
                    if (!c->ok[lab_at(c, l + 1, e)]) continue;
                    double x = instance_xfer(in, l + 1, d, e);
                    t = lab_min(t, x + chain_time(c, l + 1, e) + c->tail[lab_at(c, l + 1, e)]);
                    b = lab_min(b, x + solve_comp(in, l + 1, e) + c->btail[lab_at(c, l + 1, e)]);
                }
            }
            c->tail[lab_at(c, l, d)] = t;
            c->btail[lab_at(c, l, d)] = b;
        }
    }
    if (c->mode != MODE_PRELOAD) return;
    for (int d = 0; d < D; d++) {
        double best = INFINITY, after = INFINITY;
        for (int l = L - 1; l >= 0; l--) {
            if (c->ok[lab_at(c, l, d)]) {
                double t = solve_comp(in, l, d) + c->tail[lab_at(c, l, d)];
                best = lab_min(best, solve_load(in, l, d) + t);
                after = lab_min(after, t);
            }
            c->lane[lab_at(c, l, d)] = best;
            c->trail[lab_at(c, l, d)] = after;
        }
        c->rate[d] = 0;
        for (int l = 0; l < L; l++)
            if (in->weights[l] > 0)
                c->rate[d] = lab_max(c->rate[d], solve_load(in, l, d) > 0
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
            c->ok[lab_at(c, l, d)] != c->ok[lab_at(c, l, e)])
            return false;
    }
    if (c->eon && (in->power[d] != in->power[e] || in->idle_power[d] != in->idle_power[e] ||
                   in->load_power[d] != in->load_power[e] || in->battery[d] != in->battery[e]))
        return false;
    const double *xe = c->ebat ? in->xenergy_bat : in->xenergy;
    size_t DD = (size_t)D * (size_t)D;
    for (int b = 0; b <= L; b++) {
        if (instance_xfer(in, b, d, e) != instance_xfer(in, b, e, d)) return false;
        const double *x = xe + (size_t)b * DD;
        if (c->eon && x[(size_t)d * D + e] != x[(size_t)e * D + d]) return false;
        for (int g = 0; c->eon && g < D; g++)
            if (g != d && g != e &&
                (x[(size_t)d * D + g] != x[(size_t)e * D + g] ||
                 x[(size_t)g * D + d] != x[(size_t)g * D + e]))
                return false;
        for (int g = 0; g < D; g++) {
            if (g == d || g == e) continue;
            if (instance_xfer(in, b, d, g) != instance_xfer(in, b, e, g) ||
                instance_xfer(in, b, g, d) != instance_xfer(in, b, g, e))
                return false;
        }
    }
    return true;
}

int lab_ctx_init(lab_ctx *c, const nn_instance *in, nn_mode mode, const nn_solve_options *opt,
                 bool *possible)
{
    int L = in->L, D = in->D;
    size_t LD = (size_t)L * (size_t)D;
    *c = (lab_ctx){.in = in, .mode = mode, .L = L, .D = D, .opt = opt, .t0 = lab_now()};
    c->deadline = opt->time_limit_s > 0 ? c->t0 + opt->time_limit_s : INFINITY;
    c->ok = calloc(LD, 1);
    c->tail = malloc(LD * sizeof *c->tail);
    c->btail = malloc(LD * sizeof *c->btail);
    c->lane = malloc(LD * sizeof *c->lane);
    c->last_use = malloc(((size_t)in->S + 1) * sizeof *c->last_use);
    c->trail = malloc(LD * sizeof *c->trail);
    c->rest = malloc((size_t)L * sizeof *c->rest);
    c->hrest = calloc((size_t)L, sizeof *c->hrest);
    c->hlo = calloc((size_t)L, sizeof *c->hlo);
    c->hhi = calloc((size_t)L, sizeof *c->hhi);
    c->okrest = calloc(LD, sizeof *c->okrest);
    c->hokrest = calloc(LD, sizeof *c->hokrest);
    if (!c->ok || !c->tail || !c->btail || !c->lane || !c->last_use || !c->trail || !c->rest ||
        !c->hrest || !c->hlo || !c->hhi || !c->okrest || !c->hokrest)
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
            if (!c->ok[lab_at(c, l, d)]) continue;
            weights += in->weights[l] + in->shared_need[l]; /* shared ones perhaps twice */
            peak = lab_max(peak, in->act[l]);
        }
        c->mslot[d] = weights + peak <= in->memory[d] ? -1 : c->nm++;
    }
    c->fo = S_Q + c->nq + 2 * c->nm;
    c->stride = c->fo + in->S * D;
    lab_energy_setup(c);
    if (c->eon && (!c->etail || !c->ctail || !c->edev)) return -1;
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
    free(c->cvisit);
    free(c->vlast);
    free(c->hvisit);
    if (c->reach)
        for (int k = 0; k < c->L; k++)
            free(c->reach[k]);
    free(c->reach);
    free(c->heavy);
    c->visit = c->cvisit = c->vlast = c->hvisit = NULL;
    c->reach = NULL;
    c->heavy = NULL;
}

/* Leaves out of ok every (layer, device) pair that no placement below
 * `limit` can use: the least latency through it, max(the earliest its input
 * can arrive, in preload its own load) + its chain time + the tail, is
 * above the limit. Fewer pairs make every table tighter, which may leave
 * out more pairs: a few rounds. The tables are rebuilt, unless the pairs
 * left are those they were built for: every table is a function of ok (the
 * instance and mode fixed), so they would come out the same (the tie-break
 * restricts again at T* (1 + TIE_REL), where the search often left the
 * same pairs). Every bound stays valid for the placements
 * below the limit, which are all the search and the tie-break look for. */
void lab_ctx_restrict(lab_ctx *c, double limit)
{
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    size_t LD = (size_t)L * (size_t)D;
    unsigned char *was = malloc(LD); /* the pairs of the tables now */
    if (was) memcpy(was, c->ok, LD);
    memcpy(c->ok, c->ok0, LD);
    tails_build(c, false);
    double *head = isfinite(limit) ? malloc(LD * sizeof *head) : NULL;
    double cut = limit * (1 + 1e-12);
    for (int round = 0; head && round < RESTRICT_ROUNDS; round++) {
        /* The earliest arrival of each layer's input on each device. */
        for (int l = 0; l < L; l++)
            for (int g = 0; g < D; g++) {
                double t = INFINITY;
                if (l == 0) {
                    t = instance_xfer(in, 0, in->source, g);
                } else {
                    for (int f = 0; f < D; f++)
                        if (c->ok[lab_at(c, l - 1, f)])
                            t = lab_min(t, head[lab_at(c, l - 1, f)] + chain_time(c, l - 1, f) +
                                               instance_xfer(in, l, f, g));
                }
                head[lab_at(c, l, g)] = t;
            }
        bool changed = false;
        for (int l = 0; l < L; l++)
            for (int g = 0; g < D; g++) {
                if (!c->ok[lab_at(c, l, g)]) continue;
                double start = head[lab_at(c, l, g)];
                if (c->mode == MODE_PRELOAD) start = lab_max(start, solve_load(in, l, g));
                if (start + chain_time(c, l, g) + c->tail[lab_at(c, l, g)] > cut) {
                    c->ok[lab_at(c, l, g)] = 0;
                    changed = true;
                }
            }
        if (!changed) break;
        tails_build(c, false);
    }
    free(head);
    bool same = was && memcmp(was, c->ok, LD) == 0;
    free(was);
    if (same) return; /* the plain tails were just rebuilt on these pairs too */
    tables_free(c);
    tails_build(c, true);
    lab_energy_tails(c);
}

void lab_ctx_free(lab_ctx *c)
{
    free(c->ok);
    free(c->tail);
    free(c->btail);
    free(c->lane);
    free(c->last_use);
    free(c->trail);
    free(c->rest);
    free(c->hrest);
    free(c->hlo);
    free(c->hhi);
    free(c->okrest);
    free(c->hokrest);
    free(c->ok0);
    free(c->etail);
    free(c->ctail);
    free(c->edev);
    tables_free(c);
}

/* ---- one step ------------------------------------------------------------ */

/* Places layer l on e after state s (layer l - 1 on `from`, or the source
 * when l == 0) into ns. The arithmetic follows eval_latency step by step,
 * so a complete label's time is the evaluator's to the last bit. */
bool lab_step(const lab_ctx *c, const double *s, int from, int l, int e, double *ns)
{
    const nn_instance *in = c->in;
    if (!c->ok[lab_at(c, l, e)]) return false;
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
        p = lab_max(s[S_Q + c->nq + c->nm + m], in->act[l]);
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
    ns[S_F] = lab_max(arrive, ready) + solve_comp(in, l, e);
    ns[S_B] = (l == 0 ? x : s[S_B] + x) + solve_comp(in, l, e);
    if (c->eon) ns[c->ao] = s[c->ao] + lab_energy_step(c, from, l, e, load);
    return true;
}

/* The state before layer 0: nothing loaded, no shared tensor held. */
void lab_root(const lab_ctx *c, double *s)
{
    memset(s, 0, (size_t)c->stride * sizeof *s);
    for (int k = c->fo; k < c->fo + c->in->S * c->D; k++)
        s[k] = 1;
}

/* The latency and busy path of a complete label (l = L - 1 on e). */
double lab_total(const lab_ctx *c, const double *s, int e, int which)
{
    return s[which] + instance_xfer(c->in, c->L, e, c->in->sink);
}

/* Closes the lanes that cannot finish below `limit` any more. */
void lab_lanes_close(const lab_ctx *c, double *ns, int l, double limit)
{
    if (!c->nq) return;
    for (int g = 0; g < c->D; g++) {
        double q = ns[S_Q + g];
        if (isinf(q)) continue;
        double rest = l + 1 < c->L ? c->lane[lab_at(c, l + 1, g)] : INFINITY;
        if (!(q + rest < limit)) {
            ns[S_Q + g] = INFINITY;
            int m = c->mslot[g];
            if (m >= 0) ns[S_Q + c->nq + m] = ns[S_Q + c->nq + c->nm + m] = INFINITY;
            for (int t = 0; t < c->in->S; t++)
                ns[c->fo + t * c->D + g] = INFINITY;
        }
    }
}

/* a <= b in every coordinate that matters (the busy path only in the
 * tie-break phase; no time at all when untimed: energy alone, no idle
 * power, no latency limit). */
bool lab_dominates(const lab_ctx *c, const double *a, const double *b, bool busy)
{
    if (!c->untimed && (a[S_F] > b[S_F] || (busy && a[S_B] > b[S_B]))) return false;
    for (int k = c->untimed ? S_Q + c->nq : S_Q; k < c->stride; k++)
        if (a[k] > b[k]) return false;
    return true;
}

double *lab_prefix_label(lab_ctx *c, const nn_instance *in, nn_mode mode, const int *prefix, int l,
                         double limit, double **buf)
{
    nn_solve_options opt = {.mode = mode};
    bool possible = false;
    *buf = NULL;
    if (l < 0 || l >= in->L || lab_ctx_init(c, in, mode, &opt, &possible) != 0 || !possible)
        return NULL;
    lab_ctx_restrict(c, limit);
    double *s = malloc(2 * (size_t)c->stride * sizeof *s);
    if (!s) return NULL;
    *buf = s;
    double *cur = s, *ns = s + c->stride;
    lab_root(c, cur);
    for (int k = 0; k <= l; k++) {
        if (!lab_step(c, cur, k ? prefix[k - 1] : -1, k, prefix[k], ns)) return NULL;
        if (k < l) lab_lanes_close(c, ns, k, limit);
        double *t = cur;
        cur = ns;
        ns = t;
    }
    return cur;
}
