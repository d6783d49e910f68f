/* The stream timeline (objective throughput): the layout of several inputs
 * through the evaluator's periodic schedule, its text and SVG painters.
 * On configs/camera-stream.yaml's throughput optimum and on random
 * instances and placements: input k's bars are input 0's shifted by k
 * periods on every engine lane, no two bars overlap on a lane, and the
 * period marked is the evaluator's, over a window where every engine does
 * exactly its share of one period. xmllint and rsvg-convert check whole
 * pictures in tests/e2e/cli_stream.sh. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gantt_svg.h"
#include "gantt_text.h"
#include "helpers_io.h"
#include "helpers_random.h"
#include "scenario_fixture.h"
#include "scenario_io.h"
#include "solve.h"

static bool close_to(double a, double b, double scale)
{
    return fabs(a - b) <= 1e-9 * (scale > 0 ? scale : 1);
}

static bool is_work(const gantt_bar *b)
{
    return b->kind != GANTT_IDLE;
}

/* The layout's invariants against the stream it was built from, over the
 * whole timeline (view fit). Returns the number of work bars checked. */
static int check_layout(const nn_stream *st, const gantt_layout *g, const char *what)
{
    double P = st->period, T = g->total;
    if (!g->stream || g->ninputs != st->ninputs || g->period != P)
        fail_msg("%s: layout says stream %d, %d inputs, period %g; the evaluator %d, %g", what,
                 g->stream, g->ninputs, g->period, st->ninputs, P);
    if (g->total_col != -1)
        fail_msg("%s: a stream marks no latency (total_col %d)", what, g->total_col);
    /* The window marked is steady when window m = ceil(E / P) - 1 (E the end
     * of input 1's last task) has been drawn: every task instance in it
     * belongs to an input drawn. */
    double end0 = 0;
    for (int i = 0; i < g->nbars; i++)
        if (is_work(&g->bars[i]) && g->bars[i].input == 0 && g->bars[i].t1 > end0)
            end0 = g->bars[i].t1;
    double m = fmax(0, ceil(end0 / P - 1e-9) - 1);
    bool steady = m <= st->ninputs - 1;
    if (steady && g->nbars > 0 && !close_to(g->period_t0, m * P, T))
        fail_msg("%s: period marked from %g, the first steady window from %g", what, g->period_t0,
                 m * P);
    int work = 0;
    double busiest = 0;
    for (int l = 0; l < g->nlanes; l++) {
        const gantt_lane *ln = &g->lanes[l];
        const gantt_bar *bars = &g->bars[ln->first_bar];
        int count[GANTT_MAX_INPUTS] = {0};
        double busy0 = 0, in_window = 0;
        for (int i = 0; i < ln->nbars; i++) {
            const gantt_bar *b = &bars[i];
            if (b->lane != l) fail_msg("%s: bar %d of lane %d says lane %d", what, i, l, b->lane);
            /* No two bars overlap on one engine; idle time only fills gaps. */
            if (i > 0 && bars[i - 1].t1 > b->t0 + 1e-9 * T)
                fail_msg("%s: lane %s: [%g, %g] overlaps [%g, %g]", what, ln->title, bars[i - 1].t0,
                         bars[i - 1].t1, b->t0, b->t1);
            if (!is_work(b)) {
                if (b->input != -1 || ln->kind != LANE_COMPUTE)
                    fail_msg("%s: idle bar of input %d in lane %s", what, b->input, ln->title);
                continue;
            }
            work++;
            if (b->input < 0 || b->input >= st->ninputs)
                fail_msg("%s: bar of input %d (%d inputs)", what, b->input, st->ninputs);
            count[b->input]++;
            char want[16];
            snprintf(want, sizeof want, "%d", b->input + 1);
            if (b->label[0] && strcmp(b->label, want) != 0)
                fail_msg("%s: bar of input %d labelled '%s'", what, b->input, b->label);
            if (b->input == 0) busy0 += b->t1 - b->t0;
            double lo = fmax(b->t0, g->period_t0), hi = fmin(b->t1, g->period_t1);
            if (hi > lo) in_window += hi - lo;
            if (b->input == 0) continue;
            /* Input k's bar is input 0's, k periods later. */
            double shift = b->input * P;
            const gantt_bar *twin = NULL;
            for (int j = 0; j < ln->nbars && !twin; j++) {
                const gantt_bar *z = &bars[j];
                if (is_work(z) && z->input == 0 && z->kind == b->kind && z->layer == b->layer &&
                    z->layer_last == b->layer_last && z->boundary == b->boundary &&
                    close_to(z->t0 + shift, b->t0, T) && close_to(z->t1 + shift, b->t1, T))
                    twin = z;
            }
            if (!twin)
                fail_msg("%s: lane %s: input %d's bar [%g, %g] (layer %d, boundary %d) is not "
                         "input 1's shifted by %d periods",
                         what, ln->title, b->input + 1, b->t0, b->t1, b->layer, b->boundary,
                         b->input);
            /* In columns, within the rounding of either end. */
            int dc = (int)lround(shift * g->width / (g->t1 - g->t0));
            if (abs(b->col0 - (twin->col0 + dc)) > 1)
                fail_msg("%s: input %d's bar at column %d, input 1's at %d + %d", what,
                         b->input + 1, b->col0, twin->col0, dc);
        }
        for (int k = 1; k < st->ninputs; k++)
            if (count[k] != count[0])
                fail_msg("%s: lane %s has %d bars of input %d, %d of input 1", what, ln->title,
                         count[k], k + 1, count[0]);
        /* The window marked is steady: each engine does its whole share. */
        if (steady && !close_to(in_window, busy0, T))
            fail_msg("%s: lane %s busy %g in the period marked, %g per input", what, ln->title,
                     in_window, busy0);
        if (busy0 > busiest) busiest = busy0;
    }
    if (work > 0 && !close_to(busiest, P, T))
        fail_msg("%s: the busiest lane has %g per input, the period is %g", what, busiest, P);
    if (work > 0 && !close_to(g->period_t1 - g->period_t0, P, T))
        fail_msg("%s: the period marked spans %g, the evaluator's is %g", what,
                 g->period_t1 - g->period_t0, P);
    return work;
}

typedef struct camera {
    nn_scenario s;
    nn_instance in;
    nn_solve_result r;
} camera;

/* configs/camera-stream.yaml and its throughput optimum (hub×9 cloud×3 cam×1). */
static void camera_open(camera *c)
{
    nn_error err;
    if (scenario_load_file("configs/camera-stream.yaml", &c->s, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(c->s.objective, OBJ_THROUGHPUT);
    assert_int_equal(instance_build(&c->s, &c->in), 0);
    nn_solve_options opt = {.mode = c->s.mode, .time_limit_s = 30};
    solve_options_from_instance(&opt, &c->in);
    c->r = (nn_solve_result){.status = SOLVE_ERROR};
    assert_int_equal(solve_ilp(&c->in, &opt, &c->r), 0);
    assert_int_equal(c->r.status, SOLVE_OPTIMAL);
}

static void camera_close(camera *c)
{
    solve_result_free(&c->r);
    instance_free(&c->in);
    scenario_free(&c->s);
}

static void test_camera_stream_layout(void **state)
{
    (void)state;
    camera c;
    camera_open(&c);
    nn_stream st;
    assert_int_equal(gantt_stream_eval(&c.in, c.r.place, 0, &st), 0);
    assert_true(st.feasible);
    /* 116 ms through a 39.8 ms period: three inputs fill the pipeline. */
    assert_int_equal(st.ninputs, 3);
    assert_true(fabs(st.period - 0.0398) < 0.0005);
    assert_true(st.period == eval_period(&c.in, c.r.place));
    assert_true(close_to(st.period, c.r.period, 1));
    gantt_view v;
    gantt_view_fit(&v, gantt_stream_total(&st));
    gantt_layout g;
    assert_int_equal(gantt_stream_build(&c.in, &st, &v, 200, &g), 0);
    /* A compute lane per device, then the link directions in use. */
    assert_int_equal(g.nlanes, c.in.D + gantt_stream_link_lanes(&c.in, &st));
    assert_string_equal(g.lanes[0].title, "cam");
    assert_int_equal(g.lanes[c.in.D].kind, LANE_LINK);
    assert_string_equal(g.lanes[c.in.D].title, "cam->hub");
    int work = check_layout(&st, &g, "camera");
    /* A bar per input on every lane but the camera's compute (it only sends). */
    assert_true(work >= 3 * (g.nlanes - 1));
    /* One period marked, at its columns: after input 1's last task ends. */
    assert_true(g.period_col0 > 0 && g.period_col1 > g.period_col0);
    assert_int_equal(g.period_col0, (int)lround(g.period_t0 / v.t1 * 200));
    assert_int_equal(g.period_col1, (int)lround(g.period_t1 / v.t1 * 200));
    assert_true(close_to(fmod(g.period_t0 / st.period + 0.5, 1), 0.5, 1));
    /* The hub runs nine layers of each input in one bar. */
    int hub = gantt_compute_lane(&g, 1), runs = 0;
    for (int i = 0; i < g.lanes[hub].nbars; i++) {
        const gantt_bar *b = &g.bars[g.lanes[hub].first_bar + i];
        if (!is_work(b)) continue;
        runs++;
        assert_int_equal(b->layer, 0);
        assert_int_equal(b->layer_last, 8);
    }
    assert_int_equal(runs, 3);
    gantt_layout_free(&g);
    eval_stream_free(&st);
    camera_close(&c);
}

/* Zoomed and panned: bars clip to the window; a period outside it is not marked. */
static void test_camera_stream_zoomed(void **state)
{
    (void)state;
    camera c;
    camera_open(&c);
    nn_stream st;
    assert_int_equal(gantt_stream_eval(&c.in, c.r.place, 3, &st), 0);
    assert_int_equal(st.ninputs, 3);
    double total = gantt_stream_total(&st);
    gantt_view v;
    gantt_view_fit(&v, total);
    gantt_view_zoom(&v, 8, total);
    gantt_view_pan(&v, -100, total); /* the start: before the steady state */
    assert_true(v.t0 == 0 && v.t1 < st.period);
    gantt_layout g;
    assert_int_equal(gantt_stream_build(&c.in, &st, &v, 80, &g), 0);
    assert_int_equal(g.period_col0, -1);
    assert_int_equal(g.period_col1, -1);
    bool clipped = false;
    for (int i = 0; i < g.nbars; i++) {
        assert_true(g.bars[i].col0 >= 0 && g.bars[i].col1 <= 80);
        assert_true(g.bars[i].col1 > g.bars[i].col0);
        clipped |= g.bars[i].clip_right;
    }
    assert_true(clipped);
    gantt_layout_free(&g);
    eval_stream_free(&st);
    camera_close(&c);
}

/* Random instances and placements, 1 to 9 inputs. */
static void test_random_streams(void **state)
{
    (void)state;
    random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 4096};
    int checked = 0, multi = 0;
    for (uint64_t seed = 1; seed <= 150; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        rng r = {.s = seed * 7919 + 3};
        int place[16];
        for (int trial = 0; trial < 6; trial++) {
            for (int l = 0; l < in.L; l++)
                place[l] = in.pin[l] >= 0 ? in.pin[l] : rng_int(&r, 0, in.D - 1);
            int n = trial == 0 ? 0 : rng_int(&r, 1, GANTT_MAX_INPUTS);
            nn_stream st;
            assert_int_equal(gantt_stream_eval(&in, place, n, &st), 0);
            gantt_view v;
            gantt_view_fit(&v, gantt_stream_total(&st));
            gantt_layout g;
            assert_int_equal(gantt_stream_build(&in, &st, &v, 160, &g), 0);
            if (!st.feasible) {
                /* Lanes, no bars. */
                assert_int_equal(g.nbars, 0);
                assert_int_equal(g.nlanes, in.D);
            } else {
                char what[64];
                snprintf(what, sizeof what, "seed %llu trial %d", (unsigned long long)seed, trial);
                if (check_layout(&st, &g, what) > 0) checked++;
                if (st.ninputs > 1) multi++;
                assert_int_equal(st.ninputs, n > 0 ? n : gantt_stream_inputs(&st));
            }
            gantt_layout_free(&g);
            eval_stream_free(&st);
        }
        instance_free(&in);
        scenario_free(&s);
    }
    assert_true(checked > 200);
    assert_true(multi > 200);
}

static void test_default_inputs(void **state)
{
    (void)state;
    nn_stream st = {.period = 1.0, .latency = 3.04};
    assert_int_equal(gantt_stream_inputs(&st), 4);
    st.latency = 3.0;
    assert_int_equal(gantt_stream_inputs(&st), 3);
    st.latency = 0.5;
    assert_int_equal(gantt_stream_inputs(&st), 3);
    st.latency = 100;
    assert_int_equal(gantt_stream_inputs(&st), GANTT_MAX_INPUTS);
    st.period = INFINITY;
    assert_int_equal(gantt_stream_inputs(&st), 3);
}

static char *print_camera(bool unicode, int inputs)
{
    camera c;
    camera_open(&c);
    nn_stream st;
    assert_int_equal(gantt_stream_eval(&c.in, c.r.place, inputs, &st), 0);
    capture cap;
    capture_open(&cap);
    gantt_print_stream(cap.f, &c.in, &st, 120, unicode);
    char *text = capture_close(&cap);
    eval_stream_free(&st);
    camera_close(&c);
    return text;
}

static void expect_in(const char *text, const char *want)
{
    if (!strstr(text, want)) fail_msg("no '%s' in:\n%s", want, text);
}

static void test_print_stream(void **state)
{
    (void)state;
    char *u = print_camera(true, 4);
    expect_in(u, "\u2588 input 1  \u2593 input 2  \u2592 input 3  \u2591 input 4");
    expect_in(u, "period 39.8 ms (25.11 inputs/s), one input 116 ms");
    expect_in(u, "\u255e\u2550");          /* the bracket on the axis */
    expect_in(u, "\n            0 s    "); /* tick labels under the plot */
    expect_in(u, "\nhub->cloud \u2502");
    expect_in(u, "2\u2593\u2593"); /* input 2's number, then its fill */
    /* Every lane line fits the width. */
    for (const char *line = u; *line;) {
        const char *end = strchr(line, '\n');
        int cells = 0;
        for (const char *p = line; p < end; p++)
            cells += ((unsigned char)*p & 0xC0) != 0x80;
        if (cells > 120) fail_msg("a line of %d cells: %.*s", cells, (int)(end - line), line);
        line = end + 1;
    }
    free(u);
    char *a = print_camera(false, 2);
    expect_in(a, "# input 1  @ input 2  . idle  [=] period 39.8 ms");
    expect_in(a, "1####");
    if (strstr(a, "input 3")) fail_msg("two inputs asked for, three drawn:\n%s", a);
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p & 0x80) fail_msg("ASCII output has byte 0x%02x", (unsigned char)*p);
    free(a);
}

static void test_svg_stream(void **state)
{
    (void)state;
    camera c;
    camera_open(&c);
    nn_stream st;
    assert_int_equal(gantt_stream_eval(&c.in, c.r.place, 4, &st), 0);
    nn_eval ev;
    assert_int_equal(eval_run(&c.in, c.r.place, c.s.mode, &ev), 0);
    gantt_svg_row row = {
        .in = &c.in, .ev = &ev, .title = "optimum", .subtitle = "hub×9", .stream = &st};
    capture cap;
    capture_open(&cap);
    assert_int_equal(gantt_svg_write(cap.f, "camera", &row, 1), 0);
    char *svg = capture_close(&cap);
    expect_in(svg, ">optimum: period 39.8 ms (25.11 inputs/s), one input 116 ms<");
    expect_in(svg, ">period 39.8 ms<");
    expect_in(svg, ">one period of the steady state<");
    for (int k = 1; k <= 4; k++) {
        char want[32];
        snprintf(want, sizeof want, ">input %d<", k);
        expect_in(svg, want);
    }
    if (strstr(svg, ">input 5<")) fail_msg("a fifth input in the legend");
    /* Each input its own fill; a one-inference row's kinds are not listed. */
    expect_in(svg, "fill=\"#1b6ca8\"");
    expect_in(svg, "fill=\"#8e5ea2\"");
    if (strstr(svg, ">waiting for weights<")) fail_msg("a stream has no loading");
    expect_in(svg, "<title>input 2: conv1 to layer4.0 on hub, ");
    expect_in(svg, "</svg>\n");
    free(svg);
    eval_free(&ev);
    eval_stream_free(&st);
    camera_close(&c);
}

/* Nothing takes time (one device, a layer of 0 FLOP, source = sink): the
 * period is 0 s; lanes without bars, no bracket, and words instead of an
 * infinite rate. */
static void test_stream_of_nothing(void **state)
{
    (void)state;
    nn_scenario s;
    scenario_init(&s);
    fixture_device(&s, "solo", 1e9, 1e9, 1e9);
    nn_network net = {0};
    str_copy(net.name, sizeof net.name, "empty");
    fixture_layer(&net, "pool", 0, 0, 1000);
    assert_int_equal(fixture_finish(&s, &net, 1000), 0);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int place[1] = {0};
    nn_stream st;
    assert_int_equal(gantt_stream_eval(&in, place, 0, &st), 0);
    assert_true(st.feasible);
    assert_true(st.period == 0);
    assert_int_equal(st.ninputs, 3);
    gantt_view v;
    gantt_view_fit(&v, gantt_stream_total(&st));
    gantt_layout g;
    assert_int_equal(gantt_stream_build(&in, &st, &v, 40, &g), 0);
    assert_int_equal(g.nlanes, 1);
    for (int i = 0; i < g.nbars; i++)
        assert_int_equal(g.bars[i].kind, GANTT_IDLE);
    assert_int_equal(g.period_col0, -1);
    char summary[160];
    gantt_stream_summary(&g, summary, sizeof summary);
    assert_string_equal(summary, "period 0 s (nothing keeps an engine busy), one input 0 s");
    gantt_layout_free(&g);
    capture cap;
    capture_open(&cap);
    gantt_print_stream(cap.f, &in, &st, 80, false);
    char *text = capture_close(&cap);
    expect_in(text, "solo |\n");
    expect_in(text, "period 0 s (nothing keeps an engine busy)");
    if (strstr(text, "inf")) fail_msg("an infinite rate printed:\n%s", text);
    free(text);
    nn_eval ev;
    assert_int_equal(eval_run(&in, place, MODE_RESIDENT, &ev), 0);
    gantt_svg_row row = {.in = &in, .ev = &ev, .title = "solo", .stream = &st};
    capture_open(&cap);
    assert_int_equal(gantt_svg_write(cap.f, "nothing", &row, 1), 0);
    text = capture_close(&cap);
    expect_in(text, ">solo: period 0 s (nothing keeps an engine busy), one input 0 s<");
    expect_in(text, ">input 3<");
    free(text);
    eval_free(&ev);
    eval_stream_free(&st);
    instance_free(&in);
    scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_camera_stream_layout), cmocka_unit_test(test_camera_stream_zoomed),
        cmocka_unit_test(test_random_streams),       cmocka_unit_test(test_default_inputs),
        cmocka_unit_test(test_print_stream),         cmocka_unit_test(test_svg_stream),
        cmocka_unit_test(test_stream_of_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
