/* Plot layout, independent of any painter: a sweep's latency against the
 * varied value (lines, placement bands, change points, the current value)
 * and a grid's map of placements, with axes and ticks in units. The SVG
 * painter (plot_svg.h) and the terminal painter (plot_text.h) draw the same
 * layout, so the slide and the explorer cannot disagree. */
#ifndef NNPART_PLOT_H
#define NNPART_PLOT_H

#include <stdbool.h>

#include "../model/units.h"

#define PLOT_MAX_TICKS 24
#define PLOT_MAX_SERIES 12

typedef struct plot_tick {
    double v;
    char label[32]; /* "10 Mbit/s" */
} plot_tick;

typedef struct plot_axis {
    double lo, hi; /* the range drawn; lo < hi (log: 0 < lo) */
    bool log;
    int nticks;
    plot_tick ticks[PLOT_MAX_TICKS];
} plot_axis;

/* Fits an axis around [lo, hi] (widened when empty) with at most
 * `max_ticks` ticks: 1-2-5 steps, or decades (with 2 and 5 when few) on a
 * log axis; labels in `unit` (UNIT_KIND_COUNT: plain numbers). */
void plot_axis_build(plot_axis *a, double lo, double hi, bool log, unit_kind unit, int max_ticks);
/* Where v falls on the axis, 0 at lo and 1 at hi (outside: beyond). */
/* Tick spacing, the plots' and the timeline's: the smallest 1, 2 or 5
 * times a power of ten that is at least `raw`. */
double plot_nice_step(double raw);
double plot_axis_frac(const plot_axis *a, double v);

typedef enum plot_style {
    PLOT_OPTIMUM,  /* the optimal latency: the main line */
    PLOT_BEST,     /* the best baseline at each point */
    PLOT_BASELINE, /* one named baseline (all on one device) */
} plot_style;

typedef struct plot_series {
    char name[96];
    plot_style style;
    double *y;     /* [n]; NAN or INFINITY where it has no value */
    bool numbered; /* each point's number beside its dot (a Pareto front) */
} plot_series;

typedef struct plot_band { /* where one placement is optimal */
    double x0, x1;
    int cls;         /* placement class: the same placement, the same colour */
    char label[256]; /* the placement, "phone×2 hub×11" */
} plot_band;

typedef struct plot_mark { /* a change point */
    double x;
    char label[48];
} plot_mark;

typedef struct plot_data {
    char title[320];
    char xname[160]; /* "link:hub-cloud.bandwidth" */
    unit_kind xunit; /* UNIT_KIND_COUNT: categories (xcat) */
    bool xlog;
    int n;
    double *x;        /* [n], ascending or descending; categories: 0..n-1 */
    char (*xcat)[64]; /* [n] category names, or NULL */
    int nseries;
    plot_series series[PLOT_MAX_SERIES];
    int nbands;
    plot_band *bands;
    int nmarks;
    plot_mark *marks;
    double current; /* the value now (the explorer), NAN when none */
    /* The y axis: latency in seconds unless yname is given (a Pareto
     * front, or a sweep under another objective: energy in joules, a
     * stream's period in seconds). */
    char yname[64];
    unit_kind yunit;
} plot_data;

/* The axes of a line plot: x over the data's x, y (latency, seconds, or
 * the data's yunit) over the optimum and the best baseline (single devices
 * may fall outside); y turns logarithmic when the values span more than 30x. */
/* The y axis's unit and name ("latency" in seconds by default). */
unit_kind plot_yunit(const plot_data *p);
const char *plot_yname(const plot_data *p);
void plot_axes(const plot_data *p, int x_ticks, int y_ticks, plot_axis *x, plot_axis *y);

/* Whether series s has no value inside the y axis (drawn only in the legend). */
bool plot_series_off(const plot_data *p, int s, const plot_axis *y);

/* A grid: which placement wins at each point. */
typedef struct plot_map {
    char title[320];
    char xname[160], yname[160]; /* columns: the second axis; rows: the first */
    int nx, ny;
    char (*xlabels)[64]; /* [nx] */
    char (*ylabels)[64]; /* [ny] */
    int *cls;            /* [ny * nx], row-major from the first row; -1: none feasible */
    double *value;       /* [ny * nx] the optimum's value on the objective, in `unit` */
    unit_kind unit;      /* seconds (latency, a stream's period) or joules */
    int nclasses;
    char (*class_labels)[256]; /* [nclasses] the placements */
    int *class_count;          /* [nclasses] points won */
} plot_map;

/* A fixed qualitative colour per placement class (cycled), as #rrggbb. */
const char *plot_class_colour(int cls);

#endif
