/* Local search on a placement. local_improve moves single layers to other
 * devices while the evaluator's latency drops: cheap (the evaluator is
 * O(L)), and it turns the contiguous DP's answer into a better first
 * incumbent where the optimum revisits devices. local_tiebreak keeps the
 * latency and shortens the busy path instead, by moving runs of layers;
 * local_settle then picks one placement among exact ties. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve_internal.h"

#define LOCAL_MAX_PASSES 50
#define LOCAL_ALWAYS_WORK 2e6 /* L^2 D: a pass well under a millisecond */

double local_improve(const nn_instance *in, nn_mode mode, int *place)
{
    return local_improve_until(in, mode, place, NULL);
}

double local_improve_until(const nn_instance *in, nn_mode mode, int *place, const nn_stop *stop)
{
    int L = in->L, D = in->D;
    double best = eval_latency(in, place, mode);
    if (!isfinite(best)) return best;
    /* A pass costs L * D evaluations of O(L): seconds on long networks, but
     * on small ones always done (a stopped solve keeps this incumbent). */
    if ((double)L * L * D < LOCAL_ALWAYS_WORK) stop = NULL;
    for (int pass = 0; pass < LOCAL_MAX_PASSES; pass++) {
        bool improved = false;
        for (int l = 0; l < L; l++) {
            if ((l & 15) == 0 && solve_stop_now(stop)) return best;
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

/* A bouncing placement (phone, hub, phone) is undone only by moving a whole
 * run at once, so the moves put every segment [a, b] on one device. First
 * improvement, in a fixed order: the result depends only on the input. */
double local_tiebreak(const nn_instance *in, nn_mode mode, int *place, double limit)
{
    int L = in->L, D = in->D;
    double busy = solve_busy_path(in, place);
    if (!isfinite(busy)) return busy;
    int *keep = malloc((size_t)L * sizeof *keep);
    if (!keep) return busy;
    for (int pass = 0; pass < LOCAL_MAX_PASSES; pass++) {
        bool improved = false;
        for (int d = 0; d < D; d++) {
            for (int a = 0; a < L; a++) {
                memcpy(keep, place, (size_t)L * sizeof *keep);
                bool moved = false;
                for (int b = a; b < L && solve_layer_fits(in, b, d); b++) {
                    moved |= place[b] != d;
                    place[b] = d;
                    if (!moved) continue;
                    double t = solve_busy_path(in, place);
                    /* A relative margin keeps rounding from cycling. */
                    if (t < busy * (1 - 1e-12) && eval_latency(in, place, mode) <= limit) {
                        busy = t;
                        memcpy(keep, place, (size_t)L * sizeof *keep);
                        improved = true;
                    }
                }
                memcpy(place, keep, (size_t)L * sizeof *keep);
            }
        }
        if (!improved) break;
    }
    free(keep);
    return busy;
}

/* Ties remain among placements of equal latency and busy path: a layer
 * that costs nothing (a flatten, an identity pooling) whose output is as
 * large as its input may sit on either side of a device change. Each such
 * layer joins the layer before it, so the answer does not depend on which
 * tie the search met first. */
void local_settle(const nn_instance *in, nn_mode mode, int *place, double limit, double busy_limit)
{
    for (int pass = 0; pass < in->L; pass++) {
        bool moved = false;
        for (int l = 1; l < in->L; l++) {
            int keep = place[l];
            if (keep == place[l - 1]) continue;
            place[l] = place[l - 1];
            if (solve_busy_path(in, place) <= busy_limit && eval_latency(in, place, mode) <= limit)
                moved = true;
            else
                place[l] = keep;
        }
        if (!moved) break;
    }
}
