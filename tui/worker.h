/* The explorer's solver thread: every edit submits a snapshot of the
 * scenario; a newer submission cancels the solve in progress (GLPK runs one
 * solve at a time, on this thread only). Results come back as outcomes, and a
 * pipe becomes readable so the main loop can sleep in poll(). No curses here. */
#ifndef NNPART_WORKER_H
#define NNPART_WORKER_H

#include "../model/critical.h"
#include "../model/scenario.h"
#include "../solve/solve.h"

/* Everything the explorer shows about one solved scenario. */
typedef struct tui_outcome {
    unsigned long gen; /* the submission it answers */
    nn_instance in;    /* of the scenario as submitted */
    nn_solve_result res;
    bool has_eval; /* res.place evaluated */
    nn_eval ev;
    bool has_crit; /* ev feasible and decomposed */
    nn_critical crit;
    /* Objective throughput: the placement's stream, as many inputs as the
     * timeline shows (gantt_stream_eval); has_stream when it is feasible. */
    bool has_stream;
    nn_stream stream;
    /* Objective throughput: the engine that sets the period (none else). */
    nn_bottleneck bottleneck;
    /* The baselines come after the placement, in a second message. */
    bool base_done;
    double base_time_s;
    nn_baselines base;
    /* The fastest device running every free layer (pins hold), or -1. */
    int best_single;
    double best_single_latency;
    /* Its value on the objective (latency, energy, battery energy, period),
     * the device chosen by it; INFINITY when every device alone is over a
     * limit or infeasible. */
    double best_single_value;
    /* What changed since the result shown before it (same devices and
     * layers): its placement and latency; NULL / NAN when not comparable. */
    int *prev_place;
    double prev_latency;
    /* The value of the objective before, when it was the same objective
     * (energy, battery energy, period); NAN otherwise. */
    double prev_value;
    char lp_path[4096]; /* non-empty: this solve also wrote the LP there */
} tui_outcome;

void outcome_free(tui_outcome *o); /* frees the struct too; NULL is fine */

/* Solves `s` into a new outcome on the calling thread (what the worker runs
 * first): the placement, its evaluation and critical path, the best single
 * device; no baselines yet. Returns NULL when out of memory. */
tui_outcome *outcome_solve(const nn_scenario *s, const char *write_lp, double time_limit_s,
                           atomic_int *cancel, const int *warm_start, unsigned long gen);
/* The same with a chosen engine (outcome_solve: ENGINE_AUTO, and an
 * existing write_lp is not replaced); lp_force: write_lp may replace a
 * file (the user said yes). */
tui_outcome *outcome_solve_engine(const nn_scenario *s, const char *write_lp, bool lp_force,
                                  double time_limit_s, atomic_int *cancel, const int *warm_start,
                                  unsigned long gen, nn_engine engine);
/* The baselines of `s` against `optimum` (what the worker runs second);
 * a cancel leaves out->cancelled set. Returns -1 when out of memory. */
int outcome_baselines(const nn_scenario *s, double optimum, double time_limit_s, atomic_int *cancel,
                      nn_baselines *out, double *time_s);
int outcome_baselines_engine(const nn_scenario *s, double optimum, double time_limit_s,
                             atomic_int *cancel, nn_engine engine, nn_baselines *out,
                             double *time_s);
/* Hands `b` (taken over) to the outcome: its baselines are done. */
void outcome_attach_baselines(tui_outcome *o, nn_baselines *b, double time_s);

typedef struct worker worker;

/* Starts the thread (tui/job_thread.h); time_limit_s bounds each solve.
 * NULL on failure. */
worker *worker_start(double time_limit_s);
/* The engine of the next submissions (ENGINE_AUTO until set). */
void worker_set_engine(worker *w, nn_engine engine);
/* Cancels any solve, joins the thread and frees everything. */
void worker_stop(worker *w);
/* Readable when an outcome is waiting for worker_take. */
int worker_fd(const worker *w);
/* Queues a copy of `s` (and an LP path to write, or NULL; lp_force: it may
 * replace a file), cancelling the solve in progress. Returns the
 * submission's number (> 0), 0 when out of memory. */
unsigned long worker_submit(worker *w, const nn_scenario *s, const char *write_lp, bool lp_force);
/* The newest finished outcome of the latest submission, or NULL; the caller
 * owns it. Drains the pipe. */
tui_outcome *worker_take(worker *w);
/* The baselines of submission *gen, when they are done: true and *out
 * (the caller frees it) filled. */
bool worker_take_baselines(worker *w, unsigned long *gen, nn_baselines *out, double *time_s);

#endif
