/* GLPK ends the process (abort) on an internal error. The guard turns that
 * into a return value: its error hook longjmps back, the thread's GLPK
 * environment is freed, and the caller reports SOLVE_ERROR. */
#ifndef NNPART_GLPK_GUARD_H
#define NNPART_GLPK_GUARD_H

#include <stddef.h>

enum { GLPK_GUARD_FAILED = -1000 };

/* Runs fn(arg) and returns its result, or GLPK_GUARD_FAILED after a GLPK
 * error with GLPK's own first line in `why`. After a failure every GLPK
 * object this thread created is gone (glp_free_env): fn's caller must not
 * touch them, only free its own memory. Memory fn allocated in frames that
 * the jump skipped is lost, so callers keep their allocations in `arg`. */
int glpk_guarded(int (*fn)(void *arg), void *arg, char *why, size_t why_size);

#endif
