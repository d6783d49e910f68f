/* The explorer's state and its key handling, without curses: the document
 * being edited, selection, prompts, undo history and the result on show.
 * tui.c feeds it keys and outcomes and acts on the effects it returns;
 * screen.c paints it. Tests drive it directly. */
#ifndef NNPART_EXPLORER_H
#define NNPART_EXPLORER_H

#include "../model/field.h"
#include "../draw/gantt.h"
#include "history.h"
#include "worker.h"

/* Keys beyond characters (printable and control characters are themselves;
 * Enter is '\n', Tab '\t', Esc 27, Backspace 127). */
enum {
    EXK_UP = 0x110000,
    EXK_DOWN,
    EXK_LEFT,
    EXK_RIGHT,
    EXK_BTAB,
    EXK_PGUP,
    EXK_PGDN,
    EXK_HOME,
    EXK_END,
    EXK_F1,
    EXK_F10,
};
#define EXK_ENTER '\n'
#define EXK_TAB '\t'
#define EXK_ESC 27
#define EXK_BACKSPACE 127
#define EXK_CTRL(c) ((c)&0x1f)

/* What an action asks of the main loop (htop's Action.c flags). */
enum {
    EFFECT_NONE = 0,
    EFFECT_REDRAW = 1 << 0,   /* repaint */
    EFFECT_RESOLVE = 1 << 1,  /* the document changed: solve it again */
    EFFECT_WRITE_LP = 1 << 2, /* solve and write the LP to ex->lp_path */
    EFFECT_QUIT = 1 << 3,
};

typedef enum ex_pane {
    PANE_DEVICES,
    PANE_LINKS,
    PANE_TIMELINE,
    PANE_LAYERS,
    PANE_BASELINES,
    PANE_COUNT
} ex_pane;

typedef enum ex_modal {
    MODAL_NONE,
    MODAL_INPUT,   /* a line of text: a value, a path */
    MODAL_CONFIRM, /* y / n */
    MODAL_PICK,    /* a list to choose from */
    MODAL_HELP,
} ex_modal;

typedef enum ex_input {
    INPUT_VALUE,
    INPUT_SAVE_AS,
    INPUT_WRITE_LP,
    INPUT_SEARCH,
    INPUT_RENAME
} ex_input;
typedef enum ex_confirm {
    CONFIRM_DELETE_DEVICE,
    CONFIRM_DELETE_LINK,
    CONFIRM_QUIT,
    CONFIRM_REPLACE_FILE,    /* save as onto an existing file (ex->pending_path) */
    CONFIRM_REPLACE_LP,      /* the LP onto an existing file (ex->pending_path) */
    CONFIRM_SPLIT_LINKS,     /* save a file that has other hard links (ex->pending_path) */
    CONFIRM_CHANGED_ON_DISK, /* save over a file changed since it was read (pending_path) */
} ex_confirm;
typedef enum ex_pick {
    PICK_NETWORK,
    PICK_DEVICE_PRESET,
    PICK_LINK_PAIR,
    PICK_LINK_PRESET,
    PICK_PIN,
} ex_pick;

typedef struct ex_pick_item {
    char text[160];
    int a, b; /* what the item stands for: zoo index, preset, device pair, pin device */
} ex_pick_item;

#define EX_INPUT_LEN 256
#define EX_PATH_LEN 4096

struct ex_sens;  /* the sensitivity view's state (tui/sensitivity.h) */
struct ex_pview; /* the Pareto view's state (tui/pareto_view.h) */

typedef struct explorer {
    nn_scenario doc;        /* what is being edited */
    nn_scenario saved;      /* as opened or last saved */
    char path[EX_PATH_LEN]; /* empty: the built-in default, never saved */
    /* The file's text as opened or last saved (NULL: a new document), from
     * which saves change only what was edited (scenario_patch). */
    char *saved_text;
    size_t saved_len;
    char pending_path[EX_PATH_LEN]; /* a save or LP file waiting for y/n */
    history hist;

    ex_pane pane;
    int row[PANE_COUNT]; /* selected row; the timeline shares the layers' row */
    int col[PANE_COUNT]; /* selected value column in the devices and links panes */

    ex_modal modal;
    /* MODAL_INPUT */
    ex_input input_kind;
    nn_field_ref input_ref;
    char input_prompt[320]; /* before the typed text: "device:hub.speed: " */
    char input_note[400];   /* above it: what to type */
    char input[EX_INPUT_LEN];
    char input_error[800]; /* why the last Enter was refused; the prompt stays */
    /* MODAL_CONFIRM */
    ex_confirm confirm_kind;
    int confirm_index;
    char confirm_text[256];
    /* MODAL_PICK */
    ex_pick pick_kind;
    char pick_title[160];
    int npick, pick_sel;
    ex_pick_item *pick;
    int pick_a, pick_b; /* the pair chosen before a link preset */
    /* MODAL_HELP */
    int help_top;

    bool unicode;   /* the terminal shows UTF-8: messages may use arrows */
    char msg[1024]; /* the last thing said in the footer */
    bool msg_error;
    char edit_msg[256]; /* the last edit, waiting for its result to say what it did */

    tui_outcome *shown;      /* the result on screen; may lag behind the document */
    unsigned long submitted; /* number of the latest solve asked for */
    unsigned long answered;  /* number of the latest solve that came back */
    /* Compare: a placement drawn under the optimum on the same time axis. */
    int *compare_place; /* [layers], NULL: no comparison */
    int compare_len;    /* its entries: the layers of the result it came from */
    char compare_name[NN_TEXT_LEN];
    bool has_compare_ev;
    nn_eval compare_ev; /* compare_place under the result on show */
    gantt_view view;
    int lane_scroll;   /* first timeline lane shown; -1: follow the selected layer */
    int lanes_visible; /* lanes the screen shows at once (set after painting) */
    int lanes_total;   /* comparing: compute lanes to scroll through (-1: none; 0: not comparing) */
    /* Value columns on show, bit c for column c (set after painting; 0:
     * all): h/l move among them. */
    unsigned cols_visible[PANE_COUNT];
    char lp_path[EX_PATH_LEN]; /* for EFFECT_WRITE_LP */
    bool lp_force;             /* the user agreed to replace lp_path */
    struct ex_sens *sens;      /* NULL until the sensitivity view first opens */
    nn_engine engine;          /* which exact engine solves (E cycles it) */
    struct ex_pview *pview;    /* NULL until the Pareto view first opens */
} explorer;

/* "→" or "->" by ex->unicode. */
const char *ex_arrow(const explorer *ex);
/* Whether the timeline shows the result's stream (objective throughput, no
 * comparison open) rather than one inference. */
bool ex_stream_shown(const explorer *ex);

/* Takes ownership of *s; `path` may be NULL (the built-in default). */
int explorer_init(explorer *ex, nn_scenario *s, const char *path);
void explorer_free(explorer *ex);

/* Handles one key; returns EFFECT_* flags. */
unsigned explorer_key(explorer *ex, int key);

/* Shows a new result (takes ownership). Results of older submissions than
 * the one on show are dropped. */
void explorer_show(explorer *ex, tui_outcome *o);
/* The baselines of submission `gen` (taken over): attached to the result on
 * show when it is that submission's, else dropped. */
void explorer_show_baselines(explorer *ex, unsigned long gen, nn_baselines *b, double time_s);
/* What the result on show changed against the one before: "174 ms -> 182 ms,
 * +4.6%; moved conv3 phone -> hub, conv4 phone -> hub" (empty when not
 * comparable). */
void explorer_change_text(const explorer *ex, char *buf, size_t size);
/* True while the result on show is not that of the latest submission. */
bool explorer_solving(const explorer *ex);
bool explorer_unsaved(const explorer *ex);

/* Mouse: select a pane's row (and, for devices and links, a value column;
 * -1 keeps the current one). */
void explorer_select(explorer *ex, ex_pane pane, int row, int col);
/* The mouse wheel over `pane`: scrolls its rows (the timeline: its lanes)
 * by `delta`, with the same feedback as the keys. */
void explorer_wheel(explorer *ex, ex_pane pane, int delta);
/* Mouse on the timeline: selects the bar's layer or link and describes it. */
void explorer_select_bar(explorer *ex, const gantt_bar *bar);

/* Rows in a pane (devices, links, layers, baselines on show). */
int explorer_rows(const explorer *ex, ex_pane pane);
const char *explorer_pane_name(ex_pane pane);
/* The field under the cursor in the devices or links pane (false on the
 * battery column: a flag, not a number). */
bool explorer_selected_field(const explorer *ex, nn_field_ref *ref);
/* The device whose battery column is under the cursor, or -1. */
int explorer_selected_battery(const explorer *ex);
/* Columns of values in the devices and links panes. */
#define EX_VALUE_COLS 8 /* the most of any pane: devices */
/* The devices' battery column: a yes/no toggle, not in the field table. */
#define EX_COL_BATTERY FIELD_COUNT
int explorer_value_cols(ex_pane pane);
/* The field of a value column (EX_COL_BATTERY for the battery flag). */
nn_field_id explorer_col_field(ex_pane pane, int col);
/* Whether value column `col` is on show (ex->cols_visible). */
bool explorer_col_visible(const explorer *ex, ex_pane pane, int col);

/* The key table: one place defines a key, its action, its help line and its
 * hint in the footer. */
typedef unsigned (*ex_action_fn)(explorer *ex);
typedef struct ex_binding {
    int keys[3];       /* 0-terminated */
    const char *names; /* "j Down" */
    ex_action_fn action;
    const char *help;
    /* The footer shows the first key name and this word in the panes of
     * `hint_panes`; neighbours in the table with the same hint share it
     * ("j/k select"). NULL: only in the help. On a narrow footer hints of
     * rank 3 leave first, then rank 2; rank 1 stays. */
    const char *hint;
    unsigned hint_panes;
    int hint_rank;
} ex_binding;

#define EX_HINT_PANE(p) (1u << (p))
#define EX_HINT_VALUES (EX_HINT_PANE(PANE_DEVICES) | EX_HINT_PANE(PANE_LINKS))
#define EX_HINT_LAYERS (EX_HINT_PANE(PANE_TIMELINE) | EX_HINT_PANE(PANE_LAYERS))
#define EX_HINT_ALL ((1u << PANE_COUNT) - 1)

const ex_binding *explorer_bindings(int *count);
/* Help text line i (0-based) generated from the table; false past the end. */
bool explorer_help_line(int i, char *buf, size_t size);
/* Line i of the help wrapped to `width` columns at blanks (continuations
 * indented under the text); false past the end. */
bool explorer_help_wrapped(int width, int i, char *buf, size_t size);
/* The footer's key hints for `pane`, generated from the table and fitted to
 * `width` columns by leaving out the least important. */
void explorer_hint_line(ex_pane pane, int width, char *buf, size_t size);

#endif
