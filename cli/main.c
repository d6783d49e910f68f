/* nnpart's entry point: finds the command and hands over. Everything else
 * lives in one file per command (cmd_*.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "suggest.h"

typedef struct cli_command {
    const char *name;
    cli_cmd_fn run;
    const char *help; /* one line for `nnpart --help` */
} cli_command;

static const cli_command COMMANDS[] = {
    {.name = "explore", .run = cmd_explore, .help = "open the explorer (also: nnpart [FILE])"},
    {.name = "check", .run = cmd_check, .help = "validate a scenario file and summarise it"},
    {.name = "zoo",
     .run = cmd_zoo,
     .help = "list the built-in networks, or show one layer by layer"},
    {.name = "presets", .run = cmd_presets, .help = "list the device and link presets"},
    {.name = "eval", .run = cmd_eval, .help = "time one placement: timeline, transfers, loads"},
    {.name = "solve", .run = cmd_solve, .help = "find the fastest placement and compare baselines"},
    {.name = "sweep", .run = cmd_sweep, .help = "re-solve while one device or link value varies"},
    {.name = "pareto", .run = cmd_pareto, .help = "the exact latency-energy Pareto front"},
    {.name = "import", .run = cmd_import, .help = "turn an ONNX model into placement units"},
};
enum { NCOMMANDS = sizeof COMMANDS / sizeof COMMANDS[0] };

static void usage(FILE *out)
{
    fprintf(out,
            "nnpart %s: the fastest placement of a neural network's layers across\n"
            "networked devices (ILP with GLPK).\n\n"
            "usage: nnpart [FILE]              open the explorer on FILE (default: the\n"
            "                                  built-in edge-hub-cloud scenario)\n"
            "       nnpart COMMAND [ARGS...]\n"
            "       nnpart --help | --version\n\n"
            "commands:\n",
            NNPART_VERSION);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(out, "\nRun 'nnpart COMMAND --help' for a command's options.\n"
                 "Exit status: 0 ok, 1 infeasible or solver failure, 2 bad input or usage.\n");
}

/* Runs the command; *write_error is set (an errno) when its escaped output
 * could not be written. */
static int dispatch(int argc, char **argv, int *write_error)
{
    if (argc < 2) return cmd_explore(1, (char *[]){"explore", NULL});
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    /* Hidden: the explorer's keys as man page lines, from the key table
     * (doc/nnpart.1 pastes them; a test keeps the two equal). */
    if (strcmp(first, "--keys-man") == 0) {
        cli_keys_man(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0) {
        printf("nnpart %s\n", NNPART_VERSION);
        return CLI_EXIT_OK;
    }
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(first, COMMANDS[i].name) != 0) continue;
        if (COMMANDS[i].run == cmd_explore) return cmd_explore(argc - 1, argv + 1);
        cli_streams saved;
        cli_escape_streams(&saved);
        int rc = COMMANDS[i].run(argc - 1, argv + 1);
        errno = 0;
        if (cli_restore_streams(&saved) != 0) *write_error = errno ? errno : EIO;
        return rc;
    }

    /* `nnpart FILE` opens the file; a word that is no file is a mistyped command. */
    bool looks_like_file =
        access(first, F_OK) == 0 || strchr(first, '/') != NULL || strchr(first, '.') != NULL;
    if (argc == 2 && first[0] != '-' && looks_like_file)
        return cmd_explore(2, (char *[]){"explore", argv[1], NULL});
    if (first[0] != '-' && looks_like_file) {
        fprintf(stderr,
                "nnpart: unexpected argument '%s' after the file '%s'; the explorer opens one "
                "file, and a command comes first (nnpart COMMAND FILE ...)\n",
                argv[2], first);
        return CLI_EXIT_USAGE;
    }
    if (first[0] == '-')
        fprintf(stderr, "nnpart: unknown option '%s'\n", first);
    else {
        const char *names[NCOMMANDS];
        for (int i = 0; i < NCOMMANDS; i++)
            names[i] = COMMANDS[i].name;
        const char *near = suggest_closest(first, names, NCOMMANDS);
        if (near)
            fprintf(stderr, "nnpart: unknown command '%s' (did you mean '%s'?)\n", first, near);
        else
            fprintf(stderr, "nnpart: unknown command '%s'\n", first);
    }
    usage(stderr);
    return CLI_EXIT_USAGE;
}

/* Every command prints through stdout, so its write errors (a full disk,
 * /dev/full, a closed pipe's EPIPE) are checked once, here: reported on
 * stderr, and a run that would have succeeded fails with 1. */
static int finish(int rc, int write_error)
{
    errno = 0;
    bool failed = fflush(stdout) != 0 || ferror(stdout);
    int saved = errno;
    if (write_error && !failed) {
        failed = true;
        saved = write_error;
    }
    if (fclose(stdout) != 0 && !failed) {
        failed = true;
        saved = errno;
    }
    if (!failed) return rc;
    fprintf(stderr, "nnpart: cannot write the output: %s\n",
            saved ? strerror(saved) : "write error");
    return rc == CLI_EXIT_OK ? CLI_EXIT_FAIL : rc;
}

int main(int argc, char **argv)
{
    int write_error = 0;
    int rc = dispatch(argc, argv, &write_error);
    return finish(rc, write_error);
}
