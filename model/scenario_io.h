/* Scenario files: YAML in, YAML out (libyaml). */
#ifndef NNPART_SCENARIO_IO_H
#define NNPART_SCENARIO_IO_H

#include <stdio.h>

#include "scenario.h"

/* Loads and validates a scenario; on failure fills `err` (file, line, column,
 * field, accepted range) and returns -1. `*out` is then empty. */
int scenario_load_file(const char *path, nn_scenario *out, nn_error *err);
/* Same from memory; `name` is used as the file name in messages. */
int scenario_load_string(const char *yaml, size_t len, const char *name, nn_scenario *out,
                         nn_error *err);

/* Writes every field with a human-readable exact unit, in a stable key order,
 * so saved files diff cleanly and reload to the identical scenario. */
int scenario_write(const nn_scenario *s, FILE *out);
/* Atomic save: write a temporary file beside `path`, fsync, rename. A failed
 * save leaves the old file untouched; the reason goes to `err`. */
int scenario_save(const nn_scenario *s, const char *path, nn_error *err);

/* Compares two scenarios field by field (names, numbers bit for bit, layers,
 * profiles, pins). Returns true when identical; otherwise describes the first
 * difference in `why`. Used by the round-trip tests and "unsaved changes". */
bool scenario_equal(const nn_scenario *a, const nn_scenario *b, char *why, size_t why_size);

#endif
