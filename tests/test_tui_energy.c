/* The energy figures in the explorer (issue 12): device power, idle power,
 * load power and battery, a link's energy per bit; their entries in the
 * field table and ranges, the panes' columns, steps with clamping, typed
 * values with units and every refusal's message, the battery toggle, and a
 * save that changes only the edited value. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "explorer.h"
#include "explorer_internal.h"
#include "field.h"
#include "fileio.h"
#include "scenario_io.h"

/* As configs/battery-phone.yaml writes it, with its comments. */
static const char PHONE_YAML[] = "# A phone on battery.\n"
                                 "name: Battery phone\n"
                                 "network: resnet18\n"
                                 "objective: battery-energy\n"
                                 "source: phone\n"
                                 "sink: phone\n"
                                 "devices:\n"
                                 "  # the phone\n"
                                 "  - name: phone\n"
                                 "    preset: phone\n"
                                 "    power: 4 W    # while computing\n"
                                 "    idle_power: 600 mW\n"
                                 "    load_power: 1 W\n"
                                 "    battery: true\n"
                                 "  - name: hub\n"
                                 "    preset: jetson-orin\n"
                                 "links:\n"
                                 "  - between: [phone, hub]\n"
                                 "    preset: wifi\n"
                                 "    energy: 5 nJ/bit\n";

static void open_phone(explorer *ex, const char *path)
{
    nn_scenario s;
    nn_error err;
    assert_int_equal(scenario_load_string(PHONE_YAML, strlen(PHONE_YAML), "phone.yaml", &s, &err),
                     0);
    assert_int_equal(explorer_init(ex, &s, path), 0);
}

static void keys(explorer *ex, const char *text)
{
    for (const char *p = text; *p; p++)
        explorer_key(ex, (unsigned char)*p);
}

/* Moves by keys only; fails rather than loops when a key does not move. */
static void go_to(explorer *ex, ex_pane pane, int row, int col)
{
    for (int i = 0; ex->pane != pane; i++) {
        assert_true(i < PANE_COUNT);
        explorer_key(ex, EXK_TAB);
    }
    for (int i = 0; ex->row[pane] != row; i++) {
        assert_true(i < 100);
        explorer_key(ex, ex->row[pane] > row ? 'k' : 'j');
    }
    for (int i = 0; ex->col[pane] != col; i++) {
        assert_true(i < 20);
        explorer_key(ex, ex->col[pane] > col ? 'h' : 'l');
    }
}

/* Types `text` into the value prompt and presses Enter. */
static void type_value(explorer *ex, const char *text)
{
    explorer_key(ex, EXK_ENTER);
    assert_int_equal(ex->modal, MODAL_INPUT);
    explorer_key(ex, EXK_CTRL('u'));
    keys(ex, text);
    explorer_key(ex, EXK_ENTER);
}

static void test_field_table(void **state)
{
    (void)state;
    static const struct {
        nn_field_owner owner;
        const char *key;
        nn_field_id id;
        unit_kind unit;
        const char *range;
    } want[] = {
        {FIELD_DEVICE, "power", FIELD_POWER, UNIT_POWER, "from 0 W to 1000 kW"},
        {FIELD_DEVICE, "idle_power", FIELD_IDLE_POWER, UNIT_POWER, "from 0 W to 1000 kW"},
        {FIELD_DEVICE, "load_power", FIELD_LOAD_POWER, UNIT_POWER, "from 0 W to 1000 kW"},
        {FIELD_LINK, "energy", FIELD_ENERGY, UNIT_ENERGY_PER_BIT, "from 0 J/bit to 1 mJ/bit"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const nn_field_desc *f = field_find(want[i].owner, want[i].key);
        assert_non_null(f);
        assert_int_equal(f->id, want[i].id);
        assert_int_equal(f->unit, want[i].unit);
        char text[96];
        ranges_range_text(f->range, text, sizeof text);
        assert_string_equal(text, want[i].range);
    }
    /* A power is not a link's, an energy per bit not a device's. */
    assert_null(field_find(FIELD_LINK, "power"));
    assert_null(field_find(FIELD_DEVICE, "energy"));

    double v;
    char why[256];
    assert_true(field_parse_value(FIELD_ENERGY, "100 nJ/bit", &v, why, sizeof why));
    assert_true(fabs(v - 100e-9) < 1e-20);
    assert_true(field_parse_value(FIELD_POWER, "750 mW", &v, why, sizeof why));
    assert_true(v == 0.75);
    assert_false(field_parse_value(FIELD_POWER, "2000 kW", &v, why, sizeof why));
    assert_string_equal(why, "power must be from 0 W to 1000 kW, got 2000 kW");
    assert_false(field_parse_value(FIELD_ENERGY, "2 mJ/bit", &v, why, sizeof why));
    assert_string_equal(why, "energy must be from 0 J/bit to 1 mJ/bit, got 2 mJ/bit");

    explorer ex;
    open_phone(&ex, NULL);
    nn_field_ref ref;
    assert_true(field_ref_parse(&ex.doc, "device:phone.idle_power", &ref, why, sizeof why));
    assert_int_equal(ref.id, FIELD_IDLE_POWER);
    assert_true(field_get(&ex.doc, &ref) == 0.6);
    assert_true(field_ref_parse(&ex.doc, "link:hub-phone.energy", &ref, why, sizeof why));
    assert_int_equal(ref.id, FIELD_ENERGY);
    assert_true(fabs(field_get(&ex.doc, &ref) - 5e-9) < 1e-20);
    explorer_free(&ex);
}

static void test_columns(void **state)
{
    (void)state;
    assert_int_equal(explorer_value_cols(PANE_DEVICES), 8);
    assert_int_equal(explorer_value_cols(PANE_LINKS), 4);
    static const nn_field_id devices[] = {
        FIELD_SPEED, FIELD_MEMORY,     FIELD_LOAD_RATE,  FIELD_MEMORY_BANDWIDTH,
        FIELD_POWER, FIELD_IDLE_POWER, FIELD_LOAD_POWER, EX_COL_BATTERY};
    for (int c = 0; c < 8; c++)
        assert_int_equal(explorer_col_field(PANE_DEVICES, c), devices[c]);
    assert_int_equal(explorer_col_field(PANE_LINKS, 3), FIELD_ENERGY);
    assert_int_equal(explorer_col_field(PANE_LINKS, 9), FIELD_ENERGY); /* clamped */

    explorer ex;
    open_phone(&ex, NULL);
    /* All on show: l walks every value column, then stays. */
    go_to(&ex, PANE_DEVICES, 0, 0);
    keys(&ex, "lllllllll");
    assert_int_equal(ex.col[PANE_DEVICES], 7);
    nn_field_ref ref;
    assert_false(explorer_selected_field(&ex, &ref)); /* a flag, not a number */
    assert_int_equal(explorer_selected_battery(&ex), 0);
    /* The screen left out mem bw and idle: h and l step over them. */
    ex.cols_visible[PANE_DEVICES] = 0xffu & ~(1u << 3) & ~(1u << 5);
    keys(&ex, "h");
    assert_int_equal(ex.col[PANE_DEVICES], 6);
    keys(&ex, "h");
    assert_int_equal(ex.col[PANE_DEVICES], 4);
    keys(&ex, "h");
    assert_int_equal(ex.col[PANE_DEVICES], 2);
    keys(&ex, "l");
    assert_int_equal(ex.col[PANE_DEVICES], 4);
    assert_true(explorer_col_visible(&ex, PANE_DEVICES, 4));
    assert_false(explorer_col_visible(&ex, PANE_DEVICES, 3));
    /* A selected column that leaves the screen moves to the nearest one on show. */
    ex.cols_visible[PANE_DEVICES] = 0xffu & ~(1u << 4);
    ex_clamp(&ex);
    assert_int_equal(ex.col[PANE_DEVICES], 3);
    /* Only the first three: the selection comes back within them. */
    ex.cols_visible[PANE_DEVICES] = 0x7u;
    keys(&ex, "l");
    assert_int_equal(ex.col[PANE_DEVICES], 2);
    explorer_free(&ex);
}

static void test_steps_and_clamping(void **state)
{
    (void)state;
    explorer ex;
    open_phone(&ex, NULL);
    go_to(&ex, PANE_DEVICES, 0, 4);
    unsigned eff = explorer_key(&ex, '+');
    assert_true(eff & EFFECT_RESOLVE);
    assert_true(ex.doc.devices[0].power == 8);
    assert_string_equal(ex.msg, "device:phone.power: 4 W -> 8 W");
    keys(&ex, "-");
    assert_true(ex.doc.devices[0].power == 4);
    go_to(&ex, PANE_DEVICES, 0, 5);
    keys(&ex, "-");
    assert_string_equal(ex.msg, "device:phone.idle_power: 600 mW -> 300 mW");
    go_to(&ex, PANE_DEVICES, 0, 6);
    type_value(&ex, "800 kW");
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_true(ex.doc.devices[0].load_power == 800e3);
    explorer_key(&ex, '+');
    assert_true(ex.doc.devices[0].load_power == 1e6);
    assert_string_equal(ex.msg, "device:phone.load_power: 800 kW -> 1000 kW (clamped to the top "
                                "of its range, from 0 W to 1000 kW)");
    explorer_key(&ex, '+');
    assert_true(ex.doc.devices[0].load_power == 1e6);
    assert_true(ex.msg_error);
    assert_string_equal(ex.msg, "load_power is at the top of its range (from 0 W to 1000 kW)");
    /* Not given (0): no step changes it. */
    go_to(&ex, PANE_DEVICES, 1, 4);
    assert_true(ex.doc.devices[1].power == 0);
    explorer_key(&ex, '+');
    assert_true(ex.msg_error);
    assert_string_equal(ex.msg,
                        "power is 0 (not given), which no step changes: press Enter to type one");
    type_value(&ex, "40 W");
    assert_true(ex.doc.devices[1].power == 40);
    /* The link's energy per bit, shown and stepped in nJ/bit. */
    go_to(&ex, PANE_LINKS, 0, 3);
    explorer_key(&ex, '+');
    assert_true(fabs(ex.doc.links[0].energy - 10e-9) < 1e-20);
    assert_string_equal(ex.msg, "link:phone-hub.energy: 5 nJ/bit -> 10 nJ/bit");
    type_value(&ex, "0.9 mJ/bit");
    explorer_key(&ex, '+');
    assert_string_equal(ex.msg, "link:phone-hub.energy: 900 uJ/bit -> 1 mJ/bit (clamped to the "
                                "top of its range, from 0 J/bit to 1 mJ/bit)");
    /* Undo walks back through them. */
    keys(&ex, "u");
    assert_true(fabs(ex.doc.links[0].energy - 0.9e-3) < 1e-15);
    explorer_free(&ex);
}

static void test_typed_refusals(void **state)
{
    (void)state;
    static const struct {
        ex_pane pane;
        int col;
        const char *text, *message;
    } bad[] = {
        {PANE_DEVICES, 4, "3 parsecs",
         "refused: unknown unit 'parsecs' in '3 parsecs', expected a power such as '3 W' (W, mW, "
         "uW, kW)"},
        {PANE_DEVICES, 4, "2 MW",
         "refused: unknown unit 'MW' in '2 MW' (did you mean 'mW'?), expected a power such as "
         "'3 W' (W, mW, uW, kW)"},
        {PANE_DEVICES, 5, "-1 W",
         "refused: '-1 W' is negative, expected a power such as '3 W' (W, mW, uW, kW)"},
        {PANE_DEVICES, 6, "2000 kW",
         "refused: load_power must be from 0 W to 1000 kW, got 2000 kW"},
        {PANE_DEVICES, 5, "", "refused: type a value with its unit, or Esc to cancel"},
        {PANE_LINKS, 3, "1 J/bit", "refused: energy must be from 0 J/bit to 1 mJ/bit, got 1 J/bit"},
        {PANE_LINKS, 3, "5 nJ",
         "refused: '5 nJ' is a quantity of energy, expected a per-bit energy such as '100 nJ/bit' "
         "(J/bit, mJ/bit, uJ/bit, nJ/bit, pJ/bit)"},
    };
    explorer ex;
    open_phone(&ex, NULL);
    nn_scenario before;
    assert_int_equal(scenario_copy(&before, &ex.doc), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        go_to(&ex, bad[i].pane, 0, bad[i].col);
        type_value(&ex, bad[i].text);
        /* The prompt stays, with the reason; nothing changed. */
        assert_int_equal(ex.modal, MODAL_INPUT);
        assert_string_equal(ex.input_error, bad[i].message);
        assert_true(scenario_equal(&ex.doc, &before, NULL, 0));
        explorer_key(&ex, EXK_ESC);
        assert_int_equal(ex.modal, MODAL_NONE);
    }
    scenario_free(&before);
    explorer_free(&ex);
}

static void test_battery_toggle(void **state)
{
    (void)state;
    explorer ex;
    open_phone(&ex, NULL);
    go_to(&ex, PANE_DEVICES, 1, 7);
    unsigned eff = explorer_key(&ex, '+');
    assert_true(eff & EFFECT_RESOLVE);
    assert_true(ex.doc.devices[1].battery);
    assert_string_equal(ex.msg, "device:hub.battery: false -> true");
    explorer_key(&ex, EXK_ENTER);
    assert_false(ex.doc.devices[1].battery);
    assert_int_equal(ex.modal, MODAL_NONE);
    explorer_key(&ex, '-');
    assert_true(ex.doc.devices[1].battery);
    keys(&ex, "u");
    assert_false(ex.doc.devices[1].battery);
    /* Under another objective it says where it counts. */
    keys(&ex, "O");
    assert_int_equal(ex.doc.objective, OBJ_THROUGHPUT);
    go_to(&ex, PANE_DEVICES, 0, 7);
    explorer_key(&ex, '+');
    assert_false(ex.doc.devices[0].battery);
    assert_string_equal(ex.msg, "device:phone.battery: true -> false (counts under the "
                                "battery-energy objective; O switches)");
    explorer_free(&ex);
}

/* A save changes the edited value and nothing else of the file. */
static void test_save_keeps_the_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/nnpart-energy-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/phone.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(PHONE_YAML, f);
    fclose(f);
    explorer ex;
    nn_scenario s;
    nn_error err;
    assert_int_equal(scenario_load_file(path, &s, &err), 0);
    assert_int_equal(explorer_init(&ex, &s, path), 0);
    go_to(&ex, PANE_DEVICES, 0, 4);
    keys(&ex, "+");
    go_to(&ex, PANE_LINKS, 0, 3);
    type_value(&ex, "20 nJ/bit");
    keys(&ex, "s");
    assert_false(explorer_unsaved(&ex));
    char *text;
    size_t len;
    assert_int_equal(fileio_read(path, 1 << 20, &text, &len, NULL), 0);
    char want[sizeof PHONE_YAML + 16];
    str_copy(want, sizeof want, PHONE_YAML);
    char *p = strstr(want, "power: 4 W");
    memcpy(p, "power: 8 W", 10);
    p = strstr(want, "energy: 5 nJ/bit");
    snprintf(p, sizeof want - (size_t)(p - want), "energy: 20 nJ/bit\n");
    assert_string_equal(text, want);
    free(text);
    explorer_free(&ex);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_table),        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_steps_and_clamping), cmocka_unit_test(test_typed_refusals),
        cmocka_unit_test(test_battery_toggle),     cmocka_unit_test(test_save_keeps_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
