// SPDX-License-Identifier: GPL-2.0
/* Model + time -> a screen of cells: the layout, the status and hint bars, help, and the demo menu. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "view_impl.h"

int view_new(struct view **v)
{
	*v = calloc(1, sizeof(**v));
	if (!*v || lesson_bind_new(&(*v)->bind)) {
		free(*v);
		return -ENOMEM;
	}
	(*v)->lesson_link.event = SIZE_MAX;
	return 0;
}

void view_free(struct view *v)
{
	if (!v)
		return;
	free(v->rows);
	lesson_bind_free(v->bind);
	free(v);
}

/* ---- formatting ------------------------------------------------------------------- */

void view_fmt_dur(char *buf, size_t len, uint64_t ns, int utf8)
{
	uint64_t us = ns / 1000, ms = ns / 1000000, s = ns / 1000000000ull;

	if (us < 1000)
		snprintf(buf, len, "%llu%s", (unsigned long long)us, utf8 ? "µs" : "us");
	else if (ms < 10)
		snprintf(buf, len, "%llu.%llums", (unsigned long long)ms, (unsigned long long)(us % 1000 / 100));
	else if (ms < 1000)
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	else if (s < 10)
		snprintf(buf, len, "%llu.%02llus", (unsigned long long)s, (unsigned long long)(ms % 1000 / 10));
	else if (s < 60)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)s, (unsigned long long)(ms % 1000 / 100));
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)s / 60, (unsigned long long)s % 60);
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)s / 3600, (unsigned long long)s / 60 % 60);
}

void view_fmt_time(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%llu.%06llu", (unsigned long long)(ns / 1000000000ull),
		 (unsigned long long)(ns % 1000000000ull / 1000));
}

void view_fmt_bytes(char *buf, size_t len, uint64_t n)
{
	if (n < 1024)
		snprintf(buf, len, "%llu B", (unsigned long long)n);
	else if (n < 1024 * 1024)
		snprintf(buf, len, "%.1f KiB", (double)n / 1024);
	else
		snprintf(buf, len, "%.1f MiB", (double)n / (1024 * 1024));
}

int view_recent(const struct frame *f, uint64_t stamp, uint64_t ns)
{
	return stamp && f->ui_now >= stamp && f->ui_now - stamp < ns;
}

/* ---- layout ------------------------------------------------------------------------ */

/*
 * The panes: the tree on top, as tall as its rows need between 35% and 60%
 * of the screen; the event log bottom left; lesson and output bottom right.
 */
static void layout(struct view *v, const struct view_grid *g, int have_lesson, int want)
{
	int h = g->h - 2, tree_h = want + 2, bottom, ev_w = g->w * 55 / 100;
	int right = g->w - ev_w, lesson_h;

	tree_h = tree_h < h * 35 / 100 ? h * 35 / 100 : tree_h > h * 60 / 100 ? h * 60 / 100 : tree_h;
	bottom = h - tree_h;
	lesson_h = have_lesson ? bottom / 2 : 0;
	v->pane[PANE_TREE] = (struct view_rect){ 0, 1, g->w, tree_h };
	v->pane[PANE_EVENTS] = (struct view_rect){ 0, 1 + tree_h, ev_w, bottom };
	v->pane[PANE_LESSON] = (struct view_rect){ ev_w, 1 + tree_h, right, lesson_h };
	v->pane[PANE_OUTPUT] = (struct view_rect){ ev_w, 1 + tree_h + lesson_h, right, bottom - lesson_h };
	v->have_lesson = have_lesson;
}

static void pane_title(struct frame *f, int pane, char *buf, size_t len)
{
	const struct lesson *l = session_lesson(f->s);
	char title[160];

	switch (pane) {
	case PANE_TREE:
		snprintf(buf, len, _("Processes: %zu alive, %zu zombie%s"), model_live_count(f->m),
			 model_zombie_count(f->m), f->vs->hide_tombs ? _(", tombs hidden") : "");
		break;
	case PANE_EVENTS:
		if (f->vs->follow)
			snprintf(buf, len, _("Events of %u (f: all)"), f->vs->sel_pid);
		else
			snprintf(buf, len, _("Events%s"), f->vs->events_back ? _(" (scrolled: End)") : "");
		break;
	case PANE_OUTPUT:
		snprintf(buf, len, "%s", f->vs->raw_output ? _("Terminal (raw)") : _("Output by process"));
		break;
	default:
		lesson_bind_fill(f->v->bind, f->s, l && l->title ? l->title : "", f->gl->ellipsis,
				 LESSON_FILL_PLAIN, title, sizeof(title), NULL);
		snprintf(buf, len, _("Lesson: %s"), title);
		break;
	}
}

static void draw_pane(struct frame *f, int pane, void (*draw)(struct frame *, struct view_rect))
{
	struct view_rect r = f->v->pane[pane];
	char title[160];

	if (r.h < 3)
		return;
	pane_title(f, pane, title, sizeof(title));
	r = view_box(f->g, f->gl, r, title, f->vs->focus == pane ? VR_BORDER_FOCUS : VR_BORDER);
	draw(f, r);
}

const char *view_state_label(int state)
{
	/* the tutorial's terms in Chinese: 创建 就绪 运行 阻塞 僵尸 已回收 */
	static const char *const labels[MS_COUNT] = {
		N_("created"), N_("ready"), N_("running"), N_("blocked"), N_("zombie"), N_("reaped"),
	};

	return state >= 0 && state < MS_COUNT ? _(labels[state]) : "?";
}

/* ---- bars ---------------------------------------------------------------------------- */

/* "now s", or "now/duration s" when the duration is known (a replay), to the millisecond. */
static void bar_clock(uint64_t now, uint64_t duration, char *buf, size_t len)
{
	char t[32], d[32];

	view_fmt_time(t, sizeof(t), now);
	t[strlen(t) - 3] = '\0'; /* milliseconds are enough here */
	view_fmt_time(d, sizeof(d), duration);
	d[strlen(d) - 3] = '\0';
	snprintf(buf, len, duration ? "%s/%s s" : "%s s", t, d);
}

#define RATE_COLS 6 /* "999/s", "9.9k/s", "647k/s", "1.2M/s" */

/*
 * Events per second, short, right-aligned in RATE_COLS columns: as the rate changes, the parts
 * after it stay where they are, and a bar at the edge of its room neither gives it up nor takes
 * it back from one frame to the next.
 */
static void bar_rate(double rate, char *buf, size_t len)
{
	char n[32];

	if (rate < 999.5)
		snprintf(n, sizeof(n), "%.0f", rate);
	else if (rate < 9950)
		snprintf(n, sizeof(n), "%.1fk", rate / 1e3);
	else if (rate < 999500)
		snprintf(n, sizeof(n), "%.0fk", rate / 1e3);
	else if (rate < 9.95e6)
		snprintf(n, sizeof(n), "%.1fM", rate / 1e6);
	else
		snprintf(n, sizeof(n), "%.0fM", rate / 1e6);
	snprintf(buf, len, "%*s/s", RATE_COLS - 2, n);
}

/* The session's state, the one word a glance looks for. */
static void bar_state(const struct frame *f, char *buf, size_t len)
{
	const struct view_status *st = f->st;
	const char *const *sym = f->gl->state;

	if (st->question)
		snprintf(buf, len, "%s %s", sym[MS_BLOCKED], _("PREDICT"));
	else if (st->ended && !st->paused && st->truncated)
		snprintf(buf, len, "%s", _("ended: log truncated"));
	else if (st->ended && !st->paused)
		snprintf(buf, len, st->exit_status >= 0 ? _("ended (exit %d)") : _("ended"), st->exit_status);
	else if (st->frozen)
		snprintf(buf, len, _("%s FROZEN %.1f s"), sym[MS_BLOCKED], (double)st->frozen_ns / 1e9);
	else if (st->stepping)
		snprintf(buf, len, "%s %s", sym[MS_RUNNING], _("stepping"));
	else
		snprintf(buf, len, "%s %s", st->paused ? sym[MS_BLOCKED] : sym[MS_RUNNING],
			 st->paused ? _("PAUSED") : st->mode == VIEW_LIVE ? _("tracing") : _("playing"));
}

/* A piece of the status bar: what it says, how, and how long it stays when room is short. */
struct bar_part {
	char text[256];
	int role, attr;
	int keep; /* the lowest goes first; BAR_ALWAYS never */
	int sep;  /* spaces before it */
};

#define BAR_PARTS 12
#define BAR_ALWAYS 9
#define TITLE_MIN 12 /* columns the session's name keeps (all of a shorter one) before lesser parts give way */

__attribute__((format(printf, 6, 7)))
static void part_add(struct bar_part *p, int *n, int keep, int role, int attr, const char *fmt, ...)
{
	va_list ap;

	p[*n].role = role;
	p[*n].attr = attr;
	p[*n].keep = keep;
	p[*n].sep = 2;
	va_start(ap, fmt);
	vsnprintf(p[*n].text, sizeof(p[*n].text), fmt, ap);
	va_end(ap);
	(*n)++;
}

/* Whether a part is drawn: not given up, and not empty. */
static int part_shown(const struct bar_part *p)
{
	return p->keep >= 0 && p->text[0];
}

/* The columns the shown parts take from the left edge on, with the spaces between them. */
static int parts_width(const struct frame *f, const struct bar_part *p, int n)
{
	int w = 1, first = 1;

	for (int i = 0; i < n; i++) {
		if (!part_shown(&p[i]))
			continue;
		w += (first ? 0 : p[i].sep) + view_text_width(f->gl, p[i].text, strlen(p[i].text));
		first = 0;
	}
	return w;
}

/* Gives up the part that matters least (the rightmost of equals); 0 when only BAR_ALWAYS ones are left. */
static int part_drop(struct bar_part *p, int n)
{
	int least = -1;

	for (int i = 0; i < n; i++)
		if (p[i].keep >= 0 && p[i].keep < BAR_ALWAYS && (least < 0 || p[i].keep <= p[least].keep))
			least = i;
	if (least < 0)
		return 0;
	p[least].keep = -1;
	return 1;
}

/*
 * The session's name in room columns at most (a quarter of the bar: a long command line must
 * not crowd the rest), cut with an ellipsis, or nothing when not even one character fits.
 */
static void bar_title(const struct frame *f, const char *title, int room, char *buf, size_t len)
{
	size_t n = strlen(title);

	room = room < f->g->w / 4 ? room : f->g->w / 4;
	if (view_text_width(f->gl, title, n) > room)
		n = room >= 2 ? view_text_fit(f->gl, title, n, room - 1) : 0;
	snprintf(buf, len, "%.*s%s", (int)n, title, n < strlen(title) && n ? f->gl->ellipsis : "");
}

/*
 * The status bar, left to right: the mode and the session's name, its state, the replay speed,
 * the score or the predict key, the clock, the events (applied/stored, then per second) and the
 * events lost, the recording's path. When the screen is narrow, the parts that matter least give
 * way whole until the name keeps TITLE_MIN columns (its own width if shorter): the path first,
 * then the program's own name (from 100 columns), the rate, the predict key (it is in the help
 * too), the speed and the score; the mode, the state, the clock, the counts and "lost" always
 * stay, the clock without the duration if even they do not fit. The name is cut to what is left.
 */
static void status_bar(struct frame *f)
{
	const struct view_status *st = f->st;
	const char *title = st->title ? st->title : "", *slash = strrchr(title, '/');
	struct view_rect row = { 0, 0, f->g->w, 1 };
	struct bar_part p[BAR_PARTS];
	int n = 0, x = 1, at_title, at_clock, title_w, need;
	char name[200];

	title = st->mode == VIEW_REPLAY && slash ? slash + 1 : title;
	if (f->g->w >= 100)
		part_add(p, &n, 1, VR_STATUS, VA_BOLD, "forkscope");
	part_add(p, &n, BAR_ALWAYS, VR_STATUS_KEY, VA_BOLD, "%s", st->mode == VIEW_LIVE ? _("LIVE") : _("REPLAY"));
	at_title = n;
	part_add(p, &n, BAR_ALWAYS, VR_STATUS_KEY, VA_BOLD, "%s", ""); /* filled below */
	p[at_title].sep = 0;
	part_add(p, &n, BAR_ALWAYS, st->paused || st->frozen || st->question ? VR_ALERT : VR_STATUS, VA_BOLD, "%s", "");
	bar_state(f, p[n - 1].text, sizeof(p[n - 1].text));
	if (st->mode == VIEW_REPLAY)
		part_add(p, &n, 5, VR_STATUS, 0, st->speed < 0.1 ? "1/%gx" : "%gx", st->speed < 0.1 ? 1 / st->speed : st->speed);
	if (st->quiz && st->score_answered)
		part_add(p, &n, 6, VR_STATUS_KEY, VA_BOLD, _("score %d/%d"), st->score_right, st->score_answered);
	else if (st->questions)
		part_add(p, &n, 4, VR_STATUS_KEY, st->predict ? VA_BOLD : 0, "%s",
			 st->predict ? _("predicting") : _("p predict"));
	at_clock = n;
	part_add(p, &n, BAR_ALWAYS, VR_STATUS, 0, "%s", "");
	bar_clock(st->now, st->duration, p[n - 1].text, sizeof(p[n - 1].text));
	part_add(p, &n, BAR_ALWAYS, VR_STATUS, 0, "%zu/%zu ev", session_applied(f->s), session_count(f->s));
	part_add(p, &n, 3, VR_STATUS, 0, "%s", "");
	bar_rate(st->rate, p[n - 1].text, sizeof(p[n - 1].text));
	p[n - 1].sep = 1;
	part_add(p, &n, BAR_ALWAYS, st->lost ? VR_ALERT : VR_STATUS, st->lost ? VA_BOLD : 0, _("lost %llu"),
		 (unsigned long long)st->lost);
	if (st->recording)
		part_add(p, &n, 0, VR_STATUS, 0, _("rec %s"), st->recording);
	title_w = view_text_width(f->gl, title, strlen(title));
	need = title_w < TITLE_MIN ? title_w : TITLE_MIN;
	while (f->g->w - parts_width(f, p, n) - !!need < need && part_drop(p, n))
		;
	if (parts_width(f, p, n) > f->g->w) /* the last resort, at huge counts: the clock without the duration */
		bar_clock(st->now, 0, p[at_clock].text, sizeof(p[at_clock].text));
	bar_title(f, title, f->g->w - parts_width(f, p, n) - !!need, name, sizeof(name));
	/* the space before the name is the name's: the mode and the name read as one key */
	snprintf(p[at_title].text, sizeof(p[at_title].text), "%s%s", name[0] ? " " : "", name);
	view_fill(f->g, row, VR_STATUS);
	for (int i = 0, first = 1; i < n; i++) {
		if (!part_shown(&p[i]))
			continue;
		x = view_puts(f->g, f->gl, row, first ? x : x + p[i].sep, 0, p[i].text, p[i].role, p[i].attr);
		first = 0;
	}
	if (x > f->g->w) { /* still too wide: the cut is shown, so that no number reads whole when it is not */
		if (f->g->w > 1 && !f->g->cells[f->g->w - 1].ch) /* the right half of a wide character */
			view_puts(f->g, f->gl, row, f->g->w - 2, 0, " ", VR_STATUS, 0);
		view_puts(f->g, f->gl, row, f->g->w - 1, 0, f->gl->ellipsis, VR_ALERT, VA_BOLD);
	}
}

/* Key hints, a typed line, or a notice, in the bottom row. */
static void hint_bar(struct frame *f)
{
	static const char *const live[] = { "q", N_("quit"), "?", N_("help"), "space", N_("pause"), "b",
					    N_("step"), "Tab", N_("pane"), "Enter", N_("details"), "/", N_("search"),
					    "f", N_("follow"), "i", N_("type to it"), NULL };
	static const char *const frozen[] = { "q", N_("quit"), "s", N_("run to the next breakpoint"), "b",
					      N_("stepping off"), "Tab", N_("pane"), "Enter", N_("details"), NULL };
	static const char *const replay[] = { "q", N_("quit"), "?", N_("help"), "space", N_("pause"), "s",
					      N_("step"), "+/-", N_("speed"), "</>", N_("seek"), "Tab", N_("pane"),
					      "Enter", N_("details"), "/", N_("search"), NULL };
	const char *const *keys = f->st->mode != VIEW_LIVE ? replay : f->st->frozen && f->st->stepping ? frozen : live;
	struct view_rect row = { 0, f->g->h - 1, f->g->w, 1 };
	int y = f->g->h - 1, x = 1;

	view_fill(f->g, row, VR_STATUS);
	if (f->st->input) {
		view_puts(f->g, f->gl, row, 1, y, _("INPUT: your keys go to the workload's terminal; Ctrl-] gives them back"),
			  VR_ALERT, VA_BOLD);
		return;
	}
	if (f->vs->prompt || f->vs->message[0]) {
		x = view_puts(f->g, f->gl, row, 1, y, f->vs->prompt ? "/" : "", VR_STATUS_KEY, VA_BOLD);
		view_puts(f->g, f->gl, row, x, y, f->vs->prompt ? f->vs->prompt : f->vs->message, VR_STATUS, 0);
		return;
	}
	for (int i = 0; keys[i]; i += 2) {
		if (!strcmp(keys[i], "i") && !f->st->has_pty)
			continue;
		if (x + view_text_width(f->gl, keys[i], strlen(keys[i])) + 1 +
			    view_text_width(f->gl, _(keys[i + 1]), strlen(_(keys[i + 1]))) > f->g->w)
			break; /* a hint is shown whole or not at all */
		x = view_puts(f->g, f->gl, row, x, y, keys[i], VR_STATUS_KEY, VA_BOLD);
		x = view_puts(f->g, f->gl, row, x + 1, y, _(keys[i + 1]), VR_STATUS, 0) + 2;
	}
}

/* ---- overlays ------------------------------------------------------------------------- */

static const char *const help_keys[][2] = {
	{ "Up/Down j/k", N_("select; scroll a pane") },
	{ "PgUp/PgDn", N_("a page up / down") },
	{ "Tab/S-Tab", N_("next / previous pane") },
	{ "Enter", N_("details / step's event") },
	{ "p", N_("predict: ask the lesson") },
	{ "1-4, Esc", N_("answer / skip a question") },
	{ "space", N_("pause / resume") },
	{ ". or s", N_("one event; frozen: go on") },
	{ "b", N_("live: stop at breakpoint") },
	{ ",", N_("replay: one event back") },
	{ "+ / -", N_("replay: faster / slower") },
	{ "< / >", N_("replay: seek -5% / +5%") },
	{ "[ / ]", N_("replay: prev / next mark") },
	{ "Home/End", N_("replay: start / end") },
	{ "/  n", N_("search pid/command; next") },
	{ "f", N_("follow: its events only") },
	{ "t", N_("hide / show tombs") },
	{ "o", N_("output: by process / raw") },
	{ "i", N_("live: type to workload") },
	{ "Ctrl-]", N_("stop typing to workload") },
	{ "mouse", N_("click selects; wheel") },
	{ "? or F1", N_("this help") },
	{ "q F10 ^C", N_("quit (demo: to the menu)") },
};

static const char *const state_help[MS_COUNT] = {
	N_("forked, has not run yet"),
	N_("runnable, waiting for a CPU"),
	N_("on a CPU"),
	N_("sleeping in the kernel, waiting for an event"),
	N_("exited (terminated); its parent has not reaped it"),
	N_("reaped: gone from the kernel, kept here as a tomb"),
};

/* Keys (in two columns when one does not fit), then the legend: every state's glyph, word and meaning. */
static void help_draw(struct frame *f)
{
	int n = (int)(sizeof(help_keys) / sizeof(help_keys[0]));
	int cols = n + MS_COUNT + 4 > f->g->h - 2 ? 2 : 1, rows = (n + cols - 1) / cols;
	int w = cols == 2 ? 78 : 66, h = rows + MS_COUNT + 4, colw = (w - 2) / cols, y;
	struct view_rect box = { (f->g->w - w) / 2, (f->g->h - h) / 2, w, h }, in;
	char buf[160];

	in = view_box(f->g, f->gl, box, _("Help: keys and legend (any key closes)"), VR_BORDER_FOCUS);
	view_fill(f->g, in, VR_OVERLAY);
	for (int i = 0; i < n; i++) {
		struct view_rect cell = { in.x + (i / rows) * colw, in.y + i % rows, colw - 1, 1 };

		view_puts(f->g, f->gl, cell, cell.x + 1, cell.y, help_keys[i][0], VR_STATUS_KEY, VA_BOLD);
		view_puts(f->g, f->gl, cell, cell.x + 13, cell.y, _(help_keys[i][1]), VR_OVERLAY, 0);
	}
	y = in.y + rows + 1;
	for (int s = 0; s < MS_COUNT; s++, y++) {
		snprintf(buf, sizeof(buf), "%s %s", f->gl->state[s], view_state_label(s));
		view_puts(f->g, f->gl, in, in.x + 1, y, buf, VR_STATE + s, VA_BOLD);
		view_puts(f->g, f->gl, in, in.x + 13, y, _(state_help[s]), VR_OVERLAY, 0);
	}
	snprintf(buf, sizeof(buf), _("lanes %s write %s read %s both %s none   fork() %s7 parent %s0 child"),
		 f->gl->lane_write, f->gl->lane_read, f->gl->lane_both, f->gl->lane_idle, f->gl->arrow, f->gl->arrow);
	view_puts(f->g, f->gl, in, in.x + 1, y, buf, VR_LINK, 0);
}

static void too_small(struct view_grid *g, const struct view_glyphs *gl)
{
	struct view_rect all = { 0, 0, g->w, g->h };
	char buf[96];
	int y = g->h / 2 - 1;

	view_fill(g, all, VR_NORMAL);
	snprintf(buf, sizeof(buf), _("forkscope needs %dx%d"), VIEW_MIN_W, VIEW_MIN_H);
	view_puts(g, gl, all, (g->w - (int)strlen(buf)) / 2, y, buf, VR_ALERT, VA_BOLD);
	snprintf(buf, sizeof(buf), _("this terminal is %dx%d"), g->w, g->h);
	view_puts(g, gl, all, (g->w - (int)strlen(buf)) / 2, y + 1, buf, VR_NORMAL, 0);
	snprintf(buf, sizeof(buf), "%s", _("enlarge it, or press q"));
	view_puts(g, gl, all, (g->w - (int)strlen(buf)) / 2, y + 2, buf, VR_DIM, 0);
}

void view_render(struct view *v, struct view_grid *g, const struct view_glyphs *gl,
		 const struct session *s, struct view_state *vs, const struct view_status *st,
		 const struct line_buf *raw, uint64_t ui_now)
{
	struct frame f = { v, g, gl, s, session_model(s), vs, st, raw, ui_now, st->now };

	view_grid_clear(g);
	if (g->w < VIEW_MIN_W || g->h < VIEW_MIN_H) {
		too_small(g, gl);
		return;
	}
	/* rows first (the tree's height depends on them), then lanes, which need the pane's width */
	layout(v, g, session_lesson(s) != NULL, 0);
	tree_collect(&f);
	layout(v, g, session_lesson(s) != NULL, v->nrows + 1 + (v->nlanes < 8 ? v->nlanes : 8));
	if (vs->focus == PANE_LESSON && !v->have_lesson)
		vs->focus = PANE_TREE;
	v->lesson_link.event = SIZE_MAX;
	if (v->have_lesson)
		lesson_bind_update(v->bind, s, session_lesson(s)->name);
	status_bar(&f);
	draw_pane(&f, PANE_TREE, tree_draw);
	draw_pane(&f, PANE_EVENTS, events_draw);
	if (v->have_lesson)
		draw_pane(&f, PANE_LESSON, lesson_draw);
	draw_pane(&f, PANE_OUTPUT, output_draw);
	hint_bar(&f);
	quiz_draw(&f);
	if (vs->overlay == OVERLAY_DETAIL)
		detail_draw(&f, (struct view_rect){ 2, 2, g->w - 4, g->h - 4 });
	else if (vs->overlay == OVERLAY_HELP)
		help_draw(&f);
}

/* ---- input helpers ------------------------------------------------------------------ */

int view_lesson_link(const struct view *v, size_t *event, uint32_t *pid)
{
	if (v->lesson_link.event == SIZE_MAX)
		return -ENOENT;
	*event = v->lesson_link.event;
	*pid = v->lesson_link.pid;
	return 0;
}

static int selected_row(const struct view *v, const struct view_state *vs)
{
	for (int i = 0; i < v->nrows; i++)
		if (v->rows[i].p->serial == vs->sel_serial)
			return i;
	return -1;
}

static void select_row(const struct view *v, struct view_state *vs, int i)
{
	if (i < 0 || i >= v->nrows)
		return;
	vs->sel_serial = v->rows[i].p->serial;
	vs->sel_pid = v->rows[i].p->pid;
}

void view_select_move(struct view *v, struct view_state *vs, int delta)
{
	int i = selected_row(v, vs) + delta;

	select_row(v, vs, i < 0 ? 0 : i >= v->nrows ? v->nrows - 1 : i);
}

static int inside(struct view_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

int view_click(struct view *v, struct view_state *vs, int x, int y)
{
	for (int p = 0; p < PANE_COUNT; p++) {
		if (!inside(v->pane[p], x, y) || (p == PANE_LESSON && !v->have_lesson))
			continue;
		if (p == PANE_TREE && inside(v->tree_body, x, y))
			select_row(v, vs, vs->tree_top + y - v->tree_body.y);
		vs->focus = p;
		return p;
	}
	return -1;
}

static int row_matches(const struct model_proc *p, const char *text)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%u", p->pid);
	return strstr(pid, text) || strstr(p->comm, text) ||
	       (p->image && p->image->filename && strstr(p->image->filename, text));
}

int view_search(struct view *v, struct view_state *vs, const char *text)
{
	int from = selected_row(v, vs);

	if (!text[0])
		return -1;
	for (int k = 1; k <= v->nrows; k++) {
		int i = (from + k) % v->nrows;

		if (row_matches(v->rows[i].p, text)) {
			select_row(v, vs, i);
			return 0;
		}
	}
	return -1;
}

int view_pane_height(const struct view *v, int pane)
{
	return pane == PANE_TREE ? v->tree_body.h : v->pane[pane].h - 2;
}

void view_pane_size(const struct view *v, int pane, int *w, int *h)
{
	*w = v->pane[pane].w > 2 ? v->pane[pane].w - 2 : 0;
	*h = v->pane[pane].h > 2 ? v->pane[pane].h - 2 : 0;
}

/* ---- the menu ------------------------------------------------------------------------ */

void view_render_menu(struct view_grid *g, const struct view_glyphs *gl, const char *title,
		      const struct view_menu_item *items, int n, int selected, const char *footer,
		      const char *message)
{
	struct view_rect all = { 0, 0, g->w, g->h }, in;
	int top, rows;

	view_grid_clear(g);
	if (g->w < VIEW_MIN_W || g->h < VIEW_MIN_H) {
		too_small(g, gl);
		return;
	}
	view_fill(g, (struct view_rect){ 0, 0, g->w, 1 }, VR_STATUS);
	view_puts(g, gl, all, 1, 0, "forkscope", VR_STATUS, VA_BOLD);
	view_puts(g, gl, all, 12, 0, title, VR_STATUS_KEY, VA_BOLD);
	in = view_box(g, gl, (struct view_rect){ 0, 1, g->w, g->h - 2 }, _("Demos"), VR_BORDER_FOCUS);
	/* the selected demo's whole summary, which the list may cut, on the box's last row */
	if (selected >= 0 && selected < n) {
		view_puts(g, gl, in, in.x + 1, in.y + in.h - 1, items[selected].name, VR_TITLE, VA_BOLD);
		view_puts_cut(g, gl, in, in.x + 3 + (int)strlen(items[selected].name), in.y + in.h - 1,
			      items[selected].summary, VR_TITLE, 0);
	}
	rows = in.h - 2;
	top = selected >= rows ? selected - rows + 1 : 0;
	for (int i = top; i < n && i - top < rows; i++) {
		int y = in.y + i - top, role = i == selected ? VR_SELECTED : VR_NORMAL;

		if (i == selected)
			view_fill(g, (struct view_rect){ in.x, y, in.w, 1 }, VR_SELECTED);
		view_puts(g, gl, in, in.x + 1, y, items[i].name, role, VA_BOLD);
		view_puts_cut(g, gl, (struct view_rect){ in.x, y, in.w - 20, 1 }, in.x + 13, y, items[i].summary, role, 0);
		view_puts(g, gl, in, in.x + in.w - 18, y, items[i].marks, i == selected ? role : VR_DIM, 0);
	}
	view_fill(g, (struct view_rect){ 0, g->h - 1, g->w, 1 }, VR_STATUS);
	view_puts(g, gl, all, 1, g->h - 1, message && *message ? message : footer,
		  message && *message ? VR_ALERT : VR_STATUS, 0);
}
