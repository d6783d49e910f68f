/* The --place parser on the built-in default scenario (13 AlexNet layers,
 * three devices): any text gives a placement of valid devices or a reason. */
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"
#include "scenario_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nn_scenario scenario;
static int loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!loaded) {
        nn_error err;
        FUZZ_REQUIRE(scenario_load_string(nnpart_default_yaml, strlen(nnpart_default_yaml),
                                          "default", &scenario, &err) == 0,
                     "%s", err.message);
        loaded = 1;
    }
    if (size > 4096) return 0;
    char *text = malloc(size + 1);
    FUZZ_REQUIRE(text != NULL, "out of memory");
    memcpy(text, data, size);
    text[size] = '\0';
    int L = scenario.net.nlayers;
    int *place = malloc((size_t)L * sizeof *place);
    FUZZ_REQUIRE(place != NULL, "out of memory");
    char why[512];
    if (cli_place_parse(&scenario, text, place, why, sizeof why)) {
        for (int l = 0; l < L; l++)
            FUZZ_REQUIRE(place[l] >= 0 && place[l] < scenario.ndevices, "layer %d on %d", l,
                         place[l]);
    } else {
        FUZZ_REQUIRE(why[0] != '\0', "a refusal without a reason");
    }
    free(place);
    free(text);
    return 0;
}
