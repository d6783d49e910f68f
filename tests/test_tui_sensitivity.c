/* The explorer's sensitivity view without a terminal: the worked example's
 * edge-cloud bandwidth around 8 Mbit/s (80 kbit/s .. 800 Mbit/s) finds the
 * change to edge, cloud, cloud at 3.27 Mbit/s (MODEL.md's algebra,
 * tests/test_sweep.c) and, below 233 kbit/s, to edge, edge, cloud; ] and [ move the value past it
 * with undo, the view follows the selection and goes stale on edits, the
 * thread delivers and cancels, the terminal plot draws both lines and the
 * change; e exports the view next to the scenario without overwriting. */
#include <dirent.h>
#include <glpk.h>
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
#include "export.h"
#include "helpers_io.h"
#include "helpers_solve.h"
#include "plot_text.h"
#include "scenario_fixture.h"
#include "scenario_io.h"
#include "sensitivity.h"
#include "sweep.h"

static void open_worked(explorer *ex, const char *path)
{
    nn_scenario s;
    fixture_worked_example(&s);
    assert_int_equal(explorer_init(ex, &s, path), 0);
}

/* The link pane's bandwidth column, by keys. */
static void select_bandwidth(explorer *ex)
{
    for (int i = 0; ex->pane != PANE_LINKS; i++) {
        assert_true(i < PANE_COUNT);
        explorer_key(ex, EXK_TAB);
    }
    while (ex->col[PANE_LINKS] > 0)
        explorer_key(ex, 'h');
    nn_field_ref ref;
    assert_true(explorer_selected_field(ex, &ref));
    assert_int_equal(ref.id, FIELD_BANDWIDTH);
}

static const double BSTAR = 1.6e6 / 0.49; /* where edge, cloud, cloud starts to win */

static void test_compute(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_field_ref ref = {.id = FIELD_BANDWIDTH, .index = 0};
    sens_result *r = sens_compute(&s, &ref, 2, NULL, 7);
    assert_non_null(r);
    assert_true(r->ok);
    assert_int_equal(r->gen, 7);
    assert_true(r->centre == 8e6);
    assert_string_equal(r->what, "link:edge-cloud.bandwidth");
    assert_int_equal(r->npoints, SENS_POINTS);
    /* x1/100 .. x100 on a log axis, the value now marked. */
    assert_true(r->plot.xlog && r->plot.x[0] == 8e4 && r->plot.x[SENS_POINTS - 1] == 8e8);
    assert_true(r->plot.current == 8e6);
    assert_int_equal(r->nbreaks, 2);
    assert_true(r->breaks[0] > 2.3e5 && r->breaks[0] < 2.4e5);
    assert_string_equal(r->after[0], "cloud\xC3\x97"
                                     "3");
    assert_true(fabs(r->breaks[1] / BSTAR - 1) <= SWEEP_BREAK_TOLERANCE);
    assert_string_equal(r->after[1], "edge\xC3\x97"
                                     "1 cloud\xC3\x97"
                                     "2");
    assert_string_equal(r->plot.series[0].name, "optimum (nnpart)");
    assert_string_equal(r->plot.series[1].name, "best baseline");

    /* The terminal plot: both lines, the change, the value now, in braille and ASCII. */
    for (int u = 0; u < 2; u++) {
        plot_text t;
        assert_int_equal(plot_text_render(&r->plot, 80, 16, u == 1, &t), 0);
        int kinds[PCELL_BAND + 1] = {0};
        for (int i = 0; i < t.w * t.h; i++)
            kinds[t.cells[i].kind]++;
        assert_true(kinds[PCELL_OPTIMUM] > 10);
        assert_true(kinds[PCELL_BEST] > 0 || kinds[PCELL_OPTIMUM] > 0);
        assert_true(kinds[PCELL_MARK] >= t.ph);
        assert_int_equal(kinds[PCELL_CURRENT], 1);
        assert_int_equal(kinds[PCELL_BAND], 3); /* the letters A, B and C */
        plot_text_free(&t);
    }
    plot_text t;
    assert_int_equal(plot_text_render(&r->plot, 10, 3, true, &t), -1); /* too small */
    sens_result_free(r);

    /* A zero value has no log range around it. */
    s.links[0].latency = 0;
    nn_field_ref lat = {.id = FIELD_LATENCY, .index = 0};
    r = sens_compute(&s, &lat, 2, NULL, 8);
    assert_non_null(r);
    assert_false(r->ok);
    assert_string_equal(r->message, "link:edge-cloud.latency is 0: no range around it on a log "
                                    "scale; set a value first");
    sens_result_free(r);
    scenario_free(&s);
    glp_free_env();
}

/* Under another objective the view plots the objective's value, as sweep
 * --svg does: battery-phone.yaml under energy, over the hub's power, in
 * joules on a y axis that says so; the optimum's line is solve's value at
 * every point. */
static void test_compute_energy(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    assert_int_equal(scenario_load_file("configs/battery-phone.yaml", &s, &err), 0);
    s.objective = OBJ_ENERGY;
    nn_field_ref ref = {.id = FIELD_POWER, .index = 1};
    sens_result *r = sens_compute(&s, &ref, 2, NULL, 9);
    assert_non_null(r);
    assert_true(r->ok);
    assert_string_equal(r->what, "device:hub.power");
    assert_int_equal(plot_yunit(&r->plot), UNIT_ENERGY);
    assert_string_equal(plot_yname(&r->plot), "energy (J per input)");
    assert_string_equal(r->plot.series[1].name, "best baseline (least energy)");
    for (int k = 0; k < r->plot.n; k++) {
        nn_scenario at;
        nn_instance in;
        nn_solve_options opt;
        nn_solve_result res;
        solve_field_at(&s, &ref, r->plot.x[k], &at, &in, &opt, &res);
        assert_int_equal(res.status, SOLVE_OPTIMAL);
        double y = r->plot.series[0].y[k];
        if (!(fabs(y - res.value) <= 1e-12 * res.value))
            fail_msg("at %g W the plot has %.17g, solve's energy %.17g (latency %.17g)",
                     r->plot.x[k], y, res.value, res.latency);
        /* Not a latency: ResNet-50's energy here is joules, its latency ms. */
        assert_true(y > 10 * res.latency);
        solve_result_free(&res);
        instance_free(&in);
        scenario_free(&at);
    }
    sens_result_free(r);
    scenario_free(&s);
    glp_free_env();
}

/* Under the latency objective with an energy limit the view draws what
 * sweep draws: the worked example with power (edge 1 W, cloud 100 W) and
 * radio energy, under 3 J, over the link's energy per bit around 10 uJ/bit.
 * The best baseline's line is, at every point, the least latency among the
 * baselines within the limit (baselines_best, what sweep's CSV and table
 * name), although the fastest feasible baseline is over the limit at some;
 * all on cloud has no point where it is over it, and its legend says so. */
static void test_compute_limits(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.devices[0].power = 1;
    s.devices[1].power = 100;
    s.links[0].energy = 10e-6;
    s.energy_limit = 3;
    nn_field_ref ref = {.id = FIELD_ENERGY, .index = 0};
    sens_result *r = sens_compute(&s, &ref, 2, NULL, 11);
    assert_non_null(r);
    assert_true(r->ok);
    assert_string_equal(plot_yname(&r->plot), "latency");
    int best = -1, cloud = -1;
    for (int k = 0; k < r->plot.nseries; k++) {
        if (r->plot.series[k].style == PLOT_BEST) best = k;
        if (strncmp(r->plot.series[k].name, "all on cloud", 12) == 0) cloud = k;
    }
    assert_true(best >= 0 && cloud >= 0);
    int faster_over = 0, cloud_over = 0;
    for (int k = 0; k < r->plot.n; k++) {
        nn_scenario at;
        nn_instance in;
        nn_solve_options opt;
        nn_solve_result res;
        solve_field_at(&s, &ref, r->plot.x[k], &at, &in, &opt, &res);
        nn_baselines b;
        assert_int_equal(baselines_compute(&in, &opt, res.value, &b), 0);
        const nn_baseline *want = baselines_best(&b);
        double y = r->plot.series[best].y[k];
        if (!(want ? y == want->value : isinf(y)))
            fail_msg("at %g J/bit the best baseline is drawn at %.17g, the least within the limit "
                     "%.17g",
                     r->plot.x[k], y, want ? want->value : INFINITY);
        const nn_baseline *fastest = NULL;
        for (int i = 0; i < b.count; i++) {
            const nn_baseline *x = &b.items[i];
            if (x->feasible && (!fastest || x->latency < fastest->latency)) fastest = x;
            if (strcmp(x->name, "all on cloud") == 0 && x->feasible && !x->within_limits) {
                assert_true(isinf(r->plot.series[cloud].y[k]));
                cloud_over++;
            }
        }
        faster_over += fastest && !fastest->within_limits;
        baselines_free(&b);
        solve_result_free(&res);
        instance_free(&in);
        scenario_free(&at);
    }
    assert_true(faster_over > 0 && cloud_over > 0 && cloud_over < r->plot.n);
    char note[96];
    snprintf(note, sizeof note, "all on cloud (over the limits at %d of %d points)", cloud_over,
             r->plot.n);
    assert_string_equal(r->plot.series[cloud].name, note);
    sens_result_free(r);
    scenario_free(&s);
    glp_free_env();
}

static void test_keys(void **state)
{
    (void)state;
    explorer ex;
    open_worked(&ex, NULL);
    /* Outside a value, v says where to go. */
    while (ex.pane != PANE_LAYERS)
        explorer_key(&ex, EXK_TAB);
    explorer_key(&ex, 'v');
    assert_false(sens_active(&ex));
    assert_string_equal(
        ex.msg, "v plots the selected value of the Devices or Links pane (Tab moves there)");
    explorer_key(&ex, ']');
    assert_true(ex.msg_error);

    select_bandwidth(&ex);
    explorer_key(&ex, 'v');
    assert_true(sens_active(&ex));
    nn_field_ref ref;
    assert_true(sens_stale(&ex, &ref));
    assert_int_equal(ref.id, FIELD_BANDWIDTH);
    sens_requested(&ex, &ref, 1);
    assert_false(sens_stale(&ex, &ref));
    assert_true(sens_computing(&ex));
    explorer_key(&ex, ']');
    assert_string_equal(ex.msg, "the sensitivity view is still being computed");

    sens_show(&ex, sens_compute(&ex.doc, &ref, 2, NULL, 1));
    assert_false(sens_computing(&ex));
    assert_non_null(strstr(ex.msg, "2 changes of placement (first at 23"));
    /* At 8 Mbit/s there is no change above within x100; below, one. */
    explorer_key(&ex, ']');
    assert_string_equal(ex.msg, "no change of placement above link:edge-cloud.bandwidth within "
                                "x100");
    unsigned eff = explorer_key(&ex, '[');
    assert_true(eff & EFFECT_RESOLVE);
    double v = ex.doc.links[0].bandwidth;
    assert_true(v < BSTAR * (1 - SWEEP_BREAK_TOLERANCE / 2) && v > BSTAR * 0.99);
    /* The edit is stale for the view, and undoable like any edit. */
    ex.submitted++;
    assert_true(sens_stale(&ex, &ref));
    explorer_key(&ex, 'u');
    assert_true(ex.doc.links[0].bandwidth == 8e6);
    /* Another column: the view follows the selection. */
    explorer_key(&ex, EXK_RIGHT);
    explorer_key(&ex, EXK_RIGHT);
    assert_true(sens_stale(&ex, &ref));
    assert_int_equal(ref.id, FIELD_LATENCY);
    /* An older result than the latest request is dropped. */
    sens_requested(&ex, &ref, 5);
    sens_show(&ex, sens_compute(&ex.doc, &ref, 2, NULL, 4));
    assert_true(sens_computing(&ex));
    explorer_key(&ex, 'v');
    assert_false(sens_active(&ex));
    assert_false(sens_stale(&ex, &ref));
    explorer_free(&ex);
    glp_free_env();
}

static void test_thread(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    sens_worker *w = sens_worker_start(2);
    assert_non_null(w);
    nn_field_ref ref = {.id = FIELD_BANDWIDTH, .index = 0};
    /* Two requests at once: the first is cancelled or superseded, only the
     * second comes back. */
    unsigned long a = sens_worker_submit(w, &s, &ref);
    unsigned long b = sens_worker_submit(w, &s, &ref);
    assert_true(b > a);
    sens_result *r = NULL;
    for (int i = 0; i < 600 && !r; i++) {
        usleep(10000);
        r = sens_worker_take(w);
    }
    assert_non_null(r);
    assert_int_equal(r->gen, b);
    assert_true(r->ok && r->nbreaks == 2);
    sens_result_free(r);
    sens_worker_stop(w);
    scenario_free(&s);
}

static int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static void test_export(void **state)
{
    (void)state;
    char dir[] = "/tmp/nnpart-export-XXXXXX", path[512], want[640];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/worked.yaml", dir);
    nn_scenario s;
    fixture_worked_example(&s);
    nn_error err;
    assert_int_equal(scenario_save(&s, path, &err), 0);
    scenario_free(&s);
    explorer ex;
    open_worked(&ex, path);
    char d[4096], stem[4096];
    export_place(&ex, d, sizeof d, stem, sizeof stem);
    assert_string_equal(d, dir);
    assert_string_equal(stem, "worked");

    explorer_key(&ex, 'e');
    assert_string_equal(ex.msg, "nothing to export yet: no timeline on show");
    explorer_show(&ex, outcome_solve(&ex.doc, NULL, 0, NULL, NULL, ex.submitted));
    explorer_key(&ex, 'e');
    snprintf(want, sizeof want, "exported the timeline to %s/worked-timeline.svg", dir);
    assert_string_equal(ex.msg, want);
    /* Again: a new name, the first file kept. */
    explorer_key(&ex, 'e');
    snprintf(want, sizeof want, "exported the timeline to %s/worked-timeline-2.svg", dir);
    assert_string_equal(ex.msg, want);
    assert_int_equal(count_files(dir, "worked-timeline"), 2);
    snprintf(path, sizeof path, "%s/worked-timeline.svg", dir);
    char *svg = test_file_read(path, NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, ">optimum: 712 ms (preload)<"));
    free(svg);

    /* The sensitivity view exports its plot. */
    select_bandwidth(&ex);
    explorer_key(&ex, 'v');
    nn_field_ref ref;
    assert_true(sens_stale(&ex, &ref));
    explorer_key(&ex, 'e');
    assert_string_equal(ex.msg, "nothing to export yet: the sensitivity view is being computed");
    sens_requested(&ex, &ref, 1);
    sens_show(&ex, sens_compute(&ex.doc, &ref, 2, NULL, 1));
    explorer_key(&ex, 'e');
    snprintf(want, sizeof want,
             "exported the sensitivity plot to %s/worked-sensitivity-edge-cloud-bandwidth.svg",
             dir);
    assert_string_equal(ex.msg, want);
    snprintf(path, sizeof path, "%s/worked-sensitivity-edge-cloud-bandwidth.svg", dir);
    svg = test_file_read(path, NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, ">3.27 Mbit/s<"));
    assert_non_null(strstr(svg, ">now<"));
    free(svg);
    explorer_free(&ex);

    /* Clean up. */
    DIR *dd = opendir(dir);
    for (struct dirent *e; (e = readdir(dd));) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(dd);
    assert_int_equal(rmdir(dir), 0);
    glp_free_env();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute),        cmocka_unit_test(test_compute_energy),
        cmocka_unit_test(test_compute_limits), cmocka_unit_test(test_keys),
        cmocka_unit_test(test_thread),         cmocka_unit_test(test_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
