/* The accepted ranges and sizes of model/ranges.h, and the field table that
 * judges devices and links by them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "field.h"
#include "ranges.h"
#include "scenario_fixture.h"

static void test_range_text(void **state)
{
    (void)state;
    char buf[128];
    ranges_range_text(RANGE_SPEED, buf, sizeof buf);
    assert_string_equal(buf, "from 1 kFLOP/s to 1000 PFLOP/s");
    ranges_range_text(RANGE_BANDWIDTH, buf, sizeof buf);
    assert_string_equal(buf, "from 100 bit/s to 100 Tbit/s, or 0");
    ranges_range_text(RANGE_LATENCY, buf, sizeof buf);
    assert_string_equal(buf, "from 0 s to 1000 s");
}

static void test_check_and_clamp(void **state)
{
    (void)state;
    char why[160];
    assert_true(ranges_check(RANGE_SPEED, "speed", 1e3, why, sizeof why));
    assert_true(ranges_check(RANGE_SPEED, "speed", 1e18, why, sizeof why));
    assert_false(ranges_check(RANGE_SPEED, "speed", 5e-324, why, sizeof why));
    assert_string_equal(why, "speed must be from 1 kFLOP/s to 1000 PFLOP/s, got 4.94e-324 FLOP/s");
    assert_false(ranges_check(RANGE_SPEED, "speed", INFINITY, why, sizeof why));
    assert_false(ranges_check(RANGE_SPEED, "speed", NAN, why, sizeof why));
    assert_true(ranges_check(RANGE_BANDWIDTH, "bandwidth", 0, why, sizeof why));
    assert_false(ranges_check(RANGE_BANDWIDTH, "bandwidth", 1, why, sizeof why));
    assert_string_equal(why, "bandwidth must be from 100 bit/s to 100 Tbit/s, or 0, got 1 bit/s");
    assert_true(ranges_clamp(RANGE_SPEED, 1) == 1e3);
    assert_true(ranges_clamp(RANGE_SPEED, 1e300) == 1e18);
    assert_true(ranges_clamp(RANGE_SPEED, 2e9) == 2e9);
    assert_true(ranges_clamp(RANGE_BANDWIDTH, 0) == 0);
    assert_true(ranges_clamp(RANGE_BANDWIDTH, 3) == 100);
}

/* Every field of the table is judged by its range, the same way as typed. */
static void test_fields_use_the_ranges(void **state)
{
    (void)state;
    char why[256];
    double v;
    for (int id = 0; id < FIELD_COUNT; id++) {
        const nn_field_desc *f = field_desc((nn_field_id)id);
        const nn_range *r = ranges_range(f->range);
        assert_int_equal(r->unit, f->unit);
        assert_true(field_check((nn_field_id)id, r->max, why, sizeof why));
        assert_false(field_check((nn_field_id)id, r->max * 1.5, why, sizeof why));
        assert_non_null(strstr(why, f->key));
        assert_non_null(strstr(why, "must be from"));
        if (r->min > 0) assert_false(field_check((nn_field_id)id, r->min / 2, why, sizeof why));
    }
    assert_false(field_parse_value(FIELD_LATENCY, "1e290 s", &v, why, sizeof why));
    assert_string_equal(why, "latency must be from 0 s to 1000 s, got 1e+290 s");
    assert_true(field_parse_value(FIELD_LATENCY, "1000 s", &v, why, sizeof why));
    assert_true(v == 1000);
}

static void test_sizes(void **state)
{
    (void)state;
    char why[320];
    /* What any solve accepts (the label engine alone past the ILP's size). */
    assert_true(ranges_check_size(4096, 16, why, sizeof why));
    assert_true(ranges_check_size(1024, 32, why, sizeof why));
    assert_false(ranges_check_size(1025, 32, why, sizeof why));
    assert_false(ranges_check_size(4096, 32, why, sizeof why));
    assert_string_equal(why, "4096 layers on 32 devices is too large to solve in bounded time and "
                             "memory; accepted: layers x devices x devices at most 1048576 (e.g. "
                             "1024 layers on 32 devices, 4096 on 16, 4096 on 4)");
    assert_false(ranges_check_size(NN_MAX_LAYERS + 1, 1, why, sizeof why));
    assert_false(ranges_check_size(1, NN_MAX_DEVICES + 1, why, sizeof why));
    /* What the ILP accepts: today's message. */
    assert_true(ranges_check_ilp_size(4096, 4, why, sizeof why));
    assert_true(ranges_check_ilp_size(64, 32, why, sizeof why));
    assert_true(ranges_check_ilp_size(256, 16, why, sizeof why));
    assert_false(ranges_check_ilp_size(65, 32, why, sizeof why));
    assert_string_equal(why, "65 layers on 32 devices is too large to solve in bounded time and "
                             "memory; accepted: layers x devices x devices at most 65536 (e.g. "
                             "64 layers on 32 devices, 256 on 16, 4096 on 4)");
    assert_false(ranges_check_ilp_size(4096, 5, why, sizeof why));
}

/* The explorer adds devices one at a time: past the size limit it is refused. */
static void test_add_device_keeps_the_size(void **state)
{
    (void)state;
    nn_scenario s;
    scenario_init(&s);
    nn_network net = {0};
    char name[16];
    for (int i = 0; i < 4096; i++) {
        snprintf(name, sizeof name, "L%d", i);
        fixture_layer(&net, name, 1e6, 1e3, 1e3);
    }
    for (int d = 0; d < 16; d++) {
        snprintf(name, sizeof name, "d%d", d);
        assert_true(fixture_device(&s, name, 1e9, 1e9, 1e9) >= 0);
    }
    assert_int_equal(fixture_finish(&s, &net, 1000), 0);
    nn_device extra = {.name = "d16", .speed = 1e9, .memory = 1e9, .load_rate = 1e9};
    assert_int_equal(scenario_add_device(&s, &extra), -1);
    assert_int_equal(s.ndevices, 16);
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_text),
        cmocka_unit_test(test_check_and_clamp),
        cmocka_unit_test(test_fields_use_the_ranges),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_add_device_keeps_the_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
