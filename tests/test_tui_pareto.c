/* The explorer's Pareto view (issue 12): the front it computes is nnpart
 * pareto's; the selection along it (matching the optimum's point, steps
 * from a point and from none); a point on show takes the optimum's place
 * (placement, evaluation, header text, baselines) and gives it back when
 * the view closes or a new result arrives; P pins it; the thread returns
 * only the latest request's front; the SVG export. */
#include <glpk.h>
#include <math.h>
#include <poll.h>
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
#include "helpers_io.h"
#include "pareto_view.h"
#include "scenario_io.h"
#include "sensitivity.h"

static void load_phone(nn_scenario *s)
{
    nn_error err;
    assert_int_equal(scenario_load_file("configs/battery-phone.yaml", s, &err), 0);
}

/* A front of (latency, energy) pairs, placements left out. */
static nn_pareto make_front(const double (*pts)[2], int n)
{
    nn_pareto p = {.count = n};
    p.points = calloc((size_t)n, sizeof *p.points);
    assert_non_null(p.points);
    for (int i = 0; i < n; i++) {
        p.points[i].latency = pts[i][0];
        p.points[i].energy = pts[i][1];
    }
    return p;
}

static void test_selection(void **state)
{
    (void)state;
    static const double pts[][2] = {{0.010, 3.0}, {0.010 + 1e-7, 2.0}, {0.020, 1.0}, {0.050, 0.5}};
    nn_pareto f = make_front(pts, 4);
    /* A placement is a point within the tolerances, else off the front. */
    assert_int_equal(pview_match(&f, 0.020 * (1 + 1e-12), 1.0 * (1 - 1e-8)), 2);
    assert_int_equal(pview_match(&f, 0.010, 3.0), 0);
    assert_int_equal(pview_match(&f, 0.010, 3.1), -1); /* as fast, more energy */
    assert_int_equal(pview_match(&f, 0.021, 1.0), -1); /* slower */
    assert_int_equal(pview_match(&f, NAN, 1.0), -1);
    /* Steps from a point: one along, stopping at the ends. */
    assert_int_equal(pview_step(&f, 1, 0, 1), 2);
    assert_int_equal(pview_step(&f, 1, 0, -1), 0);
    assert_int_equal(pview_step(&f, 3, 0, 1), 3);
    assert_int_equal(pview_step(&f, 0, 0, -1), 0);
    /* From no point: the first past the optimum's latency that way. */
    assert_int_equal(pview_step(&f, -1, 0.010, 1), 1);
    assert_int_equal(pview_step(&f, -1, 0.030, 1), 3);
    assert_int_equal(pview_step(&f, -1, 0.030, -1), 2);
    assert_int_equal(pview_step(&f, -1, 0.060, 1), 3);
    assert_int_equal(pview_step(&f, -1, 0.005, -1), 0);
    nn_pareto empty = {0};
    assert_int_equal(pview_step(&empty, -1, 0.01, 1), -1);
    free(f.points);
}

/* The view's front is the command line's: solve_pareto with the battery
 * devices' energy under battery-energy, each point's values the evaluator's. */
static void test_compute(void **state)
{
    (void)state;
    nn_scenario s;
    load_phone(&s);
    pview_result *r = pview_compute(&s, 10, NULL, 7);
    assert_non_null(r);
    assert_int_equal(r->gen, 7);
    assert_true(r->battery);
    assert_int_equal(r->front.status, SOLVE_OPTIMAL);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_solve_options opt = {.mode = s.mode, .objective = OBJ_BATTERY_ENERGY, .time_limit_s = 10};
    nn_pareto want;
    assert_int_equal(solve_pareto(&in, &opt, PVIEW_MAX_POINTS, &want), 0);
    assert_int_equal(r->front.count, want.count);
    assert_true(r->front.count >= 3);
    assert_int_equal(r->L, in.L);
    for (int i = 0; i < want.count; i++) {
        assert_true(r->front.points[i].latency == want.points[i].latency);
        assert_true(r->front.points[i].energy == want.points[i].energy);
        double battery;
        eval_energy(&in, r->front.points[i].place, s.mode, &battery, NULL);
        assert_true(fabs(battery - r->front.points[i].energy) <= 1e-12 * battery);
        /* In increasing latency, decreasing energy. */
        if (i > 0) {
            assert_true(r->front.points[i].latency >= r->front.points[i - 1].latency);
            assert_true(r->front.points[i].energy < r->front.points[i - 1].energy);
        }
    }
    pareto_free(&want);
    instance_free(&in);
    pview_result_free(r);
    /* Under the energy objective, every device's energy. */
    s.objective = OBJ_ENERGY;
    r = pview_compute(&s, 10, NULL, 8);
    assert_false(r->battery);
    assert_true(r->front.count >= 1);
    pview_result_free(r);
    scenario_free(&s);
    glp_free_env();
}

static void open_phone(explorer *ex)
{
    nn_scenario s;
    load_phone(&s);
    assert_int_equal(explorer_init(ex, &s, NULL), 0);
    ex->submitted = 1;
    explorer_show(ex, outcome_solve(&ex->doc, NULL, 0, NULL, NULL, 1));
    nn_baselines b;
    double t;
    assert_int_equal(outcome_baselines(&ex->doc, ex->shown->res.latency, 0, NULL, &b, &t), 0);
    explorer_show_baselines(ex, 1, &b, t);
    assert_true(ex->shown->base_done);
}

/* Opens the view and shows its front as the thread would. */
static void open_view(explorer *ex)
{
    explorer_key(ex, 'F');
    assert_true(pview_active(ex));
    assert_true(pview_stale(ex));
    assert_true(pview_computing(ex));
    pview_requested(ex, 3);
    assert_false(pview_stale(ex));
    pview_show(ex, pview_compute(&ex->doc, 10, NULL, 3));
    assert_false(pview_computing(ex));
}

static void test_steps(void **state)
{
    (void)state;
    explorer ex;
    open_phone(&ex);
    explorer_key(&ex, ']');
    /* Closed: ] is the sensitivity view's. */
    assert_true(ex.msg_error);
    assert_non_null(strstr(ex.msg, "sensitivity view"));
    open_view(&ex);
    const pview_result *r = ex.pview->shown;
    int n = r->front.count;
    char text[256];
    /* Battery energy is optimised: the optimum is the most frugal point. */
    assert_int_equal(ex.pview->sel, n - 1);
    assert_null(ex.pview->kept);
    assert_true(pview_point_text(&ex, text, sizeof text));
    assert_non_null(strstr(text, "of the Pareto front"));
    explorer_key(&ex, ']');
    assert_true(ex.msg_error);
    const tui_outcome *optimum = ex.shown;
    int L = ex.doc.net.nlayers;
    /* [ walks to the fastest point; each is on show in the optimum's place. */
    for (int k = n - 2; k >= 0; k--) {
        unsigned eff = explorer_key(&ex, '[');
        assert_int_equal(eff, EFFECT_REDRAW); /* not an edit: nothing to solve */
        assert_int_equal(ex.pview->sel, k);
        assert_ptr_equal(ex.pview->kept, optimum);
        const nn_pareto_point *pt = &r->front.points[k];
        assert_memory_equal(ex.shown->res.place, pt->place, (size_t)L * sizeof(int));
        assert_true(ex.shown->has_eval);
        assert_true(ex.shown->res.latency == ex.shown->ev.latency);
        assert_true(fabs(ex.shown->res.latency - pt->latency) <= 1e-12 * pt->latency);
        assert_true(fabs(ex.shown->res.energy_battery - pt->energy) <= 1e-12 * pt->energy);
        assert_true(ex.shown->res.value == ex.shown->res.energy_battery);
        /* The baselines stay on show with it. */
        assert_true(ex.shown->base_done);
        assert_false(optimum->base_done);
        char lat[32], e[32], want[160];
        units_format(pt->latency, UNIT_TIME, lat, sizeof lat);
        units_format(pt->energy, UNIT_ENERGY, e, sizeof e);
        snprintf(want, sizeof want, "Pareto point %d/%d: latency %s, battery energy %s (", k + 1, n,
                 lat, e);
        assert_memory_equal(ex.msg, want, strlen(want));
        snprintf(want, sizeof want, "point %d/%d of the Pareto front: %s, %s on battery", k + 1, n,
                 lat, e);
        assert_true(pview_point_text(&ex, text, sizeof text));
        assert_string_equal(text, want);
    }
    explorer_key(&ex, '[');
    assert_string_equal(ex.msg, "the fastest point of the front already (1/3)");
    /* Back to the optimum's own point: the optimum itself is on show. */
    for (int k = 1; k < n; k++)
        explorer_key(&ex, ']');
    assert_ptr_equal(ex.shown, optimum);
    assert_null(ex.pview->kept);
    assert_true(ex.shown->base_done);
    /* Right beside the view (the timeline) steps too; Left back. */
    while (ex.pane != PANE_TIMELINE)
        explorer_key(&ex, EXK_TAB);
    explorer_key(&ex, EXK_LEFT);
    assert_int_equal(ex.pview->sel, n - 2);
    /* P pins the point on show: one edit. */
    int want_place[64];
    assert_true(L <= 64);
    memcpy(want_place, r->front.points[n - 2].place, (size_t)L * sizeof(int));
    unsigned eff = explorer_key(&ex, 'P');
    assert_true(eff & EFFECT_RESOLVE);
    assert_memory_equal(ex.doc.pin, want_place, (size_t)L * sizeof(int));
    assert_non_null(strstr(ex.msg, "pinned every layer to point 2/3 of the Pareto front"));
    /* The edit makes the front stale; the new result gives the optimum
     * back first. */
    ex.submitted = 2;
    assert_true(pview_stale(&ex));
    explorer_key(&ex, ']');
    assert_string_equal(ex.msg, "the Pareto front is still being computed");
    explorer_show(&ex, outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 2));
    assert_null(ex.pview->kept);
    assert_int_equal(ex.pview->sel, -1);
    assert_memory_equal(ex.shown->res.place, want_place, (size_t)L * sizeof(int));
    /* An older front than the latest request is dropped. */
    pview_requested(&ex, 9);
    pview_show(&ex, pview_compute(&ex.doc, 10, NULL, 8));
    assert_true(pview_computing(&ex));
    pview_show(&ex, pview_compute(&ex.doc, 10, NULL, 9));
    assert_int_equal(ex.pview->shown->front.count, 1); /* every layer pinned */
    assert_int_equal(ex.pview->sel, 0);
    explorer_free(&ex);
    glp_free_env();
}

static void test_close_and_views(void **state)
{
    (void)state;
    explorer ex;
    open_phone(&ex);
    open_view(&ex);
    const tui_outcome *optimum = ex.shown;
    explorer_key(&ex, '[');
    assert_ptr_equal(ex.pview->kept, optimum);
    /* F again: the optimum is back, with its baselines. */
    explorer_key(&ex, 'F');
    assert_false(pview_active(&ex));
    assert_ptr_equal(ex.shown, optimum);
    assert_true(ex.shown->base_done);
    assert_string_equal(ex.msg, "Pareto view closed; the optimum is back on show");
    /* One view at a time: v closes the front, F closes the sensitivity view. */
    open_view(&ex);
    while (ex.pane != PANE_DEVICES)
        explorer_key(&ex, EXK_TAB);
    explorer_key(&ex, 'v');
    assert_true(sens_active(&ex));
    assert_false(pview_active(&ex));
    explorer_key(&ex, 'F');
    assert_true(pview_active(&ex));
    assert_false(sens_active(&ex));
    /* Closing with a point on show frees nothing twice (ASan). */
    pview_requested(&ex, 4);
    pview_show(&ex, pview_compute(&ex.doc, 10, NULL, 4));
    explorer_key(&ex, '[');
    assert_non_null(ex.pview->kept);
    explorer_free(&ex);
    glp_free_env();
}

static void test_thread(void **state)
{
    (void)state;
    nn_scenario s;
    load_phone(&s);
    pview_worker *w = pview_worker_start(10);
    assert_non_null(w);
    /* Two requests at once: only the second's front comes back. */
    unsigned long a = pview_worker_submit(w, &s);
    unsigned long b = pview_worker_submit(w, &s);
    assert_true(b > a);
    struct pollfd pfd = {.fd = pview_worker_fd(w), .events = POLLIN};
    pview_result *r = NULL;
    for (int i = 0; i < 600 && !r; i++) {
        poll(&pfd, 1, 50);
        r = pview_worker_take(w);
    }
    assert_non_null(r);
    assert_int_equal(r->gen, b);
    assert_int_equal(r->front.status, SOLVE_OPTIMAL);
    assert_true(r->front.count >= 3);
    pview_result_free(r);
    /* Stopped with a request in progress: nothing leaks (ASan). */
    pview_worker_submit(w, &s);
    pview_worker_stop(w);
    scenario_free(&s);
}

static void test_export(void **state)
{
    (void)state;
    char dir[] = "/tmp/nnpart-pareto-XXXXXX", path[512], want[640];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bp.yaml", dir);
    nn_scenario s;
    load_phone(&s);
    nn_error err;
    assert_int_equal(scenario_save(&s, path, &err), 0);
    explorer ex;
    assert_int_equal(explorer_init(&ex, &s, path), 0);
    ex.submitted = 1;
    explorer_show(&ex, outcome_solve(&ex.doc, NULL, 0, NULL, NULL, 1));
    explorer_key(&ex, 'F');
    explorer_key(&ex, 'e');
    assert_string_equal(ex.msg, "nothing to export yet: the Pareto front is being computed (or "
                                "has no point)");
    pview_requested(&ex, 1);
    pview_show(&ex, pview_compute(&ex.doc, 10, NULL, 1));
    explorer_key(&ex, 'e');
    snprintf(want, sizeof want, "exported the Pareto front to %s/bp-pareto.svg", dir);
    assert_string_equal(ex.msg, want);
    snprintf(path, sizeof path, "%s/bp-pareto.svg", dir);
    char *svg = test_file_read(path, NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "Pareto front (3 points, each proven optimal)"));
    assert_non_null(strstr(svg, ">battery energy</text>"));
    assert_non_null(strstr(svg, " mJ</text>")); /* ticks in energy units */
    assert_non_null(strstr(svg, ">now<"));
    free(svg);
    unlink(path);
    snprintf(path, sizeof path, "%s/bp.yaml", dir);
    unlink(path);
    rmdir(dir);
    explorer_free(&ex);
    glp_free_env();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selection), cmocka_unit_test(test_compute),
        cmocka_unit_test(test_steps),     cmocka_unit_test(test_close_and_views),
        cmocka_unit_test(test_thread),    cmocka_unit_test(test_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
