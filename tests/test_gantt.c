/* The timeline layout, without curses: bars, labels, ticks, clipping, text output.
 * Built on MODEL.md's worked example, placement edge, cloud, cloud in preload:
 *   edge  load L1 [0, 0.1]     compute L1 [0.1, 0.2]
 *   cloud load L2 [0, 0.2]     load L3 [0.2, 0.7]
 *   cloud compute L2 [0.41, 0.42], L3 [0.7, 0.701]
 *   edge -> cloud: output of L1 [0.2, 0.41]; cloud -> edge: output of L3 [0.701, 0.712]. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gantt_text.h"
#include "helpers_io.h"
#include "scenario_io.h"
#include "scenario_fixture.h"

typedef struct fixture {
    nn_scenario s;
    nn_instance in;
    nn_eval ev;
} fixture;

static void fixture_open(fixture *f, const int *place, nn_mode mode, bool spare)
{
    fixture_worked_example(&f->s);
    if (spare) fixture_device(&f->s, "spare", 1e9, 1e9, 1e9); /* no links: never used */
    assert_int_equal(instance_build(&f->s, &f->in), 0);
    assert_int_equal(eval_run(&f->in, place, mode, &f->ev), 0);
}

static void fixture_close(fixture *f)
{
    eval_free(&f->ev);
    instance_free(&f->in);
    scenario_free(&f->s);
}

static const int OPTIMUM[3] = {0, 1, 1};

/* The layout of f's timeline over `width` columns, the view fitted to its
 * latency. */
static void layout_fit(const fixture *f, int width, gantt_view *v, gantt_layout *g)
{
    gantt_view_fit(v, f->ev.latency);
    assert_int_equal(gantt_layout_build(&f->in, &f->ev, v, width, g), 0);
}

/* The one bar of `kind` in `lane` covering time t, or fails. */
static const gantt_bar *bar_of(const gantt_layout *g, int lane, gantt_kind kind, int layer,
                               int boundary)
{
    const gantt_lane *ln = &g->lanes[lane];
    for (int i = ln->first_bar; i < ln->first_bar + ln->nbars; i++) {
        const gantt_bar *b = &g->bars[i];
        if (b->kind == kind && b->layer == layer && b->boundary == boundary) return b;
    }
    fail_msg("no bar of kind %d for layer %d / boundary %d in lane %d", kind, layer, boundary,
             lane);
    return NULL;
}

static void assert_cols(const gantt_bar *b, int c0, int c1, const char *label)
{
    if (b->col0 != c0 || b->col1 != c1 || strcmp(b->label, label) != 0)
        fail_msg("bar [%d, %d) '%s', want [%d, %d) '%s'", b->col0, b->col1, b->label, c0, c1,
                 label);
}

/* 10 ms a column: [0, 0.8] s over 80 columns. */
static void test_bars_at_known_width(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    gantt_view v = {.t0 = 0, .t1 = 0.8};
    gantt_layout g;
    assert_int_equal(gantt_layout_build(&f.in, &f.ev, &v, 80, &g), 0);

    /* Lanes: edge load, edge, cloud load, cloud, then the one link in use. */
    assert_int_equal(g.nlanes, 5);
    assert_int_equal(g.lanes[0].kind, LANE_LOAD);
    assert_int_equal(g.lanes[1].kind, LANE_COMPUTE);
    assert_int_equal(g.lanes[2].device, 1);
    assert_int_equal(g.lanes[4].kind, LANE_LINK);
    assert_string_equal(g.lanes[0].title, "edge load");
    assert_string_equal(g.lanes[3].title, "cloud");
    assert_string_equal(g.lanes[4].title, "edge-cloud");
    assert_true(g.total > 0.711 && g.total < 0.713);

    assert_cols(bar_of(&g, 0, GANTT_LOAD, 0, -1), 0, 10, "L1");
    assert_cols(bar_of(&g, 1, GANTT_COMPUTE, 0, -1), 10, 20, "L1");
    assert_cols(bar_of(&g, 2, GANTT_LOAD, 1, -1), 0, 20, "L2");
    assert_cols(bar_of(&g, 2, GANTT_LOAD, 2, -1), 20, 70, "L3");
    /* 10 ms of L2 is one column: too narrow for its label. */
    assert_cols(bar_of(&g, 3, GANTT_COMPUTE, 1, -1), 41, 42, "");
    /* 1 ms of L3 still gets one column so it never vanishes. */
    assert_cols(bar_of(&g, 3, GANTT_COMPUTE, 2, -1), 70, 71, "");
    const gantt_bar *up = bar_of(&g, 4, GANTT_TRANSFER, -1, 1);
    assert_cols(up, 20, 41, "L1");
    assert_int_equal(up->device, 0);
    assert_int_equal(up->to, 1);
    const gantt_bar *down = bar_of(&g, 4, GANTT_TRANSFER, -1, 3);
    assert_cols(down, 70, 71, "");
    assert_int_equal(down->device, 1);
    assert_false(up->clip_left || up->clip_right);

    /* Waiting is explicit: the edge has its input at 0 but waits for L1's
     * weights, then idles after L1. */
    const gantt_lane *edge = &g.lanes[1];
    assert_int_equal(edge->nbars, 3);
    assert_int_equal(g.bars[edge->first_bar].kind, GANTT_WAIT);
    assert_int_equal(g.bars[edge->first_bar].layer, 0);
    assert_int_equal(g.bars[edge->first_bar].col1, 10);
    assert_int_equal(g.bars[edge->first_bar + 2].kind, GANTT_IDLE);
    assert_int_equal(g.bars[edge->first_bar + 2].col0, 20);
    assert_int_equal(g.bars[edge->first_bar + 2].col1, 71);
    /* Bars of a lane come in time order. */
    for (int i = edge->first_bar + 1; i < edge->first_bar + edge->nbars; i++)
        assert_true(g.bars[i].t0 >= g.bars[i - 1].t0);

    /* Hit testing: a bar beats idle; empty space is nothing. */
    assert_int_equal(g.bars[gantt_bar_at(&g, 1, 15)].kind, GANTT_COMPUTE);
    assert_int_equal(g.bars[gantt_bar_at(&g, 1, 5)].kind, GANTT_WAIT);
    assert_int_equal(g.bars[gantt_bar_at(&g, 3, 5)].kind, GANTT_IDLE);
    assert_int_equal(g.bars[gantt_bar_at(&g, 3, 41)].layer, 1);
    assert_int_equal(gantt_bar_at(&g, 4, 50), -1);
    assert_int_equal(gantt_bar_at(&g, 9, 0), -1);
    gantt_layout_free(&g);
    fixture_close(&f);
}

static void test_ticks_with_units(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    gantt_view v = {.t0 = 0, .t1 = 0.8};
    gantt_layout g;
    assert_int_equal(gantt_layout_build(&f.in, &f.ev, &v, 80, &g), 0);
    /* 12 columns between ticks at least: 120 ms -> a 200 ms step. */
    assert_int_equal(g.nticks, 5);
    const char *want[] = {"0 s", "200 ms", "400 ms", "600 ms", "800 ms"};
    for (int k = 0; k < 5; k++) {
        assert_int_equal(g.ticks[k].col, 20 * k);
        assert_string_equal(g.ticks[k].label, want[k]);
    }
    char rule[80 * 4], labels[81];
    gantt_axis_render(&g, false, rule, sizeof rule, labels, sizeof labels);
    assert_int_equal(strlen(rule), 80);
    assert_int_equal(rule[0], '+');
    assert_int_equal(rule[20], '+');
    assert_int_equal(rule[21], '-');
    /* The last label would run off the end: it moves left of its tick. */
    assert_memory_equal(labels, "0 s", 3);
    assert_memory_equal(labels + 20, "200 ms", 6);
    assert_memory_equal(labels + 60, "600 ms", 6);
    /* The latency has its own mark and label, which the 800 ms tick
     * label gives way to. */
    assert_int_equal(g.total_col, 71);
    assert_string_equal(labels + 71, "T 712 ms");
    gantt_layout_free(&g);

    /* Zoomed to a microsecond scale the step and units follow. */
    v = (gantt_view){.t0 = 0.7, .t1 = 0.7001};
    assert_int_equal(gantt_layout_build(&f.in, &f.ev, &v, 100, &g), 0);
    assert_true(g.nticks >= 2);
    assert_string_equal(g.ticks[1].label, "700 ms");
    assert_int_equal(g.ticks[0].col, 0);
    assert_string_equal(g.ticks[0].label, "700 ms");
    gantt_layout_free(&g);
    v = (gantt_view){.t0 = 0, .t1 = 0.0001};
    assert_int_equal(gantt_layout_build(&f.in, &f.ev, &v, 100, &g), 0);
    assert_string_equal(g.ticks[1].label, "20 us");
    gantt_layout_free(&g);
    fixture_close(&f);
}

/* [0.3, 0.5] s over 40 columns: 5 ms a column. */
static void test_clipping_when_zoomed_and_panned(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    gantt_view v = {.t0 = 0.3, .t1 = 0.5};
    gantt_layout g;
    assert_int_equal(gantt_layout_build(&f.in, &f.ev, &v, 40, &g), 0);
    /* Outside the window: no bar. */
    assert_int_equal(g.lanes[0].nbars, 0);
    for (int i = g.lanes[1].first_bar; i < g.lanes[1].first_bar + g.lanes[1].nbars; i++)
        assert_int_equal(g.bars[i].kind, GANTT_IDLE);
    /* The L1 transfer [0.2, 0.41] starts before the window. */
    const gantt_bar *up = bar_of(&g, 4, GANTT_TRANSFER, -1, 1);
    assert_cols(up, 0, 22, "L1");
    assert_true(up->clip_left);
    assert_false(up->clip_right);
    /* L3's load [0.2, 0.7] spans the whole window. */
    const gantt_bar *l3 = bar_of(&g, 2, GANTT_LOAD, 2, -1);
    assert_cols(l3, 0, 40, "L3");
    assert_true(l3->clip_left && l3->clip_right);
    /* L2 [0.41, 0.42] is two columns: "L2" plus a fill column does not fit. */
    assert_cols(bar_of(&g, 3, GANTT_COMPUTE, 1, -1), 22, 24, "");
    assert_string_equal(g.ticks[0].label, "300 ms");
    assert_int_equal(g.ticks[1].col, 20);
    gantt_layout_free(&g);

    /* Wider: now L2's label fits. */
    assert_int_equal(gantt_layout_build(&f.in, &f.ev, &v, 200, &g), 0);
    assert_cols(bar_of(&g, 3, GANTT_COMPUTE, 1, -1), 110, 120, "L2");
    gantt_layout_free(&g);
    fixture_close(&f);
}

static void test_labels_dropped_when_narrow(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    gantt_view v;
    gantt_layout g;
    layout_fit(&f, 10, &v, &g);
    for (int i = 0; i < g.nbars; i++) {
        const gantt_bar *b = &g.bars[i];
        assert_true(b->col1 > b->col0);
        assert_true(b->col0 >= 0 && b->col1 <= 10);
        /* A label always leaves one column of the bar's own glyph. */
        if (b->label[0]) assert_true((int)strlen(b->label) + 1 <= b->col1 - b->col0);
    }
    /* L1's compute is 100 ms of 712 ms: 1.4 columns, no room for "L1". */
    assert_string_equal(bar_of(&g, 1, GANTT_COMPUTE, 0, -1)->label, "");
    /* L3's load is 500 ms: seven columns, room enough. */
    assert_string_equal(bar_of(&g, 2, GANTT_LOAD, 2, -1)->label, "L3");
    gantt_layout_free(&g);
    fixture_close(&f);
}

static void test_lane_cells(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    gantt_view v = {.t0 = 0, .t1 = 0.8};
    gantt_layout g;
    assert_int_equal(gantt_layout_build(&f.in, &f.ev, &v, 80, &g), 0);
    gantt_cell cells[80];
    gantt_lane_render(&g, 1, false, cells);
    assert_string_equal(cells[0].text, ":");
    assert_string_equal(cells[30].text, ".");
    assert_string_equal(cells[10].text, "L");
    assert_string_equal(cells[11].text, "1");
    assert_true(cells[10].label && cells[11].label);
    assert_string_equal(cells[12].text, "#");
    assert_false(cells[12].label);
    assert_int_equal(g.bars[cells[12].bar].layer, 0);
    assert_string_equal(cells[75].text, " "); /* after the end of the timeline */
    assert_int_equal(cells[75].bar, -1);

    /* Transfers point along their direction; Unicode has its own glyphs. */
    gantt_lane_render(&g, 4, false, cells);
    assert_string_equal(cells[30].text, ">");
    assert_string_equal(cells[70].text, "<");
    gantt_lane_render(&g, 4, true, cells);
    assert_string_equal(cells[30].text, "\u00bb");
    gantt_lane_render(&g, 3, true, cells);
    assert_string_equal(cells[41].text, "\u2588");
    assert_string_equal(cells[5].text, "\u00b7");
    assert_string_equal(cells[50].text, "\u2591");
    gantt_lane_render(&g, 2, true, cells);
    assert_string_equal(cells[30].text, "\u2592");
    gantt_layout_free(&g);
    fixture_close(&f);
}

static void test_unused_device_and_modes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_RESIDENT, true);
    gantt_view v;
    gantt_layout g;
    layout_fit(&f, 50, &v, &g);
    assert_true(fabs(v.t1 - 0.332) < 1e-9);
    /* Resident weights: nothing loads, so three compute lanes (no empty
     * loading lanes) and one link lane. */
    assert_int_equal(g.nlanes, 4);
    assert_false(g.load_lanes);
    assert_int_equal(gantt_device_lanes(&f.ev), 1);
    assert_int_equal(gantt_link_lanes(&f.in, &f.ev), 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(g.lanes[i].kind, LANE_COMPUTE);
    assert_int_equal(gantt_compute_lane(&g, 2), 2);
    /* The spare device idles all along. */
    const gantt_lane *spare = &g.lanes[2];
    assert_string_equal(spare->title, "spare");
    assert_int_equal(spare->nbars, 1);
    assert_int_equal(g.bars[spare->first_bar].kind, GANTT_IDLE);
    assert_int_equal(g.bars[spare->first_bar].col0, 0);
    assert_int_equal(g.bars[spare->first_bar].col1, 50);
    gantt_layout_free(&g);
    fixture_close(&f);
}

/* gantt_print's text of f's timeline; the caller frees it. */
static char *print_to_string(const fixture *f, int width, bool unicode)
{
    capture c;
    capture_open(&c);
    gantt_print(c.f, &f->in, &f->ev, width, unicode);
    return capture_close(&c);
}

/* The width lane titles need: the longest of "<device> load" and "<a>-<b>"
 * over the links in use. */
static void test_title_width(void **state)
{
    (void)state;
    fixture f;
    fixture_worked_example(&f.s);
    str_copy(f.s.devices[0].name, sizeof f.s.devices[0].name, "edge-node-7");
    assert_int_equal(instance_build(&f.s, &f.in), 0);
    assert_int_equal(eval_run(&f.in, OPTIMUM, MODE_PRELOAD, &f.ev), 0);
    /* "edge-node-7-cloud" (17) beats "edge-node-7 load" (16). */
    assert_int_equal(gantt_title_width(&f.in, &f.ev), 17);
    assert_int_equal(gantt_link_lanes(&f.in, &f.ev), 1);
    eval_free(&f.ev);
    /* All on the cloud: no link in use, the load lane's title is the longest. */
    const int cloud[3] = {1, 1, 1};
    assert_int_equal(eval_run(&f.in, cloud, MODE_PRELOAD, &f.ev), 0);
    assert_int_equal(gantt_link_lanes(&f.in, &f.ev), f.ev.nhops > 0 ? 1 : 0);
    assert_int_equal(gantt_title_width(&f.in, &f.ev), f.ev.nhops > 0 ? 17 : 16);
    fixture_close(&f);
}

static void test_infeasible_has_no_bars(void **state)
{
    (void)state;
    fixture f;
    fixture_worked_example(&f.s);
    fixture_device(&f.s, "island", 1e12, 1e12, 1e12); /* no link reaches it */
    assert_int_equal(instance_build(&f.s, &f.in), 0);
    int place[3] = {0, 2, 2};
    assert_int_equal(eval_run(&f.in, place, MODE_PRELOAD, &f.ev), 0);
    assert_false(f.ev.feasible);
    gantt_view v;
    gantt_layout g;
    layout_fit(&f, 40, &v, &g);
    assert_true(v.fit);
    assert_true(v.t1 == 1.0);
    assert_int_equal(g.nlanes, 6);
    assert_int_equal(g.nbars, 0);
    /* The lanes still have their titles and kinds, for the screen's layout. */
    assert_string_equal(g.lanes[4].title, "island load");
    assert_int_equal(g.lanes[4].kind, LANE_LOAD);
    assert_string_equal(g.lanes[5].title, "island");
    assert_int_equal(g.lanes[5].kind, LANE_COMPUTE);
    assert_int_equal(g.lanes[5].device, 2);
    gantt_layout_free(&g);

    char *buf = print_to_string(&f, 80, true);
    assert_non_null(strstr(buf, "infeasible"));
    assert_non_null(strstr(buf, "no route from edge to island"));
    free(buf);
    fixture_close(&f);
}

/* The layout flags what the latency is made of (model/critical.h) and
 * alternates the shade of touching layers on one lane. */
static void test_critical_flags_and_shades(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    gantt_view v;
    gantt_layout g;
    layout_fit(&f, 100, &v, &g);
    int critical_loads = 0, critical_computes = 0, critical_hops = 0;
    for (int i = 0; i < g.nbars; i++) {
        const gantt_bar *b = &g.bars[i];
        if (!b->critical) continue;
        if (b->kind == GANTT_LOAD) {
            assert_int_equal(b->device, 1); /* the cloud streams L2 and L3 */
            critical_loads++;
        }
        if (b->kind == GANTT_COMPUTE) {
            assert_int_equal(b->layer, 2); /* L3 alone: L1 and L2 wait on nothing critical */
            critical_computes++;
        }
        if (b->kind == GANTT_TRANSFER) {
            assert_int_equal(b->boundary, 3); /* L3's output home */
            critical_hops++;
        }
        assert_true(b->kind != GANTT_IDLE && b->kind != GANTT_WAIT);
    }
    assert_int_equal(critical_loads, 2);
    assert_int_equal(critical_computes, 1);
    assert_int_equal(critical_hops, 1);
    assert_int_equal(g.lanes[1].color, 0);
    assert_int_equal(g.lanes[3].color, 1);
    assert_int_equal(g.lanes[4].color, -1);
    gantt_layout_free(&g);
    fixture_close(&f);

    /* All on the cloud in resident mode: L1, L2, L3 back to back, shades
     * alternating so each boundary shows. */
    static const int cloud[3] = {1, 1, 1};
    fixture_open(&f, cloud, MODE_RESIDENT, false);
    layout_fit(&f, 200, &v, &g);
    int lane = gantt_compute_lane(&g, 1), shades[3] = {-1, -1, -1};
    for (int i = g.lanes[lane].first_bar; i < g.lanes[lane].first_bar + g.lanes[lane].nbars; i++)
        if (g.bars[i].kind == GANTT_COMPUTE) shades[g.bars[i].layer] = g.bars[i].shade;
    assert_int_equal(shades[0], 0);
    assert_int_equal(shades[1], 1);
    assert_int_equal(shades[2], 0);
    gantt_cell cells[200];
    gantt_lane_render(&g, lane, true, cells);
    bool dark = false;
    for (int c = 0; c < 200; c++)
        dark |= strcmp(cells[c].text, "\u2593") == 0;
    assert_true(dark);
    gantt_layout_free(&g);
    fixture_close(&f);
}

/* Idle time splits where the input arrives: before, the device waits for
 * its input (preloading is free); after, for the layer's weights. */
static void test_waiting_for_weights(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    gantt_view v;
    gantt_layout g;
    layout_fit(&f, 100, &v, &g);
    /* The cloud: idle until L2's input at 0.41 s, computes L2 until 0.42 s,
     * then has L3's input but its 50 MB arrive only at 0.7 s. */
    const gantt_lane *cloud = &g.lanes[3];
    int waits = 0, idles = 0;
    for (int i = cloud->first_bar; i < cloud->first_bar + cloud->nbars; i++) {
        const gantt_bar *b = &g.bars[i];
        if (b->kind == GANTT_WAIT) {
            waits++;
            assert_int_equal(b->layer, 2);
            assert_true(fabs(b->t0 - 0.42) < 1e-12 && fabs(b->t1 - 0.7) < 1e-12);
        }
        if (b->kind == GANTT_IDLE && b->t0 == 0) {
            idles++;
            assert_true(fabs(b->t1 - 0.41) < 1e-12);
        }
    }
    assert_int_equal(waits, 1);
    assert_int_equal(idles, 1);
    gantt_layout_free(&g);
    fixture_close(&f);

    /* Resident weights: never a wait. */
    fixture_open(&f, OPTIMUM, MODE_RESIDENT, false);
    layout_fit(&f, 100, &v, &g);
    for (int i = 0; i < g.nbars; i++)
        assert_int_not_equal(g.bars[i].kind, GANTT_WAIT);
    gantt_layout_free(&g);
    fixture_close(&f);
}

/* configs/default.yaml with conv1 and pool1 on the phone, the rest on the
 * hub: pool1 takes 0 s (no FLOP) and is a one-column tick at its instant,
 * beside conv1's last cell rather than over it; the hub's pool5, avgpool
 * and flatten, all at one instant, share a tick; real work always wins a
 * cell from a tick. */
static void test_zero_length_layers_tick(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    if (scenario_load_string(nnpart_default_yaml, strlen(nnpart_default_yaml), "default.yaml", &s,
                             &err) != 0)
        fail_msg("%s", err.message);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int phone = scenario_find_device(&s, "phone"), hub = scenario_find_device(&s, "hub");
    assert_true(phone >= 0 && hub >= 0 && in.L <= 16);
    assert_string_equal(in.layer_names[1], "pool1");
    int place[16];
    for (int l = 0; l < in.L; l++)
        place[l] = l < 2 ? phone : hub;
    nn_eval ev;
    assert_int_equal(eval_run(&in, place, MODE_PRELOAD, &ev), 0);
    const nn_layer_time *pool1 = &ev.layers[1];
    assert_true(pool1->finish == pool1->start && pool1->start > 0);

    gantt_view v;
    gantt_view_fit(&v, ev.latency);
    gantt_layout g;
    assert_int_equal(gantt_layout_build(&in, &ev, &v, 100, &g), 0);
    int lane = gantt_compute_lane(&g, phone);
    int col = (int)lround(pool1->start / ev.latency * 100);
    assert_true(col > 0 && col < 100);
    int at = gantt_bar_at(&g, lane, col);
    assert_true(at >= 0);
    const gantt_bar *tick = &g.bars[at];
    assert_true(tick->tick);
    assert_int_equal(tick->kind, GANTT_COMPUTE);
    assert_int_equal(tick->layer, 1);
    assert_int_equal(tick->col0, col);
    assert_int_equal(tick->col1, col + 1);
    assert_string_equal(tick->label, "");
    /* conv1 keeps its cells. */
    const gantt_bar *conv1 = bar_of(&g, lane, GANTT_COMPUTE, 0, -1);
    assert_false(conv1->tick);
    assert_int_equal(conv1->col1, col);
    assert_int_equal(gantt_bar_at(&g, lane, col - 1), (int)(conv1 - g.bars));

    gantt_cell cells[100];
    gantt_lane_render(&g, lane, false, cells);
    assert_string_equal(cells[col].text, "|");
    assert_string_equal(cells[col - 1].text, "#");
    gantt_lane_render(&g, lane, true, cells);
    assert_string_equal(cells[col].text, "\u2502");
    assert_int_equal(cells[col].bar, at);

    /* Every lane: ticks never share a column with one another, and a cell
     * of real work is always drawn as that work. */
    int ticks = 0;
    for (int l = 0; l < g.nlanes; l++) {
        const gantt_lane *ln = &g.lanes[l];
        for (int i = ln->first_bar; i < ln->first_bar + ln->nbars; i++) {
            const gantt_bar *b = &g.bars[i];
            if (b->tick) {
                ticks++;
                for (int j = i + 1; j < ln->first_bar + ln->nbars; j++)
                    assert_false(g.bars[j].tick && g.bars[j].col0 == b->col0);
            }
            for (int c = b->col0; gantt_bar_rank(b) == 3 && c < b->col1; c++)
                assert_false(g.bars[gantt_bar_at(&g, l, c)].tick);
        }
    }
    /* pool1, pool2 and the one shared by pool5, avgpool and flatten. */
    assert_int_equal(ticks, 3);
    gantt_layout_free(&g);

    /* Zoomed away from pool1's instant: no tick. */
    v = (gantt_view){.t0 = pool1->start * 2, .t1 = ev.latency};
    assert_int_equal(gantt_layout_build(&in, &ev, &v, 100, &g), 0);
    lane = gantt_compute_lane(&g, phone);
    for (int i = g.lanes[lane].first_bar; i < g.lanes[lane].first_bar + g.lanes[lane].nbars; i++)
        assert_int_not_equal(g.bars[i].layer, 1);
    gantt_layout_free(&g);
    eval_free(&ev);
    instance_free(&in);
    scenario_free(&s);
}

static void test_view_zoom_and_pan(void **state)
{
    (void)state;
    gantt_view v;
    gantt_view_fit(&v, 0.8);
    assert_true(v.fit && v.t0 == 0 && v.t1 == 0.8);
    gantt_view_zoom(&v, 2, 0.8);
    assert_false(v.fit);
    assert_true(fabs(v.t0 - 0.2) < 1e-12 && fabs(v.t1 - 0.6) < 1e-12);
    /* Panning past the start stops at 0 and keeps the width. */
    gantt_view_pan(&v, -2, 0.8);
    assert_true(v.t0 == 0 && fabs(v.t1 - 0.4) < 1e-12);
    gantt_view_pan(&v, 0.5, 0.8);
    assert_true(fabs(v.t0 - 0.2) < 1e-12);
    gantt_view_pan(&v, 10, 0.8);
    assert_true(fabs(v.t1 - 0.8) < 1e-12 && fabs(v.t0 - 0.4) < 1e-12);
    /* Zooming out past the whole timeline fits again. */
    gantt_view_zoom(&v, 0.25, 0.8);
    assert_true(v.fit && v.t0 == 0 && v.t1 == 0.8);
    /* Zooming in stops at a microsecond. */
    for (int i = 0; i < 60; i++)
        gantt_view_zoom(&v, 2, 0.8);
    assert_true(v.t1 - v.t0 >= 1e-6 * (1 - 1e-9));
    assert_true(v.t0 >= 0 && v.t1 <= 0.8);
}

static void test_print_ascii_and_unicode(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, OPTIMUM, MODE_PRELOAD, false);
    char *ascii = print_to_string(&f, 60, false);
    for (const char *p = ascii; *p; p++)
        assert_true((unsigned char)*p < 0x80);
    /* Titles are 10 columns ("cloud load" / "edge-cloud"), the plot 48. */
    const char *want[] = {
        "edge load  |L1=====\n",
        "edge       |:::::::L1####...................................\n",
        "cloud load |L2===========L3================================\n",
        "cloud      |............................#::::::::::::::::::#\n",
        "edge-cloud |             L1>>>>>>>>>>>>>                   <\n",
        "           ++------------+-------------+------------+------^\n",
        "            0 s          200 ms        400 ms       T 712 ms\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(ascii, want[i])) fail_msg("missing line '%s' in:\n%s", want[i], ascii);
    assert_non_null(strstr(ascii, "#%| compute"));
    assert_non_null(strstr(ascii, ": waiting for weights"));
    assert_non_null(strstr(ascii, "latency 712 ms (preload)"));
    /* Every line fits the width. */
    for (const char *line = ascii; *line;) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        assert_true(nl - line <= 60);
        line = nl + 1;
    }

    char *uni = print_to_string(&f, 60, true);
    assert_non_null(strstr(uni, "edge load  \u2502L1\u2592\u2592\u2592\u2592\u2592\n"));
    assert_non_null(strstr(uni, "L1\u2588\u2588\u2588\u2588\u00b7"));
    assert_non_null(strstr(uni, "L1\u00bb\u00bb"));
    assert_non_null(strstr(uni, "\u2514\u2534"));
    assert_non_null(strstr(uni, "latency 712 ms (preload)"));
    assert_null(strstr(uni, "#"));
    free(ascii);
    free(uni);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bars_at_known_width),
        cmocka_unit_test(test_ticks_with_units),
        cmocka_unit_test(test_clipping_when_zoomed_and_panned),
        cmocka_unit_test(test_labels_dropped_when_narrow),
        cmocka_unit_test(test_lane_cells),
        cmocka_unit_test(test_unused_device_and_modes),
        cmocka_unit_test(test_title_width),
        cmocka_unit_test(test_infeasible_has_no_bars),
        cmocka_unit_test(test_critical_flags_and_shades),
        cmocka_unit_test(test_waiting_for_weights),
        cmocka_unit_test(test_zero_length_layers_tick),
        cmocka_unit_test(test_view_zoom_and_pan),
        cmocka_unit_test(test_print_ascii_and_unicode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
