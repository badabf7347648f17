/* SPDX-License-Identifier: GPL-2.0 */
/* Model + time -> a screen of cells: status bar, process tree with IPC lanes, event log, output, lesson, overlays. */
#ifndef FORKSCOPE_VIEW_H
#define FORKSCOPE_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include "lesson_quiz.h"
#include "session.h"
#include "view_grid.h"

#define VIEW_MIN_W 80
#define VIEW_MIN_H 24
/* How far back (events) the event log looks for what to show, and so can be scrolled to. */
#define VIEW_EVENTS_SCAN 50000
/* How long (UI time) a change stays highlighted: the loop redraws until then. */
#define VIEW_ANIM_NS 3000000000ull

/* In Tab order: the tree, then the bottom row left to right and top to bottom. */
enum view_pane { PANE_TREE, PANE_EVENTS, PANE_LESSON, PANE_OUTPUT, PANE_COUNT };
enum view_overlay { OVERLAY_NONE, OVERLAY_HELP, OVERLAY_DETAIL };
enum view_mode { VIEW_LIVE, VIEW_REPLAY };

/* What the user chose; kept by the loop between frames. Rendering clamps the scroll positions. */
struct view_state {
	int focus;             /* enum view_pane */
	int overlay;           /* enum view_overlay */
	uint64_t sel_serial;   /* the selected process (incarnation) */
	uint32_t sel_pid;      /* finds it again after a seek rebuilt the model */
	int follow;            /* the event log shows only the selected process */
	int hide_tombs;
	int raw_output;        /* the output pane shows the terminal's raw bytes */
	int tree_top;          /* first tree row shown */
	size_t events_back;    /* the event log is scrolled this many lines up */
	size_t output_back;
	int lesson_top;        /* -1: follow the current step */
	int detail_top;
	const char *prompt;    /* a line being typed in the hint bar, or NULL */
	char message[160];     /* a notice for the hint bar, until the next key */
};

/* What the status bar says, filled by the loop. */
struct view_status {
	int mode;              /* enum view_mode */
	const char *title;     /* the demo, command or log file */
	const char *recording; /* the log being written, or NULL */
	int paused, ended, input; /* input: the keyboard goes to the workload */
	int truncated;         /* a replayed log with no end line: it ends where the tracer stopped */
	int exit_status;       /* when ended; -1 unknown */
	double speed;
	uint64_t now, duration; /* session ns; duration 0 = unknown (live) */
	double rate;           /* events per second */
	uint64_t lost;
	int has_pty;
	int stepping;          /* live: breakpoints are on */
	int frozen;            /* live: the tree is frozen at a breakpoint */
	uint64_t frozen_ns;    /* for how long, so far */
	const struct quiz_entry *question; /* a lesson's question waiting for the learner, or NULL */
	const struct quiz_entry *result;   /* the question the kernel has just decided, or NULL */
	int quiz;                          /* questions were asked: the score is shown */
	int predict, questions;            /* questions are asked; the lesson has some */
	int score_right, score_answered;
};

struct view;

int view_new(struct view **v);
void view_free(struct view *v); /* accepts NULL */

/*
 * Draws the whole screen for the session as it is now into g (already sized
 * to the terminal). ui_now is the UI clock for animations; raw holds the
 * terminal's raw output (NULL if none). Smaller than VIEW_MIN_W x
 * VIEW_MIN_H, it draws a message instead.
 */
void view_render(struct view *v, struct view_grid *g, const struct view_glyphs *gl,
		 const struct session *s, struct view_state *vs, const struct view_status *st,
		 const struct line_buf *raw, uint64_t ui_now);

/* After a render: moves the selection by delta rows (clamped). */
void view_select_move(struct view *v, struct view_state *vs, int delta);
/* After a render: the pane under screen cell (x, y), selecting the process on a tree row. -1 if none. */
int view_click(struct view *v, struct view_state *vs, int x, int y);
/* After a render: selects the next process (after the selection, wrapping) whose pid or command contains text. */
int view_search(struct view *v, struct view_state *vs, const char *text);
/*
 * After a render: the event the lesson's current step names first (its
 * session index) and the process it is about. 0, or -ENOENT when it names none yet.
 */
int view_lesson_link(const struct view *v, size_t *event, uint32_t *pid);
/* After a render: rows of the pane, for page up/down. */
int view_pane_height(const struct view *v, int pane);
/* After a render: the inside of a pane, in cells (0 x 0 before the first render). */
void view_pane_size(const struct view *v, int pane, int *w, int *h);

/* The demo menu: entries with a name and a summary; marks[i] says what can be done ("live", "recorded"). */
struct view_menu_item {
	const char *name, *summary, *marks;
};
void view_render_menu(struct view_grid *g, const struct view_glyphs *gl, const char *title,
		      const struct view_menu_item *items, int n, int selected, const char *footer,
		      const char *message);

#endif /* FORKSCOPE_VIEW_H */
