/* Baselines on MODEL.md's worked example and on random instances. */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_random.h"
#include "solve.h"

static const nn_baseline *find(const nn_baselines *b, const char *name)
{
    for (int i = 0; i < b->count; i++)
        if (strcmp(b->items[i].name, name) == 0) return &b->items[i];
    fail_msg("no baseline named '%s'", name);
    return NULL;
}

static void expect(const nn_baselines *b, const char *name, double latency, double optimum)
{
    const nn_baseline *it = find(b, name);
    assert_true(it->feasible);
    if (!rel_close(it->latency, latency, 1e-9))
        fail_msg("%s: %.17g, want %.17g", name, it->latency, latency);
    assert_true(rel_close(it->ratio, latency / optimum, 1e-9));
    assert_non_null(it->place);
}

static void test_worked_example(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_baselines b;
    assert_int_equal(baselines_compute(&in, MODE_PRELOAD, 0.712, &b), 0);
    /* 2 devices, 1 split, 2 other modes, the DP. */
    assert_int_equal(b.count, 6);
    expect(&b, "all on edge", 7.2, 0.712);
    expect(&b, "all on cloud", 0.722, 0.712);
    expect(&b, "split edge|cloud after L1", 0.712, 0.712);
    expect(&b, "optimal for ondemand", 0.722, 0.712); /* cloud x3, judged in preload */
    expect(&b, "optimal for resident", 0.722, 0.712);
    expect(&b, "contiguous-run DP", 0.712, 0.712);
    baselines_free(&b);

    /* In resident mode the split's best point is "after input": all cloud. */
    assert_int_equal(baselines_compute(&in, MODE_RESIDENT, 0.133, &b), 0);
    expect(&b, "split edge|cloud after input", 0.133, 0.133);
    expect(&b, "optimal for preload", 0.332, 0.133); /* edge, cloud, cloud */
    expect(&b, "all on edge", 1.2, 0.133);
    baselines_free(&b);
    instance_free(&in);
    scenario_free(&s);
}

/* Infeasible baselines say why, in the evaluator's words. */
static void test_infeasible_why(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.devices[0].memory = 30e6; /* the edge holds L1 and L2, not L3 */
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_baselines b;
    assert_int_equal(baselines_compute(&in, MODE_PRELOAD, 0.712, &b), 0);
    const nn_baseline *edge = find(&b, "all on edge");
    assert_false(edge->feasible);
    assert_true(isinf(edge->latency));
    assert_true(isinf(edge->ratio));
    assert_non_null(strstr(edge->why, "edge needs"));
    assert_non_null(strstr(edge->why, "memory"));
    expect(&b, "all on cloud", 0.722, 0.712);
    baselines_free(&b);

    /* No link: only the all-edge placement could work, and it does not fit. */
    scenario_remove_link(&s, 0);
    instance_free(&in);
    assert_int_equal(instance_build(&s, &in), 0);
    assert_int_equal(baselines_compute(&in, MODE_PRELOAD, INFINITY, &b), 0);
    for (int i = 0; i < b.count; i++) {
        assert_false(b.items[i].feasible);
        assert_true(strlen(b.items[i].why) > 10);
    }
    assert_non_null(strstr(find(&b, "all on cloud")->why, "no route"));
    baselines_free(&b);
    instance_free(&in);
    scenario_free(&s);
}

/* No baseline beats the optimum; each agrees with the evaluator. */
static void test_random(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 4096};
    int checked = 0;
    for (uint64_t seed = 500; seed < 560; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        double opt = brute_force(&in, s.mode, false, NULL);
        nn_baselines b;
        assert_int_equal(baselines_compute(&in, s.mode, opt, &b), 0);
        assert_int_equal(b.count, in.D + (in.D - 1) + (MODE_COUNT - 1) + 1);
        for (int i = 0; i < b.count; i++) {
            const nn_baseline *it = &b.items[i];
            assert_true(strlen(it->name) > 0);
            if (!it->feasible) {
                assert_true(isinf(it->latency));
                assert_true(strlen(it->why) > 0);
                continue;
            }
            checked++;
            assert_true(it->latency >= opt * (1 - 1e-12));
            assert_true(it->latency == eval_latency(&in, it->place, s.mode));
            assert_true(rel_close(it->ratio, it->latency / opt, 1e-12));
        }
        baselines_free(&b);
        instance_free(&in);
        scenario_free(&s);
    }
    assert_true(checked > 100);
}

static int teardown(void **state)
{
    (void)state;
    glp_free_env();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_infeasible_why),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
