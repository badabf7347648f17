/* SPDX-License-Identifier: GPL-2.0 */
/* The colours of forkscope's pictures, by meaning: one palette for the TUI, the SVG export and the docs. */
#ifndef FORKSCOPE_PALETTE_H
#define FORKSCOPE_PALETTE_H

/*
 * A colour in three depths: 24-bit RGB ("#rrggbb", for SVG and truecolor
 * terminals), the xterm 256-colour index, and one of the eight basic curses
 * colours (COLOR_BLACK = 0 ... COLOR_WHITE = 7) for 8-colour terminals.
 */
struct palette_colour {
	const char *rgb;
	short xterm256;
	short basic;
};

/*
 * The six lifecycle states, indexed by enum model_state (MS_CREATED ...
 * MS_REAPED): their name (model_state_name's word, also the SVG class and
 * legend text) and colour. The TUI's state glyphs (view_glyphs.state) are
 * indexed the same way, so a state reads the same everywhere.
 */
struct palette_state {
	const char *name;
	struct palette_colour colour;
};

#define PALETTE_STATES 6
extern const struct palette_state palette_states[PALETTE_STATES];

/* What is drawn besides state bars; the TUI's view_role names the same things. */
enum palette_role {
	PAL_TEXT,   /* labels, titles */
	PAL_DIM,    /* axis, grid, secondary text */
	PAL_FORK,   /* fork: the line from parent to child */
	PAL_EXEC,   /* a new program */
	PAL_EXIT,   /* exit tick */
	PAL_LINK,   /* IPC: writer -> reader */
	PAL_SIGNAL, /* signals: sender -> receiver */
	PAL_MARK,   /* what a demo said */
	PAL_ALERT,  /* lost events */
	PAL_GRID,   /* grid lines, alternate row shading */
	PAL_ROLES,
};

extern const struct palette_colour palette_roles[PAL_ROLES];

#endif /* FORKSCOPE_PALETTE_H */
