#include "report.h"

#include <math.h>
#include <string.h>

#include "cli.h"
#include "critical.h"
#include "table.h"

void report_format(double value, unit_kind kind, char *buf, size_t size)
{
    if (isfinite(value))
        units_format(value, kind, buf, size);
    else
        snprintf(buf, size, "-");
}

int report_cell(cli_table *t, double value, unit_kind kind)
{
    char text[32];
    report_format(value, kind, text, sizeof text);
    return table_cell(t, "%s", text);
}

void report_placement_json(json_writer *w, const nn_instance *in, const int *place)
{
    json_key(w, "placement");
    if (!place) {
        json_null(w);
        return;
    }
    json_array_begin_inline(w);
    for (int l = 0; l < in->L; l++)
        json_string(w, in->device_names[place[l]]);
    json_array_end(w);
}

void report_mode_text(const nn_scenario *s, nn_objective objective, char *buf, size_t size)
{
    nn_mode m = objective_mode(objective, s->mode);
    if (m == s->mode)
        snprintf(buf, size, "%s", mode_name(m));
    else
        snprintf(buf, size,
                 "%s (objective %s keeps weights resident; the file's %s does not apply)",
                 mode_name(m), objective_name(objective), mode_name(s->mode));
}

void report_scenario_header(FILE *out, const nn_scenario *s, nn_objective objective)
{
    char mode[160];
    report_mode_text(s, objective, mode, sizeof mode);
    fprintf(out, "scenario:  %s\nnetwork:   %s, %d layers\nmode:      %s\n", s->name, s->net.name,
            s->net.nlayers, mode);
}

static const char *reason_kind_name(nn_reason_kind k)
{
    switch (k) {
    case REASON_MEMORY:
        return "memory";
    case REASON_PIN:
        return "pin";
    case REASON_ROUTE:
        return "route";
    case REASON_DEVICE:
        return "device";
    }
    return "other";
}

/* "input", or "output of L1". */
static void tensor_name(const nn_instance *in, int boundary, char *buf, size_t size)
{
    if (boundary == 0)
        snprintf(buf, size, "input");
    else
        snprintf(buf, size, "output of %s", in->layer_names[boundary - 1]);
}

const char *report_wait_name(nn_wait w)
{
    switch (w) {
    case WAIT_INPUT:
        return "input";
    case WAIT_WEIGHTS:
        return "weights";
    case WAIT_NOTHING:
        break;
    }
    return "nothing";
}

static void print_layers(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    nn_critical c;
    bool have_c = isfinite(ev->latency) && critical_path(in, ev, &c) == 0;
    cli_table t;
    table_init(&t, "layer", "device", ">arrive", ">ready", ">start", ">finish", "waited",
               "critical", NULL);
    for (int l = 0; l < ev->L; l++) {
        const nn_layer_time *lt = &ev->layers[l];
        table_cell(&t, "%s", in->layer_names[l]);
        table_cell(&t, "%s", in->device_names[lt->device]);
        report_cell(&t, lt->arrive, UNIT_TIME);
        report_cell(&t, lt->ready, UNIT_TIME);
        report_cell(&t, lt->start, UNIT_TIME);
        report_cell(&t, lt->finish, UNIT_TIME);
        table_cell(&t, "%s", isfinite(lt->finish) ? report_wait_name(lt->waited) : "-");
        table_cell(&t, "%s", have_c && c.layer_on[l] ? "*" : "");
    }
    table_print(&t, out, 2);
    table_free(&t);
    if (have_c) critical_free(&c);
}

static void print_transfers(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    if (ev->nhops == 0) {
        fprintf(out, "transfers: none (every tensor stays on its device)\n");
        return;
    }
    fprintf(out, "transfers:\n");
    cli_table t;
    table_init(&t, "tensor", ">size", "from", "to", ">start", ">end", NULL);
    for (int i = 0; i < ev->nhops; i++) {
        const nn_hop_span *h = &ev->hops[i];
        char tensor[NN_NAME_LEN + 16];
        tensor_name(in, h->boundary, tensor, sizeof tensor);
        table_cell(&t, "%s", tensor);
        report_cell(&t, in->bytes[h->boundary], UNIT_BYTES);
        table_cell(&t, "%s", in->device_names[h->from]);
        table_cell(&t, "%s", in->device_names[h->to]);
        report_cell(&t, h->start, UNIT_TIME);
        report_cell(&t, h->end, UNIT_TIME);
    }
    table_print(&t, out, 2);
    table_free(&t);
}

static void print_loads(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    if (ev->mode == MODE_RESIDENT) {
        fprintf(out, "weight loads: none (resident: weights are already in memory)\n");
        return;
    }
    if (ev->nloads == 0) {
        fprintf(out, "weight loads: none\n");
        return;
    }
    fprintf(out, "weight loads (%s):\n",
            ev->mode == MODE_PRELOAD ? "preload: each device streams its layers from 0 s"
                                     : "ondemand: after the input arrives");
    cli_table t;
    table_init(&t, "device", "layer", ">start", ">end", NULL);
    for (int i = 0; i < ev->nloads; i++) {
        const nn_load_span *ls = &ev->loads[i];
        table_cell(&t, "%s", in->device_names[ls->device]);
        table_cell(&t, "%s", in->layer_names[ls->layer]);
        report_cell(&t, ls->start, UNIT_TIME);
        report_cell(&t, ls->end, UNIT_TIME);
    }
    table_print(&t, out, 2);
    table_free(&t);
}

static void print_memory(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    fprintf(out, "memory (weights + largest input + output):\n");
    cli_table t;
    table_init(&t, "device", ">used", ">available", NULL);
    for (int d = 0; d < ev->D; d++) {
        table_cell(&t, "%s", in->device_names[d]);
        report_cell(&t, ev->mem_used[d], UNIT_BYTES);
        report_cell(&t, in->memory[d], UNIT_BYTES);
    }
    table_print(&t, out, 2);
    table_free(&t);
}

bool report_has_energy(const nn_instance *in)
{
    for (int d = 0; d < in->D; d++)
        if (in->power[d] > 0 || in->idle_power[d] > 0 || in->load_power[d] > 0) return true;
    for (int k = 0; k < in->D * in->D; k++)
        if (in->hop_energy[k] > 0) return true;
    return false;
}

/* Energy of the inference per device (MODEL.md, energy). */
static void print_energy(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    fprintf(out, "energy (idle over the latency + compute + loading + sending):\n");
    cli_table t;
    table_init(&t, "device", ">energy", "battery", NULL);
    for (int d = 0; d < ev->D; d++) {
        table_cell(&t, "%s", in->device_names[d]);
        report_cell(&t, ev->energy_dev[d], UNIT_ENERGY);
        table_cell(&t, "%s", in->battery[d] ? "yes" : "no");
    }
    table_rule(&t);
    table_cell(&t, "total");
    report_cell(&t, ev->energy, UNIT_ENERGY);
    table_cell(&t, "%s", "");
    table_print(&t, out, 2);
    table_free(&t);
}

void report_eval_text(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    if (ev->layers) {
        print_layers(out, in, ev);
        fputc('\n', out);
        print_transfers(out, in, ev);
        fputc('\n', out);
        print_loads(out, in, ev);
        fputc('\n', out);
    }
    if (ev->mem_used) print_memory(out, in, ev);
    if (ev->feasible && ev->energy_dev && report_has_energy(in)) {
        fputc('\n', out);
        print_energy(out, in, ev);
    }
}

void report_critical_text(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    nn_critical c;
    if (!ev->feasible || critical_path(in, ev, &c) != 0) return;
    char text[2048];
    critical_format(in, &c, false, text, sizeof text);
    fprintf(out, "critical path: %s\n", text);
    critical_free(&c);
}

void report_eval_verdict(FILE *out, const nn_instance *in, const nn_eval *ev)
{
    char lat[32];
    report_format(ev->latency, UNIT_TIME, lat, sizeof lat);
    if (ev->feasible) {
        fprintf(out, "latency: %s (%s)\n", lat, mode_name(ev->mode));
        report_critical_text(out, in, ev);
        return;
    }
    fprintf(out, "infeasible (%s):\n", mode_name(ev->mode));
    for (int i = 0; i < ev->nreasons; i++)
        fprintf(out, "  - %s\n", ev->reasons[i].text);
}

void report_eval_json(json_writer *w, const nn_instance *in, const nn_eval *ev, const int *place)
{
    json_kv_string(w, "mode", mode_name(ev->mode));
    json_kv_bool(w, "feasible", ev->feasible);
    json_kv_number(w, "latency_s", ev->latency);
    json_kv_number(w, "energy_j", ev->energy);
    json_kv_number(w, "energy_battery_j", ev->energy_battery);
    report_placement_json(w, in, place);
    json_key(w, "energy");
    json_array_begin(w);
    for (int d = 0; ev->energy_dev && d < in->D; d++) {
        json_object_begin_inline(w);
        json_kv_string(w, "device", in->device_names[d]);
        json_kv_number(w, "energy_j", ev->feasible ? ev->energy_dev[d] : INFINITY);
        json_kv_bool(w, "battery", in->battery[d]);
        json_object_end(w);
    }
    json_array_end(w);

    json_key(w, "layers");
    json_array_begin(w);
    for (int l = 0; ev->layers && l < ev->L; l++) {
        const nn_layer_time *lt = &ev->layers[l];
        json_object_begin_inline(w);
        json_kv_string(w, "name", in->layer_names[l]);
        json_kv_string(w, "device", in->device_names[lt->device]);
        json_kv_number(w, "arrive_s", lt->arrive);
        json_kv_number(w, "ready_s", lt->ready);
        json_kv_number(w, "start_s", lt->start);
        json_kv_number(w, "finish_s", lt->finish);
        json_kv_string(w, "waited", report_wait_name(lt->waited));
        json_object_end(w);
    }
    json_array_end(w);

    json_key(w, "transfers");
    json_array_begin(w);
    for (int i = 0; i < ev->nhops; i++) {
        const nn_hop_span *h = &ev->hops[i];
        json_object_begin_inline(w);
        char tensor[NN_NAME_LEN + 16];
        tensor_name(in, h->boundary, tensor, sizeof tensor);
        json_kv_string(w, "tensor", tensor);
        json_kv_int(w, "boundary", h->boundary);
        json_kv_number(w, "bytes", in->bytes[h->boundary]);
        json_kv_string(w, "from", in->device_names[h->from]);
        json_kv_string(w, "to", in->device_names[h->to]);
        json_kv_number(w, "start_s", h->start);
        json_kv_number(w, "end_s", h->end);
        json_object_end(w);
    }
    json_array_end(w);

    json_key(w, "loads");
    json_array_begin(w);
    for (int i = 0; i < ev->nloads; i++) {
        const nn_load_span *ls = &ev->loads[i];
        json_object_begin_inline(w);
        json_kv_string(w, "device", in->device_names[ls->device]);
        json_kv_string(w, "layer", in->layer_names[ls->layer]);
        json_kv_number(w, "start_s", ls->start);
        json_kv_number(w, "end_s", ls->end);
        json_object_end(w);
    }
    json_array_end(w);

    json_key(w, "memory");
    json_array_begin(w);
    for (int d = 0; ev->mem_used && d < ev->D; d++) {
        json_object_begin_inline(w);
        json_kv_string(w, "device", in->device_names[d]);
        json_kv_number(w, "used_bytes", ev->mem_used[d]);
        json_kv_number(w, "available_bytes", in->memory[d]);
        json_object_end(w);
    }
    json_array_end(w);

    report_critical_json(w, in, ev);

    json_key(w, "reasons");
    json_array_begin(w);
    for (int i = 0; i < ev->nreasons; i++) {
        const nn_reason *r = &ev->reasons[i];
        json_object_begin(w);
        json_kv_string(w, "kind", reason_kind_name(r->kind));
        json_key(w, "device");
        if (r->device >= 0 && r->device < in->D)
            json_string(w, in->device_names[r->device]);
        else
            json_null(w);
        json_key(w, "layer");
        if (r->layer >= 0 && r->layer < in->L)
            json_string(w, in->layer_names[r->layer]);
        else
            json_null(w);
        if (r->kind == REASON_MEMORY) json_kv_number(w, "over_bytes", r->amount);
        json_kv_string(w, "text", r->text);
        json_object_end(w);
    }
    json_array_end(w);
}

void report_critical_json(json_writer *w, const nn_instance *in, const nn_eval *ev)
{
    nn_critical c;
    json_key(w, "critical_path");
    if (!ev->feasible || critical_path(in, ev, &c) != 0) {
        json_null(w);
        return;
    }
    json_object_begin(w);
    json_kv_number(w, "compute_s", c.total[CP_COMPUTE]);
    json_kv_number(w, "transfer_s", c.total[CP_TRANSFER]);
    json_kv_number(w, "weights_s", c.total[CP_WEIGHTS]);
    json_key(w, "devices");
    json_array_begin(w);
    for (int d = 0; d < in->D; d++) {
        if (!(c.compute_on[d] > 0) && !(c.weights_on[d] > 0)) continue;
        json_object_begin_inline(w);
        json_kv_string(w, "device", in->device_names[d]);
        json_kv_number(w, "compute_s", c.compute_on[d]);
        json_kv_number(w, "weights_s", c.weights_on[d]);
        json_object_end(w);
    }
    json_array_end(w);
    json_key(w, "links");
    json_array_begin(w);
    for (int a = 0; a < in->D; a++)
        for (int z = a + 1; z < in->D; z++) {
            if (!(c.link[a * in->D + z] > 0)) continue;
            json_object_begin_inline(w);
            json_kv_string(w, "a", in->device_names[a]);
            json_kv_string(w, "b", in->device_names[z]);
            json_kv_number(w, "transfer_s", c.link[a * in->D + z]);
            json_object_end(w);
        }
    json_array_end(w);
    json_key(w, "segments");
    json_array_begin(w);
    for (int i = 0; i < c.nseg; i++) {
        const nn_cp_segment *s = &c.seg[i];
        json_object_begin_inline(w);
        json_kv_string(w, "kind", critical_kind_name(s->kind));
        json_kv_number(w, "start_s", s->t0);
        json_kv_number(w, "end_s", s->t1);
        json_kv_string(w, "device", in->device_names[s->device]);
        if (s->kind == CP_TRANSFER) {
            json_kv_string(w, "to", in->device_names[s->to]);
            json_kv_int(w, "boundary", s->boundary);
        } else {
            json_kv_string(w, "layer", in->layer_names[s->layer]);
        }
        json_object_end(w);
    }
    json_array_end(w);
    json_object_end(w);
    critical_free(&c);
}

const nn_baseline *report_best_baseline(const nn_baselines *b)
{
    return baselines_best(b);
}

/* The value columns of the baselines table under each objective: what is
 * optimised first, then the latency where that is not it. */
static void baseline_values(cli_table *t, nn_objective obj, const nn_baseline *x)
{
    switch (obj) {
    case OBJ_ENERGY:
    case OBJ_BATTERY_ENERGY:
        report_cell(t, x->value, UNIT_ENERGY);
        report_cell(t, x->latency, UNIT_TIME);
        break;
    case OBJ_THROUGHPUT:
        report_cell(t, x->period, UNIT_TIME);
        if (x->period > 0 && isfinite(x->period))
            table_cell(t, "%.4g", 1 / x->period);
        else
            table_cell(t, "-");
        break;
    case OBJ_LATENCY:
    case OBJ_COUNT:
        report_cell(t, x->latency, UNIT_TIME);
        break;
    }
}

void report_baselines_text(FILE *out, const nn_instance *in, const nn_baselines *b, bool unicode)
{
    if (b->count == 0) {
        if (b->timed_out) fprintf(out, "baselines: none, the time limit came first\n");
        return;
    }
    nn_objective obj = in->objective;
    cli_table t;
    int blanks = 1; /* value columns after the first */
    switch (obj) {
    case OBJ_ENERGY:
    case OBJ_BATTERY_ENERGY:
        fprintf(out, "baselines (ratio = baseline %s / optimum's, in J):\n",
                objective_value_name(obj));
        table_init(&t, "baseline", obj == OBJ_ENERGY ? ">energy" : ">battery energy", ">latency",
                   ">ratio", "placement", NULL);
        blanks = 2;
        break;
    case OBJ_THROUGHPUT:
        fprintf(out, "baselines (ratio = baseline period / optimum's; inputs/s = 1 / period):\n");
        table_init(&t, "baseline", ">period", ">inputs/s", ">ratio", "placement", NULL);
        blanks = 2;
        break;
    case OBJ_LATENCY:
    case OBJ_COUNT:
        fprintf(out, "baselines (ratio = baseline latency / optimum):\n");
        table_init(&t, "baseline", ">latency", ">ratio", "placement", NULL);
        break;
    }
    for (int i = 0; i < b->count; i++) {
        const nn_baseline *x = &b->items[i];
        table_cell(&t, "%s", x->name);
        if (x->feasible) {
            char place[512] = "";
            if (x->place)
                cli_place_compact(in->device_names, x->place, in->L, unicode, place, sizeof place);
            baseline_values(&t, obj, x);
            if (!x->within_limits) {
                /* Shown, never ranked: it breaks a limit the optimum keeps. */
                table_cell(&t, "-");
                table_cell(&t, "%s; %s", x->why, place);
                continue;
            }
            if (isfinite(x->ratio))
                table_cell(&t, "%.2fx", x->ratio);
            else
                table_cell(&t, "-");
            table_cell(&t, "%s", place);
        } else {
            for (int k = 0; k < blanks; k++)
                table_cell(&t, "-");
            table_cell(&t, "-");
            const char *why = x->why[0] ? x->why : "no feasible placement";
            /* Some reasons already start with the word. */
            table_cell(&t, "%s%s", strncmp(why, "infeasible", 10) == 0 ? "" : "infeasible: ", why);
        }
    }
    table_print(&t, out, 2);
    table_free(&t);
    if (b->timed_out)
        fprintf(out, "  (the time limit ended the list here; the rest were not computed)\n");
}

void report_baselines_json(json_writer *w, const nn_instance *in, const nn_baselines *b)
{
    /* Why the list is incomplete: "time limit", "cancelled", or null. */
    json_key(w, "baselines_stopped");
    if (b->timed_out || b->cancelled)
        json_string(w, b->timed_out ? "time limit" : "cancelled");
    else
        json_null(w);
    json_key(w, "baselines");
    json_array_begin(w);
    for (int i = 0; i < b->count; i++) {
        const nn_baseline *x = &b->items[i];
        json_object_begin_inline(w);
        json_kv_string(w, "name", x->name);
        json_kv_bool(w, "feasible", x->feasible);
        json_kv_bool(w, "within_limits", x->within_limits);
        json_kv_number(w, "latency_s", x->feasible ? x->latency : INFINITY);
        json_kv_number(w, "energy_j", x->feasible ? x->energy : INFINITY);
        json_kv_number(w, "energy_battery_j", x->feasible ? x->energy_battery : INFINITY);
        if (isfinite(x->period)) {
            json_kv_number(w, "period_s", x->period);
            json_kv_number(w, "inputs_per_s", x->period > 0 ? 1 / x->period : INFINITY);
        }
        /* The objective's value over the optimum's (null when not ranked). */
        json_kv_number(w, "ratio", x->within_limits ? x->ratio : INFINITY);
        report_placement_json(w, in, x->place);
        if (!x->within_limits) json_kv_string(w, "why", x->why);
        json_object_end(w);
    }
    json_array_end(w);
}
