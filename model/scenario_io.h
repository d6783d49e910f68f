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
/* Atomic save of scenario_write's text (fileio_replace: through symbolic
 * links, keeping mode and owner; refused when the file has other hard
 * links). A failed save leaves the old file untouched; the reason goes to
 * `err`. */
int scenario_save(const nn_scenario *s, const char *path, nn_error *err);

/* How scenario_patch treated the user's text. */
typedef enum nn_patch_form {
    PATCH_FRESH,     /* no old text: nnpart's own layout, as scenario_write */
    PATCH_KEPT,      /* the old text with only the edited values changed */
    PATCH_SECTIONS,  /* the same, but some sections written whole (the note names them) */
    PATCH_REWRITTEN, /* the whole file in nnpart's layout (the note says why) */
} nn_patch_form;

/* The text to save for `edited`. `base` is the text it was opened from (or
 * last saved as), NULL for a new document. Everything the edit did not
 * change keeps its bytes: comments, key order, quoting, flow or block
 * style, presets (an edited value they gave becomes an override key); see
 * yaml_patch.c. The result always loads back to `edited`: where patching
 * cannot achieve that, a section or the whole file is written fresh and
 * `note` says so (else it is empty). Returns the form, or -1 when out of
 * memory. The caller frees *out. */
int scenario_patch(const char *base, size_t len, const nn_scenario *edited, char **out,
                   size_t *out_len, char *note, size_t note_size);
/* The same for text read from `from` (where `base`'s relative references,
 * network: {onnx: ...}, resolve) and saved at `path` (where the result's
 * resolve when it is checked). `edited`'s references are relative to
 * `from`; in another directory they are rewritten (scenario_rebase) so
 * that they name the same files. Either may be NULL: no file. */
int scenario_patch_at(const char *base, size_t len, const char *from, const char *path,
                      const nn_scenario *edited, char **out, size_t *out_len, char *note,
                      size_t note_size);

/* Rewrites the relative paths a scenario names (network: {onnx: PATH},
 * profiles: {DEVICE: FILE.csv}) of one read from `from` (NULL: none, the
 * current directory) so that saved at `to` they name the same files:
 * relative to to's directory, through the canonical directories (each
 * file's own name kept, a link stays the name). Kept as written when
 * absolute or in the same directory. False, and unchanged, when a directory
 * cannot be resolved or a path does not fit. */
bool scenario_rebase(nn_scenario *s, const char *from, const char *to);

/* Compares two scenarios field by field (names, numbers bit for bit, layers,
 * profiles, pins). Returns true when identical; otherwise describes the first
 * difference in `why`. Used by the round-trip tests and "unsaved changes". */
bool scenario_equal(const nn_scenario *a, const nn_scenario *b, char *why, size_t why_size);

#endif
