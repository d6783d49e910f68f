/* Scenario files out: a fixed key order and exact values with readable
 * units, so saved files diff cleanly and reload bit for bit. */
#include "scenario_io.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "field.h"
#include "fileio.h"
#include "units.h"
#include "yaml_write.h"

/* Whether a plain scalar would be read back as something else (or not at
 * all). `flow`: inside [..] or {..}, where ",[]{}" end a scalar and ':' is
 * ambiguous. */
static bool needs_quotes(const char *t, bool flow)
{
    size_t n = strlen(t);
    if (n == 0) return true;
    if (t[0] == ' ' || t[n - 1] == ' ' || t[n - 1] == ':') return true;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", t[0])) return true;
    if (strstr(t, ": ") || strstr(t, " #")) return true;
    if (flow && strpbrk(t, ",[]{}:")) return true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f) return true;
    /* Words YAML tools take for booleans or null, and numbers: keep them
     * strings for any reader, not only ours. */
    static const char *const SPECIAL[] = {"true", "false", "yes", "no", "on",
                                          "off",  "null",  "~",   "y",  "n"};
    for (size_t i = 0; i < sizeof SPECIAL / sizeof *SPECIAL; i++)
        if (strcasecmp(t, SPECIAL[i]) == 0) return true;
    char *end;
    strtod(t, &end);
    return *end == '\0';
}

static void put_string(FILE *out, const char *t, bool flow)
{
    if (!needs_quotes(t, flow)) {
        fputs(t, out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_quantity(FILE *out, double v, unit_kind kind)
{
    char buf[64];
    units_format_exact(v, kind, buf, sizeof buf);
    fputs(buf, out);
}

static void put_shape(FILE *out, const nn_shape *s)
{
    fputc('[', out);
    for (int i = 0; i < s->ndim; i++)
        fprintf(out, i ? ", %ld" : "%ld", s->dim[i]);
    fputc(']', out);
}

/* One layer on one line: {name: conv1, type: conv2d, out_channels: 64, ...}. */
static void put_layer(FILE *out, const nn_layer *l, const nn_shared *shared)
{
    const nn_layer_type_desc *desc = layer_type_get(l->type);
    fputs("    - {name: ", out);
    put_string(out, l->name, true);
    if (l->type != LT_RAW) fprintf(out, ", type: %s", desc->name);
    for (int i = 0; i < desc->nparams; i++) {
        if (!(l->param_given & (1u << i))) continue;
        if (desc->params[i].kind == PARAM_BOOL)
            fprintf(out, ", %s: %s", desc->params[i].key, l->param[i] ? "true" : "false");
        else
            fprintf(out, ", %s: %ld", desc->params[i].key, l->param[i]);
    }
    if (l->type == LT_RAW) {
        fputs(", flops: ", out);
        put_quantity(out, l->raw_flops, UNIT_FLOP);
        fputs(", weights: ", out);
        put_quantity(out, l->raw_weights, UNIT_BYTES);
        fputs(", output: ", out);
        put_quantity(out, l->raw_output, UNIT_BYTES);
        if (l->raw_shape.ndim > 0) {
            fputs(", shape: ", out);
            put_shape(out, &l->raw_shape);
        }
    }
    /* Measured times read from a CSV file are saved there, not inline. */
    int inline_profiles = 0;
    for (int i = 0; i < l->nprofiles; i++)
        inline_profiles += !l->profiles[i].from_file;
    if (inline_profiles > 0) {
        fputs(", profile: {", out);
        for (int i = 0, k = 0; i < l->nprofiles; i++) {
            if (l->profiles[i].from_file) continue;
            if (k++) fputs(", ", out);
            put_string(out, l->profiles[i].device, true);
            fputs(": ", out);
            put_quantity(out, l->profiles[i].seconds, UNIT_TIME);
        }
        fputc('}', out);
    }
    if (l->nuses_given > 0) {
        fputs(", uses: [", out);
        for (int i = 0; i < l->nuses_given; i++) {
            if (i) fputs(", ", out);
            put_string(out, shared[l->uses[i]].name, true);
        }
        fputc(']', out);
    }
    fputs("}\n", out);
}

static void put_network(FILE *out, const nn_network *net)
{
    fputs("network:", out);
    if (net->onnx[0]) {
        fputs(" {onnx: ", out);
        put_string(out, net->onnx, true);
        if (net->onnx_granularity[0]) {
            fputs(", granularity: ", out);
            put_string(out, net->onnx_granularity, true);
        }
        fputs("}\n", out);
        return;
    }
    if (net->zoo[0]) {
        fputc(' ', out);
        put_string(out, net->zoo, false);
        fputc('\n', out);
        return;
    }
    fputc('\n', out);
    if (net->name[0]) {
        fputs("  name: ", out);
        put_string(out, net->name, false);
        fputc('\n', out);
    }
    if (net->input_shape.ndim > 0) {
        fputs("  input: {shape: ", out);
        put_shape(out, &net->input_shape);
        fprintf(out, ", dtype: %s}\n", dtype_name(net->dtype));
    } else {
        fputs("  input: ", out);
        put_quantity(out, net->input_bytes, UNIT_BYTES);
        fputc('\n', out);
        if (net->dtype != DTYPE_FP32) fprintf(out, "  dtype: %s\n", dtype_name(net->dtype));
    }
    bool any_shared = false;
    for (int i = 0; i < net->nshared; i++) {
        if (net->shared[i].derived) continue;
        if (!any_shared) fputs("  shared:\n", out);
        any_shared = true;
        fputs("    - {name: ", out);
        put_string(out, net->shared[i].name, true);
        fputs(", bytes: ", out);
        put_quantity(out, net->shared[i].bytes, UNIT_BYTES);
        fputs("}\n", out);
    }
    fputs("  layers:\n", out);
    for (int i = 0; i < net->nlayers; i++)
        put_layer(out, &net->layers[i], net->shared);
}

/* ---- the sections ----------------------------------------------------- */

void yw_spell(const char *text, bool string, bool flow, FILE *out)
{
    if (string)
        put_string(out, text, flow);
    else
        fputs(text, out);
}

static void item_string(yw_item *it, const char *key, const char *value)
{
    *it = (yw_item){.key = key, .string = true};
    str_copy(it->value, sizeof it->value, value);
}

static void item_word(yw_item *it, const char *key, const char *value)
{
    item_string(it, key, value);
    it->string = false;
}

static void item_quantity(yw_item *it, const char *key, double v, unit_kind kind)
{
    *it = (yw_item){.key = key};
    units_format_exact(v, kind, it->value, sizeof it->value);
}

/* Whether a file states field `id` of device or link `index`: an undivided
 * link has no reverse rate of its own, a device without memory_bandwidth no
 * roofline. A new optional field adds its case here. */
static bool field_stated(const nn_scenario *s, nn_field_id id, int index)
{
    switch (id) {
    case FIELD_REVERSE:
        return s->links[index].reverse_given;
    case FIELD_MEMORY_BANDWIDTH:
        return s->devices[index].memory_bandwidth > 0;
    case FIELD_POWER:
    case FIELD_IDLE_POWER:
    case FIELD_LOAD_POWER:
    case FIELD_ENERGY: { /* energy figures: only when given (0: not given) */
        nn_field_ref ref = {.id = id, .index = index};
        return field_get(s, &ref) > 0;
    }
    default:
        return true;
    }
}

/* Every number of the field table that belongs to `owner`, in table order. */
static int field_items(const nn_scenario *s, nn_field_owner owner, int index, yw_item *out)
{
    int n = 0;
    for (int id = 0; id < FIELD_COUNT; id++) {
        const nn_field_desc *f = field_desc((nn_field_id)id);
        if (f->owner != owner || !field_stated(s, (nn_field_id)id, index)) continue;
        nn_field_ref ref = {.id = (nn_field_id)id, .index = index};
        item_quantity(&out[n++], f->key, field_get(s, &ref), f->unit);
    }
    return n;
}

static int one_slot(const nn_scenario *s)
{
    (void)s;
    return 1;
}

static int name_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (!s->name[0]) return 0;
    item_string(out, "name", s->name);
    return 1;
}

static int network_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (!s->net.zoo[0]) return 0;
    item_string(out, "network", s->net.zoo);
    return 1;
}

static void network_write(const nn_scenario *s, FILE *out)
{
    put_network(out, &s->net);
}

static int mode_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    item_word(out, "mode", mode_name(s->mode));
    return 1;
}

/* The objective, its limits and the stages rule: only when not the default,
 * so files without them save as they were. */
static int objective_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (s->objective == OBJ_LATENCY) return 0;
    item_word(out, "objective", objective_name(s->objective));
    return 1;
}

static int latency_limit_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (!(s->latency_limit > 0)) return 0;
    item_quantity(out, "latency_limit", s->latency_limit, UNIT_TIME);
    return 1;
}

static int energy_limit_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (!(s->energy_limit > 0)) return 0;
    item_quantity(out, "energy_limit", s->energy_limit, UNIT_ENERGY);
    return 1;
}

static int stages_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (s->stages == STAGES_ANY) return 0;
    item_word(out, "stages", stages_name(s->stages));
    return 1;
}

static int source_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (s->ndevices == 0) return 0;
    item_string(out, "source", s->devices[s->source].name);
    return 1;
}

static int sink_items(const nn_scenario *s, int i, yw_item *out)
{
    (void)i;
    if (s->ndevices == 0) return 0;
    item_string(out, "sink", s->devices[s->sink].name);
    return 1;
}

static int device_slots(const nn_scenario *s)
{
    return s->ndevices;
}

static int device_items(const nn_scenario *s, int i, yw_item *out)
{
    const nn_device *d = &s->devices[i];
    item_string(&out[0], "name", d->name);
    item_word(&out[1], "tier", tier_name(d->tier));
    int n = 2 + field_items(s, FIELD_DEVICE, i, out + 2);
    if (d->battery) item_word(&out[n++], "battery", "true");
    return n;
}

static int link_slots(const nn_scenario *s)
{
    return s->nlinks;
}

static int link_items(const nn_scenario *s, int i, yw_item *out)
{
    const nn_link *l = &s->links[i];
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (f) {
        fputc('[', f);
        put_string(f, s->devices[l->a].name, true);
        fputs(", ", f);
        put_string(f, s->devices[l->b].name, true);
        fputc(']', f);
        fclose(f);
    }
    item_word(&out[0], "between", buf ? buf : "[]");
    free(buf);
    return 1 + field_items(s, FIELD_LINK, i, out + 1);
}

static int pin_slots(const nn_scenario *s)
{
    return s->pin ? s->net.nlayers : 0;
}

static int pin_items(const nn_scenario *s, int l, yw_item *out)
{
    if (s->pin[l] < 0) return 0;
    item_string(out, s->net.layers[l].name, s->devices[s->pin[l]].name);
    out->key_string = true;
    return 1;
}

static int profile_slots(const nn_scenario *s)
{
    return s->nprofile_files;
}

static int profile_items(const nn_scenario *s, int i, yw_item *out)
{
    item_string(out, s->devices[s->profile_files[i].device].name, s->profile_files[i].path);
    out->key_string = true;
    return 1;
}

/* The order in which the fresh writer puts the top-level keys. */
static const yw_section SECTIONS[] = {
    {.key = "name", .shape = YW_SCALAR, .slots = one_slot, .items = name_items},
    {.key = "network",
     .shape = YW_BLOCK,
     .slots = one_slot,
     .items = network_items,
     .write = network_write},
    {.key = "mode", .shape = YW_SCALAR, .slots = one_slot, .items = mode_items},
    {.key = "objective", .shape = YW_SCALAR, .slots = one_slot, .items = objective_items},
    {.key = "latency_limit", .shape = YW_SCALAR, .slots = one_slot, .items = latency_limit_items},
    {.key = "energy_limit", .shape = YW_SCALAR, .slots = one_slot, .items = energy_limit_items},
    {.key = "stages", .shape = YW_SCALAR, .slots = one_slot, .items = stages_items},
    {.key = "source", .shape = YW_SCALAR, .slots = one_slot, .items = source_items},
    {.key = "sink", .shape = YW_SCALAR, .slots = one_slot, .items = sink_items},
    {.key = "devices", .shape = YW_LIST, .slots = device_slots, .items = device_items},
    {.key = "links", .shape = YW_LIST, .slots = link_slots, .items = link_items, .empty = "[]"},
    {.key = "pins", .shape = YW_MAP, .slots = pin_slots, .items = pin_items},
    {.key = "profiles", .shape = YW_MAP, .slots = profile_slots, .items = profile_items},
};
enum { NSECTIONS = sizeof SECTIONS / sizeof SECTIONS[0] };

int yw_section_count(void)
{
    return NSECTIONS;
}

const yw_section *yw_section_at(int i)
{
    return i >= 0 && i < NSECTIONS ? &SECTIONS[i] : NULL;
}

static void put_item(FILE *out, const yw_item *it)
{
    yw_spell(it->key, it->key_string, false, out);
    fputs(": ", out);
    yw_spell(it->value, it->string, false, out);
    fputc('\n', out);
}

void yw_section_write(const nn_scenario *s, const yw_section *sec, FILE *out)
{
    yw_item items[YW_MAX_ITEMS];
    int slots = sec->slots(s), written = 0;
    if (sec->shape == YW_BLOCK) {
        sec->write(s, out);
        return;
    }
    if (sec->shape == YW_SCALAR) {
        if (sec->items(s, 0, items) > 0) put_item(out, &items[0]);
        return;
    }
    for (int i = 0; i < slots; i++) {
        int n = sec->items(s, i, items);
        if (n == 0) continue;
        if (written++ == 0) fprintf(out, "%s:\n", sec->key);
        for (int k = 0; k < n; k++) {
            fputs(sec->shape == YW_MAP ? "  " : k == 0 ? "  - " : "    ", out);
            put_item(out, &items[k]);
        }
    }
    if (written == 0 && sec->empty) fprintf(out, "%s: %s\n", sec->key, sec->empty);
}

char *yw_section_text(const nn_scenario *s, const yw_section *sec)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f) return NULL;
    yw_section_write(s, sec, f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int scenario_write(const nn_scenario *s, FILE *out)
{
    for (int i = 0; i < NSECTIONS; i++)
        yw_section_write(s, &SECTIONS[i], out);
    return ferror(out) ? -1 : 0;
}

int scenario_save(const nn_scenario *s, const char *path, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    error_clear(err);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return error_set(err, path, 0, 0, NULL, "cannot save: out of memory");
    int bad = scenario_write(s, f);
    if (fclose(f) != 0 || bad) {
        free(text);
        return error_set(err, path, 0, 0, NULL, "cannot save: out of memory");
    }
    int rc = fileio_replace(path, text, len, 0, err);
    free(text);
    return rc == 0 ? 0 : -1;
}
