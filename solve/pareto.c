/* The exact latency-energy Pareto front by the epsilon-constraint method
 * (MODEL.md, energy): from the latency optimum, each next point is the
 * least latency among placements with less energy than the last one, and
 * then the least energy at that latency; both are proven optima (of the
 * race by default, as every solve). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solve.h"

/* Energies within this (relative) of the last point's count as equal: the
 * next point must have less energy by more than that (above GLPK's
 * feasibility tolerance, so the bound is honoured). */
#define PARETO_STEP 1e-6
/* A latency bound this much (relative) above a proven optimum: GLPK's own
 * tolerances could otherwise lose the optimum at the bound. */
#define PARETO_TIE 1e-9

static double time_left(const nn_solve_options *base, double used)
{
    if (!(base->time_limit_s > 0)) return 0;
    double left = base->time_limit_s - used;
    return left > 1e-3 ? left : 1e-3;
}

/* One solve (the caller's engine: by default the race of the label engine
 * and the ILP); fails (returns 1) unless it is proven optimal or
 * infeasible. */
static int solve_once(const nn_instance *in, const nn_solve_options *opt, nn_solve_result *r,
                      double *used)
{
    if (solve_run(in, opt, r) != 0) return -1;
    *used += r->solve_time_s;
    if (r->status == SOLVE_OPTIMAL || r->status == SOLVE_INFEASIBLE) return 0;
    return 1;
}

static int push_point(nn_pareto *p, const nn_instance *in, const nn_solve_result *r, bool battery)
{
    nn_pareto_point *grown = realloc(p->points, (size_t)(p->count + 1) * sizeof *grown);
    if (!grown) return -1;
    p->points = grown;
    nn_pareto_point *pt = &p->points[p->count];
    pt->place = malloc((size_t)in->L * sizeof *pt->place);
    if (!pt->place) return -1;
    memcpy(pt->place, r->place, (size_t)in->L * sizeof *pt->place);
    pt->latency = r->latency;
    pt->energy = battery ? r->energy_battery : r->energy;
    p->count++;
    return 0;
}

int solve_pareto(const nn_instance *in, const nn_solve_options *base, int max_points,
                 nn_pareto *out)
{
    memset(out, 0, sizeof *out);
    out->status = SOLVE_OPTIMAL;
    bool battery = base->objective == OBJ_BATTERY_ENERGY;
    nn_objective energy_obj = battery ? OBJ_BATTERY_ENERGY : OBJ_ENERGY;
    double used = 0, energy_bound = 0; /* 0: none yet */
    for (;;) {
        if (max_points > 0 && out->count >= max_points) {
            out->truncated = true;
            break;
        }
        /* The least latency with less energy than the last point. */
        nn_solve_options opt = *base;
        opt.write_lp = NULL;
        opt.objective = OBJ_LATENCY;
        opt.latency_limit = 0;
        opt.energy_limit = energy_bound;
        opt.battery_limit = battery;
        opt.time_limit_s = time_left(base, used);
        nn_solve_result r;
        int rc = solve_once(in, &opt, &r, &used);
        if (rc != 0 || r.status == SOLVE_INFEASIBLE) {
            if (rc != 0) {
                out->status = rc < 0 ? SOLVE_ERROR : r.status;
                snprintf(out->message, sizeof out->message, "%s", r.message);
            } else if (out->count == 0) {
                out->status = SOLVE_INFEASIBLE;
                snprintf(out->message, sizeof out->message, "%s", r.message);
            }
            solve_result_free(&r);
            break;
        }
        double t = r.latency;
        solve_result_free(&r);
        /* The least energy at that latency. */
        opt.objective = energy_obj;
        opt.latency_limit = t * (1 + PARETO_TIE);
        opt.energy_limit = energy_bound;
        opt.time_limit_s = time_left(base, used);
        rc = solve_once(in, &opt, &r, &used);
        if (rc != 0 || r.status != SOLVE_OPTIMAL) {
            out->status = rc < 0                         ? SOLVE_ERROR
                          : r.status == SOLVE_INFEASIBLE ? SOLVE_ERROR
                                                         : r.status;
            snprintf(out->message, sizeof out->message,
                     "the least energy at %.17g s was not proven: %s", t, r.message);
            solve_result_free(&r);
            break;
        }
        if (push_point(out, in, &r, battery) != 0) {
            solve_result_free(&r);
            return -1;
        }
        double e = out->points[out->count - 1].energy;
        solve_result_free(&r);
        energy_bound = e - PARETO_STEP * fabs(e);
        if (!(energy_bound > 0)) break; /* nothing uses less than no energy */
        if (base->cancel && atomic_load(base->cancel)) {
            out->status = SOLVE_FEASIBLE;
            snprintf(out->message, sizeof out->message, "cancelled");
            break;
        }
    }
    out->solve_time_s = used;
    if (out->status == SOLVE_OPTIMAL)
        snprintf(out->message, sizeof out->message, "%d point%s, each proven optimal%s", out->count,
                 out->count == 1 ? "" : "s", out->truncated ? " (stopped at the point limit)" : "");
    return 0;
}

void pareto_free(nn_pareto *p)
{
    if (!p) return;
    for (int i = 0; i < p->count; i++)
        free(p->points[i].place);
    free(p->points);
    memset(p, 0, sizeof *p);
}
