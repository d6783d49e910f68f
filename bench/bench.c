/* nnpart-bench: the solver's benchmark (`make bench`, `BENCH_ARGS=--quick`).
 *
 * Every zoo network x 3, 5 and 8 devices x slow, medium and fast cloud links
 * x every mode, plus a 48-block decoder-only transformer on 5 devices. Per
 * case: the median solve time of solve_ilp over repeated runs, the same
 * for phase 1 alone (latency only, no tie-break), status, gap, how much
 * shorter the tie-break made the busy path ('?': not proven shortest) and
 * the device switches along the chain before>after it, the time of the
 * contiguous DP alone, and the ratio against a deliberately naive big-M
 * formulation built here (and only here). Then a sweep: 50 re-solves of
 * each zoo network on 3 devices with a varying bandwidth. Then the sweep
 * command's grid (solve/sweep.h): 50 x 50 points of AlexNet on 3 devices,
 * points per second on 1 and 2 threads.
 *
 * Options: --quick (one run per case, preload only, short big-M cap; a
 *          20 x 20 grid), --no-bigm, --tune (compare GLPK settings on a
 *          subset), --grid (only the sweep grid). */
#include <glpk.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "explorer.h"
#include "presets.h"
#include "scenario_io.h"
#include "solve.h"
#include "solve_internal.h"
#include "sweep.h"
#include "worker.h"

#define MAX_RUNS 5

typedef struct bench_opts {
    bool quick, bigm, tune;
    bool grid_only;       /* only the sweep grid */
    bool ilp_suite;       /* the ILP's own table (phases, DP, big-M in GLPK) */
    bool stacks_only;     /* the engine suite's stacks and identical layers only */
    bool zoo_only;        /* the engine suite's zoo cases only */
    bool explorer_only;   /* the explorer's edits on configs/gpt2-home.yaml only */
    bool labels_only;     /* the engine suite: the label engine alone */
    const char *only;     /* the engine suite: cases whose name contains this */
    double limit_force_s; /* the engine suite: every case's time limit, when > 0 */
    int runs;
    double bigm_cap_s;     /* time limit of the naive formulation */
    double bigm_cap_big_s; /* ... on the 48-block transformer */
    double limit_s;        /* nnpart's time limit per solve */
    double limit_big_s;    /* ... on the 48-block transformer (target: 1 s) */
} bench_opts;

typedef enum link_speed { LINK_SLOW, LINK_MEDIUM, LINK_FAST, LINK_COUNT } link_speed;
static const char *const LINK_NAMES[LINK_COUNT] = {"slow", "medium", "fast"};

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- scenarios ----------------------------------------------------------- */

static int add_preset(nn_scenario *s, const char *preset)
{
    const nn_device_preset *p = presets_device_find(preset);
    if (!p) {
        fprintf(stderr, "nnpart-bench: no device preset '%s'\n", preset);
        exit(1);
    }
    nn_device d = {
        .tier = p->tier, .speed = p->speed, .memory = p->memory, .load_rate = p->load_rate};
    str_copy(d.name, sizeof d.name, p->name);
    return scenario_add_device(s, &d);
}

static void add_link(nn_scenario *s, int a, int b, double up, double down, double latency)
{
    nn_link l = {.a = a,
                 .b = b,
                 .bandwidth = up,
                 .reverse = down,
                 .reverse_given = up != down,
                 .latency = latency};
    scenario_add_link(s, &l);
}

/* The cloud links of each speed class: {uplink, downlink, latency}. */
static const double CLOUD[LINK_COUNT][3] = {
    [LINK_SLOW] = {10e6, 10e6, 0.040},
    [LINK_MEDIUM] = {100e6, 100e6, 0.020},
    [LINK_FAST] = {1e9, 1e9, 0.005},
};
static const double CELLULAR[LINK_COUNT][3] = {
    [LINK_SLOW] = {2e6, 10e6, 0.060},
    [LINK_MEDIUM] = {20e6, 50e6, 0.040},
    [LINK_FAST] = {100e6, 300e6, 0.020},
};

/* Devices: 3 = phone, desktop GPU hub, A100 cloud; 5 adds a Jetson Nano on
 * the hub's Ethernet and a T4 in the cloud; 8 adds a smart camera behind the
 * phone, a laptop and a Jetson Orin. Source and sink: the phone. */
static void build_devices(nn_scenario *s, int ndev, link_speed speed)
{
    const double *cloud = CLOUD[speed], *cell = CELLULAR[speed];
    int phone = add_preset(s, "phone"), hub = add_preset(s, "desktop-gpu"),
        a100 = add_preset(s, "a100");
    add_link(s, phone, hub, 300e6, 300e6, 0.002);
    add_link(s, hub, a100, cloud[0], cloud[1], cloud[2]);
    add_link(s, phone, a100, cell[0], cell[1], cell[2]);
    if (ndev >= 5) {
        int nano = add_preset(s, "jetson-nano"), t4 = add_preset(s, "t4");
        add_link(s, nano, hub, 1e9, 1e9, 0.0005);
        add_link(s, t4, a100, 10e9, 10e9, 0.0005);
        add_link(s, hub, t4, cloud[0], cloud[1], cloud[2]);
    }
    if (ndev >= 8) {
        int cam = add_preset(s, "smart-camera"), laptop = add_preset(s, "laptop"),
            orin = add_preset(s, "jetson-orin");
        add_link(s, cam, phone, 100e6, 100e6, 0.003);
        add_link(s, laptop, hub, 1e9, 1e9, 0.0005);
        add_link(s, orin, hub, 1e9, 1e9, 0.0005);
        add_link(s, orin, a100, cloud[0], cloud[1], cloud[2]);
    }
    s->source = s->sink = phone;
}

static void layer_set(nn_layer *l, const char *key, long value)
{
    const nn_layer_type_desc *desc = layer_type_get(l->type);
    int i = layer_param_index(desc, key);
    if (i < 0) {
        fprintf(stderr, "nnpart-bench: layer type has no '%s'\n", key);
        exit(1);
    }
    l->param[i] = value;
    l->param_given |= 1u << i;
}

/* A GPT-2 XL-shaped decoder-only transformer: 48 blocks of width 1600. */
static void build_transformer48(nn_network *net)
{
    memset(net, 0, sizeof *net);
    str_copy(net->name, sizeof net->name, "decoder-48");
    net->input_shape = (nn_shape){.ndim = 1, .dim = {512}};
    nn_layer *l = network_add_layer(net, "embed", LT_TOKEN_EMBED);
    layer_set(l, "vocab", 50257);
    layer_set(l, "dim", 1600);
    layer_set(l, "positions", 1024);
    for (int i = 0; i < 48; i++) {
        char name[NN_NAME_LEN];
        snprintf(name, sizeof name, "h.%d", i);
        l = network_add_layer(net, name, LT_DECODER);
        layer_set(l, "heads", 25);
    }
    network_add_layer(net, "ln_f", LT_LAYERNORM);
    l = network_add_layer(net, "lm_head", LT_LM_HEAD);
    layer_set(l, "vocab", 50257);
    layer_set(l, "tied", 1);
    char why[256];
    int bad;
    if (network_infer(net, &bad, why, sizeof why) != 0) {
        fprintf(stderr, "nnpart-bench: decoder-48: %s\n", why);
        exit(1);
    }
}

/* net == NULL: the zoo network `name`. */
static void build_scenario(nn_scenario *s, const char *zoo, int ndev, link_speed speed,
                           nn_mode mode)
{
    scenario_init(s);
    build_devices(s, ndev, speed);
    nn_network net;
    if (zoo) {
        if (zoo_build(zoo, &net) != 0) {
            fprintf(stderr, "nnpart-bench: no zoo network '%s'\n", zoo);
            exit(1);
        }
    } else {
        build_transformer48(&net);
    }
    scenario_set_network(s, &net);
    s->mode = mode;
}

/* ---- the naive big-M formulation (benchmark only) ------------------------ */

/* Start and finish times per layer, transfers as products x_l_d * x_l+1_e
 * linearised by z >= x + x' - 1, and the preload wait as
 * S_l >= sum_{k<=l} w(k,d) x_k_d - M (1 - x_l_d) with M an upper bound on
 * the latency. Memory as in nnpart's model. Solved by GLPK with its
 * presolver and default settings. */
typedef struct bigm_result {
    double time_s, latency;
    double evaluated; /* the evaluator's latency of its placement */
    bool optimal, capped;
} bigm_result;

static void set_row(glp_prob *lp, int len, int *ind, double *val, int type, double rhs)
{
    int i = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, i, type, rhs, rhs);
    glp_set_mat_row(lp, i, len, ind, val);
}

/* lp_path: write the model there (for CBC) instead of solving it. */
static bigm_result bigm_solve(const nn_instance *in, nn_mode mode, double cap_s,
                              const char *lp_path)
{
    double t0 = bench_now();
    int L = in->L, D = in->D;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    int *x = calloc((size_t)L * D, sizeof *x);
    int *z = calloc((size_t)(L + 1) * D * D, sizeof *z);
    int width = L * D + D * D + 8;
    int *ind = malloc((size_t)(width + 1) * sizeof *ind);
    double *val = malloc((size_t)(width + 1) * sizeof *val);
    double M = 0;
    for (int l = 0; l < L; l++) {
        double worst = 0;
        for (int d = 0; d < D; d++) {
            worst = fmax(worst, solve_comp(in, l, d) + solve_load(in, l, d));
            if (!solve_layer_fits(in, l, d)) continue;
            bool ends = (l > 0 || isfinite(instance_xfer(in, 0, in->source, d))) &&
                        (l < L - 1 || isfinite(instance_xfer(in, L, d, in->sink)));
            if (!ends) continue;
            x[l * D + d] = glp_add_cols(lp, 1);
            glp_set_col_kind(lp, x[l * D + d], GLP_BV);
        }
        M += worst;
    }
    for (int b = 0; b <= L; b++) {
        double worst = 0;
        for (int k = 0; k < D * D; k++)
            if (isfinite(in->xfer[(size_t)b * D * D + k]))
                worst = fmax(worst, in->xfer[(size_t)b * D * D + k]);
        M += worst;
    }
    int S0 = glp_add_cols(lp, L), F0 = glp_add_cols(lp, L), T = glp_add_cols(lp, 1);
    for (int j = S0; j <= T; j++)
        glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
    glp_set_obj_coef(lp, T, 1.0);
    int A0 = glp_add_cols(lp, D);
    for (int d = 0; d < D; d++)
        glp_set_col_bnds(lp, A0 + d, GLP_LO, 0, 0);
    for (int b = 1; b < L; b++)
        for (int d = 0; d < D; d++)
            for (int e = 0; e < D; e++) {
                int xa = x[(b - 1) * D + d], xb = x[b * D + e];
                if (!xa || !xb) continue;
                if (!isfinite(instance_xfer(in, b, d, e))) {
                    ind[1] = xa, val[1] = 1, ind[2] = xb, val[2] = 1;
                    set_row(lp, 2, ind, val, GLP_UP, 1);
                    continue;
                }
                int zc = z[((size_t)b * D + d) * D + e] = glp_add_cols(lp, 1);
                glp_set_col_bnds(lp, zc, GLP_DB, 0, 1);
                ind[1] = zc, val[1] = 1, ind[2] = xa, val[2] = -1, ind[3] = xb, val[3] = -1;
                set_row(lp, 3, ind, val, GLP_LO, -1);
            }
    for (int l = 0; l < L; l++) {
        int n = 0;
        for (int d = 0; d < D; d++)
            if (x[l * D + d]) ind[++n] = x[l * D + d], val[n] = 1;
        set_row(lp, n, ind, val, GLP_FX, 1);
        /* F_l = S_l + compute */
        n = 0;
        ind[++n] = F0 + l, val[n] = 1;
        ind[++n] = S0 + l, val[n] = -1;
        for (int d = 0; d < D; d++)
            if (x[l * D + d]) ind[++n] = x[l * D + d], val[n] = -solve_comp(in, l, d);
        set_row(lp, n, ind, val, GLP_FX, 0);
        /* S_l >= arrival (+ load in ondemand) */
        n = 0;
        ind[++n] = S0 + l, val[n] = 1;
        if (l > 0) ind[++n] = F0 + l - 1, val[n] = -1;
        for (int d = 0; d < D; d++) {
            if (!x[l * D + d]) continue;
            double c = l == 0 ? instance_xfer(in, 0, in->source, d) : 0;
            if (mode == MODE_ONDEMAND) c += solve_load(in, l, d);
            if (c != 0) ind[++n] = x[l * D + d], val[n] = -c;
        }
        for (int d = 0; l > 0 && d < D; d++)
            for (int e = 0; e < D; e++) {
                int zc = z[((size_t)l * D + d) * D + e];
                if (zc && instance_xfer(in, l, d, e) != 0)
                    ind[++n] = zc, val[n] = -instance_xfer(in, l, d, e);
            }
        set_row(lp, n, ind, val, GLP_LO, 0);
        if (mode != MODE_PRELOAD) continue;
        for (int d = 0; d < D; d++) {
            if (!x[l * D + d]) continue;
            n = 0;
            ind[++n] = S0 + l, val[n] = 1;
            for (int k = 0; k < l; k++)
                if (x[k * D + d] && solve_load(in, k, d) != 0)
                    ind[++n] = x[k * D + d], val[n] = -solve_load(in, k, d);
            ind[++n] = x[l * D + d], val[n] = -(solve_load(in, l, d) + M);
            set_row(lp, n, ind, val, GLP_LO, -M);
        }
    }
    int n = 0;
    ind[++n] = T, val[n] = 1;
    ind[++n] = F0 + L - 1, val[n] = -1;
    for (int d = 0; d < D; d++) {
        double c = x[(L - 1) * D + d] ? instance_xfer(in, L, d, in->sink) : 0;
        if (c != 0) ind[++n] = x[(L - 1) * D + d], val[n] = -c;
    }
    set_row(lp, n, ind, val, GLP_LO, 0);
    for (int d = 0; d < D; d++) {
        n = 0;
        for (int l = 0; l < L; l++)
            if (x[l * D + d] && in->weights[l] > 0)
                ind[++n] = x[l * D + d], val[n] = in->weights[l] / 1e6;
        ind[++n] = A0 + d, val[n] = 1;
        set_row(lp, n, ind, val, GLP_UP, in->memory[d] / 1e6);
        for (int l = 0; l < L; l++) {
            if (!x[l * D + d]) continue;
            ind[1] = A0 + d, val[1] = 1, ind[2] = x[l * D + d], val[2] = -in->act[l] / 1e6;
            set_row(lp, 2, ind, val, GLP_LO, 0);
        }
    }
    if (lp_path) {
        bigm_result w = {.latency = INFINITY, .evaluated = INFINITY};
        w.optimal = glp_write_lp(lp, NULL, lp_path) == 0;
        glp_delete_prob(lp);
        free(x);
        free(z);
        free(ind);
        free(val);
        return w;
    }
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    ip.tm_lim = (int)(cap_s * 1000);
    int rc = glp_intopt(lp, &ip);
    int st = glp_mip_status(lp);
    bigm_result res = {.time_s = bench_now() - t0, .latency = INFINITY, .evaluated = INFINITY};
    res.optimal = rc == 0 && st == GLP_OPT;
    res.capped = rc == GLP_ETMLIM;
    if (st == GLP_OPT || st == GLP_FEAS) {
        res.latency = glp_mip_obj_val(lp);
        int *place = calloc((size_t)L, sizeof *place);
        for (int l = 0; l < L; l++)
            for (int d = 0; d < D; d++)
                if (x[l * D + d] && glp_mip_col_val(lp, x[l * D + d]) > 0.5) place[l] = d;
        res.evaluated = eval_latency(in, place, mode);
        free(place);
    }
    glp_delete_prob(lp);
    free(x);
    free(z);
    free(ind);
    free(val);
    return res;
}

/* ---- the suite ------------------------------------------------------------ */

typedef struct case_stats {
    int ndev;
    double median_s, phase1_s;
} case_stats;

typedef struct suite_totals {
    int n;
    case_stats cases[512];
    int mismatches, not_optimal;
} suite_totals;

static void print_header(void)
{
    printf("%-13s %4s %3s %-6s %-8s %6s %6s %10s %9s %8s %-10s %7s %9s %8s %11s %8s\n", "network",
           "L", "D", "links", "mode", "rows", "cols", "median ms", "phase1 ms", "DP ms", "status",
           "gap", "busy", "switches", "big-M ms", "ratio");
}

/* Device changes along the chain of layers. */
static int switches(const int *place, int L)
{
    int n = 0;
    for (int l = 1; l < L; l++)
        n += place[l] != place[l - 1];
    return n;
}

/* One case of the zoo: a network on 3, 5 or 8 devices, its links, a mode. */
typedef void zoo_case_fn(const bench_opts *o, const char *zoo, int ndev, link_speed speed,
                         nn_mode mode, void *ctx);

/* Every zoo network x 3, 5 and 8 devices x slow, medium and fast links x
 * every mode (preload only with --quick), in that order. */
static void each_zoo_case(const bench_opts *o, zoo_case_fn *fn, void *ctx)
{
    static const int ndevs[] = {3, 5, 8};
    for (int z = 0; z < zoo_count(); z++)
        for (int k = 0; k < 3; k++)
            for (int sp = 0; sp < LINK_COUNT; sp++)
                for (int m = 0; m < MODE_COUNT; m++)
                    if (!o->quick || m == MODE_PRELOAD)
                        fn(o, zoo_name(z), ndevs[k], (link_speed)sp, (nn_mode)m, ctx);
}

static void run_case(const bench_opts *o, const char *zoo, int ndev, link_speed speed, nn_mode mode,
                     suite_totals *tot)
{
    nn_scenario s;
    build_scenario(&s, zoo, ndev, speed, mode);
    nn_instance in;
    if (instance_build(&s, &in) != 0) exit(1);
    double times[MAX_RUNS];
    nn_solve_result r = {0};
    nn_solve_options opt = {.mode = mode, .time_limit_s = zoo ? o->limit_s : o->limit_big_s};
    /* A case that needs its whole time limit is not repeated. */
    int runs = o->runs;
    for (int k = 0; k < runs; k++) {
        solve_result_free(&r);
        double t0 = bench_now();
        if (solve_ilp(&in, &opt, &r) != 0) exit(1);
        times[k] = bench_now() - t0;
        if (r.status != SOLVE_OPTIMAL) runs = k + 1;
    }
    double med = bench_median(times, runs);
    /* Phase 1 alone (latency only): what the tie-break costs, and how much
     * busy path and how many device switches it saves. */
    ilp_tuning ph1 = ILP_TUNING_DEFAULT;
    ph1.tiebreak = false;
    nn_solve_result r1 = {0};
    double med1 = med; /* stopped by the time limit: phase 2 does not run */
    for (int k = 0; k < runs && r.status == SOLVE_OPTIMAL; k++) {
        solve_result_free(&r1);
        double t0 = bench_now();
        if (solve_ilp_tuned(&in, &opt, &ph1, &r1) != 0) exit(1);
        times[k] = bench_now() - t0;
        if (k == runs - 1) med1 = bench_median(times, runs);
    }
    char busy[32] = "-", sw[32] = "-";
    if (r.place && r1.place) {
        snprintf(busy, sizeof busy, "%+.1f%%%s", 100 * (r.busy_path / r1.busy_path - 1),
                 r.busy_minimal ? "" : "?");
        snprintf(sw, sizeof sw, "%d>%d", switches(r1.place, in.L), switches(r.place, in.L));
        if (r.latency > r1.latency * (1 + 1e-9)) tot->mismatches++; /* phase 2 lost latency */
    }
    solve_result_free(&r1);
    double t0 = bench_now();
    solve_dp_contiguous(&in, mode, NULL);
    double dp_s = bench_now() - t0;

    char bigm[32] = "-", ratio[32] = "-";
    if (o->bigm) {
        double cap = zoo ? o->bigm_cap_s : o->bigm_cap_big_s;
        bigm_result b = bigm_solve(&in, mode, cap, NULL);
        if (b.time_s < 0.05 && !b.capped) { /* cheap: take a median as well */
            double bt[3] = {b.time_s, bigm_solve(&in, mode, cap, NULL).time_s,
                            bigm_solve(&in, mode, cap, NULL).time_s};
            b.time_s = bench_median(bt, 3);
        }
        const char *gt = b.capped ? ">" : "";
        snprintf(bigm, sizeof bigm, "%s%.1f", gt, b.time_s * 1e3);
        /* A ratio against a solve that hit its own time limit says nothing. */
        if (r.status == SOLVE_OPTIMAL) snprintf(ratio, sizeof ratio, "%s%.1fx", gt, b.time_s / med);
        /* A placement better than nnpart's "optimum" would be a bug. */
        if (r.status == SOLVE_OPTIMAL && b.evaluated < r.latency * (1 - 1e-9)) {
            tot->mismatches++;
            snprintf(ratio + strlen(ratio), sizeof ratio - strlen(ratio), " BETTER?");
        }
    }
    if (r.status != SOLVE_OPTIMAL) tot->not_optimal++;
    char gap[16];
    snprintf(gap, sizeof gap, "%.2f%%", 100 * r.gap);
    printf("%-13.13s %4d %3d %-6s %-8s %6d %6d %10.2f %9.2f %8.2f %-10s %7s %9s %8s %11s %8s\n",
           zoo ? zoo : "decoder-48", in.L, in.D, LINK_NAMES[speed], mode_name(mode), r.rows, r.cols,
           med * 1e3, med1 * 1e3, dp_s * 1e3, solve_status_name(r.status), gap, busy, sw, bigm,
           ratio);
    fflush(stdout);
    if (tot->n < (int)(sizeof tot->cases / sizeof tot->cases[0]))
        tot->cases[tot->n++] =
            (case_stats){.ndev = zoo ? ndev : -ndev, .median_s = med, .phase1_s = med1};
    solve_result_free(&r);
    instance_free(&in);
    scenario_free(&s);
}

static void ilp_zoo_case(const bench_opts *o, const char *zoo, int ndev, link_speed speed,
                         nn_mode mode, void *ctx)
{
    run_case(o, zoo, ndev, speed, mode, ctx);
}

static void print_targets(const suite_totals *tot)
{
    const struct {
        int ndev;
        double target_s;
        const char *what;
    } targets[] = {
        {3, 0.020, "zoo on 3 devices"},
        {5, INFINITY, "zoo on 5 devices"},
        {8, 0.200, "zoo on 8 devices"},
        {-5, 1.0, "decoder-48 on 5 devices"},
    };
    printf("\nTargets (per-case medians):\n");
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        double v[512], v1[512];
        int n = 0;
        for (int i = 0; i < tot->n; i++) {
            if (tot->cases[i].ndev != targets[t].ndev) continue;
            v1[n] = tot->cases[i].phase1_s;
            v[n++] = tot->cases[i].median_s;
        }
        if (n == 0) continue;
        qsort(v, (size_t)n, sizeof *v, cmp_double);
        qsort(v1, (size_t)n, sizeof *v1, cmp_double);
        int over = 0;
        for (int i = 0; i < n; i++)
            over += v[i] > targets[t].target_s;
        printf("  %-24s %3d cases: median %8.2f ms (phase 1 alone %.2f ms), worst %8.2f ms",
               targets[t].what, n, v[n / 2] * 1e3, v1[n / 2] * 1e3, v[n - 1] * 1e3);
        if (isfinite(targets[t].target_s))
            printf(", target < %.0f ms: %s (%d over)", targets[t].target_s * 1e3,
                   over ? "MISSED" : "met", over);
        printf("\n");
    }
    printf("  not proven optimal: %d case(s); big-M placement better than nnpart's, or phase 2 "
           "worse than phase 1: %d case(s)\n",
           tot->not_optimal, tot->mismatches);
}

typedef struct sweep_stats {
    double solve_s, all_s; /* solves; solves and baselines */
    int changes;           /* placement differs from the point before */
    int spurious;          /* ... although the one before was still optimal */
} sweep_stats;

static sweep_stats sweep_network(const char *zoo, const ilp_tuning *tuning, int steps)
{
    nn_scenario s;
    build_scenario(&s, zoo, 3, LINK_MEDIUM, MODE_PRELOAD);
    int link = scenario_find_link(&s, 1, 2);
    int *prev = NULL;
    sweep_stats st = {0};
    for (int i = 0; i < steps; i++) {
        double bw = 1e6 * pow(1e4, (double)i / (steps - 1));
        s.links[link].bandwidth = s.links[link].reverse = bw;
        double t0 = bench_now();
        nn_instance in;
        if (instance_build(&s, &in) != 0) exit(1);
        nn_solve_options opt = {.mode = MODE_PRELOAD, .warm_start = prev};
        nn_solve_result r;
        if (solve_ilp_tuned(&in, &opt, tuning, &r) != 0) exit(1);
        double t1 = bench_now();
        nn_baselines b;
        if (baselines_compute(&in, &opt, r.latency, &b) != 0) exit(1);
        double t2 = bench_now();
        baselines_free(&b);
        st.solve_s += t1 - t0;
        st.all_s += t2 - t0;
        if (r.place) {
            if (prev && memcmp(prev, r.place, (size_t)in.L * sizeof *prev) != 0) {
                st.changes++;
                st.spurious += eval_latency(&in, prev, MODE_PRELOAD) <= r.latency * (1 + 1e-9);
            }
            free(prev);
            prev = malloc((size_t)in.L * sizeof *prev);
            memcpy(prev, r.place, (size_t)in.L * sizeof *prev);
        }
        solve_result_free(&r);
        instance_free(&in);
    }
    free(prev);
    scenario_free(&s);
    return st;
}

/* 50 re-solves with the hub-cloud bandwidth from 1 Mbit/s to 10 Gbit/s (log
 * steps), each warm-started from the previous placement, with and without
 * the baselines the sweep command prints at every point; then the same
 * with phase 1 alone. A spurious change: the previous placement was still
 * optimal. */
static void run_sweeps(const bench_opts *o)
{
    const int steps = 50;
    printf("\nSweep: 50 re-solves per network, 3 devices, hub-cloud bandwidth 1 Mbit/s .. 10 "
           "Gbit/s, preload\n");
    printf("%-13s %12s %16s %18s %22s\n", "network", "solve total", "with baselines",
           "changes (spurious)", "phase 1 alone: total");
    ilp_tuning ph1 = ILP_TUNING_DEFAULT;
    ph1.tiebreak = false;
    for (int z = 0; z < zoo_count(); z++) {
        sweep_stats full = sweep_network(zoo_name(z), &ILP_TUNING_DEFAULT, steps);
        sweep_stats one = sweep_network(zoo_name(z), &ph1, steps);
        printf("%-13s %9.1f ms %13.1f ms %11d (%3d) %12.1f ms, %3d (%3d)\n", zoo_name(z),
               full.solve_s * 1e3, full.all_s * 1e3, full.changes, full.spurious, one.solve_s * 1e3,
               one.changes, one.spurious);
        fflush(stdout);
    }
    (void)o;
}

/* ---- the sweep grid: points per second on 1 and 2 threads ---------------- */

typedef struct grid_count {
    int points, changes;
    double *solve_s; /* per point, for the median */
    int cap;
} grid_count;

static int grid_emit(void *ctx, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps)
{
    (void)bps;
    (void)nbps;
    grid_count *c = ctx;
    if (c->points < c->cap) c->solve_s[c->points] = pt->r.solve_time_s;
    c->points++;
    c->changes += pt->changed;
    return 0;
}

/* `nnpart sweep` on a grid as the command runs it (baselines at every
 * point): the hub-cloud bandwidth against the phone-hub bandwidth, both 1
 * Mbit/s .. 10 Gbit/s on log steps, `n` x `n` points. */
static void run_grid(const bench_opts *o)
{
    int n = o->quick ? 20 : 50;
    nn_scenario s;
    build_scenario(&s, "alexnet", 3, LINK_MEDIUM, MODE_PRELOAD);
    nn_sweep sw = {
        .base = &s, .naxes = 2, .mode = MODE_PRELOAD, .baselines = true, .time_limit_s = 10};
    const char *whats[2] = {"link:desktop-gpu-a100.bandwidth", "link:phone-desktop-gpu.bandwidth"};
    for (int a = 0; a < 2; a++) {
        char why[512];
        if (!axis_parse(&s, whats[a], &sw.axes[a], why, sizeof why)) {
            fprintf(stderr, "nnpart-bench: %s\n", why);
            exit(1);
        }
        sw.axes[a].log = true;
        if (axis_set_range(&sw.axes[a], 1e6, 1e10, n) != 0) exit(1);
    }
    printf("\nSweep grid: alexnet on 3 devices, %d x %d points (hub-cloud x phone-hub bandwidth, "
           "1 Mbit/s .. 10 Gbit/s), baselines at every point; median of %d run(s)\n",
           n, n, o->quick ? 1 : 3);
    printf("%-6s %10s %12s %18s %10s %14s\n", "jobs", "wall", "points/s", "median point solve",
           "changes", "speed-up");
    /* Runs alternate between 1 and 2 jobs so a load from elsewhere hits both
     * alike; the table has the medians. */
    int runs = o->quick ? 1 : 3;
    double wall[2][3], solve_med[2][3];
    int changes = 0, points = 0;
    for (int run = 0; run < runs; run++)
        for (int jobs = 1; jobs <= 2; jobs++) {
            sw.jobs = jobs;
            grid_count c = {.cap = n * n};
            c.solve_s = calloc((size_t)c.cap, sizeof *c.solve_s);
            if (!c.solve_s) exit(1);
            double t0 = bench_now();
            if (sweep_run(&sw, 0, n * n, false, grid_emit, &c) != 0) exit(1);
            wall[jobs - 1][run] = bench_now() - t0;
            solve_med[jobs - 1][run] = bench_median(c.solve_s, c.points < c.cap ? c.points : c.cap);
            changes = c.changes;
            points = c.points;
            free(c.solve_s);
        }
    double base = 0;
    for (int jobs = 1; jobs <= 2; jobs++) {
        double w = bench_median(wall[jobs - 1], runs), rate = points / w;
        if (jobs == 1) base = rate;
        printf("%-6d %8.2f s %12.1f %15.2f ms %10d %13.2fx\n", jobs, w, rate,
               bench_median(solve_med[jobs - 1], runs) * 1e3, changes, rate / base);
    }
    fflush(stdout);
    for (int a = 0; a < 2; a++)
        axis_free(&sw.axes[a]);
    scenario_free(&s);
}

/* Compares GLPK settings over every preload case of the suite (the other
 * modes solve at the root), with the suite's time limits. */
static void run_tuning(const bench_opts *o)
{
    typedef struct variant {
        const char *name;
        ilp_tuning t;
    } variant;
    variant v[] = {
        {"default", ILP_TUNING_DEFAULT},
        {"no DP incumbent", ILP_TUNING_DEFAULT},
        {"Driebeck-Tomlin branch", ILP_TUNING_DEFAULT},
        {"pseudocost branching", ILP_TUNING_DEFAULT},
        {"most fractional", ILP_TUNING_DEFAULT},
        {"best local bound", ILP_TUNING_DEFAULT},
        {"best projection", ILP_TUNING_DEFAULT},
        {"depth first", ILP_TUNING_DEFAULT},
        {"cuts: gmi+mir+cov+clq", ILP_TUNING_DEFAULT},
        {"cuts: mir", ILP_TUNING_DEFAULT},
        {"feasibility pump", ILP_TUNING_DEFAULT},
        {"no node preprocessing", ILP_TUNING_DEFAULT},
        {"earliest layer first", ILP_TUNING_DEFAULT},
        {"slow pairs left out", ILP_TUNING_DEFAULT},
        {"no tie-break (phase 1)", ILP_TUNING_DEFAULT},
    };
    v[1].t.use_incumbent = false;
    v[2].t.br_tech = GLP_BR_DTH;
    v[3].t.br_tech = GLP_BR_PCH;
    v[4].t.br_tech = GLP_BR_MFV;
    v[5].t.bt_tech = GLP_BT_BLB;
    v[6].t.bt_tech = GLP_BT_BPH;
    v[7].t.bt_tech = GLP_BT_DFS;
    v[8].t.gmi_cuts = v[8].t.mir_cuts = v[8].t.cov_cuts = v[8].t.clq_cuts = true;
    v[9].t.mir_cuts = true;
    v[10].t.fp_heur = true;
    v[11].t.pp_tech = GLP_PP_NONE;
    v[12].t.branch = 1;
    v[13].t.fix_slow = true;
    v[14].t.tiebreak = false;
    printf("GLPK settings over the preload cases (63 zoo + 3 decoder-48), time limits %.1f s "
           "(decoder-48: %.1f s)\n",
           o->limit_s, o->limit_big_s);
    printf("%-24s %12s %12s %8s %10s\n", "variant", "total", "zoo worst", "not opt", "sum of gaps");
    const int ndevs[] = {3, 5, 8};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        double total = 0, worst = 0, gaps = 0;
        int not_opt = 0;
        for (int z = -1; z < zoo_count(); z++) {
            for (int k = z < 0 ? 1 : 0; k < (z < 0 ? 2 : 3); k++) {
                for (int sp = 0; sp < LINK_COUNT; sp++) {
                    nn_scenario s;
                    build_scenario(&s, z < 0 ? NULL : zoo_name(z), ndevs[k], (link_speed)sp,
                                   MODE_PRELOAD);
                    nn_instance in;
                    if (instance_build(&s, &in) != 0) exit(1);
                    nn_solve_options opt = {.mode = MODE_PRELOAD,
                                            .time_limit_s = z < 0 ? o->limit_big_s : o->limit_s};
                    nn_solve_result r;
                    double t0 = bench_now();
                    if (solve_ilp_tuned(&in, &opt, &v[i].t, &r) != 0) exit(1);
                    double t = bench_now() - t0;
                    not_opt += r.status != SOLVE_OPTIMAL;
                    gaps += r.gap;
                    total += t;
                    if (z >= 0) worst = fmax(worst, t);
                    solve_result_free(&r);
                    instance_free(&in);
                    scenario_free(&s);
                }
            }
        }
        printf("%-24s %9.1f ms %9.1f ms %8d %9.2f%%\n", v[i].name, total * 1e3, worst * 1e3,
               not_opt, 100 * gaps);
        fflush(stdout);
    }
}

/* ---- engines: labels, ILP and the race --------------------------------- */

/* The median time of `runs` solves with `engine`; the last result stays in
 * *r. A solve that is not proven is not repeated. */
static double engine_time(const nn_instance *in, nn_mode mode, nn_engine engine, double limit,
                          int runs, nn_solve_result *r)
{
    double times[MAX_RUNS];
    nn_solve_options opt = {.mode = mode, .time_limit_s = limit, .engine = engine};
    int n = 0;
    for (int k = 0; k < runs; k++) {
        solve_result_free(r);
        double t0 = bench_now();
        if (solve_run(in, &opt, r) != 0) exit(1);
        times[n++] = bench_now() - t0;
        if (r->status != SOLVE_OPTIMAL && r->status != SOLVE_INFEASIBLE) break;
    }
    return bench_median(times, n);
}

/* The race and then the baselines, as the explorer does after every edit. */
static double explorer_time(const nn_instance *in, nn_mode mode, double limit, int runs)
{
    double times[MAX_RUNS];
    for (int k = 0; k < runs; k++) {
        double t0 = bench_now();
        nn_solve_options opt = {.mode = mode, .time_limit_s = limit};
        nn_solve_result r = {0};
        if (solve_run(in, &opt, &r) != 0) exit(1);
        nn_baselines b;
        if (baselines_compute(in, &opt, r.place ? r.latency : INFINITY, &b) != 0) exit(1);
        times[k] = bench_now() - t0;
        baselines_free(&b);
        solve_result_free(&r);
    }
    return bench_median(times, runs);
}

/* CBC (coinor-cbc) on the naive big-M model, capped at cap_s: wall time,
 * or -1 when cbc is not installed. *capped: it hit the cap. */
static double cbc_time(const nn_instance *in, nn_mode mode, double cap_s, bool *capped,
                       double *objective)
{
    *capped = false;
    *objective = NAN;
    if (system("command -v cbc > /dev/null 2>&1") != 0) return -1;
    char path[] = "/tmp/nnpart-bench-XXXXXX.lp";
    int fd = mkstemps(path, 3);
    if (fd < 0) return -1;
    close(fd);
    bigm_solve(in, mode, 0, path);
    char cmd[256];
    /* CBC checks its own limit only between nodes (its preprocessing and
     * root LP can run far past it): timeout(1) ends it at the cap. */
    snprintf(cmd, sizeof cmd, "timeout -k 1 %.3f cbc %s sec %.3f solve quit 2>&1", cap_s, path,
             cap_s);
    double t0 = bench_now();
    FILE *p = popen(cmd, "r");
    char line[512];
    while (p && fgets(line, sizeof line, p)) {
        if (strstr(line, "Stopped on time") || strstr(line, "stopped on time")) *capped = true;
        const char *o = strstr(line, "Objective value:");
        if (o) *objective = strtod(o + 16, NULL);
    }
    if (p) pclose(p);
    double t = bench_now() - t0;
    if (t >= cap_s) *capped = true;
    unlink(path);
    return t;
}

typedef enum engine_group {
    GROUP_ZOO,
    GROUP_STACK24,
    GROUP_STACK48,
    GROUP_STACK96,
    GROUP_SAME,
    GROUP_COUNT
} engine_group;

static const char *const GROUP_NAMES[GROUP_COUNT] = {
    [GROUP_ZOO] = "zoo",
    [GROUP_STACK24] = "24-block stacks",
    [GROUP_STACK48] = "48-block stacks",
    [GROUP_STACK96] = "96-block stacks",
    [GROUP_SAME] = "identical layers",
};

typedef struct engine_case {
    engine_group group;
    double race_s, all_s, cbc_ratio; /* cbc_ratio: NAN when not run */
    double tiebreak_s;               /* the race's tie-break (part of race_s); NAN: none */
    bool proved, cbc_capped;
    char name[48];
} engine_case;

typedef struct engine_totals {
    int n;
    engine_case cases[1024];
    int disagree;    /* labels and ILP both ended their tie-break but differ */
    int uncanonical; /* optimal answers whose tie-break the limit stopped */
    char disagree_names[256];
} engine_totals;

static void disagree_note(engine_totals *tot, const char *name, const nn_instance *in,
                          const char *links, nn_mode mode, const char *other)
{
    size_t n = strlen(tot->disagree_names);
    if (tot->disagree++ < 4)
        snprintf(tot->disagree_names + n, sizeof tot->disagree_names - n, "%s%s/%dD/%s/%s (%s)",
                 n ? ", " : "", name, in->D, links, mode_name(mode), other);
}

static void engine_header(void)
{
    printf("%-16s %4s %2s %-6s %-8s %10s %10s %10s %-7s %-10s %7s %11s %10s %6s\n", "network", "L",
           "D", "links", "mode", "labels ms", "ILP ms", "race ms", "by", "status", "gap",
           "+basel. ms", "CBC ms", "ratio");
}

static const char *time_cell(char *buf, size_t size, double t, const nn_solve_result *r)
{
    bool done = r->status == SOLVE_OPTIMAL || r->status == SOLVE_INFEASIBLE;
    if (t < 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%s%.2f", done ? "" : ">", t * 1e3);
    return buf;
}

/* One case: labels alone, the ILP alone (capped at ilp_cap_s), the race,
 * the race with the baselines, CBC on the big-M model. */
static void engine_case_run(const bench_opts *o, const nn_instance *in, const char *name,
                            const char *links, nn_mode mode, engine_group group, double limit,
                            double ilp_cap_s, bool with_cbc, engine_totals *tot)
{
    char full[48];
    snprintf(full, sizeof full, "%.16s/%dD/%s/%s", name, in->D, links, mode_name(mode));
    if (o->only && !strstr(full, o->only)) return;
    int runs = group == GROUP_ZOO ? o->runs : 1;
    if (o->limit_force_s > 0) limit = o->limit_force_s;
    nn_solve_result lab = {0}, ilp = {0}, race = {0};
    double tl = engine_time(in, mode, ENGINE_LABELS, limit, runs, &lab);
    if (o->labels_only) {
        ilp_cap_s = 0;
        with_cbc = false;
    }
    double ti = ilp_cap_s > 0 ? engine_time(in, mode, ENGINE_ILP, ilp_cap_s, runs, &ilp) : -1;
    if (ti < 0) ilp.status = SOLVE_NO_RESULT;
    double tr = o->labels_only ? tl : engine_time(in, mode, ENGINE_AUTO, limit, runs, &race);
    if (o->labels_only) { /* the race's columns show the label engine's result */
        race = lab;
        lab = (nn_solve_result){.status = SOLVE_NO_RESULT};
    }
    double ta = group == GROUP_ZOO && !o->labels_only ? explorer_time(in, mode, limit, runs) : -1;
    bool proved = race.status == SOLVE_OPTIMAL || race.status == SOLVE_INFEASIBLE;
    /* Different placements from completed tie-breaks would be a bug; a
     * tie-break the time limit stopped is counted apart. */
    const nn_solve_result *ans[] = {&lab, &ilp, &race};
    for (int k = 0; k < 3; k++)
        tot->uncanonical += ans[k]->status == SOLVE_OPTIMAL && !ans[k]->canonical;
    if (lab.canonical && ilp.canonical &&
        memcmp(lab.place, ilp.place, (size_t)in->L * sizeof *lab.place) != 0)
        disagree_note(tot, name, in, links, mode, "ILP");
    if (lab.canonical && race.canonical &&
        memcmp(lab.place, race.place, (size_t)in->L * sizeof *lab.place) != 0)
        disagree_note(tot, name, in, links, mode, "race");
    char cl[24], ci[24], cr[24], ca[24] = "-", cc[24] = "-", ratio[24] = "-", gap[16];
    double cbc_ratio = NAN;
    bool capped = false;
    if (with_cbc && o->bigm) {
        double obj;
        double cap = fmax(0.3, 12 * tr);
        double tc = cbc_time(in, mode, cap, &capped, &obj);
        if (tc >= 0) {
            snprintf(cc, sizeof cc, "%s%.1f", capped ? ">" : "", tc * 1e3);
            cbc_ratio = tc / tr;
            snprintf(ratio, sizeof ratio, "%s%.0fx", capped ? ">" : "", cbc_ratio);
            if (!capped && race.status == SOLVE_OPTIMAL && obj < race.latency * (1 - 1e-6))
                snprintf(ratio + strlen(ratio), sizeof ratio - strlen(ratio), " BETTER?");
        }
    }
    if (ta >= 0) snprintf(ca, sizeof ca, "%.2f", ta * 1e3);
    snprintf(gap, sizeof gap, "%.2f%%", 100 * race.gap);
    printf("%-16.16s %4d %2d %-6s %-8s %10s %10s %10s %-7s %-10s %7s %11s %10s %6s\n", name, in->L,
           in->D, links, mode_name(mode),
           time_cell(cl, sizeof cl, tl, o->labels_only ? &race : &lab),
           time_cell(ci, sizeof ci, ti, &ilp), time_cell(cr, sizeof cr, tr, &race),
           engine_name(race.engine), solve_status_name(race.status), gap, ca, cc, ratio);
    fflush(stdout);
    if (tot->n < (int)(sizeof tot->cases / sizeof tot->cases[0])) {
        engine_case *c = &tot->cases[tot->n++];
        *c = (engine_case){.group = group,
                           .race_s = tr,
                           .all_s = ta >= 0 ? ta : tr,
                           .cbc_ratio = cbc_ratio,
                           .cbc_capped = capped,
                           .tiebreak_s = race.status == SOLVE_OPTIMAL ? race.tiebreak_s : NAN,
                           .proved = proved};
        str_copy(c->name, sizeof c->name, full);
    }
    solve_result_free(&lab);
    solve_result_free(&ilp);
    solve_result_free(&race);
}

/* A stack of `blocks` transformer blocks: decoder (GPT-2 XL width, tied
 * head) or encoder (ViT-B width, class-token head). */
static void build_stack(nn_network *net, bool decoder, int blocks)
{
    memset(net, 0, sizeof *net);
    nn_layer *l;
    if (decoder) {
        snprintf(net->name, sizeof net->name, "decoder-%d", blocks);
        net->input_shape = (nn_shape){.ndim = 1, .dim = {512}};
        l = network_add_layer(net, "embed", LT_TOKEN_EMBED);
        layer_set(l, "vocab", 50257);
        layer_set(l, "dim", 1600);
        layer_set(l, "positions", 1024);
    } else {
        snprintf(net->name, sizeof net->name, "encoder-%d", blocks);
        net->input_shape = (nn_shape){.ndim = 3, .dim = {3, 224, 224}};
        l = network_add_layer(net, "patch_embed", LT_PATCH_EMBED);
        layer_set(l, "patch", 16);
        layer_set(l, "dim", 768);
    }
    for (int i = 0; i < blocks; i++) {
        char name[NN_NAME_LEN];
        snprintf(name, sizeof name, "block.%d", i);
        l = network_add_layer(net, name, decoder ? LT_DECODER : LT_ENCODER);
        layer_set(l, "heads", decoder ? 25 : 12);
        if (!decoder) layer_set(l, "mlp_dim", 3072);
    }
    network_add_layer(net, "ln", LT_LAYERNORM);
    if (decoder) {
        l = network_add_layer(net, "lm_head", LT_LM_HEAD);
        layer_set(l, "vocab", 50257);
        layer_set(l, "tied", 1);
    } else {
        network_add_layer(net, "cls", LT_CLS_SELECT);
        l = network_add_layer(net, "head", LT_LINEAR);
        layer_set(l, "out_features", 1000);
    }
    char why[256];
    int bad;
    if (network_infer(net, &bad, why, sizeof why) != 0) {
        fprintf(stderr, "nnpart-bench: %s: %s\n", net->name, why);
        exit(1);
    }
}

/* MODEL.md's worked example's two devices with n identical raw layers. */
static void build_identical(nn_scenario *s, int n, nn_mode mode)
{
    scenario_init(s);
    nn_device edge = {.tier = TIER_EDGE, .speed = 1e9, .memory = 100e6, .load_rate = 10e6};
    nn_device cloud = {.tier = TIER_CLOUD, .speed = 100e9, .memory = 1000e6, .load_rate = 100e6};
    str_copy(edge.name, sizeof edge.name, "edge");
    str_copy(cloud.name, sizeof cloud.name, "cloud");
    scenario_add_device(s, &edge);
    scenario_add_device(s, &cloud);
    add_link(s, 0, 1, 8e6, 8e6, 0.010);
    nn_network net;
    memset(&net, 0, sizeof net);
    snprintf(net.name, sizeof net.name, "same-%d", n);
    net.input_shape = (nn_shape){.ndim = 1, .dim = {25000}};
    for (int i = 0; i < n; i++) {
        char name[NN_NAME_LEN];
        snprintf(name, sizeof name, "L%d", i + 1);
        nn_layer *l = network_add_layer(&net, name, LT_RAW);
        l->raw_flops = 1e8;
        l->raw_weights = 1e6;
        l->raw_output = 1e4;
    }
    char why[256];
    int bad;
    if (network_infer(&net, &bad, why, sizeof why) != 0) {
        fprintf(stderr, "nnpart-bench: same-%d: %s\n", n, why);
        exit(1);
    }
    scenario_set_network(s, &net);
    s->source = s->sink = 0;
    s->mode = mode;
}

static void engine_targets(const engine_totals *tot)
{
    static const struct {
        engine_group group;
        const char *what;
        double median_s, worst_s;
        bool baselines;
    } targets[] = {
        {GROUP_ZOO, "zoo, 3-8 devices, race + baselines", 0.001, 0.050, true},
        {GROUP_STACK24, "24-block stacks", INFINITY, INFINITY, false},
        {GROUP_STACK48, "48-block stacks", INFINITY, 1.0, false},
        {GROUP_STACK96, "96-block stacks", INFINITY, 10.0, false},
        {GROUP_SAME, "identical raw layers, 2 devices", INFINITY, 0.100, false},
    };
    printf("\nTargets (race; zoo with its baselines as the explorer computes them):\n");
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        double v[1024];
        int n = 0, unproved = 0, over = 0;
        const char *worst = "";
        double w = -1;
        for (int i = 0; i < tot->n; i++) {
            const engine_case *c = &tot->cases[i];
            if (c->group != targets[t].group) continue;
            double x = targets[t].baselines ? c->all_s : c->race_s;
            v[n++] = x;
            unproved += !c->proved;
            over += x > targets[t].worst_s;
            if (x > w) {
                w = x;
                worst = c->name;
            }
        }
        if (n == 0) continue;
        double med = bench_median(v, n);
        bool met = unproved == 0 && over == 0 && med <= targets[t].median_s;
        printf("  %-36s %3d cases: median %9.3f ms, worst %9.2f ms (%s), %d not proven",
               targets[t].what, n, med * 1e3, w * 1e3, worst, unproved);
        if (isfinite(targets[t].worst_s))
            printf("; target%s%s < %.0f ms: %s", isfinite(targets[t].median_s) ? " median < " : "",
                   isfinite(targets[t].median_s) ? "1 ms, worst" : " worst",
                   targets[t].worst_s * 1e3, met ? "met" : "MISSED");
        printf("\n");
    }
    int cbc = 0, below = 0;
    double least = INFINITY;
    bool least_capped = false;
    for (int i = 0; i < tot->n; i++) {
        const engine_case *c = &tot->cases[i];
        if (isnan(c->cbc_ratio)) continue;
        cbc++;
        below += c->cbc_ratio < 10 && !c->cbc_capped;
        /* A capped CBC run gives only a lower bound on its ratio: say so with '>'. */
        if (c->cbc_ratio < least || (c->cbc_ratio == least && !c->cbc_capped)) {
            least = c->cbc_ratio;
            least_capped = c->cbc_capped;
        }
    }
    if (cbc)
        printf("  CBC on the big-M model: %d cases, least ratio %s%.1fx, %d under 10x: %s\n", cbc,
               least_capped ? ">" : "", least, below, below ? "MISSED" : "met");
    else
        printf("  CBC on the big-M model: cbc not installed (apt-get install coinor-cbc)\n");
    printf("  labels and ILP (or race) both canonical with different placements: %d%s%s\n",
           tot->disagree, tot->disagree ? ": " : "", tot->disagree_names);
    printf("  optimal answers whose tie-break the time limit stopped (labels, ILP, race): %d\n",
           tot->uncanonical);
    /* The tie-break's cost inside the race (MODEL.md: the canonical pass). */
    for (int g = 0; g < GROUP_COUNT; g++) {
        double v[1024], share[1024];
        int n = 0;
        for (int i = 0; i < tot->n; i++) {
            const engine_case *c = &tot->cases[i];
            if (c->group != (engine_group)g || isnan(c->tiebreak_s)) continue;
            share[n] = c->race_s > 0 ? c->tiebreak_s / c->race_s : 0;
            v[n++] = c->tiebreak_s;
        }
        if (!n) continue;
        double worst = 0, worst_share = 0;
        const char *worst_name = "";
        for (int i = 0, k = 0; i < tot->n; i++) {
            const engine_case *c = &tot->cases[i];
            if (c->group != (engine_group)g || isnan(c->tiebreak_s)) continue;
            if (v[k] > worst) {
                worst = v[k];
                worst_name = c->name;
            }
            worst_share = fmax(worst_share, share[k++]);
        }
        printf("  tie-break in the race, %-16s %3d cases: median %7.3f ms (%4.1f%% of the race), "
               "worst %7.2f ms (%s), largest share %4.1f%%\n",
               GROUP_NAMES[g], n, bench_median(v, n) * 1e3, 100 * bench_median(share, n),
               worst * 1e3, worst_name, 100 * worst_share);
    }
}

/* The scenario file the explorer's figures use (issue 9's done-when). */
#define EXPLORER_CONFIG "configs/gpt2-home.yaml"

/* One zoo network on EXPLORER_CONFIG's devices, links and mode. */
typedef void config_case_fn(const bench_opts *o, nn_scenario *s, const char *zoo, void *ctx);

/* Calls fn on each zoo network in turn on EXPLORER_CONFIG; false (having
 * said why) when the file does not load. fn may not keep s. */
static bool each_zoo_on_config(const bench_opts *o, config_case_fn *fn, void *ctx)
{
    for (int z = 0; z < zoo_count(); z++) {
        nn_scenario s;
        nn_error err;
        if (scenario_load_file(EXPLORER_CONFIG, &s, &err) != 0) {
            printf("  cannot load %s: %s\n", EXPLORER_CONFIG, err.message);
            return false;
        }
        nn_network net;
        if (zoo_build(zoo_name(z), &net) != 0) exit(1);
        scenario_set_network(&s, &net);
        fn(o, &s, zoo_name(z), ctx);
        scenario_free(&s);
    }
    return true;
}

/* The worst case over the networks, and its name. */
typedef struct worst_case {
    double t;
    const char *name;
} worst_case;

static void worst_note(worst_case *w, double t, const char *name)
{
    if (t > w->t) {
        w->t = t;
        w->name = name;
    }
}

static void config_race(const bench_opts *o, nn_scenario *s, const char *zoo, void *ctx)
{
    nn_instance in;
    if (instance_build(s, &in) != 0) exit(1);
    double t = explorer_time(&in, s->mode, o->limit_s, o->runs);
    printf("  %-14s %2d layers on %d devices: %8.2f ms\n", zoo, in.L, in.D, t * 1e3);
    worst_note(ctx, t, zoo);
    instance_free(&in);
}

/* The explorer's path after an edit on EXPLORER_CONFIG: the race and the
 * baselines, for every zoo network on that file's devices. */
static void run_explorer_config(const bench_opts *o)
{
    printf("\nExplorer on %s: the race and the baselines after an edit (median of %d), every "
           "zoo network, the file's mode\n",
           EXPLORER_CONFIG, o->runs);
    worst_case w = {.name = ""};
    if (!each_zoo_on_config(o, config_race, &w)) return;
    printf("  worst %.2f ms (%s); target < 100 ms: %s\n", w.t * 1e3, w.name,
           w.t < 0.1 ? "met" : "MISSED");
}

static void engine_zoo_case(const bench_opts *o, const char *zoo, int ndev, link_speed speed,
                            nn_mode mode, void *ctx)
{
    nn_scenario s;
    build_scenario(&s, zoo, ndev, speed, mode);
    nn_instance in;
    if (instance_build(&s, &in) != 0) exit(1);
    engine_case_run(o, &in, zoo, LINK_NAMES[speed], mode, GROUP_ZOO, o->limit_s, o->limit_s, true,
                    ctx);
    instance_free(&in);
    scenario_free(&s);
}

/* Every zoo network x 3, 5, 8 devices x links x modes; the stacks; the
 * identical layers. */
static void run_engines(const bench_opts *o, bool stacks_only)
{
    engine_totals *tot = calloc(1, sizeof *tot);
    if (!tot) exit(1);
    printf("\nEngines: labels alone, ILP alone, race (the default); median of %d run(s); "
           "'>' = not proven within the limit (the ILP alone on stacks: 2 s); by: the engine "
           "whose answer the race returned\n\n",
           o->runs);
    engine_header();
    if (!stacks_only) each_zoo_case(o, engine_zoo_case, tot);
    const int ndevs[] = {3, 5, 8};
    const int blocks[] = {24, 48, 96};
    for (int dec = 1; dec >= 0 && !o->zoo_only; dec--)
        for (int b = 0; b < 3; b++)
            for (int k = 0; k < 3; k++)
                for (int sp = 0; sp < LINK_COUNT; sp++)
                    for (int m = 0; m < MODE_COUNT; m++) {
                        if (o->quick && (m != MODE_PRELOAD || b == 2)) continue;
                        nn_scenario s;
                        scenario_init(&s);
                        build_devices(&s, ndevs[k], (link_speed)sp);
                        nn_network net;
                        build_stack(&net, dec, blocks[b]);
                        char name[NN_NAME_LEN];
                        str_copy(name, sizeof name, net.name);
                        scenario_set_network(&s, &net);
                        s.mode = (nn_mode)m;
                        nn_instance in;
                        if (instance_build(&s, &in) != 0) exit(1);
                        engine_case_run(o, &in, name, LINK_NAMES[sp], (nn_mode)m,
                                        (engine_group)(GROUP_STACK24 + b), b == 2 ? 10.0 : 2.0,
                                        o->quick ? 0 : 2.0, b == 0, tot);
                        instance_free(&in);
                        scenario_free(&s);
                    }
    const int same[] = {100, 500};
    for (int i = 0; i < 2 && !o->zoo_only; i++)
        for (int m = 0; m < MODE_COUNT; m++) {
            nn_scenario s;
            build_identical(&s, same[i], (nn_mode)m);
            nn_instance in;
            if (instance_build(&s, &in) != 0) exit(1);
            char name[24];
            snprintf(name, sizeof name, "same-%d", same[i]);
            engine_case_run(o, &in, name, "8M", (nn_mode)m, GROUP_SAME, 10.0, o->quick ? 0 : 2.0,
                            false, tot);
            instance_free(&in);
            scenario_free(&s);
        }
    engine_targets(tot);
    free(tot);
    if (!stacks_only && !o->only && !o->labels_only) run_explorer_config(o);
}

/* ---- the explorer's own path: an edit, then result and baselines -------- */

/* The explorer's solve limit (tui/tui.c's TUI_TIME_LIMIT_S). */
#define EXPLORER_LIMIT_S 5.0

/* Waits for the worker's pipe and hands what came to the explorer, as
 * tui/tui.c's main loop does; returns once the result of the latest
 * submission is on show (and, with `baselines`, its baselines too). */
static void explorer_wait(explorer *ex, worker *w, bool baselines)
{
    for (;;) {
        bool have = ex->shown && ex->shown->gen == ex->submitted;
        if (have && (!baselines || ex->shown->base_done)) return;
        struct pollfd fd = {.fd = worker_fd(w), .events = POLLIN};
        if (poll(&fd, 1, 30000) <= 0) {
            fprintf(stderr, "nnpart-bench: the explorer's worker gave no answer in 30 s\n");
            exit(1);
        }
        explorer_show(ex, worker_take(w));
        unsigned long gen;
        nn_baselines base;
        double took;
        if (worker_take_baselines(w, &gen, &base, &took))
            explorer_show_baselines(ex, gen, &base, took);
    }
}

/* One key in the explorer, submitted as tui/tui.c submits it; the time
 * until its result is on show (timeline laid out, as the screen does) and
 * until its baselines are. */
static void explorer_edit(explorer *ex, worker *w, int key, double *to_result, double *to_base)
{
    double t0 = bench_now();
    unsigned eff = explorer_key(ex, key);
    if (!(eff & EFFECT_RESOLVE)) {
        fprintf(stderr, "nnpart-bench: key '%c' asked for no solve: %s\n", key, ex->msg);
        exit(1);
    }
    unsigned long gen = worker_submit(w, &ex->doc, NULL, false);
    if (gen == 0) exit(1);
    ex->submitted = gen;
    explorer_wait(ex, w, false);
    gantt_layout g;
    if (ex->shown->has_eval &&
        gantt_layout_build(&ex->shown->in, &ex->shown->ev, &ex->view, 160, &g) == 0)
        gantt_layout_free(&g);
    *to_result = bench_now() - t0;
    explorer_wait(ex, w, true);
    *to_base = bench_now() - t0;
}

enum { MAX_EDITS = 2 * 64 };

/* Every edit's times over all networks, and the worst network's. */
typedef struct edit_totals {
    double all_r[MAX_EDITS * 8], all_b[MAX_EDITS * 8];
    int nall;
    worst_case worst_b;
} edit_totals;

static void config_edits(const bench_opts *o, nn_scenario *s, const char *zoo, void *ctx)
{
    edit_totals *tot = ctx;
    explorer ex;
    if (explorer_init(&ex, s, EXPLORER_CONFIG) != 0) exit(1);
    for (int p = 0; p < PANE_COUNT; p++)
        ex.cols_visible[p] = p == PANE_DEVICES || p == PANE_LINKS ? explorer_value_cols(p) : 0;
    worker *w = worker_start(EXPLORER_LIMIT_S);
    if (!w) exit(1);
    /* The first solve, as when the explorer opens (not timed). */
    ex.submitted = worker_submit(w, &ex.doc, NULL, false);
    explorer_wait(&ex, w, true);
    double r[MAX_EDITS], b[MAX_EDITS];
    int n = 0;
    for (int rep = 0; rep < (o->quick ? 1 : 3); rep++)
        for (int k = 0; k < ex.doc.nlinks && n + 2 <= MAX_EDITS; k++) {
            explorer_select(&ex, PANE_LINKS, k, 0);
            explorer_edit(&ex, w, '+', &r[n], &b[n]);
            n++;
            explorer_edit(&ex, w, '-', &r[n], &b[n]);
            n++;
        }
    double wr = 0, wb = 0;
    for (int i = 0; i < n && tot->nall < MAX_EDITS * 8; i++) {
        tot->all_r[tot->nall] = r[i];
        tot->all_b[tot->nall++] = b[i];
        wr = fmax(wr, r[i]);
        wb = fmax(wb, b[i]);
    }
    worst_note(&tot->worst_b, wb, zoo);
    printf("%-14s %5d  %6.2f ms %6.2f ms  %6.2f ms %6.2f ms\n", zoo, n, bench_median(r, n) * 1e3,
           wr * 1e3, bench_median(b, n) * 1e3, wb * 1e3);
    worker_stop(w);
    explorer_free(&ex);
}

/* Every zoo network on EXPLORER_CONFIG in the explorer (its state, key
 * table and solver thread): each link's a -> b bandwidth doubled with + and
 * halved back with -, each edit timed from the key to its result on show
 * and to its baselines. The done-when figure of issue 9: < 100 ms. */
static void run_explorer_edits(const bench_opts *o)
{
    printf("\nExplorer on %s: a bandwidth edit (+ then -, on every link) until the result and "
           "the baselines are on show, through the explorer's worker thread; every zoo network\n",
           EXPLORER_CONFIG);
    printf("%-14s %5s  %9s %9s  %9s %9s\n", "network", "edits", "result", "worst", "baselines",
           "worst");
    edit_totals *tot = calloc(1, sizeof *tot);
    if (!tot) exit(1);
    tot->worst_b.name = "";
    if (each_zoo_on_config(o, config_edits, tot) && tot->nall > 0) {
        double wr = 0;
        for (int i = 0; i < tot->nall; i++)
            wr = fmax(wr, tot->all_r[i]);
        printf("all %d edits: result on show median %.2f ms, worst %.2f ms; with the baselines "
               "median %.2f ms, worst %.2f ms (%s); target < 100 ms: %s\n",
               tot->nall, bench_median(tot->all_r, tot->nall) * 1e3, wr * 1e3,
               bench_median(tot->all_b, tot->nall) * 1e3, tot->worst_b.t * 1e3, tot->worst_b.name,
               tot->worst_b.t < 0.1 ? "met" : "MISSED");
    }
    free(tot);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--onnx-child") == 0)
        return bench_onnx_child(argv[2], argv[3]);
    if (argc == 2 && strcmp(argv[1], "--onnx") == 0) return bench_onnx() == 0 ? 0 : 1;
    if (argc == 2 && strcmp(argv[1], "--objectives") == 0) {
        int rc = bench_objectives(MAX_RUNS, 10.0);
        glp_free_env();
        return rc == 0 ? 0 : 1;
    }
    if (argc == 2 && strcmp(argv[1], "--throughput") == 0) {
        int rc = bench_throughput(MAX_RUNS, 10.0);
        glp_free_env();
        return rc == 0 ? 0 : 1;
    }
    bench_opts o = {.bigm = true,
                    .runs = MAX_RUNS,
                    .bigm_cap_s = 1.0,
                    .bigm_cap_big_s = 10.0,
                    .limit_s = 2.0,
                    .limit_big_s = 1.0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            o.quick = true;
            o.runs = 1;
            o.bigm_cap_s = 0.2;
            o.bigm_cap_big_s = 1.0;
        } else if (strcmp(argv[i], "--no-bigm") == 0) {
            o.bigm = false;
        } else if (strcmp(argv[i], "--tune") == 0) {
            o.tune = true;
        } else if (strcmp(argv[i], "--grid") == 0) {
            o.grid_only = true;
        } else if (strcmp(argv[i], "--ilp") == 0) {
            o.ilp_suite = true;
        } else if (strcmp(argv[i], "--stacks") == 0) {
            o.stacks_only = true;
        } else if (strcmp(argv[i], "--zoo") == 0) {
            o.zoo_only = true;
        } else if (strcmp(argv[i], "--explorer") == 0) {
            o.explorer_only = true;
        } else if (strcmp(argv[i], "--labels") == 0) {
            o.labels_only = true;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            o.only = argv[++i];
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            o.limit_force_s = atof(argv[++i]);
        } else {
            fprintf(
                stderr,
                "usage: nnpart-bench [--quick] [--no-bigm] [--tune] [--grid] [--onnx] "
                "[--objectives] [--throughput] [--ilp] [--stacks] [--zoo] [--explorer] [--labels] "
                "[--only TEXT] [--limit SECONDS]\n");
            return 2;
        }
    }
    glp_term_out(GLP_OFF);
    double t0 = bench_now();
    if (o.grid_only) {
        run_grid(&o);
        glp_free_env();
        return 0;
    }
    if (o.explorer_only) {
        run_explorer_edits(&o);
        glp_free_env();
        return 0;
    }
    if (o.tune) {
        run_tuning(&o);
        glp_free_env();
        return 0;
    }
    if (!o.ilp_suite) {
        printf("nnpart solver benchmark: %s\n", o.quick ? "quick (preload only)" : "full");
        run_engines(&o, o.stacks_only);
        bool all = !o.stacks_only && !o.zoo_only && !o.only && !o.labels_only;
        if (all) run_explorer_edits(&o);
        if (all) bench_objectives(o.runs, o.quick ? 2.0 : 10.0);
        if (all) bench_throughput(o.runs, o.quick ? 2.0 : 10.0);
        if (all) {
            run_sweeps(&o);
            run_grid(&o);
            bench_onnx();
        }
        printf("\nwall time %.1f s\n", bench_now() - t0);
        glp_free_env();
        return 0;
    }
    printf("nnpart solver benchmark: %s; median of %d run(s) per case; nnpart's time limit %.1f s "
           "(decoder-48: %.1f s); big-M capped at %.1f s (decoder-48: %.0f s), '>' = capped\n\n",
           o.quick ? "quick (preload only)" : "full", o.runs, o.limit_s, o.limit_big_s,
           o.bigm_cap_s, o.bigm_cap_big_s);
    print_header();
    suite_totals *tot = calloc(1, sizeof *tot);
    each_zoo_case(&o, ilp_zoo_case, tot);
    for (int sp = 0; sp < LINK_COUNT; sp++)
        for (int m = 0; m < MODE_COUNT; m++) {
            if (o.quick && (m != MODE_PRELOAD || sp != LINK_MEDIUM)) continue;
            run_case(&o, NULL, 5, (link_speed)sp, (nn_mode)m, tot);
        }
    print_targets(tot);
    run_sweeps(&o);
    run_grid(&o);
    bench_onnx();
    printf("\nwall time %.1f s\n", bench_now() - t0);
    free(tot);
    glp_free_env();
    return 0;
}
