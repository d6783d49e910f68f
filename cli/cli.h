/* The command line: one function per command, dispatched from main.c's
 * table, and the helpers they share. */
#ifndef NNPART_CLI_H
#define NNPART_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "args.h"
#include "scenario.h"
#include "solve.h"
#include "table.h"

#ifndef NNPART_VERSION
#define NNPART_VERSION "0.1.0"
#endif

/* Exit statuses, documented in README.md and nnpart.1. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,  /* infeasible, or the solver failed */
    CLI_EXIT_USAGE = 2, /* bad input file, bad arguments */
};

/* A command: argv[0] is its name. Returns the process exit status. */
typedef int (*cli_cmd_fn)(int argc, char **argv);

int cmd_explore(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_zoo(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_solve(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_pareto(int argc, char **argv);
int cmd_import(int argc, char **argv);

/* A network as `nnpart zoo NAME --json` prints it (totals, per layer). */
void cli_network_json(const nn_network *n);
int cmd_presets(int argc, char **argv);

/* Loads a scenario file; on bad input prints the loader's message (file,
 * line, column, field, accepted values) to stderr and returns 2, else 0. */
int cli_load(const char *path, nn_scenario *s);
/* The built-in default devices and links with the network imported from an
 * ONNX file (granularity NULL: auto); -1 with the reason in `err`. */
struct onnx_granularity;
int cli_onnx_scenario(const char *path, const struct onnx_granularity *g, nn_scenario *s,
                      nn_error *err);
/* Whether a path names an ONNX model (ends in .onnx). */
bool cli_is_onnx(const char *path);
/* Applies --mode when given; 2 after a usage error, else 0. `objective`:
 * the one the command runs; a stream's weights are resident (MODEL.md,
 * Throughput), so there --mode preload or ondemand is refused. */
int cli_apply_mode(const cli_spec *spec, const char *text, nn_objective objective, nn_scenario *s);
/* --objective O: overrides the scenario's objective; usage error when unknown. */
int cli_apply_objective(const cli_spec *spec, const char *text, nn_scenario *s);

/* --engine: auto, ilp or labels into opt->engine (unchanged when NULL);
 * 0, or the usage error's exit status. */
int cli_apply_engine(const cli_spec *spec, const char *text, nn_solve_options *opt);
/* 0, or CLI_EXIT_USAGE having said why: the ILP alone would solve `in`
 * under opt (solve_needs_ilp) and it is larger than the ILP's size. The
 * message names the network in `path`, as the loader's does for what no
 * engine can solve. */
int cli_check_ilp_size(const char *path, const nn_scenario *s, const nn_instance *in,
                       const nn_solve_options *opt);

/* Parses --place: device names separated by commas (one per layer), NAME*N
 * or NAME×N for N consecutive layers, or a single name for every layer.
 * Fills place[nlayers]; false with the reason otherwise. */
bool cli_place_parse(const nn_scenario *s, const char *text, int *place, char *why,
                     size_t why_size);
/* Run-length form of a placement: "phone×3 hub×5 cloud×12" ("*" without
 * a UTF-8 locale), which cli_place_parse reads back. */
void cli_place_compact(char (*device_names)[NN_NAME_LEN], const int *place, int nlayers,
                       bool unicode, char *buf, size_t size);

/* A device's numbers and a link's, shown alike wherever devices and links
 * are listed (check, presets): the columns go into table_init, e.g.
 * table_init(&t, CLI_DEVICE_COLUMNS, "note", NULL), and the cells fill them. */
#define CLI_DEVICE_COLUMNS "name", "tier", ">speed", ">memory", ">load rate"
void cli_device_cells(cli_table *t, const char *name, nn_tier tier, double speed, double memory,
                      double load_rate);
#define CLI_LINK_COLUMNS ">a -> b", ">b -> a", ">latency"
void cli_link_cells(cli_table *t, double forward, double reverse, double latency);

/* Routes stdout and stderr through text_escape (newlines and tabs pass):
 * whatever a file's names and keys hold, no control character, C1 code or
 * bidirectional override reaches the terminal. Not for the explorer
 * (curses writes to the terminal itself). */
typedef struct cli_streams {
    FILE *out, *err; /* the streams replaced */
} cli_streams;
void cli_escape_streams(cli_streams *saved);
/* Flushes and closes the escaping streams and puts the originals back;
 * -1 when a write failed. */
int cli_restore_streams(const cli_streams *saved);

/* True when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG). */
bool cli_unicode(void);
/* Columns for text output: $COLUMNS, else the terminal's width, else 100;
 * at most NN_MAX_COLUMNS. */
int cli_columns(void);

/* The explorer's key table as man page (roff) lines: ".TP", the keys in
 * bold, the help text. */
void cli_keys_man(FILE *out);

#endif
