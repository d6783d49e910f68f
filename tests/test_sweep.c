/* Sweeps: axes and their values, the worked example's change point found by
 * bisection where MODEL.md's algebra puts it, change points on random small
 * instances checked against brute force, threads and slices giving exactly
 * the serial results, and the plot layouts built from a sweep. */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_random.h"
#include "plot.h"
#include "scenario_fixture.h"
#include "scenario_io.h"
#include "sweep.h"
#include "sweep_plot.h"

static void axis_bandwidth(const nn_scenario *s, nn_axis *a, double from, double to, int n,
                           bool log)
{
    char why[512];
    assert_true(axis_parse(s, "link:edge-cloud.bandwidth", a, why, sizeof why));
    a->log = log;
    assert_int_equal(axis_set_range(a, from, to, n), 0);
}

static void test_axis_values(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_axis a;
    axis_bandwidth(&s, &a, 1e6, 1e9, 4, true);
    assert_int_equal(a.n, 4);
    assert_true(a.values[0] == 1e6 && a.values[3] == 1e9);
    assert_true(fabs(a.values[1] / 1e7 - 1) < 1e-12 && fabs(a.values[2] / 1e8 - 1) < 1e-12);
    /* In logs: no overflow from a ratio past the largest double. */
    a.log = true;
    assert_int_equal(axis_set_range(&a, 1e-300, 1e300, 3), 0);
    assert_true(isfinite(a.values[1]) && fabs(a.values[1] - 1) < 1e-9);
    char why[512], label[64];
    assert_true(axis_parse_values(&a, "1 Mbit/s, 20Mbit/s,1e9", why, sizeof why));
    assert_int_equal(a.n, 3);
    assert_true(a.values[1] == 20e6);
    axis_label(&a, 1, label, sizeof label);
    assert_string_equal(label, "20 Mbit/s");
    assert_false(axis_parse_values(&a, "1 Mbit/s,3 ms", why, sizeof why));
    assert_non_null(strstr(why, "'3 ms': "));
    axis_free(&a);

    /* Presets: a device's type, by name. */
    nn_axis p;
    assert_true(axis_parse(&s, "device:cloud.preset", &p, why, sizeof why));
    assert_int_equal(p.kind, AXIS_DEVICE_PRESET);
    assert_int_equal(p.ref.index, 1);
    assert_true(axis_parse_values(&p, "a100,t4", why, sizeof why));
    assert_string_equal(axis_preset_name(&p, 0), "a100");
    assert_true(axis_apply(&p, 1, &s, why, sizeof why));
    assert_true(s.devices[1].speed == 4e12); /* t4 */
    assert_false(axis_parse_values(&p, "a100,moon", why, sizeof why));
    assert_non_null(strstr(why, "no device preset named 'moon'; accepted: raspberry-pi-4, "));
    axis_free(&p);
    assert_true(axis_parse(&s, "link:edge-cloud.preset", &p, why, sizeof why));
    assert_int_equal(p.kind, AXIS_LINK_PRESET);
    assert_false(axis_parse(&s, "device:moon.preset", &p, why, sizeof why));
    assert_string_equal(why, "'device:moon.preset': no device named 'moon'");
    /* An owner longer than any name cannot be a field. */
    char longer[4 * NN_NAME_LEN];
    snprintf(longer, sizeof longer, "device:%0*d.preset", 3 * NN_NAME_LEN, 7);
    assert_false(axis_parse(&s, longer, &p, why, sizeof why));
    assert_non_null(strstr(why, "' is not a field: name too long"));
    scenario_free(&s);
}

/* MODEL.md's worked example in preload: cloud x3 costs 0.721 + 8000/b s
 * once its input is in before the weights; edge, cloud, cloud costs
 * 0.231 + 1.608e6/b while L2 waits for L1's output. They cross where
 * 1.6e6/b = 0.49: b* = 3.2653 Mbit/s. */
static void test_worked_example_breakpoint(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_sweep sw = {.base = &s, .naxes = 1, .mode = MODE_PRELOAD, .jobs = 1};
    axis_bandwidth(&s, &sw.axes[0], 1e6, 1e7, 2, true);
    const int cloud[3] = {1, 1, 1}, split[3] = {0, 1, 1};
    nn_breakpoints bps = {.count = 0};
    assert_int_equal(sweep_bisect(&sw, 1e6, cloud, 1e7, split, &bps), 0);
    assert_int_equal(bps.count, 1);
    const nn_breakpoint *b = &bps.items[0];
    double want = 1.6e6 / 0.49;
    assert_true(fabs(b->value - want) <= SWEEP_BREAK_TOLERANCE * want);
    assert_true(b->lo < want && want < b->hi);
    assert_true(b->hi - b->lo <= SWEEP_BREAK_TOLERANCE * b->hi);
    assert_true(sweep_same_place(b->before, cloud, 3) && sweep_same_place(b->after, split, 3));
    assert_true(fabs(b->latency_before - (0.721 + 8000 / b->value)) < 1e-9);
    assert_true(fabs(b->latency_after - (0.231 + 1.608e6 / b->value)) < 1e-9);
    /* Descending values bisect the same way. */
    breakpoints_free(&bps);
    assert_int_equal(sweep_bisect(&sw, 1e7, split, 1e6, cloud, &bps), 0);
    assert_int_equal(bps.count, 1);
    assert_true(fabs(bps.items[0].value - want) <= SWEEP_BREAK_TOLERANCE * want);
    breakpoints_free(&bps);
    /* Equal placements: nothing to find. */
    assert_int_equal(sweep_bisect(&sw, 1e6, cloud, 1e7, cloud, &bps), 0);
    assert_int_equal(bps.count, 0);
    axis_free(&sw.axes[0]);
    scenario_free(&s);
}

typedef struct collect {
    int n;
    nn_sweep_point pts[64];
    int nbps;
    nn_breakpoint bps[64];
    int L;
} collect;

static int *dup_place(const int *p, int L)
{
    if (!p) return NULL;
    int *c = malloc((size_t)L * sizeof *c);
    assert_non_null(c);
    memcpy(c, p, (size_t)L * sizeof *c);
    return c;
}

static int collect_emit(void *ctx, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps)
{
    collect *c = ctx;
    assert_true(c->n < 64);
    nn_sweep_point *p = &c->pts[c->n++];
    *p = (nn_sweep_point){.k = pt->k, .idx = {pt->idx[0], pt->idx[1]}, .changed = pt->changed};
    p->r.latency = pt->r.latency;
    p->r.place = dup_place(pt->r.place, c->L);
    for (int i = 0; i < nbps; i++) {
        assert_true(c->nbps < 64);
        c->bps[c->nbps] = bps[i];
        c->bps[c->nbps].before = dup_place(bps[i].before, c->L);
        c->bps[c->nbps].after = dup_place(bps[i].after, c->L);
        c->nbps++;
    }
    return 0;
}

static void collect_free(collect *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->pts[i].r.place);
    for (int i = 0; i < c->nbps; i++) {
        free(c->bps[i].before);
        free(c->bps[i].after);
    }
    c->n = c->nbps = 0;
}

static void assert_same_runs(const collect *a, const collect *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nbps, b->nbps);
    for (int i = 0; i < a->n; i++) {
        assert_int_equal(a->pts[i].k, b->pts[i].k);
        assert_int_equal(a->pts[i].changed, b->pts[i].changed);
        assert_true(sweep_same_place(a->pts[i].r.place, b->pts[i].r.place, a->L));
        assert_true(a->pts[i].r.latency == b->pts[i].r.latency);
    }
    for (int i = 0; i < a->nbps; i++) {
        assert_true(a->bps[i].value == b->bps[i].value);
        assert_true(sweep_same_place(a->bps[i].before, b->bps[i].before, a->L));
        assert_true(sweep_same_place(a->bps[i].after, b->bps[i].after, a->L));
    }
}

/* The scenario at value v of the first axis, built. */
static void instance_at(const nn_sweep *sw, double v, nn_scenario *s, nn_instance *in)
{
    scenario_init(s);
    assert_int_equal(scenario_copy(s, sw->base), 0);
    char why[256];
    assert_true(axis_apply_value(&sw->axes[0], v, s, why, sizeof why));
    assert_int_equal(instance_build(s, in), 0);
}

/* The brute-force optimum with the link's bandwidth at v. */
static double brute_at(const nn_sweep *sw, double v)
{
    nn_scenario s;
    nn_instance in;
    instance_at(sw, v, &s, &in);
    double t = brute_force(&in, sw->mode, false, NULL);
    instance_free(&in);
    scenario_free(&s);
    return t;
}

static double latency_at(const nn_sweep *sw, double v, const int *place)
{
    if (!place) return INFINITY;
    nn_scenario s;
    nn_instance in;
    instance_at(sw, v, &s, &in);
    double t = eval_latency(&in, place, sw->mode);
    instance_free(&in);
    scenario_free(&s);
    return t;
}

/* Random small instances, every mode: a sweep of the first link's
 * bandwidth (60 instances) with change points. Each change point's `before` is optimal at
 * its low end and `after` at its high end (brute force), its interval is
 * within the tolerance, and two threads and three slices give the same
 * points and change points as one serial run. */
static void test_random_breakpoints(void **state)
{
    (void)state;
    random_spec spec = {.max_layers = 4, .max_devices = 3, .max_placements = 81};
    int instances = 0, found = 0;
    for (uint64_t seed = 1; instances < 60 && seed < 1000; seed++) {
        nn_scenario s;
        if (random_scenario(&s, seed, &spec) != 0 || s.nlinks == 0 || s.links[0].bandwidth <= 0) {
            scenario_free(&s);
            continue;
        }
        instances++;
        nn_mode mode = (nn_mode)(seed % MODE_COUNT);
        nn_sweep sw = {.base = &s, .naxes = 1, .mode = mode, .jobs = 1};
        char what[160], why[512];
        snprintf(what, sizeof what, "link:%s-%s.bandwidth", s.devices[s.links[0].a].name,
                 s.devices[s.links[0].b].name);
        assert_true(axis_parse(&s, what, &sw.axes[0], why, sizeof why));
        sw.axes[0].log = true;
        assert_int_equal(axis_set_range(&sw.axes[0], 1e5, 1e10, 6), 0);
        collect serial = {.L = s.net.nlayers};
        assert_int_equal(sweep_run(&sw, 0, 6, true, collect_emit, &serial), 0);
        assert_int_equal(serial.n, 6);
        for (int i = 0; i < serial.n; i++) {
            double v = sw.axes[0].values[i];
            assert_true(rel_close(serial.pts[i].r.latency, brute_at(&sw, v), 1e-6) ||
                        (!serial.pts[i].r.place && isinf(brute_at(&sw, v))));
        }
        for (int i = 0; i < serial.nbps; i++) {
            const nn_breakpoint *b = &serial.bps[i];
            found++;
            assert_true(fabs(b->hi - b->lo) <= SWEEP_BREAK_TOLERANCE * fmax(b->lo, b->hi) ||
                        nextafter(b->lo, b->hi) == b->hi);
            double lo_opt = brute_at(&sw, b->lo), hi_opt = brute_at(&sw, b->hi);
            assert_true(rel_close(latency_at(&sw, b->lo, b->before), lo_opt, 1e-6));
            assert_true(rel_close(latency_at(&sw, b->hi, b->after), hi_opt, 1e-6));
        }
        sw.jobs = 2;
        collect threads = {.L = s.net.nlayers};
        assert_int_equal(sweep_run(&sw, 0, 6, true, collect_emit, &threads), 0);
        assert_same_runs(&serial, &threads);
        collect_free(&threads);
        collect shards = {.L = s.net.nlayers};
        for (int k = 1; k <= 3; k++) {
            int first, last;
            sweep_shard(6, k, 3, &first, &last);
            assert_int_equal(sweep_run(&sw, first, last, true, collect_emit, &shards), 0);
        }
        assert_same_runs(&serial, &shards);
        collect_free(&shards);
        collect_free(&serial);
        axis_free(&sw.axes[0]);
        scenario_free(&s);
    }
    assert_int_equal(instances, 60);
    print_message("%d random instances, %d change points checked against brute force\n", instances,
                  found);
    /* The instances must exercise bisection, not only flat sweeps. */
    assert_true(found >= 15);
    glp_free_env();
}

static void label_any(const int *place, char *buf, size_t size, void *ctx)
{
    (void)ctx;
    snprintf(buf, size, "from %d", place[0]);
}

/* What a sweep point's lines must be, taken from the point as it comes. */
typedef struct expect {
    const nn_sweep *sw;
    sweep_plot *rec;
    int n, D;
    double value[8], best[8], alone[8][4]; /* [point], [point][device] */
    int over;                              /* points with a feasible baseline over a limit */
    nn_sweep_point pts[8];                 /* value and placement of each point */
} expect;

static int expect_emit(void *ctx, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps)
{
    expect *e = ctx;
    assert_true(e->n < 8);
    int k = e->n++;
    e->value[k] = pt->r.place ? pt->r.value : INFINITY;
    const nn_baseline *best = baselines_best(&pt->b);
    e->best[k] = best ? best->value : INFINITY;
    bool over = false;
    for (int d = 0; d < 4; d++)
        e->alone[k][d] = INFINITY;
    for (int i = 0; i < pt->b.count; i++) {
        const nn_baseline *b = &pt->b.items[i];
        over = over || (b->feasible && !b->within_limits);
        /* Within the limits only, on the objective (the least, as CSV's best). */
        if (b->within_limits) assert_true(e->best[k] <= b->value);
        if (!b->feasible || !b->place) continue;
        bool one = true;
        for (int l = 1; l < e->sw->base->net.nlayers; l++)
            one = one && b->place[l] == b->place[0];
        if (one && b->within_limits) e->alone[k][b->place[0]] = b->value;
    }
    e->over += over;
    e->pts[k] = (nn_sweep_point){.r = {.place = dup_place(pt->r.place, e->sw->base->net.nlayers),
                                       .latency = pt->r.latency,
                                       .value = pt->r.value}};
    return sweep_plot_add(e->rec, pt, bps, nbps);
}

/* A breakpoint says what a solve at its value says: of its two placements
 * the one of lower value on the objective (ties to the lower latency), with
 * the latency a solve reports (under throughput one input alone, weights
 * resident, whatever the mode). Returns whether the solve there returned
 * one of the two, so that its latency and value were compared too. */
static bool breakpoint_as_solved(const nn_sweep *sw, const nn_breakpoint *b)
{
    nn_scenario s;
    nn_instance in;
    instance_at(sw, b->value, &s, &in);
    nn_mode lmode = in.objective == OBJ_THROUGHPUT ? MODE_RESIDENT : sw->mode;
    double ob = INFINITY, oa = INFINITY, lb = INFINITY, la = INFINITY;
    if (b->before) {
        ob = eval_objective(&in, b->before, sw->mode, in.objective, in.latency_limit,
                            in.energy_limit);
        lb = eval_latency(&in, b->before, lmode);
    }
    if (b->after) {
        oa = eval_objective(&in, b->after, sw->mode, in.objective, in.latency_limit,
                            in.energy_limit);
        la = eval_latency(&in, b->after, lmode);
    }
    assert_true(b->objective_before == ob && b->objective_after == oa);
    assert_true(b->latency_before == lb && b->latency_after == la);
    double want = fmin(ob, oa);
    assert_true(b->objective == want);
    if (!isfinite(want)) {
        assert_true(isinf(b->latency));
    } else {
        bool tie = isfinite(ob) && isfinite(oa) && fabs(ob - oa) <= 1e-10 * fmax(ob, oa);
        double lat = tie ? fmin(la, lb) : ob < oa ? lb : la;
        if (b->latency != lat)
            fail_msg("breakpoint at %.17g: latency %.17g, the optimum's there %.17g (before %.17g, "
                     "after %.17g; objective %.17g, %.17g)",
                     b->value, b->latency, lat, lb, la, ob, oa);
    }
    nn_solve_options opt = {.mode = sw->mode, .engine = ENGINE_AUTO};
    solve_options_from_instance(&opt, &in);
    nn_solve_result r;
    assert_int_equal(solve_run(&in, &opt, &r), 0);
    int L = in.L;
    bool one = r.place &&
               (sweep_same_place(r.place, b->before, L) || sweep_same_place(r.place, b->after, L));
    if (one) {
        if (!rel_close(r.latency, b->latency, 1e-9) || !rel_close(r.value, b->objective, 1e-9))
            fail_msg("breakpoint at %.17g: latency %.17g, value %.17g; solve there %.17g, %.17g",
                     b->value, b->latency, b->objective, r.latency, r.value);
    }
    solve_result_free(&r);
    instance_free(&in);
    scenario_free(&s);
    return one;
}

/* Random small instances under every objective, with and without limits
 * (set at 1.3 times the base instance's least latency or energy, so they
 * bind at some points of the sweep): each point's optimum is brute
 * force's; the plot's optimum line is its value on the objective, the best
 * baseline's line the least within the limits (baselines_best: what the
 * CSV and the text table name), each device's line has no point where it
 * is over a limit; every breakpoint says what a solve at its value says
 * (breakpoint_as_solved); the ranges' values at each change are the
 * breakpoint's. */
static void test_random_objectives(void **state)
{
    (void)state;
    random_spec spec = {.max_layers = 4, .max_devices = 3, .max_placements = 81};
    int instances = 0, found = 0, solved = 0, over = 0, ends = 0, cases[6] = {0};
    for (uint64_t seed = 1; instances < 60 && seed < 2000; seed++) {
        nn_scenario s;
        if (random_scenario(&s, seed, &spec) != 0 || s.nlinks == 0 || s.links[0].bandwidth <= 0) {
            scenario_free(&s);
            continue;
        }
        int c = instances % 6;
        nn_instance base;
        assert_int_equal(instance_build(&s, &base), 0);
        nn_mode mode = s.mode;
        double t0 = brute_force_goal(&base, mode, OBJ_LATENCY, 0, 0, NULL);
        double e0 = brute_force_goal(&base, mode, OBJ_ENERGY, 0, 0, NULL);
        double b0 = brute_force_goal(&base, mode, OBJ_BATTERY_ENERGY, 0, 0, NULL);
        instance_free(&base);
        if (!isfinite(t0)) {
            scenario_free(&s);
            continue;
        }
        instances++;
        cases[c]++;
        s.objective = c <= 1             ? OBJ_LATENCY
                      : c == 2 || c == 5 ? OBJ_ENERGY
                      : c == 3           ? OBJ_BATTERY_ENERGY
                                         : OBJ_THROUGHPUT;
        if (c == 1) s.energy_limit = 1.3 * e0;
        if (c == 2) s.latency_limit = 1.3 * t0;
        if (c == 3 && b0 > 0) s.energy_limit = 1.3 * b0;
        nn_sweep sw = {.base = &s, .naxes = 1, .mode = mode, .jobs = 1, .baselines = true};
        char what[160], why[512];
        snprintf(what, sizeof what, "link:%s-%s.bandwidth", s.devices[s.links[0].a].name,
                 s.devices[s.links[0].b].name);
        assert_true(axis_parse(&s, what, &sw.axes[0], why, sizeof why));
        sw.axes[0].log = true;
        assert_int_equal(axis_set_range(&sw.axes[0], 1e5, 1e10, 6), 0);
        nn_instance names;
        assert_int_equal(instance_build(&s, &names), 0);
        expect e = {.sw = &sw, .D = s.ndevices};
        e.rec = sweep_plot_new(&sw, names.device_names, names.L);
        assert_non_null(e.rec);
        assert_int_equal(sweep_run(&sw, 0, 6, true, expect_emit, &e), 0);
        assert_int_equal(e.n, 6);
        over += e.over;
        for (int k = 0; k < 6; k++) {
            nn_scenario at;
            nn_instance in;
            instance_at(&sw, sw.axes[0].values[k], &at, &in);
            double want =
                brute_force_goal(&in, mode, s.objective, s.latency_limit, s.energy_limit, NULL);
            assert_true(rel_close(e.value[k], want, 1e-6) || (isinf(e.value[k]) && isinf(want)));
            instance_free(&in);
            scenario_free(&at);
        }
        plot_data p;
        assert_int_equal(sweep_plot_data(e.rec, "t", label_any, NULL, &p), 0);
        assert_int_equal(p.series[0].style, PLOT_OPTIMUM);
        int best = -1;
        for (int k = 0; k < p.nseries; k++)
            if (p.series[k].style == PLOT_BEST) best = k;
        for (int k = 0; k < 6; k++) {
            assert_true(p.series[0].y[k] == e.value[k]);
            if (best >= 0)
                assert_true(p.series[best].y[k] == e.best[k]);
            else
                assert_true(isinf(e.best[k]));
        }
        for (int k = 0; k < p.nseries; k++) {
            if (p.series[k].style != PLOT_BASELINE) continue;
            int d = -1;
            for (int x = 0; x < s.ndevices; x++) {
                char name[96];
                snprintf(name, sizeof name, "all on %s", s.devices[x].name);
                if (strncmp(p.series[k].name, name, strlen(name)) == 0 &&
                    (p.series[k].name[strlen(name)] == '\0' ||
                     p.series[k].name[strlen(name)] == ' '))
                    d = x;
            }
            assert_true(d >= 0);
            for (int i = 0; i < 6; i++)
                assert_true(p.series[k].y[i] == e.alone[i][d]);
        }
        sweep_plot_data_free(&p);
        int nb = sweep_plot_nbreaks(e.rec), nr = sweep_plot_nranges(e.rec);
        for (int i = 0; i < nb; i++) {
            solved += breakpoint_as_solved(&sw, sweep_plot_break(e.rec, i));
            found++;
        }
        /* One range more than changes; at each change the ranges' values
         * are the two placements', the lower the breakpoint's. */
        assert_int_equal(nr, nb + 1);
        sweep_range r0, r1;
        for (int i = 0; i < nb; i++) {
            sweep_plot_range(e.rec, i, &r0);
            sweep_plot_range(e.rec, i + 1, &r1);
            const nn_breakpoint *b = sweep_plot_break(e.rec, i);
            assert_true(r0.value_to == b->objective_before && r1.value_from == b->objective_after);
            assert_true(fmin(r0.value_to, r1.value_from) == b->objective);
        }
        sweep_plot_range(e.rec, 0, &r0);
        sweep_plot_range(e.rec, nr - 1, &r1);
        assert_true(r0.value_from == e.value[0] && r1.value_to == e.value[5]);
        /* What the ranges table prints: each value is the placement's, on
         * the objective, at the range's own from and to (not elsewhere in
         * the change's interval), to the bit. */
        for (int i = 0; i < nr; i++) {
            sweep_range g;
            sweep_plot_range(e.rec, i, &g);
            if (!g.place) continue;
            for (int end = 0; end < 2; end++) {
                nn_scenario at;
                nn_instance ai;
                instance_at(&sw, end ? g.to : g.from, &at, &ai);
                double v = eval_objective(&ai, g.place, objective_mode(ai.objective, sw.mode),
                                          ai.objective, ai.latency_limit, ai.energy_limit);
                assert_true(v == (end ? g.value_to : g.value_from));
                ends++;
                instance_free(&ai);
                scenario_free(&at);
            }
        }
        for (int k = 0; k < 6; k++)
            free(e.pts[k].r.place);
        sweep_plot_free(e.rec);
        instance_free(&names);
        axis_free(&sw.axes[0]);
        scenario_free(&s);
    }
    assert_int_equal(instances, 60);
    print_message("%d random instances (%d %d %d %d %d %d per case), %d change points (%d where "
                  "solve returned one of the two), %d points with a baseline over a limit, %d "
                  "range ends evaluated where they are shown\n",
                  instances, cases[0], cases[1], cases[2], cases[3], cases[4], cases[5], found,
                  solved, over, ends);
    /* Not vacuous: changes, solves that agree, and limits that bind. */
    assert_true(found >= 15 && solved >= found / 2 && over >= 10 && ends >= 2 * found &&
                ends >= 120);
    glp_free_env();
}

/* camera-stream.yaml under throughput, swept over the hub-cloud bandwidth
 * with --mode preload: a breakpoint's latency is the one input's latency
 * with weights resident, as at every point (solve's latency_s), of the
 * placement of least period there; it was the lower preload latency of the
 * two (0.403 s at 17.6 Mbit/s, between points of 79.6 and 122 ms). */
static void test_throughput_breakpoints(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    assert_int_equal(scenario_load_file("configs/camera-stream.yaml", &s, &err), 0);
    assert_int_equal(s.objective, OBJ_THROUGHPUT);
    nn_sweep sw = {.base = &s, .naxes = 1, .mode = MODE_PRELOAD, .jobs = 1};
    char why[512];
    assert_true(axis_parse(&s, "link:hub-cloud.bandwidth", &sw.axes[0], why, sizeof why));
    sw.axes[0].log = true;
    assert_int_equal(axis_set_range(&sw.axes[0], 1e6, 1e9, 5), 0);
    collect c = {.L = s.net.nlayers};
    assert_int_equal(sweep_run(&sw, 0, 5, true, collect_emit, &c), 0);
    assert_true(c.nbps >= 3);
    int solved = 0, differs = 0;
    for (int i = 0; i < c.nbps; i++) {
        solved += breakpoint_as_solved(&sw, &c.bps[i]);
        /* The mode's own latency is another number: the test can fail. */
        double pre = latency_at(&sw, c.bps[i].value, c.bps[i].before);
        differs += !rel_close(pre, c.bps[i].latency_before, 1e-6);
    }
    assert_true(solved >= c.nbps - 1 && differs > 0);
    collect_free(&c);
    axis_free(&sw.axes[0]);
    scenario_free(&s);
    glp_free_env();
}

static void test_shard_slices(void **state)
{
    (void)state;
    int first, last, covered = 0;
    for (int k = 1; k <= 7; k++) {
        sweep_shard(100, k, 7, &first, &last);
        assert_int_equal(first, covered);
        assert_true(last >= first);
        covered = last;
    }
    assert_int_equal(covered, 100);
    sweep_shard(3, 5, 8, &first, &last); /* more slices than points: some empty */
    assert_true(first <= last && last <= 3);
}

static int plot_emit(void *ctx, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps)
{
    return sweep_plot_add(ctx, pt, bps, nbps);
}

static void label_place(const int *place, char *buf, size_t size, void *ctx)
{
    (void)ctx;
    snprintf(buf, size, "%d%d%d", place[0], place[1], place[2]);
}

/* The plot layout of the worked example's sweep: two bands that meet at the
 * change point, the mark there, the optimum never above the best baseline. */
static void test_plot_layout(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_sweep sw = {.base = &s, .naxes = 1, .mode = MODE_PRELOAD, .jobs = 1, .baselines = true};
    axis_bandwidth(&s, &sw.axes[0], 1e6, 1e8, 5, true);
    sweep_plot *rec = sweep_plot_new(&sw, in.device_names, in.L);
    assert_non_null(rec);
    assert_int_equal(sweep_run(&sw, 0, 5, true, plot_emit, rec), 0);
    assert_int_equal(sweep_plot_npoints(rec), 5);
    assert_int_equal(sweep_plot_nbreaks(rec), 1);
    assert_int_equal(sweep_plot_nranges(rec), 2);
    sweep_range r0, r1;
    sweep_plot_range(rec, 0, &r0);
    sweep_plot_range(rec, 1, &r1);
    double bstar = sweep_plot_break(rec, 0)->value;
    assert_true(r0.from == 1e6 && r0.to == bstar && r1.from == bstar && r1.to == 1e8);
    const int cloud[3] = {1, 1, 1};
    assert_true(sweep_same_place(r0.place, cloud, 3));

    plot_data p;
    assert_int_equal(sweep_plot_data(rec, "t", label_place, NULL, &p), 0);
    assert_int_equal(p.nbands, 2);
    assert_true(p.bands[0].x1 == bstar && p.bands[1].x0 == bstar);
    assert_string_equal(p.bands[0].label, "111");
    assert_string_equal(p.bands[1].label, "011");
    assert_int_equal(p.bands[0].cls, 0);
    assert_int_equal(p.bands[1].cls, 1);
    assert_int_equal(p.nmarks, 1);
    assert_string_equal(p.marks[0].label, "3.27 Mbit/s");
    assert_string_equal(p.series[0].name, "optimum (nnpart)");
    assert_string_equal(p.series[1].name, "best baseline");
    for (int i = 0; i < p.n; i++)
        assert_true(p.series[0].y[i] <= p.series[1].y[i] * (1 + 1e-12));
    plot_axis x, y;
    plot_axes(&p, 9, 8, &x, &y);
    assert_true(x.log && x.lo == 1e6 && x.hi == 1e8);
    assert_int_equal(x.nticks, 3 + 2 * 2); /* 1, 10, 100 Mbit/s and 2, 5 times 1, 10 */
    assert_string_equal(x.ticks[0].label, "1 Mbit/s");
    assert_true(fabs(plot_axis_frac(&x, 1e7) - 0.5) < 1e-12);
    assert_true(y.lo <= 0.712 && y.hi >= 0.84);
    sweep_plot_data_free(&p);
    sweep_plot_free(rec);
    axis_free(&sw.axes[0]);
    instance_free(&in);
    scenario_free(&s);
}

static void test_plot_axis_ticks(void **state)
{
    (void)state;
    plot_axis a;
    plot_axis_build(&a, 0, 0.8, false, UNIT_TIME, 9);
    assert_int_equal(a.nticks, 9);
    assert_string_equal(a.ticks[0].label, "0 s");
    assert_string_equal(a.ticks[8].label, "800 ms");
    plot_axis_build(&a, 1e3, 1e12, true, UNIT_BIT_RATE, 5);
    assert_true(a.nticks <= 5);
    assert_string_equal(a.ticks[0].label, "1 kbit/s");
    plot_axis_build(&a, 5, 5, false, UNIT_TIME, 5); /* empty: widened */
    assert_true(a.lo < 5 && a.hi > 5);
    plot_axis_build(&a, 3, 3, true, UNIT_TIME, 5);
    assert_true(a.log && a.lo == 1.5 && a.hi == 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis_values),        cmocka_unit_test(test_worked_example_breakpoint),
        cmocka_unit_test(test_random_breakpoints), cmocka_unit_test(test_shard_slices),
        cmocka_unit_test(test_plot_layout),        cmocka_unit_test(test_plot_axis_ticks),
        cmocka_unit_test(test_random_objectives),  cmocka_unit_test(test_throughput_breakpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
