/* SVG painter of the plot layouts (draw/plot.h): a sweep's latency against
 * the varied value with placement bands and change points, and a grid's
 * heat map of placements, ready for a slide. */
#ifndef NNPART_PLOT_SVG_H
#define NNPART_PLOT_SVG_H

#include <stdio.h>

#include "plot.h"

/* Returns -1 on a write error. */
int plot_svg_write(FILE *out, const plot_data *p);
int plot_svg_map_write(FILE *out, const plot_map *m);

#endif
