/* The SVG writer's escaping, safe output files, and the SVG timeline of
 * MODEL.md's worked example (placement edge, cloud, cloud in preload: the
 * bars of tests/test_gantt.c, in pixels). xmllint and rsvg-convert check the
 * whole documents in tests/e2e/cli_svg.sh. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gantt_svg.h"
#include "helpers_io.h"
#include "outfile.h"
#include "scenario_fixture.h"
#include "svg.h"

static char *escaped(const char *s)
{
    capture c;
    capture_open(&c);
    svg_escape(c.f, s);
    return capture_close(&c);
}

static void expect_escape(const char *in, const char *want)
{
    char *got = escaped(in);
    if (strcmp(got, want) != 0) fail_msg("svg_escape(\"%s\") = \"%s\", want \"%s\"", in, got, want);
    free(got);
}

static void test_escape(void **state)
{
    (void)state;
    expect_escape("a<b&c", "a&lt;b&amp;c");
    expect_escape("\"q\" 's' >", "&quot;q&quot; &apos;s&apos; &gt;");
    expect_escape("&amp;", "&amp;amp;");
    expect_escape("phone\xC3\x97"
                  "3 \xE2\x86\x92",
                  "phone\xC3\x97"
                  "3 \xE2\x86\x92");
    /* XML 1.0 has no control characters but tab, CR, LF; all go. */
    expect_escape("a\x01\tb\x7f", "a??b?");
    /* Not UTF-8: a lone continuation byte, a cut sequence, an overlong form,
     * a surrogate; each becomes U+FFFD and the text goes on. */
    expect_escape("x\x80y", "x\xEF\xBF\xBDy");
    expect_escape("x\xE2\x86", "x\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_escape("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_escape("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_escape("", "");
}

static void test_text_width_and_palette(void **state)
{
    (void)state;
    assert_true(fabs(svg_text_width("abcd", 10) - 4 * 10 * SVG_CHAR_EM) < 1e-12);
    /* Characters, not bytes. */
    assert_true(fabs(svg_text_width("\xC3\x97\xC3\x97", 10) - 2 * 10 * SVG_CHAR_EM) < 1e-12);
    assert_string_not_equal(svg_palette(0), svg_palette(1));
    assert_string_equal(svg_palette(0), svg_palette(10));
    assert_string_equal(svg_palette(-1), svg_palette(1));
}

static int fill_text(FILE *out, void *ctx)
{
    fputs(ctx, out);
    return 0;
}

static int fill_fails(FILE *out, void *ctx)
{
    (void)ctx;
    fputs("partial", out);
    return -1;
}

/* Entries of `dir` other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void test_outfile(void **state)
{
    (void)state;
    char dir[] = "/tmp/nnpart-outfile-XXXXXX", path[128], why[512];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a.svg", dir);

    assert_int_equal(outfile_write(path, NULL, false, fill_text, "one", why, sizeof why),
                     OUTFILE_OK);
    char *text = test_file_read(path, NULL);
    assert_string_equal(text, "one");
    free(text);

    /* Without force the existing file stays as it was. */
    assert_int_equal(outfile_write(path, NULL, false, fill_text, "two", why, sizeof why),
                     OUTFILE_EXISTS);
    char want[256];
    snprintf(want, sizeof want, "'%s' exists", path);
    assert_string_equal(why, want);
    text = test_file_read(path, NULL);
    assert_string_equal(text, "one");
    free(text);

    assert_int_equal(outfile_write(path, NULL, true, fill_text, "three", why, sizeof why),
                     OUTFILE_OK);
    text = test_file_read(path, NULL);
    assert_string_equal(text, "three");
    free(text);

    /* A failing writer leaves the old file and no temporary behind. */
    assert_int_equal(outfile_write(path, NULL, true, fill_fails, NULL, why, sizeof why),
                     OUTFILE_ERROR);
    assert_non_null(strstr(why, "cannot write"));
    text = test_file_read(path, NULL);
    assert_string_equal(text, "three");
    free(text);
    assert_int_equal(dir_entries(dir), 1);

    char missing[160];
    snprintf(missing, sizeof missing, "%s/no/such.svg", dir);
    assert_int_equal(outfile_write(missing, NULL, false, fill_text, "x", why, sizeof why),
                     OUTFILE_ERROR);
    snprintf(want, sizeof want, "cannot write '%s': No such file or directory", missing);
    assert_string_equal(why, want);

    /* Never over the file being read, even with force. */
    assert_int_equal(outfile_write(path, path, true, fill_text, "four", why, sizeof why),
                     OUTFILE_SOURCE);
    snprintf(want, sizeof want, "'%s' is the file being read", path);
    assert_string_equal(why, want);
    assert_int_equal(outfile_check(path, path, true), OUTFILE_SOURCE);
    assert_int_equal(outfile_check(path, NULL, false), OUTFILE_EXISTS);
    assert_int_equal(outfile_check(missing, path, false), OUTFILE_OK);
    text = test_file_read(path, NULL);
    assert_string_equal(text, "three");
    free(text);
    /* A device replaces nothing: written in place, no force needed. */
    assert_int_equal(outfile_check("/dev/null", NULL, false), OUTFILE_OK);
    assert_int_equal(outfile_write("/dev/null", NULL, false, fill_text, "x", why, sizeof why),
                     OUTFILE_OK);
    assert_int_equal(outfile_write("/dev/full", NULL, false, fill_text, "x", why, sizeof why),
                     OUTFILE_ERROR);
    assert_string_equal(why, "cannot write '/dev/full': No space left on device");
    /* --force through a symbolic link replaces the file it names (fileio's
     * rule), and the link stays a link. */
    char link_path[160];
    snprintf(link_path, sizeof link_path, "%s/link.svg", dir);
    assert_int_equal(symlink("a.svg", link_path), 0);
    assert_int_equal(outfile_write(link_path, NULL, false, fill_text, "x", why, sizeof why),
                     OUTFILE_EXISTS);
    assert_int_equal(outfile_write(link_path, NULL, true, fill_text, "five", why, sizeof why),
                     OUTFILE_OK);
    text = test_file_read(path, NULL);
    assert_string_equal(text, "five");
    free(text);
    struct stat st;
    assert_int_equal(lstat(link_path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(unlink(link_path), 0);

    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

typedef struct fixture {
    nn_scenario s;
    nn_instance in;
    nn_eval ev;
} fixture;

static const int OPTIMUM[3] = {0, 1, 1};

static char *timeline_svg(fixture *f, const int *place, const int *other)
{
    fixture_worked_example(&f->s);
    assert_int_equal(instance_build(&f->s, &f->in), 0);
    assert_int_equal(eval_run(&f->in, place, MODE_PRELOAD, &f->ev), 0);
    nn_eval ev2 = {.feasible = false};
    gantt_svg_row rows[2] = {{.in = &f->in, .ev = &f->ev, .title = "optimum", .subtitle = "e"}};
    if (other) {
        assert_int_equal(eval_run(&f->in, other, MODE_PRELOAD, &ev2), 0);
        rows[1] = (gantt_svg_row){.in = &f->in, .ev = &ev2, .title = "cloud", .subtitle = NULL};
    }
    capture c;
    capture_open(&c);
    assert_int_equal(gantt_svg_write(c.f, "worked <example>", rows, other ? 2 : 1), 0);
    if (other) eval_free(&ev2);
    eval_free(&f->ev);
    instance_free(&f->in);
    scenario_free(&f->s);
    return capture_close(&c);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_timeline_svg(void **state)
{
    (void)state;
    fixture f;
    char *doc = timeline_svg(&f, OPTIMUM, NULL);
    assert_non_null(strstr(doc, "<title>worked &lt;example&gt;</title>"));
    /* Lanes: edge load, edge, cloud load, cloud, edge-cloud. */
    assert_int_equal(count(doc, "class=\"lane\""), 5);
    assert_non_null(strstr(doc, ">edge-cloud</text>"));
    /* One tooltip per bar: 3 loads, 3 computes, 2 transfers, waits and idles. */
    assert_int_equal(count(doc, "loading weights, "), 3);
    assert_int_equal(count(doc, ": compute, "), 3);
    assert_non_null(
        strstr(doc, "<title>L1: edge \xE2\x86\x92 cloud, 200 ms to 410 ms (210 ms)</title>"));
    assert_non_null(
        strstr(doc, "<title>L3: cloud \xE2\x86\x92 edge, 701 ms to 712 ms (11 ms)</title>"));
    assert_non_null(strstr(doc, "<title>L3 on cloud: waiting for weights, 420 ms to 700 ms"));
    assert_non_null(strstr(doc, ">optimum: 712 ms (preload)</text>"));
    assert_non_null(strstr(doc, ">latency 712 ms</text>"));
    /* The axis spans [0, 712 ms]: 0 s at the plot's left edge, ticks in ms. */
    assert_non_null(strstr(doc, ">0 s</text>"));
    assert_non_null(strstr(doc, ">700 ms</text>"));
    assert_non_null(strstr(doc, ">waiting for weights</text>"));
    assert_non_null(strstr(doc, ">cloud</text>"));
    assert_true(strstr(doc, "</svg>\n") == doc + strlen(doc) - 7);
    free(doc);
}

/* Two rows share the axis of the longer latency: the optimum's latency line
 * sits at 712/722 of the plot width. */
static void test_timeline_svg_compare(void **state)
{
    (void)state;
    fixture f;
    const int cloud[3] = {1, 1, 1};
    char *doc = timeline_svg(&f, OPTIMUM, cloud);
    assert_non_null(strstr(doc, ">cloud: 722 ms (preload)</text>"));
    assert_int_equal(count(doc, ">latency "), 2);
    /* Latency lines: x of 712 ms and of 722 ms from the same origin. */
    double x[2];
    const char *p = doc;
    for (int i = 0; i < 2; i++) {
        p = strstr(p, "stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray");
        assert_non_null(p);
        const char *line = p;
        while (line > doc && strncmp(line, "<line", 5) != 0)
            line--;
        assert_int_equal(sscanf(line, "<line x1=\"%lf\"", &x[i]), 1);
        p++;
    }
    /* The 0 s tick is the plot's left edge. */
    const char *tick = strstr(doc, ">0 s</text>");
    assert_non_null(tick);
    while (tick > doc && strncmp(tick, "<text", 5) != 0)
        tick--;
    double x0;
    assert_int_equal(sscanf(tick, "<text x=\"%lf\"", &x0), 1);
    assert_true(fabs((x[0] - x0) / (x[1] - x0) - 0.712 / 0.722) < 1e-3);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_text_width_and_palette),
        cmocka_unit_test(test_outfile),
        cmocka_unit_test(test_timeline_svg),
        cmocka_unit_test(test_timeline_svg_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
