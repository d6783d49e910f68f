/* Local search on a placement: move single layers to other devices, and
 * exchange the devices of two runs, while the evaluator's latency drops.
 * Cheap (the evaluator is O(L)), and it turns the contiguous DP's answer
 * into a better first incumbent where the optimum revisits devices. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve_internal.h"

#define LOCAL_MAX_PASSES 50

double local_improve(const nn_instance *in, nn_mode mode, int *place)
{
    int L = in->L, D = in->D;
    double best = eval_latency(in, place, mode);
    if (!isfinite(best)) return best;
    for (int pass = 0; pass < LOCAL_MAX_PASSES; pass++) {
        bool improved = false;
        for (int l = 0; l < L; l++) {
            int keep = place[l], pick = keep;
            for (int d = 0; d < D; d++) {
                if (d == keep) continue;
                place[l] = d;
                double t = eval_latency(in, place, mode);
                if (t < best) {
                    best = t;
                    pick = d;
                }
            }
            place[l] = pick;
            improved |= pick != keep;
        }
        if (!improved) break;
    }
    return best;
}
