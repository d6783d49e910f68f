/* The label engine's dominance filter (labels.c) against the plain
 * quadratic rule it must reproduce: per device, in order of finish time
 * (then coordinate sum, then index), a candidate stays when no kept one
 * dominates it (lab_dominates, or lab_busy_dominates in the busy and fit
 * phases); with a finite slack, a kept label is then dropped when a later
 * kept one whose finish time does not decide dominates it; at most `width`
 * per device in a beam. The filter answers through an index by coordinate
 * sum and signatures; the labels kept and their order must be the same,
 * on random label sets full of ties, equal sums and closed lanes (infinite
 * coordinates, negative zeros), groups larger than the index's 64-label words, for the
 * latency, busy and untimed comparisons. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_random.h"
#include "labels_internal.h"

typedef struct ref_key {
    double f, sum;
    int idx;
} ref_key;

static int ref_cmp(const void *pa, const void *pb)
{
    const ref_key *a = pa, *b = pb;
    if (a->f != b->f) return a->f < b->f ? -1 : 1;
    if (a->sum != b->sum) return a->sum < b->sum ? -1 : 1;
    return a->idx - b->idx;
}

static bool ref_beats(const lab_ctx *c, const double *a, const double *b, bool busy, double slack)
{
    return busy ? lab_busy_dominates(c, a, b, slack) : lab_dominates(c, a, b, false);
}

/* The rule, quadratic and without shortcuts. */
static size_t ref_filter(const lab_ctx *c, const double *s, const uint8_t *dev, size_t n, bool busy,
                         int width, double slack, int32_t *pick)
{
    int st = c->stride;
    ref_key *key = malloc(n * sizeof *key);
    bool *gone = malloc(n * sizeof *gone);
    assert_non_null(key);
    assert_non_null(gone);
    for (size_t k = 0; k < n; k++) {
        const double *v = s + k * st;
        double sum = busy && !c->untimed ? v[S_B] : 0;
        for (int j = c->untimed ? S_Q + c->nq : S_Q; j < st; j++)
            sum += v[j];
        key[k] = (ref_key){.f = c->untimed ? v[c->ao] : v[S_F], .sum = sum, .idx = (int)k};
    }
    qsort(key, n, sizeof *key, ref_cmp);
    size_t npick = 0;
    for (int e = 0; e < c->D; e++) {
        size_t first = npick;
        for (size_t k = 0; k < n; k++) {
            int j = key[k].idx;
            if (dev[j] != e) continue;
            if (width && npick - first >= (size_t)width) break;
            bool beaten = false;
            for (size_t q = first; q < npick && !beaten; q++)
                beaten = ref_beats(c, s + (size_t)pick[q] * st, s + (size_t)j * st, busy, slack);
            if (!beaten) pick[npick++] = j;
        }
        if (!busy || !isfinite(slack)) continue;
        for (size_t i = first; i < npick; i++) {
            const double *b = s + (size_t)pick[i] * st;
            gone[i] = false;
            for (size_t q = i + 1; q < npick && !gone[i]; q++) {
                const double *a = s + (size_t)pick[q] * st;
                gone[i] = a[S_F] - a[S_B] <= slack && lab_busy_dominates(c, a, b, slack);
            }
        }
        size_t kept = first;
        for (size_t i = first; i < npick; i++)
            if (!gone[i]) pick[kept++] = pick[i];
        npick = kept;
    }
    free(key);
    free(gone);
    return npick;
}

/* A coordinate from a few values (ties and equal sums are the point), now
 * and then a closed lane. */
static double coord(rng *r, int levels)
{
    if (rng_chance(r, 0.03)) return INFINITY;
    double v = 0.1 * rng_int(r, 0, levels);
    return v == 0 && rng_chance(r, 0.3) ? -0.0 : v; /* it sorts as zero */
}

static void test_filter_same_as_rule(void **state)
{
    (void)state;
    nn_solve_options opt = {.mode = MODE_PRELOAD};
    rng r = {.s = 7};
    long kept = 0, cases = 0;
    for (int it = 0; it < 600; it++) {
        lab_ctx c = {.opt = &opt, .deadline = INFINITY, .mode = MODE_PRELOAD};
        c.D = rng_int(&r, 1, 3);
        c.stride = rng_int(&r, S_Q + 1, S_Q + 8);
        c.nq = rng_int(&r, 0, c.stride - S_Q - 1);
        c.untimed = rng_chance(&r, 0.15);
        c.ao = S_Q + c.nq;
        bool busy = !c.untimed && rng_chance(&r, 0.6);
        int width = rng_chance(&r, 0.2) ? rng_int(&r, 1, 40) : 0;
        double slack = busy && rng_chance(&r, 0.7) ? 0.1 * rng_int(&r, 0, 3) : -INFINITY;
        size_t n = (size_t)rng_int(&r, 1, rng_chance(&r, 0.3) ? 900 : 120);
        int levels = rng_int(&r, 1, 6);
        int st = c.stride;
        double *s = malloc(n * (size_t)st * sizeof *s);
        uint8_t *dev = malloc(n);
        int32_t *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
        assert_non_null(s);
        assert_non_null(dev);
        assert_non_null(want);
        assert_non_null(got);
        for (size_t k = 0; k < n; k++) {
            double *v = s + k * (size_t)st;
            v[S_B] = 0.1 * rng_int(&r, 0, levels);
            v[S_F] = v[S_B] + 0.1 * rng_int(&r, 0, 4);
            if (v[S_F] == 0 && rng_chance(&r, 0.3)) v[S_F] = -0.0;
            for (int j = S_Q; j < st; j++)
                v[j] = coord(&r, levels);
            dev[k] = (uint8_t)rng_int(&r, 0, c.D - 1);
            if (k > 0 && rng_chance(&r, 0.1)) { /* an exact copy of an earlier label */
                size_t o = (size_t)rng_int(&r, 0, (int)k - 1);
                memcpy(v, s + o * (size_t)st, (size_t)st * sizeof *v);
                dev[k] = dev[o];
            }
        }
        size_t nw = ref_filter(&c, s, dev, n, busy, width, slack, want);
        size_t ng = lab_filter_labels(&c, s, dev, n, busy, width, slack, got);
        assert_int_equal(ng, nw);
        assert_memory_equal(got, want, nw * sizeof *got);
        kept += (long)nw;
        cases++;
        free(s);
        free(dev);
        free(want);
        free(got);
    }
    print_message("dominance index: %ld label sets, %ld labels kept\n", cases, kept);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_same_as_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
