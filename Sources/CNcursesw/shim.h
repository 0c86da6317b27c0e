#ifndef CRASHWATCH_CNCURSESW_SHIM_H
#define CRASHWATCH_CNCURSESW_SHIM_H

/* SwiftPM drops the -D_XOPEN_SOURCE=600 that `pkg-config ncursesw` supplies, and without it curses.h hides the
 * wide-character API (get_wch, cchar_t, setcchar). Asking for it directly keeps it visible on glibc. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

/* stdscr, LINES and COLS are C globals that Swift 6 rejects as not concurrency-safe, and A_* and getmaxyx are
 * macros Swift cannot import. These accessors give NcursesScreen a plain function for each. */
static inline WINDOW *cw_stdscr(void) { return stdscr; }
/* Mouse: clicks and the wheel (buttons 4 and 5 are the wheel in ncurses' mouse version 2). */
static inline void cw_enable_mouse(void) {
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
        | BUTTON5_PRESSED
#endif
        , NULL);
    mouseinterval(0);
}
/* 0: nothing to report; 1: a press; 4: wheel up; 5: wheel down. Fills x and y. */
static inline int cw_next_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON4_PRESSED) return 4;
#ifdef BUTTON5_PRESSED
    if (event.bstate & BUTTON5_PRESSED) return 5;
#endif
    if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    return 0;
}
static inline int cw_lines(void) { return LINES; }
static inline int cw_cols(void) { return COLS; }
static inline int cw_colors(void) { return COLORS; }
static inline int cw_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cw_a_bold(void) { return A_BOLD; }
static inline attr_t cw_a_reverse(void) { return A_REVERSE; }
static inline attr_t cw_a_dim(void) { return A_DIM; }
static inline attr_t cw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cw_a_normal(void) { return A_NORMAL; }
static inline void cw_set_escdelay(int ms) { set_escdelay(ms); }
static inline int cw_key_resize(void) { return KEY_RESIZE; }
static inline void cw_setlocale_all(void) { setlocale(LC_ALL, ""); }

/* Writes one cell: a wide-character string (one grapheme: base plus combining marks) with attributes and a pair. */
static inline int cw_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, wch, attrs, pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}


/* Restores the terminal if curses is active. Safe to call more than once, and before initscr. */
static inline void cw_restore_terminal(void) {
    if (stdscr != NULL && !isendwin()) endwin();
}

/* A crashing crashwatch must not leave the user's terminal in raw mode with the cursor hidden. endwin() is not
 * async-signal-safe, but the process is dying anyway and a usable shell is worth the risk. */
static void cw_fatal_signal_handler(int sig) {
    cw_restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void cw_install_fatal_signal_restore(void) {
    int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], cw_fatal_signal_handler);
}

static inline void cw_atexit_restore(void) { atexit(cw_restore_terminal); }


/* Every signal that would end the process asks the dashboard to quit instead — INT, TERM, HUP, QUIT (Ctrl-\, which
 * would otherwise show the runtime's crash screen), USR1, USR2, ALRM — so the main loop restores the terminal on its
 * normal way out; the handler itself does nothing that is not async-signal-safe. SIGPIPE is ignored: a closed pipe is
 * an error on the write, not a reason to die with the terminal raw. */
static volatile sig_atomic_t cw_quit_flag = 0;
static void cw_quit_signal_handler(int sig) { (void)sig; cw_quit_flag = 1; }
static inline void cw_install_quit_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cw_quit_signal_handler;
    sigemptyset(&action.sa_mask);
    int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, NULL);
    signal(SIGPIPE, SIG_IGN);
}
static inline int cw_quit_requested(void) { return cw_quit_flag; }

#endif
