/* The explorer's state machine driven by keys, without a terminal: every kind
 * of edit, validation in place, undo/redo, save and reload, quitting. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "explorer.h"
#include "presets.h"
#include "scenario_fixture.h"
#include "helpers_io.h"
#include "scenario_io.h"

static void open_worked(explorer *ex, const char *path)
{
    nn_scenario s;
    fixture_worked_example(&s);
    assert_int_equal(explorer_init(ex, &s, path), 0);
    assert_int_equal(s.ndevices, 0); /* taken over */
}

static unsigned keys(explorer *ex, const char *text)
{
    unsigned eff = 0;
    for (const char *p = text; *p; p++)
        eff |= explorer_key(ex, (unsigned char)*p);
    return eff;
}

/* Moves by keys only; fails rather than loops when a key does not move. */
static void go_to(explorer *ex, ex_pane pane, int row, int col)
{
    ex_pane rp = pane == PANE_TIMELINE ? PANE_LAYERS : pane;
    for (int i = 0; ex->pane != pane; i++) {
        assert_true(i < PANE_COUNT);
        explorer_key(ex, EXK_TAB);
    }
    for (int i = 0; ex->row[rp] != row; i++) {
        assert_true(i < 100);
        explorer_key(ex, ex->row[rp] > row ? EXK_UP : 'j');
    }
    for (int i = 0; pane != PANE_TIMELINE && ex->col[pane] != col; i++) {
        assert_true(i < 10);
        explorer_key(ex, ex->col[pane] > col ? 'h' : EXK_RIGHT);
    }
}

static void test_step_values(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    assert_false(explorer_unsaved(&ex));
    go_to(&ex, PANE_LINKS, 0, 0);
    unsigned eff = explorer_key(&ex, '+');
    assert_true(eff & EFFECT_RESOLVE);
    assert_true(eff & EFFECT_REDRAW);
    /* Doubled, and the undivided link stays symmetric. */
    assert_true(ex.doc.links[0].bandwidth == 16e6);
    assert_true(ex.doc.links[0].reverse == 16e6);
    assert_non_null(strstr(ex.msg, "link:edge-cloud.bandwidth: 8 Mbit/s -> 16 Mbit/s"));
    assert_true(explorer_unsaved(&ex));
    keys(&ex, "--");
    assert_true(ex.doc.links[0].bandwidth == 4e6);

    /* The reverse column is its own value. */
    go_to(&ex, PANE_LINKS, 0, 1);
    explorer_key(&ex, '-');
    assert_true(ex.doc.links[0].reverse == 2e6);
    assert_true(ex.doc.links[0].reverse_given);
    assert_true(ex.doc.links[0].bandwidth == 4e6);

    /* Devices: speed, memory, load rate. */
    go_to(&ex, PANE_DEVICES, 1, 2);
    explorer_key(&ex, '+');
    assert_true(ex.doc.devices[1].load_rate == 200e6);
    go_to(&ex, PANE_DEVICES, 0, 0);
    explorer_key(&ex, '-');
    assert_true(ex.doc.devices[0].speed == 0.5e9);

    /* A zero latency has no log step: nothing changes, and it says so. */
    ex.doc.links[0].latency = 0;
    go_to(&ex, PANE_LINKS, 0, 2);
    eff = explorer_key(&ex, '+');
    assert_false(eff & EFFECT_RESOLVE);
    assert_true(ex.msg_error);
    assert_true(ex.doc.links[0].latency == 0);

    /* + outside the value panes explains itself. */
    go_to(&ex, PANE_LAYERS, 0, 0);
    eff = explorer_key(&ex, '+');
    assert_false(eff & EFFECT_RESOLVE);
    assert_true(ex.msg_error);
    explorer_free(&ex);
}

/* Holding - on a speed stops at the bottom of the accepted range (no
 * value GLPK cannot scale), and + at the top, each with a message. */
static void test_steps_clamp_at_range_ends(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    go_to(&ex, PANE_DEVICES, 0, 0);
    for (int i = 0; i < 40; i++)
        explorer_key(&ex, '-');
    assert_true(ex.doc.devices[0].speed == 1e3);
    unsigned eff = explorer_key(&ex, '-');
    assert_false(eff & EFFECT_RESOLVE);
    assert_true(ex.msg_error);
    assert_string_equal(ex.msg,
                        "speed is at the bottom of its range (from 1 kFLOP/s to 1000 PFLOP/s)");
    for (int i = 0; i < 60; i++)
        explorer_key(&ex, '+');
    assert_true(ex.doc.devices[0].speed == 1e18);
    explorer_key(&ex, '+');
    assert_string_equal(ex.msg,
                        "speed is at the top of its range (from 1 kFLOP/s to 1000 PFLOP/s)");
    /* A bandwidth steps down to its smallest non-zero value, never to 0. */
    go_to(&ex, PANE_LINKS, 0, 0);
    for (int i = 0; i < 40; i++)
        explorer_key(&ex, '-');
    assert_true(ex.doc.links[0].bandwidth == 100);
    explorer_free(&ex);
}

static void test_typed_values(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    go_to(&ex, PANE_DEVICES, 1, 0);
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.modal, MODAL_INPUT);
    /* The prompt is short, so the typed text has room; the line above
     * says what the value is now and what to type. */
    assert_string_equal(ex.input_prompt, "device:cloud.speed: ");
    assert_non_null(strstr(ex.input_note, "100 GFLOP/s"));
    assert_non_null(strstr(ex.input_note, "compute rate"));
    assert_non_null(strstr(ex.input_note, "Esc cancels"));
    keys(&ex, "40 GFLOPx");
    explorer_key(&ex, EXK_BACKSPACE);
    keys(&ex, "/s");
    assert_string_equal(ex.input, "40 GFLOP/s");
    unsigned eff = explorer_key(&ex, EXK_ENTER);
    assert_true(eff & EFFECT_RESOLVE);
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_true(ex.doc.devices[1].speed == 40e9);

    /* A value of the wrong kind is refused in place, with the reason. */
    int undo_depth = ex.hist.nundo;
    explorer_key(&ex, EXK_ENTER);
    keys(&ex, "3 ms");
    eff = explorer_key(&ex, EXK_ENTER);
    assert_false(eff & EFFECT_RESOLVE);
    assert_int_equal(ex.modal, MODAL_INPUT);
    assert_non_null(strstr(ex.input_error, "refused"));
    assert_non_null(strstr(ex.input_error, "time"));
    assert_true(ex.doc.devices[1].speed == 40e9);
    /* Out of range too; editing clears the complaint. */
    explorer_key(&ex, EXK_CTRL('u'));
    assert_string_equal(ex.input, "");
    assert_string_equal(ex.input_error, "");
    keys(&ex, "0 GFLOP/s");
    explorer_key(&ex, EXK_ENTER);
    assert_non_null(
        strstr(ex.input_error, "speed must be from 1 kFLOP/s to 1000 PFLOP/s, got 0 FLOP/s"));
    explorer_key(&ex, EXK_CTRL('u'));
    explorer_key(&ex, EXK_ENTER);
    assert_non_null(strstr(ex.input_error, "refused"));
    /* Esc cancels: no change, nothing to undo. */
    eff = explorer_key(&ex, EXK_ESC);
    assert_false(eff & EFFECT_RESOLVE);
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_true(ex.doc.devices[1].speed == 40e9);
    assert_int_equal(ex.hist.nundo, undo_depth);

    /* Links take bit rates and times. */
    go_to(&ex, PANE_LINKS, 0, 2);
    explorer_key(&ex, EXK_ENTER);
    keys(&ex, "25 ms");
    explorer_key(&ex, EXK_ENTER);
    assert_true(fabs(ex.doc.links[0].latency - 0.025) < 1e-15);
    explorer_free(&ex);
}

static void test_pins_and_mode(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    go_to(&ex, PANE_LAYERS, 1, 0);
    /* p cycles: free -> edge -> cloud -> free. */
    assert_true(explorer_key(&ex, 'p') & EFFECT_RESOLVE);
    assert_int_equal(ex.doc.pin[1], 0);
    assert_non_null(strstr(ex.msg, "pinned L2 to edge"));
    explorer_key(&ex, 'p');
    assert_int_equal(ex.doc.pin[1], 1);
    explorer_key(&ex, 'p');
    assert_int_equal(ex.doc.pin[1], -1);
    assert_int_equal(ex.doc.pin[0], -1);
    /* Enter on a layer chooses the pin from a list. */
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.modal, MODAL_PICK);
    assert_int_equal(ex.npick, 3);
    explorer_key(&ex, 'j');
    explorer_key(&ex, 'j');
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.doc.pin[1], 1);
    /* The timeline pane shares the layer selection. */
    go_to(&ex, PANE_TIMELINE, 2, 0);
    assert_int_equal(ex.row[PANE_LAYERS], 2);
    explorer_key(&ex, 'p');
    assert_int_equal(ex.doc.pin[2], 0);
    /* p elsewhere explains itself. */
    go_to(&ex, PANE_DEVICES, 0, 0);
    assert_false(explorer_key(&ex, 'p') & EFFECT_RESOLVE);

    assert_int_equal(ex.doc.mode, MODE_PRELOAD);
    explorer_key(&ex, 'm');
    assert_int_equal(ex.doc.mode, MODE_ONDEMAND);
    explorer_key(&ex, 'm');
    assert_int_equal(ex.doc.mode, MODE_RESIDENT);
    explorer_key(&ex, 'm');
    assert_int_equal(ex.doc.mode, MODE_PRELOAD);
    explorer_free(&ex);
}

static void test_undo_redo_every_kind(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    go_to(&ex, PANE_LINKS, 0, 0);
    explorer_key(&ex, '+');
    go_to(&ex, PANE_LAYERS, 0, 0);
    explorer_key(&ex, 'p');
    explorer_key(&ex, 'm');
    go_to(&ex, PANE_DEVICES, 1, 0);
    keys(&ex, "dy");
    assert_int_equal(ex.doc.ndevices, 1);
    assert_int_equal(ex.doc.nlinks, 0);

    assert_true(explorer_key(&ex, 'u') & EFFECT_RESOLVE);
    assert_non_null(strstr(ex.msg, "undid deleted device cloud"));
    assert_int_equal(ex.doc.ndevices, 2);
    assert_int_equal(ex.doc.nlinks, 1);
    explorer_key(&ex, 'u');
    assert_int_equal(ex.doc.mode, MODE_PRELOAD);
    explorer_key(&ex, 'u');
    assert_int_equal(ex.doc.pin[0], -1);
    explorer_key(&ex, 'u');
    assert_true(ex.doc.links[0].bandwidth == 8e6);
    assert_false(explorer_unsaved(&ex));
    assert_false(explorer_key(&ex, 'u') & EFFECT_RESOLVE);
    assert_true(ex.msg_error);

    assert_true(explorer_key(&ex, EXK_CTRL('r')) & EFFECT_RESOLVE);
    assert_true(ex.doc.links[0].bandwidth == 16e6);
    explorer_key(&ex, EXK_CTRL('r'));
    assert_int_equal(ex.doc.pin[0], 0);
    explorer_key(&ex, EXK_CTRL('r'));
    explorer_key(&ex, EXK_CTRL('r'));
    assert_int_equal(ex.doc.ndevices, 1);
    /* The selection follows the rows that remain. */
    assert_int_equal(ex.row[PANE_DEVICES], 0);
    explorer_free(&ex);
}

static void test_add_and_delete(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    /* Deleting asks; n keeps everything. */
    go_to(&ex, PANE_DEVICES, 1, 0);
    explorer_key(&ex, 'd');
    assert_int_equal(ex.modal, MODAL_CONFIRM);
    assert_non_null(strstr(ex.confirm_text, "Delete device cloud with its 1 link"));
    assert_false(explorer_key(&ex, 'n') & EFFECT_RESOLVE);
    assert_int_equal(ex.doc.ndevices, 2);

    /* a: a device from the presets, named after it. */
    explorer_key(&ex, 'a');
    assert_int_equal(ex.modal, MODAL_PICK);
    assert_int_equal(ex.npick, presets_device_count());
    assert_true(explorer_key(&ex, EXK_ENTER) & EFFECT_RESOLVE);
    assert_int_equal(ex.doc.ndevices, 3);
    const nn_device_preset *p = presets_device_at(0);
    assert_string_equal(ex.doc.devices[2].name, p->name);
    assert_true(ex.doc.devices[2].speed == p->speed);
    assert_int_equal(ex.row[PANE_DEVICES], 2);
    /* The same preset again gets a new name. */
    keys(&ex, "a\n");
    assert_int_equal(ex.doc.ndevices, 4);
    char want[NN_NAME_LEN + 4];
    snprintf(want, sizeof want, "%s-2", p->name);
    assert_string_equal(ex.doc.devices[3].name, want);

    /* a in Links: the unlinked pairs, then the kind of link. */
    go_to(&ex, PANE_LINKS, 0, 0);
    explorer_key(&ex, 'a');
    assert_int_equal(ex.modal, MODAL_PICK);
    assert_int_equal(ex.pick_kind, PICK_LINK_PAIR);
    assert_int_equal(ex.npick, 5); /* 6 pairs of 4 devices, one linked */
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.pick_kind, PICK_LINK_PRESET);
    assert_int_equal(ex.npick, presets_link_count());
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_int_equal(ex.doc.nlinks, 2);
    const nn_link_preset *lp = presets_link_at(0);
    assert_int_equal(ex.doc.links[1].a, 0);
    assert_int_equal(ex.doc.links[1].b, 2);
    assert_true(ex.doc.links[1].bandwidth == lp->bandwidth);
    assert_true(ex.doc.links[1].latency == lp->latency);

    /* Delete that link. */
    go_to(&ex, PANE_LINKS, 1, 0);
    keys(&ex, "dy");
    assert_int_equal(ex.doc.nlinks, 1);
    /* Picking can be cancelled. */
    explorer_key(&ex, 'a');
    assert_false(explorer_key(&ex, EXK_ESC) & EFFECT_RESOLVE);
    assert_int_equal(ex.modal, MODAL_NONE);

    /* The last device stays. */
    go_to(&ex, PANE_DEVICES, 0, 0);
    keys(&ex, "dydydy");
    assert_int_equal(ex.doc.ndevices, 1);
    explorer_key(&ex, 'd');
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_true(ex.msg_error);
    explorer_free(&ex);
}

static void test_network_from_zoo(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    go_to(&ex, PANE_LAYERS, 2, 0);
    explorer_key(&ex, 'p');
    explorer_key(&ex, 'n');
    assert_int_equal(ex.modal, MODAL_PICK);
    assert_int_equal(ex.npick, zoo_count());
    int want = zoo_find("resnet18");
    assert_true(want >= 0);
    while (ex.pick_sel < want)
        explorer_key(&ex, EXK_DOWN);
    assert_true(explorer_key(&ex, EXK_ENTER) & EFFECT_RESOLVE);
    assert_string_equal(ex.doc.net.zoo, "resnet18");
    assert_true(ex.doc.net.nlayers > 3);
    for (int l = 0; l < ex.doc.net.nlayers; l++)
        assert_int_equal(ex.doc.pin[l], -1);
    assert_int_equal(ex.row[PANE_LAYERS], 0);
    explorer_key(&ex, 'u');
    assert_int_equal(ex.doc.net.nlayers, 3);
    assert_int_equal(ex.doc.pin[2], 0);
    explorer_free(&ex);
}

static void test_save_and_reload(void **state)
{
    (void)state;
    char dir[] = "/tmp/nnpart-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], other[256], bad[300];
    snprintf(path, sizeof path, "%s/worked.yaml", dir);
    snprintf(other, sizeof other, "%s/other.yaml", dir);
    snprintf(bad, sizeof bad, "%s/missing/dir/x.yaml", dir);

    /* The built-in default has no path: s asks for one. */
    explorer ex;
    open_worked(&ex, NULL);
    go_to(&ex, PANE_LINKS, 0, 0);
    explorer_key(&ex, '-');
    explorer_key(&ex, 's');
    assert_int_equal(ex.modal, MODAL_INPUT);
    assert_int_equal(ex.input_kind, INPUT_SAVE_AS);
    /* A path that cannot be written is refused and the prompt stays. */
    keys(&ex, bad);
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.modal, MODAL_INPUT);
    assert_non_null(strstr(ex.input_error, "not saved"));
    assert_true(explorer_unsaved(&ex));
    explorer_key(&ex, EXK_CTRL('u'));
    keys(&ex, path);
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_false(explorer_unsaved(&ex));
    assert_string_equal(ex.path, path);

    /* What was saved reloads to the same scenario. */
    nn_scenario back;
    nn_error err;
    assert_int_equal(scenario_load_file(path, &back, &err), 0);
    char why[256];
    if (!scenario_equal(&back, &ex.doc, why, sizeof why)) fail_msg("reloaded differs: %s", why);
    assert_true(back.links[0].bandwidth == 4e6);
    scenario_free(&back);

    /* Now s saves to that file directly. */
    explorer_key(&ex, 'm');
    assert_true(explorer_unsaved(&ex));
    explorer_key(&ex, 's');
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_false(explorer_unsaved(&ex));
    assert_int_equal(scenario_load_file(path, &back, &err), 0);
    assert_int_equal(back.mode, MODE_ONDEMAND);
    scenario_free(&back);

    /* S saves elsewhere, prefilled with the current path. */
    explorer_key(&ex, 'S');
    assert_string_equal(ex.input, path);
    explorer_key(&ex, EXK_CTRL('u'));
    keys(&ex, other);
    explorer_key(&ex, EXK_ENTER);
    assert_string_equal(ex.path, other);
    assert_int_equal(access(other, R_OK), 0);
    explorer_free(&ex);

    /* A failed save keeps the old file and says why. */
    open_worked(&ex, path);
    explorer_key(&ex, 'm');
    chmod(dir, 0500);
    bool can_still_write = access(dir, W_OK) == 0; /* root ignores modes */
    explorer_key(&ex, 's');
    if (!can_still_write) {
        assert_true(ex.msg_error);
        assert_non_null(strstr(ex.msg, "not saved"));
        assert_true(explorer_unsaved(&ex));
        assert_int_equal(scenario_load_file(path, &back, &err), 0);
        assert_int_equal(back.mode, MODE_ONDEMAND);
        scenario_free(&back);
    }
    chmod(dir, 0700);
    explorer_free(&ex);
    unlink(path);
    unlink(other);
    rmdir(dir);
}

static void test_quit_asks_when_unsaved(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    assert_true(explorer_key(&ex, 'q') & EFFECT_QUIT);
    go_to(&ex, PANE_LINKS, 0, 0);
    explorer_key(&ex, '+');
    unsigned eff = explorer_key(&ex, 'q');
    assert_false(eff & EFFECT_QUIT);
    assert_int_equal(ex.modal, MODAL_CONFIRM);
    assert_non_null(strstr(ex.confirm_text, "unsaved changes"));
    assert_false(explorer_key(&ex, 'n') & EFFECT_QUIT);
    assert_int_equal(ex.modal, MODAL_NONE);
    explorer_key(&ex, 'q');
    assert_true(explorer_key(&ex, 'y') & EFFECT_QUIT);
    /* Undoing back to the saved state needs no question. */
    explorer_key(&ex, 'u');
    assert_true(explorer_key(&ex, 'q') & EFFECT_QUIT);
    explorer_free(&ex);
}

static void test_timeline_keys(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    /* A real result: the worker's solve, run here on this thread. */
    tui_outcome *o = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 1);
    assert_non_null(o);
    ex.submitted = 1;
    explorer_show(&ex, o);
    assert_false(explorer_solving(&ex));
    assert_true(fabs(ex.view.t1 - 0.712) < 1e-9);
    explorer_key(&ex, 'z');
    assert_false(ex.view.fit);
    assert_true(fabs(ex.view.t1 - ex.view.t0 - 0.356) < 1e-9);
    explorer_key(&ex, '<');
    assert_true(ex.view.t0 < 0.178);
    explorer_key(&ex, '>');
    explorer_key(&ex, '>');
    assert_true(ex.view.t0 > 0.178);
    explorer_key(&ex, 'f');
    assert_true(ex.view.fit && ex.view.t0 == 0);
    explorer_key(&ex, 'Z');
    assert_true(ex.view.fit);

    /* A newer submission is "solving" until its result; an older result
     * that arrives late is dropped. */
    go_to(&ex, PANE_LINKS, 0, 0);
    explorer_key(&ex, '-');
    tui_outcome *late = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 0);
    ex.submitted = 2;
    assert_true(explorer_solving(&ex));
    explorer_show(&ex, late);
    assert_int_equal(ex.shown->gen, 1);
    tui_outcome *fresh = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 2);
    explorer_show(&ex, fresh);
    nn_baselines base;
    double took;
    assert_int_equal(outcome_baselines(&ex.doc, fresh->res.latency, 0, NULL, &base, &took), 0);
    explorer_show_baselines(&ex, 2, &base, took);
    assert_true(ex.shown->base_done);
    assert_false(explorer_solving(&ex));
    assert_int_equal(ex.shown->gen, 2);
    assert_int_equal(explorer_rows(&ex, PANE_BASELINES), ex.shown->base.count);

    /* Clicking a bar selects its layer and describes it. */
    gantt_layout g;
    assert_int_equal(gantt_layout_build(&ex.shown->in, &ex.shown->ev, &ex.view, 80, &g), 0);
    for (int i = 0; i < g.nbars; i++) {
        if (g.bars[i].kind != GANTT_COMPUTE || g.bars[i].layer != 2) continue;
        explorer_select_bar(&ex, &g.bars[i]);
    }
    assert_int_equal(ex.pane, PANE_TIMELINE);
    assert_int_equal(ex.row[PANE_LAYERS], 2);
    assert_non_null(strstr(ex.msg, "L3 computes on"));
    gantt_layout_free(&g);
    explorer_free(&ex);
}

/* w asks for a path and hands it to the main loop; a failed LP write keeps
 * the result on show and says why. */
static void test_write_lp(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    tui_outcome *o = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 1);
    ex.submitted = 1;
    explorer_show(&ex, o);

    explorer_key(&ex, 'w');
    assert_int_equal(ex.modal, MODAL_INPUT);
    assert_string_equal(ex.input, "nnpart.lp");
    explorer_key(&ex, EXK_CTRL('u'));
    keys(&ex, "/nonexistent-dir/x.lp");
    unsigned eff = explorer_key(&ex, EXK_ENTER);
    assert_true(eff & EFFECT_WRITE_LP);
    assert_false(eff & EFFECT_RESOLVE);
    assert_string_equal(ex.lp_path, "/nonexistent-dir/x.lp");

    /* What the worker would do with it: the solve comes back, the failed
     * write is said. */
    tui_outcome *bad = outcome_solve(&ex.doc, ex.lp_path, 0, NULL, NULL, 2);
    assert_non_null(bad);
    assert_int_equal(bad->res.status, SOLVE_OPTIMAL);
    ex.submitted = 2;
    explorer_show(&ex, bad);
    assert_false(explorer_solving(&ex));
    assert_ptr_equal(ex.shown, bad);
    assert_true(ex.msg_error);
    assert_non_null(strstr(ex.msg, "cannot write the LP file"));

    /* A file that exists when the LP is written (it appeared after the
     * question) is not replaced without the user's yes. */
    char path[] = "/tmp/nnpart-lp-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "mine\n", 5), 5);
    close(fd);
    tui_outcome *kept = outcome_solve(&ex.doc, path, 0, NULL, NULL, 3);
    assert_non_null(kept);
    assert_int_equal(kept->res.status, SOLVE_OPTIMAL);
    ex.submitted = 3;
    explorer_show(&ex, kept);
    assert_true(ex.msg_error);
    assert_non_null(strstr(ex.msg, "was not written: a file of that name exists now"));
    char *mine = test_file_read(path, NULL);
    assert_string_equal(mine, "mine\n");
    free(mine);
    tui_outcome *good = outcome_solve_engine(&ex.doc, path, true, 0, NULL, NULL, 4, ENGINE_AUTO);
    ex.submitted = 4;
    explorer_show(&ex, good);
    assert_ptr_equal(ex.shown, good);
    assert_non_null(strstr(ex.msg, "wrote the ILP"));
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256];
    bool minimize = false;
    while (fgets(line, sizeof line, f))
        minimize |= strncmp(line, "Minimize", 8) == 0;
    fclose(f);
    assert_true(minimize);
    unlink(path);
    explorer_free(&ex);
}

/* Source, sink, tier and name of a device are edits like any other. */
static void test_device_ends_tier_name(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    layer_add_profile(&ex.doc.net.layers[0], "cloud", 0.001);
    go_to(&ex, PANE_DEVICES, 1, 0);
    assert_true(explorer_key(&ex, 'i') & EFFECT_RESOLVE);
    assert_int_equal(ex.doc.source, 1);
    assert_non_null(strstr(ex.msg, "source (the input starts): edge -> cloud"));
    explorer_key(&ex, 'o');
    assert_int_equal(ex.doc.sink, 1);
    explorer_key(&ex, 'o');
    assert_non_null(strstr(ex.msg, "cloud is the sink already"));
    nn_tier tier = ex.doc.devices[1].tier;
    explorer_key(&ex, 't');
    assert_int_equal(ex.doc.devices[1].tier, (tier + 1) % TIER_COUNT);
    /* Rename: refused names keep the prompt open with the reason. */
    explorer_key(&ex, 'r');
    assert_int_equal(ex.modal, MODAL_INPUT);
    explorer_key(&ex, EXK_CTRL('u'));
    keys(&ex, "edge");
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.modal, MODAL_INPUT);
    assert_string_equal(ex.input_error, "refused: another device is called edge");
    explorer_key(&ex, EXK_CTRL('u'));
    explorer_key(&ex, EXK_ENTER);
    assert_non_null(strstr(ex.input_error, "a device needs a name"));
    keys(&ex, "gpu");
    assert_true(explorer_key(&ex, EXK_ENTER) & EFFECT_RESOLVE);
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_string_equal(ex.doc.devices[1].name, "gpu");
    assert_string_equal(ex.doc.net.layers[0].profiles[0].device, "gpu"); /* followed */
    assert_non_null(strstr(ex.msg, "renamed device cloud to gpu"));
    /* One undo per edit, back to the start. */
    for (int k = 0; k < 4; k++)
        explorer_key(&ex, 'u');
    assert_string_equal(ex.doc.devices[1].name, "cloud");
    assert_int_equal(ex.doc.source, 0);
    assert_int_equal(ex.doc.sink, 0);
    /* Outside the Devices pane the keys say where to go. */
    go_to(&ex, PANE_LAYERS, 0, 0);
    explorer_key(&ex, 'i');
    assert_true(ex.msg_error);
    assert_non_null(strstr(ex.msg, "select one in the Devices pane first"));
    explorer_free(&ex);
}

/* /, g and G move the selection; the result says what changed; c compares
 * and P pins a baseline's placement. */
static void test_find_change_compare_pins(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    tui_outcome *o = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 1);
    ex.submitted = 1;
    explorer_show(&ex, o);
    nn_baselines base;
    double took;
    assert_int_equal(outcome_baselines(&ex.doc, o->res.latency, 0, NULL, &base, &took), 0);
    explorer_show_baselines(&ex, 1, &base, took);

    explorer_key(&ex, '/');
    keys(&ex, "l3");
    explorer_key(&ex, EXK_ENTER);
    assert_int_equal(ex.pane, PANE_LAYERS);
    assert_int_equal(ex.row[PANE_LAYERS], 2);
    assert_non_null(strstr(ex.msg, "layer L3 on cloud"));
    explorer_key(&ex, 'g');
    assert_int_equal(ex.row[PANE_LAYERS], 0);
    explorer_key(&ex, EXK_END);
    assert_int_equal(ex.row[PANE_LAYERS], 2);
    explorer_key(&ex, '/');
    keys(&ex, "nothing-like-it");
    explorer_key(&ex, EXK_ENTER);
    assert_non_null(strstr(ex.msg, "no layer or device name contains 'nothing-like-it'"));

    /* Compare with "all on cloud" (722 ms): evaluated on the same axis. */
    go_to(&ex, PANE_BASELINES, 1, 0);
    assert_non_null(strstr(ex.shown->base.items[1].name, "all on cloud"));
    explorer_key(&ex, 'c');
    assert_true(ex.has_compare_ev);
    assert_true(fabs(ex.compare_ev.latency - 0.722) < 1e-9);
    assert_true(fabs(ex.view.t1 - 0.722) < 1e-9); /* the longer of the two */
    explorer_key(&ex, 'c');
    assert_false(ex.has_compare_ev);
    assert_true(fabs(ex.view.t1 - 0.712) < 1e-9);

    /* P: every layer pinned where the baseline puts it; the next result
     * says what moved and how the latency changed. */
    unsigned eff = explorer_key(&ex, 'P');
    assert_true(eff & EFFECT_RESOLVE);
    for (int l = 0; l < 3; l++)
        assert_int_equal(ex.doc.pin[l], 1);
    tui_outcome *pinned = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 2);
    ex.submitted = 2;
    explorer_show(&ex, pinned);
    assert_non_null(ex.shown->prev_place);
    char change[512];
    explorer_change_text(&ex, change, sizeof change);
    assert_string_equal(change, "712 ms -> 722 ms, +1.4%; moved 1 layer: L1 edge->cloud");
    assert_non_null(strstr(ex.msg, "pinned every layer to all on cloud"));
    assert_non_null(strstr(ex.msg, "712 ms -> 722 ms, +1.4%; moved 1 layer: L1 edge->cloud"));
    explorer_free(&ex);
}

/* Under another objective the change after an edit leads with that
 * objective's value (the phone's battery energy), then the latency; right
 * after the objective itself changed there is nothing to compare. */
static void test_change_on_the_objective(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    assert_int_equal(scenario_load_file("configs/battery-phone.yaml", &s, &err), 0);
    assert_int_equal(s.objective, OBJ_BATTERY_ENERGY);
    explorer ex;
    assert_int_equal(explorer_init(&ex, &s, "configs/battery-phone.yaml"), 0);
    tui_outcome *o = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 1);
    ex.submitted = 1;
    explorer_show(&ex, o);
    double before = ex.shown->res.value;
    ex.doc.devices[0].idle_power *= 2; /* the phone draws twice as much, always */
    o = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 2);
    ex.submitted = 2;
    explorer_show(&ex, o);
    assert_true(ex.shown->res.value > before);
    char change[512], want[128], was[32], now[32];
    explorer_change_text(&ex, change, sizeof change);
    units_format(before, UNIT_ENERGY, was, sizeof was);
    units_format(ex.shown->res.value, UNIT_ENERGY, now, sizeof now);
    snprintf(want, sizeof want, "battery energy %s -> %s, +", was, now);
    if (strncmp(change, want, strlen(want)) != 0)
        fail_msg("'%s' does not start '%s'", change, want);

    ex.doc.objective = OBJ_ENERGY;
    o = outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 3);
    ex.submitted = 3;
    explorer_show(&ex, o);
    explorer_change_text(&ex, change, sizeof change);
    units_format(ex.shown->res.value, UNIT_ENERGY, now, sizeof now);
    snprintf(want, sizeof want, "optimising energy: %s", now);
    if (strncmp(change, want, strlen(want)) != 0)
        fail_msg("'%s' does not start '%s'", change, want);
    explorer_free(&ex);
}

/* Help lines wrap at blanks to the width asked for, losing no word. */
static void test_help_wraps(void **state)
{
    (void)state;
    char line[512], all[16384] = "", wrapped[16384] = "";
    for (int i = 0; explorer_help_line(i, line, sizeof line); i++) {
        strncat(all, line, sizeof all - strlen(all) - 2);
        strcat(all, " ");
    }
    int n = 0;
    for (int i = 0; explorer_help_wrapped(70, i, line, sizeof line); i++, n++) {
        if (strlen(line) > 70) fail_msg("help line %d is %zu columns: %s", i, strlen(line), line);
        strncat(wrapped, line, sizeof wrapped - strlen(wrapped) - 2);
        strcat(wrapped, " ");
    }
    /* The same words in the same order. */
    char *a = all, *b = wrapped;
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (!*a || !*b) break;
        size_t la = strcspn(a, " "), lb = strcspn(b, " ");
        if (la != lb || strncmp(a, b, la) != 0)
            fail_msg("word '%.*s' became '%.*s'", (int)la, a, (int)lb, b);
        a += la;
        b += lb;
    }
    assert_true(!*a && !*b);
    int logical = 0;
    while (explorer_help_line(logical, line, sizeof line))
        logical++;
    assert_true(n > logical); /* some long lines did wrap */
}

/* One table dispatches and documents: no key twice, every row in the help. */
static void test_key_table_and_help(void **state)
{
    (void)state;
    int n;
    const ex_binding *t = explorer_bindings(&n);
    assert_true(n >= 20);
    for (int i = 0; i < n; i++) {
        assert_non_null(t[i].action);
        assert_true(strlen(t[i].help) > 3);
        for (int k = 0; k < 3 && t[i].keys[k]; k++)
            for (int j = i; j < n; j++)
                for (int m = (j == i ? k + 1 : 0); m < 3 && t[j].keys[m]; m++)
                    assert_int_not_equal(t[i].keys[k], t[j].keys[m]);
    }
    char line[256];
    int found = 0;
    for (int i = 0; explorer_help_line(i, line, sizeof line); i++)
        for (int b = 0; b < n; b++)
            if (strstr(line, t[b].help) && strstr(line, t[b].names)) found++;
    assert_int_equal(found, n);

    explorer ex;
    open_worked(&ex, NULL);
    explorer_key(&ex, '?');
    assert_int_equal(ex.modal, MODAL_HELP);
    explorer_key(&ex, 'j');
    assert_int_equal(ex.help_top, 1);
    explorer_key(&ex, 'x');
    assert_int_equal(ex.modal, MODAL_NONE);
    /* Unbound keys do nothing, and say so. */
    assert_int_equal(explorer_key(&ex, 'X'), EFFECT_REDRAW);
    assert_true(ex.msg_error);
    assert_non_null(strstr(ex.msg, "'X' does nothing here; ? lists the keys"));
    explorer_free(&ex);
}

/* The footer's hints come from the key table: each names a key bound for
 * the pane, fits the width, and help and quit are never left out. */
static void test_hints_from_key_table(void **state)
{
    (void)state;
    int n;
    const ex_binding *t = explorer_bindings(&n);
    for (int p = 0; p < PANE_COUNT; p++) {
        char wide[512];
        explorer_hint_line((ex_pane)p, 500, wide, sizeof wide);
        strcat(wide, " ");
        assert_non_null(strstr(wide, " Tab pane"));
        assert_non_null(strstr(wide, "? help"));
        assert_non_null(strstr(wide, "q quit"));
        assert_non_null(strstr(wide, "u undo"));
        /* Every hint word belongs to a binding shown in this pane. */
        for (int i = 0; i < n; i++) {
            if (!t[i].hint) continue;
            char word[64];
            snprintf(word, sizeof word, " %s ", t[i].hint);
            bool here = t[i].hint_panes & EX_HINT_PANE(p);
            bool other = false;
            for (int j = 0; j < n; j++)
                other |= j != i && t[j].hint && strcmp(t[j].hint, t[i].hint) == 0 &&
                         (t[j].hint_panes & EX_HINT_PANE(p));
            if (!here && !other) assert_null(strstr(wide, word));
            if (here) assert_non_null(strstr(wide, word));
        }
        /* Narrow: shorter, still within the width, still help and quit. */
        char narrow[512];
        explorer_hint_line((ex_pane)p, 80, narrow, sizeof narrow);
        assert_true(strlen(narrow) <= 80);
        assert_non_null(strstr(narrow, "? help"));
        assert_non_null(strstr(narrow, "q quit"));
    }
    char line[512];
    /* Neighbours with the same word share it. */
    explorer_hint_line(PANE_DEVICES, 500, line, sizeof line);
    assert_non_null(strstr(line, "j/k select"));
    assert_non_null(strstr(line, "h/l column"));
    assert_non_null(strstr(line, "+/- double/halve"));
    assert_non_null(strstr(line, "^R redo"));
    assert_null(strstr(line, "zoom"));
    explorer_hint_line(PANE_TIMELINE, 500, line, sizeof line);
    assert_non_null(strstr(line, "z/Z zoom"));
    assert_non_null(strstr(line, "</> pan"));
    assert_non_null(strstr(line, "p pin"));
    assert_null(strstr(line, "double/halve"));
    /* The first thing said is not a copy of the hints. */
    explorer ex;
    open_worked(&ex, NULL);
    assert_null(strstr(ex.msg, "Tab"));
    assert_null(strstr(ex.msg, "help"));
    explorer_free(&ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_values),
        cmocka_unit_test(test_typed_values),
        cmocka_unit_test(test_pins_and_mode),
        cmocka_unit_test(test_undo_redo_every_kind),
        cmocka_unit_test(test_add_and_delete),
        cmocka_unit_test(test_network_from_zoo),
        cmocka_unit_test(test_save_and_reload),
        cmocka_unit_test(test_quit_asks_when_unsaved),
        cmocka_unit_test(test_timeline_keys),
        cmocka_unit_test(test_write_lp),
        cmocka_unit_test(test_key_table_and_help),
        cmocka_unit_test(test_help_wraps),
        cmocka_unit_test(test_device_ends_tier_name),
        cmocka_unit_test(test_find_change_compare_pins),
        cmocka_unit_test(test_change_on_the_objective),
        cmocka_unit_test(test_hints_from_key_table),
        cmocka_unit_test(test_steps_clamp_at_range_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
