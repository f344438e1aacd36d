#ifndef KURASI_CNCURSESW_SHIM_H
#define KURASI_CNCURSESW_SHIM_H

/* Wide-character curses: these must come before the curses header, or get_wch,
   wget_wch, wint_t and cchar_t are not declared. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift 6 refuses the curses globals as shared mutable state, and these are macros. */
static inline WINDOW *kurasi_stdscr(void) { return stdscr; }
static inline int kurasi_lines(void) { return LINES; }
static inline int kurasi_cols(void) { return COLS; }
static inline int kurasi_key_f(int n) { return KEY_F(n); }
static inline attr_t kurasi_a_bold(void) { return A_BOLD; }
static inline attr_t kurasi_a_reverse(void) { return A_REVERSE; }
static inline attr_t kurasi_a_underline(void) { return A_UNDERLINE; }
static inline attr_t kurasi_a_dim(void) { return A_DIM; }
static inline attr_t kurasi_a_normal(void) { return A_NORMAL; }
static inline attr_t kurasi_color_pair(int n) { return COLOR_PAIR(n); }
static inline int kurasi_key_resize(void) { return KEY_RESIZE; }
static inline int kurasi_err(void) { return ERR; }
static inline int kurasi_key_code_yes(void) { return KEY_CODE_YES; }
/* glibc's wcwidth is not exported through Swift's Glibc module. */
static inline int kurasi_wcwidth(wchar_t c) { return wcwidth(c); }

/* Keys, as macros with octal values. */
static inline int kurasi_key_up(void) { return KEY_UP; }
static inline int kurasi_key_down(void) { return KEY_DOWN; }
static inline int kurasi_key_left(void) { return KEY_LEFT; }
static inline int kurasi_key_right(void) { return KEY_RIGHT; }
static inline int kurasi_key_home(void) { return KEY_HOME; }
static inline int kurasi_key_end(void) { return KEY_END; }
static inline int kurasi_key_ppage(void) { return KEY_PPAGE; }
static inline int kurasi_key_npage(void) { return KEY_NPAGE; }
static inline int kurasi_key_btab(void) { return KEY_BTAB; }
static inline int kurasi_key_backspace(void) { return KEY_BACKSPACE; }
static inline int kurasi_key_dc(void) { return KEY_DC; }
static inline int kurasi_key_enter(void) { return KEY_ENTER; }
static inline int kurasi_ok(void) { return OK; }

/* newterm on the process's own stdin/stdout (Swift 6 refuses the stdio globals). Unlike
   initscr, newterm returns NULL instead of exiting when the terminal type is unknown. */
static inline SCREEN *kurasi_newterm(void) { return newterm(NULL, stdout, stdin); }

/* Whether the current locale (after setlocale) encodes text as UTF-8. */
static inline int kurasi_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* ---- Signals ------------------------------------------------------------------------------
   Written in C because a signal handler may only touch a volatile sig_atomic_t, and Swift offers
   neither that nor a handler free of runtime calls. Only KurasiTerminal/Terminal.swift calls these:
   the state below is `static`, so it must be used from one Swift file (one object file). */

static volatile sig_atomic_t kurasi_caught_signal_ = 0;
static volatile sig_atomic_t kurasi_curses_active_ = 0;
/* The handlers that were there before ours, in 65 slots the caller provides (Swift's importer
   does not emit a file-level static array, or a static function only other inline functions call). */
static struct sigaction *kurasi_previous_action_ = NULL;

/* SIGINT, SIGTERM, SIGHUP: remember the signal; the main loop notices (wget_wch returns early,
   as the handler is installed without SA_RESTART), restores the terminal and re-raises. A second
   one before the loop noticed the first (it is stuck, e.g. waiting for another writer's lock)
   restores the terminal here and dies at once. */
static inline void kurasi_on_terminate_(int sig) {
    if (kurasi_caught_signal_ != 0) {
        if (kurasi_curses_active_) { kurasi_curses_active_ = 0; endwin(); }
        signal(sig, SIG_DFL);
        raise(sig); /* blocked until this handler returns, then fatal */
        return;
    }
    kurasi_caught_signal_ = sig;
}

/* A crash: put the terminal back, then hand the signal to whoever handled it before (Swift's
   backtracer, or the default action) so the crash is still reported and still kills. */
static inline void kurasi_on_crash_(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (kurasi_curses_active_) { kurasi_curses_active_ = 0; endwin(); }
    if (kurasi_previous_action_ != NULL && sig > 0 && sig < 65) sigaction(sig, &kurasi_previous_action_[sig], NULL);
    else signal(sig, SIG_DFL);
    /* A fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE from the kernel) happens again on return, now
       reaching the previous handler with its real context. Anything sent or raised (abort, kill,
       an x86 int3) is raised again; it stays blocked until this handler returns. */
    if (sig == SIGABRT || sig == SIGTRAP || sig == SIGQUIT || info == NULL || info->si_code <= 0) raise(sig);
}

static inline void kurasi_install_signal_handlers(struct sigaction *previous /* [65] */) {
    if (kurasi_previous_action_ != NULL) return; /* once: a second call would save our own handlers */
    kurasi_previous_action_ = previous;
    /* A blocked mask is inherited across exec (a thread pool that spawned us, a careless parent):
       unblock what the console relies on, or Ctrl-C, kill and resizing would do nothing. */
    sigset_t needed;
    sigemptyset(&needed);
    const int used[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT, SIGSEGV, SIGBUS, SIGILL,
                         SIGTRAP, SIGABRT, SIGFPE, SIGQUIT };
    for (unsigned i = 0; i < sizeof used / sizeof used[0]; i++) sigaddset(&needed, used[i]);
    sigprocmask(SIG_UNBLOCK, &needed, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = kurasi_on_terminate_;
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns so the loop can end */
    const int terminations[] = { SIGINT, SIGTERM, SIGHUP };
    for (unsigned i = 0; i < sizeof terminations / sizeof terminations[0]; i++) {
        struct sigaction old;
        /* A signal ignored when we started (nohup, a shell's background job) stays ignored. */
        if (sigaction(terminations[i], NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) continue;
        sigaction(terminations[i], &sa, NULL);
    }

    const int crashes[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGQUIT };
    for (unsigned i = 0; i < sizeof crashes / sizeof crashes[0]; i++) {
        struct sigaction crash;
        memset(&crash, 0, sizeof crash);
        sigemptyset(&crash.sa_mask);
        crash.sa_sigaction = kurasi_on_crash_;
        crash.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigaction(crashes[i], &crash, &previous[crashes[i]]);
    }
}

static inline void kurasi_set_curses_active(int active) { kurasi_curses_active_ = active; }

/* The terminating signal caught since the last call, or 0. */
static inline int kurasi_take_signal(void) {
    int sig = kurasi_caught_signal_;
    kurasi_caught_signal_ = 0;
    return sig;
}

/* Die of `sig` the ordinary way, so the parent shell sees it (after the terminal is restored). */
static inline void kurasi_reraise(int sig) {
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

#endif
