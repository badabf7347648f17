/* SPDX-License-Identifier: GPL-2.0 */
/* What the view's files share: the per-frame context, the tree rows and small text helpers. */
#ifndef FORKSCOPE_VIEW_IMPL_H
#define FORKSCOPE_VIEW_IMPL_H

#include "i18n.h"
#include "lesson_bind.h"
#include "view.h"

#define LANE_MAX 26 /* lanes are labelled a..z */

struct tree_row {
	const struct model_proc *p;
	int depth;
	uint64_t pipes; /* bit k: the ancestor at depth k has a later sibling (draw a pipe) */
	int last;       /* no later sibling */
	uint8_t peer;   /* shares a channel or a signal with the selection */
};

/* A link: a channel, or two channels that are the two ends of one socket pair/connection. */
struct lane {
	const struct model_chan *c, *peer;
	int top, bottom; /* the rows of its first and last endpoint */
	int mine;        /* the selected process uses it */
};

struct view {
	struct tree_row *rows;
	int nrows, cap;
	struct lane lanes[LANE_MAX];
	int nlanes;
	struct view_rect pane[PANE_COUNT];
	struct view_rect tree_body; /* where process rows are drawn */
	int have_lesson;
	struct lesson_bind *bind;        /* the lesson's placeholders, filled from the session */
	struct lesson_value lesson_link; /* what the current step names first; event SIZE_MAX: nothing */
};

/* One frame's inputs, passed to every pane. */
struct frame {
	struct view *v;
	struct view_grid *g;
	const struct view_glyphs *gl;
	const struct session *s;
	const struct fs_model *m;
	struct view_state *vs;
	const struct view_status *st;
	const struct line_buf *raw;
	uint64_t ui_now, now; /* UI clock, session time */
};

/* "12µs", "3.4ms", "1.23s", "2m03s": at most 6 columns. */
/* A state's word as the user reads it (translated; the log keeps model_state_name's). */
const char *view_state_label(int state);

void view_fmt_dur(char *buf, size_t len, uint64_t ns, int utf8);
/* "0.004727": seconds since the session start. */
void view_fmt_time(char *buf, size_t len, uint64_t ns);
/* "600 B", "12.3 KiB" */
void view_fmt_bytes(char *buf, size_t len, uint64_t n);
/* The number of bytes of s (n) that fill one line of width columns, breaking at a space if it can. */
size_t view_wrap(const struct view_glyphs *gl, const char *s, size_t n, int width);
/* Draws text wrapped into r from row y on, indenting continuation lines; returns the next row. */
int view_put_wrapped(struct frame *f, struct view_rect r, int y, int indent, const char *s,
		     int role, int attr);
/* The number of rows view_put_wrapped would use. */
int view_wrapped_rows(const struct view_glyphs *gl, const char *s, int width, int indent);
/* Whether a stamp is younger than ns on the UI clock. */
int view_recent(const struct frame *f, uint64_t stamp, uint64_t ns);

/* view_tree.c */
int tree_collect(struct frame *f);
void tree_draw(struct frame *f, struct view_rect r);
void detail_draw(struct frame *f, struct view_rect r);
const struct tree_row *tree_selected(const struct frame *f);

/* view_quiz.c: the open question, or the result just decided, over the upper panes */
void quiz_draw(struct frame *f);

/* view_text.c */
void events_draw(struct frame *f, struct view_rect r);
void output_draw(struct frame *f, struct view_rect r);
void lesson_draw(struct frame *f, struct view_rect r);

#endif /* FORKSCOPE_VIEW_IMPL_H */
