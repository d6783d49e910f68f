/* The fresh writer's pieces, shared with the patcher (yaml_patch.c): the
 * top-level sections of a scenario file in their order, and each entry of a
 * section as (key, value text) items. Both the fresh writer and the patcher
 * work from this one table, so a new key is added in one place: a row in
 * SECTIONS (yaml_write.c) for a new top-level key, an item in
 * device_items()/link_items() or a row in the field table (field.c) for a
 * new device or link value. Internal to model/. */
#ifndef NNPART_YAML_WRITE_H
#define NNPART_YAML_WRITE_H

#include <stdio.h>

#include "scenario.h"

#define YW_VALUE_LEN 320
#define YW_MAX_ITEMS 16

/* One key with its value as the writer spells it. `string`: free text,
 * quoted when YAML would misread it; otherwise written as is (a quantity
 * with its unit, a mode, a flow list such as "[phone, hub]"). */
typedef struct yw_item {
    const char *key; /* points into the scenario for map entries (a layer name) */
    bool key_string; /* the key is free text too (a layer name) */
    char value[YW_VALUE_LEN];
    bool string;
} yw_item;

typedef enum yw_shape {
    YW_SCALAR, /* key: value */
    YW_LIST,   /* key: a list of mappings, one per entry (devices, links) */
    YW_MAP,    /* key: a mapping of single values, one pair per entry (pins) */
    YW_BLOCK,  /* anything else, written whole by `write` (the network) */
} yw_shape;

typedef struct yw_section {
    const char *key;
    yw_shape shape;
    /* Slots: entries of a list, candidate pairs of a map (a slot may be
     * empty), 1 for a scalar or a block. */
    int (*slots)(const nn_scenario *s);
    /* The items of slot i (at most YW_MAX_ITEMS): a list entry's keys, the
     * first of which names the entry; a map entry's one pair; a scalar's
     * value; a block's value when it is a single scalar (a zoo name).
     * Returns how many; 0: the slot is empty (the scalar is left out, the
     * block is not a single scalar). */
    int (*items)(const nn_scenario *s, int i, yw_item *out);
    /* YW_BLOCK only: writes the whole entry, "key:" included. */
    void (*write)(const nn_scenario *s, FILE *out);
    /* Written as the value when a list has no entries ("links: []");
     * NULL: the key is then left out. */
    const char *empty;
} yw_section;

int yw_section_count(void);
const yw_section *yw_section_at(int i);

/* Writes section `sec` of `s` as the fresh writer does; nothing when the
 * scenario leaves it out. */
void yw_section_write(const nn_scenario *s, const yw_section *sec, FILE *out);
/* The same into a new NUL-terminated string (NULL when out of memory). */
char *yw_section_text(const nn_scenario *s, const yw_section *sec);

/* An item's value (or key) as it must be spelt in block or flow context:
 * free text is double-quoted when a plain scalar would be misread. */
void yw_spell(const char *text, bool string, bool flow, FILE *out);

#endif
