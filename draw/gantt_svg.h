/* SVG painter of the timeline layout (draw/gantt.h): a picture for a slide.
 * One or more timelines (the optimum, then placements to compare) stacked on
 * one time axis; per device a load lane and a compute lane, per link in use a
 * transfer lane; labelled bars with tooltips, the latency marked, a legend. */
#ifndef NNPART_GANTT_SVG_H
#define NNPART_GANTT_SVG_H

#include <stdio.h>

#include "gantt.h"

typedef struct gantt_svg_row {
    const nn_instance *in;
    const nn_eval *ev;
    const char *title;    /* "optimum", "all on cloud" */
    const char *subtitle; /* the placement, "edge×1 cloud×2" (may be NULL) */
    /* Not NULL: the placement's stream (eval_stream) is drawn instead of
     * `ev`'s one inference: each input in its own shade, the period
     * bracketed on the axis, a legend of the inputs. */
    const nn_stream *stream;
} gantt_svg_row;

/* Writes the whole SVG document to `out`; `heading` is its first line (the
 * scenario). All rows share the time axis [0, the largest finite latency
 * or end of a stream].
 * Returns -1 when out of memory or on a write error. */
int gantt_svg_write(FILE *out, const char *heading, const gantt_svg_row *rows, int nrows);

#endif
