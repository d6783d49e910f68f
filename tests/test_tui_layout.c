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

/* Everything inside the screen, nothing overlapping, panes usable. */
static int least(int want)
{
    int rows = want > 0 ? want : 1;
    return rows < 2 ? rows : 2;
}

static void assert_sane(const screen_layout *l, int w, int h, const int *want)
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
    /* A title and two rows at least (fewer when fewer are wanted); the
     * baselines may wait for a taller screen. */
    assert_true(l->pane[PANE_DEVICES].h >= 1 + least(want[PANE_DEVICES]));
    assert_true(l->pane[PANE_LINKS].h >= 1 + least(want[PANE_LINKS]));
    assert_true(l->pane[PANE_LAYERS].h >= 3);
    assert_true(l->pane[PANE_TIMELINE].h >= LAYOUT_TIMELINE_EXTRA + least(want[PANE_TIMELINE]));
    assert_int_equal(l->pane[PANE_TIMELINE].w, w);
}

static const int DEFAULT_WANT[PANE_COUNT] = {
    [PANE_DEVICES] = 3, [PANE_LINKS] = 3,     [PANE_TIMELINE] = 9,
    [PANE_LAYERS] = 13, [PANE_BASELINES] = 8,
};

static void test_too_small(void **state)
{
    (void)state;
    screen_layout l;
    layout_compute(79, 40, DEFAULT_WANT, &l);
    assert_true(l.too_small);
    layout_compute(120, 23, DEFAULT_WANT, &l);
    assert_true(l.too_small);
    layout_compute(80, 24, DEFAULT_WANT, &l);
    assert_false(l.too_small);
}

/* 120x40 with the default scenario: everything at full size, side by side. */
static void test_default_at_120x40(void **state)
{
    (void)state;
    screen_layout l;
    layout_compute(120, 40, DEFAULT_WANT, &l);
    assert_sane(&l, 120, 40, DEFAULT_WANT);
    assert_int_equal(l.pane[PANE_DEVICES].y, l.pane[PANE_LINKS].y);
    assert_int_equal(l.pane[PANE_DEVICES].h, 4);
    assert_int_equal(l.pane[PANE_DEVICES].x + l.pane[PANE_DEVICES].w, l.pane[PANE_LINKS].x);
    assert_int_equal(l.pane[PANE_TIMELINE].h, LAYOUT_TIMELINE_EXTRA + 9);
    assert_int_equal(l.pane[PANE_TIMELINE].y, 2 + 4);
    assert_int_equal(l.pane[PANE_LAYERS].y, l.pane[PANE_BASELINES].y);
    assert_int_equal(l.pane[PANE_LAYERS].h, 40 - 2 - 2 - 4 - 13);
    assert_int_equal(l.pane[PANE_LAYERS].w + l.pane[PANE_BASELINES].w, 120);
    assert_true(rect_contains(&l.pane[PANE_LAYERS], l.pane[PANE_LAYERS].y, 0));
    assert_false(rect_contains(&l.pane[PANE_LAYERS], l.pane[PANE_LAYERS].y - 1, 0));
}

/* 80x24: stacked, shrunk, but every pane keeps its title and two rows. */
static void test_minimum_size(void **state)
{
    (void)state;
    screen_layout l;
    layout_compute(80, 24, DEFAULT_WANT, &l);
    assert_sane(&l, 80, 24, DEFAULT_WANT);
    assert_true(l.pane[PANE_LINKS].y > l.pane[PANE_DEVICES].y);
    assert_int_equal(l.pane[PANE_LAYERS].w, 80);
}

/* Many sizes and contents: always sane. */
static void test_every_size(void **state)
{
    (void)state;
    srand(7);
    for (int w = LAYOUT_MIN_W; w <= 240; w += 7)
        for (int h = LAYOUT_MIN_H; h <= 80; h += 3)
            for (int k = 0; k < 4; k++) {
                int want[PANE_COUNT];
                for (int p = 0; p < PANE_COUNT; p++)
                    want[p] = rand() % 40;
                screen_layout l;
                layout_compute(w, h, want, &l);
                assert_sane(&l, w, h, want);
                /* Nobody gets rows it did not ask for, but the layers (the rest). */
                assert_true(l.pane[PANE_TIMELINE].h <=
                            LAYOUT_TIMELINE_EXTRA +
                                (want[PANE_TIMELINE] > 0 ? want[PANE_TIMELINE] : 1));
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_default_at_120x40),
        cmocka_unit_test(test_minimum_size),
        cmocka_unit_test(test_every_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
