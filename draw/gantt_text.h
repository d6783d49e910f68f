/* Character-cell painter of the timeline layout (draw/gantt.h): the plain
 * text printer and the cells the curses painter draws, so the terminal and
 * `nnpart solve --gantt` cannot disagree. */
#ifndef NNPART_GANTT_TEXT_H
#define NNPART_GANTT_TEXT_H

#include <stdio.h>

#include "gantt.h"

/* Prints a text timeline: per device a load lane and a compute lane, per link
 * in use a transfer lane, and a time axis with units. `width` is the total
 * line width in columns; `unicode` selects block characters over ASCII. */
void gantt_print(FILE *out, const nn_instance *in, const nn_eval *ev, int width, bool unicode);

/* A stream (gantt_stream_build) as text: a compute lane per device, a lane
 * per link direction in use, each input's bars in its own fill with its
 * number at their start, the period bracketed on the axis, and a legend. */
void gantt_print_stream(FILE *out, const nn_instance *in, const nn_stream *st, int width,
                        bool unicode);
/* The fill of a stream input's bars (four, cycling; a bar's number tells
 * inputs 1 and 5 apart). */
const char *gantt_input_glyph(int input, bool unicode);
/* Legend entry of an input: "█ input 1". */
void gantt_input_legend(int input, bool unicode, char *buf, size_t size);
/* "period 39.8 ms (25.13 inputs/s), one input 121 ms" of a stream layout. */
void gantt_stream_summary(const gantt_layout *g, char *buf, size_t size);

/* Glyph of a bar as a UTF-8 or ASCII string; transfers point along
 * their direction in the lane (a -> b or b -> a); a stream's work bars take
 * their input's fill. */
const char *gantt_glyph(const gantt_bar *bar, const gantt_lane *lane, bool unicode);
/* Legend entry of a kind: glyph and name, e.g. "# compute". */
const char *gantt_legend(gantt_kind kind, bool unicode);

/* One character cell of a rendered lane: what both the text printer and the
 * curses painter draw, so they cannot disagree. */
typedef struct gantt_cell {
    char text[8]; /* one UTF-8 character */
    int bar;      /* index into bars, or -1 when empty */
    bool label;   /* a character of the bar's label */
} gantt_cell;

/* Fills cells[0 .. g->width - 1] for one lane. */
void gantt_lane_render(const gantt_layout *g, int lane, bool unicode, gantt_cell *cells);
/* The axis under the plot: `rule` gets one cell per column with a tick mark
 * at each tick (UTF-8 needs 3 bytes a cell); `labels` (ASCII, at least
 * width + 1 bytes) the tick labels starting at their columns, overlapping
 * ones dropped. */
void gantt_axis_render(const gantt_layout *g, bool unicode, char *rule, size_t rule_size,
                       char *labels, size_t labels_size);

#endif
