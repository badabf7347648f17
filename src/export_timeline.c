// SPDX-License-Identifier: GPL-2.0
/* A session replayed through the model for the exports: each process's states over time, and IPC flows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "export_filter.h"
#include "export_timeline.h"
#include "log.h"
#include "names.h"
#include "grow.h"

#define PID_LIMIT (1u << 22) /* PID_MAX_LIMIT on 64-bit kernels */

struct export_tl {
	struct fs_model *m;
	const struct export_filter *f;
	struct export_proc **procs; /* by model_proc serial */
	size_t nprocs;
	struct export_write *pending; /* by model_chan serial */
	size_t npending;
	uint8_t *pid_seen;            /* a bit per pid that had an incarnation */
};

static uint32_t track_of(struct export_tl *tl, const struct model_proc *p)
{
	uint32_t pid = p->pid;

	if (pid >= PID_LIMIT || (tl->pid_seen[pid / 8] >> (pid % 8) & 1))
		return PID_LIMIT + (uint32_t)p->serial;
	tl->pid_seen[pid / 8] |= (uint8_t)(1u << (pid % 8));
	return pid;
}

static void seg_start(struct export_seg *s, const struct model_proc *p, uint64_t t)
{
	s->from = t;
	s->state = p->state;
	s->ready_reason = (uint8_t)p->ready_reason;
	s->sysnr = p->state == MS_BLOCKED ? p->blocked_sysnr : -1;
	s->chan_kind = p->state == MS_BLOCKED ? p->blocked_chan_kind : FS_CHAN_NONE;
	s->chan = p->state == MS_BLOCKED ? p->blocked_chan : 0;
	s->stop = p->state == MS_BLOCKED ? p->blocked_stop : FS_STOP_NONE;
}

const char *export_seg_held(const struct export_seg *s)
{
	return s->state == MS_BLOCKED && s->stop ? fs_name_get(&fs_stop_kinds, s->stop) : NULL;
}

static struct export_proc *proc_get(struct export_tl *tl, const struct model_proc *p)
{
	struct export_proc *ep;

	if (grow_array(&tl->procs, &tl->nprocs, p->serial + 1, sizeof(*tl->procs)))
		return NULL;
	if (tl->procs[p->serial])
		return tl->procs[p->serial];
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return NULL;
	ep->p = p;
	ep->track = track_of(tl, p);
	ep->in_tree = (uint8_t)export_filter_has_pid(tl->f, p->pid);
	seg_start(&ep->cur, p, p->born_at);
	tl->procs[p->serial] = ep;
	return ep;
}

/* A stretch ends when the state changes, or the syscall or channel a blocked process sleeps on, or what holds it. */
static int seg_changed(const struct export_seg *s, const struct model_proc *p)
{
	struct export_seg now;

	seg_start(&now, p, 0);
	return now.state != s->state || now.sysnr != s->sysnr || now.chan_kind != s->chan_kind ||
	       now.chan != s->chan || now.stop != s->stop;
}

/* Brings ep's stretches up to its model state at t. */
static int proc_sync(struct export_proc *ep, uint64_t t)
{
	if (ep->cur.state == MS_REAPED || !seg_changed(&ep->cur, ep->p))
		return 0;
	if (t < ep->cur.from)
		t = ep->cur.from; /* events of two CPUs may be slightly out of order */
	if (t > ep->cur.from) {
		if (grow_array(&ep->segs, &ep->cap, ep->nsegs + 1, sizeof(*ep->segs)))
			return -ENOMEM;
		ep->cur.to = t;
		ep->segs[ep->nsegs++] = ep->cur;
	}
	seg_start(&ep->cur, ep->p, t);
	if (ep->p->state == MS_REAPED)
		ep->end = t;
	return 0;
}

static int sync_pid(struct export_tl *tl, const struct model_proc *before, uint32_t pid, uint64_t t)
{
	const struct model_proc *p = model_find(tl->m, pid);
	struct export_proc *ep;

	/* a fork of a pid the model thought alive retires that incarnation */
	if (before && before != p && (ep = export_tl_proc(tl, before)) && proc_sync(ep, t))
		return -ENOMEM;
	if (!p)
		return 0;
	ep = proc_get(tl, p);
	return ep ? proc_sync(ep, t) : -ENOMEM;
}

int export_tl_new(struct export_tl **out, const struct fs_log_header *h, const struct export_filter *f)
{
	struct export_tl *tl = calloc(1, sizeof(*tl));

	*out = NULL;
	if (!tl)
		return -ENOMEM;
	tl->f = f;
	tl->m = model_new();
	tl->pid_seen = calloc(PID_LIMIT / 8, 1);
	if (!tl->m || !tl->pid_seen || model_seed_root(tl->m, h->root_pid, h->tracer_pid, 0) ||
	    sync_pid(tl, NULL, h->root_pid, 0)) {
		export_tl_free(tl);
		return -ENOMEM;
	}
	*out = tl;
	return 0;
}

void export_tl_free(struct export_tl *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->nprocs; i++) {
		if (tl->procs[i])
			free(tl->procs[i]->segs);
		free(tl->procs[i]);
	}
	free(tl->procs);
	free(tl->pending);
	free(tl->pid_seen);
	model_free(tl->m);
	free(tl);
}

/* +1: moves data (or a semaphore post) out, -1: takes it in, 0: neither. */
static int ipc_direction(const struct fs_ev_ipc *ip)
{
	if (ip->bytes < 0)
		return 0;
	switch (ip->op) {
	case FS_IPC_WRITE: case FS_IPC_MSGSND: case FS_IPC_MQ_SEND:
		return 1;
	case FS_IPC_READ: case FS_IPC_MSGRCV: case FS_IPC_MQ_RECV:
		return ip->bytes > 0 ? -1 : 0; /* 0 bytes: end of file */
	case FS_IPC_SEMOP:
		return ip->arg > 0 ? 1 : ip->arg < 0 ? -1 : 0;
	default:
		return 0;
	}
}

static struct export_write *pending_of(struct export_tl *tl, const struct model_chan *c)
{
	if (grow_array(&tl->pending, &tl->npending, c->serial + 1, sizeof(*tl->pending)))
		return NULL;
	return &tl->pending[c->serial];
}

/*
 * A read ends a flow from the first write not read yet: on the same object,
 * or for a socket on its peer, since what one end writes the other reads.
 */
static int apply_ipc(struct export_tl *tl, const struct fs_event *e, struct export_step *st)
{
	int dir = ipc_direction(&e->ipc);
	const struct model_proc *p = model_find(tl->m, e->pid);
	const struct model_chan *c = model_find_chan(tl->m, e->ipc.chan_kind, e->ipc.chan);
	struct export_write *w;

	if (!dir || !p || !c)
		return 0;
	if (dir < 0 && c->kind == FS_CHAN_SOCKET && !(c = c->peer))
		return 0;
	w = pending_of(tl, c);
	if (!w)
		return -ENOMEM;
	if (dir > 0) {
		if (!w->p) {
			*w = (struct export_write){ .p = p, .tid = e->tid, .ts = e->ts };
			st->write = w;
		}
		return 0;
	}
	if (w->p && w->p != p)
		st->from = *w;
	w->p = NULL;
	return 0;
}

/* The process an event is about besides its doer: it may be born, retired or reaped by it. */
static uint32_t other_pid(const struct fs_event *e)
{
	switch (e->type) {
	case FS_EV_FORK: return e->fork.thread ? 0 : e->fork.child_pid;
	case FS_EV_REAP: return e->reap.child;
	case FS_EV_SIGNAL: return e->signal.target_pid;
	default: return 0;
	}
}

int export_tl_apply(struct export_tl *tl, const struct fs_event *e, struct export_step *st)
{
	uint32_t pids[2] = { e->pid, other_pid(e) };
	const struct model_proc *before[2];

	memset(st, 0, sizeof(*st));
	for (int i = 0; i < 2; i++)
		before[i] = pids[i] ? model_find(tl->m, pids[i]) : NULL;
	/* an event that contradicts the model is applied as well as it can be, as live */
	if (model_apply(tl->m, e) == -ENOMEM)
		return -ENOMEM;
	for (int i = 0; i < 2; i++) {
		if (pids[i] && sync_pid(tl, before[i], pids[i], e->ts))
			return -ENOMEM;
	}
	return e->type == FS_EV_IPC ? apply_ipc(tl, e, st) : 0;
}

int export_tl_finish(struct export_tl *tl, uint64_t end, int ended)
{
	/* a session that ended closes what lost its end events, as replay does (model_end) */
	if (ended && model_end(tl->m, end)) {
		for (size_t i = 0; i < tl->nprocs; i++) {
			if (tl->procs[i] && proc_sync(tl->procs[i], end))
				return -ENOMEM;
		}
	}
	for (size_t i = 0; i < tl->nprocs; i++) {
		struct export_proc *ep = tl->procs[i];

		if (!ep || ep->cur.state == MS_REAPED || ep->end)
			continue;
		ep->end = end > ep->cur.from ? end : ep->cur.from;
		if (ep->end == ep->cur.from)
			continue;
		if (grow_array(&ep->segs, &ep->cap, ep->nsegs + 1, sizeof(*ep->segs)))
			return -ENOMEM;
		ep->cur.to = ep->end;
		ep->segs[ep->nsegs++] = ep->cur;
	}
	return 0;
}

const struct fs_model *export_tl_model(const struct export_tl *tl)
{
	return tl->m;
}

struct export_proc *export_tl_proc(const struct export_tl *tl, const struct model_proc *p)
{
	return p && p->serial < tl->nprocs ? tl->procs[p->serial] : NULL;
}

int export_tl_shown(const struct export_tl *tl, const struct export_proc *ep)
{
	return ep && ep->in_tree && ep->p->born_at <= tl->f->to && ep->end >= tl->f->from;
}

struct rows {
	const struct export_tl *tl;
	struct export_row *rows;
	size_t n, cap;
	int err;
};

static void add_row(const struct model_proc *p, int depth, void *ctx)
{
	struct rows *r = ctx;
	struct export_proc *ep = export_tl_proc(r->tl, p);

	if (r->err || !export_tl_shown(r->tl, ep))
		return;
	r->err = grow_array(&r->rows, &r->cap, r->n + 1, sizeof(*r->rows));
	if (!r->err)
		r->rows[r->n++] = (struct export_row){ ep, depth };
}

int export_tl_rows(const struct export_tl *tl, struct export_row **rows, size_t *n)
{
	struct rows r = { .tl = tl };
	int min = 0;

	model_for_each_proc(tl->m, add_row, &r);
	for (size_t i = 0; i < r.n; i++)
		min = i == 0 || r.rows[i].depth < min ? r.rows[i].depth : min;
	for (size_t i = 0; i < r.n; i++)
		r.rows[i].depth -= min;
	*rows = r.rows;
	*n = r.err ? 0 : r.n;
	return r.err;
}
