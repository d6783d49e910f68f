/* Sweeps: the optimum re-solved while one or two values vary, over numbers
 * (a bandwidth, a speed) or over presets (device types, link kinds), with
 * the exact points where the optimal placement changes located by bisection.
 * Every point is solved on its own (no warm start from a neighbour), so
 * threads (--jobs) and slices (--shard) give exactly the same results as one
 * serial run. The CLI's sweep and the explorer's sensitivity view use this.
 * No curses here. */
#ifndef NNPART_SWEEP_H
#define NNPART_SWEEP_H

#include "../model/field.h"
#include "solve.h"

#define SWEEP_MAX_POINTS 250000 /* all points of a grid together */
#define SWEEP_MAX_JOBS 256
/* A change point is located when its interval is this narrow relative to
 * the value. */
#define SWEEP_BREAK_TOLERANCE 1e-3

typedef enum nn_axis_kind { AXIS_FIELD, AXIS_DEVICE_PRESET, AXIS_LINK_PRESET } nn_axis_kind;

typedef struct nn_axis {
    nn_axis_kind kind;
    nn_field_ref ref; /* AXIS_FIELD: the field; presets: .index is the device or link */
    bool log;         /* spaced on a log scale; bisection then halves the log */
    int n;
    double *values;                  /* AXIS_FIELD: [n] */
    int *presets;                    /* preset axes: [n] indices into the device or link presets */
    char what[2 * NN_NAME_LEN + 40]; /* "link:hub-cloud.bandwidth", "device:hub.preset" */
} nn_axis;

/* Parses WHAT: device:NAME.speed|memory|load_rate, link:A-B.bandwidth|latency,
 * device:NAME.preset or link:A-B.preset. The axis has no values yet. */
bool axis_parse(const nn_scenario *s, const char *what, nn_axis *out, char *why, size_t why_size);
/* n values from `from` to `to` (both included; exactly `to` at the end), on
 * a log scale when a->log. Numeric axes only. Returns -1 when out of memory. */
int axis_set_range(nn_axis *a, double from, double to, int n);
/* A comma-separated list: values with units (checked against the field's
 * range) or, on a preset axis, preset names. False with the reason. */
bool axis_parse_values(nn_axis *a, const char *list, char *why, size_t why_size);
void axis_free(nn_axis *a);
/* The unit of a numeric axis' values; UNIT_KIND_COUNT on a preset axis. */
unit_kind axis_unit(const nn_axis *a);
/* Point k for people: "1 Mbit/s", "jetson-nano". */
void axis_label(const nn_axis *a, int k, char *buf, size_t size);
/* The preset name of point k on a preset axis, else NULL. */
const char *axis_preset_name(const nn_axis *a, int k);
/* Sets point k of the axis (or the value v of a numeric axis) in `s`. */
bool axis_apply(const nn_axis *a, int k, nn_scenario *s, char *why, size_t why_size);
bool axis_apply_value(const nn_axis *a, double v, nn_scenario *s, char *why, size_t why_size);

typedef struct nn_sweep {
    const nn_scenario *base; /* the scenario; never changed */
    int naxes;               /* 1 or 2; a grid runs the first axis outer */
    nn_axis axes[2];
    nn_mode mode;
    double time_limit_s; /* of every solve, baselines included; 0: none */
    nn_engine engine;    /* of every solve (solve_run) */
    atomic_int *cancel;  /* optional: stops every solve */
    bool baselines;      /* compute the baselines of every point */
    int jobs;            /* threads; 1: on the calling thread */
} nn_sweep;

typedef struct nn_sweep_point {
    int k;      /* flat index: idx[0] * axes[1].n + idx[1] */
    int idx[2]; /* along each axis */
    nn_solve_result r;
    nn_baselines b;
    bool changed; /* another placement than the point before it in its row */
    bool failed;  /* out of memory, or the value could not be set (see why) */
    char why[256];
} nn_sweep_point;

typedef struct nn_breakpoint {
    double value;        /* the middle of the final interval */
    double lo, hi;       /* the interval: `before` at lo, `after` at hi */
    int *before, *after; /* [L]; NULL when no placement is feasible there */
    /* Each placement's latency at `value` as a solve reports it (under
     * throughput one input alone, weights resident: sweep_latency), and
     * its value on the objective (eval_objective with the file's limits:
     * INFINITY over one). */
    double latency_before, latency_after;
    double objective_before, objective_after;
    /* The optimum there as far as these two go: the one of lower value on
     * the objective (within 1e-10 relative: of lower latency, the
     * tie-break's second key), its value and its latency; both INFINITY
     * when neither is within the limits. */
    double objective, latency;
} nn_breakpoint;

typedef struct nn_breakpoints {
    int count, cap;
    nn_breakpoint *items;
} nn_breakpoints;

int sweep_size(const nn_sweep *sw);
/* Solves point k (thread-safe: works on its own copy of the scenario). */
int sweep_point_solve(const nn_sweep *sw, int k, nn_sweep_point *out);
void sweep_point_free(nn_sweep_point *p);
/* A placement's latency as the sweep's solves report it: in the sweep's
 * mode, or under throughput one input alone with weights resident. */
double sweep_latency(const nn_sweep *sw, const nn_instance *in, const int *place);
/* Whether two placements are the same (NULL: no placement). */
bool sweep_same_place(const int *a, const int *b, int L);

/* Between values lo and hi of the first axis, where the optimal placements
 * `plo` and `phi` differ, bisects until every change is located to
 * SWEEP_BREAK_TOLERANCE of its value, appending the change points in the
 * order from lo to hi. Numeric first axis, one axis only. */
int sweep_bisect(const nn_sweep *sw, double lo, const int *plo, double hi, const int *phi,
                 nn_breakpoints *out);
void breakpoints_free(nn_breakpoints *b);

/* Called for every point of the slice in order, with the breakpoints found
 * between it and the point before it. Returns non-zero to stop. */
typedef int (*sweep_emit_fn)(void *ctx, const nn_sweep_point *pt, const nn_breakpoint *bps,
                             int nbps);

/* Solves points [first, last) on sw->jobs threads and emits them in order.
 * `changed` and the breakpoints before `first` need the point first - 1,
 * which is solved too but not emitted, so slices of one sweep together emit
 * exactly what the whole sweep emits. Returns 0, or -1 when out of memory, a
 * thread cannot start or `emit` stopped it. */
int sweep_run(const nn_sweep *sw, int first, int last, bool breakpoints, sweep_emit_fn emit,
              void *ctx);

/* Slice K (1-based) of N of `n` points: [*first, *last). */
void sweep_shard(int n, int k, int count, int *first, int *last);

/* Runs fn(ctx, i) for i in [0, n) on `jobs` threads (inline when jobs <= 1
 * or n <= 1); each thread frees its GLPK environment when done. Returns -1
 * when a thread cannot start (then the remaining work runs inline). */
int sweep_parallel(int n, int jobs, void (*fn)(void *ctx, int i), void *ctx);

#endif
