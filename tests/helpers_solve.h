/* The set-up the solver tests share (test_ilp, test_labels, test_race,
 * test_canonical, test_labels_energy, test_identical_devices,
 * test_throughput_engine, test_tui_sensitivity) beyond helpers_random.h: a
 * config, with a zoo network, the list of configs, an objective case posed
 * as solve options, a scenario solved with one field set, and the checks
 * every engine's answer passes. A failure fails the test. */
#ifndef NNPART_TEST_HELPERS_SOLVE_H
#define NNPART_TEST_HELPERS_SOLVE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "field.h"
#include "helpers_random.h"
#include "network.h"
#include "scenario_io.h"
#include "solve.h"

/* configs/NAME (the tests run from the top of the tree). */
static inline void config_load(const char *name, nn_scenario *s)
{
    char path[256];
    snprintf(path, sizeof path, "configs/%s", name);
    nn_error err;
    if (scenario_load_file(path, s, &err) != 0) fail_msg("%s: %s", path, err.message);
}

/* configs/NAME with zoo network z in place of its own. */
static inline void config_with_zoo(const char *name, int z, nn_scenario *s)
{
    config_load(name, s);
    nn_network net;
    assert_int_equal(zoo_build(zoo_name(z), &net), 0);
    scenario_set_network(s, &net);
}

/* An objective with its limits, as the engine tests pose it. */
typedef struct goal_case {
    nn_objective obj;
    double tl, el; /* limits (0: none) */
    bool battery_limit;
    bool at_limit; /* a limit at an energy exactly: not for the ILP alone, which may pass over
                      placements within 2e-7 relative below a limit (MODEL.md) */
} goal_case;

/* The solve options that pose `gc` in `mode` to `engine`. */
static inline nn_solve_options goal_case_options(nn_mode mode, const goal_case *gc,
                                                 nn_engine engine)
{
    return (nn_solve_options){.mode = mode,
                              .engine = engine,
                              .objective = gc->obj,
                              .latency_limit = gc->tl,
                              .energy_limit = gc->el,
                              .battery_limit = gc->battery_limit};
}

/* `s` with field `ref` set to `v` (a copy in `at`), built and solved as
 * its file poses it: its mode, objective and limits. The caller frees
 * `res`, `in` and `at`. */
static inline void solve_field_at(const nn_scenario *s, const nn_field_ref *ref, double v,
                                  nn_scenario *at, nn_instance *in, nn_solve_options *opt,
                                  nn_solve_result *res)
{
    scenario_init(at);
    assert_int_equal(scenario_copy(at, s), 0);
    char why[256];
    if (!field_set(at, ref, v, why, sizeof why)) fail_msg("%g: %s", v, why);
    assert_int_equal(instance_build(at, in), 0);
    *opt = (nn_solve_options){.mode = at->mode};
    solve_options_from_instance(opt, in);
    assert_int_equal(solve_run(in, opt, res), 0);
}

/* The scenario files in configs/, for the tests that run every one. */
static inline const char *const *config_names(int *n)
{
    static const char *const names[] = {
        "battery-phone.yaml", "camera-hub-cloud.yaml", "camera-stream.yaml",
        "default.yaml",       "drone-4g.yaml",         "glasses-tiny-cnn.yaml",
        "gpt2-home.yaml",     "vit-factory-5g.yaml",   "worked-example.yaml",
    };
    *n = (int)(sizeof names / sizeof names[0]);
    return names;
}

/* What every engine's placement must satisfy in `mode`: the latency and
 * busy path are the evaluator's, to the bit; the pins hold; the bound is at
 * most the latency (times 1 + bound_tol); the gap is in [0, 1]. */
static inline void assert_solution(const nn_instance *in, nn_mode mode, const nn_solve_result *r,
                                   double bound_tol)
{
    assert_non_null(r->place);
    double lat = eval_latency(in, r->place, mode);
    if (!(lat == r->latency)) fail_msg("latency %.17g, evaluator %.17g", r->latency, lat);
    assert_true(r->busy_path == eval_latency(in, r->place, MODE_RESIDENT));
    for (int l = 0; l < in->L; l++)
        if (in->pin[l] >= 0) assert_int_equal(r->place[l], in->pin[l]);
    assert_true(r->bound <= r->latency * (1 + bound_tol));
    assert_true(r->gap >= 0 && r->gap <= 1);
}

#endif
