/* MODEL.md's tie-break (solve_canonical): among placements within a
 * latency limit, the least busy path, then the least placement in the
 * canonical order, found by the label search and a depth-first search. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels_internal.h"

#define CANON_CHECK_S 0.001     /* seconds: a busy search's first try, or check */
#define CANON_POLISH_WORK 1.5e5 /* L^3 D at most: local_tiebreak before the busy search */
#define CANON_DFS_NODES 20000L  /* depth-first nodes before layer-by-layer fixing */
#define CANON_MAX_MEMO ((size_t)1 << 20)
#define CANON_BEAM_FIRST 16  /* labels per layer in the first busy beam */
#define CANON_BEAM_LAST 1024 /* ... and at most in the last (4 times more each) */
#define CANON_BEAM_WORK 2e7  /* L D x labels per layer: a beam's size at most */

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
    double slack = lab_free_slack(c, tlim, blim);
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
                canon_memo *mm = &memo[lab_at(c, l - 1, prev)];
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
                if (c->eon && !(lab_energy_eval(c, cand) <= c->ecap)) continue;
                memcpy(place, cand, (size_t)L * sizeof *place);
                ret = 0;
                goto done;
            }
            continue;
        }
        if (ns[S_B] + c->btail[lab_at(c, l, e)] > blim) continue;
        double tmax = tlim, lane = tlim * (1 + 1e-15);
        if (c->eon) { /* the energy limit as a latency budget (its margin: rounding) */
            double room = lab_energy_budget(c, ns, l, e, c->ecap * (1 + 1e-12));
            tmax = fmin(tmax, room);
            lane = fmin(lane, nextafter(room, INFINITY));
        }
        if (lab_busy_exceeds(c, ns, l, e, tmax, blim)) continue;
        lab_lanes_close(c, ns, l, lane);
        const canon_memo *mm = &memo[lab_at(c, l, e)];
        bool failed = false;
        for (size_t q = 0; q < mm->n && !failed; q++)
            failed = lab_busy_dominates(c, mm->v + q * st, ns, slack);
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

/* Whether q is within both limits (and the energy limit), in the label
 * arithmetic the searches use, and of the canonical form (identical
 * devices in index order of first use). */
static bool canon_fits(const lab_ctx *c, const int *q, double tlim, double blim, double *s)
{
    double *cur = s, *ns = s + c->stride;
    uint32_t used = 0;
    lab_root(c, cur);
    for (int k = 0; k < c->L; k++) {
        if (!canon_allowed(c, used, q[k]) || !lab_step(c, cur, k ? q[k - 1] : -1, k, q[k], ns))
            return false;
        used |= 1u << q[k];
        double *t = cur;
        cur = ns;
        ns = t;
    }
    int e = q[c->L - 1];
    return lab_total(c, cur, e, S_F) <= tlim && lab_total(c, cur, e, S_B) <= blim &&
           (!c->eon || lab_energy_eval(c, q) <= c->ecap);
}

/* A witness for layer l on e from the placement at hand, which has the
 * prefix before l: its run at l moved one layer on with e before it (the
 * same devices and transfers where the run after it is on e), or e over
 * layers l..m. Into q; false when none fits. */
static bool canon_witness(const lab_ctx *c, const int *place, int l, int e, double tlim,
                          double blim, int *q, double *s)
{
    int L = c->L, r = l;
    while (r + 1 < L && place[r + 1] == place[l])
        r++;
    if (r + 1 < L) {
        memcpy(q, place, (size_t)L * sizeof *q);
        q[l] = e;
        q[r + 1] = place[l];
        if (canon_fits(c, q, tlim, blim, s)) return true;
    }
    memcpy(q, place, (size_t)L * sizeof *q);
    for (int m = l; m < L; m++) {
        q[m] = e;
        if (canon_fits(c, q, tlim, blim, s)) return true;
    }
    return false;
}

/* The same least placement by fixing one layer at a time: the first device
 * in the canonical order after which some completion stays within both
 * limits, each such question answered by the label search (PHASE_FIT,
 * exact: dominance and bounds, no budget). `place` is within the limits on
 * entry, a witness: its device needs no search, and placements made from
 * it may answer before any search (canon_witness). Returns 0 (found), 2
 * (stopped or a label cap reached: not proven), -1 (out of memory). */
static int canon_fix(lab_ctx *c, int *place, double tlim, double blim)
{
    int L = c->L, D = c->D;
    int *fixed = malloc((size_t)L * sizeof *fixed);
    int *found = malloc((size_t)L * sizeof *found);
    double *buf = malloc(2 * (size_t)c->stride * sizeof *buf);
    int ret = -1;
    if (!fixed || !found || !buf) goto done;
    ret = 2;
    uint32_t used = 0;
    for (int l = 0; l < L; l++) {
        int prev = l > 0 ? fixed[l - 1] : -1;
        bool done = false;
        for (int k = 0; k < D && !done; k++) {
            int e = canon_device(prev, k);
            if (!canon_allowed(c, used, e) || !c->ok[lab_at(c, l, e)]) continue;
            fixed[l] = e;
            if (place[l] == e) break; /* the witness goes on with it */
            if (canon_witness(c, place, l, e, tlim, blim, found, buf)) {
                memcpy(place, found, (size_t)L * sizeof *place);
                break;
            }
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
    free(buf);
    return ret;
}

/* Busy beams: the busy search keeping only the labels of least latency
 * bound in each layer (a few, then 4 times more each time), for a short
 * busy path to start the exact search from. The first phase's placement's
 * can be far from the least (encoder-48 on 5 devices: 0.214 s, the least
 * 0.135 s), and every label below it then lives to the last layer. Keeping
 * the least busy bounds instead does not do: those labels run out of time
 * for their loads. Returns -1 when out of memory. */
static int canon_beams(lab_ctx *c, int *place, double tlim)
{
    for (int w = CANON_BEAM_FIRST;
         w <= CANON_BEAM_LAST && (double)c->L * c->D * w <= CANON_BEAM_WORK && !c->stopped;
         w *= 4) {
        lab_search b = {.c = c,
                        .phase = PHASE_BUSY,
                        .best = place, /* written only by a shorter complete placement */
                        .tlim = tlim,
                        .ub = solve_busy_path(c->in, place),
                        .total = w,
                        .dropped_lb = INFINITY};
        if (lab_run(&b) != 0) return -1;
        if (!b.found) break; /* no shorter one: wider beams rarely find one either */
    }
    return 0;
}

/* A lower bound on the least busy path: the least busy limit b at which
 * some label of the first layer passes the bounds of both limits together
 * (lab_busy_exceeds at tlim and b), to 1e-6 relative, below `ub`. */
static double canon_root_bound(lab_ctx *c, double tlim, double ub)
{
    double *s = malloc(2 * (size_t)c->stride * sizeof *s);
    double lo = 0, hi = ub;
    if (!s) return 0;
    lab_root(c, s);
    while (hi - lo > 1e-6 * hi) {
        double mid = 0.5 * (lo + hi);
        bool any = false;
        for (int e = 0; e < c->D && !any; e++) {
            double *ns = s + c->stride;
            any = lab_step(c, s, -1, 0, e, ns) && ns[S_B] + c->btail[lab_at(c, 0, e)] <= mid &&
                  !lab_busy_exceeds(c, ns, 0, e, tlim, mid);
        }
        if (any)
            hi = mid;
        else
            lo = mid;
    }
    free(s);
    return lo;
}

/* One probe before the exact busy search from `place`'s busy path ub: the
 * same search with its limit halfway down to the first layer's bound. Its
 * cost grows steeply with the limit, and it is exact below it: when it
 * finds a placement, that is the least busy path (1; `place` is it), and
 * otherwise it cost little (0). Encoder-48 on 8 devices with slow links:
 * from ub = 1.32 B*, the probe at 1.07 B* finds B* in a quarter of the
 * search from ub. -1: out of memory. */
static int canon_probe(lab_ctx *c, int *place, double tlim)
{
    double ub = solve_busy_path(c->in, place);
    double g = 0.5 * (canon_root_bound(c, tlim, ub) + ub);
    if (!(g < ub * (1 - BUSY_REL))) return 0;
    lab_search b = {
        .c = c, .phase = PHASE_BUSY, .best = place, .tlim = tlim, .ub = g, .dropped_lb = INFINITY};
    if (lab_run(&b) != 0) return -1;
    return b.found && !b.truncated && !c->stopped;
}

/* MODEL.md's tie-break, from `place` (latency-optimal): the least busy path
 * among placements with T <= T (1 + TIE_REL) (the label search, from
 * `place`'s busy path), then the least placement in the canonical order
 * among those within BUSY_REL of it: the depth-first search, or, past its
 * budget, layer-by-layer fixing. Stopped, `place` is settled among its
 * ties instead (local_settle) and the flags say what is not proven. */
int canonical_pick(lab_ctx *c, int *place, double tlim, double blim, long dfs_nodes)
{
    long budget = dfs_nodes >= 0 ? dfs_nodes : CANON_DFS_NODES + 16L * c->L * c->D;
    int rc = budget > 0 ? canon_search(c, place, tlim, blim, budget) : 2;
    if (rc == 2 && !c->stopped) rc = canon_fix(c, place, tlim, blim);
    return rc;
}

/* How the busy search starts: the first try (canonical_run), or, for the
 * tests, its shortcuts at once: the beams and the probe, or the probe alone
 * (from a far busy path, where it matters). */
typedef enum canon_start { START_TRY, START_BEAMS, START_PROBE } canon_start;

static int canon_run(lab_ctx *c, int *place, long dfs_nodes, bool busy_proven, canon_start start)
{
    const nn_instance *in = c->in;
    /* With limits (c->tcap, c->ecap) the ties are those within them too. */
    double tlim = fmin(c->tcap, eval_latency(in, place, c->mode) * (1 + TIE_REL));
    lab_ctx_restrict(c, tlim); /* the pairs no tie can use go (bounds) */
    int flags = busy_proven || c->mode == MODE_RESIDENT ? CANON_BUSY_MINIMAL : 0;
    if (c->mode != MODE_RESIDENT) {
        /* Proven by the caller (the ILP's phase 2, to GLPK's tolerances):
         * the label search only checks it, exactly, where that is quick.
         * Otherwise a search that does not end quickly starts again from a
         * shorter busy path (the pruning bound then bites at once): local
         * search's where that is cheap (AlexNet on 8 devices with fast
         * links: 120-190 ms, 2-9 ms so), else the busy beams', and
         * then one probe below it (canon_probe). */
        bool polish = !busy_proven && !c->eon && /* local search ignores an energy limit */
                      (double)c->L * c->L * c->L * c->D <= CANON_POLISH_WORK;
        double deadline = c->deadline;
        bool quick = start != START_TRY && !busy_proven;
        int probed = 0;
        if (quick && ((start == START_BEAMS && canon_beams(c, place, tlim) != 0) ||
                      (probed = canon_probe(c, place, tlim)) < 0))
            return -1;
        for (int pass = quick; pass < 2 && !probed && !c->stopped; pass++) {
            lab_search b = {.c = c,
                            .phase = PHASE_BUSY,
                            .best = place,
                            .tlim = tlim,
                            .ub = solve_busy_path(in, place),
                            .dropped_lb = INFINITY};
            bool budget = pass == 0;
            if (budget) c->deadline = fmin(deadline, lab_now() + CANON_CHECK_S);
            if (lab_run(&b) != 0) return -1;
            c->deadline = deadline;
            if (!c->stopped && !b.truncated) flags |= CANON_BUSY_MINIMAL;
            if (!budget || !c->stopped || (isfinite(deadline) && lab_now() > deadline) ||
                (c->opt->cancel && atomic_load(c->opt->cancel)))
                break;
            c->stopped = false; /* only the budget ran out */
            if (busy_proven) break;
            if (polish)
                local_tiebreak(in, c->mode, place, tlim);
            else if (canon_beams(c, place, tlim) != 0)
                return -1;
            if ((probed = canon_probe(c, place, tlim)) < 0) return -1;
        }
        if (probed) flags |= CANON_BUSY_MINIMAL;
    }
    double blim = solve_busy_path(in, place) * (1 + BUSY_REL);
    if (!c->stopped) {
        int rc = canonical_pick(c, place, tlim, blim, dfs_nodes);
        if (rc == -1) return -1;
        if (rc == 0) return flags | CANON_EXACT;
    }
    if (!c->eon) local_settle(in, c->mode, place, tlim, blim); /* it ignores an energy limit */
    return flags;
}

int canonical_run(lab_ctx *c, int *place, long dfs_nodes, bool busy_proven)
{
    return canon_run(c, place, dfs_nodes, busy_proven, START_TRY);
}

static int canonical_alone(const nn_instance *in, nn_mode mode, int *place, atomic_int *cancel,
                           double deadline, bool busy_proven, long dfs_nodes, canon_start start)
{
    nn_solve_options opt = {.mode = mode, .cancel = cancel};
    lab_ctx c = {0};
    bool possible = false;
    int ret = -1;
    if (in->L > 0 && in->D <= NN_MAX_DEVICES && lab_ctx_init(&c, in, mode, &opt, &possible) == 0) {
        c.deadline = deadline;
        ret = possible ? canon_run(&c, place, dfs_nodes, busy_proven, start) : 0;
    }
    lab_ctx_free(&c);
    return ret;
}

int solve_canonical_nodes(const nn_instance *in, nn_mode mode, int *place, atomic_int *cancel,
                          double deadline, bool busy_proven, long dfs_nodes)
{
    return canonical_alone(in, mode, place, cancel, deadline, busy_proven, dfs_nodes, START_TRY);
}

int solve_canonical_beams(const nn_instance *in, nn_mode mode, int *place, long dfs_nodes)
{
    return canonical_alone(in, mode, place, NULL, INFINITY, false, dfs_nodes, START_BEAMS);
}

int solve_canonical_probe(const nn_instance *in, nn_mode mode, int *place, long dfs_nodes)
{
    return canonical_alone(in, mode, place, NULL, INFINITY, false, dfs_nodes, START_PROBE);
}

int solve_canonical(const nn_instance *in, nn_mode mode, int *place, atomic_int *cancel,
                    double deadline, bool busy_proven)
{
    return solve_canonical_nodes(in, mode, place, cancel, deadline, busy_proven, -1);
}

int labels_fit_dominance(const nn_instance *in, nn_mode mode, int l, const int *prefixes, int n,
                         double tlim, double busy, unsigned char *beats)
{
    nn_solve_options opt = {.mode = mode};
    lab_ctx c = {0};
    bool possible = false;
    int ret = -1;
    double *s = NULL;
    unsigned char *ok = NULL;
    memset(beats, 0, (size_t)n * (size_t)n);
    if (l < 0 || l >= in->L || lab_ctx_init(&c, in, mode, &opt, &possible) != 0) goto done;
    int st = c.stride;
    s = malloc(((size_t)n + 1) * (size_t)st * sizeof *s);
    ok = calloc((size_t)n, 1);
    if (!s || !ok) goto done;
    double *tmp = s + (size_t)n * st;
    for (int i = 0; i < n; i++) {
        const int *p = prefixes + (size_t)i * (size_t)(l + 1);
        double *cur = s + (size_t)i * st;
        lab_root(&c, cur);
        ok[i] = true;
        for (int j = 0; j <= l && ok[i]; j++) {
            ok[i] = lab_step(&c, cur, j ? p[j - 1] : -1, j, p[j], tmp);
            memcpy(cur, tmp, (size_t)st * sizeof *cur);
        }
    }
    double slack = lab_free_slack(&c, tlim, busy);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            const double *a = s + (size_t)i * st, *b = s + (size_t)j * st;
            if (i == j || !ok[i] || !ok[j] ||
                prefixes[(size_t)i * (l + 1) + l] != prefixes[(size_t)j * (l + 1) + l])
                continue;
            if (lab_busy_dominates(&c, a, b, slack))
                beats[(size_t)i * n + j] = lab_dominates(&c, a, b, true) ? 1 : 2;
        }
    ret = 0;
done:
    free(s);
    free(ok);
    lab_ctx_free(&c);
    return ret;
}

int labels_fit_pruned(const nn_instance *in, nn_mode mode, const int *prefix, int l, double tlim,
                      double busy)
{
    lab_ctx c = {0};
    int ret = -1;
    double *s = NULL;
    double *cur = lab_prefix_label(&c, in, mode, prefix, l, tlim, &s);
    if (!cur) goto done;
    int e = prefix[l];
    ret = 0;
    if (cur[S_B] + c.btail[lab_at(&c, l, e)] > busy) ret |= LABELS_PRUNED_BUSY;
    if (lab_bound_until(&c, cur, l, e, tlim) > tlim) ret |= LABELS_PRUNED_LATENCY;
    if (lab_bound_exceeds(&c, cur, l, e, tlim)) ret |= LABELS_PRUNED_EXCEEDS;
    if (lab_busy_exceeds(&c, cur, l, e, tlim, busy)) ret |= LABELS_PRUNED_BOTH;
    if (lab_bound_busy(&c, cur, l, e, tlim, busy) > tlim) ret |= LABELS_PRUNED_BOTH_VALUE;
done:
    free(s);
    lab_ctx_free(&c);
    return ret;
}
