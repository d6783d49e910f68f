/* The explorer's main loop: the terminal, the solver thread, keys and mouse.
 * It waits in poll() on the keyboard and the worker's pipe, so a long solve
 * never blocks typing, and repaints after anything happens. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "explorer.h"
#include "explorer_internal.h"
#include "fileio.h"
#include "scenario_io.h"
#include "pareto_view.h"
#include "screen.h"
#include "sensitivity.h"
#include "worker.h"

/* A solve that takes longer stops with its best placement and the gap. */
#define TUI_TIME_LIMIT_S 5.0
/* Repaint interval while a solve runs, for its clock. */
#define TUI_TICK_MS 200

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Curses keys -> the explorer's own codes; -1 for keys it does not know. */
static int translate_key(int rc, wint_t ch)
{
    if (rc == OK) {
        if (ch == '\r') return EXK_ENTER;
        if (ch == 8) return EXK_BACKSPACE;
        return (int)ch;
    }
    switch (ch) {
    case KEY_UP:
        return EXK_UP;
    case KEY_DOWN:
        return EXK_DOWN;
    case KEY_LEFT:
        return EXK_LEFT;
    case KEY_RIGHT:
        return EXK_RIGHT;
    case KEY_BTAB:
        return EXK_BTAB;
    case KEY_PPAGE:
        return EXK_PGUP;
    case KEY_NPAGE:
        return EXK_PGDN;
    case KEY_HOME:
        return EXK_HOME;
    case KEY_END:
        return EXK_END;
    case KEY_ENTER:
        return EXK_ENTER;
    case KEY_F(1):
        return EXK_F1;
    case KEY_F(10):
        return EXK_F10;
    case KEY_BACKSPACE:
    case KEY_DC:
        return EXK_BACKSPACE;
    default:
        return -1;
    }
}

typedef struct session {
    explorer ex;
    worker *w;
    sens_worker *sens;    /* the sensitivity view's thread */
    pview_worker *pareto; /* the Pareto view's thread */
    screen sc;
    double solve_started;
} session;

static void submit(session *s, const char *write_lp)
{
    worker_set_engine(s->w, s->ex.engine);
    unsigned long gen = worker_submit(s->w, &s->ex.doc, write_lp, write_lp && s->ex.lp_force);
    if (gen == 0) return; /* out of memory: the old result stays */
    s->ex.submitted = gen;
    s->solve_started = now_s();
}

/* Handles one key or event; returns false to quit. */
static bool handle(session *s, int rc, wint_t ch)
{
    if (rc == KEY_CODE_YES && ch == KEY_RESIZE) return true; /* repainted below */
    if (rc == KEY_CODE_YES && ch == KEY_MOUSE) {
        MEVENT m;
        if (getmouse(&m) != OK) return true;
        if (m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
            screen_click(&s->sc, &s->ex, m.y, m.x);
        else if (m.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
            screen_wheel(&s->sc, &s->ex, m.y, m.x, m.bstate & BUTTON4_PRESSED ? -3 : 3);
        return true;
    }
    if (s->sc.lay.too_small && s->ex.modal == MODAL_NONE) {
        /* Only quitting makes sense on a screen too small to show anything. */
        if (rc == OK && ch == 'q') {
            unsigned eff = explorer_key(&s->ex, 'q');
            return !(eff & EFFECT_QUIT);
        }
        return true;
    }
    int key = translate_key(rc, ch);
    if (key < 0) return true;
    unsigned eff = explorer_key(&s->ex, key);
    if (eff & EFFECT_WRITE_LP)
        submit(s, s->ex.lp_path);
    else if (eff & EFFECT_RESOLVE)
        submit(s, NULL);
    return !(eff & EFFECT_QUIT);
}

/* curses sizes its screen from $LINES and $COLUMNS when they are set: a
 * huge value would allocate a huge screen, so they are capped first. */
static void cap_env_size(const char *name)
{
    const char *v = getenv(name);
    if (!v) return;
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n <= 0)
        unsetenv(name);
    else if (n > NN_MAX_COLUMNS) {
        char text[16];
        snprintf(text, sizeof text, "%d", NN_MAX_COLUMNS);
        setenv(name, text, 1);
    }
}

static void terminal_open(session *s)
{
    cap_env_size("COLUMNS");
    cap_env_size("LINES");
    /* Short Esc delay: Esc cancels prompts and should feel immediate. */
    if (!getenv("ESCDELAY")) set_escdelay(25);
    initscr();
    /* Raw: Ctrl-C is a key (quit, asking first about unsaved changes), not
     * a signal that would drop the edits. */
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    const char *cs = nl_langinfo(CODESET);
    screen_init(&s->sc, cs && strcmp(cs, "UTF-8") == 0);
}

/* A hang-up (the terminal closed, the tmux pane killed) and SIGTERM come as
 * reads on a signalfd, polled with the keys: no handler, no global. They
 * are blocked before the threads start, so the threads inherit the mask.
 * SIGHUP stays ignored when it was (nohup): then the end of input says it.
 * Returns the fd, or -1 (the default actions then stay). */
static int hangup_open(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    struct sigaction was;
    if (sigaction(SIGHUP, NULL, &was) != 0 || was.sa_handler != SIG_IGN) sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &set, old) != 0) return -1;
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) pthread_sigmask(SIG_SETMASK, old, NULL);
    return fd;
}

/* The session ends without anyone to ask (hang-up, SIGTERM, end of input)
 * while edits are unsaved: they go to a new file beside the scenario, as
 * nano does, FILE.save (FILE.save.1 .. FILE.save.9 when taken; never
 * replacing anything), or nnpart.save in the current directory for a
 * scenario without a file. The opened file is not touched. Returns 0 with
 * the name in `where` ("" when nothing was unsaved), -1 when no copy could
 * be written. */
static int hangup_save(explorer *ex, char *where, size_t size)
{
    where[0] = '\0';
    if (!explorer_unsaved(ex)) return 0;
    char base[EX_PATH_LEN + 8], path[EX_PATH_LEN + 16], note[768];
    snprintf(base, sizeof base, "%s.save", ex->path[0] ? ex->path : "nnpart");
    char *text = NULL;
    size_t len = 0;
    if (scenario_patch_at(ex->saved_text, ex->saved_len, ex->path[0] ? ex->path : NULL, base,
                          &ex->doc, &text, &len, note, sizeof note) < 0)
        return -1;
    int rc = -1;
    for (int k = 0; k < 10 && rc != 0; k++) {
        if (k == 0)
            str_copy(path, sizeof path, base);
        else
            snprintf(path, sizeof path, "%s.%c", base, (char)('0' + k)); /* 1 .. 9 */
        nn_error err;
        error_clear(&err);
        int w = fileio_write(path, text, len, FILEIO_NEW, &err);
        if (w == 0) {
            rc = 0;
            str_copy(where, size, path);
        } else if (w != FILEIO_EXISTS) {
            break;
        }
    }
    free(text);
    return rc;
}

int tui_run(nn_scenario *scn, const char *path)
{
    setlocale(LC_ALL, "");
    session s;
    memset(&s, 0, sizeof s);
    if (explorer_init(&s.ex, scn, path) != 0) {
        scenario_free(scn);
        fprintf(stderr, "nnpart: out of memory\n");
        return 1;
    }
    sigset_t old_mask;
    int hup_fd = hangup_open(&old_mask);
    s.w = worker_start(TUI_TIME_LIMIT_S);
    s.sens = s.w ? sens_worker_start(SENS_TIME_LIMIT_S) : NULL;
    /* The front within nnpart pareto's default time limit, as it computes it. */
    s.pareto = s.sens ? pview_worker_start(NN_DEFAULT_TIME_LIMIT_S) : NULL;
    if (!s.pareto) {
        sens_worker_stop(s.sens);
        if (s.w) worker_stop(s.w);
        explorer_free(&s.ex);
        if (hup_fd >= 0) {
            close(hup_fd);
            pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        }
        fprintf(stderr, "nnpart: cannot start the %s thread\n",
                !s.w      ? "solver"
                : !s.sens ? "sensitivity"
                          : "Pareto");
        return 1;
    }
    terminal_open(&s);
    s.ex.unicode = s.sc.unicode;
    submit(&s, NULL);

    bool running = true, hung_up = false;
    int empty_reads = 0;
    while (running) {
        /* The sensitivity view asks again when its value, the selection or
         * the scenario changed. */
        nn_field_ref sref;
        if (sens_stale(&s.ex, &sref)) {
            unsigned long g = sens_worker_submit(s.sens, &s.ex.doc, &sref);
            if (g) sens_requested(&s.ex, &sref, g);
        }
        /* The Pareto view: again after every edit. */
        if (pview_stale(&s.ex)) {
            unsigned long g = pview_worker_submit(s.pareto, &s.ex.doc);
            if (g) pview_requested(&s.ex, g);
        }
        screen_paint(&s.sc, &s.ex, now_s() - s.solve_started);
        s.ex.lanes_visible = s.sc.lay.lane_level > 0 ? 0 : s.sc.lay.lanes_h;
        /* Comparing: what scrolls is each timeline's compute lanes (or
         * nothing, when they all fit). */
        s.ex.lanes_total = 0;
        if (s.sc.have_g2) {
            s.ex.lanes_visible = s.sc.cmp.scroll_n > 0 ? s.sc.cmp.scroll_vis : 0;
            s.ex.lanes_total = s.sc.cmp.scroll_n > 0 ? s.sc.cmp.scroll_n + s.sc.cmp.scroll_vis : -1;
        }
        /* A selected column that left the screen (narrower terminal) moves
         * onto one on show before anything edits it. */
        int was_col[PANE_COUNT];
        bool moved = false;
        for (int p = 0; p < PANE_COUNT; p++) {
            was_col[p] = s.ex.col[p];
            s.ex.cols_visible[p] = s.sc.cols_shown[p];
        }
        ex_clamp(&s.ex);
        for (int p = 0; p < PANE_COUNT; p++)
            moved |= was_col[p] != s.ex.col[p];
        if (moved) screen_paint(&s.sc, &s.ex, now_s() - s.solve_started);
        struct pollfd fds[5] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = worker_fd(s.w), .events = POLLIN},
            {.fd = sens_worker_fd(s.sens), .events = POLLIN},
            {.fd = hup_fd, .events = POLLIN}, /* -1: ignored by poll */
            {.fd = pview_worker_fd(s.pareto), .events = POLLIN},
        };
        /* SIGWINCH interrupts the wait; curses then reports KEY_RESIZE. */
        int timeout = explorer_solving(&s.ex) ? TUI_TICK_MS : -1;
        if (poll(fds, 5, timeout) < 0 && errno != EINTR) {
            hung_up = true;
            break;
        }
        /* A hang-up or SIGTERM, or the terminal gone: nobody is left to
         * ask about saving (hangup_save keeps the edits). */
        if ((fds[3].revents & POLLIN) || (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
            struct signalfd_siginfo si;
            /* Taken, so that unblocking it at the end does not kill us. */
            while (hup_fd >= 0 && read(hup_fd, &si, sizeof si) == (ssize_t)sizeof si)
                ;
            hung_up = true;
            break;
        }
        if (fds[1].revents & POLLIN) {
            explorer_show(&s.ex, worker_take(s.w));
            unsigned long gen;
            nn_baselines base;
            double took;
            if (worker_take_baselines(s.w, &gen, &base, &took))
                explorer_show_baselines(&s.ex, gen, &base, took);
        }
        if (fds[2].revents & POLLIN) sens_show(&s.ex, sens_worker_take(s.sens));
        if (fds[4].revents & POLLIN) pview_show(&s.ex, pview_worker_take(s.pareto));
        wint_t ch;
        int rc, got = 0;
        while (running && (rc = get_wch(&ch)) != ERR) {
            running = handle(&s, rc, ch);
            got++;
        }
        /* Readable with nothing to read, again and again, is the end of
         * input (the terminal closed): end the session rather than poll it
         * in a busy loop. Once could be curses holding half a sequence. */
        int pending = 0;
        if (running && !got && (fds[0].revents & POLLIN) &&
            ioctl(STDIN_FILENO, FIONREAD, &pending) == 0 && pending == 0) {
            if (++empty_reads >= 3) {
                hung_up = true;
                break;
            }
        } else {
            empty_reads = 0;
        }
    }

    char where[EX_PATH_LEN + 16] = "";
    int saved = hung_up ? hangup_save(&s.ex, where, sizeof where) : 0;
    endwin();
    /* The terminal may be gone; stderr can still be a file. */
    if (saved != 0)
        fprintf(stderr, "nnpart: the session ended (hang-up); the unsaved changes could not be "
                        "written\n");
    else if (where[0])
        fprintf(stderr, "nnpart: the session ended (hang-up); the unsaved changes are in %s\n",
                where);
    screen_free(&s.sc);
    pview_worker_stop(s.pareto);
    sens_worker_stop(s.sens);
    worker_stop(s.w);
    explorer_free(&s.ex);
    if (hup_fd >= 0) {
        close(hup_fd); /* a signal still pending now ends the process as usual */
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    }
    return hung_up ? 1 : 0;
}
