/* The solver thread and what one solve produces for the explorer. */
#include "worker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../draw/gantt.h"
#include "job_thread.h"

void outcome_free(tui_outcome *o)
{
    if (!o) return;
    baselines_free(&o->base);
    if (o->has_crit) critical_free(&o->crit);
    eval_stream_free(&o->stream);
    free(o->prev_place);
    if (o->has_eval) eval_free(&o->ev);
    solve_result_free(&o->res);
    instance_free(&o->in);
    free(o);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The best device on its own (pinned layers on their pins) on the
 * objective and its limits, judged by the evaluator: the fastest under
 * latency, the most frugal under energy, the highest rate for a stream. */
static void best_single_device(tui_outcome *o)
{
    o->best_single = -1;
    o->best_single_latency = INFINITY;
    o->best_single_value = INFINITY;
    int *place = malloc((size_t)o->in.L * sizeof *place);
    if (!place) return;
    nn_mode mode = objective_mode(o->in.objective, o->in.mode);
    for (int d = 0; d < o->in.D; d++) {
        baselines_all_on(&o->in, d, place);
        double v = eval_objective(&o->in, place, mode, o->in.objective, o->in.latency_limit,
                                  o->in.energy_limit);
        if (v < o->best_single_value) {
            o->best_single_value = v;
            o->best_single_latency = eval_latency(&o->in, place, mode);
            o->best_single = d;
        }
    }
    free(place);
}

tui_outcome *outcome_solve(const nn_scenario *s, const char *write_lp, double time_limit_s,
                           atomic_int *cancel, const int *warm_start, unsigned long gen)
{
    return outcome_solve_engine(s, write_lp, false, time_limit_s, cancel, warm_start, gen,
                                ENGINE_AUTO);
}

tui_outcome *outcome_solve_engine(const nn_scenario *s, const char *write_lp, bool lp_force,
                                  double time_limit_s, atomic_int *cancel, const int *warm_start,
                                  unsigned long gen, nn_engine engine)
{
    tui_outcome *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    o->gen = gen;
    o->best_single = -1;
    o->best_single_latency = INFINITY;
    o->best_single_value = INFINITY;
    o->prev_latency = NAN;
    o->prev_value = NAN;
    const nn_engine_busy none = {.from = -1, .to = -1};
    o->bottleneck = (nn_bottleneck){.period = INFINITY, .engine = none, .next = none};
    if (instance_build(s, &o->in) != 0) {
        free(o);
        return NULL;
    }
    nn_solve_options opt = {.mode = objective_mode(s->objective, s->mode),
                            .time_limit_s = time_limit_s,
                            .cancel = cancel,
                            .warm_start = warm_start,
                            .write_lp = write_lp,
                            .write_lp_force = lp_force,
                            .engine = engine};
    solve_options_from_instance(&opt, &o->in); /* the scenario's objective and limits */
    if (write_lp) str_copy(o->lp_path, sizeof o->lp_path, write_lp);
    if (solve_run(&o->in, &opt, &o->res) != 0) goto fail;
    if (o->res.place) {
        /* A stream's weights are resident (MODEL.md), as in solve's timeline. */
        if (eval_run(&o->in, o->res.place, opt.mode, &o->ev) != 0) goto fail;
        o->has_eval = true;
        o->has_crit = o->ev.feasible && critical_path(&o->in, &o->ev, &o->crit) == 0;
        /* A stream's timeline shows several inputs in flight. */
        if (o->in.objective == OBJ_THROUGHPUT) {
            if (gantt_stream_eval(&o->in, o->res.place, 0, &o->stream) != 0) goto fail;
            o->has_stream = o->stream.feasible;
            eval_bottleneck(&o->in, o->res.place, &o->bottleneck);
        }
    }
    best_single_device(o);
    return o;
fail:
    outcome_free(o);
    return NULL;
}

int outcome_baselines(const nn_scenario *s, double optimum, double time_limit_s, atomic_int *cancel,
                      nn_baselines *out, double *time_s)
{
    return outcome_baselines_engine(s, optimum, time_limit_s, cancel, ENGINE_AUTO, out, time_s);
}

int outcome_baselines_engine(const nn_scenario *s, double optimum, double time_limit_s,
                             atomic_int *cancel, nn_engine engine, nn_baselines *out,
                             double *time_s)
{
    double t0 = now_s();
    nn_instance in;
    memset(out, 0, sizeof *out);
    if (instance_build(s, &in) != 0) return -1;
    nn_solve_options opt = {.mode = objective_mode(s->objective, s->mode),
                            .time_limit_s = time_limit_s,
                            .cancel = cancel,
                            .engine = engine};
    solve_options_from_instance(&opt, &in); /* scored on the objective, with its limits */
    int rc = baselines_compute(&in, &opt, optimum, out);
    instance_free(&in);
    *time_s = now_s() - t0;
    return rc;
}

void outcome_attach_baselines(tui_outcome *o, nn_baselines *b, double time_s)
{
    baselines_free(&o->base);
    o->base = *b;
    memset(b, 0, sizeof *b);
    o->base_done = true;
    o->base_time_s = time_s;
}

/* What a submission carries besides the scenario. */
typedef struct solve_arg {
    char lp[4096]; /* empty: no LP to write */
    bool lp_force; /* it may replace a file */
} solve_arg;

struct worker {
    job_thread *jobs;
    double time_limit_s;
    atomic_int engine; /* nn_engine of the next solves */
    /* Under the jobs' lock: */
    tui_outcome *done; /* finished, not yet taken */
    bool base_ready;   /* baselines of base_gen, not yet taken */
    unsigned long base_gen;
    nn_baselines base;
    double base_time_s;
    /* Worker thread only: the last placement, a warm start for the next. */
    int *warm;
    int warm_L, warm_D;
};

static void remember_placement(worker *w, const tui_outcome *o)
{
    if (!o->res.place) return;
    int *p = realloc(w->warm, (size_t)o->in.L * sizeof *p);
    if (!p) return;
    memcpy(p, o->res.place, (size_t)o->in.L * sizeof *p);
    w->warm = p;
    w->warm_L = o->in.L;
    w->warm_D = o->in.D;
}

static void worker_run(job_thread *t, void *owner, const nn_scenario *job, const void *arg,
                       unsigned long gen, atomic_int *cancel)
{
    worker *w = owner;
    const solve_arg *a = arg;
    bool warm_fits = w->warm && w->warm_L == job->net.nlayers && w->warm_D == job->ndevices;
    nn_engine engine = (nn_engine)atomic_load(&w->engine);
    tui_outcome *o =
        outcome_solve_engine(job, a->lp[0] ? a->lp : NULL, a->lp_force, w->time_limit_s, cancel,
                             warm_fits ? w->warm : NULL, gen, engine);
    if (o) remember_placement(w, o);
    double optimum = o && o->res.place ? o->res.value : INFINITY; /* on the objective */
    bool wanted = false;

    /* The placement first: the screen shows it while baselines run. */
    job_thread_lock(t);
    if (o && job_thread_latest(t, gen)) {
        outcome_free(w->done);
        w->done = o;
        wanted = true;
        job_thread_wake(t);
    } else {
        outcome_free(o); /* superseded by a newer submission */
    }
    job_thread_unlock(t);

    nn_baselines base = {0};
    double took = 0;
    bool ok =
        wanted && !atomic_load(cancel) &&
        outcome_baselines_engine(job, optimum, w->time_limit_s, cancel, engine, &base, &took) == 0;

    job_thread_lock(t);
    if (ok && !base.cancelled && job_thread_latest(t, gen)) {
        baselines_free(&w->base);
        w->base = base;
        w->base_gen = gen;
        w->base_time_s = took;
        w->base_ready = true;
        job_thread_wake(t);
    } else {
        baselines_free(&base);
    }
    job_thread_unlock(t);
}

worker *worker_start(double time_limit_s)
{
    worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->time_limit_s = time_limit_s;
    atomic_init(&w->engine, ENGINE_AUTO);
    w->jobs = job_thread_start(worker_run, w, sizeof(solve_arg));
    if (!w->jobs) {
        free(w);
        return NULL;
    }
    return w;
}

void worker_set_engine(worker *w, nn_engine engine)
{
    if (w) atomic_store(&w->engine, (int)engine);
}

void worker_stop(worker *w)
{
    if (!w) return;
    job_thread_stop(w->jobs);
    outcome_free(w->done);
    baselines_free(&w->base);
    free(w->warm);
    free(w);
}

int worker_fd(const worker *w)
{
    return job_thread_fd(w->jobs);
}

unsigned long worker_submit(worker *w, const nn_scenario *s, const char *write_lp, bool lp_force)
{
    solve_arg a = {.lp_force = write_lp && lp_force};
    str_copy(a.lp, sizeof a.lp, write_lp);
    return job_thread_submit(w->jobs, s, &a);
}

tui_outcome *worker_take(worker *w)
{
    job_thread_drain(w->jobs);
    job_thread_lock(w->jobs);
    tui_outcome *o = w->done;
    w->done = NULL;
    job_thread_unlock(w->jobs);
    return o;
}

bool worker_take_baselines(worker *w, unsigned long *gen, nn_baselines *out, double *time_s)
{
    job_thread_lock(w->jobs);
    bool ready = w->base_ready;
    if (ready) {
        *gen = w->base_gen;
        *out = w->base;
        *time_s = w->base_time_s;
        memset(&w->base, 0, sizeof w->base);
        w->base_ready = false;
    }
    job_thread_unlock(w->jobs);
    return ready;
}
