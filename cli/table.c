#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int text_width(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++; /* count lead bytes only */
    return n;
}

void table_init(cli_table *t, ...)
{
    *t = (cli_table){.ncols = 0};
    va_list ap;
    va_start(ap, t);
    for (const char *h; (h = va_arg(ap, const char *)) != NULL && t->ncols < TABLE_MAX_COLS;) {
        t->right[t->ncols] = h[0] == '>';
        t->head[t->ncols++] = h[0] == '>' ? h + 1 : h;
    }
    va_end(ap);
}

static int add_row(cli_table *t)
{
    if (t->nrows == t->cap) {
        int cap = t->cap ? 2 * t->cap : 16;
        char **cells = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *cells);
        if (!cells) return -1;
        t->cells = cells;
        bool *rules = realloc(t->rule_before, (size_t)cap * sizeof *rules);
        if (!rules) return -1;
        t->rule_before = rules;
        t->cap = cap;
    }
    for (int c = 0; c < t->ncols; c++)
        t->cells[(size_t)t->nrows * (size_t)t->ncols + (size_t)c] = NULL;
    t->rule_before[t->nrows] = t->pending_rule;
    t->pending_rule = false;
    t->nrows++;
    t->filled = 0;
    return 0;
}

int table_cell(cli_table *t, const char *fmt, ...)
{
    if (t->ncols == 0) return -1;
    if (t->nrows == 0 || t->filled == t->ncols)
        if (add_row(t) < 0) return -1;
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if (!text_is_safe(text, (size_t)n, TEXT_ONE_LINE)) {
        /* Escaped here, so the column is as wide as what is shown. */
        size_t size = (size_t)n * 6 + 1;
        char *safe = malloc(size);
        if (!safe) {
            free(text);
            return -1;
        }
        text_escape_n(safe, size, text, (size_t)n, TEXT_ONE_LINE);
        free(text);
        text = safe;
    }
    t->cells[(size_t)(t->nrows - 1) * (size_t)t->ncols + (size_t)t->filled++] = text;
    return 0;
}

int table_cell_units(cli_table *t, double value, unit_kind kind)
{
    char text[32];
    units_format(value, kind, text, sizeof text);
    return table_cell(t, "%s", text);
}

void table_rule(cli_table *t)
{
    t->pending_rule = true;
}

static void pad(FILE *out, int n)
{
    for (int i = 0; i < n; i++)
        fputc(' ', out);
}

static void print_line(const cli_table *t, FILE *out, int indent, const int *width,
                       const char *const *text)
{
    /* Trailing empty cells print nothing, so lines carry no trailing blanks. */
    int last = t->ncols - 1;
    while (last > 0 && (!text[last] || !*text[last]))
        last--;
    pad(out, indent);
    for (int c = 0; c <= last; c++) {
        const char *s = text[c] ? text[c] : "";
        int gap = width[c] - text_width(s);
        if (t->right[c]) pad(out, gap);
        fputs(s, out);
        if (c < last) pad(out, (t->right[c] ? 0 : gap) + 2);
    }
    fputc('\n', out);
}

static void print_rule(const cli_table *t, FILE *out, int indent, const int *width)
{
    pad(out, indent);
    for (int c = 0; c < t->ncols; c++) {
        for (int i = 0; i < width[c]; i++)
            fputc('-', out);
        if (c + 1 < t->ncols) pad(out, 2);
    }
    fputc('\n', out);
}

void table_print(const cli_table *t, FILE *out, int indent)
{
    int width[TABLE_MAX_COLS];
    for (int c = 0; c < t->ncols; c++)
        width[c] = text_width(t->head[c]);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            if (s && text_width(s) > width[c]) width[c] = text_width(s);
        }
    print_line(t, out, indent, width, t->head);
    print_rule(t, out, indent, width);
    for (int r = 0; r < t->nrows; r++) {
        if (t->rule_before[r]) print_rule(t, out, indent, width);
        print_line(t, out, indent, width,
                   (const char *const *)&t->cells[(size_t)r * (size_t)t->ncols]);
    }
}

void table_free(cli_table *t)
{
    for (size_t i = 0; i < (size_t)t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->rule_before);
    *t = (cli_table){.ncols = 0};
}
