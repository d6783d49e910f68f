/* Timeline layout, independent of curses: turns an evaluation into lanes of
 * bars at a given width and zoom, so it can be tested headlessly and printed
 * to a plain terminal (`nnpart solve --gantt`) as well as drawn by the TUI. */
#ifndef NNPART_GANTT_H
#define NNPART_GANTT_H

#include "../model/eval.h"

/* The visible time window. `fit` follows the whole timeline after each solve;
 * zooming or panning turns it off. */
typedef struct gantt_view {
    double t0, t1; /* seconds */
    bool fit;
} gantt_view;

/* Shows [0, total] (one second when total is not a positive number). */
void gantt_view_fit(gantt_view *v, double total);
/* factor > 1 zooms in, < 1 out, around the window's centre; the window never
 * grows past [0, total] (then it fits) nor shrinks below a microsecond. */
void gantt_view_zoom(gantt_view *v, double factor, double total);
/* Moves the window by `fraction` of its width (negative: earlier), within [0, total]. */
void gantt_view_pan(gantt_view *v, double fraction, double total);

/* In a compute lane, idle time is split by what the device waits for: its
 * input (GANTT_IDLE: preloading there is free) or, with the input present,
 * the layer's weights (GANTT_WAIT: loading is on the critical path). */
typedef enum gantt_kind {
    GANTT_IDLE,
    GANTT_COMPUTE,
    GANTT_LOAD,
    GANTT_TRANSFER,
    GANTT_WAIT,
} gantt_kind;

typedef enum gantt_lane_kind { LANE_LOAD, LANE_COMPUTE, LANE_LINK } gantt_lane_kind;

typedef struct gantt_bar {
    gantt_kind kind;
    int lane;
    int col0, col1; /* columns [col0, col1) of the plot, clipped to it; col1 > col0 */
    double t0, t1;  /* the interval in seconds, unclipped */
    int layer;      /* compute, load: 0-based layer; transfer: -1 */
    int boundary;   /* transfer: 0 = network input, l = output of layer l; else -1 */
    int device;     /* compute, load, idle: the device; transfer: the sender */
    int to;         /* transfer: the receiver; else -1 */
    bool clip_left, clip_right;
    bool critical; /* on the critical path (model/critical.h): the latency is made of it */
    int shade;     /* compute: 0 or 1, alternating between touching layers on one lane */
    bool tick;     /* a zero-length compute or load (pool, flatten): one column over
                    * idle or waiting time that real work covers (gantt_bar_rank) */
    char label[NN_NAME_LEN]; /* empty when it does not fit in the bar */
} gantt_bar;

typedef struct gantt_lane {
    gantt_lane_kind kind;
    int device; /* load and compute lanes */
    int a, b;   /* link lanes: the two devices, a < b */
    int color;  /* load and compute lanes: the device, for its colour; links: -1 */
    char title[2 * NN_NAME_LEN + 8];
    int first_bar, nbars; /* its bars, in time order */
} gantt_lane;

#define GANTT_MAX_TICKS 64

typedef struct gantt_tick {
    int col;
    double t;
    char label[24]; /* "100 ms" */
} gantt_tick;

typedef struct gantt_layout {
    int width;       /* plot columns */
    double t0, t1;   /* the window drawn */
    double total;    /* end of the timeline: the latency */
    int total_col;   /* column of the latency on the axis, -1 outside the window */
    bool load_lanes; /* a loading lane per device (none in resident mode) */
    int nlanes;
    gantt_lane *lanes;
    int nbars;
    gantt_bar *bars;
    int nticks;
    gantt_tick ticks[GANTT_MAX_TICKS];
} gantt_layout;

/* Lays out `ev` (a feasible evaluation of `in`) in `width` plot columns over
 * the view's window. An evaluation without a finite latency gets lanes but no
 * bars. Returns -1 only when out of memory. */
int gantt_layout_build(const nn_instance *in, const nn_eval *ev, const gantt_view *view, int width,
                       gantt_layout *out);
/* Lanes per device gantt_layout_build makes: 2 (loading and compute), or 1
 * in resident mode, where nothing loads. */
int gantt_device_lanes(const nn_eval *ev);
/* The compute lane of device d. */
int gantt_compute_lane(const gantt_layout *g, int d);
/* Lanes of transfers gantt_layout_build makes: the links `ev` uses. */
int gantt_link_lanes(const nn_instance *in, const nn_eval *ev);
/* Columns the longest lane title takes ("phone load", "hub-cloud"). */
int gantt_title_width(const nn_instance *in, const nn_eval *ev);
void gantt_layout_free(gantt_layout *g);

/* Which of two bars sharing a cell is drawn: the higher rank (idle 0,
 * waiting 1, a tick 2, work 3), on a tie the later. */
int gantt_bar_rank(const gantt_bar *bar);
/* The bar drawn on top at (lane, col), or -1. */
int gantt_bar_at(const gantt_layout *g, int lane, int col);

#endif
