/* README.md's explorer key table matches the explorer's own key table, so the
 * documentation cannot drift from the keys that are dispatched. Runs from the
 * repository root, like every test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explorer.h"
#include "helpers_io.h"

/* "j Down" -> "| `j` `Down` |": the row start README's table uses. */
static void row_keys(const char *names, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "|");
    for (const char *s = names; *s && n < size;) {
        while (*s == ' ')
            s++;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        if (e > s) n += (size_t)snprintf(buf + n, size - n, " `%.*s`", (int)(e - s), s);
        s = e;
    }
    if (n < size) snprintf(buf + n, size - n, " |");
}

static void test_readme_lists_every_key(void **state)
{
    (void)state;
    char *readme = test_file_read("README.md", NULL);
    assert_non_null(readme);
    const char *section = strstr(readme, "## Explorer keys");
    assert_non_null(section);
    int count;
    const ex_binding *b = explorer_bindings(&count);
    assert_true(count > 0);
    for (int i = 0; i < count; i++) {
        char row[256];
        row_keys(b[i].names, row, sizeof row);
        size_t len = strlen(row);
        if (len + strlen(b[i].help) + 3 >= sizeof row) fail_msg("key row too long: %s", row);
        snprintf(row + len, sizeof row - len, " %s |", b[i].help);
        if (!strstr(section, row))
            fail_msg("README.md's 'Explorer keys' table lacks the row\n  %s\n(the explorer's key "
                     "table in tui/actions.c changed; update README.md)",
                     row);
    }
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readme_lists_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
