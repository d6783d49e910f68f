/* Shared limits and the error record every loader and check fills in. */
#ifndef NNPART_COMMON_H
#define NNPART_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ranges.h"

#define NN_NAME_LEN 64  /* device, layer, network names (including NUL) */
#define NN_TEXT_LEN 160 /* one line of explanation */

/* Where and why an input was rejected. line/column are 1-based; 0 = unknown.
 * `message` is the complete text shown to the user; the other fields let
 * tests and the TUI point at the culprit. */
typedef struct nn_error {
    char file[256];
    int line;
    int column;
    char field[128];   /* dotted path, e.g. "devices[1].speed" */
    char message[768]; /* "file:line:col: field: what is wrong; accepted: ..." */
} nn_error;

/* Clears the record. */
void error_clear(nn_error *err);

/* Fills the record and composes `message` as
 * "FILE:LINE:COL: FIELD: TEXT" (parts that are unknown are left out).
 * Returns -1 so callers can `return error_set(...)`. */
int error_set(nn_error *err, const char *file, int line, int column, const char *field,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Opens a file for reading only when it is a regular file: a FIFO would
 * block forever and a device never end. Opened without blocking, checked
 * with fstat, then switched back to blocking reads. NULL with the reason
 * ("not a regular file (a FIFO)", "cannot open: ...") in `err`. */
FILE *file_open_regular(const char *path, nn_error *err);

/* Bounded copy that always terminates `dst`. */
void str_copy(char *dst, size_t size, const char *src);

#endif
