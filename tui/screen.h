/* Paints the explorer with curses from its state and the layout; maps mouse
 * clicks back to rows and timeline bars. Holds no model logic. */
#ifndef NNPART_SCREEN_H
#define NNPART_SCREEN_H

#include "explorer.h"
#include "../draw/gantt_text.h"
#include "layout.h"

/* The compare view's plan: per timeline (0 the optimum, 1 the compared
 * placement) each lane's rows (0: left out) and how many lanes it leaves
 * out; scroll_n > 0 when even the compute lanes scroll (by up to that many,
 * scroll_vis at a time). */
#define CMP_MAX_LANES (2 * 32 + 32 * 31 / 2)
#define CMP_MAX_ROWS 512
typedef struct compare_plan_t {
    unsigned char h[2][CMP_MAX_LANES];
    int hidden[2], above[2];
    int scroll_n, scroll_vis;
} compare_plan_t;

typedef struct screen {
    bool unicode; /* UTF-8 locale: block characters and arrows */
    bool color;   /* colours; otherwise attributes only (NO_COLOR, monochrome) */
    screen_layout lay;
    gantt_layout g; /* the timeline as last painted, for clicks */
    bool have_g;
    gantt_layout g2; /* comparing: the compared placement's timeline */
    bool have_g2;
    compare_plan_t cmp;
    signed char cmp_row_sec[CMP_MAX_ROWS]; /* per lane row: timeline 0 or 1, -1 none */
    short cmp_row_lane[CMP_MAX_ROWS];
    int plot_x;                              /* screen column of the plot's first cell */
    int lane_y;                              /* screen row of the lanes' first row */
    int lane_top;                            /* first lane shown (lanes scroll at level 0) */
    int top[PANE_COUNT];                     /* first row painted per pane */
    int colx[PANE_COUNT][EX_VALUE_COLS + 1]; /* value column edges, screen x */
    unsigned cols_shown[PANE_COUNT];         /* value columns painted: bit c for column c */
} screen;

/* After initscr: decides colours and glyphs. */
void screen_init(screen *sc, bool unicode);
void screen_free(screen *sc);
/* Paints everything; `solving_s` is how long the pending solve has run. */
void screen_paint(screen *sc, const explorer *ex, double solving_s);
/* A left click at (y, x). Returns true when it changed the selection. */
bool screen_click(screen *sc, explorer *ex, int y, int x);
/* The wheel at (y, x): scrolls the pane under it by `delta` rows. */
void screen_wheel(screen *sc, explorer *ex, int y, int x, int delta);

#endif
