/* Saves keep the user's text: for every file in configs/ and tests/patch/,
 * every single edit the explorer can make (each value of each device and
 * link, the mode, pins set, changed and cleared, devices and links added and
 * deleted, the network) is saved with scenario_patch, and
 *   - the text reloads to the edited scenario, patched (not rewritten);
 *   - outside the lines the edit owns, not one byte changed (a line diff
 *     against spans found here with libyaml), and for a value the file
 *     spells out, not one byte outside that value;
 *   - saving the result again changes nothing.
 * Then the fallbacks: a section the patcher cannot reproduce is written
 * whole, a text it cannot patch is written fresh, each with a note. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include <cmocka.h>

#include "field.h"
#include "helpers_edit.h"
#include "helpers_io.h"
#include "scenario_io.h"

/* ---- where things are in a text (found independently of the patcher) ---- */

typedef struct text_map {
    const char *text;
    size_t len;
    size_t *line_at; /* byte where each line starts */
    int nlines;
    size_t bom;
    yaml_document_t doc;
    yaml_node_t *root;
} text_map;

static void map_open(text_map *m, const char *text, size_t len)
{
    *m = (text_map){.text = text, .len = len};
    m->bom = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    m->line_at = malloc((len + 2) * sizeof *m->line_at);
    assert_non_null(m->line_at);
    m->line_at[m->nlines++] = m->bom;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n') m->line_at[m->nlines++] = i + 1;
    yaml_parser_t p;
    assert_true(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    assert_true(yaml_parser_load(&p, &m->doc));
    yaml_parser_delete(&p);
    m->root = yaml_document_get_root_node(&m->doc);
    assert_non_null(m->root);
}

static void map_close(text_map *m)
{
    yaml_document_delete(&m->doc);
    free(m->line_at);
}

/* A mark's byte offset: its line's start, then `column` UTF-8 characters. */
static size_t byte_of(const text_map *m, yaml_mark_t mark)
{
    size_t b = m->line_at[mark.line];
    for (size_t c = 0; c < mark.column; c++) {
        b++;
        while (b < m->len && ((unsigned char)m->text[b] & 0xc0) == 0x80)
            b++;
    }
    return b;
}

static yaml_node_t *nd(text_map *m, int id)
{
    return yaml_document_get_node(&m->doc, id);
}

static yaml_node_t *map_value(text_map *m, yaml_node_t *map, const char *key, yaml_node_t **k)
{
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *kn = nd(m, p->key);
        if (strcmp((const char *)kn->data.scalar.value, key) == 0) {
            if (k) *k = kn;
            return nd(m, p->value);
        }
    }
    return NULL;
}

static yaml_node_t *item(text_map *m, yaml_node_t *seq, int i)
{
    return nd(m, seq->data.sequence.items.start[i]);
}

/* Lines a node occupies (a block collection's by its last descendant). */
static int last_line(text_map *m, yaml_node_t *n)
{
    bool block =
        (n->type == YAML_MAPPING_NODE && n->data.mapping.style != YAML_FLOW_MAPPING_STYLE) ||
        (n->type == YAML_SEQUENCE_NODE && n->data.sequence.style != YAML_FLOW_SEQUENCE_STYLE);
    if (!block) return (int)n->end_mark.line;
    int last = (int)n->start_mark.line;
    if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            int l = last_line(m, nd(m, p->value));
            if (l > last) last = l;
        }
    } else {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            int l = last_line(m, nd(m, *it));
            if (l > last) last = l;
        }
    }
    return last;
}

/* ---- what an edit may touch ------------------------------------------- */

typedef struct allowed {
    int first[16], last[16]; /* line ranges that may change; insertions up to last + 1 */
    int n;
    size_t span_start, span_end; /* with `exact`: the only bytes that may change */
    bool exact;
} allowed;

static void allow_lines(allowed *a, int first, int last)
{
    assert_true(a->n < 16);
    a->first[a->n] = first;
    a->last[a->n] = last;
    a->n++;
}

static void allow_node(allowed *a, text_map *m, yaml_node_t *n)
{
    allow_lines(a, (int)n->start_mark.line, last_line(m, n));
}

/* A top-level key's whole entry, or (absent) new lines after the last one. */
static void allow_top(allowed *a, text_map *m, const char *key)
{
    yaml_node_t *k = NULL, *v = map_value(m, m->root, key, &k);
    if (v)
        allow_lines(a, (int)k->start_mark.line, last_line(m, v));
    else
        allow_lines(a, last_line(m, m->root) + 1, last_line(m, m->root));
}

/* Exactly the bytes of a scalar the file spells out; else the entry (or the
 * place of the missing top-level key). */
static void allow_value(allowed *a, text_map *m, yaml_node_t *entry, const char *key)
{
    yaml_node_t *v = map_value(m, entry, key, NULL);
    if (v && v->type == YAML_SCALAR_NODE) {
        a->exact = true;
        a->span_start = byte_of(m, v->start_mark);
        a->span_end = byte_of(m, v->end_mark);
        allow_node(a, m, v);
    } else if (entry == m->root) {
        allow_top(a, m, key);
    } else {
        allow_node(a, m, entry);
    }
}

static yaml_node_t *entry_of(text_map *m, const char *section, int i)
{
    yaml_node_t *seq = map_value(m, m->root, section, NULL);
    assert_non_null(seq);
    assert_true(i < (int)(seq->data.sequence.items.top - seq->data.sequence.items.start));
    return item(m, seq, i);
}

/* ---- checking a patched text ------------------------------------------ */

typedef struct lines {
    const char **at;
    size_t *len;
    int n;
} lines;

static void lines_split(lines *l, const char *t, size_t len)
{
    l->at = malloc((len + 2) * sizeof *l->at);
    l->len = malloc((len + 2) * sizeof *l->len);
    assert_true(l->at && l->len);
    l->n = 0;
    size_t s = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || t[i] == '\n') {
            if (i == len && s == len) break;
            l->at[l->n] = t + s;
            l->len[l->n] = i - s;
            l->n++;
            s = i + 1;
        }
    }
}

static bool line_eq(const lines *a, int i, const lines *b, int j)
{
    return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

static bool line_allowed(const allowed *a, int line, bool insertion)
{
    for (int k = 0; k < a->n; k++)
        if (line >= a->first[k] && line <= a->last[k] + (insertion ? 1 : 0)) return true;
    return false;
}

/* Longest common subsequence of lines; every base line outside it must be
 * allowed to change, and every inserted line must sit in an allowed place. */
static void check_lines(const char *what, const char *base, size_t blen, const char *out,
                        size_t olen, const allowed *a)
{
    lines x, y;
    lines_split(&x, base, blen);
    lines_split(&y, out, olen);
    int n = x.n, m = y.n;
    int *dp = calloc((size_t)(n + 1) * (size_t)(m + 1), sizeof *dp);
    assert_non_null(dp);
#define DP(i, j) dp[(size_t)(i) * (size_t)(m + 1) + (size_t)(j)]
    for (int i = n - 1; i >= 0; i--)
        for (int j = m - 1; j >= 0; j--)
            DP(i, j) = line_eq(&x, i, &y, j)
                           ? DP(i + 1, j + 1) + 1
                           : (DP(i + 1, j) > DP(i, j + 1) ? DP(i + 1, j) : DP(i, j + 1));
    int i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && line_eq(&x, i, &y, j)) {
            i++;
            j++;
        } else if (j < m && (i == n || DP(i, j + 1) >= DP(i + 1, j))) {
            if (!line_allowed(a, i, true))
                fail_msg("%s: line '%.*s' inserted before line %d, outside the edit", what,
                         (int)y.len[j], y.at[j], i + 1);
            j++;
        } else {
            if (!line_allowed(a, i, false))
                fail_msg("%s: line %d '%.*s' changed, outside the edit", what, i + 1, (int)x.len[i],
                         x.at[i]);
            i++;
        }
    }
#undef DP
    free(dp);
    free(x.at);
    free(x.len);
    free(y.at);
    free(y.len);
}

static void check_bytes(const char *what, const char *base, size_t blen, const char *out,
                        size_t olen, const allowed *a)
{
    size_t pre = 0;
    while (pre < blen && pre < olen && base[pre] == out[pre])
        pre++;
    size_t suf = 0;
    while (suf < blen - pre && suf < olen - pre && base[blen - 1 - suf] == out[olen - 1 - suf])
        suf++;
    if (pre == blen && pre == olen) fail_msg("%s: nothing changed", what);
    if (pre < a->span_start || blen - suf > a->span_end)
        fail_msg("%s: bytes %zu..%zu changed, but only the value at %zu..%zu was edited", what, pre,
                 blen - suf, a->span_start, a->span_end);
}

static int patched_total; /* edits checked, reported at the end */

/* Saves `edited` over `base` and checks everything the header lists. */
static void check_edit_form(const char *file, const char *what, const char *base, size_t blen,
                            const nn_scenario *edited, const allowed *a, int want_form,
                            const char *want_note)
{
    char label[512], note[768], why[256];
    snprintf(label, sizeof label, "%s, %s", file, what);
    char *out;
    size_t olen;
    int form = scenario_patch(base, blen, edited, &out, &olen, note, sizeof note);
    if (form != want_form) fail_msg("%s: form %d, note '%s'", label, form, note);
    assert_string_equal(note, want_note);
    nn_scenario back;
    nn_error err;
    if (scenario_load_string(out, olen, "patched.yaml", &back, &err) != 0)
        fail_msg("%s: the patched text does not load: %s\n%s", label, err.message, out);
    if (!scenario_equal(&back, edited, why, sizeof why))
        fail_msg("%s: reloads differently: %s\n%s", label, why, out);
    scenario_free(&back);
    check_lines(label, base, blen, out, olen, a);
    if (a->exact) check_bytes(label, base, blen, out, olen, a);
    /* Saving again changes nothing. */
    char *again;
    size_t alen;
    assert_int_equal(scenario_patch(out, olen, edited, &again, &alen, note, sizeof note),
                     PATCH_KEPT);
    assert_int_equal(alen, olen);
    assert_memory_equal(again, out, olen);
    free(again);
    free(out);
    patched_total++;
}

static void check_edit(const char *file, const char *what, const char *base, size_t blen,
                       const nn_scenario *edited, const allowed *a)
{
    check_edit_form(file, what, base, blen, edited, a, PATCH_KEPT, "");
}

/* An inline network is written whole when it changes, and that is said. */
static const char *const NETWORK_NOTE =
    "rewrote network in nnpart's layout (comments inside it are gone); the rest is kept as "
    "written";

/* ---- every edit of one file ------------------------------------------- */

static void load_copy(const char *text, size_t len, nn_scenario *s)
{
    nn_error err;
    if (scenario_load_string(text, len, "base.yaml", s, &err) != 0) fail_msg("%s", err.message);
}

static void edit_fields(const char *file, const char *text, size_t len, text_map *m)
{
    nn_scenario s;
    load_copy(text, len, &s);
    for (int id = 0; id < FIELD_COUNT; id++) {
        const nn_field_desc *f = field_desc((nn_field_id)id);
        int count = f->owner == FIELD_DEVICE ? s.ndevices : s.nlinks;
        for (int i = 0; i < count; i++) {
            nn_scenario e;
            assert_int_equal(scenario_copy(&e, &s), 0);
            nn_field_ref ref = {.id = (nn_field_id)id, .index = i};
            char why[256], what[160];
            double v = field_get(&e, &ref);
            /* An absent value (0) gets one inside its range. */
            double cap = ranges_range(f->range)->max, set = v > 0 ? v * 2 : (cap < 1e6 ? cap : 1e6);
            if (!field_set(&e, &ref, set, why, sizeof why)) fail_msg("%s", why);
            field_ref_name(&e, &ref, what, sizeof what);
            allowed a = {.n = 0};
            yaml_node_t *entry = entry_of(m, f->owner == FIELD_DEVICE ? "devices" : "links", i);
            allow_value(&a, m, entry, f->key);
            /* An undivided link's bandwidth sets both ways: its reverse may be
             * absent, its bandwidth line is the one to change. */
            check_edit(file, what, text, len, &e, &a);
            scenario_free(&e);
        }
    }
    scenario_free(&s);
}

static void edit_scalars(const char *file, const char *text, size_t len, text_map *m)
{
    nn_scenario s, e;
    load_copy(text, len, &s);

    assert_int_equal(scenario_copy(&e, &s), 0);
    e.mode = (nn_mode)((e.mode + 1) % MODE_COUNT);
    allowed a = {.n = 0};
    allow_value(&a, m, m->root, "mode");
    check_edit(file, "mode", text, len, &e, &a);
    scenario_free(&e);

    if (s.ndevices > 1) {
        assert_int_equal(scenario_copy(&e, &s), 0);
        e.sink = (e.sink + 1) % e.ndevices;
        a = (allowed){.n = 0};
        allow_value(&a, m, m->root, "sink");
        check_edit(file, "sink", text, len, &e, &a);
        scenario_free(&e);
    }

    /* Another network from the zoo: its value, and the pins it clears. */
    nn_network net = {0};
    assert_int_equal(zoo_build(strcmp(s.net.zoo, "resnet18") ? "resnet18" : "alexnet", &net), 0);
    assert_int_equal(scenario_copy(&e, &s), 0);
    assert_int_equal(scenario_set_network(&e, &net), 0);
    a = (allowed){.n = 0};
    allow_top(&a, m, "network");
    yaml_node_t *pk = NULL, *pv = map_value(m, m->root, "pins", &pk);
    if (pv) allow_lines(&a, (int)pk->start_mark.line, last_line(m, pv));
    if (s.net.zoo[0]) allow_value(&a, m, m->root, "network");
    if (pv) a.exact = false;
    if (s.net.zoo[0])
        check_edit(file, "network", text, len, &e, &a);
    else
        check_edit_form(file, "network", text, len, &e, &a, PATCH_SECTIONS, NETWORK_NOTE);
    scenario_free(&e);
    scenario_free(&s);
}

static void allow_pins(allowed *a, text_map *m)
{
    allow_top(a, m, "pins");
}

static void edit_pins(const char *file, const char *text, size_t len, text_map *m)
{
    nn_scenario s, e;
    load_copy(text, len, &s);
    int L = s.net.nlayers;
    /* Pin the first and the last free layer; clear or move every pin. */
    int first = -1, last = -1;
    for (int l = 0; l < L; l++)
        if (s.pin[l] < 0) {
            if (first < 0) first = l;
            last = l;
        }
    for (int k = 0; k < 2 && first >= 0; k++) {
        int layer = k ? last : first;
        if (k && last == first) break;
        assert_int_equal(scenario_copy(&e, &s), 0);
        e.pin[layer] = s.ndevices - 1;
        allowed a = {.n = 0};
        allow_pins(&a, m);
        char what[128];
        snprintf(what, sizeof what, "pin %s", s.net.layers[layer].name);
        check_edit(file, what, text, len, &e, &a);
        scenario_free(&e);
    }
    for (int l = 0; l < L; l++) {
        if (s.pin[l] < 0) continue;
        char what[128];
        assert_int_equal(scenario_copy(&e, &s), 0);
        e.pin[l] = -1;
        allowed a = {.n = 0};
        allow_pins(&a, m);
        snprintf(what, sizeof what, "unpin %s", s.net.layers[l].name);
        check_edit(file, what, text, len, &e, &a);
        scenario_free(&e);
        if (s.ndevices < 2) continue;
        assert_int_equal(scenario_copy(&e, &s), 0);
        e.pin[l] = (s.pin[l] + 1) % s.ndevices;
        a = (allowed){.n = 0};
        yaml_node_t *pins = map_value(m, m->root, "pins", NULL);
        allow_value(&a, m, pins, s.net.layers[l].name);
        snprintf(what, sizeof what, "move the pin of %s", s.net.layers[l].name);
        check_edit(file, what, text, len, &e, &a);
        scenario_free(&e);
    }
    scenario_free(&s);
}

/* A block list item's lines, from its dash (which may stand on a line of
 * its own) to its last line. */
static void allow_item(allowed *a, text_map *m, yaml_node_t *seq, int i)
{
    yaml_node_t *it = item(m, seq, i);
    size_t b = byte_of(m, it->start_mark);
    while (b > 0 && strchr(" \t\r\n", m->text[b - 1]))
        b--;
    assert_true(b > 0 && m->text[b - 1] == '-');
    int line = 0;
    while (line + 1 < m->nlines && m->line_at[line + 1] <= b - 1)
        line++;
    allow_lines(a, line, last_line(m, it));
}

/* The lines of link i, or of every link when the links are one flow list. */
static void allow_link(allowed *a, text_map *m, int i)
{
    yaml_node_t *seq = map_value(m, m->root, "links", NULL);
    if (seq->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE)
        allow_node(a, m, seq);
    else
        allow_item(a, m, seq, i);
}

static void allow_device(allowed *a, text_map *m, int i)
{
    yaml_node_t *seq = map_value(m, m->root, "devices", NULL);
    if (seq->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE)
        allow_node(a, m, seq);
    else
        allow_item(a, m, seq, i);
}

static void edit_entries(const char *file, const char *text, size_t len, text_map *m)
{
    nn_scenario s, e;
    load_copy(text, len, &s);
    char what[160];

    /* A new device, as the explorer adds one. */
    assert_int_equal(scenario_copy(&e, &s), 0);
    nn_device dev = {
        .name = "added", .tier = TIER_HUB, .speed = 3e12, .memory = 16e9, .load_rate = 2e9};
    assert_true(scenario_add_device(&e, &dev) >= 0);
    allowed a = {.n = 0};
    allow_top(&a, m, "devices");
    check_edit(file, "add a device", text, len, &e, &a);
    scenario_free(&e);

    /* Each device deleted: its lines, its links', the pins, source and sink. */
    for (int d = 0; s.ndevices > 1 && d < s.ndevices; d++) {
        assert_int_equal(scenario_copy(&e, &s), 0);
        assert_int_equal(scenario_remove_device(&e, d), 0);
        a = (allowed){.n = 0};
        allow_device(&a, m, d);
        for (int l = 0; l < s.nlinks; l++)
            if (s.links[l].a == d || s.links[l].b == d) allow_link(&a, m, l);
        allow_pins(&a, m);
        allow_top(&a, m, "source");
        allow_top(&a, m, "sink");
        /* A source or sink left out follows the first device. */
        yaml_node_t *ln = map_value(m, m->root, "links", NULL);
        if (ln && e.nlinks == 0) allow_top(&a, m, "links");
        snprintf(what, sizeof what, "delete device %s", s.devices[d].name);
        /* Its measured times (profiles) in an inline network go with it. */
        bool profiled = false;
        for (int l = 0; l < s.net.nlayers; l++)
            for (int k = 0; k < s.net.layers[l].nprofiles; k++)
                profiled |= strcmp(s.net.layers[l].profiles[k].device, s.devices[d].name) == 0;
        if (profiled) {
            allow_top(&a, m, "network");
            check_edit_form(file, what, text, len, &e, &a, PATCH_SECTIONS, NETWORK_NOTE);
        } else {
            check_edit(file, what, text, len, &e, &a);
        }
        scenario_free(&e);
    }

    /* A link added between the first pair without one. */
    for (int x = 0, done = 0; x < s.ndevices && !done; x++)
        for (int y = x + 1; y < s.ndevices && !done; y++) {
            if (scenario_find_link(&s, x, y) >= 0) continue;
            assert_int_equal(scenario_copy(&e, &s), 0);
            nn_link link = {.a = x,
                            .b = y,
                            .bandwidth = 5e7,
                            .reverse = 2e7,
                            .reverse_given = true,
                            .latency = 0.025};
            assert_true(scenario_add_link(&e, &link) >= 0);
            a = (allowed){.n = 0};
            allow_top(&a, m, "links");
            snprintf(what, sizeof what, "add a link %s - %s", s.devices[x].name, s.devices[y].name);
            check_edit(file, what, text, len, &e, &a);
            scenario_free(&e);
            done = 1;
        }

    for (int l = 0; l < s.nlinks; l++) {
        assert_int_equal(scenario_copy(&e, &s), 0);
        assert_int_equal(scenario_remove_link(&e, l), 0);
        a = (allowed){.n = 0};
        allow_link(&a, m, l);
        if (s.nlinks == 1) allow_top(&a, m, "links");
        snprintf(what, sizeof what, "delete link %d", l);
        check_edit(file, what, text, len, &e, &a);
        scenario_free(&e);
    }
    scenario_free(&s);
}

/* Undo of a delete: the device comes back in its place in the list. */
static void edit_reinsert(const char *file, const char *text, size_t len)
{
    nn_scenario s, e;
    load_copy(text, len, &s);
    if (s.ndevices < 3) {
        scenario_free(&s);
        return;
    }
    assert_int_equal(scenario_copy(&e, &s), 0);
    assert_int_equal(scenario_remove_device(&e, 1), 0);
    char *cut, *back, note[768], why[256];
    size_t clen, blen;
    assert_int_equal(scenario_patch(text, len, &e, &cut, &clen, note, sizeof note), PATCH_KEPT);
    assert_int_equal(scenario_patch(cut, clen, &s, &back, &blen, note, sizeof note), PATCH_KEPT);
    nn_scenario r;
    load_copy(back, blen, &r);
    if (!scenario_equal(&r, &s, why, sizeof why)) fail_msg("%s: undo of a delete: %s", file, why);
    scenario_free(&r);
    free(cut);
    free(back);
    scenario_free(&e);
    scenario_free(&s);
}

static void check_file(const char *path)
{
    size_t len = 0;
    char *text = test_file_read(path, &len);
    assert_non_null(text);
    text_map m;
    map_open(&m, text, len);

    /* No edit: the same bytes. */
    nn_scenario s;
    load_copy(text, len, &s);
    char *out, note[768];
    size_t olen;
    assert_int_equal(scenario_patch(text, len, &s, &out, &olen, note, sizeof note), PATCH_KEPT);
    assert_int_equal(olen, len);
    assert_memory_equal(out, text, len);
    free(out);
    scenario_free(&s);

    edit_fields(path, text, len, &m);
    edit_scalars(path, text, len, &m);
    edit_pins(path, text, len, &m);
    edit_entries(path, text, len, &m);
    edit_reinsert(path, text, len);
    map_close(&m);
    free(text);
}

static void check_glob(const char *pattern, size_t at_least)
{
    glob_t g;
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= at_least);
    for (size_t i = 0; i < g.gl_pathc; i++)
        check_file(g.gl_pathv[i]);
    globfree(&g);
}

static void test_every_edit_of_every_config(void **state)
{
    (void)state;
    int before = patched_total;
    check_glob("configs/*.yaml", 7);
    print_message("%d single edits of configs/ saved and checked\n", patched_total - before);
}

static void test_every_edit_of_awkward_files(void **state)
{
    (void)state;
    int before = patched_total;
    check_glob("tests/patch/*.yaml", 4);
    print_message("%d single edits of tests/patch/ saved and checked\n", patched_total - before);
}

/* ---- exact texts of a few edits ---------------------------------------- */

static char *patch_text(const char *base, const nn_scenario *e, int want_form, char *note,
                        size_t note_size)
{
    char *out;
    size_t len;
    int form = scenario_patch(base, base ? strlen(base) : 0, e, &out, &len, note, note_size);
    if (form != want_form) fail_msg("form %d (want %d), note '%s'", form, want_form, note);
    return out;
}

static void test_preset_gets_an_override(void **state)
{
    (void)state;
    const char *base = "# a phone and a hub\n"
                       "network: alexnet\n"
                       "devices:\n"
                       "  - name: phone\n"
                       "    preset: phone   # as sold\n"
                       "  - {name: hub, preset: jetson-orin}\n";
    nn_scenario s;
    load_copy(base, strlen(base), &s);
    nn_field_ref speed = {.id = FIELD_SPEED, .index = 0}, mem = {.id = FIELD_MEMORY, .index = 1};
    char why[128], note[256];
    assert_true(field_set(&s, &speed, 40e9, why, sizeof why));
    assert_true(field_set(&s, &mem, 16e9, why, sizeof why));
    char *out = patch_text(base, &s, PATCH_KEPT, note, sizeof note);
    assert_string_equal(out, "# a phone and a hub\n"
                             "network: alexnet\n"
                             "devices:\n"
                             "  - name: phone\n"
                             "    preset: phone   # as sold\n"
                             "    speed: 40 GFLOP/s\n"
                             "  - {name: hub, preset: jetson-orin, memory: 16 GB}\n");
    free(out);
    /* Editing it again updates the override in place. */
    out = patch_text(base, &s, PATCH_KEPT, note, sizeof note);
    nn_scenario t;
    load_copy(out, strlen(out), &t);
    assert_true(field_set(&t, &speed, 80e9, why, sizeof why));
    char *again = patch_text(out, &t, PATCH_KEPT, note, sizeof note);
    assert_non_null(strstr(again, "    preset: phone   # as sold\n    speed: 80 GFLOP/s\n"));
    free(again);
    free(out);
    scenario_free(&t);
    scenario_free(&s);
}

static void test_quoting_is_kept(void **state)
{
    (void)state;
    const char *base =
        "network: alexnet\n"
        "mode: 'preload'   # single\n"
        "devices:\n"
        "  - {name: \"a\", speed: \"1 GFLOP/s\", memory: '1 GB', load_rate: 1 GB/s}\n"
        "  - {name: b, speed: 2 GFLOP/s, memory: 2 GB, load_rate: 1 GB/s}\n"
        "pins: {conv1: \"a\"}\n";
    nn_scenario s;
    load_copy(base, strlen(base), &s);
    char why[128], note[256];
    for (int id = FIELD_SPEED; id <= FIELD_MEMORY; id++) {
        nn_field_ref r = {.id = (nn_field_id)id, .index = 0};
        assert_true(field_set(&s, &r, field_get(&s, &r) * 3, why, sizeof why));
    }
    s.mode = MODE_RESIDENT;
    s.pin[0] = 1;
    char *out = patch_text(base, &s, PATCH_KEPT, note, sizeof note);
    assert_string_equal(out, "network: alexnet\n"
                             "mode: 'resident'   # single\n"
                             "devices:\n"
                             "  - {name: \"a\", speed: \"3 GFLOP/s\", memory: '3 GB', load_rate: 1 "
                             "GB/s}\n"
                             "  - {name: b, speed: 2 GFLOP/s, memory: 2 GB, load_rate: 1 GB/s}\n"
                             "pins: {conv1: \"b\"}\n");
    free(out);
    scenario_free(&s);
}

static void test_entries_in_the_style_of_their_siblings(void **state)
{
    (void)state;
    const char *base = "network: alexnet\n"
                       "devices:\n"
                       "-   name: a   # first\n"
                       "    speed: 1 GFLOP/s\n"
                       "    memory: 1 GB\n"
                       "    load_rate: 1 GB/s\n"
                       "links: []   # none yet\n";
    nn_scenario s;
    load_copy(base, strlen(base), &s);
    nn_device dev = {
        .name = "b", .tier = TIER_CLOUD, .speed = 1e13, .memory = 4e10, .load_rate = 1e9};
    assert_int_equal(scenario_add_device(&s, &dev), 1);
    nn_link link = {.a = 0, .b = 1, .bandwidth = 1e8, .latency = 0.01};
    assert_int_equal(scenario_add_link(&s, &link), 0);
    s.pin[2] = 1;
    char note[256];
    char *out = patch_text(base, &s, PATCH_KEPT, note, sizeof note);
    assert_string_equal(out, "network: alexnet\n"
                             "devices:\n"
                             "-   name: a   # first\n"
                             "    speed: 1 GFLOP/s\n"
                             "    memory: 1 GB\n"
                             "    load_rate: 1 GB/s\n"
                             "-   name: b\n"
                             "    tier: cloud\n"
                             "    speed: 10 TFLOP/s\n"
                             "    memory: 40 GB\n"
                             "    load_rate: 1 GB/s\n"
                             "links: [{between: [a, b], bandwidth: 100 Mbit/s, latency: 10 ms}]   "
                             "# none yet\n"
                             "pins:\n"
                             "  conv2: b\n");
    free(out);
    scenario_free(&s);
}

static void test_emptied_sections(void **state)
{
    (void)state;
    const char *base = "network: alexnet\n"
                       "devices:\n"
                       "  - {name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n"
                       "  - {name: b, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n"
                       "links:   # one\n"
                       "  - between: [a, b]   # the only one\n"
                       "    bandwidth: 1 Mbit/s\n"
                       "    latency: 1 ms\n"
                       "pins:\n"
                       "  conv1: a\n"
                       "  # keep me\n"
                       "  conv2: b\n";
    nn_scenario s;
    load_copy(base, strlen(base), &s);
    assert_int_equal(scenario_remove_link(&s, 0), 0);
    s.pin[0] = s.pin[2] = -1;
    char note[256];
    char *out = patch_text(base, &s, PATCH_KEPT, note, sizeof note);
    assert_string_equal(out, "network: alexnet\n"
                             "devices:\n"
                             "  - {name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n"
                             "  - {name: b, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n"
                             "links: []   # one\n"
                             "pins: {}\n"
                             "  # keep me\n");
    free(out);
    scenario_free(&s);
}

/* ---- fallbacks ---------------------------------------------------------- */

static void test_fresh_documents_keep_the_clean_form(void **state)
{
    (void)state;
    nn_scenario s;
    load_copy(nnpart_default_yaml, strlen(nnpart_default_yaml), &s);
    char note[256];
    char *out = patch_text(NULL, &s, PATCH_FRESH, note, sizeof note);
    assert_string_equal(note, "");
    capture c;
    capture_open(&c);
    assert_int_equal(scenario_write(&s, c.f), 0);
    char *fresh = capture_close(&c);
    assert_string_equal(out, fresh);
    /* ... and stays byte for byte the same through load and save. */
    char *again = patch_text(out, &s, PATCH_KEPT, note, sizeof note);
    assert_string_equal(again, out);
    free(again);
    free(fresh);
    free(out);
    scenario_free(&s);
}

static void test_unreproducible_section_is_written_whole(void **state)
{
    (void)state;
    /* Both speeds are one anchored scalar: changing one in place would
     * change both, which the reload catches. */
    const char *base = "# anchors\n"
                       "network: alexnet\n"
                       "devices:\n"
                       "  - {name: a, speed: &fast 20 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n"
                       "  - {name: b, speed: *fast, memory: 1 GB, load_rate: 1 GB/s}\n"
                       "# links next\n"
                       "links: []  # kept\n";
    nn_scenario s;
    load_copy(base, strlen(base), &s);
    nn_field_ref r = {.id = FIELD_SPEED, .index = 1};
    char why[128], note[256];
    assert_true(field_set(&s, &r, 40e9, why, sizeof why));
    char *out = patch_text(base, &s, PATCH_SECTIONS, note, sizeof note);
    assert_string_equal(note, "rewrote devices in nnpart's layout (comments inside it are gone); "
                              "the rest is kept as written");
    assert_string_equal(out, "# anchors\n"
                             "network: alexnet\n"
                             "devices:\n"
                             "  - name: a\n"
                             "    tier: edge\n"
                             "    speed: 20 GFLOP/s\n"
                             "    memory: 1 GB\n"
                             "    load_rate: 1 GB/s\n"
                             "  - name: b\n"
                             "    tier: edge\n"
                             "    speed: 40 GFLOP/s\n"
                             "    memory: 1 GB\n"
                             "    load_rate: 1 GB/s\n"
                             "# links next\n"
                             "links: []  # kept\n");
    free(out);
    scenario_free(&s);
}

static void test_unpatchable_text_is_written_fresh(void **state)
{
    (void)state;
    /* A flow mapping at the top has no place for a new key. */
    const char *base = "{network: alexnet, devices: [{name: a, speed: 1 GFLOP/s, memory: 1 GB, "
                       "load_rate: 1 GB/s}]}\n";
    nn_scenario s;
    load_copy(base, strlen(base), &s);
    char note[256];
    /* A value in place works ... */
    s.devices[0].memory = 2e9;
    char *out = patch_text(base, &s, PATCH_KEPT, note, sizeof note);
    assert_string_equal(out, "{network: alexnet, devices: [{name: a, speed: 1 GFLOP/s, memory: 2 "
                             "GB, load_rate: 1 GB/s}]}\n");
    free(out);
    /* ... a new top-level key does not: the whole file is written fresh. */
    s.pin[0] = 0;
    out = patch_text(base, &s, PATCH_REWRITTEN, note, sizeof note);
    assert_string_equal(note, "written in nnpart's layout (the old comments and presets are "
                              "gone): a new top-level key has no place in a flow mapping");
    capture c;
    capture_open(&c);
    assert_int_equal(scenario_write(&s, c.f), 0);
    char *fresh = capture_close(&c);
    assert_string_equal(out, fresh);
    free(fresh);
    free(out);

    /* An old text that no longer loads. */
    out = patch_text("network: nosuchnet\n", &s, PATCH_REWRITTEN, note, sizeof note);
    assert_string_equal(note, "written in nnpart's layout: the old text no longer loads");
    free(out);
    scenario_free(&s);
}

/* ---- sessions of several edits ----------------------------------------- */

/* Top-level comment lines (column 0), in order. */
static bool comments_kept(const char *base, const char *out)
{
    const char *at = out;
    for (const char *line = base; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (line[0] == '#') {
            const char *hit = at;
            for (;;) {
                hit = strstr(hit, "#");
                if (!hit) return false;
                if ((hit == out || hit[-1] == '\n') && strncmp(hit, line, n) == 0) break;
                hit++;
            }
            at = hit + n;
        }
        if (!end) break;
        line = end + 1;
    }
    return true;
}

/* On a failure: the old text and the edited scenario in nnpart's layout,
 * kept for a look (their names go into the message). */
static void dump_case(const char *text, const nn_scenario *s)
{
    capture c;
    capture_open(&c);
    scenario_write(s, c.f);
    char *want = capture_close(&c);
    test_file_write("/tmp/nnpart-patch-base.yaml", text);
    test_file_write("/tmp/nnpart-patch-edited.yaml", want);
    free(want);
}

static void sessions_of(const char *path, unsigned long seed, int *kept, int *sections)
{
    size_t len = 0;
    char *text = test_file_read(path, &len);
    assert_non_null(text);
    unsigned long x = seed;
    for (int session = 0; session < 12; session++) {
        /* Each session edits what the previous one saved. */
        nn_scenario s;
        load_copy(text, len, &s);
        int edits = 1 + (int)(edit_rnd(&x) % 6);
        for (int k = 0; k < edits; k++)
            edit_random(&s, &x, session * 10 + k);
        char *out, *again, note[768], why[256];
        size_t olen, alen;
        int form = scenario_patch(text, len, &s, &out, &olen, note, sizeof note);
        if (form != PATCH_KEPT && form != PATCH_SECTIONS) {
            dump_case(text, &s);
            fail_msg("%s, session %d: form %d: %s (see /tmp/nnpart-patch-*.yaml)", path, session,
                     form, note);
        }
        /* Only an inline network that changed (a deleted device's profile)
         * is written whole here. */
        if (form == PATCH_SECTIONS && !strstr(note, "rewrote network in nnpart's layout")) {
            dump_case(text, &s);
            fail_msg("%s, session %d: %s (see /tmp/nnpart-patch-*.yaml)", path, session, note);
        }
        nn_scenario back;
        nn_error err;
        if (scenario_load_string(out, olen, "session.yaml", &back, &err) != 0)
            fail_msg("%s, session %d: %s\n%s", path, session, err.message, out);
        if (!scenario_equal(&back, &s, why, sizeof why))
            fail_msg("%s, session %d: reloads differently: %s", path, session, why);
        scenario_free(&back);
        if (form == PATCH_KEPT && !comments_kept(text, out))
            fail_msg("%s, session %d: a top-level comment was lost\n%s", path, session, out);
        assert_int_equal(scenario_patch(out, olen, &s, &again, &alen, note, sizeof note),
                         PATCH_KEPT);
        assert_int_equal(alen, olen);
        assert_memory_equal(again, out, olen);
        free(again);
        *kept += form == PATCH_KEPT;
        *sections += form == PATCH_SECTIONS;
        free(text);
        text = out;
        len = olen;
        scenario_free(&s);
    }
    free(text);
}

static void test_random_edit_sessions(void **state)
{
    (void)state;
    const char *patterns[] = {"configs/*.yaml", "tests/patch/*.yaml"};
    int kept = 0, sections = 0;
    for (int p = 0; p < 2; p++) {
        glob_t g;
        assert_int_equal(glob(patterns[p], 0, NULL, &g), 0);
        for (size_t i = 0; i < g.gl_pathc; i++)
            for (unsigned long seed = 1; seed <= 16; seed++)
                sessions_of(g.gl_pathv[i], seed * 7919 + i, &kept, &sections);
        globfree(&g);
    }
    print_message("%d sessions patched in place, %d with a section written whole\n", kept,
                  sections);
    assert_true(kept > 10 * sections);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_edit_of_every_config),
        cmocka_unit_test(test_every_edit_of_awkward_files),
        cmocka_unit_test(test_preset_gets_an_override),
        cmocka_unit_test(test_quoting_is_kept),
        cmocka_unit_test(test_entries_in_the_style_of_their_siblings),
        cmocka_unit_test(test_emptied_sections),
        cmocka_unit_test(test_fresh_documents_keep_the_clean_form),
        cmocka_unit_test(test_unreproducible_section_is_written_whole),
        cmocka_unit_test(test_unpatchable_text_is_written_fresh),
        cmocka_unit_test(test_random_edit_sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
