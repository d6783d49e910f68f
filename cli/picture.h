/* Pictures the commands write (--svg): refusing to overwrite without
 * --force, atomic writing, and the timelines of solve and eval with an
 * optional --compare placement. */
#ifndef NNPART_CLI_PICTURE_H
#define NNPART_CLI_PICTURE_H

#include "args.h"
#include "outfile.h"
#include "solve.h"
#include "sweep_plot.h"

/* Before any work: a usage error (2) when `path` exists and `force` is off,
 * or names the scenario being read (`scenario`), --force or not. */
int picture_check(const cli_spec *spec, const char *path, const char *scenario, bool force);
/* Writes `path` atomically with `fill`; returns 0, or the exit status after
 * printing why (2 when it exists without --force, 1 when writing fails). */
int picture_write(const cli_spec *spec, const char *path, bool force, outfile_fill fill, void *ctx);

/* --compare: a baseline's name (as solve lists them, e.g. "all on cloud",
 * or "best" for the best feasible baseline) when `b` is given, else or
 * otherwise a placement as --place takes it. Fills place[L] and `title`.
 * Returns 0, or 2 after a usage error naming both forms. */
int picture_compare_parse(const cli_spec *spec, const nn_scenario *s, const nn_baselines *b,
                          const char *text, int *place, char *title, size_t title_size);

/* --inputs N (NULL: not given): a whole number from 1 to GANTT_MAX_INPUTS
 * into *inputs, else a usage error (2); with `gantt` and `svg` false, a
 * usage error that it needs --gantt or --svg. */
int picture_inputs(const cli_spec *spec, const char *text, bool gantt, bool svg, int *inputs);
/* How many inputs the timelines stream: --inputs' N, or under objective
 * throughput -1 (enough to fill the pipeline); 0: one inference. */
int picture_stream_inputs(const nn_scenario *s, int inputs);

/* The timeline of `ev` (placement `place`), and below it on the same axis
 * the placement `other` (NULL: none) evaluated under the same mode. With
 * `stream` (picture_stream_inputs) not 0 each is a stream of inputs through
 * its pipeline instead. */
int picture_timeline(const cli_spec *spec, const char *path, bool force, const nn_scenario *s,
                     const nn_instance *in, const nn_eval *ev, const int *place, const char *title,
                     const int *other, const char *other_title, int stream);
/* --gantt: the text timeline of `place` (one inference, `ev`), or with
 * `stream` not 0 its stream of inputs. Returns 0, or 1 when out of memory. */
int picture_gantt(const cli_spec *spec, const nn_instance *in, const nn_eval *ev, const int *place,
                  int stream);

/* A sweep's picture: the line plot of one axis, the map of a grid. */
int picture_sweep(const cli_spec *spec, const char *path, bool force, const sweep_plot *rec,
                  int naxes, const char *heading, char (*device_names)[NN_NAME_LEN], int L);

#endif
