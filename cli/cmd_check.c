/* nnpart check FILE: validates a scenario and summarises it. */
#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "instance.h"
#include "table.h"
#include "units.h"

static const cli_spec SPEC = {
    .command = "check",
    .synopsis = "FILE",
    .about = "Loads and validates a scenario file. Prints the network with its totals, the\n"
             "devices, the links in each direction, the mode, source, sink and pins, and\n"
             "notes devices that cannot be reached. Bad input prints file:line:column,\n"
             "the field and what is accepted, and exits with status 2.",
    .min_pos = 1,
    .max_pos = 1,
    .example = "nnpart check configs/default.yaml",
};

static void print_network(const nn_scenario *s)
{
    const nn_network *n = &s->net;
    char shape[64] = "", in[32], params[32], macs[32], flops[32], wb[32];
    if (n->input_shape.ndim > 0) shape_format(&n->input_shape, shape, sizeof shape);
    units_format(n->input_bytes, UNIT_BYTES, in, sizeof in);
    units_format(n->params, UNIT_COUNT, params, sizeof params);
    units_format(n->macs, UNIT_COUNT, macs, sizeof macs);
    units_format(n->flops, UNIT_FLOP, flops, sizeof flops);
    units_format(n->weight_bytes, UNIT_BYTES, wb, sizeof wb);
    printf("network:  %s%s%s%s, %d layers, %s\n", n->name,
           n->zoo[0]    ? " (zoo)"
           : n->onnx[0] ? " (onnx: "
                        : " (inline)",
           n->onnx, n->onnx[0] ? ")" : "", n->nlayers, dtype_name(n->dtype));
    printf("input:    %s%s%s\n", shape, shape[0] ? " = " : "", in);
    printf("totals:   %s parameters, %s MACs, %s, %s of weights\n", params, macs, flops, wb);
    /* Shared tensors: loaded and stored once on each device that uses them. */
    for (int k = 0; k < n->nshared; k++) {
        char b[32];
        units_format(n->shared[k].bytes, UNIT_BYTES, b, sizeof b);
        printf("%s %s, %s, used by", k ? "         " : "shared:  ", n->shared[k].name, b);
        for (int l = 0, first = 1; l < n->nlayers; l++)
            for (int u = 0; u < n->layers[l].nuses; u++)
                if (n->layers[l].uses[u] == k) {
                    printf("%s %s", first ? "" : ",", n->layers[l].name);
                    first = 0;
                }
        printf("%s\n", n->shared[k].derived ? " (tied)" : "");
    }
}

static void print_devices(const nn_scenario *s)
{
    printf("devices:\n");
    cli_table t;
    table_init(&t, CLI_DEVICE_COLUMNS, NULL);
    for (int d = 0; d < s->ndevices; d++) {
        const nn_device *dev = &s->devices[d];
        cli_device_cells(&t, dev->name, dev->tier, dev->speed, dev->memory, dev->load_rate);
    }
    table_print(&t, stdout, 2);
    table_free(&t);
}

static void print_links(const nn_scenario *s)
{
    if (s->nlinks == 0) {
        printf("links: none\n");
        return;
    }
    printf("links:\n");
    cli_table t;
    table_init(&t, "a", "b", CLI_LINK_COLUMNS, NULL);
    for (int i = 0; i < s->nlinks; i++) {
        const nn_link *l = &s->links[i];
        table_cell(&t, "%s", s->devices[l->a].name);
        table_cell(&t, "%s", s->devices[l->b].name);
        cli_link_cells(&t, link_bandwidth(l, l->a), link_bandwidth(l, l->b), l->latency);
    }
    table_print(&t, stdout, 2);
    table_free(&t);
}

static void print_pins(const nn_scenario *s)
{
    int npins = 0;
    for (int l = 0; l < s->net.nlayers; l++)
        if (s->pin[l] >= 0) npins++;
    if (npins == 0) {
        printf("pins:     none\n");
        return;
    }
    printf("pins:    ");
    for (int l = 0; l < s->net.nlayers; l++)
        if (s->pin[l] >= 0)
            printf(" %s -> %s%s", s->net.layers[l].name, s->devices[s->pin[l]].name,
                   --npins ? "," : "\n");
}

/* Devices the input cannot reach or whose results cannot reach the sink
 * can hold no layer; say so, since it is rarely what the author meant. */
static void print_reachability(const nn_scenario *s)
{
    nn_instance in;
    if (instance_build(s, &in) != 0) return;
    for (int d = 0; d < in.D; d++) {
        bool from_source = isfinite(instance_xfer(&in, 0, in.source, d));
        bool to_sink = isfinite(instance_xfer(&in, in.L, d, in.sink));
        if (!from_source)
            printf("note: no route from %s (source) to %s: no layer can run on %s\n",
                   in.device_names[in.source], in.device_names[d], in.device_names[d]);
        else if (!to_sink)
            printf("note: no route from %s to %s (sink)\n", in.device_names[d],
                   in.device_names[in.sink]);
    }
    instance_free(&in);
}

/* The objective with its limits and the stages rule, when not the default. */
static void print_goal(const nn_scenario *s)
{
    char v[32];
    if (s->objective != OBJ_LATENCY) printf("optimise: %s\n", objective_name(s->objective));
    if (s->latency_limit > 0) {
        units_format(s->latency_limit, UNIT_TIME, v, sizeof v);
        printf("limit:    latency <= %s\n", v);
    }
    if (s->energy_limit > 0) {
        units_format(s->energy_limit, UNIT_ENERGY, v, sizeof v);
        printf("limit:    %senergy <= %s\n", s->objective == OBJ_BATTERY_ENERGY ? "battery " : "",
               v);
    }
    if (s->stages != STAGES_ANY) printf("stages:   %s\n", stages_name(s->stages));
}

/* Power figures and link energy, when the file gives any. */
static void print_energy(const nn_scenario *s)
{
    bool any = false;
    for (int d = 0; d < s->ndevices; d++)
        any = any || s->devices[d].power > 0 || s->devices[d].idle_power > 0 ||
              s->devices[d].load_power > 0 || s->devices[d].battery;
    for (int i = 0; i < s->nlinks; i++)
        any = any || s->links[i].energy > 0;
    if (!any) return;
    printf("\nenergy:\n");
    cli_table t;
    table_init(&t, "device", ">power", ">idle", ">loading", "battery", NULL);
    for (int d = 0; d < s->ndevices; d++) {
        const nn_device *x = &s->devices[d];
        table_cell(&t, "%s", x->name);
        table_cell_units(&t, x->power, UNIT_POWER);
        table_cell_units(&t, x->idle_power, UNIT_POWER);
        table_cell_units(&t, x->load_power, UNIT_POWER);
        table_cell(&t, "%s", x->battery ? "yes" : "no");
    }
    table_print(&t, stdout, 2);
    table_free(&t);
    if (s->nlinks == 0) return;
    table_init(&t, "a", "b", ">energy", NULL);
    for (int i = 0; i < s->nlinks; i++) {
        table_cell(&t, "%s", s->devices[s->links[i].a].name);
        table_cell(&t, "%s", s->devices[s->links[i].b].name);
        table_cell_units(&t, s->links[i].energy, UNIT_ENERGY_PER_BIT);
    }
    printf("\n");
    table_print(&t, stdout, 2);
    table_free(&t);
}

int cmd_check(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    nn_scenario s;
    scenario_init(&s);
    if ((rc = cli_load(args.pos[0], &s)) != 0) return rc;

    printf("scenario: %s\n", s.name);
    print_network(&s);
    printf("mode:     %s\nsource:   %s\nsink:     %s\n", mode_name(s.mode),
           s.devices[s.source].name, s.devices[s.sink].name);
    print_goal(&s);
    print_pins(&s);
    printf("\n");
    print_devices(&s);
    printf("\n");
    print_links(&s);
    print_energy(&s);
    print_reachability(&s);
    printf("\n%s: ok\n", args.pos[0]);
    scenario_free(&s);
    return CLI_EXIT_OK;
}
