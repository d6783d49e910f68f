/* The explorer's solver thread: results arrive through the pipe, a newer
 * submission supersedes an older one, and what comes back is the solver's
 * optimum checked by the evaluator. */
#include <math.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "solve.h"
#include "eval.h"
#include "scenario_fixture.h"
#include "scenario_io.h"
#include "worker.h"

/* Waits (at most ~20 s, a bound, not a timing assertion) for submission `gen`. */
static tui_outcome *wait_for(worker *w, unsigned long gen)
{
    for (int i = 0; i < 200; i++) {
        struct pollfd p = {.fd = worker_fd(w), .events = POLLIN};
        poll(&p, 1, 100);
        tui_outcome *o = worker_take(w);
        if (!o) continue;
        assert_true(o->gen <= gen);
        if (o->gen == gen) return o;
        outcome_free(o);
    }
    fail_msg("no result for submission %lu", gen);
    return NULL;
}

static void test_solve_on_the_thread(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    worker *w = worker_start(10);
    assert_non_null(w);
    unsigned long gen = worker_submit(w, &s, NULL, false);
    assert_int_equal(gen, 1);
    tui_outcome *o = wait_for(w, gen);
    assert_int_equal(o->res.status, SOLVE_OPTIMAL);
    assert_non_null(o->res.place);
    assert_int_equal(o->res.place[0], 0);
    assert_int_equal(o->res.place[1], 1);
    assert_int_equal(o->res.place[2], 1);
    assert_true(o->has_eval);
    assert_true(fabs(o->ev.latency - 0.712) < 1e-9);
    /* All on the cloud, 722 ms, is the best single device. */
    assert_int_equal(o->best_single, 1);
    assert_true(fabs(o->best_single_latency - 0.722) < 1e-9);
    assert_int_equal(o->in.L, 3);
    /* The baselines follow in a second message. */
    unsigned long bgen = 0;
    nn_baselines base;
    double took;
    bool got = false;
    for (int i = 0; i < 200 && !got; i++) {
        struct pollfd p = {.fd = worker_fd(w), .events = POLLIN};
        poll(&p, 1, 100);
        tui_outcome *late = worker_take(w);
        assert_null(late);
        got = worker_take_baselines(w, &bgen, &base, &took);
    }
    assert_true(got);
    assert_int_equal(bgen, gen);
    assert_true(base.count > 0);
    assert_true(took >= 0);
    outcome_attach_baselines(o, &base, took);
    assert_true(o->base_done);
    assert_true(o->base.count > 0);
    outcome_free(o);
    worker_stop(w);
    scenario_free(&s);
}

static void test_newer_submission_wins(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    worker *w = worker_start(10);
    assert_non_null(w);
    worker_submit(w, &s, NULL, false);
    s.mode = MODE_ONDEMAND;
    worker_submit(w, &s, NULL, false);
    s.mode = MODE_RESIDENT;
    unsigned long last = worker_submit(w, &s, NULL, false);
    assert_int_equal(last, 3);
    /* The submission is a copy: changing s now does not matter. */
    s.devices[1].speed = 1;
    tui_outcome *o = wait_for(w, last);
    /* Resident: everything on the cloud, 133 ms. */
    assert_true(fabs(o->ev.latency - 0.133) < 1e-9);
    assert_int_equal(o->res.place[0], 1);
    outcome_free(o);
    assert_null(worker_take(w));
    worker_stop(w);
    scenario_free(&s);
}

/* Stopping with work queued and in progress frees everything (ASan checks). */
static void test_stop_while_busy(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    worker *w = worker_start(10);
    assert_non_null(w);
    for (int i = 0; i < 5; i++)
        worker_submit(w, &s, NULL, false);
    worker_stop(w);
    scenario_free(&s);
}

/* The best device alone is judged on the objective optimised: under
 * throughput its period, under battery-energy the battery's energy; the
 * optimum is never worse, and no other device alone is better. */
static void test_best_single_on_the_objective(void **state)
{
    (void)state;
    const char *files[] = {"configs/camera-stream.yaml", "configs/battery-phone.yaml"};
    const nn_objective want[] = {OBJ_THROUGHPUT, OBJ_BATTERY_ENERGY};
    for (int f = 0; f < 2; f++) {
        nn_scenario s;
        nn_error err;
        assert_int_equal(scenario_load_file(files[f], &s, &err), 0);
        assert_int_equal(s.objective, want[f]);
        tui_outcome *o = outcome_solve(&s, NULL, 0, NULL, NULL, 1);
        assert_non_null(o);
        assert_non_null(o->res.place);
        assert_true(o->best_single >= 0);
        assert_true(o->best_single_value >= o->res.value * (1 - 1e-9));
        int *place = malloc((size_t)o->in.L * sizeof *place);
        assert_non_null(place);
        for (int d = 0; d < o->in.D; d++) {
            baselines_all_on(&o->in, d, place);
            double v = eval_objective(&o->in, place, o->in.mode, o->in.objective,
                                      o->in.latency_limit, o->in.energy_limit);
            if (d == o->best_single) {
                assert_true(v == o->best_single_value);
                assert_true(eval_latency(&o->in, place, o->in.mode) == o->best_single_latency);
            }
            assert_true(v >= o->best_single_value);
        }
        if (want[f] == OBJ_THROUGHPUT) {
            baselines_all_on(&o->in, o->best_single, place);
            assert_true(o->best_single_value == eval_period(&o->in, place));
        }
        free(place);
        outcome_free(o);
        scenario_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_solve_on_the_thread),
        cmocka_unit_test(test_best_single_on_the_objective),
        cmocka_unit_test(test_newer_submission_wins),
        cmocka_unit_test(test_stop_while_busy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
