/* Helpers shared by the solver's modules (not part of the public interface). */
#ifndef NNPART_SOLVE_INTERNAL_H
#define NNPART_SOLVE_INTERNAL_H

#include "solve.h"

/* Compute time and load time of layer l on device d. */
static inline double solve_comp(const nn_instance *in, int l, int d)
{
    return in->comp[(size_t)l * (size_t)in->D + (size_t)d];
}

static inline double solve_load(const nn_instance *in, int l, int d)
{
    return in->load[(size_t)l * (size_t)in->D + (size_t)d];
}

/* Bytes layer l needs on a device by itself: its weights, the shared
 * tensors it uses, its input and output. */
static inline double solve_layer_need(const nn_instance *in, int l)
{
    return in->weights[l] + in->shared_need[l] + in->act[l];
}

/* Layer l may run on device d by itself: its pin allows it and its weights
 * (shared ones included) plus input and output fit the device's memory. */
static inline bool solve_layer_fits(const nn_instance *in, int l, int d)
{
    if (in->pin[l] >= 0 && in->pin[l] != d) return false;
    return solve_layer_need(in, l) <= in->memory[d];
}

/* The busy path of a placement: its compute and transfers along the chain,
 * without waiting for weights (its resident-mode latency). Among placements
 * of equal latency, the solver prefers the shortest. INFINITY if infeasible. */
static inline double solve_busy_path(const nn_instance *in, const int *place)
{
    return eval_latency(in, place, MODE_RESIDENT);
}

/* Marks ok[l * D + d] for every (layer, device) that lies on at least one
 * routable path source -> layers -> sink through devices the layers fit
 * (memory is checked per layer, not per device total). Returns false when
 * no such path exists. `ok` has L * D entries. */
bool feasible_mask(const nn_instance *in, unsigned char *ok);

/* Looks for a simple reason why no placement exists (total memory, pins,
 * layers too big for every device, missing routes) and writes it in words.
 * Returns false when none of these causes applies. */
bool feasible_explain(const nn_instance *in, char *why, size_t size);

/* GLPK branch-and-bound settings; the benchmark compares variants. */
typedef struct ilp_tuning {
    int br_tech, bt_tech, pp_tech; /* GLP_BR_*, GLP_BT_*, GLP_PP_* */
    double tol_int;
    bool gmi_cuts, mir_cuts, cov_cuts, clq_cuts;
    bool fp_heur, ps_heur;
    bool use_incumbent; /* hand the DP / warm start to GLPK (and phase 1's optimum, polished
                           by local_tiebreak, to phase 2) */
    bool fix_slow;      /* phase 1 with an incumbent: leave out the (layer, device) pairs that
                           cannot beat it (phase 2 always leaves out those that cannot tie) */
    bool tiebreak;      /* phase 2: the shortest busy path among latency-optimal placements */
    int branch;         /* 0: GLPK's rule; 1: earliest fractional layer, up first; 2: down */
} ilp_tuning;

extern const ilp_tuning ILP_TUNING_DEFAULT;

int solve_ilp_tuned(const nn_instance *in, const nn_solve_options *opt, const ilp_tuning *tuning,
                    nn_solve_result *out);

/* Improves `place` in place by moving single layers while the latency
 * drops; returns the final latency (INFINITY if `place` is infeasible). */
double local_improve(const nn_instance *in, nn_mode mode, int *place);
/* The same, stopping (with the best so far) when `stop` says so; small
 * networks (a pass well under a millisecond) always run to the end. */
double local_improve_until(const nn_instance *in, nn_mode mode, int *place, const nn_stop *stop);

/* Shortens the busy path of `place` by moving runs of consecutive layers to
 * one device, keeping its latency under `mode` at or below `limit`; returns
 * the final busy path (INFINITY if `place` is infeasible). */
double local_tiebreak(const nn_instance *in, nn_mode mode, int *place, double limit);

/* Moves each layer to the device of the layer before it wherever that
 * keeps the latency at or below `limit` and the busy path at or below
 * `busy_limit`: one representative of a set of exact ties. */
void local_settle(const nn_instance *in, nn_mode mode, int *place, double limit, double busy_limit);

/* A cheap lower bound on the latency of any placement, in seconds. */
double feasible_lower_bound(const nn_instance *in, nn_mode mode);

/* Marks `out` infeasible with the simplest reason in words; after_solver:
 * a search, not the per-layer mask, found that no placement exists. */
void solve_message_infeasible(nn_solve_result *out, const nn_instance *in, bool after_solver);

/* MODEL.md's tie-break: replaces `place`, a latency-optimal placement of
 * latency T, by the canonical one among its ties: the least busy path among
 * the placements with latency <= T (1 + 1e-10), then the least placement in
 * the canonical order (at the first layer where two differ, the device of
 * the layer before first, then devices by index) among those with a busy
 * path within 1e-12 of it. Every engine ends with it, so their answers are
 * identical. busy_proven: the caller proved `place`'s busy path least among
 * the ties (the ILP's phase 2); the label search then only checks it where
 * that is quick. Bounded by `cancel` and `deadline` (CLOCK_MONOTONIC
 * seconds, INFINITY: none); stopped, `place` is one of its ties settled by
 * local_settle. Returns CANON_* flags of what was proven, -1 when out of
 * memory. */
enum { CANON_BUSY_MINIMAL = 1, CANON_EXACT = 2 };
int solve_canonical(const nn_instance *in, nn_mode mode, int *place, atomic_int *cancel,
                    double deadline, bool busy_proven);
/* The same with the depth-first search's node budget (solve_canonical:
 * -1, its default); past it, or with 0, layer-by-layer fixing answers. */
int solve_canonical_nodes(const nn_instance *in, nn_mode mode, int *place, atomic_int *cancel,
                          double deadline, bool busy_proven, long dfs_nodes);
/* For the tests: the same, with the busy search's shortcuts forced (as
 * where the first try runs out of time): its beams, then the probe; or the
 * probe alone. */
int solve_canonical_beams(const nn_instance *in, nn_mode mode, int *place, long dfs_nodes);
int solve_canonical_probe(const nn_instance *in, nn_mode mode, int *place, long dfs_nodes);
/* For the tests: the labels of n prefixes (layers 0..l, prefix i at
 * prefixes[i * (l + 1)]) in the tie-break's fit phase under the latency
 * limit tlim and the busy limit `busy`: beats[i * n + j] is 1 when i's
 * label beats j's (the same device at l), 2 when only because i's finish
 * time does not decide there (lab_free_slack), else 0 (also when either
 * prefix is not feasible). Returns -1 when out of memory. */
int labels_fit_dominance(const nn_instance *in, nn_mode mode, int l, const int *prefixes, int n,
                         double tlim, double busy, unsigned char *beats);
/* For the tests: which of the fit phase's tests drop the label of `prefix`
 * (layers 0..l) under the latency limit tlim and the busy limit `busy`, the
 * tables restricted to tlim as in the tie-break: LABELS_PRUNED_* bits (the
 * busy bound alone; the latency bounds, lab_bound_until's value and its
 * test lab_bound_exceeds; both limits together, the test and the value),
 * -1 when the prefix reaches no label. */
enum {
    LABELS_PRUNED_BUSY = 1,
    LABELS_PRUNED_LATENCY = 2,
    LABELS_PRUNED_EXCEEDS = 4,
    LABELS_PRUNED_BOTH = 8,
    LABELS_PRUNED_BOTH_VALUE = 16
};
int labels_fit_pruned(const nn_instance *in, nn_mode mode, const int *prefix, int l, double tlim,
                      double busy);

/* Whether the label engine takes these options: every objective, with or
 * without limits, and not contiguous stages but under throughput (the
 * throughput engine takes both), nor an energy limit on the battery
 * devices under the energy objective of all of them. */
bool labels_handles(const nn_instance *in, const nn_solve_options *opt);
/* The throughput engine (label_throughput.c; MODEL.md, Engines): the least
 * period by an exact depth-first branch and bound, then MODEL.md's order
 * of its ties; the label engine's answer under throughput (both stages
 * rules). */
int solve_throughput(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out);
/* That order from `place`, a placement of least period: the least
 * latency of one input alone (resident) among the placements within 1e-10
 * of its period, then the canonical least among those within 1e-12 of
 * that latency; replaces `place`. Stops at `deadline` (solve_clock's
 * seconds) or opt->cancel. Returns CANON_* flags, -1 when out of memory. */
int throughput_ties(const nn_instance *in, const nn_solve_options *opt, int *place,
                    double deadline);
/* For the tests: does the throughput engine's search drop the node of
 * layers 0..l-1 placed as `prefix` when it looks for a period below ubS?
 * 1 yes, 0 no, 2 the prefix does not fit, -1 out of memory. */
int throughput_prefix_pruned(const nn_instance *in, const int *prefix, int l, double ubS);
/* MODEL.md's order of ties for the objectives the label engine takes, as
 * both engines end: latency with limits (solve_canonical's order within
 * them), energy and battery-energy (the least latency among the energy
 * ties, then canonical). `place` is opt's proven optimum; bounded by
 * opt->cancel and `deadline`. Returns CANON_* flags, -1 when out of
 * memory. */
int solve_canonical_goal(const nn_instance *in, const nn_solve_options *opt, int *place,
                         double deadline);

/* For the tests: the energy a label reaches along `place` (MODEL.md,
 * Engines: I x T + A, its own sums), under opt's objective or energy
 * limit (the battery devices' under battery-energy); INFINITY when a step
 * is refused (memory, a pin, a route) or opt counts no energy. */
double labels_energy_of(const nn_instance *in, const nn_solve_options *opt, const int *place);

/* The label engine's lower bounds, for the tests: the label that `prefix`
 * (layers 0..l on those devices) reaches, with the pairs above
 * `close_limit` left out and its lanes closed at it after each layer before
 * l, as the search does. Writes each bound on its own into
 * bounds[LABELS_BOUNDS]: the chain tail, the one-layer lookahead, weight
 * streaming, the visited sets, the heavy layers, the charged compute and
 * the order of last layers (0 where a bound does not apply). Each is at most the latency of any
 * completion of the prefix that stays below close_limit. Returns false when the prefix reaches no
 * label. */
enum { LABELS_BOUNDS = 7 };
bool labels_prefix_bounds(const nn_instance *in, nn_mode mode, const int *prefix, int l,
                          double close_limit, double *bounds);

/* The race's shared incumbent (race.c). Engines offer every improving
 * placement and read the best one; share_tick lets the race start the
 * second engine once the first has run for a while. */
void share_offer(solve_share *sh, const nn_instance *in, const int *place, double latency);
double share_best(solve_share *sh, int *place); /* copies the placement when not NULL */
unsigned share_version(solve_share *sh);
void share_tick(solve_share *sh);
bool share_stopped(solve_share *sh, nn_engine engine); /* the race stopped this engine */
/* An engine that has proven the optimum claims the race: the first claim
 * stops the other engine. True when `engine` is the winner (or sh is NULL):
 * it then runs the tie-break, which nothing but the caller stops. */
bool share_claim(solve_share *sh, nn_engine engine);

#endif
