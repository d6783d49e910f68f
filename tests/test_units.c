/* Units: every unit and prefix, every rejection with its message, display
 * formatting, and the exact form's bit-for-bit round trip. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "units.h"

static double parse_ok(const char *text, unit_kind kind)
{
    double v = -1;
    char why[512] = "";
    if (!units_parse(text, kind, &v, why, sizeof why)) fail_msg("'%s' rejected: %s", text, why);
    return v;
}

static void assert_bits(double got, double want, const char *text)
{
    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("'%s': got %.17g, want %.17g", text, got, want);
}

static void test_parse_every_unit(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unit_kind kind;
        double want;
    } cases[] = {
        {"1e8", UNIT_FLOP, 1e8},
        {"7 FLOP", UNIT_FLOP, 7},
        {"2 kFLOP", UNIT_FLOP, 2e3},
        {"3 MFLOP", UNIT_FLOP, 3e6},
        {"4 GFLOP", UNIT_FLOP, 4e9},
        {"5 TFLOP", UNIT_FLOP, 5e12},
        {"6 PFLOP", UNIT_FLOP, 6e15},
        {"1e9", UNIT_FLOP_RATE, 1e9},
        {"1 FLOP/s", UNIT_FLOP_RATE, 1},
        {"2 kFLOP/s", UNIT_FLOP_RATE, 2e3},
        {"3 MFLOP/s", UNIT_FLOP_RATE, 3e6},
        {"20 GFLOP/s", UNIT_FLOP_RATE, 20e9},
        {"2 TFLOP/s", UNIT_FLOP_RATE, 2e12},
        {"1.5 PFLOP/s", UNIT_FLOP_RATE, 1.5e15},
        {"9 FLOPS", UNIT_FLOP_RATE, 9},
        {"9 kFLOPS", UNIT_FLOP_RATE, 9e3},
        {"9 MFLOPS", UNIT_FLOP_RATE, 9e6},
        {"9 GFLOPS", UNIT_FLOP_RATE, 9e9},
        {"9 TFLOPS", UNIT_FLOP_RATE, 9e12},
        {"9 PFLOPS", UNIT_FLOP_RATE, 9e15},
        {"100000", UNIT_BYTES, 1e5},
        {"100000 B", UNIT_BYTES, 1e5},
        {"200 kB", UNIT_BYTES, 2e5},
        {"1.5 MB", UNIT_BYTES, 1.5e6},
        {"2 GB", UNIT_BYTES, 2e9},
        {"3 TB", UNIT_BYTES, 3e12},
        {"1 KiB", UNIT_BYTES, 1024},
        {"1.5 KiB", UNIT_BYTES, 1536},
        {"2 MiB", UNIT_BYTES, 2097152},
        {"1 GiB", UNIT_BYTES, 1073741824},
        {"1 TiB", UNIT_BYTES, 1099511627776.0},
        {"12", UNIT_BYTE_RATE, 12},
        {"12 B/s", UNIT_BYTE_RATE, 12},
        {"12 kB/s", UNIT_BYTE_RATE, 12e3},
        {"80 MB/s", UNIT_BYTE_RATE, 80e6},
        {"1 GB/s", UNIT_BYTE_RATE, 1e9},
        {"1 TB/s", UNIT_BYTE_RATE, 1e12},
        {"2 KiB/s", UNIT_BYTE_RATE, 2048},
        {"2 MiB/s", UNIT_BYTE_RATE, 2097152},
        {"2 GiB/s", UNIT_BYTE_RATE, 2147483648.0},
        {"64", UNIT_BIT_RATE, 64},
        {"64 bit/s", UNIT_BIT_RATE, 64},
        {"56 kbit/s", UNIT_BIT_RATE, 56e3},
        {"300 Mbit/s", UNIT_BIT_RATE, 300e6},
        {"10 Gbit/s", UNIT_BIT_RATE, 10e9},
        {"1 Tbit/s", UNIT_BIT_RATE, 1e12},
        {"64 bps", UNIT_BIT_RATE, 64},
        {"56 kbps", UNIT_BIT_RATE, 56e3},
        {"8 Mbps", UNIT_BIT_RATE, 8e6},
        {"1 Gbps", UNIT_BIT_RATE, 1e9},
        {"1 Tbps", UNIT_BIT_RATE, 1e12},
        {"0.5", UNIT_TIME, 0.5},
        {"2 s", UNIT_TIME, 2},
        {"10 ms", UNIT_TIME, 10e-3},
        {"1.5 ms", UNIT_TIME, 1.5e-3},
        {"0.3 ms", UNIT_TIME, 0.3e-3},
        {"3 us", UNIT_TIME, 3e-6},
        {"3 \xc2\xb5s", UNIT_TIME, 3e-6},
        {"3 \xce\xbcs", UNIT_TIME, 3e-6},
        {"40 ns", UNIT_TIME, 40e-9},
        {"61.1 M", UNIT_COUNT, 61.1e6},
        {"5 k", UNIT_COUNT, 5e3},
        {"2 G", UNIT_COUNT, 2e9},
        {"1 T", UNIT_COUNT, 1e12},
        {"17", UNIT_COUNT, 17},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_bits(parse_ok(cases[i].text, cases[i].kind), cases[i].want, cases[i].text);
}

static void test_parse_spacing_and_number_syntax(void **state)
{
    (void)state;
    assert_bits(parse_ok("2GB", UNIT_BYTES), 2e9, "2GB");
    assert_bits(parse_ok(" 300 Mbit/s ", UNIT_BIT_RATE), 300e6, "padded");
    assert_bits(parse_ok("\t300\tMbit/s\t", UNIT_BIT_RATE), 300e6, "tabs");
    assert_bits(parse_ok("1e9 FLOP/s", UNIT_FLOP_RATE), 1e9, "exponent");
    assert_bits(parse_ok("1.5e-3 s", UNIT_TIME), 1.5e-3, "negative exponent");
    assert_bits(parse_ok(".5 GB", UNIT_BYTES), 0.5e9, "leading dot");
    assert_bits(parse_ok("+2 GB", UNIT_BYTES), 2e9, "plus sign");
    assert_bits(parse_ok("0", UNIT_BIT_RATE), 0, "zero");
    /* "-0" is zero, stored without its sign so saved files never say "-0". */
    double z = parse_ok("-0 ms", UNIT_TIME);
    assert_bits(z, 0.0, "-0 ms");
    assert_false(signbit(z));
}

static void expect_reject(const char *text, unit_kind kind, const char *message)
{
    double v = 12345;
    char why[512] = "";
    if (units_parse(text, kind, &v, why, sizeof why))
        fail_msg("'%s' accepted as %.17g, expected: %s", text, v, message);
    assert_string_equal(why, message);
    assert_bits(v, 12345, text); /* untouched on failure */
}

static void test_parse_rejections(void **state)
{
    (void)state;
    expect_reject("3 ms", UNIT_FLOP_RATE,
                  "'3 ms' is a time, expected a compute rate such as '20 GFLOP/s' (FLOP/s, "
                  "kFLOP/s, MFLOP/s, GFLOP/s, TFLOP/s, PFLOP/s)");
    expect_reject("1 GFLOP", UNIT_FLOP_RATE,
                  "'1 GFLOP' is a FLOP count, expected a compute rate such as '20 GFLOP/s' "
                  "(FLOP/s, kFLOP/s, MFLOP/s, GFLOP/s, TFLOP/s, PFLOP/s)");
    expect_reject("300 Mbit/s", UNIT_BYTE_RATE,
                  "'300 Mbit/s' is a bandwidth, expected a byte rate such as '80 MB/s' (B/s, "
                  "kB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s)");
    expect_reject("80 MB/s", UNIT_BIT_RATE,
                  "'80 MB/s' is a byte rate, expected a bandwidth such as '300 Mbit/s' (bit/s, "
                  "kbit/s, Mbit/s, Gbit/s, Tbit/s)");
    expect_reject("2 GB", UNIT_TIME,
                  "'2 GB' is a size, expected a time such as '2 ms' (s, ms, us, ns)");
    expect_reject("20 GFLOP/s", UNIT_FLOP,
                  "'20 GFLOP/s' is a compute rate, expected a FLOP count such as '1 GFLOP' (FLOP, "
                  "kFLOP, MFLOP, GFLOP, TFLOP, PFLOP)");
    expect_reject("2 ms", UNIT_COUNT,
                  "'2 ms' is a time, expected a count such as '61.1 M' (k, M, G, T)");
    expect_reject("-1 GB", UNIT_BYTES,
                  "'-1 GB' is negative, expected a size such as '2 GB' (B, kB, MB, GB, TB, KiB, "
                  "MiB, GiB, TiB)");
    expect_reject("nan", UNIT_BYTES,
                  "'nan' is not a finite number, expected a size such as '2 GB' (B, kB, MB, GB, "
                  "TB, KiB, MiB, GiB, TiB)");
    expect_reject("inf ms", UNIT_TIME,
                  "'inf ms' is not a finite number, expected a time such as '2 ms' (s, ms, us, "
                  "ns)");
    expect_reject("-inf", UNIT_TIME,
                  "'-inf' is not a finite number, expected a time such as '2 ms' (s, ms, us, ns)");
    expect_reject("1e999", UNIT_TIME,
                  "'1e999' is not a finite number, expected a time such as '2 ms' (s, ms, us, ns)");
    expect_reject("1e308 TB", UNIT_BYTES,
                  "'1e308 TB' is too large, expected a size such as '2 GB' (B, kB, MB, GB, TB, "
                  "KiB, MiB, GiB, TiB)");
    expect_reject("", UNIT_TIME, "empty value, expected a time such as '2 ms' (s, ms, us, ns)");
    expect_reject("   ", UNIT_TIME, "empty value, expected a time such as '2 ms' (s, ms, us, ns)");
    expect_reject("fast", UNIT_FLOP_RATE,
                  "'fast' is not a number, expected a compute rate such as '20 GFLOP/s' (FLOP/s, "
                  "kFLOP/s, MFLOP/s, GFLOP/s, TFLOP/s, PFLOP/s)");
    expect_reject("2 GB x", UNIT_BYTES,
                  "'2 GB x' has unexpected text 'x' after the unit, expected a size such as '2 "
                  "GB' (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)");
    expect_reject("1 000 B", UNIT_BYTES,
                  "unknown unit '000' in '1 000 B', expected a size such as '2 GB' (B, kB, MB, "
                  "GB, TB, KiB, MiB, GiB, TiB)");
    expect_reject("2 Gb", UNIT_BYTES,
                  "unknown unit 'Gb' in '2 Gb' (did you mean 'GB'?), expected a size such as '2 "
                  "GB' (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)");
    expect_reject("20 Gflop/s", UNIT_FLOP_RATE,
                  "unknown unit 'Gflop/s' in '20 Gflop/s' (did you mean 'GFLOP/s'?), expected a "
                  "compute rate such as '20 GFLOP/s' (FLOP/s, kFLOP/s, MFLOP/s, GFLOP/s, TFLOP/s, "
                  "PFLOP/s)");
    expect_reject("5 msec", UNIT_TIME,
                  "unknown unit 'msec' in '5 msec' (did you mean 'ms'?), expected a time such as "
                  "'2 ms' (s, ms, us, ns)");
    expect_reject("5 parsecs", UNIT_TIME,
                  "unknown unit 'parsecs' in '5 parsecs', expected a time such as '2 ms' (s, ms, "
                  "us, ns)");
    expect_reject("1,5 GB", UNIT_BYTES,
                  "unknown unit ',5' in '1,5 GB', expected a size such as '2 GB' (B, kB, MB, GB, "
                  "TB, KiB, MiB, GiB, TiB)");
    /* NULL `why` is allowed: the caller only wants a yes or no. */
    double v;
    assert_false(units_parse("3 ms", UNIT_BYTES, &v, NULL, 0));
    assert_false(units_parse(NULL, UNIT_BYTES, &v, NULL, 0));
}

static void expect_format(double v, unit_kind kind, const char *want)
{
    char buf[64];
    units_format(v, kind, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_format_display(void **state)
{
    (void)state;
    expect_format(0.712, UNIT_TIME, "712 ms");
    expect_format(1.2, UNIT_TIME, "1.2 s");
    expect_format(7.2, UNIT_TIME, "7.2 s");
    expect_format(125.0, UNIT_TIME, "125 s");
    expect_format(0.9997, UNIT_TIME, "1 s"); /* rounding moves it up a prefix */
    expect_format(2.5e-6, UNIT_TIME, "2.5 us");
    expect_format(40e-9, UNIT_TIME, "40 ns");
    expect_format(0, UNIT_TIME, "0 s");
    expect_format(20e9, UNIT_FLOP_RATE, "20 GFLOP/s");
    expect_format(1.5e6, UNIT_BYTES, "1.5 MB");
    expect_format(0, UNIT_BYTES, "0 B");
    expect_format(999, UNIT_BYTES, "999 B");
    expect_format(1234567, UNIT_BYTES, "1.23 MB");
    expect_format(999999, UNIT_BYTES, "1 MB");
    expect_format(5e15, UNIT_BYTES, "5000 TB"); /* past the largest prefix */
    expect_format(300e6, UNIT_BIT_RATE, "300 Mbit/s");
    expect_format(80e6, UNIT_BYTE_RATE, "80 MB/s");
    expect_format(1.42e9, UNIT_FLOP, "1.42 GFLOP");
    expect_format(61100840, UNIT_COUNT, "61.1 M");
    expect_format(138357544, UNIT_COUNT, "138 M");
    expect_format(512, UNIT_COUNT, "512");
    expect_format(-0.25, UNIT_TIME, "-250 ms");
    expect_format(INFINITY, UNIT_TIME, "inf s");
    expect_format(NAN, UNIT_TIME, "nan");
    /* Far past the largest prefix: an exponent, and the unit always fits in
     * 32 bytes (it used to be cut off after 31 digits). */
    expect_format(1e290, UNIT_TIME, "1e+290 s");
    expect_format(1e308, UNIT_FLOP_RATE, "1e+308 FLOP/s");
    expect_format(-1.7976931348623157e308, UNIT_BIT_RATE, "-1.8e+308 bit/s");
    expect_format(999e12, UNIT_BIT_RATE, "999 Tbit/s");
    char small[32];
    units_format(1.7976931348623157e308, UNIT_BYTE_RATE, small, sizeof small);
    assert_string_equal(small, "1.8e+308 B/s");
}

static void expect_exact(double v, unit_kind kind, const char *want)
{
    char buf[64];
    units_format_exact(v, kind, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_bits(parse_ok(buf, kind), v, buf);
}

static void test_format_exact_readable(void **state)
{
    (void)state;
    expect_exact(20e9, UNIT_FLOP_RATE, "20 GFLOP/s");
    expect_exact(1e8, UNIT_FLOP, "100 MFLOP");
    expect_exact(1.5e9, UNIT_BYTES, "1.5 GB");
    expect_exact(123456789, UNIT_BYTES, "123.456789 MB");
    expect_exact(1e5, UNIT_BYTES, "100 kB");
    expect_exact(0, UNIT_BYTES, "0 B");
    expect_exact(1536, UNIT_BYTES, "1.536 kB");
    expect_exact(0.1, UNIT_TIME, "100 ms");
    expect_exact(0.0003, UNIT_TIME, "300 us");
    expect_exact(0.9997, UNIT_TIME, "999.7 ms");
    expect_exact(2, UNIT_TIME, "2 s");
    expect_exact(300e6, UNIT_BIT_RATE, "300 Mbit/s");
    expect_exact(1e9, UNIT_BYTE_RATE, "1 GB/s");
    expect_exact(138357544, UNIT_COUNT, "138.357544 M");
    expect_exact(5e16, UNIT_BYTES, "50000 TB");
    /* 0.1 + 0.2 is not 0.3: the text must say so, in full. */
    char buf[64];
    units_format_exact(0.1 + 0.2, UNIT_TIME, buf, sizeof buf);
    assert_string_not_equal(buf, "300 ms");
    assert_bits(parse_ok(buf, UNIT_TIME), 0.1 + 0.2, buf);
}

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void round_trip(double v, unit_kind kind)
{
    char buf[64];
    units_format_exact(v, kind, buf, sizeof buf);
    double back = -1;
    char why[512] = "";
    if (!units_parse(buf, kind, &back, why, sizeof why))
        fail_msg("%.17g -> '%s' does not parse: %s", v, buf, why);
    if (memcmp(&back, &v, sizeof v) != 0) fail_msg("%.17g -> '%s' -> %.17g", v, buf, back);
}

static void test_format_exact_round_trip(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (int kind = 0; kind < UNIT_KIND_COUNT; kind++) {
        /* Arbitrary bit patterns of positive finite doubles from 1e-15 to 1e20. */
        for (int i = 0; i < 4000; i++) {
            uint64_t bits = next_random(&seed) & 0x7fffffffffffffffULL;
            double v;
            memcpy(&v, &bits, sizeof v);
            if (!isfinite(v) || v < 1e-15 || v > 1e20) {
                i--;
                continue;
            }
            round_trip(v, (unit_kind)kind);
        }
        /* Short decimals at every magnitude: the values users type. */
        for (int i = 0; i < 2000; i++) {
            double mant = (double)(next_random(&seed) % 100000) / 100.0;
            int exp = (int)(next_random(&seed) % 31) - 15;
            round_trip(mant * pow(10, exp), (unit_kind)kind);
        }
    }
    /* Edge cases. */
    const double edges[] = {0,
                            1,
                            999,
                            1000,
                            1e-3,
                            1e-6,
                            1e-9,
                            1e-12,
                            5e-324,
                            2.2250738585072014e-308,
                            1e15,
                            1e18,
                            1.7976931348623157e308,
                            0.1 + 0.2,
                            1.0 / 3,
                            2.0 / 3,
                            999.9999999999999,
                            1000.0000000000001,
                            1024,
                            1048576,
                            1073741824};
    for (int kind = 0; kind < UNIT_KIND_COUNT; kind++)
        for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
            round_trip(edges[i], (unit_kind)kind);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(units_kind_name(UNIT_FLOP_RATE), "compute rate");
    assert_string_equal(units_kind_name(UNIT_TIME), "time");
    for (int k = 0; k < UNIT_KIND_COUNT; k++) {
        /* Every example is itself a valid value of its kind. */
        double v;
        assert_true(units_parse(units_kind_example((unit_kind)k), (unit_kind)k, &v, NULL, 0));
        assert_true(v > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_every_unit),
        cmocka_unit_test(test_parse_spacing_and_number_syntax),
        cmocka_unit_test(test_parse_rejections),
        cmocka_unit_test(test_format_display),
        cmocka_unit_test(test_format_exact_readable),
        cmocka_unit_test(test_format_exact_round_trip),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
