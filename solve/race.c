/* The race: the label engine and the ILP side by side, sharing incumbents;
 * the first proof wins and stops the other.
 *
 * The label engine runs on the calling thread and proves most instances in
 * well under a millisecond, so the ILP's thread starts only once the labels
 * have had a head start sized from the instance (ilp_head_start), counted
 * in the labels' own CPU time so that a loaded machine, which stretches the
 * wall clock, does not shorten it; and not at all when its model would be
 * too large to pay (it would cost gigabytes and more time than the limit;
 * the result says so). The labels
 * read the ILP's incumbents as their pruning bound; the ILP receives the
 * labels' through GLPK's heuristic hook. Whoever proves the optimum first
 * claims the race (share_claim), which stops the other at once, and then
 * runs the tie-break undisturbed: MODEL.md's canonical placement, the same
 * whichever engine computes it, so the answer does not depend on which one
 * won, nor on when the other was stopped. */
#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ranges.h"
#include "solve_internal.h"
#include "units.h"

/* The labels' head start (ilp_head_start), in their CPU seconds. */
#define RACE_ILP_DELAY_S 0.002       /* at least */
#define RACE_PER_COLUMN_S 10e-6      /* per column of the ILP, where a label's state is large */
#define RACE_EASY_PER_LAYER_S 0.0003 /* per layer, where it is small */
#define RACE_EASY_MAX_S 0.25
#define RACE_THROUGHPUT_PER_COLUMN_S 20e-6 /* per column, under throughput */

struct solve_share {
    pthread_mutex_t lock;
    int L;
    double best; /* latency of `place`, INFINITY if none */
    int *place;  /* [L] */
    atomic_uint version;
    atomic_int stop[ENGINE_COUNT];            /* the race stopped this engine */
    atomic_int winner;                        /* the engine that proved first, -1: none yet */
    void (*tick)(solve_share *sh, void *arg); /* the race's hook, or NULL */
    void *tick_arg;
};

bool share_stopped(solve_share *sh, nn_engine engine)
{
    return sh && atomic_load(&sh->stop[engine]);
}

bool share_claim(solve_share *sh, nn_engine engine)
{
    if (!sh) return true;
    int none = -1;
    if (atomic_compare_exchange_strong(&sh->winner, &none, (int)engine)) {
        atomic_store(&sh->stop[engine == ENGINE_LABELS ? ENGINE_ILP : ENGINE_LABELS], 1);
        return true;
    }
    return none == (int)engine;
}

void share_offer(solve_share *sh, const nn_instance *in, const int *place, double latency)
{
    if (!sh || !(latency < INFINITY)) return;
    pthread_mutex_lock(&sh->lock);
    if (latency < sh->best && sh->L == in->L) {
        sh->best = latency;
        memcpy(sh->place, place, (size_t)in->L * sizeof *place);
        atomic_fetch_add(&sh->version, 1);
    }
    pthread_mutex_unlock(&sh->lock);
}

double share_best(solve_share *sh, int *place)
{
    if (!sh) return INFINITY;
    pthread_mutex_lock(&sh->lock);
    double v = sh->best;
    if (place && isfinite(v)) memcpy(place, sh->place, (size_t)sh->L * sizeof *place);
    pthread_mutex_unlock(&sh->lock);
    return v;
}

unsigned share_version(solve_share *sh)
{
    return sh ? atomic_load(&sh->version) : 0;
}

void share_tick(solve_share *sh)
{
    if (sh && sh->tick) sh->tick(sh, sh->tick_arg);
}

/* ---- engine names -------------------------------------------------------- */

static const char *const ENGINE_NAMES[ENGINE_COUNT] = {
    [ENGINE_AUTO] = "auto",
    [ENGINE_ILP] = "ilp",
    [ENGINE_LABELS] = "labels",
};

const char *engine_name(nn_engine e)
{
    return e >= 0 && e < ENGINE_COUNT ? ENGINE_NAMES[e] : "unknown";
}

int engine_parse(const char *name, nn_engine *out)
{
    for (int e = 0; e < ENGINE_COUNT; e++)
        if (strcmp(name, ENGINE_NAMES[e]) == 0) {
            *out = (nn_engine)e;
            return 0;
        }
    return -1;
}

/* ---- the race ------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of the calling thread (the labels'): the work it has done,
 * whatever else the machine runs. */
static double thread_cpu_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return now_s();
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct race {
    const nn_instance *in;
    const nn_solve_options *user;
    solve_share share;
    double t0;
    bool ilp_allowed, ilp_started;
    double cpu0;       /* the labels' thread CPU time at the start */
    double head_start; /* CPU seconds the labels run alone */
    pthread_t ilp_thread;
    nn_solve_options ilp_opt;
    int *warm; /* [L] the ILP's warm start: the labels' incumbent when it starts */
    nn_solve_result ilp_res;
    int ilp_rc;
} race;

static bool proved(int rc, const nn_solve_result *r)
{
    return rc == 0 && (r->status == SOLVE_OPTIMAL || r->status == SOLVE_INFEASIBLE);
}

static void *ilp_main(void *arg)
{
    race *r = arg;
    r->ilp_rc = solve_ilp(r->in, &r->ilp_opt, &r->ilp_res);
    if (proved(r->ilp_rc, &r->ilp_res)) share_claim(&r->share, ENGINE_ILP);
    return NULL;
}

/* Options for the ILP: the caller's, with what remains of the limit, from
 * `warm` (the labels' best so far) when given. */
static void ilp_options(race *r, const int *warm)
{
    r->ilp_opt = *r->user;
    r->ilp_opt.share = &r->share;
    if (warm) r->ilp_opt.warm_start = warm;
    if (r->user->time_limit_s > 0)
        r->ilp_opt.time_limit_s = fmax(1e-3, r->user->time_limit_s - (now_s() - r->t0));
}

/* GLPK keeps an environment per thread: the ILP's thread frees its own. */
static void *ilp_thread(void *arg)
{
    ilp_main(arg);
    glp_free_env();
    return NULL;
}

static void ilp_start(race *r)
{
    /* The labels' incumbent: the ILP's own DP and local search start from it. */
    bool have = r->warm && isfinite(share_best(&r->share, r->warm));
    ilp_options(r, have ? r->warm : NULL);
    r->ilp_started = pthread_create(&r->ilp_thread, NULL, ilp_thread, r) == 0;
    if (!r->ilp_started) r->ilp_allowed = false; /* no thread: the labels alone */
}

/* share_tick from the label engine (its thread): start the ILP once the
 * labels have had their head start, in their own CPU time. */
static void race_tick(solve_share *sh, void *arg)
{
    race *r = arg;
    /* The wall clock first: it is cheaper, and never behind the CPU's. */
    if (r->ilp_allowed && !r->ilp_started && atomic_load(&sh->winner) < 0 &&
        now_s() - r->t0 >= r->head_start && thread_cpu_s() - r->cpu0 >= r->head_start)
        ilp_start(r);
}

/* How much work the labels do alone. The ILP wins some preload instances
 * on three or more devices, where the labels' state is largest (AlexNet on
 * configs/gpt2-home.yaml's 5 devices: the ILP alone 8 ms of CPU, the labels
 * 210 ms: 22 us per column of its model; 7-100 us on the zoo), and where
 * it cannot win it only takes the labels' CPU (ViT-B/16 on 8 devices: 6
 * ms of root LP beside the labels' 12 ms, the race up to 113 ms on a
 * loaded machine). So it starts after 10 us of the labels' CPU per column,
 * at least 2 ms: AlexNet there 3.7 ms, ViT-B/16 on 8 devices 11 ms (a flat
 * 10 ms made the explorer's AlexNet baselines 1.5-2 times slower).
 * Elsewhere a label holds at most two preload queues, or
 * none, and proves in time about linear in the layers (every such case of
 * the benchmark, 500 identical layers on two devices included, in at most
 * ~0.15 ms of CPU a layer): the ILP would only compete for the cores, so
 * it waits 0.3 ms a layer, at most 250 ms. Counted in the labels' CPU time:
 * on a loaded machine the wall clock passed the head start while the
 * labels had done a third of their work, and the race on 500 identical
 * layers took 87-417 ms against 34-78 ms for the labels alone. */
static double ilp_head_start(const nn_instance *in, const nn_solve_options *opt)
{
    nn_mode mode = opt->mode;
    double cols = (double)in->L * in->D + (double)(in->L - 1) * in->D * in->D;
    /* Throughput: the throughput engine proves every config x zoo case in
     * at most ~5 ms of CPU (gpt2-home's GPT-2), where the ILP takes 1-20 ms
     * and on gpt2-home seconds; 20 us per column (gpt2-home: 8.5 ms). */
    if (opt->objective == OBJ_THROUGHPUT)
        return fmin(RACE_EASY_MAX_S, fmax(RACE_ILP_DELAY_S, RACE_THROUGHPUT_PER_COLUMN_S * cols));
    if (mode == MODE_PRELOAD && in->D >= 3) return fmax(RACE_ILP_DELAY_S, RACE_PER_COLUMN_S * cols);
    return fmin(RACE_EASY_MAX_S, fmax(RACE_ILP_DELAY_S, RACE_EASY_PER_LAYER_S * in->L));
}

/* Keeps the better of two results that are not proofs; the bound is the
 * better of both, the gap follows. */
static void keep_better(nn_solve_result *a, nn_solve_result *b, nn_objective objective,
                        nn_solve_result *out)
{
    bool b_wins = b->place && (!a->place || b->value < a->value); /* the objective's */
    nn_solve_result *w = b_wins ? b : a, *o = b_wins ? a : b;
    double bound = fmax(w->bound, o->place || o->status == SOLVE_FEASIBLE ? o->bound : 0);
    *out = *w;
    solve_result_free(o);
    if (!out->place) return;
    out->bound = fmin(bound, out->value);
    double gap = out->value > 0 ? (out->value - out->bound) / out->value : 0;
    if (gap < out->gap) {
        out->gap = gap;
        const char *why = strrchr(out->message, '(');
        char lat[32], tail[64];
        units_format(out->value, objective_unit(objective), lat, sizeof lat);
        snprintf(tail, sizeof tail, "%s", why ? why : "(stopped)");
        snprintf(out->message, sizeof out->message, "feasible: %s, within %.3g%% of optimal %s",
                 lat, 100.0 * out->gap, tail);
    }
}

static int race_run(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out)
{
    race r = {.in = in, .user = opt, .t0 = now_s(), .cpu0 = thread_cpu_s()};
    r.share = (solve_share){.L = in->L, .best = INFINITY, .tick = race_tick, .tick_arg = &r};
    atomic_init(&r.share.winner, -1);
    r.share.place = malloc(((size_t)in->L + 1) * sizeof *r.share.place);
    r.warm = malloc(((size_t)in->L + 1) * sizeof *r.warm);
    if (!r.share.place || !r.warm || pthread_mutex_init(&r.share.lock, NULL) != 0) {
        free(r.share.place);
        free(r.warm);
        return -1;
    }
    char note[sizeof out->engine_note] = "";
    /* Past its size the ILP's model would cost gigabytes and more time
     * than any limit: the labels run alone. */
    r.ilp_allowed = ranges_check_ilp_size(in->L, in->D, NULL, 0);
    r.head_start = ilp_head_start(in, opt);
    if (!r.ilp_allowed)
        snprintf(note, sizeof note,
                 "the ILP did not run: %d layers on %d devices is more than its size (layers x "
                 "devices x devices at most %ld); the label engine ran alone",
                 in->L, in->D, NN_MAX_ILP_SIZE);

    nn_solve_options lopt = *opt;
    lopt.share = &r.share;
    nn_solve_result lab;
    int rc = solve_labels(in, &lopt, &lab);
    double labels_s = lab.solve_time_s;
    bool lab_ok = proved(rc, &lab);
    if (lab_ok) share_claim(&r.share, ENGINE_LABELS); /* infeasible: the labels' claim here */
    bool user_stop = (opt->cancel && atomic_load(opt->cancel)) ||
                     (opt->time_limit_s > 0 && now_s() - r.t0 >= opt->time_limit_s);
    /* The labels stopped on their memory cap, before the ILP started: the
     * ILP gets what remains, from the labels' placement. */
    if (!lab_ok && rc == 0 && !r.ilp_started && r.ilp_allowed && !user_stop) {
        ilp_options(&r, lab.place);
        ilp_main(&r);
        r.ilp_started = true;
    } else if (r.ilp_started) {
        pthread_join(r.ilp_thread, NULL);
    }
    bool ran_ilp = r.ilp_started;
    double ilp_s = ran_ilp ? r.ilp_res.solve_time_s : -1;
    int ret = 0;
    if (rc != 0 || (ran_ilp && r.ilp_rc != 0)) {
        ret = -1;
        solve_result_free(&lab);
        if (ran_ilp) solve_result_free(&r.ilp_res);
        memset(out, 0, sizeof *out);
    } else if (!ran_ilp || atomic_load(&r.share.winner) == ENGINE_LABELS ||
               (lab_ok && atomic_load(&r.share.winner) != ENGINE_ILP)) {
        /* The winner's answer, tie-break included. */
        *out = lab;
        out->engine = ENGINE_LABELS;
        if (ran_ilp) solve_result_free(&r.ilp_res);
    } else if (proved(r.ilp_rc, &r.ilp_res)) {
        *out = r.ilp_res;
        out->engine = ENGINE_ILP;
        solve_result_free(&lab);
    } else {
        keep_better(&lab, &r.ilp_res, opt->objective, out);
        out->engine = out->rows > 0 ? ENGINE_ILP : ENGINE_LABELS;
    }
    if (ret == 0) {
        out->labels_s = labels_s;
        out->ilp_s = ilp_s;
        snprintf(out->engine_note, sizeof out->engine_note, "%s", note);
    }
    pthread_mutex_destroy(&r.share.lock);
    free(r.share.place);
    free(r.warm);
    return ret;
}

bool solve_needs_ilp(const nn_instance *in, const nn_solve_options *opt)
{
    return opt->engine == ENGINE_ILP || opt->write_lp || !labels_handles(in, opt);
}

int solve_run(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out)
{
    double t0 = now_s();
    int rc;
    char why[320];
    if (solve_needs_ilp(in, opt) && !ranges_check_ilp_size(in->L, in->D, why, sizeof why)) {
        /* The front ends refuse this first (cli_check_ilp_size); a caller
         * that does not gets the reason, not a model of gigabytes. */
        memset(out, 0, sizeof *out);
        out->status = SOLVE_ERROR;
        out->latency = out->objective = out->busy_path = INFINITY;
        out->engine = ENGINE_ILP;
        out->labels_s = out->ilp_s = -1;
        snprintf(out->message, sizeof out->message, "%s", why);
        return 0;
    }
    switch (opt->engine) {
    case ENGINE_ILP:
        rc = solve_ilp(in, opt, out);
        if (rc == 0) {
            out->engine = ENGINE_ILP;
            out->ilp_s = out->solve_time_s;
            out->labels_s = -1;
        }
        return rc;
    case ENGINE_LABELS:
        rc = solve_labels(in, opt, out);
        if (rc == 0) {
            out->engine = ENGINE_LABELS;
            out->labels_s = out->solve_time_s;
            out->ilp_s = -1;
        }
        return rc;
    case ENGINE_AUTO:
    case ENGINE_COUNT:
        break;
    }
    if (solve_needs_ilp(in, opt)) {
        /* The ILP is the model of record: it writes the file (a failed
         * write is in its result). Contiguous stages are the ILP's alone
         * but under throughput (MODEL.md). */
        rc = solve_ilp(in, opt, out);
        if (rc == 0) {
            out->engine = ENGINE_ILP;
            out->ilp_s = out->solve_time_s;
            out->labels_s = -1;
            snprintf(out->engine_note, sizeof out->engine_note,
                     opt->write_lp ? "the ILP ran alone, to write the LP file"
                                   : "the ILP ran alone: the label engine does not take "
                                     "contiguous stages (but under throughput)");
        }
        return rc;
    }
    rc = race_run(in, opt, out);
    if (rc == 0) out->solve_time_s = now_s() - t0;
    return rc;
}
