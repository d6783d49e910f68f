/* Files and streams in tests: a whole file read into memory, text written to
 * a file, and output captured in memory. A failure fails the test. */
#ifndef NNPART_TEST_HELPERS_IO_H
#define NNPART_TEST_HELPERS_IO_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

/* The file's contents with a NUL after them (their length in *len when `len`
 * is given), or NULL when it cannot be opened. The caller frees it. */
static inline char *test_file_read(const char *path, size_t *len)
{
    if (len) *len = 0; /* set on failure too: callers assert the buffer, not the length */
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap * 2 + 4096;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* Creates or truncates `path` and writes `text` into it. */
static inline void test_file_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Output captured in memory: write to `f` between open and close. */
typedef struct capture {
    char *text;
    size_t size;
    FILE *f;
} capture;

static inline void capture_open(capture *c)
{
    *c = (capture){.text = NULL};
    c->f = open_memstream(&c->text, &c->size);
    assert_non_null(c->f);
}

/* The text written since capture_open; the caller frees it (c->text). */
static inline char *capture_close(capture *c)
{
    assert_int_equal(fclose(c->f), 0);
    return c->text;
}

#endif
