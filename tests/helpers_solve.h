/* The set-up the solver tests share (test_ilp, test_labels, test_race,
 * test_canonical) beyond helpers_random.h: a config, with a zoo network,
 * and the checks every engine's answer passes. A failure fails the test. */
#ifndef NNPART_TEST_HELPERS_SOLVE_H
#define NNPART_TEST_HELPERS_SOLVE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

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
