/* The explorer's sensitivity view: for the selected device or link value,
 * the optimal latency and the best baseline over x1/100 .. x100 of it (log
 * steps), with every change of the optimal placement located by bisection
 * (solve/sweep.h) and the current value marked. It is computed on a worker
 * thread of its own, cancelled by the next request, and asked again when the
 * value, the selection or the scenario changes. Keys move the value to a
 * change point. No curses here (sensitivity_paint.h draws it). */
#ifndef NNPART_SENSITIVITY_H
#define NNPART_SENSITIVITY_H

#include <stdatomic.h>

#include "../draw/plot.h"
#include "explorer.h"

#define SENS_POINTS 25  /* samples across the range */
#define SENS_SPAN 100.0 /* the range: value / SENS_SPAN .. value * SENS_SPAN */
#define SENS_TIME_LIMIT_S 2.0

typedef struct sens_result {
    unsigned long gen;
    nn_field_ref ref;
    double centre;  /* the value it was computed around */
    char what[160]; /* "link:hub-cloud.bandwidth" */
    bool ok;        /* else `message` says why there is no plot */
    bool cancelled;
    char message[256];
    plot_data plot; /* current = centre */
    int nbreaks;
    double *breaks;     /* change points, ascending */
    char (*after)[256]; /* [nbreaks] the placement from each change on */
    int npoints;
} sens_result;

void sens_result_free(sens_result *r); /* frees the struct too; NULL is fine */

/* Computes the view for `ref` in `s` on the calling thread (what the
 * sensitivity thread runs). NULL when out of memory. */
sens_result *sens_compute(const nn_scenario *s, const nn_field_ref *ref, double time_limit_s,
                          atomic_int *cancel, unsigned long gen);

typedef struct sens_worker sens_worker;
sens_worker *sens_worker_start(double time_limit_s);
void sens_worker_stop(sens_worker *w);
/* Readable when a result waits for sens_worker_take. */
int sens_worker_fd(const sens_worker *w);
/* Queues a copy of `s`, cancelling the computation in progress; returns its
 * number (> 0), 0 when out of memory. */
unsigned long sens_worker_submit(sens_worker *w, const nn_scenario *s, const nn_field_ref *ref);
/* The latest result, or NULL; the caller owns it. */
sens_result *sens_worker_take(sens_worker *w);

/* The explorer's side: the view on or off, for which value, what is shown. */
typedef struct ex_sens {
    bool on;
    nn_field_ref ref;
    double asked_value;      /* the value of the latest request */
    unsigned long asked_doc; /* ex->submitted at the latest request */
    unsigned long asked;     /* number of the latest request; 0: none yet */
    sens_result *shown;
} ex_sens;

bool sens_active(const explorer *ex);
/* Whether the view needs computing again (another value, selection or
 * scenario than the last request); writes the value to compute for. */
bool sens_stale(const explorer *ex, nn_field_ref *ref);
void sens_requested(explorer *ex, const nn_field_ref *ref, unsigned long gen);
/* Shows a result (takes ownership); older ones than the latest request go. */
void sens_show(explorer *ex, sens_result *r);
/* True while the result on show is not the latest request's. */
bool sens_computing(const explorer *ex);
void sens_free(explorer *ex);

/* Key actions, in the key table (tui/actions.c). */
unsigned sens_act_toggle(explorer *ex);
unsigned sens_act_next_break(explorer *ex);
unsigned sens_act_prev_break(explorer *ex);

#endif
