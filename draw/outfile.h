/* Writing an output file (a picture, an export) safely: the whole file or
 * nothing, and never over an existing file unless asked. */
#ifndef NNPART_OUTFILE_H
#define NNPART_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Fills the stream; returns 0, or -1 on failure (out of memory, I/O). */
typedef int (*outfile_fill)(FILE *out, void *ctx);

enum { OUTFILE_OK = 0, OUTFILE_EXISTS = 1, OUTFILE_ERROR = 2 };

/* Writes a temporary file beside `path` with `fill`, syncs it, then moves it
 * into place: with `force` by rename (replacing any file), without it by
 * link(2), which fails when `path` exists even if it appears meanwhile.
 * Returns OUTFILE_OK, OUTFILE_EXISTS (nothing written) or OUTFILE_ERROR
 * with the reason in `why`. */
int outfile_write(const char *path, bool force, outfile_fill fill, void *ctx, char *why,
                  size_t why_size);

#endif
