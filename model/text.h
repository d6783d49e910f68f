/* Text from files reaches terminals: names, keys and values echoed in
 * messages. Escaping makes it inert: nothing in it can move the cursor,
 * retitle the window or reorder what is shown. */
#ifndef NNPART_TEXT_H
#define NNPART_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum {
    TEXT_ONE_LINE = 0,   /* newline and tab are escaped too */
    TEXT_KEEP_LINES = 1, /* newline and tab pass (whole outputs) */
};

/* Copies `len` bytes of `src` into `dst` (always terminated, never cutting
 * an escape in half), replacing C0 controls and DEL by "\x1b", C1 controls
 * (U+0080..U+009F, UTF-8 encoded) and the bidirectional embeddings,
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069) by "\u009b",
 * "\u202e", and every byte of invalid UTF-8 by "\xff". Text without them
 * is copied unchanged, so escaping twice changes nothing. Returns the bytes
 * written, without the terminator. */
size_t text_escape_n(char *dst, size_t size, const char *src, size_t len, unsigned flags);
/* The same for a terminated string, on one line: returns `dst`. */
char *text_escape(char *dst, size_t size, const char *src);
/* True when text_escape would change nothing. */
bool text_is_safe(const char *src, size_t len, unsigned flags);
/* Length (1..4) of the valid UTF-8 sequence at s[0..len) with its code
 * point in *cp, or 0 when the bytes there are not one (invalid, overlong,
 * surrogate, cut short). len > 0. */
size_t text_utf8_decode(const char *s, size_t len, unsigned *cp);
/* Whether text_escape replaces code point cp (under `flags`). */
bool text_cp_unsafe(unsigned cp, unsigned flags);
/* Whether `s` is fit for a name: valid UTF-8 without control characters
 * (C0, DEL, C1). Bidirectional overrides are allowed (escaped on output). */
bool text_name_printable(const char *s, size_t len);
/* Makes the terminated `s` such a name in place: each byte of invalid
 * UTF-8 and each control character becomes '_'; then cuts it to at most
 * `max` bytes at a character boundary. Returns s. */
char *text_name_clean(char *s, size_t max);
/* The length of the longest prefix of s[0..len) that does not end inside a
 * UTF-8 sequence that the next bytes could still complete (for streams). */
size_t text_complete_prefix(const char *s, size_t len);

#endif
