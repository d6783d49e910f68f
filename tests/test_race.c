/* solve_run: the label engine, the ILP and the race give the same answer
 * (status, latency and placement) on random instances and on every config
 * in configs/ with every zoo network and mode; cancellation, the time limit,
 * and an instance too large for the ILP. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_solve.h"

static void run_engine(const nn_instance *in, nn_mode mode, nn_engine engine, nn_solve_result *r)
{
    nn_solve_options opt = {.mode = mode, .engine = engine};
    assert_int_equal(solve_run(in, &opt, r), 0);
}

/* The three engines agree; returns whether the answer is optimal. */
static bool agree(const nn_instance *in, nn_mode mode, const char *what)
{
    nn_solve_result r[ENGINE_COUNT];
    for (int e = 0; e < ENGINE_COUNT; e++)
        run_engine(in, mode, (nn_engine)e, &r[e]);
    bool optimal = r[ENGINE_AUTO].status == SOLVE_OPTIMAL;
    for (int e = 1; e < ENGINE_COUNT; e++) {
        if (r[e].status != r[0].status)
            fail_msg("%s mode %s: %s says %s, auto %s (%s / %s)", what, mode_name(mode),
                     engine_name((nn_engine)e), solve_status_name(r[e].status),
                     solve_status_name(r[0].status), r[e].message, r[0].message);
        if (!optimal) continue;
        if (memcmp(r[e].place, r[0].place, (size_t)in->L * sizeof *r[0].place) != 0)
            fail_msg("%s mode %s: %s and auto differ (%.17g s, %.17g s)", what, mode_name(mode),
                     engine_name((nn_engine)e), r[e].latency, r[0].latency);
        assert_true(r[e].latency == r[0].latency);
        assert_true(r[e].busy_path == r[0].busy_path);
    }
    /* Which engine answered, and the times of those that ran. */
    assert_true(r[ENGINE_ILP].engine == ENGINE_ILP && r[ENGINE_ILP].labels_s < 0);
    assert_true(r[ENGINE_LABELS].engine == ENGINE_LABELS && r[ENGINE_LABELS].ilp_s < 0);
    assert_true(r[ENGINE_AUTO].labels_s >= 0);
    assert_true(r[ENGINE_AUTO].engine == ENGINE_LABELS || r[ENGINE_AUTO].engine == ENGINE_ILP);
    for (int e = 0; e < ENGINE_COUNT; e++)
        solve_result_free(&r[e]);
    return optimal;
}

static void test_random_engines_agree(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 12, .max_devices = 5, .max_placements = 1L << 40};
    int optimal = 0;
    for (uint64_t seed = 31000; seed < 31120; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        char what[32];
        snprintf(what, sizeof what, "seed %llu", (unsigned long long)seed);
        for (int m = 0; m < MODE_COUNT; m++)
            optimal += agree(&in, (nn_mode)m, what);
        scenario_instance_free(&s, &in);
    }
    print_message("race: %d optimal answers compared across the three engines\n", optimal);
    assert_true(optimal > 200);
}

/* Every config x every zoo network x every mode. */
static void test_configs_zoo_agree(void **state)
{
    (void)state;
    static const char *const configs[] = {
        "camera-hub-cloud.yaml", "default.yaml",   "drone-4g.yaml",
        "glasses-tiny-cnn.yaml", "gpt2-home.yaml", "vit-factory-5g.yaml",
        "worked-example.yaml",
    };
    int optimal = 0;
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++) {
        for (int z = 0; z < zoo_count(); z++) {
            nn_scenario s;
            config_with_zoo(configs[c], z, &s);
            nn_instance in;
            assert_int_equal(instance_build(&s, &in), 0);
            char what[320];
            snprintf(what, sizeof what, "%s with %s", configs[c], zoo_name(z));
            for (int m = 0; m < MODE_COUNT; m++)
                optimal += agree(&in, (nn_mode)m, what);
            scenario_instance_free(&s, &in);
        }
    }
    print_message("configs x zoo x modes: %d optimal answers compared\n", optimal);
    assert_true(optimal > 100);
}

static void check_answer(const nn_instance *in, const nn_solve_result *r)
{
    assert_true(r->status == SOLVE_OPTIMAL || r->status == SOLVE_FEASIBLE);
    assert_solution(in, MODE_PRELOAD, r, 0);
    assert_true(r->gap < 1);
}

/* Cancelled before it starts: an incumbent, flagged; a short time limit:
 * an incumbent with its gap, or the optimum. */
static void test_race_cancel_and_limit(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_stack(&s, 60, 6);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    atomic_int cancel = 1;
    nn_solve_options opt = {.mode = MODE_PRELOAD, .cancel = &cancel};
    nn_solve_result r;
    assert_int_equal(solve_run(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_FEASIBLE);
    check_answer(&in, &r);
    assert_non_null(strstr(r.message, "cancelled"));
    solve_result_free(&r);

    opt = (nn_solve_options){.mode = MODE_PRELOAD, .time_limit_s = 0.05};
    assert_int_equal(solve_run(&in, &opt, &r), 0);
    check_answer(&in, &r);
    if (r.status == SOLVE_FEASIBLE) assert_non_null(strstr(r.message, "time limit"));
    solve_result_free(&r);
    scenario_instance_free(&s, &in);
}

/* 32 devices x 400 layers: the ILP's model would be too large, so the race
 * runs the label engine alone and says so. */
static void test_too_large_for_ilp(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_stack(&s, 400, 32);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_solve_options opt = {.mode = MODE_PRELOAD, .time_limit_s = 1};
    nn_solve_result r;
    assert_int_equal(solve_run(&in, &opt, &r), 0);
    if (r.status != SOLVE_NO_RESULT) check_answer(&in, &r); /* (a slow machine) */
    assert_int_equal(r.engine, ENGINE_LABELS);
    assert_true(r.ilp_s < 0);
    assert_string_equal(r.engine_note,
                        "the ILP did not run: 400 layers on 32 devices is more than its size "
                        "(layers x devices x devices at most 65536); the label engine ran alone");
    solve_result_free(&r);
    /* What only the ILP answers is refused there, with the size. */
    const char *refused = "400 layers on 32 devices is too large to solve in bounded time and "
                          "memory; accepted: layers x devices x devices at most 65536 (e.g. 64 "
                          "layers on 32 devices, 256 on 16, 4096 on 4)";
    nn_solve_options ilp_only[] = {
        {.mode = MODE_PRELOAD, .engine = ENGINE_ILP},
        {.mode = MODE_PRELOAD, .engine = ENGINE_ILP, .objective = OBJ_THROUGHPUT},
    };
    for (size_t k = 0; k < sizeof ilp_only / sizeof ilp_only[0]; k++) {
        assert_true(solve_needs_ilp(&in, &ilp_only[k]));
        assert_int_equal(solve_run(&in, &ilp_only[k], &r), 0);
        assert_int_equal(r.status, SOLVE_ERROR);
        assert_null(r.place);
        assert_string_equal(r.message, refused);
        solve_result_free(&r);
    }
    /* Throughput is the throughput engine's (solve_labels'). */
    nn_solve_options stream = {
        .mode = MODE_PRELOAD, .objective = OBJ_THROUGHPUT, .time_limit_s = 0.5};
    assert_false(solve_needs_ilp(&in, &stream));
    assert_int_equal(solve_run(&in, &stream, &r), 0);
    assert_true(r.status != SOLVE_ERROR);
    assert_int_equal(r.engine, ENGINE_LABELS);
    solve_result_free(&r);
    /* The energy objective and the limits are the label engine's too. */
    nn_solve_options energy = {.mode = MODE_PRELOAD, .objective = OBJ_ENERGY, .time_limit_s = 0.5};
    assert_false(solve_needs_ilp(&in, &energy));
    assert_int_equal(solve_run(&in, &energy, &r), 0);
    assert_true(r.status != SOLVE_ERROR);
    assert_int_equal(r.engine, ENGINE_LABELS);
    solve_result_free(&r);
    instance_free(&in);
    scenario_free(&s);
}

/* At the ILP's size (64 layers on 32 devices) the race has both engines. */
static void test_ilp_size_boundary(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_stack(&s, 64, 32);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_solve_options opt = {.mode = MODE_PRELOAD, .time_limit_s = 1};
    nn_solve_result r;
    assert_int_equal(solve_run(&in, &opt, &r), 0);
    assert_string_equal(r.engine_note, "");
    if (r.status != SOLVE_NO_RESULT) check_answer(&in, &r);
    solve_result_free(&r);
    opt.engine = ENGINE_ILP;
    assert_int_equal(solve_run(&in, &opt, &r), 0);
    assert_true(r.status != SOLVE_ERROR);
    assert_int_equal(r.engine, ENGINE_ILP);
    solve_result_free(&r);
    scenario_instance_free(&s, &in);
}

static void test_engine_names(void **state)
{
    (void)state;
    nn_engine e;
    for (int i = 0; i < ENGINE_COUNT; i++) {
        assert_int_equal(engine_parse(engine_name((nn_engine)i), &e), 0);
        assert_int_equal(e, i);
    }
    assert_int_equal(engine_parse("glpk", &e), -1);
    assert_string_equal(engine_name(ENGINE_AUTO), "auto");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_names),         cmocka_unit_test(test_race_cancel_and_limit),
        cmocka_unit_test(test_too_large_for_ilp),    cmocka_unit_test(test_ilp_size_boundary),
        cmocka_unit_test(test_random_engines_agree), cmocka_unit_test(test_configs_zoo_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
