/* The explorer's state machine: selection, prompts, undo, results on show. */
#include "explorer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/fileio.h"
#include "../model/scenario_io.h"
#include "explorer_internal.h"
#include "pareto_view.h"
#include "sensitivity.h"

/* The largest scenario text kept for saving, as the loader's limit. */
#define EX_TEXT_MAX ((size_t)64 * 1024 * 1024)
/* Snapshots kept for undo. */
#define EX_HISTORY_DEPTH 200

int explorer_init(explorer *ex, nn_scenario *s, const char *path)
{
    memset(ex, 0, sizeof *ex);
    ex->doc = *s;
    scenario_init(s);
    str_copy(ex->path, sizeof ex->path, path);
    /* Without its text (unreadable now) a save writes nnpart's own layout. */
    if (ex->path[0] &&
        fileio_read(ex->path, EX_TEXT_MAX, &ex->saved_text, &ex->saved_len, NULL) != 0)
        ex->saved_text = NULL;
    if (scenario_copy(&ex->saved, &ex->doc) != 0 ||
        history_init(&ex->hist, EX_HISTORY_DEPTH) != 0) {
        explorer_free(ex);
        return -1;
    }
    gantt_view_fit(&ex->view, 0);
    ex->lane_scroll = -1;
    ex->pane = PANE_LINKS;
    /* What to try first; the keys themselves are on the line below. */
    ex_say(ex, false, "Select a bandwidth or a speed, press - or +, and watch the layers move.");
    return 0;
}

void explorer_free(explorer *ex)
{
    scenario_free(&ex->doc);
    scenario_free(&ex->saved);
    free(ex->saved_text);
    history_free(&ex->hist);
    free(ex->pick);
    free(ex->compare_place);
    if (ex->has_compare_ev) eval_free(&ex->compare_ev);
    pview_free(ex); /* first: it may hold the solver's outcome aside */
    outcome_free(ex->shown);
    sens_free(ex);
    memset(ex, 0, sizeof *ex);
}

const char *ex_arrow(const explorer *ex)
{
    return ex->unicode ? "\u2192" : "->";
}

void ex_say(explorer *ex, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ex->msg, sizeof ex->msg, fmt, ap);
    va_end(ap);
    ex->msg_error = error;
}

int explorer_rows(const explorer *ex, ex_pane pane)
{
    switch (pane) {
    case PANE_DEVICES:
        return ex->doc.ndevices;
    case PANE_LINKS:
        return ex->doc.nlinks;
    case PANE_TIMELINE:
    case PANE_LAYERS:
        return ex->doc.net.nlayers;
    case PANE_BASELINES:
        return ex->shown ? ex->shown->base.count : 0;
    case PANE_COUNT:
        break;
    }
    return 0;
}

const char *explorer_pane_name(ex_pane pane)
{
    static const char *const names[PANE_COUNT] = {
        [PANE_DEVICES] = "Devices", [PANE_LINKS] = "Links",         [PANE_TIMELINE] = "Timeline",
        [PANE_LAYERS] = "Layers",   [PANE_BASELINES] = "Baselines",
    };
    return (unsigned)pane < PANE_COUNT ? names[pane] : "";
}

/* The editable values of a pane's rows, in column order. */
static const nn_field_id DEVICE_FIELDS[] = {
    FIELD_SPEED, FIELD_MEMORY,     FIELD_LOAD_RATE,  FIELD_MEMORY_BANDWIDTH,
    FIELD_POWER, FIELD_IDLE_POWER, FIELD_LOAD_POWER, EX_COL_BATTERY};
static const nn_field_id LINK_FIELDS[] = {FIELD_BANDWIDTH, FIELD_REVERSE, FIELD_LATENCY,
                                          FIELD_ENERGY};

int explorer_value_cols(ex_pane pane)
{
    return pane == PANE_LINKS ? (int)(sizeof LINK_FIELDS / sizeof LINK_FIELDS[0])
                              : (int)(sizeof DEVICE_FIELDS / sizeof DEVICE_FIELDS[0]);
}

nn_field_id explorer_col_field(ex_pane pane, int col)
{
    int n = explorer_value_cols(pane);
    if (col < 0) col = 0;
    if (col >= n) col = n - 1;
    return pane == PANE_LINKS ? LINK_FIELDS[col] : DEVICE_FIELDS[col];
}

bool explorer_selected_field(const explorer *ex, nn_field_ref *ref)
{
    if (ex->pane != PANE_DEVICES && ex->pane != PANE_LINKS) return false;
    int row = ex->row[ex->pane];
    if (row < 0 || row >= explorer_rows(ex, ex->pane)) return false;
    nn_field_id id = explorer_col_field(ex->pane, ex->col[ex->pane]);
    if (id == EX_COL_BATTERY) return false;
    *ref = (nn_field_ref){.id = id, .index = row};
    return true;
}

int explorer_selected_battery(const explorer *ex)
{
    int row = ex->row[PANE_DEVICES];
    if (ex->pane != PANE_DEVICES || row < 0 || row >= ex->doc.ndevices) return -1;
    return explorer_col_field(PANE_DEVICES, ex->col[PANE_DEVICES]) == EX_COL_BATTERY ? row : -1;
}

bool explorer_col_visible(const explorer *ex, ex_pane pane, int col)
{
    unsigned mask = ex->cols_visible[pane];
    return col >= 0 && col < explorer_value_cols(pane) && (mask == 0 || (mask >> col) & 1u);
}

/* The nearest value column on show from `col` in direction `dir` (-1, +1),
 * `col` itself first when dir is 0; -1 when there is none. */
static int visible_col(const explorer *ex, ex_pane pane, int col, int dir)
{
    int n = explorer_value_cols(pane);
    if (dir != 0) {
        for (int c = col + dir; c >= 0 && c < n; c += dir)
            if (explorer_col_visible(ex, pane, c)) return c;
        return -1;
    }
    for (int d = 0; d < n; d++) {
        if (explorer_col_visible(ex, pane, col - d)) return col - d;
        if (explorer_col_visible(ex, pane, col + d)) return col + d;
    }
    return -1;
}

int ex_col_step(const explorer *ex, ex_pane pane, int dir)
{
    int c = visible_col(ex, pane, ex->col[pane], dir);
    return c >= 0 ? c : ex->col[pane];
}

void ex_clamp(explorer *ex)
{
    for (int p = 0; p < PANE_COUNT; p++) {
        int n = explorer_rows(ex, (ex_pane)p);
        if (ex->row[p] >= n) ex->row[p] = n - 1;
        if (ex->row[p] < 0) ex->row[p] = 0;
        if (ex->col[p] < 0) ex->col[p] = 0;
        int cols = explorer_value_cols((ex_pane)p);
        if (ex->col[p] >= cols) ex->col[p] = cols - 1;
        /* A column that left the screen: the nearest one on show. */
        int c = visible_col(ex, (ex_pane)p, ex->col[p], 0);
        if (c >= 0) ex->col[p] = c;
    }
}

bool ex_stream_shown(const explorer *ex)
{
    return ex->shown && ex->shown->has_stream && !ex->has_compare_ev;
}

int ex_lane_count(const explorer *ex)
{
    const tui_outcome *o = ex->shown;
    if (!o || !o->has_eval) return 0;
    if (ex_stream_shown(ex)) return o->in.D + gantt_stream_link_lanes(&o->in, &o->stream);
    return gantt_device_lanes(&o->ev) * o->in.D + gantt_link_lanes(&o->in, &o->ev);
}

double ex_timeline_total(const explorer *ex)
{
    double t = 0;
    if (ex_stream_shown(ex)) return gantt_stream_total(&ex->shown->stream);
    if (ex->shown && ex->shown->has_eval && isfinite(ex->shown->ev.latency))
        t = ex->shown->ev.latency;
    /* A comparison shares the axis: the longer of the two. */
    if (ex->has_compare_ev && isfinite(ex->compare_ev.latency) && ex->compare_ev.latency > t)
        t = ex->compare_ev.latency;
    return t > 0 ? t : 1.0;
}

int ex_begin(explorer *ex, nn_scenario *before)
{
    if (scenario_copy(before, &ex->doc) != 0) {
        ex_say(ex, true, "out of memory: the edit was not made");
        return -1;
    }
    return 0;
}

unsigned ex_commit(explorer *ex, nn_scenario *before, const char *what)
{
    history_push(&ex->hist, before, what);
    ex_clamp(ex);
    ex_say(ex, false, "%s", what);
    str_copy(ex->edit_msg, sizeof ex->edit_msg, what);
    return EFFECT_REDRAW | EFFECT_RESOLVE;
}

bool explorer_unsaved(const explorer *ex)
{
    return !scenario_equal(&ex->doc, &ex->saved, NULL, 0);
}

bool explorer_solving(const explorer *ex)
{
    return ex->answered < ex->submitted;
}

/* Same devices in the same order and the same number of layers: then the
 * two placements can be compared layer by layer. */
static bool same_shape(const tui_outcome *a, const tui_outcome *b)
{
    if (a->in.L != b->in.L || a->in.D != b->in.D) return false;
    for (int d = 0; d < a->in.D; d++)
        if (strcmp(a->in.device_names[d], b->in.device_names[d]) != 0) return false;
    return true;
}

/* What changed since the result on show: kept with the new result until
 * the next one replaces it. */
static void remember_previous(const tui_outcome *old, tui_outcome *o)
{
    if (!old || !old->res.place || !o->res.place || !same_shape(old, o)) return;
    o->prev_place = malloc((size_t)o->in.L * sizeof *o->prev_place);
    if (!o->prev_place) return;
    memcpy(o->prev_place, old->res.place, (size_t)o->in.L * sizeof *o->prev_place);
    o->prev_latency = old->res.latency;
    o->prev_value = old->in.objective == o->in.objective ? old->res.value : NAN;
}

/* "was -> now, +4.6%" into buf, or "NAME unchanged (now)". */
static void change_of(const explorer *ex, const char *name, double was_v, double now_v,
                      unit_kind unit, char *buf, size_t size)
{
    char was[32], now[32];
    units_format(was_v, unit, was, sizeof was);
    units_format(now_v, unit, now, sizeof now);
    double pct = was_v > 0 ? 100 * (now_v / was_v - 1) : 0;
    if (was_v > 0 && was_v != now_v)
        snprintf(buf, size, fabs(pct) < 0.1 ? "%s%s%s %s %s, %+.2g%%" : "%s%s%s %s %s, %+.1f%%",
                 name, *name ? " " : "", was, ex_arrow(ex), now, pct);
    else
        snprintf(buf, size, "%s unchanged (%s)", *name ? name : "latency", now);
}

void explorer_change_text(const explorer *ex, char *buf, size_t size)
{
    const tui_outcome *o = ex->shown;
    buf[0] = '\0';
    if (!o || !o->prev_place || !o->res.place) return;
    size_t len;
    nn_objective obj = o->in.objective;
    if (obj == OBJ_LATENCY) {
        change_of(ex, "", o->prev_latency, o->res.latency, UNIT_TIME, buf, size);
    } else {
        /* Under another objective its value leads; the latency follows. */
        const char *name = objective_value_name(obj);
        unit_kind unit = objective_unit(obj);
        char now[32];
        units_format(o->res.value, unit, now, sizeof now);
        if (isfinite(o->prev_value))
            change_of(ex, name, o->prev_value, o->res.value, unit, buf, size);
        else
            snprintf(buf, size, "optimising %s: %s", objective_name(obj), now);
        len = strlen(buf);
        if (o->prev_latency > 0 && o->prev_latency != o->res.latency) {
            snprintf(buf + len, size - len, "; latency ");
            len = strlen(buf);
            change_of(ex, "", o->prev_latency, o->res.latency, UNIT_TIME, buf + len, size - len);
        }
    }
    int moved = 0;
    for (int l = 0; l < o->in.L; l++)
        moved += o->prev_place[l] != o->res.place[l];
    len = strlen(buf);
    if (moved == 0) {
        snprintf(buf + len, size - len, "; no layer moved");
        return;
    }
    snprintf(buf + len, size - len, "; moved %d layer%s:", moved, moved == 1 ? "" : "s");
    for (int l = 0, k = 0; l < o->in.L; l++) {
        if (o->prev_place[l] == o->res.place[l]) continue;
        len = strlen(buf);
        if (len + 1 >= size) break;
        snprintf(buf + len, size - len, "%s %s %s%s%s", k++ ? "," : "", o->in.layer_names[l],
                 o->in.device_names[o->prev_place[l]], ex_arrow(ex),
                 o->in.device_names[o->res.place[l]]);
    }
}

void explorer_show_baselines(explorer *ex, unsigned long gen, nn_baselines *b, double time_s)
{
    if (ex->shown && ex->shown->gen == gen)
        outcome_attach_baselines(ex->shown, b, time_s);
    else
        baselines_free(b);
    ex_clamp(ex);
}

void explorer_show(explorer *ex, tui_outcome *o)
{
    if (!o) return;
    if (o->gen > ex->answered) ex->answered = o->gen;
    if (ex->shown && o->gen < ex->shown->gen) {
        outcome_free(o);
        return;
    }
    if (o->lp_path[0]) {
        if (o->res.status == SOLVE_ERROR) {
            /* Nothing was solved: keep the result on show. */
            ex_say(ex, true, "%s", o->res.message);
            outcome_free(o);
            return;
        }
        /* A failed LP write still brings its solve. */
        if (o->res.lp_error[0])
            ex_say(ex, true, "%s", o->res.lp_error);
        else
            ex_say(ex, false, "wrote the ILP (%d rows, %d columns) to %s", o->res.rows, o->res.cols,
                   o->lp_path);
    }
    /* A point of the Pareto front on show gives way to the new result. */
    pview_release(ex);
    if (ex->pview) ex->pview->sel = -1;
    remember_previous(ex->shown, o);
    outcome_free(ex->shown);
    ex->shown = o;
    ex_compare_refresh(ex);
    /* The edit that asked for this result, and what it did. */
    if (ex->edit_msg[0] && o->gen == ex->submitted && !o->lp_path[0]) {
        char change[800];
        explorer_change_text(ex, change, sizeof change);
        if (change[0]) ex_say(ex, false, "%s: %s", ex->edit_msg, change);
        ex->edit_msg[0] = '\0';
    }
    double total = ex_timeline_total(ex);
    if (ex->view.fit)
        gantt_view_fit(&ex->view, total);
    else
        gantt_view_pan(&ex->view, 0, total);
    ex_clamp(ex);
}

void explorer_select(explorer *ex, ex_pane pane, int row, int col)
{
    if ((unsigned)pane >= PANE_COUNT) return;
    ex->pane = pane;
    ex->row[pane == PANE_TIMELINE ? PANE_LAYERS : pane] = row;
    if (col >= 0) ex->col[pane] = col;
    ex_clamp(ex);
    if (pane != PANE_TIMELINE) ex_describe(ex);
}

void explorer_wheel(explorer *ex, ex_pane pane, int delta)
{
    if ((unsigned)pane >= PANE_COUNT) return;
    ex->pane = pane;
    if (pane == PANE_TIMELINE) {
        ex_scroll_lanes(ex, delta);
        return;
    }
    ex->row[pane] += delta;
    ex_clamp(ex);
    ex_describe(ex);
}

void ex_compare_refresh(explorer *ex)
{
    if (ex->has_compare_ev) eval_free(&ex->compare_ev);
    ex->has_compare_ev = false;
    const tui_outcome *o = ex->shown;
    if (!ex->compare_place || !o) {
        if (ex->view.fit) gantt_view_fit(&ex->view, ex_timeline_total(ex));
        return;
    }
    if (o->in.L != ex->doc.net.nlayers || o->in.D != ex->doc.ndevices ||
        o->in.L != ex->compare_len) {
        free(ex->compare_place);
        ex->compare_place = NULL;
        ex_say(ex, false, "the comparison ended: the network or the devices changed");
        return;
    }
    for (int l = 0; l < o->in.L; l++)
        if (ex->compare_place[l] < 0 || ex->compare_place[l] >= o->in.D) return;
    ex->has_compare_ev =
        eval_run(&o->in, ex->compare_place, objective_mode(o->in.objective, o->in.mode),
                 &ex->compare_ev) == 0;
    if (ex->view.fit) gantt_view_fit(&ex->view, ex_timeline_total(ex));
}

/* One line about the selected device, link, layer or baseline. */
void ex_describe(explorer *ex)
{
    int row = ex->row[ex->pane];
    const tui_outcome *o = ex->shown;
    bool fits = o && o->in.L == ex->doc.net.nlayers && o->in.D == ex->doc.ndevices;
    char a[32], b[32], c[32];
    switch (ex->pane) {
    case PANE_DEVICES: {
        if (row >= ex->doc.ndevices) return;
        const nn_device *d = &ex->doc.devices[row];
        units_format(d->speed, UNIT_FLOP_RATE, a, sizeof a);
        units_format(d->memory, UNIT_BYTES, b, sizeof b);
        units_format(d->load_rate, UNIT_BYTE_RATE, c, sizeof c);
        int n = 0;
        for (int l = 0; fits && o->res.place && l < o->in.L; l++)
            n += o->res.place[l] == row;
        ex_say(ex, false,
               "device %s (%s): %s, %s of memory, loads weights at %s; runs %d layer%s%s", d->name,
               tier_name(d->tier), a, b, c, n, n == 1 ? "" : "s",
               row == ex->doc.source && row == ex->doc.sink
                   ? "; the input starts and the result arrives here"
               : row == ex->doc.source ? "; the input starts here"
               : row == ex->doc.sink   ? "; the result arrives here"
                                       : "");
        break;
    }
    case PANE_LINKS: {
        if (row >= ex->doc.nlinks) return;
        const nn_link *k = &ex->doc.links[row];
        units_format(k->bandwidth, UNIT_BIT_RATE, a, sizeof a);
        units_format(k->reverse, UNIT_BIT_RATE, b, sizeof b);
        units_format(k->latency, UNIT_TIME, c, sizeof c);
        ex_say(ex, false, "link %s - %s: %s %s %s, %s back, latency %s", ex->doc.devices[k->a].name,
               ex->doc.devices[k->b].name, a, ex_arrow(ex), ex->doc.devices[k->b].name, b, c);
        break;
    }
    case PANE_LAYERS:
    case PANE_TIMELINE: {
        int l = ex->row[PANE_LAYERS];
        if (!fits || !o->has_eval || l >= o->in.L) return;
        const nn_layer_time *t = &o->ev.layers[l];
        units_format(t->finish - t->start, UNIT_TIME, a, sizeof a);
        static const char *const waited[] = {[WAIT_NOTHING] = "started at once",
                                             [WAIT_INPUT] = "waited for its input",
                                             [WAIT_WEIGHTS] = "waited for its weights"};
        ex_say(ex, false, "layer %s on %s: computes %s, %s%s", o->in.layer_names[l],
               o->in.device_names[t->device], a, waited[t->waited],
               o->has_crit && o->crit.layer_on[l] ? "; on the critical path" : "");
        break;
    }
    case PANE_BASELINES: {
        if (!o || row >= o->base.count) return;
        const nn_baseline *bl = &o->base.items[row];
        units_format(bl->value, objective_unit(o->in.objective), a, sizeof a);
        if (bl->feasible && !bl->within_limits)
            ex_say(ex, false, "baseline %s: %s, %s (c compares, P pins it)", bl->name, a, bl->why);
        else if (bl->feasible)
            ex_say(ex, false, "baseline %s: %s%s, %.2fx the optimum (c compares, P pins it)",
                   bl->name, a, o->in.objective == OBJ_THROUGHPUT ? " per input" : "", bl->ratio);
        else
            ex_say(ex, false, "baseline %s: infeasible, %s", bl->name, bl->why);
        break;
    }
    case PANE_COUNT:
        break;
    }
}

/* A stream's bar: which input, which layers or tensor, and when; idle
 * time is the engine's slack in the period (weights are resident). */
static void stream_bar_say(explorer *ex, const gantt_bar *bar, const char *t0, const char *t1,
                           const char *dt)
{
    const nn_instance *in = &ex->shown->in;
    if (bar->kind == GANTT_IDLE) {
        ex_say(ex, false, "%s is idle from %s to %s (%s): slack it has in the stream",
               in->device_names[bar->device], t0, t1, dt);
    } else if (bar->kind == GANTT_TRANSFER) {
        int link = scenario_find_link(&ex->doc, bar->device, bar->to);
        if (link >= 0) ex->row[PANE_LINKS] = link;
        ex_say(ex, false, "input %d: %s%s from %s to %s: %s to %s (%s)", bar->input + 1,
               bar->boundary == 0 ? "the network input" : "the output of ",
               bar->boundary == 0 ? "" : in->layer_names[bar->boundary - 1],
               in->device_names[bar->device], in->device_names[bar->to], t0, t1, dt);
    } else {
        ex->row[PANE_LAYERS] = bar->layer;
        if (bar->layer_last != bar->layer)
            ex_say(ex, false, "input %d: %s to %s compute on %s: %s to %s (%s)", bar->input + 1,
                   in->layer_names[bar->layer], in->layer_names[bar->layer_last],
                   in->device_names[bar->device], t0, t1, dt);
        else
            ex_say(ex, false, "input %d: %s computes on %s: %s to %s (%s)", bar->input + 1,
                   in->layer_names[bar->layer], in->device_names[bar->device], t0, t1, dt);
    }
}

void explorer_select_bar(explorer *ex, const gantt_bar *bar)
{
    const tui_outcome *o = ex->shown;
    if (!o || !bar) return;
    const nn_instance *in = &o->in;
    char t0[32], t1[32], dt[32];
    units_format(bar->t0, UNIT_TIME, t0, sizeof t0);
    units_format(bar->t1, UNIT_TIME, t1, sizeof t1);
    units_format(bar->t1 - bar->t0, UNIT_TIME, dt, sizeof dt);
    ex->pane = PANE_TIMELINE;
    if (bar->input >= 0 || (ex_stream_shown(ex) && bar->kind == GANTT_IDLE)) {
        stream_bar_say(ex, bar, t0, t1, dt);
        ex_clamp(ex);
        return;
    }
    switch (bar->kind) {
    case GANTT_COMPUTE:
    case GANTT_LOAD:
        ex->row[PANE_LAYERS] = bar->layer;
        ex_say(ex, false, "%s %s on %s: %s to %s (%s)", in->layer_names[bar->layer],
               bar->kind == GANTT_COMPUTE ? "computes" : "loads its weights",
               in->device_names[bar->device], t0, t1, dt);
        break;
    case GANTT_TRANSFER: {
        char size[32];
        units_format(in->bytes[bar->boundary], UNIT_BYTES, size, sizeof size);
        int link = scenario_find_link(&ex->doc, bar->device, bar->to);
        if (link >= 0) ex->row[PANE_LINKS] = link;
        ex_say(ex, false, "%s %s (%s) from %s to %s: %s to %s (%s)",
               bar->boundary == 0 ? "the network input" : "the output of",
               bar->boundary == 0 ? "" : in->layer_names[bar->boundary - 1], size,
               in->device_names[bar->device], in->device_names[bar->to], t0, t1, dt);
        break;
    }
    case GANTT_IDLE:
        ex_say(ex, false, "%s waits for input from %s to %s (%s): weights load for free meanwhile",
               in->device_names[bar->device], t0, t1, dt);
        break;
    case GANTT_WAIT:
        ex->row[PANE_LAYERS] = bar->layer;
        ex_say(ex, false, "%s has the input of %s but waits for its weights from %s to %s (%s)",
               in->device_names[bar->device], in->layer_names[bar->layer], t0, t1, dt);
        break;
    }
    ex_clamp(ex);
}

void ex_input_open(explorer *ex, ex_input kind, const char *prompt, const char *note,
                   const char *initial)
{
    ex->modal = MODAL_INPUT;
    ex->input_kind = kind;
    str_copy(ex->input_prompt, sizeof ex->input_prompt, prompt);
    snprintf(ex->input_note, sizeof ex->input_note, "%s%s(Esc cancels)", note, note[0] ? " " : "");
    str_copy(ex->input, sizeof ex->input, initial);
    ex->input_error[0] = '\0';
}

void ex_confirm_open(explorer *ex, ex_confirm kind, int index, const char *text)
{
    ex->modal = MODAL_CONFIRM;
    ex->confirm_kind = kind;
    ex->confirm_index = index;
    str_copy(ex->confirm_text, sizeof ex->confirm_text, text);
}

void ex_pick_open(explorer *ex, ex_pick kind, const char *title)
{
    ex->modal = MODAL_PICK;
    ex->pick_kind = kind;
    str_copy(ex->pick_title, sizeof ex->pick_title, title);
    ex->npick = 0;
    ex->pick_sel = 0;
}

int ex_pick_add(explorer *ex, const char *text, int a, int b)
{
    ex_pick_item *grown = realloc(ex->pick, (size_t)(ex->npick + 1) * sizeof *grown);
    if (!grown) return -1;
    ex->pick = grown;
    ex_pick_item *it = &ex->pick[ex->npick++];
    str_copy(it->text, sizeof it->text, text);
    it->a = a;
    it->b = b;
    return 0;
}

/* Line editing: characters append, Backspace deletes, Ctrl-U clears. */
static unsigned key_input(explorer *ex, int key)
{
    size_t n = strlen(ex->input);
    if (key == EXK_ESC) {
        ex->modal = MODAL_NONE;
        ex_say(ex, false, "cancelled: nothing changed");
        return EFFECT_REDRAW;
    }
    if (key == EXK_ENTER || key == '\r') return actions_input_done(ex);
    if (key == EXK_BACKSPACE || key == 8) {
        /* Remove a whole UTF-8 character. */
        while (n > 0 && ((unsigned char)ex->input[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0) n--;
        ex->input[n] = '\0';
    } else if (key == EXK_CTRL('u')) {
        ex->input[0] = '\0';
    } else if (key >= 0x20 && key < 0x110000 && key != 0x7f && n + 4 < sizeof ex->input) {
        /* Encode the code point as UTF-8 (the terminal hands us wide keys). */
        unsigned c = (unsigned)key;
        char *p = ex->input + n;
        if (c < 0x80) {
            *p++ = (char)c;
        } else if (c < 0x800) {
            *p++ = (char)(0xC0 | (c >> 6));
            *p++ = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *p++ = (char)(0xE0 | (c >> 12));
            *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *p++ = (char)(0x80 | (c & 0x3F));
        } else {
            *p++ = (char)(0xF0 | (c >> 18));
            *p++ = (char)(0x80 | ((c >> 12) & 0x3F));
            *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *p++ = (char)(0x80 | (c & 0x3F));
        }
        *p = '\0';
    } else {
        return EFFECT_NONE;
    }
    ex->input_error[0] = '\0';
    return EFFECT_REDRAW;
}

static unsigned key_confirm(explorer *ex, int key)
{
    if (key == 'y' || key == 'Y') {
        ex->modal = MODAL_NONE;
        return actions_confirm_done(ex, true);
    }
    if (key == 'n' || key == 'N' || key == EXK_ESC || key == 'q') {
        ex->modal = MODAL_NONE;
        return actions_confirm_done(ex, false);
    }
    return EFFECT_NONE;
}

static unsigned key_pick(explorer *ex, int key)
{
    switch (key) {
    case EXK_ESC:
    case 'q':
        ex->modal = MODAL_NONE;
        ex_say(ex, false, "cancelled: nothing changed");
        return EFFECT_REDRAW;
    case EXK_DOWN:
    case 'j':
        if (ex->pick_sel + 1 < ex->npick) ex->pick_sel++;
        return EFFECT_REDRAW;
    case EXK_UP:
    case 'k':
        if (ex->pick_sel > 0) ex->pick_sel--;
        return EFFECT_REDRAW;
    case EXK_ENTER:
    case '\r': {
        if (ex->npick == 0) return EFFECT_NONE;
        ex_pick_item item = ex->pick[ex->pick_sel];
        ex->modal = MODAL_NONE;
        return actions_pick_done(ex, &item) | EFFECT_REDRAW;
    }
    default:
        return EFFECT_NONE;
    }
}

static unsigned key_help(explorer *ex, int key)
{
    if (key == EXK_DOWN || key == 'j') {
        ex->help_top++;
    } else if (key == EXK_UP || key == 'k') {
        if (ex->help_top > 0) ex->help_top--;
    } else if (key == EXK_PGDN || key == ' ') {
        ex->help_top += 10;
    } else if (key == EXK_PGUP) {
        ex->help_top = ex->help_top > 10 ? ex->help_top - 10 : 0;
    } else {
        ex->modal = MODAL_NONE;
    }
    return EFFECT_REDRAW;
}

unsigned explorer_key(explorer *ex, int key)
{
    switch (ex->modal) {
    case MODAL_INPUT:
        return key_input(ex, key);
    case MODAL_CONFIRM:
        return key_confirm(ex, key);
    case MODAL_PICK:
        return key_pick(ex, key);
    case MODAL_HELP:
        return key_help(ex, key);
    case MODAL_NONE:
        break;
    }
    int n;
    const ex_binding *table = explorer_bindings(&n);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 3 && table[i].keys[k]; k++)
            if (table[i].keys[k] == key) return table[i].action(ex);
    if (key == EXK_ESC) {
        ex->msg[0] = '\0';
        return EFFECT_REDRAW;
    }
    /* Say so, briefly: a key that does nothing silently looks broken. */
    char name[16];
    if (key >= 0x21 && key < 0x7f)
        snprintf(name, sizeof name, "'%c'", key);
    else if (key > 0 && key < 0x20)
        snprintf(name, sizeof name, "Ctrl-%c", key + '@');
    else if (key == ' ')
        snprintf(name, sizeof name, "Space");
    else
        snprintf(name, sizeof name, "that key");
    ex_say(ex, true, "%s does nothing here; ? lists the keys", name);
    return EFFECT_REDRAW;
}
