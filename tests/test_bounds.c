/* The label engine's lower bounds against brute force: on seeded random
 * instances (every mode; tight memories, pins, shared weights, profiles,
 * one-way and relayed links, identical devices), from random prefixes, every bound is at most
 * the least latency of any completion of the prefix, with the lanes open and
 * with the lanes closed at a limit as the search closes them (then for the
 * completions below that limit). The counts of prefixes where the newer
 * bounds (visited sets, heavy layers, charged compute, order of last
 * layers) beat the older ones
 * show that they are not vacuous. */
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

static const char *const BOUND_NAMES[LABELS_BOUNDS] = {
    "tail",         "lookahead",       "streaming",           "visited sets",
    "heavy layers", "charged compute", "order of last layers"};

/* The least latency over every completion of prefix[0..l] (and the least
 * one below `limit`, which is the same number or INFINITY). */
static double brute_completion(const nn_instance *in, nn_mode mode, const int *prefix, int l)
{
    int L = in->L, D = in->D, place[16], rest[16] = {0};
    memcpy(place, prefix, (size_t)(l + 1) * sizeof *place);
    int n = L - l - 1;
    double best = INFINITY;
    do {
        for (int k = 0; k < n; k++)
            place[l + 1 + k] = rest[k];
        best = fmin(best, eval_latency(in, place, mode));
    } while (placement_next(rest, n, D));
    return best;
}

/* Identical blocks, in small: every layer after the first with at least
 * half the most own weights (the charged ones) is given exactly the most,
 * its load times scaled alike, so that the charged-compute and the order
 * bounds count whole layers of one size (whole_cap). */
static void alike_heavy(nn_instance *in)
{
    int L = in->L, D = in->D;
    double most = 0;
    for (int l = 1; l < L; l++)
        most = fmax(most, in->weights[l]);
    if (!(most > 0)) return;
    for (int l = 1; l < L; l++) {
        double w = in->weights[l];
        if (!(w >= most / 2) || w == most) continue;
        for (int d = 0; d < D; d++)
            in->load[(size_t)l * D + d] *= most / w;
        in->weights[l] = most;
    }
}

static void test_bounds_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 8, .max_devices = 4, .max_placements = 4096};
    long checked = 0, closed = 0, on_optimum = 0, beats[LABELS_BOUNDS] = {0},
         per_mode[MODE_COUNT] = {0};
    for (uint64_t seed = 1; seed <= 700; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        int d, e; /* every third instance: two devices identical */
        if (seed % 3 == 0 && twin_pair(&in, &d, &e)) twin_devices(&in, d, e);
        if (seed % 2 == 0) alike_heavy(&in); /* every other: charged layers alike */
        rng r = {.s = seed * 0x5851F42D4C957F2Dull + 3};
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_mode mode = (nn_mode)m;
            int opt_place[16];
            double opt = brute_force(&in, mode, false, opt_place);
            if (!isfinite(opt) || in.L < 2) continue;
            /* Every prefix of the optimum, pairs left out at the tie-break's
             * limit: no bound may rise above the optimum, not even by a
             * rounding (a label the tie-break needs). */
            for (int l = 0; l < in.L - 1; l++) {
                double b[LABELS_BOUNDS], limit = opt * (1 + 1e-10);
                assert_true(labels_prefix_bounds(&in, mode, opt_place, l, limit, b));
                for (int k = 0; k < LABELS_BOUNDS; k++)
                    if (!(b[k] <= limit))
                        fail_msg("seed %llu mode %s optimum's prefix of %d layers: %s bound "
                                 "%.17g > optimum %.17g",
                                 (unsigned long long)seed, mode_name(mode), l + 1, BOUND_NAMES[k],
                                 b[k], opt);
                on_optimum++;
            }
            for (int trial = 0; trial < 6; trial++) {
                int l = rng_int(&r, 0, in.L - 2), prefix[16];
                /* Half the prefixes follow the optimum for a while. */
                int follow = rng_chance(&r, 0.5) ? rng_int(&r, 0, l + 1) : 0;
                for (int k = 0; k <= l; k++)
                    prefix[k] = k < follow ? opt_place[k] : rng_int(&r, 0, in.D - 1);
                double truth = brute_completion(&in, mode, prefix, l);
                /* Open lanes; a limit just above this prefix's best
                 * completion (pairs left out as tightly as the tie-break
                 * leaves them); limits up to 1.5 times the optimum. */
                double limit = trial < 2    ? INFINITY
                               : trial == 2 ? truth * (1 + 1e-10)
                                            : opt * (1 + 0.5 * rng_unit(&r));
                double b[LABELS_BOUNDS];
                if (!labels_prefix_bounds(&in, mode, prefix, l, limit, b)) continue;
                if (!(truth < limit)) continue; /* nothing below the limit to bound */
                for (int k = 0; k < LABELS_BOUNDS; k++)
                    if (!(b[k] <= truth * (1 + 1e-10)))
                        fail_msg("seed %llu mode %s prefix of %d layers: %s bound %.17g > best "
                                 "completion %.17g",
                                 (unsigned long long)seed, mode_name(mode), l + 1, BOUND_NAMES[k],
                                 b[k], truth);
                double old = fmax(b[0], fmax(b[1], b[2]));
                for (int k = 3; k < LABELS_BOUNDS; k++)
                    beats[k] += b[k] > old * (1 + 1e-9);
                checked++;
                closed += isfinite(limit);
                per_mode[m]++;
            }
        }
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("bounds vs brute force: %ld prefixes of optima at the tie-break's limit; "
                  "%ld random prefixes (%ld with lanes closed; resident %ld, "
                  "preload %ld, ondemand %ld); beyond the older bounds: visited sets %ld times, "
                  "heavy layers %ld, charged compute %ld, order of last layers %ld\n",
                  on_optimum, checked, closed, per_mode[MODE_RESIDENT], per_mode[MODE_PRELOAD],
                  per_mode[MODE_ONDEMAND], beats[3], beats[4], beats[5], beats[6]);
    assert_true(on_optimum > 4000);
    assert_true(checked > 4000);
    assert_true(closed > 2000);
    for (int m = 0; m < MODE_COUNT; m++)
        assert_true(per_mode[m] > 1000);
    assert_true(beats[3] > 20);
    assert_true(beats[4] > 20);
    assert_true(beats[5] > 20);
    assert_true(beats[6] > 20);
}

/* The bounds of an optimal placement's last layer: the chain tail is its
 * latency (the transfer to the sink), the others do not apply. */
static void test_prefix_edges(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 3, .max_placements = 729};
    int exact = 0;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        for (int m = 0; m < MODE_COUNT; m++) {
            int place[16];
            double opt = brute_force(&in, (nn_mode)m, false, place);
            if (!isfinite(opt)) continue;
            double b[LABELS_BOUNDS];
            assert_true(labels_prefix_bounds(&in, (nn_mode)m, place, in.L - 1, INFINITY, b));
            assert_true(rel_close(b[0], opt, 1e-12));
            for (int k = 1; k < LABELS_BOUNDS; k++)
                assert_true(b[k] == 0);
            exact++;
        }
        instance_free(&in);
        scenario_free(&s);
    }
    assert_true(exact > 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_edges),
        cmocka_unit_test(test_bounds_vs_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
