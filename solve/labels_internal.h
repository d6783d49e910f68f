/* The label engine's internals, shared by its modules: the label state and
 * its context (label_state.c), the lower bounds (label_bounds.c), the
 * layer-by-layer search (labels.c) and the canonical tie-break
 * (canonical.c). Not part of the solver's interface (solve.h). */
#ifndef NNPART_LABELS_INTERNAL_H
#define NNPART_LABELS_INTERNAL_H

#include <stdint.h>

#include "solve_internal.h"

#define PROVE_REL 1e-9                  /* optimality is proven to this relative margin */
#define TIE_REL 1e-10                   /* latencies this close to T* tie (as in the ILP) */
#define BUSY_REL 1e-12                  /* busy paths this close tie */
#define LAB_MAX_STATES (1 << 18)        /* labels of one layer, and candidates */
#define LAB_MAX_BYTES ((size_t)1 << 27) /* state bytes of one layer's candidates */
#define LAB_MAX_KEPT ((size_t)1 << 24)  /* backtracking entries over all layers */
#define HEAVY_K 2                       /* heavy layers tried per label */
#define VISIT_MAX_DEVICES 10            /* the visit tables have 2^D sets per (layer, device) */

/* Offsets in a label's state vector. */
#define S_F 0 /* finish time of the label's layer */
#define S_B 1 /* busy path so far (the resident finish time) */
#define S_Q 2 /* preload queues [nq], weights [nm], peaks [nm], shared-tensor flags [S * D] */

typedef struct lab_ctx {
    const nn_instance *in;
    nn_mode mode;
    int L, D;
    unsigned char *ok;  /* [l * D + d] */
    unsigned char *ok0; /* ok before any limit restricted it (lab_ctx_restrict) */
    double *tail;       /* [l * D + d] least chain time from the finish of l on d to the sink */
    double *btail;      /* the same for the busy path (compute and transfers) */
    double *lane;       /* [l * D + d] preload: least load + chain + tail over layers >= l on d */
    double *trail;      /* [l * D + d] preload: least compute + tail over layers >= l on d */
    double *rest;       /* [l] preload: own weight bytes of the layers >= l */
    double *hrest;      /* [l] the same of the charged layers (cvisit), layer 0 left out */
    double *hlo, *hhi;  /* [l] the least and most own weights of a charged layer >= l (0: none) */
    double *okrest;     /* [l * D + d] the same of the layers >= l that d may run (ok) */
    double *hokrest;    /* [l * D + d] the same of the charged ones */
    double rate[NN_MAX_DEVICES]; /* preload: the fastest bytes per second any layer loads on d */
    int *heavy;     /* preload: [l * HEAVY_K + i] the layers after l that alone take longest, -1 */
    double **reach; /* [k]: NULL, or the chain times to heavy layer k (reach_build) */
    double *visit;  /* preload, few devices: [(l * D + d) << D | M] least chain time from the
                       finish of l on d to the sink when the layers after l run on exactly M */
    double *cvisit; /* preload, with visit: visit with each charged layer's compute on d
                       less kappa[d] per byte of its own weights (charge_exceeds) */
    double *hvisit; /* preload, with visit: visit where M is the set of devices that run the
                       charged layers after l (the others run anywhere) */
    double *vlast;  /* preload, with visit: [(l * D + d) << D | R] least compute of d's last
                       charged layer after l plus hvisit from it with R (order_exceeds) */
    double kappa[NN_MAX_DEVICES]; /* seconds of compute per byte charged on d */
    int korder[NN_MAX_DEVICES];   /* the devices by kappa, least first */
    int nq, nm, stride;
    int fo;        /* offset of the shared-tensor flags [t * D + d]: 1 not yet loaded on d */
    int *last_use; /* [S] last layer that uses tensor t */
    int mslot[NN_MAX_DEVICES];     /* index among the devices whose memory can bind, -1 */
    int prev_same[NN_MAX_DEVICES]; /* identical device just before d, -1 */
    /* Energy (label_energy.c): E = idle x T + A, with A additive along the
     * chain (compute above idle, loads with shared tensors at first use,
     * route energies charged to senders), all devices' or the battery
     * devices'. With `eon` a label carries A at offset `ao`. */
    bool eon, ebat;
    bool untimed;  /* only A, memory and the shared flags matter (dominance) */
    double idle;   /* sum of the idle powers counted */
    int ao;        /* offset of A in the state */
    double *etail; /* [l * D + d] least A after l on d to the sink (shared tensors at 0) */
    double *ctail; /* [l * D + d] least I x (chain time) + A after l on d, together */
    double *edev;  /* [l * D + d] compute and own-load energy of l on d */
    double tcap;   /* latency limit of every phase, INFINITY: none */
    double ecap;   /* energy limit of every phase, INFINITY: none */
    const nn_solve_options *opt;
    double t0, deadline;
    long ticks;
    bool stopped;
} lab_ctx;

/* fmin and fmax for values that are never NaN (times, bytes, sums of them
 * and INFINITY): libm's are calls, since without -ffast-math they must
 * handle NaN; these compile to one instruction. Equal inputs give the same
 * value either way (no negative zero arises in these tables). */
static inline double lab_min(double a, double b)
{
    return b < a ? b : a;
}

static inline double lab_max(double a, double b)
{
    return b > a ? b : a;
}

/* Index of (layer, device) in the context's tables. */
static inline size_t lab_at(const lab_ctx *c, int l, int d)
{
    return (size_t)l * (size_t)c->D + (size_t)d;
}

/* ---- the label state (label_state.c) ---- */

double lab_now(void); /* CLOCK_MONOTONIC seconds */
/* Cancel flag every call, the clock every 64 calls; the race's hook too. */
bool lab_stop(lab_ctx *c);
/* lab_stop with the clock read now: for loops whose steps are not cheap. */
bool lab_stop_now(lab_ctx *c);
/* Builds the tables for `in` under `mode`; *possible is false when no
 * placement exists (per-layer mask). Returns -1 when out of memory. */
int lab_ctx_init(lab_ctx *c, const nn_instance *in, nn_mode mode, const nn_solve_options *opt,
                 bool *possible);
/* Leaves out the (layer, device) pairs no placement below `limit` can use,
 * and rebuilds the tables. */
void lab_ctx_restrict(lab_ctx *c, double limit);
void lab_ctx_free(lab_ctx *c);
/* For the test hooks: the label of `prefix` up to layer l (lanes closed at
 * `limit` as the searches do), in *buf (the caller frees it and c); NULL
 * when the context cannot be built or the prefix is infeasible. */
double *lab_prefix_label(lab_ctx *c, const nn_instance *in, nn_mode mode, const int *prefix, int l,
                         double limit, double **buf);
/* Layer l on e after state s (layer l - 1 on `from`) into ns; false when
 * not allowed (mask, closed lane, route, memory). */
bool lab_step(const lab_ctx *c, const double *s, int from, int l, int e, double *ns);
void lab_root(const lab_ctx *c, double *s);
/* The latency (which = S_F) or busy path (S_B) of a complete label on e. */
double lab_total(const lab_ctx *c, const double *s, int e, int which);
void lab_lanes_close(const lab_ctx *c, double *ns, int l, double limit);
bool lab_dominates(const lab_ctx *c, const double *a, const double *b, bool busy);

/* The tie-break's slack on the finish time. In preload mode a completion's
 * latency is the larger of F(l) plus its chain time (compute and
 * transfers) and terms of the queues alone, and its busy path is B(l) plus
 * that same chain time. So a completion with busy path <= `busy` and
 * latency <= `tlim` has its first term <= F(l) - B(l) + busy: for a label
 * with F(l) - B(l) <= tlim - busy, the finish time never decides, and
 * another label beats it whatever its own (lab_busy_dominates). A margin
 * of 1e-9 tlim keeps rounding out of it. -INFINITY (no such label) outside
 * preload, and under an energy limit, where the latency is charged. */
static inline double lab_free_slack(const lab_ctx *c, double tlim, double busy)
{
    if (c->mode != MODE_PRELOAD || c->eon || c->untimed) return -INFINITY;
    return tlim - busy - 1e-9 * tlim;
}

/* lab_dominates in the busy and fit phases, the finish time left out for
 * a label within `slack` (lab_free_slack). */
static inline bool lab_busy_dominates(const lab_ctx *c, const double *a, const double *b,
                                      double slack)
{
    if (!(a[S_F] - a[S_B] <= slack)) return lab_dominates(c, a, b, true);
    if (a[S_B] > b[S_B]) return false;
    for (int k = S_Q; k < c->stride; k++)
        if (a[k] > b[k]) return false;
    return true;
}

/* ---- the lower bounds (label_bounds.c) ---- */

/* Lower bound on the latency of any completion of ns (layer l on e); once
 * above `stop` the costlier bounds are left out. */
double lab_bound_until(const lab_ctx *c, const double *ns, int l, int e, double stop);
/* Whether lab_bound_until(c, ns, l, e, stop) > stop, without its value
 * where that is not wanted. */
bool lab_bound_exceeds(const lab_ctx *c, const double *ns, int l, int e, double stop);

/* The busy and fit phases' bound: lab_bound_until at `tmax` with the busy
 * limit too. In preload a completion's latency is at least F(l) plus its
 * chain time X (compute and transfers) and its busy path is B(l) + X, so
 * within both limits X <= min(tmax - F(l), blim - B(l)): the bounds, whose
 * finish time enters only as the start of the chain, then hold with F(l)
 * raised to B(l) + tmax - blim (less 1e-12 tmax, for rounding): the raise
 * below, which returns the old finish time. */
static inline double lab_busy_raise(const lab_ctx *c, double *ns, double tmax, double blim)
{
    double f = ns[S_F];
    if (c->mode == MODE_PRELOAD && isfinite(tmax) && isfinite(blim))
        ns[S_F] = fmax(f, ns[S_B] + (tmax - blim) - 1e-12 * tmax);
    return f;
}

static inline double lab_bound_busy(const lab_ctx *c, double *ns, int l, int e, double tmax,
                                    double blim)
{
    double f = lab_busy_raise(c, ns, tmax, blim);
    double lb = lab_bound_until(c, ns, l, e, tmax);
    ns[S_F] = f;
    return lb;
}

/* Whether lab_bound_busy(c, ns, l, e, tmax, blim) > tmax. */
static inline bool lab_busy_exceeds(const lab_ctx *c, double *ns, int l, int e, double tmax,
                                    double blim)
{
    double f = lab_busy_raise(c, ns, tmax, blim);
    bool out = lab_bound_exceeds(c, ns, l, e, tmax);
    ns[S_F] = f;
    return out;
}

/* ---- the search (labels.c) ---- */

typedef struct lab_back { /* per layer: how each kept label was reached */
    int n;
    int32_t *parent;
    uint8_t *dev;
} lab_back;

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
    bool energy;      /* beam and latency phases: minimise the energy (ub is joules) */
    bool second;      /* a tie-break's second key: to BUSY_REL, not shared with the race */
    const int *fixed; /* fit phase: the devices of layers 0 .. nfixed - 1 */
    int nfixed;
    int width;  /* beam: labels kept per (layer, device) */
    int total;  /* beam and busy phase: labels kept per layer (least bound), 0: no cap */
    int *best;  /* [L] placement of ub, when found */
    bool found; /* a complete placement is known */
    bool truncated;
    double dropped_lb; /* least bound of the labels dropped by a cap */
    double open_lb;    /* when stopped: least bound of the labels left */
    lab_back *back;    /* [L] */
    size_t kept;
} lab_search;

/* Runs one phase. Returns -1 when out of memory, else 0; c->stopped and
 * s->truncated tell whether it completed. */
int lab_run(lab_search *s);

/* For the tests: the labels lab_run keeps of n candidates of one layer
 * (states [n * stride], devices), their indices in pick[] in kept order;
 * SIZE_MAX when out of memory. */
size_t lab_filter_labels(const lab_ctx *c, const double *states, const uint8_t *dev, size_t n,
                         bool busy, int width, double slack, int32_t *pick);

/* ---- energy (label_energy.c) ---- */

/* From c->opt: whether labels carry the additive energy, and the limits;
 * grows the stride. */
void lab_energy_setup(lab_ctx *c);
/* Rebuilds etail over the pairs in c->ok; -1 when out of memory. */
int lab_energy_tails(lab_ctx *c);
/* The additive energy of layer l on e reached from `from` (-1: the
 * source), `load` its load time with the shared tensors it brings. */
double lab_energy_step(const lab_ctx *c, int from, int l, int e, double load);
/* The label's energy once complete (l = L - 1 on e, latency t). */
double lab_energy_label(const lab_ctx *c, const double *s, int e, double t);
/* The evaluator's energy of `place` (the battery devices' under ebat). */
double lab_energy_eval(const lab_ctx *c, const int *place);
/* The largest latency a completion of ns (l on e) may have for its energy
 * to stay at or below `elim`: INFINITY when idle is 0 and it can, -INFINITY
 * when it cannot. */
double lab_energy_budget(const lab_ctx *c, const double *ns, int l, int e, double elim);
/* A lower bound on the energy of any completion of ns (l on e) whose
 * latency is at least lbT. */
double lab_energy_bound(const lab_ctx *c, const double *ns, int l, int e, double lbT);
/* A lower bound on the additive energy of any placement. */
double lab_energy_floor(const lab_ctx *c);
/* MODEL.md's tie-break under energy and battery-energy, from `place`
 * (energy-optimal): the least latency among placements with E <= E (1 +
 * TIE_REL) (and the limits), then the canonical one among those within
 * BUSY_REL of it. Returns CANON_* flags (CANON_BUSY_MINIMAL: the latency is
 * proven least), -1 when out of memory. */
int canonical_energy_run(lab_ctx *c, int *place);

/* ---- the tie-break (canonical.c) ---- */

/* solve_canonical on a context the caller built: replaces `place`
 * (latency-optimal) by the canonical one among its ties; dfs_nodes < 0:
 * the default budget. Returns CANON_* flags, -1 when out of memory. */
int canonical_run(lab_ctx *c, int *place, long dfs_nodes, bool busy_proven);
/* The canonical least placement within T <= tlim, busy path <= blim and
 * c->ecap, `place` one of them: the depth-first search, then layer-by-layer
 * fixing. 0: found (in place); 2: stopped or not proven; -1: out of memory. */
int canonical_pick(lab_ctx *c, int *place, double tlim, double blim, long dfs_nodes);

#endif
