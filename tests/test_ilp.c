/* The ILP against brute force (the least latency, then the shortest busy
 * path among the placements that reach it), MODEL.md's worked example, the
 * default scenario's ties, infeasibility reasons, pins, the LP file, the
 * time limit, cancellation and warm starts. */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers_solve.h"
#include "solve_internal.h"

static void check_result(const nn_instance *in, nn_mode mode, const nn_solve_result *r)
{
    assert_solution(in, mode, r, 1e-9);
    if (!rel_close(r->objective, r->latency, 1e-6))
        fail_msg("objective %.17g vs latency %.17g", r->objective, r->latency);
    /* The busy path never exceeds the latency. */
    assert_true(r->busy_path <= r->latency * (1 + 1e-12));
    if (r->status != SOLVE_OPTIMAL) assert_false(r->busy_minimal);
}

static void solve_mode(const nn_instance *in, nn_mode mode, nn_solve_result *r)
{
    nn_solve_options opt = {.mode = mode};
    assert_int_equal(solve_ilp(in, &opt, r), 0);
}

/* The optimum equals brute force on seeded random instances, every mode;
 * among the placements of that latency (to 1e-9 relative) the answer has
 * the shortest busy path, with the DP's incumbent and without it. */
static void test_random_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 8, .max_devices = 4, .max_placements = 8192};
    int feasible = 0, infeasible = 0, split = 0, shortened = 0;
    for (uint64_t seed = 1; seed <= 400; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        for (int m = 0; m < MODE_COUNT; m++) {
            int best[16];
            double want = brute_force(&in, (nn_mode)m, false, best);
            nn_solve_result r, bare;
            solve_mode(&in, (nn_mode)m, &r);
            /* Without the DP's incumbent GLPK must find the optimum alone:
             * the formulation, not the heuristic, is under test. */
            ilp_tuning tuning = ILP_TUNING_DEFAULT;
            tuning.use_incumbent = false;
            nn_solve_options opt = {.mode = (nn_mode)m};
            assert_int_equal(solve_ilp_tuned(&in, &opt, &tuning, &bare), 0);
            assert_int_equal(bare.status, r.status);
            if (r.place && !rel_close(bare.latency, r.latency, 1e-9))
                fail_msg("seed %llu mode %s: without incumbent %.17g, with %.17g",
                         (unsigned long long)seed, mode_name((nn_mode)m), bare.latency, r.latency);
            if (r.place && (!bare.busy_minimal || !rel_close(bare.busy_path, r.busy_path, 1e-9)))
                fail_msg("seed %llu mode %s: busy path without incumbent %.17g (%s), with %.17g",
                         (unsigned long long)seed, mode_name((nn_mode)m), bare.busy_path,
                         bare.busy_minimal ? "proven" : "not proven", r.busy_path);
            solve_result_free(&bare);
            /* Phase 1 without the pairs that cannot beat the incumbent. */
            tuning = ILP_TUNING_DEFAULT;
            tuning.fix_slow = true;
            assert_int_equal(solve_ilp_tuned(&in, &opt, &tuning, &bare), 0);
            assert_int_equal(bare.status, r.status);
            if (r.place && !rel_close(bare.latency, r.latency, 1e-9))
                fail_msg("seed %llu mode %s: slow pairs left out %.17g, all %.17g",
                         (unsigned long long)seed, mode_name((nn_mode)m), bare.latency, r.latency);
            solve_result_free(&bare);
            /* Phase 1 alone: the same latency, a busy path no shorter. */
            tuning = ILP_TUNING_DEFAULT;
            tuning.tiebreak = false;
            assert_int_equal(solve_ilp_tuned(&in, &opt, &tuning, &bare), 0);
            assert_int_equal(bare.status, r.status);
            assert_false(bare.busy_minimal);
            if (r.place) {
                assert_true(rel_close(bare.latency, r.latency, 1e-9));
                assert_true(r.busy_path <= bare.busy_path * (1 + 1e-12));
                shortened += r.busy_path < bare.busy_path * (1 - 1e-9);
            }
            solve_result_free(&bare);
            if (isinf(want)) {
                if (r.status != SOLVE_INFEASIBLE)
                    fail_msg("seed %llu mode %s: status %s (%s), brute force infeasible",
                             (unsigned long long)seed, mode_name((nn_mode)m),
                             solve_status_name(r.status), r.message);
                assert_null(r.place);
                assert_true(strncmp(r.message, "infeasible: ", 12) == 0);
                assert_true(strlen(r.message) > 20);
                infeasible++;
            } else {
                if (r.status != SOLVE_OPTIMAL || !rel_close(r.latency, want, 1e-9))
                    fail_msg("seed %llu mode %s: %s %.17g, brute force %.17g (%s)",
                             (unsigned long long)seed, mode_name((nn_mode)m),
                             solve_status_name(r.status), r.latency, want, r.message);
                check_result(&in, (nn_mode)m, &r);
                assert_true(rel_close(r.bound, r.latency, 1e-12));
                assert_true(r.gap == 0);
                assert_true(r.rows > 0 && r.cols > 0);
                /* No time limit: phase 2 always completes. */
                double busy = brute_force_tied_busy(&in, (nn_mode)m, want, 1e-9, NULL);
                if (!r.busy_minimal || !rel_close(r.busy_path, busy, 1e-9))
                    fail_msg("seed %llu mode %s: busy path %.17g (%s), brute force %.17g",
                             (unsigned long long)seed, mode_name((nn_mode)m), r.busy_path,
                             r.busy_minimal ? "proven" : "not proven", busy);
                if (m == MODE_RESIDENT) assert_true(r.busy_path == r.latency);
                feasible++;
                bool multi = false;
                for (int l = 1; l < in.L; l++)
                    multi |= r.place[l] != r.place[0];
                split += multi;
            }
            solve_result_free(&r);
        }
        scenario_instance_free(&s, &in);
    }
    /* The generator must exercise both outcomes and real partitions, and
     * ties that phase 1 alone breaks the wrong way. */
    assert_true(feasible > 300);
    assert_true(infeasible > 30);
    assert_true(split > 50);
    assert_true(shortened > 5);
}

/* Decodes placement number i of D^L (layer 0 the fastest digit). */
static void placement_decode(long i, int L, int D, int *place)
{
    for (int l = 0; l < L; l++, i /= D)
        place[l] = (int)(i % D);
}

/* configs/default.yaml (AlexNet on phone, hub and cloud, preload) has many
 * optimal placements: the hub's weight loading is the critical path, and
 * the earlier layers may go anywhere that finishes in time. Brute force
 * over all 3^13 placements: the answer has the least latency and, among the
 * placements that reach it, the shortest busy path; several placements
 * share that too (flatten costs nothing), and warm-started from any of
 * them, from phase 1's answer, the DP's or every device alone, the answer
 * is the same placement (a sweep sees no spurious change). */
static void test_default_scenario_ties(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    if (scenario_load_string(nnpart_default_yaml, strlen(nnpart_default_yaml), "default.yaml", &s,
                             &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(s.mode, MODE_PRELOAD);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    assert_true(in.L <= 16 && in.D == 3);
    nn_solve_result r;
    solve_mode(&in, MODE_PRELOAD, &r);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    assert_true(r.busy_minimal);
    check_result(&in, MODE_PRELOAD, &r);

    int L = in.L, D = in.D, place[16] = {0}, tied = 0, nshort = 0;
    long n = 1, shortest[64];
    for (int l = 0; l < L; l++)
        n *= D;
    double *lat = malloc((size_t)n * sizeof *lat), opt = INFINITY, busy = INFINITY;
    assert_non_null(lat);
    for (long i = 0; i < n; i++) {
        placement_decode(i, L, D, place);
        lat[i] = eval_latency(&in, place, MODE_PRELOAD);
        opt = fmin(opt, lat[i]);
    }
    for (int pass = 0; pass < 2; pass++) {
        for (long i = 0; i < n; i++) {
            if (!rel_close(lat[i], opt, 1e-9)) continue;
            placement_decode(i, L, D, place);
            double b = eval_latency(&in, place, MODE_RESIDENT);
            if (pass == 0) {
                tied++;
                busy = fmin(busy, b);
            } else if (rel_close(b, busy, 1e-9) && nshort < 64) {
                shortest[nshort++] = i;
            }
        }
    }
    free(lat);
    if (!rel_close(r.latency, opt, 1e-9))
        fail_msg("latency %.17g, brute force %.17g", r.latency, opt);
    if (!rel_close(r.busy_path, busy, 1e-9))
        fail_msg("busy path %.17g, brute force %.17g over %d tied placements", r.busy_path, busy,
                 tied);
    /* Real ties at both levels. */
    assert_true(tied > 100);
    assert_true(r.busy_path < 0.8 * r.latency);
    assert_true(nshort > 1);

    ilp_tuning ph1 = ILP_TUNING_DEFAULT;
    ph1.tiebreak = false;
    nn_solve_options opt1 = {.mode = MODE_PRELOAD};
    nn_solve_result p1;
    assert_int_equal(solve_ilp_tuned(&in, &opt1, &ph1, &p1), 0);
    assert_int_equal(p1.status, SOLVE_OPTIMAL);
    assert_true(rel_close(p1.latency, r.latency, 1e-9));
    assert_true(r.busy_path <= p1.busy_path);
    int nstarts = 2 + D + nshort, starts[2 + NN_MAX_DEVICES + 64][16];
    memcpy(starts[0], p1.place, (size_t)L * sizeof *p1.place);
    assert_true(isfinite(solve_dp_contiguous(&in, MODE_PRELOAD, starts[1])));
    for (int d = 0; d < D; d++)
        for (int l = 0; l < L; l++)
            starts[2 + d][l] = d;
    for (int k = 0; k < nshort; k++)
        placement_decode(shortest[k], L, D, starts[2 + D + k]);
    for (int k = 0; k < nstarts; k++) {
        nn_solve_options warm = {.mode = MODE_PRELOAD, .warm_start = starts[k]};
        nn_solve_result w;
        assert_int_equal(solve_ilp(&in, &warm, &w), 0);
        assert_int_equal(w.status, SOLVE_OPTIMAL);
        assert_true(w.busy_minimal);
        assert_true(rel_close(w.latency, r.latency, 1e-9));
        assert_true(rel_close(w.busy_path, r.busy_path, 1e-9));
        for (int l = 0; l < L; l++)
            if (w.place[l] != r.place[l]) fail_msg("warm start %d: layer %d differs", k, l);
        solve_result_free(&w);
    }
    solve_result_free(&p1);
    solve_result_free(&r);
    scenario_instance_free(&s, &in);
}

/* Random instances made tie-prone: the last layer's weights take longer to
 * load anywhere than all the work before it, so in preload mode every
 * placement of the earlier layers that finishes in time is optimal. */
static void test_random_ties(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 7, .max_devices = 4, .max_placements = 4096};
    int solved = 0, shortened = 0;
    for (uint64_t seed = 5000; seed < 5200; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        ties_inflate(&in);
        double want = brute_force(&in, MODE_PRELOAD, false, NULL);
        nn_solve_result r, p1;
        solve_mode(&in, MODE_PRELOAD, &r);
        ilp_tuning ph1 = ILP_TUNING_DEFAULT;
        ph1.tiebreak = false;
        nn_solve_options opt = {.mode = MODE_PRELOAD};
        assert_int_equal(solve_ilp_tuned(&in, &opt, &ph1, &p1), 0);
        if (isfinite(want)) {
            assert_int_equal(r.status, SOLVE_OPTIMAL);
            check_result(&in, MODE_PRELOAD, &r);
            double busy = brute_force_tied_busy(&in, MODE_PRELOAD, want, 1e-9, NULL);
            if (!rel_close(r.latency, want, 1e-9) || !r.busy_minimal ||
                !rel_close(r.busy_path, busy, 1e-9))
                fail_msg("seed %llu: latency %.17g busy %.17g (%s); brute force %.17g, %.17g",
                         (unsigned long long)seed, r.latency, r.busy_path,
                         r.busy_minimal ? "proven" : "not proven", want, busy);
            assert_true(rel_close(p1.latency, want, 1e-9));
            shortened += r.busy_path < p1.busy_path * (1 - 1e-9);
            solved++;
        }
        solve_result_free(&r);
        solve_result_free(&p1);
        scenario_instance_free(&s, &in);
    }
    assert_true(solved > 90);
    assert_true(shortened > 20);
}

static void load_worked(nn_scenario *s)
{
    nn_error err;
    const char *path = "configs/worked-example.yaml";
    if (access(path, R_OK) == 0) {
        if (scenario_load_file(path, s, &err) != 0) fail_msg("%s", err.message);
    } else {
        fixture_worked_example(s);
    }
}

/* MODEL.md: edge, cloud, cloud in preload (712 ms); cloud x3 otherwise. */
static void test_worked_example(void **state)
{
    (void)state;
    nn_scenario s;
    load_worked(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    const struct {
        nn_mode mode;
        int place[3];
        double latency;
    } want[] = {
        {MODE_PRELOAD, {0, 1, 1}, 0.712},
        {MODE_ONDEMAND, {1, 1, 1}, 0.843},
        {MODE_RESIDENT, {1, 1, 1}, 0.133},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        nn_solve_result r;
        solve_mode(&in, want[i].mode, &r);
        assert_int_equal(r.status, SOLVE_OPTIMAL);
        check_result(&in, want[i].mode, &r);
        for (int l = 0; l < 3; l++)
            assert_int_equal(r.place[l], want[i].place[l]);
        if (!rel_close(r.latency, want[i].latency, 1e-9))
            fail_msg("%s: %.17g, want %g", mode_name(want[i].mode), r.latency, want[i].latency);
        assert_non_null(strstr(r.message, "optimal"));
        solve_result_free(&r);
    }
    scenario_instance_free(&s, &in);
}

static void expect_infeasible(nn_scenario *s, const char *fragment)
{
    nn_instance in;
    assert_int_equal(instance_build(s, &in), 0);
    nn_solve_result r;
    solve_mode(&in, s->mode, &r);
    assert_int_equal(r.status, SOLVE_INFEASIBLE);
    assert_null(r.place);
    if (!strstr(r.message, fragment)) fail_msg("message '%s' lacks '%s'", r.message, fragment);
    solve_result_free(&r);
    instance_free(&in);
}

static void test_infeasible_reasons(void **state)
{
    (void)state;
    nn_scenario s;

    fixture_worked_example(&s);
    s.devices[0].memory = 30e6;
    s.devices[1].memory = 30e6;
    expect_infeasible(&s, "the network's weights, 71 MB, exceed the memory of all devices "
                          "together (60 MB)");
    scenario_free(&s);

    fixture_worked_example(&s);
    s.pin[2] = 0;               /* L3 (50 MB) on the edge (100 MB) fits ... */
    s.devices[0].memory = 40e6; /* ... until the edge shrinks */
    expect_infeasible(&s, "layer L3 is pinned to edge, which has only 40 MB of memory");
    scenario_free(&s);

    fixture_worked_example(&s);
    s.devices[0].memory = 30e6;
    s.devices[1].memory = 45e6;
    expect_infeasible(&s, "layer L3 needs 50 MB of memory");
    scenario_free(&s);

    fixture_worked_example(&s);
    s.pin[1] = 0;
    s.pin[2] = 0;
    s.devices[0].memory = 60e6;
    expect_infeasible(&s, "the 2 layers pinned to edge need");
    scenario_free(&s);

    /* No link at all: L2 pinned to the cloud cannot be reached. */
    fixture_worked_example(&s);
    scenario_remove_link(&s, 0);
    s.pin[1] = 1;
    expect_infeasible(&s, "no route from edge to cloud");
    scenario_free(&s);

    /* One-way link: the result cannot come back to the edge. */
    fixture_worked_example(&s);
    s.links[0].reverse = 0;
    s.links[0].reverse_given = true;
    s.pin[2] = 1;
    expect_infeasible(&s, "no route from cloud to edge (the sink)");
    scenario_free(&s);

    /* Each layer fits somewhere, but not all at once: L2 and L3 only fit
     * the cloud, and not together. */
    fixture_worked_example(&s);
    s.devices[0].memory = 19e6;
    s.devices[1].memory = 55e6;
    expect_infeasible(&s, "no placement fits memory, pins and routes at once");
    scenario_free(&s);
}

/* A pin moves the optimum, and the optimum still matches brute force. */
static void test_pins(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.pin[1] = 0; /* L2 must run on the edge */
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    for (int m = 0; m < MODE_COUNT; m++) {
        nn_solve_result r;
        solve_mode(&in, (nn_mode)m, &r);
        assert_int_equal(r.status, SOLVE_OPTIMAL);
        assert_int_equal(r.place[1], 0);
        check_result(&in, (nn_mode)m, &r);
        assert_true(rel_close(r.latency, brute_force(&in, (nn_mode)m, false, NULL), 1e-12));
        solve_result_free(&r);
    }
    scenario_instance_free(&s, &in);
}

/* The LP file has readable names and, solved by GLPK alone, the same optimum. */
static void test_write_lp_round_trip(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    str_copy(s.net.layers[0].name, sizeof s.net.layers[0].name, "conv-1 (a)");
    str_copy(s.net.layers[1].name, sizeof s.net.layers[1].name, "conv_1__a_");
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    char path[] = "/tmp/nnpart-test-lp-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    /* The file exists (mkstemp): without force it is left as it is, the
     * check made as the file is written, and the solve still happens. */
    nn_solve_options opt = {.mode = MODE_PRELOAD, .write_lp = path};
    nn_solve_result r;
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    char want[256];
    snprintf(want, sizeof want,
             "the LP file '%s' was not written: a file of that name exists now (nothing was "
             "replaced)",
             path);
    assert_string_equal(r.lp_error, want);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 0);
    solve_result_free(&r);
    opt.write_lp_force = true;
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    assert_string_equal(r.lp_error, "");
    assert_true(rel_close(r.latency, 0.712, 1e-9));

    glp_prob *lp = glp_create_prob();
    assert_int_equal(glp_read_lp(lp, NULL, path), 0);
    unlink(path);
    assert_int_equal(glp_get_num_rows(lp), r.rows);
    assert_int_equal(glp_get_num_cols(lp), r.cols);
    glp_create_index(lp);
    /* Sanitized and made unique: "conv-1 (a)" and "conv_1__a_" both clean
     * to "conv_1__a_"; the second one gets its index. */
    assert_true(glp_find_col(lp, "x_conv_1__a__edge") > 0);
    assert_true(glp_find_col(lp, "x_conv_1__a__2_cloud") > 0);
    assert_true(glp_find_col(lp, "y_2_cloud_cloud") > 0);
    assert_true(glp_find_col(lp, "y_1_edge_cloud") > 0);
    assert_true(glp_find_col(lp, "T") > 0);
    assert_true(glp_find_row(lp, "assign_L3") > 0);
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    assert_int_equal(glp_intopt(lp, &ip), 0);
    assert_int_equal(glp_mip_status(lp), GLP_OPT);
    /* The file's times are in ms (its title says so). */
    double obj = glp_mip_obj_val(lp) * 1e-3;
    if (!rel_close(obj, r.objective, 1e-9)) fail_msg("file %.17g, solver %.17g", obj, r.objective);
    glp_delete_prob(lp);
    solve_result_free(&r);

    /* An unwritable path is said plainly, and the solve still happens. */
    opt.write_lp = "/nonexistent-dir/x.lp";
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    assert_non_null(r.place);
    assert_non_null(strstr(r.lp_error, "cannot write the LP file '/nonexistent-dir/x.lp'"));
    solve_result_free(&r);
    /* A write that fails at the end (a full disk) too. */
    opt.write_lp = "/dev/full";
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    assert_string_equal(
        r.lp_error, "cannot write the LP file '/dev/full': write failed: No space left on device");
    solve_result_free(&r);
    /* Under another objective too (its own model): reported, still solved. */
    opt.objective = OBJ_ENERGY;
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    assert_non_null(r.place);
    assert_string_equal(
        r.lp_error, "cannot write the LP file '/dev/full': write failed: No space left on device");
    solve_result_free(&r);
    scenario_instance_free(&s, &in);
}

/* On random instances too, the LP file solved by GLPK alone (its presolver
 * on, no incumbent) reaches the same optimum, in the file's time unit. */
static void test_write_lp_random(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 8, .max_devices = 4, .max_placements = 1 << 16};
    char path[] = "/tmp/nnpart-test-lp-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int compared = 0;
    for (uint64_t seed = 3000; seed < 3060; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        nn_solve_options opt = {.mode = s.mode, .write_lp = path, .write_lp_force = true};
        nn_solve_result r;
        assert_int_equal(solve_ilp(&in, &opt, &r), 0);
        glp_prob *lp = glp_create_prob();
        assert_int_equal(glp_read_lp(lp, NULL, path), 0);
        assert_int_equal(glp_get_num_cols(lp), r.cols);
        glp_iocp ip;
        glp_init_iocp(&ip);
        ip.msg_lev = GLP_MSG_OFF;
        ip.presolve = GLP_ON;
        int rc = glp_intopt(lp, &ip);
        if (r.status == SOLVE_OPTIMAL) {
            assert_int_equal(rc, 0);
            assert_int_equal(glp_mip_status(lp), GLP_OPT);
            /* The unit is a power of 1000 of a second. */
            double k = log10(glp_mip_obj_val(lp) / r.objective) / 3;
            if (fabs(k - round(k)) > 1e-6)
                fail_msg("seed %llu: file %.17g vs %.17g", (unsigned long long)seed,
                         glp_mip_obj_val(lp), r.objective);
            compared++;
        } else {
            assert_int_equal(r.status, SOLVE_INFEASIBLE);
            assert_true(rc != 0 || glp_mip_status(lp) == GLP_NOFEAS);
        }
        glp_delete_prob(lp);
        solve_result_free(&r);
        scenario_instance_free(&s, &in);
    }
    unlink(path);
    assert_true(compared > 30);
}

/* A transformer-like stack on many devices: the kind of instance where
 * branch-and-bound takes a while. */
static void big_scenario(nn_scenario *s, int L, int D)
{
    scenario_init(s);
    const double speeds[] = {2e10, 5e10, 1e11, 3e11, 1e12, 2e12, 5e12, 1e13};
    for (int d = 0; d < D; d++) {
        char name[24];
        snprintf(name, sizeof name, "d%d", d);
        fixture_device(s, name, speeds[d % 8], 2e9 + 1e9 * d, 1e8 * (1 + d % 3));
    }
    for (int d = 1; d < D; d++)
        fixture_link(s, 0, d, 1e8 * d, 1e8 * d, 0.002 * d);
    for (int d = 2; d < D; d += 2)
        fixture_link(s, d - 1, d, 1e9, 1e9, 0.001);
    fixture_blocks(s, L);
}

/* A tiny time limit returns an incumbent with its gap, or the optimum if it
 * got there first (timing is not asserted). */
static void test_time_limit(void **state)
{
    (void)state;
    nn_scenario s;
    big_scenario(&s, 40, 8);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_solve_options opt = {.mode = MODE_PRELOAD, .time_limit_s = 0.001};
    nn_solve_result r;
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_true(r.status == SOLVE_FEASIBLE || r.status == SOLVE_OPTIMAL);
    check_result(&in, MODE_PRELOAD, &r);
    if (r.status == SOLVE_FEASIBLE) {
        assert_true(r.gap >= 0 && r.gap < 1);
        assert_non_null(strstr(r.message, "time limit"));
        assert_non_null(strstr(r.message, "%"));
    }
    /* It is never worse than the contiguous DP's incumbent. */
    assert_true(r.latency <= solve_dp_contiguous(&in, MODE_PRELOAD, NULL) * (1 + 1e-12));
    solve_result_free(&r);
    scenario_instance_free(&s, &in);
}

/* Cancelled before it starts: the incumbent comes back, flagged as such. */
static void test_cancel(void **state)
{
    (void)state;
    nn_scenario s;
    big_scenario(&s, 12, 5);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    atomic_int cancel = 1;
    nn_solve_options opt = {.mode = MODE_PRELOAD, .cancel = &cancel};
    nn_solve_result r;
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_FEASIBLE);
    check_result(&in, MODE_PRELOAD, &r);
    /* The DP's placement, polished by local search. */
    assert_true(r.latency <= solve_dp_contiguous(&in, MODE_PRELOAD, NULL));
    assert_non_null(strstr(r.message, "cancelled"));
    solve_result_free(&r);

    /* The same instance without the flag is solved to optimality and is at
     * least as good. */
    double dp = solve_dp_contiguous(&in, MODE_PRELOAD, NULL);
    cancel = 0;
    assert_int_equal(solve_ilp(&in, &opt, &r), 0);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    check_result(&in, MODE_PRELOAD, &r);
    assert_true(r.latency <= dp * (1 + 1e-12));
    solve_result_free(&r);
    scenario_instance_free(&s, &in);
}

/* A warm start is used when it beats the DP, and never changes the optimum. */
static void test_warm_start(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 7, .max_devices = 4, .max_placements = 4096};
    for (uint64_t seed = 1000; seed < 1040; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        int best[16];
        double want = brute_force(&in, s.mode, false, best);
        nn_solve_options opt = {.mode = s.mode, .warm_start = best};
        nn_solve_result r;
        assert_int_equal(solve_ilp(&in, &opt, &r), 0);
        if (isinf(want)) {
            assert_int_equal(r.status, SOLVE_INFEASIBLE);
        } else {
            assert_int_equal(r.status, SOLVE_OPTIMAL);
            assert_true(rel_close(r.latency, want, 1e-9));
            check_result(&in, s.mode, &r);
            /* The tie-break does not depend on where the search started. */
            nn_solve_result cold;
            solve_mode(&in, s.mode, &cold);
            assert_true(r.busy_minimal && cold.busy_minimal);
            assert_true(rel_close(r.busy_path, cold.busy_path, 1e-9));
            solve_result_free(&cold);
            /* Cancelled at once, the warm start is what comes back. */
            atomic_int cancel = 1;
            nn_solve_result c;
            opt.cancel = &cancel;
            assert_int_equal(solve_ilp(&in, &opt, &c), 0);
            assert_int_equal(c.status, SOLVE_FEASIBLE);
            assert_true(rel_close(c.latency, want, 1e-12));
            solve_result_free(&c);
        }
        solve_result_free(&r);
        scenario_instance_free(&s, &in);
    }
}

/* Found by a stress run: GLPK accepted a placement overfilling a device by
 * 0.4 B of 3.85 MB (within its row tolerance); the solver must cut it off
 * and still return the true optimum. */
static void test_memory_within_tolerance(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 8, .max_devices = 6, .max_placements = 60000};
    nn_scenario s;
    nn_instance in;
    random_instance(&s, &in, 11066, &spec);
    for (int m = 0; m < MODE_COUNT; m++) {
        double want = brute_force(&in, (nn_mode)m, false, NULL);
        assert_true(isfinite(want));
        nn_solve_result r;
        solve_mode(&in, (nn_mode)m, &r);
        assert_int_equal(r.status, SOLVE_OPTIMAL);
        check_result(&in, (nn_mode)m, &r);
        assert_true(rel_close(r.latency, want, 1e-9));
        solve_result_free(&r);
    }
    scenario_instance_free(&s, &in);
}

/* Instances on which GLPK went wrong in stress runs of variants of the
 * solver: its primal simplex cycled forever on a relaxation (21219), its
 * preprocessor called a problem infeasible that a known placement solves
 * (13748), and called phase 2 infeasible with T at its bound (54902); its
 * branch-and-bound proved a placement 0.6% above the optimum optimal
 * (166565). Every mode must reach brute force, with the tie-break proven;
 * the time limit only turns a hang into a failure. */
static void test_stress_regressions(void **state)
{
    (void)state;
    const struct {
        uint64_t seed;
        int devices;
    } cases[] = {{21219, 6}, {13748, 5}, {54902, 3}, {166565, 2}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const random_spec spec = {
            .max_layers = 9, .max_devices = cases[c].devices, .max_placements = 20000};
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, cases[c].seed, &spec);
        for (int m = 0; m < MODE_COUNT; m++) {
            double want = brute_force(&in, (nn_mode)m, false, NULL);
            assert_true(isfinite(want));
            nn_solve_options opt = {.mode = (nn_mode)m, .time_limit_s = 60};
            nn_solve_result r;
            assert_int_equal(solve_ilp(&in, &opt, &r), 0);
            if (r.status != SOLVE_OPTIMAL)
                fail_msg("seed %llu mode %s: %s", (unsigned long long)cases[c].seed,
                         mode_name((nn_mode)m), r.message);
            check_result(&in, (nn_mode)m, &r);
            assert_true(rel_close(r.latency, want, 1e-9));
            assert_true(r.busy_minimal);
            double busy = brute_force_tied_busy(&in, (nn_mode)m, want, 1e-9, NULL);
            assert_true(rel_close(r.busy_path, busy, 1e-9));
            solve_result_free(&r);
        }
        scenario_instance_free(&s, &in);
    }
}

/* No layers is an error, said in words; one device is trivially optimal. */
static void test_edge_cases(void **state)
{
    (void)state;
    nn_scenario s;
    scenario_init(&s);
    fixture_device(&s, "only", 1e9, 1e9, 1e8);
    nn_network net = {0};
    assert_int_equal(fixture_finish(&s, &net, 1000), 0);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    nn_solve_result r;
    solve_mode(&in, MODE_PRELOAD, &r);
    assert_int_equal(r.status, SOLVE_ERROR);
    assert_null(r.place);
    assert_non_null(strstr(r.message, "no layers"));
    solve_result_free(&r);
    scenario_instance_free(&s, &in);

    fixture_worked_example(&s);
    scenario_remove_device(&s, 1);
    assert_int_equal(instance_build(&s, &in), 0);
    solve_mode(&in, MODE_ONDEMAND, &r);
    assert_int_equal(r.status, SOLVE_OPTIMAL);
    assert_true(rel_close(r.latency, 8.3, 1e-9));
    solve_result_free(&r);
    scenario_instance_free(&s, &in);

    assert_string_equal(solve_status_name(SOLVE_OPTIMAL), "optimal");
    assert_string_equal(solve_status_name(SOLVE_FEASIBLE), "feasible");
    assert_string_equal(solve_status_name(SOLVE_INFEASIBLE), "infeasible");
}

static int teardown(void **state)
{
    (void)state;
    glp_free_env(); /* GLPK's per-thread environment, for the leak checker */
    return 0;
}

/* Every objective (latency, energy, battery energy, a stream's period),
 * with and without latency and energy limits and contiguous stages, in
 * every mode: the ILP's optimum is brute force's, and its objective is the
 * evaluator's value of its placement. */
static void test_objectives_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    int solved = 0, infeasible = 0, limited = 0, differs = 0, ordered = 0;
    for (uint64_t seed = 1; seed <= 120; seed++) {
        nn_scenario s;
        nn_instance in;
        random_instance(&s, &in, seed, &spec);
        for (int m = 0; m < MODE_COUNT; m++) {
            double tmin = brute_force_goal(&in, (nn_mode)m, OBJ_LATENCY, 0, 0, NULL);
            double emin = brute_force_goal(&in, (nn_mode)m, OBJ_ENERGY, 0, 0, NULL);
            double bmin = brute_force_goal(&in, (nn_mode)m, OBJ_BATTERY_ENERGY, 0, 0, NULL);
            const struct {
                nn_objective obj;
                double tl, el;
                nn_stages stages;
            } cases[] = {
                {OBJ_ENERGY, 0, 0, STAGES_ANY},
                {OBJ_BATTERY_ENERGY, 0, 0, STAGES_ANY},
                {OBJ_ENERGY, tmin * 1.15, 0, STAGES_ANY},
                {OBJ_BATTERY_ENERGY, tmin * 1.3, bmin > 0 ? bmin * 2 : 0, STAGES_ANY},
                {OBJ_LATENCY, 0, emin * 1.1, STAGES_ANY},
                {OBJ_LATENCY, 0, 0, STAGES_CONTIGUOUS},
                {OBJ_THROUGHPUT, 0, 0, STAGES_ANY},
                {OBJ_THROUGHPUT, 0, 0, STAGES_CONTIGUOUS},
                {OBJ_ENERGY, tmin * 0.999, 0, STAGES_ANY}, /* infeasible */
            };
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                in.stages = cases[c].stages;
                double tl = isfinite(cases[c].tl) ? cases[c].tl : 0;
                double el = isfinite(cases[c].el) ? cases[c].el : 0;
                double want = brute_force_goal(&in, (nn_mode)m, cases[c].obj, tl, el, NULL);
                nn_solve_options opt = {.mode = (nn_mode)m,
                                        .objective = cases[c].obj,
                                        .latency_limit = tl,
                                        .energy_limit = el};
                nn_solve_result r;
                assert_int_equal(solve_ilp(&in, &opt, &r), 0);
                if (isinf(want)) {
                    if (r.status != SOLVE_INFEASIBLE)
                        fail_msg("seed %llu mode %s case %zu: %s (%s), brute force infeasible",
                                 (unsigned long long)seed, mode_name((nn_mode)m), c,
                                 solve_status_name(r.status), r.message);
                    assert_true(strncmp(r.message, "infeasible: ", 12) == 0);
                    infeasible++;
                } else {
                    if (r.status != SOLVE_OPTIMAL || !rel_close(r.value, want, 1e-9))
                        fail_msg("seed %llu mode %s case %zu (%s): %s %.17g, brute force %.17g "
                                 "(%s)",
                                 (unsigned long long)seed, mode_name((nn_mode)m), c,
                                 objective_name(cases[c].obj), solve_status_name(r.status), r.value,
                                 want, r.message);
                    double v = eval_objective(&in, r.place, (nn_mode)m, cases[c].obj, tl, el);
                    assert_true(v == r.value);
                    /* The tie-break: the same placement, byte for byte. */
                    int order[16];
                    brute_force_ordered(&in, (nn_mode)m, cases[c].obj, tl, el, false, order);
                    if (memcmp(order, r.place, (size_t)in.L * sizeof *order) != 0) {
                        char got[96], exp[96];
                        placement_describe(r.place, in.L, got, sizeof got);
                        placement_describe(order, in.L, exp, sizeof exp);
                        fail_msg("seed %llu mode %s case %zu (%s): placement %s, brute force %s "
                                 "(second key %.17g vs %.17g)",
                                 (unsigned long long)seed, mode_name((nn_mode)m), c,
                                 objective_name(cases[c].obj), got, exp,
                                 goal_second_key(&in, (nn_mode)m, cases[c].obj, r.place),
                                 goal_second_key(&in, (nn_mode)m, cases[c].obj, order));
                    }
                    assert_true(r.busy_minimal && r.canonical);
                    ordered++;
                    if (!rel_close(r.objective, r.value, 1e-6))
                        fail_msg("seed %llu case %zu: ILP objective %.17g, evaluator %.17g",
                                 (unsigned long long)seed, c, r.objective, r.value);
                    solved++;
                    limited += tl > 0 || el > 0;
                    /* The energy optimum is often not the latency optimum. */
                    if (cases[c].obj == OBJ_ENERGY && tl == 0)
                        differs += !rel_close(eval_latency(&in, r.place, (nn_mode)m), tmin, 1e-9);
                }
                solve_result_free(&r);
            }
            in.stages = STAGES_ANY;
        }
        scenario_instance_free(&s, &in);
    }
    print_message("objectives: %d solved, %d infeasible, %d with limits, %d energy optima off the "
                  "latency optimum, %d placements equal to brute force's tie-break order\n",
                  solved, infeasible, limited, differs, ordered);
    assert_int_equal(ordered, solved);
    assert_true(solved > 1500);
    assert_true(infeasible > 300);
    assert_true(limited > 400);
    assert_true(differs > 10);
}

/* The same order where ties are everywhere: every device alike (speed,
 * memory, load, power, battery; no profiles), every link alike, some
 * layers without work or output. Period, energy and latency then tie
 * across devices, and only the canonical rule decides. */
static void test_objective_ties_vs_brute_force(void **state)
{
    (void)state;
    const random_spec spec = {.max_layers = 6, .max_devices = 4, .max_placements = 2048};
    int solved = 0, moved = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        nn_scenario s;
        assert_int_equal(random_scenario(&s, seed, &spec), 0);
        scenario_make_alike(&s);
        nn_instance in;
        assert_int_equal(instance_build(&s, &in), 0);
        for (int m = 0; m < MODE_COUNT; m++) {
            double emin = brute_force_goal(&in, (nn_mode)m, OBJ_ENERGY, 0, 0, NULL);
            const struct {
                nn_objective obj;
                double el;
                nn_stages stages;
            } cases[] = {
                {OBJ_ENERGY, 0, STAGES_ANY},           {OBJ_BATTERY_ENERGY, 0, STAGES_ANY},
                {OBJ_THROUGHPUT, 0, STAGES_ANY},       {OBJ_THROUGHPUT, 0, STAGES_CONTIGUOUS},
                {OBJ_LATENCY, emin * 1.2, STAGES_ANY}, {OBJ_LATENCY, 0, STAGES_CONTIGUOUS},
            };
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                in.stages = cases[c].stages;
                double el = isfinite(cases[c].el) ? cases[c].el : 0;
                int order[16], plain[16];
                double want =
                    brute_force_ordered(&in, (nn_mode)m, cases[c].obj, 0, el, false, order);
                nn_solve_options opt = {
                    .mode = (nn_mode)m, .objective = cases[c].obj, .energy_limit = el};
                nn_solve_result r;
                assert_int_equal(solve_ilp(&in, &opt, &r), 0);
                if (isfinite(want)) {
                    if (r.status != SOLVE_OPTIMAL || !r.place ||
                        memcmp(order, r.place, (size_t)in.L * sizeof *order) != 0)
                        fail_msg("seed %llu mode %s case %zu (%s): %s, not brute force's order",
                                 (unsigned long long)seed, mode_name((nn_mode)m), c,
                                 objective_name(cases[c].obj), r.message);
                    solved++;
                    /* The first placement in counting order among the optima
                     * is often another one: the rule decided. */
                    brute_force_goal(&in, (nn_mode)m, cases[c].obj, 0, el, plain);
                    moved += memcmp(order, plain, (size_t)in.L * sizeof *order) != 0;
                } else {
                    assert_int_equal(r.status, SOLVE_INFEASIBLE);
                }
                solve_result_free(&r);
            }
            in.stages = STAGES_ANY;
        }
        scenario_instance_free(&s, &in);
    }
    print_message("objective ties: %d solved as brute force's order, %d where it is not the first "
                  "optimum in counting order\n",
                  solved, moved);
    assert_true(solved > 350);
    assert_true(moved > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_default_scenario_ties),
        cmocka_unit_test(test_random_ties),
        cmocka_unit_test(test_infeasible_reasons),
        cmocka_unit_test(test_pins),
        cmocka_unit_test(test_write_lp_round_trip),
        cmocka_unit_test(test_write_lp_random),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_warm_start),
        cmocka_unit_test(test_memory_within_tolerance),
        cmocka_unit_test(test_stress_regressions),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_random_vs_brute_force),
        cmocka_unit_test(test_objectives_vs_brute_force),
        cmocka_unit_test(test_objective_ties_vs_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
