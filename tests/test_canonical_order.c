/* MODEL.md's canonical order on latency alone: at each layer the device of
 * the layer before comes first, then devices by index. On built instances
 * where several placements tie exactly, in latency and in busy path (every
 * time a power of two: compute, loads, transfers), the order decides, and
 * plain index order would pick another placement. Every engine (labels,
 * ILP, auto) in every mode, and brute force's order (helpers_random.h),
 * must give the placement written here, the one that stays on the device
 * before for as long as the ties allow. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_solve.h"

#define P2(k) ldexp(1.0, k)

/* A tied instance: `prev_first` is the canonical answer, `by_index` the
 * least tie in plain index order (layer 0 most significant). */
typedef struct tied_case {
    const char *what;
    int D, L;
    int pin_first, pin_last; /* devices of the first and the last layer */
    int prev_first[8], by_index[8];
} tied_case;

/* Devices "a" (the source and the sink), "b", "c", "d" (the first D);
 * each layer 2^30 FLOP (1 s at 2^30 FLOP/s; "a" is 2^10 times slower
 * unless `fast_a`), 2^20 B of weights loaded in 2^-10 s, an output of 2^17
 * B sent in 0.25 + 1 s over every link (2^20 bit/s). Whichever layer the
 * run moves from the first layer's device to the last's after, there is
 * one transfer: all those placements tie. */
static void tied_build(const tied_case *tc, bool fast_a, nn_scenario *s, nn_instance *in)
{
    static const char *const names[] = {"a", "b", "c", "d"};
    scenario_init(s);
    str_copy(s->name, sizeof s->name, tc->what);
    for (int d = 0; d < tc->D; d++)
        /* Unequal memories: no two devices are alike but for the pins. */
        fixture_device(s, names[d], d == 0 && !fast_a ? P2(20) : P2(30), 1e12 * (d + 1), P2(30));
    for (int a = 0; a < tc->D; a++)
        for (int b = a + 1; b < tc->D; b++)
            fixture_link(s, a, b, P2(20), P2(20), 0.25);
    nn_network net = {0};
    str_copy(net.name, sizeof net.name, "tied");
    for (int l = 0; l < tc->L; l++) {
        char name[16];
        snprintf(name, sizeof name, "L%d", l + 1);
        fixture_layer(&net, name, P2(30), P2(20), P2(17));
    }
    assert_int_equal(fixture_finish(s, &net, P2(17)), 0);
    s->pin[0] = tc->pin_first;
    s->pin[tc->L - 1] = tc->pin_last;
    assert_int_equal(instance_build(s, in), 0);
}

/* The least of the ties (latency and busy path within MODEL.md's
 * tolerances) in plain index order, layer 0 most significant. */
static void brute_force_index_least(const nn_instance *in, nn_mode mode, const int *canon,
                                    int *best)
{
    double t = eval_latency(in, canon, mode), busy = eval_latency(in, canon, MODE_RESIDENT);
    int L = in->L, place[16] = {0};
    bool any = false;
    for (;;) {
        if (eval_latency(in, place, mode) <= t * (1 + 1e-10) &&
            eval_latency(in, place, MODE_RESIDENT) <= busy * (1 + 1e-12)) {
            bool before = !any;
            for (int l = 0; l < L && !before; l++)
                if (place[l] != best[l]) {
                    before = place[l] < best[l];
                    break;
                }
            if (before) memcpy(best, place, (size_t)L * sizeof *place);
            any = true;
        }
        if (!placement_next(place, L, in->D)) break;
    }
    assert_true(any);
}

static void assert_place(const char *what, const int *got, const int *want, int L)
{
    if (memcmp(got, want, (size_t)L * sizeof *want) == 0) return;
    char a[64], b[64];
    placement_describe(got, L, a, sizeof a);
    placement_describe(want, L, b, sizeof b);
    fail_msg("%s: %s, canonical %s", what, a, b);
}

static const tied_case CASES[] = {
    /* c first, b last: b has the lower index, so index order moves at once. */
    {.what = "3 layers on a, b, c",
     .D = 3,
     .L = 3,
     .pin_first = 2,
     .pin_last = 1,
     .prev_first = {2, 2, 1},
     .by_index = {2, 1, 1}},
    /* Five tied moves and a fourth device no tie uses. */
    {.what = "6 layers on a, b, c, d",
     .D = 4,
     .L = 6,
     .pin_first = 2,
     .pin_last = 1,
     .prev_first = {2, 2, 2, 2, 2, 1},
     .by_index = {2, 1, 1, 1, 1, 1}},
    /* d first, a (the source and sink, here as fast) last. */
    {.what = "5 layers from d to the sink a",
     .D = 4,
     .L = 5,
     .pin_first = 3,
     .pin_last = 0,
     .prev_first = {3, 3, 3, 3, 0},
     .by_index = {3, 0, 0, 0, 0}},
};

static void test_prev_device_first(void **state)
{
    (void)state;
    static const nn_engine engines[] = {ENGINE_LABELS, ENGINE_ILP, ENGINE_AUTO};
    int solves = 0, ties = 0;
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        const tied_case *tc = &CASES[c];
        nn_scenario s;
        nn_instance in;
        tied_build(tc, tc->pin_last == 0, &s, &in);
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_mode mode = (nn_mode)m;
            char what[160];
            /* The two orders' answers tie exactly, in latency and busy path. */
            double t = eval_latency(&in, tc->prev_first, mode);
            assert_true(isfinite(t));
            assert_true(eval_latency(&in, tc->by_index, mode) == t);
            assert_true(eval_latency(&in, tc->by_index, MODE_RESIDENT) ==
                        eval_latency(&in, tc->prev_first, MODE_RESIDENT));
            int p[16] = {0};
            for (;;) { /* count the ties */
                ties += eval_latency(&in, p, mode) <= t * (1 + 1e-10);
                if (!placement_next(p, in.L, in.D)) break;
            }
            int canon[16], index[16];
            assert_true(brute_force_canonical(&in, mode, canon));
            snprintf(what, sizeof what, "%s, %s: brute force's canonical order", tc->what,
                     mode_name(mode));
            assert_place(what, canon, tc->prev_first, in.L);
            brute_force_index_least(&in, mode, canon, index);
            snprintf(what, sizeof what, "%s, %s: brute force in index order", tc->what,
                     mode_name(mode));
            assert_place(what, index, tc->by_index, in.L);
            for (size_t e = 0; e < sizeof engines / sizeof engines[0]; e++) {
                nn_solve_options opt = {.mode = mode, .engine = engines[e]};
                nn_solve_result r;
                assert_int_equal(solve_run(&in, &opt, &r), 0);
                snprintf(what, sizeof what, "%s, %s: engine %s (answered by %s)", tc->what,
                         mode_name(mode), engine_name(engines[e]), engine_name(r.engine));
                if (r.status != SOLVE_OPTIMAL || !r.canonical)
                    fail_msg("%s: %s, %s", what, solve_status_name(r.status),
                             r.canonical ? "canonical" : "not proven canonical");
                assert_solution(&in, mode, &r, 1e-9);
                assert_place(what, r.place, tc->prev_first, in.L);
                assert_true(r.latency == t);
                solve_result_free(&r);
                solves++;
            }
        }
        scenario_instance_free(&s, &in);
    }
    print_message("canonical order: %d instances x modes with %d tied placements in all, %d "
                  "solves give the previous device first\n",
                  (int)(sizeof CASES / sizeof CASES[0]) * MODE_COUNT, ties, solves);
    assert_int_equal(solves, 3 * MODE_COUNT * 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prev_device_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
