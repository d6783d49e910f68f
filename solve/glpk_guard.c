#include "glpk_guard.h"

#include <glpk.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

typedef struct guard {
    jmp_buf back;
    char *why;
    size_t why_size;
    size_t used;
} guard;

/* GLPK switches its terminal output on to report an error; the hook keeps
 * the text for the message instead of printing it (the explorer's screen). */
static int keep_text(void *info, const char *text)
{
    guard *g = info;
    if (g->why_size && g->used < g->why_size - 1 && !memchr(g->why, '\n', g->used)) {
        size_t n = strlen(text);
        if (n > g->why_size - 1 - g->used) n = g->why_size - 1 - g->used;
        memcpy(g->why + g->used, text, n);
        g->used += n;
        g->why[g->used] = '\0';
    }
    return 1; /* nothing reaches the terminal */
}

static void jump_back(void *info)
{
    longjmp(((guard *)info)->back, 1);
}

int glpk_guarded(int (*fn)(void *arg), void *arg, char *why, size_t why_size)
{
    guard g = {.why = why, .why_size = why_size};
    if (why && why_size) why[0] = '\0';
    if (setjmp(g.back)) {
        /* GLPK's state is inconsistent after an error: the only way on is
         * to free the whole environment (it is rebuilt on the next call). */
        glp_free_env();
        if (why && why_size) {
            why[strcspn(why, "\n")] = '\0';
            if (!why[0]) snprintf(why, why_size, "internal error");
        }
        return GLPK_GUARD_FAILED;
    }
    glp_term_hook(keep_text, &g);
    glp_error_hook(jump_back, &g);
    int rc = fn(arg);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    return rc;
}
