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

#endif
