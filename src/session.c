// SPDX-License-Identifier: GPL-2.0
/* One traced session as the TUI sees it: every event, the model built from a prefix of them, and what the views need besides. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "session.h"
#include "grow.h"

#define OUTPUT_LINES 4000
#define TOMB_KEEP_NS 60000000000ull   /* the model forgets tombs reaped this long ago */
#define FORGET_EVERY_NS 1000000000ull
#define ANIM_BUCKETS 4096              /* a power of two */
#define MAX_LESSONS 32

struct anim_node {
	struct session_anim a;
	uint64_t reaped_ts; /* session time of its reap, 0 while alive */
	struct anim_node *next;
};

struct session {
	/* the store: event i (absolute) is at arena + off[i - first] */
	unsigned char *arena;
	size_t arena_len, arena_cap;
	size_t *off;
	size_t noff, off_cap;
	size_t first, applied;

	struct fs_model *model;
	int ended, end_applied; /* the source is done; the model has been told */
	uint32_t root_pid, root_parent;
	uint64_t last_forget;
	struct anim_node *anim[ANIM_BUCKETS];
	uint64_t last_change;
	struct line_buf *output;

	char *lesson_dir, *demo;
	char *cgroup;
	struct lesson *lessons[MAX_LESSONS]; /* loaded so far */
	int nlessons, tried_lessons;
	struct lesson *lesson;
	int step;
};

int session_new(struct session **out)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->model = model_new();
	if (!s->model || lines_new(&s->output, OUTPUT_LINES)) {
		session_free(s);
		return -ENOMEM;
	}
	s->step = -1;
	*out = s;
	return 0;
}

static void anim_clear(struct session *s)
{
	for (size_t i = 0; i < ANIM_BUCKETS; i++) {
		while (s->anim[i]) {
			struct anim_node *n = s->anim[i];

			s->anim[i] = n->next;
			free(n);
		}
	}
}

void session_free(struct session *s)
{
	if (!s)
		return;
	anim_clear(s);
	model_free(s->model);
	lines_free(s->output);
	for (int i = 0; i < s->nlessons; i++)
		lesson_free(s->lessons[i]);
	free(s->lesson_dir);
	free(s->demo);
	free(s->cgroup);
	free(s->arena);
	free(s->off);
	free(s);
}

void session_set_root(struct session *s, uint32_t pid, uint32_t parent)
{
	s->root_pid = pid;
	s->root_parent = parent;
	if (pid)
		model_seed_root(s->model, pid, parent, 0);
}

int session_set_cgroup(struct session *s, const char *name)
{
	free(s->cgroup);
	s->cgroup = name && name[0] ? strdup(name) : NULL;
	return name && name[0] && !s->cgroup ? -ENOMEM : 0;
}

const char *session_cgroup(const struct session *s)
{
	return s->cgroup;
}

/* The lesson of demo, loaded once; NULL when there is none. */
static struct lesson *lesson_get(struct session *s, const char *demo)
{
	struct lesson *l;

	for (int i = 0; i < s->nlessons; i++)
		if (!strcmp(s->lessons[i]->name, demo))
			return s->lessons[i];
	if (!s->lesson_dir || s->tried_lessons >= MAX_LESSONS)
		return NULL;
	s->tried_lessons++;
	if (lesson_load_lang(&l, s->lesson_dir, demo))
		return NULL;
	s->lessons[s->nlessons++] = l;
	return l;
}

void session_set_lesson(struct session *s, const char *dir, const char *demo)
{
	free(s->lesson_dir);
	free(s->demo);
	s->lesson_dir = dir ? strdup(dir) : NULL;
	s->demo = demo ? strdup(demo) : NULL;
	s->lesson = s->demo ? lesson_get(s, s->demo) : NULL;
	s->step = -1;
}

/* The bytes of an event that its type uses: the header and its own payload. */
static size_t event_size(const struct fs_event *e)
{
	static const size_t payload[FS_EV_TYPE_MAX] = {
		[FS_EV_FORK] = sizeof(struct fs_ev_fork),
		[FS_EV_FORK_RETURN] = sizeof(struct fs_ev_fork_return),
		[FS_EV_EXEC] = sizeof(struct fs_ev_exec),
		[FS_EV_EXIT] = sizeof(struct fs_ev_exit),
		[FS_EV_REAP] = sizeof(struct fs_ev_reap),
		[FS_EV_REPARENT] = sizeof(struct fs_ev_reparent),
		[FS_EV_STATE] = sizeof(struct fs_ev_state),
		[FS_EV_SIGNAL] = sizeof(struct fs_ev_signal),
		[FS_EV_IPC] = sizeof(struct fs_ev_ipc),
		[FS_EV_MARK] = sizeof(struct fs_ev_mark),
		[FS_EV_LOST] = sizeof(struct fs_ev_lost),
		[FS_EV_OUTPUT] = sizeof(struct fs_ev_output),
		[FS_EV_TOTAL] = sizeof(struct fs_ev_total),
		[FS_EV_EXISTING] = sizeof(struct fs_ev_existing),
		[FS_EV_CGROUP] = sizeof(struct fs_ev_cgroup),
		[FS_EV_STEP] = sizeof(struct fs_ev_step),
		[FS_EV_ANSWER] = sizeof(struct fs_ev_answer),
	};
	/* a type this table does not know yet is stored whole */
	size_t n = e->type < FS_EV_TYPE_MAX && payload[e->type] ? FS_EVENT_HDR_SIZE + payload[e->type]
								: sizeof(*e);

	return (n + 7) & ~(size_t)7;
}

int session_append(struct session *s, const struct fs_event *e)
{
	size_t n = event_size(e);

	if (grow_array(&s->arena, &s->arena_cap, s->arena_len + n, 1) ||
	    grow_array(&s->off, &s->off_cap, s->noff + 1, sizeof(*s->off)))
		return -ENOMEM;
	memcpy(s->arena + s->arena_len, e, n > sizeof(*e) ? sizeof(*e) : n);
	s->off[s->noff++] = s->arena_len;
	s->arena_len += n;
	return 0;
}

size_t session_count(const struct session *s)
{
	return s->first + s->noff;
}

size_t session_first(const struct session *s)
{
	return s->first;
}

size_t session_applied(const struct session *s)
{
	return s->applied;
}

int session_event(const struct session *s, size_t i, struct fs_event *e)
{
	size_t k = i - s->first, end;

	if (i < s->first || k >= s->noff)
		return -ENOENT;
	end = k + 1 < s->noff ? s->off[k + 1] : s->arena_len;
	memset(e, 0, sizeof(*e));
	memcpy(e, s->arena + s->off[k], end - s->off[k]);
	return 0;
}

const struct fs_event *session_peek(const struct session *s, size_t i)
{
	if (i < s->first || i - s->first >= s->noff)
		return NULL;
	return (const struct fs_event *)(s->arena + s->off[i - s->first]);
}

static uint64_t event_ts(const struct session *s, size_t k)
{
	return session_peek(s, s->first + k)->ts;
}

size_t session_find_time(const struct session *s, uint64_t t)
{
	size_t lo = 0, hi = s->noff;

	/* timestamps from different CPUs may be a little out of order: close enough for seeking */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (event_ts(s, mid) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return s->first + lo;
}

void session_trim(struct session *s, size_t keep)
{
	size_t drop, bytes;

	if (s->applied - s->first <= keep * 2)
		return; /* trim in big steps, so the copying stays cheap */
	drop = s->applied - s->first - keep;
	bytes = s->off[drop];
	memmove(s->arena, s->arena + bytes, s->arena_len - bytes);
	s->arena_len -= bytes;
	for (size_t k = drop; k < s->noff; k++)
		s->off[k - drop] = s->off[k] - bytes;
	s->noff -= drop;
	s->first += drop;
}

/* ---- animation stamps ------------------------------------------------------ */

static struct anim_node **anim_slot(const struct session *s, uint64_t serial)
{
	return (struct anim_node **)&s->anim[(serial * 0x9e3779b97f4a7c15ull >> 40) & (ANIM_BUCKETS - 1)];
}

static struct anim_node *anim_find(const struct session *s, uint64_t serial)
{
	for (struct anim_node *n = *anim_slot(s, serial); n; n = n->next)
		if (n->a.serial == serial)
			return n;
	return NULL;
}

const struct session_anim *session_anim(const struct session *s, uint64_t serial)
{
	const struct anim_node *n = anim_find(s, serial);

	return n ? &n->a : NULL;
}

/* The stamps of pid's current incarnation, created on first use; NULL if the model has no such process. */
static struct anim_node *anim_of(struct session *s, uint32_t pid)
{
	const struct model_proc *p = pid ? model_find(s->model, pid) : NULL;
	struct anim_node **slot, *n;

	if (!p)
		return NULL;
	if ((n = anim_find(s, p->serial)))
		return n;
	slot = anim_slot(s, p->serial);
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->a.serial = p->serial;
	n->next = *slot;
	*slot = n;
	return n;
}

/* Drops the stamps of processes the model has forgotten (reaped before t). */
static void anim_forget(struct session *s, uint64_t t)
{
	for (size_t i = 0; i < ANIM_BUCKETS; i++) {
		struct anim_node **pp = &s->anim[i];

		while (*pp) {
			struct anim_node *n = *pp;

			if (n->reaped_ts && n->reaped_ts < t) {
				*pp = n->next;
				free(n);
			} else {
				pp = &n->next;
			}
		}
	}
}

static void stamp(struct session *s, uint64_t *field, uint64_t ui_now)
{
	*field = ui_now;
	s->last_change = ui_now;
}

static void animate_signal(struct session *s, const struct fs_event *e, uint64_t ui_now)
{
	struct anim_node *n;

	if (e->signal.op != FS_SIG_GENERATE || !(n = anim_of(s, e->signal.target_pid)))
		return;
	stamp(s, &n->a.signalled, ui_now);
	n->a.sig = e->signal.sig;
	n->a.sig_from = e->pid;
}

/* Stamps what the event made visible; before is the subject's state before it applied. */
static void animate(struct session *s, const struct fs_event *e, int before, uint64_t ui_now)
{
	struct anim_node *n = anim_of(s, e->type == FS_EV_REAP ? e->reap.child : e->pid);

	if (e->type == FS_EV_FORK && !e->fork.thread) {
		struct anim_node *c = anim_of(s, e->fork.child_pid);

		if (c)
			stamp(s, &c->a.born, ui_now);
		return;
	}
	if (e->type == FS_EV_SIGNAL) {
		animate_signal(s, e, ui_now);
		return;
	}
	if (!n)
		return;
	switch (e->type) {
	case FS_EV_FORK_RETURN: stamp(s, &n->a.forked, ui_now); break;
	case FS_EV_REPARENT: stamp(s, &n->a.reparented, ui_now); break;
	case FS_EV_IPC: stamp(s, &n->a.io, ui_now); break;
	case FS_EV_MARK: stamp(s, &n->a.marked, ui_now); break;
	case FS_EV_REAP: stamp(s, &n->a.reaped, ui_now); break;
	case FS_EV_EXEC: case FS_EV_EXIT: stamp(s, &n->a.changed, ui_now); break;
	case FS_EV_STATE:
		if (model_find(s->model, e->pid)->state != before)
			stamp(s, &n->a.changed, ui_now);
		break;
	default: break;
	}
}

/* ---- applying ---------------------------------------------------------------- */

static void follow_lesson(struct session *s, const struct fs_event *e)
{
	size_t n = lesson_tour_mark(e), len = e->mark.len < FS_MARK_LEN ? e->mark.len : FS_MARK_LEN;
	int step;

	if (n) {
		char name[FS_MARK_LEN];
		struct lesson *l;

		snprintf(name, sizeof(name), "%.*s", (int)n, e->mark.text + strlen(LESSON_TOUR_MARK));
		name[strcspn(name, "\n ")] = '\0';
		if ((l = lesson_get(s, name))) {
			s->lesson = l;
			s->step = 0;
		}
		return;
	}
	step = s->lesson ? lesson_match(s->lesson, e->mark.text, len) : -1;
	if (step > s->step)
		s->step = step;
}

/*
 * The reap of a process with stamps, for forgetting them with it. One without
 * (nothing animated it: a rebuild, a headless replay) gets none: no stamps
 * and zero stamps look the same to the views.
 */
static void note_reap(struct session *s, const struct fs_event *e)
{
	const struct model_proc *p = model_find(s->model, e->reap.child);
	struct anim_node *n = p ? anim_find(s, p->serial) : NULL;

	if (n)
		n->reaped_ts = e->ts ? e->ts : 1;
}

static void apply(struct session *s, const struct fs_event *e, uint64_t ui_now)
{
	const struct model_proc *p = ui_now ? model_find(s->model, e->pid) : NULL;
	int before = p ? p->state : -1; /* only animate needs it */
	uint64_t now;

	model_apply(s->model, e);
	if (e->type == FS_EV_OUTPUT)
		lines_feed(s->output, e->pid, e->ts, e->output.text,
			   e->output.len < FS_OUTPUT_LEN ? e->output.len : FS_OUTPUT_LEN);
	else if (e->type == FS_EV_MARK)
		follow_lesson(s, e);
	if (s->step < 0 && s->lesson)
		s->step = 0; /* the first step is the start, before any mark */
	if (ui_now)
		animate(s, e, before, ui_now);
	if (e->type == FS_EV_REAP)
		note_reap(s, e); /* after animate, which gave it the stamps to forget */
	now = model_now(s->model);
	if (now >= s->last_forget + FORGET_EVERY_NS && now > TOMB_KEEP_NS) {
		model_forget_tombs_before(s->model, now - TOMB_KEEP_NS);
		anim_forget(s, now - TOMB_KEEP_NS);
		s->last_forget = now;
	}
}

/* After the source's last event, the model learns that nothing follows: once per model. */
static void end_if_done(struct session *s)
{
	if (s->ended && !s->end_applied && s->applied == session_count(s)) {
		model_end(s->model, model_now(s->model));
		s->end_applied = 1;
	}
}

void session_end(struct session *s)
{
	s->ended = 1;
	end_if_done(s);
}

int session_apply_next(struct session *s, uint64_t ui_now)
{
	const struct fs_event *e = session_peek(s, s->applied);

	if (!e)
		return 0;
	apply(s, e, ui_now);
	s->applied++;
	end_if_done(s);
	return 1;
}

static int rebuild(struct session *s)
{
	struct fs_model *m = model_new();

	if (!m)
		return -ENOMEM;
	model_free(s->model);
	s->model = m;
	anim_clear(s);
	s->last_change = 0; /* nothing a rebuild applies is animated */
	lines_reset(s->output);
	s->lesson = s->demo ? lesson_get(s, s->demo) : NULL;
	s->step = -1;
	s->applied = 0;
	s->last_forget = 0;
	s->end_applied = 0;
	session_set_root(s, s->root_pid, s->root_parent);
	return 0;
}

int session_seek(struct session *s, size_t n)
{
	int err;

	if (n > session_count(s))
		n = session_count(s);
	if (n < s->applied) {
		if (s->first)
			return -EINVAL;
		err = rebuild(s);
		if (err)
			return err;
	}
	while (s->applied < n && session_apply_next(s, 0))
		;
	end_if_done(s); /* a log without events: nothing to apply, but it did end */
	return 0;
}

const struct fs_model *session_model(const struct session *s)
{
	return s->model;
}

const struct line_buf *session_output(const struct session *s)
{
	return s->output;
}

const struct lesson *session_lesson(const struct session *s)
{
	return s->lesson;
}

int session_lesson_step(const struct session *s)
{
	return s->step;
}

uint64_t session_last_change(const struct session *s)
{
	return s->last_change;
}
