/* The scenario loader on any bytes, from a string and from a file (which
 * must agree): never a crash, leak or hang, and a file it accepts survives
 * load -> write -> load unchanged (and writes the same text twice). Seeds:
 * configs/ and tests/bad/. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "scenario_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_text(const nn_scenario *s, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    FUZZ_REQUIRE(f != NULL, "open_memstream");
    FUZZ_REQUIRE(scenario_write(s, f) == 0, "scenario_write failed");
    fclose(f);
    return text;
}

/* The same bytes through scenario_load_file: the same verdict. */
static void check_file_agrees(const uint8_t *data, size_t size, int rc_string)
{
    static char path[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/nnpart-fuzz-%ld.yaml", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    FUZZ_REQUIRE(f != NULL, "cannot write %s", path);
    FUZZ_REQUIRE(fwrite(data, 1, size, f) == size, "short write");
    fclose(f);
    nn_scenario s;
    nn_error err;
    int rc = scenario_load_file(path, &s, &err);
    FUZZ_REQUIRE((rc == 0) == (rc_string == 0), "string %d, file %d: %s", rc_string, rc,
                 err.message);
    if (rc == 0) scenario_free(&s);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nn_scenario a, b;
    nn_error err;
    int rc0 = scenario_load_string((const char *)data, size, "fuzz.yaml", &a, &err);
    /* Files named inside (profiles, onnx) resolve relative to the scenario
     * file: the verdicts are compared for inputs that name none. */
    if (!memmem(data, size, "profiles", 8) && !memmem(data, size, "onnx", 4))
        check_file_agrees(data, size, rc0);
    if (rc0 != 0) {
        FUZZ_REQUIRE(err.message[0] != '\0', "a refusal without a message");
        FUZZ_REQUIRE(a.ndevices == 0 && a.devices == NULL, "a refusal leaves devices");
        return 0;
    }
    size_t len = 0, len2 = 0;
    char *text = write_text(&a, &len);
    int rc = scenario_load_string(text, len, "written.yaml", &b, &err);
    FUZZ_REQUIRE(rc == 0, "the written file does not load: %s\n%s", err.message, text);
    char why[256];
    FUZZ_REQUIRE(scenario_equal(&a, &b, why, sizeof why), "round trip differs: %s\n%s", why, text);
    char *again = write_text(&b, &len2);
    FUZZ_REQUIRE(len == len2 && memcmp(text, again, len) == 0, "second write differs:\n%s\n%s",
                 text, again);
    free(text);
    free(again);
    scenario_free(&a);
    scenario_free(&b);
    return 0;
}
