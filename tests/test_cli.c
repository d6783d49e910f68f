/* The command line's building blocks: the JSON writer (escaping, numbers
 * that read back bit for bit, layout), text tables, and --place parsing
 * with its run-length form. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "helpers_io.h"
#include "json.h"
#include "scenario_fixture.h"
#include "table.h"

static void test_json_escapes_every_special_character(void **state)
{
    (void)state;
    capture c;
    capture_open(&c);
    json_write_escaped(c.f, "quote\" back\\ nl\n tab\t cr\r bs\b ff\f ctl\x01\x1f del\x7f");
    assert_string_equal(capture_close(&c), "\"quote\\\" back\\\\ nl\\n tab\\t cr\\r bs\\b ff\\f "
                                           "ctl\\u0001\\u001f del\\u007f\"");
    free(c.text);

    capture_open(&c);
    json_write_escaped(c.f, "phone\xC3\x97"
                            "3 / caf\xC3\xA9");
    assert_string_equal(capture_close(&c), "\"phone\xC3\x97"
                                           "3 / caf\xC3\xA9\"");
    free(c.text);

    /* C1 controls and bidirectional overrides as \u escapes (a JSON reader
     * gets the same characters; a terminal sees nothing it acts on), and
     * each byte of invalid UTF-8 (stray, overlong, surrogate, cut) as
     * U+FFFD: the output is valid JSON and pure ASCII here. */
    capture_open(&c);
    json_write_escaped(c.f, "c1\xC2\x9B rlo\xE2\x80\xAE lri\xE2\x81\xA6 bad\xFF\xFE over\xC0\xAF "
                            "sur\xED\xA0\x80 cut\xF0\x9F\x98");
    assert_string_equal(capture_close(&c),
                        "\"c1\\u009b rlo\\u202e lri\\u2066 bad\\ufffd\\ufffd over\\ufffd\\ufffd "
                        "sur\\ufffd\\ufffd\\ufffd cut\\ufffd\\ufffd\\ufffd\"");
    free(c.text);

    capture_open(&c);
    json_write_escaped(c.f, NULL);
    assert_string_equal(capture_close(&c), "\"\"");
    free(c.text);
}

static void test_json_numbers_read_back_exactly(void **state)
{
    (void)state;
    const double values[] = {
        0.1, 0.712, 1.0 / 3.0, 6.02214076e23, 5e-324, 1.7976931348623157e308, -2.5, 61100840};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        capture c;
        capture_open(&c);
        json_writer w;
        json_init(&w, c.f);
        json_number(&w, values[i]);
        const char *text = capture_close(&c);
        assert_true(strtod(text, NULL) == values[i]);
        free(c.text);
    }
}

static void test_json_non_finite_is_null(void **state)
{
    (void)state;
    capture c;
    capture_open(&c);
    json_writer w;
    json_init(&w, c.f);
    json_array_begin_inline(&w);
    json_number(&w, INFINITY);
    json_number(&w, -INFINITY);
    json_number(&w, NAN);
    json_number(&w, -0.0);
    json_array_end(&w);
    assert_string_equal(capture_close(&c), "[null, null, null, 0]");
    free(c.text);
}

static void test_json_layout(void **state)
{
    (void)state;
    capture c;
    capture_open(&c);
    json_writer w;
    json_init(&w, c.f);
    json_object_begin(&w);
    json_kv_string(&w, "name", "a\"b");
    json_key(&w, "shape");
    json_array_begin_inline(&w);
    json_int(&w, 3);
    json_int(&w, 224);
    json_array_end(&w);
    json_key(&w, "empty");
    json_array_begin(&w);
    json_array_end(&w);
    json_key(&w, "rows");
    json_array_begin(&w);
    json_object_begin_inline(&w);
    json_kv_bool(&w, "ok", true);
    json_key(&w, "none");
    json_null(&w);
    json_object_end(&w);
    json_object_begin(&w);
    json_object_end(&w);
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
    assert_string_equal(capture_close(&c), "{\n"
                                           "  \"name\": \"a\\\"b\",\n"
                                           "  \"shape\": [3, 224],\n"
                                           "  \"empty\": [],\n"
                                           "  \"rows\": [\n"
                                           "    {\"ok\": true, \"none\": null},\n"
                                           "    {}\n"
                                           "  ]\n"
                                           "}\n");
    free(c.text);
}

static void test_table_aligns_by_characters(void **state)
{
    (void)state;
    cli_table t;
    table_init(&t, "name", ">time", "note", NULL);
    table_cell(&t, "phone\xC3\x97"
                   "2");
    table_cell(&t, "%d ms", 5);
    table_cell(&t, "%s", "");
    table_rule(&t);
    table_cell(&t, "total");
    table_cell(&t, "%s", "12 ms");
    table_cell(&t, "x");
    capture c;
    capture_open(&c);
    table_print(&t, c.f, 1);
    table_free(&t);
    assert_string_equal(capture_close(&c), " name      time  note\n"
                                           " -------  -----  ----\n"
                                           " phone\xC3\x97"
                                           "2   5 ms\n"
                                           " -------  -----  ----\n"
                                           " total    12 ms  x\n");
    free(c.text);
    assert_int_equal(text_width("phone\xC3\x97"
                                "2"),
                     7);
}

static void test_place_parse_forms(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s); /* devices edge, cloud; layers L1..L3 */
    int place[3];
    char why[512];
    const struct {
        const char *text;
        int want[3];
    } good[] = {
        {"edge,cloud,cloud", {0, 1, 1}},
        {"cloud", {1, 1, 1}},
        {"edge*2,cloud", {0, 0, 1}},
        {"edge\xC3\x97"
         "1 cloud\xC3\x97"
         "2",
         {0, 1, 1}},
        {" edge , edge ,cloud", {0, 0, 1}},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        memset(place, -1, sizeof place);
        if (!cli_place_parse(&s, good[i].text, place, why, sizeof why))
            fail_msg("'%s' rejected: %s", good[i].text, why);
        assert_memory_equal(place, good[i].want, sizeof place);
    }
    const struct {
        const char *text, *reason;
    } bad[] = {
        {"edge,cloud", "gives 2 devices but the network"},
        {"edge,cloud,cloud,edge", "gives 4 devices"},
        {"edge,moon,cloud", "no device named 'moon' (devices: edge, cloud)"},
        {"cloud*2", "gives 2 devices"},
        {"cloud*0,edge*3", "no device named 'cloud*0'"},
        {"", "gives 0 devices"},
        {"edge*99999999999999",
         "the count in 'edge*99999999999999' is more than the network 'worked' has layers (3)"},
        {"edge*2,cloud*99999999999999999999", "the count in 'cloud*99999999999999999999' is"},
        {"edge*2,cloud*40", "gives 42 devices but the network 'worked' has 3 layers"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(cli_place_parse(&s, bad[i].text, place, why, sizeof why));
        if (!strstr(why, bad[i].reason)) fail_msg("'%s': got '%s'", bad[i].text, why);
    }
    scenario_free(&s);
}

static void test_place_compact_round_trips(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    char names[2][NN_NAME_LEN] = {"edge", "cloud"};
    const int places[][3] = {{0, 1, 1}, {1, 1, 1}, {0, 1, 0}};
    const char *ascii[] = {"edge*1 cloud*2", "cloud*3", "edge*1 cloud*1 edge*1"};
    for (size_t i = 0; i < 3; i++) {
        for (int unicode = 0; unicode < 2; unicode++) {
            char buf[128], why[256];
            int back[3];
            cli_place_compact(names, places[i], 3, unicode, buf, sizeof buf);
            if (!unicode) assert_string_equal(buf, ascii[i]);
            assert_true(cli_place_parse(&s, buf, back, why, sizeof why));
            assert_memory_equal(back, places[i], sizeof back);
        }
    }
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escapes_every_special_character),
        cmocka_unit_test(test_json_numbers_read_back_exactly),
        cmocka_unit_test(test_json_non_finite_is_null),
        cmocka_unit_test(test_json_layout),
        cmocka_unit_test(test_table_aligns_by_characters),
        cmocka_unit_test(test_place_parse_forms),
        cmocka_unit_test(test_place_compact_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
