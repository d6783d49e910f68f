/* The numeric fields of devices and links a user can set: one table with each
 * field's key, unit and accepted range, used by the loader, the explorer's
 * editor and `nnpart sweep`, so a value is judged the same way everywhere. */
#ifndef NNPART_FIELD_H
#define NNPART_FIELD_H

#include "scenario.h"
#include "ranges.h"
#include "units.h"

typedef enum nn_field_owner { FIELD_DEVICE, FIELD_LINK } nn_field_owner;

typedef enum nn_field_id {
    FIELD_SPEED,     /* device, FLOP/s */
    FIELD_MEMORY,    /* device, bytes */
    FIELD_LOAD_RATE, /* device, bytes/s */
    FIELD_MEMORY_BANDWIDTH, /* device, bytes/s; optional (0: absent, no roofline) */
    FIELD_BANDWIDTH, /* link a -> b, bit/s (0: no direct path) */
    FIELD_REVERSE,   /* link b -> a, bit/s */
    FIELD_LATENCY,   /* link, seconds */
    FIELD_POWER,      /* device, watts while computing */
    FIELD_IDLE_POWER, /* device, watts while waiting */
    FIELD_LOAD_POWER, /* device, extra watts while loading weights */
    FIELD_ENERGY,     /* link, joules per bit sent */
    FIELD_COUNT
} nn_field_id;

typedef struct nn_field_desc {
    nn_field_id id;
    nn_field_owner owner;
    const char *key; /* YAML key: "speed", "reverse_bandwidth", ... */
    unit_kind unit;
    nn_range_id range; /* accepted values (ranges.h) */
    const char *help;
} nn_field_desc;

const nn_field_desc *field_desc(nn_field_id id);
/* By YAML key within an owner; NULL if unknown. */
const nn_field_desc *field_find(nn_field_owner owner, const char *key);

/* Checks a value against the field's range; false with a reason such as
 * "speed must be from 1 kFLOP/s to 1000 PFLOP/s, got 0 FLOP/s". */
bool field_check(nn_field_id id, double value, char *why, size_t why_size);
/* Parses text with units and checks it: the one path for typed values. */
bool field_parse_value(nn_field_id id, const char *text, double *out, char *why, size_t why_size);

/* A field of one device or link in a scenario. */
typedef struct nn_field_ref {
    nn_field_id id;
    int index; /* device or link index */
} nn_field_ref;

/* Parses "device:cloud.speed", "link:phone-hub.bandwidth" (the direction
 * follows the names: "link:hub-phone.bandwidth" is the hub -> phone rate). */
bool field_ref_parse(const nn_scenario *s, const char *spec, nn_field_ref *out, char *why,
                     size_t why_size);
void field_ref_name(const nn_scenario *s, const nn_field_ref *ref, char *buf, size_t size);
double field_get(const nn_scenario *s, const nn_field_ref *ref);
/* Checks and sets; false (scenario unchanged) with the reason when out of range. */
bool field_set(nn_scenario *s, const nn_field_ref *ref, double value, char *why, size_t why_size);

#endif
