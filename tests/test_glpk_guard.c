/* A GLPK failure is a SOLVE_ERROR with GLPK's reason, never an abort: an
 * instance built in C past the loader's ranges (a speed of 1e-300 FLOP/s
 * makes GLPK's scaling fail), on the calling thread and on a worker thread
 * as in the explorer; GLPK keeps working afterwards. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glpk.h>

#include "instance.h"
#include "scenario_fixture.h"
#include "solve.h"

static void solve_worked(double edge_speed, nn_solve_result *r)
{
    nn_scenario s;
    fixture_worked_example(&s);
    s.devices[0].speed = edge_speed; /* bypasses the loader's range */
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_solve_options opt = {.mode = s.mode, .time_limit_s = 5};
    assert_int_equal(solve_ilp(&in, &opt, r), 0);
    instance_free(&in);
    scenario_free(&s);
}

static void check_failure_then_recovery(void)
{
    nn_solve_result r;
    solve_worked(1e-300, &r);
    assert_int_equal(r.status, SOLVE_ERROR);
    assert_null(r.place);
    const char *want = "solver failure: GLPK stopped: glp_set_rii: ";
    if (strncmp(r.message, want, strlen(want)) != 0) fail_msg("message: %s", r.message);
    assert_non_null(strstr(r.message, "invalid scale factor"));
    solve_result_free(&r);
    /* GLPK's environment was rebuilt: the worked example solves as before. */
    solve_worked(1e9, &r);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    assert_true(fabs(r.latency - 0.712) < 1e-9); /* MODEL.md */
    solve_result_free(&r);
}

static void test_error_on_this_thread(void **state)
{
    (void)state;
    check_failure_then_recovery();
    check_failure_then_recovery(); /* twice: the hook is installed per call */
}

static void *worker(void *arg)
{
    (void)arg;
    check_failure_then_recovery();
    glp_free_env(); /* as the explorer's worker does when it ends */
    return NULL;
}

static void test_error_on_a_worker_thread(void **state)
{
    (void)state;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, worker, NULL), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

/* The other objectives, the limits and contiguous stages build a model of
 * their own (and, for the tie-breaks, more): a GLPK failure part-way frees
 * all of it (LeakSanitizer, on in make test, fails this binary otherwise). */
static void test_goal_failure_frees(void **state)
{
    (void)state;
    static const struct {
        nn_objective obj;
        double latency_limit, energy_limit;
        bool contiguous;
    } cases[] = {
        {.obj = OBJ_ENERGY},
        {.obj = OBJ_BATTERY_ENERGY},
        {.obj = OBJ_THROUGHPUT},
        {.obj = OBJ_LATENCY, .latency_limit = 1},
        {.obj = OBJ_LATENCY, .energy_limit = 10},
        {.obj = OBJ_ENERGY, .latency_limit = 1, .energy_limit = 10},
        {.obj = OBJ_LATENCY, .contiguous = true},
        {.obj = OBJ_THROUGHPUT, .contiguous = true},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        nn_scenario s;
        fixture_worked_example(&s);
        s.devices[0].speed = 1e-300; /* bypasses the loader's range */
        s.devices[0].power = 10;
        s.devices[0].battery = true;
        s.devices[1].power = 100;
        if (cases[k].contiguous) s.stages = STAGES_CONTIGUOUS;
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        nn_solve_options opt = {.mode = s.mode,
                                .time_limit_s = 5,
                                .objective = cases[k].obj,
                                .latency_limit = cases[k].latency_limit,
                                .energy_limit = cases[k].energy_limit};
        nn_solve_result r;
        assert_int_equal(solve_ilp(&in, &opt, &r), 0);
        assert_int_equal(r.status, SOLVE_ERROR);
        assert_null(r.place);
        const char *want = "solver failure: GLPK stopped: ";
        if (strncmp(r.message, want, strlen(want)) != 0) fail_msg("case %zu: %s", k, r.message);
        solve_result_free(&r);
        instance_free(&in);
        scenario_free(&s);
    }
    /* And GLPK works afterwards. */
    nn_solve_result r;
    solve_worked(1e9, &r);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    solve_result_free(&r);
}

/* The baselines solve the other modes with the same guard. */
static void test_baselines_survive(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.devices[0].speed = 1e-300;
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_baselines b;
    assert_int_equal(baselines_compute(&in, &(nn_solve_options){.mode = s.mode}, INFINITY, &b), 0);
    assert_true(b.count > 0);
    baselines_free(&b);
    instance_free(&in);
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_on_this_thread),
        cmocka_unit_test(test_error_on_a_worker_thread),
        cmocka_unit_test(test_goal_failure_frees),
        cmocka_unit_test(test_baselines_survive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
