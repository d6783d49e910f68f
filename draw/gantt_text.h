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

/* Glyph of a bar kind as a UTF-8 or ASCII string; transfers point along
 * their direction in the lane (a -> b or b -> a). */
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
