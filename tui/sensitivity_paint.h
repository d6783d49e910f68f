/* Paints the sensitivity view (tui/sensitivity.h) with curses into the
 * timeline's rectangle: a title with the legend, the plot's cells
 * (draw/plot_text.h) and a line naming the placement of each band. */
#ifndef NNPART_SENSITIVITY_PAINT_H
#define NNPART_SENSITIVITY_PAINT_H

#include <curses.h>

#include "explorer.h"

/* The screen's attributes for each part, so the view matches the rest. */
typedef struct sens_looks {
    attr_t title, text, axis, optimum, best, mark, current, band, error, dim;
} sens_looks;

void sens_paint(const explorer *ex, int y, int x, int h, int w, bool unicode,
                const sens_looks *looks);

#endif
