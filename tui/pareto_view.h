/* The explorer's Pareto view: the exact latency-energy front of the
 * scenario as `nnpart pareto` computes it (solve_pareto: the battery
 * devices' energy under battery-energy), on a thread of its own
 * (job_thread.h), cancelled by the next request and asked again after an
 * edit. Keys step along it: the selected point's placement takes the
 * optimum's place on screen (timeline, layers, header) until the view
 * closes, the next result arrives or the point is the optimum's own; P
 * pins it. No curses here (pareto_paint.h draws it). */
#ifndef NNPART_PARETO_VIEW_H
#define NNPART_PARETO_VIEW_H

#include <stdatomic.h>

#include "../draw/plot.h"
#include "explorer.h"

#define PVIEW_MAX_POINTS 100 /* as nnpart pareto's default */

typedef struct pview_result {
    unsigned long gen;
    bool battery;      /* the energy is the battery devices' */
    nn_pareto front;   /* points in increasing latency */
    int L;             /* layers of each placement */
    char message[640]; /* the front's status, or why there is none */
} pview_result;

void pview_result_free(pview_result *r); /* frees the struct too; NULL is fine */

/* The front of `s` on the calling thread (what the view's thread runs):
 * the options nnpart pareto uses, within `time_limit_s` in all. NULL when
 * out of memory. */
pview_result *pview_compute(const nn_scenario *s, double time_limit_s, atomic_int *cancel,
                            unsigned long gen);

/* The view's thread (a job_thread, as the sensitivity view's) running
 * pview_compute on the latest request; older ones are cancelled. */
typedef struct pview_worker pview_worker;
pview_worker *pview_worker_start(double time_limit_s);
void pview_worker_stop(pview_worker *w);
/* Readable when a front waits for pview_worker_take. */
int pview_worker_fd(const pview_worker *w);
/* Returns the request's number (> 0), 0 when out of memory. */
unsigned long pview_worker_submit(pview_worker *w, const nn_scenario *s);
/* The latest request's front, or NULL; the caller owns it. */
pview_result *pview_worker_take(pview_worker *w);

/* The point a placement of (latency, energy) is: the front point within
 * 1e-9 relative latency and 1e-6 relative energy (solve_pareto's own
 * tolerance), or -1 when it is off the front. */
int pview_match(const nn_pareto *front, double latency, double energy);
/* The point a step in direction `dir` (+1: slower and more frugal, -1:
 * faster) goes to from `sel`; from no selection (-1), the first point past
 * `latency` that way. Stays at the ends; -1 on an empty front. */
int pview_step(const nn_pareto *front, int sel, double latency, int dir);

/* The explorer's side. */
typedef struct ex_pview {
    bool on;
    unsigned long asked;     /* number of the latest request; 0: none yet */
    unsigned long asked_doc; /* ex->submitted at the latest request */
    pview_result *shown;
    int sel;           /* the selected point; -1: none */
    tui_outcome *kept; /* the solver's outcome while a point is on show in its place */
    bool announce;     /* the next front says its summary (once per opening: after an
                          edit the footer keeps what the edit did) */
} ex_pview;

bool pview_active(const explorer *ex);
/* Whether the front needs computing again (the scenario changed). */
bool pview_stale(const explorer *ex);
void pview_requested(explorer *ex, unsigned long gen);
/* Shows a front (takes ownership); older ones than the latest request go. */
void pview_show(explorer *ex, pview_result *r);
/* True while the front on show is not the latest request's. */
bool pview_computing(const explorer *ex);
/* The solver's own outcome back on show in place of a selected point (before
 * a new result replaces it, or when the view closes). */
void pview_release(explorer *ex);
void pview_free(explorer *ex);

/* The solver's outcome (the one kept aside while a point is on show). */
const tui_outcome *pview_optimum(const explorer *ex);
/* The energy a point of the front counts for the outcome `o`. */
double pview_energy_of(const pview_result *r, const tui_outcome *o);
/* "point 2/3 of the Pareto front: 65.7 ms, 85.9 mJ" while a point is on
 * show; false otherwise. */
bool pview_point_text(const explorer *ex, char *buf, size_t size);

/* The front as a plot layout (draw/plot.h) for the SVG export: energy over
 * latency, a numbered dot per point, the optimum's latency marked "now". */
int pview_plot(const explorer *ex, plot_data *out);
void pview_plot_free(plot_data *p);

/* Key actions, in the key table (tui/actions.c). */
unsigned pview_act_toggle(explorer *ex);
/* ] and [ (and Right/Left in the timeline): the next point slower and more
 * frugal, or faster. */
unsigned pview_act_step(explorer *ex, int dir);

#endif
