/* Scatter-plot layout, independent of curses: points (a Pareto front) on a
 * grid of character cells with labelled axes, so the terminal printer
 * (`nnpart pareto`) and a curses view place points alike. */
#ifndef NNPART_SCATTER_H
#define NNPART_SCATTER_H

#include <stdbool.h>
#include <stdio.h>

#include "../model/units.h"

typedef struct scatter_grid {
    int width, height; /* cells of the plotting area */
    int *cell;         /* [row * width + col]: point index + 1, 0: empty (row 0 at the top) */
    double x0, x1, y0, y1;
} scatter_grid;

/* Lays out n points; x and y ranges are the points' (widened when flat).
 * Returns -1 when out of memory. */
int scatter_layout(const double *x, const double *y, int n, int width, int height,
                   scatter_grid *out);
void scatter_free(scatter_grid *g);
/* The cell (row from the top, column) where (x, y) falls in the layout;
 * false when either is not a number. */
bool scatter_cell(const scatter_grid *g, double x, double y, int *row, int *col);

/* Prints the plot: a y axis with labels in `yunit`, the area with `*` (or
 * a bullet in UTF-8) for each point and its number for the first 9, the x
 * axis labelled in `xunit`. `width` is the whole line width. */
int scatter_print(FILE *out, const double *x, const double *y, int n, unit_kind xunit,
                  unit_kind yunit, const char *xname, const char *yname, int width, bool unicode);

#endif
