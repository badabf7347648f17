// SPDX-License-Identifier: GPL-2.0
/* The process tree pane (state, fork returns, notes, IPC lanes between rows) and the detail view of one process. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "names.h"
#include "view_impl.h"

#define MAX_INDENT 12             /* deeper levels are not indented further */
#define SLIDE_NS 400000000ull     /* a new row's command slides in */
#define NEW_NS 1500000000ull      /* ... and stays highlighted */
#define CHANGE_NS 800000000ull    /* a state change */
#define FORK_NS 2000000000ull     /* a fork return */
#define NOTE_NS 3000000000ull     /* a signal, a mark, an adoption */
#define IO_NS 500000000ull        /* a channel used */
#define REAP_NS 1000000000ull     /* a reap, before the row turns into a tomb */

#define W_PID 6
#define W_STATE 10
#define W_TIME 6
#define W_FORK 7
#define W_FIXED (W_PID + 1 + W_STATE + 1 + W_TIME + 1 + W_FORK + 1)

/* ---- collecting rows ---------------------------------------------------------- */

struct collect {
	struct view *v;
	int base; /* 1 under a cgroup root line, else 0 */
	int hide_tombs;
	int skip_depth; /* inside a hidden tomb's subtree: rows deeper than this are skipped */
	int err;
};

static void collect_one(const struct model_proc *p, int depth, void *ctx)
{
	struct collect *c = ctx;
	struct view *v = c->v;

	if (c->skip_depth >= 0 && depth > c->skip_depth)
		return;
	c->skip_depth = -1;
	if (c->hide_tombs && p->state == MS_REAPED) {
		c->skip_depth = depth;
		return;
	}
	if (v->nrows == v->cap) {
		int cap = v->cap ? v->cap * 2 : 256;
		struct tree_row *rows = realloc(v->rows, (size_t)cap * sizeof(*rows));

		if (!rows) {
			c->err = 1;
			return;
		}
		v->rows = rows;
		v->cap = cap;
	}
	v->rows[v->nrows++] = (struct tree_row){ .p = p, .depth = depth + c->base };
}

/* Which rows are their parent's last shown child, and which ancestors still have siblings below. */
static void tree_shape(struct view *v)
{
	int maxd = 0;
	char *later, *anc_last;

	for (int i = 0; i < v->nrows; i++)
		maxd = v->rows[i].depth > maxd ? v->rows[i].depth : maxd;
	later = calloc((size_t)maxd + 2, 1);
	anc_last = calloc((size_t)maxd + 2, 1);
	if (!later || !anc_last)
		goto out;
	for (int i = v->nrows - 1; i >= 0; i--) {
		int d = v->rows[i].depth;

		v->rows[i].last = !later[d];
		later[d] = 1;
		memset(later + d + 1, 0, (size_t)(maxd - d) + 1);
	}
	for (int i = 0; i < v->nrows; i++) {
		int d = v->rows[i].depth;

		for (int k = 1; k < d && k < 64; k++)
			if (!anc_last[k])
				v->rows[i].pipes |= 1ull << k;
		anc_last[d] = (char)v->rows[i].last;
	}
out:
	free(later);
	free(anc_last);
}

/* The row of process p, by a linear probe table built once per frame. */
struct row_index {
	const struct model_proc **key;
	int *row;
	size_t mask;
};

static int index_build(struct row_index *ix, const struct view *v)
{
	size_t n = 64;

	while (n < (size_t)v->nrows * 2)
		n *= 2;
	ix->mask = n - 1;
	ix->key = calloc(n, sizeof(*ix->key));
	ix->row = calloc(n, sizeof(*ix->row));
	if (!ix->key || !ix->row)
		return -1;
	for (int i = 0; i < v->nrows; i++) {
		size_t h = ((uintptr_t)v->rows[i].p >> 4) & ix->mask;

		while (ix->key[h])
			h = (h + 1) & ix->mask;
		ix->key[h] = v->rows[i].p;
		ix->row[h] = i;
	}
	return 0;
}

static int index_row(const struct row_index *ix, const struct model_proc *p)
{
	for (size_t h = ((uintptr_t)p >> 4) & ix->mask; ix->key[h]; h = (h + 1) & ix->mask)
		if (ix->key[h] == p)
			return ix->row[h];
	return -1;
}

/* Extends the lane's span with c's endpoints; notes whether the selection uses it. */
static void lane_span(struct lane *l, const struct model_chan *c, const struct row_index *ix,
		      const struct model_proc *sel, int *rows)
{
	for (const struct model_endpoint *ep = c ? c->first_endpoint : NULL; ep; ep = ep->next_in_chan) {
		int r = index_row(ix, ep->proc);

		if (ep->proc == sel)
			l->mine = 1;
		if (r < 0)
			continue;
		if (*rows == 0 || r != l->top || r != l->bottom)
			(*rows)++;
		l->top = *rows == 1 || r < l->top ? r : l->top;
		l->bottom = *rows == 1 || r > l->bottom ? r : l->bottom;
	}
}

struct lane_pick {
	struct view *v;
	const struct row_index *ix;
	const struct model_proc *sel;
	struct lane *cand;
	int ncand, cap;
};

static void lane_consider(const struct model_chan *c, void *ctx)
{
	struct lane_pick *lp = ctx;
	struct lane l = { .c = c };
	int rows = 0;

	/* the two ends of a socket pair or connection are one link, counted at the older end */
	if (c->peer && c->peer->peer == c && c->peer->serial < c->serial)
		return;
	l.peer = c->peer && c->peer->peer == c ? c->peer : NULL;
	lane_span(&l, c, lp->ix, lp->sel, &rows);
	lane_span(&l, l.peer, lp->ix, lp->sel, &rows);
	if (rows < 2 || l.top == l.bottom)
		return;
	if (lp->ncand == lp->cap) {
		int cap = lp->cap ? lp->cap * 2 : 32;
		struct lane *n = realloc(lp->cand, (size_t)cap * sizeof(*n));

		if (!n)
			return;
		lp->cand = n;
		lp->cap = cap;
	}
	lp->cand[lp->ncand++] = l;
}

static uint64_t lane_last(const struct lane *l)
{
	uint64_t t = l->c->last_at;

	return l->peer && l->peer->last_at > t ? l->peer->last_at : t;
}

static int by_interest(const void *a, const void *b)
{
	const struct lane *x = a, *y = b;

	if (x->mine != y->mine)
		return y->mine - x->mine;
	return lane_last(y) > lane_last(x) ? 1 : lane_last(y) < lane_last(x) ? -1 : 0;
}

static int by_age(const void *a, const void *b)
{
	const struct lane *x = a, *y = b;

	return x->c->serial > y->c->serial ? 1 : x->c->serial < y->c->serial ? -1 : 0;
}

/* Links between shown rows; with more than fit, the selection's and the busiest, in creation order. */
static void lanes_pick(struct frame *f, const struct row_index *ix, int max)
{
	const struct tree_row *sel = tree_selected(f);
	struct lane_pick lp = { .v = f->v, .ix = ix, .sel = sel ? sel->p : NULL };

	model_for_each_chan(f->m, lane_consider, &lp);
	if (lp.ncand > max)
		qsort(lp.cand, (size_t)lp.ncand, sizeof(*lp.cand), by_interest);
	f->v->nlanes = lp.ncand < max ? lp.ncand : max;
	if (f->v->nlanes) {
		qsort(lp.cand, (size_t)f->v->nlanes, sizeof(*lp.cand), by_age);
		memcpy(f->v->lanes, lp.cand, (size_t)f->v->nlanes * sizeof(*lp.cand));
	}
	free(lp.cand);
}

/* Marks the rows that share a channel or a signal with the selection. */
static void mark_peers(struct frame *f, const struct row_index *ix)
{
	const struct tree_row *sel = tree_selected(f);
	const struct model_signals *sg;

	if (!sel)
		return;
	for (const struct model_endpoint *ep = sel->p->endpoints; ep; ep = ep->next_in_proc) {
		const struct model_chan *cs[2] = { ep->chan, ep->chan->peer };

		for (int k = 0; k < 2; k++)
			for (const struct model_endpoint *o = cs[k] ? cs[k]->first_endpoint : NULL; o;
			     o = o->next_in_chan) {
				int r = index_row(ix, o->proc);

				if (r >= 0 && o->proc != sel->p)
					f->v->rows[r].peer = 1;
			}
	}
	sg = sel->p->signals;
	for (int k = 0; sg && k < 2; k++) {
		const struct model_proc *o = model_find(f->m, k ? sg->last_in_from : sg->last_out_to);
		int r = o && o != sel->p ? index_row(ix, o) : -1;

		if (r >= 0)
			f->v->rows[r].peer = 1;
	}
}

/* Finds the selection again: the same incarnation, else the same pid's current one, else the first row. */
static void resolve_selection(struct frame *f)
{
	struct view *v = f->v;
	struct view_state *vs = f->vs;
	int found = -1;

	for (int i = 0; i < v->nrows && found < 0; i++)
		if (v->rows[i].p->serial == vs->sel_serial)
			found = i;
	for (int i = 0; i < v->nrows && found < 0; i++)
		if (v->rows[i].p->pid == vs->sel_pid && v->rows[i].p == model_find(f->m, vs->sel_pid))
			found = i;
	if (found < 0 && v->nrows)
		found = 0;
	vs->sel_serial = found < 0 ? 0 : v->rows[found].p->serial;
	vs->sel_pid = found < 0 ? 0 : v->rows[found].p->pid;
}

const struct tree_row *tree_selected(const struct frame *f)
{
	for (int i = 0; i < f->v->nrows; i++)
		if (f->v->rows[i].p->serial == f->vs->sel_serial)
			return &f->v->rows[i];
	return NULL;
}

/* How many lanes (two columns each) go beside the tree in a pane of width w: a third of what the command and note leave. */
static int lanes_max(int w)
{
	int n = (w - W_FIXED) / 6;

	return n < 0 ? 0 : n > LANE_MAX ? LANE_MAX : n;
}

int tree_collect(struct frame *f)
{
	struct collect c = { .v = f->v, .base = session_cgroup(f->s) != NULL,
			     .hide_tombs = f->vs->hide_tombs, .skip_depth = -1 };
	struct row_index ix = { 0 };

	f->v->nrows = 0;
	f->v->nlanes = 0;
	model_for_each_proc(f->m, collect_one, &c);
	tree_shape(f->v);
	resolve_selection(f);
	if (!index_build(&ix, f->v)) {
		lanes_pick(f, &ix, lanes_max(f->v->pane[PANE_TREE].w - 2));
		mark_peers(f, &ix);
	}
	free(ix.key);
	free(ix.row);
	return c.err ? -1 : 0;
}

/* ---- drawing rows ----------------------------------------------------------- */

/* Column positions inside the tree pane. */
struct cols {
	int pid, state, time, fork, cmd, note, lanes;
	int cmd_w, note_w;
};

static struct cols tree_cols(struct view_rect r, int nlanes)
{
	struct cols c;
	int rest = r.w - W_FIXED - nlanes * 2;

	c.pid = r.x;
	c.state = c.pid + W_PID + 1;
	c.time = c.state + W_STATE + 1;
	c.fork = c.time + W_TIME + 1;
	c.cmd = c.fork + W_FORK + 1;
	c.cmd_w = rest * 40 / 100 < 14 ? 14 : rest * 40 / 100;
	c.note = c.cmd + c.cmd_w + 1;
	c.note_w = rest - c.cmd_w - 1;
	c.lanes = r.x + r.w - nlanes * 2;
	return c;
}

static void put_cell_text(struct frame *f, int x, int y, int w, const char *s, int role, int attr)
{
	struct view_rect clip = { x, y, w, 1 };

	view_puts_cut(f->g, f->gl, clip, x, y, s, role, attr);
}

/* A header ending at column end: right-aligned by display width. */
static void put_right(struct frame *f, int end, int y, const char *s)
{
	int w = view_text_width(f->gl, s, strlen(s));

	put_cell_text(f, end - w, y, w, s, VR_HEADER, VA_BOLD);
}

static int row_role(const struct frame *f, const struct tree_row *row, int selected)
{
	const struct session_anim *a = session_anim(f->s, row->p->serial);

	if (selected)
		return VR_SELECTED;
	if (row->p->state == MS_REAPED && !(a && view_recent(f, a->reaped, REAP_NS)))
		return VR_REAPED;
	return row->p->left_at ? VR_DIM : VR_NORMAL; /* moved out of the cgroup: no longer traced */
}

/* A held process is blocked, but not asleep in a call: why, or NULL when it is not held. */
static const char *held_word(const struct model_proc *p)
{
	/* at most 8 columns, the state word's field: 停止 跟踪暂停 冻结 */
	static const char *const words[FS_STOP_KIND_MAX] = {
		[FS_STOP_SIGNAL] = N_("stopped"), [FS_STOP_TRACED] = N_("traced"), [FS_STOP_FROZEN] = N_("frozen"),
	};

	if (p->state != MS_BLOCKED || !p->blocked_stop || p->blocked_stop >= FS_STOP_KIND_MAX)
		return NULL;
	return _(words[p->blocked_stop]);
}

/*
 * What lets it go, and what ps shows meanwhile, for the note and the detail view ("held until
 * ..."); short, to fit the note column beside the state word. NULL when not held.
 */
static const char *held_note(const struct model_proc *p)
{
	static const char *const notes[FS_STOP_KIND_MAX] = {
		[FS_STOP_SIGNAL] = N_("until SIGCONT (ps T)"),
		[FS_STOP_TRACED] = N_("until its tracer resumes it (ps t)"),
		[FS_STOP_FROZEN] = N_("until the cgroup is thawed (ps S)"),
	};

	return held_word(p) ? _(notes[p->blocked_stop]) : NULL;
}

/* The state's word as the tree and the details show it: held processes say why. */
static const char *proc_state_word(const struct model_proc *p)
{
	const char *held = held_word(p);

	return held ? held : view_state_label(p->state);
}

static void draw_state(struct frame *f, const struct model_proc *p, const struct session_anim *a,
		       int x, int y, int selected)
{
	char buf[32];
	int role = VR_STATE + p->state;
	int attr = a && view_recent(f, p->state == MS_REAPED ? a->reaped : a->changed, CHANGE_NS)
			   ? VA_REVERSE | VA_BOLD : 0;

	snprintf(buf, sizeof(buf), "%s %s%s", f->gl->state[p->state], proc_state_word(p),
		 p->uncertain ? "?" : "");
	put_cell_text(f, x, y, W_STATE, buf, selected && !attr ? VR_SELECTED : role, attr | VA_BOLD);
}

static void draw_time(struct frame *f, const struct model_proc *p, int x, int y, int role)
{
	uint64_t end = p->exited_at ? p->exited_at : f->now;
	char buf[16];

	if (p->born_unseen)
		snprintf(buf, sizeof(buf), "?");
	else
		view_fmt_dur(buf, sizeof(buf), p->age_at_attach + (end > p->born_at ? end - p->born_at : 0),
			     f->gl->utf8);
	put_cell_text(f, x + W_TIME - view_text_width(f->gl, buf, strlen(buf)), y, W_TIME, buf,
		      role == VR_NORMAL ? VR_DIM : role, 0);
}

/* fork() as both sides saw it: the child's pid in the parent, 0 in the child. */
static void draw_fork(struct frame *f, const struct model_proc *p, const struct session_anim *a,
		      int x, int y, int role)
{
	char buf[32];
	int attr = a && view_recent(f, a->forked, FORK_NS) ? VA_REVERSE | VA_BOLD : 0;

	if (p->fork_ret > 0)
		snprintf(buf, sizeof(buf), "%s%lld", f->gl->arrow, (long long)p->fork_ret);
	else if (p->fork_ret < 0)
		snprintf(buf, sizeof(buf), "%s-%s", f->gl->arrow, "err");
	else if (p->saw_fork_zero)
		snprintf(buf, sizeof(buf), "%s0", f->gl->arrow);
	else
		return;
	put_cell_text(f, x, y, W_FORK, buf, role == VR_NORMAL || attr ? VR_FORK : role, attr);
}

/* The argv after argv[0], space-separated, into buf. */
static void args_text(const struct model_proc *p, char *buf, size_t len)
{
	const struct model_image *img = p->image;
	size_t i = 0, o = 0;

	buf[0] = '\0';
	if (!img || !img->argv)
		return;
	i = strnlen(img->argv, img->argv_len) + 1; /* skip argv[0] */
	while (i < img->argv_len && o + 1 < len) {
		char c = img->argv[i++];

		buf[o++] = c ? c : ' ';
	}
	while (o && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
}

static int tree_prefix(struct frame *f, const struct tree_row *row, int x, int y, int w, int role)
{
	struct view_rect clip = { x, y, w, 1 };
	int d = row->depth, from = d > MAX_INDENT ? d - MAX_INDENT + 1 : 1;

	if (d > MAX_INDENT)
		x = view_puts(f->g, f->gl, clip, x, y, f->gl->ellipsis, VR_DIM, 0);
	for (int k = from; k < d; k++)
		x = view_puts(f->g, f->gl, clip, x, y,
			      k < 64 && (row->pipes >> k & 1) ? f->gl->tree_pipe : f->gl->tree_space,
			      role == VR_NORMAL ? VR_DIM : role, 0);
	if (d > 0)
		x = view_puts(f->g, f->gl, clip, x, y, row->last ? f->gl->tree_last : f->gl->tree_mid,
			      role == VR_NORMAL ? VR_DIM : role, 0);
	return x;
}

static void draw_command(struct frame *f, const struct tree_row *row, const struct session_anim *a,
			 const struct cols *c, int y, int role)
{
	struct view_rect clip = { c->cmd, y, c->cmd_w, 1 };
	int x = tree_prefix(f, row, c->cmd, y, c->cmd_w, role);
	char args[256];
	size_t n = strlen(row->p->comm);
	int fresh = a && view_recent(f, a->born, NEW_NS);

	/* a new process slides in: its name appears a few letters at a time */
	if (a && view_recent(f, a->born, SLIDE_NS))
		n = n * (size_t)((f->ui_now - a->born) / 1000000 + 1) / (SLIDE_NS / 1000000);
	x = view_put_cut(f->g, f->gl, clip, x, y, row->p->comm, n < strlen(row->p->comm) ? n : strlen(row->p->comm),
			 fresh ? VR_FLASH : role, VA_BOLD);
	args_text(row->p, args, sizeof(args));
	if (args[0] && x + 1 < clip.x + clip.w && !(a && view_recent(f, a->born, SLIDE_NS))) {
		x = view_puts(f->g, f->gl, clip, x, y, " ", role, 0);
		view_puts_cut(f->g, f->gl, clip, x, y, args, role == VR_NORMAL ? VR_DIM : role, 0);
	}
}

static void exit_text(const struct model_proc *p, char *buf, size_t len)
{
	char sig[FS_NAME_BUF];

	if (p->exit_unknown)
		snprintf(buf, len, "%s", _("exit not seen"));
	else if (p->exit_sig)
		snprintf(buf, len, _("killed by %s%s"), fs_signal_name((int)p->exit_sig, sig, sizeof(sig)),
			 p->core ? _(" (core)") : "");
	else
		snprintf(buf, len, _("exit %u"), p->exit_code);
}

/* The lasting note: where it sleeps, how it ended, who reaped it. */
static void note_text(const struct model_proc *p, char *buf, size_t len)
{
	char a[64], b[FS_CHAN_BUF], sys[FS_NAME_BUF];
	static const char *const why[] = { "", N_("preempted"), N_("woken"), N_("new, has not run yet") };

	buf[0] = '\0';
	if (p->exited) {
		exit_text(p, a, sizeof(a));
		if (p->state == MS_ZOMBIE)
			snprintf(buf, len, _("%s, not reaped yet"), a);
		else if (p->autoreaped)
			snprintf(buf, len, _("%s, auto-reaped"), a);
		else if (p->reaper)
			snprintf(buf, len, _("%s, reaped by %u"), a, p->reaper);
		else
			snprintf(buf, len, "%s", a);
	} else if (held_note(p)) { /* not asleep in its call: the stop interrupted it */
		snprintf(buf, len, "%s", held_note(p));
	} else if (p->state == MS_BLOCKED && p->blocked_sysnr >= 0) {
		if (fs_chan_format(p->blocked_chan_kind, p->blocked_chan, b, sizeof(b)) < 0)
			b[0] = '\0';
		snprintf(buf, len, _("in %s()%s%s"), fs_syscall_name(p->blocked_sysnr, sys, sizeof(sys)),
			 b[0] ? _(" on ") : "", b);
	} else if (p->state == MS_READY && p->ready_reason < 4) {
		snprintf(buf, len, "%s", p->ready_reason ? _(why[p->ready_reason]) : "");
	} else if (p->last_exec_result) {
		snprintf(buf, len, _("exec failed: %s"), fs_errno_name(-p->last_exec_result, sys, sizeof(sys)));
	}
	if (p->left_at && strlen(buf) + 48 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), _("%sleft the cgroup: no longer traced"),
			 buf[0] ? "; " : "");
	else if (p->entered_at && !p->exited && strlen(buf) + 32 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), _("%sentered the cgroup"), buf[0] ? "; " : "");
	else if (p->already_running && !p->exited && strlen(buf) + 32 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), _("%salready running"), buf[0] ? "; " : "");
	if (p->reparented_at && !p->exited && strlen(buf) + 32 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), _("%sadopted (was under %u)"),
			 buf[0] ? "; " : "", p->orig_ppid);
	if (p->nthreads > 1 && strlen(buf) + 16 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), _("%s%u threads"), buf[0] ? "; " : "",
			 p->nthreads);
}

static void draw_note(struct frame *f, const struct model_proc *p, const struct session_anim *a,
		      const struct cols *c, int y, int role)
{
	char buf[256], sig[FS_NAME_BUF];
	int attr = 0, nrole = role == VR_NORMAL ? VR_DIM : role;

	if (a && view_recent(f, a->signalled, NOTE_NS)) {
		snprintf(buf, sizeof(buf), "%s %s %u", fs_signal_name((int)a->sig, sig, sizeof(sig)),
			 f->gl->back_arrow, a->sig_from);
		nrole = VR_SIGNAL;
		attr = view_recent(f, a->signalled, CHANGE_NS) ? VA_REVERSE : VA_BOLD;
	} else if (a && view_recent(f, a->reparented, NOTE_NS)) {
		snprintf(buf, sizeof(buf), _("orphan: %u exited, adopted by %u"), p->orig_ppid, p->ppid);
		nrole = VR_SIGNAL;
		attr = VA_BOLD;
	} else if (a && p->mark && view_recent(f, a->marked, NOTE_NS)) {
		snprintf(buf, sizeof(buf), "\"%s\"", p->mark->text);
		nrole = VR_MARK;
		attr = VA_BOLD;
	} else {
		note_text(p, buf, sizeof(buf));
	}
	put_cell_text(f, c->note, y, c->note_w, buf, role == VR_SELECTED ? role : nrole, attr);
}

/* The direction of p's use of a lane: write, read, both, or neither yet. */
static const char *lane_glyph(const struct frame *f, const struct lane *l, const struct model_proc *p)
{
	int w = 0, r = 0, used = 0;

	for (int k = 0; k < 2; k++) {
		const struct model_chan *c = k ? l->peer : l->c;

		for (const struct model_endpoint *ep = c ? c->first_endpoint : NULL; ep; ep = ep->next_in_chan) {
			if (ep->proc != p)
				continue;
			used = 1;
			w |= ep->bytes_written || ep->msgs_written;
			r |= ep->bytes_read || ep->msgs_read;
		}
	}
	if (!used)
		return NULL;
	return w && r ? f->gl->lane_both : w ? f->gl->lane_write : r ? f->gl->lane_read : f->gl->lane_idle;
}

static void draw_lanes(struct frame *f, const struct cols *c, int row, int y)
{
	const struct model_proc *p = f->v->rows[row].p;
	const struct session_anim *a = session_anim(f->s, p->serial);

	for (int i = 0; i < f->v->nlanes; i++) {
		const struct lane *l = &f->v->lanes[i];
		int x = c->lanes + i * 2 + 1;
		const char *g = row >= l->top && row <= l->bottom ? lane_glyph(f, l, p) : NULL;
		int attr = l->mine ? VA_BOLD : 0;

		if (g && a && view_recent(f, a->io, IO_NS))
			attr |= VA_REVERSE;
		if (!g && row > l->top && row < l->bottom)
			g = f->gl->lane;
		if (g)
			put_cell_text(f, x, y, 1, g, VR_LINK, attr);
	}
}

static void draw_row(struct frame *f, const struct cols *c, int row, int y, int width)
{
	const struct tree_row *r = &f->v->rows[row];
	const struct session_anim *a = session_anim(f->s, r->p->serial);
	int selected = r->p->serial == f->vs->sel_serial;
	int role = row_role(f, r, selected);
	char pid[16];

	if (selected)
		view_fill(f->g, (struct view_rect){ c->pid, y, width, 1 }, VR_SELECTED);
	snprintf(pid, sizeof(pid), "%*u", W_PID, r->p->pid);
	put_cell_text(f, c->pid, y, W_PID, pid, r->peer && !selected ? VR_PEER : role,
		      r->peer || selected ? VA_BOLD : 0);
	draw_state(f, r->p, a, c->state, y, selected);
	draw_time(f, r->p, c->time, y, role);
	draw_fork(f, r->p, a, c->fork, y, role);
	draw_command(f, r, a, c, y, role);
	draw_note(f, r->p, a, c, y, role);
	draw_lanes(f, c, row, y);
}

/* How a process used a lane: LANE_W writes, LANE_R reads (both may be set), 0 neither yet. */
enum { LANE_W = 1, LANE_R = 2 };

/*
 * The pids on a lane that used it exactly as want (LANE_W, LANE_R, both, or
 * 0 for neither), comma-separated into buf; adds what they wrote to *bytes and *msgs.
 */
static void lane_pids(const struct lane *l, int want, char *buf, size_t len, uint64_t *bytes,
		      uint64_t *msgs)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int k = 0; k < 2; k++) {
		const struct model_chan *c = k ? l->peer : l->c;

		for (const struct model_endpoint *ep = c ? c->first_endpoint : NULL; ep; ep = ep->next_in_chan) {
			int use = (ep->bytes_written || ep->msgs_written ? LANE_W : 0) |
				  (ep->bytes_read || ep->msgs_read ? LANE_R : 0);

			if (use != want)
				continue;
			if (o + 12 < len)
				o += (size_t)snprintf(buf + o, len - o, "%s%u", o ? "," : "", ep->proc->pid);
			*bytes += ep->bytes_written;
			*msgs += ep->msgs_written;
		}
	}
}

/* "1287 ▶ 1288", "◆ 5528,5529", "also 1287": writers to readers, both ways, neither. */
static void lane_who(const struct frame *f, const struct lane *l, char *text, size_t len,
		     uint64_t *bytes, uint64_t *msgs)
{
	char w[96], r[96], both[96], idle[96];
	uint64_t none = 0;
	size_t o = 0;

	lane_pids(l, LANE_W, w, sizeof(w), bytes, msgs);
	lane_pids(l, LANE_R, r, sizeof(r), &none, &none);
	lane_pids(l, LANE_W | LANE_R, both, sizeof(both), bytes, msgs);
	lane_pids(l, 0, idle, sizeof(idle), &none, &none);
	text[0] = '\0';
	if (w[0])
		o += (size_t)snprintf(text + o, len - o, "%s %s", w, f->gl->lane_write);
	if (r[0] && o < len)
		o += (size_t)snprintf(text + o, len - o, "%s%s", w[0] ? " " : "", r);
	else if (!w[0] && r[0])
		o += (size_t)snprintf(text + o, len - o, "%s %s", f->gl->lane_write, r);
	if (both[0] && o < len)
		o += (size_t)snprintf(text + o, len - o, "%s%s %s", o ? " " : "", f->gl->lane_both, both);
	if (idle[0] && o < len)
		snprintf(text + o, len - o, "%s%s", o ? _(" also ") : _("shared by "), idle);
}

/* One legend line per lane: its letter, the channel, who writes to whom, how much. */
static void draw_legend_line(struct frame *f, const struct lane *l, int i, struct view_rect r, int y)
{
	char name[FS_CHAN_BUF], amount[32], text[400];
	uint64_t bytes = 0, msgs = 0;
	char letter[2] = { (char)('a' + i), 0 };
	int x;

	if (fs_chan_format(l->c->kind, l->c->id, name, sizeof(name)) < 0)
		snprintf(name, sizeof(name), "?");
	lane_who(f, l, text, sizeof(text), &bytes, &msgs);
	view_fmt_bytes(amount, sizeof(amount), bytes);
	x = view_puts(f->g, f->gl, r, r.x + 1, y, letter, VR_LINK, VA_BOLD | (l->mine ? VA_REVERSE : 0));
	x = view_puts(f->g, f->gl, r, x + 1, y, name, VR_LINK, 0);
	x = view_puts_cut(f->g, f->gl, r, x + 1, y, text, VR_NORMAL, 0);
	snprintf(text, sizeof(text), l->c->kind == FS_CHAN_SYSV_SEM ?
		 ngettext("%s in %llu post", "%s in %llu posts", (unsigned long)msgs) :
		 ngettext("%s in %llu write", "%s in %llu writes", (unsigned long)msgs),
		 amount, (unsigned long long)msgs);
	view_puts_cut(f->g, f->gl, r, x + 2, y, text, VR_DIM, 0);
}

static void draw_header(struct frame *f, const struct cols *c, int y, int width)
{
	char letter[2] = { 0, 0 };

	view_fill(f->g, (struct view_rect){ c->pid, y, width, 1 }, VR_HEADER);
	put_cell_text(f, c->pid + W_PID - 3, y, 3, "PID", VR_HEADER, VA_BOLD);
	put_cell_text(f, c->state, y, W_STATE, _("STATE"), VR_HEADER, VA_BOLD);
	put_right(f, c->time + W_TIME, y, _("TIME"));
	put_cell_text(f, c->fork, y, W_FORK, "fork()", VR_HEADER, VA_BOLD);
	put_cell_text(f, c->cmd, y, c->cmd_w, _("COMMAND"), VR_HEADER, VA_BOLD);
	put_cell_text(f, c->note, y, c->note_w, _("NOTE"), VR_HEADER, VA_BOLD);
	for (int i = 0; i < f->v->nlanes; i++) {
		letter[0] = (char)('a' + i);
		put_cell_text(f, c->lanes + i * 2 + 1, y, 1, letter, VR_HEADER, VA_BOLD);
	}
}

/* A cgroup session: the cgroup is the root every top-level process hangs from. */
static void draw_cgroup(struct frame *f, const struct cols *c, int y)
{
	char count[64];
	int top = 0;

	for (int i = 0; i < f->v->nrows; i++)
		top += f->v->rows[i].depth == 1 && !f->v->rows[i].p->left_at && !f->v->rows[i].p->exited;
	put_cell_text(f, c->state, y, W_STATE, _("cgroup"), VR_HEADER, VA_BOLD);
	put_cell_text(f, c->cmd, y, c->cmd_w, session_cgroup(f->s), VR_NORMAL, VA_BOLD);
	snprintf(count, sizeof(count), ngettext("%d top-level process in it", "%d top-level processes in it",
						(unsigned long)top), top);
	put_cell_text(f, c->note, y, c->note_w, count, VR_DIM, 0);
}

void tree_draw(struct frame *f, struct view_rect r)
{
	struct view *v = f->v;
	int legend = v->nlanes < r.h / 3 ? v->nlanes : r.h / 3;
	int root = session_cgroup(f->s) != NULL;
	int body = r.h - 1 - root - legend, sel = -1;
	struct cols c = tree_cols(r, v->nlanes);

	draw_header(f, &c, r.y, r.w);
	if (root)
		draw_cgroup(f, &c, r.y + 1);
	v->tree_body = (struct view_rect){ r.x, r.y + 1 + root, r.w, body };
	for (int i = 0; i < v->nrows; i++)
		if (v->rows[i].p->serial == f->vs->sel_serial)
			sel = i;
	/* keep the selection in view */
	if (sel >= 0 && sel < f->vs->tree_top)
		f->vs->tree_top = sel;
	if (sel >= 0 && sel >= f->vs->tree_top + body)
		f->vs->tree_top = sel - body + 1;
	if (f->vs->tree_top > v->nrows - body)
		f->vs->tree_top = v->nrows - body;
	if (f->vs->tree_top < 0)
		f->vs->tree_top = 0;
	for (int i = 0; i < body && f->vs->tree_top + i < v->nrows; i++)
		draw_row(f, &c, f->vs->tree_top + i, r.y + 1 + root + i, r.w);
	if (!v->nrows) /* every process a hidden tomb is not "no process yet" */
		view_puts(f->g, f->gl, r, r.x + 2, r.y + 2 + root,
			  f->vs->hide_tombs && model_proc_count(f->m) ? _("every process is a hidden tomb: t shows them")
								       : _("no process yet"),
			  VR_DIM, 0);
	for (int i = 0; i < legend; i++)
		draw_legend_line(f, &v->lanes[i], i, r, r.y + 1 + root + body + i);
}

/* ---- the detail view --------------------------------------------------------- */

/* Lines of the detail view are collected, then drawn from detail_top on. */
struct lines_out {
	struct frame *f;
	struct view_rect r;
	int n; /* lines produced so far */
};

__attribute__((format(printf, 4, 5)))
static void dline(struct lines_out *o, int role, const char *label, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int y = o->r.y + o->n - o->f->vs->detail_top;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->n++;
	if (y < o->r.y || y >= o->r.y + o->r.h)
		return;
	view_puts(o->f->g, o->f->gl, o->r, o->r.x + 1, y, label, VR_HEADER, VA_BOLD);
	view_puts_cut(o->f->g, o->f->gl, o->r, o->r.x + 14, y, buf, role, 0);
}

/* Columns a state word takes, at most its 8-column field: pads by display width, not bytes. */
static int label_width(const struct view_glyphs *gl, const char *s)
{
	int w = view_text_width(gl, s, strlen(s));

	return w > 8 ? 8 : w;
}

static void detail_times(struct lines_out *o, const struct model_proc *p)
{
	uint64_t end = p->reaped_at ? p->reaped_at : o->f->now, total = end > p->born_at ? end - p->born_at : 1;
	char d[16], bar[64];

	for (int s = 0; s < MS_REAPED; s++) {
		uint64_t t = model_proc_time_in(p, s, end);
		int cells = (int)(t * 20 / (total ? total : 1)), k = 0;

		view_fmt_dur(d, sizeof(d), t, o->f->gl->utf8);
		bar[0] = '\0';
		for (int i = 0; i < 20 && k + 4 < (int)sizeof(bar); i++)
			k += snprintf(bar + k, sizeof(bar) - (size_t)k, "%s",
				      i < cells ? o->f->gl->bar_full : o->f->gl->bar_empty);
		/* "µ" is two bytes in one column: pad by columns, not bytes */
		dline(o, VR_STATE + s, s ? "" : _("time in"), "%s %s%*s %*s %s", o->f->gl->state[s],
		      view_state_label(s), 8 - label_width(o->f->gl, view_state_label(s)), "",
		      6 + (int)strlen(d) - view_text_width(o->f->gl, d, strlen(d)), d, bar);
	}
}

static void detail_chans(struct lines_out *o, const struct model_proc *p)
{
	char name[FS_CHAN_BUF], rb[32], wb[32];
	int any = 0;

	for (const struct model_endpoint *ep = p->endpoints; ep; ep = ep->next_in_proc) {
		const struct model_chan *c = ep->chan;

		if (fs_chan_format(c->kind, c->id, name, sizeof(name)) < 0)
			snprintf(name, sizeof(name), "?");
		view_fmt_bytes(rb, sizeof(rb), ep->bytes_read);
		view_fmt_bytes(wb, sizeof(wb), ep->bytes_written);
		dline(o, VR_LINK, any++ ? "" : _("channels"), _("%s%s%s: wrote %s (%llu), read %s (%llu)%s"),
		      name, c->name ? " " : "", c->name ? c->name : "", wb,
		      (unsigned long long)ep->msgs_written, rb, (unsigned long long)ep->msgs_read,
		      ep->errors ? _(", with errors") : "");
	}
	if (!any)
		dline(o, VR_DIM, _("channels"), _("none"));
}

static void detail_family(struct lines_out *o, const struct model_proc *p)
{
	char kids[256] = "", ret[128] = "";
	size_t k = 0;
	int n = 0;

	if (p->born_unseen)
		dline(o, VR_NORMAL, _("parent"), _("%u (its fork was not seen)"), p->ppid);
	else if (p->entered_at)
		dline(o, VR_NORMAL, _("parent"), _("%u (it was moved into the traced cgroup)"), p->ppid);
	else if (p->already_running)
		dline(o, VR_NORMAL, _("parent"), _("%u (already running when forkscope attached)"), p->ppid);
	else if (p->ppid != p->orig_ppid)
		dline(o, VR_SIGNAL, _("parent"), _("%u, since %u exited (an orphan, adopted)"), p->ppid, p->orig_ppid);
	else
		dline(o, VR_NORMAL, _("parent"), "%u%s", p->ppid, p->parent ? "" : _(" (outside the traced tree)"));
	for (const struct model_proc *c = p->first_child; c; c = c->next_sibling, n++)
		if (k + 12 < sizeof(kids))
			k += (size_t)snprintf(kids + k, sizeof(kids) - k, "%s%u", n ? ", " : "", c->pid);
	dline(o, VR_NORMAL, _("children"), "%s", n ? kids : _("none"));
	if (p->fork_ret) /* its own fork's return, after the child's side it saw, if it did */
		snprintf(ret, sizeof(ret), "%s%lld", p->saw_fork_zero ? _("; its own last fork returned ")
								 : _("its last fork returned "),
			 (long long)p->fork_ret);
	if (p->fork_ret || p->saw_fork_zero)
		dline(o, VR_FORK, "fork()", "%s%s", p->saw_fork_zero ? _("returned 0 here (the child's side)") : "", ret);
}

static void detail_end(struct lines_out *o, const struct model_proc *p)
{
	char ex[64], t[32];

	if (!p->exited) {
		dline(o, VR_DIM, _("exit"), _("still running"));
		return;
	}
	exit_text(p, ex, sizeof(ex));
	view_fmt_time(t, sizeof(t), p->exited_at);
	dline(o, VR_ZOMBIE, _("exit"), _("%s at %s s"), ex, t);
	view_fmt_time(t, sizeof(t), p->reaped_at);
	if (p->state == MS_ZOMBIE)
		dline(o, VR_ZOMBIE, _("reaped"), _("not yet: a zombie until its parent %u waits"), p->ppid);
	else if (p->autoreaped)
		dline(o, VR_REAPED, _("reaped"), _("by the kernel at %s s (auto-reap: SIGCHLD ignored)"), t);
	else if (p->reaper)
		dline(o, VR_REAPED, _("reaped"), _("by %u at %s s"), p->reaper, t);
	else
		dline(o, VR_REAPED, _("reaped"), _("at %s s, by a process that was not seen"), t);
}

static void detail_signals(struct lines_out *o, const struct model_proc *p)
{
	const struct model_signals *s = p->signals;
	char a[FS_NAME_BUF], b[FS_NAME_BUF], out[96] = "", in[96] = "";

	if (!s) {
		dline(o, VR_DIM, _("signals"), _("none"));
		return;
	}
	if (s->sent)
		snprintf(out, sizeof(out), _(" (last %s %s %u)"), fs_signal_name((int)s->last_out_sig, a, sizeof(a)),
			 o->f->gl->arrow, s->last_out_to);
	if (s->received)
		snprintf(in, sizeof(in), _(" (last %s %s %u)"), fs_signal_name((int)s->last_in_sig, b, sizeof(b)),
			 o->f->gl->back_arrow, s->last_in_from);
	dline(o, VR_SIGNAL, _("signals"), _("sent %u%s, received %u%s, taken %u"), s->sent, out, s->received,
	      in, s->taken);
}

static void detail_image(struct lines_out *o, const struct model_proc *p)
{
	char args[512];

	if (!p->image) {
		dline(o, VR_DIM, _("program"), _("not seen (it has not exec'd since tracing began)"));
		return;
	}
	dline(o, VR_EXEC, _("program"), "%s%s", p->image->filename, p->image->filename_truncated ? "..." : "");
	args_text(p, args, sizeof(args));
	dline(o, VR_NORMAL, "argv", "%s %s%s", p->image->argv, args, p->image->argv_truncated ? " ..." : "");
}

static void detail_lines(struct lines_out *o, const struct model_proc *p)
{
	char since[32];

	view_fmt_time(since, sizeof(since), p->state_since);
	dline(o, VR_PID, _("process"), "%u %s%s", p->pid, p->comm, p->uncertain ? _("  (uncertain: events were lost)") : "");
	dline(o, VR_STATE + p->state, _("state"), _("%s %s since %s s"), o->f->gl->state[p->state],
	      proc_state_word(p), since);
	if (held_note(p))
		dline(o, VR_STATE + p->state, _("held"), "%s", held_note(p));
	detail_image(o, p);
	detail_family(o, p);
	detail_end(o, p);
	detail_times(o, p);
	detail_chans(o, p);
	detail_signals(o, p);
	if (p->mark)
		dline(o, VR_MARK, _("last mark"), "\"%s\"", p->mark->text);
}

/* A box as tall as the details need (they scroll when the screen is shorter). */
void detail_draw(struct frame *f, struct view_rect r)
{
	const struct tree_row *row = tree_selected(f);
	struct lines_out count = { f, { r.x, r.y, r.w, 0 }, 0 }, o = { f, r, 0 };
	int top = f->vs->detail_top;

	if (row) {
		f->vs->detail_top = 0;
		detail_lines(&count, row->p);
		f->vs->detail_top = top;
	}
	r.h = count.n + 2 < r.h ? (count.n > 0 ? count.n : 1) + 2 : r.h;
	o.r = view_box(f->g, f->gl, r, _("Process details (Enter/Esc closes, arrows scroll)"), VR_BORDER_FOCUS);
	view_fill(f->g, o.r, VR_OVERLAY);
	if (!row) {
		view_puts(f->g, f->gl, o.r, o.r.x + 1, o.r.y, _("no process selected"), VR_DIM, 0);
		return;
	}
	if (f->vs->detail_top > count.n - o.r.h)
		f->vs->detail_top = count.n - o.r.h > 0 ? count.n - o.r.h : 0;
	detail_lines(&o, row->p);
}
