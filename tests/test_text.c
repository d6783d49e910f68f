/* text_escape: what a file's text may not do to a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common.h"
#include "text.h"

static void check(const char *in, const char *want)
{
    char out[256];
    text_escape(out, sizeof out, in);
    assert_string_equal(out, want);
    /* Escaped text is safe and escaping it again changes nothing. */
    assert_true(text_is_safe(out, strlen(out), TEXT_ONE_LINE));
    char again[256];
    text_escape(again, sizeof again, out);
    assert_string_equal(again, out);
}

static void test_controls(void **state)
{
    (void)state;
    check("\x1b]2;pwned\a", "\\x1b]2;pwned\\x07");
    check("a\tb\nc\rd\x7f", "a\\x09b\\x0ac\\x0dd\\x7f");
    check("plain text, UTF-8 \xc3\xa9\xe2\x82\xac \xf0\x9f\x98\x80 and \\ stay",
          "plain text, UTF-8 \xc3\xa9\xe2\x82\xac \xf0\x9f\x98\x80 and \\ stay");
    assert_true(text_is_safe("ok", 2, TEXT_ONE_LINE));
    assert_true(text_is_safe("a\nb\tc", 5, TEXT_KEEP_LINES));
    assert_false(text_is_safe("a\nb", 3, TEXT_ONE_LINE));
}

static void test_c1_and_bidi(void **state)
{
    (void)state;
    check("\xc2\x9b"
          "31m",
          "\\u009b31m");                                   /* CSI as U+009B */
    check("\xc2\x80-\xc2\x9f", "\\u0080-\\u009f");         /* the C1 range */
    check("\xc2\xa0", "\xc2\xa0");                         /* U+00A0 is text */
    check("ph\xe2\x80\xaeone", "ph\\u202eone");            /* right-to-left override */
    check("\xe2\x80\xaa\xe2\x80\xad", "\\u202a\\u202d");   /* embeddings, overrides */
    check("\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069"); /* isolates */
    check("\xe2\x80\xa9", "\xe2\x80\xa9");                 /* U+2029: not a bidi control */
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    check("\x9b", "\\x9b"); /* a bare C1 byte (8-bit CSI) */
    check("\xff\xfe", "\\xff\\xfe");
    check("\xc0\xaf", "\\xc0\\xaf");                   /* overlong '/' */
    check("\xed\xa0\x80", "\\xed\\xa0\\x80");          /* a surrogate */
    check("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* above U+10FFFF */
    check("\xe2\x80", "\\xe2\\x80");                   /* cut short */
}

static void test_bounds(void **state)
{
    (void)state;
    char out[8];
    /* An escape is never cut in half. */
    text_escape(out, sizeof out, "ab\x1b\x1b");
    assert_string_equal(out, "ab\\x1b");
    text_escape(out, 1, "abc");
    assert_string_equal(out, "");
    size_t n = text_escape_n(out, sizeof out, "a\0b", 3, TEXT_ONE_LINE);
    assert_int_equal(n, 6);
    assert_string_equal(out, "a\\x00b");
}

static void test_stream_prefix(void **state)
{
    (void)state;
    assert_int_equal(text_complete_prefix("abc", 3), 3);
    assert_int_equal(text_complete_prefix("ab\xe2\x80", 4), 2);
    assert_int_equal(text_complete_prefix("ab\xe2\x80\xae", 5), 5);
    assert_int_equal(text_complete_prefix("ab\xf0\x9f\x98", 5), 2);
    assert_int_equal(text_complete_prefix("ab\xc3", 3), 2);
    assert_int_equal(text_complete_prefix("ab\xff", 3), 3); /* never valid: not held */
}

/* Every message goes through error_set, which escapes what it is given. */
static void test_errors_are_escaped(void **state)
{
    (void)state;
    nn_error err;
    error_set(&err, "f.yaml", 2, 3, "devices[0].n\x1b", "unknown key '%s'", "\x1b]2;x\a");
    assert_string_equal(err.message, "f.yaml:2:3: devices[0].n\\x1b: unknown key '\\x1b]2;x\\x07'");
    assert_string_equal(err.field, "devices[0].n\\x1b");
}

/* Names: printable UTF-8 only (what the loader accepts and the importer
 * makes of any bytes), cut at a character boundary. */
static void test_names(void **state)
{
    (void)state;
    assert_true(text_name_printable("caf\xc3\xa9 \xe2\x80\xae \"q\" \\", 14));
    assert_false(text_name_printable("a\x1b", 2));
    assert_false(text_name_printable("a\x7f", 2));
    assert_false(text_name_printable("a\xc2\x9b", 3));
    assert_false(text_name_printable("a\xff", 2));
    assert_false(text_name_printable("a\xc3", 2));
    char s[32] = "\xff\"\\\x1b\xc2\x9bmm";
    assert_string_equal(text_name_clean(s, 31), "_\"\\__mm");
    char cut[32] = "ab\xc3\xa9\xc3\xa9";
    assert_string_equal(text_name_clean(cut, 5), "ab\xc3\xa9"); /* not half an \xc3\xa9 */
    char edge[8] = "\x01\x02\x03\x04";
    assert_string_equal(text_name_clean(edge, 2), "__");
    char fine[16] = "conv1.relu";
    assert_string_equal(text_name_clean(fine, 63), "conv1.relu");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls),      cmocka_unit_test(test_c1_and_bidi),
        cmocka_unit_test(test_invalid_utf8),  cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_stream_prefix), cmocka_unit_test(test_errors_are_escaped),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
