/* The malformed-file catalogue: each file in tests/bad/ has one problem, and
 * tests/bad/expected.txt ("NAME<TAB>message" per line) holds the exact
 * message the loader must give for it. Limits too large for a checked-in
 * file (devices, layers) are generated here. */
#include <glob.h>
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
#include "scenario_io.h"

#define EXPECTED "tests/bad/expected.txt"

typedef struct expectation {
    char name[128];
    char message[1024];
} expectation;

static int read_expectations(expectation *out, int max)
{
    FILE *f = fopen(EXPECTED, "r");
    if (!f) fail_msg("cannot open %s (tests run from the repository root)", EXPECTED);
    char line[1200];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        if (!tab) fail_msg("%s: line without a tab: %s", EXPECTED, line);
        *tab = '\0';
        assert_true(n < max);
        snprintf(out[n].name, sizeof out[n].name, "%.127s", line);
        snprintf(out[n].message, sizeof out[n].message, "%.1023s", tab + 1);
        n++;
    }
    fclose(f);
    return n;
}

/* Loads the file and checks the whole message, and that it is well formed:
 * "FILE:LINE:COL: ..." with the field named when there is one. */
static void check_message(const char *path, const char *want)
{
    nn_scenario s;
    nn_error err;
    if (scenario_load_file(path, &s, &err) == 0) {
        scenario_free(&s);
        fail_msg("%s loaded, expected: %s", path, want);
    }
    if (strcmp(err.message, want) != 0)
        fail_msg("%s\n  got:  %s\n  want: %s", path, err.message, want);
    assert_string_equal(err.file, path);
    assert_true(err.line >= 1);
    assert_true(err.column >= 1);
    char where[600];
    snprintf(where, sizeof where, "%s:%d:%d: ", path, err.line, err.column);
    assert_int_equal(strncmp(err.message, where, strlen(where)), 0);
    if (err.field[0]) {
        char field[200];
        snprintf(field, sizeof field, "%s: ", err.field);
        assert_int_equal(strncmp(err.message + strlen(where), field, strlen(field)), 0);
    }
    /* A failed load leaves an empty scenario. */
    assert_int_equal(s.ndevices, 0);
    assert_int_equal(s.net.nlayers, 0);
    assert_null(s.devices);
}

/* The catalogue file of an expectation; a name too long for the path fails the
 * test rather than being cut (and the check, not the cut, keeps -O2 quiet). */
static void bad_path(char *out, size_t size, const char *name)
{
    int n = snprintf(out, size, "tests/bad/%s.yaml", name);
    if (n < 0 || (size_t)n >= size) fail_msg("expectation name too long: %s", name);
}

static void test_catalogue_messages(void **state)
{
    (void)state;
    static expectation want[256];
    int n = read_expectations(want, 256);
    assert_true(n >= 35);
    for (int i = 0; i < n; i++) {
        char path[300];
        bad_path(path, sizeof path, want[i].name);
        check_message(path, want[i].message);
    }
}

/* Every file in the catalogue has its expectation (none silently skipped). */
static void test_catalogue_complete(void **state)
{
    (void)state;
    static expectation want[256];
    int n = read_expectations(want, 256);
    glob_t g;
    assert_int_equal(glob("tests/bad/*.yaml", 0, NULL, &g), 0);
    assert_int_equal((int)g.gl_pathc, n);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        bool found = false;
        for (int k = 0; k < n && !found; k++) {
            char path[300];
            bad_path(path, sizeof path, want[k].name);
            found = strcmp(path, g.gl_pathv[i]) == 0;
        }
        if (!found) fail_msg("%s has no line in %s", g.gl_pathv[i], EXPECTED);
    }
    globfree(&g);
}

static void write_temp(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/nnpart-bad-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(close(fd), 0);
    test_file_write(path, text);
}

static void test_too_many_devices(void **state)
{
    (void)state;
    size_t cap = 8192, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)snprintf(text + n, cap - n, "network: alexnet\ndevices:\n");
    for (int i = 0; i <= NN_MAX_DEVICES; i++)
        n += (size_t)snprintf(
            text + n, cap - n,
            "  - {name: d%d, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 MB/s}\n", i);
    assert_true(n < cap);
    char path[64], want[256];
    write_temp(path, sizeof path, text);
    snprintf(want, sizeof want, "%s:%d:5: devices[%d]: too many devices (%d); at most %d accepted",
             path, NN_MAX_DEVICES + 3, NN_MAX_DEVICES, NN_MAX_DEVICES + 1, NN_MAX_DEVICES);
    check_message(path, want);
    unlink(path);
    free(text);
}

static void test_too_many_layers(void **state)
{
    (void)state;
    size_t cap = 64 * (NN_MAX_LAYERS + 10), n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)snprintf(text + n, cap - n,
                          "devices: [{name: a, speed: 1000, memory: 1000, load_rate: 1000}]\n"
                          "network:\n  input: 1 kB\n  layers:\n");
    for (int i = 0; i <= NN_MAX_LAYERS; i++)
        n += (size_t)snprintf(text + n, cap - n, "    - {name: L%d, flops: 1, output: 1}\n", i);
    assert_true(n < cap);
    char path[64], want[256];
    write_temp(path, sizeof path, text);
    snprintf(want, sizeof want,
             "%s:%d:7: network.layers[%d]: too many layers (%d); at most %d accepted", path,
             NN_MAX_LAYERS + 5, NN_MAX_LAYERS, NN_MAX_LAYERS + 1, NN_MAX_LAYERS);
    check_message(path, want);
    unlink(path);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_messages),
        cmocka_unit_test(test_catalogue_complete),
        cmocka_unit_test(test_too_many_devices),
        cmocka_unit_test(test_too_many_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
