/* The solver thread and what one solve produces for the explorer. */
#include "worker.h"

#include <fcntl.h>
#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../draw/gantt.h"

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

/* The fastest device on its own (pinned layers on their pins), judged by
 * the evaluator. */
static void best_single_device(tui_outcome *o)
{
    o->best_single = -1;
    o->best_single_latency = INFINITY;
    int *place = malloc((size_t)o->in.L * sizeof *place);
    if (!place) return;
    for (int d = 0; d < o->in.D; d++) {
        baselines_all_on(&o->in, d, place);
        double t = eval_latency(&o->in, place, o->in.mode);
        if (t < o->best_single_latency) {
            o->best_single_latency = t;
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
    o->prev_latency = NAN;
    if (instance_build(s, &o->in) != 0) {
        free(o);
        return NULL;
    }
    nn_solve_options opt = {.mode = s->mode,
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
        if (eval_run(&o->in, o->res.place, s->mode, &o->ev) != 0) goto fail;
        o->has_eval = true;
        o->has_crit = o->ev.feasible && critical_path(&o->in, &o->ev, &o->crit) == 0;
        /* A stream's timeline shows several inputs in flight. */
        if (o->in.objective == OBJ_THROUGHPUT) {
            if (gantt_stream_eval(&o->in, o->res.place, 0, &o->stream) != 0) goto fail;
            o->has_stream = o->stream.feasible;
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
    nn_solve_options opt = {
        .mode = s->mode, .time_limit_s = time_limit_s, .cancel = cancel, .engine = engine};
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

struct worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int pipe_rd, pipe_wr;
    double time_limit_s;
    atomic_int cancel;
    atomic_int engine; /* nn_engine of the next solves */
    bool stop;
    bool busy;
    unsigned long submitted; /* number of the latest submission */
    nn_scenario *pending;    /* waiting to be solved, or NULL */
    unsigned long pending_gen;
    char pending_lp[4096]; /* empty: no LP to write */
    bool pending_lp_force; /* it may replace a file */
    tui_outcome *done;     /* finished, not yet taken */
    bool base_ready;       /* baselines of base_gen, not yet taken */
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

/* Makes the pipe readable. Non-blocking: when the pipe is full it already
 * says "look". */
static void wake(worker *w)
{
    char byte = 1;
    ssize_t ignored = write(w->pipe_wr, &byte, 1);
    (void)ignored;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->pending && !w->stop)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop) break;
        nn_scenario *job = w->pending;
        unsigned long gen = w->pending_gen;
        char lp[sizeof w->pending_lp];
        str_copy(lp, sizeof lp, w->pending_lp);
        bool lp_force = w->pending_lp_force;
        w->pending = NULL;
        w->busy = true;
        /* Under the lock: a submission after this point cancels this job. */
        atomic_store(&w->cancel, 0);
        pthread_mutex_unlock(&w->mu);

        bool warm_fits = w->warm && w->warm_L == job->net.nlayers && w->warm_D == job->ndevices;
        nn_engine engine = (nn_engine)atomic_load(&w->engine);
        tui_outcome *o = outcome_solve_engine(job, lp[0] ? lp : NULL, lp_force, w->time_limit_s,
                                              &w->cancel, warm_fits ? w->warm : NULL, gen, engine);
        if (o) remember_placement(w, o);
        double optimum = o && o->res.place ? o->res.latency : INFINITY;
        bool wanted = false;

        /* The placement first: the screen shows it while baselines run. */
        pthread_mutex_lock(&w->mu);
        if (o && gen == w->submitted) {
            outcome_free(w->done);
            w->done = o;
            wanted = true;
            wake(w);
        } else {
            outcome_free(o); /* superseded by a newer submission */
        }
        pthread_mutex_unlock(&w->mu);

        nn_baselines base = {0};
        double took = 0;
        bool ok = wanted && !atomic_load(&w->cancel) &&
                  outcome_baselines_engine(job, optimum, w->time_limit_s, &w->cancel, engine, &base,
                                           &took) == 0;
        scenario_free(job);
        free(job);

        pthread_mutex_lock(&w->mu);
        w->busy = false;
        if (ok && !base.cancelled && gen == w->submitted) {
            baselines_free(&w->base);
            w->base = base;
            w->base_gen = gen;
            w->base_time_s = took;
            w->base_ready = true;
            wake(w);
        } else {
            baselines_free(&base);
        }
    }
    pthread_mutex_unlock(&w->mu);
    /* GLPK keeps a per-thread environment; release it with the thread. */
    glp_free_env();
    return NULL;
}

/* The wake-up pipe of a worker thread: non-blocking both ends (the thread
 * never stalls on a full pipe, the main loop never on an empty one), closed
 * on exec. Shared with the sensitivity view's thread. */
int worker_pipe_open(int fds[2])
{
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

worker *worker_start(double time_limit_s)
{
    worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    int fds[2];
    if (worker_pipe_open(fds) != 0) {
        free(w);
        return NULL;
    }
    w->pipe_rd = fds[0];
    w->pipe_wr = fds[1];
    w->time_limit_s = time_limit_s;
    atomic_init(&w->cancel, 0);
    atomic_init(&w->engine, ENGINE_AUTO);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        close(fds[0]);
        close(fds[1]);
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
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    atomic_store(&w->cancel, 1);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    if (w->pending) {
        scenario_free(w->pending);
        free(w->pending);
    }
    outcome_free(w->done);
    baselines_free(&w->base);
    free(w->warm);
    close(w->pipe_rd);
    close(w->pipe_wr);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}

int worker_fd(const worker *w)
{
    return w->pipe_rd;
}

unsigned long worker_submit(worker *w, const nn_scenario *s, const char *write_lp, bool lp_force)
{
    nn_scenario *copy = malloc(sizeof *copy);
    if (!copy) return 0;
    if (scenario_copy(copy, s) != 0) {
        free(copy);
        return 0;
    }
    pthread_mutex_lock(&w->mu);
    if (w->pending) {
        scenario_free(w->pending);
        free(w->pending);
    }
    w->pending = copy;
    w->pending_gen = ++w->submitted;
    str_copy(w->pending_lp, sizeof w->pending_lp, write_lp);
    w->pending_lp_force = write_lp && lp_force;
    if (w->busy) atomic_store(&w->cancel, 1);
    pthread_cond_signal(&w->cv);
    unsigned long gen = w->submitted;
    pthread_mutex_unlock(&w->mu);
    return gen;
}

tui_outcome *worker_take(worker *w)
{
    char buf[64];
    while (read(w->pipe_rd, buf, sizeof buf) > 0) {
    }
    pthread_mutex_lock(&w->mu);
    tui_outcome *o = w->done;
    w->done = NULL;
    pthread_mutex_unlock(&w->mu);
    return o;
}

bool worker_take_baselines(worker *w, unsigned long *gen, nn_baselines *out, double *time_s)
{
    pthread_mutex_lock(&w->mu);
    bool ready = w->base_ready;
    if (ready) {
        *gen = w->base_gen;
        *out = w->base;
        *time_s = w->base_time_s;
        memset(&w->base, 0, sizeof w->base);
        w->base_ready = false;
    }
    pthread_mutex_unlock(&w->mu);
    return ready;
}
