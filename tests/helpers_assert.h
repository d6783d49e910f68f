/* Assertions the cmocka tests share. */
#ifndef NNPART_TEST_HELPERS_ASSERT_H
#define NNPART_TEST_HELPERS_ASSERT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Exact comparison of derived counts (all small integers, exact in double);
 * a failure names the expression and both values. */
#define assert_num(got, want)                                                                      \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (!(g_ == w_)) fail_msg("%s = %.17g, expected %.17g", #got, g_, w_);                     \
    } while (0)

#endif
