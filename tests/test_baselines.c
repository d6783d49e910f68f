/* Baselines on MODEL.md's worked example and on random instances. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
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
    assert_int_equal(baselines_compute(&in, &(nn_solve_options){.mode = MODE_PRELOAD}, 0.712, &b),
                     0);
    /* 2 devices, 1 split, the equal split, 2 other modes, the DP. exo's ring
     * and the FLOP/s split give the cloud all three layers: one device, so
     * they are left out (all on cloud says it). */
    assert_int_equal(b.count, 7);
    expect(&b, "all on edge", 7.2, 0.712);
    expect(&b, "all on cloud", 0.722, 0.712);
    expect(&b, "split edge|cloud after L1", 0.712, 0.712);
    expect(&b, "equal layers per device", 3.132, 0.712); /* edge, edge, cloud */
    expect(&b, "optimal for ondemand", 0.722, 0.712);    /* cloud x3, judged in preload */
    expect(&b, "optimal for resident", 0.722, 0.712);
    expect(&b, "contiguous-run DP", 0.712, 0.712);
    for (int i = 0; i < b.count; i++)
        assert_null(strstr(b.items[i].name, "after input"));
    baselines_free(&b);

    /* In resident mode the best split keeps L1 on the edge all the same. */
    assert_int_equal(baselines_compute(&in, &(nn_solve_options){.mode = MODE_RESIDENT}, 0.133, &b),
                     0);
    expect(&b, "split edge|cloud after L1", 0.332, 0.133);
    expect(&b, "optimal for preload", 0.332, 0.133); /* edge, cloud, cloud */
    expect(&b, "all on edge", 1.2, 0.133);
    baselines_free(&b);
    instance_free(&in);
    scenario_free(&s);
}

/* A pin takes its layer along into every baseline, and the name says so. */
static void test_pins(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.pin[1] = 0; /* L2 on the edge */
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_baselines b;
    assert_int_equal(baselines_compute(&in, &(nn_solve_options){.mode = MODE_PRELOAD}, 1, &b), 0);
    const nn_baseline *cloud = find(&b, "all on cloud (1 pin)");
    assert_true(cloud->feasible);
    assert_int_equal(cloud->place[0], 1);
    assert_int_equal(cloud->place[1], 0);
    assert_int_equal(cloud->place[2], 1);
    assert_true(cloud->latency == eval_latency(&in, cloud->place, MODE_PRELOAD));
    expect(&b, "all on edge", 7.2, 1);
    for (int i = 0; i < b.count; i++)
        if (b.items[i].place) assert_int_equal(b.items[i].place[1], 0);
    baselines_free(&b);
    instance_free(&in);
    scenario_free(&s);
}

/* On the largest instance (seconds of baselines), a time limit far shorter
 * than the work stops the list with its status set, whatever it had done
 * by then, and none of the slow baselines (the other modes' solves, the
 * DP) is in it half-done. */
static void test_time_limit_stops_the_list(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_long(&s, 4, 4096);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    const double limits[] = {1e-6, 1e-3};
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        nn_baselines b;
        nn_solve_options opt = {.mode = MODE_PRELOAD, .time_limit_s = limits[k]};
        assert_int_equal(baselines_compute(&in, &opt, 1, &b), 0);
        assert_true(b.timed_out);
        assert_false(b.cancelled);
        assert_true(b.count < in.D + (in.D - 1) + 3 + MODE_COUNT - 1 + 1);
        for (int i = 0; i < b.count; i++) {
            assert_int_not_equal(b.items[i].kind, BASELINE_DP);
            assert_non_null(b.items[i].place);
        }
        baselines_free(&b);
    }
    instance_free(&in);
    scenario_free(&s);

    /* A limit that does not come: the whole list, not stopped. */
    fixture_worked_example(&s);
    assert_int_equal(instance_build(&s, &in), 0);
    nn_baselines b;
    assert_int_equal(
        baselines_compute(&in, &(nn_solve_options){.mode = MODE_PRELOAD, .time_limit_s = 60}, 0.712,
                          &b),
        0);
    assert_false(b.timed_out);
    find(&b, "contiguous-run DP");
    baselines_free(&b);
    instance_free(&in);
    scenario_free(&s);
}

/* A cancel before the other modes' ILPs stops the list there. */
static void test_cancel(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    atomic_int stop;
    atomic_init(&stop, 1);
    nn_baselines b;
    assert_int_equal(baselines_compute(&in,
                                       &(nn_solve_options){.mode = MODE_PRELOAD, .cancel = &stop},
                                       0.712, &b),
                     0);
    assert_true(b.cancelled);
    for (int i = 0; i < b.count; i++)
        assert_int_not_equal(b.items[i].kind, BASELINE_OTHER_MODE);
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
    assert_int_equal(baselines_compute(&in, &(nn_solve_options){.mode = MODE_PRELOAD}, 0.712, &b),
                     0);
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
    assert_int_equal(
        baselines_compute(&in, &(nn_solve_options){.mode = MODE_PRELOAD}, INFINITY, &b), 0);
    for (int i = 0; i < b.count; i++) {
        assert_false(b.items[i].feasible);
        assert_true(strlen(b.items[i].why) > 10);
    }
    assert_non_null(strstr(find(&b, "all on cloud")->why, "no route"));
    baselines_free(&b);
    instance_free(&in);
    scenario_free(&s);
}

/* Every free layer on d, pinned ones on their pins: written out again. */
static bool is_all_on(const nn_instance *in, const int *place, int d)
{
    for (int l = 0; l < in->L; l++)
        if (place[l] != (in->pin[l] >= 0 ? in->pin[l] : d)) return false;
    return true;
}

/* Pins hold, two devices at least, and for some k in 1..L-1 the free layers
 * before k are on the source and the others on `dev`. */
static bool is_split(const nn_instance *in, const int *place, int dev)
{
    int L = in->L, used = 0;
    bool seen[NN_MAX_DEVICES] = {false};
    for (int l = 0; l < L; l++) {
        if (in->pin[l] >= 0 && place[l] != in->pin[l]) return false;
        if (!seen[place[l]]) used++;
        seen[place[l]] = true;
    }
    if (used < 2) return false;
    for (int k = 1; k < L; k++) {
        bool ok = true;
        for (int l = 0; l < L && ok; l++)
            ok = in->pin[l] >= 0 || place[l] == (l < k ? in->source : dev);
        if (ok) return true;
    }
    return false;
}

/* Brute force over every placement: the best latency of a class. */
static double brute_class(const nn_instance *in, nn_mode mode, bool split, int dev, int *members)
{
    int L = in->L, D = in->D, place[16] = {0};
    double min = INFINITY;
    *members = 0;
    for (;;) {
        bool in_class = split ? is_split(in, place, dev) : is_all_on(in, place, dev);
        if (in_class) {
            (*members)++;
            double t = eval_latency(in, place, mode);
            if (t < min) min = t;
        }
        int l = 0;
        while (l < L && ++place[l] == D)
            place[l++] = 0;
        if (l == L) break;
    }
    return min;
}

/* The split baseline towards `dev`, by its name, or NULL. */
static const nn_baseline *split_towards(const nn_instance *in, const nn_baselines *b, int dev)
{
    char want[NN_NAME_LEN + 16];
    snprintf(want, sizeof want, "|%s after ", in->device_names[dev]);
    for (int i = 0; i < b->count; i++)
        if (b->items[i].kind == BASELINE_SPLIT && strstr(b->items[i].name, want))
            return &b->items[i];
    return NULL;
}

static bool listed_before(const nn_instance *in, const nn_baselines *b, const int *place)
{
    for (int i = 0; i < b->count; i++)
        if (b->items[i].kind != BASELINE_SPLIT && b->items[i].place &&
            memcmp(b->items[i].place, place, (size_t)in->L * sizeof *place) == 0)
            return true;
    return false;
}

/* Random instances, about one layer in eight pinned and more pins added:
 * no baseline beats the optimum or breaks a pin, each agrees with the
 * evaluator, and the single-device and split baselines are the best of
 * their class over every placement (brute force). */
static void test_random_pins_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 4096};
    int checked = 0, classes = 0, pinned_instances = 0;
    for (uint64_t seed = 500; seed < 700; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        if (seed % 2 == 0 && s.net.nlayers > 1) s.pin[(int)(seed / 2) % s.net.nlayers] = 0;
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        bool any_pin = false;
        for (int l = 0; l < in.L; l++)
            any_pin |= in.pin[l] >= 0;
        pinned_instances += any_pin;
        double opt = brute_force(&in, s.mode, false, NULL);
        nn_baselines b;
        assert_int_equal(baselines_compute(&in, &(nn_solve_options){.mode = s.mode}, opt, &b), 0);
        assert_false(b.cancelled);
        for (int i = 0; i < b.count; i++) {
            const nn_baseline *it = &b.items[i];
            assert_true(strlen(it->name) > 0);
            assert_null(strstr(it->name, "after input"));
            if (it->place)
                for (int l = 0; l < in.L; l++)
                    if (in.pin[l] >= 0) assert_int_equal(it->place[l], in.pin[l]);
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
        /* Each device alone: the one placement of its class. */
        for (int d = 0; d < in.D; d++) {
            int members;
            double best = brute_class(&in, s.mode, false, d, &members);
            assert_int_equal(members, 1);
            bool found = false;
            for (int i = 0; i < b.count; i++) {
                const nn_baseline *it = &b.items[i];
                if (it->kind != BASELINE_SINGLE || !is_all_on(&in, it->place, d)) continue;
                found = true;
                assert_true(it->latency == best || (isinf(best) && !it->feasible));
            }
            /* Left out only when an earlier device's placement is the same. */
            if (!found) {
                int *p = malloc((size_t)in.L * sizeof *p);
                baselines_all_on(&in, d, p);
                assert_true(listed_before(&in, &b, p));
                free(p);
            }
            classes++;
        }
        /* The best split towards each other device. */
        for (int dev = 0; dev < in.D; dev++) {
            if (dev == in.source) continue;
            int members;
            double best = brute_class(&in, s.mode, true, dev, &members);
            const nn_baseline *it = split_towards(&in, &b, dev);
            if (members == 0) {
                assert_null(it);
                continue;
            }
            classes++;
            if (!it) {
                /* Its placement is listed under another name. */
                continue;
            }
            assert_true(is_split(&in, it->place, dev));
            if (isinf(best))
                assert_false(it->feasible);
            else if (!rel_close(it->latency, best, 1e-12))
                fail_msg("seed %llu split to %s: %.17g, brute force %.17g",
                         (unsigned long long)seed, in.device_names[dev], it->latency, best);
        }
        baselines_free(&b);
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("%d feasible baselines, %d classes checked by brute force, %d instances with "
                  "pins\n",
                  checked, classes, pinned_instances);
    assert_true(checked > 300);
    assert_true(pinned_instances > 80);
}

/* The best value on an objective (limits included) of a class, by brute force. */
static double brute_class_goal(const nn_instance *in, nn_mode mode, nn_objective obj, double tl,
                               double el, int dev)
{
    int L = in->L, D = in->D, place[16] = {0};
    double min = INFINITY;
    do {
        if (is_split(in, place, dev)) min = fmin(min, eval_objective(in, place, mode, obj, tl, el));
    } while (placement_next(place, L, D));
    return min;
}

/* Under every objective and limit (issue 12): each baseline is scored on
 * the objective, as the evaluator scores its placement (energy in J, a
 * stream's period, latency), its ratio is that over brute force's optimum
 * and never below 1, one over a limit is marked (and not ranked) exactly
 * when the evaluator says so, and the best split towards each device is
 * brute force's best on the objective. */
static void test_objectives_scored(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    int scored = 0, over = 0, splits = 0, differ = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        nn_mode mode = s.mode;
        double tmin = brute_force_goal(&in, mode, OBJ_LATENCY, 0, 0, NULL);
        double emin = brute_force_goal(&in, mode, OBJ_ENERGY, 0, 0, NULL);
        const struct {
            nn_objective obj;
            double tl, el;
            nn_stages stages;
        } cases[] = {
            {OBJ_ENERGY, 0, 0, STAGES_ANY},          {OBJ_BATTERY_ENERGY, 0, 0, STAGES_ANY},
            {OBJ_THROUGHPUT, 0, 0, STAGES_ANY},      {OBJ_THROUGHPUT, 0, 0, STAGES_CONTIGUOUS},
            {OBJ_ENERGY, tmin * 1.2, 0, STAGES_ANY}, {OBJ_LATENCY, 0, emin * 1.1, STAGES_ANY},
        };
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            in.stages = cases[c].stages;
            nn_objective obj = cases[c].obj;
            double tl = isfinite(cases[c].tl) ? cases[c].tl : 0;
            double el = isfinite(cases[c].el) ? cases[c].el : 0;
            double opt = brute_force_goal(&in, mode, obj, tl, el, NULL);
            nn_solve_options o = {
                .mode = mode, .objective = obj, .latency_limit = tl, .energy_limit = el};
            nn_baselines b;
            assert_int_equal(baselines_compute(&in, &o, opt, &b), 0);
            nn_mode m = obj == OBJ_THROUGHPUT ? MODE_RESIDENT : mode;
            for (int i = 0; i < b.count; i++) {
                const nn_baseline *it = &b.items[i];
                if (!it->place) continue;
                double lat = eval_latency(&in, it->place, m);
                bool staged = in.stages == STAGES_ANY || placement_contiguous(it->place, in.L);
                assert_int_equal(it->feasible, isfinite(lat) && staged);
                if (!it->feasible) continue;
                double bat, e = eval_energy(&in, it->place, m, &bat, NULL);
                double want = obj == OBJ_ENERGY           ? e
                              : obj == OBJ_BATTERY_ENERGY ? bat
                              : obj == OBJ_THROUGHPUT     ? eval_period(&in, it->place)
                                                          : lat;
                assert_true(it->latency == lat && it->energy == e && it->energy_battery == bat);
                if (it->value != want)
                    fail_msg("seed %llu case %zu %s: value %.17g, evaluator %.17g",
                             (unsigned long long)seed, c, it->name, it->value, want);
                bool within = isfinite(eval_objective(&in, it->place, mode, obj, tl, el));
                assert_int_equal(it->within_limits, within);
                if (!within) {
                    over++;
                    assert_true(strncmp(it->why, "over the ", 9) == 0);
                    assert_true(isinf(it->ratio));
                    continue;
                }
                scored++;
                assert_true(it->value >= opt * (1 - 1e-12));
                if (!rel_close(it->ratio, opt > 0 ? it->value / opt : 1, 1e-12))
                    fail_msg("seed %llu case %zu %s: ratio %.17g", (unsigned long long)seed, c,
                             it->name, it->ratio);
                differ += obj != OBJ_LATENCY && lat != it->value;
            }
            /* The best split towards each device, on the objective. */
            for (int dev = 0; dev < in.D; dev++) {
                if (dev == in.source) continue;
                const nn_baseline *it = split_towards(&in, &b, dev);
                double best = brute_class_goal(&in, mode, obj, tl, el, dev);
                if (!it || !isfinite(best)) continue;
                splits++;
                if (!it->within_limits || !rel_close(it->value, best, 1e-12))
                    fail_msg("seed %llu case %zu split to %s: %.17g, brute force %.17g",
                             (unsigned long long)seed, c, in.device_names[dev], it->value, best);
            }
            baselines_free(&b);
        }
        in.stages = STAGES_ANY;
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("objectives: %d baselines scored, %d over a limit, %d best splits by brute "
                  "force, %d scored on other than latency\n",
                  scored, over, splits, differ);
    assert_true(scored > 500);
    assert_true(over > 20);
    assert_true(splits > 50);
    assert_true(differ > 300);
}

/* A stream's weights are resident (MODEL.md, Throughput): its baselines
 * are the same list whatever the mode asked; the contiguous-run DP picked
 * the preload or ondemand latency's best run before. */
static void test_throughput_ignores_mode(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    int compared = 0, moved = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        nn_solve_options res = {.mode = MODE_RESIDENT, .objective = OBJ_THROUGHPUT};
        nn_baselines want;
        assert_int_equal(baselines_compute(&in, &res, INFINITY, &want), 0);
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_solve_options o = res;
            o.mode = (nn_mode)m;
            nn_baselines b;
            assert_int_equal(baselines_compute(&in, &o, INFINITY, &b), 0);
            assert_int_equal(b.count, want.count);
            for (int i = 0; i < b.count; i++) {
                const nn_baseline *x = &b.items[i], *y = &want.items[i];
                assert_string_equal(x->name, y->name);
                assert_int_equal(!x->place, !y->place);
                if (x->place)
                    assert_memory_equal(x->place, y->place, (size_t)in.L * sizeof *x->place);
                assert_true(x->value == y->value || (isnan(x->value) && isnan(y->value)));
                assert_true(x->latency == y->latency || (isnan(x->latency) && isnan(y->latency)));
                compared++;
                /* Not vacuous: the DP's pick in the mode asked is another. */
                if (x->kind == BASELINE_DP && x->place && m != MODE_RESIDENT) {
                    int *p = malloc((size_t)in.L * sizeof *p);
                    assert_non_null(p);
                    if (isfinite(solve_dp_contiguous(&in, (nn_mode)m, p)))
                        moved += memcmp(p, x->place, (size_t)in.L * sizeof *p) != 0;
                    free(p);
                }
            }
            baselines_free(&b);
        }
        baselines_free(&want);
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("throughput: %d baselines the same in every mode, %d DP picks the mode "
                  "asked would move\n",
                  compared, moved);
    assert_true(compared > 500 && moved > 0);
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
        cmocka_unit_test(test_pins),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_time_limit_stops_the_list),
        cmocka_unit_test(test_infeasible_why),
        cmocka_unit_test(test_random_pins_brute_force),
        cmocka_unit_test(test_objectives_scored),
        cmocka_unit_test(test_throughput_ignores_mode),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
