/* Sweep results kept for pictures and tables, and their plot layouts. */
#include "sweep_plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rec_point {
    int idx[2];
    double latency;     /* the optimum's, for the ranges' tables */
    double value, best; /* the optimum's and the best baseline's on the objective */
    int cls;
    int first_break, nbreaks; /* change points before it */
} rec_point;

struct sweep_plot {
    const nn_sweep *sw;
    char (*names)[NN_NAME_LEN];
    int L;
    int n, cap;
    rec_point *pts;
    double *alone; /* [n * D]: each device alone ("all on X") on the objective, INFINITY if not */
    int D;
    /* Points where a line's baseline is feasible but over a limit (drawn
     * as infeasible: no point there): [0] the best baseline (some feasible
     * baseline, none within the limits), [2 + d] device d alone. */
    int *over;
    nn_objective objective; /* what the lines plot (its value, in its unit) */
    int nclasses, class_cap;
    int **class_place;
    int *class_count;
    bool infeasible;
    nn_breakpoints breaks;
};

sweep_plot *sweep_plot_new(const nn_sweep *sw, char (*names)[NN_NAME_LEN], int L)
{
    sweep_plot *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->sw = sw;
    r->names = names;
    r->L = L;
    r->D = sw->base->ndevices;
    r->objective = sw->base->objective;
    r->over = calloc((size_t)r->D + 2, sizeof *r->over);
    if (!r->over) {
        free(r);
        return NULL;
    }
    return r;
}

void sweep_plot_free(sweep_plot *r)
{
    if (!r) return;
    for (int c = 0; c < r->nclasses; c++)
        free(r->class_place[c]);
    free(r->class_place);
    free(r->class_count);
    free(r->pts);
    free(r->alone);
    free(r->over);
    breakpoints_free(&r->breaks);
    free(r);
}

/* The class of a placement, added when new; -1 for none, -2 out of memory. */
static int class_of(sweep_plot *r, const int *place)
{
    if (!place) return -1;
    for (int c = 0; c < r->nclasses; c++)
        if (sweep_same_place(r->class_place[c], place, r->L)) return c;
    if (r->nclasses == r->class_cap) {
        int cap = r->class_cap ? 2 * r->class_cap : 16;
        int **p = realloc(r->class_place, (size_t)cap * sizeof *p);
        if (!p) return -2;
        r->class_place = p;
        int *n = realloc(r->class_count, (size_t)cap * sizeof *n);
        if (!n) return -2;
        r->class_count = n;
        r->class_cap = cap;
    }
    int *copy = malloc((size_t)r->L * sizeof *copy);
    if (!copy) return -2;
    memcpy(copy, place, (size_t)r->L * sizeof *copy);
    r->class_place[r->nclasses] = copy;
    r->class_count[r->nclasses] = 0;
    return r->nclasses++;
}

int sweep_plot_add(sweep_plot *r, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps)
{
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 64;
        rec_point *p = realloc(r->pts, (size_t)cap * sizeof *p);
        if (!p) return -1;
        r->pts = p;
        double *a = realloc(r->alone, (size_t)cap * (size_t)(r->D ? r->D : 1) * sizeof *a);
        if (!a) return -1;
        r->alone = a;
        r->cap = cap;
    }
    rec_point *p = &r->pts[r->n];
    *p = (rec_point){.idx = {pt->idx[0], pt->idx[1]},
                     .latency = pt->r.place ? pt->r.latency : INFINITY,
                     .value = INFINITY,
                     .best = INFINITY,
                     .first_break = r->breaks.count,
                     .nbreaks = nbps};
    p->cls = class_of(r, pt->r.place);
    if (p->cls == -2) return -1;
    if (p->cls >= 0)
        r->class_count[p->cls]++;
    else
        r->infeasible = true;
    double *alone = &r->alone[(size_t)r->n * (size_t)r->D];
    for (int d = 0; d < r->D; d++)
        alone[d] = INFINITY;
    /* The lines are values on the objective (the latency under latency),
     * and a baseline counts only within the limits, as the optimum does:
     * the best baseline is the one the CSV and the text table name. */
    if (pt->r.place) p->value = pt->r.value;
    const nn_baseline *best = baselines_best(&pt->b);
    if (best) p->best = best->value;
    bool feasible = false, over[NN_MAX_DEVICES] = {false};
    for (int i = 0; i < pt->b.count; i++) {
        const nn_baseline *b = &pt->b.items[i];
        if (!b->feasible) continue;
        feasible = true;
        /* Every layer on one device: that device's line. */
        if (!b->place) continue;
        bool one = true;
        for (int l = 1; l < r->L && one; l++)
            one = b->place[l] == b->place[0];
        if (!one || b->place[0] < 0 || b->place[0] >= r->D) continue;
        /* Other baselines may be the same placement: counted once. */
        if (b->within_limits)
            alone[b->place[0]] = b->value;
        else
            over[b->place[0]] = true;
    }
    for (int d = 0; d < r->D && d < NN_MAX_DEVICES; d++)
        r->over[2 + d] += over[d];
    if (feasible && !best) r->over[0]++;
    for (int i = 0; i < nbps; i++) {
        nn_breakpoints *o = &r->breaks;
        if (o->count == o->cap) {
            int cap = o->cap ? 2 * o->cap : 16;
            nn_breakpoint *g = realloc(o->items, (size_t)cap * sizeof *g);
            if (!g) return -1;
            o->items = g;
            o->cap = cap;
        }
        nn_breakpoint b = bps[i];
        size_t bytes = (size_t)r->L * sizeof(int);
        b.before = bps[i].before ? malloc(bytes) : NULL;
        b.after = bps[i].after ? malloc(bytes) : NULL;
        if ((bps[i].before && !b.before) || (bps[i].after && !b.after)) {
            free(b.before);
            free(b.after);
            return -1;
        }
        if (b.before) memcpy(b.before, bps[i].before, bytes);
        if (b.after) memcpy(b.after, bps[i].after, bytes);
        o->items[o->count++] = b;
        if (class_of(r, b.after) == -2 || class_of(r, b.before) == -2) return -1;
    }
    r->n++;
    return 0;
}

int sweep_plot_npoints(const sweep_plot *r)
{
    return r->n;
}
int sweep_plot_class(const sweep_plot *r, int k)
{
    return r->pts[k].cls;
}
int sweep_plot_nclasses(const sweep_plot *r)
{
    return r->nclasses;
}
const int *sweep_plot_class_place(const sweep_plot *r, int cls)
{
    return cls >= 0 && cls < r->nclasses ? r->class_place[cls] : NULL;
}
int sweep_plot_class_count(const sweep_plot *r, int cls)
{
    return r->class_count[cls];
}
bool sweep_plot_infeasible(const sweep_plot *r)
{
    return r->infeasible;
}
int sweep_plot_nbreaks(const sweep_plot *r)
{
    return r->breaks.count;
}
const nn_breakpoint *sweep_plot_break(const sweep_plot *r, int i)
{
    return &r->breaks.items[i];
}
double sweep_plot_latency(const sweep_plot *r, int k)
{
    return r->pts[k].latency;
}
double sweep_plot_best_baseline(const sweep_plot *r, int k)
{
    return r->pts[k].best;
}

double sweep_plot_value(const sweep_plot *r, int k)
{
    const nn_axis *a = &r->sw->axes[0];
    return a->kind == AXIS_FIELD ? a->values[r->pts[k].idx[0]] : r->pts[k].idx[0];
}

/* Walks the ranges; fills `out` for range `want` (or counts them with -1). */
static int ranges_walk(const sweep_plot *r, int want, sweep_range *out)
{
    if (r->n == 0) return 0;
    int count = 0;
    sweep_range cur = {.from = sweep_plot_value(r, 0),
                       .place = sweep_plot_class_place(r, r->pts[0].cls),
                       .cls = r->pts[0].cls,
                       .latency_from = r->pts[0].latency,
                       .value_from = r->pts[0].value};
    for (int k = 1; k <= r->n; k++) {
        const rec_point *p = k < r->n ? &r->pts[k] : NULL;
        const rec_point *prev = &r->pts[k - 1];
        if (p && p->cls == prev->cls) continue;
        /* The range ends at the change points, or at the last sample before it. */
        if (p && p->nbreaks > 0) {
            for (int b = p->first_break; b < p->first_break + p->nbreaks; b++) {
                const nn_breakpoint *bp = &r->breaks.items[b];
                cur.to = bp->value;
                cur.latency_to = bp->latency_before;
                cur.value_to = bp->objective_before;
                if (count++ == want) {
                    *out = cur;
                    return count;
                }
                int cls = -1;
                for (int c = 0; c < r->nclasses && bp->after; c++)
                    if (sweep_same_place(r->class_place[c], bp->after, r->L)) cls = c;
                cur = (sweep_range){.from = bp->value,
                                    .place = sweep_plot_class_place(r, cls),
                                    .cls = cls,
                                    .latency_from = bp->latency_after,
                                    .value_from = bp->objective_after};
            }
            continue;
        }
        cur.to = sweep_plot_value(r, k - 1);
        cur.latency_to = prev->latency;
        cur.value_to = prev->value;
        if (count++ == want) {
            *out = cur;
            return count;
        }
        if (p)
            cur = (sweep_range){.from = sweep_plot_value(r, k),
                                .place = sweep_plot_class_place(r, p->cls),
                                .cls = p->cls,
                                .latency_from = p->latency,
                                .value_from = p->value};
    }
    return count;
}

int sweep_plot_nranges(const sweep_plot *r)
{
    return ranges_walk(r, -1, NULL);
}

void sweep_plot_range(const sweep_plot *r, int i, sweep_range *out)
{
    ranges_walk(r, i, out);
}

void sweep_plot_data_free(plot_data *p)
{
    free(p->x);
    free(p->xcat);
    for (int s = 0; s < p->nseries; s++)
        free(p->series[s].y);
    free(p->bands);
    free(p->marks);
    memset(p, 0, sizeof *p);
}

void sweep_plot_yname(nn_objective obj, char *buf, size_t size)
{
    switch (obj) {
    case OBJ_ENERGY:
        snprintf(buf, size, "energy (J per input)");
        return;
    case OBJ_BATTERY_ENERGY:
        snprintf(buf, size, "battery energy (J per input)");
        return;
    case OBJ_THROUGHPUT:
        snprintf(buf, size, "period (s per input)");
        return;
    case OBJ_LATENCY:
    case OBJ_COUNT:
        break;
    }
    snprintf(buf, size, "latency");
}

static double midpoint(bool log, double a, double b)
{
    return log && a > 0 && b > 0 ? sqrt(a) * sqrt(b) : a + (b - a) / 2;
}

int sweep_plot_data(const sweep_plot *r, const char *title, sweep_label_fn label, void *ctx,
                    plot_data *out)
{
    const nn_axis *a = &r->sw->axes[0];
    memset(out, 0, sizeof *out);
    out->current = NAN;
    str_copy(out->title, sizeof out->title, title);
    str_copy(out->xname, sizeof out->xname, a->what);
    out->xunit = axis_unit(a);
    out->xlog = a->log;
    if (r->objective != OBJ_LATENCY) {
        out->yunit = objective_unit(r->objective);
        sweep_plot_yname(r->objective, out->yname, sizeof out->yname);
    }
    out->n = r->n;
    out->x = calloc((size_t)r->n + 1, sizeof *out->x);
    if (!out->x) goto fail;
    if (a->kind != AXIS_FIELD) {
        out->xcat = calloc((size_t)r->n + 1, sizeof *out->xcat);
        if (!out->xcat) goto fail;
    }
    for (int k = 0; k < r->n; k++) {
        out->x[k] = a->kind == AXIS_FIELD ? sweep_plot_value(r, k) : k;
        if (out->xcat) axis_label(a, r->pts[k].idx[0], out->xcat[k], sizeof out->xcat[k]);
    }
    /* Lines: the optimum, the best baseline, each device alone (when any). */
    int ns = 2 + r->D;
    if (ns > PLOT_MAX_SERIES) ns = PLOT_MAX_SERIES;
    for (int s = 0; s < ns; s++) {
        plot_series *ser = &out->series[out->nseries];
        ser->y = calloc((size_t)r->n + 1, sizeof *ser->y);
        if (!ser->y) goto fail;
        out->nseries++;
        bool any = false;
        for (int k = 0; k < r->n; k++) {
            double v = s == 0   ? r->pts[k].value
                       : s == 1 ? r->pts[k].best
                                : r->alone[(size_t)k * (size_t)r->D + (size_t)(s - 2)];
            ser->y[k] = v;
            any = any || isfinite(v);
        }
        ser->style = s == 0 ? PLOT_OPTIMUM : s == 1 ? PLOT_BEST : PLOT_BASELINE;
        if (s == 0)
            snprintf(ser->name, sizeof ser->name, "optimum (nnpart)");
        else if (s == 1 && r->objective == OBJ_LATENCY)
            snprintf(ser->name, sizeof ser->name, "best baseline");
        else if (s == 1) /* chosen on the objective, not on latency */
            snprintf(ser->name, sizeof ser->name, "best baseline (least %s)",
                     objective_value_name(r->objective));
        else
            snprintf(ser->name, sizeof ser->name, "all on %s", r->names[s - 2]);
        /* Over a limit is infeasible: no point there, and the legend says where. */
        int over = s == 0 ? 0 : r->over[s == 1 ? 0 : s];
        size_t at = strlen(ser->name);
        if (over == r->n)
            snprintf(ser->name + at, sizeof ser->name - at, "%s",
                     s == 1 ? " (none within the limits at any point)"
                            : " (over the limits at every point)");
        else if (over > 0)
            snprintf(ser->name + at, sizeof ser->name - at, " (%s the limits at %d of %d point%s)",
                     s == 1 ? "none within" : "over", over, r->n, r->n == 1 ? "" : "s");
        if (!any && s > 0 && over == 0) {
            free(ser->y);
            ser->y = NULL;
            out->nseries--;
        }
    }
    /* Bands: one per range; without change points, bounds half-way between samples. */
    int nr = a->kind == AXIS_FIELD ? sweep_plot_nranges(r) : r->n;
    out->bands = calloc((size_t)nr + 1, sizeof *out->bands);
    out->marks = calloc((size_t)r->breaks.count + 1, sizeof *out->marks);
    if (!out->bands || !out->marks) goto fail;
    sweep_range prev = {0};
    for (int i = 0; i < nr; i++) {
        plot_band *b = &out->bands[out->nbands];
        if (a->kind == AXIS_FIELD) {
            sweep_range cur;
            sweep_plot_range(r, i, &cur);
            b->x0 = cur.from;
            b->x1 = cur.to;
            if (i > 0 && cur.from != prev.to) {
                double m = midpoint(a->log, prev.to, cur.from);
                out->bands[out->nbands - 1].x1 = m;
                b->x0 = m;
            }
            b->cls = cur.cls;
            prev = cur;
        } else {
            b->x0 = i - 0.5;
            b->x1 = i + 0.5;
            b->cls = r->pts[i].cls;
        }
        if (b->cls >= 0)
            label(r->class_place[b->cls], b->label, sizeof b->label, ctx);
        else
            snprintf(b->label, sizeof b->label, "none feasible");
        if (b->cls < 0) continue; /* no band where nothing is feasible */
        out->nbands++;
    }
    /* Letters and colours in the order the bands appear, left to right. */
    int *order = calloc((size_t)r->nclasses + 1, sizeof *order);
    if (!order) goto fail;
    int next = 0;
    for (int c = 0; c < r->nclasses; c++)
        order[c] = -1;
    for (int i = 0; i < out->nbands; i++) {
        int c = out->bands[i].cls;
        if (order[c] < 0) order[c] = next++;
        out->bands[i].cls = order[c];
    }
    free(order);
    for (int i = 0; i < r->breaks.count; i++) {
        out->marks[i].x = r->breaks.items[i].value;
        units_format(r->breaks.items[i].value, out->xunit, out->marks[i].label,
                     sizeof out->marks[i].label);
    }
    out->nmarks = r->breaks.count;
    return 0;
fail:
    sweep_plot_data_free(out);
    return -1;
}

void sweep_plot_map_free(plot_map *m)
{
    free(m->xlabels);
    free(m->ylabels);
    free(m->cls);
    free(m->value);
    free(m->class_labels);
    free(m->class_count);
    memset(m, 0, sizeof *m);
}

int sweep_plot_map(const sweep_plot *r, const char *title, sweep_label_fn label, void *ctx,
                   plot_map *out)
{
    const nn_axis *ay = &r->sw->axes[0], *ax = &r->sw->axes[1];
    memset(out, 0, sizeof *out);
    str_copy(out->title, sizeof out->title, title);
    str_copy(out->xname, sizeof out->xname, ax->what);
    str_copy(out->yname, sizeof out->yname, ay->what);
    out->nx = ax->n;
    out->ny = ay->n;
    size_t cells = (size_t)out->nx * (size_t)out->ny;
    out->xlabels = calloc((size_t)out->nx, sizeof *out->xlabels);
    out->ylabels = calloc((size_t)out->ny, sizeof *out->ylabels);
    out->cls = malloc(cells * sizeof *out->cls);
    out->value = malloc(cells * sizeof *out->value);
    out->unit = objective_unit(r->objective);
    out->nclasses = r->nclasses;
    out->class_labels = calloc((size_t)r->nclasses + 1, sizeof *out->class_labels);
    out->class_count = calloc((size_t)r->nclasses + 1, sizeof *out->class_count);
    if (!out->xlabels || !out->ylabels || !out->cls || !out->value || !out->class_labels ||
        !out->class_count) {
        sweep_plot_map_free(out);
        return -1;
    }
    for (int j = 0; j < out->nx; j++)
        axis_label(ax, j, out->xlabels[j], sizeof out->xlabels[j]);
    for (int i = 0; i < out->ny; i++)
        axis_label(ay, i, out->ylabels[i], sizeof out->ylabels[i]);
    for (size_t k = 0; k < cells; k++) {
        out->cls[k] = -1;
        out->value[k] = INFINITY;
    }
    for (int k = 0; k < r->n; k++) {
        size_t at = (size_t)r->pts[k].idx[0] * (size_t)out->nx + (size_t)r->pts[k].idx[1];
        out->cls[at] = r->pts[k].cls;
        out->value[at] = r->pts[k].value;
    }
    for (int c = 0; c < r->nclasses; c++) {
        label(r->class_place[c], out->class_labels[c], sizeof out->class_labels[c], ctx);
        out->class_count[c] = r->class_count[c];
    }
    return 0;
}
