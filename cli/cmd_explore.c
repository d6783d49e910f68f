/* nnpart [explore] [FILE]: the interactive explorer. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "scenario_io.h"
#include "explorer.h"
#include "tui.h"

static const cli_spec SPEC = {
    .command = "explore",
    .synopsis = "[FILE]",
    .about = "Opens the interactive explorer on FILE, or on the built-in edge-hub-cloud\n"
             "scenario (configs/default.yaml, compiled in) when no file is given. Edit\n"
             "devices and links, and every change re-solves; press ? inside for the keys.\n"
             "'nnpart FILE' and 'nnpart' are short for this command. Needs a terminal.",
    .min_pos = 0,
    .max_pos = 1,
    .example = "nnpart configs/default.yaml",
};

int cmd_explore(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    const char *path = args.npos ? args.pos[0] : NULL;

    nn_scenario s;
    scenario_init(&s);
    if (path) {
        if ((rc = cli_load(path, &s)) != 0) return rc;
    } else {
        nn_error err;
        error_clear(&err);
        if (scenario_load_string(nnpart_default_yaml, strlen(nnpart_default_yaml),
                                 "<built-in default>", &s, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            return CLI_EXIT_USAGE;
        }
    }
    /* Drawing into a pipe or a file would only produce escape codes, and
     * keys from a file or /dev/null cannot steer it. */
    int fd = !isatty(STDIN_FILENO) ? STDIN_FILENO : !isatty(STDOUT_FILENO) ? STDOUT_FILENO : -1;
    if (fd >= 0) {
        fprintf(stderr,
                "nnpart: the explorer needs a terminal, but standard %s is not a terminal.\n"
                "For text output try 'nnpart solve FILE' (see 'nnpart --help').\n",
                fd == STDIN_FILENO ? "input" : "output");
        scenario_free(&s);
        return CLI_EXIT_USAGE;
    }
    /* A model opened alone is saved as a new scenario (asked for), never
     * over the .onnx file. */
    return tui_run(&s, path && cli_is_onnx(path) ? NULL : path);
}

/* Roff needs hyphens and backslashes escaped, and no line may start with
 * a dot or a quote. */
static void roff(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'') fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '-')
            fputs("\\-", out);
        else if (*s == '\\')
            fputs("\\e", out);
        else
            fputc(*s, out);
    }
}

void cli_keys_man(FILE *out)
{
    int n;
    const ex_binding *b = explorer_bindings(&n);
    for (int i = 0; i < n; i++) {
        fputs(".TP\n.B ", out);
        roff(out, b[i].names);
        fputc('\n', out);
        roff(out, b[i].help);
        fputc('\n', out);
    }
}
