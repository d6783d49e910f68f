/* The Pareto view: its computation, the selection along the front, keys. */
#include "pareto_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explorer_internal.h"
#include "job_thread.h"
#include "sensitivity.h"

/* solve_pareto's tolerances: energies within 1e-6 relative are one point;
 * a latency is the point's to a few ulps of GLPK's. */
#define PVIEW_ENERGY_TOL 1e-6
#define PVIEW_LATENCY_TOL 1e-9

void pview_result_free(pview_result *r)
{
    if (!r) return;
    pareto_free(&r->front);
    free(r);
}

pview_result *pview_compute(const nn_scenario *s, double time_limit_s, atomic_int *cancel,
                            unsigned long gen)
{
    pview_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->gen = gen;
    /* As nnpart pareto: the battery devices' energy under battery-energy. */
    r->battery = s->objective == OBJ_BATTERY_ENERGY;
    nn_instance in;
    if (instance_build(s, &in) != 0) {
        free(r);
        return NULL;
    }
    r->L = in.L;
    nn_solve_options opt = {.mode = s->mode,
                            .objective = r->battery ? OBJ_BATTERY_ENERGY : OBJ_ENERGY,
                            .time_limit_s = time_limit_s,
                            .cancel = cancel};
    int rc = solve_pareto(&in, &opt, PVIEW_MAX_POINTS, &r->front);
    instance_free(&in);
    if (rc != 0) {
        pview_result_free(r);
        return NULL;
    }
    str_copy(r->message, sizeof r->message, r->front.message);
    return r;
}

/* --- the thread ------------------------------------------------------------ */

struct pview_worker {
    job_thread *jobs;
    double time_limit_s;
    pview_result *done; /* under the jobs' lock: finished, not yet taken */
};

static void pview_run(job_thread *t, void *owner, const nn_scenario *s, const void *arg,
                      unsigned long gen, atomic_int *cancel)
{
    (void)arg;
    pview_worker *w = owner;
    pview_result *r = pview_compute(s, w->time_limit_s, cancel, gen);
    job_thread_lock(t);
    if (r && job_thread_latest(t, gen) && !atomic_load(cancel)) {
        pview_result_free(w->done);
        w->done = r;
        job_thread_wake(t);
    } else {
        pview_result_free(r); /* superseded */
    }
    job_thread_unlock(t);
}

pview_worker *pview_worker_start(double time_limit_s)
{
    pview_worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->time_limit_s = time_limit_s;
    w->jobs = job_thread_start(pview_run, w, 0);
    if (!w->jobs) {
        free(w);
        return NULL;
    }
    return w;
}

void pview_worker_stop(pview_worker *w)
{
    if (!w) return;
    job_thread_stop(w->jobs);
    pview_result_free(w->done);
    free(w);
}

int pview_worker_fd(const pview_worker *w)
{
    return job_thread_fd(w->jobs);
}

unsigned long pview_worker_submit(pview_worker *w, const nn_scenario *s)
{
    return job_thread_submit(w->jobs, s, NULL);
}

pview_result *pview_worker_take(pview_worker *w)
{
    job_thread_drain(w->jobs);
    job_thread_lock(w->jobs);
    pview_result *r = w->done;
    w->done = NULL;
    job_thread_unlock(w->jobs);
    return r;
}

/* --- the selection --------------------------------------------------------- */

static bool near(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(fabs(a), fabs(b)) + 1e-300;
}

int pview_match(const nn_pareto *front, double latency, double energy)
{
    for (int i = 0; i < front->count; i++)
        if (near(front->points[i].latency, latency, PVIEW_LATENCY_TOL) &&
            near(front->points[i].energy, energy, PVIEW_ENERGY_TOL))
            return i;
    return -1;
}

int pview_step(const nn_pareto *front, int sel, double latency, int dir)
{
    int n = front->count;
    if (n == 0) return -1;
    if (sel >= 0 && sel < n) {
        int k = sel + (dir > 0 ? 1 : -1);
        return k < 0 ? 0 : k >= n ? n - 1 : k;
    }
    if (dir > 0) {
        for (int i = 0; i < n; i++)
            if (front->points[i].latency > latency * (1 + PVIEW_LATENCY_TOL)) return i;
        return n - 1;
    }
    for (int i = n - 1; i >= 0; i--)
        if (front->points[i].latency < latency * (1 - PVIEW_LATENCY_TOL)) return i;
    return 0;
}

/* --- the explorer's side --------------------------------------------------- */

bool pview_active(const explorer *ex)
{
    return ex->pview && ex->pview->on;
}

bool pview_stale(const explorer *ex)
{
    if (!pview_active(ex)) return false;
    return ex->pview->asked == 0 || ex->pview->asked_doc != ex->submitted;
}

void pview_requested(explorer *ex, unsigned long gen)
{
    if (!ex->pview) return;
    ex->pview->asked = gen;
    ex->pview->asked_doc = ex->submitted;
}

bool pview_computing(const explorer *ex)
{
    return pview_active(ex) &&
           (!ex->pview->shown || ex->pview->shown->gen < ex->pview->asked || pview_stale(ex));
}

const tui_outcome *pview_optimum(const explorer *ex)
{
    return ex->pview && ex->pview->kept ? ex->pview->kept : ex->shown;
}

double pview_energy_of(const pview_result *r, const tui_outcome *o)
{
    return r->battery ? o->res.energy_battery : o->res.energy;
}

/* The optimum's point on the front, or -1 (off it, or nothing to match). */
static int optimum_point(const explorer *ex)
{
    const pview_result *r = ex->pview ? ex->pview->shown : NULL;
    const tui_outcome *o = pview_optimum(ex);
    if (!r || !o || !o->res.place || o->in.L != r->L) return -1;
    return pview_match(&r->front, o->res.latency, pview_energy_of(r, o));
}

/* Moves the baselines of `from` (computed for the optimum) to `to`, which
 * takes its place on show. */
static void move_baselines(tui_outcome *from, tui_outcome *to)
{
    if (from == to || !from->base_done) return;
    baselines_free(&to->base);
    to->base = from->base;
    to->base_done = true;
    to->base_time_s = from->base_time_s;
    memset(&from->base, 0, sizeof from->base);
    from->base_done = false;
}

static void shown_changed(explorer *ex)
{
    ex_compare_refresh(ex);
    if (ex->view.fit) gantt_view_fit(&ex->view, ex_timeline_total(ex));
    ex_clamp(ex);
}

void pview_release(explorer *ex)
{
    ex_pview *pv = ex->pview;
    if (!pv || !pv->kept) return;
    move_baselines(ex->shown, pv->kept);
    outcome_free(ex->shown);
    ex->shown = pv->kept;
    pv->kept = NULL;
    shown_changed(ex);
}

void pview_free(explorer *ex)
{
    if (!ex->pview) return;
    pview_release(ex);
    pview_result_free(ex->pview->shown);
    free(ex->pview);
    ex->pview = NULL;
}

void pview_show(explorer *ex, pview_result *r)
{
    if (!r) return;
    ex_pview *pv = ex->pview;
    if (!pv || r->gen < pv->asked) {
        pview_result_free(r);
        return;
    }
    pview_release(ex);
    pview_result_free(pv->shown);
    pv->shown = r;
    pv->sel = optimum_point(ex);
    char t[32];
    units_format(r->front.solve_time_s, UNIT_TIME, t, sizeof t);
    bool announce = pv->announce;
    pv->announce = false;
    if (r->front.status != SOLVE_OPTIMAL)
        ex_say(ex, true, "Pareto front: %s (%d point%s found in %s)", r->message, r->front.count,
               r->front.count == 1 ? "" : "s", t);
    else if (!announce)
        return;
    else if (r->front.count == 1)
        ex_say(ex, false,
               "Pareto front: one point, proven optimal in %s: the fastest placement also uses "
               "the least %senergy",
               t, r->battery ? "battery " : "");
    else
        ex_say(ex, false,
               "Pareto front: %d points, each proven optimal (%s); ] and [ step along it, P pins "
               "the one on show",
               r->front.count, t);
}

/* A point's placement as an outcome in the optimum's place: evaluated
 * under the instance of the document (the front's). */
static tui_outcome *point_outcome(const explorer *ex, const tui_outcome *opt, const pview_result *r,
                                  int k)
{
    const nn_pareto_point *pt = &r->front.points[k];
    tui_outcome *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->gen = opt->gen;
    p->best_single = opt->best_single;
    p->best_single_latency = opt->best_single_latency;
    p->best_single_value = opt->best_single_value;
    p->prev_latency = NAN;
    p->prev_value = NAN;
    if (instance_build(&ex->doc, &p->in) != 0) {
        free(p);
        return NULL;
    }
    nn_solve_result *res = &p->res;
    res->place = malloc((size_t)p->in.L * sizeof *res->place);
    if (p->in.L != r->L || !res->place || eval_run(&p->in, pt->place, ex->doc.mode, &p->ev) != 0) {
        outcome_free(p);
        return NULL;
    }
    memcpy(res->place, pt->place, (size_t)p->in.L * sizeof *res->place);
    p->has_eval = true;
    p->has_crit = p->ev.feasible && critical_path(&p->in, &p->ev, &p->crit) == 0;
    /* Each point is the proven optimum of its epsilon-constraint ILP. */
    res->status = SOLVE_OPTIMAL;
    res->engine = ENGINE_ILP;
    res->labels_s = res->ilp_s = -1;
    res->solve_time_s = r->front.solve_time_s;
    res->latency = res->objective = res->bound = p->ev.latency;
    res->energy = p->ev.energy;
    res->energy_battery = p->ev.energy_battery;
    res->period = ex->doc.objective == OBJ_THROUGHPUT ? eval_period(&p->in, pt->place) : NAN;
    switch (ex->doc.objective) {
    case OBJ_ENERGY:
        res->value = res->energy;
        break;
    case OBJ_BATTERY_ENERGY:
        res->value = res->energy_battery;
        break;
    case OBJ_THROUGHPUT:
        res->value = res->period;
        break;
    default:
        res->value = res->latency;
        break;
    }
    snprintf(res->message, sizeof res->message, "point %d of %d of the Pareto front", k + 1,
             r->front.count);
    return p;
}

/* Puts point k on show (the optimum's own point: the optimum itself). */
static bool show_point(explorer *ex, int k)
{
    ex_pview *pv = ex->pview;
    if (k == optimum_point(ex)) {
        pview_release(ex);
        pv->sel = k;
        return true;
    }
    const tui_outcome *opt = pview_optimum(ex);
    tui_outcome *p = point_outcome(ex, opt, pv->shown, k);
    if (!p) return false;
    move_baselines(ex->shown, p);
    if (pv->kept)
        outcome_free(ex->shown); /* the point shown before */
    else
        pv->kept = ex->shown;
    ex->shown = p;
    pv->sel = k;
    shown_changed(ex);
    return true;
}

bool pview_point_text(const explorer *ex, char *buf, size_t size)
{
    const ex_pview *pv = ex->pview;
    if (!pview_active(ex) || !pv->shown || pv->sel < 0 || pv->sel >= pv->shown->front.count)
        return false;
    const nn_pareto_point *pt = &pv->shown->front.points[pv->sel];
    char lat[32], e[32];
    units_format(pt->latency, UNIT_TIME, lat, sizeof lat);
    units_format(pt->energy, UNIT_ENERGY, e, sizeof e);
    snprintf(buf, size, "point %d/%d of the Pareto front: %s, %s%s", pv->sel + 1,
             pv->shown->front.count, lat, e, pv->shown->battery ? " on battery" : "");
    return true;
}

unsigned pview_act_toggle(explorer *ex)
{
    if (pview_active(ex)) {
        pview_release(ex);
        ex->pview->on = false;
        ex_say(ex, false, "Pareto view closed; the optimum is back on show");
        return EFFECT_REDRAW;
    }
    if (!ex->pview) {
        ex->pview = calloc(1, sizeof *ex->pview);
        if (!ex->pview) {
            ex_say(ex, true, "out of memory");
            return EFFECT_REDRAW;
        }
    }
    /* One view at a time takes the timeline's place. */
    if (sens_active(ex)) ex->sens->on = false;
    ex_pview *pv = ex->pview;
    pv->on = true;
    pv->asked = 0;
    pv->sel = -1;
    pv->announce = true;
    ex_say(ex, false, "Pareto front of latency and %senergy: solving...",
           ex->doc.objective == OBJ_BATTERY_ENERGY ? "battery " : "");
    return EFFECT_REDRAW;
}

unsigned pview_act_step(explorer *ex, int dir)
{
    ex_pview *pv = ex->pview;
    if (!pview_active(ex)) {
        ex_say(ex, true, "F opens the Pareto front first");
        return EFFECT_REDRAW;
    }
    if (pview_computing(ex) || explorer_solving(ex)) {
        ex_say(ex, true, "the Pareto front is still being computed");
        return EFFECT_REDRAW;
    }
    const pview_result *r = pv->shown;
    const tui_outcome *opt = pview_optimum(ex);
    if (r->front.count == 0 || !opt || !opt->res.place) {
        ex_say(ex, true, "no Pareto front to step along: %s", r->message);
        return EFFECT_REDRAW;
    }
    int n = r->front.count;
    int k = pview_step(&r->front, pv->sel, opt->res.latency, dir);
    if (k == pv->sel) {
        ex_say(ex, true, "%s point of the front already (%d/%d)",
               dir > 0 ? "the most frugal" : "the fastest", k + 1, n);
        return EFFECT_REDRAW;
    }
    if (!show_point(ex, k)) {
        ex_say(ex, true, "out of memory: the point is not on show");
        return EFFECT_REDRAW;
    }
    const nn_pareto_point *pt = &r->front.points[k], *fast = &r->front.points[0];
    char lat[32], e[32];
    units_format(pt->latency, UNIT_TIME, lat, sizeof lat);
    units_format(pt->energy, UNIT_ENERGY, e, sizeof e);
    double slower = 100 * (pt->latency / fast->latency - 1),
           saved = fast->energy > 0 ? 100 * (1 - pt->energy / fast->energy) : 0;
    ex_say(ex, false,
           "Pareto point %d/%d: latency %s, %senergy %s (%+.3g%% slower, %.3g%% less "
           "energy than the fastest)%s; P pins it",
           k + 1, n, lat, r->battery ? "battery " : "", e, slower, saved,
           pv->kept ? "" : ", the optimum's own placement");
    return EFFECT_REDRAW;
}

/* --- the plot for the SVG export -------------------------------------------- */

void pview_plot_free(plot_data *p)
{
    free(p->x);
    for (int s = 0; s < p->nseries; s++)
        free(p->series[s].y);
    free(p->marks);
    memset(p, 0, sizeof *p);
}

int pview_plot(const explorer *ex, plot_data *out)
{
    memset(out, 0, sizeof *out);
    const pview_result *r = ex->pview ? ex->pview->shown : NULL;
    if (!r || r->front.count == 0) return -1;
    int n = r->front.count;
    out->x = malloc((size_t)n * sizeof *out->x);
    out->series[0].y = malloc((size_t)n * sizeof *out->series[0].y);
    if (!out->x || !out->series[0].y) {
        pview_plot_free(out);
        return -1;
    }
    out->nseries = 1;
    snprintf(out->title, sizeof out->title, "%s \xE2\x80\x94 Pareto front of latency and %senergy",
             ex->doc.name, r->battery ? "battery " : "");
    str_copy(out->xname, sizeof out->xname, "latency");
    out->xunit = UNIT_TIME;
    out->yunit = UNIT_ENERGY;
    snprintf(out->yname, sizeof out->yname, "%senergy", r->battery ? "battery " : "");
    plot_series *s = &out->series[0];
    snprintf(s->name, sizeof s->name, "Pareto front (%d point%s, each proven optimal)", n,
             n == 1 ? "" : "s");
    s->style = PLOT_OPTIMUM;
    s->numbered = true;
    for (int i = 0; i < n; i++) {
        out->x[i] = r->front.points[i].latency;
        s->y[i] = r->front.points[i].energy;
    }
    out->n = n;
    const tui_outcome *o = pview_optimum(ex);
    out->current = o && o->res.place ? o->res.latency : NAN;
    return 0;
}
