// SPDX-License-Identifier: GPL-2.0
/* A lesson's prediction question on screen, with its numbered choices, and the kernel's verdict on it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "view_impl.h"

#define BOX_W 76     /* the widest box, so that lines stay readable on a wide screen */
#define ITEMS_MAX 12

/* One paragraph of a box: wrapped to its width, continuation lines indented. */
struct item {
	char text[QUIZ_TEXT + 16];
	int indent, role, attr;
};

struct box {
	struct item items[ITEMS_MAX];
	int n;
};

static void add(struct box *b, int indent, int role, int attr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add(struct box *b, int indent, int role, int attr, const char *fmt, ...)
{
	va_list ap;

	if (b->n == ITEMS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(b->items[b->n].text, sizeof(b->items[b->n].text), fmt, ap);
	va_end(ap);
	b->items[b->n].indent = indent;
	b->items[b->n].role = role;
	b->items[b->n++].attr = attr;
}

/* The box over the upper part of the screen, as tall as its paragraphs need (clipped to the screen). */
static void box_draw(struct frame *f, const struct box *b, const char *title, int border)
{
	int w = f->g->w - 4 < BOX_W ? f->g->w - 4 : BOX_W, h = 2, y;
	struct view_rect r, in;

	for (int i = 0; i < b->n; i++)
		h += b->items[i].text[0] ? view_wrapped_rows(f->gl, b->items[i].text, w - 4, b->items[i].indent) : 1;
	h = h < f->g->h - 3 ? h : f->g->h - 3;
	r = (struct view_rect){ (f->g->w - w) / 2, 2, w, h };
	in = view_box(f->g, f->gl, r, title, border);
	view_fill(f->g, in, VR_OVERLAY);
	in = (struct view_rect){ in.x + 1, in.y, in.w - 2, in.h };
	y = in.y;
	for (int i = 0; i < b->n && y < in.y + in.h; i++)
		y = b->items[i].text[0] ? view_put_wrapped(f, in, y, b->items[i].indent, b->items[i].text,
							   b->items[i].role, b->items[i].attr) : y + 1;
}

/* The verdict on the question the same event decided, above the one it asks next. */
static void verdict_lines(struct box *b, const struct quiz_entry *r)
{
	int right = r->choice && r->choice == r->right;
	const char *choice = r->right ? r->choices[r->right - 1] : r->got;

	if (!r->choice)
		add(b, 4, VR_OVERLAY, VA_BOLD, _("question %d, skipped; the kernel: %s"), r->number, choice);
	else if (right)
		add(b, 4, VR_RUNNING, VA_BOLD, _("question %d, right: %s"), r->number, choice);
	else
		add(b, 4, VR_ALERT, VA_BOLD, _("question %d, wrong; the kernel: %s"), r->number, choice);
	add(b, 0, VR_OVERLAY, 0, "%s", r->why);
	add(b, 0, VR_OVERLAY, 0, "%s", "");
}

static void question_draw(struct frame *f, const struct quiz_entry *q)
{
	struct box b = { .n = 0 };
	char title[160];

	snprintf(title, sizeof(title), _("Predict: %s, question %d"), q->lesson, q->number);
	if (f->st->result)
		verdict_lines(&b, f->st->result);
	add(&b, 0, VR_OVERLAY, VA_BOLD, "%s", q->ask);
	add(&b, 0, VR_OVERLAY, 0, "%s", "");
	for (int c = 0; c < q->nchoices; c++)
		add(&b, 4, VR_OVERLAY, 0, "%d   %s", c + 1, q->choices[c]);
	add(&b, 0, VR_OVERLAY, 0, "%s", "");
	add(&b, 0, VR_DIM, 0, _("1-%d: your answer   Esc: skip   the kernel then shows which is right"), q->nchoices);
	box_draw(f, &b, title, VR_BORDER_FOCUS);
}

/* Right, wrong or skipped, the choice the kernel proved right, and why. */
static void result_draw(struct frame *f, const struct quiz_entry *q)
{
	int right = q->choice && q->choice == q->right;
	struct box b = { .n = 0 };
	char title[160];

	if (!q->choice)
		snprintf(title, sizeof(title), _("Skipped: question %d"), q->number);
	else if (right)
		snprintf(title, sizeof(title), _("%s Right: question %d"), f->gl->check, q->number);
	else
		snprintf(title, sizeof(title), _("Wrong: question %d"), q->number);
	add(&b, 0, VR_DIM, 0, "%s", q->ask);
	if (q->choice && !right)
		add(&b, 4, VR_ALERT, 0, _("your answer: %d   %s"), q->choice, q->choices[q->choice - 1]);
	if (q->right)
		add(&b, 4, VR_RUNNING, VA_BOLD, right ? _("your answer: %d   %s") : _("the right one: %d   %s"), q->right,
		    q->choices[q->right - 1]);
	else
		add(&b, 4, VR_ALERT, VA_BOLD, _("the kernel did none of these (it said %s)"), q->got);
	add(&b, 0, VR_OVERLAY, 0, "%s", q->why);
	add(&b, 0, VR_DIM, 0, _("score %d/%d   any key closes this"), f->st->score_right, f->st->score_answered);
	box_draw(f, &b, title, right ? VR_BORDER_FOCUS : VR_ALERT);
}

void quiz_draw(struct frame *f)
{
	if (f->st->question)
		question_draw(f, f->st->question);
	else if (f->st->result)
		result_draw(f, f->st->result);
}
