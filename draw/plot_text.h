/* Terminal painter of the line plot layout (draw/plot.h): a grid of
 * character cells with the optimum and the best baseline drawn in braille
 * dots (2 x 4 per cell), or in ASCII, the change points as upright rules,
 * the current value marked on the axis, tick labels in units, and the
 * letter of each placement band along the top. The curses painter only
 * places these cells, so the explorer and `--svg` show one layout. */
#ifndef NNPART_PLOT_TEXT_H
#define NNPART_PLOT_TEXT_H

#include "plot.h"

typedef enum plot_cell_kind {
    PCELL_EMPTY,
    PCELL_AXIS,    /* rules, tick labels */
    PCELL_OPTIMUM, /* the optimum's line (wins a shared cell) */
    PCELL_BEST,    /* the best baseline's line */
    PCELL_MARK,    /* a change of placement */
    PCELL_CURRENT, /* the value now */
    PCELL_BAND,    /* a band's letter */
} plot_cell_kind;

typedef struct plot_cell {
    char text[8]; /* one UTF-8 character */
    plot_cell_kind kind;
    int band; /* the placement class under this column, -1: none */
} plot_cell;

typedef struct plot_text {
    int w, h;
    plot_cell *cells;   /* [h * w], row-major from the top */
    int x0, y0, pw, ph; /* the plot area inside, in cells */
} plot_text;

/* Renders `p` into w x h cells (at least 20 x 6). Returns -1 when out of
 * memory or too small. */
int plot_text_render(const plot_data *p, int w, int h, bool unicode, plot_text *out);
void plot_text_free(plot_text *t);
/* "A", "B", ... as plot_svg labels classes. */
void plot_class_letter(int cls, char *buf, size_t size);

#endif
