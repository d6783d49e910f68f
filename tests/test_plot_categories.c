/* A plot over categories (a sweep of presets): the points have no order,
 * so neither painter may join them with a line; each gets a mark of its
 * own at its latency. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers_io.h"
#include "plot.h"
#include "plot_svg.h"
#include "plot_text.h"

enum { N = 3 };

/* Three presets: two at 0.1 s, the third at 3 s (the optimum), and a best
 * baseline at 0.2 s, 0.2 s, 3 s. */
static void categories(plot_data *p, double *x, double *opt, double *best, char (*cat)[64])
{
    memset(p, 0, sizeof *p);
    snprintf(p->title, sizeof p->title, "presets");
    snprintf(p->xname, sizeof p->xname, "device:cloud.preset");
    p->xunit = UNIT_KIND_COUNT;
    p->n = N;
    const char *names[N] = {"t4", "a100", "smart-camera"};
    const double o[N] = {0.1, 0.1, 3.0}, b[N] = {0.2, 0.2, 3.0};
    for (int i = 0; i < N; i++) {
        x[i] = i;
        opt[i] = o[i];
        best[i] = b[i];
        snprintf(cat[i], sizeof cat[i], "%s", names[i]);
    }
    p->x = x;
    p->xcat = cat;
    p->nseries = 2;
    p->series[0] = (plot_series){.name = "optimum", .style = PLOT_OPTIMUM, .y = opt};
    p->series[1] = (plot_series){.name = "best baseline", .style = PLOT_BEST, .y = best};
    p->current = NAN;
}

/* The columns of the plot area holding the optimum's marks, as a mask. */
static int optimum_columns(const plot_text *t, unsigned char *col)
{
    int n = 0;
    memset(col, 0, (size_t)t->w);
    for (int y = 0; y < t->h; y++)
        for (int x = 0; x < t->w; x++)
            if (t->cells[y * t->w + x].kind == PCELL_OPTIMUM && !col[x]) {
                col[x] = 1;
                n++;
            }
    return n;
}

static void test_text_marks_not_lines(void **state)
{
    (void)state;
    plot_data p;
    double x[N], opt[N], best[N];
    char cat[N][64];
    categories(&p, x, opt, best, cat);
    for (int unicode = 0; unicode < 2; unicode++) {
        plot_text t;
        assert_int_equal(plot_text_render(&p, 72, 16, unicode, &t), 0);
        unsigned char col[72];
        int used = optimum_columns(&t, col);
        /* Marks, not a line across the plot: well under half its width is
         * drawn, and there are exactly three separate runs of columns. */
        assert_true(used > 0);
        assert_true(used < t.pw / 2);
        int runs = 0;
        for (int c = 0; c < t.w; c++)
            if (col[c] && (c == 0 || !col[c - 1])) runs++;
        assert_int_equal(runs, N);
        /* The third mark sits higher (3 s) than the first two (0.1 s). */
        int top[N], k = 0;
        for (int c = 0; c < t.w && k < N; c++) {
            if (!col[c] || (c > 0 && col[c - 1])) continue;
            top[k] = t.h;
            for (int y = 0; y < t.h; y++)
                if (t.cells[y * t.w + c].kind == PCELL_OPTIMUM) {
                    top[k] = y;
                    break;
                }
            k++;
        }
        assert_int_equal(top[0], top[1]);
        assert_true(top[2] < top[0]);
        plot_text_free(&t);
    }
}

/* The SVG of `p`, as text the caller frees. */
static char *svg_of(const plot_data *p)
{
    capture c;
    capture_open(&c);
    assert_int_equal(plot_svg_write(c.f, p), 0);
    return capture_close(&c);
}

static void test_svg_marks_not_lines(void **state)
{
    (void)state;
    plot_data p;
    double x[N], opt[N], best[N];
    char cat[N][64];
    categories(&p, x, opt, best, cat);
    char *buf = svg_of(&p);
    assert_null(strstr(buf, "<polyline"));
    int dots = 0;
    for (const char *s = buf; (s = strstr(s, "r=\"4\" fill=\"#111111\"")); s++)
        dots++;
    assert_int_equal(dots, N);
    for (int i = 0; i < N; i++) {
        char label[200];
        snprintf(label, sizeof label, ">%s<", cat[i]);
        assert_non_null(strstr(buf, label));
    }
    free(buf);
}

/* A numeric axis still draws its lines. */
static void test_numeric_axis_keeps_lines(void **state)
{
    (void)state;
    plot_data p;
    double x[N], opt[N], best[N];
    char cat[N][64];
    categories(&p, x, opt, best, cat);
    p.xcat = NULL;
    p.xunit = UNIT_KIND_COUNT;
    char *buf = svg_of(&p);
    assert_non_null(strstr(buf, "<polyline"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_marks_not_lines),
        cmocka_unit_test(test_svg_marks_not_lines),
        cmocka_unit_test(test_numeric_axis_keeps_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
