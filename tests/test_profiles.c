/* Measured timings from CSV: profiles: {DEVICE: FILE.csv} replaces flops /
 * speed on that device like an inline profile, round-trips on save (the
 * reference, not the numbers), and every bad file says file:line:col. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers_io.h"
#include "instance.h"
#include "scenario_io.h"

#define DIR "tests/fixtures/profiles/"

static void test_csv_overrides_flops(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    if (scenario_load_file(DIR "scenario.yaml", &s, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(s.nprofile_files, 1);
    assert_string_equal(s.profile_files[0].path, "edge.csv");
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    assert_true(in.comp[0 * 2 + 0] == 3.2e-3); /* L1 on edge: measured */
    assert_true(in.comp[1 * 2 + 0] == 1.0);    /* L2 on edge: 1 GFLOP / 1 GFLOP/s */
    assert_true(in.comp[1 * 2 + 1] == 5e-3);   /* L2 on cloud: the inline profile */
    assert_true(in.comp[2 * 2 + 0] == 40e-3);  /* L3 on edge: measured */
    assert_true(in.comp[2 * 2 + 1] == 1e8 / 100e9);
    instance_free(&in);

    /* Saved: the reference stays, the measured numbers do not go inline. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(scenario_write(&s, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "\nprofiles:\n  edge: edge.csv\n"));
    assert_null(strstr(text, "3.2 ms"));
    assert_non_null(strstr(text, "profile: {cloud: 5 ms}"));
    nn_scenario back;
    assert_int_equal(scenario_load_string(text, len, DIR "scenario.yaml", &back, &err), 0);
    char why[256];
    if (!scenario_equal(&s, &back, why, sizeof why)) fail_msg("%s", why);
    free(text);
    scenario_free(&back);

    /* The format-keeping save leaves the line and its comment alone. */
    size_t blen;
    char *base = test_file_read(DIR "scenario.yaml", &blen);
    s.devices[1].speed *= 2;
    char *patched = NULL, note[256];
    size_t plen;
    int form = scenario_patch_at(base, blen, DIR "scenario.yaml", DIR "scenario.yaml", &s, &patched,
                                 &plen, note, sizeof note);
    if (form != PATCH_KEPT) fail_msg("form %d: %s", form, note);
    assert_non_null(strstr(patched, "\nprofiles:\n  edge: edge.csv  # measured on the device\n"));
    free(patched);
    free(base);

    /* Saved into another directory, the CSV is still the same file. */
    char dir[] = "/tmp/nnpart-profiles-XXXXXX", to[64], full[PATH_MAX + 64], a[PATH_MAX],
         b[PATH_MAX];
    assert_non_null(mkdtemp(dir));
    snprintf(to, sizeof to, "%s/s.yaml", dir);
    base = test_file_read(DIR "scenario.yaml", &blen);
    form = scenario_patch_at(base, blen, DIR "scenario.yaml", to, &s, &patched, &plen, note,
                             sizeof note);
    if (form != PATCH_KEPT && form != PATCH_SECTIONS) fail_msg("form %d: %s", form, note);
    assert_null(strstr(patched, "\n  edge: edge.csv"));
    assert_int_equal(scenario_load_string(patched, plen, to, &back, &err), 0);
    snprintf(full, sizeof full, "%s/%s", dir, back.profile_files[0].path);
    assert_non_null(realpath(full, a));
    assert_non_null(realpath(DIR "edge.csv", b));
    assert_string_equal(a, b);
    nn_scenario moved;
    assert_int_equal(scenario_copy(&moved, &s), 0);
    assert_true(scenario_rebase(&moved, DIR "scenario.yaml", to));
    if (!scenario_equal(&moved, &back, why, sizeof why)) fail_msg("%s", why);
    scenario_free(&moved);
    scenario_free(&back);
    free(patched);
    free(base);
    assert_int_equal(rmdir(dir), 0);

    /* Deleting the device drops its file, so the save still loads. */
    assert_int_equal(scenario_remove_device(&s, 0), 0);
    assert_int_equal(s.nprofile_files, 0);
    scenario_free(&s);
}

/* A scenario beside `csv` (written into a temporary directory) that reads
 * it for `edge`; returns the loader's message. */
static void load_with_csv(const char *csv, const char *profiles, char *message, size_t size)
{
    char dir[] = "/tmp/nnpart-profiles-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], yaml[1024];
    snprintf(path, sizeof path, "%s/p.csv", dir);
    if (csv) test_file_write(path, csv);
    snprintf(yaml, sizeof yaml,
             "network:\n  input: 1 kB\n  layers:\n"
             "    - {name: conv1, flops: 1e9, output: 1 kB}\n"
             "    - {name: conv2, flops: 1e9, output: 1 kB}\n"
             "devices:\n  - {name: edge, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n"
             "%s\n",
             profiles);
    char spath[256];
    snprintf(spath, sizeof spath, "%s/s.yaml", dir);
    test_file_write(spath, yaml);
    nn_scenario s;
    nn_error err;
    int rc = scenario_load_file(spath, &s, &err);
    assert_int_equal(rc, -1);
    /* Messages name the temporary directory: left out for comparing. */
    size_t dl = strlen(dir), w = 0;
    for (const char *m = err.message; *m && w + 1 < size;) {
        if (strncmp(m, dir, dl) == 0 && m[dl] == '/') {
            m += dl + 1;
            continue;
        }
        message[w++] = *m++;
    }
    message[w] = '\0';
    unlink(path);
    unlink(spath);
    rmdir(dir);
}

static void test_bad_csv(void **state)
{
    (void)state;
    static const struct {
        const char *csv, *profiles, *message;
    } CASES[] = {
        {"layer,time\nconv1,3 ms\nconvv2,4 ms\n", "profiles: {edge: p.csv}",
         "p.csv:3:1: layer: unknown layer 'convv2' (did you mean 'conv2'?); layers: conv1, conv2"},
        {"layer,time\nconv1,3 ms\n conv1,4 ms\n", "profiles: {edge: p.csv}",
         "p.csv:3:2: layer: duplicate layer 'conv1' (first at line 2); each layer may appear once"},
        {"layer,time\nconv1,3 GB\n", "profiles: {edge: p.csv}",
         "p.csv:2:7: time: '3 GB' is a size, expected a time such as '2 ms' (s, ms, us, ns)"},
        {"layer,time\nconv1,-3 ms\n", "profiles: {edge: p.csv}",
         "p.csv:2:7: time: '-3 ms' is negative, expected a time such as '2 ms' (s, ms, us, ns)"},
        {"name,seconds\nconv1,3\n", "profiles: {edge: p.csv}",
         "p.csv:1:1: expected the header 'layer,time'; then one line per layer such as "
         "'conv1,3.2 ms'"},
        {"layer,time\nconv1,3 ms,extra\n", "profiles: {edge: p.csv}",
         "p.csv:2:1: expected 2 fields 'layer,time' such as 'conv1,3.2 ms', found more"},
        {"", "profiles: {edge: p.csv}",
         "p.csv:1:1: empty; expected the header 'layer,time' and one line per layer"},
        {NULL, "profiles: {edge: p.csv}",
         "s.yaml:8:18: profiles.edge: p.csv: cannot open: No such file or directory"},
        {"layer,time\n", "profiles: {phone: p.csv}",
         "s.yaml:8:12: profiles.phone: unknown device 'phone'; devices: edge"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char msg[1024];
        load_with_csv(CASES[i].csv, CASES[i].profiles, msg, sizeof msg);
        if (strcmp(msg, CASES[i].message) != 0)
            fail_msg("case %zu:\n  got  %s\n  want %s", i, msg, CASES[i].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_overrides_flops),
        cmocka_unit_test(test_bad_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
