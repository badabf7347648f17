// SPDX-License-Identifier: GPL-2.0
/* The only file that talks to ncurses: terminal set-up and restore, colour roles, keys and mouse, drawing a grid. */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tui.h"
#include "i18n.h"

static int active;
static enum { TUI_COLOR_AUTO, TUI_COLOR_ALWAYS, TUI_COLOR_NEVER } color_mode;
static const struct view_glyphs *glyphs = &view_glyphs_ascii;
static attr_t role_attr[VR_COUNT];
static short role_pair[VR_COUNT];

/* How each role looks: colours (pair fg/bg, -1 = the terminal's default) and the attributes that go with them. */
struct look {
	short fg, bg;
	attr_t attr;    /* with colour */
	attr_t mono;    /* without colour (NO_COLOR, monochrome terminals) */
};

static const struct look looks[VR_COUNT] = {
	[VR_NORMAL] = { -1, -1, 0, 0 },
	[VR_DIM] = { -1, -1, A_DIM, A_DIM },
	[VR_BORDER] = { -1, -1, A_DIM, A_DIM },
	[VR_BORDER_FOCUS] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[VR_TITLE] = { -1, -1, A_BOLD, A_BOLD },
	[VR_HEADER] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[VR_STATUS] = { COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	[VR_STATUS_KEY] = { COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[VR_ALERT] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[VR_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[VR_PEER] = { COLOR_BLACK, COLOR_YELLOW, 0, A_UNDERLINE | A_BOLD },
	[VR_FLASH] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
	[VR_CREATED] = { COLOR_CYAN, -1, 0, 0 },
	[VR_READY] = { COLOR_YELLOW, -1, 0, 0 },
	[VR_RUNNING] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[VR_BLOCKED] = { COLOR_BLUE, -1, A_BOLD, 0 },
	[VR_ZOMBIE] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[VR_REAPED] = { -1, -1, A_DIM, A_DIM },
	[VR_LINK] = { COLOR_MAGENTA, -1, 0, 0 },
	[VR_SIGNAL] = { COLOR_RED, -1, 0, A_BOLD },
	[VR_MARK] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[VR_FORK] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[VR_EXEC] = { COLOR_GREEN, -1, 0, 0 },
	[VR_PID] = { -1, -1, A_BOLD, A_BOLD },
	[VR_OVERLAY] = { -1, -1, 0, 0 },
};

/* A crash must not leave the terminal raw: restore it, then let the default action run. */
static void on_crash(int sig)
{
	if (active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_restore(void)
{
	static const int fatal[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	atexit(tui_done);
}

int tui_set_color(const char *mode)
{
	static const char *const modes[] = { [TUI_COLOR_AUTO] = "auto", [TUI_COLOR_ALWAYS] = "always",
					     [TUI_COLOR_NEVER] = "never" };

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(mode, modes[i])) {
			color_mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The user's choice (--color, else NO_COLOR), within what the terminal can show. */
static int want_color(void)
{
	const char *no_color = getenv("NO_COLOR");

	if (color_mode == TUI_COLOR_NEVER || !has_colors())
		return 0;
	return color_mode == TUI_COLOR_ALWAYS || !(no_color && *no_color);
}

static void init_roles(void)
{
	int color = want_color();

	if (color) {
		start_color();
		use_default_colors();
	}
	for (int r = 0; r < VR_COUNT; r++) {
		role_pair[r] = 0;
		role_attr[r] = color ? looks[r].attr : looks[r].mono;
		if (color && (looks[r].fg != -1 || looks[r].bg != -1)) {
			init_pair((short)(r + 1), looks[r].fg, looks[r].bg);
			role_pair[r] = (short)(r + 1);
		}
	}
}

int tui_init(const char **why)
{
	const char *cs;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*why = _("the TUI needs a terminal as standard input and output (without one: record, dump or replay --headless)");
		return -ENOTTY;
	}
	cs = nl_langinfo(CODESET);
	glyphs = cs && !strcmp(cs, "UTF-8") ? &view_glyphs_utf8 : &view_glyphs_ascii;
	set_escdelay(25);
	if (!initscr()) {
		*why = _("cannot initialise the terminal (is TERM set?)");
		return -ENOTTY;
	}
	active = 1;
	install_restore();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	init_roles();
	return 0;
}

void tui_done(void)
{
	if (!active)
		return;
	active = 0;
	curs_set(1);
	endwin();
}

const struct view_glyphs *tui_glyphs(void)
{
	return glyphs;
}

void tui_size(int *w, int *h)
{
	getmaxyx(stdscr, *h, *w);
}

int tui_fd(void)
{
	return STDIN_FILENO;
}

static attr_t cell_attr(const struct view_cell *c)
{
	attr_t a = c->role < VR_COUNT ? role_attr[c->role] : 0;

	if (c->attr & VA_BOLD)
		a |= A_BOLD;
	if (c->attr & VA_REVERSE)
		a ^= A_REVERSE;
	if (c->attr & VA_UNDERLINE)
		a |= A_UNDERLINE;
	return a;
}

void tui_blit(const struct view_grid *g)
{
	int w, h;

	tui_size(&w, &h);
	for (int y = 0; y < g->h && y < h; y++) {
		for (int x = 0; x < g->w && x < w; x++) {
			const struct view_cell *c = &g->cells[y * g->w + x];
			wchar_t wc[2] = { (wchar_t)c->ch, 0 };
			cchar_t cc;

			if (!c->ch)
				continue; /* the right half of a wide character */
			setcchar(&cc, wc, cell_attr(c), c->role < VR_COUNT ? role_pair[c->role] : 0, NULL);
			mvadd_wch(y, x, &cc); /* the bottom-right cell reports ERR: it is drawn anyway */
		}
	}
	refresh();
}

static int key_code(wint_t ch, struct tui_key *k)
{
	static const struct { int curses, code; } map[] = {
		{ KEY_UP, TK_UP }, { KEY_DOWN, TK_DOWN }, { KEY_LEFT, TK_LEFT }, { KEY_RIGHT, TK_RIGHT },
		{ KEY_PPAGE, TK_PGUP }, { KEY_NPAGE, TK_PGDN }, { KEY_HOME, TK_HOME }, { KEY_END, TK_END },
		{ KEY_ENTER, TK_ENTER }, { KEY_BTAB, TK_BTAB }, { KEY_BACKSPACE, TK_BACKSPACE },
		{ KEY_DC, TK_DELETE }, { KEY_F(1), TK_F1 }, { KEY_F(10), TK_F10 }, { KEY_RESIZE, TK_RESIZE },
	};
	MEVENT me;

	if (ch == KEY_MOUSE) {
		if (getmouse(&me) != OK)
			return TK_OTHER;
		k->x = me.x;
		k->y = me.y;
		return me.bstate & BUTTON4_PRESSED ? TK_WHEEL_UP :
		       me.bstate & BUTTON5_PRESSED ? TK_WHEEL_DOWN : TK_CLICK;
	}
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].curses == (int)ch)
			return map[i].code;
	return TK_OTHER;
}

int tui_key(struct tui_key *k)
{
	wint_t ch;
	int r = get_wch(&ch);

	memset(k, 0, sizeof(*k));
	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES) {
		k->code = key_code(ch, k);
		return 1;
	}
	k->ch = (uint32_t)ch;
	k->code = ch == '\r' || ch == '\n' ? TK_ENTER : ch == 27 ? TK_ESC : ch == '\t' ? TK_TAB :
		  ch == 127 || ch == 8 ? TK_BACKSPACE : TK_CHAR;
	return 1;
}
