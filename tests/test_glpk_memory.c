/* GLPK stops with an error on any allocation past its memory limit
 * (glp_mem_limit), which makes a GLPK failure at a chosen depth of the
 * latency solve: on this instance 2 MB stops it inside phase 2's own model
 * (tiebreak_search, after phase 1 proved the optimum). Each failure is a
 * SOLVE_ERROR with GLPK's reason and frees all the solve allocated
 * (LeakSanitizer, on in make test, fails this binary otherwise: before
 * the fix phase 2's and run_glpk's arrays leaked). 1 MB is left out: there
 * GLPK 5.0 itself loses the block glp_realloc was growing (the leak is
 * inside libglpk). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glpk.h>

#include "instance.h"
#include "scenario_fixture.h"
#include "solve.h"

/* Preload, 4 devices, 40 layers: one large layer whose loading is the
 * critical path, so that many placements of the others tie and phase 2
 * has a model of its own to build and solve. */
static void tied_scenario(nn_scenario *s)
{
    scenario_init(s);
    str_copy(s->name, sizeof s->name, "tied");
    for (int d = 0; d < 4; d++) {
        char name[16];
        snprintf(name, sizeof name, "d%d", d);
        fixture_device(s, name, 1e9 * (1 + d), 10e9, 1e8 * (1 + d % 2));
    }
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            fixture_link(s, a, b, 1e9, 1e9, 1e-3);
    nn_network net = {0};
    str_copy(net.name, sizeof net.name, "tied");
    for (int l = 0; l < 40; l++) {
        char name[16];
        snprintf(name, sizeof name, "L%d", l);
        fixture_layer(&net, name, 1e7 * (1 + l % 3), l == 30 ? 2e9 : 1e5, 1e4);
    }
    assert_int_equal(fixture_finish(s, &net, 1e4), 0);
    s->mode = MODE_PRELOAD;
}

static void test_every_memory_limit(void **state)
{
    (void)state;
    nn_scenario s;
    tied_scenario(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_solve_options opt = {.mode = s.mode, .time_limit_s = 20};
    nn_solve_result want;
    assert_int_equal(solve_ilp(&in, &opt, &want), 0);
    assert_int_equal(want.status, SOLVE_OPTIMAL);
    int failed = 0;
    for (int mb = 2; mb <= 12; mb++) {
        glp_mem_limit(mb);
        nn_solve_result r;
        assert_int_equal(solve_ilp(&in, &opt, &r), 0);
        glp_free_env(); /* the limit goes with the environment */
        if (r.status == SOLVE_ERROR) {
            const char *msg = "solver failure: GLPK stopped: ";
            if (strncmp(r.message, msg, strlen(msg)) != 0) fail_msg("%d MB: %s", mb, r.message);
            assert_null(r.place);
            failed++;
        } else {
            assert_int_equal(r.status, SOLVE_OPTIMAL);
            assert_memory_equal(r.place, want.place, (size_t)in.L * sizeof *r.place);
        }
        solve_result_free(&r);
    }
    assert_true(failed > 0);
    /* And GLPK works afterwards, without a limit. */
    nn_solve_result again;
    assert_int_equal(solve_ilp(&in, &opt, &again), 0);
    assert_int_equal(again.status, SOLVE_OPTIMAL);
    assert_memory_equal(again.place, want.place, (size_t)in.L * sizeof *again.place);
    solve_result_free(&again);
    solve_result_free(&want);
    instance_free(&in);
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_memory_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
