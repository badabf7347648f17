/* SPDX-License-Identifier: GPL-2.0 */
/* The only file that talks to ncurses: terminal set-up and restore, colour roles, keys and mouse, drawing a grid. */
#ifndef FORKSCOPE_TUI_H
#define FORKSCOPE_TUI_H

#include <stdint.h>
#include "view_grid.h"

enum tui_keycode {
	TK_NONE,
	TK_CHAR,     /* ch holds the character (Unicode); control keys too: Ctrl-C is 3 */
	TK_UP, TK_DOWN, TK_LEFT, TK_RIGHT,
	TK_PGUP, TK_PGDN, TK_HOME, TK_END,
	TK_ENTER, TK_ESC, TK_TAB, TK_BTAB, TK_BACKSPACE, TK_DELETE,
	TK_F1, TK_F10,
	TK_RESIZE,   /* the terminal changed size */
	TK_CLICK,    /* x, y: a button-1 press */
	TK_WHEEL_UP, TK_WHEEL_DOWN,
	TK_OTHER,    /* a key forkscope has no use for */
};

struct tui_key {
	int code;    /* enum tui_keycode */
	uint32_t ch;
	int x, y;
};

/*
 * Takes over the terminal on stdin/stdout: locale, raw keys (Ctrl-C is a
 * key, not a signal), no echo, keypad, mouse, colours as tui_set_color chose.
 * Installs the restore for every exit path (exit, SIGSEGV, SIGABRT, SIGBUS,
 * SIGFPE, SIGILL: the terminal is restored before the default action).
 * 0, or -ENOTTY with *why set.
 */
int tui_init(const char **why);
/*
 * --color: "auto" (the default) colours when the terminal can and NO_COLOR is unset or
 * empty, "always" whenever the terminal can (NO_COLOR or not), "never" not at all: the
 * roles keep their monochrome attributes. Call before tui_init. 0, or -EINVAL.
 */
int tui_set_color(const char *mode);
/* Gives the terminal back as it was; safe to call more than once. */
void tui_done(void);
/* The glyphs for this terminal: UTF-8 when the locale is, else ASCII. */
const struct view_glyphs *tui_glyphs(void);
void tui_size(int *w, int *h);
/* Shows the grid (only what changed reaches the terminal). */
void tui_blit(const struct view_grid *g);
/* The descriptor to poll for keys. */
int tui_fd(void);
/* The next key if one is waiting: 1, or 0 when none. Never blocks. */
int tui_key(struct tui_key *k);

#endif /* FORKSCOPE_TUI_H */
