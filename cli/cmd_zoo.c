/* nnpart zoo [NAME] [--json]: the built-in networks. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "network.h"
#include "table.h"
#include "units.h"

static const cli_opt OPTS[] = {
    {.name = "json", .arg = NULL, .help = "print the network as JSON"},
};

static const cli_spec SPEC = {
    .command = "zoo",
    .synopsis = "[NAME] [--json]",
    .about = "Without NAME, lists the built-in networks (torchvision definitions at\n"
             "224x224, and GPT-2 small) with their layers, parameters and compute.\n"
             "With NAME, prints one row per layer (type, output shape, MACs, parameters,\n"
             "weight and output bytes) and the totals. Names ignore case, and '-' and\n"
             "'_' are alike. Use a NAME as 'network: NAME' in a scenario file.",
    .min_pos = 0,
    .max_pos = 1,
    .nopts = 1,
    .opts = OPTS,
    .example = "nnpart zoo resnet18 --json",
};

/* The counts every network and layer has, under the same keys everywhere. */
static void json_counts(json_writer *w, double params, double macs, double flops,
                        double weight_bytes)
{
    json_kv_number(w, "params", params);
    json_kv_number(w, "macs", macs);
    json_kv_number(w, "flops", flops);
    json_kv_number(w, "weight_bytes", weight_bytes);
}

/* A shape as a one-line array: [3, 224, 224]. */
static void json_shape(json_writer *w, const char *key, const nn_shape *s)
{
    json_key(w, key);
    json_array_begin_inline(w);
    for (int k = 0; k < s->ndim; k++)
        json_int(w, s->dim[k]);
    json_array_end(w);
}

static int list(bool json)
{
    json_writer w;
    cli_table t;
    if (json) {
        json_init(&w, stdout);
        json_array_begin(&w);
    } else {
        table_init(&t, "name", ">layers", ">params", ">MACs", ">FLOPs", ">weights", "description",
                   NULL);
    }
    for (int i = 0; i < zoo_count(); i++) {
        nn_network n = {.nlayers = 0};
        if (zoo_build(zoo_name(i), &n) != 0) continue;
        if (json) {
            json_object_begin(&w);
            json_kv_string(&w, "name", zoo_name(i));
            json_kv_string(&w, "description", zoo_description(i));
            json_kv_int(&w, "layers", n.nlayers);
            json_counts(&w, n.params, n.macs, n.flops, n.weight_bytes);
            json_object_end(&w);
        } else {
            table_cell(&t, "%s", zoo_name(i));
            table_cell(&t, "%d", n.nlayers);
            table_cell_units(&t, n.params, UNIT_COUNT);
            table_cell_units(&t, n.macs, UNIT_COUNT);
            table_cell_units(&t, n.flops, UNIT_FLOP);
            table_cell_units(&t, n.weight_bytes, UNIT_BYTES);
            table_cell(&t, "%s", zoo_description(i));
        }
        network_free(&n);
    }
    if (json) {
        json_array_end(&w);
        json_finish(&w);
    } else {
        table_print(&t, stdout, 0);
        table_free(&t);
        printf("\nMACs: multiply-accumulates of one inference at batch 1; FLOPs = 2 x MACs;\n"
               "weights: bytes of parameters at each network's dtype.\n");
    }
    return CLI_EXIT_OK;
}

void cli_network_json(const nn_network *n)
{
    json_writer w;
    json_init(&w, stdout);
    json_object_begin(&w);
    json_kv_string(&w, "name", n->name);
    json_kv_string(&w, "dtype", dtype_name(n->dtype));
    json_shape(&w, "input_shape", &n->input_shape);
    json_kv_number(&w, "input_bytes", n->input_bytes);
    json_key(&w, "totals");
    json_object_begin(&w);
    json_counts(&w, n->params, n->macs, n->flops, n->weight_bytes);
    json_object_end(&w);
    json_key(&w, "layers");
    json_array_begin(&w);
    for (int l = 0; l < n->nlayers; l++) {
        const nn_layer *x = &n->layers[l];
        json_object_begin_inline(&w);
        json_kv_string(&w, "name", x->name);
        json_kv_string(&w, "type", layer_type_get(x->type)->name);
        json_shape(&w, "output_shape", &x->out_shape);
        json_counts(&w, x->params, x->macs, x->flops, x->weight_bytes);
        json_kv_number(&w, "output_bytes", x->output_bytes);
        if (x->nuses > 0) {
            json_key(&w, "uses");
            json_array_begin_inline(&w);
            for (int u = 0; u < x->nuses; u++)
                json_string(&w, n->shared[x->uses[u]].name);
            json_array_end(&w);
        }
        json_object_end(&w);
    }
    json_array_end(&w);
    json_key(&w, "shared");
    json_array_begin(&w);
    for (int k = 0; k < n->nshared; k++) {
        json_object_begin_inline(&w);
        json_kv_string(&w, "name", n->shared[k].name);
        json_kv_number(&w, "params", n->shared[k].params);
        json_kv_number(&w, "weight_bytes", n->shared[k].bytes);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
}

static void print_text(const nn_network *n, const char *name, const char *description)
{
    char shape[64] = "", in[32];
    shape_format(&n->input_shape, shape, sizeof shape);
    units_format(n->input_bytes, UNIT_BYTES, in, sizeof in);
    printf("%s: %s\ninput %s = %s, %s, %d layers\n\n", name, description, shape, in,
           dtype_name(n->dtype), n->nlayers);
    cli_table t;
    table_init(&t, "layer", "type", "output shape", ">MACs", ">params", ">weights", ">output",
               NULL);
    for (int l = 0; l < n->nlayers; l++) {
        const nn_layer *x = &n->layers[l];
        char sh[64];
        shape_format(&x->out_shape, sh, sizeof sh);
        table_cell(&t, "%s", x->name);
        table_cell(&t, "%s", layer_type_get(x->type)->name);
        table_cell(&t, "%s", sh);
        table_cell_units(&t, x->macs, UNIT_COUNT);
        table_cell_units(&t, x->params, UNIT_COUNT);
        table_cell_units(&t, x->weight_bytes, UNIT_BYTES);
        table_cell_units(&t, x->output_bytes, UNIT_BYTES);
    }
    /* Shared tensors: counted once in the totals, whoever uses them. */
    for (int k = 0; k < n->nshared; k++) {
        char users[256] = "";
        for (int l = 0; l < n->nlayers; l++)
            for (int u = 0; u < n->layers[l].nuses; u++) {
                if (n->layers[l].uses[u] != k) continue;
                size_t len = strlen(users);
                snprintf(users + len, sizeof users - len, "%s%s", len ? ", " : "by ",
                         n->layers[l].name);
            }
        if (k == 0) table_rule(&t);
        table_cell(&t, "%s", n->shared[k].name);
        table_cell(&t, "shared");
        table_cell(&t, "%s", users);
        table_cell(&t, "%s", "");
        table_cell_units(&t, n->shared[k].params, UNIT_COUNT);
        table_cell_units(&t, n->shared[k].bytes, UNIT_BYTES);
        table_cell(&t, "%s", "");
    }
    char f[32];
    units_format(n->flops, UNIT_FLOP, f, sizeof f);
    table_rule(&t);
    table_cell(&t, "total");
    table_cell(&t, "%s", "");
    table_cell(&t, "%s", "");
    table_cell_units(&t, n->macs, UNIT_COUNT);
    table_cell_units(&t, n->params, UNIT_COUNT);
    table_cell_units(&t, n->weight_bytes, UNIT_BYTES);
    table_cell(&t, "%s", "");
    table_print(&t, stdout, 0);
    table_free(&t);
    printf("\n%.0f parameters, %.0f MACs = %s (2 FLOP per MAC)\n", n->params, n->macs, f);
}

int cmd_zoo(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    bool json = cli_get(&SPEC, &args, "json") != NULL;
    if (args.npos == 0) return list(json);

    int i = zoo_find(args.pos[0]);
    nn_network n = {.nlayers = 0};
    if (i < 0 || zoo_build(zoo_name(i), &n) != 0) {
        fprintf(stderr, "nnpart zoo: no network named '%s'; the zoo has:", args.pos[0]);
        for (int k = 0; k < zoo_count(); k++)
            fprintf(stderr, "%s %s", k ? "," : "", zoo_name(k));
        fprintf(stderr, "\n");
        return CLI_EXIT_USAGE;
    }
    if (json)
        cli_network_json(&n);
    else
        print_text(&n, zoo_name(i), zoo_description(i));
    network_free(&n);
    return CLI_EXIT_OK;
}
