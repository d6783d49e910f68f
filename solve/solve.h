/* Optimal placements: the ILP (GLPK), the contiguous-run dynamic program that
 * seeds it, and the baselines every solve is compared with. No curses here. */
#ifndef NNPART_SOLVE_H
#define NNPART_SOLVE_H

#include <stdatomic.h>

#include "../model/eval.h"

typedef enum nn_solve_status {
    SOLVE_OPTIMAL,    /* proven optimal */
    SOLVE_FEASIBLE,   /* stopped (time limit or cancel) with an incumbent; see gap */
    SOLVE_INFEASIBLE, /* no placement satisfies memory, pins and routes */
    SOLVE_NO_RESULT,  /* stopped before any placement was found */
    SOLVE_ERROR       /* GLPK failed; see message */
} nn_solve_status;

typedef struct solve_share solve_share; /* the race's shared incumbent (internal) */

/* Which exact engine solves: both racing (the default), or one alone. */
typedef enum nn_engine { ENGINE_AUTO, ENGINE_ILP, ENGINE_LABELS, ENGINE_COUNT } nn_engine;

const char *engine_name(nn_engine e);               /* "auto", "ilp", "labels" */
int engine_parse(const char *name, nn_engine *out); /* 0, or -1 if unknown */

typedef struct nn_solve_options {
    nn_mode mode;          /* what to minimise */
    double time_limit_s;   /* 0: no limit */
    atomic_int *cancel;    /* optional: set non-zero from another thread to stop */
    const int *warm_start; /* optional: a previous placement [L], tried as incumbent */
    const char *write_lp;  /* optional: write the model in CPLEX LP format here */
    /* write_lp may replace an existing file. Without it the file is only
     * created, checked at the moment of writing (one created during the
     * solve is not replaced either; lp_error says so). */
    bool write_lp_force;
    nn_engine engine;   /* solve_run: auto (default), ilp or labels */
    solve_share *share; /* set by the race only: incumbents shared between engines */
    /* What to optimise (MODEL.md): latency (default), energy, battery
     * energy or a stream's period; with optional limits (0: none) on the
     * latency and on the energy (the battery devices' under battery-energy).
     * The instance's stages rule (contiguous) holds for every objective. */
    nn_objective objective;
    double latency_limit, energy_limit;
    bool battery_limit; /* the energy limit bounds the battery devices' energy */
} nn_solve_options;

typedef struct nn_solve_result {
    nn_solve_status status;
    double latency;      /* the evaluator's latency of `place`, seconds */
    double objective;    /* the ILP's objective (equals latency to 1e-6 relative) */
    double bound;        /* best proven lower bound */
    double gap;          /* (latency - bound) / latency; 0 when optimal */
    double solve_time_s; /* wall time of the whole solve */
    /* solve_run: the engine whose answer this is (in a race, the one that
     * proved it first), and how long each engine ran (-1: did not run). */
    nn_engine engine;
    double labels_s, ilp_s;
    char engine_note[160]; /* e.g. why the ILP did not run; "" if nothing to say */
    int rows, cols;        /* size of the ILP */
    /* Among placements of optimal latency the solver picks one with the
     * shortest busy path (compute and transfers, no waiting: the resident
     * latency), so ties do not bounce layers between devices; among energy
     * or period optima, the least latency (MODEL.md). busy_minimal: that
     * second key is proven least. */
    double busy_path;  /* of `place`, seconds */
    bool busy_minimal; /* proven shortest among latency-optimal placements */
    bool canonical;    /* the tie-break completed: MODEL.md's canonical placement */
    double tiebreak_s; /* of solve_time_s, the tie-break's (phase 2) */
    int *place;        /* [L] device per layer; NULL without a result */
    char message[512]; /* one line for the user: status and, if infeasible, why */
    /* Why the LP file (options.write_lp) could not be written; empty when
     * it was, or was not asked for. The solve goes on regardless. */
    char lp_error[1024];
    /* The evaluator's values of `place`: energy of one inference (all
     * devices, battery devices) and, under the throughput objective, the
     * stream's period and one input's latency through its periodic schedule
     * (latency is then that of one input alone, weights resident; INFINITY
     * under the other objectives). */
    double energy, energy_battery, period, stream_latency;
    double value; /* the evaluator's value of the objective optimised */
} nn_solve_result;

/* Copies the scenario's objective, limits into the options. */
void solve_options_from_instance(nn_solve_options *opt, const nn_instance *in);

int solve_ilp(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out);

/* The label-setting engine (labels.c): the same answer as solve_ilp, by an
 * exact search over layer-by-layer states. rows and cols are 0. */
int solve_labels(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out);

/* The solve every front end calls: opt->engine picks the ILP, the label
 * engine, or both racing on two threads (auto), sharing incumbents; the
 * first proof wins and stops the other. Either engine ends in the same
 * canonical placement, so the answer does not depend on which won. The
 * time limit and the cancel flag bound the whole call. Returns -1 only
 * when out of memory. */
int solve_run(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out);
/* The ILP alone answers these options (MODEL.md): opt->engine ilp, an LP
 * file to write, the throughput objective, contiguous stages (the label
 * engine hands the last two to the ILP too). solve_run refuses them
 * (SOLVE_ERROR, the size in the message) on an instance larger than the
 * ILP's size (ranges_check_ilp_size), where auto runs the label engine
 * alone. */
bool solve_needs_ilp(const nn_instance *in, const nn_solve_options *opt);
void solve_result_free(nn_solve_result *r);

/* The exact latency-energy Pareto front (MODEL.md, energy): every
 * non-dominated (latency, energy) pair, in increasing latency, each the
 * proven optimum of an epsilon-constraint ILP; energies closer than 1e-6
 * relative count as one. The energy is the battery devices' when
 * base->objective is battery-energy. status: OPTIMAL when the front is
 * complete (or stopped at max_points > 0, see truncated); otherwise the
 * front found so far and why it stopped. */
typedef struct nn_pareto_point {
    double latency, energy; /* seconds, joules: the evaluator's */
    int *place;             /* [L] */
} nn_pareto_point;

typedef struct nn_pareto {
    nn_solve_status status;
    int count;
    nn_pareto_point *points;
    bool truncated;
    double solve_time_s;
    char message[600];
} nn_pareto;

int solve_pareto(const nn_instance *in, const nn_solve_options *base, int max_points,
                 nn_pareto *out);
void pareto_free(nn_pareto *p);
const char *solve_status_name(nn_solve_status st);

/* When a long computation gives up (the DP, the baselines, the engines'
 * preparation): past `deadline` (solve_clock's seconds; INFINITY: never),
 * once *cancel is set (NULL: no flag), or once the race stops `engine`
 * (share: NULL outside a race). */
typedef struct nn_stop {
    double deadline;
    atomic_int *cancel;
    solve_share *share;
    nn_engine engine;
} nn_stop;

double solve_clock(void); /* monotonic seconds */
/* opt's time limit from now, its cancel flag and its race. */
nn_stop solve_stop_from(const nn_solve_options *opt, nn_engine engine);
bool solve_stop_now(const nn_stop *s); /* NULL: never */

/* Exact optimum over placements where every device runs at most one
 * contiguous run of layers. Returns the latency (INFINITY if none is
 * feasible) and writes the placement when `place` is not NULL. */
double solve_dp_contiguous(const nn_instance *in, nn_mode mode, int *place);
/* The same, giving up when `stop` says so (NULL: never): then INFINITY,
 * with *stopped (when not NULL) set; else *stopped is false. Small
 * programs (tens of milliseconds of work at worst) always run to the end. */
double solve_dp_contiguous_until(const nn_instance *in, nn_mode mode, int *place,
                                 const nn_stop *stop, bool *stopped);

typedef enum nn_baseline_kind {
    BASELINE_SINGLE,      /* every free layer on one device */
    BASELINE_SPLIT,       /* the best split: a run on the source, the rest on one other device */
    BASELINE_MEMORY_RING, /* exo: runs in proportion to memory, devices by memory */
    BASELINE_FLOPS,       /* runs in proportion to compute rate, from the source */
    BASELINE_EQUAL,       /* equal layer counts, from the source */
    BASELINE_OTHER_MODE,  /* the optimum of another mode, judged in this one */
    BASELINE_DP,          /* the contiguous-run dynamic program */
} nn_baseline_kind;

typedef struct nn_baseline {
    nn_baseline_kind kind;
    char name[NN_TEXT_LEN]; /* "all on cloud", "split phone|hub after conv5", ... */
    bool feasible;          /* memory, pins, routes and the stages rule hold */
    /* Scored on the solve's objective (MODEL.md): the latency under the
     * current mode (a stream's: one input alone, weights resident), the
     * energy of one inference (all devices, battery devices), a stream's
     * period (INFINITY under the other objectives), and `value`, the
     * objective's (seconds, or joules). INFINITY when infeasible. */
    double latency, energy, energy_battery, period, value;
    bool within_limits;         /* feasible and within latency_limit, energy_limit */
    double ratio;               /* value / the optimum's; INFINITY unless within limits */
    int *place;                 /* [L], NULL if no placement */
    char why[NN_TEXT_LEN + 96]; /* reason when infeasible */
} nn_baseline;

typedef struct nn_baselines {
    int count;
    nn_baseline *items;
    bool cancelled; /* opt->cancel stopped it: the list is incomplete */
    bool timed_out; /* opt's time limit stopped it: the list is incomplete */
} nn_baselines;

/* Every device alone; the best split source|other (each side at least one
 * layer, the best on the objective); exo's memory-weighted ring, the
 * FLOP/s-weighted and the equal split; the optimal placements of the other
 * modes (same objective and limits; none for a stream) evaluated under
 * opt->mode; the contiguous DP. Each is scored on opt->objective, with
 * opt's limits; `optimum` is the optimum's value on it (nn_solve_result
 * .value). Pinned layers stay on their pins in every
 * baseline (the name says where pins moved layers); a baseline that comes
 * out as one device where a split was meant, or as a placement listed
 * before, is left out. opt's time limit bounds the whole list: its end
 * stops it (out->timed_out), as a cancel does (out->cancelled), dropping
 * the baseline under way; the other modes' solves get what remains (at
 * most 2 s each). */
int baselines_compute(const nn_instance *in, const nn_solve_options *opt, double optimum,
                      nn_baselines *out);
/* Device d for every layer without a pin. */
void baselines_all_on(const nn_instance *in, int d, int *place);
void baselines_free(nn_baselines *b);
/* The least on the objective (`value`) of the baselines within the limits,
 * the first of equals; NULL when none is within them. What solve, sweep's
 * CSV, text and pictures and the explorer call the best baseline. */
const nn_baseline *baselines_best(const nn_baselines *b);

#endif
