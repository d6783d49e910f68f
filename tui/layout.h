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
#define LAYOUT_HEADER_H 3
#define LAYOUT_FOOTER_H 2
/* Rows of the timeline besides its lanes: title and legend, axis rule, tick labels. */
#define LAYOUT_TIMELINE_EXTRA 3
/* Most generous way of drawing the lanes (see layout_lane). */
#define LAYOUT_LANE_LEVELS 6

typedef struct rect {
    int y, x, h, w;
} rect;

/* What the panes hold. Rows: devices, links, layers, baselines. The
 * timeline has a load and a compute lane per device (in that order), then a
 * lane per link in use. Widths: what each table would like (0: no wish). */
typedef struct layout_want {
    int rows[PANE_COUNT]; /* the timeline's entry is not used */
    int lane_devices, lane_links;
    bool compute_only; /* no loading lanes (resident mode): one lane a device */
    int width[PANE_COUNT];
    /* Comparing two timelines: the rows their lanes and labels take one row
     * a lane (0: not comparing), and up to `compare_comfort` rows in steps
     * of `compare_step` (each step a row more for every compute lane). The
     * other panes then give way to one content row each. */
    int compare_rows, compare_comfort, compare_step;
} layout_want;

typedef struct screen_layout {
    bool too_small;
    rect header;
    rect pane[PANE_COUNT]; /* each starts with its title row; h == 0: not shown */
    rect footer;           /* message line, then the key hints or a prompt */
    /* The timeline's lanes: how many, and how generously they are drawn.
     * At level 0 each lane is one row and `lanes_h` may be fewer than the
     * lanes (they scroll); above 0 every lane is shown. */
    int lane_devices, lane_links, lane_level, lanes_h;
    bool lane_compute_only; /* one lane a device (no loading lanes) */
    bool compare;           /* lanes_h rows for the compare view (level 0) */
} screen_layout;

/* Sizes are shared out by importance: first every timeline lane, then the
 * devices and links, a few layers, blank rows between the timeline's lane
 * groups and taller compute lanes, the rest of the layers and baselines,
 * taller lanes still; rows left over go to the layers. Every pane keeps its
 * title and two content rows (one when comparing), so every pane Tab
 * visits is on the screen; the lanes scroll when they do not fit. */
void layout_compute(int width, int height, const layout_want *want, screen_layout *out);

/* Lanes in all: per device one or two, then the links. */
int layout_lane_count(const screen_layout *l);
/* Rows all lanes take at `level` (two lanes a device). */
int layout_lanes_rows(int devices, int links, int level);
/* Lane `lane` at the layout's level: blank rows above it and its height.
 * Level 1 separates the devices (and the links) by a blank row, level 2
 * makes compute lanes two rows tall, level 3 three, level 4 makes load and
 * link lanes two rows tall, levels 5 and 6 compute lanes four and five. */
void layout_lane(const screen_layout *l, int lane, int *gap, int *h);
/* The lane at row `dy` of the lanes (0 = first row), or -1 for a gap or
 * past the end; `top` is the first lane shown (scrolling at level 0). */
int layout_lane_at(const screen_layout *l, int top, int dy);

/* True when (y, x) is inside r. */
bool rect_contains(const rect *r, int y, int x);

#endif
