/* The tie-break's shortcuts in its busy search (solve/canonical.c, MODEL.md
 * Ties): from tied start points on random small instances in every mode
 * (plain, with many ties, with identical devices), the busy beams first
 * (as on long stacks, where the first try runs out of time) and then the
 * exact search return brute force's canonical placement byte for byte, by
 * the depth-first search and by layer-by-layer fixing alike. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_random.h"
#include "solve_internal.h"

/* From the first, a middle and the last tie in counting order. Returns
 * the number of answers compared. */
static int ties_canonical(const nn_instance *in, uint64_t seed, const char *kind)
{
    int compared = 0;
    for (int m = 0; m < MODE_COUNT; m++) {
        nn_mode mode = (nn_mode)m;
        int canon[16];
        if (!brute_force_canonical(in, mode, canon)) continue;
        double tl = brute_force(in, mode, false, NULL) * (1 + 1e-10);
        int starts[3][16], q[16] = {0}, n = 0;
        for (;;) {
            if (eval_latency(in, q, mode) <= tl) {
                int k = n == 0 ? 0 : n % 2 ? 2 : 1; /* the first; the last; one between */
                memcpy(starts[k], q, sizeof q);
                if (n == 0) memcpy(starts[1], q, sizeof q), memcpy(starts[2], q, sizeof q);
                n++;
            }
            if (!placement_next(q, in->L, in->D)) break;
        }
        for (int k = 0; k < 3; k++)
            for (long nodes = -1; nodes <= 0; nodes++) {
                int p[16];
                memcpy(p, starts[k], sizeof p);
                int rc = solve_canonical_beams(in, mode, p, nodes);
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
        instances += 2;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_beams_then_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
