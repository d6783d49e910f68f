/* Shared by the libFuzzer harnesses in fuzz/ (one file per target, each
 * defining LLVMFuzzerTestOneInput; `make fuzz` builds every fuzz/fuzz_*.c
 * and runs it, so a new harness is one new file). A finding is an abort:
 * a sanitizer report, a crash, a leak, a timeout, or a property that fails. */
#ifndef NNPART_FUZZ_H
#define NNPART_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

/* Fails the run with a reason (libFuzzer saves the input as crash-*). */
#define FUZZ_REQUIRE(cond, ...)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz property failed: %s: ", #cond);                                  \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
