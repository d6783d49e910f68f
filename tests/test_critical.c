/* The critical path: MODEL.md's worked example by hand, and on random
 * instances in every mode, segments that tile [0, T] exactly, totals that
 * add up to the latency, and what each layer waited for. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "critical.h"
#include "helpers_assert.h"
#include "helpers_random.h"

/* edge, cloud, cloud in preload: the cloud streams L2 and L3 for 700 ms,
 * then L3 computes 1 ms and its output takes 11 ms home. */
static void test_worked_example(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int place[3] = {0, 1, 1};
    nn_eval ev;
    assert_int_equal(eval_run(&in, place, MODE_PRELOAD, &ev), 0);
    assert_int_equal(ev.layers[0].waited, WAIT_WEIGHTS);
    assert_int_equal(ev.layers[1].waited, WAIT_INPUT);
    assert_int_equal(ev.layers[2].waited, WAIT_WEIGHTS);
    nn_critical c;
    assert_int_equal(critical_path(&in, &ev, &c), 0);
    assert_close(c.total[CP_WEIGHTS], 0.700);
    assert_close(c.total[CP_COMPUTE], 0.001);
    assert_close(c.total[CP_TRANSFER], 0.011);
    assert_close(c.weights_on[1], 0.700);
    assert_true(c.weights_on[0] == 0);
    assert_int_equal(c.nseg, 4); /* load L2, load L3, compute L3, output home */
    assert_int_equal(c.seg[0].kind, CP_WEIGHTS);
    assert_int_equal(c.seg[0].layer, 1);
    assert_int_equal(c.seg[3].kind, CP_TRANSFER);
    assert_false(c.layer_on[0]);
    assert_false(c.layer_on[1]);
    assert_true(c.layer_on[2]);
    char text[512];
    critical_format(&in, &c, false, text, sizeof text);
    assert_string_equal(text, "compute 1 ms (cloud) + transfer 11 ms (edge-cloud) + weights 700 ms "
                              "(cloud)");
    critical_free(&c);
    eval_free(&ev);

    /* On demand the same placement waits for L1's weights, then its compute,
     * the transfer, L2's own load after arrival ... */
    assert_int_equal(eval_run(&in, place, MODE_ONDEMAND, &ev), 0);
    assert_int_equal(critical_path(&in, &ev, &c), 0);
    assert_close(c.total[CP_WEIGHTS] + c.total[CP_COMPUTE] + c.total[CP_TRANSFER], 1.132);
    assert_close(c.weights_on[0], 0.100);
    assert_close(c.weights_on[1], 0.700);
    critical_free(&c);
    eval_free(&ev);

    /* Resident: nothing waits for weights. */
    assert_int_equal(eval_run(&in, place, MODE_RESIDENT, &ev), 0);
    assert_int_equal(critical_path(&in, &ev, &c), 0);
    assert_true(c.total[CP_WEIGHTS] == 0);
    for (int l = 0; l < 3; l++)
        assert_true(c.layer_on[l]);
    critical_free(&c);
    eval_free(&ev);
    instance_free(&in);
    scenario_free(&s);
}

/* Every instant of [0, T] belongs to one segment; each segment is the
 * evaluator's own interval; the totals add up to T. */
static void check_decomposition(const nn_instance *in, const nn_eval *ev, const nn_critical *c)
{
    assert_true(c->nseg > 0 || ev->latency == 0);
    if (c->nseg > 0) {
        assert_true(c->seg[0].t0 == 0);
        assert_true(c->seg[c->nseg - 1].t1 == ev->latency);
    }
    double sum = 0;
    for (int i = 0; i < c->nseg; i++) {
        const nn_cp_segment *s = &c->seg[i];
        if (i > 0 && c->seg[i - 1].t1 != s->t0)
            fail_msg("segment %d ends at %.17g, %d starts at %.17g", i - 1, c->seg[i - 1].t1, i,
                     s->t0);
        assert_true(s->t1 > s->t0);
        switch (s->kind) {
        case CP_COMPUTE:
            assert_true(ev->layers[s->layer].start == s->t0);
            assert_true(ev->layers[s->layer].finish == s->t1);
            break;
        case CP_TRANSFER:
            assert_true(ev->hops[s->index].start == s->t0 && ev->hops[s->index].end == s->t1);
            break;
        case CP_WEIGHTS:
            assert_true(ev->mode != MODE_RESIDENT);
            assert_true(ev->loads[s->index].start == s->t0 && ev->loads[s->index].end == s->t1);
            break;
        case CP_KIND_COUNT:
            fail();
        }
    }
    for (int k = 0; k < CP_KIND_COUNT; k++)
        sum += c->total[k];
    double per_dev = 0;
    for (int d = 0; d < in->D; d++)
        per_dev += c->compute_on[d] + c->weights_on[d];
    for (int i = 0; i < in->D * in->D; i++)
        per_dev += c->link[i];
    if (fabs(sum - ev->latency) > 1e-12 * ev->latency)
        fail_msg("totals %.17g, latency %.17g", sum, ev->latency);
    if (fabs(per_dev - ev->latency) > 1e-12 * ev->latency)
        fail_msg("per device %.17g, latency %.17g", per_dev, ev->latency);
    /* What each layer waited for agrees with its times. */
    for (int l = 0; l < in->L; l++) {
        const nn_layer_time *t = &ev->layers[l];
        double prev = l ? ev->layers[l - 1].finish : 0;
        switch (t->waited) {
        case WAIT_WEIGHTS:
            assert_true(t->ready > t->arrive && t->start == t->ready);
            break;
        case WAIT_INPUT:
            assert_true(t->arrive >= t->ready && t->arrive > prev);
            break;
        case WAIT_NOTHING:
            assert_true(t->arrive >= t->ready && t->start == prev);
            break;
        }
    }
}

static void test_random_every_mode(void **state)
{
    (void)state;
    random_spec spec = {.max_layers = 9, .max_devices = 4, .max_placements = 4096};
    int checked[MODE_COUNT] = {0};
    for (uint64_t seed = 1; seed <= 300; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        rng r = {.s = seed};
        int place[16];
        for (int m = 0; m < MODE_COUNT; m++) {
            for (int tries = 0; tries < 6; tries++) {
                for (int l = 0; l < in.L; l++)
                    place[l] = in.pin[l] >= 0 ? in.pin[l] : rng_int(&r, 0, in.D - 1);
                nn_eval ev;
                assert_int_equal(eval_run(&in, place, (nn_mode)m, &ev), 0);
                if (isfinite(ev.latency)) {
                    nn_critical c;
                    assert_int_equal(critical_path(&in, &ev, &c), 0);
                    check_decomposition(&in, &ev, &c);
                    checked[m]++;
                    critical_free(&c);
                }
                eval_free(&ev);
            }
        }
        instance_free(&in);
        scenario_free(&s);
    }
    for (int m = 0; m < MODE_COUNT; m++) {
        print_message("%s: %d random placements decomposed\n", mode_name((nn_mode)m), checked[m]);
        assert_true(checked[m] > 300);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_random_every_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
