/* The curses painter. Everything it shows comes from the explorer's
 * document, the outcome on show (solver, evaluator, baselines) and the
 * curses-free timeline layout; it only places text and attributes. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "../model/text.h"
#include "../model/units.h"
#include "pareto_paint.h"
#include "pareto_view.h"
#include "sensitivity.h"
#include "sensitivity_paint.h"

enum {
    PAIR_COMPUTE = 1,
    PAIR_LOAD,
    PAIR_TRANSFER,
    PAIR_IDLE,
    PAIR_COMPUTE_LABEL,
    PAIR_LOAD_LABEL,
    PAIR_TRANSFER_LABEL,
    PAIR_ERROR,
    PAIR_TITLE,
    PAIR_GOOD,
    PAIR_CRITICAL,
    PAIR_MOVED,
    PAIR_DEVICE0, /* PAIR_DEVICE0 + i: device i's colour, DEVICE_COLORS of them */
    PAIR_DEVICE_LABEL0 = PAIR_DEVICE0 + 6,
    PAIR_INPUT0 = PAIR_DEVICE_LABEL0 + 6, /* a stream's input i: PAIR_INPUT0 + i % INPUT_COLORS */
    PAIR_INPUT_LABEL0 = PAIR_INPUT0 + 4,
};

/* Each device its own colour (cycling); magenta stays the critical path's
 * and red the waiting's. */
#define DEVICE_COLORS 6
static const short DEVICE_PALETTE[DEVICE_COLORS] = {COLOR_GREEN, COLOR_CYAN,  COLOR_YELLOW,
                                                    COLOR_BLUE,  COLOR_WHITE, COLOR_GREEN};
/* A stream's inputs cycle through four colours, as their fills do
 * (gantt_input_glyph); in monochrome through four attributes. */
#define INPUT_COLORS 4
static const short INPUT_PALETTE[INPUT_COLORS] = {COLOR_GREEN, COLOR_YELLOW, COLOR_CYAN,
                                                  COLOR_MAGENTA};
static const attr_t INPUT_MONO[INPUT_COLORS] = {A_BOLD, A_NORMAL, A_BOLD | A_UNDERLINE, A_DIM};

/* The attribute a kind of thing gets, with or without colour. */
typedef enum look {
    LOOK_PLAIN,
    LOOK_COMPUTE,
    LOOK_LOAD,
    LOOK_TRANSFER,
    LOOK_IDLE,
    LOOK_COMPUTE_LABEL,
    LOOK_LOAD_LABEL,
    LOOK_TRANSFER_LABEL,
    LOOK_ERROR,
    LOOK_TITLE,       /* a pane's title row */
    LOOK_TITLE_FOCUS, /* the focused pane's title row */
    LOOK_SELECTED,    /* the selected row of the focused pane */
    LOOK_CELL,        /* the selected value */
    LOOK_HEADER,
    LOOK_GOOD,
    LOOK_DIM,
    LOOK_WAIT,     /* waiting for weights: loading on the critical path */
    LOOK_CRITICAL, /* the critical path: what the latency is made of */
    LOOK_MOVED,    /* a layer that moved with the last edit */
} look;

/* Each look with and without colour (monochrome or NO_COLOR: glyphs tell
 * kinds apart, attributes help). */
static const struct {
    attr_t mono;
    short pair; /* 0: no colour */
    attr_t color;
} LOOKS[] = {
    [LOOK_PLAIN] = {A_NORMAL, 0, A_NORMAL},
    [LOOK_COMPUTE] = {A_BOLD, PAIR_COMPUTE, A_NORMAL},
    [LOOK_LOAD] = {A_NORMAL, PAIR_LOAD, A_NORMAL},
    [LOOK_TRANSFER] = {A_BOLD, PAIR_TRANSFER, A_BOLD},
    [LOOK_IDLE] = {A_DIM, PAIR_IDLE, A_NORMAL},
    [LOOK_COMPUTE_LABEL] = {A_REVERSE, PAIR_COMPUTE_LABEL, A_NORMAL},
    [LOOK_LOAD_LABEL] = {A_REVERSE, PAIR_LOAD_LABEL, A_NORMAL},
    [LOOK_TRANSFER_LABEL] = {A_REVERSE, PAIR_TRANSFER_LABEL, A_NORMAL},
    [LOOK_ERROR] = {A_BOLD | A_UNDERLINE, PAIR_ERROR, A_BOLD},
    [LOOK_TITLE] = {A_UNDERLINE, PAIR_TITLE, A_BOLD},
    [LOOK_TITLE_FOCUS] = {A_REVERSE | A_BOLD, 0, A_REVERSE | A_BOLD},
    [LOOK_SELECTED] = {A_BOLD, 0, A_BOLD},
    [LOOK_CELL] = {A_REVERSE, 0, A_REVERSE},
    [LOOK_HEADER] = {A_BOLD, 0, A_BOLD},
    [LOOK_GOOD] = {A_BOLD, PAIR_GOOD, A_BOLD},
    [LOOK_DIM] = {A_DIM, 0, A_DIM},
    [LOOK_WAIT] = {A_BOLD, PAIR_ERROR, A_NORMAL},
    [LOOK_CRITICAL] = {A_BOLD | A_UNDERLINE, PAIR_CRITICAL, A_BOLD},
    [LOOK_MOVED] = {A_BOLD | A_UNDERLINE, PAIR_MOVED, A_BOLD},
};

static attr_t attr_of(const screen *sc, look l)
{
    if (!sc->color) return LOOKS[l].mono;
    return (LOOKS[l].pair ? COLOR_PAIR(LOOKS[l].pair) : A_NORMAL) | LOOKS[l].color;
}

void screen_init(screen *sc, bool unicode)
{
    memset(sc, 0, sizeof *sc);
    sc->unicode = unicode;
    const char *no_color = getenv("NO_COLOR");
    sc->color = has_colors() && !(no_color && *no_color);
    if (sc->color) {
        start_color();
        use_default_colors();
        init_pair(PAIR_COMPUTE, COLOR_GREEN, -1);
        init_pair(PAIR_LOAD, COLOR_YELLOW, -1);
        init_pair(PAIR_TRANSFER, COLOR_CYAN, -1);
        init_pair(PAIR_IDLE, COLOR_BLUE, -1);
        init_pair(PAIR_COMPUTE_LABEL, COLOR_BLACK, COLOR_GREEN);
        init_pair(PAIR_LOAD_LABEL, COLOR_BLACK, COLOR_YELLOW);
        init_pair(PAIR_TRANSFER_LABEL, COLOR_BLACK, COLOR_CYAN);
        init_pair(PAIR_ERROR, COLOR_RED, -1);
        init_pair(PAIR_TITLE, COLOR_CYAN, -1);
        init_pair(PAIR_GOOD, COLOR_GREEN, -1);
        init_pair(PAIR_CRITICAL, COLOR_MAGENTA, -1);
        init_pair(PAIR_MOVED, COLOR_YELLOW, -1);
        for (int i = 0; i < DEVICE_COLORS; i++) {
            init_pair((short)(PAIR_DEVICE0 + i), DEVICE_PALETTE[i], -1);
            init_pair((short)(PAIR_DEVICE_LABEL0 + i), COLOR_BLACK, DEVICE_PALETTE[i]);
        }
        for (int i = 0; i < INPUT_COLORS; i++) {
            init_pair((short)(PAIR_INPUT0 + i), INPUT_PALETTE[i], -1);
            init_pair((short)(PAIR_INPUT_LABEL0 + i), COLOR_BLACK, INPUT_PALETTE[i]);
        }
    }
}

void screen_free(screen *sc)
{
    if (sc->have_g) gantt_layout_free(&sc->g);
    if (sc->have_g2) gantt_layout_free(&sc->g2);
    sc->have_g = sc->have_g2 = false;
    sc->cmp.scroll_n = 0;
}

/* --- text helpers --------------------------------------------------------- */

/* Writes at most `w` character cells of `s` at (y, x); returns cells written.
 * Without a UTF-8 locale, non-ASCII bytes show as '?'. */
static int put(const screen *sc, int y, int x, int w, const char *s, attr_t a)
{
    char safe[8192]; /* names come from files: nothing in them may drive the terminal */
    text_escape(safe, sizeof safe, s);
    s = safe;
    int n = 0;
    attron(a);
    move(y, x);
    while (*s && n < w) {
        int len = 1;
        while (s[len] && ((unsigned char)s[len] & 0xC0) == 0x80)
            len++;
        if (!sc->unicode && ((unsigned char)*s & 0x80))
            addch('?');
        else
            addnstr(s, len);
        s += len;
        n++;
    }
    attroff(a);
    return n;
}

static void blank(int y, int x, int w, attr_t a)
{
    attron(a);
    mvhline(y, x, ' ', w);
    attroff(a);
}

static int text_cells(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Text left-aligned in a field of `w` cells, padded with blanks; text that
 * does not fit ends in an ellipsis, so a cut is never mistaken for a value. */
static void field(const screen *sc, int y, int x, int w, const char *s, attr_t a)
{
    if (w <= 0) return;
    blank(y, x, w, a);
    char safe[8192];
    s = text_escape(safe, sizeof safe, s); /* measured as shown */
    if (text_cells(s) <= w || w < 2) {
        put(sc, y, x, w, s, a);
        return;
    }
    put(sc, y, x, w - 1, s, a);
    put(sc, y, x + w - 1, 1, sc->unicode ? "\u2026" : "~", a);
}

/* Where to break `s` so that its first part fits `w` cells: the byte offset
 * of the last blank that allows it, or of the cell limit when there is
 * none; -1 when all of it fits. */
static int wrap_point(const char *s, int w)
{
    if (text_cells(s) <= w) return -1;
    int cells = 0, last_blank = -1, limit = 0;
    for (int i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80) continue;
        if (cells == w) {
            limit = i;
            break;
        }
        if (s[i] == ' ') last_blank = i;
        cells++;
    }
    return last_blank > 0 ? last_blank : limit;
}

/* First row to paint so that `sel` is visible in `visible` rows. */
static int scroll_top(int sel, int visible, int total)
{
    if (visible <= 0 || total <= visible || sel < visible) return 0;
    int top = sel - visible + 1;
    return top > total - visible ? total - visible : top;
}

/* The outcome when it describes the document's current shape. */
static const tui_outcome *result_for_doc(const explorer *ex)
{
    const tui_outcome *o = ex->shown;
    if (!o || o->in.L != ex->doc.net.nlayers || o->in.D != ex->doc.ndevices) return NULL;
    return o;
}

/* Whether the placement on show sends anything over the link between a and b. */
static bool link_in_use(const tui_outcome *o, int a, int b)
{
    if (!o || !o->has_eval) return false;
    for (int i = 0; i < o->ev.nhops; i++) {
        const nn_hop_span *h = &o->ev.hops[i];
        if ((h->from == a && h->to == b) || (h->from == b && h->to == a)) return true;
    }
    return false;
}

/* --- tables: devices, links, layers, baselines ------------------------------ */

#define TABLE_COLS 10
/* Widest timeline plot drawn, in columns. */
#define PLOT_MAX 1024
/* The name column's width: at most MAX, and never narrowed below MIN. */
#define NAME_MAX_W 32
#define NAME_MIN_W 6

/* Blanks after each column's widest text. */
#define COL_GAP 2

typedef struct column {
    const char *title;
    int w;      /* cells, with the blanks after; 0 when left out */
    int drop;   /* 0: always shown; else left out for lack of room, highest first */
    int min;    /* narrowed to this width before it is left out (0: never narrowed) */
    bool spare; /* shown only where there is room: not in the width the pane asks for */
} column;

/* One row's texts, and per column a look added to the row's (LOOK_PLAIN: none).
 * `mark` follows the first column's text in its own look and is never cut:
 * a device's role ("in", "out") stays on show however narrow the name gets. */
typedef struct row_cells {
    char text[TABLE_COLS][NN_TEXT_LEN];
    look extra[TABLE_COLS];
    char mark[16];
} row_cells;

typedef struct table table;
typedef void (*row_fill)(const explorer *ex, int row, row_cells *out);

struct table {
    ex_pane pane;
    column col[TABLE_COLS];
    int ncols;
    int first_value; /* first column + and - change (devices, links); -1: rows select whole */
    int nrows;
    row_fill fill;
    char note[32]; /* after the headings when there is room */
};

/* Columns as wide as their widest text (the name column within limits). */
static void table_measure(const explorer *ex, table *t)
{
    row_cells cells;
    for (int c = 0; c < t->ncols; c++)
        t->col[c].w = text_cells(t->col[c].title) + COL_GAP;
    for (int r = 0; r < t->nrows; r++) {
        t->fill(ex, r, &cells);
        for (int c = 0; c < t->ncols; c++) {
            int w = text_cells(cells.text[c]) + COL_GAP + (c == 0 ? text_cells(cells.mark) : 0);
            if (w > t->col[c].w) t->col[c].w = w;
        }
    }
    /* Baselines are named by what they are ("split phone|cloud after
     * pool1 (1 pin)"): their names may be longer. */
    int most = t->pane == PANE_BASELINES ? NAME_MAX_W + 10 : NAME_MAX_W;
    if (t->col[0].w > most) t->col[0].w = most;
}

static int table_width(const table *t)
{
    int w = 0; /* the last column's blanks keep it off the edge */
    for (int c = 0; c < t->ncols; c++)
        w += t->col[c].w;
    return w;
}

/* Fits the columns into `avail` cells: the least important narrow, then
 * leave, then the name column narrows, then columns leave from the right. */
static void table_fit(table *t, int avail)
{
    for (;;) {
        int over = table_width(t) - avail;
        if (over <= 0) return;
        int worst = -1;
        for (int c = 0; c < t->ncols; c++)
            if (t->col[c].w > 0 && t->col[c].drop > 0 &&
                (worst < 0 || t->col[c].drop > t->col[worst].drop))
                worst = c;
        if (worst < 0) break;
        column *col = &t->col[worst];
        if (col->min > 0 && col->w - over >= col->min + COL_GAP) {
            col->w -= over;
            return;
        }
        col->w = 0;
    }
    int over = table_width(t) - avail;
    int narrow = t->col[0].w - over;
    t->col[0].w = narrow > NAME_MIN_W ? narrow : NAME_MIN_W;
    for (int c = t->ncols - 1; c > 0 && table_width(t) > avail; c--)
        t->col[c].w = 0;
}

/* A title row: the headings, and the pane's focus. */
static void paint_table_title(const screen *sc, const explorer *ex, const table *t, const rect *r)
{
    attr_t a = attr_of(sc, ex->pane == t->pane ? LOOK_TITLE_FOCUS : LOOK_TITLE);
    blank(r->y, r->x, r->w, a);
    int x = r->x;
    for (int c = 0; c < t->ncols; c++) {
        if (t->col[c].w > 0) put(sc, r->y, x, t->col[c].w - COL_GAP, t->col[c].title, a);
        x += t->col[c].w;
    }
    if (t->note[0] && r->x + r->w - x > text_cells(t->note) + 1)
        put(sc, r->y, x + 1, r->x + r->w - x - 1, t->note, a | A_DIM);
}

/* Says that rows are out of view: an arrow at the right edge of the first or
 * last row shown, with the count below where there is room. */
static void paint_more(const screen *sc, const rect *r, int used_w, int top, int visible, int n)
{
    int right = r->x + r->w - 2; /* a blank to the next pane */
    attr_t a = attr_of(sc, LOOK_DIM);
    if (top > 0) put(sc, r->y + 1, right, 1, sc->unicode ? "\u2191" : "^", a);
    int below = n - top - visible;
    if (below <= 0) return;
    char more[48];
    snprintf(more, sizeof more, "%s %d more", sc->unicode ? "\u2193" : "v", below);
    int w = text_cells(more);
    int y = r->y + visible;
    if (r->x + used_w + w <= right + 1)
        put(sc, y, right + 1 - w, w, more, a);
    else
        put(sc, y, right, 1, sc->unicode ? "\u2193" : "v", a);
}

static void paint_table(screen *sc, const explorer *ex, table *t)
{
    const rect *r = &sc->lay.pane[t->pane];
    sc->cols_shown[t->pane] = 0;
    if (r->h <= 0) return;
    ex_pane p = t->pane;
    int visible = r->h - 1, sel = ex->row[p];
    /* A pane that scrolls keeps its last column for the arrow; one at the
     * screen's right edge needs no blanks after its last column. */
    if (t->nrows > visible)
        table_fit(t, r->w - 1);
    else
        table_fit(t, r->x + r->w >= COLS ? r->w + COL_GAP : r->w);
    paint_table_title(sc, ex, t, r);
    int top = scroll_top(sel, visible, t->nrows);
    sc->top[p] = top;
    /* Screen columns of the values, for clicks (a column left out is
     * empty: its edges meet). */
    int x = r->x, nvalues = t->first_value >= 0 ? explorer_value_cols(p) : 0;
    for (int c = 0; c < t->ncols; c++) {
        int v = c - t->first_value;
        if (t->first_value >= 0 && v >= 0 && v <= nvalues) sc->colx[p][v] = x;
        x += t->col[c].w;
    }
    if (t->first_value >= 0 && t->ncols - t->first_value == nvalues) sc->colx[p][nvalues] = x;
    /* The value columns on show (only these are selected). */
    sc->cols_shown[p] = 0;
    for (int v = 0; v < nvalues && t->first_value + v < t->ncols; v++)
        if (t->col[t->first_value + v].w > 0) sc->cols_shown[p] |= 1u << v;
    int used_w = x - r->x;
    /* The layers keep their highlight while the timeline has the focus. */
    bool focus = ex->pane == p || (p == PANE_LAYERS && ex->pane == PANE_TIMELINE);
    row_cells cells;
    for (int i = 0; i < visible; i++) {
        int y = r->y + 1 + i, row = top + i;
        blank(y, r->x, r->w, A_NORMAL);
        if (row >= t->nrows) continue;
        t->fill(ex, row, &cells);
        bool selected = row == sel && focus;
        attr_t row_a = A_NORMAL;
        if (selected) row_a = attr_of(sc, t->first_value >= 0 ? LOOK_SELECTED : LOOK_CELL);
        x = r->x;
        for (int c = 0; c < t->ncols; c++) {
            bool cell = t->first_value >= 0 && row == sel && c - t->first_value == ex->col[p];
            attr_t a = row_a;
            if (cell) a = attr_of(sc, focus ? LOOK_CELL : LOOK_SELECTED);
            /* Kinds colour the text, except where reverse video marks the
             * selection; a warning shows even there. */
            look e = cells.extra[c];
            if (e != LOOK_PLAIN && (e == LOOK_ERROR || !(a & A_REVERSE))) a |= attr_of(sc, e);
            if (t->col[c].w > 0 && c == 0 && cells.mark[0]) {
                /* The name gives way to its mark. */
                int mw = text_cells(cells.mark), w = t->col[c].w - COL_GAP;
                int nw = text_cells(cells.text[c]) < w - mw ? text_cells(cells.text[c]) : w - mw;
                field(sc, y, x, nw, cells.text[c], a);
                field(sc, y, x + nw, w - nw, cells.mark, a | attr_of(sc, LOOK_GOOD));
            } else if (t->col[c].w > 0) {
                field(sc, y, x, t->col[c].w - COL_GAP, cells.text[c], a);
            }
            x += t->col[c].w;
        }
    }
    paint_more(sc, r, used_w, top, visible, t->nrows);
}

static void cells_clear(row_cells *out)
{
    for (int c = 0; c < TABLE_COLS; c++) {
        out->text[c][0] = '\0';
        out->extra[c] = LOOK_PLAIN;
    }
    out->mark[0] = '\0';
}

static void fill_device(const explorer *ex, int d, row_cells *out)
{
    cells_clear(out);
    const nn_device *dev = &ex->doc.devices[d];
    const tui_outcome *o = result_for_doc(ex);
    char mem[32], used[32] = "-";
    str_copy(out->text[0], NN_TEXT_LEN, dev->name);
    str_copy(out->text[1], NN_TEXT_LEN, tier_name(dev->tier));
    units_format(dev->speed, UNIT_FLOP_RATE, out->text[2], NN_TEXT_LEN);
    units_format(dev->memory, UNIT_BYTES, mem, sizeof mem);
    if (o && o->has_eval) {
        units_format(o->ev.mem_used[d], UNIT_BYTES, used, sizeof used);
        if (o->ev.mem_used[d] > dev->memory) out->extra[3] = LOOK_ERROR;
    }
    snprintf(out->text[3], NN_TEXT_LEN, "%s/%s", used, mem);
    units_format(dev->load_rate, UNIT_BYTE_RATE, out->text[4], NN_TEXT_LEN);
    /* The roofline's memory bandwidth; "-" when the device has none. */
    if (dev->memory_bandwidth > 0)
        units_format(dev->memory_bandwidth, UNIT_BYTE_RATE, out->text[5], NN_TEXT_LEN);
    else
        str_copy(out->text[5], NN_TEXT_LEN, "-");
    /* Energy figures; "-" when not given (0). */
    const double watts[3] = {dev->power, dev->idle_power, dev->load_power};
    for (int k = 0; k < 3; k++) {
        if (watts[k] > 0)
            units_format(watts[k], UNIT_POWER, out->text[6 + k], NN_TEXT_LEN);
        else
            str_copy(out->text[6 + k], NN_TEXT_LEN, "-");
    }
    str_copy(out->text[9], NN_TEXT_LEN, dev->battery ? "yes" : "no");
    if (!dev->battery) out->extra[9] = LOOK_DIM;
    /* Where the input starts and the result must arrive (i, o change
     * them), on the name so that no width hides it. */
    bool src = d == ex->doc.source, snk = d == ex->doc.sink;
    if (src || snk)
        snprintf(out->mark, sizeof out->mark, " %s%s%s", src ? "in" : "", src && snk ? "+" : "",
                 snk ? "out" : "");
}

static void fill_link(const explorer *ex, int k, row_cells *out)
{
    cells_clear(out);
    const nn_link *l = &ex->doc.links[k];
    snprintf(out->text[0], NN_TEXT_LEN, "%s - %s", ex->doc.devices[l->a].name,
             ex->doc.devices[l->b].name);
    units_format(l->bandwidth, UNIT_BIT_RATE, out->text[1], NN_TEXT_LEN);
    units_format(l->reverse, UNIT_BIT_RATE, out->text[2], NN_TEXT_LEN);
    units_format(l->latency, UNIT_TIME, out->text[3], NN_TEXT_LEN);
    if (l->energy > 0)
        units_format(l->energy, UNIT_ENERGY_PER_BIT, out->text[4], NN_TEXT_LEN);
    else
        str_copy(out->text[4], NN_TEXT_LEN, "-");
    if (link_in_use(result_for_doc(ex), l->a, l->b)) {
        str_copy(out->text[5], NN_TEXT_LEN, "in use");
        out->extra[5] = LOOK_TRANSFER;
    }
}

static void fill_layer(const explorer *ex, int l, row_cells *out)
{
    cells_clear(out);
    const nn_layer *ly = &ex->doc.net.layers[l];
    const nn_layer_type_desc *td = layer_type_get(ly->type);
    const tui_outcome *o = result_for_doc(ex);
    /* A measured time (profile) replaces FLOPs / speed on some device. */
    snprintf(out->text[0], NN_TEXT_LEN, "%s%s", ly->name,
             ly->nprofiles > 0 ? (ex->unicode ? "\u2248" : "~") : "");
    str_copy(out->text[1], NN_TEXT_LEN, td ? td->name : "?");
    units_format(ly->flops, UNIT_FLOP, out->text[2], NN_TEXT_LEN);
    units_format(ly->weight_bytes, UNIT_BYTES, out->text[3], NN_TEXT_LEN);
    units_format(ly->output_bytes, UNIT_BYTES, out->text[4], NN_TEXT_LEN);
    int pin = ex->doc.pin ? ex->doc.pin[l] : -1;
    if (o && o->has_eval) {
        const nn_layer_time *t = &o->ev.layers[l];
        if (o->prev_place && o->prev_place[l] != t->device) {
            /* Moved with the last edit: from -> to, until the next result. */
            snprintf(out->text[5], NN_TEXT_LEN, "%s%s%s%s", o->in.device_names[o->prev_place[l]],
                     ex_arrow(ex), o->in.device_names[t->device], pin >= 0 ? "*" : "");
            out->extra[5] = LOOK_MOVED;
        } else {
            snprintf(out->text[5], NN_TEXT_LEN, "%s%s", o->in.device_names[t->device],
                     pin >= 0 ? "*" : "");
            out->extra[5] = LOOK_COMPUTE;
        }
        units_format(t->start, UNIT_TIME, out->text[6], NN_TEXT_LEN);
        units_format(t->finish, UNIT_TIME, out->text[7], NN_TEXT_LEN);
    } else if (pin >= 0) {
        snprintf(out->text[5], NN_TEXT_LEN, "%s*", ex->doc.devices[pin].name);
    }
}

static void fill_baseline(const explorer *ex, int k, row_cells *out)
{
    cells_clear(out);
    const nn_baseline *b = &ex->shown->base.items[k];
    str_copy(out->text[0], NN_TEXT_LEN, b->name);
    str_copy(out->text[1], NN_TEXT_LEN, "infeasible");
    str_copy(out->text[2], NN_TEXT_LEN, "-");
    if (b->feasible) {
        /* The objective's value: energy in J, a stream's period, or latency. */
        units_format(b->value, objective_unit(ex->shown->in.objective), out->text[1], NN_TEXT_LEN);
        if (!b->within_limits)
            str_copy(out->text[2], NN_TEXT_LEN, "over limit");
        else if (isfinite(b->ratio) && b->ratio > 0)
            snprintf(out->text[2], NN_TEXT_LEN, "%.2fx", b->ratio);
    } else {
        out->extra[1] = LOOK_DIM;
    }
}

/* The tables' columns; widths come from the content. The devices' source
 * and sink are marks on their names ("phone in+out"), so they show at
 * every width. The energy figures (power .. battery, a link's energy per
 * bit) show where there is room; under an energy objective they ask for it
 * and stay longest (energy_drops). */
static const column DEVICE_COLS[] = {
    {.title = "Devices"},
    {.title = "tier", .drop = 1},
    {.title = "speed"},
    {.title = "used/memory"},
    {.title = "load rate"},
    {.title = "mem bw", .drop = 2},
    {.title = "power", .drop = 4, .spare = true},
    {.title = "idle", .drop = 5, .spare = true},
    {.title = "load pwr", .drop = 6, .spare = true},
    {.title = "battery", .drop = 7, .spare = true},
};
#define LINK_USE_COL 5 /* "in use" */
static const column LINK_COLS[] = {
    {.title = "Links (a - b)"},
    {.title = "a \u2192 b"},
    {.title = "b \u2192 a"},
    {.title = "latency"},
    {.title = "energy", .drop = 2, .spare = true},
    {.title = "", .drop = 1},
};
static const column LINK_COLS_ASCII[] = {
    {.title = "Links (a - b)"},
    {.title = "a -> b"},
    {.title = "b -> a"},
    {.title = "latency"},
    {.title = "energy", .drop = 2, .spare = true},
    {.title = "", .drop = 1},
};
#define LINK_ENERGY_COL 4

/* Under the energy objectives the energy columns are wanted: they stay
 * longest, and the memory bandwidth and the tier give way. */
static void energy_drops(table *dev, table *link)
{
    static const int device_drop[] = {[1] = 4, [5] = 5, [6] = 0, [7] = 2, [8] = 3, [9] = 1};
    for (int c = 1; c < dev->ncols; c++) {
        dev->col[c].drop = device_drop[c];
        dev->col[c].spare = false;
    }
    link->col[LINK_ENERGY_COL].drop = 0;
    link->col[LINK_ENERGY_COL].spare = false;
    link->col[LINK_ENERGY_COL + 1].drop = 1;
}
/* The type leaves first, narrowed before; then output, FLOPs and weights. */
static const column LAYER_COLS[] = {
    {.title = "Layers"},
    {.title = "type", .drop = 4, .min = 10},
    {.title = "FLOPs", .drop = 2},
    {.title = "weights", .drop = 1},
    {.title = "output", .drop = 3},
    {.title = "device"},
    {.title = "start"},
    {.title = "finish"},
};
static const column BASELINE_COLS[] = {
    {.title = "Baselines"},
    {.title = "latency"},
    {.title = "vs opt"},
};
/* Under the other objectives the value column is the objective's. */
static const column BASELINE_COLS_ENERGY[] = {
    {.title = "Baselines"},
    {.title = "energy"},
    {.title = "vs opt"},
};
static const column BASELINE_COLS_PERIOD[] = {
    {.title = "Baselines"},
    {.title = "period"},
    {.title = "vs opt"},
};

static void table_init(table *t, ex_pane pane, const column *cols, int ncols, int first_value,
                       int nrows, row_fill fill)
{
    *t = (table){
        .pane = pane, .ncols = ncols, .first_value = first_value, .nrows = nrows, .fill = fill};
    memcpy(t->col, cols, (size_t)ncols * sizeof *cols);
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The four tables, measured against their content. */
static void tables_describe(const screen *sc, const explorer *ex, table t[PANE_COUNT])
{
    table_init(&t[PANE_DEVICES], PANE_DEVICES, DEVICE_COLS, COUNT(DEVICE_COLS), 2, ex->doc.ndevices,
               fill_device);
    table_init(&t[PANE_LINKS], PANE_LINKS, sc->unicode ? LINK_COLS : LINK_COLS_ASCII,
               COUNT(LINK_COLS), 1, ex->doc.nlinks, fill_link);
    table_init(&t[PANE_LAYERS], PANE_LAYERS, LAYER_COLS, COUNT(LAYER_COLS), -1, ex->doc.net.nlayers,
               fill_layer);
    nn_objective obj = ex->shown ? ex->shown->in.objective : OBJ_LATENCY;
    const column *bcols = obj == OBJ_ENERGY || obj == OBJ_BATTERY_ENERGY ? BASELINE_COLS_ENERGY
                          : obj == OBJ_THROUGHPUT                        ? BASELINE_COLS_PERIOD
                                                                         : BASELINE_COLS;
    table_init(&t[PANE_BASELINES], PANE_BASELINES, bcols, COUNT(BASELINE_COLS), -1,
               ex->shown ? ex->shown->base.count : 0, fill_baseline);
    if (ex->doc.objective == OBJ_ENERGY || ex->doc.objective == OBJ_BATTERY_ENERGY)
        energy_drops(&t[PANE_DEVICES], &t[PANE_LINKS]);
    /* The legend of the marks in the layers' names and devices. */
    bool pinned = false, profiled = false;
    for (int l = 0; l < ex->doc.net.nlayers; l++) {
        pinned |= ex->doc.pin && ex->doc.pin[l] >= 0;
        profiled |= ex->doc.net.layers[l].nprofiles > 0;
    }
    snprintf(t[PANE_LAYERS].note, sizeof t[PANE_LAYERS].note, "%s%s%s", pinned ? "* pinned" : "",
             pinned && profiled ? "  " : "",
             profiled ? (sc->unicode ? "\u2248 profiled" : "~ profiled") : "");
    str_copy(t[PANE_DEVICES].note, sizeof t[PANE_DEVICES].note, "in: source, out: sink");
    for (int p = 0; p < PANE_COUNT; p++)
        if (p != PANE_TIMELINE) table_measure(ex, &t[p]);
}

/* --- header ------------------------------------------------------------- */

/* "182 ms (was 174 ms, +4.6%)" when the latency changed with the last edit. */
static void latency_text(const tui_outcome *o, char *buf, size_t size)
{
    char lat[32], was[32];
    units_format(o->res.latency, UNIT_TIME, lat, sizeof lat);
    if (isfinite(o->prev_latency) && o->prev_latency > 0 && o->prev_latency != o->res.latency) {
        units_format(o->prev_latency, UNIT_TIME, was, sizeof was);
        double pct = 100 * (o->res.latency / o->prev_latency - 1);
        snprintf(buf, size, fabs(pct) < 0.1 ? "%s (was %s, %+.2g%%)" : "%s (was %s, %+.1f%%)", lat,
                 was, pct);
    } else {
        snprintf(buf, size, "%s", lat);
    }
}

/* " | optimising energy: 12.3 mJ", " | optimising throughput: 5 ms per
 * input (200 inputs/s)": what the solver minimises, with its value. */
static void goal_text(const nn_scenario *s, const tui_outcome *o, char *buf, size_t size)
{
    char v[32] = "-", rate[48] = "";
    bool have = o && o->res.place;
    if (s->objective == OBJ_THROUGHPUT) {
        if (have) {
            units_format(o->res.period, UNIT_TIME, v, sizeof v);
            if (o->res.period > 0)
                snprintf(rate, sizeof rate, " (%.4g inputs/s)", 1 / o->res.period);
        }
        snprintf(buf, size, " | optimising throughput: %s per input%s", v, rate);
        return;
    }
    if (have) units_format(o->res.value, UNIT_ENERGY, v, sizeof v);
    snprintf(buf, size, " | optimising %s: %s", objective_name(s->objective), v);
}

static void paint_header(const screen *sc, const explorer *ex, double solving_s)
{
    const rect *r = &sc->lay.header;
    attr_t head = attr_of(sc, LOOK_HEADER);
    blank(r->y, 0, r->w, A_REVERSE);
    const tui_outcome *o = ex->shown;
    const nn_scenario *s = &ex->doc;
    /* From the fullest line to the shortest; the first that fits is shown. */
    char line[10][1024], lat[96] = "-", single[32] = "", alone[160] = "";
    bool speedup = false;
    double x = 0;
    if (o && o->res.place) {
        latency_text(o, lat, sizeof lat);
        /* Against the best device alone on the objective optimised: its
         * latency, energy or period over the optimum's. */
        speedup = o->best_single >= 0 && isfinite(o->best_single_value) && o->res.value > 0;
        if (speedup) {
            units_format(o->best_single_value, objective_unit(s->objective), single, sizeof single);
            x = o->best_single_value / o->res.value;
            str_copy(alone, sizeof alone, o->in.device_names[o->best_single]);
        }
    }
    /* What is optimised, with its value: the latency's is the latency on
     * show, so its goal follows it; the others come before it. A stream:
     * the period, its rate, and one input's latency. */
    bool stream = s->objective == OBJ_THROUGHPUT;
    char goal[160] = "", after[64] = "", tight[160] = "", goal_brief[128] = "";
    if (s->objective == OBJ_LATENCY) {
        snprintf(after, sizeof after, " | optimising latency");
    } else {
        goal_text(s, o, goal, sizeof goal);
        /* The narrowest form: a period says what is optimised. */
        if (stream && o && o->res.place && o->res.period > 0) {
            char v[32];
            units_format(o->res.period, UNIT_TIME, v, sizeof v);
            snprintf(tight, sizeof tight, " | period %s, %.4g inputs/s", v, 1 / o->res.period);
        } else {
            str_copy(tight, sizeof tight, goal);
        }
        /* The shortest: the objective's value without words. */
        char v[32] = "-";
        if (o && o->res.place)
            units_format(stream ? o->res.period : o->res.value, objective_unit(s->objective), v,
                         sizeof v);
        snprintf(goal_brief, sizeof goal_brief, " | %s %s",
                 stream ? "period" : objective_name(s->objective), v);
    }
    const char *lat_name = stream ? "one input" : "latency";
    char full[320] = "", brief[320] = "";
    if (speedup && (s->objective == OBJ_ENERGY || s->objective == OBJ_BATTERY_ENERGY)) {
        const char *what = objective_value_name(s->objective);
        snprintf(full, sizeof full, " | %.2fx less %s than %s alone (%s)", x, what, alone, single);
        if (x < 1.005)
            snprintf(brief, sizeof brief, ", as frugal as %s alone", alone);
        else
            snprintf(brief, sizeof brief, ", %.2fx less %s than %s alone", x, what, alone);
    } else if (speedup && stream) {
        snprintf(full, sizeof full, " | %.2fx the rate of %s alone (%s per input)", x, alone,
                 single);
        if (x < 1.005)
            snprintf(brief, sizeof brief, ", the rate of %s alone", alone);
        else
            snprintf(brief, sizeof brief, ", %.2fx the rate of %s alone", x, alone);
    } else if (speedup) {
        snprintf(full, sizeof full, " | speed-up %.2fx over %s alone (%s)", x, alone, single);
        if (x < 1.005) /* the optimum is that device alone */
            snprintf(brief, sizeof brief, ", as fast as %s alone", alone);
        else
            snprintf(brief, sizeof brief, ", %.2fx faster than %s alone", x, alone);
    } else if (o && o->res.place) {
        snprintf(full, sizeof full,
                 o->in.latency_limit > 0 || o->in.energy_limit > 0
                     ? " | no single device alone is within the limits"
                     : " | no single device can run it alone");
    }
    /* The mode solved in: a stream's weights are resident whatever the
     * document's mode (m changes it for the other objectives). */
    nn_mode shown_mode = objective_mode(s->objective, s->mode);
    /* The latency's goal is said where it fits: each form with it, then
     * without (the latency on show is what is optimised). */
    for (int k = 0; k < 10; k++) {
        const char *tag = k % 2 == 0 ? after : "";
        char *l = line[k];
        size_t n = sizeof line[k];
        switch (k / 2) {
        case 0:
            snprintf(l, n, " %s | %s, %d layers | mode %s%s | %s %s%s%s", s->name, s->net.name,
                     s->net.nlayers, mode_name(shown_mode), goal, lat_name, lat, tag, full);
            break;
        case 1:
            snprintf(l, n, " %s | %s | mode %s%s | %s %s%s%s", s->name, s->net.name,
                     mode_name(shown_mode), goal, lat_name, lat, tag, brief);
            break;
        case 2:
            snprintf(l, n, " %s | mode %s%s | %s %s%s%s", s->net.name, mode_name(shown_mode), goal,
                     lat_name, lat, tag, brief);
            break;
        case 3:
            snprintf(l, n, " %s | %s%s | %s %s%s", s->net.name, mode_name(shown_mode), tight,
                     lat_name, lat, tag);
            break;
        default:
            snprintf(l, n, " %s | %s%s | %s %s%s", s->net.name, mode_name(shown_mode), goal_brief,
                     lat_name, lat, tag);
            break;
        }
    }
    int pick = 0;
    while (pick < 9 && text_cells(line[pick]) > r->w)
        pick++;
    /* The shortest still too long ends in an ellipsis, never mid-word. */
    field(sc, r->y, 0, r->w, line[pick], A_REVERSE | A_BOLD);

    /* Second row: why the latency is what it is, along the critical path. */
    blank(r->y + 1, 0, r->w, A_NORMAL);
    if (o && o->in.objective == OBJ_THROUGHPUT && o->bottleneck.engine.from >= 0) {
        /* A stream's rate is set by its busiest engine, not by one
         * inference's path: that engine, then the next (its slack). Said
         * of the result on show, as its timeline is. */
        char why[512], text[600];
        eval_bottleneck_format(&o->in, &o->bottleneck, ex_arrow(ex), why, sizeof why);
        snprintf(text, sizeof text, " bottleneck: %s", why);
        if (text_cells(text) > r->w) {
            char name[2 * NN_NAME_LEN + 16], v[32];
            eval_engine_name(&o->in, &o->bottleneck.engine, ex_arrow(ex), name, sizeof name);
            units_format(o->bottleneck.engine.busy_s, UNIT_TIME, v, sizeof v);
            snprintf(text, sizeof text, " bottleneck: %s %s", name, v);
        }
        field(sc, r->y + 1, 0, r->w, text, attr_of(sc, LOOK_CRITICAL));
    } else if (o && o->has_crit) {
        char why[2048], text[2100];
        critical_format(&o->in, &o->crit, false, why, sizeof why);
        snprintf(text, sizeof text, " critical path: %s", why);
        if (text_cells(text) > r->w) {
            critical_format(&o->in, &o->crit, true, why, sizeof why);
            snprintf(text, sizeof text, " critical path: %s", why);
        }
        if (text_cells(text) > r->w) snprintf(text, sizeof text, " why: %s", why);
        if (text_cells(text) > r->w) {
            /* Narrower still: the three totals alone, whole (the devices
             * are in the timeline's highlight). */
            char totals[160] = "";
            for (int k = 0; k < CP_KIND_COUNT; k++) {
                if (!(o->crit.total[k] > 0)) continue;
                char v[32];
                units_format(o->crit.total[k], UNIT_TIME, v, sizeof v);
                size_t len = strlen(totals);
                snprintf(totals + len, sizeof totals - len, "%s%s %s", len ? " + " : "",
                         critical_kind_name((nn_cp_kind)k), v);
            }
            snprintf(text, sizeof text, " critical path: %s", totals);
            if (text_cells(text) > r->w) snprintf(text, sizeof text, " why: %s", totals);
        }
        field(sc, r->y + 1, 0, r->w, text, attr_of(sc, LOOK_CRITICAL));
    }

    /* Third row: solve status and what its times measure, then the file. */
    int y = r->y + 2;
    blank(y, 0, r->w, A_NORMAL);
    char status[768], took[32] = "", base[96] = "";
    look sl = LOOK_GOOD;
    if (o) {
        units_format(o->res.solve_time_s, UNIT_TIME, took, sizeof took);
        if (o->base_done) {
            char bt[32];
            units_format(o->base_time_s, UNIT_TIME, bt, sizeof bt);
            snprintf(base, sizeof base, "; baselines in %s", bt);
        } else {
            snprintf(base, sizeof base, "; baselines computing...");
        }
    }
    if (explorer_solving(ex)) {
        snprintf(status, sizeof status, " solving... %.1f s%s", solving_s,
                 o ? " (the previous result stays until the new one arrives)" : "");
        sl = LOOK_DIM;
    } else if (!o) {
        snprintf(status, sizeof status, " no result yet");
        sl = LOOK_DIM;
    } else if (o->res.status == SOLVE_OPTIMAL) {
        /* Which engine proved it; both times only when both ran. */
        char by[96];
        const char *who = o->res.engine == ENGINE_ILP ? "ILP" : "labels";
        if (o->res.labels_s >= 0 && o->res.ilp_s >= 0) {
            char lt[32], it[32];
            units_format(o->res.labels_s, UNIT_TIME, lt, sizeof lt);
            units_format(o->res.ilp_s, UNIT_TIME, it, sizeof it);
            snprintf(by, sizeof by, "%s first; labels %s, ILP %s", who, lt, it);
        } else {
            snprintf(by, sizeof by, "%s", who);
        }
        snprintf(status, sizeof status, " optimal in %s (%s)%s", took, by, base);
        /* Narrow: the short form leaves room for the placement. */
        char compact[1024];
        placement_compact(o->in.device_names, o->res.place, o->in.L, sc->unicode, compact,
                          sizeof compact);
        if (text_cells(status) + 2 + text_cells(compact) > r->w) {
            char bt[32];
            units_format(o->base_time_s, UNIT_TIME, bt, sizeof bt);
            snprintf(status, sizeof status, " optimal in %s (%s); baselines %s", took, who,
                     o->base_done ? bt : "...");
            /* Narrower still: the engine gives way to the placement. */
            if (text_cells(status) + 2 + text_cells(compact) > r->w)
                snprintf(status, sizeof status, " optimal in %s; baselines %s", took,
                         o->base_done ? bt : "...");
        }
    } else if (o->res.status == SOLVE_FEASIBLE) {
        snprintf(status, sizeof status,
                 " time-limited incumbent, gap %.2g%%, stopped after %s%s: %s", o->res.gap * 100,
                 took, base, o->res.message);
        sl = LOOK_ERROR;
    } else {
        snprintf(status, sizeof status, " %s (after %s)", o->res.message, took);
        sl = LOOK_ERROR;
    }
    /* A point of the Pareto front on show: which one, its latency and energy. */
    char point[256];
    if (!explorer_solving(ex) && pview_point_text(ex, point, sizeof point)) {
        snprintf(status, sizeof status, " %s%s", point,
                 pview_optimum(ex) == o ? " (the optimum's own)" : " (in the optimum's place)");
        sl = LOOK_GOOD;
    }
    int n = put(sc, y, 0, r->w, status, attr_of(sc, sl));
    /* The placement in one line, as the command line prints it. */
    if (o && o->res.place && !explorer_solving(ex) && n + 3 < r->w) {
        char compact[1024];
        placement_compact(o->in.device_names, o->res.place, o->in.L, sc->unicode, compact,
                          sizeof compact);
        field(sc, y, n + 2, r->w - n - 2, compact, A_BOLD);
        n += 2 + text_cells(compact);
    }
    char file[EX_PATH_LEN + 64];
    bool unsaved = explorer_unsaved(ex);
    if (ex->path[0])
        snprintf(file, sizeof file, "%s%s ", unsaved ? "[modified] " : "", ex->path);
    else
        snprintf(file, sizeof file, "%sbuilt-in default (s saves a copy) ",
                 unsaved ? "[modified] " : "");
    int fw = text_cells(file);
    if (n + 2 + fw <= r->w) put(sc, y, r->w - fw, fw, file, unsaved ? head : A_DIM);
}

/* --- the timeline ------------------------------------------------------- */

static look bar_look(gantt_kind k, bool label)
{
    switch (k) {
    case GANTT_COMPUTE:
        return label ? LOOK_COMPUTE_LABEL : LOOK_COMPUTE;
    case GANTT_LOAD:
        return label ? LOOK_LOAD_LABEL : LOOK_LOAD;
    case GANTT_TRANSFER:
        return label ? LOOK_TRANSFER_LABEL : LOOK_TRANSFER;
    case GANTT_WAIT:
        return LOOK_WAIT;
    case GANTT_IDLE:
        break;
    }
    return LOOK_IDLE;
}

static attr_t bar_attr(const screen *sc, const gantt_bar *bar, const gantt_lane *ln, bool label);

/* A stream's title row: how many inputs, the window when zoomed, then
 * each input's fill in its colour; entries that do not fit are left out. */
static void paint_stream_title(const screen *sc, const explorer *ex, const rect *r)
{
    const nn_stream *st = &ex->shown->stream;
    char title[200];
    int n = snprintf(title, sizeof title, " Timeline: %d inputs in flight", st->ninputs);
    if (!ex->view.fit) {
        char a[32], b[32];
        units_format(ex->view.t0, UNIT_TIME, a, sizeof a);
        units_format(ex->view.t1, UNIT_TIME, b, sizeof b);
        snprintf(title + n, sizeof title - (size_t)n, ", %s to %s (f fits)", a, b);
    }
    str_copy(title + strlen(title), sizeof title - strlen(title), " ");
    blank(r->y, r->x, r->w, A_NORMAL);
    look tl = ex->pane == PANE_TIMELINE ? LOOK_TITLE_FOCUS : LOOK_TITLE;
    int x = r->x + put(sc, r->y, r->x, r->w, title, attr_of(sc, tl)) + 1;
    for (int k = 0; k < st->ninputs && k < GANTT_MAX_INPUTS; k++) {
        char entry[32];
        gantt_input_legend(k, sc->unicode, entry, sizeof entry);
        int w = text_cells(entry);
        if (x + w > r->x + r->w) break;
        gantt_bar bar = {.kind = GANTT_COMPUTE, .input = k};
        put(sc, r->y, x, 1, gantt_input_glyph(k, sc->unicode), bar_attr(sc, &bar, NULL, false));
        x += 1 + put(sc, r->y, x + 1, w - 1, entry + strlen(gantt_input_glyph(k, sc->unicode)),
                     A_NORMAL);
        x += 1;
    }
}

/* "Timeline", the window when zoomed, and the legend, on one row: the
 * fullest of these forms that fits. */
static void paint_timeline_title(const screen *sc, const explorer *ex, const rect *r, bool timed)
{
    if (ex_stream_shown(ex)) {
        paint_stream_title(sc, ex, r);
        return;
    }
    static const gantt_kind kinds[] = {GANTT_COMPUTE, GANTT_LOAD, GANTT_TRANSFER, GANTT_IDLE,
                                       GANTT_WAIT};
    enum { NK = sizeof kinds / sizeof kinds[0] };
    char zoomed[160] = " Timeline ";
    if (timed && !ex->view.fit) {
        char a[32], b[32], all[32];
        units_format(ex->view.t0, UNIT_TIME, a, sizeof a);
        units_format(ex->view.t1, UNIT_TIME, b, sizeof b);
        units_format(ex->shown->ev.latency, UNIT_TIME, all, sizeof all);
        snprintf(zoomed, sizeof zoomed, " Timeline %s to %s of %s (f fits) ", a, b, all);
    }
    /* Legend entries: glyphs, then the name in full or its first word. */
    int full = 0, brief = 0;
    for (int k = 0; k < NK; k++) {
        const char *text = gantt_legend(kinds[k], sc->unicode);
        full += text_cells(text);
        const char *name = strchr(text, ' ');
        brief += text_cells(text) - (name ? text_cells(name + 1 + strcspn(name + 1, " ")) : 0);
    }
    typedef struct form {
        const char *title;
        bool brief;
        int gap;
    } form;
    const form when_zoomed[] = {
        {zoomed, false, 2},      {zoomed, false, 1},
        {zoomed, true, 1},       {" Timeline zoomed (f fits) ", true, 1},
        {" Timeline ", true, 1},
    };
    const form when_fit[] = {{zoomed, false, 2}, {zoomed, false, 1}, {zoomed, true, 1}};
    bool zoom = timed && !ex->view.fit;
    const form *forms = zoom ? when_zoomed : when_fit;
    int nforms = zoom ? 5 : 3, f = 0;
    for (; f < nforms - 1; f++) {
        int w = text_cells(forms[f].title) + 1 + (forms[f].brief ? brief : full) +
                forms[f].gap * (NK - 1);
        if (w <= r->w) break;
    }
    blank(r->y, r->x, r->w, A_NORMAL);
    look tl = ex->pane == PANE_TIMELINE ? LOOK_TITLE_FOCUS : LOOK_TITLE;
    int x = r->x + put(sc, r->y, r->x, r->w, forms[f].title, attr_of(sc, tl)) + 1;
    for (int k = 0; k < NK && x < r->x + r->w; k++) {
        const char *text = gantt_legend(kinds[k], sc->unicode);
        /* The glyphs in their colours, the name plain. */
        int glyphs = (int)strcspn(text, " ");
        const char *name = text + glyphs;
        int name_len = forms[f].brief ? 1 + (int)strcspn(name + 1, " ") : (int)strlen(name);
        char part[64];
        snprintf(part, sizeof part, "%.*s", glyphs, text);
        /* An entry that does not fit whole is left out, not cut. */
        int cells = text_cells(part), name_cells = 0;
        for (int i = 0; i < name_len; i++)
            name_cells += ((unsigned char)name[i] & 0xC0) != 0x80;
        if (x + cells + name_cells > r->x + r->w) break;
        x += put(sc, r->y, x, r->x + r->w - x, part, attr_of(sc, bar_look(kinds[k], false)));
        snprintf(part, sizeof part, "%.*s", name_len, name);
        x += put(sc, r->y, x, r->x + r->w - x, part, A_NORMAL) + forms[f].gap;
    }
}

/* One lane over `h` rows: the title and bar labels on its middle row; above
 * and below it only work (compute, loading, transfers) is drawn, so busy
 * time stands out from idle and waiting time. */
/* A bar's attribute: the critical path in its own look; compute and
 * loading in the device's colour (loading dimmer); the rest by kind. */
static attr_t bar_attr(const screen *sc, const gantt_bar *bar, const gantt_lane *ln, bool label)
{
    if (bar->input >= 0 && bar->kind != GANTT_IDLE) {
        /* A stream: the input's colour (its number in reverse), or attribute. */
        int k = bar->input % INPUT_COLORS;
        if (!sc->color) return INPUT_MONO[k] | (label ? A_REVERSE : A_NORMAL);
        return COLOR_PAIR((short)((label ? PAIR_INPUT_LABEL0 : PAIR_INPUT0) + k)) |
               (label ? A_BOLD : A_NORMAL);
    }
    if (bar->critical && bar->kind != GANTT_IDLE && bar->kind != GANTT_WAIT)
        return label ? (attr_of(sc, LOOK_CRITICAL) | A_REVERSE) : attr_of(sc, LOOK_CRITICAL);
    bool device_kind = bar->kind == GANTT_COMPUTE || bar->kind == GANTT_LOAD;
    if (sc->color && device_kind && ln->color >= 0) {
        short pair =
            (short)((label ? PAIR_DEVICE_LABEL0 : PAIR_DEVICE0) + ln->color % DEVICE_COLORS);
        return COLOR_PAIR(pair) | (bar->kind == GANTT_LOAD && !label ? A_DIM : A_NORMAL);
    }
    return attr_of(sc, bar_look(bar->kind, label));
}

/* One lane over `h` rows: the title and bar labels on its middle row; above
 * and below it only work (compute, loading, transfers) is drawn, so busy
 * time stands out from idle and waiting time. */
static void paint_lane(const screen *sc, const explorer *ex, int lane, int y, int h, int tw,
                       gantt_cell *cells)
{
    const rect *r = &sc->lay.pane[PANE_TIMELINE];
    const gantt_lane *ln = &sc->g.lanes[lane];
    int sel = ex->row[PANE_LAYERS], plot_w = sc->g.width, mid = (h - 1) / 2;
    bool highlight = ex->pane == PANE_TIMELINE || ex->pane == PANE_LAYERS;
    attr_t la = ln->kind == LANE_COMPUTE ? A_BOLD : attr_of(sc, LOOK_DIM);
    if (ln->kind == LANE_LINK) la = attr_of(sc, LOOK_TRANSFER);
    if (sc->color && ln->color >= 0 && ln->kind == LANE_COMPUTE)
        la = COLOR_PAIR(PAIR_DEVICE0 + ln->color % DEVICE_COLORS) | A_BOLD;
    gantt_lane_render(&sc->g, lane, sc->unicode, cells);
    for (int k = 0; k < h; k++) {
        int yy = y + k;
        if (k == mid) put(sc, yy, r->x, tw, ln->title, la);
        put(sc, yy, r->x + tw + 1, 1, sc->unicode ? "\u2502" : "|", A_DIM);
        for (int c = 0; c < plot_w; c++) {
            if (cells[c].bar < 0) continue;
            const gantt_bar *bar = &sc->g.bars[cells[c].bar];
            if (k != mid && (bar->kind == GANTT_IDLE || bar->kind == GANTT_WAIT)) continue;
            bool label = k == mid && cells[c].label;
            attr_t a = bar_attr(sc, bar, ln, label);
            /* The selected layer; in a stream's runs underlined, keeping the shades. */
            bool on = bar->layer >= 0 && sel >= bar->layer && sel <= bar->layer_last;
            if (highlight && on && bar->kind != GANTT_IDLE)
                a = bar->input >= 0 ? a | A_UNDERLINE | A_BOLD : A_REVERSE | A_BOLD;
            const char *text =
                label || k == mid ? cells[c].text : gantt_glyph(bar, ln, sc->unicode);
            put(sc, yy, sc->plot_x + c, 1, text, a);
        }
    }
}

/* The first lane shown: where the user scrolled, or else the selected
 * layer's compute lane kept in view. */
static int lanes_first(const screen *sc, const explorer *ex, const tui_outcome *o)
{
    int n = sc->g.nlanes, visible = sc->lay.lanes_h;
    if (sc->lay.lane_level > 0 || n <= visible) return 0;
    int top;
    if (ex->lane_scroll >= 0) {
        top = ex->lane_scroll;
    } else {
        int sel = ex->row[PANE_LAYERS], sel_lane = 0;
        if (sel >= 0 && sel < o->ev.L)
            sel_lane = gantt_compute_lane(&sc->g, o->ev.layers[sel].device);
        top = scroll_top(sel_lane < 0 ? 0 : sel_lane, visible, n);
    }
    if (top > n - visible) top = n - visible;
    return top < 0 ? 0 : top;
}

/* --- the compare view -------------------------------------------------- */

/* What a lane shows, most needed first: where the layers run (the compute
 * lanes of the devices in use), the transfers, the weight loads of those
 * devices, then lanes of devices the placement leaves idle. */
static int compare_class(const gantt_layout *g, const nn_eval *ev, int lane)
{
    const gantt_lane *ln = &g->lanes[lane];
    if (ln->kind == LANE_LINK) return 1;
    bool used = false;
    for (int l = 0; l < ev->L && !used; l++)
        used = ev->layers[l].device == ln->device;
    if (!used) return 3;
    return ln->kind == LANE_COMPUTE ? 0 : 2;
}

/* Which lanes of the two timelines fit in `rows` (labels apart), and how
 * tall each is: every lane of a class before any of the next; when not even
 * the compute lanes fit, each timeline gets a share and scrolls (from
 * `scroll`). Fills sc->cmp. */
static void compare_plan(screen *sc, const gantt_layout *g[2], const nn_eval *ev[2], int rows,
                         int scroll)
{
    compare_plan_t *cp = &sc->cmp;
    memset(cp, 0, sizeof *cp);
    int need[2] = {0, 0};
    for (int k = 0; k < 2; k++)
        for (int lane = 0; lane < g[k]->nlanes && lane < CMP_MAX_LANES; lane++)
            need[k] += compare_class(g[k], ev[k], lane) == 0;
    if (need[0] + need[1] > rows) {
        /* Scrolling: the compute lanes only, each timeline its share. */
        int share0 = rows * need[0] / (need[0] + need[1]);
        if (share0 < 1) share0 = 1;
        if (share0 > rows - 1) share0 = rows - 1;
        int share[2] = {share0, rows - share0};
        for (int k = 0; k < 2; k++) {
            int top = scroll > need[k] - share[k] ? need[k] - share[k] : scroll;
            if (top < 0) top = 0;
            int seen = 0;
            for (int lane = 0; lane < g[k]->nlanes && lane < CMP_MAX_LANES; lane++) {
                if (compare_class(g[k], ev[k], lane) != 0) continue;
                if (seen >= top && seen < top + share[k]) cp->h[k][lane] = 1;
                seen++;
            }
            cp->above[k] = top;
            cp->hidden[k] = need[k] - share[k];
            if (need[k] - share[k] > cp->scroll_n) cp->scroll_n = need[k] - share[k];
        }
        cp->scroll_vis = share[0] < share[1] ? share[0] : share[1];
        return;
    }
    int left = rows;
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < 2; k++)
            for (int lane = 0; lane < g[k]->nlanes && lane < CMP_MAX_LANES; lane++) {
                if (compare_class(g[k], ev[k], lane) != c) continue;
                if (left > 0) {
                    cp->h[k][lane] = 1;
                    left--;
                } else {
                    cp->hidden[k]++;
                }
            }
    /* Rows to spare: taller compute lanes (up to three rows). */
    int compute = 0;
    for (int k = 0; k < 2; k++)
        for (int lane = 0; lane < g[k]->nlanes && lane < CMP_MAX_LANES; lane++)
            compute += cp->h[k][lane] && g[k]->lanes[lane].kind == LANE_COMPUTE;
    for (int grow = 0; grow < 2 && compute > 0 && left >= compute; grow++) {
        for (int k = 0; k < 2; k++)
            for (int lane = 0; lane < g[k]->nlanes && lane < CMP_MAX_LANES; lane++)
                if (cp->h[k][lane] && g[k]->lanes[lane].kind == LANE_COMPUTE) cp->h[k][lane]++;
        left -= compute;
    }
}

/* Rows the compare view would like: two labels and every lane one row
 * (*comfort: with compute lanes three rows tall, growing a row each at a
 * time: *step rows). */
static int compare_rows_wanted(const tui_outcome *o, const nn_eval *other, int *comfort, int *step)
{
    int lanes = (gantt_device_lanes(&o->ev) + gantt_device_lanes(other)) * o->in.D +
                gantt_link_lanes(&o->in, &o->ev) + gantt_link_lanes(&o->in, other);
    *step = 2 * o->in.D;
    *comfort = 2 + lanes + 2 * *step;
    return 2 + lanes;
}

/* One timeline of the comparison: its label row, then its planned lanes. */
static int paint_compare_section(screen *sc, const explorer *ex, int k, int y, int end, int tw,
                                 const char *label, attr_t la)
{
    const rect *r = &sc->lay.pane[PANE_TIMELINE];
    const compare_plan_t *cp = &sc->cmp;
    char text[NN_TEXT_LEN + 160];
    if (cp->hidden[k] > 0)
        snprintf(text, sizeof text, "%s  (+%d lane%s %s)", label, cp->hidden[k],
                 cp->hidden[k] == 1 ? "" : "s", cp->scroll_n > 0 ? "PgDn" : "hidden");
    else
        str_copy(text, sizeof text, label);
    field(sc, y, r->x, r->w, text, la);
    y++;
    gantt_cell cells[PLOT_MAX];
    for (int lane = 0; lane < sc->g.nlanes && lane < CMP_MAX_LANES && y < end; lane++) {
        int h = cp->h[k][lane];
        if (h <= 0) continue;
        if (y + h > end) h = end - y;
        paint_lane(sc, ex, lane, y, h, tw, cells);
        for (int i = 0; i < h && y - sc->lane_y + i < CMP_MAX_ROWS; i++) {
            sc->cmp_row_sec[y - sc->lane_y + i] = (signed char)k;
            sc->cmp_row_lane[y - sc->lane_y + i] = (short)lane;
        }
        y += h;
    }
    return y;
}

/* Compare: the optimum's timeline, then the compared placement's, each with
 * a label row (name, latency, the difference), on one time axis (the view
 * spans the longer of the two). Only the lanes that say most fit at 80x24:
 * see compare_plan. */
static void paint_compare(screen *sc, const explorer *ex, const tui_outcome *o, int tw, int plot_w)
{
    const rect *r = &sc->lay.pane[PANE_TIMELINE];
    int y0 = sc->lane_y, end = y0 + sc->lay.lanes_h;
    if (gantt_layout_build(&o->in, &ex->compare_ev, &ex->view, plot_w, &sc->g2) != 0) return;
    sc->have_g2 = true;
    const gantt_layout *g[2] = {&sc->g, &sc->g2};
    const nn_eval *ev[2] = {&o->ev, &ex->compare_ev};
    compare_plan(sc, g, ev, sc->lay.lanes_h - 2, ex->lane_scroll > 0 ? ex->lane_scroll : 0);
    for (int i = 0; i < CMP_MAX_ROWS; i++)
        sc->cmp_row_sec[i] = -1;
    const char *up = sc->unicode ? "\u25b2" : "^", *hollow = sc->unicode ? "\u25b3" : "'";
    char a_lat[32], b_lat[32], diff[32], label[NN_TEXT_LEN + 256];
    units_format(o->ev.latency, UNIT_TIME, a_lat, sizeof a_lat);
    units_format(ex->compare_ev.latency, UNIT_TIME, b_lat, sizeof b_lat);
    double d = ex->compare_ev.latency - o->ev.latency;
    units_format(fabs(d), UNIT_TIME, diff, sizeof diff);
    /* Under another objective the optimum is not the fastest: say whose it
     * is and which time this is. */
    if (ex->doc.objective == OBJ_LATENCY)
        snprintf(label, sizeof label, " %s optimum: %s", up, a_lat);
    else
        snprintf(label, sizeof label, " %s optimum for %s: %s %s", up,
                 objective_name(ex->doc.objective),
                 ex->doc.objective == OBJ_THROUGHPUT ? "one input" : "latency", a_lat);
    int y = paint_compare_section(sc, ex, 0, y0, end, tw, label, attr_of(sc, LOOK_TITLE));
    /* The difference: in percent and in time (slower +, faster -). */
    snprintf(label, sizeof label, " vs %s: %s (%+.1f%%, %s%s) %s", ex->compare_name, b_lat,
             100 * (ex->compare_ev.latency / o->ev.latency - 1), d < 0 ? "-" : "+", diff, hollow);
    /* The comparison's lanes from its own layout, on the same window. */
    gantt_layout mine = sc->g;
    sc->g = sc->g2;
    paint_compare_section(sc, ex, 1, y, end, tw, label, attr_of(sc, LOOK_TITLE));
    sc->g = mine;
    int ay = r->y + r->h - 2;
    char rule[PLOT_MAX * 3 + 4], labels[PLOT_MAX + 2];
    gantt_axis_render(&sc->g, sc->unicode, rule, sizeof rule, labels, sizeof labels);
    put(sc, ay, r->x + tw + 1, 1, sc->unicode ? "\u2514" : "+", A_DIM);
    put(sc, ay, sc->plot_x, plot_w, rule, A_DIM);
    put(sc, ay + 1, sc->plot_x, plot_w, labels, A_NORMAL);
    /* Both latencies on the axis: the compared one first, so that the
     * optimum's mark wins a shared cell. */
    if (sc->g2.total_col >= 0)
        put(sc, ay, sc->plot_x + sc->g2.total_col, 1, hollow, attr_of(sc, LOOK_HEADER));
    if (sc->g.total_col >= 0)
        put(sc, ay, sc->plot_x + sc->g.total_col, 1, up, attr_of(sc, LOOK_CRITICAL));
}

static void paint_timeline(screen *sc, const explorer *ex)
{
    const rect *r = &sc->lay.pane[PANE_TIMELINE];
    screen_free(sc);
    if (r->h <= 0) return;
    /* The sensitivity view takes the timeline's place while it is open. */
    if (sens_active(ex)) {
        sens_looks looks = {
            .title = attr_of(sc, ex->pane == PANE_TIMELINE ? LOOK_TITLE_FOCUS : LOOK_TITLE),
            .text = A_NORMAL,
            .axis = attr_of(sc, LOOK_DIM),
            .optimum = attr_of(sc, LOOK_CRITICAL),
            .best = attr_of(sc, LOOK_DIM),
            .mark = attr_of(sc, LOOK_HEADER),
            .current = attr_of(sc, LOOK_GOOD),
            .band = attr_of(sc, LOOK_CELL),
            .error = attr_of(sc, LOOK_ERROR),
            .dim = attr_of(sc, LOOK_DIM)};
        sens_paint(ex, r->y, r->x, r->h, r->w, sc->unicode, &looks);
        return;
    }
    const tui_outcome *o = ex->shown;
    bool timed = o && o->has_eval && isfinite(o->ev.latency);
    paint_timeline_title(sc, ex, r, timed);
    for (int y = r->y + 1; y < r->y + r->h; y++)
        blank(y, r->x, r->w, A_NORMAL);
    if (!o || !o->has_eval) {
        const char *why = !o ? "solving..." : o->res.message;
        put(sc, r->y + 2, r->x + 2, r->w - 4, why, attr_of(sc, o ? LOOK_ERROR : LOOK_DIM));
        return;
    }

    /* Lane titles take what they need, up to a third of the width. Under
     * throughput the timeline is the stream: several inputs in flight. */
    bool stream = ex_stream_shown(ex);
    int tw =
        stream ? gantt_stream_title_width(&o->in, &o->stream) : gantt_title_width(&o->in, &o->ev);
    bool comparing = ex->has_compare_ev && isfinite(ex->compare_ev.latency);
    if (comparing && gantt_title_width(&o->in, &ex->compare_ev) > tw)
        tw = gantt_title_width(&o->in, &ex->compare_ev);
    if (tw < 6) tw = 6;
    if (tw > r->w / 3) tw = r->w / 3;
    int plot_w = r->w - tw - 2;
    if (plot_w > PLOT_MAX) plot_w = PLOT_MAX;
    if (plot_w < 10) return;
    if ((stream ? gantt_stream_build(&o->in, &o->stream, &ex->view, plot_w, &sc->g)
                : gantt_layout_build(&o->in, &o->ev, &ex->view, plot_w, &sc->g)) != 0)
        return;
    sc->have_g = true;
    sc->plot_x = r->x + tw + 2;
    sc->lane_y = r->y + 1;
    const screen_layout *lay = &sc->lay;

    if (comparing && lay->compare) {
        paint_compare(sc, ex, o, tw, plot_w);
        return;
    }
    sc->lane_top = lanes_first(sc, ex, o);
    gantt_cell cells[PLOT_MAX];
    int y = sc->lane_y, end = sc->lane_y + lay->lanes_h, last = sc->lane_top - 1;
    for (int lane = sc->lane_top; lane < sc->g.nlanes; lane++) {
        int gap, h;
        layout_lane(lay, lane, &gap, &h);
        for (int k = 0; k < gap && y < end; k++, y++)
            put(sc, y, r->x + tw + 1, 1, sc->unicode ? "\u2502" : "|", A_DIM);
        if (y + h > end) break;
        paint_lane(sc, ex, lane, y, h, tw, cells);
        last = lane;
        y += h;
    }
    /* Lanes out of view: how many, and how to get there. */
    int above = sc->lane_top, below = sc->g.nlanes - 1 - last;
    if (above > 0 || below > 0) {
        char more[96];
        snprintf(more, sizeof more, " %s%d above, %d below (PgUp/PgDn) ",
                 sc->unicode ? "\u2195 " : "", above, below);
        int w = text_cells(more);
        if (w < r->w) {
            /* The legend gives way: it takes the fullest form that fits
             * beside the marker. */
            rect left = *r;
            left.w = r->w - w;
            paint_timeline_title(sc, ex, &left, true);
            put(sc, r->y, r->x + r->w - w, w, more, attr_of(sc, LOOK_TITLE_FOCUS));
        }
    }

    /* The time axis under the lanes. */
    int ay = r->y + r->h - 2;
    char rule[PLOT_MAX * 3 + 4], labels[PLOT_MAX + 2];
    gantt_axis_render(&sc->g, sc->unicode, rule, sizeof rule, labels, sizeof labels);
    put(sc, ay, r->x + tw + 1, 1, sc->unicode ? "\u2514" : "+", A_DIM);
    put(sc, ay, sc->plot_x, plot_w, rule, A_DIM);
    put(sc, ay + 1, sc->plot_x, plot_w, labels, A_NORMAL);
    if (sc->g.total_col >= 0)
        put(sc, ay, sc->plot_x + sc->g.total_col, 1, sc->unicode ? "\u25b2" : "^",
            attr_of(sc, LOOK_CRITICAL));
    /* A stream's period bracket stands out from the rule. */
    int p0 = sc->g.period_col0, p1 = sc->g.period_col1 < plot_w ? sc->g.period_col1 : plot_w - 1;
    for (int c = p0; p0 >= 0 && c <= p1; c++) {
        const char *glyph = sc->unicode ? (c == p0   ? "\u255e"
                                           : c == p1 ? "\u2561"
                                                     : "\u2550")
                                        : (c == p0   ? "["
                                           : c == p1 ? "]"
                                                     : "=");
        put(sc, ay, sc->plot_x + c, 1, glyph, attr_of(sc, LOOK_CRITICAL));
    }
}

/* --- footer, prompts, overlays ---------------------------------------- */

static void paint_footer(const screen *sc, const explorer *ex, int *cursor_y, int *cursor_x)
{
    const rect *r = &sc->lay.footer;
    int y0 = r->y, y1 = r->y + 1;
    blank(y0, 0, r->w, A_NORMAL);
    blank(y1, 0, r->w, A_NORMAL);
    *cursor_y = -1;
    switch (ex->modal) {
    case MODAL_INPUT: {
        if (ex->input_error[0])
            put(sc, y0, 1, r->w - 1, ex->input_error, attr_of(sc, LOOK_ERROR));
        else
            put(sc, y0, 1, r->w - 1, ex->input_note, A_DIM);
        int n = put(sc, y1, 1, r->w - 2, ex->input_prompt, A_BOLD);
        /* A long entry shows its end, where the cursor is. */
        const char *text = ex->input;
        int excess = text_cells(text) - (r->w - 3 - n);
        for (; excess > 0 && *text; excess--)
            do
                text++;
            while (((unsigned char)*text & 0xC0) == 0x80);
        int m = put(sc, y1, 1 + n, r->w - 2 - n, text, A_NORMAL);
        *cursor_y = y1;
        *cursor_x = 1 + n + m < r->w ? 1 + n + m : r->w - 1;
        break;
    }
    case MODAL_CONFIRM:
        put(sc, y0, 1, r->w - 1, ex->confirm_text, attr_of(sc, LOOK_ERROR));
        put(sc, y1, 1, r->w - 1, " y: yes   n or Esc: no", A_BOLD);
        break;
    default: {
        /* A message too long for one row wraps at a blank onto the hints'
         * row (the hints are in ? too); it is never cut mid-word. */
        attr_t ma = ex->msg_error ? attr_of(sc, LOOK_ERROR) : A_NORMAL;
        int w = r->w - 2, cut = wrap_point(ex->msg, w);
        if (cut < 0) {
            put(sc, y0, 1, w, ex->msg, ma);
            char hints[512];
            explorer_hint_line(ex->pane, r->w, hints, sizeof hints);
            blank(y1, 0, r->w, A_REVERSE);
            put(sc, y1, 0, r->w, hints, A_REVERSE);
        } else {
            char first[1024];
            snprintf(first, sizeof first, "%.*s", cut, ex->msg);
            const char *rest = ex->msg + cut;
            while (*rest == ' ')
                rest++;
            put(sc, y0, 1, w, first, ma);
            /* Longer still: the second row ends at a blank, with an ellipsis
             * (the whole message is in the layer or baseline it describes). */
            int cut2 = wrap_point(rest, w - 1);
            if (cut2 < 0) {
                put(sc, y1, 1, w, rest, ma);
            } else {
                char second[1024];
                snprintf(second, sizeof second, "%.*s %s", cut2, rest,
                         sc->unicode ? "\u2026" : "...");
                put(sc, y1, 1, w, second, ma);
            }
        }
        break;
    }
    }
}

static void paint_box(const screen *sc, int y, int x, int h, int w, const char *title,
                      const char *foot)
{
    for (int i = 0; i < h; i++)
        blank(y + i, x, w, A_NORMAL);
    attron(A_BOLD);
    mvhline(y, x + 1, ACS_HLINE, w - 2);
    mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvvline(y + 1, x, ACS_VLINE, h - 2);
    mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
    mvaddch(y, x, ACS_ULCORNER);
    mvaddch(y, x + w - 1, ACS_URCORNER);
    mvaddch(y + h - 1, x, ACS_LLCORNER);
    mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    attroff(A_BOLD);
    char t[200];
    snprintf(t, sizeof t, " %s ", title);
    put(sc, y, x + 2, w - 4, t, A_BOLD);
    /* What the keys do here, in the bottom border. */
    snprintf(t, sizeof t, " %s ", foot);
    int fw = text_cells(t);
    if (fw <= w - 4) put(sc, y + h - 1, x + w - 2 - fw, fw, t, A_NORMAL);
}

static void paint_pick(const screen *sc, const explorer *ex)
{
    int H = LINES, W = COLS;
    int w = W - 8, h = ex->npick + 2;
    if (h > H - 4) h = H - 4;
    int y = (H - h) / 2, x = (W - w) / 2;
    paint_box(sc, y, x, h, w, ex->pick_title, "j/k choose  Enter take  Esc cancel");
    int visible = h - 2;
    int top = scroll_top(ex->pick_sel, visible, ex->npick);
    for (int i = 0; i < visible && top + i < ex->npick; i++) {
        int k = top + i;
        attr_t a = k == ex->pick_sel ? A_REVERSE | A_BOLD : A_NORMAL;
        field(sc, y + 1 + i, x + 2, w - 4, ex->pick[k].text, a);
    }
}

static void paint_help(const screen *sc, const explorer *ex)
{
    char line[256];
    int H = LINES, W = COLS;
    int w = W - 6 < 100 ? W - 6 : 100, inner = w - 4;
    int total = 0;
    while (explorer_help_wrapped(inner, total, line, sizeof line))
        total++;
    int h = total + 2 < H - 2 ? total + 2 : H - 2;
    int y = (H - h) / 2, x = (W - w) / 2;
    int visible = h - 2;
    int top = ex->help_top;
    if (top > total - visible) top = total - visible > 0 ? total - visible : 0;
    char foot[64];
    if (total > visible)
        snprintf(foot, sizeof foot, "lines %d-%d of %d  j/k scroll  other keys close", top + 1,
                 top + visible, total);
    else
        str_copy(foot, sizeof foot, "keys other than j/k close");
    paint_box(sc, y, x, h, w, "Help: what each key does", foot);
    for (int i = 0; i < visible && explorer_help_wrapped(inner, top + i, line, sizeof line); i++)
        put(sc, y + 1 + i, x + 2, inner, line, i + top == 0 ? A_BOLD : A_NORMAL);
}

static void paint_too_small(const screen *sc)
{
    char msg[160];
    snprintf(msg, sizeof msg, "nnpart needs a terminal of at least %dx%d; this one is %dx%d.",
             LAYOUT_MIN_W, LAYOUT_MIN_H, COLS, LINES);
    int y = LINES / 2 - 1;
    put(sc, y > 0 ? y : 0, 0, COLS, msg, A_BOLD);
    put(sc, y + 1 > 0 ? y + 1 : 0, 0, COLS, "Enlarge it, or press q to quit.", A_NORMAL);
}

void screen_paint(screen *sc, const explorer *ex, double solving_s)
{
    table tables[PANE_COUNT];
    tables_describe(sc, ex, tables);
    const tui_outcome *o = ex->shown;
    layout_want want = {
        .rows =
            {
                [PANE_DEVICES] = ex->doc.ndevices,
                [PANE_LINKS] = ex->doc.nlinks,
                [PANE_LAYERS] = ex->doc.net.nlayers,
                [PANE_BASELINES] = o ? o->base.count : 1,
            },
        .lane_devices = o ? o->in.D : ex->doc.ndevices,
        .lane_links = !o || !o->has_eval    ? 0
                      : ex_stream_shown(ex) ? gantt_stream_link_lanes(&o->in, &o->stream)
                                            : gantt_link_lanes(&o->in, &o->ev),
        /* A stream has a compute lane a device (weights are resident). */
        .compute_only =
            o && o->has_eval && (ex_stream_shown(ex) || gantt_device_lanes(&o->ev) == 1),
    };
    if (o && o->has_eval && ex->has_compare_ev && isfinite(ex->compare_ev.latency) &&
        !sens_active(ex) && o->in.D == ex->doc.ndevices)
        want.compare_rows =
            compare_rows_wanted(o, &ex->compare_ev, &want.compare_comfort, &want.compare_step);
    for (int p = 0; p < PANE_COUNT; p++)
        if (p != PANE_TIMELINE) want.width[p] = table_width(&tables[p]);
    /* Spare columns (the energy figures, unless energy is optimised) show where there is room; they
     * do not take width from the pane beside them. */
    for (int p = 0; p < PANE_COUNT; p++)
        for (int c = 0; c < tables[p].ncols && p != PANE_TIMELINE; c++)
            if (tables[p].col[c].spare) want.width[p] -= tables[p].col[c].w;
    want.width[PANE_BASELINES] += 1; /* the scroll arrow's column: names stay whole */
    /* Side by side and short of room: the links' "in use" (the timeline's
     * link lanes say it too) gives way before any device column. */
    if (COLS >= LAYOUT_SIDE_TOP_W) {
        want.width[PANE_LINKS] -= COL_GAP; /* at the right edge */
        if (want.width[PANE_DEVICES] + want.width[PANE_LINKS] > COLS)
            want.width[PANE_LINKS] -= tables[PANE_LINKS].col[LINK_USE_COL].w;
    }
    layout_compute(COLS, LINES, &want, &sc->lay);
    erase();
    if (sc->lay.too_small) {
        screen_free(sc);
        paint_too_small(sc);
        curs_set(0);
        refresh();
        return;
    }
    paint_header(sc, ex, solving_s);
    for (int p = 0; p < PANE_COUNT; p++)
        if (p != PANE_TIMELINE) paint_table(sc, ex, &tables[p]);
    /* The Pareto view takes the timeline's left part; the timeline beside
     * it shows the point on show (too narrow: the view takes it all). */
    rect front = {0};
    if (pview_active(ex)) {
        rect *tl = &sc->lay.pane[PANE_TIMELINE];
        int w = tl->w * 2 / 5;
        if (w > 72) w = 72;
        if (w < 36) w = 36;
        if (tl->w - w < 40) w = tl->w;
        front = (rect){.y = tl->y, .x = tl->x, .h = tl->h, .w = w};
        tl->x += w;
        tl->w -= w;
        if (tl->w <= 0) tl->h = 0;
    }
    paint_timeline(sc, ex);
    if (front.w > 0) {
        pview_looks looks = {
            .title = attr_of(sc, ex->pane == PANE_TIMELINE ? LOOK_TITLE_FOCUS : LOOK_TITLE),
            .text = A_NORMAL,
            .axis = attr_of(sc, LOOK_DIM),
            .point = attr_of(sc, LOOK_HEADER),
            .selected = attr_of(sc, LOOK_CELL) | A_BOLD,
            .optimum = attr_of(sc, LOOK_CRITICAL),
            .error = attr_of(sc, LOOK_ERROR),
            .dim = attr_of(sc, LOOK_DIM)};
        pview_paint(ex, front.y, front.x, front.h, front.w, sc->unicode, &looks);
    }
    int cy, cx;
    paint_footer(sc, ex, &cy, &cx);
    if (ex->modal == MODAL_PICK) paint_pick(sc, ex);
    if (ex->modal == MODAL_HELP) paint_help(sc, ex);
    if (cy >= 0) {
        curs_set(1);
        move(cy, cx);
    } else {
        curs_set(0);
    }
    refresh();
}

void screen_wheel(screen *sc, explorer *ex, int y, int x, int delta)
{
    if (sc->lay.too_small || ex->modal != MODAL_NONE) return;
    for (int p = 0; p < PANE_COUNT; p++)
        if (rect_contains(&sc->lay.pane[p], y, x)) explorer_wheel(ex, (ex_pane)p, delta);
}

bool screen_click(screen *sc, explorer *ex, int y, int x)
{
    if (sc->lay.too_small || ex->modal != MODAL_NONE) return false;
    for (int p = 0; p < PANE_COUNT; p++) {
        const rect *r = &sc->lay.pane[p];
        if (!rect_contains(r, y, x)) continue;
        if (p == PANE_TIMELINE) {
            const gantt_layout *g = &sc->g;
            int lane = layout_lane_at(&sc->lay, sc->lane_top, y - sc->lane_y);
            if (sc->have_g2) {
                /* Comparing: the row's timeline and lane, as painted. */
                int dy = y - sc->lane_y;
                bool in = dy >= 0 && dy < CMP_MAX_ROWS && sc->cmp_row_sec[dy] >= 0;
                g = in && sc->cmp_row_sec[dy] == 1 ? &sc->g2 : &sc->g;
                lane = in ? sc->cmp_row_lane[dy] : -1;
            }
            if (sc->have_g && lane >= 0 && x >= sc->plot_x) {
                int bar = gantt_bar_at(g, lane, x - sc->plot_x);
                if (bar >= 0) {
                    explorer_select_bar(ex, &g->bars[bar]);
                    /* A bar of the compared timeline says whose it is. */
                    if (g == &sc->g2) {
                        char said[sizeof ex->msg + sizeof ex->compare_name + 8];
                        snprintf(said, sizeof said, "in %s: %s", ex->compare_name, ex->msg);
                        str_copy(ex->msg, sizeof ex->msg, said);
                    }
                    return true;
                }
            }
            explorer_select(ex, PANE_TIMELINE, ex->row[PANE_LAYERS], -1);
            return true;
        }
        if (y == r->y) {
            explorer_select(ex, (ex_pane)p, ex->row[p], -1);
            return true;
        }
        int row = sc->top[p] + (y - r->y - 1);
        int col = -1;
        if (p == PANE_DEVICES || p == PANE_LINKS)
            for (int c = 0; c < explorer_value_cols((ex_pane)p); c++)
                if (x >= sc->colx[p][c] && x < sc->colx[p][c + 1]) col = c;
        /* Below the last row: focus the pane, keep its selection. */
        if (row >= explorer_rows(ex, (ex_pane)p)) row = ex->row[p];
        explorer_select(ex, (ex_pane)p, row, col);
        return true;
    }
    return false;
}
