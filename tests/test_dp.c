/* The contiguous-run DP against brute force restricted to contiguous-run
 * placements, and on MODEL.md's worked example. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_random.h"
#include "solve.h"

static void test_random_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 8, .max_devices = 4, .max_placements = 8192};
    int feasible = 0, beaten = 0;
    for (uint64_t seed = 1; seed <= 400; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        for (int m = 0; m < MODE_COUNT; m++) {
            double want = brute_force(&in, (nn_mode)m, true, NULL);
            int place[16];
            memset(place, 0xff, sizeof place);
            double got = solve_dp_contiguous(&in, (nn_mode)m, place);
            if (!rel_close(got, want, 1e-12))
                fail_msg("seed %llu mode %s: DP %.17g, brute force %.17g", (unsigned long long)seed,
                         mode_name((nn_mode)m), got, want);
            if (isinf(got)) continue;
            feasible++;
            for (int l = 0; l < in.L; l++)
                assert_true(place[l] >= 0 && place[l] < in.D);
            assert_true(placement_contiguous(place, in.L));
            /* The DP's own arithmetic is the evaluator's, bit for bit. */
            assert_true(eval_latency(&in, place, (nn_mode)m) == got);
            /* A lower bound never exceeds it; the full optimum may beat it. */
            double all = brute_force(&in, (nn_mode)m, false, NULL);
            assert_true(all <= got);
            beaten += all < got * (1 - 1e-12);
        }
        instance_free(&in);
        scenario_free(&s);
    }
    assert_true(feasible > 600);
    assert_true(beaten > 50); /* the restriction matters on these instances */
}

static void test_worked_example(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int place[3];
    assert_true(rel_close(solve_dp_contiguous(&in, MODE_PRELOAD, place), 0.712, 1e-12));
    assert_int_equal(place[0], 0);
    assert_int_equal(place[1], 1);
    assert_int_equal(place[2], 1);
    assert_true(rel_close(solve_dp_contiguous(&in, MODE_ONDEMAND, place), 0.843, 1e-12));
    assert_true(rel_close(solve_dp_contiguous(&in, MODE_RESIDENT, NULL), 0.133, 1e-12));
    /* Without memory on the cloud nothing but the edge is left. */
    in.memory[1] = 1;
    assert_true(rel_close(solve_dp_contiguous(&in, MODE_PRELOAD, place), 7.2, 1e-12));
    /* And with too little on the edge as well, nothing. */
    in.memory[0] = 1;
    assert_true(isinf(solve_dp_contiguous(&in, MODE_PRELOAD, place)));
    instance_free(&in);
    scenario_free(&s);
}

/* Past its work budget the DP keeps a subset of devices; its answer is
 * still a feasible placement the evaluator agrees with. */
static void test_large_instance(void **state)
{
    (void)state;
    nn_scenario s;
    scenario_init(&s);
    for (int d = 0; d < 16; d++) {
        char name[16];
        snprintf(name, sizeof name, "d%d", d);
        fixture_device(&s, name, 1e10 * (1 + d), 1e9, 1e8);
    }
    for (int d = 1; d < 16; d++)
        fixture_link(&s, 0, d, 1e8, 1e8, 0.001);
    nn_network net = {0};
    for (int l = 0; l < 60; l++) {
        char name[16];
        snprintf(name, sizeof name, "b%d", l);
        fixture_layer(&net, name, 1e10, 1e8, 1e6);
    }
    assert_int_equal(fixture_finish(&s, &net, 1e6), 0);
    s.pin[0] = 3;
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int place[60];
    double t = solve_dp_contiguous(&in, MODE_PRELOAD, place);
    assert_true(isfinite(t));
    assert_int_equal(place[0], 3);
    assert_true(placement_contiguous(place, 60));
    assert_true(eval_latency(&in, place, MODE_PRELOAD) == t);
    instance_free(&in);
    scenario_free(&s);
}

/* The stop: a cancel, or a time limit far shorter than the work, ends the
 * DP with no placement and says so; without one it runs to the end. On
 * 8 devices x 1024 layers the DP runs over 3 of them: 2e7 steps. */
static void test_stops(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_long(&s, 8, 1024);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int *place = malloc((size_t)in.L * sizeof *place);
    assert_non_null(place);
    bool stopped = false;
    nn_stop past = {.deadline = solve_clock() - 1};
    assert_true(isinf(solve_dp_contiguous_until(&in, MODE_PRELOAD, place, &past, &stopped)));
    assert_true(stopped);
    atomic_int cancel;
    atomic_init(&cancel, 1);
    nn_stop cancelled = {.deadline = INFINITY, .cancel = &cancel};
    stopped = false;
    assert_true(isinf(solve_dp_contiguous_until(&in, MODE_PRELOAD, place, &cancelled, &stopped)));
    assert_true(stopped);
    /* A microsecond: the DP's work (seconds) is stopped part-way. */
    nn_stop tiny = {.deadline = solve_clock() + 1e-6};
    stopped = false;
    assert_true(isinf(solve_dp_contiguous_until(&in, MODE_PRELOAD, place, &tiny, &stopped)));
    assert_true(stopped);
    free(place);
    instance_free(&in);
    scenario_free(&s);

    /* No stop, or one that does not come: the full answer, not stopped. */
    fixture_worked_example(&s);
    assert_int_equal(instance_build(&s, &in), 0);
    int a[3], b[3];
    nn_stop never = {.deadline = INFINITY, .cancel = &cancel};
    atomic_store(&cancel, 0);
    stopped = true;
    double t = solve_dp_contiguous_until(&in, MODE_PRELOAD, a, &never, &stopped);
    assert_false(stopped);
    assert_true(t == solve_dp_contiguous(&in, MODE_PRELOAD, b));
    assert_true(rel_close(t, 0.712, 1e-12));
    assert_memory_equal(a, b, sizeof a);
    instance_free(&in);
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_large_instance),
        cmocka_unit_test(test_stops),
        cmocka_unit_test(test_random_vs_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
