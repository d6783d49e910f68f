/* The roofline compute model: with memory_bandwidth a layer takes at least
 * (weights + input + output) / memory_bandwidth; without it, flops / speed;
 * a profile wins over both. The evaluator and the ILP see the same constants
 * (instance_build), so the solver's optimum equals brute force. Also the
 * field's loader, saver, sweep reference and TOPS units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "explorer.h"
#include "field.h"
#include "helpers_random.h"
#include "instance.h"
#include "presets.h"
#include "scenario_io.h"
#include "solve.h"
#include "units.h"

/* One device, three raw layers: one compute-bound, one memory-bound, one
 * profiled. */
static void roofline_scenario(nn_scenario *s, double bw)
{
    scenario_init(s);
    fixture_device(s, "npu", 1e12, 1e9, 1e9);
    s->devices[0].memory_bandwidth = bw;
    nn_network net = {0};
    fixture_layer(&net, "conv", 2e10, 1e6, 1e6);  /* 20 ms of compute, 3 MB touched */
    fixture_layer(&net, "fc", 2e7, 400e6, 4e3);   /* 20 us of compute, 401 MB touched */
    fixture_layer(&net, "head", 2e7, 400e6, 4e3); /* memory-bound, but profiled */
    assert_int_equal(layer_add_profile(&net.layers[2], "npu", 1e-3), 0);
    assert_int_equal(fixture_finish(s, &net, 1e6), 0);
}

static void test_compute_time_is_the_roofline(void **state)
{
    (void)state;
    nn_scenario s;
    nn_instance in;
    roofline_scenario(&s, 0);
    assert_int_equal(instance_build(&s, &in), 0);
    assert_true(in.comp[0] == 2e10 / 1e12); /* absent: flops / speed, as before */
    assert_true(in.comp[1] == 2e7 / 1e12);
    assert_true(in.comp[2] == 1e-3);
    instance_free(&in);
    scenario_free(&s);

    roofline_scenario(&s, 10e9);
    assert_int_equal(instance_build(&s, &in), 0);
    assert_true(in.comp[0] == 2e10 / 1e12);                /* 3 MB / 10 GB/s = 0.3 ms < 20 ms */
    assert_true(in.comp[1] == (400e6 + 1e6 + 4e3) / 10e9); /* input is conv's 1 MB output */
    assert_true(in.comp[2] == 1e-3);                       /* the measurement stands */
    nn_eval ev;
    int place[3] = {0, 0, 0};
    assert_int_equal(eval_run(&in, place, MODE_RESIDENT, &ev), 0);
    assert_true(rel_close(ev.latency, 2e-2 + 401.004e6 / 10e9 + 1e-3, 1e-12));
    eval_free(&ev);
    instance_free(&in);
    scenario_free(&s);
}

/* Random instances with a memory bandwidth on some devices: the ILP's
 * optimum is brute force's, in every mode. */
static void test_ilp_agrees_with_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 7, .max_devices = 3, .max_placements = 2187};
    int bound = 0, cases = 0;
    for (uint64_t seed = 1; seed <= 120; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed + 5000, &spec), 0);
        rng r = {.s = seed};
        for (int d = 0; d < s.ndevices; d++)
            if (rng_chance(&r, 0.7)) s.devices[d].memory_bandwidth = rng_log(&r, 1e8, 1e11);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        for (int l = 0; l < in.L; l++)
            for (int d = 0; d < in.D; d++)
                bound += s.devices[d].memory_bandwidth > 0 &&
                         in.comp[(size_t)l * in.D + d] > s.net.layers[l].flops / s.devices[d].speed;
        for (int m = 0; m < MODE_COUNT; m++) {
            double want = brute_force(&in, (nn_mode)m, false, NULL);
            nn_solve_options opt = {.mode = (nn_mode)m};
            nn_solve_result res;
            assert_int_equal(solve_ilp(&in, &opt, &res), 0);
            if (isinf(want)) {
                assert_int_equal(res.status, SOLVE_INFEASIBLE);
            } else {
                if (res.status != SOLVE_OPTIMAL || !rel_close(res.latency, want, 1e-9))
                    fail_msg("seed %llu mode %s: %.17g, brute force %.17g",
                             (unsigned long long)seed, mode_name((nn_mode)m), res.latency, want);
                assert_true(rel_close(eval_latency(&in, res.place, (nn_mode)m), want, 1e-9));
                cases++;
            }
            solve_result_free(&res);
        }
        instance_free(&in);
        scenario_free(&s);
    }
    print_message("roofline: %d feasible cases against brute force, %d memory-bound pairs\n", cases,
                  bound);
    assert_true(cases > 100);
    assert_true(bound > 50); /* the roofline is exercised, not only present */
}

static const char YAML[] = "network:\n"
                           "  input: 1 MB\n"
                           "  layers:\n"
                           "    - {name: a, flops: 1 GFLOP, weights: 1 MB, output: 1 MB}\n"
                           "devices:\n"
                           "  - {name: npu, speed: 4 TOPS, memory: 1 GB, load_rate: 1 GB/s,"
                           " memory_bandwidth: 25.6 GB/s}\n"
                           "  - {name: cam, preset: smart-camera}\n"
                           "  - {name: pi, speed: 2 TOPS/s, memory: 1 GB, load_rate: 1 GB/s}\n";

static void test_load_save_sweep(void **state)
{
    (void)state;
    nn_scenario s, back;
    nn_error err;
    assert_int_equal(scenario_load_string(YAML, strlen(YAML), "r.yaml", &s, &err), 0);
    assert_true(s.devices[0].speed == 4e12);
    assert_true(s.devices[0].memory_bandwidth == 25.6e9);
    assert_true(s.devices[1].memory_bandwidth ==
                presets_device_find("smart-camera")->memory_bandwidth);
    assert_true(s.devices[2].speed == 2e12);
    assert_true(s.devices[2].memory_bandwidth == 0);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(scenario_write(&s, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "    memory_bandwidth: 25.6 GB/s\n"));
    assert_int_equal(scenario_load_string(text, len, "saved.yaml", &back, &err), 0);
    char why[256];
    assert_true(scenario_equal(&s, &back, why, sizeof why));
    /* Absent stays absent: no key is invented for pi. */
    assert_null(strstr(strstr(text, "name: pi"), "memory_bandwidth"));
    free(text);
    scenario_free(&back);

    nn_field_ref ref;
    assert_true(field_ref_parse(&s, "device:pi.memory_bandwidth", &ref, why, sizeof why));
    assert_int_equal(ref.id, FIELD_MEMORY_BANDWIDTH);
    assert_true(field_set(&s, &ref, 8e9, why, sizeof why));
    assert_true(field_get(&s, &ref) == 8e9);
    assert_false(field_set(&s, &ref, 0, why, sizeof why));
    assert_string_equal(why, "memory_bandwidth must be from 1 kB/s to 1000 TB/s, got 0 B/s");
    assert_false(field_ref_parse(&s, "device:pi.bw", &ref, why, sizeof why));
    assert_string_equal(why, "'device:pi.bw': a device has no field 'bw' (speed, memory, "
                             "load_rate, memory_bandwidth, power, idle_power, load_power)");
    scenario_free(&s);
}

static void test_bad_memory_bandwidth(void **state)
{
    (void)state;
    static const struct {
        const char *value, *message;
    } cases[] = {
        {"0 GB/s", "b.yaml:6:83: devices[0].memory_bandwidth: memory_bandwidth must be from "
                   "1 kB/s to 1000 TB/s, got 0 B/s"},
        {"10 Gbit/s", "b.yaml:6:83: devices[0].memory_bandwidth: '10 Gbit/s' is a bandwidth, "
                      "expected a byte rate such as '80 MB/s' (B/s, kB/s, MB/s, GB/s, TB/s, "
                      "KiB/s, MiB/s, GiB/s)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "network:\n  input: 1 MB\n  layers:\n"
                 "    - {name: a, flops: 1 GFLOP, weights: 1 MB, output: 1 MB}\n"
                 "devices:\n"
                 "  - {name: npu, speed: 4 TOPS, memory: 1 GB, load_rate: 1 GB/s, "
                 "memory_bandwidth: %s}\n",
                 cases[i].value);
        nn_scenario s;
        nn_error err;
        assert_int_equal(scenario_load_string(yaml, strlen(yaml), "b.yaml", &s, &err), -1);
        assert_string_equal(err.message, cases[i].message);
    }
    double v;
    char why[256];
    assert_true(units_parse("26 TOPS", UNIT_FLOP_RATE, &v, why, sizeof why));
    assert_true(v == 26e12);
    assert_true(units_parse("500 GOPS/s", UNIT_FLOP_RATE, &v, why, sizeof why));
    assert_true(v == 500e9);
}

/* The explorer edits it like speed: the devices pane's fourth value. */
static void test_explorer_column(void **state)
{
    (void)state;
    assert_int_equal(explorer_value_cols(PANE_DEVICES), 8); /* then the energy figures */
    assert_int_equal(explorer_col_field(PANE_DEVICES, 3), FIELD_MEMORY_BANDWIDTH);
    assert_int_equal(explorer_col_field(PANE_DEVICES, 0), FIELD_SPEED);
    assert_int_equal(explorer_col_field(PANE_LINKS, 2), FIELD_LATENCY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_time_is_the_roofline),
        cmocka_unit_test(test_ilp_agrees_with_brute_force),
        cmocka_unit_test(test_load_save_sweep),
        cmocka_unit_test(test_bad_memory_bandwidth),
        cmocka_unit_test(test_explorer_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
