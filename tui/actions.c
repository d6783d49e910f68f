/* The explorer's key table and its actions. Each action changes the
 * explorer's state through model functions (field_set, scenario_*, zoo_*,
 * presets_*) and returns EFFECT_* flags; none of them computes a latency or
 * judges a value itself. */
#include <math.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "../model/fileio.h"
#include "../model/presets.h"
#include "../model/scenario_io.h"
#include "explorer_internal.h"
#include "export.h"
#include "pareto_view.h"
#include "sensitivity.h"

/* +/- multiply or divide by this: a log step, so a few presses span an order
 * of magnitude either way. */
#define EX_STEP 2.0

static int selected_layer(const explorer *ex)
{
    int l = ex->row[PANE_LAYERS];
    return l >= 0 && l < ex->doc.net.nlayers ? l : -1;
}

/* --- moving around ------------------------------------------------------ */

static unsigned act_pane_next(explorer *ex)
{
    ex->pane = (ex_pane)((ex->pane + 1) % PANE_COUNT);
    return EFFECT_REDRAW;
}

static unsigned act_pane_prev(explorer *ex)
{
    ex->pane = (ex_pane)((ex->pane + PANE_COUNT - 1) % PANE_COUNT);
    return EFFECT_REDRAW;
}

/* In the timeline, PgUp and PgDn scroll its lanes (when they do not all
 * fit) instead of moving the selection. */
unsigned ex_scroll_lanes(explorer *ex, int lanes)
{
    int n = ex_lane_count(ex), vis = ex->lanes_visible > 0 ? ex->lanes_visible : 1;
    if (ex->lanes_total < 0) {
        ex_say(ex, false, "comparing: every compute lane of both timelines is in view");
        return EFFECT_REDRAW;
    }
    if (ex->lanes_total > 0) n = ex->lanes_total; /* comparing: the compute lanes scroll */
    if (n <= vis) {
        ex_say(ex, false, "all %d lanes of the timeline are in view", n);
        return EFFECT_REDRAW;
    }
    int top = ex->lane_scroll >= 0 ? ex->lane_scroll : 0;
    top += lanes;
    if (top > n - vis) top = n - vis;
    if (top < 0) top = 0;
    ex->lane_scroll = top;
    ex_say(ex, false, "timeline lanes %d-%d of %d", top + 1, top + vis, n);
    return EFFECT_REDRAW;
}

static unsigned move_row(explorer *ex, int delta)
{
    ex_pane p = ex->pane == PANE_TIMELINE ? PANE_LAYERS : ex->pane;
    ex->lane_scroll = -1;
    ex->row[p] += delta;
    ex_clamp(ex);
    ex_describe(ex);
    return EFFECT_REDRAW;
}

static unsigned act_down(explorer *ex)
{
    return move_row(ex, 1);
}

static unsigned act_up(explorer *ex)
{
    return move_row(ex, -1);
}

static unsigned act_page_down(explorer *ex)
{
    if (ex->pane == PANE_TIMELINE)
        return ex_scroll_lanes(ex, ex->lanes_visible > 0 ? ex->lanes_visible : 1);
    return move_row(ex, 10);
}

static unsigned act_page_up(explorer *ex)
{
    if (ex->pane == PANE_TIMELINE)
        return ex_scroll_lanes(ex, -(ex->lanes_visible > 0 ? ex->lanes_visible : 1));
    return move_row(ex, -10);
}

static unsigned act_first(explorer *ex)
{
    return move_row(ex, -explorer_rows(ex, ex->pane == PANE_TIMELINE ? PANE_LAYERS : ex->pane));
}

static unsigned act_last(explorer *ex)
{
    return move_row(ex, explorer_rows(ex, ex->pane == PANE_TIMELINE ? PANE_LAYERS : ex->pane));
}

static unsigned act_search(explorer *ex)
{
    ex_input_open(ex, INPUT_SEARCH, "Find: ", "part of a layer's or a device's name;", "");
    return EFFECT_REDRAW;
}

/* Case-insensitive substring. */
static bool name_has(const char *name, const char *part)
{
    size_t n = strlen(part);
    for (const char *p = name; *p; p++)
        if (strncasecmp(p, part, n) == 0) return true;
    return n == 0;
}

/* The next layer (after the selected one, wrapping), else a device, whose
 * name contains `text`. */
static unsigned search_done(explorer *ex, const char *text)
{
    int L = ex->doc.net.nlayers, start = ex->row[PANE_LAYERS];
    for (int k = 1; k <= L; k++) {
        int l = (start + k) % L;
        if (!name_has(ex->doc.net.layers[l].name, text)) continue;
        ex->pane = PANE_LAYERS;
        ex->row[PANE_LAYERS] = l;
        ex->lane_scroll = -1;
        ex_describe(ex);
        return EFFECT_REDRAW;
    }
    for (int d = 0; d < ex->doc.ndevices; d++) {
        if (!name_has(ex->doc.devices[d].name, text)) continue;
        ex->pane = PANE_DEVICES;
        ex->row[PANE_DEVICES] = d;
        ex_describe(ex);
        return EFFECT_REDRAW;
    }
    ex_say(ex, true, "no layer or device name contains '%s'", text);
    return EFFECT_REDRAW;
}

/* The placement under the cursor: the selected baseline's in the
 * Baselines pane, else the optimum on show. */
static const int *placement_here(const explorer *ex, char *name, size_t size)
{
    const tui_outcome *o = ex->shown;
    if (!o || o->in.L != ex->doc.net.nlayers || o->in.D != ex->doc.ndevices) return NULL;
    if (ex->pane == PANE_BASELINES) {
        int k = ex->row[PANE_BASELINES];
        if (k < 0 || k >= o->base.count || !o->base.items[k].place) return NULL;
        snprintf(name, size, "%s", o->base.items[k].name);
        return o->base.items[k].place;
    }
    if (!o->res.place) return NULL;
    char lat[32];
    units_format(o->res.latency, UNIT_TIME, lat, sizeof lat);
    /* A point of the Pareto front on show is what is here. */
    if (!pview_point_text(ex, name, size)) snprintf(name, size, "the optimum as it was (%s)", lat);
    return o->res.place;
}

/* c: the selected baseline (or the current optimum, kept as it is now)
 * drawn under the optimum on the same time axis; c again ends it. */
static unsigned act_compare(explorer *ex)
{
    char name[NN_TEXT_LEN];
    const int *place = placement_here(ex, name, sizeof name);
    if (ex->compare_place && (ex->pane != PANE_BASELINES || strcmp(name, ex->compare_name) == 0)) {
        free(ex->compare_place);
        ex->compare_place = NULL;
        ex_compare_refresh(ex);
        ex_say(ex, false, "comparison off");
        return EFFECT_REDRAW;
    }
    if (!place) {
        ex_say(ex, true,
               "nothing to compare yet: wait for the result (or pick a feasible baseline)");
        return EFFECT_REDRAW;
    }
    /* As long as the result it comes from: the document may have another
     * network already (the monkey test found the overflow). */
    int L = ex->shown->in.L;
    int *copy = malloc((size_t)L * sizeof *copy);
    if (!copy) return EFFECT_REDRAW;
    memcpy(copy, place, (size_t)L * sizeof *copy);
    free(ex->compare_place);
    ex->compare_place = copy;
    ex->compare_len = L;
    str_copy(ex->compare_name, sizeof ex->compare_name, name);
    ex_compare_refresh(ex);
    ex_say(ex, false, "comparing with %s: its timeline is under the optimum's (c again ends it)",
           name);
    return EFFECT_REDRAW;
}

/* P: every layer pinned where the selected baseline (or the optimum) puts
 * it, to tweak from there; one edit, so u undoes it. */
static unsigned act_pin_all(explorer *ex)
{
    char name[NN_TEXT_LEN];
    const int *place = placement_here(ex, name, sizeof name);
    if (!place || !ex->doc.pin) {
        ex_say(ex, true, "P pins a placement: select a feasible baseline, or wait for the result");
        return EFFECT_REDRAW;
    }
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    for (int l = 0; l < ex->doc.net.nlayers; l++)
        ex->doc.pin[l] = place[l];
    char what[256];
    snprintf(what, sizeof what, "pinned every layer to %.200s (u undoes)", name);
    return ex_commit(ex, &before, what);
}

/* The selected device, or -1 with a message saying where to select one. */
static int selected_device(explorer *ex, const char *what)
{
    int d = ex->row[PANE_DEVICES];
    if (ex->pane != PANE_DEVICES || d < 0 || d >= ex->doc.ndevices) {
        ex_say(ex, true, "%s the selected device: select one in the Devices pane first", what);
        return -1;
    }
    return d;
}

/* i and o: where the input starts, where the result must arrive. */
static unsigned set_end(explorer *ex, bool source)
{
    int d = selected_device(ex, source ? "i makes the source" : "o makes the sink");
    if (d < 0) return EFFECT_REDRAW;
    int *end = source ? &ex->doc.source : &ex->doc.sink;
    if (*end == d) {
        ex_say(ex, false, "%s is the %s already", ex->doc.devices[d].name,
               source ? "source" : "sink");
        return EFFECT_REDRAW;
    }
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    char what[256];
    snprintf(what, sizeof what, "%s: %s -> %s",
             source ? "source (the input starts)" : "sink (the result goes)",
             ex->doc.devices[*end].name, ex->doc.devices[d].name);
    *end = d;
    return ex_commit(ex, &before, what);
}

static unsigned act_source(explorer *ex)
{
    return set_end(ex, true);
}

static unsigned act_sink(explorer *ex)
{
    return set_end(ex, false);
}

static unsigned act_tier(explorer *ex)
{
    int d = selected_device(ex, "t changes the tier of");
    if (d < 0) return EFFECT_REDRAW;
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    nn_tier old = ex->doc.devices[d].tier;
    ex->doc.devices[d].tier = (nn_tier)((old + 1) % TIER_COUNT);
    char what[256];
    snprintf(what, sizeof what, "device:%s.tier: %s -> %s", ex->doc.devices[d].name, tier_name(old),
             tier_name(ex->doc.devices[d].tier));
    return ex_commit(ex, &before, what);
}

static unsigned act_rename(explorer *ex)
{
    int d = selected_device(ex, "r renames");
    if (d < 0) return EFFECT_REDRAW;
    char prompt[NN_NAME_LEN + 32];
    snprintf(prompt, sizeof prompt, "Rename %s to: ", ex->doc.devices[d].name);
    ex_input_open(ex, INPUT_RENAME, prompt, "a new name (links, pins and profiles follow);",
                  ex->doc.devices[d].name);
    ex->confirm_index = d;
    return EFFECT_REDRAW;
}

static unsigned rename_done(explorer *ex, const char *name)
{
    int d = ex->confirm_index;
    if (d < 0 || d >= ex->doc.ndevices) return EFFECT_REDRAW;
    if (strcmp(name, ex->doc.devices[d].name) == 0) {
        ex->modal = MODAL_NONE;
        ex_say(ex, false, "unchanged");
        return EFFECT_REDRAW;
    }
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    char why[256], what[256], old[NN_NAME_LEN];
    str_copy(old, sizeof old, ex->doc.devices[d].name);
    if (scenario_rename_device(&ex->doc, d, name, why, sizeof why) != 0) {
        scenario_free(&before);
        snprintf(ex->input_error, sizeof ex->input_error, "refused: %s", why);
        return EFFECT_REDRAW;
    }
    ex->modal = MODAL_NONE;
    snprintf(what, sizeof what, "renamed device %s to %s", old, ex->doc.devices[d].name);
    return ex_commit(ex, &before, what);
}

static unsigned act_pan_left(explorer *ex)
{
    gantt_view_pan(&ex->view, -0.25, ex_timeline_total(ex));
    return EFFECT_REDRAW;
}

static unsigned act_pan_right(explorer *ex)
{
    gantt_view_pan(&ex->view, 0.25, ex_timeline_total(ex));
    return EFFECT_REDRAW;
}

/* Left/right: the value column in devices and links, panning in the
 * timeline (beside the Pareto view: its previous or next point). */
static unsigned act_left(explorer *ex)
{
    if (ex->pane == PANE_TIMELINE && pview_active(ex)) return pview_act_step(ex, -1);
    if (ex->pane == PANE_TIMELINE) return act_pan_left(ex);
    ex->col[ex->pane] = ex_col_step(ex, ex->pane, -1);
    ex_clamp(ex);
    return EFFECT_REDRAW;
}

static unsigned act_right(explorer *ex)
{
    if (ex->pane == PANE_TIMELINE && pview_active(ex)) return pview_act_step(ex, 1);
    if (ex->pane == PANE_TIMELINE) return act_pan_right(ex);
    ex->col[ex->pane] = ex_col_step(ex, ex->pane, 1);
    ex_clamp(ex);
    return EFFECT_REDRAW;
}

static unsigned act_zoom_in(explorer *ex)
{
    gantt_view_zoom(&ex->view, 2, ex_timeline_total(ex));
    return EFFECT_REDRAW;
}

static unsigned act_zoom_out(explorer *ex)
{
    gantt_view_zoom(&ex->view, 0.5, ex_timeline_total(ex));
    return EFFECT_REDRAW;
}

static unsigned act_fit(explorer *ex)
{
    gantt_view_fit(&ex->view, ex_timeline_total(ex));
    return EFFECT_REDRAW;
}

/* --- values ------------------------------------------------------------- */

/* The one path by which the explorer changes a device or link value;
 * `note` (or NULL) goes after what changed. */
static unsigned set_value_note(explorer *ex, const nn_field_ref *ref, double value,
                               const char *note)
{
    char name[2 * NN_NAME_LEN + 48], old[32], now[32], why[256];
    const nn_field_desc *f = field_desc(ref->id);
    field_ref_name(&ex->doc, ref, name, sizeof name);
    units_format(field_get(&ex->doc, ref), f->unit, old, sizeof old);
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    if (!field_set(&ex->doc, ref, value, why, sizeof why)) {
        scenario_free(&before);
        ex_say(ex, true, "refused: %s", why);
        return EFFECT_REDRAW;
    }
    units_format(value, f->unit, now, sizeof now);
    char what[256];
    snprintf(what, sizeof what, "%s: %s -> %s%s", name, old, now, note ? note : "");
    return ex_commit(ex, &before, what);
}

static unsigned set_value(explorer *ex, const nn_field_ref *ref, double value)
{
    return set_value_note(ex, ref, value, NULL);
}

/* The battery column: +, - and Enter turn the flag over. */
static unsigned toggle_battery(explorer *ex, int d)
{
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    nn_device *dev = &ex->doc.devices[d];
    dev->battery = !dev->battery;
    char what[256];
    snprintf(what, sizeof what, "device:%s.battery: %s -> %s%s", dev->name,
             dev->battery ? "false" : "true", dev->battery ? "true" : "false",
             ex->doc.objective == OBJ_BATTERY_ENERGY
                 ? ""
                 : " (counts under the battery-energy objective; O switches)");
    return ex_commit(ex, &before, what);
}

static unsigned step_value(explorer *ex, double factor)
{
    nn_field_ref ref;
    int battery = explorer_selected_battery(ex);
    if (battery >= 0) return toggle_battery(ex, battery);
    if (!explorer_selected_field(ex, &ref)) {
        ex_say(ex, true,
               "+ and - change the selected value of the Devices or Links pane "
               "(Tab moves there)");
        return EFFECT_REDRAW;
    }
    double v = field_get(&ex->doc, &ref);
    if (v == 0) {
        ex_say(ex, true, "%s is 0%s, which no step changes: press Enter to type one",
               field_desc(ref.id)->key,
               ref.id == FIELD_MEMORY_BANDWIDTH || field_desc(ref.id)->unit == UNIT_POWER ||
                       ref.id == FIELD_ENERGY
                   ? " (not given)"
                   : "");
        return EFFECT_REDRAW;
    }
    /* Steps stop at the ends of the accepted range (ranges.h). */
    const nn_field_desc *f = field_desc(ref.id);
    double next = ranges_clamp(f->range, v * factor);
    if (next == 0) next = ranges_range(f->range)->min;
    if (next == v) {
        char range[96];
        ranges_range_text(f->range, range, sizeof range);
        ex_say(ex, true, "%s is at the %s of its range (%s)", f->key, factor > 1 ? "top" : "bottom",
               range);
        return EFFECT_REDRAW;
    }
    if (next != v * factor) {
        /* Stopped short of the step: say so, with the range. */
        char range[96], note[160];
        ranges_range_text(f->range, range, sizeof range);
        snprintf(note, sizeof note, " (clamped to the %s of its range, %s)",
                 factor > 1 ? "top" : "bottom", range);
        return set_value_note(ex, &ref, next, note);
    }
    return set_value(ex, &ref, next);
}

static unsigned act_increase(explorer *ex)
{
    return step_value(ex, EX_STEP);
}

static unsigned act_decrease(explorer *ex)
{
    return step_value(ex, 1 / EX_STEP);
}

static void open_pin_picker(explorer *ex, int layer)
{
    char title[160], text[160];
    snprintf(title, sizeof title, "Pin layer %s to", ex->doc.net.layers[layer].name);
    ex_pick_open(ex, PICK_PIN, title);
    ex_pick_add(ex, "(no pin: the solver chooses)", -1, layer);
    for (int d = 0; d < ex->doc.ndevices; d++) {
        snprintf(text, sizeof text, "%s", ex->doc.devices[d].name);
        ex_pick_add(ex, text, d, layer);
    }
    int cur = ex->doc.pin ? ex->doc.pin[layer] : -1;
    ex->pick_sel = cur + 1;
}

static unsigned act_enter(explorer *ex)
{
    nn_field_ref ref;
    int battery = explorer_selected_battery(ex);
    if (battery >= 0) return toggle_battery(ex, battery);
    if (explorer_selected_field(ex, &ref)) {
        const nn_field_desc *f = field_desc(ref.id);
        char name[2 * NN_NAME_LEN + 48], now[32], prompt[320], note[320];
        field_ref_name(&ex->doc, &ref, name, sizeof name);
        units_format(field_get(&ex->doc, &ref), f->unit, now, sizeof now);
        snprintf(prompt, sizeof prompt, "%s: ", name);
        snprintf(note, sizeof note, "now %s; type a %s such as %s", now, units_kind_name(f->unit),
                 units_kind_example(f->unit));
        ex_input_open(ex, INPUT_VALUE, prompt, note, "");
        ex->input_ref = ref;
        return EFFECT_REDRAW;
    }
    if ((ex->pane == PANE_LAYERS || ex->pane == PANE_TIMELINE) && selected_layer(ex) >= 0) {
        open_pin_picker(ex, selected_layer(ex));
        return EFFECT_REDRAW;
    }
    if (ex->pane == PANE_BASELINES) return act_compare(ex);
    ex_say(ex, true, "Enter types a value in the Devices or Links pane, or pins a layer");
    return EFFECT_REDRAW;
}

/* --- document edits ----------------------------------------------------- */

static unsigned set_pin(explorer *ex, int layer, int device)
{
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    ex->doc.pin[layer] = device;
    char what[256];
    if (device < 0)
        snprintf(what, sizeof what, "unpinned %s", ex->doc.net.layers[layer].name);
    else
        snprintf(what, sizeof what, "pinned %s to %s", ex->doc.net.layers[layer].name,
                 ex->doc.devices[device].name);
    return ex_commit(ex, &before, what);
}

/* p: free -> first device -> ... -> last device -> free. */
static unsigned act_pin(explorer *ex)
{
    int l = selected_layer(ex);
    if ((ex->pane != PANE_LAYERS && ex->pane != PANE_TIMELINE) || l < 0 || !ex->doc.pin) {
        ex_say(ex, true, "p pins the selected layer: select one in the Layers pane first");
        return EFFECT_REDRAW;
    }
    int next = ex->doc.pin[l] + 1;
    if (next >= ex->doc.ndevices) next = -1;
    return set_pin(ex, l, next);
}

static unsigned act_mode(explorer *ex)
{
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    nn_mode old = ex->doc.mode;
    ex->doc.mode = (nn_mode)((old + 1) % MODE_COUNT);
    char what[256];
    /* Kept in the document, but a stream's weights stay resident. */
    snprintf(what, sizeof what, "mode: %s -> %s%s", mode_name(old), mode_name(ex->doc.mode),
             ex->doc.objective == OBJ_THROUGHPUT
                 ? " (applies to the other objectives: throughput keeps weights resident)"
                 : "");
    return ex_commit(ex, &before, what);
}

static unsigned act_objective(explorer *ex)
{
    nn_scenario before;
    if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
    nn_objective old = ex->doc.objective;
    ex->doc.objective = (nn_objective)((old + 1) % OBJ_COUNT);
    char what[256];
    snprintf(what, sizeof what, "objective: %s -> %s", objective_name(old),
             objective_name(ex->doc.objective));
    return ex_commit(ex, &before, what);
}

/* Not an edit of the document: nothing to undo, only a re-solve. */
static unsigned act_engine(explorer *ex)
{
    nn_engine old = ex->engine;
    ex->engine = (nn_engine)((old + 1) % ENGINE_COUNT);
    ex_say(ex, false, "engine: %s %s %s", engine_name(old), ex_arrow(ex), engine_name(ex->engine));
    return EFFECT_REDRAW | EFFECT_RESOLVE;
}

static unsigned act_network(explorer *ex)
{
    ex_pick_open(ex, PICK_NETWORK, "Network (from the zoo)");
    for (int i = 0; i < zoo_count(); i++) {
        char text[160];
        bool current = strcmp(ex->doc.net.zoo, zoo_name(i)) == 0;
        snprintf(text, sizeof text, "%c %-14s %s", current ? '*' : ' ', zoo_name(i),
                 zoo_description(i));
        ex_pick_add(ex, text, i, 0);
        if (current) ex->pick_sel = i;
    }
    return EFFECT_REDRAW;
}

static void open_link_presets(explorer *ex)
{
    char title[160];
    snprintf(title, sizeof title, "Link %s - %s: kind", ex->doc.devices[ex->pick_a].name,
             ex->doc.devices[ex->pick_b].name);
    ex_pick_open(ex, PICK_LINK_PRESET, title);
    for (int i = 0; i < presets_link_count(); i++) {
        const nn_link_preset *p = presets_link_at(i);
        char up[32], down[32], lat[32], text[160];
        units_format(p->bandwidth, UNIT_BIT_RATE, up, sizeof up);
        units_format(p->reverse, UNIT_BIT_RATE, down, sizeof down);
        units_format(p->latency, UNIT_TIME, lat, sizeof lat);
        snprintf(text, sizeof text, "%-9s %s up, %s down, %s - %s", p->name, up, down, lat,
                 p->rationale);
        ex_pick_add(ex, text, i, 0);
    }
}

static unsigned act_add(explorer *ex)
{
    if (ex->pane == PANE_DEVICES) {
        ex_pick_open(ex, PICK_DEVICE_PRESET, "Add a device (from the presets)");
        for (int i = 0; i < presets_device_count(); i++) {
            const nn_device_preset *p = presets_device_at(i);
            char speed[32], mem[32], load[32], text[160];
            units_format(p->speed, UNIT_FLOP_RATE, speed, sizeof speed);
            units_format(p->memory, UNIT_BYTES, mem, sizeof mem);
            units_format(p->load_rate, UNIT_BYTE_RATE, load, sizeof load);
            snprintf(text, sizeof text, "%-15s %-5s %s, %s, load %s - %s", p->name,
                     tier_name(p->tier), speed, mem, load, p->rationale);
            ex_pick_add(ex, text, i, 0);
        }
        return EFFECT_REDRAW;
    }
    if (ex->pane == PANE_LINKS) {
        ex_pick_open(ex, PICK_LINK_PAIR, "Add a link between");
        for (int a = 0; a < ex->doc.ndevices; a++)
            for (int b = a + 1; b < ex->doc.ndevices; b++) {
                if (scenario_find_link(&ex->doc, a, b) >= 0) continue;
                char text[160];
                snprintf(text, sizeof text, "%s - %s", ex->doc.devices[a].name,
                         ex->doc.devices[b].name);
                ex_pick_add(ex, text, a, b);
            }
        if (ex->npick == 0) {
            ex->modal = MODAL_NONE;
            ex_say(ex, true, "every pair of devices already has a link");
        }
        return EFFECT_REDRAW;
    }
    ex_say(ex, true, "a adds a device (in the Devices pane) or a link (in the Links pane)");
    return EFFECT_REDRAW;
}

static unsigned act_delete(explorer *ex)
{
    char text[256];
    int row = ex->row[ex->pane];
    if (ex->pane == PANE_DEVICES && row < ex->doc.ndevices) {
        if (ex->doc.ndevices <= 1) {
            ex_say(ex, true, "the last device cannot be deleted");
            return EFFECT_REDRAW;
        }
        int links = 0, pins = 0;
        for (int i = 0; i < ex->doc.nlinks; i++)
            links += ex->doc.links[i].a == row || ex->doc.links[i].b == row;
        for (int l = 0; ex->doc.pin && l < ex->doc.net.nlayers; l++)
            pins += ex->doc.pin[l] == row;
        snprintf(text, sizeof text, "Delete device %s with its %d link%s and %d pin%s? (y/n)",
                 ex->doc.devices[row].name, links, links == 1 ? "" : "s", pins,
                 pins == 1 ? "" : "s");
        ex_confirm_open(ex, CONFIRM_DELETE_DEVICE, row, text);
        return EFFECT_REDRAW;
    }
    if (ex->pane == PANE_LINKS && row < ex->doc.nlinks) {
        const nn_link *l = &ex->doc.links[row];
        snprintf(text, sizeof text, "Delete the link %s - %s? (y/n)", ex->doc.devices[l->a].name,
                 ex->doc.devices[l->b].name);
        ex_confirm_open(ex, CONFIRM_DELETE_LINK, row, text);
        return EFFECT_REDRAW;
    }
    ex_say(ex, true, "d deletes the selected device or link (in the Devices or Links pane)");
    return EFFECT_REDRAW;
}

/* u and Ctrl-R: one step back or forward through the snapshots. */
static unsigned history_step(explorer *ex, bool redo)
{
    char what[256];
    bool done = redo ? history_redo(&ex->hist, &ex->doc, what, sizeof what)
                     : history_undo(&ex->hist, &ex->doc, what, sizeof what);
    if (!done) {
        ex_say(ex, true, "nothing to %s", redo ? "redo" : "undo");
        return EFFECT_REDRAW;
    }
    ex_clamp(ex);
    ex_say(ex, false, "%s %.240s", redo ? "redid" : "undid", what);
    snprintf(ex->edit_msg, sizeof ex->edit_msg, "%s %.240s", redo ? "redid" : "undid", what);
    return EFFECT_REDRAW | EFFECT_RESOLVE;
}

static unsigned act_undo(explorer *ex)
{
    return history_step(ex, false);
}

static unsigned act_redo(explorer *ex)
{
    return history_step(ex, true);
}

/* --- files -------------------------------------------------------------- */

typedef enum save_outcome { SAVE_DONE, SAVE_FAILED, SAVE_ASKING } save_outcome;

/* What the user has agreed to for one save (carried through the questions in
 * confirm_index). */
enum {
    SAVE_SPLIT_LINKS = 1 << 0,  /* give a hard-linked name its own copy */
    SAVE_OVER_CHANGES = 1 << 1, /* replace a file changed on disk since it was read */
};

/* Whether the file the document was read from (or last saved to) no longer
 * holds that text: someone else changed it meanwhile. */
static bool changed_on_disk(const explorer *ex, const char *path)
{
    if (!ex->saved_text || !ex->path[0] || !fileio_same(path, ex->path)) return false;
    char *now;
    size_t len;
    if (fileio_read(path, ex->saved_len + 1, &now, &len, NULL) != 0) return true;
    bool same = len == ex->saved_len && memcmp(now, ex->saved_text, len) == 0;
    free(now);
    return !same;
}

/* Writes the document to `path`: the text it was opened from with only the
 * edits changed (scenario_patch), replaced atomically. A file changed on
 * disk since it was read, or one with other hard links, is only replaced
 * when `allowed` says the user agreed; otherwise the question is asked and
 * SAVE_ASKING returned. */
static save_outcome save_to(explorer *ex, const char *path, unsigned allowed, char *err_out,
                            size_t err_size)
{
    char *text = NULL, note[768];
    size_t len = 0;
    if (!(allowed & SAVE_OVER_CHANGES) && changed_on_disk(ex, path)) {
        char ask[256];
        snprintf(ask, sizeof ask,
                 "%.80s changed on disk since it was read. Replace it with this version? (y/n)",
                 path);
        str_copy(ex->pending_path, sizeof ex->pending_path, path);
        ex_confirm_open(ex, CONFIRM_CHANGED_ON_DISK, (int)(allowed | SAVE_OVER_CHANGES), ask);
        return SAVE_ASKING;
    }
    int form = scenario_patch_at(ex->saved_text, ex->saved_len, ex->path[0] ? ex->path : NULL, path,
                                 &ex->doc, &text, &len, note, sizeof note);
    if (form < 0) {
        str_copy(err_out, err_size, "out of memory");
        return SAVE_FAILED;
    }
    nn_error err;
    error_clear(&err);
    int rc =
        fileio_replace(path, text, len, allowed & SAVE_SPLIT_LINKS ? FILEIO_SPLIT_LINKS : 0, &err);
    if (rc == FILEIO_LINKED) {
        free(text);
        char ask[256];
        snprintf(ask, sizeof ask,
                 "%.60s has %d hard links: saving gives this name its own copy and leaves the "
                 "others as they are. Save? (y/n)",
                 path, fileio_links(path));
        str_copy(ex->pending_path, sizeof ex->pending_path, path);
        ex_confirm_open(ex, CONFIRM_SPLIT_LINKS, (int)(allowed | SAVE_SPLIT_LINKS), ask);
        return SAVE_ASKING;
    }
    if (rc != 0) {
        free(text);
        str_copy(err_out, err_size, err.message[0] ? err.message : "the save failed");
        return SAVE_FAILED;
    }
    free(ex->saved_text);
    ex->saved_text = text;
    ex->saved_len = len;
    /* The document now lives at `path`: its model path as just written. */
    if (ex->path[0]) scenario_rebase(&ex->doc, ex->path, path);
    nn_scenario copy;
    if (scenario_copy(&copy, &ex->doc) == 0) {
        scenario_free(&ex->saved);
        ex->saved = copy;
    }
    if (path != ex->path) str_copy(ex->path, sizeof ex->path, path);
    /* Losing comments is said, not done silently. */
    if (note[0])
        ex_say(ex, true, "saved to %s; %s", path, note);
    else
        ex_say(ex, false, "saved to %s", path);
    return SAVE_DONE;
}

/* A path as typed: leading blanks dropped, "~/" expanded. False (with the
 * reason in the prompt) when it cannot be used. */
static bool typed_path(explorer *ex, const char *text, char *out, size_t size)
{
    if (!*text) {
        snprintf(ex->input_error, sizeof ex->input_error, "type a path, or Esc to cancel");
        return false;
    }
    if (!fileio_expand_home(text, out, size)) {
        snprintf(ex->input_error, sizeof ex->input_error,
                 "cannot expand '%.200s': no such user or no home directory", text);
        return false;
    }
    return true;
}

static unsigned act_save_as(explorer *ex)
{
    ex_input_open(ex, INPUT_SAVE_AS, "Save as: ", "the path of a .yaml scenario file", ex->path);
    return EFFECT_REDRAW;
}

static unsigned act_save(explorer *ex)
{
    if (!ex->path[0]) return act_save_as(ex);
    char why[768];
    if (save_to(ex, ex->path, 0, why, sizeof why) == SAVE_FAILED)
        ex_say(ex, true, "not saved, %s is unchanged: %s", ex->path, why);
    return EFFECT_REDRAW;
}

static unsigned act_write_lp(explorer *ex)
{
    ex_input_open(ex, INPUT_WRITE_LP,
                  "Write the ILP to: ", "a file for the current ILP, in CPLEX LP format",
                  ex->lp_path[0] ? ex->lp_path : "nnpart.lp");
    return EFFECT_REDRAW;
}

/* Asks the worker to solve and write the LP to `path`; `replace`: the user
 * agreed to replace the file there (else one that appears meanwhile stays). */
static unsigned write_lp_to(explorer *ex, const char *path, bool replace)
{
    str_copy(ex->lp_path, sizeof ex->lp_path, path);
    ex->lp_force = replace;
    ex_say(ex, false, "writing the ILP to %s ...", ex->lp_path);
    return EFFECT_REDRAW | EFFECT_WRITE_LP;
}

static unsigned act_help(explorer *ex)
{
    ex->modal = MODAL_HELP;
    ex->help_top = 0;
    return EFFECT_REDRAW;
}

static unsigned act_quit(explorer *ex)
{
    if (explorer_unsaved(ex)) {
        ex_confirm_open(ex, CONFIRM_QUIT, 0,
                        "There are unsaved changes. Quit without saving? (y/n; n, then s saves)");
        return EFFECT_REDRAW;
    }
    return EFFECT_QUIT;
}

/* --- completions of prompts ---------------------------------------------- */

unsigned actions_input_done(explorer *ex)
{
    const char *text = ex->input;
    while (*text == ' ')
        text++;
    switch (ex->input_kind) {
    case INPUT_VALUE: {
        double v;
        char why[400];
        if (!*text) {
            snprintf(ex->input_error, sizeof ex->input_error,
                     "refused: type a value with its unit, or Esc to cancel");
            return EFFECT_REDRAW;
        }
        if (!field_parse_value(ex->input_ref.id, text, &v, why, sizeof why)) {
            snprintf(ex->input_error, sizeof ex->input_error, "refused: %s", why);
            return EFFECT_REDRAW;
        }
        ex->modal = MODAL_NONE;
        return set_value(ex, &ex->input_ref, v);
    }
    case INPUT_SAVE_AS: {
        char path[EX_PATH_LEN], why[768], ask[256];
        if (!typed_path(ex, text, path, sizeof path)) return EFFECT_REDRAW;
        /* Another existing file is only replaced after a yes. */
        if (fileio_exists(path) && !fileio_same(path, ex->path) && !fileio_is_dir(path)) {
            ex->modal = MODAL_NONE;
            str_copy(ex->pending_path, sizeof ex->pending_path, path);
            snprintf(ask, sizeof ask, "%.200s exists. Replace it? (y/n)", path);
            ex_confirm_open(ex, CONFIRM_REPLACE_FILE, 0, ask);
            return EFFECT_REDRAW;
        }
        ex->modal = MODAL_NONE;
        save_outcome done = save_to(ex, path, 0, why, sizeof why);
        if (done == SAVE_FAILED) {
            ex->modal = MODAL_INPUT;
            snprintf(ex->input_error, sizeof ex->input_error, "not saved: %s", why);
        }
        return EFFECT_REDRAW;
    }
    case INPUT_RENAME:
        return rename_done(ex, text);
    case INPUT_SEARCH:
        ex->modal = MODAL_NONE;
        if (!*text) {
            ex_say(ex, false, "cancelled: nothing to find");
            return EFFECT_REDRAW;
        }
        return search_done(ex, text);
    case INPUT_WRITE_LP: {
        char path[EX_PATH_LEN], ask[256];
        if (!typed_path(ex, text, path, sizeof path)) return EFFECT_REDRAW;
        if (ex->path[0] && fileio_same(path, ex->path)) {
            snprintf(ex->input_error, sizeof ex->input_error,
                     "refused: %.200s is the scenario being edited; write the LP to another file",
                     path);
            return EFFECT_REDRAW;
        }
        ex->modal = MODAL_NONE;
        if (fileio_is_regular(path)) {
            str_copy(ex->pending_path, sizeof ex->pending_path, path);
            snprintf(ask, sizeof ask, "%.200s exists. Replace it with the LP? (y/n)", path);
            ex_confirm_open(ex, CONFIRM_REPLACE_LP, 0, ask);
            return EFFECT_REDRAW;
        }
        return write_lp_to(ex, path, false);
    }
    }
    return EFFECT_REDRAW;
}

unsigned actions_confirm_done(explorer *ex, bool yes)
{
    if (!yes) {
        switch (ex->confirm_kind) {
        case CONFIRM_QUIT:
            ex_say(ex, false, "not quitting");
            break;
        case CONFIRM_REPLACE_FILE:
        case CONFIRM_SPLIT_LINKS:
        case CONFIRM_CHANGED_ON_DISK:
            ex_say(ex, false, "not saved: %s is unchanged", ex->pending_path);
            break;
        case CONFIRM_REPLACE_LP:
            ex_say(ex, false, "the LP was not written: %s is unchanged", ex->pending_path);
            break;
        default:
            ex_say(ex, false, "nothing deleted");
            break;
        }
        return EFFECT_REDRAW;
    }
    nn_scenario before;
    char what[256], why[768];
    int i = ex->confirm_index;
    switch (ex->confirm_kind) {
    case CONFIRM_QUIT:
        return EFFECT_QUIT;
    case CONFIRM_REPLACE_FILE:
    case CONFIRM_SPLIT_LINKS:
    case CONFIRM_CHANGED_ON_DISK: {
        char path[EX_PATH_LEN];
        str_copy(path, sizeof path, ex->pending_path);
        unsigned allowed = ex->confirm_kind == CONFIRM_REPLACE_FILE ? 0 : (unsigned)i;
        if (save_to(ex, path, allowed, why, sizeof why) == SAVE_FAILED)
            ex_say(ex, true, "not saved, %s is unchanged: %s", path, why);
        return EFFECT_REDRAW;
    }
    case CONFIRM_REPLACE_LP:
        return write_lp_to(ex, ex->pending_path, true);
    case CONFIRM_DELETE_DEVICE:
        if (i >= ex->doc.ndevices || ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
        snprintf(what, sizeof what, "deleted device %s", ex->doc.devices[i].name);
        if (scenario_remove_device(&ex->doc, i) != 0) {
            scenario_free(&before);
            ex_say(ex, true, "the last device cannot be deleted");
            return EFFECT_REDRAW;
        }
        return ex_commit(ex, &before, what);
    case CONFIRM_DELETE_LINK: {
        if (i >= ex->doc.nlinks || ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
        const nn_link *l = &ex->doc.links[i];
        snprintf(what, sizeof what, "deleted the link %s - %s", ex->doc.devices[l->a].name,
                 ex->doc.devices[l->b].name);
        if (scenario_remove_link(&ex->doc, i) != 0) {
            scenario_free(&before);
            return EFFECT_REDRAW;
        }
        return ex_commit(ex, &before, what);
    }
    }
    return EFFECT_REDRAW;
}

/* A name not yet taken: "phone", else "phone-2", "phone-3", ... */
static void unique_device_name(const nn_scenario *s, const char *base, char *out, size_t size)
{
    str_copy(out, size, base);
    for (int k = 2; scenario_find_device(s, out) >= 0; k++)
        snprintf(out, size, "%.*s-%d", NN_NAME_LEN - 12, base, k);
}

unsigned actions_pick_done(explorer *ex, const ex_pick_item *item)
{
    nn_scenario before;
    char what[256];
    switch (ex->pick_kind) {
    case PICK_NETWORK: {
        nn_network net = {0};
        const char *name = zoo_name(item->a);
        if (zoo_build(name, &net) != 0) {
            network_free(&net);
            ex_say(ex, true, "cannot build the network %s", name);
            return EFFECT_REDRAW;
        }
        if (ex_begin(ex, &before) != 0) {
            network_free(&net);
            return EFFECT_REDRAW;
        }
        snprintf(what, sizeof what, "network: %s -> %s", ex->doc.net.name, net.name);
        if (scenario_set_network(&ex->doc, &net) != 0) {
            network_free(&net);
            scenario_free(&before);
            ex_say(ex, true, "out of memory: the network was not changed");
            return EFFECT_REDRAW;
        }
        ex->row[PANE_LAYERS] = 0;
        gantt_view_fit(&ex->view, 0);
        return ex_commit(ex, &before, what);
    }
    case PICK_DEVICE_PRESET: {
        const nn_device_preset *p = presets_device_at(item->a);
        nn_device dev = {
            .tier = p->tier, .speed = p->speed, .memory = p->memory, .load_rate = p->load_rate};
        unique_device_name(&ex->doc, p->name, dev.name, sizeof dev.name);
        if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
        int idx = scenario_add_device(&ex->doc, &dev);
        if (idx < 0) {
            char why[320];
            if (!ranges_check_size(ex->doc.net.nlayers, ex->doc.ndevices + 1, why, sizeof why))
                ex_say(ex, true, "cannot add a device: %s", why);
            else
                ex_say(ex, true, "cannot add a device: at most %d devices", NN_MAX_DEVICES);
            scenario_free(&before);
            return EFFECT_REDRAW;
        }
        ex->row[PANE_DEVICES] = idx;
        snprintf(what, sizeof what, "added device %s (a link in the Links pane connects it)",
                 dev.name);
        return ex_commit(ex, &before, what);
    }
    case PICK_LINK_PAIR:
        ex->pick_a = item->a;
        ex->pick_b = item->b;
        open_link_presets(ex);
        return EFFECT_REDRAW;
    case PICK_LINK_PRESET: {
        const nn_link_preset *p = presets_link_at(item->a);
        nn_link link = {.a = ex->pick_a,
                        .b = ex->pick_b,
                        .bandwidth = p->bandwidth,
                        .reverse = p->reverse,
                        .reverse_given = p->reverse != p->bandwidth,
                        .latency = p->latency};
        if (ex_begin(ex, &before) != 0) return EFFECT_REDRAW;
        int idx = scenario_add_link(&ex->doc, &link);
        if (idx < 0) {
            scenario_free(&before);
            ex_say(ex, true, "cannot add that link");
            return EFFECT_REDRAW;
        }
        ex->row[PANE_LINKS] = idx;
        snprintf(what, sizeof what, "added a %s link %s - %s", p->name,
                 ex->doc.devices[link.a].name, ex->doc.devices[link.b].name);
        return ex_commit(ex, &before, what);
    }
    case PICK_PIN:
        if (item->b >= ex->doc.net.nlayers || !ex->doc.pin) return EFFECT_REDRAW;
        if (ex->doc.pin[item->b] == item->a) {
            ex_say(ex, false, "unchanged");
            return EFFECT_REDRAW;
        }
        return set_pin(ex, item->b, item->a);
    }
    return EFFECT_REDRAW;
}

/* --- the views: sensitivity (v) and the Pareto front (F) --------------------- */

/* One view at a time takes the timeline's place. */
static unsigned act_sensitivity(explorer *ex)
{
    if (!sens_active(ex) && pview_active(ex) && explorer_selected_field(ex, &(nn_field_ref){0}))
        pview_act_toggle(ex);
    return sens_act_toggle(ex);
}

/* ] and [: along the Pareto front when it is open, else to the sensitivity
 * view's next change of placement. */
static unsigned act_next(explorer *ex)
{
    return pview_active(ex) ? pview_act_step(ex, 1) : sens_act_next_break(ex);
}

static unsigned act_prev(explorer *ex)
{
    return pview_active(ex) ? pview_act_step(ex, -1) : sens_act_prev_break(ex);
}

/* --- the table ----------------------------------------------------------- */

#define V EX_HINT_VALUES
#define LY EX_HINT_LAYERS
#define TL EX_HINT_PANE(PANE_TIMELINE)
#define ALL EX_HINT_ALL
static const ex_binding BINDINGS[] = {
    {.keys = {EXK_TAB},
     .names = "Tab",
     .action = act_pane_next,
     .help = "next pane",
     .hint = "pane",
     .hint_panes = ALL,
     .hint_rank = 1},
    {.keys = {EXK_BTAB}, .names = "Shift-Tab", .action = act_pane_prev, .help = "previous pane"},
    {.keys = {EXK_DOWN, 'j'},
     .names = "j Down",
     .action = act_down,
     .help = "next row",
     .hint = "select",
     .hint_panes = ALL,
     .hint_rank = 2},
    {.keys = {EXK_UP, 'k'},
     .names = "k Up",
     .action = act_up,
     .help = "previous row",
     .hint = "select",
     .hint_panes = ALL,
     .hint_rank = 2},
    {.keys = {EXK_LEFT, 'h'},
     .names = "h Left",
     .action = act_left,
     .help = "previous value column; in the timeline, pan earlier",
     .hint = "column",
     .hint_panes = V,
     .hint_rank = 3},
    {.keys = {EXK_RIGHT, 'l'},
     .names = "l Right",
     .action = act_right,
     .help = "next value column; in the timeline, pan later",
     .hint = "column",
     .hint_panes = V,
     .hint_rank = 3},
    {.keys = {'g', EXK_HOME}, .names = "g Home", .action = act_first, .help = "first row"},
    {.keys = {'G', EXK_END}, .names = "G End", .action = act_last, .help = "last row"},
    {.keys = {'/'},
     .names = "/",
     .action = act_search,
     .help = "find a layer or a device by part of its name",
     .hint = "find",
     .hint_panes = ALL,
     .hint_rank = 3},
    {.keys = {EXK_PGDN},
     .names = "PgDn",
     .action = act_page_down,
     .help = "ten rows down; in the timeline, the next lanes"},
    {.keys = {EXK_PGUP},
     .names = "PgUp",
     .action = act_page_up,
     .help = "ten rows up; in the timeline, the lanes before"},
    {.keys = {'+', '='},
     .names = "+ =",
     .action = act_increase,
     .help = "multiply the selected value by 2 (a log step)",
     .hint = "double/halve",
     .hint_panes = V,
     .hint_rank = 1},
    {.keys = {'-', '_'},
     .names = "- _",
     .action = act_decrease,
     .help = "divide the selected value by 2 (a log step)",
     .hint = "double/halve",
     .hint_panes = V,
     .hint_rank = 1},
    {.keys = {EXK_ENTER, '\r'},
     .names = "Enter",
     .action = act_enter,
     .help = "type an exact value with its unit (Esc cancels); on a layer, choose its pin; "
             "on a baseline, compare it",
     .hint = "edit",
     .hint_panes = V | EX_HINT_PANE(PANE_LAYERS),
     .hint_rank = 2},
    {.keys = {'p'},
     .names = "p",
     .action = act_pin,
     .help = "pin the selected layer to the next device, or unpin it",
     .hint = "pin",
     .hint_panes = LY,
     .hint_rank = 1},
    {.keys = {'c'},
     .names = "c",
     .action = act_compare,
     .help = "compare: the selected baseline's timeline (elsewhere: the optimum as it is now) "
             "under the optimum's, on one time axis; c again ends it",
     .hint = "compare",
     .hint_panes = EX_HINT_PANE(PANE_BASELINES) | EX_HINT_PANE(PANE_TIMELINE),
     .hint_rank = 1},
    {.keys = {'P'},
     .names = "P",
     .action = act_pin_all,
     .help = "pin every layer where the selected baseline (or the placement on show) puts it",
     .hint = "pin-all",
     .hint_panes = EX_HINT_PANE(PANE_BASELINES),
     .hint_rank = 2},
    {.keys = {'i'},
     .names = "i",
     .action = act_source,
     .help = "make the selected device the source: the network's input starts there",
     .hint = "source",
     .hint_panes = EX_HINT_PANE(PANE_DEVICES),
     .hint_rank = 3},
    {.keys = {'o'},
     .names = "o",
     .action = act_sink,
     .help = "make the selected device the sink: the result must arrive there",
     .hint = "sink",
     .hint_panes = EX_HINT_PANE(PANE_DEVICES),
     .hint_rank = 3},
    {.keys = {'r'},
     .names = "r",
     .action = act_rename,
     .help = "rename the selected device (links, pins and profiles follow)",
     .hint = "rename",
     .hint_panes = EX_HINT_PANE(PANE_DEVICES),
     .hint_rank = 3},
    {.keys = {'t'},
     .names = "t",
     .action = act_tier,
     .help = "next tier of the selected device: edge, hub, cloud",
     .hint = "tier",
     .hint_panes = EX_HINT_PANE(PANE_DEVICES),
     .hint_rank = 3},
    {.keys = {'m'},
     .names = "m",
     .action = act_mode,
     .help = "next mode: preload, ondemand, resident",
     .hint = "mode",
     .hint_panes = ALL,
     .hint_rank = 3},
    {.keys = {'O'},
     .names = "O",
     .action = act_objective,
     .help = "next objective: latency, energy, battery-energy, throughput",
     .hint = "objective",
     .hint_panes = ALL,
     .hint_rank = 4},
    {.keys = {'n'},
     .names = "n",
     .action = act_network,
     .help = "choose the network from the zoo",
     .hint = "network",
     .hint_panes = ALL,
     .hint_rank = 3},
    {.keys = {'a'},
     .names = "a",
     .action = act_add,
     .help = "add a device (Devices pane) or a link (Links pane)",
     .hint = "add",
     .hint_panes = V,
     .hint_rank = 3},
    {.keys = {'d'},
     .names = "d",
     .action = act_delete,
     .help = "delete the selected device or link (asks first)",
     .hint = "delete",
     .hint_panes = V,
     .hint_rank = 3},
    {.keys = {'u'},
     .names = "u",
     .action = act_undo,
     .help = "undo the last edit (any kind)",
     .hint = "undo",
     .hint_panes = ALL,
     .hint_rank = 2},
    {.keys = {EXK_CTRL('r')},
     .names = "Ctrl-R",
     .action = act_redo,
     .help = "redo",
     .hint = "redo",
     .hint_panes = ALL,
     .hint_rank = 3},
    {.keys = {'z'},
     .names = "z",
     .action = act_zoom_in,
     .help = "zoom the timeline in",
     .hint = "zoom",
     .hint_panes = TL,
     .hint_rank = 1},
    {.keys = {'Z'},
     .names = "Z",
     .action = act_zoom_out,
     .help = "zoom the timeline out",
     .hint = "zoom",
     .hint_panes = TL,
     .hint_rank = 1},
    {.keys = {'<', ','},
     .names = "< ,",
     .action = act_pan_left,
     .help = "pan the timeline earlier",
     .hint = "pan",
     .hint_panes = TL,
     .hint_rank = 2},
    {.keys = {'>', '.'},
     .names = "> .",
     .action = act_pan_right,
     .help = "pan the timeline later",
     .hint = "pan",
     .hint_panes = TL,
     .hint_rank = 2},
    {.keys = {'f'},
     .names = "f",
     .action = act_fit,
     .help = "fit the whole timeline to the width",
     .hint = "fit",
     .hint_panes = TL,
     .hint_rank = 2},
    {.keys = {'v'},
     .names = "v",
     .action = act_sensitivity,
     .help = "sensitivity: the optimum on the objective and the best baseline over x1/100 .. x100 "
             "of the selected value, changes of placement marked; v again ends it",
     .hint = "sensitivity",
     .hint_panes = V,
     .hint_rank = 2},
    {.keys = {'F'},
     .names = "F",
     .action = pview_act_toggle,
     .help = "Pareto view: the exact latency-energy front (nnpart pareto; battery energy under "
             "battery-energy) beside the timeline, the optimum's point marked; ] and [ (Left "
             "and Right in the timeline) step along it; F again ends it",
     .hint = "front",
     .hint_panes = ALL,
     .hint_rank = 3},
    {.keys = {']'},
     .names = "]",
     .action = act_next,
     .help = "in the Pareto view, show the next point (slower, less energy) in the optimum's "
             "place; in the sensitivity view, move the value just past the next change of "
             "placement above",
     .hint = "change",
     .hint_panes = V,
     .hint_rank = 3},
    {.keys = {'['},
     .names = "[",
     .action = act_prev,
     .help = "in the Pareto view, show the previous point (faster, more energy); in the "
             "sensitivity view, move the value just past the next change of placement below",
     .hint = "change",
     .hint_panes = V,
     .hint_rank = 3},
    {.keys = {'e'},
     .names = "e",
     .action = export_act_view,
     .help = "export the view (the timeline, the sensitivity plot, or the Pareto front) as SVG "
             "next to the scenario; never over an existing file",
     .hint = "export",
     .hint_panes = ALL,
     .hint_rank = 3},
    {.keys = {'s'},
     .names = "s",
     .action = act_save,
     .help = "save to the opened file, changing only what was edited (asks for a path the "
             "first time)",
     .hint = "save",
     .hint_panes = ALL,
     .hint_rank = 3},
    {.keys = {'S'},
     .names = "S",
     .action = act_save_as,
     .help = "save as another file (asks before replacing one; ~/ is your home)"},
    {.keys = {'w'},
     .names = "w",
     .action = act_write_lp,
     .help = "write the current ILP as a CPLEX LP file (asks before replacing one, never over "
             "the scenario)"},
    {.keys = {'E'},
     .names = "E",
     .action = act_engine,
     .help = "next engine: auto (labels and ILP racing), ilp, labels"},
    {.keys = {'?', EXK_F1},
     .names = "? F1",
     .action = act_help,
     .help = "this help",
     .hint = "help",
     .hint_panes = ALL,
     .hint_rank = 1},
    {.keys = {'q', EXK_F10, EXK_CTRL('c')},
     .names = "q F10 Ctrl-C",
     .action = act_quit,
     .help = "quit (asks when there are unsaved changes)",
     .hint = "quit",
     .hint_panes = ALL,
     .hint_rank = 1},
};
#undef V
#undef LY
#undef TL
#undef ALL

const ex_binding *explorer_bindings(int *count)
{
    *count = (int)(sizeof BINDINGS / sizeof BINDINGS[0]);
    return BINDINGS;
}

static const char *const HELP_HEAD[] = {
    "nnpart explorer: where should each layer run?",
    /* One string a paragraph: the help box wraps them to its width. */
    "Every edit re-solves: the label engine and the ILP race (E picks one). The timeline "
    "shows per device the weight loading (above) and the compute (below), per link the "
    "transfers.",
    "Values take units: 20 GFLOP/s, 2 GB, 80 MB/s, 300 Mbit/s, 2 ms.",
    "",
    "Keys",
};

static const char *const HELP_TAIL[] = {
    "",
    "Mouse: a click selects a row or a timeline bar (and says what it is, as the keys do); "
    "the wheel scrolls the pane under it (the timeline: its lanes).",
};

bool explorer_help_line(int i, char *buf, size_t size)
{
    int head = (int)(sizeof HELP_HEAD / sizeof HELP_HEAD[0]);
    int nkeys = (int)(sizeof BINDINGS / sizeof BINDINGS[0]);
    int tail = (int)(sizeof HELP_TAIL / sizeof HELP_TAIL[0]);
    if (i < 0) return false;
    if (i < head) {
        str_copy(buf, size, HELP_HEAD[i]);
        return true;
    }
    i -= head;
    if (i < nkeys) {
        snprintf(buf, size, "  %-12s %s", BINDINGS[i].names, BINDINGS[i].help);
        return true;
    }
    i -= nkeys;
    if (i < tail) {
        str_copy(buf, size, HELP_TAIL[i]);
        return true;
    }
    return false;
}

bool explorer_help_wrapped(int width, int i, char *buf, size_t size)
{
    char line[512];
    int indent = 0;
    /* Walk the logical lines, breaking each at blanks; continuations of a
     * key's help line up under its text. */
    for (int k = 0; explorer_help_line(k, line, sizeof line); k++) {
        indent = strncmp(line, "  ", 2) == 0 && line[2] != ' ' ? 15 : 0;
        const char *p = line;
        bool first = true;
        do {
            int avail = width - (first ? 0 : indent);
            if (avail < 10) avail = 10;
            int len = (int)strlen(p), cut = len;
            if (len > avail) {
                cut = avail;
                while (cut > 0 && p[cut] != ' ')
                    cut--;
                if (cut == 0) cut = avail;
            }
            if (i-- == 0) {
                snprintf(buf, size, "%*s%.*s", first ? 0 : indent, "", cut, p);
                return true;
            }
            p += cut;
            while (*p == ' ')
                p++;
            first = false;
        } while (*p);
    }
    return false;
}

/* Shortest display name of a key: the first of its names, Ctrl-X as ^X. */
static void key_short(const char *names, char *buf, size_t size)
{
    size_t n = strcspn(names, " ");
    if (n > 5 && strncmp(names, "Ctrl-", 5) == 0)
        snprintf(buf, size, "^%.*s", (int)(n - 5), names + 5);
    else
        snprintf(buf, size, "%.*s", (int)n, names);
}

#define HINT_MAX 32

void explorer_hint_line(ex_pane pane, int width, char *buf, size_t size)
{
    /* Gather the pane's hints, merging neighbours that share a word. */
    struct {
        char text[48];
        int rank;
        bool shown;
    } item[HINT_MAX];
    int n = 0, nb = (int)(sizeof BINDINGS / sizeof BINDINGS[0]);
    for (int i = 0; i < nb && n < HINT_MAX; i++) {
        const ex_binding *b = &BINDINGS[i];
        if (!b->hint || !(b->hint_panes & EX_HINT_PANE(pane))) continue;
        char keys[32], key[16];
        key_short(b->names, keys, sizeof keys);
        while (i + 1 < nb && BINDINGS[i + 1].hint && strcmp(BINDINGS[i + 1].hint, b->hint) == 0 &&
               (BINDINGS[i + 1].hint_panes & EX_HINT_PANE(pane))) {
            key_short(BINDINGS[++i].names, key, sizeof key);
            size_t len = strlen(keys);
            snprintf(keys + len, sizeof keys - len, "/%s", key);
        }
        snprintf(item[n].text, sizeof item[n].text, "%s %s", keys, b->hint);
        item[n].rank = b->hint_rank;
        item[n].shown = true;
        n++;
    }
    /* Two blanks between hints and one before the first; by rank, the
     * latest in the table leave first. */
    int total = 0;
    for (int k = 0; k < n; k++)
        total += 2 + (int)strlen(item[k].text);
    for (int rank = 3; rank > 1; rank--)
        for (int k = n - 1; k >= 0 && total - 1 > width; k--)
            if (item[k].rank == rank) {
                item[k].shown = false;
                total -= 2 + (int)strlen(item[k].text);
            }
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < n && len + 1 < size; k++) {
        if (!item[k].shown) continue;
        int m = snprintf(buf + len, size - len, "%s%s", len ? "  " : " ", item[k].text);
        if (m < 0) break;
        len += (size_t)m;
        if (len >= size) len = size - 1;
    }
}
