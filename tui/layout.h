/* Where each part of the explorer goes for a terminal size: pure arithmetic
 * on rectangles, no curses, so it is tested without a terminal. */
#ifndef NNPART_LAYOUT_H
#define NNPART_LAYOUT_H

#include <stdbool.h>

#include "explorer.h"

#define LAYOUT_MIN_W 80
#define LAYOUT_MIN_H 24
/* From these widths two panes sit side by side instead of stacked. */
#define LAYOUT_SIDE_TOP_W 110
#define LAYOUT_SIDE_BOTTOM_W 110
#define LAYOUT_HEADER_H 2
#define LAYOUT_FOOTER_H 2
/* Rows of the timeline besides its lanes: title, axis rule, tick labels, legend. */
#define LAYOUT_TIMELINE_EXTRA 4

typedef struct rect {
    int y, x, h, w;
} rect;

typedef struct screen_layout {
    bool too_small;
    rect header;
    rect pane[PANE_COUNT]; /* each starts with its title row; h == 0: not shown */
    rect footer;           /* message line, then the key hints or a prompt */
} screen_layout;

/* `want[p]` is the rows of content pane p would like (for the timeline: its
 * lanes). Every pane gets its title and at least two content rows (the
 * baselines may be left out when stacked on a short screen); the timeline
 * comes first, then devices and links, then layers. */
void layout_compute(int width, int height, const int want[PANE_COUNT], screen_layout *out);

/* True when (y, x) is inside r. */
bool rect_contains(const rect *r, int y, int x);

#endif
