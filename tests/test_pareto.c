/* The latency-energy Pareto front against brute force: every non-dominated
 * (latency, energy) pair over all placements, none missing, none extra, in
 * every mode, for the energy of all devices and of battery devices. */
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

typedef struct pair {
    double t, e;
} pair;

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return (x->e > y->e) - (x->e < y->e);
}

/* Brute force: the non-dominated pairs, in increasing latency. */
static int brute_front(const nn_instance *in, nn_mode mode, bool battery, pair *front)
{
    int L = in->L, D = in->D, place[16] = {0}, n = 0;
    long total = 1;
    for (int l = 0; l < L; l++)
        total *= D;
    pair *all = malloc((size_t)total * sizeof *all);
    assert_non_null(all);
    for (;;) {
        double t = eval_latency(in, place, mode), bat;
        double e = eval_energy(in, place, mode, &bat, NULL);
        if (isfinite(t) && in->stages != STAGES_CONTIGUOUS) all[n++] = (pair){t, battery ? bat : e};
        int l = 0;
        while (l < L && ++place[l] == D)
            place[l++] = 0;
        if (l == L) break;
    }
    qsort(all, (size_t)n, sizeof *all, pair_cmp);
    int m = 0;
    double best = INFINITY;
    for (int i = 0; i < n; i++) {
        /* Less energy than every faster placement, by more than 1e-6
         * relative: the front's own resolution. */
        if (all[i].e < best * (1 - 1e-6)) {
            if (m > 0 && all[i].t == front[m - 1].t) continue;
            front[m++] = all[i];
            best = all[i].e;
        }
    }
    free(all);
    return m;
}

/* Idle power over the latency makes the fastest placement the most frugal
 * too; a hundredth of it gives fronts of several points. */
static void quiet_idle(nn_instance *in)
{
    for (int d = 0; d < in->D; d++)
        in->idle_power[d] *= 0.01;
}

static void test_front_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    int fronts = 0, multi = 0, points = 0, placed = 0;
    pair *want = malloc(4096 * sizeof *want);
    assert_non_null(want);
    for (uint64_t seed = 1; seed <= 80; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        quiet_idle(&in);
        for (int m = 0; m < MODE_COUNT; m++) {
            for (int bat = 0; bat < 2; bat++) {
                int n = brute_front(&in, (nn_mode)m, bat, want);
                nn_solve_options opt = {.mode = (nn_mode)m,
                                        .objective = bat ? OBJ_BATTERY_ENERGY : OBJ_ENERGY};
                nn_pareto p;
                assert_int_equal(solve_pareto(&in, &opt, 0, &p), 0);
                if (n == 0) {
                    assert_int_equal(p.status, SOLVE_INFEASIBLE);
                    assert_int_equal(p.count, 0);
                    pareto_free(&p);
                    continue;
                }
                if (p.status != SOLVE_OPTIMAL || p.count != n)
                    fail_msg("seed %llu mode %s %s: %d points (%s: %s), brute force %d",
                             (unsigned long long)seed, mode_name((nn_mode)m),
                             bat ? "battery" : "all", p.count, solve_status_name(p.status),
                             p.message, n);
                for (int i = 0; i < n; i++) {
                    const nn_pareto_point *pt = &p.points[i];
                    if (!rel_close(pt->latency, want[i].t, 1e-9) ||
                        !rel_close(pt->energy, want[i].e, 1e-9))
                        fail_msg("seed %llu point %d: (%.17g s, %.17g J), brute force (%.17g, "
                                 "%.17g)",
                                 (unsigned long long)seed, i, pt->latency, pt->energy, want[i].t,
                                 want[i].e);
                    /* The point is its placement's, by the evaluator. */
                    double b, e = eval_energy(&in, pt->place, (nn_mode)m, &b, NULL);
                    assert_true(pt->latency == eval_latency(&in, pt->place, (nn_mode)m));
                    assert_true(pt->energy == (bat ? b : e));
                    /* Its placement is the tie-break order's (MODEL.md): the
                     * least energy under the step's bounds, then the least
                     * latency, then canonical. */
                    double prev = i > 0 ? p.points[i - 1].energy : 0;
                    double bound = i > 0 ? prev - 1e-6 * fabs(prev) : 0;
                    int order[16];
                    double t =
                        brute_force_ordered(&in, (nn_mode)m, OBJ_LATENCY, 0, bound, bat, order);
                    brute_force_ordered(&in, (nn_mode)m, opt.objective, t * (1 + 1e-9), bound, bat,
                                        order);
                    if (memcmp(order, pt->place, (size_t)in.L * sizeof *order) != 0)
                        fail_msg("seed %llu mode %s point %d: not brute force's placement",
                                 (unsigned long long)seed, mode_name((nn_mode)m), i);
                    placed++;
                }
                fronts++;
                multi += n > 1;
                points += n;
                pareto_free(&p);
            }
        }
        instance_free(&in);
        scenario_free(&s);
    }
    free(want);
    print_message("pareto: %d fronts, %d with several points, %d points, %d placements equal to "
                  "brute force's order\n",
                  fronts, multi, points, placed);
    assert_int_equal(placed, points);
    assert_true(fronts > 200);
    assert_true(multi > 30);
}

/* A point limit stops the front early and says so. */
static void test_front_truncated(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    pair *want = malloc(4096 * sizeof *want);
    assert_non_null(want);
    bool seen = false;
    for (uint64_t seed = 1; seed <= 80 && !seen; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        quiet_idle(&in);
        if (brute_front(&in, MODE_PRELOAD, false, want) >= 3) {
            nn_solve_options opt = {.mode = MODE_PRELOAD, .objective = OBJ_ENERGY};
            nn_pareto p;
            assert_int_equal(solve_pareto(&in, &opt, 2, &p), 0);
            assert_int_equal(p.count, 2);
            assert_true(p.truncated);
            assert_non_null(strstr(p.message, "stopped at the point limit"));
            assert_true(rel_close(p.points[0].latency, want[0].t, 1e-9));
            pareto_free(&p);
            seen = true;
        }
        instance_free(&in);
        scenario_free(&s);
    }
    free(want);
    assert_true(seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_vs_brute_force),
        cmocka_unit_test(test_front_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
