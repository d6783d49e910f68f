/* The rules for a file the user names for output (a picture, an LP, an
 * imported scenario), on top of fileio's atomic save: never over the file
 * being read, never over an existing file unless forced, the whole file or
 * nothing. A device such as /dev/stdout replaces nothing: it is written in
 * place and needs no force. */
#ifndef NNPART_OUTFILE_H
#define NNPART_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Fills the stream; returns 0, or -1 on failure (out of memory, I/O). */
typedef int (*outfile_fill)(FILE *out, void *ctx);

enum { OUTFILE_OK = 0, OUTFILE_EXISTS = 1, OUTFILE_ERROR = 2, OUTFILE_SOURCE = 3 };

/* Whether `path` may be written: OUTFILE_SOURCE when it is the same file as
 * `source` (the input being read; NULL: none), even with `force`;
 * OUTFILE_EXISTS when it would replace something and `force` is not given;
 * else OUTFILE_OK. Before the work, so that a refusal costs nothing. */
int outfile_check(const char *path, const char *source, bool force);

/* outfile_check, then `fill` into memory and fileio_write: a regular file is
 * replaced atomically (through symbolic links, keeping its mode); without
 * `force` it is put in place by link(2), which fails when `path` exists even
 * if it appeared meanwhile. Returns OUTFILE_OK, OUTFILE_SOURCE or
 * OUTFILE_EXISTS (nothing written), or OUTFILE_ERROR with the reason in
 * `why`. */
int outfile_write(const char *path, const char *source, bool force, outfile_fill fill, void *ctx,
                  char *why, size_t why_size);

#endif
