/* A small streaming JSON writer: objects, arrays, escaped strings, numbers
 * as %.17g so they read back bit for bit. Non-finite numbers become null
 * (JSON has no Infinity). Output is indented; "inline" arrays stay on one
 * line, for shapes and placements. */
#ifndef NNPART_CLI_JSON_H
#define NNPART_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer {
    FILE *out;
    int depth;
    bool first[JSON_MAX_DEPTH];   /* no element written yet at this level */
    bool oneline[JSON_MAX_DEPTH]; /* this level is written on one line */
    bool after_key;               /* a key was written; its value comes next */
} json_writer;

void json_init(json_writer *w, FILE *out);
/* Ends the document with a newline. */
void json_finish(json_writer *w);

void json_object_begin(json_writer *w);
/* An object written on one line: {"name": "L1", "start_s": 0}. */
void json_object_begin_inline(json_writer *w);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w);
/* An array written on one line: [3, 224, 224]. */
void json_array_begin_inline(json_writer *w);
void json_array_end(json_writer *w);

void json_key(json_writer *w, const char *key);
void json_string(json_writer *w, const char *s);
void json_number(json_writer *w, double v);
void json_int(json_writer *w, long long v);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);

/* Writes `s` as a quoted JSON string with every character JSON requires
 * escaped: valid JSON whatever the bytes (invalid UTF-8 becomes U+FFFD) and
 * inert on a terminal (control characters, C1 and bidirectional overrides
 * as \u escapes). */
void json_write_escaped(FILE *out, const char *s);

/* Key and value in one call. */
void json_kv_string(json_writer *w, const char *key, const char *s);
void json_kv_number(json_writer *w, const char *key, double v);
void json_kv_int(json_writer *w, const char *key, long long v);
void json_kv_bool(json_writer *w, const char *key, bool v);

#endif
