/* nnpart import MODEL.onnx: an ONNX model as placement units. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "onnx.h"
#include "outfile.h"
#include "scenario_io.h"

static const cli_opt OPTS[] = {
    {.name = "output",
     .arg = "NET.yaml",
     .letter = 'o',
     .help =
         "write a scenario file (the built-in devices and this network) instead of printing it"},
    {.name = "granularity",
     .arg = "G",
     .help = "auto (blocks, default), ops (one unit per op) or N (at most N units)"},
    {.name = "json", .arg = NULL, .help = "print the units as JSON, like 'nnpart zoo NAME --json'"},
    {.name = "force", .arg = NULL, .help = "with -o, replace an existing file"},
};

static const cli_spec SPEC = {
    .command = "import",
    .synopsis = "MODEL.onnx [-o NET.yaml] [--granularity auto|ops|N] [--json] [--force]",
    .about = "Reads an ONNX model (its graph, the initializers' dims and data types and\n"
             "value_info; never the weight bytes) and cuts it into placement units: one per\n"
             "residual block, encoder block, inception module or conv(+bn+relu) with auto.\n"
             "Prints a scenario with the built-in default devices and the network inline\n"
             "(per unit: flops, weights, output and shape), loadable by every command.\n"
             "A scenario may also name the model directly: network: {onnx: MODEL.onnx}.",
    .min_pos = 1,
    .max_pos = 1,
    .nopts = 4,
    .opts = OPTS,
    .example = "nnpart import resnet18.onnx -o resnet18.yaml",
};

static int fill(FILE *out, void *ctx)
{
    return scenario_write(ctx, out);
}

int cmd_import(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    onnx_granularity g = {.kind = ONNX_GRAN_AUTO};
    const char *gran = cli_get(&SPEC, &args, "granularity");
    char why[512];
    if (gran && !onnx_granularity_parse(gran, &g, why, sizeof why))
        return cli_usage_error(&SPEC, "--granularity: %s", why);
    const char *out = cli_get(&SPEC, &args, "output");
    bool json = cli_get(&SPEC, &args, "json") != NULL;
    if (out && json) return cli_usage_error(&SPEC, "give -o or --json, not both");
    if (cli_get(&SPEC, &args, "force") && !out)
        return cli_usage_error(&SPEC, "--force only applies with -o");

    nn_scenario s;
    nn_error err;
    if (cli_onnx_scenario(args.pos[0], &g, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    if (json) {
        cli_network_json(&s.net);
    } else if (out) {
        rc = outfile_write(out, args.pos[0], cli_get(&SPEC, &args, "force") != NULL, fill, &s, why,
                           sizeof why);
        if (rc == OUTFILE_SOURCE) {
            fprintf(stderr,
                    "nnpart import: -o: '%s' is the model being read; choose another file\n", out);
            scenario_free(&s);
            return CLI_EXIT_USAGE;
        }
        if (rc == OUTFILE_EXISTS) {
            fprintf(stderr, "nnpart import: %s exists; give --force to replace it\n", out);
            scenario_free(&s);
            return CLI_EXIT_USAGE;
        }
        if (rc != OUTFILE_OK) {
            fprintf(stderr, "nnpart import: %s\n", why);
            scenario_free(&s);
            return CLI_EXIT_FAIL;
        }
        fprintf(stderr, "%s: %d units, written to %s\n", args.pos[0], s.net.nlayers, out);
    } else if (scenario_write(&s, stdout) != 0) {
        scenario_free(&s);
        return CLI_EXIT_FAIL;
    }
    scenario_free(&s);
    return CLI_EXIT_OK;
}
