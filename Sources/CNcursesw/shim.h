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

#include <locale.h>
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

#endif
