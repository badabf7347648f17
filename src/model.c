// SPDX-License-Identifier: GPL-2.0
/* The process model: process incarnations, their lifecycle states and the IPC channels between them. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "names.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* ---- a small intrusive chained hash table ---------------------------------- */

struct hlink {
	struct hlink *next;
	uint64_t key;
	uint32_t tag; /* tells apart keys of different kinds in one table */
};

struct htab {
	struct hlink **slot;
	size_t mask, n;
};

#define HTAB_MIN 64

static size_t htab_index(size_t mask, uint64_t key, uint32_t tag)
{
	uint64_t x = key ^ ((uint64_t)tag << 56);

	/* splitmix64's finaliser: pids are dense, so the low bits must depend on all of them */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return (size_t)x & mask;
}

static int htab_init(struct htab *h)
{
	h->slot = calloc(HTAB_MIN, sizeof(*h->slot));
	h->mask = HTAB_MIN - 1;
	h->n = 0;
	return h->slot ? 0 : -ENOMEM;
}

static struct hlink *htab_find(const struct htab *h, uint64_t key, uint32_t tag)
{
	struct hlink *l = h->slot[htab_index(h->mask, key, tag)];

	while (l && (l->key != key || l->tag != tag))
		l = l->next;
	return l;
}

/* Doubles the table; if memory is short the chains just get longer. */
static void htab_grow(struct htab *h)
{
	size_t mask = h->mask * 2 + 1;
	struct hlink **slot = calloc(mask + 1, sizeof(*slot));
	struct hlink *l, *next;

	if (!slot)
		return;
	for (size_t i = 0; i <= h->mask; i++) {
		for (l = h->slot[i]; l; l = next) {
			size_t j = htab_index(mask, l->key, l->tag);

			next = l->next;
			l->next = slot[j];
			slot[j] = l;
		}
	}
	free(h->slot);
	h->slot = slot;
	h->mask = mask;
}

static void htab_insert(struct htab *h, struct hlink *l)
{
	size_t i;

	if (h->n > h->mask)
		htab_grow(h);
	i = htab_index(h->mask, l->key, l->tag);
	l->next = h->slot[i];
	h->slot[i] = l;
	h->n++;
}

static void htab_remove(struct htab *h, struct hlink *l)
{
	struct hlink **pp = &h->slot[htab_index(h->mask, l->key, l->tag)];

	while (*pp && *pp != l)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = l->next;
		h->n--;
	}
}

/* ---- the model ------------------------------------------------------------- */

struct proc_node {
	struct model_proc pub;
	struct hlink hash;  /* in m->procs while it is its pid's current incarnation */
	bool hashed;
	struct proc_node *tomb_next; /* m's tombs, in reap order */
};

struct chan_node {
	struct model_chan pub;
	struct hlink hash;  /* in m->chans while it is the current channel with its id */
	struct hlink ports; /* in m->ports under lport << 16 | rport, for inet pairing */
	bool hashed, port_hashed;
	struct chan_node *prev, *next; /* m's channels, oldest first */
};

struct fs_model {
	struct htab procs, chans, ports;
	struct model_proc *top_first, *top_last; /* processes whose parent is not held */
	struct model_proc *root;
	struct proc_node *tomb_head, *tomb_tail;
	struct chan_node *chan_head, *chan_tail;
	uint64_t proc_serial, chan_serial;
	size_t held, live, zombies, nchans;
	uint64_t reaped, exit_unknown; /* every incarnation so far: forgetting tombs does not lower them */
	uint64_t lost, marks, anomalies, now;
	uint64_t frozen_ns;  /* stepping: time the tree was frozen, thawed stretches (not in now) */
	uint64_t break_seq;  /* the breakpoint the tree is frozen at, 0 while it runs */
};

static struct proc_node *proc_node(struct model_proc *p)
{
	return container_of(p, struct proc_node, pub);
}

static struct chan_node *chan_node(struct model_chan *c)
{
	return container_of(c, struct chan_node, pub);
}

static void copy_comm(char *dst, const char *src)
{
	size_t n = strnlen(src, FS_COMM_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- states and time ------------------------------------------------------- */

static const char *const state_names[MS_COUNT] = {
	"created", "ready", "running", "blocked", "zombie", "reaped",
};

const char *model_state_name(int state)
{
	return state >= 0 && state < MS_COUNT ? state_names[state] : "?";
}

/* Moves p to state s at t, charging the time since the last change to the old state. */
static void proc_set_state(struct model_proc *p, uint8_t s, uint64_t t)
{
	/* events from different CPUs may be slightly out of order: never charge negative time */
	if (t > p->state_since) {
		p->time_in[p->state] += t - p->state_since;
		p->state_since = t;
	}
	p->state = s;
	if (s != MS_BLOCKED)
		p->blocked_stop = FS_STOP_NONE; /* held only while blocked: continued, thawed or gone */
}

uint64_t model_proc_time_in(const struct model_proc *p, int state, uint64_t now)
{
	uint64_t v;

	if (state < 0 || state >= MS_COUNT)
		return 0;
	v = p->time_in[state];
	if (p->state == state && now > p->state_since)
		v += now - p->state_since;
	return v;
}

/* ---- the tree -------------------------------------------------------------- */

/* The head of parent's child list (the top level for NULL); *last gets its tail. */
static struct model_proc **child_ends(struct fs_model *m, struct model_proc *parent,
				      struct model_proc ***last)
{
	*last = parent ? &parent->last_child : &m->top_last;
	return parent ? &parent->first_child : &m->top_first;
}

static void tree_append(struct fs_model *m, struct model_proc *parent, struct model_proc *p)
{
	struct model_proc **last, **first = child_ends(m, parent, &last);

	p->parent = parent;
	p->next_sibling = NULL;
	p->prev_sibling = *last;
	if (*last)
		(*last)->next_sibling = p;
	else
		*first = p;
	*last = p;
}

static void tree_unlink(struct fs_model *m, struct model_proc *p)
{
	struct model_proc **last, **first = child_ends(m, p->parent, &last);

	if (p->prev_sibling)
		p->prev_sibling->next_sibling = p->next_sibling;
	else
		*first = p->next_sibling;
	if (p->next_sibling)
		p->next_sibling->prev_sibling = p->prev_sibling;
	else
		*last = p->prev_sibling;
	p->parent = p->prev_sibling = p->next_sibling = NULL;
}

static bool tree_is_ancestor(const struct model_proc *a, const struct model_proc *p)
{
	for (; p; p = p->parent) {
		if (p == a)
			return true;
	}
	return false;
}

/* ---- process incarnations -------------------------------------------------- */

static struct model_proc *proc_cur(const struct fs_model *m, uint32_t pid)
{
	struct hlink *l = htab_find(&m->procs, pid, 0);

	return l ? &container_of(l, struct proc_node, hash)->pub : NULL;
}

/* The current incarnation of pid if it has not been reaped: a process that can act or be acted on. */
static struct model_proc *proc_live(const struct fs_model *m, uint32_t pid)
{
	struct model_proc *p = proc_cur(m, pid);

	return p && p->state != MS_REAPED ? p : NULL;
}

/* Makes n the current incarnation of its pid; the previous one stays held, but unfindable. */
static void proc_hash_set(struct fs_model *m, struct proc_node *n)
{
	struct model_proc *old = proc_cur(m, n->pub.pid);

	if (old) {
		htab_remove(&m->procs, &proc_node(old)->hash);
		proc_node(old)->hashed = false;
	}
	n->hash.key = n->pub.pid;
	n->hash.tag = 0;
	htab_insert(&m->procs, &n->hash);
	n->hashed = true;
}

static struct model_proc *proc_new(struct fs_model *m, uint32_t pid, struct model_proc *parent,
				   uint32_t ppid, uint64_t t)
{
	struct proc_node *n = calloc(1, sizeof(*n));
	struct model_proc *p;

	if (!n)
		return NULL;
	p = &n->pub;
	p->serial = ++m->proc_serial;
	p->pid = pid;
	p->ppid = p->orig_ppid = ppid;
	p->born_at = p->state_since = t;
	p->state = MS_CREATED;
	p->nthreads = 1;
	p->blocked_sysnr = -1;
	proc_hash_set(m, n);
	tree_append(m, parent, p);
	m->held++;
	m->live++;
	return p;
}

/*
 * A process the model meets without having seen its fork (events were lost,
 * or it is the subject of an event before anything else): its parent and
 * birth are unknown, so it goes to the top level, flagged.
 */
static struct model_proc *proc_unseen(struct fs_model *m, uint32_t pid, const char *comm,
				      uint8_t state, uint64_t t)
{
	struct model_proc *p = proc_new(m, pid, NULL, 0, t);

	if (!p)
		return NULL;
	p->state = state;
	p->born_unseen = 1;
	p->uncertain = 1;
	if (comm)
		copy_comm(p->comm, comm);
	return p;
}

/* The process doing what e reports: it runs, so a reaped or unknown pid is a new incarnation. */
static struct model_proc *proc_actor(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *p = proc_live(m, e->pid);

	if (!p)
		return proc_unseen(m, e->pid, e->comm, MS_RUNNING, e->ts);
	if (!p->comm[0])
		copy_comm(p->comm, e->comm);
	return p;
}

static void image_unref(struct model_image *img)
{
	if (!img || --img->refs)
		return;
	free(img->filename);
	free(img->argv);
	free(img);
}

static void proc_mark_exited(struct fs_model *m, struct model_proc *p, uint64_t t)
{
	p->exited = 1;
	p->exited_at = t;
	free(p->threads);
	p->threads = NULL;
	p->nthreads = 0;
	proc_set_state(p, MS_ZOMBIE, t);
	m->live--;
	m->zombies++;
}

/* It is gone although its exit event never came: the events were lost. */
static void proc_exit_inferred(struct fs_model *m, struct model_proc *p, uint64_t t)
{
	p->exit_unknown = 1;
	p->uncertain = 1;
	proc_mark_exited(m, p, t);
	m->exit_unknown++;
}

static void proc_reap(struct fs_model *m, struct model_proc *p, uint32_t reaper, bool autoreap,
		      uint64_t t)
{
	struct proc_node *n = proc_node(p);

	p->reaper = reaper;
	p->autoreaped = autoreap;
	p->reaped_at = t;
	proc_set_state(p, MS_REAPED, t);
	m->zombies--;
	m->reaped++;
	n->tomb_next = NULL;
	if (m->tomb_tail)
		m->tomb_tail->tomb_next = n;
	else
		m->tomb_head = n;
	m->tomb_tail = n;
}

/* Its pid is starting a new life (or the session ended), so the kernel reaped it: that reap was lost. */
static void proc_retire(struct fs_model *m, struct model_proc *p, uint64_t t)
{
	if (!p->exited)
		proc_exit_inferred(m, p, t);
	proc_reap(m, p, 0, false, t);
	p->uncertain = 1;
}

/* ---- threads --------------------------------------------------------------- */

static struct model_thread *thread_find(const struct model_proc *p, uint32_t tid)
{
	if (!p->threads)
		return NULL;
	for (uint32_t i = 0; i < p->threads->n; i++) {
		if (p->threads->t[i].tid == tid)
			return &p->threads->t[i];
	}
	return NULL;
}

/* Without a thread table, the only thread is the leader, whose tid is the pid. */
static bool thread_known(const struct model_proc *p, uint32_t tid)
{
	return p->threads ? thread_find(p, tid) != NULL : tid == p->pid;
}

static int thread_add(struct model_proc *p, uint32_t tid, uint8_t state)
{
	struct model_threads *ts = p->threads;

	if (!ts || ts->n == ts->cap) {
		uint32_t cap = ts ? ts->cap * 2 : 4;

		ts = realloc(ts, sizeof(*ts) + cap * sizeof(ts->t[0]));
		if (!ts)
			return -ENOMEM;
		if (!p->threads) { /* the leader was implicit until now */
			ts->t[0] = (struct model_thread){ p->pid, p->state };
			ts->n = 1;
		}
		ts->cap = cap;
		p->threads = ts;
	}
	ts->t[ts->n++] = (struct model_thread){ tid, state };
	p->nthreads = ts->n + p->threads_unseen;
	return 0;
}

/*
 * A thread of a process found already running, met for the first time:
 * one of the threads it had then. true once it is in the table.
 */
static bool thread_adopt(struct model_proc *p, uint32_t tid, uint8_t state)
{
	if (!p->threads_unseen)
		return false;
	p->threads_unseen--;
	if (thread_add(p, tid, state) == 0)
		return true;
	p->threads_unseen++;
	return false;
}

/* A process is as active as its most active thread: running > ready > blocked > created. */
static uint8_t threads_state(const struct model_proc *p)
{
	static const uint8_t rank[MS_COUNT] = { [MS_BLOCKED] = 1, [MS_READY] = 2, [MS_RUNNING] = 3 };
	uint8_t best = MS_CREATED;

	for (uint32_t i = 0; i < p->threads->n; i++) {
		if (rank[p->threads->t[i].state] > rank[best])
			best = (uint8_t)p->threads->t[i].state;
	}
	return best;
}

static void thread_set_state(struct model_proc *p, uint32_t tid, uint8_t s, uint64_t t)
{
	struct model_thread *th = thread_find(p, tid);

	if (th) {
		th->state = s;
		s = threads_state(p);
	}
	proc_set_state(p, s, t);
}

static void thread_remove(struct model_proc *p, uint32_t tid, uint64_t t)
{
	struct model_thread *th = thread_find(p, tid);

	if (!th)
		return;
	*th = p->threads->t[--p->threads->n];
	p->nthreads = p->threads->n + p->threads_unseen;
	proc_set_state(p, threads_state(p), t);
}

/* ---- lifecycle events ------------------------------------------------------ */

static int apply_thread_fork(struct model_proc *p, uint32_t tid)
{
	if (p->exited || thread_known(p, tid))
		return -EINVAL;
	return thread_add(p, tid, MS_CREATED);
}

static int apply_fork(struct fs_model *m, const struct fs_event *e)
{
	uint32_t pid = e->fork.child_pid;
	struct model_proc *parent, *child, *old;
	int err = 0;

	if (!pid)
		return -EINVAL;
	parent = proc_actor(m, e);
	if (!parent)
		return -ENOMEM;
	if (e->fork.thread)
		return apply_thread_fork(parent, e->fork.child_tid);
	if (pid == parent->pid)
		return -EINVAL;
	old = proc_cur(m, pid);
	if (old && old->state != MS_REAPED) {
		proc_retire(m, old, e->ts);
		err = -EINVAL;
	}
	child = proc_new(m, pid, parent, parent->pid, e->ts);
	if (!child)
		return -ENOMEM;
	copy_comm(child->comm, e->comm);
	child->image = parent->image;
	if (child->image)
		child->image->refs++;
	return err;
}

static int apply_fork_return(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *p = proc_actor(m, e);
	int64_t ret = e->fork_return.ret;

	if (!p)
		return -ENOMEM;
	if (ret == 0) {
		/* a new thread returns 0 too, but only a new process's leader has tid == pid */
		if (e->tid == p->pid)
			p->saw_fork_zero = 1;
		return 0;
	}
	/* pthread_create's clone3 returns the new thread's tid: not a fork */
	if (ret > 0 && ret <= UINT32_MAX && thread_find(p, (uint32_t)ret))
		return 0;
	p->fork_ret = ret;
	return 0;
}

static struct model_image *image_new(const struct fs_ev_exec *x)
{
	struct model_image *img = calloc(1, sizeof(*img));
	size_t flen = x->filename_len < FS_PATH_LEN ? x->filename_len : FS_PATH_LEN - 1;
	size_t alen = x->argv_len < FS_ARGV_LEN ? x->argv_len : FS_ARGV_LEN;

	if (!img)
		return NULL;
	img->filename = strndup(x->filename, flen);
	img->argv = malloc(alen + 1);
	if (!img->filename || !img->argv) {
		free(img->filename);
		free(img->argv);
		free(img);
		return NULL;
	}
	memcpy(img->argv, x->argv, alen);
	img->argv[alen] = '\0';
	img->argv_len = (uint32_t)alen;
	img->argv_truncated = x->argv_truncated;
	img->filename_truncated = x->filename_truncated;
	img->refs = 1;
	return img;
}

static int apply_exec(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *p = proc_actor(m, e);
	struct model_image *img;

	if (!p)
		return -ENOMEM;
	if (e->exec.result < 0) {
		p->last_exec_result = e->exec.result;
		return 0;
	}
	img = image_new(&e->exec);
	if (!img)
		return -ENOMEM;
	image_unref(p->image);
	p->image = img;
	p->last_exec_result = 0;
	copy_comm(p->comm, e->comm);
	/* exec kills every other thread; the one that exec'd becomes the leader (old_tid != tid) */
	free(p->threads);
	p->threads = NULL;
	p->nthreads = 1;
	p->threads_unseen = 0;
	proc_set_state(p, MS_RUNNING, e->ts);
	return 0;
}

static int apply_exit(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *p = proc_actor(m, e);

	if (!p)
		return -ENOMEM;
	if (e->exit.thread) {
		if (!thread_known(p, e->tid)) {
			/* one it had when forkscope attached, or a thread whose creation was lost */
			if (p->threads_unseen) {
				p->threads_unseen--;
				p->nthreads--;
			}
			return 0;
		}
		if (p->nthreads < 2)
			return -EINVAL; /* the last thread cannot leave a live process behind */
		thread_remove(p, e->tid, e->ts);
		return 0;
	}
	if (p->exited)
		return -EINVAL;
	p->exit_code = e->exit.code;
	p->exit_sig = e->exit.sig;
	p->core = e->exit.core != 0;
	proc_mark_exited(m, p, e->ts);
	return 0;
}

static int apply_reap(struct fs_model *m, const struct fs_event *e)
{
	uint32_t pid = e->reap.child;
	struct model_proc *child = proc_cur(m, pid);
	bool autoreap = e->reap.autoreap != 0;
	int err = 0;

	if (child && child->state == MS_REAPED)
		return -EINVAL; /* reaped twice */
	if (!child) {
		child = proc_unseen(m, pid, NULL, MS_BLOCKED, e->ts);
		if (!child)
			return -ENOMEM;
		proc_exit_inferred(m, child, e->ts);
	} else if (!child->exited) {
		proc_exit_inferred(m, child, e->ts);
		err = -EINVAL;
	}
	proc_reap(m, child, autoreap ? 0 : e->pid, autoreap, e->ts);
	return err;
}

/* e->pid is the orphan; its new parent is often outside the tree (init, a subreaper). */
static int apply_reparent(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *p = proc_cur(m, e->pid), *np;
	int err = 0;

	if (p && p->state == MS_REAPED)
		return -EINVAL;
	if (!p)
		p = proc_unseen(m, e->pid, e->comm, MS_BLOCKED, e->ts);
	if (!p)
		return -ENOMEM;
	/*
	 * The kernel hands a process's children on at its exit (exit_notify), so the old
	 * parent has exited: if the model still has it live, its exit event was lost. The
	 * tree link, not the pid, names it: the pid may be a new incarnation by now.
	 */
	if (p->parent && p->parent->pid == e->reparent.old_parent && !p->parent->exited) {
		proc_exit_inferred(m, p->parent, e->ts);
		err = -EINVAL;
	}
	np = proc_live(m, e->reparent.new_parent);
	if (np && tree_is_ancestor(p, np)) {
		np = NULL; /* a cycle would make the tree endless */
		err = -EINVAL;
	}
	tree_unlink(m, p);
	tree_append(m, np, p);
	p->ppid = e->reparent.new_parent;
	p->reparented_at = e->ts;
	return err;
}

/* ---- scheduler states ------------------------------------------------------ */

/* The last switch of a task that is exiting (zombie) or already released (dead). */
static int state_dying(struct fs_model *m, struct model_proc *p, uint32_t tid, uint64_t t)
{
	if (p->exited || !thread_known(p, tid))
		return 0; /* the usual case: its exit event came first */
	if (p->nthreads > 1) {
		thread_remove(p, tid, t);
		return 0;
	}
	proc_exit_inferred(m, p, t);
	return -EINVAL;
}

/* The probes' states (enum fs_state) as the model's. */
static const uint8_t to_model[FS_STATE_MAX] = {
	[FS_STATE_READY] = MS_READY, [FS_STATE_RUNNING] = MS_RUNNING,
	[FS_STATE_BLOCKED] = MS_BLOCKED, [FS_STATE_ZOMBIE] = MS_ZOMBIE,
	[FS_STATE_DEAD] = MS_ZOMBIE,
};

static int state_live(struct model_proc *p, uint32_t tid, const struct fs_ev_state *st, uint8_t s, uint64_t t)
{
	/*
	 * An unknown thread has usually exited already: its last switches trail
	 * its exit event. Adding it back would leave a ghost, so it is ignored
	 * (also when its creation was lost, at the cost of a less exact state).
	 */
	if (!thread_known(p, tid) && !thread_adopt(p, tid, s))
		return 0;
	thread_set_state(p, tid, s, t);
	p->uncertain = 0;
	if (s == MS_BLOCKED) {
		p->blocked_sysnr = st->sysnr;
		p->blocked_chan_kind = st->chan_kind;
		p->blocked_chan = st->chan;
		p->blocked_stop = st->stop < FS_STOP_KIND_MAX ? st->stop : FS_STOP_NONE;
	} else if (s == MS_READY) {
		p->ready_reason = (uint32_t)st->sysnr;
	}
	return 0;
}

static int apply_state(struct fs_model *m, const struct fs_event *e)
{
	uint32_t fs = e->state.state;
	struct model_proc *p = proc_cur(m, e->pid);

	if (fs == 0 || fs >= FS_STATE_MAX)
		return -EINVAL;
	/* the tail of an exit that raced its reap: never a new incarnation */
	if (p && p->state == MS_REAPED)
		return 0;
	if (to_model[fs] == MS_ZOMBIE)
		return p ? state_dying(m, p, e->tid, e->ts) : 0;
	if (!p)
		p = proc_unseen(m, e->pid, e->comm, to_model[fs], e->ts);
	if (!p)
		return -ENOMEM;
	if (p->exited)
		return 0; /* an exiting task is still switched until its last schedule() */
	return state_live(p, e->tid, &e->state, to_model[fs], e->ts);
}

/* p joins the model while running, as /proc described it (x): attached to, or entered the cgroup. */
static int proc_running(struct fs_model *m, struct model_proc *p, const struct fs_event *e,
			const struct fs_ev_existing *x)
{
	uint32_t fs = x->state.state;

	p->ppid = p->orig_ppid = x->ppid;
	copy_comm(p->comm, e->comm);
	p->already_running = 1;
	p->age_at_attach = x->age_ns;
	p->threads_unseen = x->threads > 1 ? x->threads - 1 : 0;
	p->nthreads = 1 + p->threads_unseen;
	if (x->image.filename_len || x->image.argv_len) {
		image_unref(p->image);
		p->image = image_new(&x->image);
		if (!p->image)
			return -ENOMEM;
	}
	if (to_model[fs] != MS_ZOMBIE)
		return state_live(p, e->pid, &x->state, to_model[fs], e->ts);
	p->exit_unknown = 1;
	m->exit_unknown++;
	proc_mark_exited(m, p, e->ts);
	return 0;
}

static int valid_running(const struct fs_ev_existing *x)
{
	return x->state.state < FS_STATE_MAX && to_model[x->state.state];
}

/*
 * A process already running when forkscope attached: under its parent when
 * that is in the tree. The root was seeded before with a guessed parent.
 */
static int apply_existing(struct fs_model *m, const struct fs_event *e)
{
	const struct fs_ev_existing *x = &e->existing;
	struct model_proc *p = proc_live(m, e->pid);

	if (!e->pid || !valid_running(x) || (p && p != m->root))
		return -EINVAL;
	if (!p)
		p = proc_new(m, e->pid, proc_live(m, x->ppid), x->ppid, e->ts);
	return p ? proc_running(m, p, e, x) : -ENOMEM;
}

/*
 * --cgroup: a process moved in is met like one already running (or, having
 * left before, is back); one moved out is no longer traced: it stays as it
 * was last seen, marked as gone from the cgroup.
 */
static int apply_cgroup(struct fs_model *m, const struct fs_event *e)
{
	const struct fs_ev_cgroup *c = &e->cgroup;
	struct model_proc *p = proc_live(m, e->pid);

	if (c->op == FS_CG_LEAVE) {
		if (p) {
			p->left_at = e->ts;
			copy_comm(p->comm, e->comm);
		}
		return p ? 0 : -EINVAL;
	}
	if (c->op != FS_CG_ENTER || !valid_running(&c->proc))
		return -EINVAL;
	if (p && !p->left_at)
		return -EINVAL;
	if (p && p->exited)
		return -EINVAL;
	if (!p)
		p = proc_new(m, e->pid, proc_live(m, c->proc.ppid), c->proc.ppid, e->ts);
	if (!p)
		return -ENOMEM;
	p->left_at = 0;
	p->entered_at = e->ts;
	return proc_running(m, p, e, &c->proc);
}

/* ---- signals --------------------------------------------------------------- */

static struct model_signals *signals_of(struct model_proc *p)
{
	if (!p->signals)
		p->signals = calloc(1, sizeof(*p->signals));
	return p->signals;
}

static int apply_signal_deliver(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *p = proc_actor(m, e);
	struct model_signals *s = p ? signals_of(p) : NULL;

	if (!s)
		return -ENOMEM;
	s->taken++;
	s->last_taken_sig = e->signal.sig;
	s->last_action = e->signal.result;
	s->last_taken_at = e->ts;
	return 0;
}

static int apply_signal_generate(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *from = proc_live(m, e->pid);
	struct model_proc *to = proc_live(m, e->signal.target_pid);
	struct model_signals *s;

	/* the probe reports signals that touch the tree: with an outside sender, the target is ours */
	if (!from && !to && !(to = proc_unseen(m, e->signal.target_pid, NULL, MS_BLOCKED, e->ts)))
		return -ENOMEM;
	if (from) {
		if (!(s = signals_of(from)))
			return -ENOMEM;
		s->sent++;
		s->last_out_sig = e->signal.sig;
		s->last_out_to = e->signal.target_pid;
		s->last_out_at = e->ts;
	}
	if (to) {
		if (!(s = signals_of(to)))
			return -ENOMEM;
		s->received++;
		s->last_in_sig = e->signal.sig;
		s->last_in_from = e->pid;
		s->last_in_result = e->signal.result;
		s->last_in_at = e->ts;
	}
	return 0;
}

static int apply_signal(struct fs_model *m, const struct fs_event *e)
{
	if (e->signal.op == FS_SIG_GENERATE)
		return apply_signal_generate(m, e);
	if (e->signal.op == FS_SIG_DELIVER)
		return apply_signal_deliver(m, e);
	return -EINVAL;
}

/* ---- channels -------------------------------------------------------------- */

static struct model_chan *chan_cur(const struct fs_model *m, uint32_t kind, uint64_t id)
{
	struct hlink *l = htab_find(&m->chans, id, kind);

	return l ? &container_of(l, struct chan_node, hash)->pub : NULL;
}

static void chan_unhash(struct fs_model *m, struct chan_node *n)
{
	if (n->hashed)
		htab_remove(&m->chans, &n->hash);
	if (n->port_hashed)
		htab_remove(&m->ports, &n->ports);
	n->hashed = n->port_hashed = false;
}

/* A new channel replaces the current one with the same identity (a reused inode or id). */
static struct model_chan *chan_new(struct fs_model *m, uint32_t kind, uint64_t id,
				   uint32_t creator, uint64_t t)
{
	struct chan_node *n = calloc(1, sizeof(*n));
	struct model_chan *old = chan_cur(m, kind, id);

	if (!n)
		return NULL;
	if (old)
		chan_unhash(m, chan_node(old));
	n->pub.serial = ++m->chan_serial;
	n->pub.kind = kind;
	n->pub.id = id;
	n->pub.creator = creator;
	n->pub.created_at = n->pub.last_at = t;
	n->hash.key = id;
	n->hash.tag = kind;
	htab_insert(&m->chans, &n->hash);
	n->hashed = true;
	n->prev = m->chan_tail;
	if (m->chan_tail)
		m->chan_tail->next = n;
	else
		m->chan_head = n;
	m->chan_tail = n;
	m->nchans++;
	return &n->pub;
}

static void chan_free(struct fs_model *m, struct model_chan *c)
{
	struct chan_node *n = chan_node(c);

	chan_unhash(m, n);
	if (c->peer)
		c->peer->peer = NULL;
	if (n->prev)
		n->prev->next = n->next;
	else
		m->chan_head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		m->chan_tail = n->prev;
	free(c->name);
	free(c->remote);
	free(n);
	m->nchans--;
}

/*
 * Walks both lists at once and stops at the end of either (each holds the
 * pair if it exists), so the cost is the shorter one's: a server with many
 * connections, or a pipe shared by many children.
 */
static struct model_endpoint *endpoint_find(struct model_proc *p, struct model_chan *c)
{
	struct model_endpoint *a = p->endpoints, *b = c->first_endpoint;

	for (; a && b; a = a->next_in_proc, b = b->next_in_chan) {
		if (a->chan == c)
			return a;
		if (b->proc == p)
			return b;
	}
	return NULL;
}

static struct model_endpoint *endpoint_get(struct model_proc *p, struct model_chan *c, uint64_t t)
{
	struct model_endpoint *ep = endpoint_find(p, c);

	if (ep)
		return ep;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return NULL;
	ep->proc = p;
	ep->chan = c;
	ep->first_at = ep->last_at = t;
	ep->prev_in_chan = c->last_endpoint;
	if (c->last_endpoint)
		c->last_endpoint->next_in_chan = ep;
	else
		c->first_endpoint = ep;
	c->last_endpoint = ep;
	c->nendpoints++;
	ep->next_in_proc = p->endpoints;
	p->endpoints = ep;
	return ep;
}

/* Drops every endpoint of p, and with the last endpoint its channel. */
static void proc_drop_endpoints(struct fs_model *m, struct model_proc *p)
{
	struct model_endpoint *ep, *next;

	for (ep = p->endpoints; ep; ep = next) {
		struct model_chan *c = ep->chan;

		next = ep->next_in_proc;
		if (ep->prev_in_chan)
			ep->prev_in_chan->next_in_chan = ep->next_in_chan;
		else
			c->first_endpoint = ep->next_in_chan;
		if (ep->next_in_chan)
			ep->next_in_chan->prev_in_chan = ep->prev_in_chan;
		else
			c->last_endpoint = ep->prev_in_chan;
		c->nendpoints--;
		free(ep);
		if (!c->first_endpoint)
			chan_free(m, c);
	}
	p->endpoints = NULL;
}

/* Each end has one peer: the first link wins, a reused id cannot steal it. */
static void chan_link(struct model_chan *a, struct model_chan *b)
{
	if (!b || a == b || a->peer || b->peer)
		return;
	a->peer = b;
	b->peer = a;
}

/* Two inet sockets are each other's peer when one's ports are the other's, swapped. */
static void chan_set_ports(struct fs_model *m, struct model_chan *c, uint64_t ports)
{
	struct chan_node *n = chan_node(c);
	uint16_t l = (uint16_t)(ports >> 16), r = (uint16_t)ports;
	struct hlink *other;

	if (n->port_hashed && (c->lport != l || c->rport != r)) {
		htab_remove(&m->ports, &n->ports);
		n->port_hashed = false;
	}
	c->lport = l;
	c->rport = r;
	if (!l || !r)
		return; /* not connected yet */
	if (!n->port_hashed && n->hashed) {
		n->ports.key = (uint64_t)l << 16 | r;
		n->ports.tag = 0;
		htab_insert(&m->ports, &n->ports);
		n->port_hashed = true;
	}
	other = htab_find(&m->ports, (uint64_t)r << 16 | l, 0);
	if (other)
		chan_link(c, &container_of(other, struct chan_node, ports)->pub);
}

static void chan_set_peer(struct fs_model *m, struct model_chan *c, const struct fs_ev_ipc *ip)
{
	if (ip->peer_kind == FS_PEER_NONE || (ip->peer_kind == FS_PEER_CHAN && !ip->peer))
		return;
	c->peer_kind = ip->peer_kind;
	c->peer_id = ip->peer;
	if (ip->peer_kind == FS_PEER_CHAN)
		chan_link(c, chan_cur(m, c->kind, ip->peer));
	else if (ip->peer_kind == FS_PEER_INET_PORTS)
		chan_set_ports(m, c, ip->peer);
}

static void chan_set_str(char **dst, const char *s, size_t n)
{
	char *copy = strndup(s, n);

	if (copy) {
		free(*dst);
		*dst = copy;
	}
}

/* A raw sockaddr as text; an abstract unix name's NUL bytes show as '@', as ss(8) prints them. */
static void chan_set_addr(char **dst, const struct fs_ev_ipc *ip)
{
	char buf[FS_ADDR_BUF + 1];
	size_t len = ip->path_len < FS_PATH_LEN ? ip->path_len : FS_PATH_LEN;
	int n = fs_sockaddr_format(ip->path, len, buf);

	if (n <= 0)
		return;
	for (int i = 0; i < n; i++) {
		if (!buf[i])
			buf[i] = '@';
	}
	chan_set_str(dst, buf, (size_t)n);
}

/* What a set-up call tells about the channel itself. */
static void chan_describe(struct model_chan *c, const struct fs_ev_ipc *ip)
{
	size_t plen = ip->path_len < FS_PATH_LEN ? ip->path_len : FS_PATH_LEN;

	if (ip->bytes < 0)
		return; /* a failed call changed nothing */
	switch (ip->op) {
	case FS_IPC_SOCKET:
		c->family = (uint32_t)(ip->arg >> 32);
		c->type = (uint32_t)ip->arg;
		break;
	case FS_IPC_BIND:
		chan_set_addr(&c->name, ip);
		break;
	case FS_IPC_CONNECT:
	case FS_IPC_ACCEPT:
		chan_set_addr(&c->remote, ip);
		break;
	case FS_IPC_LISTEN:
		c->listening = 1;
		break;
	case FS_IPC_OPEN:
	case FS_IPC_MQ_OPEN:
		if (plen)
			chan_set_str(&c->name, ip->path, plen);
		break;
	case FS_IPC_SHMGET:
		c->size = (uint64_t)ip->bytes;
		/* fall through */
	case FS_IPC_SEMGET:
	case FS_IPC_MSGGET:
		c->key = ip->arg;
		c->has_key = 1;
		break;
	}
}

/* +1: data or a message went out through the call, -1: came in, 0: neither. */
static int ipc_direction(const struct fs_ev_ipc *ip)
{
	switch (ip->op) {
	case FS_IPC_WRITE:
	case FS_IPC_MSGSND:
	case FS_IPC_MQ_SEND:
		return 1;
	case FS_IPC_READ:
	case FS_IPC_MSGRCV:
	case FS_IPC_MQ_RECV:
		return -1;
	case FS_IPC_SEMOP: /* a post hands something to a waiter */
		return ip->arg > 0 ? 1 : -1;
	}
	return 0;
}

static void endpoint_count(struct model_endpoint *ep, const struct fs_ev_ipc *ip, uint64_t t)
{
	int dir = ipc_direction(ip);
	uint64_t bytes;

	ep->ops++;
	ep->last_at = t;
	if (ip->bytes < 0) {
		ep->errors++;
		ep->last_error = (int32_t)ip->bytes;
		return;
	}
	bytes = ip->op == FS_IPC_SEMOP ? 0 : (uint64_t)ip->bytes;
	if (dir > 0) {
		ep->msgs_written++;
		ep->bytes_written += bytes;
	} else if (dir < 0) {
		ep->msgs_read++;
		ep->bytes_read += bytes;
	} else if (ip->op == FS_IPC_MMAP) {
		ep->mapped = (uint64_t)ip->bytes;
	}
}

/* pipe, socketpair, socket and accept make a new kernel object even if its id was seen before. */
static bool ipc_creates(uint32_t op)
{
	return op == FS_IPC_PIPE || op == FS_IPC_SOCKETPAIR || op == FS_IPC_SOCKET ||
	       op == FS_IPC_ACCEPT;
}

/* Whether the call names an object: a failed set-up made none; inodes start at 1, SysV ids at 0. */
static bool ipc_has_object(const struct fs_ev_ipc *ip)
{
	uint32_t k = ip->chan_kind;
	bool gets = ip->op == FS_IPC_SHMGET || ip->op == FS_IPC_SEMGET || ip->op == FS_IPC_MSGGET ||
		    ip->op == FS_IPC_OPEN || ip->op == FS_IPC_MQ_OPEN || ipc_creates(ip->op);

	if (k == FS_CHAN_NONE || (gets && ip->bytes < 0))
		return false;
	return ip->chan || k == FS_CHAN_SYSV_SHM || k == FS_CHAN_SYSV_SEM || k == FS_CHAN_SYSV_MSG;
}

static struct model_endpoint *ipc_endpoint(struct fs_model *m, struct model_proc *p,
					   uint32_t kind, uint64_t id, bool fresh, uint64_t t)
{
	struct model_chan *c = fresh ? NULL : chan_cur(m, kind, id);

	if (!c && !(c = chan_new(m, kind, id, p->pid, t)))
		return NULL;
	c->last_at = t;
	return endpoint_get(p, c, t);
}

/* The creator holds both ends of a socketpair. */
static int ipc_socketpair(struct fs_model *m, struct model_proc *p, struct model_chan *c,
			  const struct fs_ev_ipc *ip, uint64_t t)
{
	struct model_endpoint *other;

	if (ip->peer_kind != FS_PEER_CHAN || !ip->peer)
		return -EINVAL;
	other = ipc_endpoint(m, p, c->kind, ip->peer, true, t);
	if (!other)
		return -ENOMEM;
	other->chan->peer_kind = FS_PEER_CHAN;
	other->chan->peer_id = c->id;
	chan_link(c, other->chan);
	return 0;
}

static int apply_ipc(struct fs_model *m, const struct fs_event *e)
{
	const struct fs_ev_ipc *ip = &e->ipc;
	struct model_endpoint *ep;
	struct model_proc *p;

	if (ip->op == 0 || ip->op >= FS_IPC_OP_MAX || ip->chan_kind >= FS_CHAN_KIND_MAX)
		return -EINVAL;
	if (!ipc_has_object(ip))
		return 0; /* nothing to draw: a failed set-up, or an object the probe could not name */
	p = proc_actor(m, e);
	if (!p)
		return -ENOMEM;
	ep = ipc_endpoint(m, p, ip->chan_kind, ip->chan, ipc_creates(ip->op), e->ts);
	if (!ep)
		return -ENOMEM;
	chan_describe(ep->chan, ip);
	endpoint_count(ep, ip, e->ts);
	if (ip->op == FS_IPC_SOCKETPAIR) /* its peer is created here, not looked up */
		return ipc_socketpair(m, p, ep->chan, ip, e->ts);
	chan_set_peer(m, ep->chan, ip);
	return 0;
}

/* ---- marks and losses ------------------------------------------------------ */

static int apply_mark(struct fs_model *m, const struct fs_event *e)
{
	struct model_proc *p = proc_actor(m, e);
	uint32_t len = e->mark.len < FS_MARK_LEN ? e->mark.len : FS_MARK_LEN;
	struct model_mark *mk;

	if (!p)
		return -ENOMEM;
	len = (uint32_t)strnlen(e->mark.text, len);
	while (len && e->mark.text[len - 1] == '\n')
		len--; /* demos write whole lines */
	mk = malloc(sizeof(*mk) + len + 1);
	if (!mk)
		return -ENOMEM;
	mk->at = e->ts;
	mk->len = len;
	memcpy(mk->text, e->mark.text, len);
	mk->text[len] = '\0';
	free(p->mark);
	p->mark = mk;
	m->marks++;
	return 0;
}

/* Output belongs to the TUI's output pane; the model only learns that the writer exists. */
static int apply_output(struct fs_model *m, const struct fs_event *e)
{
	return proc_actor(m, e) ? 0 : -ENOMEM;
}

/*
 * The kernel's own count of what a process moved through a channel: exact even
 * where events were lost, so it replaces what the events added up to.
 */
static int apply_total(struct fs_model *m, const struct fs_event *e)
{
	const struct fs_ev_total *t = &e->total;
	struct model_proc *p = proc_cur(m, e->pid);
	struct model_endpoint *ep;

	if (!p)
		return 0; /* forgotten already: nothing to correct */
	ep = ipc_endpoint(m, p, t->chan_kind, t->chan, false, e->ts);
	if (!ep)
		return -ENOMEM;
	ep->bytes_read = t->bytes_in;
	ep->msgs_read = t->msgs_in;
	ep->bytes_written = t->bytes_out;
	ep->msgs_written = t->msgs_out;
	return 0;
}

/*
 * Calls fn on every process not yet reaped: each is its pid's current
 * incarnation, so the pid table holds them all. fn may reap p (a tomb stays
 * in the table). Scanning the table (at most pid_max entries) is fine: a
 * source reports losses once per drain, not per event, and a session ends once.
 */
static void procs_unreaped(struct fs_model *m, void (*fn)(struct fs_model *m, struct model_proc *p, uint64_t t),
			   uint64_t t)
{
	for (size_t i = 0; i <= m->procs.mask; i++) {
		for (struct hlink *l = m->procs.slot[i]; l; l = l->next) {
			struct model_proc *p = &container_of(l, struct proc_node, hash)->pub;

			if (p->state != MS_REAPED)
				fn(m, p, t);
		}
	}
}

/* Every process not yet reaped may have missed state changes. */
static void proc_doubt(struct fs_model *m, struct model_proc *p, uint64_t t)
{
	(void)m;
	(void)t;
	p->uncertain = 1;
}

static int apply_lost(struct fs_model *m, const struct fs_event *e)
{
	m->lost += e->lost.count;
	procs_unreaped(m, proc_doubt, e->ts);
	return 0;
}

/* The tree frozen at a breakpoint, or running again: the clock (event times) left it out. */
static int apply_step(struct fs_model *m, const struct fs_event *e)
{
	if (e->step.op == FS_STEP_THAW) {
		m->frozen_ns += e->step.frozen_ns;
		m->break_seq = 0;
	} else {
		m->break_seq = e->step.at_seq ? e->step.at_seq : e->seq;
	}
	return 0;
}

/*
 * Events were lost since p last ran, so its end may have been among them. One
 * the model is sure of was still there when tracing stopped: left as it is.
 */
static void proc_close_doubted(struct fs_model *m, struct model_proc *p, uint64_t t)
{
	if (p->uncertain)
		proc_retire(m, p, t);
}

size_t model_end(struct fs_model *m, uint64_t t)
{
	size_t open = m->live + m->zombies;

	if (t > m->now)
		m->now = t;
	procs_unreaped(m, proc_close_doubted, m->now);
	return open - (m->live + m->zombies);
}

/* A learner's answer to a lesson's question: a fact about the learner, not the tree. */
static int apply_answer(struct fs_model *m, const struct fs_event *e)
{
	(void)m;
	(void)e;
	return 0;
}

/* ---- the API --------------------------------------------------------------- */

int model_apply(struct fs_model *m, const struct fs_event *e)
{
	static int (*const handler[FS_EV_TYPE_MAX])(struct fs_model *, const struct fs_event *) = {
		[FS_EV_FORK] = apply_fork,       [FS_EV_FORK_RETURN] = apply_fork_return,
		[FS_EV_EXEC] = apply_exec,       [FS_EV_EXIT] = apply_exit,
		[FS_EV_REAP] = apply_reap,       [FS_EV_REPARENT] = apply_reparent,
		[FS_EV_STATE] = apply_state,     [FS_EV_SIGNAL] = apply_signal,
		[FS_EV_IPC] = apply_ipc,         [FS_EV_MARK] = apply_mark,
		[FS_EV_LOST] = apply_lost,       [FS_EV_OUTPUT] = apply_output,
		[FS_EV_TOTAL] = apply_total,     [FS_EV_EXISTING] = apply_existing,
		[FS_EV_CGROUP] = apply_cgroup,   [FS_EV_STEP] = apply_step,
		[FS_EV_ANSWER] = apply_answer,
	};
	int err;

	/* pid 0 cannot act; it may only reap (an unknown reaper) or signal (an interrupt) */
	if (e->type >= FS_EV_TYPE_MAX || !handler[e->type] ||
	    (!e->pid && e->type != FS_EV_LOST && e->type != FS_EV_REAP && e->type != FS_EV_STEP &&
	     !(e->type == FS_EV_SIGNAL && e->signal.op == FS_SIG_GENERATE))) {
		m->anomalies++;
		return -EINVAL;
	}
	if (e->ts > m->now)
		m->now = e->ts;
	err = handler[e->type](m, e);
	if (err == -EINVAL)
		m->anomalies++;
	return err;
}

struct fs_model *model_new(void)
{
	struct fs_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (htab_init(&m->procs) || htab_init(&m->chans) || htab_init(&m->ports)) {
		model_free(m);
		return NULL;
	}
	return m;
}

/* Frees p; its children become top-level, its endpoints go (and channels nobody else used). */
static void proc_forget(struct fs_model *m, struct model_proc *p)
{
	struct proc_node *n = proc_node(p);

	while (p->first_child) {
		struct model_proc *c = p->first_child;

		tree_unlink(m, c);
		tree_append(m, NULL, c);
	}
	tree_unlink(m, p);
	proc_drop_endpoints(m, p);
	if (n->hashed)
		htab_remove(&m->procs, &n->hash);
	if (m->root == p)
		m->root = NULL;
	if (!p->exited)
		m->live--;
	else if (p->state != MS_REAPED)
		m->zombies--;
	m->held--;
	image_unref(p->image);
	free(p->threads);
	free(p->signals);
	free(p->mark);
	free(n);
}

void model_free(struct fs_model *m)
{
	if (!m)
		return;
	while (m->top_first)
		proc_forget(m, m->top_first);
	while (m->chan_head) /* only a channel whose endpoint could not be allocated */
		chan_free(m, &m->chan_head->pub);
	free(m->procs.slot);
	free(m->chans.slot);
	free(m->ports.slot);
	free(m);
}

int model_seed_root(struct fs_model *m, uint32_t pid, uint32_t ppid, uint64_t t)
{
	struct model_proc *old = proc_live(m, pid);

	if (old)
		proc_retire(m, old, t);
	m->root = proc_new(m, pid, proc_live(m, ppid), ppid, t);
	return m->root ? 0 : -ENOMEM;
}

void model_forget_tombs_before(struct fs_model *m, uint64_t t)
{
	struct proc_node *n;

	while ((n = m->tomb_head) && n->pub.reaped_at < t) {
		m->tomb_head = n->tomb_next;
		if (!m->tomb_head)
			m->tomb_tail = NULL;
		proc_forget(m, &n->pub);
	}
}

const struct model_proc *model_find(const struct fs_model *m, uint32_t pid)
{
	return proc_cur(m, pid);
}

const struct model_proc *model_root(const struct fs_model *m)
{
	return m->root;
}

size_t model_live_count(const struct fs_model *m)
{
	return m->live;
}

size_t model_zombie_count(const struct fs_model *m)
{
	return m->zombies;
}

size_t model_proc_count(const struct fs_model *m)
{
	return m->held;
}

size_t model_chan_count(const struct fs_model *m)
{
	return m->nchans;
}

uint64_t model_seen_total(const struct fs_model *m)
{
	return m->proc_serial;
}

uint64_t model_reaped_total(const struct fs_model *m)
{
	return m->reaped;
}

uint64_t model_exit_unknown_total(const struct fs_model *m)
{
	return m->exit_unknown;
}

uint64_t model_frozen_ns(const struct fs_model *m)
{
	return m->frozen_ns;
}

uint64_t model_break_seq(const struct fs_model *m)
{
	return m->break_seq;
}

uint64_t model_lost(const struct fs_model *m)
{
	return m->lost;
}

uint64_t model_marks(const struct fs_model *m)
{
	return m->marks;
}

uint64_t model_anomalies(const struct fs_model *m)
{
	return m->anomalies;
}

uint64_t model_now(const struct fs_model *m)
{
	return m->now;
}

/* Iterative, so that a long fork chain cannot exhaust the stack. */
void model_for_each_proc(const struct fs_model *m,
			 void (*fn)(const struct model_proc *p, int depth, void *ctx), void *ctx)
{
	const struct model_proc *p = m->top_first;
	int depth = 0;

	while (p) {
		fn(p, depth, ctx);
		if (p->first_child) {
			p = p->first_child;
			depth++;
			continue;
		}
		while (p && !p->next_sibling) {
			p = p->parent;
			depth--;
		}
		if (p)
			p = p->next_sibling;
	}
}

void model_for_each_chan(const struct fs_model *m,
			 void (*fn)(const struct model_chan *c, void *ctx), void *ctx)
{
	for (const struct chan_node *n = m->chan_head; n; n = n->next)
		fn(&n->pub, ctx);
}

const struct model_chan *model_find_chan(const struct fs_model *m, uint32_t kind, uint64_t id)
{
	return chan_cur(m, kind, id);
}
