// SPDX-License-Identifier: GPL-2.0
/* A lesson's placeholders ({fork.child}, {exit.code}...) filled from the session being watched. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lesson_bind.h"
#include "names.h"

#define PH_MAX 160   /* the longest placeholder, braces excluded */
#define CHANS_MAX 64 /* channels made in the lesson's part that are remembered */

enum field_value { F_PID, F_CHILD, F_RET, F_CODE, F_SIG, F_OLD, F_NEW, F_TO, F_BYTES, F_WORD, F_SYSCALL };

/* KIND.FIELD: which events a kind counts, and what a field reads of them. */
struct field {
	const char *kind, *name;
	unsigned int type, sub; /* sub: the ipc op, or the state, that the kind counts */
	enum field_value value;
};

static const struct field fields[] = {
	{ "fork", "parent", FS_EV_FORK, 0, F_PID },
	{ "fork", "child", FS_EV_FORK, 0, F_CHILD },
	{ "fork_return", "pid", FS_EV_FORK_RETURN, 0, F_PID },
	{ "fork_return", "ret", FS_EV_FORK_RETURN, 0, F_RET },
	{ "exec", "pid", FS_EV_EXEC, 0, F_PID },
	{ "exit", "pid", FS_EV_EXIT, 0, F_PID },
	{ "exit", "code", FS_EV_EXIT, 0, F_CODE },
	{ "exit", "sig", FS_EV_EXIT, 0, F_SIG },
	{ "reap", "pid", FS_EV_REAP, 0, F_PID },
	{ "reap", "child", FS_EV_REAP, 0, F_CHILD },
	{ "reparent", "pid", FS_EV_REPARENT, 0, F_PID },
	{ "reparent", "old", FS_EV_REPARENT, 0, F_OLD },
	{ "reparent", "new", FS_EV_REPARENT, 0, F_NEW },
	{ "signal", "from", FS_EV_SIGNAL, 0, F_PID },
	{ "signal", "to", FS_EV_SIGNAL, 0, F_TO },
	{ "signal", "sig", FS_EV_SIGNAL, 0, F_SIG },
	{ "write", "pid", FS_EV_IPC, FS_IPC_WRITE, F_PID },
	{ "write", "bytes", FS_EV_IPC, FS_IPC_WRITE, F_BYTES },
	{ "read", "pid", FS_EV_IPC, FS_IPC_READ, F_PID },
	{ "read", "bytes", FS_EV_IPC, FS_IPC_READ, F_BYTES },
	{ "zombie", "pid", FS_EV_STATE, FS_STATE_ZOMBIE, F_PID },
	{ "blocked", "pid", FS_EV_STATE, FS_STATE_BLOCKED, F_PID },
	{ "blocked", "syscall", FS_EV_STATE, FS_STATE_BLOCKED, F_SYSCALL },
	{ "mark", "pid", FS_EV_MARK, 0, F_PID },
	{ "mark", NULL, FS_EV_MARK, 0, F_WORD }, /* mark(TEXT).W: the word W stood for */
};

/* One placeholder and what the session said of it so far. */
struct query {
	char *ph;                /* as written between the braces */
	const struct field *f;
	int nth, seen;
	uint32_t about;          /* KIND@PID: only events about that process; 0 any */
	char *pattern, *word;    /* mark(TEXT).FIELD */
	int known;
	struct lesson_value v;
};

struct lesson_bind {
	struct query *q;
	int nq;
	char *lesson;
	size_t start, scanned; /* the lesson's events begin at start; those before scanned were seen */
	int in_tour;           /* the part ends at the next tour mark */
	uint32_t tour_pid;     /* in a tour: the tour's own events are not the demo's */
	uint32_t tour_child;   /* nor is the 0 that the tour's fork of the demo returns in the demo */
	struct chan { unsigned int kind; uint64_t id; } chans[CHANS_MAX]; /* made in the part */
	int nchans;
	const struct lesson *step_lesson; /* lesson_bind_step: whose step's first mark is looked for */
	int step;
	struct lesson_value step_v;       /* that mark; event SIZE_MAX until it is seen */
};

int lesson_bind_new(struct lesson_bind **b)
{
	*b = calloc(1, sizeof(**b));
	return *b ? 0 : -ENOMEM;
}

static void queries_free(struct lesson_bind *b)
{
	for (int i = 0; i < b->nq; i++) {
		free(b->q[i].ph);
		free(b->q[i].pattern);
		free(b->q[i].word);
	}
	free(b->q);
	b->q = NULL;
	b->nq = 0;
}

void lesson_bind_free(struct lesson_bind *b)
{
	if (!b)
		return;
	queries_free(b);
	free(b->lesson);
	free(b);
}

/* ---- parsing a placeholder ---------------------------------------------------------- */

static const struct field *field_find(const char *kind, size_t kn, const char *name)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].kind) == kn && !memcmp(fields[i].kind, kind, kn) &&
		    (!fields[i].name || !strcmp(fields[i].name, name)))
			return &fields[i];
	return NULL;
}

/* "mark(TEXT).FIELD": the mark's pid, or the word of TEXT's placeholder FIELD. */
static int parse_mark(struct query *q, const char *ph)
{
	const char *close = strrchr(ph, ')');

	if (!close || close[1] != '.' || !close[2] || close == ph + 5)
		return -EINVAL;
	q->f = field_find("mark", 4, close + 2);
	q->pattern = strndup(ph + 5, (size_t)(close - ph) - 5);
	q->word = q->f->value == F_WORD ? strdup(close + 2) : NULL;
	return q->pattern && (q->word || q->f->value != F_WORD) ? 0 : -ENOMEM;
}

/* "KIND.FIELD", "KINDn.FIELD", and either with "@PID" before the dot. */
static int parse_kind(struct query *q, const char *ph)
{
	const char *dot = strchr(ph, '.'), *at;
	size_t kn, dn;
	char *end;

	if (!dot)
		return -EINVAL;
	at = memchr(ph, '@', (size_t)(dot - ph));
	kn = (size_t)((at ? at : dot) - ph);
	if (at) {
		unsigned long pid = strtoul(at + 1, &end, 10);

		if (end != dot || at + 1 == dot || !pid || pid > UINT32_MAX)
			return -EINVAL;
		q->about = (uint32_t)pid;
	}
	for (dn = 0; dn < kn && ph[kn - dn - 1] >= '0' && ph[kn - dn - 1] <= '9'; dn++)
		;
	q->nth = dn ? atoi(ph + kn - dn) : 1;
	q->f = field_find(ph, kn - dn, dot + 1);
	return q->f && q->f->name && q->nth > 0 && dn < 6 ? 0 : -EINVAL;
}

static int query_parse(struct query *q, const char *ph, size_t n)
{
	memset(q, 0, sizeof(*q));
	q->nth = 1;
	if (!n || n > PH_MAX || memchr(ph, '\n', n) || memchr(ph, '{', n))
		return -EINVAL;
	if (!(q->ph = strndup(ph, n)))
		return -ENOMEM;
	return !strncmp(q->ph, "mark(", 5) ? parse_mark(q, q->ph) : parse_kind(q, q->ph);
}

/* ---- matching events ---------------------------------------------------------------- */

static int chan_made(const struct lesson_bind *b, unsigned int kind, uint64_t id)
{
	for (int i = 0; i < b->nchans; i++)
		if (b->chans[i].kind == kind && b->chans[i].id == id)
			return 1;
	return 0;
}

static void chan_add(struct lesson_bind *b, unsigned int kind, uint64_t id)
{
	if (b->nchans < CHANS_MAX && !chan_made(b, kind, id))
		b->chans[b->nchans++] = (struct chan){ kind, id };
}

/*
 * The channels the lesson's part makes: data counts on them only, not on
 * what the demo inherited (its stdout is a pipe when recorded into one).
 */
static void note_chan(struct lesson_bind *b, const struct fs_event *e)
{
	if (e->type != FS_EV_IPC || e->ipc.bytes < 0)
		return;
	switch (e->ipc.op) {
	case FS_IPC_SOCKETPAIR:
		chan_add(b, e->ipc.chan_kind, e->ipc.peer);
		/* fallthrough */
	case FS_IPC_PIPE: case FS_IPC_SOCKET: case FS_IPC_ACCEPT: case FS_IPC_OPEN:
	case FS_IPC_MQ_OPEN: case FS_IPC_SHMGET: case FS_IPC_SEMGET: case FS_IPC_MSGGET:
		chan_add(b, e->ipc.chan_kind, e->ipc.chan);
		break;
	default: break;
	}
}

/* The process an event is about, for KIND@PID: the reaped, the signalled; else the one acting. */
static uint32_t about(const struct fs_event *e)
{
	return e->type == FS_EV_REAP ? e->reap.child : e->type == FS_EV_SIGNAL ? e->signal.target_pid : e->pid;
}

/* Whether e is an event of q's kind: processes, not threads; a signal when it is sent. */
static int counts(const struct lesson_bind *b, const struct query *q, const struct fs_event *e,
		  struct lesson_word *w)
{
	size_t n;

	if (e->type != q->f->type || (q->about && about(e) != q->about))
		return 0;
	switch (e->type) {
	case FS_EV_FORK: return !e->fork.thread;
	case FS_EV_EXIT: return !e->exit.thread;
	case FS_EV_SIGNAL: return e->signal.op == FS_SIG_GENERATE;
	case FS_EV_STATE: return e->state.state == q->f->sub;
	case FS_EV_IPC:
		return e->ipc.op == q->f->sub && e->ipc.bytes >= 0 && chan_made(b, e->ipc.chan_kind, e->ipc.chan);
	case FS_EV_MARK:
		n = e->mark.len < FS_MARK_LEN ? e->mark.len : FS_MARK_LEN;
		if (w)
			*w = (struct lesson_word){ .name = q->word, .len = strlen(q->word) };
		return !lesson_mark_fits(q->pattern, strlen(q->pattern), e->mark.text, n, w);
	default: return 1;
	}
}

static long number(const struct fs_event *e, enum field_value f)
{
	switch (f) {
	case F_CHILD: return e->type == FS_EV_FORK ? e->fork.child_pid : e->reap.child;
	case F_RET: return (long)e->fork_return.ret;
	case F_CODE: return e->exit.code;
	case F_OLD: return e->reparent.old_parent;
	case F_NEW: return e->reparent.new_parent;
	case F_TO: return e->signal.target_pid;
	case F_BYTES: return (long)e->ipc.bytes;
	default: return e->pid;
	}
}

static void value_set(struct query *q, const struct fs_event *e, size_t i, const struct lesson_word *w)
{
	char sig[32];

	if (q->f->value == F_WORD)
		snprintf(q->v.text, sizeof(q->v.text), "%.*s", (int)w->n, e->mark.text + w->at);
	else if (q->f->value == F_SYSCALL)
		snprintf(q->v.text, sizeof(q->v.text), "%s", fs_syscall_name(e->state.sysnr, sig, sizeof(sig)));
	else if (q->f->value == F_SIG)
		snprintf(q->v.text, sizeof(q->v.text), "%s",
			 fs_signal_name(e->type == FS_EV_EXIT ? (int)e->exit.sig : (int)e->signal.sig, sig, sizeof(sig)));
	else
		snprintf(q->v.text, sizeof(q->v.text), "%ld", number(e, q->f->value));
	q->v.event = i;
	q->v.pid = e->pid;
	q->known = 1;
}

static void query_see(const struct lesson_bind *b, struct query *q, const struct fs_event *e, size_t i)
{
	struct lesson_word w = { 0 };

	if (!q->known && counts(b, q, e, q->word ? &w : NULL) && ++q->seen == q->nth)
		value_set(q, e, i, &w);
}

static int tour_mark(const struct fs_event *e, const char *name)
{
	size_t n = lesson_tour_mark(e);

	return n && (!name || (strlen(name) == n && !memcmp(e->mark.text + strlen(LESSON_TOUR_MARK), name, n)));
}

/* The first mark that lesson_match gives the step looked for: the one that made it current. */
static void step_see(struct lesson_bind *b, const struct fs_event *e, size_t i)
{
	size_t n = e->mark.len < FS_MARK_LEN ? e->mark.len : FS_MARK_LEN;

	if (!b->step_lesson || b->step_v.event != SIZE_MAX || e->type != FS_EV_MARK || tour_mark(e, NULL))
		return; /* a tour mark switches lessons: it begins no step (session.c's follow_lesson) */
	if (lesson_match(b->step_lesson, e->mark.text, n) != b->step)
		return;
	snprintf(b->step_v.text, sizeof(b->step_v.text), "%u", e->pid);
	b->step_v.event = i;
	b->step_v.pid = e->pid;
}

/* Shows events [from, to) to queries [q, q + nq); returns where it stopped: the tour's next demo, or to. */
static size_t scan(struct lesson_bind *b, const struct session *s, struct query *q, int nq,
		   size_t from, size_t to)
{
	for (size_t i = from > session_first(s) ? from : session_first(s); i < to; i++) {
		const struct fs_event *e = session_peek(s, i);

		if (!e)
			continue;
		if (b->in_tour && tour_mark(e, NULL))
			return i;
		if (b->in_tour && e->pid == b->tour_pid) {
			if (e->type == FS_EV_FORK && !e->fork.thread)
				b->tour_child = e->fork.child_pid;
			continue;
		}
		if (b->in_tour && e->type == FS_EV_FORK_RETURN && e->pid == b->tour_child && e->fork_return.ret == 0)
			continue;
		note_chan(b, e);
		step_see(b, e, i);
		for (int k = 0; k < nq; k++)
			query_see(b, &q[k], e, i);
	}
	return to;
}

/* ---- following the session ------------------------------------------------------------ */

/* In a tour the lesson's part starts after its "tour: NAME" mark; else with the session. */
static void restart(struct lesson_bind *b, const struct session *s, const char *name)
{
	size_t i = session_applied(s);

	queries_free(b);
	free(b->lesson);
	b->lesson = strdup(name);
	b->in_tour = 0;
	b->tour_child = 0;
	b->nchans = 0;
	b->step_v.event = SIZE_MAX;
	b->start = 0;
	while (i-- > session_first(s)) {
		const struct fs_event *e = session_peek(s, i);

		if (e && tour_mark(e, name)) {
			b->start = i + 1;
			b->in_tour = 1;
			b->tour_pid = e->pid;
			break;
		}
	}
	b->scanned = b->start;
}

void lesson_bind_update(struct lesson_bind *b, const struct session *s, const char *name)
{
	size_t applied = session_applied(s);

	if (!b->lesson || strcmp(b->lesson, name) || applied < b->scanned)
		restart(b, s, name);
	if (b->lesson && applied > b->scanned)
		b->scanned = scan(b, s, b->q, b->nq, b->scanned, applied);
}

int lesson_bind_get(struct lesson_bind *b, const struct session *s, const char *ph, size_t n,
		    struct lesson_value *v)
{
	struct query *q, nq;
	int err;

	for (int i = 0; i < b->nq; i++) {
		q = &b->q[i];
		if (strlen(q->ph) == n && !memcmp(q->ph, ph, n)) {
			*v = q->v;
			return q->known ? 0 : -ENOENT;
		}
	}
	err = query_parse(&nq, ph, n);
	if (!err && !(q = realloc(b->q, (size_t)(b->nq + 1) * sizeof(*q))))
		err = -ENOMEM;
	if (err) {
		free(nq.ph), free(nq.pattern), free(nq.word);
		return err;
	}
	b->q = q;
	q[b->nq] = nq;
	scan(b, s, &q[b->nq], 1, b->start, b->scanned);
	*v = q[b->nq].v;
	return q[b->nq++].known ? 0 : -ENOENT;
}

int lesson_bind_step(struct lesson_bind *b, const struct session *s, const struct lesson *l, int step,
		     struct lesson_value *v)
{
	if (b->step_lesson != l || b->step != step) {
		b->step_lesson = l;
		b->step = step;
		b->step_v.event = SIZE_MAX;
		if (b->lesson)
			scan(b, s, NULL, 0, b->start, b->scanned);
	}
	*v = b->step_v;
	return v->event == SIZE_MAX ? -ENOENT : 0;
}

/* ---- filling text --------------------------------------------------------------------- */

struct out {
	char *s;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	n = n < o->cap - o->len - 1 ? n : o->cap - o->len - 1;
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

void lesson_bind_fill(struct lesson_bind *b, const struct session *s, const char *text,
		      const char *unknown, int flags, char *out, size_t len, struct lesson_value *link)
{
	struct out o = { out, 0, len };
	struct lesson_value v;

	if (!len)
		return;
	out[0] = '\0';
	if (link)
		link->event = SIZE_MAX;
	for (const char *p = text; *p; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		int err = close ? lesson_bind_get(b, s, p + 1, (size_t)(close - p) - 1, &v) : -EINVAL;

		if (*p == '`' && !(flags & LESSON_FILL_CODE))
			continue;
		if (err == -EINVAL || err == -ENOMEM) {
			put(&o, p, 1);
			continue;
		}
		put(&o, err ? unknown : v.text, strlen(err ? unknown : v.text));
		if (!err && link && link->event == SIZE_MAX)
			*link = v;
		p = close;
	}
}
