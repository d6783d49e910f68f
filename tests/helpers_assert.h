/* Assertions the cmocka tests share. */
#ifndef NNPART_TEST_HELPERS_ASSERT_H
#define NNPART_TEST_HELPERS_ASSERT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <math.h>

#include <cmocka.h>

/* Exact comparison of derived counts (all small integers, exact in double);
 * a failure names the expression and both values. */
#define assert_num(got, want)                                                                      \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (!(g_ == w_)) fail_msg("%s = %.17g, expected %.17g", #got, g_, w_);                     \
    } while (0)

/* Relative difference within 1e-9 (float sums in another order). */
static inline void assert_close(double got, double want)
{
    if (fabs(got - want) > 1e-9 * fabs(want)) fail_msg("got %.15g, want %.15g", got, want);
}

#endif
