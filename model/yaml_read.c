/* Scenario files in: libyaml's document API gives every node with its line
 * and column, so each complaint points at the culprit. The reader walks the
 * document once, filling a scenario, and stops at the first problem. */
#include "scenario_io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "field.h"
#include "fileio.h"
#include "onnx.h"
#include "presets.h"
#include "suggest.h"
#include "text.h"
#include "units.h"

#define MAX_FILE_BYTES ((size_t)NN_MAX_FILE_BYTES)

typedef struct reader {
    const char *file;
    yaml_document_t *doc;
    nn_error *err;
    nn_scenario *s;
    /* Nodes of names already read, to point at the first of a duplicate. */
    yaml_node_t *device_nodes[NN_MAX_DEVICES];
    yaml_node_t **layer_nodes; /* [nlayers] */
} reader;

/* ---- messages -------------------------------------------------------- */

static int fail(reader *r, const yaml_node_t *at, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(reader *r, const yaml_node_t *at, const char *field, const char *fmt, ...)
{
    char text[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    int line = at ? (int)at->start_mark.line + 1 : 1;
    int col = at ? (int)at->start_mark.column + 1 : 1;
    return error_set(r->err, r->file, line, col, field, "%s", text);
}

static const char *node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a single value";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_NO_NODE:
        break;
    }
    return "nothing";
}

/* "a.b", "a[3]": the dotted path of a child, for messages. */
static void path_key(char *buf, size_t size, const char *parent, const char *key)
{
    if (parent && *parent)
        snprintf(buf, size, "%s.%s", parent, key);
    else
        snprintf(buf, size, "%s", key);
}

static void path_index(char *buf, size_t size, const char *parent, int i)
{
    snprintf(buf, size, "%s[%d]", parent, i);
}

/* "a, b, c" from a list of names. */
static void join_names(char *buf, size_t size, const char *const *names, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
}

/* " (did you mean 'x'?)" or "". */
static void did_you_mean(char *buf, size_t size, const char *word, const char *const *names,
                         size_t n)
{
    const char *near = suggest_closest(word, names, n);
    if (near)
        snprintf(buf, size, " (did you mean '%s'?)", near);
    else
        buf[0] = '\0';
}

/* "unknown WHAT 'word' (did you mean 'x'?); LISTED: a, b, c". */
static int fail_unknown(reader *r, const yaml_node_t *at, const char *field, const char *what,
                        const char *word, const char *listed, const char *const *names, size_t n)
{
    char hint[96], list[1024];
    did_you_mean(hint, sizeof hint, word, names, n);
    join_names(list, sizeof list, names, n);
    return fail(r, at, field, "unknown %s '%s'%s; %s: %s", what, word, hint, listed, list);
}

/* ---- node access ----------------------------------------------------- */

static yaml_node_t *node(reader *r, int id)
{
    return yaml_document_get_node(r->doc, id);
}

static int want(reader *r, const yaml_node_t *n, yaml_node_type_t type, const char *field,
                const char *what)
{
    if (n->type == type) return 0;
    return fail(r, n, field, "expected %s, found %s", what, node_kind(n));
}

static const char *scalar_text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* A scalar's text, or an error naming what was expected. */
static int scalar(reader *r, const yaml_node_t *n, const char *field, const char *what,
                  const char **out)
{
    *out = ""; /* defined on failure too, for the optimiser's flow analysis */
    if (n->type != YAML_SCALAR_NODE)
        return fail(r, n, field, "expected %s, found %s", what, node_kind(n));
    *out = scalar_text(n);
    return 0;
}

static yaml_node_t *map_get(reader *r, const yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(r, p->key);
        if (k->type == YAML_SCALAR_NODE && strcmp(scalar_text(k), key) == 0)
            return node(r, p->value);
    }
    return NULL;
}

/* Orders key positions by text, then by position (qsort_r's context is
 * the reader). */
static int key_order(const void *pa, const void *pb, void *ctx)
{
    const reader *r = ctx;
    const yaml_node_pair_t *a = *(yaml_node_pair_t *const *)pa, *b = *(yaml_node_pair_t *const *)pb;
    int c = strcmp(scalar_text(yaml_document_get_node(r->doc, a->key)),
                   scalar_text(yaml_document_get_node(r->doc, b->key)));
    if (c) return c;
    return (a > b) - (a < b);
}

/* For each pair of the mapping, the first earlier pair with the same scalar
 * key, or NULL: sorted, so 80,000 keys take milliseconds, not a minute. */
static yaml_node_pair_t **first_of_dups(reader *r, const yaml_node_t *map)
{
    yaml_node_pair_t *start = map->data.mapping.pairs.start;
    size_t n = (size_t)(map->data.mapping.pairs.top - start), m = 0;
    yaml_node_pair_t **first = calloc(n ? n : 1, sizeof *first);
    yaml_node_pair_t **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!first || !sorted) {
        free(first);
        free(sorted);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (node(r, start[i].key)->type == YAML_SCALAR_NODE) sorted[m++] = &start[i];
    qsort_r(sorted, m, sizeof *sorted, key_order, r);
    for (size_t i = 1; i < m; i++) {
        const char *a = scalar_text(node(r, sorted[i - 1]->key));
        const char *b = scalar_text(node(r, sorted[i]->key));
        if (strcmp(a, b) == 0)
            first[sorted[i] - start] =
                first[sorted[i - 1] - start] ? first[sorted[i - 1] - start] : sorted[i - 1];
    }
    free(sorted);
    return first;
}

/* Every key is a scalar and appears once; with `allowed`, every key is one of
 * them (else the closest is suggested and all are listed). */
static int check_keys(reader *r, const yaml_node_t *map, const char *path,
                      const char *const *allowed, size_t nallowed, const char *what)
{
    yaml_node_pair_t **first = first_of_dups(r, map);
    if (!first) return fail(r, map, path[0] ? path : "(top level)", "out of memory");
    int rc = 0;
    yaml_node_pair_t *start = map->data.mapping.pairs.start;
    for (yaml_node_pair_t *p = start; p < map->data.mapping.pairs.top && !rc; p++) {
        yaml_node_t *k = node(r, p->key);
        if (k->type != YAML_SCALAR_NODE) {
            rc = fail(r, k, path[0] ? path : "(top level)",
                      "a key must be a single word, found %s; accepted keys: %s", node_kind(k),
                      what);
            break;
        }
        char field[160];
        path_key(field, sizeof field, path, scalar_text(k));
        if (first[p - start]) {
            yaml_node_t *prev = node(r, first[p - start]->key);
            rc = fail(r, k, field,
                      "duplicate key '%s' (first at line %d, column %d); each key may appear once",
                      scalar_text(k), (int)prev->start_mark.line + 1,
                      (int)prev->start_mark.column + 1);
            break;
        }
        if (!allowed) continue;
        bool known = false;
        for (size_t i = 0; i < nallowed && !known; i++)
            known = strcmp(allowed[i], scalar_text(k)) == 0;
        if (known) continue;
        rc = fail_unknown(r, k, field, "key", scalar_text(k), "accepted keys", allowed, nallowed);
    }
    free(first);
    return rc;
}

static int missing(reader *r, const yaml_node_t *map, const char *path, const char *key,
                   const char *what)
{
    char field[160];
    path_key(field, sizeof field, path, key);
    return fail(r, map, field, "missing required key '%s' (%s)", key, what);
}

/* Limits are in bytes of UTF-8; the message gives characters too, since
 * that is what a person counts: "name 'hhh...' is 70 bytes long (35
 * characters); at most 63 bytes accepted". */
static int fail_too_long(reader *r, const yaml_node_t *n, const char *field, const char *what,
                         const char *t, size_t max)
{
    size_t len = strlen(t), chars = 0, cut = len; /* cut: shown, the first 40 characters */
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)t[i] & 0xC0) != 0x80 && chars++ == 40) cut = i;
    char chars_text[48] = "";
    if (chars != len) snprintf(chars_text, sizeof chars_text, " (%zu characters)", chars);
    if (strcmp(what, "name") == 0)
        return fail(r, n, field, "name '%.*s%s' is %zu bytes long%s; at most %zu bytes accepted",
                    (int)cut, t, cut < len ? "..." : "", len, chars_text, max);
    return fail(r, n, field, "%s is %zu bytes long%s; at most %zu bytes accepted", what, len,
                chars_text, max);
}

/* A name: non-empty, short enough, printable. */
static int read_name(reader *r, const yaml_node_t *n, const char *field, char *out, size_t size,
                     const char *what)
{
    const char *t;
    if (scalar(r, n, field, what, &t)) return -1;
    size_t len = strlen(t);
    if (len == 0) return fail(r, n, field, "empty name; expected %s", what);
    if (len >= size) return fail_too_long(r, n, field, "name", t, size - 1);
    /* C1 too: a name is written back as it is, and YAML refuses them raw. */
    if (!text_name_printable(t, len))
        return fail(r, n, field, "name contains a control character; expected %s", what);
    str_copy(out, size, t);
    return 0;
}

/* A number with its unit, within its range (ranges.h). */
static int read_quantity(reader *r, const yaml_node_t *n, const char *field, const char *key,
                         nn_range_id range, double *out)
{
    const char *t;
    unit_kind kind = ranges_range(range)->unit;
    char what[96], why[512];
    snprintf(what, sizeof what, "a %s such as '%s'", units_kind_name(kind),
             units_kind_example(kind));
    if (scalar(r, n, field, what, &t)) return -1;
    if (!units_parse(t, kind, out, why, sizeof why)) return fail(r, n, field, "%s", why);
    if (!ranges_check(range, key, *out, why, sizeof why)) return fail(r, n, field, "%s", why);
    return 0;
}

/* A device or link number, judged by the shared field table. */
static int read_field(reader *r, const yaml_node_t *n, const char *path, nn_field_id id,
                      double *out)
{
    const nn_field_desc *f = field_desc(id);
    char field[160], what[96], why[512];
    path_key(field, sizeof field, path, f->key);
    snprintf(what, sizeof what, "a %s such as '%s'", units_kind_name(f->unit),
             units_kind_example(f->unit));
    const char *t;
    if (scalar(r, n, field, what, &t)) return -1;
    if (!field_parse_value(id, t, out, why, sizeof why)) return fail(r, n, field, "%s", why);
    return 0;
}

/* One of a fixed list of words (mode, tier, dtype, ...), in any case. */
static int read_choice(reader *r, const yaml_node_t *n, const char *field, const char *const *names,
                       int count, const char *what, int *out)
{
    char list[256], expect[320];
    join_names(list, sizeof list, names, (size_t)count);
    snprintf(expect, sizeof expect, "%s: one of %s", what, list);
    const char *t;
    if (scalar(r, n, field, expect, &t)) return -1;
    for (int i = 0; i < count; i++) {
        if (strcasecmp(names[i], t) == 0) {
            *out = i;
            return 0;
        }
    }
    return fail_unknown(r, n, field, what, t, "accepted", names, (size_t)count);
}

/* The enumerations a scenario names by a word: one table, one reader. */
typedef enum {
    ENUM_TIER,
    ENUM_LAYER_TYPE,
    ENUM_DTYPE,
    ENUM_MODE,
    ENUM_OBJECTIVE,
    ENUM_STAGES
} enum_kind;

static const struct {
    const char *what; /* as messages call it */
    int count;
} ENUMS[] = {
    [ENUM_TIER] = {"tier", TIER_COUNT},          [ENUM_LAYER_TYPE] = {"layer type", LT_TYPE_COUNT},
    [ENUM_DTYPE] = {"dtype", DTYPE_COUNT},       [ENUM_MODE] = {"mode", MODE_COUNT},
    [ENUM_OBJECTIVE] = {"objective", OBJ_COUNT}, [ENUM_STAGES] = {"stages", STAGES_COUNT},
};

static const char *enum_value_name(enum_kind k, int i)
{
    switch (k) {
    case ENUM_TIER:
        return tier_name((nn_tier)i);
    case ENUM_LAYER_TYPE:
        return layer_type_get((nn_layer_type)i)->name;
    case ENUM_DTYPE:
        return dtype_name((nn_dtype)i);
    case ENUM_MODE:
        return mode_name((nn_mode)i);
    case ENUM_OBJECTIVE:
        return objective_name((nn_objective)i);
    case ENUM_STAGES:
        return stages_name((nn_stages)i);
    }
    return "";
}

#define ENUM_MAX_VALUES 64
_Static_assert(TIER_COUNT <= ENUM_MAX_VALUES && LT_TYPE_COUNT <= ENUM_MAX_VALUES &&
                   DTYPE_COUNT <= ENUM_MAX_VALUES && MODE_COUNT <= ENUM_MAX_VALUES &&
                   OBJ_COUNT <= ENUM_MAX_VALUES && STAGES_COUNT <= ENUM_MAX_VALUES,
               "read_enum's list holds every value");

static int read_enum(reader *r, const yaml_node_t *n, const char *field, enum_kind k, int *out)
{
    const char *names[ENUM_MAX_VALUES];
    for (int i = 0; i < ENUMS[k].count; i++)
        names[i] = enum_value_name(k, i);
    return read_choice(r, n, field, names, ENUMS[k].count, ENUMS[k].what, out);
}

/* A device named by a scalar, which must exist. */
static int read_device_ref(reader *r, const yaml_node_t *n, const char *field, int *out)
{
    const char *names[NN_MAX_DEVICES];
    for (int i = 0; i < r->s->ndevices; i++)
        names[i] = r->s->devices[i].name;
    char list[NN_MAX_DEVICES * NN_NAME_LEN / 4], what[sizeof list + 32];
    join_names(list, sizeof list, names, (size_t)r->s->ndevices);
    snprintf(what, sizeof what, "a device name (%s)", list);
    const char *t;
    if (scalar(r, n, field, what, &t)) return -1;
    int d = scenario_find_device(r->s, t);
    if (d >= 0) {
        *out = d;
        return 0;
    }
    return fail_unknown(r, n, field, "device", t, "devices", names, (size_t)r->s->ndevices);
}

/* ---- devices and links ----------------------------------------------- */

static const char *const DEVICE_KEYS[] = {"name",       "tier",       "preset",           "speed",
                                          "memory",     "load_rate",  "memory_bandwidth", "power",
                                          "idle_power", "load_power", "battery"};
static const char *const LINK_KEYS[] = {"between", "bandwidth", "reverse_bandwidth",
                                        "latency", "energy",    "preset"};

/* true or false. */
static int read_bool(reader *r, const yaml_node_t *n, const char *field, const char *what,
                     bool *out)
{
    static const char *const NAMES[] = {"false", "true"};
    int v;
    if (read_choice(r, n, field, NAMES, 2, what, &v)) return -1;
    *out = v == 1;
    return 0;
}

static int read_device_preset(reader *r, const yaml_node_t *n, const char *field,
                              const nn_device_preset **out)
{
    const char *t;
    if (scalar(r, n, field, "a device preset name", &t)) return -1;
    *out = presets_device_find(t);
    if (*out) return 0;
    const char *names[64];
    int count = presets_device_count() < 64 ? presets_device_count() : 64;
    for (int i = 0; i < count; i++)
        names[i] = presets_device_at(i)->name;
    return fail_unknown(r, n, field, "device preset", t, "accepted", names, (size_t)count);
}

static int read_device(reader *r, yaml_node_t *n, int index)
{
    char path[64], field[160];
    path_index(path, sizeof path, "devices", index);
    if (want(r, n, YAML_MAPPING_NODE, path,
             "a device mapping with name, tier, speed, memory and load_rate"))
        return -1;
    if (check_keys(r, n, path, DEVICE_KEYS, sizeof DEVICE_KEYS / sizeof *DEVICE_KEYS,
                   "name, tier, preset, speed, memory, load_rate, memory_bandwidth, power, "
                   "idle_power, load_power, battery"))
        return -1;

    nn_device dev = {.tier = TIER_EDGE};
    bool given[FIELD_COUNT] = {false};
    yaml_node_t *v = map_get(r, n, "name");
    if (!v) return missing(r, n, path, "name", "a unique device name such as 'phone'");
    path_key(field, sizeof field, path, "name");
    if (read_name(r, v, field, dev.name, sizeof dev.name, "a device name such as 'phone'"))
        return -1;
    int dup = scenario_find_device(r->s, dev.name);
    if (dup >= 0)
        return fail(r, v, field,
                    "duplicate device name '%s' (first at line %d, column %d); device names must "
                    "be unique",
                    dev.name, (int)r->device_nodes[dup]->start_mark.line + 1,
                    (int)r->device_nodes[dup]->start_mark.column + 1);

    if ((v = map_get(r, n, "preset"))) {
        const nn_device_preset *p;
        path_key(field, sizeof field, path, "preset");
        if (read_device_preset(r, v, field, &p)) return -1;
        dev.tier = p->tier;
        dev.speed = p->speed;
        dev.memory = p->memory;
        dev.load_rate = p->load_rate;
        dev.memory_bandwidth = p->memory_bandwidth;
        given[FIELD_SPEED] = given[FIELD_MEMORY] = given[FIELD_LOAD_RATE] = true;
    }
    if ((v = map_get(r, n, "tier"))) {
        int t;
        path_key(field, sizeof field, path, "tier");
        if (read_enum(r, v, field, ENUM_TIER, &t)) return -1;
        dev.tier = (nn_tier)t;
    }
    static const struct {
        nn_field_id id;
        size_t offset;
    } NUMBERS[] = {
        {FIELD_SPEED, offsetof(nn_device, speed)},
        {FIELD_MEMORY, offsetof(nn_device, memory)},
        {FIELD_LOAD_RATE, offsetof(nn_device, load_rate)},
    };
    for (size_t i = 0; i < sizeof NUMBERS / sizeof *NUMBERS; i++) {
        const nn_field_desc *f = field_desc(NUMBERS[i].id);
        double *dst = (double *)((char *)&dev + NUMBERS[i].offset);
        if ((v = map_get(r, n, f->key))) {
            if (read_field(r, v, path, f->id, dst)) return -1;
        } else if (!given[f->id]) {
            char what[224], range[96];
            ranges_range_text(f->range, range, sizeof range);
            snprintf(what, sizeof what, "%s %s, e.g. '%s'; or give a preset", f->help, range,
                     units_kind_example(f->unit));
            return missing(r, n, path, f->key, what);
        }
    }
    /* Optional: without it compute time is flops / speed alone. */
    if ((v = map_get(r, n, "memory_bandwidth")) &&
        read_field(r, v, path, FIELD_MEMORY_BANDWIDTH, &dev.memory_bandwidth))
        return -1;
    /* Energy: optional, 0 W when not given. */
    static const struct {
        nn_field_id id;
        size_t offset;
    } POWERS[] = {
        {FIELD_POWER, offsetof(nn_device, power)},
        {FIELD_IDLE_POWER, offsetof(nn_device, idle_power)},
        {FIELD_LOAD_POWER, offsetof(nn_device, load_power)},
    };
    for (size_t i = 0; i < sizeof POWERS / sizeof *POWERS; i++) {
        double *dst = (double *)((char *)&dev + POWERS[i].offset);
        if ((v = map_get(r, n, field_desc(POWERS[i].id)->key)) &&
            read_field(r, v, path, POWERS[i].id, dst))
            return -1;
    }
    if ((v = map_get(r, n, "battery"))) {
        path_key(field, sizeof field, path, "battery");
        if (read_bool(r, v, field, "battery value", &dev.battery)) return -1;
    }
    if (r->s->ndevices >= NN_MAX_DEVICES)
        return fail(r, n, path, "too many devices; at most %d accepted", NN_MAX_DEVICES);
    if (scenario_add_device(r->s, &dev) < 0)
        return fail(r, n, path, "out of memory adding device '%s'", dev.name);
    r->device_nodes[r->s->ndevices - 1] = n;
    return 0;
}

static int read_devices(reader *r, yaml_node_t *n)
{
    if (want(r, n, YAML_SEQUENCE_NODE, "devices",
             "a list of devices (\"- name: phone\" entries with speed, memory, load_rate)"))
        return -1;
    int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count == 0)
        return fail(r, n, "devices", "no devices; at least 1 and at most %d accepted",
                    NN_MAX_DEVICES);
    for (int i = 0; i < count; i++) {
        yaml_node_t *item = node(r, n->data.sequence.items.start[i]);
        if (i >= NN_MAX_DEVICES) {
            char path[64];
            path_index(path, sizeof path, "devices", i);
            return fail(r, item, path, "too many devices (%d); at most %d accepted", count,
                        NN_MAX_DEVICES);
        }
        if (read_device(r, item, i)) return -1;
    }
    return 0;
}

static int read_link_preset(reader *r, const yaml_node_t *n, const char *field,
                            const nn_link_preset **out)
{
    const char *t;
    if (scalar(r, n, field, "a link preset name", &t)) return -1;
    *out = presets_link_find(t);
    if (*out) return 0;
    const char *names[64];
    int count = presets_link_count() < 64 ? presets_link_count() : 64;
    for (int i = 0; i < count; i++)
        names[i] = presets_link_at(i)->name;
    return fail_unknown(r, n, field, "link preset", t, "accepted", names, (size_t)count);
}

static int read_link(reader *r, yaml_node_t *n, int index)
{
    char path[64], field[160];
    path_index(path, sizeof path, "links", index);
    if (want(r, n, YAML_MAPPING_NODE, path, "a link mapping with between, bandwidth and latency"))
        return -1;
    if (check_keys(r, n, path, LINK_KEYS, sizeof LINK_KEYS / sizeof *LINK_KEYS,
                   "between, bandwidth, reverse_bandwidth, latency, energy, preset"))
        return -1;

    nn_link link = {.a = -1, .b = -1};
    yaml_node_t *v = map_get(r, n, "between");
    path_key(field, sizeof field, path, "between");
    if (!v) return missing(r, n, path, "between", "the two devices it connects, e.g. [phone, hub]");
    const char *pair_what = "a list of the two devices it connects, e.g. [phone, hub]";
    if (want(r, v, YAML_SEQUENCE_NODE, field, pair_what)) return -1;
    int nends = (int)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (nends != 2)
        return fail(r, v, field, "%d device%s listed; expected %s", nends, nends == 1 ? "" : "s",
                    pair_what);
    yaml_node_t *ea = node(r, v->data.sequence.items.start[0]);
    yaml_node_t *eb = node(r, v->data.sequence.items.start[1]);
    char end_field[176];
    path_index(end_field, sizeof end_field, field, 0);
    if (read_device_ref(r, ea, end_field, &link.a)) return -1;
    path_index(end_field, sizeof end_field, field, 1);
    if (read_device_ref(r, eb, end_field, &link.b)) return -1;
    if (link.a == link.b)
        return fail(r, v, field, "a link joins two different devices, got '%s' twice",
                    r->s->devices[link.a].name);
    int dup = scenario_find_link(r->s, link.a, link.b);
    if (dup >= 0)
        return fail(r, v, field,
                    "a second link between %s and %s (links[%d] already joins them); at most "
                    "one link per pair, use reverse_bandwidth for the other direction",
                    r->s->devices[link.a].name, r->s->devices[link.b].name, dup);

    bool have_bw = false;
    if ((v = map_get(r, n, "preset"))) {
        const nn_link_preset *p;
        path_key(field, sizeof field, path, "preset");
        if (read_link_preset(r, v, field, &p)) return -1;
        link.bandwidth = p->bandwidth;
        link.reverse = p->reverse;
        link.reverse_given = p->reverse != p->bandwidth;
        link.latency = p->latency;
        link.energy = p->energy;
        have_bw = true;
    }
    if ((v = map_get(r, n, "bandwidth"))) {
        if (read_field(r, v, path, FIELD_BANDWIDTH, &link.bandwidth)) return -1;
        have_bw = true;
    }
    if (!have_bw) {
        char what[224], range[96];
        ranges_range_text(RANGE_BANDWIDTH, range, sizeof range);
        snprintf(what, sizeof what,
                 "bits/s from the first device to the second (%s: no path), e.g. '300 Mbit/s'; "
                 "or give a preset",
                 range);
        return missing(r, n, path, "bandwidth", what);
    }
    if ((v = map_get(r, n, "reverse_bandwidth"))) {
        if (read_field(r, v, path, FIELD_REVERSE, &link.reverse)) return -1;
        link.reverse_given = true;
    }
    if ((v = map_get(r, n, "latency")) && read_field(r, v, path, FIELD_LATENCY, &link.latency))
        return -1;
    if ((v = map_get(r, n, "energy")) && read_field(r, v, path, FIELD_ENERGY, &link.energy))
        return -1;
    if (!link.reverse_given) link.reverse = link.bandwidth;
    if (scenario_add_link(r->s, &link) < 0) return fail(r, n, path, "out of memory adding a link");
    return 0;
}

static int read_links(reader *r, yaml_node_t *n)
{
    if (want(r, n, YAML_SEQUENCE_NODE, "links",
             "a list of links (\"- between: [a, b]\" entries with bandwidth and latency)"))
        return -1;
    int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    for (int i = 0; i < count; i++)
        if (read_link(r, node(r, n->data.sequence.items.start[i]), i)) return -1;
    return 0;
}

/* ---- the network ----------------------------------------------------- */

static int read_shape(reader *r, const yaml_node_t *n, const char *field, nn_shape *out)
{
    const char *what = "a shape: a list of 1 to 4 positive integers such as [3, 224, 224]";
    if (want(r, n, YAML_SEQUENCE_NODE, field, what)) return -1;
    int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count < 1 || count > 4) return fail(r, n, field, "%d dimensions; expected %s", count, what);
    nn_shape shape = {.ndim = count};
    for (int i = 0; i < count; i++) {
        yaml_node_t *item = node(r, n->data.sequence.items.start[i]);
        char item_field[192];
        path_index(item_field, sizeof item_field, field, i);
        const char *t;
        if (scalar(r, item, item_field, "a positive integer", &t)) return -1;
        char *end;
        errno = 0;
        long v = strtol(t, &end, 10);
        if (end == t || *end || errno || v < 1 || v > 1000000000L)
            return fail(r, item, item_field,
                        "'%s' is not a dimension; expected an integer from 1 to 1000000000", t);
        shape.dim[i] = v;
    }
    *out = shape;
    return 0;
}

static int read_dtype(reader *r, const yaml_node_t *n, const char *field, nn_dtype *out)
{
    int v;
    if (read_enum(r, n, field, ENUM_DTYPE, &v)) return -1;
    *out = (nn_dtype)v;
    return 0;
}

/* `input: 100000 B` or `input: {shape: [3, 224, 224], dtype: fp32}`. */
static int read_input(reader *r, const yaml_node_t *n, nn_network *net, bool *dtype_given)
{
    const char *field = "network.input";
    if (n->type == YAML_SCALAR_NODE)
        return read_quantity(r, n, field, "input", RANGE_BYTES, &net->input_bytes);
    if (n->type != YAML_MAPPING_NODE)
        return fail(r, n, field,
                    "expected a size such as '100000 B' or a mapping such as {shape: [3, 224, "
                    "224], dtype: fp32}, found %s",
                    node_kind(n));
    static const char *const KEYS[] = {"shape", "dtype"};
    if (check_keys(r, n, field, KEYS, 2, "shape, dtype")) return -1;
    yaml_node_t *v = map_get(r, n, "shape");
    if (!v)
        return missing(r, n, field, "shape",
                       "the input tensor's dimensions without batch, e.g. [3, 224, 224]");
    if (read_shape(r, v, "network.input.shape", &net->input_shape)) return -1;
    if ((v = map_get(r, n, "dtype"))) {
        if (read_dtype(r, v, "network.input.dtype", &net->dtype)) return -1;
        *dtype_given = true;
    }
    return 0;
}

static int read_param(reader *r, const yaml_node_t *n, const char *field, const nn_param_desc *p,
                      long *out)
{
    const char *t;
    char what[192];
    if (p->kind == PARAM_BOOL)
        snprintf(what, sizeof what, "true or false (%s)", p->help);
    else
        snprintf(what, sizeof what, "an integer from %ld to %ld (%s)", p->min, p->max, p->help);
    if (scalar(r, n, field, what, &t)) return -1;
    if (p->kind == PARAM_BOOL) {
        static const char *const T[] = {"true", "True", "TRUE"}, *const F[] = {"false", "False",
                                                                               "FALSE"};
        for (int i = 0; i < 3; i++) {
            if (strcmp(t, T[i]) == 0) {
                *out = 1;
                return 0;
            }
            if (strcmp(t, F[i]) == 0) {
                *out = 0;
                return 0;
            }
        }
        return fail(r, n, field, "'%s' is not a boolean; expected %s", t, what);
    }
    char *end;
    errno = 0;
    long v = strtol(t, &end, 10);
    if (end == t || *end || errno)
        return fail(r, n, field, "'%s' is not an integer; expected %s", t, what);
    if (v < p->min || v > p->max)
        return fail(r, n, field, "%ld is out of range; expected %s", v, what);
    *out = v;
    return 0;
}

static int read_profile(reader *r, const yaml_node_t *n, const char *path, nn_layer *layer)
{
    char field[192];
    path_key(field, sizeof field, path, "profile");
    if (want(r, n, YAML_MAPPING_NODE, field,
             "a mapping of device to measured compute time, e.g. {phone: 12 ms}"))
        return -1;
    if (check_keys(r, n, field, NULL, 0, "device names")) return -1;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
        char entry[256];
        path_key(entry, sizeof entry, field, scalar_text(k));
        int d;
        if (read_device_ref(r, k, entry, &d)) return -1;
        double seconds;
        if (read_quantity(r, v, entry, "a profiled time", RANGE_PROFILE, &seconds)) return -1;
        if (layer_add_profile(layer, r->s->devices[d].name, seconds))
            return fail(r, v, entry, "out of memory");
    }
    return 0;
}

/* The shared tensors a layer uses: a name or a list of names, each declared
 * in network.shared. */
static int read_uses(reader *r, yaml_node_t *n, const char *path, const nn_network *net,
                     nn_layer *layer)
{
    char field[192], entry[224];
    path_key(field, sizeof field, path, "uses");
    yaml_node_t *one[1] = {n};
    yaml_node_t **items = one;
    int count = 1;
    if (n->type == YAML_SEQUENCE_NODE) {
        count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
        items = NULL;
    }
    const char *names[64];
    int nnames = net->nshared < 64 ? net->nshared : 64;
    for (int i = 0; i < nnames; i++)
        names[i] = net->shared[i].name;
    char list[1024], what[1100];
    join_names(list, sizeof list, names, (size_t)nnames);
    snprintf(what, sizeof what, "a shared tensor name declared in network.shared (%s)",
             nnames ? list : "none declared");
    for (int i = 0; i < count; i++) {
        yaml_node_t *item = items ? items[i] : node(r, n->data.sequence.items.start[i]);
        if (items)
            str_copy(entry, sizeof entry, field);
        else
            path_index(entry, sizeof entry, field, i);
        const char *t;
        if (scalar(r, item, entry, what, &t)) return -1;
        int k = network_find_shared(net, t);
        if (k < 0) {
            if (nnames == 0)
                return fail(r, item, entry,
                            "unknown shared tensor '%s'; declare it in network.shared, e.g. "
                            "shared: [{name: %s, bytes: 10 MB}]",
                            t, t);
            return fail_unknown(r, item, entry, "shared tensor", t, "declared", names,
                                (size_t)nnames);
        }
        if (layer_add_use(layer, k) != 0)
            return fail(r, item, entry, "'%s' is listed twice; each shared tensor once", t);
    }
    return 0;
}

/* network.shared: a list of {name, bytes}, weight tensors that several
 * layers use (each device holding any of them loads it once). */
static int read_shared(reader *r, yaml_node_t *n, nn_network *net)
{
    if (want(r, n, YAML_SEQUENCE_NODE, "network.shared",
             "a list of shared tensors, e.g. - {name: wte, bytes: 154 MB}"))
        return -1;
    int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    for (int i = 0; i < count; i++) {
        yaml_node_t *item = node(r, n->data.sequence.items.start[i]);
        char path[64], field[96];
        path_index(path, sizeof path, "network.shared", i);
        if (want(r, item, YAML_MAPPING_NODE, path,
                 "a shared tensor mapping such as {name: wte, bytes: 154 MB}"))
            return -1;
        static const char *const KEYS[] = {"name", "bytes"};
        if (check_keys(r, item, path, KEYS, 2, "name, bytes")) return -1;
        yaml_node_t *v = map_get(r, item, "name");
        char name[NN_NAME_LEN];
        if (!v) return missing(r, item, path, "name", "a unique shared tensor name");
        path_key(field, sizeof field, path, "name");
        if (read_name(r, v, field, name, sizeof name, "a shared tensor name such as 'wte'"))
            return -1;
        if (network_find_shared(net, name) >= 0)
            return fail(r, v, field, "duplicate shared tensor name '%s'; names must be unique",
                        name);
        double bytes;
        if (!(v = map_get(r, item, "bytes")))
            return missing(r, item, path, "bytes", "the tensor's size, e.g. '154 MB'");
        path_key(field, sizeof field, path, "bytes");
        if (read_quantity(r, v, field, "bytes", RANGE_BYTES, &bytes)) return -1;
        if (network_add_shared(net, name, bytes) < 0)
            return fail(r, item, path, "out of memory adding shared tensor '%s'", name);
    }
    return 0;
}

static int read_layer(reader *r, nn_network *net, yaml_node_t *n, int index)
{
    char path[64], field[192];
    path_index(path, sizeof path, "network.layers", index);
    if (want(r, n, YAML_MAPPING_NODE, path,
             "a layer mapping such as {name: fc, type: linear, out_features: 1000}"))
        return -1;

    const nn_layer_type_desc *desc = layer_type_get(LT_RAW);
    yaml_node_t *v = map_get(r, n, "type");
    if (v) {
        int t;
        path_key(field, sizeof field, path, "type");
        if (read_enum(r, v, field, ENUM_LAYER_TYPE, &t)) return -1;
        desc = layer_type_get((nn_layer_type)t);
    }

    const char *keys[4 + 5 + LAYER_MAX_PARAMS];
    size_t nkeys = 0;
    keys[nkeys++] = "name";
    keys[nkeys++] = "type";
    for (int i = 0; i < desc->nparams; i++)
        keys[nkeys++] = desc->params[i].key;
    if (desc->type == LT_RAW) {
        keys[nkeys++] = "flops";
        keys[nkeys++] = "weights";
        keys[nkeys++] = "output";
        keys[nkeys++] = "shape";
    }
    keys[nkeys++] = "profile";
    keys[nkeys++] = "uses";
    char list[512], what[600];
    join_names(list, sizeof list, keys, nkeys);
    snprintf(what, sizeof what, "%s (for a %s layer)", list, desc->name);
    if (check_keys(r, n, path, keys, nkeys, what)) return -1;

    char name[NN_NAME_LEN];
    if (!(v = map_get(r, n, "name"))) return missing(r, n, path, "name", "a unique layer name");
    path_key(field, sizeof field, path, "name");
    if (read_name(r, v, field, name, sizeof name, "a layer name such as 'conv1'")) return -1;
    int dup = network_find_layer(net, name);
    if (dup >= 0)
        return fail(r, v, field,
                    "duplicate layer name '%s' (first at line %d, column %d); layer names must be "
                    "unique",
                    name, (int)r->layer_nodes[dup]->start_mark.line + 1,
                    (int)r->layer_nodes[dup]->start_mark.column + 1);

    nn_layer *layer = network_add_layer(net, name, desc->type);
    if (!layer) return fail(r, n, path, "out of memory adding layer '%s'", name);
    r->layer_nodes[net->nlayers - 1] = n;

    for (int i = 0; i < desc->nparams; i++) {
        const nn_param_desc *p = &desc->params[i];
        path_key(field, sizeof field, path, p->key);
        if ((v = map_get(r, n, p->key))) {
            if (read_param(r, v, field, p, &layer->param[i])) return -1;
            layer->param_given |= 1u << i;
        } else if (p->def == LAYER_PARAM_REQUIRED) {
            char need[224];
            snprintf(need, sizeof need, "%s: an integer from %ld to %ld, required by %s layers",
                     p->help, p->min, p->max, desc->name);
            return missing(r, n, path, p->key, need);
        }
    }
    if (desc->type == LT_RAW) {
        if (!(v = map_get(r, n, "flops")))
            return missing(r, n, path, "flops",
                           "operations of one inference, e.g. '1 GFLOP', required by raw layers");
        path_key(field, sizeof field, path, "flops");
        if (read_quantity(r, v, field, "flops", RANGE_FLOPS, &layer->raw_flops)) return -1;
        if ((v = map_get(r, n, "weights"))) {
            path_key(field, sizeof field, path, "weights");
            if (read_quantity(r, v, field, "weights", RANGE_BYTES, &layer->raw_weights)) return -1;
        }
        if (!(v = map_get(r, n, "output")))
            return missing(r, n, path, "output",
                           "bytes of the activation sent on, e.g. '200 kB', required by raw "
                           "layers");
        path_key(field, sizeof field, path, "output");
        if (read_quantity(r, v, field, "output", RANGE_BYTES, &layer->raw_output)) return -1;
        if ((v = map_get(r, n, "shape"))) {
            path_key(field, sizeof field, path, "shape");
            if (read_shape(r, v, field, &layer->raw_shape)) return -1;
        }
    }
    if ((v = map_get(r, n, "profile")) && read_profile(r, v, path, layer)) return -1;
    if ((v = map_get(r, n, "uses")) && read_uses(r, v, path, net, layer)) return -1;
    return 0;
}

static int read_zoo_network(reader *r, const yaml_node_t *n, nn_network *net)
{
    const char *t = scalar_text(n);
    if (zoo_build(t, net) == 0) return 0;
    network_free(net);
    int count = zoo_count() < 64 ? zoo_count() : 64;
    const char *names[64];
    for (int i = 0; i < count; i++)
        names[i] = zoo_name(i);
    char hint[96], list[1024];
    did_you_mean(hint, sizeof hint, t, names, (size_t)count);
    join_names(list, sizeof list, names, (size_t)count);
    return fail(r, n, "network",
                "unknown network '%s'%s; accepted: a zoo name (%s) or an inline network mapping "
                "with name, input and layers",
                t, hint, list);
}

/* A path the scenario names (an ONNX model, a profile CSV), relative to the
 * scenario file's directory unless absolute. */
static void beside_file(const reader *r, const char *path, char *out, size_t size)
{
    const char *slash = strrchr(r->file, '/');
    if (path[0] == '/' || !slash)
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "%.*s/%s", (int)(slash - r->file), r->file, path);
}

/* network: {onnx: models/x.onnx, granularity: auto}: the path is relative to
 * the scenario file and kept as written, so a save writes it back. */
static int read_onnx_network(reader *r, const yaml_node_t *n, nn_network *net)
{
    static const char *const KEYS[] = {"onnx", "granularity", "name"};
    if (check_keys(r, n, "network", KEYS, 3, "onnx, granularity, name (for an ONNX model)"))
        return -1;
    yaml_node_t *v = map_get(r, n, "onnx");
    const char *path;
    if (scalar(r, v, "network.onnx", "the path of an .onnx file, relative to this file", &path))
        return -1;
    if (!path[0] || strlen(path) >= sizeof net->onnx)
        return fail(r, v, "network.onnx", "a path of 1 to %zu bytes is accepted",
                    sizeof net->onnx - 1);
    onnx_granularity g = {.kind = ONNX_GRAN_AUTO};
    const char *gran = "";
    yaml_node_t *gv = map_get(r, n, "granularity");
    if (gv) {
        char why[256];
        if (scalar(r, gv, "network.granularity", "auto, ops or a count of units", &gran)) return -1;
        if (!onnx_granularity_parse(gran, &g, why, sizeof why) ||
            strlen(gran) >= sizeof net->onnx_granularity)
            return fail(r, gv, "network.granularity", "%s", why);
    }
    char full[4096];
    beside_file(r, path, full, sizeof full);
    nn_error err;
    if (onnx_import_file(full, &g, net, NULL, &err) != 0)
        return fail(r, v, "network.onnx", "%s", err.message);
    str_copy(net->onnx, sizeof net->onnx, path);
    str_copy(net->onnx_granularity, sizeof net->onnx_granularity, gran);
    if ((v = map_get(r, n, "name")) &&
        read_name(r, v, "network.name", net->name, sizeof net->name, "a network name"))
        return -1;
    return 0;
}

static int read_network(reader *r, const yaml_node_t *n, nn_network *net)
{
    if (n->type == YAML_MAPPING_NODE && map_get(r, n, "onnx")) return read_onnx_network(r, n, net);
    if (n->type == YAML_SCALAR_NODE) return read_zoo_network(r, n, net);
    if (n->type != YAML_MAPPING_NODE)
        return fail(r, n, "network",
                    "expected a zoo name such as 'alexnet' or a mapping with name, input and "
                    "layers, found %s",
                    node_kind(n));
    static const char *const KEYS[] = {"name", "input", "dtype", "shared", "layers"};
    if (check_keys(r, n, "network", KEYS, 5, "name, input, dtype, shared, layers")) return -1;

    yaml_node_t *v = map_get(r, n, "name");
    if (v && read_name(r, v, "network.name", net->name, sizeof net->name,
                       "a network name such as 'tiny'"))
        return -1;
    yaml_node_t *input = map_get(r, n, "input");
    if (!input)
        return missing(r, n, "network", "input",
                       "the input tensor: a size such as '100000 B' or {shape: [3, 224, 224], "
                       "dtype: fp32}");
    bool dtype_given = false;
    if (read_input(r, input, net, &dtype_given)) return -1;
    if ((v = map_get(r, n, "dtype"))) {
        nn_dtype dt;
        if (read_dtype(r, v, "network.dtype", &dt)) return -1;
        if (dtype_given && dt != net->dtype)
            return fail(r, v, "network.dtype",
                        "dtype %s contradicts network.input.dtype %s; give it once or give both "
                        "the same",
                        dtype_name(dt), dtype_name(net->dtype));
        net->dtype = dt;
    }

    if ((v = map_get(r, n, "shared")) && read_shared(r, v, net)) return -1;
    yaml_node_t *layers = map_get(r, n, "layers");
    if (!layers)
        return missing(r, n, "network", "layers",
                       "a list of layers, e.g. - {name: L1, flops: 1e9, weights: 20 MB, output: "
                       "10 kB}");
    if (want(r, layers, YAML_SEQUENCE_NODE, "network.layers",
             "a list of layers, e.g. - {name: L1, flops: 1e9, weights: 20 MB, output: 10 kB}"))
        return -1;
    int count = (int)(layers->data.sequence.items.top - layers->data.sequence.items.start);
    if (count == 0)
        return fail(r, layers, "network.layers", "no layers; at least 1 and at most %d accepted",
                    NN_MAX_LAYERS);
    if (count > NN_MAX_LAYERS) {
        char path[64];
        path_index(path, sizeof path, "network.layers", NN_MAX_LAYERS);
        return fail(r, node(r, layers->data.sequence.items.start[NN_MAX_LAYERS]), path,
                    "too many layers (%d); at most %d accepted", count, NN_MAX_LAYERS);
    }
    r->layer_nodes = calloc((size_t)count, sizeof *r->layer_nodes);
    if (!r->layer_nodes) return fail(r, layers, "network.layers", "out of memory");
    for (int i = 0; i < count; i++)
        if (read_layer(r, net, node(r, layers->data.sequence.items.start[i]), i)) return -1;

    int bad = -1;
    char why[512] = "";
    if (network_infer(net, &bad, why, sizeof why) != 0) {
        if (bad >= 0 && bad < net->nlayers) {
            char path[64];
            path_index(path, sizeof path, "network.layers", bad);
            return fail(r, r->layer_nodes[bad], path, "%s", why);
        }
        return fail(r, input, "network.input", "%s", why);
    }
    return 0;
}

/* ---- the scenario ---------------------------------------------------- */

static const char *const TOP_KEYS[] = {
    "name",   "network", "mode",    "objective", "latency_limit", "energy_limit", "stages",
    "source", "sink",    "devices", "links",     "pins",          "profiles"};
#define TOP_KEYS_TEXT                                                                              \
    "name, network, mode, objective, latency_limit, energy_limit, stages, source, sink, devices, " \
    "links, pins, profiles"

/* "unknown layer 'x' (did you mean 'y'?); layers: a, b, ...". */
static int unknown_layer_text(const nn_network *net, const char *word, char *buf, size_t size)
{
    const char **names = malloc(((size_t)net->nlayers + 1) * sizeof *names);
    if (!names) return -1;
    for (int i = 0; i < net->nlayers; i++)
        names[i] = net->layers[i].name;
    char hint[96], list[400];
    did_you_mean(hint, sizeof hint, word, names, (size_t)net->nlayers);
    /* Short networks list every layer; long ones the first few. */
    enum { SHOWN = 8 };
    join_names(list, sizeof list, names, (size_t)(net->nlayers < SHOWN ? net->nlayers : SHOWN));
    free(names);
    snprintf(buf, size, "unknown layer '%s'%s; layers: %s%s", word, hint, list,
             net->nlayers > SHOWN ? ", ..." : "");
    return 0;
}

static int read_pins(reader *r, const yaml_node_t *n)
{
    if (want(r, n, YAML_MAPPING_NODE, "pins",
             "a mapping of layer name to device name, e.g. {conv1: phone}"))
        return -1;
    if (check_keys(r, n, "pins", NULL, 0, "layer names")) return -1;
    const nn_network *net = &r->s->net;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
        char field[192];
        path_key(field, sizeof field, "pins", scalar_text(k));
        int l = network_find_layer(net, scalar_text(k));
        if (l < 0) {
            char text[640];
            if (unknown_layer_text(net, scalar_text(k), text, sizeof text))
                return fail(r, k, field, "out of memory");
            return fail(r, k, field, "%s", text);
        }
        if (read_device_ref(r, v, field, &r->s->pin[l])) return -1;
    }
    return 0;
}

/* ---- profiles: measured times from CSV files -------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* A header "layer,time", then "NAME,TIME" per line (blank lines and lines
 * starting with '#' are skipped). Errors name the CSV file, line and column. */
static int read_profile_csv(reader *r, const char *csv, char *text, int device)
{
    nn_network *net = &r->s->net;
    const char *dev = r->s->devices[device].name;
    int *seen = calloc((size_t)net->nlayers + 1, sizeof *seen);
    if (!seen) return error_set(r->err, csv, 0, 0, NULL, "out of memory");
    int line = 0, rc = 0;
    bool header = false;
    if ((unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        text += 3; /* a byte-order mark, as spreadsheets write */
    for (char *next = text; next && rc == 0;) {
        char *row = next, *nl = strchr(row, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        line++;
        char *t = trim(row);
        if (!*t || (*t == '#' && header)) continue;
        char *comma = strchr(t, ',');
        if (!header) {
            char *a = t, *b = comma ? trim(comma + 1) : NULL;
            if (comma) *comma = '\0';
            if (!b || strcasecmp(trim(a), "layer") != 0 || strcasecmp(b, "time") != 0) {
                rc = error_set(r->err, csv, line, 1, NULL,
                               "expected the header 'layer,time'; then one line per layer such "
                               "as 'conv1,3.2 ms'");
                break;
            }
            header = true;
            continue;
        }
        int col_time = comma ? (int)(comma - row) + 2 : 0;
        if (!comma || strchr(comma + 1, ',')) {
            rc = error_set(r->err, csv, line, 1, NULL,
                           "expected 2 fields 'layer,time' such as 'conv1,3.2 ms', found %s",
                           comma ? "more" : "1");
            break;
        }
        *comma = '\0';
        char *name = trim(t), *time = trim(comma + 1);
        int col_name = (int)(name - row) + 1;
        int l = network_find_layer(net, name);
        char why[640];
        if (l < 0) {
            if (unknown_layer_text(net, name, why, sizeof why))
                snprintf(why, sizeof why, "out of memory");
            rc = error_set(r->err, csv, line, col_name, "layer", "%s", why);
            break;
        }
        if (seen[l]) {
            rc = error_set(r->err, csv, line, col_name, "layer",
                           "duplicate layer '%s' (first at line %d); each layer may appear once",
                           name, seen[l]);
            break;
        }
        seen[l] = line;
        double seconds;
        if (!units_parse(time, UNIT_TIME, &seconds, why, sizeof why) ||
            !ranges_check(RANGE_PROFILE, "time", seconds, why, sizeof why)) {
            rc = error_set(r->err, csv, line, col_time, "time", "%s", why);
            break;
        }
        nn_layer *layer = &net->layers[l];
        for (int i = 0; i < layer->nprofiles; i++)
            if (strcmp(layer->profiles[i].device, dev) == 0) {
                rc = error_set(r->err, csv, line, col_name, "layer",
                               "layer '%s' already has a profile for %s in the scenario; give "
                               "it in one place",
                               name, dev);
                break;
            }
        if (rc) break;
        if (layer_add_profile(layer, dev, seconds) != 0) {
            rc = error_set(r->err, csv, line, 0, NULL, "out of memory");
            break;
        }
        layer->profiles[layer->nprofiles - 1].from_file = true;
    }
    if (rc == 0 && !header)
        rc = error_set(r->err, csv, 1, 1, NULL,
                       "empty; expected the header 'layer,time' and one line per layer");
    free(seen);
    return rc;
}

/* profiles: {phone: profiles/phone.csv}, relative to the scenario file. */
static int read_profiles(reader *r, const yaml_node_t *n)
{
    if (want(r, n, YAML_MAPPING_NODE, "profiles",
             "a mapping of device name to a CSV file, e.g. {phone: profiles/phone.csv}"))
        return -1;
    if (check_keys(r, n, "profiles", NULL, 0, "device names")) return -1;
    nn_scenario *s = r->s;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
        char field[192];
        path_key(field, sizeof field, "profiles", scalar_text(k));
        int d;
        if (read_device_ref(r, k, field, &d)) return -1;
        const char *path;
        if (scalar(r, v, field, "the path of a CSV file with the header 'layer,time'", &path))
            return -1;
        if (!path[0] || strlen(path) >= sizeof s->profile_files[0].path)
            return fail(r, v, field, "a path of 1 to %zu bytes is accepted",
                        sizeof s->profile_files[0].path - 1);
        char full[4096];
        beside_file(r, path, full, sizeof full);
        char *text = NULL;
        size_t len = 0;
        nn_error ferr;
        if (fileio_read(full, NN_MAX_FILE_BYTES, &text, &len, &ferr) != 0)
            return fail(r, v, field, "%s", ferr.message);
        int rc = read_profile_csv(r, full, text, d);
        free(text);
        if (rc) return -1;
        s->profile_files[s->nprofile_files].device = d;
        str_copy(s->profile_files[s->nprofile_files].path, sizeof s->profile_files[0].path, path);
        s->nprofile_files++;
    }
    return 0;
}

static int read_scenario(reader *r, yaml_node_t *root)
{
    nn_scenario *s = r->s;
    if (root->type != YAML_MAPPING_NODE)
        return fail(r, root, "(top level)",
                    "expected a mapping with keys " TOP_KEYS_TEXT "; found %s", node_kind(root));
    /* A mapping without one scenario key is some other file (a password
     * file reads as YAML too): say so without echoing its content. */
    bool any = false;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top && !any; p++) {
        yaml_node_t *k = node(r, p->key);
        for (size_t i = 0; k->type == YAML_SCALAR_NODE && i < sizeof TOP_KEYS / sizeof *TOP_KEYS;
             i++)
            any = any || strcmp(scalar_text(k), TOP_KEYS[i]) == 0;
    }
    if (!any)
        return error_set(r->err, r->file, 1, 1, NULL,
                         "not a scenario file: none of its keys is a scenario key; accepted: a "
                         "YAML mapping with keys " TOP_KEYS_TEXT);
    if (check_keys(r, root, "", TOP_KEYS, sizeof TOP_KEYS / sizeof *TOP_KEYS, TOP_KEYS_TEXT))
        return -1;

    yaml_node_t *v;
    if ((v = map_get(r, root, "name"))) {
        const char *t;
        if (scalar(r, v, "name", "a free-text scenario name", &t)) return -1;
        if (strlen(t) >= sizeof s->name)
            return fail_too_long(r, v, "name", "text", t, sizeof s->name - 1);
        str_copy(s->name, sizeof s->name, t);
    }
    if ((v = map_get(r, root, "mode"))) {
        int m;
        if (read_enum(r, v, "mode", ENUM_MODE, &m)) return -1;
        s->mode = (nn_mode)m;
    }
    if ((v = map_get(r, root, "objective"))) {
        int o;
        if (read_enum(r, v, "objective", ENUM_OBJECTIVE, &o)) return -1;
        s->objective = (nn_objective)o;
    }
    if ((v = map_get(r, root, "stages"))) {
        int st;
        if (read_enum(r, v, "stages", ENUM_STAGES, &st)) return -1;
        s->stages = (nn_stages)st;
    }
    if ((v = map_get(r, root, "latency_limit")) &&
        read_quantity(r, v, "latency_limit", "latency_limit", RANGE_LATENCY, &s->latency_limit))
        return -1;
    if ((v = map_get(r, root, "energy_limit")) &&
        read_quantity(r, v, "energy_limit", "energy_limit", RANGE_ENERGY, &s->energy_limit))
        return -1;
    if (!(v = map_get(r, root, "devices")))
        return missing(r, root, "", "devices",
                       "a list of devices, each with name, speed, memory and load_rate");
    if (read_devices(r, v)) return -1;
    if ((v = map_get(r, root, "links")) && read_links(r, v)) return -1;

    if (!(v = map_get(r, root, "network")))
        return missing(r, root, "", "network",
                       "a zoo name such as 'alexnet' or an inline network with name, input and "
                       "layers");
    nn_network net = {0};
    int bad = read_network(r, v, &net);
    char why[320];
    if (!bad && !ranges_check_size(net.nlayers, s->ndevices, why, sizeof why)) {
        network_free(&net);
        return fail(r, v, "network", "%s", why);
    }
    if (bad || scenario_set_network(s, &net)) {
        network_free(&net);
        if (r->err->message[0] == '\0') return fail(r, v, "network", "out of memory");
        return -1;
    }
    s->net_line = (int)v->start_mark.line + 1;
    s->net_col = (int)v->start_mark.column + 1;

    s->source = 0;
    if ((v = map_get(r, root, "source")) && read_device_ref(r, v, "source", &s->source)) return -1;
    s->sink = s->source;
    if ((v = map_get(r, root, "sink")) && read_device_ref(r, v, "sink", &s->sink)) return -1;
    if ((v = map_get(r, root, "pins")) && read_pins(r, v)) return -1;
    if ((v = map_get(r, root, "profiles")) && read_profiles(r, v)) return -1;
    return 0;
}

static int syntax_error(reader *r, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "unreadable input";
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR) {
        /* The reader reports a byte offset, not a line. */
        return error_set(r->err, r->file, 1, 1, NULL,
                         "not a YAML text file: %s at byte %zu; accepted: UTF-8 YAML", problem,
                         p->problem_offset);
    }
    if (p->context)
        return error_set(r->err, r->file, line, col, NULL,
                         "YAML syntax error: %s (%s at line %d, column %d)", problem, p->context,
                         (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
    return error_set(r->err, r->file, line, col, NULL, "YAML syntax error: %s", problem);
}

/* Walks the events once before the document is built: collections nested
 * deeper than NN_MAX_YAML_DEPTH are refused where the limit is crossed
 * (libyaml's time grows with the square of the depth of flow collections,
 * 67 s for 100,000 levels). */
static int check_depth(reader *r, const char *yaml, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return error_set(r->err, r->file, 0, 0, NULL, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
    int depth = 0, rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = syntax_error(r, &p);
            break;
        }
        yaml_event_type_t t = ev.type;
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
            if (++depth > NN_MAX_YAML_DEPTH) {
                rc = error_set(r->err, r->file, (int)ev.start_mark.line + 1,
                               (int)ev.start_mark.column + 1, NULL,
                               "lists and mappings nested %d deep; at most %d levels accepted",
                               depth, NN_MAX_YAML_DEPTH);
                yaml_event_delete(&ev);
                break;
            }
        } else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT) break;
    }
    yaml_parser_delete(&p);
    return rc;
}

int scenario_load_string(const char *yaml, size_t len, const char *name, nn_scenario *out,
                         nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    error_clear(err);
    scenario_init(out);
    reader r = {.file = name ? name : "<input>", .err = err, .s = out};

    /* libyaml takes one byte-order mark; a second would read as text and
     * give a puzzling syntax error on line 2. */
    static const char BOM[] = "\xef\xbb\xbf";
    if (len >= 6 && memcmp(yaml, BOM, 3) == 0 && memcmp(yaml + 3, BOM, 3) == 0)
        return error_set(err, r.file, 1, 1, NULL,
                         "two byte-order marks at the start; at most one accepted (UTF-8 YAML)");
    if (check_depth(&r, yaml, len) != 0) return -1;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return error_set(err, r.file, 0, 0, NULL, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    int rc = -1;
    if (!yaml_parser_load(&parser, &doc)) {
        syntax_error(&r, &parser);
        yaml_parser_delete(&parser);
        return -1;
    }
    r.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        error_set(err, r.file, 1, 1, NULL,
                  "empty file; expected a scenario with at least network and devices");
    } else if (read_scenario(&r, root) == 0) {
        /* A second document would be silently ignored: refuse it. */
        yaml_document_t next;
        if (!yaml_parser_load(&parser, &next)) {
            syntax_error(&r, &parser);
        } else {
            yaml_node_t *more = yaml_document_get_root_node(&next);
            if (more)
                fail(&r, more, NULL, "a second YAML document; a scenario file holds exactly one");
            else
                rc = 0;
            yaml_document_delete(&next);
        }
    }
    free(r.layer_nodes);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc != 0) scenario_free(out);
    return rc;
}

int scenario_load_file(const char *path, nn_scenario *out, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    error_clear(err);
    scenario_init(out);
    char *buf;
    size_t len;
    if (fileio_read(path, MAX_FILE_BYTES, &buf, &len, err) != 0) return -1;
    int rc = scenario_load_string(buf, len, path, out, err);
    free(buf);
    return rc;
}
