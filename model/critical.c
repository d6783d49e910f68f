/* The critical path: walk back from the sink through what each start waited
 * for, charging every instant of [0, T] to one segment. */
#include "critical.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

const char *critical_kind_name(nn_cp_kind k)
{
    switch (k) {
    case CP_COMPUTE:
        return "compute";
    case CP_TRANSFER:
        return "transfer";
    case CP_WEIGHTS:
        return "weights";
    case CP_KIND_COUNT:
        break;
    }
    return "?";
}

void critical_free(nn_critical *c)
{
    if (!c) return;
    free(c->seg);
    free(c->compute_on);
    free(c->weights_on);
    free(c->link);
    free(c->layer_on);
    free(c->load_on);
    free(c->hop_on);
    memset(c, 0, sizeof *c);
}

/* Segments are found from the end backwards; `push` appends, the caller
 * reverses once at the end. */
static void push(nn_critical *c, nn_cp_segment s)
{
    if (!(s.t1 > s.t0)) return; /* an instant holds nothing up */
    c->seg[c->nseg++] = s;
}

/* The hops of boundary b, latest first. */
static void push_hops(nn_critical *c, const nn_eval *ev, int b)
{
    for (int i = ev->nhops - 1; i >= 0; i--) {
        const nn_hop_span *h = &ev->hops[i];
        if (h->boundary != b) continue;
        c->hop_on[i] = true;
        push(c, (nn_cp_segment){.kind = CP_TRANSFER,
                                .t0 = h->start,
                                .t1 = h->end,
                                .layer = -1,
                                .device = h->from,
                                .to = h->to,
                                .boundary = b,
                                .index = i});
    }
}

static void push_load(nn_critical *c, const nn_eval *ev, int i)
{
    const nn_load_span *s = &ev->loads[i];
    c->load_on[i] = true;
    push(c, (nn_cp_segment){.kind = CP_WEIGHTS,
                            .t0 = s->start,
                            .t1 = s->end,
                            .layer = s->layer,
                            .device = s->device,
                            .to = -1,
                            .boundary = -1,
                            .index = i});
}

/* Layer l waited for its weights: in preload they streamed on its device
 * from 0 (the path ends there); on demand they loaded after its input
 * arrived (the path goes on through the input). Returns true when the path
 * ends. */
static bool push_weights(nn_critical *c, const nn_eval *ev, int l)
{
    int d = ev->layers[l].device;
    if (ev->mode == MODE_ONDEMAND) {
        for (int i = ev->nloads - 1; i >= 0; i--)
            if (ev->loads[i].layer == l) {
                push_load(c, ev, i);
                break;
            }
        return false;
    }
    for (int i = ev->nloads - 1; i >= 0; i--)
        if (ev->loads[i].device == d && ev->loads[i].layer <= l) push_load(c, ev, i);
    return true;
}

static int alloc_all(nn_critical *c, const nn_eval *ev)
{
    size_t D = (size_t)ev->D, L = (size_t)ev->L;
    /* Every hop, one compute per layer, at most every load. */
    c->seg = calloc((size_t)ev->nhops + L + (size_t)ev->nloads + 1, sizeof *c->seg);
    c->compute_on = calloc(D, sizeof *c->compute_on);
    c->weights_on = calloc(D, sizeof *c->weights_on);
    c->link = calloc(D * D, sizeof *c->link);
    c->layer_on = calloc(L, sizeof *c->layer_on);
    c->load_on = calloc((size_t)ev->nloads + 1, sizeof *c->load_on);
    c->hop_on = calloc((size_t)ev->nhops + 1, sizeof *c->hop_on);
    return c->seg && c->compute_on && c->weights_on && c->link && c->layer_on && c->load_on &&
                   c->hop_on
               ? 0
               : -1;
}

int critical_path(const nn_instance *in, const nn_eval *ev, nn_critical *out)
{
    memset(out, 0, sizeof *out);
    if (!isfinite(ev->latency) || !ev->layers || ev->L != in->L || ev->L <= 0) return -1;
    out->latency = ev->latency;
    out->D = ev->D;
    if (alloc_all(out, ev) != 0) {
        critical_free(out);
        return -1;
    }
    /* From the sink back: the output's hops, then the last layer, and so on. */
    int b = ev->L;
    for (;;) {
        push_hops(out, ev, b);
        if (b == 0) break;
        int l = b - 1;
        const nn_layer_time *t = &ev->layers[l];
        out->layer_on[l] = true;
        push(out, (nn_cp_segment){.kind = CP_COMPUTE,
                                  .t0 = t->start,
                                  .t1 = t->finish,
                                  .layer = l,
                                  .device = t->device,
                                  .to = -1,
                                  .boundary = -1,
                                  .index = -1});
        if (t->waited == WAIT_WEIGHTS && push_weights(out, ev, l)) break;
        b = l;
    }
    for (int i = 0, j = out->nseg - 1; i < j; i++, j--) {
        nn_cp_segment s = out->seg[i];
        out->seg[i] = out->seg[j];
        out->seg[j] = s;
    }
    int D = ev->D;
    for (int i = 0; i < out->nseg; i++) {
        const nn_cp_segment *s = &out->seg[i];
        double dt = s->t1 - s->t0;
        out->total[s->kind] += dt;
        if (s->kind == CP_COMPUTE) out->compute_on[s->device] += dt;
        if (s->kind == CP_WEIGHTS) out->weights_on[s->device] += dt;
        if (s->kind == CP_TRANSFER) {
            int a = s->device < s->to ? s->device : s->to,
                z = s->device < s->to ? s->to : s->device;
            out->link[a * D + z] += dt;
        }
    }
    return 0;
}

typedef struct share {
    double v;
    char name[2 * NN_NAME_LEN + 2];
} share;

static int share_cmp(const void *pa, const void *pb)
{
    const share *a = pa, *b = pb;
    return (a->v < b->v) - (a->v > b->v);
}

/* " (phone 40 ms, cloud 20 ms)", largest first; one name alone has no number. */
static void append_shares(share *sh, int n, char *buf, size_t size)
{
    qsort(sh, (size_t)n, sizeof *sh, share_cmp);
    size_t len = strlen(buf);
    for (int i = 0; i < n && len + 1 < size; i++) {
        char v[32];
        units_format(sh[i].v, UNIT_TIME, v, sizeof v);
        int m = n == 1 ? snprintf(buf + len, size - len, " (%s)", sh[i].name)
                       : snprintf(buf + len, size - len, "%s%s %s%s", i ? ", " : " (", sh[i].name,
                                  v, i == n - 1 ? ")" : "");
        if (m < 0) break;
        len += (size_t)m;
        if (len >= size) len = size - 1;
    }
}

void critical_format(const nn_instance *in, const nn_critical *c, bool brief, char *buf,
                     size_t size)
{
    buf[0] = '\0';
    if (size == 0 || !c->seg) return;
    int D = c->D;
    share *sh = calloc((size_t)D * (size_t)D + 1, sizeof *sh);
    if (!sh) return;
    static const nn_cp_kind order[] = {CP_COMPUTE, CP_TRANSFER, CP_WEIGHTS};
    bool first = true;
    for (int k = 0; k < 3; k++) {
        nn_cp_kind kind = order[k];
        if (!(c->total[kind] > 0)) continue;
        char v[32];
        units_format(c->total[kind], UNIT_TIME, v, sizeof v);
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s %s", first ? "" : " + ", critical_kind_name(kind), v);
        first = false;
        int n = 0;
        for (int a = 0; a < D; a++) {
            if (kind == CP_TRANSFER) {
                for (int z = a + 1; z < D; z++)
                    if (c->link[a * D + z] > 0) {
                        sh[n].v = c->link[a * D + z];
                        snprintf(sh[n].name, sizeof sh[n].name, "%s-%s", in->device_names[a],
                                 in->device_names[z]);
                        n++;
                    }
                continue;
            }
            double v2 = kind == CP_COMPUTE ? c->compute_on[a] : c->weights_on[a];
            if (v2 > 0) {
                sh[n].v = v2;
                snprintf(sh[n].name, sizeof sh[n].name, "%s", in->device_names[a]);
                n++;
            }
        }
        if (n > 0 && (!brief || n == 1)) append_shares(sh, n, buf, size);
    }
    free(sh);
}
