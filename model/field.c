#include "field.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const nn_field_desc FIELDS[FIELD_COUNT] = {
    [FIELD_SPEED] = {.id = FIELD_SPEED,
                     .owner = FIELD_DEVICE,
                     .key = "speed",
                     .unit = UNIT_FLOP_RATE,
                     .range = RANGE_SPEED,
                     .help = "effective compute rate"},
    [FIELD_MEMORY] = {.id = FIELD_MEMORY,
                      .owner = FIELD_DEVICE,
                      .key = "memory",
                      .unit = UNIT_BYTES,
                      .range = RANGE_MEMORY,
                      .help = "memory for weights and activations"},
    [FIELD_LOAD_RATE] = {.id = FIELD_LOAD_RATE,
                         .owner = FIELD_DEVICE,
                         .key = "load_rate",
                         .unit = UNIT_BYTE_RATE,
                         .range = RANGE_LOAD_RATE,
                         .help = "rate at which weights stream from storage into memory"},
    [FIELD_MEMORY_BANDWIDTH] = {.id = FIELD_MEMORY_BANDWIDTH,
                                .owner = FIELD_DEVICE,
                                .key = "memory_bandwidth",
                                .unit = UNIT_BYTE_RATE,
                                .range = RANGE_MEMORY_BANDWIDTH,
                                .help = "rate between memory and compute: compute time is at "
                                        "least the bytes a layer touches / this"},
    [FIELD_BANDWIDTH] = {.id = FIELD_BANDWIDTH,
                         .owner = FIELD_LINK,
                         .key = "bandwidth",
                         .unit = UNIT_BIT_RATE,
                         .range = RANGE_BANDWIDTH,
                         .help = "bandwidth from the first device to the second; 0: no path"},
    [FIELD_REVERSE] = {.id = FIELD_REVERSE,
                       .owner = FIELD_LINK,
                       .key = "reverse_bandwidth",
                       .unit = UNIT_BIT_RATE,
                       .range = RANGE_BANDWIDTH,
                       .help = "bandwidth from the second device to the first; 0: no path"},
    [FIELD_LATENCY] = {.id = FIELD_LATENCY,
                       .owner = FIELD_LINK,
                       .key = "latency",
                       .unit = UNIT_TIME,
                       .range = RANGE_LATENCY,
                       .help = "one-way latency"},
    [FIELD_POWER] = {.id = FIELD_POWER,
                     .owner = FIELD_DEVICE,
                     .key = "power",
                     .unit = UNIT_POWER,
                     .range = RANGE_POWER,
                     .help = "power drawn while computing"},
    [FIELD_IDLE_POWER] = {.id = FIELD_IDLE_POWER,
                          .owner = FIELD_DEVICE,
                          .key = "idle_power",
                          .unit = UNIT_POWER,
                          .range = RANGE_POWER,
                          .help = "power drawn while waiting, over the whole inference"},
    [FIELD_LOAD_POWER] = {.id = FIELD_LOAD_POWER,
                          .owner = FIELD_DEVICE,
                          .key = "load_power",
                          .unit = UNIT_POWER,
                          .range = RANGE_POWER,
                          .help = "extra power drawn while loading weights"},
    [FIELD_ENERGY] = {.id = FIELD_ENERGY,
                      .owner = FIELD_LINK,
                      .key = "energy",
                      .unit = UNIT_ENERGY_PER_BIT,
                      .range = RANGE_BIT_ENERGY,
                      .help = "energy per bit sent, charged to the sender"},
};

const nn_field_desc *field_desc(nn_field_id id)
{
    return (unsigned)id < FIELD_COUNT ? &FIELDS[id] : NULL;
}

const nn_field_desc *field_find(nn_field_owner owner, const char *key)
{
    for (int i = 0; i < FIELD_COUNT; i++)
        if (FIELDS[i].owner == owner && strcmp(FIELDS[i].key, key) == 0) return &FIELDS[i];
    return NULL;
}

bool field_check(nn_field_id id, double value, char *why, size_t why_size)
{
    const nn_field_desc *f = field_desc(id);
    return ranges_check(f->range, f->key, value, why, why_size);
}

bool field_parse_value(nn_field_id id, const char *text, double *out, char *why, size_t why_size)
{
    double v;
    if (!units_parse(text, field_desc(id)->unit, &v, why, why_size)) return false;
    if (!field_check(id, v, why, why_size)) return false;
    *out = v;
    return true;
}

/* "phone-hub" -> two device indices; device names may contain '-', so every
 * split point is tried. */
static bool split_pair(const nn_scenario *s, const char *pair, int *a, int *b)
{
    size_t n = strlen(pair);
    for (size_t i = 1; i + 1 < n; i++) {
        if (pair[i] != '-') continue;
        char left[NN_NAME_LEN];
        if (i >= sizeof left) continue;
        memcpy(left, pair, i);
        left[i] = '\0';
        int da = scenario_find_device(s, left), db = scenario_find_device(s, pair + i + 1);
        if (da >= 0 && db >= 0) {
            *a = da;
            *b = db;
            return true;
        }
    }
    return false;
}

bool field_ref_parse(const nn_scenario *s, const char *spec, nn_field_ref *out, char *why,
                     size_t why_size)
{
    const char *colon = strchr(spec, ':');
    const char *dot = strrchr(spec, '.');
    if (!colon || !dot || dot < colon) {
        snprintf(why, why_size,
                 "'%s' is not a field; expected device:NAME.FIELD (speed, memory, load_rate, "
                 "memory_bandwidth, power, idle_power, load_power) or link:A-B.FIELD (bandwidth, "
                 "latency, energy)",
                 spec);
        return false;
    }
    char owner[16], target[2 * NN_NAME_LEN + 2];
    size_t on = (size_t)(colon - spec), tn = (size_t)(dot - colon - 1);
    if (on >= sizeof owner || tn >= sizeof target) {
        snprintf(why, why_size, "'%s' is not a field: name too long", spec);
        return false;
    }
    memcpy(owner, spec, on);
    owner[on] = '\0';
    memcpy(target, colon + 1, tn);
    target[tn] = '\0';
    const char *key = dot + 1;

    if (strcmp(owner, "device") == 0) {
        const nn_field_desc *f = field_find(FIELD_DEVICE, key);
        int d = scenario_find_device(s, target);
        if (d < 0) {
            snprintf(why, why_size, "'%s': no device named '%s'", spec, target);
            return false;
        }
        if (!f) {
            snprintf(why, why_size,
                     "'%s': a device has no field '%s' (speed, memory, load_rate, "
                     "memory_bandwidth, power, idle_power, load_power)",
                     spec, key);
            return false;
        }
        *out = (nn_field_ref){.id = f->id, .index = d};
        return true;
    }
    if (strcmp(owner, "link") == 0) {
        const nn_field_desc *f = field_find(FIELD_LINK, key);
        int a, b;
        if (!f || f->id == FIELD_REVERSE) {
            snprintf(why, why_size,
                     "'%s': a link has no field '%s' (bandwidth, latency, energy; name the ends "
                     "in the direction you mean)",
                     spec, key);
            return false;
        }
        if (!split_pair(s, target, &a, &b)) {
            snprintf(why, why_size, "'%s': '%s' does not name two devices as A-B", spec, target);
            return false;
        }
        int l = scenario_find_link(s, a, b);
        if (l < 0) {
            snprintf(why, why_size, "'%s': no link between %s and %s", spec, s->devices[a].name,
                     s->devices[b].name);
            return false;
        }
        nn_field_id id = f->id;
        if (id == FIELD_BANDWIDTH && s->links[l].a != a) id = FIELD_REVERSE;
        *out = (nn_field_ref){.id = id, .index = l};
        return true;
    }
    snprintf(why, why_size, "'%s': expected 'device:' or 'link:' before the name", spec);
    return false;
}

void field_ref_name(const nn_scenario *s, const nn_field_ref *ref, char *buf, size_t size)
{
    const nn_field_desc *f = field_desc(ref->id);
    if (f->owner == FIELD_DEVICE) {
        snprintf(buf, size, "device:%s.%s", s->devices[ref->index].name, f->key);
        return;
    }
    const nn_link *l = &s->links[ref->index];
    const char *a = s->devices[l->a].name, *b = s->devices[l->b].name;
    if (ref->id == FIELD_REVERSE)
        snprintf(buf, size, "link:%s-%s.bandwidth", b, a);
    else
        snprintf(buf, size, "link:%s-%s.%s", a, b, f->key);
}

double field_get(const nn_scenario *s, const nn_field_ref *ref)
{
    switch (ref->id) {
    case FIELD_SPEED:
        return s->devices[ref->index].speed;
    case FIELD_MEMORY:
        return s->devices[ref->index].memory;
    case FIELD_LOAD_RATE:
        return s->devices[ref->index].load_rate;
    case FIELD_MEMORY_BANDWIDTH:
        return s->devices[ref->index].memory_bandwidth;
    case FIELD_BANDWIDTH:
        return s->links[ref->index].bandwidth;
    case FIELD_REVERSE:
        return s->links[ref->index].reverse;
    case FIELD_LATENCY:
        return s->links[ref->index].latency;
    case FIELD_POWER:
        return s->devices[ref->index].power;
    case FIELD_IDLE_POWER:
        return s->devices[ref->index].idle_power;
    case FIELD_LOAD_POWER:
        return s->devices[ref->index].load_power;
    case FIELD_ENERGY:
        return s->links[ref->index].energy;
    case FIELD_COUNT:
        break;
    }
    return NAN;
}

bool field_set(nn_scenario *s, const nn_field_ref *ref, double value, char *why, size_t why_size)
{
    if (!field_check(ref->id, value, why, why_size)) return false;
    switch (ref->id) {
    case FIELD_SPEED:
        s->devices[ref->index].speed = value;
        break;
    case FIELD_MEMORY:
        s->devices[ref->index].memory = value;
        break;
    case FIELD_LOAD_RATE:
        s->devices[ref->index].load_rate = value;
        break;
    case FIELD_MEMORY_BANDWIDTH:
        s->devices[ref->index].memory_bandwidth = value;
        break;
    case FIELD_BANDWIDTH:
        s->links[ref->index].bandwidth = value;
        /* An undivided link stays symmetric. */
        if (!s->links[ref->index].reverse_given) s->links[ref->index].reverse = value;
        break;
    case FIELD_REVERSE:
        s->links[ref->index].reverse = value;
        s->links[ref->index].reverse_given = true;
        break;
    case FIELD_LATENCY:
        s->links[ref->index].latency = value;
        break;
    case FIELD_POWER:
        s->devices[ref->index].power = value;
        break;
    case FIELD_IDLE_POWER:
        s->devices[ref->index].idle_power = value;
        break;
    case FIELD_LOAD_POWER:
        s->devices[ref->index].load_power = value;
        break;
    case FIELD_ENERGY:
        s->links[ref->index].energy = value;
        break;
    case FIELD_COUNT:
        return false;
    }
    return true;
}
