/* The label-setting engine against brute force on seeded random instances
 * (every mode; tight memories, pins, one-way and relayed links, profiles,
 * zero weights): the least latency, the shortest busy path among the
 * placements that reach it, and the canonical placement among those; then
 * against the ILP (the same placement), the time limit and cancellation. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_solve.h"
#include "solve_internal.h"

static void check_labels(const nn_instance *in, nn_mode mode, const nn_solve_result *r)
{
    assert_solution(in, mode, r, 0);
    assert_true(r->objective == r->latency);
    assert_int_equal(r->rows, 0);
}

/* One seed range against brute force; counts outcomes. */
static void brute_range(uint64_t first, uint64_t last, const random_spec *spec, int *feasible,
                        int *infeasible, int *split)
{
    for (uint64_t seed = first; seed <= last; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, spec);
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_mode mode = (nn_mode)m;
            double want = brute_force(&in, mode, false, NULL);
            nn_solve_options opt = {.mode = mode};
            nn_solve_result r;
            assert_int_equal(solve_labels(&in, &opt, &r), 0);
            if (isinf(want)) {
                if (r.status != SOLVE_INFEASIBLE)
                    fail_msg("seed %llu mode %s: %s (%s), brute force infeasible",
                             (unsigned long long)seed, mode_name(mode), solve_status_name(r.status),
                             r.message);
                assert_null(r.place);
                assert_true(strncmp(r.message, "infeasible: ", 12) == 0);
                (*infeasible)++;
                solve_result_free(&r);
                continue;
            }
            if (r.status != SOLVE_OPTIMAL || !rel_close(r.latency, want, 1e-9))
                fail_msg("seed %llu mode %s: %s %.17g, brute force %.17g (%s)",
                         (unsigned long long)seed, mode_name(mode), solve_status_name(r.status),
                         r.latency, want, r.message);
            check_labels(&in, mode, &r);
            assert_true(r.gap == 0);
            double busy = brute_force_tied_busy(&in, mode, want, 1e-9, NULL);
            if (!r.busy_minimal || !rel_close(r.busy_path, busy, 1e-9))
                fail_msg("seed %llu mode %s: busy path %.17g (%s), brute force %.17g",
                         (unsigned long long)seed, mode_name(mode), r.busy_path,
                         r.busy_minimal ? "proven" : "not proven", busy);
            int canon[16];
            assert_true(brute_force_canonical(&in, mode, canon));
            assert_true(r.canonical);
            if (memcmp(canon, r.place, (size_t)in.L * sizeof *canon) != 0) {
                char a[96], b[96];
                placement_describe(r.place, in.L, a, sizeof a);
                placement_describe(canon, in.L, b, sizeof b);
                fail_msg("seed %llu mode %s: placement %s, canonical %s", (unsigned long long)seed,
                         mode_name(mode), a, b);
            }
            (*feasible)++;
            *split += placement_switches(r.place, in.L) > 0;
            solve_result_free(&r);
        }
        scenario_instance_free(&s, &in);
    }
}

static void test_random_vs_brute_force(void **state)
{
    (void)state;
    int feasible = 0, infeasible = 0, split = 0;
    const random_spec small = {.max_layers = 8, .max_devices = 4, .max_placements = 8192};
    brute_range(1, 1500, &small, &feasible, &infeasible, &split);
    /* Longer chains on two or three devices: more revisits and queues. */
    const random_spec chains = {.max_layers = 12, .max_devices = 3, .max_placements = 6000};
    brute_range(20001, 20300, &chains, &feasible, &infeasible, &split);
    print_message("labels vs brute force: %d feasible, %d infeasible, %d split\n", feasible,
                  infeasible, split);
    assert_true(feasible > 3000);
    assert_true(infeasible > 200);
    assert_true(split > 800);
}

/* The ILP and the label engine return the same placement. */
static void test_same_as_ilp(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 10, .max_devices = 5, .max_placements = 1L << 40};
    int compared = 0;
    for (uint64_t seed = 9001; seed <= 9150; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_solve_options opt = {.mode = (nn_mode)m};
            nn_solve_result a, b;
            assert_int_equal(solve_labels(&in, &opt, &a), 0);
            assert_int_equal(solve_ilp(&in, &opt, &b), 0);
            assert_int_equal(a.status, b.status);
            if (a.status == SOLVE_OPTIMAL) {
                char x[96], y[96];
                placement_describe(a.place, in.L, x, sizeof x);
                placement_describe(b.place, in.L, y, sizeof y);
                if (strcmp(x, y) != 0)
                    fail_msg("seed %llu mode %s: labels %s (%.17g), ILP %s (%.17g)",
                             (unsigned long long)seed, mode_name((nn_mode)m), x, a.latency, y,
                             b.latency);
                compared++;
            } else {
                assert_string_equal(a.message, b.message);
            }
            solve_result_free(&a);
            solve_result_free(&b);
        }
        scenario_instance_free(&s, &in);
    }
    print_message("labels vs ILP: %d optimal placements compared\n", compared);
    assert_true(compared > 300);
}

/* Cancelled before it starts: the first incumbent comes back, flagged. A
 * tiny time limit: an incumbent with a gap, or the optimum. */
static void test_cancel_and_time_limit(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_stack(&s, 60, 6);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    atomic_int cancel = 1;
    nn_solve_options opt = {.mode = MODE_PRELOAD, .cancel = &cancel};
    nn_solve_result r;
    assert_int_equal(solve_labels(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_FEASIBLE);
    check_labels(&in, MODE_PRELOAD, &r);
    assert_non_null(strstr(r.message, "cancelled"));
    assert_true(r.latency <= solve_dp_contiguous(&in, MODE_PRELOAD, NULL));
    solve_result_free(&r);

    opt = (nn_solve_options){.mode = MODE_PRELOAD, .time_limit_s = 0.002};
    assert_int_equal(solve_labels(&in, &opt, &r), 0);
    assert_true(r.status == SOLVE_FEASIBLE || r.status == SOLVE_OPTIMAL);
    check_labels(&in, MODE_PRELOAD, &r);
    if (r.status == SOLVE_FEASIBLE) {
        assert_non_null(strstr(r.message, "time limit"));
        assert_true(r.bound > 0 && r.gap < 1);
    }
    solve_result_free(&r);
    scenario_instance_free(&s, &in);
}

/* solve_canonical: every placement within 1e-10 of the optimum, in every
 * mode, maps to brute force's canonical placement, by the depth-first
 * search and by layer-by-layer fixing alike. */
static void test_canonical_from_any_tie(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 7, .max_devices = 3, .max_placements = 2187};
    int moved = 0, starts = 0;
    for (uint64_t seed = 300; seed < 420; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        if (seed % 2) ties_inflate(&in);
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_mode mode = (nn_mode)m;
            int canon[16];
            if (!brute_force_canonical(&in, mode, canon)) continue;
            double tl = brute_force(&in, mode, false, NULL) * (1 + 1e-10);
            int place[16] = {0};
            for (;;) {
                if (eval_latency(&in, place, mode) <= tl) {
                    /* The default, then layer-by-layer fixing alone. */
                    for (long nodes = -1; nodes <= 0; nodes++) {
                        int p[16];
                        memcpy(p, place, sizeof p);
                        assert_int_equal(
                            solve_canonical_nodes(&in, mode, p, NULL, INFINITY, false, nodes),
                            CANON_BUSY_MINIMAL | CANON_EXACT);
                        if (memcmp(p, canon, (size_t)in.L * sizeof *p) != 0)
                            fail_msg("seed %llu mode %s: from a tie, %s: not the canonical "
                                     "placement",
                                     (unsigned long long)seed, mode_name(mode),
                                     nodes ? "depth-first" : "layer by layer");
                        moved += nodes && memcmp(p, place, (size_t)in.L * sizeof *p) != 0;
                    }
                    starts++;
                }
                if (!placement_next(place, in.L, in.D)) break;
            }
        }
        scenario_instance_free(&s, &in);
    }
    print_message("canonical: %d tied start points, %d moved\n", starts, moved);
    assert_true(moved > 10);
}

/* Identical devices (used in first-use order by the engine): brute force
 * and the ILP agree. */
static void test_identical_devices(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 7, .max_devices = 5, .max_placements = 16384};
    int twins = 0;
    for (uint64_t seed = 7000; seed < 7400; seed++) {
        nn_scenario s;
        nn_instance in;
        if (random_twin_instance(&s, &in, seed, &spec)) {
            for (int m = 0; m < MODE_COUNT; m++) {
                nn_mode mode = (nn_mode)m;
                double want = brute_force(&in, mode, false, NULL);
                nn_solve_options opt = {.mode = mode};
                nn_solve_result r, q;
                assert_int_equal(solve_labels(&in, &opt, &r), 0);
                assert_int_equal(solve_ilp(&in, &opt, &q), 0);
                assert_int_equal(r.status, q.status);
                if (isfinite(want)) {
                    if (r.status != SOLVE_OPTIMAL || !rel_close(r.latency, want, 1e-9))
                        fail_msg("seed %llu mode %s: %.17g, brute force %.17g",
                                 (unsigned long long)seed, mode_name(mode), r.latency, want);
                    int canon[16];
                    assert_true(brute_force_canonical(&in, mode, canon));
                    assert_memory_equal(canon, r.place, (size_t)in.L * sizeof *canon);
                    assert_memory_equal(q.place, r.place, (size_t)in.L * sizeof *canon);
                    twins++;
                }
                solve_result_free(&r);
                solve_result_free(&q);
            }
        }
        scenario_instance_free(&s, &in);
    }
    print_message("identical devices: %d optima checked\n", twins);
    assert_true(twins > 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_from_any_tie),
        cmocka_unit_test(test_cancel_and_time_limit),
        cmocka_unit_test(test_same_as_ilp),
        cmocka_unit_test(test_identical_devices),
        cmocka_unit_test(test_random_vs_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
