/* The label engine's energy (MODEL.md, "Beyond one latency"): the energy of
 * a placement is E = I x T + A, with I the idle powers counted (the battery
 * devices' only under battery-energy) and A additive along the chain: each
 * layer's compute above idle and its loads (shared tensors at their first
 * use on the device), and each route's energy, charged to its senders. A
 * label carries A; its future adds to A what depends on the devices chosen
 * and on the shared tensors still to load, both monotone, so dominance
 * stays exact with A as one more coordinate. A label's energy is at least
 * I x (its latency bound) + A + the least A any completion adds (etail, a
 * backward DP with shared tensors counted at 0). The evaluator is the
 * truth: a complete label's energy is the evaluator's of its placement. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "labels_internal.h"

#define ENERGY_MARGIN 1e-12 /* relative slack on energy limits in pruning (rounding) */

/* The route energies counted: all senders', or the battery senders'. */
static const double *route_energy(const lab_ctx *c)
{
    return c->ebat ? c->in->xenergy_bat : c->in->xenergy;
}

static double route_at(const lab_ctx *c, int b, int d, int e)
{
    size_t D = (size_t)c->D;
    return route_energy(c)[((size_t)b * D + (size_t)d) * D + (size_t)e];
}

static bool counted(const lab_ctx *c, int d)
{
    return !c->ebat || c->in->battery[d];
}

void lab_energy_setup(lab_ctx *c)
{
    const nn_solve_options *o = c->opt;
    const nn_instance *in = c->in;
    c->tcap = o->latency_limit > 0 ? o->latency_limit : INFINITY;
    c->ecap = o->energy_limit > 0 ? o->energy_limit : INFINITY;
    bool eobj = o->objective == OBJ_ENERGY || o->objective == OBJ_BATTERY_ENERGY;
    c->eon = eobj || o->energy_limit > 0;
    if (!c->eon) return;
    c->ebat = o->objective == OBJ_BATTERY_ENERGY || (!eobj && o->battery_limit);
    c->idle = 0;
    for (int d = 0; d < c->D; d++)
        if (counted(c, d)) c->idle += in->idle_power[d];
    c->ao = c->stride++;
    size_t LD = (size_t)c->L * (size_t)c->D;
    c->etail = malloc(LD * sizeof *c->etail);
    c->ctail = malloc(LD * sizeof *c->ctail);
    c->edev = malloc(LD * sizeof *c->edev);
    if (!c->etail || !c->ctail || !c->edev) return;
    for (int l = 0; l < c->L; l++)
        for (int d = 0; d < c->D; d++) {
            double a = 0;
            if (counted(c, d)) {
                a = (in->power[d] - in->idle_power[d]) * solve_comp(in, l, d);
                if (c->mode != MODE_RESIDENT) a += in->load_power[d] * solve_load(in, l, d);
            }
            c->edev[lab_at(c, l, d)] = a;
        }
    lab_energy_tails(c);
}

/* The chain time of l on e: its compute, and in ondemand its own load. */
static double chain_at(const lab_ctx *c, int l, int e)
{
    double t = solve_comp(c->in, l, e);
    if (c->mode == MODE_ONDEMAND) t += solve_load(c->in, l, e);
    return t;
}

/* etail, and ctail: the latency after l is at least the chain time of the
 * rest, so the idle energy of that time and A's rest together are at least
 * the least of their sum over the completions (at least etail + I x tail). */
int lab_energy_tails(lab_ctx *c)
{
    if (!c->eon) return 0;
    if (!c->etail || !c->ctail || !c->edev) return -1;
    const nn_instance *in = c->in;
    int L = c->L, D = c->D;
    for (int l = L - 1; l >= 0; l--)
        for (int d = 0; d < D; d++) {
            double t = INFINITY, w = INFINITY;
            if (l == L - 1) {
                double x = instance_xfer(in, L, d, in->sink);
                if (isfinite(x)) {
                    t = route_at(c, L, d, in->sink);
                    w = c->idle * x + t;
                }
            } else {
                for (int e = 0; e < D; e++) {
                    double x = instance_xfer(in, l + 1, d, e);
                    if (!c->ok[lab_at(c, l + 1, e)] || !isfinite(x)) continue;
                    double a = route_at(c, l + 1, d, e) + c->edev[lab_at(c, l + 1, e)];
                    t = fmin(t, a + c->etail[lab_at(c, l + 1, e)]);
                    w = fmin(w, c->idle * (x + chain_at(c, l + 1, e)) + a +
                                    c->ctail[lab_at(c, l + 1, e)]);
                }
            }
            c->etail[lab_at(c, l, d)] = t;
            c->ctail[lab_at(c, l, d)] = w;
        }
    return 0;
}

double lab_energy_step(const lab_ctx *c, int from, int l, int e, double load)
{
    const nn_instance *in = c->in;
    double a = 0;
    if (counted(c, e)) {
        a = (in->power[e] - in->idle_power[e]) * solve_comp(in, l, e);
        if (c->mode != MODE_RESIDENT) a += in->load_power[e] * load;
    }
    return a + route_at(c, l, l == 0 ? in->source : from, e);
}

double lab_energy_label(const lab_ctx *c, const double *s, int e, double t)
{
    return c->idle * t + s[c->ao] + route_at(c, c->L, e, c->in->sink);
}

double lab_energy_eval(const lab_ctx *c, const int *place)
{
    double bat, all = eval_energy(c->in, place, c->mode, &bat, NULL);
    return c->ebat ? bat : all;
}

double lab_energy_budget(const lab_ctx *c, const double *ns, int l, int e, double elim)
{
    if (!isfinite(elim)) return INFINITY;
    double ea = ns[c->ao] + c->etail[lab_at(c, l, e)];
    if (!(ea <= elim) || !(c->idle * ns[S_F] + ns[c->ao] + c->ctail[lab_at(c, l, e)] <= elim))
        return -INFINITY;
    return c->idle > 0 ? (elim - ea) / c->idle : INFINITY;
}

double lab_energy_bound(const lab_ctx *c, const double *ns, int l, int e, double lbT)
{
    size_t k = lab_at(c, l, e);
    return fmax(c->idle * lbT + ns[c->ao] + c->etail[k],
                c->idle * ns[S_F] + ns[c->ao] + c->ctail[k]);
}

double lab_energy_floor(const lab_ctx *c)
{
    const nn_instance *in = c->in;
    double best = INFINITY;
    for (int e = 0; e < c->D; e++)
        if (c->ok[lab_at(c, 0, e)] && isfinite(instance_xfer(in, 0, in->source, e)))
            best = fmin(best, route_at(c, 0, in->source, e) + c->edev[lab_at(c, 0, e)] +
                                  c->etail[lab_at(c, 0, e)]);
    return best;
}

/* The latency below which every placement of energy at most `elim` lies
 * (with the latency limit): for leaving pairs out. */
static double energy_time_limit(const lab_ctx *c, double elim)
{
    double t = c->tcap;
    if (c->idle > 0 && isfinite(elim)) {
        double a = lab_energy_floor(c);
        if (isfinite(a)) t = fmin(t, (elim * (1 + ENERGY_MARGIN) - a) / c->idle);
    }
    return t;
}

int canonical_energy_run(lab_ctx *c, int *place)
{
    const nn_instance *in = c->in;
    double cap = c->ecap;
    c->untimed = false;
    c->ecap = fmin(cap, lab_energy_eval(c, place) * (1 + TIE_REL));
    lab_ctx_restrict(c, energy_time_limit(c, c->ecap));
    int flags = 0;
    /* The second key: the least latency among the ties. */
    lab_search s = {.c = c,
                    .phase = PHASE_LATENCY,
                    .second = true,
                    .best = place,
                    .ub = eval_latency(in, place, c->mode),
                    .found = true,
                    .dropped_lb = INFINITY};
    if (lab_run(&s) != 0) {
        c->ecap = cap;
        return -1;
    }
    if (!c->stopped && !s.truncated) flags |= CANON_BUSY_MINIMAL;
    double tlim = fmin(c->tcap, eval_latency(in, place, c->mode) * (1 + BUSY_REL));
    if (!c->stopped) {
        lab_ctx_restrict(c, tlim);
        int rc = canonical_pick(c, place, tlim, INFINITY, -1);
        if (rc == -1) flags = -1;
        if (rc == 0) flags |= CANON_EXACT;
    }
    c->ecap = cap;
    return flags;
}

int solve_canonical_goal(const nn_instance *in, const nn_solve_options *opt, int *place,
                         double deadline)
{
    nn_solve_options o = *opt;
    o.share = NULL;
    o.warm_start = NULL;
    o.write_lp = NULL;
    lab_ctx c = {0};
    bool possible = false;
    int ret = -1;
    if (in->L > 0 && in->D <= NN_MAX_DEVICES &&
        lab_ctx_init(&c, in, opt->mode, &o, &possible) == 0) {
        c.deadline = deadline;
        bool eobj = opt->objective == OBJ_ENERGY || opt->objective == OBJ_BATTERY_ENERGY;
        ret = !possible ? 0
              : eobj    ? canonical_energy_run(&c, place)
                        : canonical_run(&c, place, -1, false);
    }
    lab_ctx_free(&c);
    return ret;
}

double labels_energy_of(const nn_instance *in, const nn_solve_options *opt, const int *place)
{
    nn_solve_options o = *opt;
    o.share = NULL;
    lab_ctx c = {0};
    bool possible = false;
    double e = INFINITY;
    double *st = NULL;
    if (in->L <= 0 || in->D > NN_MAX_DEVICES ||
        lab_ctx_init(&c, in, opt->mode, &o, &possible) != 0 || !c.eon)
        goto done;
    st = malloc(2 * (size_t)c.stride * sizeof *st);
    if (!st) goto done;
    double *cur = st, *ns = st + c.stride;
    lab_root(&c, cur);
    for (int l = 0; l < in->L; l++) {
        if (!lab_step(&c, cur, l ? place[l - 1] : -1, l, place[l], ns)) goto done;
        double *t = cur;
        cur = ns;
        ns = t;
    }
    e = lab_energy_label(&c, cur, place[in->L - 1], lab_total(&c, cur, place[in->L - 1], S_F));
done:
    free(st);
    lab_ctx_free(&c);
    return e;
}
