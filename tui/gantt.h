/* Timeline layout, independent of curses: turns an evaluation into lanes of
 * bars at a given width and zoom, so it can be tested headlessly and printed
 * to a plain terminal (`nnpart solve --gantt`) as well as drawn by the TUI. */
#ifndef NNPART_GANTT_H
#define NNPART_GANTT_H

#include <stdio.h>

#include "../model/eval.h"

/* Prints a text timeline: per device a load lane and a compute lane, per link
 * in use a transfer lane, and a time axis with units. `width` is the total
 * line width in columns; `unicode` selects block characters over ASCII. */
void gantt_print(FILE *out, const nn_instance *in, const nn_eval *ev, int width, bool unicode);

#endif
