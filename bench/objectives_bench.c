/* The objective case set of the benchmark (part of `make bench`;
 * `--objectives` alone): energy and battery energy on eight devices
 * (bench/eight-devices-energy.yaml with every zoo network) and on
 * configs/battery-phone.yaml in every mode, by the label engine, the ILP
 * and the race, with the median time of each and whether their placements
 * agree; then 48 identical blocks on 3 and 8 devices under energy (the
 * tests' fixture_stack with power, idle and load power: where energy is
 * hard, README); then `nnpart pareto` on configs/battery-phone.yaml. The
 * throughput case set (bench_throughput; `--throughput` alone): every
 * config under throughput, both stages rules, by the three engines, and
 * the explorer's race + baselines on configs/gpt2-home.yaml. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "scenario_io.h"
#include "solve.h"

#define OBJ_RUNS_MAX 5

/* The median of `runs` solves; one only when it is not proven. The last
 * result stays in *r. */
static double goal_time(const nn_instance *in, const nn_solve_options *opt, int runs,
                        nn_solve_result *r)
{
    double t[OBJ_RUNS_MAX];
    int n = 0;
    for (int k = 0; k < runs && k < OBJ_RUNS_MAX; k++) {
        solve_result_free(r);
        double t0 = bench_now();
        if (solve_run(in, opt, r) != 0) exit(1);
        t[n++] = bench_now() - t0;
        if (r->status != SOLVE_OPTIMAL && r->status != SOLVE_INFEASIBLE) break;
    }
    return bench_median(t, n);
}

static const char *cell(char *buf, size_t size, double t, const nn_solve_result *r)
{
    bool done = r->status == SOLVE_OPTIMAL || r->status == SOLVE_INFEASIBLE;
    snprintf(buf, size, "%s%.2f", done ? "" : ">", t * 1e3);
    return buf;
}

typedef struct obj_totals {
    double race[256];
    int n, unproved, disagree;
    double worst;
    char worst_name[64];
} obj_totals;

/* One case: the three engines; prints a row. */
static void goal_case(const nn_instance *in, const char *name, nn_mode mode, nn_objective obj,
                      int runs, double limit_s, obj_totals *tot)
{
    nn_solve_result r[ENGINE_COUNT] = {0};
    double t[ENGINE_COUNT];
    for (int e = 0; e < ENGINE_COUNT; e++) {
        nn_solve_options opt = {
            .mode = mode, .objective = obj, .time_limit_s = limit_s, .engine = (nn_engine)e};
        t[e] = goal_time(in, &opt, runs, &r[e]);
    }
    const nn_solve_result *race = &r[ENGINE_AUTO];
    bool same = true;
    for (int e = 1; e < ENGINE_COUNT; e++)
        if (r[e].canonical && race->canonical &&
            memcmp(r[e].place, race->place, (size_t)in->L * sizeof *race->place) != 0)
            same = false;
    char cl[24], ci[24], cr[24], v[32];
    units_format(race->value, objective_unit(obj), v, sizeof v);
    printf("  %-14.14s %-8s %-14s %10s %10s %10s %-7s %-8s %10s %s\n", name, mode_name(mode),
           objective_name(obj), cell(cl, sizeof cl, t[ENGINE_LABELS], &r[ENGINE_LABELS]),
           cell(ci, sizeof ci, t[ENGINE_ILP], &r[ENGINE_ILP]), cell(cr, sizeof cr, t[0], race),
           engine_name(race->engine), solve_status_name(race->status), v, same ? "same" : "DIFFER");
    fflush(stdout);
    tot->disagree += !same;
    tot->unproved += race->status != SOLVE_OPTIMAL && race->status != SOLVE_INFEASIBLE;
    if (tot->n < (int)(sizeof tot->race / sizeof tot->race[0])) tot->race[tot->n++] = t[0];
    if (t[0] > tot->worst) {
        tot->worst = t[0];
        snprintf(tot->worst_name, sizeof tot->worst_name, "%s %s %s", name, mode_name(mode),
                 objective_name(obj));
    }
    for (int e = 0; e < ENGINE_COUNT; e++)
        solve_result_free(&r[e]);
}

static int load(const char *path, const char *zoo, nn_scenario *s, nn_instance *in)
{
    nn_error err;
    if (scenario_load_file(path, s, &err) != 0) {
        printf("  cannot load %s: %s\n", path, err.message);
        return -1;
    }
    if (zoo) {
        nn_network net;
        if (zoo_build(zoo, &net) != 0) return -1;
        scenario_set_network(s, &net);
    }
    return instance_build(s, in);
}

/* The tests' fixture_stack (tests/scenario_fixture.h): `blocks` blocks of
 * 20 GFLOP, 140 MB of weights and 1.5 MB out on D devices of three speeds
 * and two load rates, 4 GB each, every pair linked at 1 Gbit/s, 1 ms; with
 * power 10, 30, 50 W, idle 1 or 2 W, load power 2 W, every other device
 * on battery. */
static int energy_stack(int blocks, int D, nn_scenario *s, nn_instance *in)
{
    scenario_init(s);
    snprintf(s->name, sizeof s->name, "stack-%d/%dD", blocks, D);
    for (int d = 0; d < D; d++) {
        nn_device v = {.tier = TIER_EDGE,
                       .speed = 1e11 * (1 + d % 3),
                       .memory = 4e9,
                       .load_rate = 2e8 * (1 + d % 2),
                       .power = 10 + 20 * (d % 3),
                       .idle_power = 1 + d % 2,
                       .load_power = 2,
                       .battery = d % 2 == 0};
        snprintf(v.name, sizeof v.name, "d%d", d);
        if (scenario_add_device(s, &v) < 0) return -1;
    }
    for (int a = 0; a < D; a++)
        for (int b = a + 1; b < D; b++) {
            nn_link k = {.a = a, .b = b, .bandwidth = 1e9, .reverse = 1e9, .latency = 0.001};
            if (scenario_add_link(s, &k) < 0) return -1;
        }
    nn_network net = {0};
    for (int l = 0; l < blocks; l++) {
        char name[24];
        snprintf(name, sizeof name, "block%d", l);
        nn_layer *y = network_add_layer(&net, name, LT_RAW);
        if (!y) return -1;
        y->raw_flops = 2e10;
        y->raw_weights = 1.4e8;
        y->raw_output = 1.5e6;
    }
    net.input_bytes = 1.5e6;
    int bad;
    char why[256];
    if (network_infer(&net, &bad, why, sizeof why) != 0 || scenario_set_network(s, &net) != 0)
        return -1;
    return instance_build(s, in);
}

int bench_objectives(int runs, double limit_s)
{
    printf("\nObjectives: energy and battery energy, labels / ILP / race (median of %d, limit "
           "%.0f s, ms)\n",
           runs, limit_s);
    printf("  %-14s %-8s %-14s %10s %10s %10s %-7s %-8s %10s %s\n", "network", "mode", "objective",
           "labels", "ILP", "race", "by", "status", "value", "placements");
    obj_totals *tot = calloc(1, sizeof *tot);
    if (!tot) return -1;
    const char *e8 = "bench/eight-devices-energy.yaml";
    printf("  %s (8 devices, ethernet):\n", e8);
    for (int z = 0; z < zoo_count(); z++)
        for (int o = 0; o < 2; o++) {
            nn_scenario s;
            nn_instance in;
            if (load(e8, zoo_name(z), &s, &in) != 0) {
                free(tot);
                return -1;
            }
            goal_case(&in, zoo_name(z), s.mode, o ? OBJ_BATTERY_ENERGY : OBJ_ENERGY, runs, limit_s,
                      tot);
            instance_free(&in);
            scenario_free(&s);
        }
    const char *phone = "configs/battery-phone.yaml";
    printf("  %s:\n", phone);
    nn_scenario s;
    nn_instance in;
    if (load(phone, NULL, &s, &in) != 0) {
        free(tot);
        return -1;
    }
    for (int m = 0; m < MODE_COUNT; m++)
        for (int o = 0; o < 2; o++)
            goal_case(&in, s.net.name, (nn_mode)m, o ? OBJ_ENERGY : OBJ_BATTERY_ENERGY, runs,
                      limit_s, tot);
    printf("  race: median %.2f ms, worst %.2f ms (%s); %d not proven; %d with placements that "
           "differ\n",
           bench_median(tot->race, tot->n) * 1e3, tot->worst * 1e3, tot->worst_name, tot->unproved,
           tot->disagree);
    printf("  48 identical blocks under energy (fixture_stack with power; README, where energy "
           "is hard):\n");
    obj_totals *st = calloc(1, sizeof *st);
    for (int k = 0; st && k < 2; k++) {
        int D = k ? 8 : 3;
        nn_scenario ss;
        nn_instance si;
        if (energy_stack(48, D, &ss, &si) != 0) {
            printf("  cannot build the %d-device stack\n", D);
            break;
        }
        for (int m = 0; m < MODE_COUNT; m++)
            goal_case(&si, ss.name, (nn_mode)m, OBJ_ENERGY, runs, limit_s, st);
        instance_free(&si);
        scenario_free(&ss);
    }
    if (st)
        printf("  stacks: race median %.2f ms, worst %.2f ms (%s); %d not proven; %d with "
               "placements that differ\n",
               bench_median(st->race, st->n) * 1e3, st->worst * 1e3, st->worst_name, st->unproved,
               st->disagree);
    free(st);
    /* The explorer after an edit on the phone: the race and the baselines,
     * under the file's objective and mode. */
    double te[OBJ_RUNS_MAX];
    int nruns = runs < OBJ_RUNS_MAX ? runs : OBJ_RUNS_MAX;
    for (int k = 0; k < nruns; k++) {
        nn_solve_options opt = {.mode = s.mode, .time_limit_s = limit_s};
        solve_options_from_instance(&opt, &in);
        nn_solve_result r = {0};
        double t0 = bench_now();
        if (solve_run(&in, &opt, &r) != 0) exit(1);
        nn_baselines b;
        if (baselines_compute(&in, &opt, r.place ? r.value : INFINITY, &b) != 0) exit(1);
        te[k] = bench_now() - t0;
        baselines_free(&b);
        solve_result_free(&r);
    }
    printf("  explorer after an edit on %s (%s): race + baselines, median %.2f ms\n", phone,
           objective_name(in.objective), bench_median(te, nruns) * 1e3);
    /* nnpart pareto on the phone (the file's objective and mode). */
    double t[OBJ_RUNS_MAX];
    int points = 0;
    for (int k = 0; k < runs && k < OBJ_RUNS_MAX; k++) {
        nn_solve_options opt;
        memset(&opt, 0, sizeof opt);
        opt.mode = s.mode;
        solve_options_from_instance(&opt, &in);
        opt.time_limit_s = 10;
        nn_pareto p;
        double t0 = bench_now();
        if (solve_pareto(&in, &opt, 0, &p) != 0) exit(1);
        t[k] = bench_now() - t0;
        points = p.count;
        pareto_free(&p);
    }
    printf("  pareto %s: %d points, median %.2f ms\n", phone, points,
           bench_median(t, runs < OBJ_RUNS_MAX ? runs : OBJ_RUNS_MAX) * 1e3);
    instance_free(&in);
    scenario_free(&s);
    free(tot);
    return 0;
}

/* The explorer after an edit: the race and the baselines on `in` under
 * `obj`, median of `runs`. */
static double explorer_time(const nn_instance *in, nn_objective obj, int runs, double limit_s)
{
    double te[OBJ_RUNS_MAX];
    int n = 0;
    for (int k = 0; k < runs && k < OBJ_RUNS_MAX; k++) {
        nn_solve_options opt = {.mode = in->mode, .time_limit_s = limit_s};
        solve_options_from_instance(&opt, in);
        opt.objective = obj;
        nn_solve_result r = {0};
        double t0 = bench_now();
        if (solve_run(in, &opt, &r) != 0) exit(1);
        nn_baselines b;
        if (baselines_compute(in, &opt, r.place ? r.value : INFINITY, &b) != 0) exit(1);
        te[n++] = bench_now() - t0;
        baselines_free(&b);
        solve_result_free(&r);
    }
    return bench_median(te, n);
}

int bench_throughput(int runs, double limit_s)
{
    static const char *const configs[] = {
        "battery-phone.yaml", "camera-hub-cloud.yaml", "camera-stream.yaml",
        "default.yaml",       "drone-4g.yaml",         "glasses-tiny-cnn.yaml",
        "gpt2-home.yaml",     "vit-factory-5g.yaml",   "worked-example.yaml",
    };
    printf("\nThroughput: every config, labels / ILP / race (median of %d, limit %.0f s, ms)\n",
           runs, limit_s);
    printf("  %-14s %-8s %-14s %10s %10s %10s %-7s %-8s %10s %s\n", "network", "mode", "objective",
           "labels", "ILP", "race", "by", "status", "value", "placements");
    obj_totals *tot = calloc(1, sizeof *tot);
    if (!tot) return -1;
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++) {
        char path[256];
        snprintf(path, sizeof path, "configs/%s", configs[c]);
        nn_scenario s;
        nn_instance in;
        if (load(path, NULL, &s, &in) != 0) {
            free(tot);
            return -1;
        }
        printf("  %s:\n", path);
        for (int st = 0; st < 2; st++) {
            in.stages = st ? STAGES_CONTIGUOUS : STAGES_ANY;
            char name[64];
            snprintf(name, sizeof name, "%.9s%s", s.net.name, st ? " contig" : "");
            goal_case(&in, name, in.mode, OBJ_THROUGHPUT, runs, limit_s, tot);
        }
        in.stages = s.stages;
        if (strcmp(configs[c], "gpt2-home.yaml") == 0)
            printf("  explorer after an edit on %s (throughput): race + baselines, median %.2f "
                   "ms\n",
                   path, explorer_time(&in, OBJ_THROUGHPUT, runs, limit_s) * 1e3);
        instance_free(&in);
        scenario_free(&s);
    }
    printf("  race: median %.2f ms, worst %.2f ms (%s); %d not proven; %d with placements that "
           "differ\n",
           bench_median(tot->race, tot->n) * 1e3, tot->worst * 1e3, tot->worst_name, tot->unproved,
           tot->disagree);
    free(tot);
    return 0;
}
