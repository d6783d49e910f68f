/* Undo and redo over whole-scenario snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
#include "scenario_fixture.h"

/* Sets the edge's speed, recording the state before it. */
static void edit_speed(history *h, nn_scenario *s, double speed, const char *what)
{
    nn_scenario before;
    assert_int_equal(scenario_copy(&before, s), 0);
    s->devices[0].speed = speed;
    assert_int_equal(history_push(h, &before, what), 0);
    assert_int_equal(before.ndevices, 0); /* taken over */
}

static void test_undo_redo_order(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    history h;
    assert_int_equal(history_init(&h, 10), 0);
    char what[256];
    assert_false(history_undo(&h, &s, what, sizeof what));
    assert_false(history_redo(&h, &s, what, sizeof what));

    edit_speed(&h, &s, 2e9, "speed 2");
    edit_speed(&h, &s, 3e9, "speed 3");
    assert_true(history_undo(&h, &s, what, sizeof what));
    assert_string_equal(what, "speed 3");
    assert_true(s.devices[0].speed == 2e9);
    assert_true(history_undo(&h, &s, what, sizeof what));
    assert_string_equal(what, "speed 2");
    assert_true(s.devices[0].speed == 1e9);
    assert_false(history_undo(&h, &s, NULL, 0));

    assert_true(history_redo(&h, &s, what, sizeof what));
    assert_string_equal(what, "speed 2");
    assert_true(s.devices[0].speed == 2e9);
    /* A new edit forgets what could be redone. */
    edit_speed(&h, &s, 5e9, "speed 5");
    assert_false(history_redo(&h, &s, what, sizeof what));
    assert_true(history_undo(&h, &s, what, sizeof what));
    assert_true(s.devices[0].speed == 2e9);
    assert_true(history_redo(&h, &s, what, sizeof what));
    assert_true(s.devices[0].speed == 5e9);
    history_free(&h);
    scenario_free(&s);
}

/* Structural edits come back too: a removed device with its link and pins. */
static void test_structural_undo(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.pin[2] = 1;
    history h;
    assert_int_equal(history_init(&h, 4), 0);
    nn_scenario before;
    assert_int_equal(scenario_copy(&before, &s), 0);
    assert_int_equal(scenario_remove_device(&s, 1), 0);
    history_push(&h, &before, "deleted cloud");
    assert_int_equal(s.ndevices, 1);
    assert_int_equal(s.nlinks, 0);
    assert_int_equal(s.pin[2], -1);
    assert_true(history_undo(&h, &s, NULL, 0));
    assert_int_equal(s.ndevices, 2);
    assert_int_equal(s.nlinks, 1);
    assert_int_equal(s.pin[2], 1);
    assert_string_equal(s.devices[1].name, "cloud");
    history_free(&h);
    scenario_free(&s);
}

/* Beyond the depth the oldest snapshots go; the newest stay in order. */
static void test_depth_limit(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    history h;
    assert_int_equal(history_init(&h, 3), 0);
    for (int i = 2; i <= 6; i++)
        edit_speed(&h, &s, i * 1e9, "step");
    assert_int_equal(h.nundo, 3);
    int undone = 0;
    while (history_undo(&h, &s, NULL, 0))
        undone++;
    assert_int_equal(undone, 3);
    assert_true(s.devices[0].speed == 3e9); /* 1 and 2 GFLOP/s were forgotten */
    assert_int_equal(h.nredo, 3);
    history_free(&h);
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_undo_redo_order),
        cmocka_unit_test(test_structural_undo),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
