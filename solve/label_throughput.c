/* The throughput engine (MODEL.md, Throughput of a stream; Engines): an
 * exact depth-first branch and bound over the layers for the least period,
 * then the same search for the least latency of one input alone among the
 * period's ties, then for the first tie in the canonical order.
 *
 * A node holds, for layers 0..l-1 placed, every engine's busy time (each
 * device's compute, each link direction's transmissions), each device's
 * weights, largest input + output and shared tensors held, and the chain's
 * finish time (the resident latency so far). Every sum is accumulated term
 * by term in the evaluator's order, so a leaf's period and latency are the
 * evaluator's to the bit (checked there all the same). A node is dropped
 * when its busiest engine already reaches the bound; when one heavy layer
 * still to place fits no device below it; when the remaining compute
 * cannot fit the time and memory the devices have left, fractionally; or,
 * in phases 2 and 3, when its latency plus the shortest chain tail reaches
 * the latency bound. States met before (the same busy times, memory, held
 * tensors, devices used, at no better latency) are dropped too: whatever
 * the earlier visit left unexplored cannot do better. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "solve_internal.h"
#include "units.h"

#define TP_HEAVY_OMEGA 8 /* heavy layers checked per node: by compute */
#define TP_HEAVY_BYTES 4 /* and by bytes */
#define TP_HEAVY (TP_HEAVY_OMEGA + TP_HEAVY_BYTES)
#define TP_AGG_SLACK 1e-9 /* the fractional capacity test's relative margin */
/* The latency bounds are sums in another order than the evaluator's: in
 * phase 3 a node is dropped only when its bound passes the latency bound by
 * more than TP_K_SAFE; in phase 2 (a latency below the incumbent) once its
 * bound is within TP_K_GAIN of the incumbent, where only exact ties and
 * gains far below the ties' 1e-12 remain (it may pass over a latency less
 * than that below the incumbent). */
#define TP_K_SAFE 1e-12
#define TP_K_GAIN 1e-13
#define TP_COUNT_SLACK 1e-12 /* the count bound's (sums in another order) */
#define TP_GRAIN_EPS 1e-7    /* compute times within this many grains of a lattice point */
#define TP_GRAIN_TRIES 12    /* grains tried per device: its least compute time / 1..12 */
#define TP_MEMO_BYTES ((size_t)64 << 20)
#define TP_CHECK_EVERY 1024
#define TIE_S_REL 1e-10 /* MODEL.md, Ties: periods within this of the least */
#define TIE_K_REL 1e-12 /* latencies within this of the least */

enum { TP_PERIOD = 1, TP_LATENCY = 2, TP_CANON = 3 };

typedef struct tp_undo {
    int engine;
    double old;
} tp_undo;

typedef struct tp_memo {
    size_t kwords;  /* words per key */
    size_t cap, n;  /* slots, entries */
    int64_t *slot;  /* [cap] entry index + 1, 0: empty */
    uint64_t *keys; /* [n * kwords] */
    double *lat;    /* [n] least latency seen at the state */
    size_t max_n;   /* entries the byte budget allows */
    bool full;
} tp_memo;

typedef struct tp_ctx {
    const nn_instance *in;
    int L, D, E, SW; /* layers, devices, engines (D + D * D), shared words per device */
    bool contiguous;
    unsigned char *ok; /* [L * D] pin and fit alone */
    int prev_same[NN_MAX_DEVICES];
    int nlive, *live; /* engines that can be busy: devices, links with a rate */
    /* bounds */
    double *omega;     /* [L] least compute of a layer on any device it may use */
    double *omega_suf; /* [L + 1] their sums from l */
    double *rho;       /* [(L + 1) * D] least c(k, d) / omega(k) over k >= l */
    double *kw, *ko; /* [l * (L + 1) + i] memory knapsack of the layers >= l: prefix bytes, omega */
    int *heavy;      /* [l * TP_HEAVY] the heaviest layers >= l, -1: none */
    /* Counts (where the L^2 D tables are small): prefix sums over the
     * layers >= l of the i smallest c(k, d) (k it may take), the i smallest
     * own weights, the i largest omegas. */
    double *remadd;  /* [l * nlive + i] the most live engine i can still gain from layer l on */
    double *memrest; /* [l] the most memory layers l.. can still add to one device */
    double grain[NN_MAX_DEVICES]; /* every c(l, d) a multiple of it; 0: none found */
    double gdev[NN_MAX_DEVICES];  /* and within this many grains of one */
    double lbS;                   /* a lower bound on the least period (below it, 1e-9 relative) */
    double *minx;     /* [l] least transfer between two devices at a boundary in l..L-1 */
    double *csm;      /* [(l * D + d) * (L + 1) + i], INFINITY past the count */
    double *wsm;      /* [l * (L + 1) + i] */
    double *obig;     /* [l * (L + 1) + i] */
    double *tailfrom; /* [l * D + d] least chain time after l finishes on d, to the sink */
    double *tail;     /* [l * D + d] least chain time from the start of l on d */
    /* state */
    double *busy; /* [E] */
    double wsum[NN_MAX_DEVICES], peak[NN_MAX_DEVICES];
    uint64_t *held; /* [D * SW] */
    uint32_t used;
    int *place;    /* [L] */
    double *fin;   /* [L] finish time of layer l (the chain) */
    double *maxb;  /* [L + 1] the busiest engine after l layers */
    tp_undo *undo; /* [(L + 1) * (D + 2)] */
    int nundo;
    int *cand;     /* [L * D] */
    uint64_t *key; /* [kwords] scratch */
    /* phase */
    int phase;
    double ubS, ubK; /* phase 1: S < ubS; 2: S <= ubS, K < ubK; 3: S <= ubS, K <= ubK */
    int *best;
    double bestS, bestK;
    bool found, stopped;
    long nodes;
    nn_stop stop;
    solve_share *share;
    tp_memo memo;
} tp_ctx;

static inline double comp(const tp_ctx *c, int l, int d)
{
    return solve_comp(c->in, l, d);
}

/* ---- the memo of states met ---------------------------------------------- */

static uint64_t hash_words(const uint64_t *k, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < n; i++) {
        h ^= k[i] + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
        h *= 0xBF58476D1CE4E5B9ull;
    }
    return h ^ (h >> 31);
}

static void memo_clear(tp_memo *m)
{
    if (m->slot) memset(m->slot, 0, m->cap * sizeof *m->slot);
    m->n = 0;
    m->full = false;
}

static void memo_free(tp_memo *m)
{
    free(m->slot);
    free(m->keys);
    free(m->lat);
    memset(m, 0, sizeof *m);
}

static int memo_grow(tp_memo *m)
{
    size_t cap = m->cap ? 2 * m->cap : 4096;
    int64_t *slot = calloc(cap, sizeof *slot);
    uint64_t *keys = realloc(m->keys, cap / 2 * m->kwords * sizeof *keys);
    if (keys) m->keys = keys;
    double *lat = realloc(m->lat, cap / 2 * sizeof *lat);
    if (lat) m->lat = lat;
    if (!slot || !keys || !lat) {
        free(slot);
        return -1;
    }
    for (size_t i = 0; i < m->n; i++) {
        size_t h = hash_words(m->keys + i * m->kwords, m->kwords) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = (int64_t)i + 1;
    }
    free(m->slot);
    m->slot = slot;
    m->cap = cap;
    return 0;
}

/* Whether the state `key` was met at a latency <= lat (then the node is
 * dropped); else records it at lat. Out of room it only looks. */
static bool memo_seen(tp_memo *m, const uint64_t *key, double lat)
{
    if (m->cap == 0 && (m->full || memo_grow(m) != 0)) {
        m->full = true;
        return false;
    }
    uint64_t hv = hash_words(key, m->kwords);
    size_t h = hv & (m->cap - 1);
    for (; m->slot[h]; h = (h + 1) & (m->cap - 1)) {
        size_t i = (size_t)(m->slot[h] - 1);
        if (memcmp(m->keys + i * m->kwords, key, m->kwords * sizeof *key) != 0) continue;
        if (m->lat[i] <= lat) return true;
        m->lat[i] = lat;
        return false;
    }
    if (m->full) return false;
    if (2 * (m->n + 1) > m->cap) {
        if (m->n + 1 > m->max_n || memo_grow(m) != 0) {
            m->full = true;
            return false;
        }
        h = hv & (m->cap - 1);
        while (m->slot[h])
            h = (h + 1) & (m->cap - 1);
    }
    memcpy(m->keys + m->n * m->kwords, key, m->kwords * sizeof *key);
    m->lat[m->n] = lat;
    m->slot[h] = (int64_t)++m->n;
    return false;
}

/* The state after l layers, the last on device d. */
static void state_key(tp_ctx *c, int l, int d)
{
    uint64_t *k = c->key;
    size_t n = 0;
    k[n++] = (uint64_t)l | (uint64_t)(d + 1) << 16 | (uint64_t)c->used << 32;
    const double *rem = c->remadd + (size_t)l * c->nlive;
    /* An engine that cannot reach the bound any more does not matter: in
     * phases 2 and 3 the bound is fixed; in phase 1 it only falls, never
     * below lbS, so an engine that stays below lbS binds no placement the
     * search may still accept. */
    double free_below = c->phase == TP_PERIOD ? c->lbS : c->ubS * (1 - TP_COUNT_SLACK);
    for (int i = 0; i < c->nlive; i++) {
        double b = c->busy[c->live[i]];
        if (c->phase == TP_PERIOD ? b + rem[i] < free_below : b + rem[i] <= free_below) b = 0;
        memcpy(&k[n++], &b, sizeof *k);
    }
    for (int g = 0; g < c->D; g++) {
        /* a device whose memory no completion can fill: its memory state
         * (weights, peak, shared tensors held) decides nothing */
        bool roomy =
            (c->wsum[g] + c->peak[g] + c->memrest[l]) * (1 + TP_AGG_SLACK) < c->in->memory[g];
        double w = roomy ? -1 : c->wsum[g], p = roomy ? -1 : c->peak[g];
        memcpy(&k[n++], &w, sizeof *k);
        memcpy(&k[n++], &p, sizeof *k);
        for (int i = 0; i < c->SW; i++)
            k[n++] = roomy ? 0 : c->held[(size_t)g * c->SW + i];
    }
}

/* ---- tables -------------------------------------------------------------- */

/* d and e can swap in every placement without changing any engine's busy
 * time, memory or latency: the instance is symmetric under d <-> e. */
static bool devices_swap(const nn_instance *in, int d, int e)
{
    int L = in->L, D = in->D;
    if (d == in->source || d == in->sink || e == in->source || e == in->sink) return false;
    if (in->memory[d] != in->memory[e]) return false;
    for (int l = 0; l < L; l++) {
        if (in->pin[l] == d || in->pin[l] == e) return false;
        if (solve_comp(in, l, d) != solve_comp(in, l, e)) return false;
    }
#define SW(x) ((x) == d ? e : (x) == e ? d : (x))
    for (int u = 0; u < D; u++)
        for (int v = 0; v < D; v++)
            if (in->hop_rate[(size_t)u * D + v] != in->hop_rate[(size_t)SW(u) * D + SW(v)])
                return false;
    size_t DD = (size_t)D * (size_t)D;
    for (int b = 0; b <= L; b++)
        for (int u = 0; u < D; u++)
            for (int t = 0; t < D; t++) {
                size_t i = (size_t)b * DD + (size_t)u * D + t;
                size_t j = (size_t)b * DD + (size_t)SW(u) * D + SW(t);
                if (in->xfer[i] != in->xfer[j]) return false;
                int nx = in->next[i], ny = in->next[j];
                if ((nx < 0) != (ny < 0) || (nx >= 0 && SW(nx) != ny)) return false;
            }
#undef SW
    return true;
}

static int ctx_init(tp_ctx *c, const nn_instance *in, const nn_solve_options *opt)
{
    memset(c, 0, sizeof *c);
    int L = in->L, D = in->D;
    c->in = in;
    c->L = L;
    c->D = D;
    c->E = D + D * D;
    c->SW = (in->S + 63) / 64;
    c->contiguous = in->stages == STAGES_CONTIGUOUS;
    c->stop = solve_stop_from(opt, ENGINE_LABELS);
    c->share = opt->share;
    size_t LD = (size_t)L * (size_t)D, L1 = (size_t)L + 1;
    c->ok = malloc(LD);
    c->live = malloc((size_t)c->E * sizeof *c->live);
    c->omega = malloc((size_t)L * sizeof *c->omega);
    c->omega_suf = malloc(L1 * sizeof *c->omega_suf);
    c->rho = malloc(L1 * (size_t)D * sizeof *c->rho);
    c->heavy = malloc(L1 * TP_HEAVY * sizeof *c->heavy);
    c->tail = malloc(LD * sizeof *c->tail);
    c->tailfrom = malloc(LD * sizeof *c->tailfrom);
    c->busy = calloc((size_t)c->E, sizeof *c->busy);
    c->held = calloc((size_t)D * (size_t)(c->SW ? c->SW : 1), sizeof *c->held);
    c->place = malloc((size_t)L * sizeof *c->place);
    c->fin = malloc((size_t)L * sizeof *c->fin);
    c->maxb = malloc(L1 * sizeof *c->maxb);
    c->undo = malloc(L1 * (size_t)(D + 2) * sizeof *c->undo);
    c->cand = malloc(LD * sizeof *c->cand);
    c->best = malloc((size_t)L * sizeof *c->best);
    if (!c->ok || !c->live || !c->omega || !c->omega_suf || !c->rho || !c->heavy || !c->tail ||
        !c->tailfrom || !c->busy || !c->held || !c->place || !c->fin || !c->maxb || !c->undo ||
        !c->cand || !c->best)
        return -1;
    for (int l = 0; l < L; l++)
        for (int d = 0; d < D; d++)
            c->ok[(size_t)l * D + d] = solve_layer_fits(in, l, d);
    for (int d = 0; d < D; d++)
        c->live[c->nlive++] = d;
    for (int u = 0; u < D; u++)
        for (int v = 0; v < D; v++)
            if (u != v && in->hop_rate[(size_t)u * D + v] > 0) c->live[c->nlive++] = D + u * D + v;
    /* What each engine can still gain: it binds no more when that stays
     * below the period bound (phases 2 and 3 leave it out of the memo). */
    c->remadd = malloc(L1 * (size_t)c->nlive * sizeof *c->remadd);
    c->minx = malloc(L1 * sizeof *c->minx);
    c->memrest = malloc(L1 * sizeof *c->memrest);
    if (!c->remadd || !c->minx || !c->memrest) return -1;
    {
        /* every own weight left, every shared tensor, the largest input +
         * output left */
        double ws = 0, act = 0;
        for (int t = 0; t < in->S; t++)
            ws += in->shared_bytes[t];
        for (int l = L; l >= 0; l--) {
            if (l < L) {
                ws += in->weights[l];
                act = fmax(act, in->act[l]);
            }
            c->memrest[l] = ws + act;
        }
    }
    for (int i = 0; i < c->nlive; i++) {
        int g = c->live[i];
        double acc = 0;
        for (int l = L; l >= 0; l--) {
            if (g < D) {
                if (l < L && c->ok[(size_t)l * D + g]) acc += comp(c, l, g);
            } else {
                double rate = in->hop_rate[(size_t)(g - D) / D * D + (size_t)(g - D) % D];
                acc += 8.0 * in->bytes[l] / rate;
            }
            c->remadd[(size_t)l * c->nlive + i] = acc;
        }
    }
    for (int l = L; l >= 0; l--) {
        double m = l < L ? c->minx[l + 1] : INFINITY;
        for (int d = 0; d < D; d++)
            for (int e = 0; e < D; e++)
                if (d != e) m = fmin(m, instance_xfer(in, l, d, e));
        c->minx[l] = m;
    }
    for (int d = 0; d < D; d++) {
        c->prev_same[d] = -1;
        if ((double)(L + 1) * D * D * D * D < 4e7) /* pairs x (L + 1) D^2 */
            for (int g = d - 1; g >= 0 && c->prev_same[d] < 0; g--)
                if (devices_swap(in, g, d)) c->prev_same[d] = g;
    }
    /* Each device's grain: a fraction 1/j of its least positive compute
     * time of which every compute time is a multiple (layers alike but
     * for a factor: integer FLOP counts on a device's rate). */
    for (int d = 0; d < D; d++) {
        double cmin = INFINITY;
        for (int l = 0; l < L; l++)
            if (c->ok[(size_t)l * D + d] && comp(c, l, d) > 0) cmin = fmin(cmin, comp(c, l, d));
        c->grain[d] = c->gdev[d] = 0;
        for (int j = 1; j <= TP_GRAIN_TRIES && isfinite(cmin) && c->grain[d] == 0; j++) {
            double g = cmin / j, dev = 0;
            bool fits = true;
            for (int l = 0; l < L && fits; l++) {
                if (!c->ok[(size_t)l * D + d]) continue;
                double r = comp(c, l, d) / g;
                /* the division's own rounding on top */
                dev = fmax(dev, fabs(r - nearbyint(r)) + 4 * DBL_EPSILON * r);
                fits = r <= 1e6 && dev <= TP_GRAIN_EPS;
            }
            if (fits) {
                c->grain[d] = g;
                c->gdev[d] = dev;
            }
        }
    }
    /* omega, rho, heavy layers */
    for (int l = 0; l < L; l++) {
        double w = INFINITY;
        for (int d = 0; d < D; d++)
            if (c->ok[(size_t)l * D + d]) w = fmin(w, comp(c, l, d));
        c->omega[l] = isfinite(w) ? w : 0;
    }
    c->omega_suf[L] = 0;
    for (int d = 0; d < D; d++)
        c->rho[(size_t)L * D + d] = INFINITY;
    for (int l = L - 1; l >= 0; l--) {
        c->omega_suf[l] = c->omega_suf[l + 1] + c->omega[l];
        for (int d = 0; d < D; d++) {
            double r = c->rho[(size_t)(l + 1) * D + d];
            if (c->ok[(size_t)l * D + d] && c->omega[l] > 0)
                r = fmin(r, comp(c, l, d) / c->omega[l]);
            c->rho[(size_t)l * D + d] = r;
        }
    }
    for (size_t l = 0; l <= (size_t)L; l++) {
        /* the largest omegas, then the largest needs of memory (own and
         * shared weights) not among them */
        int *h = c->heavy + l * TP_HEAVY;
        for (int i = 0; i < TP_HEAVY; i++)
            h[i] = -1;
        for (int pass = 0; pass < 2; pass++) {
            int *g = pass ? h + TP_HEAVY_OMEGA : h, n = pass ? TP_HEAVY_BYTES : TP_HEAVY_OMEGA;
            for (int k = (int)l; k < L; k++) {
                bool dup = false;
                for (int j = 0; pass && j < TP_HEAVY_OMEGA; j++)
                    dup = dup || h[j] == k;
                if (dup) continue;
                double vk = pass ? in->weights[k] + in->shared_need[k] : c->omega[k];
                int i = n;
                while (i > 0 &&
                       (g[i - 1] < 0 || (pass ? in->weights[g[i - 1]] + in->shared_need[g[i - 1]]
                                              : c->omega[g[i - 1]]) < vk))
                    i--;
                if (i == n) continue;
                memmove(g + i + 1, g + i, (size_t)(n - 1 - i) * sizeof *g);
                g[i] = k;
            }
        }
    }
    /* The chain's tails (memory ignored). */
    for (int l = L - 1; l >= 0; l--)
        for (int d = 0; d < D; d++) {
            double t = INFINITY;
            if (l == L - 1) {
                t = instance_xfer(in, L, d, in->sink);
            } else {
                for (int e = 0; e < D; e++)
                    if (c->ok[(size_t)(l + 1) * D + e])
                        t = fmin(t,
                                 instance_xfer(in, l + 1, d, e) + c->tail[(size_t)(l + 1) * D + e]);
            }
            c->tailfrom[(size_t)l * D + d] = t;
            c->tail[(size_t)l * D + d] = c->ok[(size_t)l * D + d] ? comp(c, l, d) + t : INFINITY;
        }
    /* The memory knapsack of each suffix, densest (omega per byte) first;
     * only where its L^2 table is small; by insertion from the end. */
    if (L <= 600) {
        c->kw = malloc(L1 * L1 * sizeof *c->kw);
        c->ko = malloc(L1 * L1 * sizeof *c->ko);
        int *ord = malloc((size_t)L * sizeof *ord);
        if (!c->kw || !c->ko || !ord) {
            free(ord);
            return -1;
        }
        int n = 0;
        for (int l = L; l >= 0; l--) {
            if (l < L) {
                /* insertion by density, zero weights first */
                double dk = in->weights[l] > 0 ? c->omega[l] / in->weights[l] : INFINITY;
                int i = n++;
                while (i > 0) {
                    int j = ord[i - 1];
                    double dj = in->weights[j] > 0 ? c->omega[j] / in->weights[j] : INFINITY;
                    if (dj >= dk) break;
                    ord[i] = j;
                    i--;
                }
                ord[i] = l;
            }
            double *w = c->kw + (size_t)l * L1, *o = c->ko + (size_t)l * L1;
            w[0] = o[0] = 0;
            for (int i = 0; i < n; i++) {
                w[i + 1] = w[i] + in->weights[ord[i]];
                o[i + 1] = o[i] + c->omega[ord[i]];
            }
            for (int i = n + 1; i <= L; i++) {
                w[i] = INFINITY;
                o[i] = o[n];
            }
        }
        free(ord);
    }
    /* The count tables: each suffix's sorted values, by insertion from the
     * end. */
    if ((double)L1 * L1 * (D + 2) <= 4e6) {
        c->csm = malloc(L1 * L1 * (size_t)D * sizeof *c->csm);
        c->wsm = malloc(L1 * L1 * sizeof *c->wsm);
        c->obig = malloc(L1 * L1 * sizeof *c->obig);
        double *sv = malloc(L1 * sizeof *sv);
        if (!c->csm || !c->wsm || !c->obig || !sv) {
            free(sv);
            return -1;
        }
        for (int pass = 0; pass < D + 2; pass++) {
            int n = 0;
            for (int l = L; l >= 0; l--) {
                if (l < L) {
                    double v;
                    bool take = true;
                    if (pass < D) {
                        take = c->ok[(size_t)l * D + pass];
                        v = comp(c, l, pass);
                    } else if (pass == D) {
                        v = in->weights[l];
                    } else {
                        v = -c->omega[l]; /* largest first */
                    }
                    if (take) {
                        int i = n++;
                        while (i > 0 && sv[i - 1] > v) {
                            sv[i] = sv[i - 1];
                            i--;
                        }
                        sv[i] = v;
                    }
                }
                double *out = pass < D    ? c->csm + ((size_t)l * D + pass) * L1
                              : pass == D ? c->wsm + (size_t)l * L1
                                          : c->obig + (size_t)l * L1;
                out[0] = 0;
                for (int i = 0; i < n; i++)
                    out[i + 1] = out[i] + (pass == D + 1 ? -sv[i] : sv[i]);
                for (int i = n + 1; i <= L; i++)
                    out[i] = pass == D + 1 ? out[n] : INFINITY;
            }
        }
        free(sv);
    }
    tp_memo *m = &c->memo;
    m->kwords = 1 + (size_t)c->nlive + 2 * (size_t)D + (size_t)D * c->SW;
    m->max_n = TP_MEMO_BYTES / (m->kwords * 8 + 8 + 16);
    c->key = malloc(m->kwords * sizeof *c->key);
    return c->key ? 0 : -1;
}

static void ctx_free(tp_ctx *c)
{
    free(c->ok);
    free(c->live);
    free(c->omega);
    free(c->omega_suf);
    free(c->rho);
    free(c->heavy);
    free(c->tail);
    free(c->tailfrom);
    free(c->kw);
    free(c->ko);
    free(c->remadd);
    free(c->minx);
    free(c->memrest);
    free(c->csm);
    free(c->wsm);
    free(c->obig);
    free(c->busy);
    free(c->held);
    free(c->place);
    free(c->fin);
    free(c->maxb);
    free(c->undo);
    free(c->cand);
    free(c->best);
    free(c->key);
    memo_free(&c->memo);
}

/* ---- moves --------------------------------------------------------------- */

static inline void busy_add(tp_ctx *c, int engine, double amount, double *maxb)
{
    c->undo[c->nundo++] = (tp_undo){.engine = engine, .old = c->busy[engine]};
    c->busy[engine] += amount;
    *maxb = fmax(*maxb, c->busy[engine]);
}

/* Boundary b's hops from u to t, as the evaluator walks them. */
static void hops_add(tp_ctx *c, int b, int u, int t, double *maxb)
{
    const nn_instance *in = c->in;
    int D = c->D;
    size_t DD = (size_t)D * (size_t)D;
    for (int hops = 0; u != t && hops < D; hops++) {
        int v = in->next[(size_t)b * DD + (size_t)u * D + t];
        if (v < 0 || v >= D) break;
        double rate = in->hop_rate[(size_t)u * D + v];
        busy_add(c, D + u * D + v, rate > 0 ? 8.0 * in->bytes[b] / rate : 0, maxb);
        u = v;
    }
}

typedef struct tp_saved {
    int nundo;
    double wsum, peak;
    int nheld;
    int held_t[4];
    uint32_t used;
    bool held_overflow;
} tp_saved;

/* Places layer l on d, or says no (memory, route, stages). */
static bool move_apply(tp_ctx *c, int l, int d, tp_saved *sv)
{
    const nn_instance *in = c->in;
    int from = l == 0 ? in->source : c->place[l - 1];
    double x = instance_xfer(in, l, from, d);
    if (!isfinite(x)) return false;
    if (c->contiguous && l > 0 && d != from && (c->used >> d & 1u)) return false;
    /* memory first: nothing to undo when it does not fit */
    double add = in->weights[l];
    uint64_t *h = c->held + (size_t)d * c->SW;
    for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++) {
        int t = in->use_tensor[u];
        if (!(h[t / 64] >> (t % 64) & 1u)) add += in->shared_bytes[t];
    }
    double ws = c->wsum[d] + add, pk = fmax(c->peak[d], in->act[l]);
    if (ws + pk > in->memory[d]) return false;
    *sv = (tp_saved){.nundo = c->nundo, .wsum = c->wsum[d], .peak = c->peak[d], .used = c->used};
    for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++) {
        int t = in->use_tensor[u];
        if (h[t / 64] >> (t % 64) & 1u) continue;
        h[t / 64] |= 1ull << (t % 64);
        if (sv->nheld < 4)
            sv->held_t[sv->nheld++] = t;
        else
            sv->held_overflow = true; /* never: a layer uses few tensors; see move_undo */
    }
    c->wsum[d] = ws;
    c->peak[d] = pk;
    c->used |= 1u << d;
    double mb = c->maxb[l];
    hops_add(c, l, from, d, &mb);
    busy_add(c, d, comp(c, l, d), &mb);
    double arrive = l == 0 ? x : c->fin[l - 1] + x;
    c->fin[l] = fmax(arrive, arrive) + comp(c, l, d);
    c->place[l] = d;
    if (l == c->L - 1) {
        /* the output to the sink; no route: nothing completes */
        if (isfinite(instance_xfer(in, c->L, d, in->sink)))
            hops_add(c, c->L, d, in->sink, &mb);
        else
            mb = INFINITY;
    }
    c->maxb[l + 1] = mb;
    return true;
}

static void move_undo(tp_ctx *c, int l, int d, const tp_saved *sv)
{
    const nn_instance *in = c->in;
    while (c->nundo > sv->nundo) {
        tp_undo *u = &c->undo[--c->nundo];
        c->busy[u->engine] = u->old;
    }
    c->wsum[d] = sv->wsum;
    c->peak[d] = sv->peak;
    c->used = sv->used;
    uint64_t *h = c->held + (size_t)d * c->SW;
    if (sv->held_overflow) {
        /* every tensor l uses that no earlier layer on d uses */
        for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++) {
            int t = in->use_tensor[u];
            bool earlier = false;
            for (int v = in->use_prev[u]; v >= 0 && !earlier; v = in->use_prev[v])
                earlier = c->place[in->use_layer[v]] == d;
            if (!earlier) h[t / 64] &= ~(1ull << (t % 64));
        }
        return;
    }
    for (int i = 0; i < sv->nheld; i++)
        h[sv->held_t[i] / 64] &= ~(1ull << (sv->held_t[i] % 64));
}

/* ---- bounds -------------------------------------------------------------- */

static inline bool over_s(const tp_ctx *c, double s)
{
    return c->phase == TP_PERIOD ? s >= c->ubS : s > c->ubS;
}

/* Largest omega the layers >= l can put in `bytes` of memory, fractionally. */
static double knap(const tp_ctx *c, int l, double bytes)
{
    if (!c->kw) return INFINITY;
    size_t L1 = (size_t)c->L + 1;
    const double *w = c->kw + (size_t)l * L1, *o = c->ko + (size_t)l * L1;
    int n = c->L - l;
    if (bytes >= w[n]) return o[n];
    int lo = 0, hi = n; /* w[lo] <= bytes < w[hi] */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (w[mid] <= bytes)
            lo = mid;
        else
            hi = mid;
    }
    double part = w[hi] - w[lo];
    return o[lo] + (part > 0 ? (o[hi] - o[lo]) * (bytes - w[lo]) / part : 0);
}

/* At least the compute time n layers add to device d when it stays below
 * (phase 1; else within) `left`: on a lattice (every c(k, d) within
 * gdev_d grains of a multiple of grain g_d) their sum is within n gdev_d
 * grains of a lattice point, so at most that of the last point the bound
 * allows. In phase 1 the point must lie below left - 1e-12 ubS: a period
 * less than 1e-12 relative below the incumbent may be passed over, as the
 * count bound does; the sums' rounding (every term's) is allowed for. */
static double lattice_floor(const tp_ctx *c, int d, double left, int n)
{
    double g = c->grain[d];
    if (!(g > 0) || !isfinite(left)) return left;
    double off = n * c->gdev[d];
    double round = (c->L + 2) * DBL_EPSILON * c->ubS / g;
    if (c->phase == TP_PERIOD) {
        double x = (left - TP_COUNT_SLACK * c->ubS) / g + off + round;
        return fmin(left, g * (ceil(x) - 1 + off));
    }
    double x = (left + TP_COUNT_SLACK * c->ubS) / g + off + round;
    return fmin(left, g * (floor(x) + off));
}

/* May device d still take layers (stages: contiguous)? */
static inline bool open_dev(const tp_ctx *c, int l, int d)
{
    return !c->contiguous || l == 0 || d == c->place[l - 1] || !(c->used >> d & 1u);
}

/* How many of the sorted prefix sums p[1..n] are below x (strict) or at
 * most x. */
static int count_within(const double *p, int n, double x, bool strict)
{
    int lo = 0, hi = n; /* p[lo] within, answer in [lo, hi] */
    if (strict ? p[n] < x : p[n] <= x) return n;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (strict ? p[mid] < x : p[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* A latency bound `lb` on every completion rules the node out. */
static inline bool latency_pruned(const tp_ctx *c, double lb)
{
    return c->phase == TP_LATENCY ? lb >= c->ubK * (1 - TP_K_GAIN) : lb > c->ubK * (1 + TP_K_SAFE);
}

/* No completion of layers 0..l-1 can meet the phase's bounds. */
static bool node_pruned(tp_ctx *c, int l)
{
    const nn_instance *in = c->in;
    int D = c->D;
    if (over_s(c, c->maxb[l])) return true;
    if (l == c->L) return false;
    if (c->phase != TP_PERIOD && l > 0) {
        double lb = c->fin[l - 1] + c->tailfrom[(size_t)(l - 1) * D + c->place[l - 1]];
        if (latency_pruned(c, lb)) return true;
    }
    /* A heavy layer fits no device below the bound. */
    const int *h = c->heavy + (size_t)l * TP_HEAVY;
    for (int i = 0; i < TP_HEAVY; i++) {
        int k = h[i];
        if (k < 0) continue;
        bool any = false;
        for (int d = 0; d < D && !any; d++) {
            if (!c->ok[(size_t)k * D + d] || !open_dev(c, l, d)) continue;
            /* the shared tensors d does not hold yet come to it by then
             * (with k or before: another order of the sum, a margin) */
            const uint64_t *hd = c->held + (size_t)d * c->SW;
            double shared = 0;
            for (int u = in->use_start[k]; u < in->use_start[k + 1]; u++) {
                int t = in->use_tensor[u];
                if (!(hd[t / 64] >> (t % 64) & 1u)) shared += in->shared_bytes[t];
            }
            double need = c->wsum[d] + in->weights[k] + fmax(c->peak[d], in->act[k]);
            if (need > in->memory[d] ||
                (shared > 0 && need + shared > in->memory[d] * (1 + TP_COUNT_SLACK)))
                continue;
            any = !over_s(c, c->busy[d] + comp(c, k, d));
        }
        if (!any) return true;
    }
    /* The rest's compute, spread over the time and memory left: each
     * device takes at most what its time allows (omega at rho_d per unit),
     * what its memory holds (the densest layers first), and no more
     * layers than the smallest of their compute times and of their
     * weights allow, the largest omegas at best. */
    double need = c->omega_suf[l], cap[NN_MAX_DEVICES], total = 0;
    if (need <= 0) return false;
    size_t L1 = (size_t)c->L + 1;
    int n = c->L - l;
    for (int d = 0; d < D; d++) {
        cap[d] = 0;
        double r = c->rho[(size_t)l * D + d];
        if (!isfinite(r) || !open_dev(c, l, d)) continue;
        double left = fmax(c->ubS - c->busy[d], 0);
        double t = isfinite(c->ubS) ? lattice_floor(c, d, left, n) / r : INFINITY;
        double room = fmax(in->memory[d] - c->wsum[d] - c->peak[d], 0);
        double v = fmin(t, knap(c, l, room));
        if (c->csm) {
            /* sums in another order than the evaluator's: a margin */
            double tl =
                c->phase == TP_PERIOD ? left * (1 - TP_COUNT_SLACK) : left * (1 + TP_COUNT_SLACK);
            int k = count_within(c->csm + ((size_t)l * D + d) * L1, n, tl,
                                 c->phase == TP_PERIOD && isfinite(c->ubS));
            int km = count_within(c->wsm + (size_t)l * L1, n, room * (1 + TP_COUNT_SLACK), false);
            v = fmin(v, c->obig[(size_t)l * L1 + (k < km ? k : km)]);
        }
        cap[d] = v;
        total += v;
    }
    if (total < need * (1 - TP_AGG_SLACK)) return true;
    if (c->phase == TP_PERIOD || l == 0) return false;
    /* The latency: the rest's compute is at least rho_d per omega on the
     * device that runs it, within each device's share above; the cheapest
     * devices first. */
    int ord[NN_MAX_DEVICES], m = 0;
    for (int d = 0; d < D; d++) {
        if (!(cap[d] > 0)) continue;
        int i = m++;
        while (i > 0 && c->rho[(size_t)l * D + ord[i - 1]] > c->rho[(size_t)l * D + d]) {
            ord[i] = ord[i - 1];
            i--;
        }
        ord[i] = d;
    }
    double rest = need, cost = 0;
    for (int i = 0; i < m && rest > 0; i++) {
        double a = fmin(cap[ord[i]], rest);
        cost += a * c->rho[(size_t)l * D + ord[i]];
        rest -= a;
    }
    /* The chain visits at least as many devices as it takes the largest
     * shares to cover the rest: one transfer between two devices each
     * after the first, at least minx. */
    double sorted[NN_MAX_DEVICES];
    int ns = 0;
    for (int d = 0; d < D; d++) {
        if (!(cap[d] > 0)) continue;
        int i = ns++;
        while (i > 0 && sorted[i - 1] < cap[d]) {
            sorted[i] = sorted[i - 1];
            i--;
        }
        sorted[i] = cap[d];
    }
    double covered = 0;
    int visits = 0;
    while (visits < ns && covered < need * (1 - TP_AGG_SLACK))
        covered += sorted[visits++];
    /* The walk from the last device p through them to the sink: back to
     * p (p the sink) a cycle, at least one transfer per device once two
     * are visited; else a path, one less, at least one. */
    int p = c->place[l - 1],
        hops = p == c->in->sink ? (visits >= 2 ? visits : 0) : (visits > 2 ? visits : 2) - 1;
    if (hops > 0 && isfinite(c->minx[l])) cost += hops * c->minx[l];
    return latency_pruned(c, c->fin[l - 1] + cost);
}

/* ---- the search ---------------------------------------------------------- */

static bool check_stop(tp_ctx *c)
{
    if (c->stopped) return true;
    if (++c->nodes % TP_CHECK_EVERY == 0) {
        share_tick(c->share);
        if (solve_stop_now(&c->stop)) c->stopped = true;
    }
    return c->stopped;
}

/* The evaluator's verdict on a complete placement. */
static void leaf(tp_ctx *c)
{
    const nn_instance *in = c->in;
    double s = eval_period(in, c->place);
    double k = eval_latency(in, c->place, MODE_RESIDENT);
    if (!isfinite(s) || !isfinite(k) || over_s(c, s)) return;
    if (c->phase == TP_LATENCY && !(k < c->ubK)) return;
    if (c->phase == TP_CANON && !(k <= c->ubK)) return;
    memcpy(c->best, c->place, (size_t)c->L * sizeof *c->best);
    c->bestS = s;
    c->bestK = k;
    c->found = true;
    if (c->phase == TP_PERIOD) {
        c->ubS = s;
        share_offer(c->share, in, c->place, s); /* the race's ILP starts from it */
    }
    if (c->phase == TP_LATENCY) c->ubK = k;
}

/* Candidate devices for layer l in the phase's order. */
static int candidates(tp_ctx *c, int l, int *out)
{
    const nn_instance *in = c->in;
    int D = c->D, n = 0, prev = l > 0 ? c->place[l - 1] : -1;
    double score[NN_MAX_DEVICES];
    if (c->phase == TP_CANON && prev >= 0 && c->ok[(size_t)l * D + prev]) out[n++] = prev;
    for (int d = 0; d < D; d++) {
        if (!c->ok[(size_t)l * D + d] || (c->phase == TP_CANON && d == prev)) continue;
        int ps = c->prev_same[d];
        if (ps >= 0 && !(c->used >> ps & 1u)) continue;
        out[n++] = d;
    }
    if (c->phase == TP_CANON) return n;
    int from = l == 0 ? in->source : prev;
    for (int i = 0; i < n; i++) {
        int d = out[i];
        double x = instance_xfer(in, l, from, d);
        if (c->phase == TP_PERIOD)
            score[i] = c->busy[d] + comp(c, l, d) + (d == from ? 0 : 0.5 * x);
        else
            score[i] = x + c->tail[(size_t)l * D + d];
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && score[j] < score[j - 1]; j--) {
            double ts = score[j];
            score[j] = score[j - 1];
            score[j - 1] = ts;
            int td = out[j];
            out[j] = out[j - 1];
            out[j - 1] = td;
        }
    return n;
}

static void dfs(tp_ctx *c, int l)
{
    if (check_stop(c)) return;
    if (node_pruned(c, l)) return;
    if (l == c->L) {
        leaf(c);
        return;
    }
    if (l > 0) {
        state_key(c, l, c->place[l - 1]);
        if (memo_seen(&c->memo, c->key, c->phase == TP_PERIOD ? 0 : c->fin[l - 1])) return;
    }
    int *cand = c->cand + (size_t)l * c->D;
    int n = candidates(c, l, cand);
    for (int i = 0; i < n; i++) {
        int d = cand[i];
        tp_saved sv;
        if (!move_apply(c, l, d, &sv)) continue;
        dfs(c, l + 1);
        move_undo(c, l, d, &sv);
        if (c->stopped || (c->phase == TP_CANON && c->found)) return;
    }
}

static void phase_run(tp_ctx *c, int phase, double ubS, double ubK)
{
    c->phase = phase;
    c->ubS = ubS;
    c->ubK = ubK;
    c->maxb[0] = 0;
    memo_clear(&c->memo);
    if (phase == TP_CANON) c->found = false;
    dfs(c, 0);
}

/* ---- the engine ---------------------------------------------------------- */

/* A lower bound on the period: the least S the root's capacity test
 * passes (bisection), at least the heaviest layer on its best device. */
static double root_bound(tp_ctx *c, double hi)
{
    double lo = 0;
    for (int l = 0; l < c->L; l++)
        lo = fmax(lo, c->omega[l]);
    if (!isfinite(hi)) return lo;
    c->phase = TP_LATENCY; /* S <= ubS */
    c->maxb[0] = 0;
    for (int it = 0; it < 60 && hi - lo > 1e-12 * hi; it++) {
        c->ubS = 0.5 * (lo + hi);
        if (node_pruned(c, 0))
            lo = c->ubS;
        else
            hi = c->ubS;
    }
    return lo;
}

int throughput_prefix_pruned(const nn_instance *in, const int *prefix, int l, double ubS)
{
    tp_ctx c;
    nn_solve_options opt = {.objective = OBJ_THROUGHPUT};
    int ret = -1;
    if (ctx_init(&c, in, &opt) != 0) goto done;
    c.phase = TP_PERIOD;
    c.ubS = ubS;
    c.maxb[0] = 0;
    ret = 2;
    for (int k = 0; k < l; k++) {
        tp_saved sv;
        if (!move_apply(&c, k, prefix[k], &sv)) goto done;
    }
    ret = node_pruned(&c, l);
done:
    ctx_free(&c);
    return ret;
}

int throughput_ties(const nn_instance *in, const nn_solve_options *opt, int *place, double deadline)
{
    tp_ctx c;
    int ret = -1;
    if (ctx_init(&c, in, opt) != 0) goto done;
    c.share = NULL;
    c.stop.share = NULL;
    c.stop.deadline = deadline;
    double s = eval_period(in, place);
    double k = eval_latency(in, place, MODE_RESIDENT);
    ret = 0;
    if (!isfinite(s) || !isfinite(k)) goto done;
    memcpy(c.best, place, (size_t)in->L * sizeof *place);
    c.bestS = s;
    c.bestK = k;
    double ubS = s * (1 + TIE_S_REL);
    phase_run(&c, TP_LATENCY, ubS, k);
    if (c.stopped) goto done;
    ret = CANON_BUSY_MINIMAL;
    memcpy(place, c.best, (size_t)in->L * sizeof *place);
    phase_run(&c, TP_CANON, ubS, c.bestK * (1 + TIE_K_REL));
    if (c.stopped || !c.found) goto done;
    memcpy(place, c.best, (size_t)in->L * sizeof *place);
    ret |= CANON_EXACT;
done:
    ctx_free(&c);
    return ret;
}

static int result_fill(nn_solve_result *out, const nn_instance *in, const nn_solve_options *opt,
                       const int *place, double bound)
{
    free(out->place);
    out->place = malloc((size_t)in->L * sizeof *out->place);
    if (!out->place) return -1;
    memcpy(out->place, place, (size_t)in->L * sizeof *place);
    out->energy = eval_energy(in, place, MODE_RESIDENT, &out->energy_battery, NULL);
    out->busy_path = solve_busy_path(in, place);
    out->value = eval_objective_limited(in, place, opt->mode, opt->objective, opt->latency_limit,
                                        opt->energy_limit, opt->battery_limit);
    out->latency = eval_latency(in, place, MODE_RESIDENT);
    nn_stream st;
    if (eval_stream(in, place, 1, &st) != 0) return -1;
    out->period = st.period;
    out->stream_latency = st.latency;
    eval_stream_free(&st);
    out->objective = out->value;
    out->bound = fmin(bound, out->value);
    out->gap = out->value > 0 ? (out->value - out->bound) / out->value : 0;
    if (out->gap < 0) out->gap = 0;
    return 0;
}

static void result_message(nn_solve_result *out, bool optimal, const char *why)
{
    char v[32];
    units_format(out->value, objective_unit(OBJ_THROUGHPUT), v, sizeof v);
    if (optimal)
        snprintf(out->message, sizeof out->message, "optimal: %s per input", v);
    else
        snprintf(out->message, sizeof out->message,
                 "feasible: %s per input, within %.3g%% of optimal (%s)", v, 100.0 * out->gap, why);
}

/* The incumbent to start from: the warm start or a device alone (pins
 * kept), the least period. */
static void first_incumbent(tp_ctx *c, const nn_solve_options *opt)
{
    const nn_instance *in = c->in;
    for (int k = -1; k < c->D; k++) {
        if (k < 0 && !opt->warm_start) continue;
        if (k < 0)
            memcpy(c->place, opt->warm_start, (size_t)c->L * sizeof *c->place);
        else
            baselines_all_on(in, k, c->place);
        double s = eval_period(in, c->place);
        if (s < c->bestS) {
            c->bestS = s;
            c->bestK = eval_latency(in, c->place, MODE_RESIDENT);
            memcpy(c->best, c->place, (size_t)c->L * sizeof *c->best);
            c->found = true;
        }
    }
}

int solve_throughput(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out)
{
    memset(out, 0, sizeof *out);
    out->latency = out->objective = out->busy_path = INFINITY;
    out->energy = out->energy_battery = out->period = out->stream_latency = out->value = INFINITY;
    double t0 = solve_clock();
    if (in->L <= 0 || in->D <= 0 || in->D > NN_MAX_DEVICES) {
        out->status = SOLVE_ERROR;
        snprintf(out->message, sizeof out->message, "solver failure: %s",
                 in->L <= 0 ? "the network has no layers" : "the number of devices is invalid");
        return 0;
    }
    tp_ctx c;
    int ret = -1;
    unsigned char *mask = malloc((size_t)in->L * (size_t)in->D);
    if (!mask || ctx_init(&c, in, opt) != 0) goto fail;
    ret = 0;
    if (!feasible_mask(in, mask)) {
        solve_message_infeasible(out, in, false);
        goto done;
    }
    c.bestS = c.bestK = INFINITY;
    first_incumbent(&c, opt);
    if (c.found) share_offer(opt->share, in, c.best, c.bestS);
    /* the root's bound, with room for its sums' order (1e-12) */
    c.lbS = root_bound(&c, c.bestS) * (1 - TP_AGG_SLACK);
    phase_run(&c, TP_PERIOD, c.bestS, INFINITY);
    if (c.stopped) {
        const char *why =
            (opt->cancel && atomic_load(opt->cancel)) || share_stopped(opt->share, ENGINE_LABELS)
                ? "cancelled"
                : "time limit reached";
        if (!c.found) {
            out->status = SOLVE_NO_RESULT;
            snprintf(out->message, sizeof out->message, "no placement found (%s)", why);
            goto done;
        }
        if (result_fill(out, in, opt, c.best, root_bound(&c, c.bestS)) != 0) goto fail;
        out->status = SOLVE_FEASIBLE;
        result_message(out, false, why);
        goto done;
    }
    if (!c.found) {
        solve_message_infeasible(out, in, true);
        if (in->stages == STAGES_CONTIGUOUS)
            snprintf(out->message, sizeof out->message,
                     "infeasible: no placement meets memory, pins, routes, contiguous stages");
        goto done;
    }
    int flags = 0;
    double t2 = solve_clock();
    if (share_claim(opt->share, ENGINE_LABELS)) {
        /* the tie-break, stopped only by the caller */
        c.stop.share = NULL;
        c.share = NULL;
        double ubS = c.bestS * (1 + TIE_S_REL);
        phase_run(&c, TP_LATENCY, ubS, c.bestK);
        if (!c.stopped) {
            flags = CANON_BUSY_MINIMAL;
            phase_run(&c, TP_CANON, ubS, c.bestK * (1 + TIE_K_REL));
            if (!c.stopped && c.found) flags |= CANON_EXACT;
        }
    }
    t2 = solve_clock() - t2;
    if (result_fill(out, in, opt, c.best, INFINITY) != 0) goto fail;
    out->status = SOLVE_OPTIMAL;
    out->busy_minimal = flags & CANON_BUSY_MINIMAL;
    out->canonical = flags & CANON_EXACT;
    out->tiebreak_s = t2;
    out->bound = out->value;
    out->gap = 0;
    result_message(out, true, "");
    goto done;
fail:
    ret = -1;
done:
    if (mask) ctx_free(&c);
    free(mask);
    out->solve_time_s = solve_clock() - t0;
    return ret;
}
