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

#include "helpers_random.h"
#include "solve.h"
#include "solve_internal.h"

static void check_labels(const nn_instance *in, nn_mode mode, const nn_solve_result *r)
{
    assert_non_null(r->place);
    assert_true(r->latency == eval_latency(in, r->place, mode));
    assert_true(r->objective == r->latency);
    assert_true(r->busy_path == eval_latency(in, r->place, MODE_RESIDENT));
    for (int l = 0; l < in->L; l++)
        if (in->pin[l] >= 0) assert_int_equal(r->place[l], in->pin[l]);
    assert_true(r->bound <= r->latency);
    assert_true(r->gap >= 0 && r->gap <= 1);
    assert_int_equal(r->rows, 0);
}

static void describe(const nn_instance *in, const int *place, char *buf, size_t size)
{
    size_t n = 0;
    for (int l = 0; l < in->L && n + 4 < size; l++)
        n += (size_t)snprintf(buf + n, size - n, "%d ", place[l]);
    if (n == 0 && size) buf[0] = '\0';
}

/* One seed range against brute force; counts outcomes. */
static void brute_range(uint64_t first, uint64_t last, const random_spec *spec, int *feasible,
                        int *infeasible, int *split)
{
    for (uint64_t seed = first; seed <= last; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
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
                describe(&in, r.place, a, sizeof a);
                describe(&in, canon, b, sizeof b);
                fail_msg("seed %llu mode %s: placement %s, canonical %s", (unsigned long long)seed,
                         mode_name(mode), a, b);
            }
            (*feasible)++;
            *split += placement_switches(r.place, in.L) > 0;
            solve_result_free(&r);
        }
        instance_free(&in);
        scenario_free(&s);
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
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_solve_options opt = {.mode = (nn_mode)m};
            nn_solve_result a, b;
            assert_int_equal(solve_labels(&in, &opt, &a), 0);
            assert_int_equal(solve_ilp(&in, &opt, &b), 0);
            assert_int_equal(a.status, b.status);
            if (a.status == SOLVE_OPTIMAL) {
                char x[96], y[96];
                describe(&in, a.place, x, sizeof x);
                describe(&in, b.place, y, sizeof y);
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
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("labels vs ILP: %d optimal placements compared\n", compared);
    assert_true(compared > 300);
}

/* A stack where the exact search takes a while. */
static void stack_scenario(nn_scenario *s, int L, int D)
{
    scenario_init(s);
    for (int d = 0; d < D; d++) {
        char name[24];
        snprintf(name, sizeof name, "d%d", d);
        fixture_device(s, name, 1e11 * (1 + d % 3), 4e9, 2e8 * (1 + d % 2));
    }
    for (int a = 0; a < D; a++)
        for (int b = a + 1; b < D; b++)
            fixture_link(s, a, b, 1e9, 1e9, 0.001);
    nn_network net = {0};
    for (int l = 0; l < L; l++) {
        char name[24];
        snprintf(name, sizeof name, "block%d", l);
        fixture_layer(&net, name, 2e10, 1.4e8, 1.5e6);
    }
    fixture_finish(s, &net, 1.5e6);
}

/* Cancelled before it starts: the first incumbent comes back, flagged. A
 * tiny time limit: an incumbent with a gap, or the optimum. */
static void test_cancel_and_time_limit(void **state)
{
    (void)state;
    nn_scenario s;
    stack_scenario(&s, 60, 6);
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
    instance_free(&in);
    scenario_free(&s);
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
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
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
        instance_free(&in);
        scenario_free(&s);
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
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        int d = -1, e = -1;
        for (int a = 0; a < in.D && e < 0; a++)
            for (int b = a + 1; b < in.D && e < 0; b++)
                if (a != in.source && a != in.sink && b != in.source && b != in.sink) {
                    d = a;
                    e = b;
                }
        if (e >= 0) {
            twin_devices(&in, d, e);
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
        instance_free(&in);
        scenario_free(&s);
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
