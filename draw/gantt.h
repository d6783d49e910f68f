/* Timeline layout, independent of curses: turns an evaluation into lanes of
 * bars at a given width and zoom, so it can be tested headlessly and printed
 * to a plain terminal (`nnpart solve --gantt`) as well as drawn by the TUI.
 * A stream (objective throughput) has its own layout of the same shape:
 * several inputs through the evaluator's periodic schedule (eval_stream). */
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
    int input;               /* a stream's work bar: its input, 0-based; else -1 */
    int layer_last; /* a stream's compute: the run's last layer (layer..layer_last); else layer */
} gantt_bar;

typedef struct gantt_lane {
    gantt_lane_kind kind;
    int device; /* load and compute lanes */
    int a, b;   /* link lanes: the two devices, a < b */
    int color;  /* load and compute lanes: the device, for its colour; links: -1 */
    /* A link lane carries a (< b) both ways; a stream's carries a -> b only
     * (each direction is an engine of its own). */
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
    /* A stream (gantt_stream_build): total is the last input's end, and
     * total_col is -1; one steady-state period is marked instead. */
    bool stream;
    int ninputs;
    double period;                /* the evaluator's period, seconds */
    double latency;               /* one input through the pipeline, seconds */
    double period_t0, period_t1;  /* the period marked: a window where every engine
                                   * runs all its tasks, of some input each */
    int period_col0, period_col1; /* its columns (col1 may equal width); -1 outside */
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

/* Most inputs a stream picture shows (each its own shade, digits 1..9). */
#define GANTT_MAX_INPUTS 9

/* How many inputs a stream picture shows by default: enough to fill the
 * pipeline (one input's latency over the period, rounded up), at least 3,
 * at most GANTT_MAX_INPUTS. `one` is any eval_stream result. */
int gantt_stream_inputs(const nn_stream *one);
/* eval_stream of `ninputs` inputs (<= 0: gantt_stream_inputs of the
 * placement). Returns -1 only when out of memory. */
int gantt_stream_eval(const nn_instance *in, const int *place, int ninputs, nn_stream *out);
/* End of a stream's picture: the last input's output at the sink. */
double gantt_stream_total(const nn_stream *st);
/* Lanes of transfers gantt_stream_build makes: the link directions in use. */
int gantt_stream_link_lanes(const nn_instance *in, const nn_stream *st);
/* Columns the longest lane title of a stream takes ("cam", "hub->cloud"). */
int gantt_stream_title_width(const nn_instance *in, const nn_stream *st);
/* Lays out a stream (from eval_stream) in `width` columns over the view's
 * window: a compute lane per device, a lane per link direction in use;
 * each input's consecutive layers on a device one bar labelled with the
 * input's number (1-based), each hop one bar, idle time between; tasks
 * that take no time are left out. An infeasible stream gets lanes but no
 * bars. Returns -1 only when out of memory. */
int gantt_stream_build(const nn_instance *in, const nn_stream *st, const gantt_view *view,
                       int width, gantt_layout *out);

/* Which of two bars sharing a cell is drawn: the higher rank (idle 0,
 * waiting 1, a tick 2, work 3), on a tie the later. */
int gantt_bar_rank(const gantt_bar *bar);
/* The bar drawn on top at (lane, col), or -1. */
int gantt_bar_at(const gantt_layout *g, int lane, int col);

#endif
