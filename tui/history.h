/* Undo and redo for the explorer: whole-scenario snapshots, so every kind of
 * edit (a value, a pin, the mode, the network, a device or link added or
 * removed) is undone the same way. No curses here. */
#ifndef NNPART_HISTORY_H
#define NNPART_HISTORY_H

#include "../model/scenario.h"

typedef struct history_entry {
    nn_scenario snap;
    char what[256]; /* the edit that followed this snapshot: "cloud speed 40 TFLOP/s" */
} history_entry;

typedef struct history {
    int cap; /* oldest snapshots are dropped beyond this */
    int nundo, nredo;
    history_entry *undo; /* [cap], oldest first */
    history_entry *redo; /* [cap], most recently undone last */
} history;

/* Returns -1 when out of memory. */
int history_init(history *h, int cap);
void history_free(history *h);

/* Records the scenario as it was before an edit described by `what`; takes
 * ownership of *before (left empty). Clears the redo stack. */
int history_push(history *h, nn_scenario *before, const char *what);

/* Swaps *cur with the last snapshot; the current state goes to redo. False
 * when there is nothing to undo. `what` (may be NULL) gets the edit undone. */
bool history_undo(history *h, nn_scenario *cur, char *what, size_t what_size);
/* The reverse of history_undo. */
bool history_redo(history *h, nn_scenario *cur, char *what, size_t what_size);

#endif
