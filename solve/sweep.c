/* Sweeps: axes, points, bisection for change points, threads and slices. */
#include "sweep.h"

#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/presets.h"

/* Points solved together before they are emitted: bounds memory on big
 * grids while keeping every thread busy. */
#define SWEEP_CHUNK 256
/* Change points one interval may hold before bisection gives up on it
 * (placements tied in latency can alternate without end). */
#define SWEEP_MAX_BREAKS 64
#define SWEEP_MAX_DEPTH 200

bool axis_parse(const nn_scenario *s, const char *what, nn_axis *out, char *why, size_t why_size)
{
    *out = (nn_axis){.kind = AXIS_FIELD};
    const char *dot = strrchr(what, '.');
    if (dot && strcmp(dot, ".preset") == 0) {
        /* The owner and its name parse as any of its fields would. */
        bool device = strncmp(what, "device:", 7) == 0;
        const char *field = device ? ".speed" : ".latency";
        char probe[2 * NN_NAME_LEN + 64];
        size_t owner = (size_t)(dot - what);
        if (owner + strlen(field) >= sizeof probe) {
            snprintf(why, why_size, "'%s' is not a field: name too long", what);
            return false;
        }
        /* "device:phone.preset" -> "device:phone.speed" (fits: checked). */
        memcpy(probe, what, owner);
        strcpy(probe + owner, field);
        if (!field_ref_parse(s, probe, &out->ref, why, why_size)) {
            /* Say it about the preset axis, not the probe. */
            char *at = strstr(why, field);
            if (at) {
                char tail[512];
                snprintf(tail, sizeof tail, ".preset%s", at + strlen(field));
                snprintf(at, why_size - (size_t)(at - why), "%s", tail);
            }
            return false;
        }
        out->kind = device ? AXIS_DEVICE_PRESET : AXIS_LINK_PRESET;
        str_copy(out->what, sizeof out->what, what);
        return true;
    }
    if (!field_ref_parse(s, what, &out->ref, why, why_size)) return false;
    field_ref_name(s, &out->ref, out->what, sizeof out->what);
    return true;
}

int axis_set_range(nn_axis *a, double from, double to, int n)
{
    free(a->values);
    a->values = calloc((size_t)n, sizeof *a->values);
    if (!a->values) return -1;
    a->n = n;
    /* In logs, so a ratio past the largest double cannot overflow. */
    double l0 = a->log ? log(from) : 0, l1 = a->log ? log(to) : 0;
    for (int i = 0; i < n; i++) {
        double f = n == 1 ? 0 : (double)i / (n - 1);
        if (i == 0)
            a->values[i] = from;
        else if (i == n - 1)
            a->values[i] = to; /* exactly B, without rounding */
        else
            a->values[i] = a->log ? exp(l0 + (l1 - l0) * f) : from + (to - from) * f;
    }
    return 0;
}

static int preset_count(const nn_axis *a)
{
    return a->kind == AXIS_DEVICE_PRESET ? presets_device_count() : presets_link_count();
}

static const char *preset_name_at(const nn_axis *a, int i)
{
    return a->kind == AXIS_DEVICE_PRESET ? presets_device_at(i)->name : presets_link_at(i)->name;
}

static int preset_find(const nn_axis *a, const char *name)
{
    for (int i = 0; i < preset_count(a); i++)
        if (strcmp(preset_name_at(a, i), name) == 0) return i;
    return -1;
}

bool axis_parse_values(nn_axis *a, const char *list, char *why, size_t why_size)
{
    int cap = 1;
    for (const char *c = list; *c; c++)
        cap += *c == ',';
    if (cap > SWEEP_MAX_POINTS) {
        snprintf(why, why_size, "%d values; at most %d", cap, SWEEP_MAX_POINTS);
        return false;
    }
    char *copy = strdup(list);
    double *values = calloc((size_t)cap, sizeof *values);
    int *presets = calloc((size_t)cap, sizeof *presets);
    int n = 0;
    bool ok = copy && values && presets;
    if (!ok) snprintf(why, why_size, "out of memory");
    char *save = NULL;
    for (char *tok = ok ? strtok_r(copy, ",", &save) : NULL; tok && ok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ' || *tok == '\t')
            tok++;
        size_t len = strlen(tok);
        while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
            tok[--len] = '\0';
        if (a->kind == AXIS_FIELD) {
            char reason[400];
            ok = field_parse_value(a->ref.id, tok, &values[n], reason, sizeof reason);
            if (!ok) snprintf(why, why_size, "'%s': %s", tok, reason);
        } else {
            presets[n] = preset_find(a, tok);
            ok = presets[n] >= 0;
            if (!ok) {
                size_t w = (size_t)snprintf(why, why_size, "no %s preset named '%s'; accepted: ",
                                            a->kind == AXIS_DEVICE_PRESET ? "device" : "link", tok);
                for (int i = 0; i < preset_count(a) && w < why_size; i++)
                    w += (size_t)snprintf(why + w, why_size - w, "%s%s", i ? ", " : "",
                                          preset_name_at(a, i));
            }
        }
        n++;
    }
    if (ok && n == 0) {
        snprintf(why, why_size, "no values given");
        ok = false;
    }
    free(copy);
    if (!ok) {
        free(values);
        free(presets);
        return false;
    }
    free(a->values);
    free(a->presets);
    a->n = n;
    if (a->kind == AXIS_FIELD) {
        a->values = values;
        a->presets = NULL;
        free(presets);
    } else {
        a->presets = presets;
        a->values = NULL;
        free(values);
    }
    return true;
}

void axis_free(nn_axis *a)
{
    free(a->values);
    free(a->presets);
    a->values = NULL;
    a->presets = NULL;
    a->n = 0;
}

unit_kind axis_unit(const nn_axis *a)
{
    return a->kind == AXIS_FIELD ? field_desc(a->ref.id)->unit : UNIT_KIND_COUNT;
}

const char *axis_preset_name(const nn_axis *a, int k)
{
    return a->kind == AXIS_FIELD ? NULL : preset_name_at(a, a->presets[k]);
}

void axis_label(const nn_axis *a, int k, char *buf, size_t size)
{
    if (a->kind == AXIS_FIELD)
        units_format(a->values[k], axis_unit(a), buf, size);
    else
        str_copy(buf, size, axis_preset_name(a, k));
}

bool axis_apply_value(const nn_axis *a, double v, nn_scenario *s, char *why, size_t why_size)
{
    return field_set(s, &a->ref, v, why, why_size);
}

bool axis_apply(const nn_axis *a, int k, nn_scenario *s, char *why, size_t why_size)
{
    switch (a->kind) {
    case AXIS_FIELD:
        return axis_apply_value(a, a->values[k], s, why, why_size);
    case AXIS_DEVICE_PRESET: {
        const nn_device_preset *p = presets_device_at(a->presets[k]);
        nn_device *d = &s->devices[a->ref.index];
        d->tier = p->tier;
        d->speed = p->speed;
        d->memory = p->memory;
        d->load_rate = p->load_rate;
        d->memory_bandwidth = p->memory_bandwidth;
        return true;
    }
    case AXIS_LINK_PRESET: {
        const nn_link_preset *p = presets_link_at(a->presets[k]);
        nn_link *l = &s->links[a->ref.index];
        l->bandwidth = p->bandwidth;
        l->reverse = p->reverse;
        l->reverse_given = p->reverse != p->bandwidth;
        l->latency = p->latency;
        return true;
    }
    }
    return false;
}

int sweep_size(const nn_sweep *sw)
{
    long n = 1;
    for (int i = 0; i < sw->naxes; i++)
        n *= sw->axes[i].n;
    return n > SWEEP_MAX_POINTS ? SWEEP_MAX_POINTS + 1 : (int)n;
}

bool sweep_same_place(const int *a, const int *b, int L)
{
    if (!a || !b) return !a && !b;
    return memcmp(a, b, (size_t)L * sizeof *a) == 0;
}

/* The scenario at point k of the grid, or with the first axis at value v
 * (then k only picks the other axes; pass k = -1 for one axis). */
static bool scenario_at(const nn_sweep *sw, int k, const double *v, nn_scenario *s, char *why,
                        size_t why_size)
{
    if (scenario_copy(s, sw->base) != 0) {
        snprintf(why, why_size, "out of memory");
        return false;
    }
    int inner = sw->naxes == 2 ? sw->axes[1].n : 1;
    bool ok = true;
    if (v)
        ok = axis_apply_value(&sw->axes[0], *v, s, why, why_size);
    else
        ok = axis_apply(&sw->axes[0], k / inner, s, why, why_size);
    if (ok && sw->naxes == 2 && k >= 0) ok = axis_apply(&sw->axes[1], k % inner, s, why, why_size);
    return ok;
}

static int solve_scenario(const nn_sweep *sw, const nn_scenario *s, bool baselines,
                          nn_sweep_point *out)
{
    nn_instance in;
    if (instance_build(s, &in) != 0) return -1;
    nn_solve_options opt = {.mode = objective_mode(in.objective, sw->mode),
                            .time_limit_s = sw->time_limit_s,
                            .cancel = sw->cancel,
                            .engine = sw->engine};
    solve_options_from_instance(&opt, &in); /* the file's objective and limits */
    int rc = solve_run(&in, &opt, &out->r);
    /* The limit bounds the point: its baselines get what the solve left. */
    if (opt.time_limit_s > 0) opt.time_limit_s = fmax(1e-3, opt.time_limit_s - out->r.solve_time_s);
    if (rc == 0 && baselines)
        rc = baselines_compute(&in, &opt, out->r.place ? out->r.value : INFINITY, &out->b);
    instance_free(&in);
    return rc;
}

int sweep_point_solve(const nn_sweep *sw, int k, nn_sweep_point *out)
{
    int inner = sw->naxes == 2 ? sw->axes[1].n : 1;
    *out = (nn_sweep_point){.k = k, .idx = {k / inner, k % inner}, .r = {.status = SOLVE_ERROR}};
    nn_scenario s;
    scenario_init(&s);
    int rc = 0;
    if (!scenario_at(sw, k, NULL, &s, out->why, sizeof out->why)) {
        out->failed = true;
    } else if (solve_scenario(sw, &s, sw->baselines, out) != 0) {
        snprintf(out->why, sizeof out->why, "out of memory");
        out->failed = true;
        rc = -1;
    }
    scenario_free(&s);
    return rc;
}

void sweep_point_free(nn_sweep_point *p)
{
    solve_result_free(&p->r);
    baselines_free(&p->b);
}

void breakpoints_free(nn_breakpoints *b)
{
    for (int i = 0; i < b->count; i++) {
        free(b->items[i].before);
        free(b->items[i].after);
    }
    free(b->items);
    *b = (nn_breakpoints){.count = 0};
}

static int *place_dup(const int *p, int L)
{
    if (!p) return NULL;
    int *c = malloc((size_t)L * sizeof *c);
    if (c) memcpy(c, p, (size_t)L * sizeof *c);
    return c;
}

typedef struct bisector {
    const nn_sweep *sw;
    int L;
    nn_breakpoints *out;
    int found; /* change points of this interval */
} bisector;

/* The optimal placement at value v of the first axis (NULL: none), owned by `r`. */
static int solve_at(const bisector *bs, double v, nn_solve_result *r)
{
    nn_scenario s;
    scenario_init(&s);
    char why[256];
    *r = (nn_solve_result){.status = SOLVE_ERROR};
    int rc = 0;
    if (scenario_at(bs->sw, -1, &v, &s, why, sizeof why)) {
        nn_sweep_point pt = {.r = {.status = SOLVE_ERROR}};
        rc = solve_scenario(bs->sw, &s, false, &pt);
        *r = pt.r;
    }
    scenario_free(&s);
    return rc;
}

double sweep_latency(const nn_sweep *sw, const nn_instance *in, const int *place)
{
    return eval_latency(in, place, objective_mode(in->objective, sw->mode));
}

/* A placement's latency at v, and its value on the objective (`obj`). */
static double latency_at(const bisector *bs, double v, const int *place, double *obj)
{
    *obj = INFINITY;
    if (!place) return INFINITY;
    nn_scenario s;
    scenario_init(&s);
    char why[256];
    double t = INFINITY;
    nn_instance in;
    if (scenario_at(bs->sw, -1, &v, &s, why, sizeof why) && instance_build(&s, &in) == 0) {
        t = sweep_latency(bs->sw, &in, place);
        *obj = eval_objective(&in, place, objective_mode(in.objective, bs->sw->mode), in.objective,
                              in.latency_limit, in.energy_limit);
        instance_free(&in);
    }
    scenario_free(&s);
    return t;
}

static int record(bisector *bs, double lo, const int *plo, double hi, const int *phi)
{
    nn_breakpoints *o = bs->out;
    if (o->count == o->cap) {
        int cap = o->cap ? 2 * o->cap : 8;
        nn_breakpoint *grown = realloc(o->items, (size_t)cap * sizeof *grown);
        if (!grown) return -1;
        o->items = grown;
        o->cap = cap;
    }
    double v = bs->sw->axes[0].log ? sqrt(lo) * sqrt(hi) : lo + (hi - lo) / 2;
    nn_breakpoint b = {.value = v, .lo = lo, .hi = hi};
    b.before = place_dup(plo, bs->L);
    b.after = place_dup(phi, bs->L);
    if ((plo && !b.before) || (phi && !b.after)) {
        free(b.before);
        free(b.after);
        return -1;
    }
    b.latency_before = latency_at(bs, v, plo, &b.objective_before);
    b.latency_after = latency_at(bs, v, phi, &b.objective_after);
    /* The optimum's: the placement of lower value, ties (the tie-break's
     * 1e-10) to the lower latency. Not the lower latency of the two, which
     * under another objective or a limit can be the placement that loses. */
    double ob = b.objective_before, oa = b.objective_after;
    bool tie = isfinite(ob) && isfinite(oa) && fabs(ob - oa) <= 1e-10 * fmax(fabs(ob), fabs(oa));
    bool after = tie ? b.latency_after < b.latency_before : oa < ob;
    b.objective = after ? oa : ob;
    b.latency = !isfinite(b.objective) ? INFINITY : after ? b.latency_after : b.latency_before;
    o->items[o->count++] = b;
    bs->found++;
    return 0;
}

static int bisect(bisector *bs, double lo, const int *plo, double hi, const int *phi, int depth)
{
    if (sweep_same_place(plo, phi, bs->L)) return 0;
    double scale = fmax(fabs(lo), fabs(hi));
    bool narrow = fabs(hi - lo) <= SWEEP_BREAK_TOLERANCE * scale;
    if (narrow || depth >= SWEEP_MAX_DEPTH || bs->found >= SWEEP_MAX_BREAKS ||
        (bs->sw->cancel && atomic_load(bs->sw->cancel)))
        return record(bs, lo, plo, hi, phi);
    double mid = bs->sw->axes[0].log ? sqrt(lo) * sqrt(hi) : lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) return record(bs, lo, plo, hi, phi); /* no double between */
    nn_solve_result r;
    if (solve_at(bs, mid, &r) != 0) {
        solve_result_free(&r);
        return -1;
    }
    int rc;
    if (sweep_same_place(r.place, plo, bs->L))
        rc = bisect(bs, mid, r.place, hi, phi, depth + 1);
    else if (sweep_same_place(r.place, phi, bs->L))
        rc = bisect(bs, lo, plo, mid, r.place, depth + 1);
    else if ((rc = bisect(bs, lo, plo, mid, r.place, depth + 1)) == 0)
        rc = bisect(bs, mid, r.place, hi, phi, depth + 1); /* a third placement between */
    solve_result_free(&r);
    return rc;
}

int sweep_bisect(const nn_sweep *sw, double lo, const int *plo, double hi, const int *phi,
                 nn_breakpoints *out)
{
    if (sw->naxes != 1 || sw->axes[0].kind != AXIS_FIELD) return -1;
    bisector bs = {.sw = sw, .L = sw->base->net.nlayers, .out = out};
    return bisect(&bs, lo, plo, hi, phi, 0);
}

void sweep_shard(int n, int k, int count, int *first, int *last)
{
    *first = (int)((long)n * (k - 1) / count);
    *last = (int)((long)n * k / count);
}

typedef struct par_job {
    int n;
    atomic_int next;
    void (*fn)(void *ctx, int i);
    void *ctx;
} par_job;

static void par_drain(par_job *j)
{
    for (int i; (i = atomic_fetch_add(&j->next, 1)) < j->n;)
        j->fn(j->ctx, i);
}

static void *par_main(void *arg)
{
    par_drain(arg);
    glp_free_env(); /* this thread's GLPK environment */
    return NULL;
}

int sweep_parallel(int n, int jobs, void (*fn)(void *ctx, int i), void *ctx)
{
    par_job j = {.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&j.next, 0);
    if (jobs > n) jobs = n;
    if (jobs <= 1) {
        par_drain(&j);
        return 0;
    }
    if (jobs > SWEEP_MAX_JOBS) jobs = SWEEP_MAX_JOBS;
    pthread_t threads[SWEEP_MAX_JOBS];
    int started = 0, rc = 0;
    for (; started < jobs; started++)
        if (pthread_create(&threads[started], NULL, par_main, &j) != 0) {
            rc = -1;
            break;
        }
    if (started == 0) par_drain(&j); /* no thread at all: do it here */
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    return rc;
}

/* One chunk of a run: its points, then the change points of its pairs. */
typedef struct chunk {
    const nn_sweep *sw;
    int start; /* flat index of pts[0] */
    int n;
    nn_sweep_point *pts;
    int *rc; /* per point: sweep_point_solve's result */
    /* Pairs (k - 1, k) to bisect: the index of k in pts, its left neighbour's placement and value.
     */
    int npairs;
    int *pair_at;
    const int **pair_left;
    double *pair_lo;
    nn_breakpoints *bps; /* per pair */
    int *bps_rc;
} chunk;

static void chunk_solve(void *ctx, int i)
{
    chunk *c = ctx;
    c->rc[i] = sweep_point_solve(c->sw, c->start + i, &c->pts[i]);
}

static void chunk_bisect(void *ctx, int i)
{
    chunk *c = ctx;
    const nn_sweep_point *pt = &c->pts[c->pair_at[i]];
    double hi = c->sw->axes[0].values[pt->idx[0]];
    c->bps_rc[i] = sweep_bisect(c->sw, c->pair_lo[i], c->pair_left[i], hi, pt->r.place, &c->bps[i]);
}

int sweep_run(const nn_sweep *sw, int first, int last, bool breakpoints, sweep_emit_fn emit,
              void *ctx)
{
    int L = sw->base->net.nlayers;
    breakpoints = breakpoints && sw->naxes == 1 && sw->axes[0].kind == AXIS_FIELD;
    int rc = 0;
    /* The placement before the chunk, for `changed` and the first pair. */
    int *carry = malloc(((size_t)L + 1) * sizeof *carry);
    bool have_carry = false, carry_place = false;
    double carry_value = 0;
    chunk c = {.sw = sw};
    size_t cap = SWEEP_CHUNK + 1;
    c.pts = calloc(cap, sizeof *c.pts);
    c.rc = calloc(cap, sizeof *c.rc);
    c.pair_at = calloc(cap, sizeof *c.pair_at);
    c.pair_left = calloc(cap, sizeof *c.pair_left);
    c.pair_lo = calloc(cap, sizeof *c.pair_lo);
    c.bps = calloc(cap, sizeof *c.bps);
    c.bps_rc = calloc(cap, sizeof *c.bps_rc);
    if (!carry || !c.pts || !c.rc || !c.pair_at || !c.pair_left || !c.pair_lo || !c.bps ||
        !c.bps_rc) {
        rc = -1;
        goto out;
    }
    int from = first > 0 ? first - 1 : first;
    for (int start = from; start < last && rc == 0; start += SWEEP_CHUNK) {
        c.start = start;
        c.n = last - start < SWEEP_CHUNK ? last - start : SWEEP_CHUNK;
        if (sweep_parallel(c.n, sw->jobs, chunk_solve, &c) != 0) rc = -1;
        c.npairs = 0;
        for (int i = 0; i < c.n; i++) {
            nn_sweep_point *pt = &c.pts[i];
            if (c.rc[i] != 0) rc = -1;
            bool row_start = sw->naxes == 2 && pt->idx[1] == 0;
            const int *left = NULL;
            bool has_left = false;
            double lo = 0;
            if (i > 0) {
                has_left = !row_start && !c.pts[i - 1].failed;
                left = c.pts[i - 1].r.place;
                lo = sw->axes[0].kind == AXIS_FIELD ? sw->axes[0].values[c.pts[i - 1].idx[0]] : 0;
            } else if (have_carry) {
                has_left = !row_start;
                left = carry_place ? carry : NULL;
                lo = carry_value;
            }
            pt->changed = has_left && !pt->failed && !sweep_same_place(left, pt->r.place, L);
            if (breakpoints && pt->changed && pt->k >= first) {
                c.pair_at[c.npairs] = i;
                c.pair_left[c.npairs] = left;
                c.pair_lo[c.npairs] = lo;
                c.bps[c.npairs] = (nn_breakpoints){.count = 0};
                c.npairs++;
            }
        }
        if (c.npairs && sweep_parallel(c.npairs, sw->jobs, chunk_bisect, &c) != 0) rc = -1;
        int pair = 0;
        for (int i = 0; i < c.n; i++) {
            nn_sweep_point *pt = &c.pts[i];
            const nn_breakpoint *bps = NULL;
            int nbps = 0;
            if (pair < c.npairs && c.pair_at[pair] == i) {
                if (c.bps_rc[pair] != 0) rc = -1;
                bps = c.bps[pair].items;
                nbps = c.bps[pair].count;
                pair++;
            }
            if (rc == 0 && pt->k >= first && emit(ctx, pt, bps, nbps) != 0) rc = -1;
        }
        /* Carry the chunk's last point into the next. */
        nn_sweep_point *tail = &c.pts[c.n - 1];
        have_carry = !tail->failed;
        carry_place = tail->r.place != NULL;
        if (carry_place) memcpy(carry, tail->r.place, (size_t)L * sizeof *carry);
        carry_value = sw->axes[0].kind == AXIS_FIELD ? sw->axes[0].values[tail->idx[0]] : 0;
        for (int p = 0; p < c.npairs; p++)
            breakpoints_free(&c.bps[p]);
        for (int i = 0; i < c.n; i++)
            sweep_point_free(&c.pts[i]);
    }
out:
    free(carry);
    free(c.pts);
    free(c.rc);
    free(c.pair_at);
    free(c.pair_left);
    free(c.pair_lo);
    free(c.bps);
    free(c.bps_rc);
    return rc;
}
