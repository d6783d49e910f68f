/* The tie-break's shortcuts (solve/canonical.c, MODEL.md Ties): from tied
 * start points on random small instances in every mode (plain, with many
 * ties, with identical devices), the busy beams first (as on long stacks,
 * where the first try runs out of time) and then the exact search return
 * brute force's canonical placement byte for byte, by the depth-first
 * search and by layer-by-layer fixing alike; and the dominance that leaves
 * out the finish time (lab_free_slack) never drops a completion the
 * evaluator keeps within the limits, nor the bound with both limits
 * together a prefix that completes within them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_random.h"
#include "solve_internal.h"

/* Layers 1 .. L - 1 made alike (a stack of blocks, as the benchmark's
 * transformers): placements that only swap them tie, and their labels'
 * queues agree where their finish times do not. */
static void blocks_alike(nn_instance *in)
{
    int L = in->L, D = in->D;
    for (int l = 2; l < L; l++) {
        for (int d = 0; d < D; d++) {
            in->comp[(size_t)l * D + d] = in->comp[(size_t)D + d];
            in->load[(size_t)l * D + d] = in->load[(size_t)D + d];
        }
        in->weights[l] = in->weights[1];
        in->act[l] = in->act[1];
    }
    for (int b = 2; b < L; b++) {
        in->bytes[b] = in->bytes[1];
        memcpy(in->xfer + (size_t)b * D * D, in->xfer + (size_t)D * D,
               (size_t)D * D * sizeof *in->xfer);
    }
}

/* From the first, a middle and the last tie in counting order (the beams,
 * then the probe), and from the tie of the longest busy path (the probe
 * alone). Returns the number of answers compared. */
static int ties_canonical(const nn_instance *in, uint64_t seed, const char *kind)
{
    int compared = 0;
    for (int m = 0; m < MODE_COUNT; m++) {
        nn_mode mode = (nn_mode)m;
        int canon[16];
        if (!brute_force_canonical(in, mode, canon)) continue;
        double tl = brute_force(in, mode, false, NULL) * (1 + 1e-10);
        int starts[4][16], q[16] = {0}, n = 0;
        double far = -1;
        for (;;) {
            if (eval_latency(in, q, mode) <= tl) {
                double b = eval_latency(in, q, MODE_RESIDENT); /* its busy path */
                if (b > far) {
                    far = b;
                    memcpy(starts[3], q, sizeof q);
                }
                int k = n == 0 ? 0 : n % 2 ? 2 : 1; /* the first; the last; one between */
                memcpy(starts[k], q, sizeof q);
                if (n == 0) memcpy(starts[1], q, sizeof q), memcpy(starts[2], q, sizeof q);
                n++;
            }
            if (!placement_next(q, in->L, in->D)) break;
        }
        for (int k = 0; k < 4; k++)
            for (long nodes = -1; nodes <= 0; nodes++) {
                int p[16];
                memcpy(p, starts[k], sizeof p);
                int rc = k < 3 ? solve_canonical_beams(in, mode, p, nodes)
                               : solve_canonical_probe(in, mode, p, nodes);
                if (rc != (CANON_BUSY_MINIMAL | CANON_EXACT) ||
                    memcmp(p, canon, (size_t)in->L * sizeof *p) != 0) {
                    char a[64], b[64];
                    placement_describe(p, in->L, a, sizeof a);
                    placement_describe(canon, in->L, b, sizeof b);
                    fail_msg("%s seed %llu mode %s, start %d, %s: %s (flags %d), canonical %s",
                             kind, (unsigned long long)seed, mode_name(mode), k,
                             nodes ? "depth-first" : "layer by layer", a, rc, b);
                }
                compared++;
            }
    }
    return compared;
}

static void test_beams_then_exact(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 8, .max_devices = 4, .max_placements = 4096};
    int instances = 0, answers = 0;
    for (uint64_t seed = 91000; seed < 91080; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        answers += ties_canonical(&in, seed, "plain");
        ties_inflate(&in); /* the last layer's loading decides: many ties */
        answers += ties_canonical(&in, seed, "ties");
        blocks_alike(&in);
        answers += ties_canonical(&in, seed, "blocks");
        instances += 3;
        scenario_instance_free(&s, &in);
    }
    for (uint64_t seed = 92000; seed < 92080; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        int d, e;
        if (twin_pair(&in, &d, &e)) {
            twin_devices(&in, d, e);
            if (seed % 2) ties_inflate(&in);
            answers += ties_canonical(&in, seed, "twins");
            instances++;
        }
        scenario_instance_free(&s, &in);
    }
    print_message("busy beams: %d instances x modes, %d answers equal brute force's canonical "
                  "placement\n",
                  instances, answers);
    assert_true(answers > 1500);
}

/* Every completion of prefix b (layers 0..l) within both limits is one of
 * a within them too, with no longer a busy path. Returns how many. */
static int completions_kept(const nn_instance *in, nn_mode mode, const int *a, const int *b, int l,
                            double tlim, double busy, uint64_t seed)
{
    int L = in->L, D = in->D, pa[16], pb[16], n = 0;
    memcpy(pa, a, (size_t)(l + 1) * sizeof *pa);
    memcpy(pb, b, (size_t)(l + 1) * sizeof *pb);
    for (int k = l + 1; k < L; k++)
        pa[k] = pb[k] = 0;
    for (;;) {
        double tb = eval_latency(in, pb, mode), bb = eval_latency(in, pb, MODE_RESIDENT);
        if (tb <= tlim && bb <= busy) {
            double ta = eval_latency(in, pa, mode), ba = eval_latency(in, pa, MODE_RESIDENT);
            if (!(ta <= tlim && ba <= busy && ba <= bb * (1 + 1e-12))) {
                char x[64], y[64];
                placement_describe(pa, L, x, sizeof x);
                placement_describe(pb, L, y, sizeof y);
                fail_msg("seed %llu: %s beat %s at layer %d, but its latency %.17g / busy path "
                         "%.17g against %.17g / %.17g (limits %.17g, %.17g)",
                         (unsigned long long)seed, x, y, l, ta, ba, tb, bb, tlim, busy);
            }
            n++;
        }
        int k = l + 1; /* the next completion, layers l + 1 .. L - 1 counted alike */
        while (k < L && pa[k] == D - 1)
            pa[k] = pb[k] = 0, k++;
        if (k == L) return n;
        pa[k]++;
        pb[k]++;
    }
}

/* lab_free_slack's shortcut against the evaluator (preload): whenever the
 * label of one prefix beats another's in the fit phase only because its
 * finish time does not decide, every completion that keeps the other
 * within both limits keeps it within them too, with no longer a busy path.
 * Stacks of like blocks whose loads outlast their compute (the chain waits
 * for them: finish times part from busy paths); every prefix of up to 4
 * layers; the optimum's limits and looser ones. */
static void test_free_dominance(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 7, .max_devices = 3, .max_placements = 2187};
    const nn_mode mode = MODE_PRELOAD;
    int by_slack = 0, completions = 0;
    static int prefixes[81 * 4];
    static unsigned char beats[81 * 81];
    for (uint64_t seed = 93000; seed < 93400; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        blocks_alike(&in);
        double heavy = (double)(1 + seed % 4) * 5;
        for (int k = 0; k < in.L * in.D; k++)
            in.load[k] *= heavy;
        if (seed % 2) ties_inflate(&in);
        int L = in.L, D = in.D, canon[16];
        if (L < 2 || !brute_force_canonical(&in, mode, canon)) {
            scenario_instance_free(&s, &in);
            continue;
        }
        double t = eval_latency(&in, canon, mode), b = eval_latency(&in, canon, MODE_RESIDENT);
        for (int l = 0; l < L - 1 && l < 4; l++) {
            int n = 1;
            for (int k = 0; k <= l; k++)
                n *= D;
            for (int i = 0; i < n; i++)
                for (int k = 0, v = i; k <= l; k++, v /= D)
                    prefixes[i * (l + 1) + k] = v % D;
            const double looser[3] = {1 + 1e-10, 1.1, 1.4};
            for (int m = 0; m < 3; m++) {
                double tlim = t * looser[m], busy = m ? b * looser[m] : b;
                assert_int_equal(labels_fit_dominance(&in, mode, l, prefixes, n, tlim, busy, beats),
                                 0);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        if (beats[i * n + j] == 2) {
                            by_slack++;
                            completions +=
                                completions_kept(&in, mode, prefixes + i * (l + 1),
                                                 prefixes + j * (l + 1), l, tlim, busy, seed);
                        }
            }
        }
        scenario_instance_free(&s, &in);
    }
    print_message("free dominance: %d labels beaten only by the slack, %d completions of them "
                  "within the limits, each one kept by the label that beat them\n",
                  by_slack, completions);
    assert_true(by_slack > 50);
    assert_true(completions > 100);
}

/* Whether some completion of prefix p (layers 0..l) stays within both
 * limits (the evaluator's latency and busy path). */
static bool completes_within(const nn_instance *in, nn_mode mode, const int *p, int l, double tlim,
                             double busy)
{
    int L = in->L, D = in->D, q[16];
    memcpy(q, p, (size_t)(l + 1) * sizeof *q);
    for (int k = l + 1; k < L; k++)
        q[k] = 0;
    for (;;) {
        if (eval_latency(in, q, mode) <= tlim && eval_latency(in, q, MODE_RESIDENT) <= busy)
            return true;
        int k = l + 1;
        while (k < L && q[k] == D - 1)
            q[k++] = 0;
        if (k == L) return false;
        q[k]++;
    }
}

/* The busy and fit phases' bound (lab_bound_busy: the latency bounds with
 * the finish time raised to B(l) + tlim - busy) against the evaluator: a
 * prefix it drops has no completion within both limits, in every mode, on
 * random stacks of like blocks with heavy loads (where the latency bounds
 * bind), for the optimum's limits, looser and tighter ones; it drops
 * prefixes that neither the latency bounds nor the busy tail drop; and
 * lab_bound_exceeds never drops a label lab_bound_until keeps. */
static void test_busy_bound(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 7, .max_devices = 4, .max_placements = 4096};
    int dropped = 0, only_both = 0, kept = 0, checked = 0, value_only = 0;
    for (uint64_t seed = 94000; seed < 94300; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        if (seed % 3) blocks_alike(&in);
        double heavy = (double)(1 + seed % 4) * 4;
        for (int k = 0; k < in.L * in.D; k++)
            in.load[k] *= heavy;
        if (seed % 2) ties_inflate(&in);
        int L = in.L, D = in.D;
        for (int m = 0; m < MODE_COUNT && L >= 2; m++) {
            nn_mode mode = (nn_mode)m;
            int canon[16];
            if (!brute_force_canonical(&in, mode, canon)) continue;
            double t = eval_latency(&in, canon, mode), b = eval_latency(&in, canon, MODE_RESIDENT);
            const double tl[3] = {1 + 1e-10, 1.1, 1.4}, bl[3] = {1 + 1e-12, 1.05, 0.97};
            for (int l = 0; l < L - 1 && l < 4; l++) {
                int n = 1, p[16];
                for (int k = 0; k <= l; k++)
                    n *= D;
                for (int i = 0; i < n; i++) {
                    for (int k = 0, v = i; k <= l; k++, v /= D)
                        p[k] = v % D;
                    for (int a = 0; a < 3; a++)
                        for (int c = 0; c < 3; c++) {
                            double tlim = t * tl[a], busy = b * bl[c];
                            int r = labels_fit_pruned(&in, mode, p, l, tlim, busy);
                            if (r < 0) continue;
                            checked++;
                            bool both = r & LABELS_PRUNED_BOTH;
                            if ((r & LABELS_PRUNED_EXCEEDS) && !(r & LABELS_PRUNED_LATENCY))
                                fail_msg("seed %llu mode %s layer %d: lab_bound_exceeds drops a "
                                         "label lab_bound_until keeps",
                                         (unsigned long long)seed, mode_name(mode), l);
                            value_only += (r & LABELS_PRUNED_BOTH_VALUE) && !both;
                            if (!both && !(r & LABELS_PRUNED_BOTH_VALUE)) {
                                kept++;
                                continue;
                            }
                            if (completes_within(&in, mode, p, l, tlim, busy)) {
                                char x[64];
                                placement_describe(p, l + 1, x, sizeof x);
                                fail_msg("seed %llu mode %s: prefix %s dropped (bits %d) under "
                                         "T <= %.17g, busy <= %.17g, but a completion is within "
                                         "both",
                                         (unsigned long long)seed, mode_name(mode), x, r, tlim,
                                         busy);
                            }
                            dropped++;
                            only_both +=
                                !(r & (LABELS_PRUNED_BUSY | LABELS_PRUNED_LATENCY)) && both;
                        }
                }
            }
        }
        scenario_instance_free(&s, &in);
    }
    print_message("busy bound: %d prefix labels x limits, %d dropped (%d by both limits together "
                  "alone; %d by the value only), %d kept; no dropped one completes within the "
                  "limits\n",
                  checked, dropped, only_both, value_only, kept);
    assert_true(only_both > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_beams_then_exact),
        cmocka_unit_test(test_free_dominance),
        cmocka_unit_test(test_busy_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
