/* The explorer. Owns the terminal between tui_run's start and return. */
#ifndef NNPART_TUI_H
#define NNPART_TUI_H

#include "../model/scenario.h"

/* Opens the explorer on `s` (taken over: tui_run frees it). `path` is the
 * file it came from, or NULL for the built-in default (then `s` saves via
 * "save as"). Returns the process exit status. */
int tui_run(nn_scenario *s, const char *path);

#endif
