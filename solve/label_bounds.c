/* The label engine's lower bounds on the latency of any completion of a
 * label (MODEL.md, Engines), cheapest first, and their test hook. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels_internal.h"

/* The preload queues as streams, for the weight-streaming bound and the
 * visited sets' bound (both read them): each device g whose queue is open
 * and that runs a layer after l streams from a_g = q_g + trail_g at rate_g,
 * sorted by start. A device that loads in no time ends both: the streaming
 * bound is then its start, and the visited sets' bound is left out. */
typedef struct lab_streams {
    double a[NN_MAX_DEVICES], r[NN_MAX_DEVICES];
    int dev[NN_MAX_DEVICES], n;
    size_t open;   /* the devices of the streams */
    bool instant;  /* a device loads in no time, from a[0] (the first, by index) */
    bool all_rate; /* every device with a start has a finite positive rate */
} lab_streams;

static void streams_build(const lab_ctx *c, const double *ns, int l, lab_streams *st)
{
    st->n = 0;
    st->open = 0;
    st->instant = false;
    st->all_rate = true;
    for (int g = 0; g < c->D; g++) {
        double start = ns[S_Q + g] + c->trail[lab_at(c, l + 1, g)];
        if (!isfinite(start)) continue; /* closed, or runs nothing later */
        if (!(c->rate[g] > 0) || isinf(c->rate[g])) {
            st->all_rate = false;
            if (!(c->rate[g] > 0)) continue; /* streams nothing */
            st->instant = true;
            st->a[0] = start;
            return;
        }
        int k = st->n++;
        for (; k > 0 && st->a[k - 1] > start; k--) {
            st->a[k] = st->a[k - 1];
            st->r[k] = st->r[k - 1];
            st->dev[k] = st->dev[k - 1];
        }
        st->a[k] = start;
        st->r[k] = c->rate[g];
        st->dev[k] = g;
        st->open |= (size_t)1 << g;
    }
}

/* The water-filling level: the least T at which the streams at the sorted
 * positions in `pos` (a bit each) load `bytes`, sum_j r_j (T - a_j)+ =
 * bytes. INFINITY when there are none. */
static double water_level(const lab_streams *st, uint64_t pos, double bytes)
{
    double R = 0, S = 0;
    while (pos) {
        int j = __builtin_ctzll(pos);
        pos &= pos - 1;
        R += st->r[j];
        S += st->r[j] * st->a[j];
        double t = (bytes + S) / R;
        if (!pos || t <= st->a[__builtin_ctzll(pos)]) return t;
    }
    return INFINITY;
}

/* Preload: the weights still to load must stream in somewhere. If a device
 * g takes some of the layers after l, its queue frees at q_g, it loads them
 * one after the other at no more than rate_g bytes/s, and its last one then
 * computes and reaches the sink (at least trail_g). So T >= q_g + bytes_g /
 * rate_g + trail_g for every g used, and the bytes add up to what remains:
 * T is at least the least level at which sum_g rate_g (T - q_g - trail_g)+
 * covers them (water filling; memory, pins and shared tensors left out,
 * which only weakens it). */
static double load_bound(const lab_ctx *c, const lab_streams *st, int l)
{
    double bytes = c->rest[l + 1];
    if (!(bytes > 0)) return 0;
    if (st->instant) return st->a[0]; /* loads in no time: the weakest case */
    return water_level(st, ((uint64_t)1 << st->n) - 1, bytes);
}

/* Preload: the weight-streaming bound and the chain tail together. Let U be
 * the devices that run the layers after l. The chain then passes through
 * every device of U (T >= F + visit(l, e, U)), and only the devices of U
 * load the remaining bytes (T >= the water-filling level over U alone).
 * So T >= the least over sets M of the larger of the two. Spreading the
 * loads wide lowers the second and raises the first by the transfers that
 * reach the far devices. Stops once below `floor` (a bound known anyway).
 * `whole`: the level over every stream (load_bound's), NAN: not known. */
static double set_bound(const lab_ctx *c, const lab_streams *st, const double *ns, int l, int e,
                        double floor, double whole)
{
    if (!c->visit || l + 1 >= c->L) return 0;
    double bytes = c->rest[l + 1];
    if (!(bytes > 0)) return 0;
    if (!st->all_rate) return 0; /* no finite rate: skip */
    uint64_t at[NN_MAX_DEVICES]; /* each device's bit among the sorted streams */
    for (int k = 0; k < st->n; k++)
        at[st->dev[k]] = (uint64_t)1 << k;
    size_t open = st->open;
    const double *v = c->visit + (lab_at(c, l, e) << c->D);
    double best = INFINITY;
    for (size_t m = open; m; m = (m - 1) & open) {
        double chain = ns[S_F] + v[m];
        if (!(chain < best)) continue;
        double level;
        if (m == open && !isnan(whole)) {
            level = whole;
        } else {
            uint64_t pos = 0;
            for (size_t b = m; b; b &= b - 1)
                pos |= at[__builtin_ctzll(b)];
            level = water_level(st, pos, bytes);
        }
        best = lab_min(best, lab_max(chain, level));
        if (best <= floor) return best;
    }
    return best;
}

/* Whole layers: a device whose queue can take `x` bytes of the charged
 * layers >= k takes whole ones, each of hlo[k] to hhi[k] bytes, so at most
 * floor(x / hlo) of them and no more than that many times hhi. Where they
 * are alike (identical blocks) the share is a whole number of blocks,
 * where the fractional bound would let every device load a part of one
 * more. The 1e-9 keeps a count the sums' rounding puts just below a whole
 * one. */
static double whole_cap(const lab_ctx *c, int k, double x)
{
    double lo = c->hlo[k], n = x / lo * (1 + 1e-9);
    if (!(lo > 0) || !(n < 0x1p52)) return x; /* none charged, or too many to count */
    return lab_min(x, (double)(int64_t)n * c->hhi[k]); /* n >= 0: the cast is floor, no libm */
}

/* Preload: the chain also computes the bytes it streams. Let U be the
 * devices that run the layers after l (exactly those), and let g take
 * bytes_g of the own weights of the charged layers (cvisit). The chain's
 * time is then sum_g kappa_g bytes_g plus what cvisit counts (each layer's
 * compute, less kappa per byte on the charged ones, and every transfer),
 * so T >= F + cvisit(l, e, U) + sum_g kappa_g bytes_g. As in load_bound,
 * the queue of g must load all it runs by T - trail_g: its charged bytes,
 * and with the others all the remaining bytes, fit under rate_g (T - q_g -
 * trail_g)+, and under the bytes of the layers g may run at all (okrest:
 * after lab_ctx_restrict, a far device may be left only the small ones). For a given T and U the
 * least compute fills the cheapest devices first (fractional knapsack); T is ruled out when no U
 * passes. Slow devices can then take weights only at the price of their compute. */
static bool charge_exceeds(const lab_ctx *c, const double *ns, int l, int e, double T)
{
    if (!c->cvisit || l + 1 >= c->L) return false;
    double bytes = c->rest[l + 1], charged = c->hrest[l + 1];
    if (!(bytes > 0)) return false;
    int D = c->D;
    double u[NN_MAX_DEVICES], hu[NN_MAX_DEVICES];
    size_t open = 0;
    for (int g = 0; g < D; g++) {
        if (!(c->rate[g] > 0) || isinf(c->rate[g])) return false;
        double a = ns[S_Q + g] + c->trail[lab_at(c, l + 1, g)];
        if (!isfinite(a)) continue;
        u[g] = T > a ? lab_min(c->rate[g] * (T - a), c->okrest[lab_at(c, l + 1, g)]) : 0;
        hu[g] = whole_cap(c, l + 1, lab_min(u[g], c->hokrest[lab_at(c, l + 1, g)]));
        open |= (size_t)1 << g;
    }
    const double *vc = c->cvisit + (lab_at(c, l, e) << D);
    const double *vis = c->visit + (lab_at(c, l, e) << D);
    for (size_t m = open; m; m = (m - 1) & open) {
        double budget = T - ns[S_F] - vc[m];
        if (!(budget >= 0) || ns[S_F] + vis[m] > T) continue;
        double room = 0; /* by device, as ever: the same sum */
        for (size_t b = m; b; b &= b - 1)
            room += u[__builtin_ctzll(b)];
        if (room < bytes * (1 - 1e-12)) continue; /* the okrest caps may add up to it exactly */
        double left = charged, cost = 0;
        for (int i = 0; i < D && left > 0; i++) {
            int g = c->korder[i];
            if (!(m >> g & 1)) continue;
            double take = lab_min(left, hu[g]);
            left -= take;
            cost += take * c->kappa[g];
        }
        /* The charged layers must all fit the set's whole-layer shares. */
        if (cost <= budget && left <= charged * 1e-12) return false;
    }
    return true;
}

/* Preload: the streaming bound with each device's own tail. Order the
 * devices U that run the charged layers (cvisit) after l by their last
 * charged layer: g_1, ..., g_m. The queue of g_i loads all its charged
 * bytes by the start of that layer, which then computes, and the charged
 * layers after it run on exactly the devices after g_i in that order:
 * bytes_i <= rate_i (T - q_i - vlast(l, g_i, {g_i+1, ..., g_m}))+, and no
 * more than the charged layers g_i may run (hokrest); the bytes add up to
 * the charged ones left, and the chain from l passes through U (F +
 * hvisit(l, e, U) <= T). A device whose blocks come before a far one's (a
 * cloud reached by one long transfer) must stop loading that much
 * earlier. For a given T, a DP over sets from the end finds the order and
 * set that can stream the most: C(S) = max over g in S of room_g(S - g) +
 * C(S - g). T is ruled out when no U streams the charged bytes left. */
static bool order_exceeds(const lab_ctx *c, const double *ns, int l, int e, double T)
{
    if (!c->vlast || l + 1 >= c->L) return false;
    double bytes = c->hrest[l + 1];
    if (!(bytes > 0)) return false;
    int D = c->D;
    size_t open = 0;
    double C[(size_t)1 << VISIT_MAX_DEVICES];
    /* Per device: its queue, rate, cap and vlast row. */
    double q[VISIT_MAX_DEVICES], rate[VISIT_MAX_DEVICES], cap[VISIT_MAX_DEVICES];
    const double *last[VISIT_MAX_DEVICES];
    for (int g = 0; g < D; g++) {
        if (!(c->rate[g] > 0) || isinf(c->rate[g])) return false;
        q[g] = ns[S_Q + g];
        rate[g] = c->rate[g];
        cap[g] = c->hokrest[lab_at(c, l + 1, g)];
        last[g] = c->vlast + (lab_at(c, l, g) << D);
        if (isfinite(q[g]) && cap[g] > 0) open |= (size_t)1 << g;
    }
    const double *vis = c->hvisit + (lab_at(c, l, e) << D);
    /* One order first, built greedily from the end (the device that adds
     * the most next): where it streams enough, T stands without the DP. */
    size_t S = 0;
    double got = 0;
    for (int n = 0; n < D; n++) {
        int pick = -1;
        double more = 0;
        for (size_t left = open & ~S; left; left &= left - 1) {
            int g = __builtin_ctzll(left);
            double a = q[g] + last[g][S];
            double room = T > a ? whole_cap(c, l + 1, lab_min(rate[g] * (T - a), cap[g])) : 0;
            if (room > more) {
                more = room;
                pick = g;
            }
        }
        if (pick < 0) break;
        S |= (size_t)1 << pick;
        got += more;
        if (got >= bytes && ns[S_F] + vis[S] <= T) return false;
    }
    /* The DP over the subsets of the open devices, in increasing order (each
     * subset's own subsets come before it). */
    C[0] = 0;
    for (S = open & (0 - open); S; S = (S - open) & open) {
        double best = 0;
        for (size_t bits = S; bits; bits &= bits - 1) {
            int g = __builtin_ctzll(bits);
            size_t R = S & ~((size_t)1 << g);
            double a = q[g] + last[g][R];
            double room = T > a ? whole_cap(c, l + 1, lab_min(rate[g] * (T - a), cap[g])) : 0;
            best = lab_max(best, room + C[R]);
        }
        C[S] = best;
        if (ns[S_F] + vis[S] <= T && best >= bytes * (1 - 1e-12)) return false;
    }
    return true;
}

/* The least T a test `exceeds` allows (monotone in T), for the tests. */
static double least_allowed(bool (*exceeds)(const lab_ctx *, const double *, int, int, double),
                            const lab_ctx *c, const double *ns, int l, int e)
{
    double lo = 0, hi = 1;
    if (!exceeds(c, ns, l, e, 0)) return 0;
    while (exceeds(c, ns, l, e, hi))
        if (!isfinite(hi *= 2)) return INFINITY;
    for (int i = 0; i < 200 && nextafter(lo, INFINITY) < hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (exceeds(c, ns, l, e, mid))
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Preload: the next layer on some g starts once its input arrives and g's
 * queue has loaded it. */
static double next_bound(const lab_ctx *c, const double *ns, int l, int e)
{
    const nn_instance *in = c->in;
    if (c->mode != MODE_PRELOAD || l + 1 >= c->L) return 0;
    double next = INFINITY;
    for (int g = 0; g < c->D; g++) {
        if (!c->ok[lab_at(c, l + 1, g)] || isinf(ns[S_Q + g])) continue;
        double x = instance_xfer(in, l + 1, e, g);
        if (!isfinite(x)) continue;
        double t = lab_max(ns[S_F] + x, ns[S_Q + g] + solve_load(in, l + 1, g)) +
                   solve_comp(in, l + 1, g) + c->tail[lab_at(c, l + 1, g)];
        next = lab_min(next, t);
    }
    return next;
}

/* Preload: a later layer k runs on some device g whose queue must first
 * load it, after which it computes and the chain still reaches the sink:
 * T >= min over g of q_g + load(k, g) + comp(k, g) + tail(k, g). A layer is
 * not divisible, unlike the bytes of the streaming bound: one large layer
 * (VGG's first fully connected layer) bounds where the streaming bound
 * spreads it over every device. And k starts no sooner than the chain from
 * l can bring its input to g (reach). */
static const double *reach_to(const lab_ctx *c, int k, int l, int e)
{
    if (!c->reach || !c->reach[k]) return NULL;
    return c->reach[k] + ((size_t)l * c->D + (size_t)e) * (size_t)c->D;
}

/* The earliest start of heavy layer k on g: its queue has loaded it (and
 * `extra` more), and the chain from l on e has brought its input. */
static double heavy_start(const lab_ctx *c, const double *ns, int l, int e, int k, int g,
                          double extra)
{
    double start = ns[S_Q + g] + extra + solve_load(c->in, k, g);
    const double *r = reach_to(c, k, l, e);
    if (r) start = lab_max(start, ns[S_F] + r[g]);
    return start;
}

static double heavy_bound(const lab_ctx *c, const double *ns, int l, int e)
{
    if (!c->heavy || l + 1 >= c->L) return 0;
    const nn_instance *in = c->in;
    int D = c->D;
    const int *hk = c->heavy + (size_t)l * HEAVY_K;
    double lb = 0;
    for (int i = 0; i < HEAVY_K && hk[i] >= 0; i++) {
        int k = hk[i];
        double best = INFINITY;
        for (int g = 0; g < D; g++)
            if (c->ok[lab_at(c, k, g)])
                best = lab_min(best, heavy_start(c, ns, l, e, k, g, 0) + solve_comp(in, k, g) +
                                         c->tail[lab_at(c, k, g)]);
        lb = lab_max(lb, best);
    }
    /* Two heavy layers a < b together: b's queue also loads a when they
     * share a device, and b's input comes after a finishes, then the chain
     * from a to b. */
    if (!c->reach || HEAVY_K < 2 || hk[1] < 0) return lb;
    int a = hk[0] < hk[1] ? hk[0] : hk[1], b = hk[0] < hk[1] ? hk[1] : hk[0];
    double best = INFINITY;
    for (int ga = 0; ga < D; ga++) {
        if (!c->ok[lab_at(c, a, ga)]) continue;
        double fa = heavy_start(c, ns, l, e, a, ga, 0) + solve_comp(in, a, ga);
        const double *r = reach_to(c, b, a, ga);
        if (!isfinite(fa) || !r) continue;
        for (int gb = 0; gb < D; gb++) {
            if (!c->ok[lab_at(c, b, gb)]) continue;
            double sb =
                ns[S_Q + gb] + solve_load(in, b, gb) + (ga == gb ? solve_load(in, a, ga) : 0);
            sb = lab_max(sb, fa + r[gb]);
            best = lab_min(best, sb + solve_comp(in, b, gb) + c->tail[lab_at(c, b, gb)]);
        }
    }
    return lab_max(lb, best);
}

/* Lower bound on the latency of any completion of ns (layer l on e); once
 * it is above `stop` (the label is pruned) the costlier bounds are left
 * out. Cheapest first. */
double lab_bound_until(const lab_ctx *c, const double *ns, int l, int e, double stop)
{
    double lb = ns[S_F] + c->tail[lab_at(c, l, e)];
    if (c->mode != MODE_PRELOAD || l + 1 >= c->L || lb > stop) return lb;
    lb = lab_max(lb, next_bound(c, ns, l, e));
    if (lb > stop) return lb;
    lab_streams st;
    streams_build(c, ns, l, &st);
    double whole = load_bound(c, &st, l);
    lb = lab_max(lb, whole);
    if (lb > stop) return lb;
    lb = lab_max(lb, heavy_bound(c, ns, l, e));
    if (lb > stop) return lb;
    /* The charged compute answers only whether T = stop is possible; it
     * implies the visited sets' test at stop, whose value is then only
     * wanted when it is finite (the search's order, the reported gap) and
     * the label lives on. */
    if (isfinite(stop) && (charge_exceeds(c, ns, l, e, stop) || order_exceeds(c, ns, l, e, stop)))
        return nextafter(stop, INFINITY);
    return lab_max(lb, set_bound(c, &st, ns, l, e, lb, whole));
}

/* Whether lab_bound_until(c, ns, l, e, stop) > stop, where only that is
 * wanted (the tie-break's exact searches): where the charged-compute test
 * runs, passing it implies the visited sets' test at stop (some set streams
 * the bytes and its chain reaches the sink by stop), whose value is then
 * left out. */
bool lab_bound_exceeds(const lab_ctx *c, const double *ns, int l, int e, double stop)
{
    if (ns[S_F] + c->tail[lab_at(c, l, e)] > stop) return true;
    if (c->mode != MODE_PRELOAD || l + 1 >= c->L || !isfinite(stop)) return false;
    if (next_bound(c, ns, l, e) > stop) return true;
    lab_streams st;
    streams_build(c, ns, l, &st);
    double whole = load_bound(c, &st, l);
    if (whole > stop || heavy_bound(c, ns, l, e) > stop) return true;
    if (charge_exceeds(c, ns, l, e, stop) || order_exceeds(c, ns, l, e, stop)) return true;
    return !c->cvisit && set_bound(c, &st, ns, l, e, stop, whole) > stop;
}

bool labels_prefix_bounds(const nn_instance *in, nn_mode mode, const int *prefix, int l,
                          double close_limit, double *bounds)
{
    lab_ctx c = {0};
    bool reached = false;
    double *s = NULL;
    double *cur = lab_prefix_label(&c, in, mode, prefix, l, close_limit, &s);
    if (!cur) goto done;
    int e = prefix[l];
    bounds[0] = cur[S_F] + c.tail[lab_at(&c, l, e)];
    bounds[1] = next_bound(&c, cur, l, e);
    lab_streams st = {0};
    bool streams = c.mode == MODE_PRELOAD && l + 1 < in->L;
    if (streams) streams_build(&c, cur, l, &st);
    bounds[2] = streams ? load_bound(&c, &st, l) : 0;
    bounds[3] = streams ? set_bound(&c, &st, cur, l, e, -INFINITY, NAN) : 0;
    bounds[4] = heavy_bound(&c, cur, l, e);
    bounds[5] = c.mode == MODE_PRELOAD ? least_allowed(charge_exceeds, &c, cur, l, e) : 0;
    bounds[6] = c.mode == MODE_PRELOAD ? least_allowed(order_exceeds, &c, cur, l, e) : 0;
    reached = true;
done:
    free(s);
    lab_ctx_free(&c);
    return reached;
}
