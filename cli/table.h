/* Plain-text tables for the command line: columns sized to their widest
 * cell (counted in characters, so UTF-8 names line up), a rule under the
 * header and optional rules before total rows. */
#ifndef NNPART_CLI_TABLE_H
#define NNPART_CLI_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "units.h"

#define TABLE_MAX_COLS 12

typedef struct cli_table {
    int ncols;
    const char *head[TABLE_MAX_COLS];
    bool right[TABLE_MAX_COLS]; /* right-aligned (numbers) */
    int nrows, cap;             /* rows allocated, cells = rows * ncols */
    char **cells;
    bool *rule_before; /* [row] draw a rule above this row */
    int filled;        /* cells written in the last row */
    bool pending_rule;
} cli_table;

/* Column headers, NULL-terminated; a header starting with '>' makes the
 * column right-aligned (the '>' is not printed). */
void table_init(cli_table *t, ...);
/* Appends the next cell (rows wrap after the last column). Returns -1 when
 * out of memory. */
int table_cell(cli_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a cell with `value` in its display unit ("712 ms", units_format). */
int table_cell_units(cli_table *t, double value, unit_kind kind);
/* The next row starts with a rule (for totals). */
void table_rule(cli_table *t);
/* Prints the table with `indent` spaces before every line. */
void table_print(const cli_table *t, FILE *out, int indent);
void table_free(cli_table *t);

/* Display width of a UTF-8 string (code points). */
int text_width(const char *s);

#endif
