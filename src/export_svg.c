// SPDX-License-Identifier: GPL-2.0
/* `export --format svg`: a Gantt-style picture of the session, one row per process, coloured by state. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "export_filter.h"
#include "export_impl.h"
#include "export_timeline.h"
#include "log.h"
#include "palette.h"

/*
 * Fixed geometry, so that the picture depends on the log alone (a golden
 * file can hold it) and stays legible for a few hundred rows.
 */
#define SVG_W 1200
#define LABEL_X 10
#define INDENT 10      /* per tree level */
#define MAX_INDENT 8   /* levels; deeper rows stay at this indent */
#define CHAR_W 6.7     /* of the 11px monospace font */
#define X0 250.0       /* the time axis, left */
#define X1 1180.0      /* and right */
#define ROWS_Y 104     /* the first row */
#define MAX_FORK_SPAN 6 /* rows a fork line may cross */
#define ROW_H 16
#define BAR_Y 3        /* bar inside its row */
#define BAR_H 10

enum svg_mark_kind { MK_FORK, MK_EXEC, MK_EXIT, MK_REAP, MK_LINK, MK_FREEZE };

/* Something drawn over the bars: on one process (a), or from a to b. */
struct svg_mark {
	uint8_t kind;
	uint64_t t, t2; /* t2: when b read what a wrote; a freeze's frozen ns */
	const struct export_proc *a, *b;
};

struct svg {
	const struct export_ctx *x;
	struct svg_mark *marks;
	size_t n, cap;
	uint64_t t0, t1;  /* the time axis */
	size_t open_freeze; /* the mark of the freeze not yet thawed, + 1 (0: none) */
	size_t *row_of;   /* by model_proc serial: row + 1, 0 when not shown */
	size_t nrow_of;
};

static int mark_add(struct svg *s, uint8_t kind, uint64_t t, const struct export_proc *a,
		    const struct export_proc *b)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct svg_mark *m = realloc(s->marks, cap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		s->marks = m;
		s->cap = cap;
	}
	s->marks[s->n++] = (struct svg_mark){ .kind = kind, .t = t, .a = a, .b = b };
	return 0;
}

static struct export_proc *proc_of(const struct svg *s, uint32_t pid)
{
	struct export_tl *tl = s->x->tl;
	struct export_proc *ep = export_tl_proc(tl, model_find(export_tl_model(tl), pid));

	return ep && ep->in_tree ? ep : NULL;
}

static int svg_event(void *state, const struct fs_event *e, int kept, const struct export_step *st)
{
	struct svg *s = state;
	struct export_proc *ep = proc_of(s, e->pid), *other;

	if (e->type == FS_EV_STEP && e->step.op == FS_STEP_THAW) {
		/* its freeze's duration, though events came between, or a --to window left the thaw out */
		if (s->open_freeze)
			s->marks[s->open_freeze - 1].t2 = e->step.frozen_ns;
		s->open_freeze = 0;
		return 0;
	}
	if (!kept)
		return 0;
	switch (e->type) {
	case FS_EV_FORK:
		other = e->fork.thread ? NULL : proc_of(s, e->fork.child_pid);
		return other ? mark_add(s, MK_FORK, e->ts, ep, other) : 0;
	case FS_EV_EXEC:
		return ep && e->exec.result == 0 ? mark_add(s, MK_EXEC, e->ts, ep, NULL) : 0;
	case FS_EV_EXIT:
		return ep && !e->exit.thread ? mark_add(s, MK_EXIT, e->ts, ep, NULL) : 0;
	case FS_EV_REAP:
		other = proc_of(s, e->reap.child);
		return other ? mark_add(s, MK_REAP, e->ts, other, NULL) : 0;
	case FS_EV_IPC:
		/* a flow is drawn when both ends are kept: the write's cookie says it was */
		if (st->write && ep)
			st->write->cookie = 1;
		if (!st->from.p || !st->from.cookie || !ep || !(other = export_tl_proc(s->x->tl, st->from.p)))
			return 0;
		if (mark_add(s, MK_LINK, st->from.ts, other, ep))
			return -ENOMEM;
		s->marks[s->n - 1].t2 = e->ts;
		return 0;
	case FS_EV_STEP: /* a freeze: its thaw (above) says for how long; none when the log ends frozen */
		if (mark_add(s, MK_FREEZE, e->ts, NULL, NULL))
			return -ENOMEM;
		s->open_freeze = s->n;
		return 0;
	default:
		return 0;
	}
}

static double xt(const struct svg *s, uint64_t t)
{
	if (t < s->t0)
		t = s->t0;
	if (t > s->t1)
		t = s->t1;
	return X0 + (double)(t - s->t0) * (X1 - X0) / (double)(s->t1 - s->t0);
}

static int row_y(size_t row)
{
	return ROWS_Y + (int)row * ROW_H;
}

/* The row of a shown process plus one, 0 for none. */
static size_t row_of(const struct svg *s, const struct export_proc *ep)
{
	return ep && ep->p->serial < s->nrow_of ? s->row_of[ep->p->serial] : 0;
}

/* "12.5 ms": t in the unit that suits step, with the decimals step needs. */
static void time_label(char *buf, size_t len, uint64_t t, uint64_t step)
{
	static const struct { uint64_t ns; const char *name; } units[] = {
		{ 1000000000ull, "s" }, { 1000000, "ms" }, { 1000, "µs" }, { 1, "ns" },
	};
	size_t u = 0;
	int decimals = 0;

	while (units[u].ns > step && units[u].ns > 1)
		u++;
	for (uint64_t q = units[u].ns; step % q; q /= 10)
		decimals++;
	snprintf(buf, len, "%.*f %s", decimals, (double)t / (double)units[u].ns, units[u].name);
}

/* A round step (1, 2 or 5 times a power of ten ns) giving at most ten ticks. */
static uint64_t tick_step(uint64_t span)
{
	uint64_t p = 1;

	for (;;) {
		if (span <= 10 * p)
			return p;
		if (span <= 20 * p)
			return 2 * p;
		if (span <= 50 * p)
			return 5 * p;
		p *= 10;
	}
}

static void draw_axis(const struct svg *s, FILE *f, int bottom)
{
	uint64_t step = tick_step(s->t1 - s->t0);
	uint64_t t = (s->t0 + step - 1) / step * step;
	char label[48];

	fprintf(f, "<g class=\"axis\">\n");
	for (; t <= s->t1; t += step) {
		time_label(label, sizeof(label), t, step);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", xt(s, t), ROWS_Y - 4, xt(s, t),
			bottom + 4);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">%s</text><text x=\"%.1f\" y=\"%d\">%s</text>\n", xt(s, t),
			ROWS_Y - 8, label, xt(s, t), bottom + 16, label);
	}
	fprintf(f, "</g>\n");
}

/* The marks, drawn on a bar whose top is y. */
static void shape_exec(FILE *f, double x, int y)
{
	fprintf(f, "<path class=\"exec\" d=\"M%.1f,%dl4,5l-4,5l-4,-5z\"/>\n", x, y);
}

static void shape_exit(FILE *f, double x, int y)
{
	fprintf(f, "<line class=\"exit\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x, y - 2, x,
		y + BAR_H + 2);
}

static void shape_reap(FILE *f, double x, int y)
{
	fprintf(f, "<path class=\"reap\" d=\"M%.1f,%.1fl7,7m0,-7l-7,7\"/>\n", x - 3.5, y + 1.5);
}

static void shape_fork(FILE *f, double x, int y1, int y2)
{
	fprintf(f, "<line class=\"fork\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, y1, x, y2);
	fprintf(f, "<circle class=\"fork\" cx=\"%.1f\" cy=\"%d\" r=\"2.5\"/>\n", x, y1);
}

static void shape_link(FILE *f, double x1, int y1, double x2, int y2)
{
	fprintf(f, "<line class=\"link\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x1, y1, x2, y2);
}

/* A legend entry's name after its sample at x; returns where the next entry starts. */
static int legend_text(FILE *f, int x, int y, const char *name)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n", x + 18, y + 9, name);
	return x + 18 + (int)((double)strlen(name) * CHAR_W) + 14;
}

static void draw_legend(FILE *f, int y)
{
	int x = LABEL_X;

	fprintf(f, "<g class=\"legend\">\n");
	for (int i = 0; i < PALETTE_STATES; i++) {
		fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"14\" height=\"%d\"/>",
			palette_states[i].name, x, y, BAR_H);
		x = legend_text(f, x, y, palette_states[i].name);
	}
	shape_fork(f, x + 7, y, y + BAR_H + 2);
	x = legend_text(f, x, y, "fork");
	shape_exec(f, x + 7, y);
	x = legend_text(f, x, y, "exec");
	shape_exit(f, x + 7, y);
	x = legend_text(f, x, y, "exit");
	shape_reap(f, x + 7, y);
	x = legend_text(f, x, y, "reap");
	shape_link(f, x, y + BAR_H, x + 14, y);
	legend_text(f, x, y, "IPC, writer to reader");
	fprintf(f, "</g>\n");
}

static void draw_style(FILE *f)
{
	const struct palette_colour *c = palette_roles;

	fprintf(f, "<style>\n"
		   "text{font-family:'DejaVu Sans Mono',monospace;font-size:11px;fill:%s}\n"
		   ".title{font-size:14px;font-weight:bold}\n"
		   ".axis line{stroke:%s}.axis text{fill:%s;font-size:10px;text-anchor:middle}\n"
		   ".stripe{fill:%s;fill-opacity:.4}\n.held{fill-opacity:.4;stroke:%s;stroke-width:1}\n",
		c[PAL_TEXT].rgb, c[PAL_GRID].rgb, c[PAL_DIM].rgb, c[PAL_GRID].rgb,
		palette_states[MS_BLOCKED].colour.rgb);
	for (int i = 0; i < PALETTE_STATES; i++)
		fprintf(f, ".%s{fill:%s}\n", palette_states[i].name, palette_states[i].colour.rgb);
	fprintf(f, ".fork{stroke:%s;fill:%s;stroke-width:1}\n.exec{fill:%s}\n"
		   ".exit{stroke:%s;stroke-width:1.5}\n.reap{stroke:%s;stroke-width:1.5;fill:none}\n"
		   ".link{stroke:%s;stroke-width:1.2;marker-end:url(#arrow)}\n"
		   "line.freeze{stroke:%s;stroke-width:1;stroke-dasharray:3,2}text.freeze{fill:%s;font-size:10px}\n"
		   "</style>\n",
		c[PAL_FORK].rgb, c[PAL_FORK].rgb, c[PAL_EXEC].rgb, c[PAL_EXIT].rgb,
		palette_states[MS_REAPED].colour.rgb, c[PAL_LINK].rgb, palette_states[MS_BLOCKED].colour.rgb,
		palette_states[MS_BLOCKED].colour.rgb);
	fprintf(f, "<defs><marker id=\"arrow\" viewBox=\"0 0 6 6\" refX=\"6\" refY=\"3\" markerWidth=\"6\" "
		   "markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L6,3L0,6z\" fill=\"%s\"/></marker></defs>\n",
		c[PAL_LINK].rgb);
}

static void draw_title(const struct svg *s, FILE *f, size_t nrows)
{
	const struct fs_log_header *h = s->x->hdr;
	uint64_t step = tick_step(s->t1 - s->t0);
	char from[48], to[48];

	fprintf(f, "<text class=\"title\" x=\"%d\" y=\"24\">forkscope:", LABEL_X);
	for (int i = 0; i < h->argc; i++) {
		fputc(' ', f);
		export_put_text(f, h->argv[i], strlen(h->argv[i]), EXPORT_XML);
	}
	time_label(from, sizeof(from), s->t0, step);
	time_label(to, sizeof(to), s->t1, step);
	fprintf(f, "</text>\n<text x=\"%d\" y=\"44\">%zu processes, %s to %s, Linux ", LABEL_X, nrows, from, to);
	export_put_text(f, h->kernel, strnlen(h->kernel, sizeof(h->kernel)), EXPORT_XML);
	fprintf(f, "</text>\n");
}

/* "comm pid", the comm shortened when a deep row leaves too little room. */
static void draw_label(FILE *f, const struct export_row *r, int y)
{
	int depth = r->depth < MAX_INDENT ? r->depth : MAX_INDENT;
	int x = LABEL_X + depth * INDENT;
	const struct model_proc *p = r->ep->p;
	size_t n = strnlen(p->comm, FS_COMM_LEN);
	char pid[16];
	int len = snprintf(pid, sizeof(pid), " %u", p->pid);
	size_t room = (size_t)((X0 - 8 - x) / CHAR_W) - (size_t)len;

	fprintf(f, "<text class=\"label\" x=\"%d\" y=\"%d\">", x, y + 12);
	export_put_text(f, n ? p->comm : "?", n ? (n < room ? n : room - 1) : 1, EXPORT_XML);
	fprintf(f, "%s%s</text>\n", n >= room ? "…" : "", pid);
}

static void draw_bars(const struct svg *s, FILE *f, const struct export_proc *ep, int y)
{
	for (size_t i = 0; i < ep->nsegs; i++) {
		const struct export_seg *g = &ep->segs[i];
		double x1 = xt(s, g->from), x2 = xt(s, g->to);
		const char *held = export_seg_held(g);

		if (x2 <= x1)
			continue;
		fprintf(f, "<rect class=\"%s%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\"",
			palette_states[g->state].name, held ? " held" : "", x1, y + BAR_Y, x2 - x1, BAR_H);
		/* held: the blocked colour, pale inside its outline (not created's light blue), and what holds it as the tooltip */
		if (held)
			fprintf(f, "><title>%s</title></rect>\n", held);
		else
			fprintf(f, "/>\n");
	}
}

static void draw_rows(const struct svg *s, FILE *f, const struct export_row *rows, size_t n)
{
	int bars = export_filter_has_type(s->x->filter, FS_EV_STATE);

	for (size_t i = 0; i < n; i++) {
		if (i % 2)
			fprintf(f, "<rect class=\"stripe\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
				row_y(i), SVG_W, ROW_H);
		draw_label(f, &rows[i], row_y(i));
		if (bars)
			draw_bars(s, f, rows[i].ep, row_y(i));
	}
}

/*
 * A fork joins the parent's row to the child's when they are close; a
 * parent of many children would cover the picture with long lines, so
 * farther apart the line only rises one row above the child (the tree
 * indentation says whose child it is) and a dot marks the parent's row.
 */
static void draw_fork(FILE *f, double x, size_t a, size_t b)
{
	int yb = row_y(b - 1) + BAR_Y + BAR_H / 2;

	if (a && (a > b ? a - b : b - a) <= MAX_FORK_SPAN) {
		shape_fork(f, x, row_y(a - 1) + BAR_Y + BAR_H / 2, yb);
		return;
	}
	if (a)
		shape_fork(f, x, row_y(a - 1) + BAR_Y + BAR_H / 2, row_y(a - 1) + BAR_Y + BAR_H / 2);
	fprintf(f, "<line class=\"fork\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x,
		yb - ROW_H, x, yb);
}

/*
 * A stepped session's freezes, across every row: the session's clock stood still while the tree
 * was frozen, so each is a line at one time, labelled with how long it lasted (when it was let go).
 */
static void draw_freezes(const struct svg *s, FILE *f, int bottom)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct svg_mark *m = &s->marks[i];
		double x = xt(s, m->t);

		if (m->kind != MK_FREEZE)
			continue;
		fprintf(f, "<line class=\"freeze\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x,
			ROWS_Y - 24, x, bottom);
		/* the label right of the line, or left of it near the right edge */
		fprintf(f, "<text class=\"freeze\" x=\"%.1f\" y=\"%d\"%s>frozen", x > X1 - 80 ? x - 3 : x + 3,
			ROWS_Y - 20, x > X1 - 80 ? " text-anchor=\"end\"" : "");
		if (m->t2)
			fprintf(f, " %.1f s", (double)m->t2 / 1e9);
		fprintf(f, "</text>\n");
	}
}

/* Forks first, IPC arrows last: the arrows must stay visible over everything. */
static void draw_marks(const struct svg *s, FILE *f, int links)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct svg_mark *m = &s->marks[i];
		size_t a = row_of(s, m->a), b = row_of(s, m->b);
		int ya = a ? row_y(a - 1) + BAR_Y : 0, yb = b ? row_y(b - 1) + BAR_Y : 0;

		if ((m->kind == MK_LINK) != links || (!a && m->kind != MK_FORK))
			continue;
		if (m->kind == MK_FORK && b)
			draw_fork(f, xt(s, m->t), a, b);
		else if (m->kind == MK_EXEC)
			shape_exec(f, xt(s, m->t), ya);
		else if (m->kind == MK_EXIT)
			shape_exit(f, xt(s, m->t), ya);
		else if (m->kind == MK_REAP)
			shape_reap(f, xt(s, m->t), ya);
		else if (m->kind == MK_LINK && b)
			shape_link(f, xt(s, m->t), ya + BAR_H / 2, xt(s, m->t2), yb + BAR_H / 2);
	}
}

static int index_rows(struct svg *s, const struct export_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (rows[i].ep->p->serial >= s->nrow_of)
			s->nrow_of = rows[i].ep->p->serial + 1;
	}
	s->row_of = calloc(s->nrow_of ? s->nrow_of : 1, sizeof(*s->row_of));
	if (!s->row_of)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		s->row_of[rows[i].ep->p->serial] = i + 1;
	return 0;
}

static int svg_finish(void *state, const struct fs_log_end *end, uint64_t t_end)
{
	struct svg *s = state;
	const struct export_filter *flt = s->x->filter;
	FILE *f = s->x->out;
	struct export_row *rows;
	size_t n;
	int ret, bottom;

	(void)end;
	s->t0 = flt->from;
	s->t1 = flt->to != UINT64_MAX ? flt->to : t_end;
	if (s->t1 <= s->t0)
		s->t1 = s->t0 + 1000;
	ret = export_tl_rows(s->x->tl, &rows, &n);
	if (!ret)
		ret = index_rows(s, rows, n);
	if (ret) {
		free(rows);
		return ret;
	}
	bottom = row_y(n ? n : 1);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", SVG_W, bottom + 24, SVG_W, bottom + 24);
	draw_style(f);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	draw_title(s, f, n);
	draw_legend(f, 56);
	draw_axis(s, f, bottom);
	if (!n)
		fprintf(f, "<text x=\"%.0f\" y=\"%d\">no process in this selection</text>\n", X0, ROWS_Y + 12);
	draw_rows(s, f, rows, n);
	draw_freezes(s, f, bottom);
	draw_marks(s, f, 0);
	draw_marks(s, f, 1);
	fprintf(f, "</svg>\n");
	free(rows);
	return 0;
}

static int svg_begin(const struct export_ctx *x, void **state)
{
	struct svg *s = calloc(1, sizeof(*s));

	*state = s;
	if (!s)
		return -ENOMEM;
	s->x = x;
	return 0;
}

static void svg_free(void *state)
{
	struct svg *s = state;

	if (!s)
		return;
	free(s->marks);
	free(s->row_of);
	free(s);
}

const struct export_format export_svg = {
	.name = "svg", .timeline = 1,
	.begin = svg_begin, .event = svg_event, .finish = svg_finish, .free = svg_free,
};
