/* The sensitivity view: its computation, thread and keys. */
#include "sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../draw/sweep_plot.h"
#include "../solve/sweep.h"
#include "explorer_internal.h"
#include "job_thread.h"

void sens_result_free(sens_result *r)
{
    if (!r) return;
    sweep_plot_data_free(&r->plot);
    free(r->breaks);
    free(r->after);
    free(r);
}

typedef struct names_ctx {
    char (*names)[NN_NAME_LEN];
    int L;
} names_ctx;

static void label_place(const int *place, char *buf, size_t size, void *ctx)
{
    const names_ctx *n = ctx;
    placement_compact(n->names, place, n->L, true, buf, size);
}

static int emit(void *ctx, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps)
{
    return sweep_plot_add(ctx, pt, bps, nbps);
}

sens_result *sens_compute(const nn_scenario *s, const nn_field_ref *ref, double time_limit_s,
                          atomic_int *cancel, unsigned long gen)
{
    sens_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->gen = gen;
    r->ref = *ref;
    r->centre = field_get(s, ref);
    field_ref_name(s, ref, r->what, sizeof r->what);
    const nn_field_desc *f = field_desc(ref->id);
    const nn_range *range = ranges_range(f->range);
    double v = r->centre;
    if (!(v > 0)) {
        snprintf(r->message, sizeof r->message,
                 "%s is 0: no range around it on a log scale; set a value first", r->what);
        return r;
    }
    double lo = fmax(v / SENS_SPAN, range->min), hi = fmin(v * SENS_SPAN, range->max);
    if (!(hi > lo)) {
        snprintf(r->message, sizeof r->message, "%s has no range to vary", r->what);
        return r;
    }
    nn_sweep sw = {.base = s,
                   .naxes = 1,
                   .mode = objective_mode(s->objective, s->mode),
                   .time_limit_s = time_limit_s,
                   .cancel = cancel,
                   .baselines = true,
                   .jobs = 1};
    sw.axes[0] = (nn_axis){.kind = AXIS_FIELD, .ref = *ref, .log = true};
    str_copy(sw.axes[0].what, sizeof sw.axes[0].what, r->what);
    nn_instance names;
    if (axis_set_range(&sw.axes[0], lo, hi, SENS_POINTS) != 0 || instance_build(s, &names) != 0) {
        axis_free(&sw.axes[0]);
        free(r);
        return NULL;
    }
    sweep_plot *rec = sweep_plot_new(&sw, names.device_names, names.L);
    int rc = rec ? sweep_run(&sw, 0, SENS_POINTS, true, emit, rec) : -1;
    r->cancelled = cancel && atomic_load(cancel);
    if (rc != 0 || r->cancelled) {
        snprintf(r->message, sizeof r->message, "%s", r->cancelled ? "cancelled" : "out of memory");
    } else {
        names_ctx nc = {.names = names.device_names, .L = names.L};
        char title[512];
        snprintf(title, sizeof title, "%s \xE2\x80\x94 sensitivity of %s (now ", s->name, r->what);
        size_t n = strlen(title);
        units_format(v, f->unit, title + n, sizeof title - n);
        str_copy(title + strlen(title), sizeof title - strlen(title), ")");
        if (sweep_plot_data(rec, title, label_place, &nc, &r->plot) == 0) {
            r->plot.current = v;
            r->npoints = sweep_plot_npoints(rec);
            r->nbreaks = sweep_plot_nbreaks(rec);
            r->breaks = calloc((size_t)r->nbreaks + 1, sizeof *r->breaks);
            r->after = calloc((size_t)r->nbreaks + 1, sizeof *r->after);
            if (r->breaks && r->after) {
                for (int i = 0; i < r->nbreaks; i++) {
                    const nn_breakpoint *b = sweep_plot_break(rec, i);
                    r->breaks[i] = b->value;
                    if (b->after)
                        label_place(b->after, r->after[i], sizeof r->after[i], &nc);
                    else
                        snprintf(r->after[i], sizeof r->after[i], "no feasible placement");
                }
                r->ok = true;
            }
        }
        if (!r->ok) snprintf(r->message, sizeof r->message, "out of memory");
    }
    sweep_plot_free(rec);
    instance_free(&names);
    axis_free(&sw.axes[0]);
    return r;
}

/* --- the thread ------------------------------------------------------------ */

struct sens_worker {
    job_thread *jobs;
    double time_limit_s;
    sens_result *done; /* under the jobs' lock: finished, not yet taken */
};

static void sens_run(job_thread *t, void *owner, const nn_scenario *job, const void *arg,
                     unsigned long gen, atomic_int *cancel)
{
    sens_worker *w = owner;
    sens_result *r = sens_compute(job, arg, w->time_limit_s, cancel, gen);
    job_thread_lock(t);
    if (r && job_thread_latest(t, gen) && !r->cancelled) {
        sens_result_free(w->done);
        w->done = r;
        job_thread_wake(t);
    } else {
        sens_result_free(r); /* superseded */
    }
    job_thread_unlock(t);
}

sens_worker *sens_worker_start(double time_limit_s)
{
    sens_worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->time_limit_s = time_limit_s;
    w->jobs = job_thread_start(sens_run, w, sizeof(nn_field_ref));
    if (!w->jobs) {
        free(w);
        return NULL;
    }
    return w;
}

void sens_worker_stop(sens_worker *w)
{
    if (!w) return;
    job_thread_stop(w->jobs);
    sens_result_free(w->done);
    free(w);
}

int sens_worker_fd(const sens_worker *w)
{
    return job_thread_fd(w->jobs);
}

unsigned long sens_worker_submit(sens_worker *w, const nn_scenario *s, const nn_field_ref *ref)
{
    return job_thread_submit(w->jobs, s, ref);
}

sens_result *sens_worker_take(sens_worker *w)
{
    job_thread_drain(w->jobs);
    job_thread_lock(w->jobs);
    sens_result *r = w->done;
    w->done = NULL;
    job_thread_unlock(w->jobs);
    return r;
}

/* --- the explorer's side --------------------------------------------------- */

static bool same_ref(const nn_field_ref *a, const nn_field_ref *b)
{
    return a->id == b->id && a->index == b->index;
}

bool sens_active(const explorer *ex)
{
    return ex->sens && ex->sens->on;
}

bool sens_stale(const explorer *ex, nn_field_ref *ref)
{
    if (!sens_active(ex)) return false;
    const ex_sens *v = ex->sens;
    /* The view follows the selection to another value; elsewhere (the
     * layers, the timeline) it keeps the one it shows. */
    nn_field_ref sel;
    *ref = explorer_selected_field(ex, &sel) ? sel : v->ref;
    return v->asked == 0 || !same_ref(ref, &v->ref) || v->asked_doc != ex->submitted ||
           field_get(&ex->doc, ref) != v->asked_value;
}

void sens_requested(explorer *ex, const nn_field_ref *ref, unsigned long gen)
{
    if (!ex->sens) return;
    ex->sens->ref = *ref;
    ex->sens->asked = gen;
    ex->sens->asked_doc = ex->submitted;
    ex->sens->asked_value = field_get(&ex->doc, ref);
}

void sens_show(explorer *ex, sens_result *r)
{
    if (!r) return;
    if (!ex->sens || r->gen < ex->sens->asked) {
        sens_result_free(r);
        return;
    }
    /* The summary once per value looked at: after a move to a change
     * point, the footer keeps saying what the move did. */
    const sens_result *old = ex->sens->shown;
    bool fresh = !old || !same_ref(&old->ref, &r->ref) || !old->ok;
    sens_result_free(ex->sens->shown);
    ex->sens->shown = r;
    if (!fresh && r->ok) return;
    if (!r->ok) {
        ex_say(ex, true, "sensitivity: %s", r->message);
    } else if (r->nbreaks == 0) {
        ex_say(ex, false, "sensitivity of %s: the placement is the same from x1/%g to x%g", r->what,
               SENS_SPAN, SENS_SPAN);
    } else {
        const nn_field_desc *f = field_desc(r->ref.id);
        char first[32];
        units_format(r->breaks[0], f->unit, first, sizeof first);
        ex_say(ex, false,
               "sensitivity of %s: %d change%s of placement (first at %s); ] and [ move there",
               r->what, r->nbreaks, r->nbreaks == 1 ? "" : "s", first);
    }
}

bool sens_computing(const explorer *ex)
{
    return sens_active(ex) && (!ex->sens->shown || ex->sens->shown->gen < ex->sens->asked);
}

void sens_free(explorer *ex)
{
    if (!ex->sens) return;
    sens_result_free(ex->sens->shown);
    free(ex->sens);
    ex->sens = NULL;
}

unsigned sens_act_toggle(explorer *ex)
{
    if (sens_active(ex)) {
        ex->sens->on = false;
        ex_say(ex, false, "sensitivity view closed; the timeline is back");
        return EFFECT_REDRAW;
    }
    nn_field_ref ref;
    if (!explorer_selected_field(ex, &ref)) {
        ex_say(ex, true,
               "v plots the selected value of the Devices or Links pane (Tab moves there)");
        return EFFECT_REDRAW;
    }
    if (!ex->sens) {
        ex->sens = calloc(1, sizeof *ex->sens);
        if (!ex->sens) {
            ex_say(ex, true, "out of memory");
            return EFFECT_REDRAW;
        }
    }
    ex_sens *v = ex->sens;
    v->on = true;
    v->ref = ref;
    v->asked = 0;
    char what[160];
    field_ref_name(&ex->doc, &ref, what, sizeof what);
    ex_say(ex, false, "sensitivity of %s: solving x1/%g .. x%g around it...", what, SENS_SPAN,
           SENS_SPAN);
    return EFFECT_REDRAW;
}

/* Moves the value to the nearest change point above (dir > 0) or below. */
static unsigned move_to_break(explorer *ex, int dir)
{
    if (!sens_active(ex)) {
        ex_say(ex, true,
               "] and [ move to a change of placement in the sensitivity view (v opens it)");
        return EFFECT_REDRAW;
    }
    const sens_result *r = ex->sens->shown;
    if (!r || !r->ok || !same_ref(&r->ref, &ex->sens->ref)) {
        ex_say(ex, true, "the sensitivity view is still being computed");
        return EFFECT_REDRAW;
    }
    double v = field_get(&ex->doc, &r->ref);
    int pick = -1;
    for (int i = 0; i < r->nbreaks; i++) {
        /* Strictly beyond the value, by more than the location's tolerance. */
        if (dir > 0 && r->breaks[i] > v * (1 + SWEEP_BREAK_TOLERANCE)) {
            if (pick < 0 || r->breaks[i] < r->breaks[pick]) pick = i;
        }
        if (dir < 0 && r->breaks[i] < v * (1 - SWEEP_BREAK_TOLERANCE)) {
            if (pick < 0 || r->breaks[i] > r->breaks[pick]) pick = i;
        }
    }
    if (pick < 0) {
        ex_say(ex, true, "no change of placement %s %s within x%g", dir > 0 ? "above" : "below",
               r->what, SENS_SPAN);
        return EFFECT_REDRAW;
    }
    const nn_field_desc *f = field_desc(r->ref.id);
    char old[32], now[32], why[256];
    units_format(v, f->unit, old, sizeof old);
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    /* Just past the change, so the new placement is the one that shows. */
    double target = dir > 0 ? r->breaks[pick] * (1 + SWEEP_BREAK_TOLERANCE)
                            : r->breaks[pick] * (1 - SWEEP_BREAK_TOLERANCE);
    if (!field_set(&ex->doc, &r->ref, target, why, sizeof why)) {
        scenario_free(&before);
        ex_say(ex, true, "refused: %s", why);
        return EFFECT_REDRAW;
    }
    units_format(target, f->unit, now, sizeof now);
    char what[512];
    char at[32];
    units_format(r->breaks[pick], f->unit, at, sizeof at);
    snprintf(what, sizeof what, "%s: %s -> %s (just past the change of placement at %s)", r->what,
             old, now, at);
    return ex_commit(ex, &before, what);
}

unsigned sens_act_next_break(explorer *ex)
{
    return move_to_break(ex, 1);
}

unsigned sens_act_prev_break(explorer *ex)
{
    return move_to_break(ex, -1);
}
