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

#include "../model/units.h"

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
};

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
    LOOK_WAIT, /* waiting for weights: loading on the critical path */
} look;

static attr_t attr_of(const screen *sc, look l)
{
    if (!sc->color) {
        /* Monochrome or NO_COLOR: glyphs tell kinds apart; attributes help. */
        switch (l) {
        case LOOK_COMPUTE:
            return A_BOLD;
        case LOOK_LOAD:
            return A_NORMAL;
        case LOOK_TRANSFER:
            return A_BOLD;
        case LOOK_IDLE:
            return A_DIM;
        case LOOK_COMPUTE_LABEL:
        case LOOK_LOAD_LABEL:
        case LOOK_TRANSFER_LABEL:
            return A_REVERSE;
        case LOOK_ERROR:
            return A_BOLD | A_UNDERLINE;
        case LOOK_TITLE:
            return A_UNDERLINE;
        case LOOK_TITLE_FOCUS:
            return A_REVERSE | A_BOLD;
        case LOOK_SELECTED:
            return A_BOLD;
        case LOOK_CELL:
            return A_REVERSE;
        case LOOK_HEADER:
            return A_BOLD;
        case LOOK_GOOD:
            return A_BOLD;
        case LOOK_DIM:
            return A_DIM;
        case LOOK_WAIT:
            return A_BOLD;
        case LOOK_PLAIN:
            break;
        }
        return A_NORMAL;
    }
    switch (l) {
    case LOOK_COMPUTE:
        return COLOR_PAIR(PAIR_COMPUTE);
    case LOOK_LOAD:
        return COLOR_PAIR(PAIR_LOAD);
    case LOOK_TRANSFER:
        return COLOR_PAIR(PAIR_TRANSFER) | A_BOLD;
    case LOOK_IDLE:
        return COLOR_PAIR(PAIR_IDLE);
    case LOOK_COMPUTE_LABEL:
        return COLOR_PAIR(PAIR_COMPUTE_LABEL);
    case LOOK_LOAD_LABEL:
        return COLOR_PAIR(PAIR_LOAD_LABEL);
    case LOOK_TRANSFER_LABEL:
        return COLOR_PAIR(PAIR_TRANSFER_LABEL);
    case LOOK_ERROR:
        return COLOR_PAIR(PAIR_ERROR) | A_BOLD;
    case LOOK_TITLE:
        return COLOR_PAIR(PAIR_TITLE) | A_BOLD;
    case LOOK_TITLE_FOCUS:
        return A_REVERSE | A_BOLD;
    case LOOK_SELECTED:
        return A_BOLD;
    case LOOK_CELL:
        return A_REVERSE;
    case LOOK_HEADER:
        return A_BOLD;
    case LOOK_GOOD:
        return COLOR_PAIR(PAIR_GOOD) | A_BOLD;
    case LOOK_DIM:
        return A_DIM;
    case LOOK_WAIT:
        return COLOR_PAIR(PAIR_ERROR);
    case LOOK_PLAIN:
        break;
    }
    return A_NORMAL;
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
    }
}

void screen_free(screen *sc)
{
    if (sc->have_g) gantt_layout_free(&sc->g);
    sc->have_g = false;
}

/* --- text helpers --------------------------------------------------------- */

/* Writes at most `w` character cells of `s` at (y, x); returns cells written.
 * Without a UTF-8 locale, non-ASCII bytes show as '?'. */
static int put(const screen *sc, int y, int x, int w, const char *s, attr_t a)
{
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

/* Text left-aligned in a field of `w` cells, padded with blanks. */
static void field(const screen *sc, int y, int x, int w, const char *s, attr_t a)
{
    if (w <= 0) return;
    blank(y, x, w, a);
    put(sc, y, x, w, s, a);
}

static int text_cells(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* First row to paint so that `sel` is visible in `visible` rows. */
static int scroll_top(int sel, int visible, int total)
{
    if (visible <= 0 || total <= visible || sel < visible) return 0;
    int top = sel - visible + 1;
    return top > total - visible ? total - visible : top;
}

static const char *arrow(const screen *sc, bool forward)
{
    if (sc->unicode) return forward ? "\u2192" : "\u2190";
    return forward ? "->" : "<-";
}

/* The outcome when it describes the document's current shape. */
static const tui_outcome *result_for_doc(const explorer *ex)
{
    const tui_outcome *o = ex->shown;
    if (!o || o->in.L != ex->doc.net.nlayers || o->in.D != ex->doc.ndevices) return NULL;
    return o;
}

/* --- columns ------------------------------------------------------------ */

typedef struct column {
    const char *title;
    int w;
} column;

/* Paints a title row: the pane's name in the first column, headings after. */
static void paint_title(const screen *sc, const explorer *ex, ex_pane p, const rect *r,
                        const column *cols, int ncols)
{
    look l = ex->pane == p ? LOOK_TITLE_FOCUS : LOOK_TITLE;
    attr_t a = attr_of(sc, l);
    blank(r->y, r->x, r->w, a);
    int x = r->x;
    for (int c = 0; c < ncols && x < r->x + r->w; c++) {
        int w = cols[c].w;
        if (x + w > r->x + r->w) w = r->x + r->w - x;
        put(sc, r->y, x, w - 1, cols[c].title, a);
        x += cols[c].w;
    }
}

/* Column widths that fit `avail`: the first column takes what is left,
 * within [min_first, max_first]; columns that do not fit get width 0. */
static void fit_columns(column *cols, int n, int avail, int min_first, int max_first)
{
    int rest = 0;
    for (int c = 1; c < n; c++)
        rest += cols[c].w;
    int first = avail - rest;
    if (first > max_first) first = max_first;
    if (first < min_first) first = min_first;
    cols[0].w = first;
    int used = first;
    for (int c = 1; c < n; c++) {
        if (used + cols[c].w > avail) cols[c].w = 0;
        used += cols[c].w;
    }
}

/* --- header ------------------------------------------------------------- */

static void paint_header(const screen *sc, const explorer *ex, double solving_s)
{
    const rect *r = &sc->lay.header;
    attr_t head = attr_of(sc, LOOK_HEADER);
    blank(r->y, 0, r->w, A_REVERSE);
    char line[1024], lat[32] = "-", speedup[256] = "";
    const tui_outcome *o = ex->shown;
    if (o && o->res.place) {
        units_format(o->res.latency, UNIT_TIME, lat, sizeof lat);
        if (o->best_single >= 0 && isfinite(o->best_single_latency)) {
            char single[32];
            units_format(o->best_single_latency, UNIT_TIME, single, sizeof single);
            snprintf(speedup, sizeof speedup, " | speed-up %.2fx over %s alone (%s)",
                     o->best_single_latency / o->res.latency, o->in.device_names[o->best_single],
                     single);
        } else {
            snprintf(speedup, sizeof speedup, " | no single device can run it alone");
        }
    }
    snprintf(line, sizeof line, " %s | %s, %d layers | mode %s | latency %s%s", ex->doc.name,
             ex->doc.net.name, ex->doc.net.nlayers, mode_name(ex->doc.mode), lat, speedup);
    put(sc, r->y, 0, r->w, line, A_REVERSE | A_BOLD);

    /* Second row: solve status, then the file. */
    blank(r->y + 1, 0, r->w, A_NORMAL);
    char status[768], took[32] = "";
    look sl = LOOK_GOOD;
    if (o) units_format(o->res.solve_time_s, UNIT_TIME, took, sizeof took);
    if (explorer_solving(ex)) {
        snprintf(status, sizeof status, " solving... %.1f s%s", solving_s,
                 o ? " (the previous result stays until the new one arrives)" : "");
        sl = LOOK_DIM;
    } else if (!o) {
        snprintf(status, sizeof status, " no result yet");
        sl = LOOK_DIM;
    } else if (o->res.status == SOLVE_OPTIMAL) {
        snprintf(status, sizeof status, " optimal, solved in %s", took);
    } else if (o->res.status == SOLVE_FEASIBLE) {
        snprintf(status, sizeof status, " time-limited incumbent, gap %.2g%%, after %s: %s",
                 o->res.gap * 100, took, o->res.message);
        sl = LOOK_ERROR;
    } else {
        snprintf(status, sizeof status, " %s (after %s)", o->res.message, took);
        sl = LOOK_ERROR;
    }
    int n = put(sc, r->y + 1, 0, r->w, status, attr_of(sc, sl));
    char file[EX_PATH_LEN + 64];
    bool unsaved = explorer_unsaved(ex);
    if (ex->path[0])
        snprintf(file, sizeof file, "%s%s ", unsaved ? "[modified] " : "", ex->path);
    else
        snprintf(file, sizeof file, "%sbuilt-in default (s saves a copy) ",
                 unsaved ? "[modified] " : "");
    int fw = text_cells(file);
    if (n + 2 + fw <= r->w) put(sc, r->y + 1, r->w - fw, fw, file, unsaved ? head : A_DIM);
}

/* --- devices and links -------------------------------------------------- */

static void paint_devices(screen *sc, const explorer *ex)
{
    const rect *r = &sc->lay.pane[PANE_DEVICES];
    if (r->h <= 0) return;
    column cols[] = {
        {"Devices", 12}, {"tier", 6}, {"speed", 12}, {"memory used / of", 20}, {"load rate", 11}};
    int nc = (int)(sizeof cols / sizeof cols[0]);
    fit_columns(cols, nc, r->w - 1, 8, 18);
    paint_title(sc, ex, PANE_DEVICES, r, cols, nc);
    const tui_outcome *o = result_for_doc(ex);
    int visible = r->h - 1, n = ex->doc.ndevices;
    int sel = ex->row[PANE_DEVICES];
    int top = scroll_top(sel, visible, n);
    sc->top[PANE_DEVICES] = top;
    /* Value columns: speed, memory, load rate. */
    int x2 = r->x + cols[0].w + cols[1].w;
    sc->colx[PANE_DEVICES][0] = x2;
    sc->colx[PANE_DEVICES][1] = x2 + cols[2].w;
    sc->colx[PANE_DEVICES][2] = x2 + cols[2].w + cols[3].w;
    sc->colx[PANE_DEVICES][3] = x2 + cols[2].w + cols[3].w + cols[4].w;
    bool focus = ex->pane == PANE_DEVICES;
    for (int i = 0; i < visible; i++) {
        int y = r->y + 1 + i, d = top + i;
        blank(y, r->x, r->w, A_NORMAL);
        if (d >= n) continue;
        const nn_device *dev = &ex->doc.devices[d];
        bool selected = d == sel;
        attr_t row_a = selected && focus ? attr_of(sc, LOOK_SELECTED) : A_NORMAL;
        char speed[32], mem[32], used[32], memtext[80], load[32];
        units_format(dev->speed, UNIT_FLOP_RATE, speed, sizeof speed);
        units_format(dev->memory, UNIT_BYTES, mem, sizeof mem);
        units_format(dev->load_rate, UNIT_BYTE_RATE, load, sizeof load);
        if (o && o->has_eval) {
            units_format(o->ev.mem_used[d], UNIT_BYTES, used, sizeof used);
            snprintf(memtext, sizeof memtext, "%s / %s", used, mem);
        } else {
            snprintf(memtext, sizeof memtext, "- / %s", mem);
        }
        const char *vals[] = {dev->name, tier_name(dev->tier), speed, memtext, load};
        int x = r->x;
        for (int c = 0; c < nc; c++) {
            attr_t a = row_a;
            if (selected && c >= 2 && c - 2 == ex->col[PANE_DEVICES])
                a = attr_of(sc, focus ? LOOK_CELL : LOOK_SELECTED);
            if (c == 3 && o && o->has_eval && o->ev.mem_used[d] > dev->memory)
                a |= attr_of(sc, LOOK_ERROR);
            if (cols[c].w > 0) field(sc, y, x, cols[c].w - 1, vals[c], a);
            x += cols[c].w;
        }
    }
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

static void paint_links(screen *sc, const explorer *ex)
{
    const rect *r = &sc->lay.pane[PANE_LINKS];
    if (r->h <= 0) return;
    char fwd_title[32], rev_title[32];
    snprintf(fwd_title, sizeof fwd_title, "a %s b", arrow(sc, true));
    snprintf(rev_title, sizeof rev_title, "b %s a", arrow(sc, true));
    column cols[] = {
        {"Links (a - b)", 16}, {fwd_title, 13}, {rev_title, 13}, {"latency", 9}, {"", 7}};
    int nc = (int)(sizeof cols / sizeof cols[0]);
    fit_columns(cols, nc, r->w - 1, 10, 24);
    paint_title(sc, ex, PANE_LINKS, r, cols, nc);
    const tui_outcome *o = result_for_doc(ex);
    int visible = r->h - 1, n = ex->doc.nlinks;
    int sel = ex->row[PANE_LINKS];
    int top = scroll_top(sel, visible, n);
    sc->top[PANE_LINKS] = top;
    int x1 = r->x + cols[0].w;
    sc->colx[PANE_LINKS][0] = x1;
    sc->colx[PANE_LINKS][1] = x1 + cols[1].w;
    sc->colx[PANE_LINKS][2] = x1 + cols[1].w + cols[2].w;
    sc->colx[PANE_LINKS][3] = x1 + cols[1].w + cols[2].w + cols[3].w;
    bool focus = ex->pane == PANE_LINKS;
    for (int i = 0; i < visible; i++) {
        int y = r->y + 1 + i, k = top + i;
        blank(y, r->x, r->w, A_NORMAL);
        if (k >= n) continue;
        const nn_link *l = &ex->doc.links[k];
        bool selected = k == sel;
        attr_t row_a = selected && focus ? attr_of(sc, LOOK_SELECTED) : A_NORMAL;
        char ends[2 * NN_NAME_LEN + 8], fwd[32], rev[32], lat[32];
        snprintf(ends, sizeof ends, "%s - %s", ex->doc.devices[l->a].name,
                 ex->doc.devices[l->b].name);
        units_format(l->bandwidth, UNIT_BIT_RATE, fwd, sizeof fwd);
        units_format(l->reverse, UNIT_BIT_RATE, rev, sizeof rev);
        units_format(l->latency, UNIT_TIME, lat, sizeof lat);
        const char *vals[] = {ends, fwd, rev, lat, link_in_use(o, l->a, l->b) ? "in use" : ""};
        int x = r->x;
        for (int c = 0; c < nc; c++) {
            attr_t a = row_a;
            if (selected && c >= 1 && c <= 3 && c - 1 == ex->col[PANE_LINKS])
                a = attr_of(sc, focus ? LOOK_CELL : LOOK_SELECTED);
            if (c == 4) a = attr_of(sc, LOOK_TRANSFER);
            if (cols[c].w > 0) field(sc, y, x, cols[c].w - 1, vals[c], a);
            x += cols[c].w;
        }
    }
}

/* --- layers and baselines ----------------------------------------------- */

static void paint_layers(screen *sc, const explorer *ex)
{
    const rect *r = &sc->lay.pane[PANE_LAYERS];
    if (r->h <= 0) return;
    column cols[] = {{"Layers", 14}, {"type", 10},  {"FLOPs", 11}, {"weights", 9},
                     {"output", 9},  {"device", 8}, {"start", 9},  {"finish", 9}};
    int nc = (int)(sizeof cols / sizeof cols[0]);
    /* The device column fits the longest name plus the pin mark. */
    for (int d = 0; d < ex->doc.ndevices; d++) {
        int w = text_cells(ex->doc.devices[d].name) + 2;
        if (w > cols[5].w) cols[5].w = w < 16 ? w : 16;
    }
    fit_columns(cols, nc, r->w - 1, 8, 20);
    paint_title(sc, ex, PANE_LAYERS, r, cols, nc);
    const tui_outcome *o = result_for_doc(ex);
    int visible = r->h - 1, n = ex->doc.net.nlayers;
    int sel = ex->row[PANE_LAYERS];
    int top = scroll_top(sel, visible, n);
    sc->top[PANE_LAYERS] = top;
    bool focus = ex->pane == PANE_LAYERS || ex->pane == PANE_TIMELINE;
    for (int i = 0; i < visible; i++) {
        int y = r->y + 1 + i, l = top + i;
        blank(y, r->x, r->w, A_NORMAL);
        if (l >= n) continue;
        const nn_layer *ly = &ex->doc.net.layers[l];
        const nn_layer_type_desc *td = layer_type_get(ly->type);
        char flops[32], w[32], out[32], dev[NN_NAME_LEN + 8] = "", start[32] = "", finish[32] = "";
        units_format(ly->flops, UNIT_FLOP, flops, sizeof flops);
        units_format(ly->weight_bytes, UNIT_BYTES, w, sizeof w);
        units_format(ly->output_bytes, UNIT_BYTES, out, sizeof out);
        int pin = ex->doc.pin ? ex->doc.pin[l] : -1;
        if (o && o->has_eval) {
            const nn_layer_time *t = &o->ev.layers[l];
            snprintf(dev, sizeof dev, "%s%s", o->in.device_names[t->device], pin >= 0 ? "*" : "");
            units_format(t->start, UNIT_TIME, start, sizeof start);
            units_format(t->finish, UNIT_TIME, finish, sizeof finish);
        } else if (pin >= 0) {
            snprintf(dev, sizeof dev, "%s*", ex->doc.devices[pin].name);
        }
        const char *vals[] = {ly->name, td ? td->name : "?", flops, w, out, dev, start, finish};
        attr_t a = l == sel && focus ? attr_of(sc, LOOK_CELL) : A_NORMAL;
        int x = r->x;
        for (int c = 0; c < nc; c++) {
            attr_t ca = c == 5 && o && a == A_NORMAL ? attr_of(sc, LOOK_COMPUTE) : a;
            if (cols[c].w > 0) field(sc, y, x, cols[c].w - 1, vals[c], ca);
            x += cols[c].w;
        }
    }
    /* A note on pins where the title row has room. */
    int used = 0;
    for (int c = 0; c < nc; c++)
        used += cols[c].w;
    if (r->w - used > 12) put(sc, r->y, r->x + used, r->w - used, "(* pinned)", A_DIM);
}

static void paint_baselines(screen *sc, const explorer *ex)
{
    const rect *r = &sc->lay.pane[PANE_BASELINES];
    if (r->h <= 0) return;
    column cols[] = {{"Baselines", 24}, {"latency", 11}, {"vs opt", 7}};
    int nc = 3;
    fit_columns(cols, nc, r->w - 1, 10, 40);
    paint_title(sc, ex, PANE_BASELINES, r, cols, nc);
    const tui_outcome *o = ex->shown;
    int n = o ? o->base.count : 0, visible = r->h - 1;
    int sel = ex->row[PANE_BASELINES];
    int top = scroll_top(sel, visible, n);
    sc->top[PANE_BASELINES] = top;
    bool focus = ex->pane == PANE_BASELINES;
    for (int i = 0; i < visible; i++) {
        int y = r->y + 1 + i, k = top + i;
        blank(y, r->x, r->w, A_NORMAL);
        if (k >= n) continue;
        const nn_baseline *b = &o->base.items[k];
        char lat[32] = "infeasible", ratio[32] = "-";
        if (b->feasible) {
            units_format(b->latency, UNIT_TIME, lat, sizeof lat);
            if (isfinite(b->ratio) && b->ratio > 0)
                snprintf(ratio, sizeof ratio, "%.2fx", b->ratio);
        }
        attr_t a = k == sel && focus ? attr_of(sc, LOOK_CELL) : A_NORMAL;
        const char *vals[] = {b->name, lat, ratio};
        int x = r->x;
        for (int c = 0; c < nc; c++) {
            attr_t ca = a;
            if (!b->feasible && c == 1 && a == A_NORMAL) ca = attr_of(sc, LOOK_DIM);
            if (cols[c].w > 0) field(sc, y, x, cols[c].w - 1, vals[c], ca);
            x += cols[c].w;
        }
    }
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

static void paint_timeline(screen *sc, const explorer *ex)
{
    const rect *r = &sc->lay.pane[PANE_TIMELINE];
    screen_free(sc);
    if (r->h <= 0) return;
    const tui_outcome *o = ex->shown;
    bool timed = o && o->has_eval && isfinite(o->ev.latency);

    /* Title row: name, window, keys. */
    attr_t ta = attr_of(sc, ex->pane == PANE_TIMELINE ? LOOK_TITLE_FOCUS : LOOK_TITLE);
    blank(r->y, r->x, r->w, ta);
    char title[256] = "Timeline";
    if (timed) {
        char a[32], b[32];
        units_format(ex->view.t0, UNIT_TIME, a, sizeof a);
        units_format(ex->view.t1, UNIT_TIME, b, sizeof b);
        snprintf(title, sizeof title, "Timeline  %s to %s%s   z/Z zoom  </> pan  f fit", a, b,
                 ex->view.fit ? " (fit)" : "");
    }
    put(sc, r->y, r->x, r->w, title, ta);
    for (int y = r->y + 1; y < r->y + r->h; y++)
        blank(y, r->x, r->w, A_NORMAL);
    if (!o || !o->has_eval) {
        const char *why = !o ? "solving..." : o->res.message;
        put(sc, r->y + 2, r->x + 2, r->w - 4, why, attr_of(sc, o ? LOOK_ERROR : LOOK_DIM));
        return;
    }

    /* Lane titles take what they need, up to a third of the width. */
    int tw = 6;
    for (int d = 0; d < o->in.D; d++) {
        int n = text_cells(o->in.device_names[d]) + 5;
        if (n > tw) tw = n;
    }
    for (int i = 0; i < o->ev.nhops; i++) {
        int n = text_cells(o->in.device_names[o->ev.hops[i].from]) + 1 +
                text_cells(o->in.device_names[o->ev.hops[i].to]);
        if (n > tw) tw = n;
    }
    if (tw > r->w / 3) tw = r->w / 3;
    int plot_w = r->w - tw - 2;
    if (plot_w < 10) return;
    if (gantt_layout_build(&o->in, &o->ev, &ex->view, plot_w, &sc->g) != 0) return;
    sc->have_g = true;
    sc->plot_x = r->x + tw + 2;
    sc->lane_y = r->y + 1;
    sc->lanes_visible = r->h - LAYOUT_TIMELINE_EXTRA;

    /* Keep the selected layer's compute lane in view. */
    int sel = ex->row[PANE_LAYERS], sel_lane = 0;
    if (sel >= 0 && sel < o->ev.L) sel_lane = 2 * o->ev.layers[sel].device + 1;
    sc->lane_top = scroll_top(sel_lane, sc->lanes_visible, sc->g.nlanes);
    bool highlight = ex->pane == PANE_TIMELINE || ex->pane == PANE_LAYERS;

    gantt_cell cells[1024];
    if (plot_w > 1024) plot_w = 1024;
    for (int i = 0; i < sc->lanes_visible; i++) {
        int lane = sc->lane_top + i, y = sc->lane_y + i;
        if (lane >= sc->g.nlanes) break;
        const gantt_lane *ln = &sc->g.lanes[lane];
        attr_t la = ln->kind == LANE_COMPUTE ? A_BOLD : attr_of(sc, LOOK_DIM);
        if (ln->kind == LANE_LINK) la = attr_of(sc, LOOK_TRANSFER);
        put(sc, y, r->x, tw, ln->title, la);
        put(sc, y, r->x + tw + 1, 1, sc->unicode ? "\u2502" : "|", A_DIM);
        gantt_lane_render(&sc->g, lane, sc->unicode, cells);
        for (int c = 0; c < plot_w; c++) {
            if (cells[c].bar < 0) continue;
            const gantt_bar *bar = &sc->g.bars[cells[c].bar];
            attr_t a = attr_of(sc, bar_look(bar->kind, cells[c].label));
            if (highlight && bar->layer == sel && bar->kind != GANTT_IDLE) a = A_REVERSE | A_BOLD;
            put(sc, y, sc->plot_x + c, 1, cells[c].text, a);
        }
    }

    /* Axis and legend under the lanes. */
    int ay = r->y + r->h - 3;
    char rule[1024 * 3 + 4], labels[1024 + 2];
    gantt_axis_render(&sc->g, sc->unicode, rule, sizeof rule, labels, sizeof labels);
    put(sc, ay, r->x + tw + 1, 1, sc->unicode ? "\u2514" : "+", A_DIM);
    put(sc, ay, sc->plot_x, plot_w, rule, A_DIM);
    put(sc, ay + 1, sc->plot_x, plot_w, labels, A_NORMAL);
    int x = sc->plot_x;
    const gantt_kind kinds[] = {GANTT_COMPUTE, GANTT_LOAD, GANTT_TRANSFER, GANTT_IDLE, GANTT_WAIT};
    for (int k = 0; k < 5; k++) {
        const char *text = gantt_legend(kinds[k], sc->unicode);
        x += put(sc, ay + 2, x, r->x + r->w - x, text, attr_of(sc, bar_look(kinds[k], false)));
        x += put(sc, ay + 2, x, r->x + r->w - x, "  ", A_NORMAL);
    }
    put(sc, ay + 2, x, r->x + r->w - x, "(load lane above compute lane)", A_DIM);
}

/* --- footer, prompts, overlays ---------------------------------------- */

static const char *hints(const explorer *ex)
{
    switch (ex->pane) {
    case PANE_DEVICES:
    case PANE_LINKS:
        return " Tab pane  j/k row  h/l value  +/- x2 /2  Enter type a value  a add  d delete  "
               "u undo  ^R redo  m mode  n network  s save  ? help  q quit";
    case PANE_TIMELINE:
        return " Tab pane  j/k layer  h/l pan  z/Z zoom  f fit  p pin  u undo  m mode  ? help  "
               "q quit";
    case PANE_LAYERS:
        return " Tab pane  j/k layer  p pin to next device (* marks a pin)  Enter choose pin  u "
               "undo  "
               "m mode  ? help  q quit";
    default:
        return " Tab pane  j/k row  u undo  m mode  n network  s save  ? help  q quit";
    }
}

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
            put(sc, y0, 1, r->w - 1, "Enter applies, Esc cancels", A_DIM);
        int n = put(sc, y1, 1, r->w - 2, ex->input_prompt, A_BOLD);
        int m = put(sc, y1, 1 + n, r->w - 2 - n, ex->input, A_NORMAL);
        *cursor_y = y1;
        *cursor_x = 1 + n + m < r->w ? 1 + n + m : r->w - 1;
        break;
    }
    case MODAL_CONFIRM:
        put(sc, y0, 1, r->w - 1, ex->confirm_text, attr_of(sc, LOOK_ERROR));
        put(sc, y1, 1, r->w - 1, " y: yes   n or Esc: no", A_BOLD);
        break;
    default:
        put(sc, y0, 1, r->w - 1, ex->msg, ex->msg_error ? attr_of(sc, LOOK_ERROR) : A_NORMAL);
        put(sc, y1, 0, r->w, hints(ex), A_REVERSE);
        break;
    }
}

static void paint_box(const screen *sc, int y, int x, int h, int w, const char *title)
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
}

static void paint_pick(const screen *sc, const explorer *ex)
{
    int H = LINES, W = COLS;
    int w = W - 8, h = ex->npick + 4;
    if (h > H - 4) h = H - 4;
    int y = (H - h) / 2, x = (W - w) / 2;
    paint_box(sc, y, x, h, w, ex->pick_title);
    int visible = h - 4;
    int top = scroll_top(ex->pick_sel, visible, ex->npick);
    for (int i = 0; i < visible && top + i < ex->npick; i++) {
        int k = top + i;
        attr_t a = k == ex->pick_sel ? A_REVERSE | A_BOLD : A_NORMAL;
        field(sc, y + 1 + i, x + 2, w - 4, ex->pick[k].text, a);
    }
    put(sc, y + h - 2, x + 2, w - 4, "j/k or arrows: choose   Enter: take   Esc: cancel", A_DIM);
}

static void paint_help(const screen *sc, const explorer *ex)
{
    int H = LINES, W = COLS;
    int w = W - 6 < 100 ? W - 6 : 100, h = H - 4;
    int y = (H - h) / 2, x = (W - w) / 2;
    paint_box(sc, y, x, h, w, "Help (generated from the key table)");
    char line[256];
    int total = 0;
    while (explorer_help_line(total, line, sizeof line))
        total++;
    int visible = h - 2;
    int top = ex->help_top;
    if (top > total - visible) top = total - visible > 0 ? total - visible : 0;
    for (int i = 0; i < visible && explorer_help_line(top + i, line, sizeof line); i++)
        put(sc, y + 1 + i, x + 2, w - 4, line, i + top < 6 ? A_BOLD : A_NORMAL);
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
    int want[PANE_COUNT] = {
        [PANE_DEVICES] = ex->doc.ndevices,
        [PANE_LINKS] = ex->doc.nlinks,
        [PANE_LAYERS] = ex->doc.net.nlayers,
        [PANE_BASELINES] = ex->shown ? ex->shown->base.count : 1,
    };
    /* Lanes: two per device, one per link in use (at most one per link). */
    int links_used = 0;
    const tui_outcome *o = ex->shown;
    if (o && o->has_eval)
        for (int k = 0; k < ex->doc.nlinks && o->in.D == ex->doc.ndevices; k++)
            links_used += link_in_use(o, ex->doc.links[k].a, ex->doc.links[k].b);
    want[PANE_TIMELINE] = 2 * (o ? o->in.D : ex->doc.ndevices) + links_used;
    layout_compute(COLS, LINES, want, &sc->lay);
    erase();
    if (sc->lay.too_small) {
        screen_free(sc);
        paint_too_small(sc);
        curs_set(0);
        refresh();
        return;
    }
    paint_header(sc, ex, solving_s);
    paint_devices(sc, ex);
    paint_links(sc, ex);
    paint_timeline(sc, ex);
    paint_layers(sc, ex);
    paint_baselines(sc, ex);
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

bool screen_click(screen *sc, explorer *ex, int y, int x)
{
    if (sc->lay.too_small || ex->modal != MODAL_NONE) return false;
    for (int p = 0; p < PANE_COUNT; p++) {
        const rect *r = &sc->lay.pane[p];
        if (!rect_contains(r, y, x)) continue;
        if (p == PANE_TIMELINE) {
            int lane = sc->lane_top + (y - sc->lane_y);
            if (sc->have_g && y >= sc->lane_y && y < sc->lane_y + sc->lanes_visible &&
                x >= sc->plot_x) {
                int bar = gantt_bar_at(&sc->g, lane, x - sc->plot_x);
                if (bar >= 0) {
                    explorer_select_bar(ex, &sc->g.bars[bar]);
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
            for (int c = 0; c < EX_VALUE_COLS; c++)
                if (x >= sc->colx[p][c] && x < sc->colx[p][c + 1]) col = c;
        /* Below the last row: focus the pane, keep its selection. */
        if (row >= explorer_rows(ex, (ex_pane)p)) row = ex->row[p];
        explorer_select(ex, (ex_pane)p, row, col);
        return true;
    }
    return false;
}
