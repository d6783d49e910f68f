/* Splitting the terminal between header, panes, timeline and footer. */
#include "layout.h"

#include <string.h>

/* Title row plus at least this many content rows. */
#define MIN_CONTENT 2
/* Rows of devices and links shown before the timeline gets its comfort,
 * and of layers: enough to read, not so many that they crowd the timeline. */
#define FIRST_TOP_ROWS 6
#define FIRST_LAYER_ROWS 6
/* The baselines never take more than this share of a side-by-side row. */
#define BASELINES_MAX_PERCENT 45

static int min2(int a, int b)
{
    return a < b ? a : b;
}

static int max2(int a, int b)
{
    return a > b ? a : b;
}

/* Grows *v towards `target` by what `spare` allows. */
static void grow(int *v, int target, int *spare)
{
    int d = min2(target - *v, *spare);
    if (d <= 0) return;
    *v += d;
    *spare -= d;
}

/* `per` lanes a device: 2 (loading, then compute) or 1 (compute only,
 * when nothing loads: resident mode). */
static void lane_shape(int devices, int per, int lane, int level, int *gap, int *h)
{
    bool link = lane >= per * devices, compute = !link && (per == 1 || lane % 2 == 1);
    /* A blank row before each device but the first, and before the links. */
    bool first_of_group = link ? lane == per * devices : per == 1 || lane % 2 == 0;
    *gap = level >= 1 && lane > 0 && first_of_group ? 1 : 0;
    /* Compute lanes grow first and most: they show where the layers run. */
    static const int compute_h[] = {1, 1, 2, 3, 3, 4, 5}, other_h[] = {1, 1, 1, 1, 2, 2, 2};
    *h = compute ? compute_h[level] : other_h[level];
}

static int lanes_rows(int devices, int per, int links, int level)
{
    int rows = 0;
    for (int lane = 0; lane < per * devices + links; lane++) {
        int gap, h;
        lane_shape(devices, per, lane, level, &gap, &h);
        rows += gap + h;
    }
    return rows;
}

int layout_lanes_rows(int devices, int links, int level)
{
    return lanes_rows(devices, 2, links, level);
}

static int per_device(const screen_layout *l)
{
    return l->lane_compute_only ? 1 : 2;
}

int layout_lane_count(const screen_layout *l)
{
    return per_device(l) * l->lane_devices + l->lane_links;
}

void layout_lane(const screen_layout *l, int lane, int *gap, int *h)
{
    lane_shape(l->lane_devices, per_device(l), lane, l->lane_level, gap, h);
}

int layout_lane_at(const screen_layout *l, int top, int dy)
{
    int n = layout_lane_count(l);
    if (dy < 0 || dy >= l->lanes_h) return -1;
    if (l->lane_level == 0) return top + dy < n ? top + dy : -1;
    int y = 0;
    for (int lane = 0; lane < n; lane++) {
        int gap, h;
        layout_lane(l, lane, &gap, &h);
        y += gap;
        if (dy < y) return -1;
        if (dy < y + h) return lane;
        y += h;
    }
    return -1;
}

/* Raises the lanes' level while the next one fits in `spare`. */
static void lanes_comfort(const screen_layout *out, int max_level, int *lanes, int *level,
                          int *spare)
{
    int n = layout_lane_count(out);
    if (*lanes < n) return; /* lanes still scroll: no luxury yet */
    while (*level < max_level) {
        int need =
            lanes_rows(out->lane_devices, per_device(out), out->lane_links, *level + 1) - *lanes;
        if (need > *spare) return;
        *spare -= need;
        *lanes += need;
        (*level)++;
    }
}

void layout_compute(int width, int height, const layout_want *want, screen_layout *out)
{
    memset(out, 0, sizeof *out);
    if (width < LAYOUT_MIN_W || height < LAYOUT_MIN_H) {
        out->too_small = true;
        return;
    }
    out->header = (rect){.y = 0, .x = 0, .h = LAYOUT_HEADER_H, .w = width};
    out->footer = (rect){.y = height - LAYOUT_FOOTER_H, .x = 0, .h = LAYOUT_FOOTER_H, .w = width};
    out->lane_devices = max2(want->lane_devices, 0);
    out->lane_links = max2(want->lane_links, 0);
    out->lane_compute_only = want->compute_only;
    int nlanes = max2(layout_lane_count(out), 1);
    if (layout_lane_count(out) == 0) out->lane_links = 1; /* one empty lane */
    /* Comparing: two labelled timelines want the room; the other panes keep
     * one row each (their selection), still on the screen for Tab. */
    out->compare = want->compare_rows > 0;
    int min_content = out->compare ? 1 : MIN_CONTENT;
    if (out->compare) nlanes = want->compare_rows;

    bool side_top = width >= LAYOUT_SIDE_TOP_W, side_bottom = width >= LAYOUT_SIDE_BOTTOM_W;
    int full[PANE_COUNT];
    for (int p = 0; p < PANE_COUNT; p++)
        full[p] = 1 + max2(want->rows[p], 1);

    /* The minimum; side by side, a pair of panes is as tall as the taller. */
    int dev = min2(full[PANE_DEVICES], 1 + min_content);
    int link = min2(full[PANE_LINKS], 1 + min_content);
    int lay = min2(full[PANE_LAYERS], 1 + min_content);
    /* Every pane Tab visits is drawn, the baselines too. */
    int base = min2(full[PANE_BASELINES], 1 + min_content);
    if (side_top) dev = link = max2(dev, link);
    if (side_bottom) lay = base = max2(lay, base);
    /* Comparing: at least a label and a lane for each timeline. */
    int lanes = min2(nlanes, out->compare ? 4 : MIN_CONTENT), level = 0;
    int top = side_top ? dev : dev + link;
    int bottom = side_bottom ? lay : lay + base;
    int spare =
        height - LAYOUT_HEADER_H - LAYOUT_FOOTER_H - top - LAYOUT_TIMELINE_EXTRA - lanes - bottom;

    /* 1. Every lane of the timeline. */
    grow(&lanes, nlanes, &spare);
    /* 2. The devices and links, up to a few rows each. */
    if (side_top) {
        grow(&dev, min2(max2(full[PANE_DEVICES], full[PANE_LINKS]), 1 + FIRST_TOP_ROWS), &spare);
        link = dev;
    } else {
        grow(&dev, min2(full[PANE_DEVICES], 1 + FIRST_TOP_ROWS), &spare);
        grow(&link, min2(full[PANE_LINKS], 1 + FIRST_TOP_ROWS), &spare);
    }
    /* 3. A few layers. */
    grow(&lay, min2(full[PANE_LAYERS], 1 + FIRST_LAYER_ROWS), &spare);
    if (side_bottom) base = lay;
    /* 4. Blank rows between the lane groups, two-row compute lanes. */
    if (out->compare) {
        int step = max2(want->compare_step, 1);
        while (lanes >= nlanes && lanes + step <= want->compare_comfort && spare >= step) {
            lanes += step;
            spare -= step;
        }
    } else
        lanes_comfort(out, 2, &lanes, &level, &spare);
    /* 5. All baselines and layers, all devices and links. */
    if (side_bottom) {
        grow(&lay, max2(full[PANE_LAYERS], full[PANE_BASELINES]), &spare);
        base = lay;
    } else {
        grow(&base, full[PANE_BASELINES], &spare);
        grow(&lay, full[PANE_LAYERS], &spare);
    }
    if (side_top) {
        grow(&dev, max2(full[PANE_DEVICES], full[PANE_LINKS]), &spare);
        link = dev;
    } else {
        grow(&dev, full[PANE_DEVICES], &spare);
        grow(&link, full[PANE_LINKS], &spare);
    }
    /* 6. Taller lanes still. */
    if (!out->compare) lanes_comfort(out, LAYOUT_LANE_LEVELS, &lanes, &level, &spare);
    /* 7. What is left: more room for the layers list. */
    lay += spare;
    if (side_bottom) base = lay;
    out->lane_level = level;
    out->lanes_h = lanes;

    int y = LAYOUT_HEADER_H;
    if (side_top) {
        int wd = want->width[PANE_DEVICES], wl = want->width[PANE_LINKS];
        int dev_w = wd > 0 && wl > 0 ? width * wd / (wd + wl) : width * 52 / 100;
        out->pane[PANE_DEVICES] = (rect){.y = y, .x = 0, .h = dev, .w = dev_w};
        out->pane[PANE_LINKS] = (rect){.y = y, .x = dev_w, .h = dev, .w = width - dev_w};
        y += dev;
    } else {
        out->pane[PANE_DEVICES] = (rect){.y = y, .x = 0, .h = dev, .w = width};
        y += dev;
        out->pane[PANE_LINKS] = (rect){.y = y, .x = 0, .h = link, .w = width};
        y += link;
    }
    out->pane[PANE_TIMELINE] =
        (rect){.y = y, .x = 0, .h = LAYOUT_TIMELINE_EXTRA + lanes, .w = width};
    y += LAYOUT_TIMELINE_EXTRA + lanes;
    if (side_bottom) {
        /* The baselines get what their names need, within a share. */
        int base_w = want->width[PANE_BASELINES];
        int most = width * BASELINES_MAX_PERCENT / 100;
        if (base_w <= 0 || base_w > most) base_w = base_w <= 0 ? width * 36 / 100 : most;
        out->pane[PANE_LAYERS] = (rect){.y = y, .x = 0, .h = lay, .w = width - base_w};
        out->pane[PANE_BASELINES] = (rect){.y = y, .x = width - base_w, .h = lay, .w = base_w};
    } else {
        out->pane[PANE_LAYERS] = (rect){.y = y, .x = 0, .h = lay, .w = width};
        out->pane[PANE_BASELINES] = (rect){.y = y + lay, .x = 0, .h = base, .w = width};
    }
}

bool rect_contains(const rect *r, int y, int x)
{
    return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}
