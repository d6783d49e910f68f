/* Shared between explorer.c (state, prompts, dispatch) and actions.c (the
 * key table and what each key does). Not for the screen. */
#ifndef NNPART_EXPLORER_INTERNAL_H
#define NNPART_EXPLORER_INTERNAL_H

#include "explorer.h"

/* Sets the footer message. */
void ex_say(explorer *ex, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Every edit: copy the document into *before, change ex->doc, then commit
 * (records undo, keeps selections in range, asks for a re-solve) or, when
 * nothing changed, scenario_free(before). */
int ex_begin(explorer *ex, nn_scenario *before);
unsigned ex_commit(explorer *ex, nn_scenario *before, const char *what);
/* Says what the selection of the focused pane is (keys and mouse alike). */
void ex_describe(explorer *ex);
/* Scrolls the timeline's lanes by `lanes` (negative: up). */
unsigned ex_scroll_lanes(explorer *ex, int lanes);
/* Re-evaluates the compared placement under the result on show (drops it
 * when the shape changed). */
void ex_compare_refresh(explorer *ex);
/* Keeps every pane's selection inside its rows and on a column on show. */
void ex_clamp(explorer *ex);
/* The value column h (dir -1) or l (+1) moves to: the next one on show. */
int ex_col_step(const explorer *ex, ex_pane pane, int dir);
/* Lanes of the timeline on show (as draw/gantt.h lays them out); 0 without a result. */
int ex_lane_count(const explorer *ex);
/* End of the timeline on show (1 s when there is none), for zoom and pan. */
double ex_timeline_total(const explorer *ex);

void ex_input_open(explorer *ex, ex_input kind, const char *prompt, const char *note,
                   const char *initial);
void ex_confirm_open(explorer *ex, ex_confirm kind, int index, const char *text);
void ex_pick_open(explorer *ex, ex_pick kind, const char *title);
int ex_pick_add(explorer *ex, const char *text, int a, int b);

/* Completions of the prompts, in actions.c. */
unsigned actions_input_done(explorer *ex);
unsigned actions_confirm_done(explorer *ex, bool yes);
unsigned actions_pick_done(explorer *ex, const ex_pick_item *item);

#endif
