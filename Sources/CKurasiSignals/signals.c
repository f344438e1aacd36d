#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include "kurasi_signals.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <ncursesw/curses.h>

static volatile sig_atomic_t caught_signal = 0;
static volatile sig_atomic_t curses_active = 0;
static volatile sig_atomic_t installed = 0;
/* The handlers that were there before ours (Swift's backtracer), so a crash still reaches them. */
static struct sigaction previous_action[65];
/* The write end of the terminal loop's wake pipe (-1: none): every signal the loop must notice
   writes a byte to it, so one that arrives just before the loop starts to wait still ends the wait. */
static volatile sig_atomic_t wake_fd = -1;
/* ncurses' own SIGWINCH handler, which ours calls before waking the loop. */
static struct sigaction curses_resize_action;

static void wake_the_loop(void) {
    int fd = wake_fd;
    if (fd < 0) return;
    int saved = errno; /* a handler must leave errno as it found it */
    char byte = 's';
    (void)!write(fd, &byte, 1); /* non-blocking: a full pipe already wakes the loop */
    errno = saved;
}

/* SIGINT, SIGTERM, SIGHUP: remember the signal; the main loop notices (wget_wch returns early,
   as the handler is installed without SA_RESTART), restores the terminal and re-raises. A second
   one before the loop noticed the first (it is stuck) restores the terminal here and dies at once. */
static void on_terminate(int sig) {
    if (caught_signal != 0) {
        if (curses_active) { curses_active = 0; endwin(); }
        signal(sig, SIG_DFL);
        raise(sig); /* blocked until this handler returns, then fatal */
        return;
    }
    caught_signal = sig;
    wake_the_loop();
}

/* A crash: put the terminal back, then hand the signal to whoever handled it before (Swift's
   backtracer, or the default action) so the crash is still reported and still kills. */
static void on_crash(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (curses_active) { curses_active = 0; endwin(); }
    if (sig > 0 && sig < 65) sigaction(sig, &previous_action[sig], NULL);
    else signal(sig, SIG_DFL);
    /* A fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE from the kernel) happens again on return, now
       reaching the previous handler with its real context. Anything sent or raised (abort, kill,
       an x86 int3) is raised again; it stays blocked until this handler returns. */
    if (sig == SIGABRT || sig == SIGTRAP || sig == SIGQUIT || info == NULL || info->si_code <= 0) raise(sig);
}

void kurasi_install_signal_handlers(void) {
    if (installed) return; /* once: a second call would save our own handlers */
    installed = 1;
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
    sa.sa_handler = on_terminate;
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
        crash.sa_sigaction = on_crash;
        crash.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigaction(crashes[i], &crash, &previous_action[crashes[i]]);
    }
}

void kurasi_set_curses_active(int active) { curses_active = active; }

int kurasi_take_signal(void) {
    int sig = caught_signal;
    caught_signal = 0;
    return sig;
}

void kurasi_reraise(int sig) {
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

void kurasi_block_console_signals_in_this_thread(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGWINCH);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void kurasi_set_wake_fd(int fd) { wake_fd = fd; }

/* SIGWINCH: what ncurses does (it notes the new size for its next read), then wake the loop. */
static void on_resize(int sig, siginfo_t *info, void *context) {
    if (curses_resize_action.sa_flags & SA_SIGINFO) {
        if (curses_resize_action.sa_sigaction) curses_resize_action.sa_sigaction(sig, info, context);
    } else if (curses_resize_action.sa_handler != SIG_DFL && curses_resize_action.sa_handler != SIG_IGN) {
        curses_resize_action.sa_handler(sig);
    }
    wake_the_loop();
}

int kurasi_wake_on_resize(void) {
    struct sigaction current;
    if (sigaction(SIGWINCH, NULL, &current) != 0) return 0;
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN) return 0;
    if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_resize) return 1; /* already */
    curses_resize_action = current;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_sigaction = on_resize;
    sa.sa_flags = SA_SIGINFO; /* no SA_RESTART, as ncurses' own */
    return sigaction(SIGWINCH, &sa, NULL) == 0;
}
