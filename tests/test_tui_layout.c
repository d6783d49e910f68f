/* The explorer's screen geometry, without a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "layout.h"

static bool inside(const rect *r, int w, int h)
{
    return r->h == 0 || (r->y >= 0 && r->x >= 0 && r->y + r->h <= h && r->x + r->w <= w);
}

static bool overlap(const rect *a, const rect *b)
{
    if (a->h == 0 || b->h == 0) return false;
    return a->y < b->y + b->h && b->y < a->y + a->h && a->x < b->x + b->w && b->x < a->x + a->w;
}

/* Rows a pane must show at least: its title and two rows (fewer if fewer). */
static int least(int rows)
{
    int n = rows > 0 ? rows : 1;
    return 1 + (n < 2 ? n : 2);
}

static int max2(int a, int b)
{
    return a > b ? a : b;
}

static int full(int rows)
{
    return 1 + (rows > 0 ? rows : 1);
}

static int lanes_of(const layout_want *want)
{
    int n = (want->compute_only ? 1 : 2) * want->lane_devices + want->lane_links;
    return n > 0 ? n : 1;
}

/* What every layout keeps, comparing or not: the header on top, the footer
 * at the bottom, everything inside the screen, nothing overlapping, no row
 * left to no one, every pane Tab visits on the screen, the timeline as tall
 * as its lanes. */
static void assert_tiled(const screen_layout *l, int w, int h)
{
    assert_false(l->too_small);
    rect all[PANE_COUNT + 2];
    int n = 0;
    all[n++] = l->header;
    all[n++] = l->footer;
    for (int p = 0; p < PANE_COUNT; p++)
        all[n++] = l->pane[p];
    for (int i = 0; i < n; i++) {
        if (!inside(&all[i], w, h))
            fail_msg("rect %d (%d,%d %dx%d) outside %dx%d", i, all[i].y, all[i].x, all[i].w,
                     all[i].h, w, h);
        for (int j = i + 1; j < n; j++)
            if (overlap(&all[i], &all[j])) fail_msg("rects %d and %d overlap at %dx%d", i, j, w, h);
    }
    assert_int_equal(l->header.y, 0);
    assert_int_equal(l->footer.y + l->footer.h, h);
    /* The bottom panes end on the footer. */
    const rect *lay = &l->pane[PANE_LAYERS], *base = &l->pane[PANE_BASELINES];
    int bottom = lay->y + lay->h;
    if (base->h > 0 && base->y + base->h > bottom) bottom = base->y + base->h;
    assert_int_equal(bottom, l->footer.y);
    for (int p = 0; p < PANE_COUNT; p++)
        assert_true(l->pane[p].h >= 2);
    assert_int_equal(l->pane[PANE_TIMELINE].h, LAYOUT_TIMELINE_EXTRA + l->lanes_h);
}

/* assert_tiled, every pane usable, and spare rows only where nothing else
 * wants them. */
static void assert_sane(const screen_layout *l, int w, int h, const layout_want *want)
{
    assert_tiled(l, w, h);
    const rect *lay = &l->pane[PANE_LAYERS], *base = &l->pane[PANE_BASELINES];
    const rect *tl = &l->pane[PANE_TIMELINE];
    assert_true(l->pane[PANE_DEVICES].h >= least(want->rows[PANE_DEVICES]));
    assert_true(l->pane[PANE_LINKS].h >= least(want->rows[PANE_LINKS]));
    assert_true(lay->h >= least(want->rows[PANE_LAYERS]));
    assert_int_equal(tl->w, w);
    int lanes = lanes_of(want);
    assert_true(l->lanes_h >= (lanes < 2 ? lanes : 2));
    if (l->lane_level > 0)
        assert_int_equal(l->lanes_h,
                         layout_lanes_rows(l->lane_devices, l->lane_links, l->lane_level));
    else
        assert_true(l->lanes_h <= lanes);

    /* The timeline comes first: while its lanes scroll, the other panes are
     * at their least (side by side, a pair is as tall as the taller least). */
    if (l->lanes_h < lanes) {
        int top = max2(least(want->rows[PANE_DEVICES]), least(want->rows[PANE_LINKS]));
        int bot = max2(least(want->rows[PANE_LAYERS]), least(want->rows[PANE_BASELINES]));
        assert_true(l->pane[PANE_DEVICES].h <= top);
        assert_true(l->pane[PANE_LINKS].h <= top);
        assert_true(lay->h <= bot);
        if (base->y != lay->y) assert_true(base->h <= least(want->rows[PANE_BASELINES]));
    }
    /* Rows beyond what the layers and baselines can show are only left when
     * the timeline is drawn at its most generous or its next step needs more. */
    int shown = full(want->rows[PANE_LAYERS]);
    if (base->h > 0 && base->y == lay->y && full(want->rows[PANE_BASELINES]) > shown)
        shown = full(want->rows[PANE_BASELINES]);
    if (lay->h > shown && l->lane_level < LAYOUT_LANE_LEVELS) {
        int next = layout_lanes_rows(l->lane_devices, l->lane_links, l->lane_level + 1);
        if (lay->h - shown >= next - l->lanes_h)
            fail_msg("%dx%d: %d spare rows under the layers, the timeline's next step needs %d", w,
                     h, lay->h - shown, next - l->lanes_h);
    }
}

/* The built-in default: 3 devices, 3 links (2 in use), 13 layers, 8 baselines. */
static const layout_want DEFAULT_WANT = {
    .rows = {[PANE_DEVICES] = 3, [PANE_LINKS] = 3, [PANE_LAYERS] = 13, [PANE_BASELINES] = 8},
    .lane_devices = 3,
    .lane_links = 2,
    .width = {[PANE_DEVICES] = 55, [PANE_LINKS] = 56, [PANE_LAYERS] = 84, [PANE_BASELINES] = 48},
};

static void test_too_small(void **state)
{
    (void)state;
    screen_layout l;
    layout_compute(79, 40, &DEFAULT_WANT, &l);
    assert_true(l.too_small);
    layout_compute(120, 23, &DEFAULT_WANT, &l);
    assert_true(l.too_small);
    layout_compute(80, 24, &DEFAULT_WANT, &l);
    assert_false(l.too_small);
}

/* 120x40: side by side, every lane with blank rows between the devices and
 * two-row compute lanes, every layer and baseline shown. */
static void test_default_at_120x40(void **state)
{
    (void)state;
    screen_layout l;
    layout_compute(120, 40, &DEFAULT_WANT, &l);
    assert_sane(&l, 120, 40, &DEFAULT_WANT);
    assert_int_equal(l.pane[PANE_DEVICES].y, l.pane[PANE_LINKS].y);
    assert_int_equal(l.pane[PANE_DEVICES].h, 4);
    assert_int_equal(l.pane[PANE_DEVICES].x + l.pane[PANE_DEVICES].w, l.pane[PANE_LINKS].x);
    assert_int_equal(l.pane[PANE_TIMELINE].y, LAYOUT_HEADER_H + 4);
    assert_int_equal(l.lane_level, 2);
    /* 8 lanes, 3 of them compute lanes twice as tall, 3 blank rows. */
    assert_int_equal(l.lanes_h, 8 + 3 + 3);
    assert_int_equal(l.pane[PANE_LAYERS].y, l.pane[PANE_BASELINES].y);
    assert_true(l.pane[PANE_LAYERS].h >= 14);
    assert_int_equal(l.pane[PANE_LAYERS].w + l.pane[PANE_BASELINES].w, 120);
    /* The baselines get the width their names need. */
    assert_int_equal(l.pane[PANE_BASELINES].w, 48);
    assert_true(rect_contains(&l.pane[PANE_LAYERS], l.pane[PANE_LAYERS].y, 0));
    assert_false(rect_contains(&l.pane[PANE_LAYERS], l.pane[PANE_LAYERS].y - 1, 0));
}

/* 130x43: the rows the layers do not need make the compute lanes taller,
 * and not one row is left blank under the layers. */
static void test_spare_rows_go_to_the_timeline(void **state)
{
    (void)state;
    screen_layout l;
    layout_compute(130, 43, &DEFAULT_WANT, &l);
    assert_sane(&l, 130, 43, &DEFAULT_WANT);
    assert_int_equal(l.lane_level, 3);
    assert_int_equal(l.lanes_h, 8 + 3 + 2 * 3);
    assert_int_equal(l.pane[PANE_LAYERS].h, 1 + 13);
    /* Taller still, the timeline stops growing and the layers keep the rest. */
    layout_compute(130, 60, &DEFAULT_WANT, &l);
    assert_sane(&l, 130, 60, &DEFAULT_WANT);
    assert_int_equal(l.lane_level, LAYOUT_LANE_LEVELS);
    assert_true(l.pane[PANE_LAYERS].h > 1 + 13);
}

/* 80x24: stacked and tight, but the timeline shows every lane. */
static void test_minimum_size(void **state)
{
    (void)state;
    screen_layout l;
    layout_compute(80, 24, &DEFAULT_WANT, &l);
    assert_sane(&l, 80, 24, &DEFAULT_WANT);
    assert_true(l.pane[PANE_LINKS].y > l.pane[PANE_DEVICES].y);
    assert_int_equal(l.pane[PANE_LAYERS].w, 80);
    assert_int_equal(l.lane_level, 0);
    /* Every pane keeps its title and two rows; the 8 lanes scroll in what
     * is left. */
    assert_int_equal(l.pane[PANE_BASELINES].h, 3);
    assert_int_equal(l.lanes_h,
                     24 - LAYOUT_HEADER_H - LAYOUT_FOOTER_H - 4 * 3 - LAYOUT_TIMELINE_EXTRA);
}

/* Resident mode: one lane a device, so the same screen fits them sooner. */
static void test_compute_only_lanes(void **state)
{
    (void)state;
    layout_want want = DEFAULT_WANT;
    want.compute_only = true;
    screen_layout l;
    layout_compute(80, 24, &want, &l);
    assert_sane(&l, 80, 24, &want);
    assert_int_equal(layout_lane_count(&l), 3 + 2);
    assert_int_equal(l.lanes_h,
                     24 - LAYOUT_HEADER_H - LAYOUT_FOOTER_H - 4 * 3 - LAYOUT_TIMELINE_EXTRA);
    layout_compute(120, 40, &want, &l);
    assert_true(l.lane_level >= 1);
    int gap, h;
    layout_lane(&l, 0, &gap, &h);
    assert_true(h >= 2); /* lane 0 is a compute lane now */
}

/* Lane geometry: the rows add up, and every row maps back to its lane. */
static void test_lane_rows(void **state)
{
    (void)state;
    for (int devices = 1; devices <= 5; devices++)
        for (int links = 0; links <= 4; links++)
            for (int level = 0; level <= LAYOUT_LANE_LEVELS; level++) {
                screen_layout l = {
                    .lane_devices = devices, .lane_links = links, .lane_level = level};
                l.lanes_h = layout_lanes_rows(devices, links, level);
                int y = 0, n = 2 * devices + links;
                for (int lane = 0; lane < n; lane++) {
                    int gap, h;
                    layout_lane(&l, lane, &gap, &h);
                    bool compute = lane < 2 * devices && lane % 2 == 1;
                    /* Blank rows only between groups and from level 1. */
                    assert_true(gap == 0 || (level >= 1 && lane > 0 && !compute));
                    /* Compute lanes grow first and most. */
                    static const int want_compute[] = {1, 1, 2, 3, 3, 4, 5};
                    static const int want_other[] = {1, 1, 1, 1, 2, 2, 2};
                    assert_int_equal(h, compute ? want_compute[level] : want_other[level]);
                    for (int k = 0; k < gap; k++)
                        assert_int_equal(layout_lane_at(&l, 0, y + k), -1);
                    y += gap;
                    for (int k = 0; k < h; k++)
                        assert_int_equal(layout_lane_at(&l, 0, y + k), lane);
                    y += h;
                }
                assert_int_equal(y, l.lanes_h);
                assert_int_equal(layout_lane_at(&l, 0, y), -1);
                assert_int_equal(layout_lane_at(&l, 0, -1), -1);
                /* Level 1 separates devices and links by one row each. */
                if (level == 1) assert_int_equal(l.lanes_h, n + devices - 1 + (links > 0));
            }
    /* At level 0 the lanes scroll: row dy is lane top + dy. */
    screen_layout l = {.lane_devices = 4, .lane_links = 3, .lanes_h = 5};
    assert_int_equal(layout_lane_at(&l, 3, 0), 3);
    assert_int_equal(layout_lane_at(&l, 3, 4), 7);
    assert_int_equal(layout_lane_at(&l, 7, 4), -1);
}

/* Many sizes and contents: always sane. */
static void test_every_size(void **state)
{
    (void)state;
    srand(7);
    for (int w = LAYOUT_MIN_W; w <= 240; w += 7)
        for (int h = LAYOUT_MIN_H; h <= 80; h += 3)
            for (int k = 0; k < 4; k++) {
                layout_want want = {.lane_devices = 1 + rand() % 6, .lane_links = rand() % 8};
                for (int p = 0; p < PANE_COUNT; p++) {
                    want.rows[p] = rand() % 40;
                    want.width[p] = rand() % 120;
                }
                screen_layout l;
                layout_compute(w, h, &want, &l);
                assert_sane(&l, w, h, &want);
            }
}

/* Comparing: the two timelines take the room, every other pane keeps its
 * title and one row (still on the screen for Tab), nothing overlaps. */
static void assert_compare_sane(const screen_layout *l, int w, int h, const layout_want *want)
{
    assert_tiled(l, w, h);
    assert_true(l->compare);
    assert_int_equal(l->lane_level, 0);
    /* A label and a lane for each timeline at least; never more than asked. */
    assert_true(l->lanes_h >= 4);
    assert_true(l->lanes_h <= max2(want->compare_rows, want->compare_comfort));
    /* Short of rows, the others are at one row each (side by side: the pair). */
    if (l->lanes_h < want->compare_rows) {
        assert_true(l->pane[PANE_DEVICES].h <= 2 && l->pane[PANE_LINKS].h <= 2);
        assert_true(l->pane[PANE_LAYERS].h <= 2 && l->pane[PANE_BASELINES].h <= 2);
    }
}

static void test_compare(void **state)
{
    (void)state;
    /* The default against a baseline: 8 lanes each and two labels. */
    layout_want want = DEFAULT_WANT;
    want.compare_rows = 2 + 8 + 8;
    want.compare_step = 6;
    want.compare_comfort = want.compare_rows + 2 * 6;
    screen_layout l;
    layout_compute(80, 24, &want, &l);
    assert_compare_sane(&l, 80, 24, &want);
    /* 80x24: every pane at one row gives the timelines 8 rows (two labels
     * and six lanes: the compute lanes of three devices, twice). */
    assert_int_equal(l.lanes_h,
                     24 - LAYOUT_HEADER_H - LAYOUT_FOOTER_H - 4 * 2 - LAYOUT_TIMELINE_EXTRA);
    assert_int_equal(l.pane[PANE_BASELINES].h, 2);
    /* 120x40: every lane, and the other panes grow again. */
    layout_compute(120, 40, &want, &l);
    assert_compare_sane(&l, 120, 40, &want);
    assert_true(l.lanes_h >= want.compare_rows);
    assert_true(l.pane[PANE_DEVICES].h >= 4);
    /* Taller compute lanes come in whole steps only. */
    assert_int_equal((l.lanes_h - want.compare_rows) % want.compare_step, 0);
    srand(11);
    for (int w = LAYOUT_MIN_W; w <= 240; w += 11)
        for (int h = LAYOUT_MIN_H; h <= 80; h += 5)
            for (int k = 0; k < 3; k++) {
                layout_want r = {.lane_devices = 1 + rand() % 6, .lane_links = rand() % 8};
                for (int p = 0; p < PANE_COUNT; p++) {
                    r.rows[p] = rand() % 40;
                    r.width[p] = rand() % 120;
                }
                r.compare_step = 2 * r.lane_devices;
                r.compare_rows = 2 + 2 * (2 * r.lane_devices + r.lane_links);
                r.compare_comfort = r.compare_rows + 2 * r.compare_step;
                layout_compute(w, h, &r, &l);
                assert_compare_sane(&l, w, h, &r);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_default_at_120x40),
        cmocka_unit_test(test_spare_rows_go_to_the_timeline),
        cmocka_unit_test(test_minimum_size),
        cmocka_unit_test(test_compute_only_lanes),
        cmocka_unit_test(test_lane_rows),
        cmocka_unit_test(test_every_size),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
