/* Splitting the terminal between header, panes, timeline and footer. */
#include "layout.h"

#include <string.h>

/* Title row plus at least this many content rows. */
#define MIN_CONTENT 2

static int at_least(int v, int min)
{
    return v < min ? min : v;
}

static int max2(int a, int b)
{
    return a > b ? a : b;
}

void layout_compute(int width, int height, const int want[PANE_COUNT], screen_layout *out)
{
    memset(out, 0, sizeof *out);
    if (width < LAYOUT_MIN_W || height < LAYOUT_MIN_H) {
        out->too_small = true;
        return;
    }
    out->header = (rect){.y = 0, .x = 0, .h = LAYOUT_HEADER_H, .w = width};
    out->footer = (rect){.y = height - LAYOUT_FOOTER_H, .x = 0, .h = LAYOUT_FOOTER_H, .w = width};
    int avail = height - LAYOUT_HEADER_H - LAYOUT_FOOTER_H;

    bool side_top = width >= LAYOUT_SIDE_TOP_W, side_bottom = width >= LAYOUT_SIDE_BOTTOM_W;
    int dev_h = 1 + at_least(want[PANE_DEVICES], 1);
    int link_h = 1 + at_least(want[PANE_LINKS], 1);
    int tl_h = LAYOUT_TIMELINE_EXTRA + at_least(want[PANE_TIMELINE], 1);
    int layers_min = 1 + MIN_CONTENT;
    int base_h = side_bottom ? 0 : 1 + at_least(want[PANE_BASELINES], 1);

    /* Shrink the least important part first until everything fits. */
    for (;;) {
        int top = side_top ? max2(dev_h, link_h) : dev_h + link_h;
        int bottom = layers_min + (side_bottom ? 0 : base_h);
        if (top + tl_h + bottom <= avail) break;
        if (!side_bottom && base_h > 1 + MIN_CONTENT) {
            base_h--;
        } else if (dev_h > 1 + MIN_CONTENT || link_h > 1 + MIN_CONTENT) {
            /* The taller gives a row (side by side, only height counts). */
            if (dev_h >= link_h && dev_h > 1 + MIN_CONTENT) dev_h--;
            if (link_h > dev_h && link_h > 1 + MIN_CONTENT) link_h--;
        } else if (!side_bottom && base_h > 0) {
            base_h = 0; /* the baselines wait for a taller terminal */
        } else if (tl_h > LAYOUT_TIMELINE_EXTRA + MIN_CONTENT) {
            tl_h--;
        } else {
            break;
        }
    }

    int y = LAYOUT_HEADER_H;
    if (side_top) {
        int top = max2(dev_h, link_h);
        int dev_w = width * 52 / 100;
        out->pane[PANE_DEVICES] = (rect){.y = y, .x = 0, .h = top, .w = dev_w};
        out->pane[PANE_LINKS] = (rect){.y = y, .x = dev_w, .h = top, .w = width - dev_w};
        y += top;
    } else {
        out->pane[PANE_DEVICES] = (rect){.y = y, .x = 0, .h = dev_h, .w = width};
        y += dev_h;
        out->pane[PANE_LINKS] = (rect){.y = y, .x = 0, .h = link_h, .w = width};
        y += link_h;
    }
    out->pane[PANE_TIMELINE] = (rect){.y = y, .x = 0, .h = tl_h, .w = width};
    y += tl_h;
    int rest = out->footer.y - y;
    if (side_bottom) {
        int base_w = width * 36 / 100;
        out->pane[PANE_LAYERS] = (rect){.y = y, .x = 0, .h = rest, .w = width - base_w};
        out->pane[PANE_BASELINES] = (rect){.y = y, .x = width - base_w, .h = rest, .w = base_w};
    } else {
        /* The layers get what the baselines do not need. */
        int bh = base_h > 0 ? base_h : 0;
        if (bh > 0 && rest - bh < layers_min) bh = 0;
        out->pane[PANE_LAYERS] = (rect){.y = y, .x = 0, .h = rest - bh, .w = width};
        out->pane[PANE_BASELINES] = (rect){.y = y + rest - bh, .x = 0, .h = bh, .w = width};
    }
}

bool rect_contains(const rect *r, int y, int x)
{
    return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}
