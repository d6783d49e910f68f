/* The placements every optimum is compared with: each device alone, the best
 * two-segment split between the source and another device, the optima of
 * the other modes judged under this one, and the contiguous-run DP. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solve_internal.h"

/* The other modes' optima are easy ILPs; this only guards the explorer. */
#define BASELINE_TIME_LIMIT_S 2.0

static nn_baseline *baseline_push(nn_baselines *b, int L)
{
    nn_baseline *grown = realloc(b->items, (size_t)(b->count + 1) * sizeof *grown);
    if (!grown) return NULL;
    b->items = grown;
    nn_baseline *it = &b->items[b->count];
    memset(it, 0, sizeof *it);
    it->latency = INFINITY;
    it->ratio = INFINITY;
    it->place = malloc((size_t)L * sizeof *it->place);
    if (!it->place) return NULL;
    b->count++;
    return it;
}

/* Latency, ratio and, when infeasible, the evaluator's first reason. */
static int baseline_judge(nn_baseline *it, const nn_instance *in, nn_mode mode, double optimum)
{
    it->latency = eval_latency(in, it->place, mode);
    it->feasible = isfinite(it->latency);
    if (it->feasible) {
        it->ratio = it->latency / optimum;
        return 0;
    }
    it->ratio = INFINITY;
    nn_eval ev;
    if (eval_run(in, it->place, mode, &ev) != 0) return -1;
    if (ev.nreasons == 0)
        snprintf(it->why, sizeof it->why, "infeasible");
    else if (ev.nreasons == 1)
        snprintf(it->why, sizeof it->why, "%s", ev.reasons[0].text);
    else
        snprintf(it->why, sizeof it->why, "%.*s (and %d more)", NN_TEXT_LEN, ev.reasons[0].text,
                 ev.nreasons - 1);
    eval_free(&ev);
    return 0;
}

static int add_single_devices(nn_baselines *b, const nn_instance *in, nn_mode mode, double optimum)
{
    for (int d = 0; d < in->D; d++) {
        nn_baseline *it = baseline_push(b, in->L);
        if (!it) return -1;
        snprintf(it->name, sizeof it->name, "all on %.64s", in->device_names[d]);
        for (int l = 0; l < in->L; l++)
            it->place[l] = d;
        if (baseline_judge(it, in, mode, optimum) != 0) return -1;
    }
    return 0;
}

/* Layers before k on the source, the rest on `dev`; k = 0..L. */
static int add_split(nn_baselines *b, const nn_instance *in, nn_mode mode, double optimum, int dev)
{
    int L = in->L, src = in->source;
    nn_baseline *it = baseline_push(b, L);
    if (!it) return -1;
    int *place = it->place;
    for (int l = 0; l < L; l++)
        place[l] = dev;
    int best_k = -1;
    double best = INFINITY;
    for (int k = 0; k <= L; k++) {
        if (k > 0) place[k - 1] = src;
        double t = eval_latency(in, place, mode);
        if (t < best) {
            best = t;
            best_k = k;
        }
    }
    if (best_k < 0) {
        /* None is feasible: explain the split with the fewest problems. */
        int fewest = -1;
        for (int k = 0; k <= L; k++) {
            for (int l = 0; l < L; l++)
                place[l] = l < k ? src : dev;
            nn_eval ev;
            if (eval_run(in, place, mode, &ev) != 0) return -1;
            if (fewest < 0 || ev.nreasons < fewest) {
                fewest = ev.nreasons;
                best_k = k;
            }
            eval_free(&ev);
        }
    }
    for (int l = 0; l < L; l++)
        place[l] = l < best_k ? src : dev;
    snprintf(it->name, sizeof it->name, "split %.40s|%.40s after %.60s", in->device_names[src],
             in->device_names[dev], best_k == 0 ? "input" : in->layer_names[best_k - 1]);
    return baseline_judge(it, in, mode, optimum);
}

static int add_other_mode(nn_baselines *b, const nn_instance *in, nn_mode mode, double optimum,
                          nn_mode other)
{
    nn_baseline *it = baseline_push(b, in->L);
    if (!it) return -1;
    snprintf(it->name, sizeof it->name, "optimal for %s", mode_name(other));
    nn_solve_options opt = {.mode = other, .time_limit_s = BASELINE_TIME_LIMIT_S};
    nn_solve_result r;
    if (solve_ilp(in, &opt, &r) != 0) return -1;
    if (!r.place) {
        free(it->place);
        it->place = NULL;
        snprintf(it->why, sizeof it->why, "%.*s", NN_TEXT_LEN + 90, r.message);
        solve_result_free(&r);
        return 0;
    }
    memcpy(it->place, r.place, (size_t)in->L * sizeof *it->place);
    solve_result_free(&r);
    return baseline_judge(it, in, mode, optimum);
}

static int add_dp(nn_baselines *b, const nn_instance *in, nn_mode mode, double optimum)
{
    nn_baseline *it = baseline_push(b, in->L);
    if (!it) return -1;
    snprintf(it->name, sizeof it->name, "contiguous-run DP");
    if (isfinite(solve_dp_contiguous(in, mode, it->place)))
        return baseline_judge(it, in, mode, optimum);
    free(it->place);
    it->place = NULL;
    char why[sizeof it->why];
    if (!feasible_explain(in, why, sizeof why))
        snprintf(why, sizeof why, "no placement with one contiguous run per device is feasible");
    snprintf(it->why, sizeof it->why, "%s", why);
    return 0;
}

int baselines_compute(const nn_instance *in, nn_mode mode, double optimum, nn_baselines *out)
{
    memset(out, 0, sizeof *out);
    if (in->L <= 0 || in->D <= 0) return 0;
    int rc = add_single_devices(out, in, mode, optimum);
    for (int d = 0; rc == 0 && d < in->D; d++)
        if (d != in->source) rc = add_split(out, in, mode, optimum, d);
    for (int m = 0; rc == 0 && m < MODE_COUNT; m++)
        if (m != (int)mode) rc = add_other_mode(out, in, mode, optimum, (nn_mode)m);
    if (rc == 0) rc = add_dp(out, in, mode, optimum);
    if (rc != 0) baselines_free(out);
    return rc;
}

void baselines_free(nn_baselines *b)
{
    if (!b) return;
    for (int i = 0; i < b->count; i++)
        free(b->items[i].place);
    free(b->items);
    memset(b, 0, sizeof *b);
}
