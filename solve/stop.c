/* When a long computation gives up: a deadline on the monotonic clock, the
 * caller's cancel flag and, inside the race, the other engine's proof. */
#include <math.h>
#include <time.h>

#include "solve_internal.h"

double solve_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

nn_stop solve_stop_from(const nn_solve_options *opt, nn_engine engine)
{
    return (nn_stop){
        .deadline = opt->time_limit_s > 0 ? solve_clock() + opt->time_limit_s : INFINITY,
        .cancel = opt->cancel,
        .share = opt->share,
        .engine = engine,
    };
}

bool solve_stop_now(const nn_stop *s)
{
    if (!s) return false;
    if (s->cancel && atomic_load(s->cancel)) return true;
    if (share_stopped(s->share, s->engine)) return true;
    return isfinite(s->deadline) && solve_clock() > s->deadline;
}
