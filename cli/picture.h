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

/* The timeline of `ev` (placement `place`), and below it on the same axis
 * the placement `other` (NULL: none) evaluated under the same mode. */
int picture_timeline(const cli_spec *spec, const char *path, bool force, const nn_scenario *s,
                     const nn_instance *in, const nn_eval *ev, const int *place, const char *title,
                     const int *other, const char *other_title);

/* A sweep's picture: the line plot of one axis, the map of a grid. */
int picture_sweep(const cli_spec *spec, const char *path, bool force, const sweep_plot *rec,
                  int naxes, const char *heading, char (*device_names)[NN_NAME_LEN], int L);

#endif
