/* The ONNX importer on arbitrary bytes (seeds: the real exports in
 * tests/fixtures/onnx). Whatever it accepts is a finite, non-empty chain, and
 * every granularity of it carries the same MACs and weights; whatever it
 * refuses it refuses with a message naming the file. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "onnx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nn_network a;
    nn_error err;
    onnx_granularity g = {.kind = ONNX_GRAN_AUTO};
    if (onnx_import_buffer(data, size, "fuzz.onnx", &g, &a, NULL, &err) != 0) {
        FUZZ_REQUIRE(strncmp(err.message, "fuzz.onnx: ", 11) == 0 && strlen(err.message) > 20,
                     "a refusal without a reason: '%s'", err.message);
        FUZZ_REQUIRE(a.nlayers == 0, "a refused model left %d layers", a.nlayers);
        return 0;
    }
    FUZZ_REQUIRE(a.nlayers >= 1, "an accepted model without units");
    FUZZ_REQUIRE(isfinite(a.macs) && a.macs >= 0 && isfinite(a.weight_bytes),
                 "totals %g MACs, %g B", a.macs, a.weight_bytes);
    for (int l = 0; l < a.nlayers; l++)
        FUZZ_REQUIRE(isfinite(a.layers[l].output_bytes) && a.layers[l].output_bytes >= 0,
                     "unit %d output %g", l, a.layers[l].output_bytes);
    /* Cutting differently moves MACs and weights between units, never
     * changes their sums. */
    onnx_granularity other[] = {{.kind = ONNX_GRAN_OPS}, {.kind = ONNX_GRAN_MAX, .max_units = 3}};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        nn_network b;
        if (onnx_import_buffer(data, size, "fuzz.onnx", &other[i], &b, NULL, &err) != 0) {
            /* ops may exceed the unit limit where auto did not */
            FUZZ_REQUIRE(other[i].kind == ONNX_GRAN_OPS && strstr(err.message, "units; at most"),
                         "auto imports, granularity %zu refuses: %s", i, err.message);
            continue;
        }
        FUZZ_REQUIRE(b.macs == a.macs, "MACs %g vs %g", b.macs, a.macs);
        FUZZ_REQUIRE(fabs(b.weight_bytes - a.weight_bytes) <= 1e-9 * a.weight_bytes,
                     "weights %g vs %g", b.weight_bytes, a.weight_bytes);
        network_free(&b);
    }
    network_free(&a);
    return 0;
}
