/* SPDX-License-Identifier: GPL-2.0 */
/* A terminal-free screen: a grid of cells with semantic roles, and the glyph sets to draw with. */
#ifndef FORKSCOPE_VIEW_GRID_H
#define FORKSCOPE_VIEW_GRID_H

#include <stddef.h>
#include <stdint.h>

/*
 * Semantic colour roles: the view says what a cell is, src/tui.c decides how
 * that looks (colour, or attributes only under NO_COLOR). The six state roles
 * follow enum model_state, so VR_STATE + state is the role of a state.
 */
enum view_role {
	VR_NORMAL,
	VR_DIM,          /* secondary text: times, hints, old lesson steps */
	VR_BORDER,
	VR_BORDER_FOCUS, /* the pane that has the keyboard */
	VR_TITLE,        /* pane titles */
	VR_HEADER,       /* column headings */
	VR_STATUS,       /* the status bar */
	VR_STATUS_KEY,   /* key names in the status and hint bars */
	VR_ALERT,        /* lost events, errors: must be noticed */
	VR_SELECTED,     /* the selected row */
	VR_PEER,         /* a process sharing a channel or a signal with the selection */
	VR_FLASH,        /* something just happened here */
	VR_STATE,        /* + enum model_state: created ... reaped */
	VR_CREATED = VR_STATE,
	VR_READY,
	VR_RUNNING,
	VR_BLOCKED,
	VR_ZOMBIE,
	VR_REAPED,
	VR_LINK,         /* IPC lanes and channel names */
	VR_SIGNAL,       /* signals: sender -> receiver */
	VR_MARK,         /* what a demo said */
	VR_FORK,         /* fork and its two return values */
	VR_EXEC,
	VR_PID,          /* process ids in the output and event panes */
	VR_OVERLAY,      /* help, detail and menu boxes */
	VR_COUNT,
};

#define VA_BOLD 0x1
#define VA_REVERSE 0x2
#define VA_UNDERLINE 0x4

/* One cell: a code point (0 = the right half of a wide character), its role and attributes. */
struct view_cell {
	uint32_t ch;
	uint8_t role;
	uint8_t attr;
};

struct view_grid {
	int w, h;
	struct view_cell *cells;
};

struct view_rect {
	int x, y, w, h;
};

/*
 * What the screen is drawn with. The UTF-8 set uses box drawing and
 * geometric shapes; the ASCII set is for locales that cannot show them.
 * Every state has its own glyph, so states read without colour.
 */
struct view_glyphs {
	int utf8; /* non-ASCII text may be shown; otherwise it is escaped */
	const char *h, *v, *tl, *tr, *bl, *br;
	const char *tree_mid, *tree_last, *tree_pipe, *tree_space; /* 3 columns each */
	const char *state[6];      /* enum model_state */
	const char *lane, *lane_top, *lane_bottom, *lane_cross;
	const char *lane_write, *lane_read, *lane_both, *lane_idle;
	const char *arrow, *back_arrow; /* "->" and "<-" */
	const char *ellipsis, *check, *current, *bar_full, *bar_empty;
};

extern const struct view_glyphs view_glyphs_utf8, view_glyphs_ascii;

int view_grid_resize(struct view_grid *g, int w, int h); /* 0 or -ENOMEM; clears */
void view_grid_free(struct view_grid *g);
void view_grid_clear(struct view_grid *g);
struct view_cell *view_grid_at(struct view_grid *g, int x, int y); /* NULL outside */

/*
 * Writes the n bytes at s from (x, y), clipped to clip, and returns the
 * column after the last one written (or that would have been). The bytes are
 * untrusted: valid printable UTF-8 is drawn (wide characters take two cells,
 * zero-width ones are dropped), a tab becomes a space, a control character
 * becomes ^X, and anything else (invalid UTF-8, C1 controls, non-ASCII when
 * the glyph set is ASCII) becomes \xNN. Nothing drawn can move the cursor
 * or change the terminal.
 */
int view_put(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x, int y,
	     const char *s, size_t n, int role, int attr);
/* The same for a NUL-terminated string. */
int view_puts(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x,
	      int y, const char *s, int role, int attr);
/*
 * view_put within clip's right edge, from x on: a text that does not fit ends in the ellipsis
 * in the last column, so that what is shown never reads as whole (a pid cut to another pid).
 */
int view_put_cut(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x,
		 int y, const char *s, size_t n, int role, int attr);
/* The same for a NUL-terminated string. */
int view_puts_cut(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x,
		  int y, const char *s, int role, int attr);
/* The columns view_put would use for s (n bytes). */
int view_text_width(const struct view_glyphs *gl, const char *s, size_t n);
/* The byte length of the longest prefix of s (n bytes) that fits in width columns. */
size_t view_text_fit(const struct view_glyphs *gl, const char *s, size_t n, int width);

/* Sets the role (and attributes) of every cell of r that lies in the grid. */
void view_paint(struct view_grid *g, struct view_rect r, int role, int attr);
/* Blanks r with spaces of role. */
void view_fill(struct view_grid *g, struct view_rect r, int role);
/* A border around r with a title in its top edge; returns the inside. */
struct view_rect view_box(struct view_grid *g, const struct view_glyphs *gl, struct view_rect r,
			  const char *title, int role);

/*
 * The grid as UTF-8 text, one line per row without trailing spaces, each
 * ended by '\n'; with roles=1 a second block follows with one letter per
 * cell naming its role ('.' normal). Returns a malloc'd string or NULL.
 */
char *view_grid_text(const struct view_grid *g, int roles);

/*
 * The n bytes at s as view_grid_text would read them back after view_put drew
 * them on a row of their own, without the grid: escapes spelt out,
 * zero-width characters dropped, trailing blanks cut. out needs 4 * n bytes
 * (no NUL is added). Returns the length written.
 */
size_t view_text_plain(const struct view_glyphs *gl, const char *s, size_t n, char *out);

#endif /* FORKSCOPE_VIEW_GRID_H */
