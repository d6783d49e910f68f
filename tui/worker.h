/* The explorer's solver thread: every edit submits a snapshot of the
 * scenario; a newer submission cancels the solve in progress (GLPK runs one
 * solve at a time, on this thread only). Results come back as outcomes, and a
 * pipe becomes readable so the main loop can sleep in poll(). No curses here. */
#ifndef NNPART_WORKER_H
#define NNPART_WORKER_H

#include "../model/scenario.h"
#include "../solve/solve.h"

/* Everything the explorer shows about one solved scenario. */
typedef struct tui_outcome {
    unsigned long gen; /* the submission it answers */
    nn_instance in;    /* of the scenario as submitted */
    nn_solve_result res;
    bool has_eval; /* res.place evaluated */
    nn_eval ev;
    nn_baselines base;
    int best_single; /* the fastest device running every layer alone, or -1 */
    double best_single_latency;
    char lp_path[4096]; /* non-empty: this solve also wrote the LP there */
} tui_outcome;

void outcome_free(tui_outcome *o); /* frees the struct too; NULL is fine */

/* Solves `s` into a new outcome on the calling thread (what the worker runs).
 * Returns NULL when out of memory. */
tui_outcome *outcome_solve(const nn_scenario *s, const char *write_lp, double time_limit_s,
                           atomic_int *cancel, const int *warm_start, unsigned long gen);

typedef struct worker worker;

/* Starts the thread; time_limit_s bounds each solve. NULL on failure. */
worker *worker_start(double time_limit_s);
/* Cancels any solve, joins the thread and frees everything. */
void worker_stop(worker *w);
/* Readable when an outcome is waiting for worker_take. */
int worker_fd(const worker *w);
/* Queues a copy of `s` (and an LP path to write, or NULL), cancelling the
 * solve in progress. Returns the submission's number (> 0), 0 when out of memory. */
unsigned long worker_submit(worker *w, const nn_scenario *s, const char *write_lp);
/* The newest finished outcome of the latest submission, or NULL; the caller
 * owns it. Drains the pipe. */
tui_outcome *worker_take(worker *w);

#endif
