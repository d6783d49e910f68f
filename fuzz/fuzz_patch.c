/* Format-keeping saves on any scenario the loader accepts: a few random
 * edits (seeded by the input), then scenario_patch; the saved text must
 * load back to the edited scenario, whatever form the patch took, and a
 * second save of it must change nothing. Seeds: configs/ and tests/patch/. */
#include <stdint.h>
#include <string.h>

#include "../tests/helpers_edit.h"
#include "fuzz.h"
#include "scenario_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nn_scenario s;
    nn_error err;
    if (scenario_load_string((const char *)data, size, "fuzz.yaml", &s, &err) != 0) return 0;
    /* The edits follow from the input, so a finding replays. */
    unsigned long x = 14695981039346656037UL;
    for (size_t i = 0; i < size; i++)
        x = (x ^ data[i]) * 1099511628211UL;
    int edits = 1 + (int)(edit_rnd(&x) % 4);
    for (int k = 0; k < edits; k++)
        edit_random(&s, &x, k);

    char *out = NULL, *again = NULL, note[768];
    size_t len = 0, len2 = 0;
    int form = scenario_patch((const char *)data, size, &s, &out, &len, note, sizeof note);
    FUZZ_REQUIRE(form >= 0, "scenario_patch failed");
    nn_scenario back;
    FUZZ_REQUIRE(scenario_load_string(out, len, "saved.yaml", &back, &err) == 0,
                 "the saved text does not load (form %d, %s): %s\n%s", form, note, err.message,
                 out);
    char why[256];
    FUZZ_REQUIRE(scenario_equal(&back, &s, why, sizeof why), "saved differently (form %d): %s\n%s",
                 form, why, out);
    FUZZ_REQUIRE(form == PATCH_KEPT || note[0], "a section or file rewritten without a note");
    int form2 = scenario_patch(out, len, &s, &again, &len2, note, sizeof note);
    FUZZ_REQUIRE(form2 == PATCH_KEPT && len2 == len && memcmp(again, out, len) == 0,
                 "a second save changed the text (form %d)", form2);
    free(out);
    free(again);
    scenario_free(&back);
    scenario_free(&s);
    return 0;
}
