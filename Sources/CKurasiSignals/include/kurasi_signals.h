#ifndef KURASI_SIGNALS_H
#define KURASI_SIGNALS_H

/* The console's signal handling. Written in C because a signal handler may only touch a
   volatile sig_atomic_t, and Swift offers neither that nor a handler free of runtime calls. Its
   state lives once, in signals.c. */

/* Install the handlers (once; later calls do nothing): SIGINT, SIGTERM and SIGHUP are noted for
   the main loop to notice; a crash (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGQUIT)
   restores the terminal and is passed on to the handler that was there before. */
void kurasi_install_signal_handlers(void);

/* Whether curses owns the terminal (a handler then calls endwin before the process dies). */
void kurasi_set_curses_active(int active);

/* The terminating signal caught since the last call, or 0. */
int kurasi_take_signal(void);

/* Die of `sig` the ordinary way, so the parent shell sees it (after the terminal is restored). */
void kurasi_reraise(int sig);

/* Block the terminating signals and SIGWINCH in the calling thread (a worker), so that they reach
   the main thread, whose read of the keyboard they interrupt. */
void kurasi_block_console_signals_in_this_thread(void);

/* The write end of the terminal loop's wake pipe, or -1: SIGINT, SIGTERM, SIGHUP and (after
   kurasi_wake_on_resize) SIGWINCH write a byte to it, so the loop's wait ends at once even when the
   signal came just before the wait began. */
void kurasi_set_wake_fd(int fd);

/* Once curses has installed its SIGWINCH handler: put ours in front of it, which calls it and then
   wakes the loop. Returns 0 when SIGWINCH is ignored (left so) or cannot be changed. */
int kurasi_wake_on_resize(void);

#endif
