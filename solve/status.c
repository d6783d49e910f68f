/* Status names and the result's lifetime. */
#include <stdlib.h>
#include <string.h>

#include "solve.h"

const char *solve_status_name(nn_solve_status st)
{
    switch (st) {
    case SOLVE_OPTIMAL:
        return "optimal";
    case SOLVE_FEASIBLE:
        return "feasible";
    case SOLVE_INFEASIBLE:
        return "infeasible";
    case SOLVE_NO_RESULT:
        return "no result";
    case SOLVE_ERROR:
        return "error";
    }
    return "unknown";
}

void solve_result_free(nn_solve_result *r)
{
    if (!r) return;
    free(r->place);
    memset(r, 0, sizeof *r);
}
