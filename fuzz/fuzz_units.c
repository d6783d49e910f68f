/* The unit parser: the first byte picks the kind, the rest is the text.
 * Whatever it accepts is finite and not negative, and its exact form parses
 * back to the same bits; the display form always fits with its unit. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256) return 0;
    unit_kind kind = (unit_kind)(data[0] % UNIT_KIND_COUNT);
    char text[257];
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    double v;
    char why[512];
    if (!units_parse(text, kind, &v, why, sizeof why)) {
        FUZZ_REQUIRE(why[0] != '\0', "a refusal without a reason for '%s'", text);
        return 0;
    }
    FUZZ_REQUIRE(isfinite(v) && v >= 0, "'%s' gave %g", text, v);
    char exact[64], shown[32];
    units_format_exact(v, kind, exact, sizeof exact);
    double back;
    FUZZ_REQUIRE(units_parse(exact, kind, &back, why, sizeof why), "'%s' -> '%s': %s", text, exact,
                 why);
    FUZZ_REQUIRE(memcmp(&back, &v, sizeof v) == 0, "'%s' -> '%s' is not exact", text, exact);
    units_format(v, kind, shown, sizeof shown);
    FUZZ_REQUIRE(strlen(shown) < sizeof shown - 1, "display form '%s' was cut", shown);
    return 0;
}
