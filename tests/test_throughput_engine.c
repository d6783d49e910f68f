/* The throughput engine (solve/label_throughput.c) against brute force:
 * the least period and MODEL.md's whole order of its ties (least latency
 * of one input alone, then canonical), byte for byte, on random small
 * instances (tight memory, pins, relayed and one-way routes, profiles,
 * shared tensors, identical devices), for both stages rules; its tie-break
 * from any optimal placement (as the ILP ends); and against the ILP and
 * the race on every config x zoo network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "helpers_solve.h"
#include "solve_internal.h"

/* One case: the engine's answer is brute force's order; returns 1 when it
 * is an optimum, 0 when both say infeasible. `from` (optional) gets the
 * first optimum in counting order, for the tie-break test. */
static int check_order(const nn_instance *in, nn_mode mode, nn_engine engine, const char *what)
{
    int order[16];
    double want = brute_force_ordered(in, mode, OBJ_THROUGHPUT, 0, 0, false, order);
    nn_solve_options opt = {.mode = mode, .objective = OBJ_THROUGHPUT, .engine = engine};
    nn_solve_result r;
    assert_int_equal(solve_run(in, &opt, &r), 0);
    if (!isfinite(want)) {
        if (r.status != SOLVE_INFEASIBLE)
            fail_msg("%s: %s (%s), brute force infeasible", what, solve_status_name(r.status),
                     r.message);
        assert_true(strncmp(r.message, "infeasible: ", 12) == 0);
        solve_result_free(&r);
        return 0;
    }
    if (r.status != SOLVE_OPTIMAL || !r.place)
        fail_msg("%s: %s (%s), brute force %.17g", what, solve_status_name(r.status), r.message,
                 want);
    /* the order's period: the least, or (periods equal but for their sums'
     * rounding, as on a lattice) a tie within 1e-12 of it */
    double tied = eval_period(in, order);
    if (!(r.value == tied && tied <= want * (1 + 1e-12)))
        fail_msg("%s: period %.17g, brute force %.17g (its order's %.17g)", what, r.value, want,
                 tied);
    if (memcmp(order, r.place, (size_t)in->L * sizeof *order) != 0) {
        char got[80], exp[80];
        placement_describe(r.place, in->L, got, sizeof got);
        placement_describe(order, in->L, exp, sizeof exp);
        fail_msg("%s: placement %s, brute force's order %s", what, got, exp);
    }
    assert_true(r.value == eval_period(in, r.place));
    assert_true(r.period == r.value);
    assert_true(r.latency == eval_latency(in, r.place, MODE_RESIDENT));
    assert_true(r.busy_path == r.latency);
    assert_true(r.busy_minimal && r.canonical);
    assert_true(r.gap == 0 && r.bound == r.value);
    solve_result_free(&r);
    return 1;
}

/* throughput_ties from the first optimum in counting order (which often
 * is not the answer) reaches brute force's order. */
static int check_ties_from(const nn_instance *in, nn_mode mode, const char *what)
{
    int order[16], plain[16];
    double want = brute_force_ordered(in, mode, OBJ_THROUGHPUT, 0, 0, false, order);
    if (!isfinite(want)) return 0;
    brute_force_goal(in, mode, OBJ_THROUGHPUT, 0, 0, plain);
    int moved = memcmp(order, plain, (size_t)in->L * sizeof *order) != 0;
    nn_solve_options opt = {.mode = mode, .objective = OBJ_THROUGHPUT};
    int flags = throughput_ties(in, &opt, plain, INFINITY);
    assert_int_equal(flags, CANON_BUSY_MINIMAL | CANON_EXACT);
    if (memcmp(order, plain, (size_t)in->L * sizeof *order) != 0) {
        char got[80], exp[80];
        placement_describe(plain, in->L, got, sizeof got);
        placement_describe(order, in->L, exp, sizeof exp);
        fail_msg("%s: ties from the first optimum give %s, brute force's order %s", what, got, exp);
    }
    return moved;
}

static void random_cases(int alike, int twins, uint64_t seeds, int *solved, int *infeasible,
                         int *moved)
{
    const random_spec spec = {.max_layers = 7, .max_devices = 4, .max_placements = 4096};
    for (uint64_t seed = 1; seed <= seeds; seed++) {
        nn_scenario s;
        nn_instance in;
        if (alike) {
            assert_int_equal(random_scenario(&s, seed, &spec), 0);
            scenario_make_alike(&s);
            assert_int_equal(instance_build(&s, &in), 0);
        } else if (twins) {
            if (!random_twin_instance(&s, &in, seed, &spec)) {
                scenario_instance_free(&s, &in);
                continue;
            }
        } else {
            random_instance(&s, &in, seed, &spec);
        }
        for (int st = 0; st < 2; st++) {
            in.stages = st ? STAGES_CONTIGUOUS : STAGES_ANY;
            char what[96];
            snprintf(what, sizeof what, "seed %llu%s%s%s", (unsigned long long)seed,
                     alike ? " alike" : "", twins ? " twins" : "", st ? " contiguous" : "");
            int ok = check_order(&in, in.mode, ENGINE_LABELS, what);
            *solved += ok;
            *infeasible += !ok;
            *moved += check_ties_from(&in, in.mode, what);
            /* the ILP ends in the same order; the race too */
            if (seed % 4 == 0) check_order(&in, in.mode, ENGINE_ILP, what);
            if (seed % 4 == 1) check_order(&in, in.mode, ENGINE_AUTO, what);
        }
        scenario_instance_free(&s, &in);
    }
}

static void test_random_vs_brute_force(void **state)
{
    (void)state;
    int solved = 0, infeasible = 0, moved = 0;
    random_cases(0, 0, 700, &solved, &infeasible, &moved);
    print_message("throughput, random: %d optima as brute force's order, %d infeasible, %d where "
                  "the first optimum in counting order is not the answer\n",
                  solved, infeasible, moved);
    assert_true(solved > 700);
    assert_true(infeasible > 100);
    assert_true(moved > 100);
}

/* random_scenario on a lattice: every layer 1-7 GFLOP, every device 1-13
 * GFLOP/s, no profiles, so each device's compute times are multiples of
 * one grain (the engine's lattice bound applies) and periods tie often. */
static void lattice_instance(nn_scenario *s, nn_instance *in, uint64_t seed)
{
    const random_spec spec = {.max_layers = 7, .max_devices = 4, .max_placements = 4096};
    rng r = {.s = seed * 0x9E3779B97F4A7C15ull + 5};
    assert_int_equal(random_scenario(s, seed, &spec), 0);
    for (int d = 0; d < s->ndevices; d++)
        s->devices[d].speed = 1e9 * rng_int(&r, 1, 13);
    for (int l = 0; l < s->net.nlayers; l++) {
        nn_layer *y = &s->net.layers[l];
        y->nprofiles = 0;
        y->flops = y->raw_flops = 1e9 * rng_int(&r, 1, 7);
        y->macs = y->flops / 2;
    }
    assert_int_equal(instance_build(s, in), 0);
}

/* The least period over the placements that start with `prefix` (l
 * layers); INFINITY when none is feasible. */
static double brute_force_prefix(const nn_instance *in, const int *prefix, int l)
{
    int place[16] = {0};
    double min = INFINITY;
    do {
        if (memcmp(place, prefix, (size_t)l * sizeof *place) == 0)
            min = fmin(min, eval_period(in, place));
    } while (placement_next(place, in->L, in->D));
    return min;
}

/* The lattice bound (and every other drop of the search) keeps each node
 * with a completion below its period bound: over random prefixes of
 * lattice instances, a node is never dropped for a bound just above the
 * best completion, and is dropped at that completion's period (strictly
 * below it nothing is) in many cases; the engine's answers are brute
 * force's order. fixture_long's optimum on 5 devices is proven at the
 * root, which the fractional bound alone does not do. */
static void test_lattice_bound(void **state)
{
    (void)state;
    int checked = 0, tight = 0, solved = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        nn_scenario s;
        nn_instance in;
        lattice_instance(&s, &in, seed);
        rng r = {.s = seed * 0xD1B54A32D192ED03ull + 9};
        for (int st = 0; st < 2; st++) {
            in.stages = st ? STAGES_CONTIGUOUS : STAGES_ANY;
            char what[64];
            snprintf(what, sizeof what, "lattice seed %llu%s", (unsigned long long)seed,
                     st ? " contiguous" : "");
            solved += check_order(&in, in.mode, ENGINE_LABELS, what);
            check_ties_from(&in, in.mode, what);
            for (int t = 0; t < 4; t++) {
                int prefix[16], l = rng_int(&r, 0, in.L - 1);
                for (int k = 0; k < l; k++)
                    prefix[k] = rng_int(&r, 0, in.D - 1);
                double best = brute_force_prefix(&in, prefix, l);
                if (!isfinite(best)) continue;
                int above = throughput_prefix_pruned(&in, prefix, l, best * (1 + 1e-11));
                if (above != 0)
                    fail_msg("%s: prefix of %d layers dropped (%d) above its best completion "
                             "%.17g",
                             what, l, above, best);
                tight += throughput_prefix_pruned(&in, prefix, l, best) == 1;
                checked++;
            }
        }
        scenario_instance_free(&s, &in);
    }
    print_message("throughput, lattice: %d optima as brute force's order, %d prefixes kept above "
                  "their best completion, %d dropped at it\n",
                  solved, checked, tight);
    assert_true(solved > 300);
    assert_true(checked > 1000);
    assert_true(tight > checked / 4);
    /* fixture_long: 197 GFLOP on 1 + 4 + 7 + 10 + 13 GFLOP/s; 5.7 s is the
     * least period (5 + 22 + 39 + 57 + 74 GFLOP), 197 / 35 the fractional
     * bound */
    nn_scenario s;
    nn_instance in;
    fixture_long(&s, 5, 50);
    assert_int_equal(instance_build(&s, &in), 0);
    int none[1] = {0};
    assert_int_equal(throughput_prefix_pruned(&in, none, 0, 5.7), 1);
    assert_int_equal(throughput_prefix_pruned(&in, none, 0, 5.7 * (1 + 1e-11)), 0);
    nn_solve_options opt = {
        .mode = in.mode, .objective = OBJ_THROUGHPUT, .engine = ENGINE_LABELS, .time_limit_s = 0.5};
    nn_solve_result res;
    assert_int_equal(solve_run(&in, &opt, &res), 0);
    assert_int_equal(res.status, SOLVE_OPTIMAL);
    assert_true(fabs(res.value - 5.7) < 1e-12);
    solve_result_free(&res);
    scenario_instance_free(&s, &in);
}

/* Ties everywhere: every device and link alike; two devices twins. */
static void test_ties_vs_brute_force(void **state)
{
    (void)state;
    int solved = 0, infeasible = 0, moved = 0;
    random_cases(1, 0, 150, &solved, &infeasible, &moved);
    random_cases(0, 1, 300, &solved, &infeasible, &moved);
    print_message("throughput, alike and twin devices: %d optima as brute force's order, %d "
                  "infeasible, %d moved from the first optimum\n",
                  solved, infeasible, moved);
    assert_true(solved > 300);
    assert_true(moved > 100);
}

/* Streams where nothing but time differs between states: no weights,
 * one output size, every pair of devices linked. Placements of the same
 * devices used and the same last device then differ only in their busy
 * times, so the memo of states met must keep those (where they can still
 * bind), and the least latency among the period's ties is often not the
 * least latency overall (the period holds each device to its share). */
static void test_time_only_states(void **state)
{
    (void)state;
    int solved = 0, moved = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        rng r = {.s = seed * 0x9E3779B97F4A7C15ull + 3};
        nn_scenario s;
        scenario_init(&s);
        int D = rng_int(&r, 2, 4), L = D == 4 ? 6 : 7;
        for (int d = 0; d < D; d++) {
            char name[16];
            snprintf(name, sizeof name, "d%d", d);
            fixture_device(&s, name, rng_log(&r, 1e9, 1e10), 1e12, 1e9);
        }
        for (int a = 0; a < D; a++)
            for (int b = a + 1; b < D; b++)
                fixture_link(&s, a, b, rng_log(&r, 1e7, 1e9), rng_log(&r, 1e7, 1e9),
                             rng_chance(&r, 0.5) ? 0 : 1e-4);
        nn_network net = {0};
        for (int l = 0; l < L; l++) {
            char name[16];
            snprintf(name, sizeof name, "L%d", l + 1);
            fixture_layer(&net, name, rng_log(&r, 1e8, 1e10), 0, 1e4);
        }
        assert_int_equal(fixture_finish(&s, &net, 1e4), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        char what[64];
        snprintf(what, sizeof what, "time-only seed %llu", (unsigned long long)seed);
        solved += check_order(&in, in.mode, ENGINE_LABELS, what);
        moved += check_ties_from(&in, in.mode, what);
        /* the least latency overall is not a tie of the period */
        int fastest[16];
        double kmin = INFINITY;
        int place[16] = {0};
        do {
            double k = eval_latency(&in, place, MODE_RESIDENT);
            if (k < kmin) {
                kmin = k;
                memcpy(fastest, place, sizeof fastest);
            }
        } while (placement_next(place, in.L, in.D));
        double smin = brute_force_goal(&in, in.mode, OBJ_THROUGHPUT, 0, 0, NULL);
        moved += eval_period(&in, fastest) > smin * (1 + 1e-10);
        scenario_instance_free(&s, &in);
    }
    print_message("throughput, time-only states: %d optima as brute force's order, %d moved\n",
                  solved, moved);
    assert_int_equal(solved, 300);
    assert_true(moved > 100);
}

/* The label engine (the throughput engine), the ILP and the race on every
 * config x zoo network, both stages rules: the same status, period and
 * placement. The ILP gets 3 s (on gpt2-home it may need more: then its
 * incumbent is no better than the optimum). */
static void test_configs_zoo_agree(void **state)
{
    (void)state;
    int nconfigs;
    const char *const *configs = config_names(&nconfigs);
    int compared = 0, stopped = 0;
    for (int c = 0; c < nconfigs; c++) {
        for (int z = -1; z < zoo_count(); z++) {
            nn_scenario s;
            if (z < 0)
                config_load(configs[c], &s);
            else
                config_with_zoo(configs[c], z, &s);
            nn_instance in;
            assert_int_equal(instance_build(&s, &in), 0);
            for (int st = 0; st < 2; st++) {
                in.stages = st ? STAGES_CONTIGUOUS : STAGES_ANY;
                nn_solve_result r[ENGINE_COUNT];
                for (int e = 0; e < ENGINE_COUNT; e++) {
                    nn_solve_options opt = {.mode = in.mode,
                                            .objective = OBJ_THROUGHPUT,
                                            .engine = (nn_engine)e,
                                            .time_limit_s = e == ENGINE_ILP ? 3 : 60};
                    assert_int_equal(solve_run(&in, &opt, &r[e]), 0);
                }
                for (int e = 1; e < ENGINE_COUNT; e++) {
                    const char *name = z < 0 ? "its network" : zoo_name(z);
                    if (e == ENGINE_ILP && r[e].status == SOLVE_FEASIBLE &&
                        r[0].status == SOLVE_OPTIMAL) {
                        assert_true(r[e].value >= r[0].value);
                        stopped++;
                        continue;
                    }
                    if (r[e].status != r[0].status)
                        fail_msg("%s with %s%s: %s says %s, auto %s", configs[c], name,
                                 st ? " contiguous" : "", engine_name((nn_engine)e),
                                 solve_status_name(r[e].status), solve_status_name(r[0].status));
                    if (r[0].status != SOLVE_OPTIMAL) continue;
                    if (memcmp(r[e].place, r[0].place, (size_t)in.L * sizeof *r[0].place) != 0)
                        fail_msg("%s with %s%s: %s and auto differ (%.17g s, %.17g s)", configs[c],
                                 name, st ? " contiguous" : "", engine_name((nn_engine)e),
                                 r[e].value, r[0].value);
                    assert_true(r[e].value == r[0].value);
                    compared++;
                }
                for (int e = 0; e < ENGINE_COUNT; e++)
                    solve_result_free(&r[e]);
            }
            scenario_instance_free(&s, &in);
        }
    }
    print_message("throughput, configs x zoo x stages: %d answers compared, %d where the ILP "
                  "stopped at 3 s\n",
                  compared, stopped);
    assert_true(compared > 200);
}

#define P2(k) ldexp(1.0, k)

/* A tied stream: devices a (the source and the sink), b, c, d (the first
 * D), every layer 1 s anywhere (2^30 FLOP at 2^30 FLOP/s), every link
 * 2^20 bit/s and 0.25 s, outputs of 2^17 B (1 s on a link), an input of
 * 2^22 B: the input's 32 s on its link is the period whatever the rest
 * does. The first layer is pinned to `first`, the last to `last`: moving
 * from one to the other after any layer costs one transfer, so every such
 * placement ties in period and in one input's latency (all times powers
 * of two), and only the canonical order decides: stay on `first` to the
 * last free layer, where plain index order would move at once. */
static void test_canonical_order(void **state)
{
    (void)state;
    static const char *const names[] = {"a", "b", "c", "d"};
    const struct {
        int D, L, first, last;
    } cases[] = {{3, 5, 2, 1}, {4, 6, 3, 2}, {4, 4, 3, 1}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        nn_scenario s;
        scenario_init(&s);
        for (int d = 0; d < cases[k].D; d++)
            fixture_device(&s, names[d], P2(30), 1e12 * (d + 1), P2(30));
        for (int a = 0; a < cases[k].D; a++)
            for (int b = a + 1; b < cases[k].D; b++)
                fixture_link(&s, a, b, P2(20), P2(20), 0.25);
        nn_network net = {0};
        for (int l = 0; l < cases[k].L; l++) {
            char name[16];
            snprintf(name, sizeof name, "L%d", l + 1);
            fixture_layer(&net, name, P2(30), P2(20), P2(17));
        }
        assert_int_equal(fixture_finish(&s, &net, P2(22)), 0);
        s.pin[0] = cases[k].first;
        s.pin[cases[k].L - 1] = cases[k].last;
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        int want[8], index_least[8];
        for (int l = 0; l < in.L; l++) {
            want[l] = l < in.L - 1 ? cases[k].first : cases[k].last;
            index_least[l] = l == 0 ? cases[k].first : cases[k].last;
        }
        /* both are ties: the order decides */
        assert_true(eval_period(&in, want) == eval_period(&in, index_least));
        assert_true(eval_latency(&in, want, MODE_RESIDENT) ==
                    eval_latency(&in, index_least, MODE_RESIDENT));
        for (int st = 0; st < 2; st++) {
            in.stages = st ? STAGES_CONTIGUOUS : STAGES_ANY;
            int order[16];
            assert_true(
                isfinite(brute_force_ordered(&in, in.mode, OBJ_THROUGHPUT, 0, 0, false, order)));
            assert_memory_equal(order, want, (size_t)in.L * sizeof *want);
            for (int e = 0; e < ENGINE_COUNT; e++) {
                nn_solve_options opt = {
                    .mode = in.mode, .objective = OBJ_THROUGHPUT, .engine = (nn_engine)e};
                nn_solve_result r;
                assert_int_equal(solve_run(&in, &opt, &r), 0);
                assert_int_equal(r.status, SOLVE_OPTIMAL);
                if (memcmp(r.place, want, (size_t)in.L * sizeof *want) != 0) {
                    char got[80];
                    placement_describe(r.place, in.L, got, sizeof got);
                    fail_msg("case %zu%s, %s: %s", k, st ? " contiguous" : "",
                             engine_name((nn_engine)e), got);
                }
                solve_result_free(&r);
            }
            int from[8];
            memcpy(from, index_least, sizeof from);
            nn_solve_options opt = {.mode = in.mode, .objective = OBJ_THROUGHPUT};
            assert_int_equal(throughput_ties(&in, &opt, from, INFINITY),
                             CANON_BUSY_MINIMAL | CANON_EXACT);
            assert_memory_equal(from, want, (size_t)in.L * sizeof *want);
        }
        scenario_instance_free(&s, &in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_order),     cmocka_unit_test(test_random_vs_brute_force),
        cmocka_unit_test(test_ties_vs_brute_force), cmocka_unit_test(test_time_only_states),
        cmocka_unit_test(test_configs_zoo_agree),   cmocka_unit_test(test_lattice_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
