/* Undo/redo stacks of scenario snapshots. */
#include "history.h"

#include <stdlib.h>
#include <string.h>

int history_init(history *h, int cap)
{
    *h = (history){.cap = cap > 0 ? cap : 1};
    h->undo = calloc((size_t)h->cap, sizeof *h->undo);
    h->redo = calloc((size_t)h->cap, sizeof *h->redo);
    if (!h->undo || !h->redo) {
        history_free(h);
        return -1;
    }
    return 0;
}

static void stack_clear(history_entry *stack, int *n)
{
    for (int i = 0; i < *n; i++)
        scenario_free(&stack[i].snap);
    *n = 0;
}

void history_free(history *h)
{
    if (h->undo) stack_clear(h->undo, &h->nundo);
    if (h->redo) stack_clear(h->redo, &h->nredo);
    free(h->undo);
    free(h->redo);
    memset(h, 0, sizeof *h);
}

/* Pushes by moving the snapshot in; a full stack forgets its oldest entry. */
static void stack_push(history_entry *stack, int *n, int cap, nn_scenario *snap, const char *what)
{
    if (*n == cap) {
        scenario_free(&stack[0].snap);
        memmove(stack, stack + 1, (size_t)(cap - 1) * sizeof *stack);
        (*n)--;
    }
    history_entry *e = &stack[(*n)++];
    e->snap = *snap;
    str_copy(e->what, sizeof e->what, what);
    scenario_init(snap);
}

int history_push(history *h, nn_scenario *before, const char *what)
{
    stack_clear(h->redo, &h->nredo);
    stack_push(h->undo, &h->nundo, h->cap, before, what);
    return 0;
}

/* Moves the top of `from` into *cur and *cur onto `to`, keeping the label. */
static bool stack_move(history_entry *from, int *nfrom, history_entry *to, int *nto, int cap,
                       nn_scenario *cur, char *what, size_t what_size)
{
    if (*nfrom == 0) return false;
    history_entry *top = &from[--(*nfrom)];
    char label[sizeof top->what];
    str_copy(label, sizeof label, top->what);
    if (what) str_copy(what, what_size, label);
    nn_scenario old = *cur;
    *cur = top->snap;
    scenario_init(&top->snap);
    stack_push(to, nto, cap, &old, label);
    return true;
}

bool history_undo(history *h, nn_scenario *cur, char *what, size_t what_size)
{
    return stack_move(h->undo, &h->nundo, h->redo, &h->nredo, h->cap, cur, what, what_size);
}

bool history_redo(history *h, nn_scenario *cur, char *what, size_t what_size)
{
    return stack_move(h->redo, &h->nredo, h->undo, &h->nundo, h->cap, cur, what, what_size);
}
