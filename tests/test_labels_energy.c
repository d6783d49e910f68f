/* The label engine and the race on the energy objectives and the limits
 * (MODEL.md, "Beyond one latency", "Ties beyond latency"): on random small
 * instances (memory limits, pins, relayed routes, shared weights,
 * profiles) in every mode, with and without latency and energy limits, and
 * on instances of identical devices where ties are everywhere, the optimum
 * and the placement are brute force's order byte for byte; on every config
 * with every zoo network the label engine, the ILP and the race return the
 * same placement. */
#include <math.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glpk.h>

#include "helpers_solve.h"
#include "scenario_io.h"
#include "solve.h"
#include "solve_internal.h"

static void placement_text(const int *place, int L, char *buf, size_t size)
{
    buf[0] = 0;
    for (int l = 0; l < L; l++)
        snprintf(buf + strlen(buf), size - strlen(buf), " %d", place[l]);
}

/* Solves `gc` with `engine` and checks it against brute force's order:
 * status, the placement byte for byte, the value the evaluator's. Returns
 * 1 when optimal, 0 when infeasible. */
static int check_case(const nn_instance *in, nn_mode mode, const goal_case *gc, nn_engine engine,
                      const char *what)
{
    int order[16];
    double want = brute_force_ordered(in, mode, gc->obj, gc->tl, gc->el, gc->battery_limit, order);
    nn_solve_options opt = goal_case_options(mode, gc, engine);
    nn_solve_result r;
    assert_int_equal(solve_run(in, &opt, &r), 0);
    int ret = 0;
    if (isinf(want)) {
        if (r.status != SOLVE_INFEASIBLE)
            fail_msg("%s mode %s (%s, %s): %s (%s), brute force infeasible", what, mode_name(mode),
                     objective_name(gc->obj), engine_name(engine), solve_status_name(r.status),
                     r.message);
        assert_true(strncmp(r.message, "infeasible: ", 12) == 0);
    } else {
        if (r.status != SOLVE_OPTIMAL || !r.place)
            fail_msg("%s mode %s (%s, %s): %s (%s)", what, mode_name(mode), objective_name(gc->obj),
                     engine_name(engine), solve_status_name(r.status), r.message);
        if (memcmp(order, r.place, (size_t)in->L * sizeof *order) != 0) {
            char got[96], exp[96];
            placement_text(r.place, in->L, got, sizeof got);
            placement_text(order, in->L, exp, sizeof exp);
            fail_msg("%s mode %s (%s tl %.17g el %.17g%s, %s): placement%s (%.17g), brute "
                     "force%s (%.17g), second key %.17g vs %.17g",
                     what, mode_name(mode), objective_name(gc->obj), gc->tl, gc->el,
                     gc->battery_limit ? " battery" : "", engine_name(engine), got, r.value, exp,
                     want, goal_second_key(in, mode, gc->obj, r.place),
                     goal_second_key(in, mode, gc->obj, order));
        }
        /* The value is the evaluator's of that placement, to the bit. */
        double v =
            eval_objective_limited(in, order, mode, gc->obj, gc->tl, gc->el, gc->battery_limit);
        assert_true(r.value == v);
        assert_true(rel_close(r.value, want, 1e-9));
        assert_true(r.latency == eval_latency(in, order, mode));
        if (!r.busy_minimal || !r.canonical)
            fail_msg("%s mode %s (%s, %s): the tie-break did not complete", what, mode_name(mode),
                     objective_name(gc->obj), engine_name(engine));
        ret = 1;
    }
    solve_result_free(&r);
    return ret;
}

/* MODEL.md's decomposition E = I x T + A, by the label's own sums along
 * random placements in every mode, for all devices and the battery ones:
 * equal to the evaluator's energy up to rounding, and refused exactly
 * where the evaluator finds the placement infeasible. */
static void test_decomposition(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 8, .max_devices = 5, .max_placements = 1L << 30};
    int checked = 0, refused = 0;
    for (uint64_t seed = 500; seed < 700; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        rng r = {.s = seed};
        for (int k = 0; k < 20; k++) {
            int place[16];
            for (int l = 0; l < in.L; l++)
                place[l] =
                    in.pin[l] >= 0 && rng_chance(&r, 0.8) ? in.pin[l] : rng_int(&r, 0, in.D - 1);
            for (int m = 0; m < MODE_COUNT; m++)
                for (int b = 0; b < 2; b++) {
                    nn_solve_options opt = {.mode = (nn_mode)m,
                                            .objective = b ? OBJ_BATTERY_ENERGY : OBJ_ENERGY};
                    double bat, all = eval_energy(&in, place, (nn_mode)m, &bat, NULL);
                    double want = b ? bat : all, got = labels_energy_of(&in, &opt, place);
                    if (!isfinite(want)) {
                        assert_true(isinf(got));
                        refused++;
                        continue;
                    }
                    if (!rel_close(got, want, 1e-12))
                        fail_msg("seed %llu mode %s %s: label %.17g, evaluator %.17g",
                                 (unsigned long long)seed, mode_name((nn_mode)m),
                                 b ? "battery" : "all", got, want);
                    checked++;
                }
        }
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("E = I x T + A: %d placements x modes x measures equal to the evaluator, %d "
                  "refused as it refuses them\n",
                  checked, refused);
    assert_true(checked > 5000);
    assert_true(refused > 1000);
}

/* The cases of one instance and mode: each energy objective alone and with
 * limits that bind, the latency objective under energy limits (of all
 * devices, of the battery devices: the Pareto front's steps), and limits
 * no placement meets. */
static int cases_for(const nn_instance *in, nn_mode mode, goal_case *cases)
{
    double tmin = brute_force_goal(in, mode, OBJ_LATENCY, 0, 0, NULL);
    double emin = brute_force_goal(in, mode, OBJ_ENERGY, 0, 0, NULL);
    double bmin = brute_force_goal(in, mode, OBJ_BATTERY_ENERGY, 0, 0, NULL);
    if (!isfinite(tmin)) tmin = emin = bmin = 1;
    int n = 0;
    cases[n++] = (goal_case){OBJ_ENERGY, 0, 0, false, false};
    cases[n++] = (goal_case){OBJ_BATTERY_ENERGY, 0, 0, false, false};
    cases[n++] = (goal_case){OBJ_ENERGY, tmin * 1.15, 0, false, false};
    cases[n++] = (goal_case){OBJ_ENERGY, 0, emin * 1.05, false, false};
    cases[n++] = (goal_case){OBJ_BATTERY_ENERGY, tmin * 1.3, bmin > 0 ? bmin * 2 : 0, false, false};
    cases[n++] = (goal_case){OBJ_LATENCY, 0, emin * 1.1, false, false};
    cases[n++] = (goal_case){OBJ_LATENCY, tmin * 1.2, emin * 1.3, false, false};
    cases[n++] = (goal_case){OBJ_LATENCY, 0, bmin > 0 ? bmin * 1.5 : 1e-9, true, false};
    cases[n++] = (goal_case){OBJ_ENERGY, tmin * 0.999, 0, false, false};  /* infeasible */
    cases[n++] = (goal_case){OBJ_LATENCY, 0, emin * 0.999, false, false}; /* infeasible */
    return n;
}

enum { MAX_CASES = 10 };

static void test_random_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    int solved = 0, infeasible = 0;
    for (uint64_t seed = 1; seed <= 100; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        /* Without idle power, time does not enter the energy (untimed labels). */
        if (seed % 3 == 0)
            for (int d = 0; d < s.ndevices; d++)
                s.devices[d].idle_power = 0;
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        char what[32];
        snprintf(what, sizeof what, "seed %llu", (unsigned long long)seed);
        for (int m = 0; m < MODE_COUNT; m++) {
            goal_case cases[MAX_CASES];
            int n = cases_for(&in, (nn_mode)m, cases);
            for (int c = 0; c < n; c++) {
                int a = check_case(&in, (nn_mode)m, &cases[c], ENGINE_LABELS, what);
                int b = check_case(&in, (nn_mode)m, &cases[c], ENGINE_AUTO, what);
                assert_int_equal(a, b);
                solved += a;
                infeasible += !a;
            }
        }
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("energy objectives and limits: %d optimal and %d infeasible answers of the "
                  "labels and the race, each brute force's order\n",
                  solved, infeasible);
    assert_true(solved > 1500);
    assert_true(infeasible > 300);
}

/* Every device alike (speed, memory, load, power, battery; no profiles),
 * every link alike, some layers without work or output: energy and latency
 * tie across devices and only the order decides. */
static void test_identical_devices_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    int solved = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        scenario_make_alike(&s);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        char what[40];
        snprintf(what, sizeof what, "identical, seed %llu", (unsigned long long)seed);
        for (int m = 0; m < MODE_COUNT; m++) {
            goal_case cases[MAX_CASES];
            int n = cases_for(&in, (nn_mode)m, cases);
            for (int c = 0; c < n; c++) {
                solved += check_case(&in, (nn_mode)m, &cases[c], ENGINE_LABELS, what);
                check_case(&in, (nn_mode)m, &cases[c], ENGINE_AUTO, what);
            }
        }
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("identical devices: %d optimal answers, each brute force's order\n", solved);
    assert_true(solved > 500);
}

/* The three engines on every config x zoo network x mode, under energy and
 * battery energy: the same status and placement. */
static void test_configs_zoo_agree(void **state)
{
    (void)state;
    int nconfigs;
    const char *const *configs = config_names(&nconfigs);
    int compared = 0;
    for (int c = 0; c < nconfigs; c++) {
        for (int z = 0; z < zoo_count(); z++) {
            nn_scenario s;
            config_with_zoo(configs[c], z, &s);
            nn_instance in;
            assert_int_equal(instance_build(&s, &in), 0);
            for (int m = 0; m < MODE_COUNT; m++) {
                for (int o = 0; o < 2; o++) {
                    nn_solve_result r[ENGINE_COUNT];
                    for (int e = 0; e < ENGINE_COUNT; e++) {
                        nn_solve_options opt = {
                            .mode = (nn_mode)m,
                            .engine = (nn_engine)e,
                            .objective = o ? OBJ_BATTERY_ENERGY : OBJ_ENERGY,
                        };
                        assert_int_equal(solve_run(&in, &opt, &r[e]), 0);
                    }
                    for (int e = 1; e < ENGINE_COUNT; e++) {
                        if (r[e].status != r[0].status)
                            fail_msg("%s with %s mode %s %s: %s says %s, auto %s", configs[c],
                                     zoo_name(z), mode_name((nn_mode)m), o ? "battery" : "energy",
                                     engine_name((nn_engine)e), solve_status_name(r[e].status),
                                     solve_status_name(r[0].status));
                        if (r[0].status != SOLVE_OPTIMAL) continue;
                        if (memcmp(r[e].place, r[0].place, (size_t)in.L * sizeof *r[0].place))
                            fail_msg("%s with %s mode %s %s: %s and auto differ (%.17g J, "
                                     "%.17g J)",
                                     configs[c], zoo_name(z), mode_name((nn_mode)m),
                                     o ? "battery" : "energy", engine_name((nn_engine)e),
                                     r[e].value, r[0].value);
                        assert_true(r[e].value == r[0].value);
                        compared++;
                    }
                    for (int e = 0; e < ENGINE_COUNT; e++)
                        solve_result_free(&r[e]);
                }
            }
            instance_free(&in);
            scenario_free(&s);
        }
    }
    print_message("configs x zoo x modes x energy objectives: %d answers compared\n", compared);
    assert_true(compared > 200);
}

/* A stopped energy solve keeps its best placement, scored by the
 * evaluator, and says why it stopped; a cancel before the start still
 * answers (an incumbent from the contiguous DP or a device alone). */
static void test_stopped(void **state)
{
    (void)state;
    nn_scenario s;
    assert_int_equal(fixture_stack(&s, 60, 6), 0);
    for (int d = 0; d < s.ndevices; d++) {
        s.devices[d].power = 10 + 20 * (d % 3);
        s.devices[d].idle_power = 1 + d % 2;
        s.devices[d].load_power = 2;
        s.devices[d].battery = d % 2 == 0;
    }
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    for (int e = 0; e < 2; e++) {
        nn_engine engine = e ? ENGINE_AUTO : ENGINE_LABELS;
        atomic_int cancel = 1;
        nn_solve_options opt = {
            .mode = MODE_PRELOAD, .objective = OBJ_ENERGY, .cancel = &cancel, .engine = engine};
        nn_solve_result r;
        assert_int_equal(solve_run(&in, &opt, &r), 0);
        if (r.status != SOLVE_FEASIBLE) fail_msg("%s: %s", engine_name(engine), r.message);
        assert_non_null(r.place);
        assert_true(r.value == eval_energy(&in, r.place, MODE_PRELOAD, NULL, NULL));
        assert_true(r.gap >= 0 && r.gap <= 1);
        assert_true(strncmp(r.message, "feasible: ", 10) == 0);
        assert_non_null(strstr(r.message, " J, within "));
        assert_non_null(strstr(r.message, "(cancelled)"));
        solve_result_free(&r);

        opt = (nn_solve_options){.mode = MODE_PRELOAD,
                                 .objective = OBJ_BATTERY_ENERGY,
                                 .time_limit_s = 0.02,
                                 .engine = engine};
        assert_int_equal(solve_run(&in, &opt, &r), 0);
        assert_true(r.status == SOLVE_OPTIMAL || r.status == SOLVE_FEASIBLE);
        assert_non_null(r.place);
        double bat;
        eval_energy(&in, r.place, MODE_PRELOAD, &bat, NULL);
        assert_true(r.value == bat);
        if (r.status == SOLVE_FEASIBLE) assert_non_null(strstr(r.message, "(time limit reached)"));
        solve_result_free(&r);
    }
    instance_free(&in);
    scenario_free(&s);
}

static int teardown(void **state)
{
    (void)state;
    glp_free_env(); /* GLPK's per-thread environment, for the leak checker */
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decomposition),
        cmocka_unit_test(test_random_vs_brute_force),
        cmocka_unit_test(test_identical_devices_vs_brute_force),
        cmocka_unit_test(test_configs_zoo_agree),
        cmocka_unit_test(test_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
