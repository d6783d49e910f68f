/* A sweep's results as plot layouts (draw/plot.h): the points as they come
 * from sweep_run, kept small (latencies and a placement class per point),
 * then the line plot with placement bands and change points, the grid's
 * map, and the ranges between change points. The CLI's --svg and text
 * tables and the explorer's sensitivity view build on this. */
#ifndef NNPART_SWEEP_PLOT_H
#define NNPART_SWEEP_PLOT_H

#include "../solve/sweep.h"
#include "plot.h"

typedef struct sweep_plot sweep_plot;

/* Records the points of `sw` (which must outlive it); `names` are the
 * device names of the scenario, `L` its layers. NULL when out of memory. */
sweep_plot *sweep_plot_new(const nn_sweep *sw, char (*names)[NN_NAME_LEN], int L);
void sweep_plot_free(sweep_plot *r);
/* Adds a point with the change points before it (as sweep_run emits). */
int sweep_plot_add(sweep_plot *r, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps);

int sweep_plot_npoints(const sweep_plot *r);
/* The placement class of the k-th recorded point: equal placements, equal
 * classes, numbered in order of appearance; -1 when none is feasible. */
int sweep_plot_class(const sweep_plot *r, int k);
int sweep_plot_nclasses(const sweep_plot *r);
const int *sweep_plot_class_place(const sweep_plot *r, int cls);
int sweep_plot_class_count(const sweep_plot *r, int cls); /* points it wins */
bool sweep_plot_infeasible(const sweep_plot *r);          /* a point without a placement */
int sweep_plot_nbreaks(const sweep_plot *r);
const nn_breakpoint *sweep_plot_break(const sweep_plot *r, int i);
/* The optimal latency at the k-th point (INFINITY: none), the best
 * baseline's value on the sweep's objective (under latency: its latency)
 * and the point's value. */
double sweep_plot_latency(const sweep_plot *r, int k);
double sweep_plot_best_baseline(const sweep_plot *r, int k);
double sweep_plot_value(const sweep_plot *r, int k);

/* One axis: the stretches where one placement is optimal, from the first
 * point to the last, split at the change points (or, without them, between
 * the samples on either side of a change). */
typedef struct sweep_range {
    double from, to;
    const int *place; /* NULL: no feasible placement */
    int cls;
    double latency_from, latency_to; /* the placement's latency at each end */
    /* Its value on the objective at each end (the latency under latency;
     * INFINITY where it is over a limit or infeasible). */
    double value_from, value_to;
} sweep_range;

int sweep_plot_nranges(const sweep_plot *r);
void sweep_plot_range(const sweep_plot *r, int i, sweep_range *out);

/* The y axis's name of the line plot under objective `obj`: "latency",
 * "energy (J per input)", "battery energy (J per input)", "period (s per
 * input)". */
void sweep_plot_yname(nn_objective obj, char *buf, size_t size);
/* The line plot of a one-axis sweep on its objective's value (its unit and
 * name on the y axis): optimum, best baseline (chosen on the objective),
 * every device alone; bands per range labelled with the placement; change points
 * marked. `compact` writes a placement's label. Free with sweep_plot_data_free. */
typedef void (*sweep_label_fn)(const int *place, char *buf, size_t size, void *ctx);
int sweep_plot_data(const sweep_plot *r, const char *title, sweep_label_fn label, void *ctx,
                    plot_data *out);
void sweep_plot_data_free(plot_data *p);
/* The map of a two-axis grid. */
int sweep_plot_map(const sweep_plot *r, const char *title, sweep_label_fn label, void *ctx,
                   plot_map *out);
void sweep_plot_map_free(plot_map *m);

#endif
