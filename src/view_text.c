// SPDX-License-Identifier: GPL-2.0
/* The text panes: the narrated event log, the workload's output by process, and the lesson's steps. */
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "narrate.h"
#include "view_impl.h"

#define TIME_W 9          /* "12.345678" */
#define PID_W 6
#define SHOWN_MAX 256
#define STEP_TEXT 4096  /* a lesson step's title or body, filled */

/* ---- shared wrapping -------------------------------------------------------------- */

/* Chinese punctuation that must not start a line: ，。、：；！？）」 */
static int closing_punct(uint32_t cp)
{
	static const uint32_t closing[] = { 0xff0c, 0x3002, 0x3001, 0xff1a, 0xff1b, 0xff01, 0xff1f, 0xff09, 0x300d };

	for (size_t i = 0; i < sizeof(closing) / sizeof(closing[0]); i++)
		if (cp == closing[i])
			return 1;
	return 0;
}

/*
 * Where a line may break before byte i: at a space, or on either side of a wide (CJK) character,
 * since Chinese text has no spaces between words; never before closing punctuation or after （.
 */
static int break_before(const struct view_glyphs *gl, const char *s, size_t n, size_t i, size_t prev)
{
	uint32_t cp, pcp;
	int k;

	if (s[i] == ' ')
		return 1;
	k = log_utf8_char(s + i, n - i, &cp);
	if (k > 1 && closing_punct(cp))
		return 0;
	if (log_utf8_char(s + prev, n - prev, &pcp) > 1 && pcp == 0xff08)
		return 0;
	if (k > 1 && view_text_width(gl, s + i, (size_t)k) == 2)
		return 1;
	return i - prev > 1 && view_text_width(gl, s + prev, i - prev) == 2;
}

size_t view_wrap(const struct view_glyphs *gl, const char *s, size_t n, int width)
{
	size_t fit = view_text_fit(gl, s, n, width > 0 ? width : 1), brk = 0, prev = 0;
	uint32_t cp;
	int k;

	if (fit == 0 && n)
		return 1; /* a character wider than the line still has to go somewhere */
	if (fit >= n)
		return n;
	/* the last break opportunity up to fit, walking whole characters */
	for (size_t i = 0; i <= fit; i += (size_t)k) {
		if (i && break_before(gl, s, n, i, prev))
			brk = i;
		prev = i;
		k = log_utf8_char(s + i, n - i, &cp);
		k = k > 0 ? k : 1;
	}
	return brk ? brk : fit;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

int view_put_wrapped(struct frame *f, struct view_rect r, int y, int indent, const char *s,
		     int role, int attr)
{
	size_t n = strlen(s), i = 0;
	int first = 1;

	do {
		int x = r.x + (first ? 0 : indent);
		size_t k = view_wrap(f->gl, s + i, n - i, r.w - (first ? 0 : indent));

		view_put(f->g, f->gl, r, x, y++, s + i, k, role, attr);
		i = skip_spaces(s, n, i + k);
		first = 0;
	} while (i < n);
	return y;
}

int view_wrapped_rows(const struct view_glyphs *gl, const char *s, int width, int indent)
{
	size_t n = strlen(s), i = 0;
	int rows = 0;

	do {
		i = skip_spaces(s, n, i + view_wrap(gl, s + i, n - i, width - (rows ? indent : 0)));
		rows++;
	} while (i < n);
	return rows;
}

/* ---- the event log --------------------------------------------------------------- */

static int event_role(const struct fs_event *e)
{
	static const int state_role[FS_STATE_MAX] = {
		[FS_STATE_READY] = VR_READY, [FS_STATE_RUNNING] = VR_RUNNING,
		[FS_STATE_BLOCKED] = VR_BLOCKED, [FS_STATE_ZOMBIE] = VR_ZOMBIE, [FS_STATE_DEAD] = VR_ZOMBIE,
	};

	switch (e->type) {
	case FS_EV_FORK: case FS_EV_FORK_RETURN: return VR_FORK;
	case FS_EV_EXEC: case FS_EV_EXISTING: case FS_EV_CGROUP: return VR_EXEC;
	case FS_EV_EXIT: return VR_ZOMBIE;
	case FS_EV_REAP: return VR_REAPED;
	case FS_EV_REPARENT: case FS_EV_SIGNAL: return VR_SIGNAL;
	case FS_EV_STATE: return e->state.state < FS_STATE_MAX ? state_role[e->state.state] : VR_NORMAL;
	case FS_EV_IPC: return VR_LINK;
	case FS_EV_MARK: return VR_MARK;
	case FS_EV_LOST: return VR_ALERT;
	default: return VR_NORMAL;
	}
}

/* Whether the event concerns pid: it acts, or it is the child, the target or the reaped one. */
static int event_about(const struct fs_event *e, uint32_t pid)
{
	return e->pid == pid || (e->type == FS_EV_FORK && e->fork.child_pid == pid) ||
	       (e->type == FS_EV_REAP && e->reap.child == pid) ||
	       (e->type == FS_EV_SIGNAL && e->signal.target_pid == pid) ||
	       (e->type == FS_EV_REPARENT && (e->reparent.old_parent == pid || e->reparent.new_parent == pid));
}

/*
 * Event i's line. While a question is open, the event it is asked at is not told: its
 * narration may say what comes next ("fork() returns twice, ... 0 in the child"), and
 * the question itself says what just happened.
 */
static int event_line(const struct frame *f, size_t i, const struct fs_event *e, char *buf, size_t len)
{
	if (f->st->question && f->st->question->asked_at == i) {
		snprintf(buf, len, "%s", _("the event of the question: told once you answer"));
		return 1;
	}
	narrate_event(buf, len, e);
	return 0;
}

struct shown {
	size_t idx[SHOWN_MAX];
	int rows[SHOWN_MAX];
	int n, total;
};

/* The newest events that fill the pane (after skipping `back` of them), newest first. */
static void events_pick(struct frame *f, struct view_rect text, struct shown *sh)
{
	size_t first = session_first(f->s), i = session_applied(f->s), scanned = 0;
	uint32_t pid = f->vs->follow ? f->vs->sel_pid : 0;
	size_t skip = f->vs->events_back;
	const struct fs_event *e;
	char buf[1024];

	sh->n = sh->total = 0;
	while (i > first && sh->total < text.h && sh->n < SHOWN_MAX && scanned++ < VIEW_EVENTS_SCAN) {
		if (!(e = session_peek(f->s, --i)) || (pid && !event_about(e, pid)))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		event_line(f, i, e, buf, sizeof(buf));
		sh->idx[sh->n] = i;
		sh->rows[sh->n] = view_wrapped_rows(f->gl, buf, text.w, 2);
		sh->total += sh->rows[sh->n++];
	}
	/* scrolled past the oldest event: come back */
	if (sh->n == 0 && f->vs->events_back) {
		f->vs->events_back--;
		events_pick(f, text, sh);
	}
}

void events_draw(struct frame *f, struct view_rect r)
{
	struct view_rect text = { r.x + TIME_W + 1, r.y, r.w - TIME_W - 1, r.h };
	size_t newest = session_applied(f->s);
	struct shown sh;
	struct fs_event e;
	char buf[1024], t[32];
	int y;

	events_pick(f, text, &sh);
	y = r.y + r.h - sh.total;
	for (int k = sh.n - 1; k >= 0; k--) {
		int held;

		session_event(f->s, sh.idx[k], &e);
		held = event_line(f, sh.idx[k], &e, buf, sizeof(buf));
		view_fmt_time(t, sizeof(t), e.ts);
		if (sh.idx[k] + 1 == newest) /* the event just applied: what a step showed */
			view_puts(f->g, f->gl, r, r.x, y, f->gl->current, VR_TITLE, VA_BOLD);
		view_puts(f->g, f->gl, r, r.x + TIME_W - (int)strlen(t), y, t, VR_DIM, 0);
		y = view_put_wrapped(f, text, y, 2, buf, held ? VR_DIM : event_role(&e),
				     !held && (e.type == FS_EV_MARK || e.type == FS_EV_LOST) ? VA_BOLD : 0);
	}
	if (!sh.n)
		view_puts(f->g, f->gl, r, r.x + 1, r.y, f->vs->follow ? _("no event of this process yet") : _("no event yet"),
			  VR_DIM, 0);
}

/* ---- the output pane -------------------------------------------------------------- */

static void line_text(const struct text_line *l, char *buf, size_t len)
{
	size_t n = l->len < len - 1 ? l->len : len - 1;

	memcpy(buf, l->text ? l->text : "", n);
	buf[n] = '\0';
}

void output_draw(struct frame *f, struct view_rect r)
{
	const struct line_buf *lb = f->vs->raw_output && f->raw ? f->raw : session_output(f->s);
	int pidcol = lb != f->raw;
	struct view_rect text = { r.x + (pidcol ? PID_W + 1 : 0), r.y, r.w - (pidcol ? PID_W + 1 : 0), r.h };
	size_t count = lines_count(lb), i;
	int total = 0, y, k;
	char buf[2100], pid[16];

	if (f->vs->output_back >= count)
		f->vs->output_back = count ? count - 1 : 0;
	i = count - f->vs->output_back;
	/* find how many lines, from the newest shown back, fill the pane */
	for (k = 0; i > 0 && total < r.h; k++) {
		line_text(lines_get(lb, --i), buf, sizeof(buf));
		total += view_wrapped_rows(f->gl, buf, text.w, 0);
	}
	y = r.y + r.h - total;
	for (; k > 0; k--, i++) {
		const struct text_line *l = lines_get(lb, i);

		line_text(l, buf, sizeof(buf));
		if (pidcol) {
			snprintf(pid, sizeof(pid), "%*u", PID_W, l->pid);
			view_puts(f->g, f->gl, r, r.x, y, pid, l->pid == f->vs->sel_pid ? VR_PEER : VR_PID, VA_BOLD);
		}
		y = view_put_wrapped(f, text, y, 0, buf, VR_NORMAL, 0);
	}
	if (!count)
		view_puts(f->g, f->gl, r, r.x + 1, r.y, _("nothing printed yet"), VR_DIM, 0);
}

/* ---- the lesson pane --------------------------------------------------------------- */

/* A step's title or body as the learner reads it: its placeholders filled from the session. */
static const char *step_text(struct frame *f, const char *text, char *buf, size_t len, struct lesson_value *link)
{
	lesson_bind_fill(f->v->bind, f->s, text, f->gl->ellipsis, LESSON_FILL_PLAIN, buf, len, link);
	return buf;
}

/* Step i's first line: a tick for the done ones, an arrow for the current one. */
static void step_head(struct frame *f, const struct lesson *l, int i, int cur, char *buf, size_t len)
{
	char title[STEP_TEXT];

	snprintf(buf, len, "%s %d. %s", i < cur ? f->gl->check : i == cur ? f->gl->current : " ", i + 1,
		 step_text(f, l->steps[i].title, title, sizeof(title), NULL));
}

/*
 * Draws step i from row y (relative rows may fall outside r: they are clipped), with its
 * text when it is the one expanded; returns the next row.
 */
static int lesson_step(struct frame *f, struct view_rect r, const struct lesson *l, int i, int cur, int open,
		       int y)
{
	char head[STEP_TEXT + 16], body[STEP_TEXT];
	int role = i < cur ? VR_DIM : i == cur ? VR_MARK : VR_NORMAL;

	step_head(f, l, i, cur, head, sizeof(head));
	y = view_put_wrapped(f, r, y, 5, head, role, i == cur ? VA_BOLD : 0);
	if (i == open && l->steps[i].body[0]) {
		struct view_rect br = { r.x + 5, r.y, r.w - 5, r.h };

		y = view_put_wrapped(f, br, y, 0, step_text(f, l->steps[i].body, body, sizeof(body), NULL),
				     VR_NORMAL, 0);
	}
	return y;
}

/*
 * Where Enter jumps: the mark that made the current step current, as the session's step
 * follows them; for a step without one (the start, a closing step), the event its text
 * names first (its title, then its body).
 */
static void step_link(struct frame *f, const struct lesson *l, int cur)
{
	char buf[STEP_TEXT];

	if (cur < 0 || cur >= l->nsteps || !lesson_bind_step(f->v->bind, f->s, l, cur, &f->v->lesson_link))
		return;
	step_text(f, l->steps[cur].title, buf, sizeof(buf), &f->v->lesson_link);
	if (f->v->lesson_link.event == SIZE_MAX)
		step_text(f, l->steps[cur].body, buf, sizeof(buf), &f->v->lesson_link);
}

/* The rows steps [0, shown) take, step open expanded; *cur_row gets the row step cur begins at. */
static int lesson_rows(struct frame *f, int w, const struct lesson *l, int shown, int cur, int open, int *cur_row)
{
	char head[STEP_TEXT + 16], body[STEP_TEXT];
	int rows = 0;

	*cur_row = 0;
	for (int i = 0; i < shown; i++) {
		if (i == cur)
			*cur_row = rows;
		step_head(f, l, i, cur, head, sizeof(head));
		rows += view_wrapped_rows(f->gl, head, w, 5);
		if (i == open && l->steps[i].body[0])
			rows += view_wrapped_rows(f->gl, step_text(f, l->steps[i].body, body, sizeof(body), NULL),
						  w - 5, 0);
	}
	return rows;
}

void lesson_draw(struct frame *f, struct view_rect r)
{
	const struct lesson *l = session_lesson(f->s);
	const char *held = _("the steps' text, and the steps after these, once you answer");
	int cur, shown, open, rows, cur_row, top, y;

	if (!l)
		return;
	cur = lesson_step_current(l, session_lesson_step(f->s), f->st->ended);
	/*
	 * While a question is open, a step's text may tell what comes next ("a reused worker, no
	 * new fork") and a later step's title the answer ("SIGCHLD"): only the titles of the
	 * steps reached so far are shown.
	 */
	shown = f->st->question ? cur + 1 : l->nsteps;
	open = f->st->question ? -1 : cur;
	step_link(f, l, cur);
	rows = lesson_rows(f, r.w, l, shown, cur, open, &cur_row);
	if (f->st->question)
		rows += view_wrapped_rows(f->gl, held, r.w, 0);
	/* follow the current step, with the one before it for context */
	top = f->vs->lesson_top >= 0 ? f->vs->lesson_top : cur_row > 0 ? cur_row - 1 : 0;
	if (top > rows - r.h)
		top = rows - r.h > 0 ? rows - r.h : 0;
	if (f->vs->lesson_top >= 0)
		f->vs->lesson_top = top;
	y = r.y - top;
	for (int i = 0; i < shown && y < r.y + r.h; i++)
		y = lesson_step(f, r, l, i, cur, open, y);
	if (f->st->question)
		view_put_wrapped(f, r, y, 0, held, VR_DIM, 0);
}
