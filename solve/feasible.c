/* Which (layer, device) pairs can appear in a feasible placement, and, when
 * none can, the simplest reason in words. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solve_internal.h"
#include "units.h"

bool feasible_mask(const nn_instance *in, unsigned char *ok)
{
    int L = in->L, D = in->D;
    if (L <= 0 || D <= 0) return false;
    /* Forward: reachable from the source through devices the layers fit. */
    for (int l = 0; l < L; l++) {
        for (int e = 0; e < D; e++) {
            bool reach = false;
            if (solve_layer_fits(in, l, e)) {
                if (l == 0) {
                    reach = isfinite(instance_xfer(in, 0, in->source, e));
                } else {
                    for (int d = 0; d < D && !reach; d++)
                        reach = ok[(size_t)(l - 1) * D + d] && isfinite(instance_xfer(in, l, d, e));
                }
            }
            ok[(size_t)l * D + e] = reach;
        }
    }
    /* Backward: can still reach the sink. */
    for (int d = 0; d < D; d++)
        if (!isfinite(instance_xfer(in, L, d, in->sink))) ok[(size_t)(L - 1) * D + d] = 0;
    for (int l = L - 2; l >= 0; l--) {
        for (int d = 0; d < D; d++) {
            if (!ok[(size_t)l * D + d]) continue;
            bool onward = false;
            for (int e = 0; e < D && !onward; e++)
                onward = ok[(size_t)(l + 1) * D + e] && isfinite(instance_xfer(in, l + 1, d, e));
            ok[(size_t)l * D + d] = onward;
        }
    }
    for (int d = 0; d < D; d++)
        if (ok[d]) return true;
    return false;
}

static void fmt_bytes(double v, char *buf, size_t size)
{
    units_format(v, UNIT_BYTES, buf, size);
}

/* "phone", "phone or hub", "phone, hub or cloud" for the marked devices. */
static void names_join(const nn_instance *in, const unsigned char *set, char *buf, size_t size)
{
    int n = 0, total = 0;
    for (int d = 0; d < in->D; d++)
        total += set[d] != 0;
    buf[0] = '\0';
    for (int d = 0; d < in->D; d++) {
        if (!set[d]) continue;
        size_t len = strlen(buf);
        const char *sep = n == 0 ? "" : (n == total - 1 ? " or " : ", ");
        snprintf(buf + len, size - len, "%s%s", sep, in->device_names[d]);
        n++;
    }
}

static int count_set(const unsigned char *set, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += set[i] != 0;
    return c;
}

static bool explain_memory(const nn_instance *in, char *why, size_t size)
{
    int L = in->L, D = in->D;
    char a[32], b[32], c[32];
    double weights = 0, memory = 0;
    for (int l = 0; l < L; l++)
        weights += in->weights[l];
    for (int t = 0; t < in->S; t++)
        weights += in->shared_bytes[t]; /* at least once */
    for (int d = 0; d < D; d++)
        memory += in->memory[d];
    if (weights > memory) {
        fmt_bytes(weights, a, sizeof a);
        fmt_bytes(memory, b, sizeof b);
        snprintf(why, size,
                 "the network's weights, %s, exceed the memory of all devices together (%s)", a, b);
        return true;
    }
    for (int l = 0; l < L; l++) {
        int p = in->pin[l];
        if (p < 0 || p >= D || solve_layer_need(in, l) <= in->memory[p]) continue;
        fmt_bytes(in->memory[p], a, sizeof a);
        fmt_bytes(solve_layer_need(in, l), b, sizeof b);
        snprintf(why, size,
                 "layer %s is pinned to %s, which has only %s of memory (the layer needs %s: "
                 "weights plus input and output)",
                 in->layer_names[l], in->device_names[p], a, b);
        return true;
    }
    for (int l = 0; l < L; l++) {
        int best = 0;
        for (int d = 1; d < D; d++)
            if (in->memory[d] > in->memory[best]) best = d;
        if (solve_layer_need(in, l) <= in->memory[best]) continue;
        fmt_bytes(solve_layer_need(in, l), a, sizeof a);
        fmt_bytes(in->memory[best], b, sizeof b);
        snprintf(why, size,
                 "layer %s needs %s of memory (weights plus input and output), more than any "
                 "device has (the largest, %s, has %s)",
                 in->layer_names[l], a, in->device_names[best], b);
        return true;
    }
    for (int d = 0; d < D; d++) {
        double w = 0, peak = 0;
        int n = 0;
        for (int l = 0; l < L; l++) {
            if (in->pin[l] != d) continue;
            w += instance_weight(in, in->pin, l); /* unpinned layers are on no device */
            peak = fmax(peak, in->act[l]);
            n++;
        }
        if (n < 2 || w + peak <= in->memory[d]) continue;
        fmt_bytes(w + peak, a, sizeof a);
        fmt_bytes(in->memory[d], c, sizeof c);
        snprintf(why, size, "the %d layers pinned to %s need %s of memory together, it has only %s",
                 n, in->device_names[d], a, c);
        return true;
    }
    return false;
}

/* Walks forward over the devices each layer fits and reports the first
 * boundary no route crosses. */
static bool explain_routes(const nn_instance *in, char *why, size_t size)
{
    int L = in->L, D = in->D;
    unsigned char prev[NN_MAX_DEVICES], cur[NN_MAX_DEVICES], fits[NN_MAX_DEVICES];
    char from[NN_TEXT_LEN], to[NN_TEXT_LEN];
    for (int l = 0; l < L; l++) {
        for (int e = 0; e < D; e++) {
            fits[e] = solve_layer_fits(in, l, e);
            cur[e] = 0;
            if (!fits[e]) continue;
            if (l == 0) {
                cur[e] = isfinite(instance_xfer(in, 0, in->source, e));
            } else {
                for (int d = 0; d < D && !cur[e]; d++)
                    cur[e] = prev[d] && isfinite(instance_xfer(in, l, d, e));
            }
        }
        if (count_set(cur, D) == 0) {
            names_join(in, fits, to, sizeof to);
            if (l == 0) {
                snprintf(why, size,
                         "no route from %s (the source) to %s, where layer %s can run, for the "
                         "network input",
                         in->device_names[in->source], to, in->layer_names[0]);
            } else {
                names_join(in, prev, from, sizeof from);
                snprintf(why, size,
                         "no route from %s to %s for the output of layer %s (%s can run on %s, %s "
                         "on %s)",
                         from, to, in->layer_names[l - 1], in->layer_names[l - 1], from,
                         in->layer_names[l], to);
            }
            return true;
        }
        memcpy(prev, cur, sizeof prev);
    }
    for (int d = 0; d < D; d++)
        if (prev[d] && isfinite(instance_xfer(in, L, d, in->sink))) return false;
    names_join(in, prev, from, sizeof from);
    snprintf(why, size, "no route from %s to %s (the sink) for the output of layer %s", from,
             in->device_names[in->sink], in->layer_names[L - 1]);
    return true;
}

bool feasible_explain(const nn_instance *in, char *why, size_t size)
{
    if (in->L <= 0) {
        snprintf(why, size, "the network has no layers");
        return true;
    }
    if (in->D <= 0) {
        snprintf(why, size, "the scenario has no devices");
        return true;
    }
    return explain_memory(in, why, size) || explain_routes(in, why, size);
}

double feasible_lower_bound(const nn_instance *in, nn_mode mode)
{
    double sum = 0;
    for (int l = 0; l < in->L; l++) {
        double best = INFINITY;
        for (int d = 0; d < in->D; d++) {
            if (!solve_layer_fits(in, l, d)) continue;
            double t = solve_comp(in, l, d) + (mode == MODE_ONDEMAND ? solve_load(in, l, d) : 0);
            best = fmin(best, t);
        }
        sum += best;
    }
    return sum;
}

void solve_message_infeasible(nn_solve_result *out, const nn_instance *in, bool after_solver)
{
    char why[sizeof out->message - 16];
    if (!feasible_explain(in, why, sizeof why)) {
        snprintf(why, sizeof why,
                 after_solver
                     ? "every layer fits some device and routes exist, but no placement fits "
                       "memory, pins and routes at once"
                     : "no placement satisfies memory, pins and routes");
    }
    out->status = SOLVE_INFEASIBLE;
    snprintf(out->message, sizeof out->message, "infeasible: %s", why);
}
