/* UTF-8 helpers the painters share: counting and copying characters. */
#ifndef NNPART_UTF8_H
#define NNPART_UTF8_H

#include <stddef.h>

/* Number of characters (UTF-8 code points) in `s`. */
int utf8_cells(const char *s);
/* Copies one UTF-8 character of `s` into `dst` (NUL-terminated, cut to fit
 * `size`); returns the bytes consumed from `s`. */
int utf8_char(const char *s, char *dst, size_t size);

#endif
