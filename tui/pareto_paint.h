/* Paints the Pareto view (tui/pareto_view.h) with curses into a rectangle
 * beside the timeline: a title with the legend, the front laid out by the
 * CLI's scatter plot (draw/scatter.h) with energy over latency, the point
 * on show and the optimum's point marked, and a line about the point on
 * show. */
#ifndef NNPART_PARETO_PAINT_H
#define NNPART_PARETO_PAINT_H

#include <curses.h>

#include "explorer.h"

/* The screen's attributes for each part, so the view matches the rest. */
typedef struct pview_looks {
    attr_t title, text, axis, point, selected, optimum, error, dim;
} pview_looks;

void pview_paint(const explorer *ex, int y, int x, int h, int w, bool unicode,
                 const pview_looks *looks);

#endif
