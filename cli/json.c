#include "json.h"

#include <math.h>
#include <string.h>

#include "text.h"

void json_init(json_writer *w, FILE *out)
{
    *w = (json_writer){.out = out, .depth = 0};
    w->first[0] = true;
}

static void indent(json_writer *w)
{
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Separator and indentation before a value or a key. */
static void before_item(json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) return;
    if (!w->first[w->depth]) fputc(',', w->out);
    if (w->oneline[w->depth]) {
        if (!w->first[w->depth]) fputc(' ', w->out);
    } else {
        indent(w);
    }
    w->first[w->depth] = false;
}

static void container_open(json_writer *w, char c, bool oneline)
{
    before_item(w);
    fputc(c, w->out);
    if (w->depth + 1 < JSON_MAX_DEPTH) w->depth++;
    w->first[w->depth] = true;
    /* Everything inside a one-line container stays on that line. */
    w->oneline[w->depth] = oneline || w->oneline[w->depth - 1];
}

static void container_close(json_writer *w, char c)
{
    bool empty = w->first[w->depth], oneline = w->oneline[w->depth];
    if (w->depth > 0) w->depth--;
    if (!empty && !oneline) indent(w);
    fputc(c, w->out);
}

void json_finish(json_writer *w)
{
    fputc('\n', w->out);
}

void json_object_begin(json_writer *w)
{
    container_open(w, '{', false);
}

void json_object_begin_inline(json_writer *w)
{
    container_open(w, '{', true);
}

void json_object_end(json_writer *w)
{
    container_close(w, '}');
}

void json_array_begin(json_writer *w)
{
    container_open(w, '[', false);
}

void json_array_begin_inline(json_writer *w)
{
    container_open(w, '[', true);
}

void json_array_end(json_writer *w)
{
    container_close(w, ']');
}

/* Valid JSON whatever the bytes, and inert on a terminal: quote,
 * backslash and the C0 controls as JSON escapes; DEL, the C1 controls and
 * the bidirectional overrides as \u escapes (they stay those characters
 * for a JSON reader); each byte that is not valid UTF-8 as U+FFFD, the
 * replacement character. The output stream's terminal escaping then finds
 * nothing to change. */
void json_write_escaped(FILE *out, const char *s)
{
    if (!s) s = "";
    size_t len = strlen(s);
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned cp = 0;
        size_t n = text_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            fputs("\\ufffd", out);
            i++;
            continue;
        }
        switch (cp) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\b':
            fputs("\\b", out);
            break;
        case '\f':
            fputs("\\f", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (text_cp_unsafe(cp, TEXT_ONE_LINE))
                fprintf(out, "\\u%04x", cp); /* all below U+10000 */
            else
                fwrite(s + i, 1, n, out); /* UTF-8 passes through unchanged */
        }
        i += n;
    }
    fputc('"', out);
}

void json_key(json_writer *w, const char *key)
{
    before_item(w);
    json_write_escaped(w->out, key);
    fputs(": ", w->out);
    w->after_key = true;
}

void json_string(json_writer *w, const char *s)
{
    before_item(w);
    json_write_escaped(w->out, s);
}

void json_number(json_writer *w, double v)
{
    before_item(w);
    if (!isfinite(v))
        fputs("null", w->out);
    else if (v == 0)
        fputs("0", w->out); /* also turns -0 into 0 */
    else
        fprintf(w->out, "%.17g", v);
}

void json_int(json_writer *w, long long v)
{
    before_item(w);
    fprintf(w->out, "%lld", v);
}

void json_bool(json_writer *w, bool v)
{
    before_item(w);
    fputs(v ? "true" : "false", w->out);
}

void json_null(json_writer *w)
{
    before_item(w);
    fputs("null", w->out);
}

void json_kv_string(json_writer *w, const char *key, const char *s)
{
    json_key(w, key);
    json_string(w, s);
}

void json_kv_number(json_writer *w, const char *key, double v)
{
    json_key(w, key);
    json_number(w, v);
}

void json_kv_int(json_writer *w, const char *key, long long v)
{
    json_key(w, key);
    json_int(w, v);
}

void json_kv_bool(json_writer *w, const char *key, bool v)
{
    json_key(w, key);
    json_bool(w, v);
}
