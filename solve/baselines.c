/* The placements every optimum is compared with: each device alone, the best
 * split between the source and one other device, the splits practitioners
 * use (exo's memory-weighted ring, FLOP/s-weighted and equal layer counts),
 * the optima of the other modes judged under this one, and the
 * contiguous-run DP. Pins always hold: a baseline places only the layers
 * that are free, and says so in its name when pins move some elsewhere. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solve_internal.h"
#include "units.h"

/* The other modes' optima are easy ILPs; this only guards the explorer. */
#define BASELINE_TIME_LIMIT_S 2.0

/* What the baselines are scored on: the solve's objective, mode and limits,
 * and the optimum's value on that objective (seconds or joules). */
typedef struct baseline_goal {
    nn_mode mode;
    nn_objective objective;
    double latency_limit, energy_limit;
    bool battery_limit;
    double optimum;
} baseline_goal;

/* A placement's value on the goal, limits and stages included (INFINITY
 * when infeasible or over a limit). */
static double goal_score(const baseline_goal *goal, const nn_instance *in, const int *place)
{
    return eval_objective_limited(in, place, goal->mode, goal->objective, goal->latency_limit,
                                  goal->energy_limit, goal->battery_limit);
}

/* The caller's stop (its time limit and cancel flag) halts the list; true
 * when it has, with the reason in `b`. */
static bool halted(nn_baselines *b, const nn_stop *st)
{
    if (b->cancelled || b->timed_out) return true;
    if (!solve_stop_now(st)) return false;
    if (st->cancel && atomic_load(st->cancel))
        b->cancelled = true;
    else
        b->timed_out = true;
    return true;
}

static nn_baseline *baseline_push(nn_baselines *b, int L, nn_baseline_kind kind)
{
    nn_baseline *grown = realloc(b->items, (size_t)(b->count + 1) * sizeof *grown);
    if (!grown) return NULL;
    b->items = grown;
    nn_baseline *it = &b->items[b->count];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->latency = it->energy = it->energy_battery = it->period = it->value = INFINITY;
    it->ratio = INFINITY;
    it->place = malloc((size_t)L * sizeof *it->place);
    if (!it->place) return NULL;
    b->count++;
    return it;
}

/* Drops the last baseline (a duplicate or a degenerate one). */
static void baseline_pop(nn_baselines *b)
{
    free(b->items[b->count - 1].place);
    b->count--;
}

static void apply_pins(const nn_instance *in, int *place)
{
    for (int l = 0; l < in->L; l++)
        if (in->pin[l] >= 0) place[l] = in->pin[l];
}

void baselines_all_on(const nn_instance *in, int d, int *place)
{
    for (int l = 0; l < in->L; l++)
        place[l] = d;
    apply_pins(in, place);
}

static int devices_used(const nn_instance *in, const int *place)
{
    bool seen[NN_MAX_DEVICES] = {false};
    int n = 0;
    for (int l = 0; l < in->L; l++)
        if (!seen[place[l]]) {
            seen[place[l]] = true;
            n++;
        }
    return n;
}

/* A placement an earlier baseline already shows. */
static bool duplicate(const nn_baselines *b, int L)
{
    const nn_baseline *last = &b->items[b->count - 1];
    for (int i = 0; i < b->count - 1; i++)
        if (b->items[i].place &&
            memcmp(b->items[i].place, last->place, (size_t)L * sizeof(int)) == 0)
            return true;
    return false;
}

/* " (1 pin)", " (3 pins)": how many pinned layers are not where the name
 * says (they stay on their pins); short, so names stay whole in a pane. */
static void pins_note(const nn_instance *in, const int *wanted, const int *place, char *buf,
                      size_t size)
{
    int moved = 0;
    for (int l = 0; l < in->L; l++)
        moved += place[l] != wanted[l];
    buf[0] = '\0';
    (void)in;
    if (moved > 0) snprintf(buf, size, " (%d pin%s)", moved, moved == 1 ? "" : "s");
}

/* Scores the last baseline on the objective (MODEL.md): its latency,
 * energy and, for a stream, period; the objective's value and its ratio to
 * the optimum's; over a limit, or infeasible, the reason. */
static int baseline_judge(nn_baseline *it, const nn_instance *in, const baseline_goal *goal)
{
    nn_objective obj = goal->objective;
    nn_mode mode = objective_mode(obj, goal->mode);
    it->latency = eval_latency(in, it->place, mode);
    it->energy = it->energy_battery = it->period = it->value = INFINITY;
    it->within_limits = false;
    bool staged = in->stages != STAGES_CONTIGUOUS || eval_contiguous(in, it->place);
    it->feasible = isfinite(it->latency) && staged;
    it->ratio = INFINITY;
    if (it->feasible) {
        it->energy = eval_energy(in, it->place, mode, &it->energy_battery, NULL);
        if (obj == OBJ_THROUGHPUT) it->period = eval_period(in, it->place);
        it->value = obj == OBJ_ENERGY           ? it->energy
                    : obj == OBJ_BATTERY_ENERGY ? it->energy_battery
                    : obj == OBJ_THROUGHPUT     ? it->period
                                                : it->latency;
        /* A stream has no limits (MODEL.md). */
        bool battery = obj == OBJ_BATTERY_ENERGY || goal->battery_limit;
        double e = battery ? it->energy_battery : it->energy;
        char a[32], b[32];
        if (obj != OBJ_THROUGHPUT && goal->latency_limit > 0 && it->latency > goal->latency_limit) {
            units_format(it->latency, UNIT_TIME, a, sizeof a);
            units_format(goal->latency_limit, UNIT_TIME, b, sizeof b);
            snprintf(it->why, sizeof it->why, "over the latency limit: %s > %s", a, b);
        } else if (obj != OBJ_THROUGHPUT && goal->energy_limit > 0 && e > goal->energy_limit) {
            units_format(e, UNIT_ENERGY, a, sizeof a);
            units_format(goal->energy_limit, UNIT_ENERGY, b, sizeof b);
            snprintf(it->why, sizeof it->why, "over the %senergy limit: %s > %s",
                     battery ? "battery " : "", a, b);
        } else {
            it->within_limits = true;
            double opt = goal->optimum;
            it->ratio = !isfinite(opt)   ? INFINITY
                        : opt > 0        ? it->value / opt
                        : it->value == 0 ? 1
                                         : INFINITY;
        }
        return 0;
    }
    nn_eval ev;
    if (eval_run(in, it->place, mode, &ev) != 0) return -1;
    if (ev.nreasons == 0)
        snprintf(it->why, sizeof it->why, "%s",
                 staged ? "infeasible" : "infeasible: not one contiguous run per device (stages)");
    else if (ev.nreasons == 1)
        snprintf(it->why, sizeof it->why, "%s", ev.reasons[0].text);
    else
        snprintf(it->why, sizeof it->why, "%.*s (and %d more)", NN_TEXT_LEN, ev.reasons[0].text,
                 ev.nreasons - 1);
    eval_free(&ev);
    return 0;
}

/* Judges the last baseline, or drops it when it is degenerate (one device
 * where a split was meant) or shown already. */
static int baseline_finish(nn_baselines *b, const nn_instance *in, const baseline_goal *goal,
                           bool split)
{
    nn_baseline *it = &b->items[b->count - 1];
    if ((split && devices_used(in, it->place) < 2) || duplicate(b, in->L)) {
        baseline_pop(b);
        return 0;
    }
    return baseline_judge(it, in, goal);
}

static int add_single_devices(nn_baselines *b, const nn_instance *in, const baseline_goal *goal,
                              const nn_stop *st)
{
    int *wanted = malloc((size_t)in->L * sizeof *wanted);
    if (!wanted) return -1;
    for (int d = 0; d < in->D && !halted(b, st); d++) {
        nn_baseline *it = baseline_push(b, in->L, BASELINE_SINGLE);
        if (!it) {
            free(wanted);
            return -1;
        }
        for (int l = 0; l < in->L; l++)
            wanted[l] = d;
        baselines_all_on(in, d, it->place);
        char note[160];
        pins_note(in, wanted, it->place, note, sizeof note);
        snprintf(it->name, sizeof it->name, "all on %.64s%.80s", in->device_names[d], note);
        if (baseline_finish(b, in, goal, false) != 0) {
            free(wanted);
            return -1;
        }
    }
    free(wanted);
    return 0;
}

/* Layers before k on the source, the rest on `dev`, pins applied;
 * k = 1 .. L-1, so each side has at least one layer. */
static void split_at(const nn_instance *in, int dev, int k, int *place)
{
    for (int l = 0; l < in->L; l++)
        place[l] = l < k ? in->source : dev;
    apply_pins(in, place);
}

/* The caller's stop bounds the baselines too (every split of a long network
 * on many devices costs L^2 D evaluations): checked every 64 splits. */
static bool past(nn_baselines *b, const nn_stop *st, int k)
{
    return (k & 63) == 0 && halted(b, st);
}

/* A split the stop cut short is left out: its scan was not finished. */
static int add_split(nn_baselines *b, const nn_instance *in, const baseline_goal *goal, int dev,
                     const nn_stop *st)
{
    int L = in->L;
    if (L < 2) return 0;
    nn_baseline *it = baseline_push(b, L, BASELINE_SPLIT);
    if (!it) return -1;
    int *place = it->place;
    int best_k = -1, fewest = -1;
    double best = INFINITY;
    for (int k = 1; k < L && !past(b, st, k); k++) {
        split_at(in, dev, k, place);
        if (devices_used(in, place) < 2) continue;
        double t = goal_score(goal, in, place);
        if (t < best) {
            best = t;
            best_k = k;
        }
    }
    if (best_k < 0) {
        /* None is feasible: explain the split with the fewest problems. */
        for (int k = 1; k < L && !past(b, st, k); k++) {
            split_at(in, dev, k, place);
            if (devices_used(in, place) < 2) continue;
            nn_eval ev;
            if (eval_run(in, place, goal->mode, &ev) != 0) return -1;
            if (fewest < 0 || ev.nreasons < fewest) {
                fewest = ev.nreasons;
                best_k = k;
            }
            eval_free(&ev);
        }
    }
    if (best_k < 0 || halted(b, st)) { /* every split is one device once pinned, or stopped */
        baseline_pop(b);
        return 0;
    }
    int *wanted = malloc((size_t)L * sizeof *wanted);
    if (!wanted) return -1;
    for (int l = 0; l < L; l++)
        wanted[l] = l < best_k ? in->source : dev;
    split_at(in, dev, best_k, place);
    char note[160];
    pins_note(in, wanted, place, note, sizeof note);
    free(wanted);
    snprintf(it->name, sizeof it->name, "split %.24s|%.24s after %.40s%.56s",
             in->device_names[in->source], in->device_names[dev], in->layer_names[best_k - 1],
             note);
    return baseline_finish(b, in, goal, true);
}

/* Each device in `order` gets a contiguous run of layers, as many as its
 * share of `weight` (rounded at the cumulative boundaries); devices with
 * no layer are skipped. */
static void proportional(const nn_instance *in, const int *order, const double *weight, int n,
                         int *place)
{
    double total = 0, cum = 0;
    for (int i = 0; i < n; i++)
        total += weight[i];
    int start = 0;
    for (int i = 0; i < n; i++) {
        cum += weight[i];
        int end = i == n - 1 ? in->L : (int)lround(in->L * (cum / total));
        if (end > in->L) end = in->L;
        for (int l = start; l < end; l++)
            place[l] = order[i];
        if (end > start) start = end;
    }
}

static int add_proportional(nn_baselines *b, const nn_instance *in, const baseline_goal *goal,
                            nn_baseline_kind kind, const char *name, const int *order,
                            const double *weight)
{
    nn_baseline *it = baseline_push(b, in->L, kind);
    if (!it) return -1;
    int *wanted = malloc((size_t)in->L * sizeof *wanted);
    if (!wanted) return -1;
    proportional(in, order, weight, in->D, wanted);
    memcpy(it->place, wanted, (size_t)in->L * sizeof *wanted);
    apply_pins(in, it->place);
    char note[160];
    pins_note(in, wanted, it->place, note, sizeof note);
    free(wanted);
    snprintf(it->name, sizeof it->name, "%.40s%.100s", name, note);
    return baseline_finish(b, in, goal, true);
}

/* The source first, then the others in the scenario's order. */
static void order_from_source(const nn_instance *in, int *order)
{
    int n = 0;
    order[n++] = in->source;
    for (int d = 0; d < in->D; d++)
        if (d != in->source) order[n++] = d;
}

static int add_practitioner_splits(nn_baselines *b, const nn_instance *in,
                                   const baseline_goal *goal)
{
    int D = in->D, order[NN_MAX_DEVICES];
    double weight[NN_MAX_DEVICES];
    if (D < 2 || in->L < 2) return 0;
    /* exo: devices by memory, largest first (ties in the scenario's order). */
    for (int d = 0; d < D; d++)
        order[d] = d;
    for (int i = 1; i < D; i++)
        for (int j = i; j > 0 && in->memory[order[j]] > in->memory[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < D; i++)
        weight[i] = in->memory[order[i]];
    if (add_proportional(b, in, goal, BASELINE_MEMORY_RING, "memory-weighted ring (exo)", order,
                         weight) != 0)
        return -1;
    /* A device's rate: the network's work over its time for all of it
     * (FLOP/s without profiles; profiled layers count as measured). */
    order_from_source(in, order);
    for (int i = 0; i < D; i++) {
        double t = 0;
        for (int l = 0; l < in->L; l++)
            t += solve_comp(in, l, order[i]);
        weight[i] = t > 0 ? 1 / t : 1;
    }
    if (add_proportional(b, in, goal, BASELINE_FLOPS, "FLOP/s-weighted split", order, weight) != 0)
        return -1;
    for (int i = 0; i < D; i++)
        weight[i] = 1;
    return add_proportional(b, in, goal, BASELINE_EQUAL, "equal layers per device", order, weight);
}

/* A solve the stop cut short is left out: it is no mode's optimum. */
static int add_other_mode(nn_baselines *b, const nn_instance *in, const nn_solve_options *opt,
                          const baseline_goal *goal, nn_mode other, const nn_stop *st)
{
    nn_baseline *it = baseline_push(b, in->L, BASELINE_OTHER_MODE);
    if (!it) return -1;
    snprintf(it->name, sizeof it->name, "optimal for %s", mode_name(other));
    nn_solve_options o = {.mode = other,
                          .objective = opt->objective,
                          .latency_limit = opt->latency_limit,
                          .energy_limit = opt->energy_limit,
                          .battery_limit = opt->battery_limit,
                          .engine = opt->engine,
                          .cancel = opt->cancel,
                          .time_limit_s =
                              opt->time_limit_s > 0 && opt->time_limit_s < BASELINE_TIME_LIMIT_S
                                  ? opt->time_limit_s
                                  : BASELINE_TIME_LIMIT_S};
    nn_solve_result r;
    if (solve_run(in, &o, &r) != 0) return -1;
    if (r.status != SOLVE_OPTIMAL && halted(b, st)) {
        solve_result_free(&r);
        baseline_pop(b);
        return 0;
    }
    if (!r.place) {
        free(it->place);
        it->place = NULL;
        snprintf(it->why, sizeof it->why, "%.*s", NN_TEXT_LEN + 90, r.message);
        solve_result_free(&r);
        return 0;
    }
    memcpy(it->place, r.place, (size_t)in->L * sizeof *it->place);
    solve_result_free(&r);
    return baseline_judge(it, in, goal);
}

static int add_dp(nn_baselines *b, const nn_instance *in, const baseline_goal *goal,
                  const nn_stop *st)
{
    nn_baseline *it = baseline_push(b, in->L, BASELINE_DP);
    if (!it) return -1;
    snprintf(it->name, sizeof it->name, "contiguous-run DP");
    bool stopped = false;
    if (isfinite(solve_dp_contiguous_until(in, goal->mode, it->place, st, &stopped)))
        return baseline_judge(it, in, goal);
    if (stopped) {
        halted(b, st);
        baseline_pop(b);
        return 0;
    }
    free(it->place);
    it->place = NULL;
    char why[sizeof it->why];
    if (!feasible_explain(in, why, sizeof why))
        snprintf(why, sizeof why, "no placement with one contiguous run per device is feasible");
    snprintf(it->why, sizeof it->why, "%s", why);
    return 0;
}

int baselines_compute(const nn_instance *in, const nn_solve_options *opt, double optimum,
                      nn_baselines *out)
{
    memset(out, 0, sizeof *out);
    if (in->L <= 0 || in->D <= 0) return 0;
    /* A stream's baselines run with weights resident, as its optimum: the
     * DP's pick and the splits' explanations too, whatever opt->mode. */
    nn_mode mode = objective_mode(opt->objective, opt->mode);
    const baseline_goal goal_of = {.mode = mode,
                                   .objective = opt->objective,
                                   .latency_limit = opt->latency_limit,
                                   .energy_limit = opt->energy_limit,
                                   .battery_limit = opt->battery_limit,
                                   .optimum = optimum},
                        *goal = &goal_of;
    nn_stop st = solve_stop_from(opt, ENGINE_AUTO);
    st.share = NULL; /* the baselines are no engine of a race */
    int rc = add_single_devices(out, in, goal, &st);
    for (int d = 0; rc == 0 && d < in->D && !halted(out, &st); d++)
        if (d != in->source) rc = add_split(out, in, goal, d, &st);
    if (rc == 0 && !halted(out, &st)) rc = add_practitioner_splits(out, in, goal);
    for (int m = 0; rc == 0 && m < MODE_COUNT && !halted(out, &st); m++) {
        /* A stream's weights are resident: every mode is the same there. */
        if (m == (int)mode || opt->objective == OBJ_THROUGHPUT) continue;
        nn_solve_options left = *opt; /* what remains of the limit */
        if (isfinite(st.deadline)) left.time_limit_s = fmax(1e-3, st.deadline - solve_clock());
        rc = add_other_mode(out, in, &left, goal, (nn_mode)m, &st);
    }
    if (rc == 0 && !halted(out, &st)) rc = add_dp(out, in, goal, &st);
    if (rc != 0) baselines_free(out);
    return rc;
}

const nn_baseline *baselines_best(const nn_baselines *b)
{
    const nn_baseline *best = NULL;
    for (int i = 0; i < b->count; i++)
        if (b->items[i].within_limits && (!best || b->items[i].value < best->value))
            best = &b->items[i];
    return best;
}

void baselines_free(nn_baselines *b)
{
    if (!b) return;
    for (int i = 0; i < b->count; i++)
        free(b->items[i].place);
    free(b->items);
    memset(b, 0, sizeof *b);
}
