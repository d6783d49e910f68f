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
 * are left out (lab_ctx_restrict), which tightens every table. A device whose
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

#include "labels_internal.h"
#include "units.h"

#define BEAM_WIDTH 3         /* labels per (layer, device) in the first beam pass */
#define BEAM_WIDTH_MAX 48    /* ... and in the last */
#define BEAM_ENERGY_MAX 3072 /* under energy, beams by energy bound: w D labels a layer */
#define BEAM_ENERGY_WORK 2e7 /* ... and L D w at most */

/* ---- the layer-by-layer search ------------------------------------------- */

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

/* A double as an unsigned key in the same order (negative zero as zero;
 * no NaN arises here). */
static inline uint64_t key_bits(double x)
{
    x += 0.0; /* -0 + 0 is +0 */
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

#define RADIX_BITS 11
#define RADIX_PASSES 6 /* 6 x 11 >= 64 */

/* Sorts a[n] in key_cmp's order when it arrives in idx order (the sort is
 * stable): least significant digit first, the sum's digits and then the
 * finish time's, a pass skipped where every key has the same digit. A
 * quarter of the busy search's time was qsort's comparisons. tmp[n]. */
static void keys_sort(cand_key *a, size_t n, cand_key *tmp)
{
    if (n < 64) {
        qsort(a, n, sizeof *a, key_cmp);
        return;
    }
    static const size_t R = (size_t)1 << RADIX_BITS;
    size_t count[(size_t)1 << RADIX_BITS];
    cand_key *src = a, *dst = tmp;
    for (int pass = 0; pass < 2 * RADIX_PASSES; pass++) {
        bool by_sum = pass < RADIX_PASSES;
        int shift = (pass % RADIX_PASSES) * RADIX_BITS;
        memset(count, 0, sizeof count);
        for (size_t k = 0; k < n; k++)
            count[key_bits(by_sum ? src[k].sum : src[k].f) >> shift & (R - 1)]++;
        size_t d0 = key_bits(by_sum ? src[0].sum : src[0].f) >> shift & (R - 1);
        if (count[d0] == n) continue; /* one digit: the order stands */
        size_t at = 0;
        for (size_t d = 0; d < R; d++) {
            size_t c = count[d];
            count[d] = at;
            at += c;
        }
        for (size_t k = 0; k < n; k++)
            dst[count[key_bits(by_sum ? src[k].sum : src[k].f) >> shift & (R - 1)]++] = src[k];
        cand_key *x = src;
        src = dst;
        dst = x;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}

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
    uint64_t *sig;  /* dominance signatures (dominance_filter) */
    uint64_t *psig; /* ... of the picked labels, in pick order */
    /* dominance_filter's index of one device's candidates by sum: */
    int32_t *ord;          /* the candidates, in key order */
    cand_key *rkey;        /* sorted by sum */
    cand_key *ktmp;        /* keys_sort's room */
    int32_t *rank;         /* each one's rank by sum */
    int32_t *rhi;          /* one past the last rank of its sum */
    uint64_t *occ;         /* ranks whose label was kept: a bitmap */
    uint64_t *wand;        /* per word of it: the bits all its labels' signatures share */
    double *wmin;          /* ... and their least coordinates [word * st + j], j >= first */
    int first;             /* the first coordinate compared, the finish time aside */
    uint64_t *rsig;        /* by rank: the kept label's signature */
    int32_t *rpos;         /* ... and its position in pick */
    int32_t *prank, *prhi; /* by pick: rank and rhi */
    uint8_t *gone;         /* by pick: beaten (free_filter) */
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
    free(t->sig);
    free(t->psig);
    free(t->ord);
    free(t->rkey);
    free(t->ktmp);
    free(t->rank);
    free(t->rhi);
    free(t->occ);
    free(t->wand);
    free(t->wmin);
    free(t->rsig);
    free(t->rpos);
    free(t->prank);
    free(t->prhi);
    free(t->gone);
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
    GROW(t->sig, cap);
    GROW(t->psig, cap);
    GROW(t->ord, cap);
    GROW(t->rkey, cap);
    GROW(t->ktmp, cap);
    GROW(t->rank, cap);
    GROW(t->rhi, cap);
    GROW(t->rsig, cap);
    GROW(t->rpos, cap);
    GROW(t->prank, cap);
    GROW(t->prhi, cap);
    GROW(t->gone, cap);
    GROW(t->occ, cap / 64 + 1);
    GROW(t->wand, cap / 64 + 1);
    GROW(t->wmin, (cap / 64 + 1) * (size_t)t->st);
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
    if (!sh || s->phase >= PHASE_BUSY || s->second || !(share_best(sh, NULL) < s->ub)) return;
    double v = share_best(sh, s->best);
    if (v < s->ub) {
        s->ub = v;
        s->found = true;
    }
}

static double prune_limit(const lab_search *s)
{
    if (s->phase >= PHASE_BUSY) return s->tlim;
    return s->ub * (1 - (s->second ? BUSY_REL : PROVE_REL));
}

#define SIG_BITS 64     /* bits of a dominance signature */
#define SIG_PER_COORD 8 /* ... at most per coordinate */

/* Dominance signatures over the coordinates from `first` on: bit i of
 * coordinate j is set when the label's coordinate is above the i-th of a few thresholds spread
 * evenly over that coordinate's finite range among the candidates. A label that dominates another
 * is nowhere above it, so its bits are among the other's: one AND rules out most comparisons (never
 * a true one). */
static void signatures(lab_set *t, int first)
{
    int st = t->st, nc = st - first;
    int per = nc > 0 ? SIG_BITS / nc : 0;
    if (per > SIG_PER_COORD) per = SIG_PER_COORD;
    if (per < 1) per = 1;
    double thr[SIG_BITS];
    int coord[SIG_BITS], nb = 0;
    for (int j = first; j < st && nb + per <= SIG_BITS; j++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = 0; k < t->n; k++) {
            double v = t->state[k * st + j];
            if (isfinite(v)) { /* inline: libm's fmin and fmax were a tenth of the time */
                lo = lab_min(lo, v);
                hi = lab_max(hi, v);
            }
        }
        if (!(hi > lo)) continue; /* one value (and infinity): no use */
        for (int i = 0; i < per; i++) {
            thr[nb] = lo + (hi - lo) * (i + 1) / (per + 1);
            coord[nb++] = j;
        }
    }
    for (size_t k = 0; k < t->n; k++) {
        const double *v = t->state + k * st;
        uint64_t sg = 0;
        for (int b = 0; b < nb; b++)
            sg |= (uint64_t)(v[coord[b]] > thr[b]) << b;
        t->sig[k] = sg;
    }
}

/* Whether a label in dominance_filter's index by sum, ranked below `hi`,
 * beats nv (signature bits outside it: `out`), nearest sums first; counts
 * the labels looked at in *scanned. */
static bool rank_beaten(const lab_ctx *c, const lab_set *t, size_t hi, const double *nv,
                        uint64_t out, bool busy, double slack, size_t *scanned)
{
    int st = t->st;
    for (size_t w = (hi + 63) / 64; w-- > 0;) {
        if (t->wand[w] & out) continue; /* every label there has a bit outside */
        const double *lo = t->wmin + w * (size_t)st;
        bool below = true;
        for (int j = t->first; j < st && below; j++)
            below = lo[j] <= nv[j];
        if (!below) continue; /* ... or a coordinate above nv's */
        uint64_t bits = t->occ[w];
        if (w == hi / 64) bits &= ((uint64_t)1 << (hi % 64)) - 1;
        while (bits) {
            int b = 63 - __builtin_clzll(bits);
            bits &= ~((uint64_t)1 << b);
            size_t r = w * 64 + (size_t)b;
            ++*scanned;
            if (t->rsig[r] & out) continue;
            const double *a = t->state + (size_t)t->pick[t->rpos[r]] * st;
            if (busy ? lab_busy_dominates(c, a, nv, slack) : lab_dominates(c, a, nv, false))
                return true;
        }
    }
    return false;
}

/* Puts pick p (of rank r by sum) into the index. */
static void rank_insert(lab_set *t, size_t r, size_t p)
{
    t->occ[r / 64] |= (uint64_t)1 << (r % 64);
    t->wand[r / 64] &= t->psig[p];
    double *lo = t->wmin + r / 64 * (size_t)t->st;
    const double *v = t->state + (size_t)t->pick[p] * t->st;
    for (int j = t->first; j < t->st; j++)
        lo[j] = lab_min(lo[j], v[j]);
    t->rsig[r] = t->psig[p];
    t->rpos[r] = (int32_t)p;
}

static void rank_clear(lab_set *t, size_t m)
{
    size_t words = (m + 63) / 64;
    memset(t->occ, 0, words * sizeof *t->occ);
    memset(t->wand, 0xff, words * sizeof *t->wand);
    for (size_t k = 0; k < words * (size_t)t->st; k++)
        t->wmin[k] = INFINITY;
}

/* The busy and fit phases, after the pass in finish-time order: a label
 * whose finish time does not decide (lab_free_slack) also beats the labels
 * before it. Among the picks [first, n) of one device (m candidates, ranked
 * by sum), drops each that a later such label beats: the last of a chain
 * stays and beats them all (the relation is transitive). From the last
 * pick back, each asks the index of the free labels after it. Returns how
 * many stay, in their order. */
static size_t free_filter(const lab_ctx *c, lab_set *t, size_t first, size_t n, size_t m,
                          double slack)
{
    int st = t->st;
    rank_clear(t, m);
    for (size_t i = n; i-- > first;) {
        const double *b = t->state + (size_t)t->pick[i] * st;
        size_t scanned = 0;
        t->gone[i] = rank_beaten(c, t, (size_t)t->prhi[i], b, ~t->psig[i], true, slack, &scanned);
        if (b[S_F] - b[S_B] <= slack) rank_insert(t, (size_t)t->prank[i], i);
    }
    size_t kept = first;
    for (size_t i = first; i < n; i++) {
        if (t->gone[i]) continue;
        t->pick[kept++] = t->pick[i]; /* psig is not read past the filter */
    }
    return kept - first;
}

/* Keeps, per device, the candidates no earlier one lab_dominates (sorted by
 * finish time, a label can only be beaten by one before it); at most
 * `width` per device when not 0. Comparing with every kept label is
 * quadratic in the worst case, but a label can only be beaten by one whose
 * signature's bits are among its own and whose coordinates add up to no
 * more (rounding is monotone): most comparisons end there. Writes pick[]. */
static size_t dominance_filter(const lab_ctx *c, lab_set *t, bool busy, int width, double slack)
{
    int st = t->st;
    if (t->n == 0) return 0;            /* every label was pruned: nothing was reserved */
    for (size_t k = 0; k < t->n; k++) { /* untimed: the energy, memory and shared flags alone */
        const double *v = t->state + k * st;
        double sum = busy && !c->untimed ? v[S_B] : 0;
        for (int j = c->untimed ? S_Q + c->nq : S_Q; j < st; j++)
            sum += v[j];
        t->key[k] = (cand_key){.f = c->untimed ? v[c->ao] : v[S_F], .sum = sum, .idx = (int32_t)k};
    }
    keys_sort(t->key, t->n, t->ktmp);
    /* The coordinates lab_dominates compares, the finish time aside. */
    t->first = c->untimed ? S_Q + c->nq : busy ? S_B : S_Q;
    signatures(t, t->first);
    size_t npick = 0, work = 0;
    for (int e = 0; e < c->D; e++) {
        size_t first = npick, m = 0;
        for (size_t k = 0; k < t->n; k++) /* this device's candidates, in key order */
            if (t->dev[t->key[k].idx] == e) t->ord[m++] = (int32_t)k;
        if (m == 0) continue;
        /* Their ranks by coordinate sum (ties by key order): a label can
         * only be beaten by one of no greater sum, so each looks only at
         * the kept labels ranked up to the last of its own sum, nearest
         * sums first (a near copy most often beats it), through an
         * occupancy bitmap. The same comparisons as with every kept label,
         * so the same labels stay, in the same order. */
        for (size_t i = 0; i < m; i++)
            t->rkey[i] = (cand_key){.f = t->key[t->ord[i]].sum, .idx = (int32_t)i};
        keys_sort(t->rkey, m, t->ktmp);
        for (size_t r = 0; r < m;) {
            size_t g = r;
            while (g < m && t->rkey[g].f == t->rkey[r].f)
                g++;
            for (size_t h = r; h < g; h++) {
                t->rank[t->rkey[h].idx] = (int32_t)h;
                t->rhi[t->rkey[h].idx] = (int32_t)g;
            }
            r = g;
        }
        rank_clear(t, m);
        for (size_t i = 0; i < m; i++) {
            size_t k = (size_t)t->ord[i];
            int32_t j = t->key[k].idx;
            if (width && npick - first >= (size_t)width) break;
            /* Each step compares with kept labels: the stop flag and the
             * clock every 2^14 of them (a layer's filter can take tens of
             * milliseconds; a race's loser and a time limit stop it). */
            size_t scanned = 1;
            const double *nv = t->state + (size_t)j * st;
            bool beaten =
                rank_beaten(c, t, (size_t)t->rhi[i], nv, ~t->sig[j], busy, slack, &scanned);
            work += scanned;
            if (work >> 14) {
                work = 0;
                if (lab_stop_now((lab_ctx *)c)) return npick;
            }
            if (!beaten) {
                t->psig[npick] = t->sig[j];
                t->prank[npick] = t->rank[i];
                t->prhi[npick] = t->rhi[i];
                t->pick[npick] = j;
                rank_insert(t, (size_t)t->rank[i], npick++);
            }
        }
        if (busy && isfinite(slack)) npick = first + free_filter(c, t, first, npick, m, slack);
    }
    return npick;
}

size_t lab_filter_labels(const lab_ctx *c, const double *states, const uint8_t *dev, size_t n,
                         bool busy, int width, double slack, int32_t *pick)
{
    lab_set t = {.st = c->stride};
    size_t npick = SIZE_MAX;
    if (n == 0) return 0;
    if (!set_reserve(&t, n)) goto done;
    memcpy(t.state, states, n * (size_t)c->stride * sizeof *states);
    memcpy(t.dev, dev, n);
    t.n = n;
    npick = dominance_filter(c, &t, busy, width, slack);
    memcpy(pick, t.pick, npick * sizeof *pick);
done:
    set_free(&t);
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
int lab_run(lab_search *s)
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
    int *whole = malloc((size_t)L * sizeof *whole); /* a complete label's placement */
    if (!s->back || !whole || !set_reserve(&cur, 1)) goto done;
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
            /* A busy label's D candidates each cost a bound (microseconds
             * on the stacks): there the clock at each label, so that the
             * busy search's 1 ms first try ends within one label of it
             * (every 64 labels, it ran on up to 0.36 ms of CPU more). */
            if (busy ? lab_stop_now(c) : lab_stop(c)) {
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
                                       : t <= c->tcap && (s->energy || v < s->ub);
                    whole[L - 1] = e;
                    if (take && c->eon) { /* the evaluator's energy decides */
                        double lim = fmin(c->ecap, s->energy ? s->ub : INFINITY);
                        double el = lab_energy_label(c, ns, e, t);
                        if (!(el <= lim + 1e-9 * (fabs(lim) + fabs(el) + c->idle * t))) {
                            take = false;
                        } else {
                            if (L > 1) reconstruct(s, L - 2, (int32_t)i, whole);
                            double ev = lab_energy_eval(c, whole);
                            take = ev <= c->ecap && (!s->energy || ev < s->ub);
                            if (s->energy) v = ev;
                        }
                    }
                    if (take) {
                        s->ub = v;
                        s->found = true;
                        s->best[L - 1] = e;
                        if (L > 1) reconstruct(s, L - 2, (int32_t)i, s->best);
                        if (!busy && !s->second && c->opt->share)
                            share_offer(c->opt->share, in, s->best, v);
                        limit = prune_limit(s);
                        if (fit) { /* one is enough */
                            ret = 0;
                            goto done;
                        }
                    }
                    continue;
                }
                /* tmax: the largest latency a completion may have (the
                 * incumbent's, the limits', the energy's budget). */
                double tmax = busy        ? s->tlim
                              : s->energy ? c->tcap
                                          : fmin(c->tcap, nextafter(limit, -INFINITY));
                double lane = busy || s->energy ? tmax : limit;
                if (c->eon) {
                    double elim = c->ecap * (1 + 1e-12);
                    if (s->energy) elim = fmin(elim, nextafter(limit, -INFINITY));
                    double budget = lab_energy_budget(c, ns, l, e, elim);
                    if (budget < tmax) {
                        tmax = budget;
                        lane = fmin(lane, nextafter(budget, INFINITY));
                    }
                }
                double lb;
                if (busy) { /* the busy bound first: it is the cheaper one */
                    double b = ns[S_B] + c->btail[lab_at(c, l, e)];
                    if (fit ? b > s->blim : !(b < s->ub * (1 - BUSY_REL))) continue;
                }
                /* Without a latency to stay under, only the cheap bound
                 * (the energy's idle share of it). */
                double stop = isinf(tmax) ? -INFINITY : tmax, blim = fit ? s->blim : s->ub;
                if (busy && !s->total) { /* exact: only whether the label lives */
                    if (lab_busy_exceeds(c, ns, l, e, tmax, blim)) continue;
                    lb = ns[S_B] + c->btail[lab_at(c, l, e)]; /* a cap's order */
                } else {
                    lb = busy ? lab_bound_busy(c, ns, l, e, stop, blim)
                              : lab_bound_until(c, ns, l, e, stop);
                    if (!(lb <= tmax)) continue;
                }
                if (s->energy) lb = lab_energy_bound(c, ns, l, e, lb);
                lab_lanes_close(c, ns, l, lane);
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
        double slack = busy ? lab_free_slack(c, s->tlim, fit ? s->blim : s->ub) : -INFINITY;
        size_t npick = dominance_filter(c, &nxt, busy, width, slack);
        if (c->stopped) {
            s->open_lb = s->dropped_lb;
            for (size_t k = 0; k < nxt.n; k++)
                s->open_lb = fmin(s->open_lb, nxt.lb[k]);
            ret = 0;
            goto done;
        }
        if (!width && npick > cap / 2) npick = cap_picks(s, &nxt, npick, cap / 2);
        if ((width || busy) && s->total && npick > (size_t)s->total)
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
    free(whole);
    return ret;
}

/* ---- the canonical representative of a set of ties ----------------------- */
/* ---- the engine ---------------------------------------------------------- */

/* The evaluator's values of `place`; bound: on the objective's value. */
static int result_fill(nn_solve_result *out, const nn_instance *in, const nn_solve_options *opt,
                       const int *place, double bound)
{
    nn_mode mode = opt->mode;
    free(out->place);
    out->place = malloc((size_t)in->L * sizeof *out->place);
    if (!out->place) return -1;
    memcpy(out->place, place, (size_t)in->L * sizeof *place);
    out->latency = eval_latency(in, place, mode);
    out->objective = out->value = eval_objective_limited(
        in, place, mode, opt->objective, opt->latency_limit, opt->energy_limit, opt->battery_limit);
    out->energy = eval_energy(in, place, mode, &out->energy_battery, NULL);
    out->period = out->stream_latency = INFINITY;
    out->busy_path = solve_busy_path(in, place);
    out->bound = fmin(bound, out->value);
    out->gap = out->value > 0 ? (out->value - out->bound) / out->value : 0;
    if (out->gap < 0) out->gap = 0;
    return 0;
}

static void result_message(nn_solve_result *out, nn_objective obj, bool optimal, const char *why)
{
    char v[32];
    units_format(out->value, objective_unit(obj), v, sizeof v);
    if (optimal)
        snprintf(out->message, sizeof out->message, "optimal: %s", v);
    else
        snprintf(out->message, sizeof out->message, "feasible: %s, within %.3g%% of optimal (%s)",
                 v, 100.0 * out->gap, why);
}

/* No placement: the simplest reason, and the limits when there are any
 * (as the ILP says it). */
static void result_infeasible(nn_solve_result *out, const nn_instance *in,
                              const nn_solve_options *opt, bool after_solver)
{
    solve_message_infeasible(out, in, after_solver);
    if (after_solver && (opt->latency_limit > 0 || opt->energy_limit > 0))
        snprintf(out->message, sizeof out->message,
                 "infeasible: no placement meets memory, pins, routes%s%s",
                 opt->latency_limit > 0 ? ", the latency limit" : "",
                 opt->energy_limit > 0 ? ", the energy limit" : "");
}

/* The objective's value of `place`, limits included (INFINITY outside). */
static double goal_value(const lab_ctx *c, const int *place)
{
    const nn_solve_options *o = c->opt;
    return eval_objective_limited(c->in, place, c->mode, o->objective, o->latency_limit,
                                  o->energy_limit, o->battery_limit);
}

/* The better of the contiguous DP and the caller's warm start, polished by
 * local search where that is cheap; with limits or under energy, also
 * every device alone, the best on the objective within the limits. */
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
    if (!c->eon && !isfinite(c->tcap)) return best;
    int *cand = malloc((size_t)in->L * sizeof *cand);
    best = isfinite(best) ? goal_value(c, place) : INFINITY;
    for (int k = -1; cand && k < in->D; k++) {
        if (k < 0 && !c->opt->warm_start) continue;
        if (k < 0)
            memcpy(cand, c->opt->warm_start, (size_t)in->L * sizeof *cand);
        else
            baselines_all_on(in, k, cand);
        double v = goal_value(c, cand);
        if (v < best) {
            best = v;
            memcpy(place, cand, (size_t)in->L * sizeof *place);
        }
    }
    free(cand);
    return best;
}

static bool is_energy(nn_objective o)
{
    return o == OBJ_ENERGY || o == OBJ_BATTERY_ENERGY;
}

bool labels_handles(const nn_instance *in, const nn_solve_options *opt)
{
    if (opt->objective == OBJ_THROUGHPUT) return true; /* the throughput engine */
    if (in->stages == STAGES_CONTIGUOUS) return false;
    /* One energy per label: the objective's and the limit's must be the same. */
    return !(opt->objective == OBJ_ENERGY && opt->battery_limit && opt->energy_limit > 0);
}

/* The latency a placement below the incumbent `ub` can have at most, for
 * leaving pairs out (the limit's; under energy, the idle energy's share). */
static double restrict_limit(const lab_search *s)
{
    const lab_ctx *c = s->c;
    if (!s->energy) return fmin(c->tcap, prune_limit(s));
    double t = c->tcap;
    double a = lab_energy_floor(c);
    if (c->idle > 0 && isfinite(s->ub) && isfinite(a))
        t = fmin(t, (s->ub * (1 + 1e-12) - a) / c->idle);
    return t;
}

int solve_labels(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out)
{
    /* Contiguous stages are the ILP's but under throughput (MODEL.md). */
    if (opt->objective == OBJ_THROUGHPUT) return solve_throughput(in, opt, out);
    if (!labels_handles(in, opt)) return solve_ilp(in, opt, out);
    memset(out, 0, sizeof *out);
    out->latency = out->objective = out->busy_path = INFINITY;
    out->energy = out->energy_battery = out->period = out->stream_latency = out->value = INFINITY;
    double t0 = lab_now();
    if (in->L <= 0 || in->D <= 0 || in->D > NN_MAX_DEVICES) {
        out->status = SOLVE_ERROR;
        snprintf(out->message, sizeof out->message, "solver failure: %s",
                 in->L <= 0 ? "the network has no layers" : "the number of devices is invalid");
        return 0;
    }
    nn_mode mode = opt->mode;
    bool energy = is_energy(opt->objective);
    lab_ctx c;
    bool possible = false;
    int *best = malloc((size_t)in->L * sizeof *best);
    int ret = -1;
    if (!best || lab_ctx_init(&c, in, mode, opt, &possible) != 0) goto done;
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
        result_infeasible(out, in, opt, true);
        goto done;
    }
    lab_search s = {
        .c = &c, .phase = PHASE_BEAM, .best = best, .energy = energy, .dropped_lb = INFINITY};
    s.ub = first_incumbent(&c, best);
    s.found = isfinite(s.ub);
    if (s.found && opt->share) share_offer(opt->share, in, best, s.ub);
    /* Energy alone (no idle power, no latency limit): time does not matter. */
    c.untimed = energy && !(c.idle > 0) && !isfinite(c.tcap);
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
    /* Under energy, then beams that keep the w D labels of least energy
     * bound in each layer, 4 times wider while each finds a better
     * placement: 48 identical blocks on 8 devices, preload, the beams above
     * end 0.34% above the optimum (the exact search then keeps 7000 labels
     * a layer), the first of these finds it. */
    for (int w = BEAM_WIDTH; energy && !c.stopped && w <= BEAM_ENERGY_MAX &&
                             (double)in->L * in->D * w <= BEAM_ENERGY_WORK;
         w *= 4) {
        double before = s.ub;
        s.width = LAB_MAX_STATES;
        s.total = w * in->D;
        if (lab_run(&s) != 0) goto fail;
        s.total = 0;
        if (!(s.ub < before)) break;
    }
    s.phase = PHASE_LATENCY;
    lab_ctx_restrict(&c, restrict_limit(&s));
    s.truncated = false;
    s.dropped_lb = INFINITY;
    if (lab_run(&s) != 0) goto fail;
    ub_refresh(&s);
    double lower = energy ? 0 : feasible_lower_bound(in, mode);
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
        if (result_fill(out, in, opt, best, fmax(lower, fmin(open, s.ub))) != 0) goto fail;
        out->status = SOLVE_FEASIBLE;
        result_message(out, opt->objective, false, why);
        goto done;
    }
    if (!s.found) {
        result_infeasible(out, in, opt, true);
        goto done;
    }
    /* Phase 2: MODEL.md's tie-break, in a race only when this engine
     * proved first. */
    int canon = 0;
    double t2 = lab_now();
    if (share_claim(opt->share, ENGINE_LABELS)) {
        canon = energy ? canonical_energy_run(&c, best) : canonical_run(&c, best, -1, false);
        if (canon < 0) goto fail;
    }
    t2 = lab_now() - t2;
    if (result_fill(out, in, opt, best, INFINITY) != 0) goto fail;
    out->status = SOLVE_OPTIMAL;
    out->busy_minimal = canon & CANON_BUSY_MINIMAL;
    out->canonical = canon & CANON_EXACT;
    out->tiebreak_s = t2;
    out->bound = out->value;
    out->gap = 0;
    result_message(out, opt->objective, true, "");
    goto done;
fail:
    ret = -1;
done:
    if (best) lab_ctx_free(&c);
    free(best);
    out->solve_time_s = lab_now() - t0;
    return ret;
}
