/* The placement ILP (GLPK). Layers l = 0..L-1, devices d; all times are
 * expressed in a unit of 1, 1e-3, 1e-6 ... seconds chosen from the problem's
 * scale, so that GLPK's tolerances are relative to sensible numbers.
 *
 *   x_l_d       binary: layer l runs on device d (only where the layer fits,
 *               its pin allows it and a route can reach it and leave it)
 *   y_b_d_e     flow of the tensor at inner boundary b (output of layer b,
 *               1-based) from d to e, priced by the fastest route
 *   Q_l         tail: compute and transfer time from the start of layer l
 *               to the delivery at the sink
 *   P_l_d       preload queue of d after layer l: sum_{k<=l} w(k,d) x_k_d
 *   n_u_d       use u of a shared tensor (by layer l) is its first on d:
 *               n >= x_l_d - (x of the earlier users of the tensor on d)
 *   A_d         largest input + output among the layers on d (MB)
 *   T           latency
 *
 * T >= X0 + Q_0 (X0: the input's transfer), and in preload mode
 * T >= P_l_d + Q_l for every (l, d): exact without big-M, see MODEL.md.
 * In ondemand mode the load time joins the compute time in the tails; in
 * resident mode it is absent.
 *
 * Solving: the contiguous-run DP (or the caller's warm start, whichever is
 * better), polished by local search, is handed to GLPK as the first
 * incumbent from the callback; the MIP presolver is off so the columns are
 * ours, hence the LP relaxation is solved first. The model is rebuilt on
 * every call: building it (and the DP) takes 2-5% of a solve on the zoo, so
 * keeping a skeleton between solves would not pay.
 *
 * Ties: many placements often share the optimal latency (in preload mode,
 * whenever one device's weight loading is the critical path). Once phase 1
 * has proven T*, phase 2 bounds T <= T* (1 + 1e-10) and minimises the busy
 * path, the placement's compute and transfers without waiting (its
 * resident latency), from phase 1's answer polished by run moves, within
 * the same time limit, on a model of its own without the pairs that
 * cannot reach T*. Exact ties that remain (a layer that costs nothing on
 * either side of a device change) are settled by a fixed rule. So the
 * answer does not bounce layers between devices for nothing, and does not
 * depend on the warm start.
 *
 * Numerical care: times and memories span many orders of magnitude, so the
 * rows are scaled, GLPK's integrality tolerance is tightened, a placement
 * that overfills a memory within GLPK's row tolerance is cut off and solved
 * again, and the reported objective is the model's value at the rounded
 * integer point (see run_glpk). */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <glpk.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "glpk_guard.h"
#include "solve_internal.h"
#include "units.h"

#define MEM_UNIT 1e6 /* memory rows in MB keep coefficients near 1 */

typedef struct ilp_model {
    const nn_instance *in;
    nn_mode mode;
    double unit; /* seconds per model time unit */
    bool named;  /* give rows and columns readable names */
    glp_prob *lp;
    const unsigned char *ok;  /* [L * D] allowed (layer, device) pairs */
    int *xcol;                /* [L * D], 0: no column */
    int *ycol;                /* [(b * D + d) * D + e], 0: no column */
    int *qcol;                /* [L] */
    int *pcol;                /* [L * D], 0: none (the queue is empty) */
    int *ncol;                /* [u * D + d] first use of a shared tensor, 0: none */
    int *acol;                /* [D], 0: memory cannot bind on d */
    int mrow[NN_MAX_DEVICES]; /* memory row of d, 0: none */
    int tcol;
    int ncols;
    /* Row under construction; pos[col] merges repeated columns, since
     * GLPK aborts on a row with duplicate indices. */
    int *ind, *pos, len;
    double *val;
    char (*lname)[NN_NAME_LEN + 16]; /* sanitized names */
    char (*dname)[NN_NAME_LEN + 16];
    char (*sname)[NN_NAME_LEN + 16];
    /* Building the largest models takes a good part of a second: the
     * caller's stop (NULL: none) is checked every 64 layers. */
    const nn_stop *stop;
    bool stopped;
} ilp_model;

/* Whether building layer (or boundary) l should stop here. */
static bool build_stopped(ilp_model *m, int l)
{
    if (!m->stopped && (l & 63) == 63 && solve_stop_now(m->stop)) m->stopped = true;
    return m->stopped;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- names --------------------------------------------------------------- */

/* CPLEX LP identifiers: letters, digits and '_' here; never a leading digit
 * (every name below starts with a letter prefix). */
static void sanitize(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    for (; src[n] && n + 1 < size; n++) {
        unsigned char c = (unsigned char)src[n];
        dst[n] = (char)(isalnum(c) ? c : '_');
    }
    dst[n] = '\0';
    if (n == 0) str_copy(dst, size, "_");
}

typedef struct name_slot {
    const char *name;
    int index;
} name_slot;

static int slot_cmp(const void *a, const void *b)
{
    const name_slot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->index - y->index;
}

/* Two names that sanitize alike ("conv-1", "conv_1") get their 1-based
 * index appended, so every column name stays unique. */
static int names_unique(char (*names)[NN_NAME_LEN + 16], int n)
{
    for (int round = 0; round < 4; round++) {
        name_slot *s = malloc((size_t)n * sizeof *s);
        if (!s) return -1;
        for (int i = 0; i < n; i++)
            s[i] = (name_slot){.name = names[i], .index = i};
        qsort(s, (size_t)n, sizeof *s, slot_cmp);
        bool dup = false;
        for (int i = 1; i < n; i++) {
            if (strcmp(s[i].name, s[i - 1].name) != 0) continue;
            dup = true;
            char buf[NN_NAME_LEN + 16];
            snprintf(buf, sizeof buf, "%.*s_%d", NN_NAME_LEN - 1, names[s[i].index],
                     s[i].index + 1);
            str_copy(names[s[i].index], sizeof buf, buf);
        }
        free(s);
        if (!dup) return 0;
    }
    return 0;
}

/* Names a column or row (`setter`: glp_set_col_name or glp_set_row_name),
 * only when the model is built for an LP file. */
static void set_name(ilp_model *m, void (*setter)(glp_prob *, int, const char *), int k,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_name(ilp_model *m, void (*setter)(glp_prob *, int, const char *), int k,
                     const char *fmt, ...)
{
    if (!m->named) return;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    setter(m->lp, k, buf);
}

/* ---- building ------------------------------------------------------------ */

static size_t xi(const ilp_model *m, int l, int d)
{
    return (size_t)l * (size_t)m->in->D + (size_t)d;
}

static size_t yi(const ilp_model *m, int b, int d, int e)
{
    size_t D = (size_t)m->in->D;
    return ((size_t)b * D + (size_t)d) * D + (size_t)e;
}

/* Compute time of layer l on d as the tails count it, in model units. */
static double tail_coef(const ilp_model *m, int l, int d)
{
    double t = solve_comp(m->in, l, d);
    if (m->mode == MODE_ONDEMAND) t += solve_load(m->in, l, d);
    return t / m->unit;
}

/* Load time of shared tensor use u on d, model units. */
static double use_load(const ilp_model *m, int u, int d)
{
    return m->in->shared_load[(size_t)m->in->use_tensor[u] * (size_t)m->in->D + (size_t)d] /
           m->unit;
}

/* Whether layer l brings any load to d: its own or a shared tensor's. */
static bool loads_on(const ilp_model *m, int l, int d)
{
    if (solve_load(m->in, l, d) > 0) return true;
    for (int u = m->in->use_start[l]; u < m->in->use_start[l + 1]; u++)
        if (m->ncol[(size_t)u * (size_t)m->in->D + (size_t)d] && use_load(m, u, d) > 0) return true;
    return false;
}

static double xfer_coef(const ilp_model *m, int b, int d, int e)
{
    return instance_xfer(m->in, b, d, e) / m->unit;
}

static int add_col(ilp_model *m, int kind, double lb)
{
    int j = glp_add_cols(m->lp, 1);
    if (kind == GLP_BV) {
        glp_set_col_kind(m->lp, j, GLP_BV);
    } else {
        glp_set_col_bnds(m->lp, j, GLP_LO, lb, 0.0);
    }
    return j;
}

static void row_add(ilp_model *m, int col, double coef)
{
    if (col <= 0 || coef == 0) return;
    if (m->pos[col]) {
        m->val[m->pos[col]] += coef;
        return;
    }
    m->len++;
    m->ind[m->len] = col;
    m->val[m->len] = coef;
    m->pos[col] = m->len;
}

/* Ends the row: type GLP_FX / GLP_LO / GLP_UP with bound `rhs`. */
static int row_end(ilp_model *m, int type, double rhs)
{
    int i = glp_add_rows(m->lp, 1);
    glp_set_row_bnds(m->lp, i, type, rhs, rhs);
    glp_set_mat_row(m->lp, i, m->len, m->ind, m->val);
    for (int k = 1; k <= m->len; k++)
        m->pos[m->ind[k]] = 0;
    m->len = 0;
    return i;
}

static void build_columns(ilp_model *m)
{
    const nn_instance *in = m->in;
    int L = in->L, D = in->D;
    for (int l = 0; l < L; l++) {
        for (int d = 0; d < D; d++) {
            if (!m->ok[xi(m, l, d)]) continue;
            int j = m->xcol[xi(m, l, d)] = add_col(m, GLP_BV, 0);
            set_name(m, glp_set_col_name, j, "x_%s_%s", m->lname[l], m->dname[d]);
        }
    }
    for (int b = 1; b < L && !build_stopped(m, b); b++) {
        for (int d = 0; d < D; d++) {
            if (!m->xcol[xi(m, b - 1, d)]) continue;
            for (int e = 0; e < D; e++) {
                if (!m->xcol[xi(m, b, e)] || !isfinite(instance_xfer(in, b, d, e))) continue;
                int j = m->ycol[yi(m, b, d, e)] = add_col(m, GLP_CV, 0);
                glp_set_col_bnds(m->lp, j, GLP_DB, 0.0, 1.0);
                set_name(m, glp_set_col_name, j, "y_%d_%s_%s", b, m->dname[d], m->dname[e]);
            }
        }
    }
    for (int l = 0; l < L; l++) {
        m->qcol[l] = add_col(m, GLP_CV, 0);
        set_name(m, glp_set_col_name, m->qcol[l], "Q_%s", m->lname[l]);
    }
    for (int u = 0; u < in->use_start[L]; u++) {
        int l = in->use_layer[u];
        if (!(in->shared_bytes[in->use_tensor[u]] > 0)) continue;
        for (int d = 0; d < D; d++) {
            if (!m->xcol[xi(m, l, d)]) continue;
            int j = m->ncol[(size_t)u * D + d] = add_col(m, GLP_CV, 0);
            glp_set_col_bnds(m->lp, j, GLP_DB, 0.0, 1.0);
            set_name(m, glp_set_col_name, j, "n_%s_%s_%s", m->lname[l], m->sname[in->use_tensor[u]],
                     m->dname[d]);
        }
    }
    if (m->mode == MODE_PRELOAD) {
        /* A layer without load time leaves the queue as it was: reuse the
         * column rather than add an equal one. */
        for (int d = 0; d < D; d++) {
            int last = 0;
            for (int l = 0; l < L; l++) {
                if (!m->xcol[xi(m, l, d)]) continue;
                if (loads_on(m, l, d)) {
                    last = add_col(m, GLP_CV, 0);
                    set_name(m, glp_set_col_name, last, "P_%s_%s", m->lname[l], m->dname[d]);
                }
                m->pcol[xi(m, l, d)] = last;
            }
        }
    }
    for (int d = 0; d < D; d++) {
        double weights = 0, peak = 0;
        for (int l = 0; l < L; l++) {
            if (!m->xcol[xi(m, l, d)]) continue;
            weights += in->weights[l] + in->shared_need[l]; /* shared: at most once each */
            peak = fmax(peak, in->act[l]);
        }
        if (weights + peak <= in->memory[d]) continue; /* cannot bind */
        m->acol[d] = add_col(m, GLP_CV, 0);
        set_name(m, glp_set_col_name, m->acol[d], "A_%s", m->dname[d]);
    }
    m->tcol = add_col(m, GLP_CV, 0);
    set_name(m, glp_set_col_name, m->tcol, "T");
    m->ncols = glp_get_num_cols(m->lp);
}

static void build_rows(ilp_model *m)
{
    const nn_instance *in = m->in;
    int L = in->L, D = in->D, i;
    for (int l = 0; l < L; l++) {
        for (int d = 0; d < D; d++)
            row_add(m, m->xcol[xi(m, l, d)], 1.0);
        i = row_end(m, GLP_FX, 1.0);
        set_name(m, glp_set_row_name, i, "assign_%s", m->lname[l]);
    }
    /* Flow conservation at each inner boundary: one unit leaves the device
     * of layer b - 1 and arrives at the device of layer b. */
    for (int b = 1; b < L && !build_stopped(m, b); b++) {
        for (int d = 0; d < D; d++) {
            if (!m->xcol[xi(m, b - 1, d)]) continue;
            row_add(m, m->xcol[xi(m, b - 1, d)], 1.0);
            for (int e = 0; e < D; e++)
                row_add(m, m->ycol[yi(m, b, d, e)], -1.0);
            i = row_end(m, GLP_FX, 0.0);
            set_name(m, glp_set_row_name, i, "out_%s_%s", m->lname[b - 1], m->dname[d]);
        }
        for (int e = 0; e < D; e++) {
            if (!m->xcol[xi(m, b, e)]) continue;
            row_add(m, m->xcol[xi(m, b, e)], 1.0);
            for (int d = 0; d < D; d++)
                row_add(m, m->ycol[yi(m, b, d, e)], -1.0);
            i = row_end(m, GLP_FX, 0.0);
            set_name(m, glp_set_row_name, i, "in_%s_%s", m->lname[b], m->dname[e]);
        }
    }
    /* First use of a shared tensor on d: n_u_d >= x_l_d minus the earlier
     * users on d. Integral x make the least n exactly 0 or 1. */
    for (int u = 0; u < in->use_start[L]; u++) {
        for (int d = 0; d < D; d++) {
            int n = m->ncol[(size_t)u * D + d];
            if (!n) continue;
            row_add(m, n, 1.0);
            row_add(m, m->xcol[xi(m, in->use_layer[u], d)], -1.0);
            for (int v = in->use_prev[u]; v >= 0; v = in->use_prev[v])
                row_add(m, m->xcol[xi(m, in->use_layer[v], d)], 1.0);
            i = row_end(m, GLP_LO, 0.0);
            set_name(m, glp_set_row_name, i, "first_%s_%s_%s", m->lname[in->use_layer[u]],
                     m->sname[in->use_tensor[u]], m->dname[d]);
        }
    }
    /* Memory: weights (each shared tensor at its first use) + A_d <= memory,
     * A_d >= input + output of each layer. */
    for (int d = 0; d < D; d++) {
        if (!m->acol[d]) continue;
        for (int l = 0; l < L; l++)
            row_add(m, m->xcol[xi(m, l, d)], in->weights[l] / MEM_UNIT);
        for (int u = 0; u < in->use_start[L]; u++)
            row_add(m, m->ncol[(size_t)u * D + d], in->shared_bytes[in->use_tensor[u]] / MEM_UNIT);
        row_add(m, m->acol[d], 1.0);
        i = m->mrow[d] = row_end(m, GLP_UP, in->memory[d] / MEM_UNIT);
        set_name(m, glp_set_row_name, i, "mem_%s", m->dname[d]);
        for (int l = 0; l < L; l++) {
            if (!m->xcol[xi(m, l, d)] || in->act[l] <= 0) continue;
            row_add(m, m->acol[d], 1.0);
            row_add(m, m->xcol[xi(m, l, d)], -in->act[l] / MEM_UNIT);
            i = row_end(m, GLP_LO, 0.0);
            set_name(m, glp_set_row_name, i, "act_%s_%s", m->lname[l], m->dname[d]);
        }
    }
    /* Tails: Q_l >= compute of l + transfer of its output + Q_{l+1}. */
    for (int l = 0; l < L && !build_stopped(m, l); l++) {
        row_add(m, m->qcol[l], 1.0);
        for (int d = 0; d < D; d++) {
            int x = m->xcol[xi(m, l, d)];
            if (!x) continue;
            row_add(m, x, -tail_coef(m, l, d));
            if (l == L - 1) row_add(m, x, -xfer_coef(m, L, d, in->sink));
            if (m->mode != MODE_ONDEMAND) continue;
            for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++)
                row_add(m, m->ncol[(size_t)u * D + d], -use_load(m, u, d));
        }
        if (l < L - 1) {
            for (int d = 0; d < D; d++)
                for (int e = 0; e < D; e++) {
                    int y = m->ycol[yi(m, l + 1, d, e)];
                    if (y) row_add(m, y, -xfer_coef(m, l + 1, d, e));
                }
            row_add(m, m->qcol[l + 1], -1.0);
        }
        i = row_end(m, GLP_LO, 0.0);
        set_name(m, glp_set_row_name, i, "tail_%s", m->lname[l]);
    }
    /* The whole path: T >= X0 + Q_0. */
    row_add(m, m->tcol, 1.0);
    row_add(m, m->qcol[0], -1.0);
    for (int e = 0; e < D; e++)
        row_add(m, m->xcol[xi(m, 0, e)], -xfer_coef(m, 0, in->source, e));
    i = row_end(m, GLP_LO, 0.0);
    set_name(m, glp_set_row_name, i, "path");
    if (m->mode != MODE_PRELOAD) return;
    /* Preload queues and T >= P_l_d + Q_l. A layer without load time adds
     * nothing: its row would be implied by the previous layer on d. */
    for (int d = 0; d < D; d++) {
        int prev = 0;
        for (int l = 0; l < L; l++) {
            int p = m->pcol[xi(m, l, d)];
            if (!p || p == prev) continue;
            row_add(m, p, 1.0);
            row_add(m, prev, -1.0);
            row_add(m, m->xcol[xi(m, l, d)], -solve_load(in, l, d) / m->unit);
            for (int u = in->use_start[l]; u < in->use_start[l + 1]; u++)
                row_add(m, m->ncol[(size_t)u * D + d], -use_load(m, u, d));
            i = row_end(m, GLP_FX, 0.0);
            set_name(m, glp_set_row_name, i, "queue_%s_%s", m->lname[l], m->dname[d]);
            row_add(m, m->tcol, 1.0);
            row_add(m, p, -1.0);
            row_add(m, m->qcol[l], -1.0);
            i = row_end(m, GLP_LO, 0.0);
            set_name(m, glp_set_row_name, i, "wait_%s_%s", m->lname[l], m->dname[d]);
            prev = p;
        }
    }
}

static void model_free(ilp_model *m)
{
    if (m->lp) glp_delete_prob(m->lp);
    free(m->xcol);
    free(m->ycol);
    free(m->qcol);
    free(m->pcol);
    free(m->ncol);
    free(m->acol);
    free(m->ind);
    free(m->pos);
    free(m->val);
    free(m->lname);
    free(m->dname);
    free(m->sname);
    memset(m, 0, sizeof *m);
}

/* Picks the model's time unit: a power of 1000 of a second that puts the
 * reference latency between 1 and 1000. */
static double pick_unit(double ref)
{
    if (!(ref > 0) || !isfinite(ref)) return 1.0;
    double k = floor(log10(ref) / 3.0);
    if (k < -4) k = -4;
    if (k > 1) k = 1;
    return pow(1000.0, k);
}

static const char *unit_name(double unit)
{
    if (unit >= 1000) return "ks";
    if (unit >= 1) return "s";
    if (unit >= 1e-3) return "ms";
    if (unit >= 1e-6) return "us";
    if (unit >= 1e-9) return "ns";
    return "ps";
}

/* 0, -1 when out of memory, 1 when `stop` (NULL: none) ended it part-way
 * (the model is then incomplete: only for model_free). */
static int model_build(ilp_model *m, const nn_instance *in, nn_mode mode, const unsigned char *ok,
                       double unit, bool named, const nn_stop *stop)
{
    int L = in->L, D = in->D;
    size_t LD = (size_t)L * (size_t)D;
    size_t BDD = ((size_t)L + 1) * (size_t)D * (size_t)D;
    *m = (ilp_model){
        .in = in,
        .mode = mode,
        .unit = unit,
        .named = named,
        .ok = ok,
        .xcol = calloc(LD, sizeof(int)),
        .ycol = calloc(BDD, sizeof(int)),
        .qcol = calloc((size_t)L, sizeof(int)),
        .pcol = calloc(LD, sizeof(int)),
        .ncol = calloc((size_t)in->use_start[L] * (size_t)D + 1, sizeof(int)),
        .acol = calloc((size_t)D, sizeof(int)),
        .stop = stop,
    };
    if (!m->xcol || !m->ycol || !m->qcol || !m->pcol || !m->ncol || !m->acol) return -1;
    /* Allocated unnamed too: set_name's callers index them either way
     * (indexing a null pointer is undefined, clang's UBSan in make fuzz). */
    m->lname = calloc((size_t)L, sizeof *m->lname);
    m->dname = calloc((size_t)D, sizeof *m->dname);
    m->sname = calloc((size_t)in->S + 1, sizeof *m->sname);
    if (!m->lname || !m->dname || !m->sname) return -1;
    if (named) {
        for (int t = 0; t < in->S; t++)
            sanitize(m->sname[t], sizeof m->sname[t], in->shared_names[t]);
        for (int l = 0; l < L; l++)
            sanitize(m->lname[l], sizeof m->lname[l], in->layer_names[l]);
        for (int d = 0; d < D; d++)
            sanitize(m->dname[d], sizeof m->dname[d], in->device_names[d]);
        if (names_unique(m->lname, L) != 0 || names_unique(m->dname, D) != 0) return -1;
    }
    m->lp = glp_create_prob();
    if (named) {
        char title[96];
        snprintf(title, sizeof title, "nnpart_%s_times_in_%s_memory_in_MB", mode_name(mode),
                 unit_name(unit));
        glp_set_prob_name(m->lp, title);
        glp_set_obj_name(m->lp, "latency");
    }
    glp_set_obj_dir(m->lp, GLP_MIN);
    build_columns(m);
    glp_set_obj_coef(m->lp, m->tcol, 1.0);
    /* The longest row has every x and y of a boundary, plus a few. */
    size_t width = (size_t)m->ncols + 2;
    m->ind = malloc(width * sizeof *m->ind);
    m->val = malloc(width * sizeof *m->val);
    m->pos = calloc(width, sizeof *m->pos);
    if (!m->ind || !m->val || !m->pos) return -1;
    if (m->stopped) return 1;
    build_rows(m);
    return m->stopped ? 1 : 0;
}

/* Column values (1-based) of a placement, exactly feasible for the model:
 * the incumbent handed to GLPK, and the model's objective at a point.
 * Returns NULL when the placement uses a pair the model excludes. */
static double *model_point(const ilp_model *m, const int *place, double *objective)
{
    if (objective) *objective = INFINITY;
    const nn_instance *in = m->in;
    int L = in->L, D = in->D;
    double *v = calloc((size_t)m->ncols + 1, sizeof *v);
    if (!v) return NULL;
    for (int l = 0; l < L; l++) {
        int x = m->xcol[xi(m, l, place[l])];
        int y = l > 0 ? m->ycol[yi(m, l, place[l - 1], place[l])] : 1;
        if (!x || !y) {
            free(v);
            return NULL;
        }
        v[x] = 1;
        if (l > 0) v[y] = 1;
    }
    for (int u = 0; u < in->use_start[L]; u++) {
        int n = m->ncol[(size_t)u * D + place[in->use_layer[u]]];
        if (n && instance_use_first(in, place, u)) v[n] = 1;
    }
    double q = 0;
    for (int l = L - 1; l >= 0; l--) {
        int d = place[l];
        double own = tail_coef(m, l, d);
        if (m->mode == MODE_ONDEMAND)
            own = (solve_comp(in, l, d) + instance_load(in, place, l)) / m->unit;
        if (l == L - 1)
            q = own + xfer_coef(m, L, d, in->sink);
        else
            q = own + xfer_coef(m, l + 1, d, place[l + 1]) + q;
        v[m->qcol[l]] = q;
    }
    double t = xfer_coef(m, 0, in->source, place[0]) + v[m->qcol[0]];
    if (m->mode == MODE_PRELOAD) {
        for (int d = 0; d < D; d++) {
            int prev = 0;
            for (int l = 0; l < L; l++) {
                int p = m->pcol[xi(m, l, d)];
                if (!p || p == prev) continue;
                v[p] = v[prev] + (place[l] == d ? instance_load(in, place, l) / m->unit : 0);
                t = fmax(t, v[p] + v[m->qcol[l]]);
                prev = p;
            }
        }
    }
    for (int l = 0; l < L; l++) {
        int a = m->acol[place[l]];
        if (a) v[a] = fmax(v[a], in->act[l] / MEM_UNIT);
    }
    v[m->tcol] = t;
    if (objective) *objective = t;
    return v;
}

/* ---- solving ------------------------------------------------------------- */

typedef struct ilp_cb {
    const ilp_model *m;
    int branch; /* 0: GLPK's choice, 1: earliest layer, 2: earliest layer, down first */
    const double *incumbent; /* column values, or NULL */
    bool offered;
    atomic_int *cancel;
    double bound;       /* best proven bound seen, model units */
    solve_share *share; /* the race's incumbents, or NULL */
    unsigned seen;      /* the share's version last offered to GLPK */
    int *scratch;       /* [L] */
} ilp_cb;

/* The race: hands GLPK the other engine's better placements, and offers it
 * GLPK's own. */
static void share_exchange(ilp_cb *cb, glp_tree *tree)
{
    const ilp_model *m = cb->m;
    int reason = glp_ios_reason(tree);
    if (reason == GLP_IHEUR && share_version(cb->share) != cb->seen) {
        cb->seen = share_version(cb->share);
        if (isfinite(share_best(cb->share, cb->scratch))) {
            double *v = model_point(m, cb->scratch, NULL);
            if (v) glp_ios_heur_sol(tree, v);
            free(v);
        }
    } else if (reason == GLP_IBINGO) {
        glp_prob *lp = glp_ios_get_prob(tree);
        for (int l = 0; l < m->in->L; l++) {
            double top = -1;
            for (int d = 0; d < m->in->D; d++) {
                int x = m->xcol[xi(m, l, d)];
                double v = x ? glp_get_col_prim(lp, x) : -1;
                if (v > top) {
                    top = v;
                    cb->scratch[l] = d;
                }
            }
        }
        share_offer(cb->share, m->in, cb->scratch, eval_latency(m->in, cb->scratch, m->mode));
        cb->seen = share_version(cb->share);
    }
}

static void ilp_callback(glp_tree *tree, void *info)
{
    ilp_cb *cb = info;
    if ((cb->cancel && atomic_load(cb->cancel)) || share_stopped(cb->share, ENGINE_ILP)) {
        glp_ios_terminate(tree);
        return;
    }
    if (cb->share && cb->scratch) share_exchange(cb, tree);
    if (glp_ios_reason(tree) == GLP_IHEUR && cb->incumbent && !cb->offered) {
        cb->offered = true;
        glp_ios_heur_sol(tree, cb->incumbent);
    }
    if (glp_ios_reason(tree) == GLP_IBRANCH && cb->branch) {
        const ilp_model *m = cb->m;
        glp_prob *lp = glp_ios_get_prob(tree);
        for (int l = 0; l < m->in->L; l++) {
            int pick = 0;
            double top = -1;
            for (int d = 0; d < m->in->D; d++) {
                int x = m->xcol[xi(m, l, d)];
                if (!x || !glp_ios_can_branch(tree, x)) continue;
                double v = glp_get_col_prim(lp, x);
                if (v > top) {
                    top = v;
                    pick = x;
                }
            }
            if (pick) {
                glp_ios_branch_upon(tree, pick, cb->branch == 1 ? GLP_UP_BRNCH : GLP_DN_BRNCH);
                break;
            }
        }
    }
    int best = glp_ios_best_node(tree);
    if (best) cb->bound = fmax(cb->bound, glp_ios_node_bound(tree, best));
}

static void format_time(double s, char *buf, size_t size)
{
    units_format(s, UNIT_TIME, buf, size);
}

/* Fills the result from a placement; the latency is the evaluator's. */
static int result_set(nn_solve_result *out, const nn_instance *in, nn_mode mode, const int *place,
                      double objective, double bound)
{
    free(out->place);
    out->place = malloc((size_t)in->L * sizeof *out->place);
    if (!out->place) return -1;
    memcpy(out->place, place, (size_t)in->L * sizeof *place);
    out->latency = eval_latency(in, place, mode);
    out->value = out->latency;
    out->energy = eval_energy(in, place, mode, &out->energy_battery, NULL);
    out->period = out->stream_latency = INFINITY;
    out->busy_path = solve_busy_path(in, place);
    out->objective = objective;
    out->bound = fmin(bound, out->latency);
    out->gap = out->latency > 0 ? (out->latency - out->bound) / out->latency : 0;
    if (out->gap < 0) out->gap = 0;
    return 0;
}

static void message_feasible(nn_solve_result *out, const char *why)
{
    char lat[32];
    format_time(out->latency, lat, sizeof lat);
    snprintf(out->message, sizeof out->message, "feasible: %s, within %.3g%% of optimal (%s)", lat,
             100.0 * out->gap, why);
}

/* The better of the contiguous DP and the caller's warm start, each
 * polished by local search. */
/* Within the limit (on the largest instances the DP and the local search
 * take seconds, and nothing else may then run over it). */
static double pick_incumbent(const nn_instance *in, const nn_solve_options *opt, int *place)
{
    nn_stop stop = solve_stop_from(opt, ENGINE_ILP);
    double best = solve_dp_contiguous_until(in, opt->mode, place, &stop, NULL);
    if (opt->warm_start) {
        double warm = eval_latency(in, opt->warm_start, opt->mode);
        if (warm < best) {
            best = warm;
            memcpy(place, opt->warm_start, (size_t)in->L * sizeof *place);
        }
    }
    return isfinite(best) ? local_improve_until(in, opt->mode, place, &stop) : best;
}

/* The latency solve's allocations past the model: held by
 * solve_ilp_tuned's frame (ilp_call), so that a GLPK failure, a jump out of
 * run_glpk or tiebreak_search, still frees them (ilp_call_free). */
typedef struct ilp_held {
    double *point;     /* run_glpk: the incumbent as a model point */
    int *place;        /* run_glpk: the placement GLPK returns */
    unsigned char *ok; /* tiebreak_search: its model's pairs */
    int *cand;         /* tiebreak_search: GLPK's placement */
    double *point2;    /* tiebreak_search: the incumbent in its model */
    ilp_model m2;      /* tiebreak_search: its model */
} ilp_held;

typedef struct ilp_run {
    const nn_instance *in;
    const nn_solve_options *opt;
    nn_solve_result *out;
    double t0;
    int *inc;                /* incumbent placement */
    double inc_lat;          /* its latency, INFINITY if none */
    const unsigned char *ok; /* the model's (layer, device) pairs */
    double build_s;          /* how long building the model took */
    ilp_held *held;          /* the latency solve's: see ilp_held */
} ilp_run;

static bool ilp_cancelled(const ilp_run *r)
{
    return (r->opt->cancel && atomic_load(r->opt->cancel)) ||
           share_stopped(r->opt->share, ENGINE_ILP);
}

/* Scaling and the simplex's start over the model's building time. */
#define ILP_PREP_COST 10.0
#define ILP_SIMPLEX_START_COST 3.0

static double remaining_s(const ilp_run *r)
{
    if (!(r->opt->time_limit_s > 0)) return INFINITY;
    return r->opt->time_limit_s - (now_s() - r->t0);
}

/* The stop of this run: its time limit from its start, the cancel flag and
 * the race. */
static nn_stop run_stop(const ilp_run *r)
{
    nn_stop s = solve_stop_from(r->opt, ENGINE_ILP);
    if (r->opt->time_limit_s > 0) s.deadline = r->t0 + r->opt->time_limit_s;
    return s;
}

static int ms_limit(double s)
{
    if (!isfinite(s)) return INT32_MAX;
    if (s < 0.001) return 1;
    return s > 2e6 ? INT32_MAX : (int)ceil(s * 1000.0);
}

/* Stopped early: return the incumbent if there is one. */
static int finish_stopped(ilp_run *r, double bound, const char *why)
{
    nn_solve_result *out = r->out;
    if (!isfinite(r->inc_lat)) {
        out->status = SOLVE_NO_RESULT;
        snprintf(out->message, sizeof out->message, "no placement found (%s)", why);
        return 0;
    }
    if (result_set(out, r->in, r->opt->mode, r->inc, r->inc_lat, bound) != 0) return -1;
    out->status = SOLVE_FEASIBLE;
    message_feasible(out, why);
    return 0;
}

static const char *stop_reason(const ilp_run *r)
{
    return ilp_cancelled(r) ? "cancelled" : "time limit reached";
}

/* Solves the LP relaxation (needed first, since the MIP presolver is off
 * so that the incumbent's columns are GLPK's columns). Returns 0 when it is
 * optimal, 1 when infeasible, 2 on the time limit, -1 on failure.
 *
 * A singular basis, or "infeasible" although a known placement proves
 * otherwise, means GLPK lost its way numerically; and its primal simplex
 * (steepest edge, Harris' ratio test) can cycle on these degenerate LPs
 * (seen once in a random stress run). So the iterations
 * are capped, and each failure retries from a fresh basis: with the dual
 * simplex, then with textbook pricing and ratio test. */
#define RELAX_SLICE_MS 5
#define RELAX_SLICE_MAX_MS 80

static int solve_relaxation(ilp_run *r, ilp_model *m)
{
    static const struct {
        int meth, pricing, r_test;
    } tries[] = {
        {GLP_PRIMAL, GLP_PT_PSE, GLP_RT_HAR},
        {GLP_DUALP, GLP_PT_PSE, GLP_RT_HAR},
        {GLP_PRIMAL, GLP_PT_STD, GLP_RT_STD},
    };
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.presolve = GLP_OFF;
    /* Solved LPs here take under (rows + cols) iterations. */
    int it_lim = 4 * (glp_get_num_rows(m->lp) + glp_get_num_cols(m->lp)) + 500;
    /* GLPK's simplex has no callback: when a cancel or the race can stop
     * the solve, it runs in slices, each going on from the basis the last
     * one left, and the flag is read between them. A restart forgets the
     * pricing weights, so the slices grow (RELAX_SLICE_MS, doubling up to
     * RELAX_SLICE_MAX_MS): a stop is seen within a few ms early on, and a
     * long LP restarts only a few times. */
    bool stoppable = r->opt->cancel || r->opt->share;
    for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++) {
        if (k > 0) glp_std_basis(m->lp);
        sp.meth = tries[k].meth;
        sp.pricing = tries[k].pricing;
        sp.r_test = tries[k].r_test;
        int rc, used = 0, slice = RELAX_SLICE_MS;
        for (;;) {
            double left = remaining_s(r);
            bool sliced = stoppable && !(left * 1e3 < slice);
            sp.tm_lim = sliced ? slice : ms_limit(left);
            if (slice < RELAX_SLICE_MAX_MS) slice *= 2;
            sp.it_lim = it_lim - used;
            int it0 = glp_get_it_cnt(m->lp);
            rc = glp_simplex(m->lp, &sp);
            used += glp_get_it_cnt(m->lp) - it0;
            if (rc != GLP_ETMLIM || !sliced) break;
            if (ilp_cancelled(r) || used >= it_lim) return 2;
        }
        if (rc == GLP_ETMLIM) return 2;
        int st = glp_get_status(m->lp);
        if (rc == 0 && st == GLP_OPT) return 0;
        if (rc == 0 && st == GLP_NOFEAS && !isfinite(r->inc_lat)) return 1;
    }
    return -1;
}

/* The placement in GLPK's integer solution. */
static void mip_placement(const ilp_model *m, int *place)
{
    for (int l = 0; l < m->in->L; l++) {
        place[l] = 0;
        double top = -1;
        for (int d = 0; d < m->in->D; d++) {
            int x = m->xcol[xi(m, l, d)];
            double v = x ? glp_mip_col_val(m->lp, x) : -1;
            if (v > top) {
                top = v;
                place[l] = d;
            }
        }
    }
}

/* GLPK accepts rows violated within its tolerance (about 1e-7 relative), so
 * a placement can overfill a memory by a fraction of a byte per megabyte.
 * Lowers the limit of each overfilled device just below that placement's
 * use; returns whether any was. */
static bool memory_tighten(ilp_model *m, const int *place)
{
    const nn_instance *in = m->in;
    double used[NN_MAX_DEVICES] = {0}, peak[NN_MAX_DEVICES] = {0};
    for (int l = 0; l < in->L; l++) {
        used[place[l]] += instance_weight(in, place, l);
        peak[place[l]] = fmax(peak[place[l]], in->act[l]);
    }
    bool any = false;
    for (int d = 0; d < in->D; d++) {
        double need = used[d] + peak[d];
        if (need <= in->memory[d] || !m->mrow[d]) continue;
        double limit = fmin(glp_get_row_ub(m->lp, m->mrow[d]) * MEM_UNIT,
                            in->memory[d] - 2 * (need - in->memory[d]) - 1e-6 * in->memory[d]);
        glp_set_row_bnds(m->lp, m->mrow[d], GLP_UP, 0.0, limit / MEM_UNIT);
        any = true;
    }
    return any;
}

static void apply_tuning(glp_iocp *ip, const ilp_tuning *t)
{
    ip->br_tech = t->br_tech;
    ip->bt_tech = t->bt_tech;
    ip->pp_tech = t->pp_tech;
    ip->tol_int = t->tol_int;
    ip->gmi_cuts = t->gmi_cuts ? GLP_ON : GLP_OFF;
    ip->mir_cuts = t->mir_cuts ? GLP_ON : GLP_OFF;
    ip->cov_cuts = t->cov_cuts ? GLP_ON : GLP_OFF;
    ip->clq_cuts = t->clq_cuts ? GLP_ON : GLP_OFF;
    ip->fp_heur = t->fp_heur ? GLP_ON : GLP_OFF;
    ip->ps_heur = t->ps_heur ? GLP_ON : GLP_OFF;
}

/* GLPK's branch and cut as every solve here runs it: quiet, no presolve
 * (the model is built tight), an exact gap, the tuning, our callback, and
 * what is left of the time limit. */
static void iocp_init(glp_iocp *ip, const ilp_tuning *t, ilp_cb *cb, double remaining)
{
    glp_init_iocp(ip);
    ip->msg_lev = GLP_MSG_OFF;
    ip->presolve = GLP_OFF;
    ip->mip_gap = 0.0;
    apply_tuning(ip, t);
    ip->cb_func = ilp_callback;
    ip->cb_info = cb;
    ip->tm_lim = ms_limit(remaining);
}

/* ---- bounds from shortest paths ------------------------------------------ */

/* The shortest busy path over the model's (layer, device) pairs and
 * transfers, memory ignored: a lower bound that, when the incumbent meets
 * it, proves phase 2 without solving it. Seconds. */
static double busy_lower_bound(const ilp_model *m)
{
    const nn_instance *in = m->in;
    int L = in->L, D = in->D;
    double dist[NN_MAX_DEVICES], next[NN_MAX_DEVICES];
    for (int d = 0; d < D; d++)
        dist[d] = m->xcol[xi(m, 0, d)] ? instance_xfer(in, 0, in->source, d) + solve_comp(in, 0, d)
                                       : INFINITY;
    for (int l = 1; l < L; l++) {
        for (int e = 0; e < D; e++) {
            next[e] = INFINITY;
            for (int d = 0; d < D; d++)
                if (m->ycol[yi(m, l, d, e)])
                    next[e] = fmin(next[e], dist[d] + instance_xfer(in, l, d, e));
            next[e] += solve_comp(in, l, e);
        }
        memcpy(dist, next, sizeof dist);
    }
    double best = INFINITY;
    for (int d = 0; d < D; d++)
        best = fmin(best, dist[d] + instance_xfer(in, L, d, in->sink));
    return best;
}

/* Drops from `ok` every pair (l, d) through which any placement is slower
 * than `limit` (seconds): by the busy path through (l, d) alone, or in
 * preload mode by the load of l on d (after the layers pinned before it to
 * d) plus the shortest tail from l on d. The model then has no column for
 * it: smaller LPs, a tighter relaxation, and less to branch on. (Fixing
 * the columns at 0 instead trips GLPK's preprocessor, which then calls
 * some such problems infeasible.) The slack keeps rounding in these sums
 * from dropping a pair of a placement at the limit; `keep`'s pairs stay in
 * any case. Returns how many were dropped.
 *
 * Phase 2 always uses it (its answer is checked by the evaluator); phase 1
 * only with ilp_tuning.fix_slow (see ILP_TUNING_DEFAULT). */
#define DROP_SLACK 1e-6

/* Time of layer l on d along the chain, as the tails count it (ondemand:
 * compute and load), seconds. */
static double chain_time(const nn_instance *in, nn_mode mode, int l, int d)
{
    return solve_comp(in, l, d) + (mode == MODE_ONDEMAND ? solve_load(in, l, d) : 0);
}

static int slow_pairs_drop(const nn_instance *in, nn_mode mode, unsigned char *ok, double limit,
                           const int *keep)
{
    int L = in->L, D = in->D;
    size_t LD = (size_t)L * (size_t)D;
    double *head = malloc(LD * sizeof *head), *tail = malloc(LD * sizeof *tail);
    int dropped = 0;
    if (!head || !tail) goto done;
    /* head[l * D + d]: from the source to the end of l on d; tail: from the
     * start of l on d to the sink; both the shortest over the pairs in ok. */
    for (int l = 0; l < L; l++) {
        for (int e = 0; e < D; e++) {
            size_t le = (size_t)l * D + e;
            double h = INFINITY;
            if (ok[le] && l == 0) h = instance_xfer(in, 0, in->source, e);
            for (int d = 0; ok[le] && l > 0 && d < D; d++)
                if (ok[(size_t)(l - 1) * D + d])
                    h = fmin(h, head[(size_t)(l - 1) * D + d] + instance_xfer(in, l, d, e));
            head[le] = h + chain_time(in, mode, l, e);
        }
    }
    for (int l = L - 1; l >= 0; l--) {
        for (int d = 0; d < D; d++) {
            size_t ld = (size_t)l * D + d;
            double t = INFINITY;
            if (ok[ld] && l == L - 1) t = instance_xfer(in, L, d, in->sink);
            for (int e = 0; ok[ld] && l < L - 1 && e < D; e++)
                if (ok[(size_t)(l + 1) * D + e])
                    t = fmin(t, instance_xfer(in, l + 1, d, e) + tail[(size_t)(l + 1) * D + e]);
            tail[ld] = t + chain_time(in, mode, l, d);
        }
    }
    for (int d = 0; d < D; d++) {
        double pinned = 0; /* loads d must do before the layer in any case */
        for (int l = 0; l < L; l++) {
            size_t ld = (size_t)l * D + d;
            if (!ok[ld]) continue;
            double busy = head[ld] + tail[ld] - chain_time(in, mode, l, d);
            double wait = mode == MODE_PRELOAD ? pinned + solve_load(in, l, d) + tail[ld] : 0;
            if (!(fmax(busy, wait) <= limit) && keep[l] != d) {
                ok[ld] = 0;
                dropped++;
            }
            if (in->pin[l] == d) pinned += solve_load(in, l, d);
        }
    }
done:
    free(head);
    free(tail);
    return dropped;
}

/* ---- phase 2: the shortest busy path among latency-optimal placements ---- */

/* Latencies within TIE_REL (relative) of the optimum tie: phase 2 bounds T
 * by that much above it. GLPK's own tolerances could let a placement pass
 * the bound by more, so the evaluator checks the answer to ACCEPT_REL. */
#define TIE_REL 1e-10
#define ACCEPT_REL 1e-9

/* Phase 2's objective: the busy path, linear in x and y (equal to X0 + Q_0
 * in preload mode, and free of the load times ondemand tails carry). */
static void busy_objective(ilp_model *m)
{
    const nn_instance *in = m->in;
    int L = in->L, D = in->D;
    for (int j = 1; j <= m->ncols; j++)
        glp_set_obj_coef(m->lp, j, 0.0);
    for (int l = 0; l < L; l++) {
        for (int d = 0; d < D; d++) {
            int x = m->xcol[xi(m, l, d)];
            if (!x) continue;
            double c = solve_comp(in, l, d) / m->unit;
            if (l == 0) c += xfer_coef(m, 0, in->source, d);
            if (l == L - 1) c += xfer_coef(m, L, d, in->sink);
            glp_set_obj_coef(m->lp, x, c);
        }
    }
    for (int b = 1; b < L; b++)
        for (int d = 0; d < D; d++)
            for (int e = 0; e < D; e++) {
                int y = m->ycol[yi(m, b, d, e)];
                if (y) glp_set_obj_coef(m->lp, y, xfer_coef(m, b, d, e));
            }
}

static bool run_stopped(const ilp_run *r)
{
    return ilp_cancelled(r) || !(remaining_s(r) > 0);
}

/* `place` is phase 1's proven optimum, of latency `lat`, in model m1.
 * Replaces it by a placement of the same latency with the shortest busy
 * path found: first by local search, then by an ILP with T bounded by the
 * optimum and the busy path as objective (m1's formulation, minus the pairs
 * that cannot reach T*), within what remains of the time limit. Returns
 * whether the busy path is proven shortest. */
static bool tiebreak_search(ilp_run *r, const ilp_model *m1, const ilp_tuning *tuning, int *place,
                            double lat)
{
    const nn_instance *in = r->in;
    nn_mode mode = r->opt->mode;
    if (mode == MODE_RESIDENT) return true; /* the latency is the busy path */
    double tstar, tinc, ub;                 /* T* and the bound on T, model units */
    free(model_point(m1, place, &tstar));
    double busy = tuning->use_incumbent ? local_tiebreak(in, mode, place, lat * (1 + TIE_REL))
                                        : solve_busy_path(in, place);
    if (busy <= busy_lower_bound(m1) * (1 + 1e-12)) return true;
    if (run_stopped(r)) return false;
    /* A model of its own, without the pairs that cannot reach T*. */
    size_t LD = (size_t)in->L * (size_t)in->D;
    ilp_held *h = r->held; /* GLPK may fail in here: the caller frees them then */
    unsigned char *ok = h->ok = malloc(LD);
    int *cand = h->cand = malloc((size_t)in->L * sizeof *cand);
    double *point = NULL;
    ilp_model *m = &h->m2;
    bool proven = false;
    if (!ok || !cand) goto done;
    memcpy(ok, r->ok, LD);
    slow_pairs_drop(in, mode, ok, lat * (1 + DROP_SLACK), place);
    nn_stop stop = run_stop(r);
    if (model_build(m, in, mode, ok, m1->unit, false, &stop) != 0) goto done;
    glp_scale_prob(m->lp, GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N);
    /* `place`, polished, is within TIE_REL of T*. */
    point = h->point2 = model_point(m, place, &tinc);
    if (!point || !isfinite(tstar)) goto done;
    ub = fmax(tstar * (1 + TIE_REL), tinc);
    glp_set_col_bnds(m->lp, m->tcol, GLP_DB, 0.0, ub);
    busy_objective(m);
    bool no_pp = false;
    for (int attempt = 0; attempt < 3 && !run_stopped(r); attempt++) {
        if (solve_relaxation(r, m) != 0) break;
        ilp_cb cb = {.m = m,
                     .branch = tuning->branch,
                     .incumbent = tuning->use_incumbent ? point : NULL,
                     .cancel = r->opt->cancel,
                     .bound = -INFINITY};
        glp_iocp ip;
        iocp_init(&ip, tuning, &cb, remaining_s(r));
        if (no_pp) ip.pp_tech = GLP_PP_NONE;
        int rc = glp_intopt(m->lp, &ip), st = glp_mip_status(m->lp);
        if (rc == 0 && st == GLP_NOFEAS && !no_pp) {
            /* No integer solution although `place` is one: GLPK's
             * preprocessor cut it off numerically (seen with T at its
             * bound). Solve again without it. */
            no_pp = true;
            continue;
        }
        if (!(rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP) || (st != GLP_OPT && st != GLP_FEAS))
            break;
        mip_placement(m, cand);
        if (memory_tighten(m, cand)) {
            if (rc != 0) break;
            continue; /* overfilled within GLPK's tolerance: solve again */
        }
        if (!(eval_latency(in, cand, mode) <= lat * (1 + ACCEPT_REL))) {
            /* T passed its bound within GLPK's tolerance: drop the slack. */
            if (rc != 0 || ub <= tinc) break;
            ub = tinc;
            glp_set_col_bnds(m->lp, m->tcol, GLP_DB, 0.0, ub);
            continue;
        }
        double b2 = solve_busy_path(in, cand);
        if (b2 < busy) {
            busy = b2;
            memcpy(place, cand, (size_t)in->L * sizeof *place);
        }
        proven = rc == 0 && st == GLP_OPT;
        break;
    }
done:
    model_free(m);
    free(ok);
    free(point);
    free(cand);
    *m = (ilp_model){0};
    h->ok = NULL;
    h->point2 = NULL;
    h->cand = NULL;
    return proven;
}

/* Phase 2 (see tiebreak_search), then MODEL.md's canonical placement among
 * the ties (solve_canonical, which proves the busy path from phase 2's), the
 * same whatever engine proved the optimum. In the race only the engine that
 * proved first runs it. Returns CANON_* flags; *oom when out of memory. */
static int tiebreak(ilp_run *r, const ilp_model *m, const ilp_tuning *tuning, int *place, bool *oom)
{
    if (!share_claim(r->opt->share, ENGINE_ILP)) return 0; /* the labels proved first */
    const nn_instance *in = r->in;
    double lat = eval_latency(in, place, r->opt->mode);
    bool proven = tiebreak_search(r, m, tuning, place, lat);
    double left = remaining_s(r);
    int flags = solve_canonical(in, r->opt->mode, place, r->opt->cancel,
                                isfinite(left) ? now_s() + fmax(left, 0) : INFINITY, proven);
    if (flags < 0) *oom = true;
    return flags < 0 ? 0 : flags;
}

static int run_glpk(ilp_run *r, ilp_model *m, const ilp_tuning *tuning)
{
    const nn_instance *in = r->in;
    nn_solve_result *out = r->out;
    double lower = feasible_lower_bound(in, r->opt->mode);
    if (ilp_cancelled(r)) return finish_stopped(r, lower, "cancelled");
    /* GLPK's scaling cannot be interrupted, nor the simplex before its
     * first factorization: measured at 4 to 7 times the model's building
     * and 2 to 3 times (a second on the largest models). With less of the
     * limit left than that, stop now rather than run over. */
    if (remaining_s(r) < ILP_PREP_COST * r->build_s)
        return finish_stopped(r, lower, "time limit reached");

    /* Times span many orders of magnitude (microsecond layers beside
     * second-long transfers): geometric and equilibration scaling by powers
     * of two keeps the simplex stable without rounding the data. */
    glp_scale_prob(m->lp, GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N);
    /* GLPK may fail below: the caller frees them then (ilp_held). */
    double *point = NULL;
    if (isfinite(r->inc_lat) && tuning->use_incumbent) {
        point = r->held->point = model_point(m, r->inc, NULL);
        if (!point) return -1;
    }
    int *place = r->held->place = malloc((size_t)in->L * sizeof *place);
    if (!place) return -1;
    int ret = 0, rc = 0, st = GLP_UNDEF;
    if (remaining_s(r) < ILP_SIMPLEX_START_COST * r->build_s)
        return finish_stopped(r, lower, "time limit reached");
    for (int attempt = 0; attempt < 3; attempt++) {
        int lp = solve_relaxation(r, m);
        if (lp != 0) {
            if (lp == 1)
                solve_message_infeasible(out, in, true);
            else if (lp == 2 || isfinite(r->inc_lat))
                ret =
                    finish_stopped(r, lower, lp == 2 ? stop_reason(r) : "GLPK failed numerically");
            else
                snprintf(out->message, sizeof out->message,
                         "solver failure: the LP relaxation failed (GLPK status %d)",
                         glp_get_status(m->lp));
            if (lp == -1 && !isfinite(r->inc_lat)) out->status = SOLVE_ERROR;
            goto done;
        }
        if (attempt == 0) lower = fmax(lower, glp_get_obj_val(m->lp) * m->unit);
        ilp_cb cb = {.m = m,
                     .branch = tuning->branch,
                     .incumbent = point,
                     .cancel = r->opt->cancel,
                     .bound = -INFINITY,
                     .share = r->opt->share,
                     .scratch = place};
        glp_iocp ip;
        iocp_init(&ip, tuning, &cb, remaining_s(r));
        rc = glp_intopt(m->lp, &ip);
        st = glp_mip_status(m->lp);
        if (isfinite(cb.bound)) lower = fmax(lower, cb.bound * m->unit);
        bool stopped_ok = rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP;
        if (!stopped_ok || (st != GLP_OPT && st != GLP_FEAS)) break;
        mip_placement(m, place);
        if (!memory_tighten(m, place)) break;
        st = GLP_UNDEF; /* overfilled: solve again with the tighter limit */
        if (rc != 0) break;
    }
    /* Structure rules out pins and routes, and memory_tighten overfilling;
     * should the evaluator still reject the placement, trust it. */
    bool solved =
        (rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP) && (st == GLP_OPT || st == GLP_FEAS);
    if (solved && !isfinite(eval_latency(in, place, r->opt->mode))) {
        solved = false;
        rc = GLP_EFAIL;
    }
    if (solved) {
        bool optimal = rc == 0 && st == GLP_OPT;
        /* Stopped before GLPK took the incumbent: keep the better one. */
        if (!optimal && r->inc_lat < eval_latency(in, place, r->opt->mode))
            memcpy(place, r->inc, (size_t)in->L * sizeof *place);
        /* Phase 2 never changes the latency, so status and gap stay. */
        bool oom = false;
        double t2 = now_s();
        int canon = optimal && tuning->tiebreak ? tiebreak(r, m, tuning, place, &oom) : 0;
        t2 = now_s() - t2;
        if (oom) ret = -1;
        /* The objective at the rounded integer point, with the continuous
         * variables at their least values: GLPK's own value carries its
         * integrality tolerance (x = 0.9999999 times a large coefficient)
         * and, for a heuristic's incumbent, possibly slack tails. */
        double objective = INFINITY;
        free(model_point(m, place, &objective));
        objective *= m->unit;
        if (result_set(out, in, r->opt->mode, place, objective, optimal ? objective : lower) != 0) {
            ret = -1;
        } else if (optimal) {
            out->status = SOLVE_OPTIMAL;
            out->busy_minimal = canon & CANON_BUSY_MINIMAL;
            out->canonical = canon & CANON_EXACT;
            out->tiebreak_s = t2;
            out->bound = out->latency;
            out->gap = 0;
            char lat[32];
            format_time(out->latency, lat, sizeof lat);
            snprintf(out->message, sizeof out->message, "optimal: %s", lat);
        } else {
            out->status = SOLVE_FEASIBLE;
            message_feasible(out, stop_reason(r));
        }
    } else if (rc == 0 && st == GLP_NOFEAS && !isfinite(r->inc_lat)) {
        solve_message_infeasible(out, in, true);
    } else if (rc == GLP_ETMLIM || rc == GLP_ESTOP) {
        ret = finish_stopped(r, lower, stop_reason(r));
    } else if (isfinite(r->inc_lat)) {
        /* Contradicted by a known placement, or still overfilling. */
        ret = finish_stopped(r, lower, "GLPK failed numerically");
    } else {
        out->status = SOLVE_ERROR;
        snprintf(out->message, sizeof out->message,
                 "solver failure: branch-and-bound failed (GLPK code %d, status %d)", rc, st);
    }
done:
    return ret;
}

/* ---- objectives beyond latency (MODEL.md: energy, throughput) ------------
 *
 * The latency model above stays as it is (T >= the latency of the
 * placement, exactly at the least T), and gains:
 *   E, B        energy of all devices / of battery devices, in units of
 *               `eunit` joules: idle_power x T + (power - idle_power) x
 *               compute + load_power x loads (first uses of shared tensors
 *               included) + each route's energy, charged to its senders
 *   S           the period of a stream: >= each device's compute and each
 *               link direction's transmission (weights resident: the
 *               latency model is built in resident mode, T is then free)
 *   s_l_d       a run of layers starts at l on d (stages: contiguous):
 *               s_l_d >= x_l_d - x_{l-1}_d, sum over l of s_l_d <= 1
 * and minimises T, E, B or S under T <= latency_limit and E (B under
 * battery-energy) <= energy_limit. Every row that bounds E, B or S bounds
 * it from below, so the least value is the evaluator's. */

typedef struct goal_model {
    ilp_model m;
    nn_objective obj;
    double eunit;   /* joules per model energy unit */
    int ecol, bcol; /* 0: none */
    int scol;       /* the period, 0: none */
    int *rcol;      /* [L * D] run starts, stages: contiguous */
    int ncols;      /* all columns */
} goal_model;

/* Energy coefficient of (l, d) in E (battery: only battery devices' part),
 * joules: compute, own loads, and the input's and the output's routes. */
static double energy_xcoef(const nn_instance *in, nn_mode mode, int l, int d, bool battery)
{
    double e = 0;
    if (!battery || in->battery[d]) {
        e += (in->power[d] - in->idle_power[d]) * solve_comp(in, l, d);
        if (mode != MODE_RESIDENT) e += in->load_power[d] * solve_load(in, l, d);
    }
    const double *xe = battery ? in->xenergy_bat : in->xenergy;
    size_t D = (size_t)in->D;
    if (l == 0) e += xe[(size_t)in->source * D + (size_t)d];
    if (l == in->L - 1) e += xe[((size_t)in->L * D + (size_t)d) * D + (size_t)in->sink];
    return e;
}

/* Grows the row buffers after columns were added. */
static int model_widen(ilp_model *m)
{
    m->ncols = glp_get_num_cols(m->lp);
    size_t width = (size_t)m->ncols + 2;
    int *ind = realloc(m->ind, width * sizeof *ind), *pos;
    if (!ind) return -1;
    m->ind = ind;
    double *val = realloc(m->val, width * sizeof *val);
    if (!val) return -1;
    m->val = val;
    free(m->pos);
    m->pos = pos = calloc(width, sizeof *pos);
    return pos ? 0 : -1;
}

/* E (or B) = its terms: one equality row. */
static void energy_row(goal_model *g, int col, bool battery)
{
    ilp_model *m = &g->m;
    const nn_instance *in = m->in;
    int L = in->L, D = in->D;
    double idle = 0;
    for (int d = 0; d < D; d++)
        if (!battery || in->battery[d]) idle += in->idle_power[d];
    row_add(m, col, 1.0);
    row_add(m, m->tcol, -idle * m->unit / g->eunit);
    for (int l = 0; l < L; l++)
        for (int d = 0; d < D; d++)
            row_add(m, m->xcol[xi(m, l, d)], -energy_xcoef(in, m->mode, l, d, battery) / g->eunit);
    if (m->mode != MODE_RESIDENT)
        for (int u = 0; u < in->use_start[L]; u++)
            for (int d = 0; d < D; d++)
                if (!battery || in->battery[d])
                    row_add(m, m->ncol[(size_t)u * D + d],
                            -in->load_power[d] * use_load(m, u, d) * m->unit / g->eunit);
    const double *xe = battery ? in->xenergy_bat : in->xenergy;
    for (int b = 1; b < L; b++)
        for (int d = 0; d < D; d++)
            for (int e = 0; e < D; e++)
                row_add(m, m->ycol[yi(m, b, d, e)], -xe[yi(m, b, d, e)] / g->eunit);
    int i = row_end(m, GLP_FX, 0.0);
    set_name(m, glp_set_row_name, i, battery ? "battery_energy" : "energy");
}

/* Adds to `rows[h]` (the link direction h = u * D + v) the transmission
 * time of boundary b's route d -> e, times column `col`. */
typedef struct hop_terms {
    int n, cap;
    int *col;
    double *coef;
} hop_terms;

static int hop_push(hop_terms *t, int col, double coef)
{
    if (t->n == t->cap) {
        int n = t->cap ? 2 * t->cap : 16;
        int *c = realloc(t->col, (size_t)n * sizeof *c);
        if (!c) return -1;
        t->col = c;
        double *k = realloc(t->coef, (size_t)n * sizeof *k);
        if (!k) return -1;
        t->coef = k;
        t->cap = n;
    }
    t->col[t->n] = col;
    t->coef[t->n++] = coef;
    return 0;
}

static int route_terms(const ilp_model *m, hop_terms *rows, int b, int d, int e, int col)
{
    const nn_instance *in = m->in;
    int D = in->D;
    for (int u = d, hops = 0; u != e && hops < D; hops++) {
        int v = in->next[yi(m, b, u, e)];
        if (v < 0) break;
        double rate = in->hop_rate[(size_t)u * D + v];
        if (rate > 0 && hop_push(&rows[u * D + v], col, 8.0 * in->bytes[b] / rate / m->unit) != 0)
            return -1;
        u = v;
    }
    return 0;
}

/* S >= each device's compute and each link direction's transmission. */
static int period_rows(goal_model *g)
{
    ilp_model *m = &g->m;
    const nn_instance *in = m->in;
    int L = in->L, D = in->D, i;
    for (int d = 0; d < D; d++) {
        row_add(m, g->scol, 1.0);
        for (int l = 0; l < L; l++)
            row_add(m, m->xcol[xi(m, l, d)], -solve_comp(in, l, d) / m->unit);
        i = row_end(m, GLP_LO, 0.0);
        set_name(m, glp_set_row_name, i, "busy_%s", m->dname[d]);
    }
    hop_terms *rows = calloc((size_t)D * (size_t)D, sizeof *rows);
    if (!rows) return -1;
    int rc = 0;
    for (int e = 0; e < D && rc == 0; e++)
        if (m->xcol[xi(m, 0, e)]) rc = route_terms(m, rows, 0, in->source, e, m->xcol[xi(m, 0, e)]);
    for (int d = 0; d < D && rc == 0; d++)
        if (m->xcol[xi(m, L - 1, d)])
            rc = route_terms(m, rows, L, d, in->sink, m->xcol[xi(m, L - 1, d)]);
    for (int b = 1; b < L && rc == 0; b++)
        for (int d = 0; d < D && rc == 0; d++)
            for (int e = 0; e < D && rc == 0; e++)
                if (m->ycol[yi(m, b, d, e)])
                    rc = route_terms(m, rows, b, d, e, m->ycol[yi(m, b, d, e)]);
    for (int h = 0; h < D * D; h++) {
        if (rc == 0 && rows[h].n > 0) {
            row_add(m, g->scol, 1.0);
            for (int k = 0; k < rows[h].n; k++)
                row_add(m, rows[h].col[k], -rows[h].coef[k]);
            i = row_end(m, GLP_LO, 0.0);
            set_name(m, glp_set_row_name, i, "send_%s_%s", m->dname[h / D], m->dname[h % D]);
        }
        free(rows[h].col);
        free(rows[h].coef);
    }
    free(rows);
    return rc;
}

static void goal_free(goal_model *g)
{
    model_free(&g->m);
    free(g->rcol);
    memset(g, 0, sizeof *g);
}

static int goal_build(goal_model *g, const nn_instance *in, const nn_solve_options *opt,
                      const unsigned char *ok, double unit, double eunit)
{
    memset(g, 0, sizeof *g);
    g->obj = opt->objective;
    g->eunit = eunit;
    nn_mode mode = objective_mode(g->obj, opt->mode);
    ilp_model *m = &g->m;
    if (model_build(m, in, mode, ok, unit, opt->write_lp != NULL, NULL) != 0) return -1;
    int L = in->L, D = in->D, i;
    bool energy = g->obj == OBJ_ENERGY || g->obj == OBJ_BATTERY_ENERGY || opt->energy_limit > 0;
    if (g->obj == OBJ_THROUGHPUT) energy = false;
    if (energy) {
        g->ecol = add_col(m, GLP_CV, -1e30);
        glp_set_col_bnds(m->lp, g->ecol, GLP_FR, 0, 0);
        set_name(m, glp_set_col_name, g->ecol, "E");
        g->bcol = add_col(m, GLP_CV, -1e30);
        glp_set_col_bnds(m->lp, g->bcol, GLP_FR, 0, 0);
        set_name(m, glp_set_col_name, g->bcol, "B");
    }
    if (g->obj == OBJ_THROUGHPUT) {
        g->scol = add_col(m, GLP_CV, 0);
        set_name(m, glp_set_col_name, g->scol, "S");
    }
    if (in->stages == STAGES_CONTIGUOUS) {
        g->rcol = calloc((size_t)L * (size_t)D, sizeof *g->rcol);
        if (!g->rcol) return -1;
        for (int l = 0; l < L; l++)
            for (int d = 0; d < D; d++) {
                if (!m->xcol[xi(m, l, d)]) continue;
                int j = g->rcol[xi(m, l, d)] = add_col(m, GLP_CV, 0);
                glp_set_col_bnds(m->lp, j, GLP_DB, 0.0, 1.0);
                set_name(m, glp_set_col_name, j, "r_%s_%s", m->lname[l], m->dname[d]);
            }
    }
    if (model_widen(m) != 0) return -1;
    g->ncols = m->ncols;
    if (energy) {
        energy_row(g, g->ecol, false);
        energy_row(g, g->bcol, true);
    }
    if (g->obj == OBJ_THROUGHPUT && period_rows(g) != 0) return -1;
    if (g->rcol) {
        for (int d = 0; d < D; d++) {
            for (int l = 0; l < L; l++) {
                int r = g->rcol[xi(m, l, d)];
                if (!r) continue;
                row_add(m, r, 1.0);
                row_add(m, m->xcol[xi(m, l, d)], -1.0);
                if (l > 0) row_add(m, m->xcol[xi(m, l - 1, d)], 1.0);
                i = row_end(m, GLP_LO, 0.0);
                set_name(m, glp_set_row_name, i, "start_%s_%s", m->lname[l], m->dname[d]);
            }
            for (int l = 0; l < L; l++)
                row_add(m, g->rcol[xi(m, l, d)], 1.0);
            if (m->len == 0) continue;
            i = row_end(m, GLP_UP, 1.0);
            set_name(m, glp_set_row_name, i, "runs_%s", m->dname[d]);
        }
    }
    /* Limits and the objective. */
    if (g->obj != OBJ_THROUGHPUT && opt->latency_limit > 0)
        glp_set_col_bnds(m->lp, m->tcol, GLP_DB, 0.0, opt->latency_limit / unit);
    if (energy && opt->energy_limit > 0) {
        int c = g->obj == OBJ_BATTERY_ENERGY || opt->battery_limit ? g->bcol : g->ecol;
        glp_set_col_bnds(m->lp, c, GLP_UP, 0.0, opt->energy_limit / eunit);
    }
    int objcol = g->obj == OBJ_ENERGY           ? g->ecol
                 : g->obj == OBJ_BATTERY_ENERGY ? g->bcol
                 : g->obj == OBJ_THROUGHPUT     ? g->scol
                                                : m->tcol;
    glp_set_obj_coef(m->lp, m->tcol, 0.0);
    glp_set_obj_coef(m->lp, objcol, 1.0);
    if (opt->write_lp) glp_set_obj_name(m->lp, objective_name(g->obj));
    return 0;
}

/* Column values of a placement for the goal model (see model_point);
 * NULL when it uses an excluded pair. */
static double *goal_point(const goal_model *g, const int *place)
{
    const ilp_model *m = &g->m;
    const nn_instance *in = m->in;
    double *base = model_point(m, place, NULL);
    if (!base) return NULL;
    double *v = realloc(base, ((size_t)g->ncols + 1) * sizeof *v);
    if (!v) {
        free(base);
        return NULL;
    }
    for (int j = m->ncols + 1; j <= g->ncols; j++)
        v[j] = 0;
    /* model_point filled the latency model's columns (m->ncols was widened
     * after them, so they are the first ones). */
    if (g->ecol) {
        double bat, e = eval_energy(in, place, m->mode, &bat, NULL);
        v[g->ecol] = e / g->eunit;
        v[g->bcol] = bat / g->eunit;
    }
    if (g->scol) v[g->scol] = eval_period(in, place) / m->unit;
    if (g->rcol)
        for (int l = 0; l < in->L; l++) {
            int r = g->rcol[xi(m, l, place[l])];
            if (r) v[r] = l == 0 || place[l - 1] != place[l];
        }
    return v;
}

static void goal_message(nn_solve_result *out, nn_objective obj, bool optimal, const char *why)
{
    char v[32];
    units_format(out->value, objective_unit(obj), v, sizeof v);
    const char *what = obj == OBJ_THROUGHPUT ? " per input" : "";
    if (optimal)
        snprintf(out->message, sizeof out->message, "optimal: %s%s", v, what);
    else
        snprintf(out->message, sizeof out->message, "feasible: %s%s, within %.3g%% of optimal (%s)",
                 v, what, 100.0 * out->gap, why);
}

/* Fills the result with the evaluator's values of `place`. */
static int goal_result(nn_solve_result *out, const nn_instance *in, const nn_solve_options *opt,
                       const int *place, double objective, double bound)
{
    nn_mode mode = objective_mode(opt->objective, opt->mode);
    free(out->place);
    out->place = malloc((size_t)in->L * sizeof *out->place);
    if (!out->place) return -1;
    memcpy(out->place, place, (size_t)in->L * sizeof *place);
    out->energy = eval_energy(in, place, mode, &out->energy_battery, NULL);
    out->busy_path = solve_busy_path(in, place);
    out->value = eval_objective_limited(in, place, opt->mode, opt->objective, opt->latency_limit,
                                        opt->energy_limit, opt->battery_limit);
    out->latency = eval_latency(in, place, mode); /* a stream's: one input alone */
    out->period = out->stream_latency = INFINITY;
    if (opt->objective == OBJ_THROUGHPUT) {
        nn_stream st;
        if (eval_stream(in, place, 1, &st) != 0) return -1;
        out->period = st.period;
        out->stream_latency = st.latency;
        eval_stream_free(&st);
    }
    out->objective = objective;
    out->bound = fmin(bound, out->value);
    out->gap = out->value > 0 ? (out->value - out->bound) / out->value : 0;
    if (out->gap < 0) out->gap = 0;
    return 0;
}

/* The best of the DP's latency placement, the warm start and every device
 * alone, by the goal (limits included); INFINITY when none meets them. */
static double goal_incumbent(const nn_instance *in, const nn_solve_options *opt, int *place)
{
    int L = in->L;
    int *cand = malloc((size_t)L * sizeof *cand);
    if (!cand) return INFINITY;
    double best = INFINITY;
    nn_stop stop = solve_stop_from(opt, ENGINE_ILP);
    for (int k = -2; k < in->D; k++) {
        if (k == -2) {
            if (!isfinite(solve_dp_contiguous_until(in, opt->mode, cand, &stop, NULL))) continue;
        } else if (k == -1) {
            if (!opt->warm_start) continue;
            memcpy(cand, opt->warm_start, (size_t)L * sizeof *cand);
        } else {
            for (int l = 0; l < L; l++)
                cand[l] = k;
        }
        double v = eval_objective_limited(in, cand, opt->mode, opt->objective, opt->latency_limit,
                                          opt->energy_limit, opt->battery_limit);
        if (v < best) {
            best = v;
            memcpy(place, cand, (size_t)L * sizeof *cand);
        }
    }
    free(cand);
    return best;
}

/* GLPK accepts rows within its tolerance (about 1e-7 relative), so a
 * placement can pass a limit by a hair. Lowers the bound of each limit the
 * evaluator says the placement breaks below it by more than that
 * tolerance (LIMIT_MARGIN), and solves again; returns whether any was. A
 * placement within that margin below a limit may so be passed over. */
#define LIMIT_MARGIN 2e-7
static bool limits_tighten(goal_model *g, const nn_solve_options *opt, const int *place)
{
    ilp_model *m = &g->m;
    const nn_instance *in = m->in;
    bool any = false;
    if (g->obj != OBJ_THROUGHPUT && opt->latency_limit > 0) {
        double t = eval_latency(in, place, m->mode);
        if (t > opt->latency_limit) {
            double cur = fmin(glp_get_col_ub(m->lp, m->tcol) * m->unit, opt->latency_limit);
            double ub = cur - fmax(2 * (t - cur), LIMIT_MARGIN * opt->latency_limit);
            glp_set_col_bnds(m->lp, m->tcol, GLP_DB, 0.0, ub / m->unit);
            any = true;
        }
    }
    if (g->ecol && opt->energy_limit > 0) {
        double bat, e = eval_energy(in, place, m->mode, &bat, NULL);
        bool on_battery = g->obj == OBJ_BATTERY_ENERGY || opt->battery_limit;
        if (on_battery) e = bat;
        int c = on_battery ? g->bcol : g->ecol;
        if (e > opt->energy_limit) {
            double cur = fmin(glp_get_col_ub(m->lp, c) * g->eunit, opt->energy_limit);
            double ub = cur - fmax(2 * (e - cur), LIMIT_MARGIN * opt->energy_limit);
            glp_set_col_bnds(m->lp, c, GLP_UP, 0.0, ub / g->eunit);
            any = true;
        }
    }
    return any;
}

static void lp_write(glp_prob *lp, const char *path, bool force, char *why, size_t size);

/* One goal solve's allocations, held by solve_ilp_tuned's frame so that a
 * GLPK failure (a jump out of the guarded body) still frees them. */
typedef struct goal_call {
    const nn_instance *in;
    const nn_solve_options *opt;
    const ilp_tuning *tuning;
    nn_solve_result *out;
    int *place, *inc, *cand;
    unsigned char *ok, *ok3;
    double *point, *point2, *tail;
    goal_model g, g2; /* phase 1; phases 2 and 3 */
} goal_call;

static void goal_call_free(goal_call *c, bool glpk_failed)
{
    if (glpk_failed) c->g.m.lp = c->g2.m.lp = NULL; /* freed with GLPK's environment */
    goal_free(&c->g);
    goal_free(&c->g2);
    free(c->point);
    free(c->point2);
    free(c->tail);
    free(c->place);
    free(c->cand);
    free(c->ok);
    free(c->ok3);
    free(c->inc);
    c->point = c->point2 = c->tail = NULL;
    c->place = c->inc = c->cand = NULL;
    c->ok = c->ok3 = NULL;
}

/* ---- ties among a goal's optima (MODEL.md, "Ties beyond latency") --------
 *
 * Phase 2 bounds the goal by its optimum O* (O <= O* (1 + TIE_REL)) and
 * minimises the second key: under the latency objective the busy path (as
 * the latency objective's own phase 2), otherwise the latency T (in the
 * mode for energy; for a stream the latency of one input alone, weights
 * resident: the resident model's T). Phase 3 then takes, layer by layer,
 * the first device in the canonical order (the device of the layer before,
 * then by index) for which a placement within both bounds remains. Each
 * such question is an ILP with that prefix fixed, unless the placement at
 * hand with the one layer moved answers it, or a bound rules it out. */

/* Second keys within this (relative) of the least tie (as the latency
 * objective's busy path does). */
#define SECOND_REL 1e-12

/* The second key of a placement, seconds (the evaluator's). */
static double goal_second(const nn_instance *in, const nn_solve_options *opt, const int *place)
{
    bool energy = opt->objective == OBJ_ENERGY || opt->objective == OBJ_BATTERY_ENERGY;
    return eval_latency(in, place, energy ? opt->mode : MODE_RESIDENT);
}

/* The evaluator's goal value of `place` (limits and stages included). */
static double goal_value(const nn_instance *in, const nn_solve_options *opt, const int *place)
{
    return eval_objective_limited(in, place, opt->mode, opt->objective, opt->latency_limit,
                                  opt->energy_limit, opt->battery_limit);
}

static bool goal_tied(const nn_instance *in, const nn_solve_options *opt, const int *place,
                      double ub1, double ub2)
{
    double v = goal_value(in, opt, place);
    return isfinite(v) && v <= ub1 && goal_second(in, opt, place) <= ub2;
}

static bool goal_is_energy(const goal_model *g)
{
    return g->obj == OBJ_ENERGY || g->obj == OBJ_BATTERY_ENERGY;
}

/* The goal's column and its unit (joules or seconds per model unit). */
static int goal_col(const goal_model *g)
{
    return g->obj == OBJ_ENERGY           ? g->ecol
           : g->obj == OBJ_BATTERY_ENERGY ? g->bcol
           : g->obj == OBJ_THROUGHPUT     ? g->scol
                                          : g->m.tcol;
}

static double goal_unit(const goal_model *g)
{
    return goal_is_energy(g) ? g->eunit : g->m.unit;
}

/* Lowers a column's upper bound to `ub` (model units), keeping its lower. */
static void col_upper(glp_prob *lp, int j, double ub)
{
    int type = glp_get_col_type(lp, j);
    bool lower = type == GLP_LO || type == GLP_DB || type == GLP_FX;
    if (type == GLP_UP || type == GLP_DB || type == GLP_FX) ub = fmin(ub, glp_get_col_ub(lp, j));
    double lb = lower ? glp_get_col_lb(lp, j) : 0;
    if (lower && ub < lb) ub = lb; /* GLPK refuses lb > ub; the evaluator rejects what passes */
    glp_set_col_bnds(lp, j, lower ? (ub > lb ? GLP_DB : GLP_FX) : GLP_UP, lb, ub);
}

/* Only the second key as the objective. */
static void second_objective(goal_model *g)
{
    ilp_model *m = &g->m;
    if (g->obj == OBJ_LATENCY && m->mode != MODE_RESIDENT) {
        busy_objective(m);
        return;
    }
    for (int j = 1; j <= m->ncols; j++)
        glp_set_obj_coef(m->lp, j, 0.0);
    glp_set_obj_coef(m->lp, m->tcol, 1.0);
}

/* The row: second key <= ub (seconds); the objective is left empty. */
static int second_row(goal_model *g, double ub)
{
    ilp_model *m = &g->m;
    second_objective(g);
    for (int j = 1; j <= m->ncols; j++) {
        row_add(m, j, glp_get_obj_coef(m->lp, j));
        glp_set_obj_coef(m->lp, j, 0.0);
    }
    int i = row_end(m, GLP_UP, ub / m->unit);
    set_name(m, glp_set_row_name, i, "tie_second");
    return i;
}

/* The evaluator says `cand` passes a tie bound that GLPK took within its
 * tolerance: lower that bound (as limits_tighten does) and say so. */
static bool ties_tighten(goal_model *g, const nn_solve_options *opt, const int *cand, double ub1,
                         int row2, double ub2)
{
    ilp_model *m = &g->m;
    const nn_instance *in = m->in;
    bool any = false;
    double v = goal_value(in, opt, cand);
    if (isfinite(v) && v > ub1) {
        int j = goal_col(g);
        double cur = fmin(glp_get_col_ub(m->lp, j) * goal_unit(g), ub1);
        col_upper(m->lp, j, (cur - fmax(2 * (v - cur), LIMIT_MARGIN * fabs(ub1))) / goal_unit(g));
        any = true;
    }
    double s = goal_second(in, opt, cand);
    if (row2 && isfinite(s) && s > ub2) {
        double cur = fmin(glp_get_row_ub(m->lp, row2) * m->unit, ub2);
        double ub = cur - fmax(2 * (s - cur), LIMIT_MARGIN * fabs(ub2));
        glp_set_row_bnds(m->lp, row2, GLP_UP, 0.0, ub / m->unit);
        any = true;
    }
    return any;
}

/* Branch-and-bound on a tie model; returns glp_intopt's code, *st its
 * status. Without the preprocessor when `no_pp` (see tiebreak_search). */
static int tie_intopt(ilp_run *r, goal_model *g, const double *incumbent, bool no_pp, int *st)
{
    const ilp_tuning *tuning = &ILP_TUNING_DEFAULT;
    ilp_cb cb = {.m = &g->m,
                 .branch = tuning->branch,
                 .incumbent = incumbent,
                 .cancel = r->opt->cancel,
                 .bound = -INFINITY};
    glp_iocp ip;
    iocp_init(&ip, tuning, &cb, remaining_s(r));
    if (no_pp) ip.pp_tech = GLP_PP_NONE;
    int rc = glp_intopt(g->m.lp, &ip);
    *st = glp_mip_status(g->m.lp);
    return rc;
}

/* Phase 2: replaces `place` (the goal's proven optimum, of value `value`)
 * by the least second key within TIE_REL of it. Returns whether that is
 * proven. The model (c->g2) is freed by the caller. */
static bool goal_second_search(goal_call *c, ilp_run *r, int *place, double ub1)
{
    const nn_instance *in = c->in;
    const nn_solve_options *opt = c->opt;
    double best = goal_second(in, opt, place);
    if (best <= busy_lower_bound(&c->g.m) * (1 + SECOND_REL)) return true;
    if (run_stopped(r)) return false;
    goal_model *g = &c->g2;
    nn_solve_options quiet = *opt; /* unnamed: only phase 1's model is written */
    quiet.write_lp = NULL;
    if (goal_build(g, in, &quiet, c->ok, c->g.m.unit, c->g.eunit) != 0) return false;
    col_upper(g->m.lp, goal_col(g), ub1 / goal_unit(g));
    second_objective(g);
    glp_scale_prob(g->m.lp, GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N);
    free(c->point2);
    c->point2 = goal_point(g, place);
    bool proven = false, no_pp = false;
    for (int attempt = 0; attempt < 6 && !run_stopped(r); attempt++) {
        if (solve_relaxation(r, &g->m) != 0) break;
        int st, rc = tie_intopt(r, g, c->point2, no_pp, &st);
        if (rc == 0 && st == GLP_NOFEAS && !no_pp) {
            no_pp = true; /* `place` is a solution: the preprocessor lost it */
            continue;
        }
        if (!(rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP) || (st != GLP_OPT && st != GLP_FEAS))
            break;
        mip_placement(&g->m, c->cand);
        bool tight = memory_tighten(&g->m, c->cand);
        tight = limits_tighten(g, opt, c->cand) || tight;
        tight = ties_tighten(g, opt, c->cand, ub1, 0, INFINITY) || tight;
        if (tight) {
            if (rc != 0) break;
            continue;
        }
        if (!goal_tied(in, opt, c->cand, ub1, INFINITY)) break;
        double s = goal_second(in, opt, c->cand);
        if (s < best) {
            best = s;
            memcpy(place, c->cand, (size_t)in->L * sizeof *place);
        }
        proven = rc == 0 && st == GLP_OPT;
        break;
    }
    goal_free(g);
    return proven;
}

/* The shortest resident time from the start of layer l on d to the sink,
 * over the pairs in ok: a lower bound on any second key's rest. */
static void second_tails(const nn_instance *in, const unsigned char *ok, double *tail)
{
    int L = in->L, D = in->D;
    for (int l = L - 1; l >= 0; l--)
        for (int d = 0; d < D; d++) {
            size_t ld = (size_t)l * D + d;
            double t = INFINITY;
            if (ok[ld] && l == L - 1) t = instance_xfer(in, L, d, in->sink);
            for (int e = 0; ok[ld] && l < L - 1 && e < D; e++)
                if (ok[(size_t)(l + 1) * D + e])
                    t = fmin(t, instance_xfer(in, l + 1, d, e) + tail[(size_t)(l + 1) * D + e]);
            tail[ld] = t + solve_comp(in, l, d);
        }
}

/* One question of phase 3: is there a tie (within ub1 and ub2) with the
 * layers before l where `place` has them and l on e? 1: yes, in c->cand;
 * 0: no; -1: not known (stopped, or GLPK kept passing a bound). */
static int canon_ask(goal_call *c, ilp_run *r, const int *place, int l, int e, double ub1,
                     double ub2)
{
    const nn_instance *in = c->in;
    const nn_solve_options *opt = c->opt;
    int D = in->D;
    memcpy(c->ok3, c->ok, (size_t)in->L * (size_t)D);
    for (int j = 0; j <= l; j++)
        for (int d = 0; d < D; d++)
            c->ok3[(size_t)j * D + d] = d == (j < l ? place[j] : e);
    goal_model *g = &c->g2;
    nn_solve_options quiet = *opt;
    quiet.write_lp = NULL;
    if (goal_build(g, in, &quiet, c->ok3, c->g.m.unit, c->g.eunit) != 0) return -1;
    col_upper(g->m.lp, goal_col(g), ub1 / goal_unit(g));
    int row2 = second_row(g, ub2);
    glp_scale_prob(g->m.lp, GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N);
    /* Infeasible LPs are answers here: no incumbent, so solve_relaxation says so. */
    ilp_run q = *r;
    q.inc_lat = INFINITY;
    int ret = -1;
    for (int attempt = 0; attempt < 6 && !run_stopped(r); attempt++) {
        int lp = solve_relaxation(&q, &g->m);
        if (lp != 0) {
            ret = lp == 1 ? 0 : -1;
            break;
        }
        int st, rc = tie_intopt(r, g, NULL, true, &st);
        if (rc == 0 && st == GLP_NOFEAS) {
            ret = 0;
            break;
        }
        if (!(rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP) || (st != GLP_OPT && st != GLP_FEAS))
            break;
        mip_placement(&g->m, c->cand);
        bool tight = memory_tighten(&g->m, c->cand);
        tight = limits_tighten(g, opt, c->cand) || tight;
        tight = ties_tighten(g, opt, c->cand, ub1, row2, ub2) || tight;
        if (!tight && goal_tied(in, opt, c->cand, ub1, ub2)) {
            ret = 1;
            break;
        }
        if (!tight || rc != 0) break;
    }
    goal_free(g);
    return ret;
}

/* Device k of the canonical order after device `prev` (-1: none). */
static int canon_device(int prev, int k)
{
    return prev < 0 ? k : k == 0 ? prev : k <= prev ? k - 1 : k;
}

/* Phase 3: the canonical placement among the ties; `place` is one. Returns
 * false when it was stopped (place is then still a tie). */
static bool goal_canonical(goal_call *c, ilp_run *r, int *place, double ub1, double ub2)
{
    const nn_instance *in = c->in;
    const nn_solve_options *opt = c->opt;
    int L = in->L, D = in->D;
    second_tails(in, c->ok, c->tail);
    double head = 0; /* resident time of place[0..l-1], from the source */
    for (int l = 0; l < L; l++) {
        int prev = l > 0 ? place[l - 1] : -1;
        for (int k = 0; k < D; k++) {
            int e = canon_device(prev, k);
            if (e == place[l]) break; /* place shows that it has a tie */
            size_t le = (size_t)l * D + e;
            if (!c->ok[le]) continue;
            double into =
                l > 0 ? instance_xfer(in, l, prev, e) : instance_xfer(in, 0, in->source, e);
            if (!(head + into + c->tail[le] <= ub2 * (1 + 1e-9))) continue; /* slack: rounding */
            memcpy(c->cand, place, (size_t)L * sizeof *place);
            c->cand[l] = e;
            int a =
                goal_tied(in, opt, c->cand, ub1, ub2) ? 1 : canon_ask(c, r, place, l, e, ub1, ub2);
            if (a < 0) return false;
            if (a == 1) {
                memcpy(place, c->cand, (size_t)L * sizeof *place);
                break;
            }
        }
        head += (l > 0 ? instance_xfer(in, l, place[l - 1], place[l])
                       : instance_xfer(in, 0, in->source, place[0])) +
                solve_comp(in, l, place[l]);
    }
    return true;
}

/* Phases 2 and 3 on the goal's proven optimum `place` of value `value`:
 * *second, whether the second key is proven least; *canonical, whether the
 * placement is the canonical one of MODEL.md's order. */
static void goal_tiebreak(goal_call *c, ilp_run *r, int *place, double value, bool *second,
                          bool *canonical)
{
    size_t L = (size_t)c->in->L, LD = L * (size_t)c->in->D;
    *second = *canonical = false;
    if (!c->cand) c->cand = malloc(L * sizeof *c->cand);
    if (!c->ok3) c->ok3 = malloc(LD);
    if (!c->tail) c->tail = malloc(LD * sizeof *c->tail);
    if (!c->cand || !c->ok3 || !c->tail) return;
    double ub1 = value * (1 + TIE_REL);
    if (!(*second = goal_second_search(c, r, place, ub1))) return;
    double ub2 = goal_second(c->in, c->opt, place) * (1 + SECOND_REL);
    *canonical = goal_canonical(c, r, place, ub1, ub2);
}

static int solve_goal(goal_call *c)
{
    const nn_instance *in = c->in;
    const nn_solve_options *opt = c->opt;
    const ilp_tuning *tuning = c->tuning;
    nn_solve_result *out = c->out;
    ilp_run r = {.in = in, .opt = opt, .out = out, .t0 = now_s(), .inc_lat = INFINITY};
    size_t LD = (size_t)in->L * (size_t)in->D;
    int *place = c->place = malloc((size_t)in->L * sizeof *place);
    unsigned char *ok = c->ok = calloc(LD, 1);
    r.inc = c->inc = malloc((size_t)in->L * sizeof *r.inc);
    goal_model *gm = &c->g;
    int ret = -1;
    if (!place || !ok || !r.inc) goto done;
    double inc = goal_incumbent(in, opt, r.inc);
    bool possible = feasible_mask(in, ok);
    if (!possible)
        for (int l = 0; l < in->L; l++)
            for (int d = 0; d < in->D; d++)
                ok[(size_t)l * in->D + d] = solve_layer_fits(in, l, d);
    r.ok = ok;
    /* Units from a reference placement's latency and energy. */
    double ref_t = feasible_lower_bound(in, opt->mode), ref_e = 1;
    if (isfinite(inc)) {
        ref_t = eval_latency(in, r.inc, opt->mode);
        ref_e = eval_energy(in, r.inc, opt->mode, NULL, NULL);
    }
    if (goal_build(gm, in, opt, ok, pick_unit(ref_t), pick_unit(ref_e)) != 0) goto done;
    ilp_model *m = &gm->m;
    out->rows = glp_get_num_rows(m->lp);
    out->cols = glp_get_num_cols(m->lp);
    ret = 0;
    /* A failed LP write is reported beside the result, which is still solved. */
    if (opt->write_lp)
        lp_write(m->lp, opt->write_lp, opt->write_lp_force, out->lp_error, sizeof out->lp_error);
    if (!possible) {
        solve_message_infeasible(out, in, false);
        goto done;
    }
    glp_scale_prob(m->lp, GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N);
    if (isfinite(inc) && tuning->use_incumbent) c->point = goal_point(gm, r.inc);
    r.inc_lat = inc; /* the goal's value, for finish_stopped's test */
    int rc = 0, st = GLP_UNDEF;
    double lower = 0;
    for (int attempt = 0; attempt < 6; attempt++) {
        int lp = solve_relaxation(&r, m);
        if (lp != 0) {
            st = lp == 1 ? GLP_NOFEAS : GLP_UNDEF;
            rc = lp == 1 ? 0 : lp == 2 ? GLP_ETMLIM : GLP_EFAIL;
            break;
        }
        ilp_cb cb = {.m = m,
                     .branch = tuning->branch,
                     .incumbent = c->point,
                     .cancel = opt->cancel,
                     .share = opt->share, /* the race may stop it (no exchange: no scratch) */
                     .bound = -INFINITY};
        glp_iocp ip;
        iocp_init(&ip, tuning, &cb, remaining_s(&r));
        rc = glp_intopt(m->lp, &ip);
        st = glp_mip_status(m->lp);
        if (isfinite(cb.bound)) lower = fmax(lower, cb.bound);
        if (!(rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP) || (st != GLP_OPT && st != GLP_FEAS))
            break;
        mip_placement(m, place);
        bool tightened = memory_tighten(m, place);
        tightened = limits_tighten(gm, opt, place) || tightened;
        if (!tightened) break;
        st = GLP_UNDEF;
        if (rc != 0) break;
    }
    bool solved = (st == GLP_OPT || st == GLP_FEAS);
    double value =
        solved ? eval_objective_limited(in, place, opt->mode, opt->objective, opt->latency_limit,
                                        opt->energy_limit, opt->battery_limit)
               : INFINITY;
    if (solved && !isfinite(value)) solved = false; /* the evaluator is the truth */
    double scale =
        opt->objective == OBJ_ENERGY || opt->objective == OBJ_BATTERY_ENERGY ? gm->eunit : m->unit;
    if (solved) {
        bool optimal = rc == 0 && st == GLP_OPT;
        if (!optimal && inc < value) memcpy(place, r.inc, (size_t)in->L * sizeof *place);
        double objective = glp_mip_obj_val(m->lp) * scale;
        /* The ties' order does not change the value, so status and gap stay. */
        bool second_min = false, canonical = false;
        double t2 = now_s();
        if (optimal && tuning->tiebreak && opt->objective == OBJ_THROUGHPUT) {
            /* The throughput engine's exact order of ties (MODEL.md, Ties
             * beyond latency), as it ends; in a race only the engine that
             * proved first. */
            if (share_claim(opt->share, ENGINE_ILP)) {
                double left = remaining_s(&r);
                int flags = throughput_ties(in, opt, place,
                                            isfinite(left) ? now_s() + fmax(left, 0) : INFINITY);
                if (flags < 0) {
                    ret = -1;
                    goto done;
                }
                second_min = flags & CANON_BUSY_MINIMAL;
                canonical = flags & CANON_EXACT;
            }
        } else if (optimal && tuning->tiebreak && labels_handles(in, opt)) {
            /* The label engine's pass, as the labels end (MODEL.md, Ties
             * beyond latency); in a race only the engine that proved first. */
            if (share_claim(opt->share, ENGINE_ILP)) {
                double left = remaining_s(&r);
                int flags = solve_canonical_goal(
                    in, opt, place, isfinite(left) ? now_s() + fmax(left, 0) : INFINITY);
                if (flags < 0) {
                    ret = -1;
                    goto done;
                }
                second_min = flags & CANON_BUSY_MINIMAL;
                canonical = flags & CANON_EXACT;
            }
        } else if (optimal && tuning->tiebreak) {
            goal_tiebreak(c, &r, place, value, &second_min, &canonical);
        }
        t2 = now_s() - t2;
        if (goal_result(out, in, opt, place, objective, optimal ? INFINITY : lower * scale) != 0) {
            ret = -1;
            goto done;
        }
        if (optimal) {
            out->busy_minimal = second_min;
            out->canonical = canonical;
            out->tiebreak_s = t2;
            out->status = SOLVE_OPTIMAL;
            out->bound = out->value;
            out->gap = 0;
        } else {
            out->status = SOLVE_FEASIBLE;
        }
        goal_message(out, opt->objective, optimal, stop_reason(&r));
    } else if (rc == 0 && st == GLP_NOFEAS && !isfinite(inc)) {
        solve_message_infeasible(out, in, true);
        if (opt->latency_limit > 0 || opt->energy_limit > 0 || in->stages == STAGES_CONTIGUOUS)
            snprintf(out->message, sizeof out->message,
                     "infeasible: no placement meets memory, pins, routes%s%s%s",
                     opt->latency_limit > 0 ? ", the latency limit" : "",
                     opt->energy_limit > 0 ? ", the energy limit" : "",
                     in->stages == STAGES_CONTIGUOUS ? ", contiguous stages" : "");
    } else if (isfinite(inc)) {
        if (goal_result(out, in, opt, r.inc, inc, 0) != 0) {
            ret = -1;
            goto done;
        }
        out->status = SOLVE_FEASIBLE;
        goal_message(out, opt->objective, false,
                     rc == GLP_ETMLIM || rc == GLP_ESTOP ? stop_reason(&r) : "GLPK failed");
    } else if (rc == GLP_ETMLIM || rc == GLP_ESTOP) {
        out->status = SOLVE_NO_RESULT;
        snprintf(out->message, sizeof out->message, "no placement found (%s)", stop_reason(&r));
    } else {
        out->status = SOLVE_ERROR;
        snprintf(out->message, sizeof out->message,
                 "solver failure: branch-and-bound failed (GLPK code %d, status %d)", rc, st);
    }
done:
    out->solve_time_s = now_s() - r.t0;
    return ret;
}

static int goal_guarded(void *arg)
{
    return solve_goal(arg);
}

void solve_options_from_instance(nn_solve_options *opt, const nn_instance *in)
{
    opt->objective = in->objective;
    opt->latency_limit = in->latency_limit;
    opt->energy_limit = in->energy_limit;
}

const ilp_tuning ILP_TUNING_DEFAULT = {
    .br_tech = GLP_BR_DTH,
    .bt_tech = GLP_BT_BLB,
    .pp_tech = GLP_PP_ALL,
    /* GLPK's default 1e-5 takes a vertex such as x = 0.99999 as integral;
     * rounded, it overfills a memory by hundreds of bytes. 1e-9 makes GLPK
     * prune wrongly on some instances (seen in the random stress runs). */
    .tol_int = 1e-7,
    .use_incumbent = true,
    /* 3-7x faster on the zoo, but GLPK's branch-and-bound then went wrong
     * on a few of 10^5 random instances (0.6% above the optimum called
     * optimal; infeasible called with PP_NONE): opt-in until understood. */
    .fix_slow = false,
    .tiebreak = true,
};

/* GLPK writes to a named file and does not report a failure to flush it, so
 * it writes a temporary file and fileio_write delivers that, every write
 * checked (atomically onto a regular file; in place onto /dev/stdout).
 * Without `force` the file is only created, at this moment: one that
 * appeared while solving is not replaced. */
static void lp_write(glp_prob *lp, const char *path, bool force, char *why, size_t size)
{
    const char *dir = getenv("TMPDIR");
    char tmp[4096];
    /* GLPK compresses names ending in .gz: keep the suffix. */
    size_t n = strlen(path);
    bool gz = n > 3 && strcmp(path + n - 3, ".gz") == 0;
    snprintf(tmp, sizeof tmp, "%s/nnpart-lp-XXXXXX%s", dir && *dir ? dir : "/tmp", gz ? ".gz" : "");
    int fd = mkstemps(tmp, gz ? 3 : 0);
    if (fd < 0) {
        snprintf(why, size, "cannot write the LP file '%s': no temporary file: %s", path,
                 strerror(errno));
        return;
    }
    close(fd);
    char *text = NULL;
    size_t len = 0;
    int wrote = 0;
    nn_error err;
    error_clear(&err);
    if (glp_write_lp(lp, NULL, tmp) != 0)
        snprintf(why, size, "cannot write the LP file '%s': GLPK could not write it", path);
    else if (fileio_read(tmp, (size_t)1 << 40, &text, &len, &err) == 0 &&
             (wrote = fileio_write(path, text, len, FILEIO_SPLIT_LINKS | (force ? 0 : FILEIO_NEW),
                                   &err)) == FILEIO_EXISTS)
        snprintf(why, size,
                 "the LP file '%s' was not written: a file of that name exists now (nothing was "
                 "replaced)",
                 path);
    else if (!text || wrote != 0) {
        /* err.message begins with the file's name, said here already. */
        const char *reason = err.message;
        size_t fl = strlen(err.file);
        if (fl && strncmp(reason, err.file, fl) == 0 && strncmp(reason + fl, ": ", 2) == 0)
            reason += fl + 2;
        snprintf(why, size, "cannot write the LP file '%s': %s", path, reason);
    }
    free(text);
    unlink(tmp);
}

int solve_ilp(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *out)
{
    return solve_ilp_tuned(in, opt, &ILP_TUNING_DEFAULT, out);
}

/* One solve's allocations, held by solve_ilp_tuned's frame so that a GLPK
 * failure (a jump out of the guarded body) still frees them. */
typedef struct ilp_call {
    const ilp_tuning *tuning;
    ilp_run r;
    unsigned char *ok;
    ilp_model m;
    ilp_held held;
} ilp_call;

/* After a GLPK failure its problems are gone with its environment. */
static void ilp_call_free(ilp_call *c, bool glpk_failed)
{
    if (glpk_failed) c->m.lp = c->held.m2.lp = NULL;
    model_free(&c->m);
    model_free(&c->held.m2);
    free(c->held.point);
    free(c->held.place);
    free(c->held.ok);
    free(c->held.cand);
    free(c->held.point2);
    free(c->ok);
    free(c->r.inc);
}

static int solve_guarded(void *arg)
{
    ilp_call *c = arg;
    ilp_run *rr = &c->r;
    const nn_instance *in = rr->in;
    const nn_solve_options *opt = rr->opt;
    const ilp_tuning *tuning = c->tuning;
    nn_solve_result *out = rr->out;
    size_t LD = (size_t)in->L * (size_t)in->D;
    rr->inc = malloc((size_t)in->L * sizeof *rr->inc);
    unsigned char *ok = c->ok = calloc(LD, 1);
    if (!rr->inc || !ok) return -1;
    rr->inc_lat = pick_incumbent(in, opt, rr->inc);
    if (share_best(opt->share, NULL) < rr->inc_lat) /* the race's other engine found better */
        rr->inc_lat = share_best(opt->share, rr->inc);
    bool possible = feasible_mask(in, ok);
    if (!possible) {
        /* Keep what fits per layer so --write-lp still shows the model;
         * its missing routes make it infeasible too. */
        for (int l = 0; l < in->L; l++)
            for (int d = 0; d < in->D; d++) {
                bool ends = (l > 0 || isfinite(instance_xfer(in, 0, in->source, d))) &&
                            (l < in->L - 1 || isfinite(instance_xfer(in, in->L, d, in->sink)));
                ok[(size_t)l * in->D + d] = solve_layer_fits(in, l, d) && ends;
            }
    }
    /* Nothing slower than the incumbent can be optimal: the pairs that
     * cannot beat it stay out of the model (kept when the model is
     * written, since the file shows the whole problem). */
    if (possible && isfinite(rr->inc_lat) && tuning->use_incumbent && tuning->fix_slow &&
        !opt->write_lp)
        slow_pairs_drop(in, opt->mode, ok, rr->inc_lat * (1 + DROP_SLACK), rr->inc);
    rr->ok = ok;
    /* Stopped already (the other engine's proof, a cancel, the limit spent
     * on the incumbent): building the model would only run over. */
    if (possible && !opt->write_lp && run_stopped(rr))
        return finish_stopped(rr, feasible_lower_bound(in, opt->mode), stop_reason(rr));
    double ref = isfinite(rr->inc_lat) ? rr->inc_lat : feasible_lower_bound(in, opt->mode);
    ilp_model *m = &c->m;
    double built = now_s();
    /* The LP file shows the whole model: it is built to the end. */
    nn_stop stop = run_stop(rr);
    int mb = model_build(m, in, opt->mode, ok, pick_unit(ref), opt->write_lp != NULL,
                         opt->write_lp ? NULL : &stop);
    if (mb < 0) return -1;
    if (mb > 0) return finish_stopped(rr, feasible_lower_bound(in, opt->mode), stop_reason(rr));
    rr->build_s = now_s() - built;
    out->rows = glp_get_num_rows(m->lp);
    out->cols = glp_get_num_cols(m->lp);
    /* A failed LP write is reported beside the result, which is still solved. */
    if (opt->write_lp)
        lp_write(m->lp, opt->write_lp, opt->write_lp_force, out->lp_error, sizeof out->lp_error);
    if (!possible) {
        solve_message_infeasible(out, in, false);
        return 0;
    }
    return run_glpk(rr, m, tuning);
}

int solve_ilp_tuned(const nn_instance *in, const nn_solve_options *opt, const ilp_tuning *tuning,
                    nn_solve_result *out)
{
    memset(out, 0, sizeof *out);
    out->latency = out->objective = out->busy_path = INFINITY;
    out->bound = 0;
    glp_term_out(GLP_OFF);
    if (in->L <= 0 || in->D <= 0 || in->D > NN_MAX_DEVICES) {
        out->status = SOLVE_ERROR;
        snprintf(out->message, sizeof out->message, "solver failure: %s",
                 in->L <= 0 ? "the network has no layers" : "the number of devices is invalid");
        return 0;
    }
    out->energy = out->energy_battery = out->period = out->stream_latency = out->value = INFINITY;
    if (opt->objective != OBJ_LATENCY || opt->latency_limit > 0 || opt->energy_limit > 0 ||
        in->stages == STAGES_CONTIGUOUS) {
        goal_call g = {.in = in, .opt = opt, .tuning = tuning, .out = out};
        char gwhy[256];
        int rc = glpk_guarded(goal_guarded, &g, gwhy, sizeof gwhy);
        goal_call_free(&g, rc == GLPK_GUARD_FAILED);
        if (rc == GLPK_GUARD_FAILED) {
            free(out->place);
            out->place = NULL;
            out->latency = out->objective = out->value = INFINITY;
            out->status = SOLVE_ERROR;
            snprintf(out->message, sizeof out->message, "solver failure: GLPK stopped: %s", gwhy);
            rc = 0;
        }
        return rc;
    }
    ilp_call c = {
        .tuning = tuning,
        .r = {.in = in, .opt = opt, .out = out, .t0 = now_s(), .inc_lat = INFINITY},
    };
    c.r.held = &c.held;
    char why[256];
    int ret = glpk_guarded(solve_guarded, &c, why, sizeof why);
    bool failed = ret == GLPK_GUARD_FAILED;
    if (failed) {
        free(out->place);
        out->place = NULL;
        out->latency = out->objective = out->busy_path = INFINITY;
        out->status = SOLVE_ERROR;
        snprintf(out->message, sizeof out->message, "solver failure: GLPK stopped: %s", why);
        ret = 0;
    }
    ilp_call_free(&c, failed);
    out->solve_time_s = now_s() - c.r.t0;
#ifndef NDEBUG
    if (ret == 0 && out->place && (out->status == SOLVE_OPTIMAL || out->status == SOLVE_FEASIBLE))
        assert(isfinite(out->latency) &&
               fabs(out->objective - out->latency) <= 1e-6 * fabs(out->latency) + 1e-12);
#endif
    return ret;
}
