/* Command-line options of one command, declared as a table that both the
 * parser and the --help text read, so a flag and its help cannot drift. */
#ifndef NNPART_CLI_ARGS_H
#define NNPART_CLI_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#define CLI_MAX_OPTS 24
#define CLI_MAX_POS 4
#define CLI_MAX_OCC 64

typedef struct cli_opt {
    const char *name; /* long name without dashes: "mode" for --mode */
    const char *arg;  /* placeholder of its value ("M"), NULL for a flag */
    const char *help;
    char letter; /* optional one-letter form: 'o' for -o VALUE */
    bool repeat; /* may be given more than once (read with args->occ); else twice is an error */
} cli_opt;

typedef struct cli_spec {
    const char *command;  /* "eval" */
    const char *synopsis; /* "FILE --place DEV,DEV,... [--mode M] [--json]" */
    const char *about;    /* a paragraph printed by --help */
    int min_pos, max_pos; /* positional arguments accepted */
    int nopts;
    const cli_opt *opts;
    const char *example; /* printed under "example:" */
} cli_spec;

typedef struct cli_args {
    int npos;
    const char *pos[CLI_MAX_POS];
    const char *val[CLI_MAX_OPTS]; /* per option: its value ("" for a flag), NULL if absent */
    int nocc;                      /* every option given, in command-line order */
    struct cli_occ {
        int opt; /* index into spec->opts */
        const char *val;
    } occ[CLI_MAX_OCC];
} cli_args;

enum { CLI_PARSED = -1 }; /* cli_parse: go on and run the command */

/* Parses argv (argv[0] is the command name). Accepts --opt VALUE, --opt=VALUE,
 * -h/--help and "--" (the rest is positional). Returns CLI_PARSED, or the exit
 * status to end with: 0 after printing --help, 2 after a usage error (message
 * and usage on stderr). */
int cli_parse(const cli_spec *spec, int argc, char **argv, cli_args *out);
void cli_usage(const cli_spec *spec, FILE *out, bool full);
/* The value of option `name`, or NULL when not given. */
const char *cli_get(const cli_spec *spec, const cli_args *args, const char *name);
/* --time-limit of solve and sweep: absent gives the default (10 s,
 * NN_DEFAULT_TIME_LIMIT_S), "none" no limit, otherwise a positive time with
 * a unit ("500ms", "2 s", bare seconds). "0" is refused: it leaves no time
 * to solve, and "none" says what it used to mean. Writes the value of
 * nn_solve_options.time_limit_s (0: no limit); 2 after a usage error. */
int cli_parse_time_limit(const cli_spec *spec, const char *text, double *out);
/* Prints "nnpart CMD: message" and a pointer to --help on stderr; returns 2. */
int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
