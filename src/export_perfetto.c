// SPDX-License-Identifier: GPL-2.0
/* `export --format perfetto`: the Chrome/Perfetto JSON trace, one track per process, states as slices. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "export_filter.h"
#include "export_impl.h"
#include "export_timeline.h"
#include "log.h"
#include "names.h"
#include "grow.h"

/*
 * The JSON Object Format of the Trace Event Format (the Chromium document,
 * as Perfetto's JSON importer and Chrome DevTools' trace engine read it):
 * complete events ("X") for states and IPC calls, thread-scoped instants
 * ("I": DevTools ignores the lowercase "i" that Perfetto also accepts), and
 * flow events v1 ("s"/"f") for forks and data (DevTools knows no v2 bind_id).
 * Every record is buffered and written sorted by time; each flow event sits
 * right beside the record it binds to (see flow_add).
 */
enum pf_class { PF_STATE, PF_IPC, PF_INSTANT, PF_GLOBAL };

struct pf_rec {
	uint64_t ts, dur;
	uint64_t order;    /* the creation number; a flow event takes that of the record it binds to */
	uint64_t n;        /* the creation number, which breaks the remaining ties */
	const struct export_proc *ep; /* the track; NULL for a global instant */
	char ph;
	uint8_t cls;
	uint8_t sub;       /* at one order: 0 a flow's end, 1 the record it binds to, 2 a flow's start */
	const char *cat;
	char *name;
	char *args;        /* a JSON object, or NULL */
	uint64_t id;       /* a flow's id */
};

/* A fork whose arrow waits for the child to return from it. */
struct pf_fork {
	const struct export_proc *child;
	size_t at;         /* the parent's fork instant, an index into recs */
};

struct pf {
	const struct export_ctx *x;
	struct pf_rec *recs;
	size_t n, cap;
	uint64_t flows;
	struct pf_fork *forks;
	size_t nforks, forks_cap;
};

/* A JSON object built in memory, one key at a time. */
struct pf_args {
	FILE *f;
	char *buf;
	size_t len;
	int n;
};

static int args_open(struct pf_args *a)
{
	a->n = 0;
	a->f = open_memstream(&a->buf, &a->len);
	if (!a->f)
		return -ENOMEM;
	fputc('{', a->f);
	return 0;
}

static FILE *arg(struct pf_args *a, const char *key)
{
	fprintf(a->f, "%s\"%s\":", a->n++ ? "," : "", key);
	return a->f;
}

static void arg_str(struct pf_args *a, const char *key, const char *s, size_t n)
{
	fputc('"', arg(a, key));
	export_put_text(a->f, s, n, EXPORT_JSON);
	fputc('"', a->f);
}

static char *args_close(struct pf_args *a)
{
	fputc('}', a->f);
	if (fclose(a->f)) {
		free(a->buf);
		return NULL;
	}
	return a->buf;
}

/* Adds a record; name is copied. Returns it, or NULL when out of memory (args is freed). */
static struct pf_rec *rec_add(struct pf *pf, char ph, uint8_t cls, const struct export_proc *ep,
			      uint64_t ts, const char *cat, const char *name, char *args)
{
	struct pf_rec *r;

	if (grow_array(&pf->recs, &pf->cap, pf->n + 1, sizeof(*pf->recs))) {
		free(args);
		return NULL;
	}
	r = &pf->recs[pf->n];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	if (!r->name) {
		free(args);
		return NULL;
	}
	pf->n++;
	r->ph = ph;
	r->cls = cls;
	r->ep = ep;
	r->ts = ts;
	r->cat = cat;
	r->args = args;
	r->order = r->n = pf->n;
	r->sub = 1;
	return r;
}

static struct export_proc *track(const struct pf *pf, uint32_t pid)
{
	struct export_tl *tl = pf->x->tl;
	struct export_proc *ep = export_tl_proc(tl, model_find(export_tl_model(tl), pid));

	return ep && ep->in_tree ? ep : NULL;
}

static void name_exec(char *name, size_t len, const struct fs_event *e)
{
	size_t n = e->exec.filename_len < FS_PATH_LEN ? e->exec.filename_len : FS_PATH_LEN;
	const char *base = memrchr(e->exec.filename, '/', n);

	base = base ? base + 1 : e->exec.filename;
	snprintf(name, len, "exec %.*s%s", (int)(e->exec.filename + n - base), base,
		 e->exec.result ? " (failed)" : "");
}

static void args_exec(struct pf_args *a, const struct fs_event *e)
{
	const struct fs_ev_exec *x = &e->exec;
	size_t len = x->argv_len < FS_ARGV_LEN ? x->argv_len : FS_ARGV_LEN;
	char buf[FS_NAME_BUF];

	arg_str(a, "filename", x->filename, x->filename_len < FS_PATH_LEN ? x->filename_len : FS_PATH_LEN);
	fputc('[', arg(a, "argv"));
	for (size_t i = 0; i < len;) {
		const char *nul = memchr(x->argv + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - x->argv) - i : len - i;

		fputs(i ? ",\"" : "\"", a->f);
		export_put_text(a->f, x->argv + i, n, EXPORT_JSON);
		fputc('"', a->f);
		i += n + 1;
	}
	fputc(']', a->f);
	fprintf(arg(a, "result"), "%d", x->result);
	if (x->result < 0)
		fprintf(arg(a, "errno"), "\"%s\"", fs_errno_name(-x->result, buf, sizeof(buf)));
}

static void describe_exit(struct pf_args *a, char *name, size_t len, const struct fs_event *e)
{
	char buf[FS_NAME_BUF];

	if (e->exit.sig) {
		const char *sig = fs_signal_name((int)e->exit.sig, buf, sizeof(buf));

		snprintf(name, len, "killed by %s", sig);
		fprintf(arg(a, "signal"), "\"%s\"", sig);
		fprintf(arg(a, "core"), "%s", e->exit.core ? "true" : "false");
	} else {
		snprintf(name, len, "exit %u", e->exit.code);
		fprintf(arg(a, "code"), "%u", e->exit.code);
	}
	fprintf(arg(a, "thread"), "%s", e->exit.thread ? "true" : "false");
}

static void describe_signal(struct pf_args *a, char *name, size_t len, const struct fs_event *e)
{
	const struct fs_ev_signal *s = &e->signal;
	const char *op = fs_name_get(&fs_signal_ops, s->op);
	const char *res = fs_name_get(s->op == FS_SIG_DELIVER ? &fs_sig_actions : &fs_sig_results, s->result);

	char buf[FS_NAME_BUF];

	snprintf(name, len, "%s", fs_signal_name((int)s->sig, buf, sizeof(buf)));
	fprintf(arg(a, "op"), "\"%s\"", op ? op : "?");
	fprintf(arg(a, "from"), "%u", e->pid);
	fprintf(arg(a, "to"), "%u", s->target_pid);
	fprintf(arg(a, "result"), "\"%s\"", res ? res : "?");
}

/* The instant's name and args; the track it belongs on, NULL when that process is not shown. */
static struct export_proc *describe(struct pf *pf, struct pf_args *a, char *name, size_t len,
				    const struct fs_event *e)
{
	switch (e->type) {
	case FS_EV_FORK:
		snprintf(name, len, "%s %u", e->fork.thread ? "thread" : "fork",
			 e->fork.thread ? e->fork.child_tid : e->fork.child_pid);
		fprintf(arg(a, "child"), "%u", e->fork.child_pid);
		fprintf(arg(a, "child_tid"), "%u", e->fork.child_tid);
		break;
	case FS_EV_EXEC: name_exec(name, len, e); args_exec(a, e); break;
	case FS_EV_EXIT: describe_exit(a, name, len, e); break;
	case FS_EV_REAP:
		if (e->reap.autoreap)
			snprintf(name, len, "reaped by the kernel");
		else
			snprintf(name, len, "reaped by %u", e->pid);
		fprintf(arg(a, "auto"), "%s", e->reap.autoreap ? "true" : "false");
		return track(pf, e->reap.child);
	case FS_EV_EXISTING:
		snprintf(name, len, "already running");
		fprintf(arg(a, "ppid"), "%u", e->existing.ppid);
		fprintf(arg(a, "age_ns"), "%llu", (unsigned long long)e->existing.age_ns);
		break;
	case FS_EV_CGROUP:
		snprintf(name, len, e->cgroup.op == FS_CG_ENTER ? "entered the cgroup" : "left the cgroup");
		fprintf(arg(a, "cgroup_id"), "%llu", (unsigned long long)e->cgroup.cgroup_id);
		fprintf(arg(a, "ppid"), "%u", e->cgroup.proc.ppid);
		break;
	case FS_EV_REPARENT:
		snprintf(name, len, "reparented to %u", e->reparent.new_parent);
		fprintf(arg(a, "old_parent"), "%u", e->reparent.old_parent);
		break;
	case FS_EV_SIGNAL:
		describe_signal(a, name, len, e);
		if (e->signal.op == FS_SIG_GENERATE && !track(pf, e->pid))
			return track(pf, e->signal.target_pid); /* sent from outside the tree */
		break;
	case FS_EV_MARK:
		snprintf(name, len, "%.*s", (int)strnlen(e->mark.text, e->mark.len < FS_MARK_LEN ? e->mark.len : FS_MARK_LEN), e->mark.text);
		break;
	case FS_EV_OUTPUT:
		snprintf(name, len, "output");
		arg_str(a, "text", e->output.text, e->output.len < FS_OUTPUT_LEN ? e->output.len : FS_OUTPUT_LEN);
		break;
	default:
		return NULL; /* fork_return and total are not drawn; state and ipc are slices */
	}
	return track(pf, e->pid);
}

static int pf_instant(struct pf *pf, const struct fs_event *e)
{
	char name[160], *args;
	const char *cat = fs_name_get(&fs_event_types, e->type);
	struct export_proc *ep;
	struct pf_args a;

	if (args_open(&a))
		return -ENOMEM;
	fprintf(arg(&a, "tid"), "%u", e->tid);
	name[0] = '\0';
	ep = describe(pf, &a, name, sizeof(name), e);
	args = args_close(&a);
	if (!args)
		return -ENOMEM;
	if (!ep) {
		free(args);
		return 0;
	}
	return rec_add(pf, 'I', PF_INSTANT, ep, e->ts, cat, name, args) ? 0 : -ENOMEM;
}

/* A freeze ("frozen at the fork of 5856, 2 held by the cgroup freezer") or a thaw, in English as every name here. */
static void name_step(char *name, size_t len, const struct fs_event *e)
{
	const struct fs_ev_step *st = &e->step;
	const char *at = e->pid ? fs_name_get(&fs_event_types, st->at_type) : NULL;
	const char *how = st->method == FS_FREEZE_CGROUP ? "by the cgroup freezer" : "with SIGSTOP";

	if (st->op == FS_STEP_THAW)
		snprintf(name, len, "thawed after %.1f s frozen (not in the session's times)", (double)st->frozen_ns / 1e9);
	else if (at)
		snprintf(name, len, "frozen at the %s of %u, %u held %s", at, e->pid, st->procs, how);
	else
		snprintf(name, len, "frozen at a breakpoint, %u held %s", st->procs, how);
}

/*
 * What happened to the whole session, across every track: events lost, or the tree frozen at a
 * breakpoint and let go (the freeze and the thaw share a time, since the session's clock stops
 * while frozen; the thaw says for how long).
 */
static int pf_global(struct pf *pf, const struct fs_event *e)
{
	const char *cat = fs_name_get(&fs_event_types, e->type);
	char name[160];

	if (e->type == FS_EV_LOST)
		snprintf(name, sizeof(name), "lost %llu events", (unsigned long long)e->lost.count);
	else
		name_step(name, sizeof(name), e);
	return rec_add(pf, 'I', PF_GLOBAL, NULL, e->ts, cat, name, NULL) ? 0 : -ENOMEM;
}

/*
 * A flow event ('s' start or 'f' end) bound to the record at index i: the same
 * time, track and category, written just after it (a start, which Perfetto
 * binds to the innermost slice open on the track: that record) or just before
 * it (an end, which Perfetto binds to the next slice on the track: that
 * record). DevTools binds a flow event to the first other event with the same
 * ts, pid, tid and cat: the same record, so both draw the same arrow.
 */
static int flow_add(struct pf *pf, size_t i, char ph, const char *name, uint64_t id)
{
	const struct pf_rec *at = &pf->recs[i];
	struct pf_rec *r = rec_add(pf, ph, at->cls, at->ep, at->ts, at->cat, name, NULL);

	if (!r)
		return -ENOMEM;
	r->order = pf->recs[i].order; /* rec_add may have moved the records */
	r->sub = ph == 's' ? 2 : 0;
	r->id = id;
	return 0;
}

/* A fork is an instant on the parent's track; remembered until the child returns from it. */
static int pf_fork(struct pf *pf, const struct fs_event *e)
{
	struct export_proc *child = e->fork.thread ? NULL : track(pf, e->fork.child_pid);
	size_t before = pf->n;
	int ret;

	if ((ret = pf_instant(pf, e)) || !child || pf->n == before)
		return ret; /* no arrow for a thread, or when either side is not shown */
	if (grow_array(&pf->forks, &pf->forks_cap, pf->nforks + 1, sizeof(*pf->forks)))
		return -ENOMEM;
	pf->forks[pf->nforks++] = (struct pf_fork){ .child = child, .at = before };
	return 0;
}

/*
 * The child's return from its fork is an instant of category fork on its track,
 * and the arrow goes there from the parent's fork. Not to the child's first
 * slice, which begins at the fork's own time: DevTools keeps one event per
 * timestamp in a flow, and binds an end only to an event of its category.
 */
static int pf_fork_return(struct pf *pf, const struct fs_event *e)
{
	struct export_proc *child = track(pf, e->pid);
	size_t i = 0, at;
	char *args;
	uint64_t id;
	int ret;

	if (e->fork_return.ret != 0 || !child || e->ts > pf->x->filter->to)
		return 0;
	while (i < pf->nforks && pf->forks[i].child != child)
		i++;
	if (i == pf->nforks)
		return 0;
	at = pf->forks[i].at;
	pf->forks[i] = pf->forks[--pf->nforks];
	if (asprintf(&args, "{\"tid\":%u,\"parent\":%u}", e->tid, pf->recs[at].ep->p->pid) < 0)
		return -ENOMEM;
	if (!rec_add(pf, 'I', PF_INSTANT, child, e->ts, "fork", "fork returned 0", args))
		return -ENOMEM;
	id = ++pf->flows;
	if ((ret = flow_add(pf, at, 's', "fork", id)))
		return ret;
	return flow_add(pf, pf->n - 2, 'f', "fork", id);
}

static void args_ipc(struct pf_args *a, const struct fs_ev_ipc *ip)
{
	char buf[FS_ADDR_BUF > FS_CHAN_BUF ? FS_ADDR_BUF : FS_CHAN_BUF];
	size_t plen = ip->path_len < FS_PATH_LEN ? ip->path_len : FS_PATH_LEN;
	int n;

	if (fs_chan_format(ip->chan_kind, ip->chan, buf, sizeof(buf)) >= 0)
		fprintf(arg(a, "channel"), "\"%s\"", buf);
	if (ip->peer_kind == FS_PEER_CHAN && fs_chan_format(ip->chan_kind, ip->peer, buf, sizeof(buf)) >= 0)
		fprintf(arg(a, "peer"), "\"%s\"", buf);
	if (ip->fd >= 0)
		fprintf(arg(a, "fd"), "%d", ip->fd);
	if (ip->bytes >= 0) {
		fprintf(arg(a, "bytes"), "%lld", (long long)ip->bytes);
	} else {
		fprintf(arg(a, "error"), "%lld", (long long)ip->bytes);
		if (ip->bytes >= -4095)
			fprintf(arg(a, "errno"), "\"%s\"", fs_errno_name((int)-ip->bytes, buf, FS_NAME_BUF));
	}
	if (plen && log_ipc_has_addr(ip->op) && (n = fs_sockaddr_format(ip->path, plen, buf)) >= 0)
		arg_str(a, "addr", buf, (size_t)n);
	else if (plen)
		arg_str(a, "path", ip->path, plen);
}

/* Every IPC call is a zero-length slice; a read that ends a flow is bound to the write that began it. */
static int pf_ipc(struct pf *pf, const struct fs_event *e, const struct export_step *st)
{
	struct export_proc *ep = track(pf, e->pid);
	const char *op = fs_name_get(&fs_ipc_ops, e->ipc.op);
	size_t read;
	struct pf_args a;
	char *args;
	uint64_t id;
	int ret;

	if (!ep)
		return 0;
	if (args_open(&a))
		return -ENOMEM;
	fprintf(arg(&a, "tid"), "%u", e->tid);
	args_ipc(&a, &e->ipc);
	if (!(args = args_close(&a)) || !rec_add(pf, 'X', PF_IPC, ep, e->ts, "ipc", op ? op : "ipc", args))
		return -ENOMEM;
	read = pf->n - 1;
	if (st->write)
		st->write->cookie = pf->n; /* index + 1 */
	if (!st->from.p || !st->from.cookie)
		return 0;
	id = ++pf->flows;
	if ((ret = flow_add(pf, st->from.cookie - 1, 's', "data", id)))
		return ret;
	return flow_add(pf, read, 'f', "data", id);
}

static int pf_event(void *state, const struct fs_event *e, int kept, const struct export_step *st)
{
	struct pf *pf = state;

	if (e->type == FS_EV_FORK_RETURN)
		return pf_fork_return(pf, e); /* ends an arrow a kept fork began, kept or not */
	if (!kept)
		return 0;
	if (e->type == FS_EV_IPC)
		return pf_ipc(pf, e, st);
	if (e->type == FS_EV_LOST || e->type == FS_EV_STEP)
		return pf_global(pf, e);
	if (e->type == FS_EV_FORK)
		return pf_fork(pf, e);
	return pf_instant(pf, e);
}

static char *args_state(const struct export_seg *s)
{
	char buf[FS_CHAN_BUF > FS_NAME_BUF ? FS_CHAN_BUF : FS_NAME_BUF];
	const char *reason;
	struct pf_args a;

	if (s->state != MS_BLOCKED && s->state != MS_READY)
		return NULL;
	if (args_open(&a))
		return NULL;
	if (s->state == MS_READY && (reason = fs_name_get(&fs_ready_reasons, s->ready_reason)))
		fprintf(arg(&a, "reason"), "\"%s\"", reason);
	if (s->state == MS_BLOCKED && s->sysnr >= 0)
		fprintf(arg(&a, "syscall"), "\"%s\"", fs_syscall_name(s->sysnr, buf, sizeof(buf)));
	if (s->state == MS_BLOCKED && fs_chan_format(s->chan_kind, s->chan, buf, sizeof(buf)) >= 0)
		fprintf(arg(&a, "channel"), "\"%s\"", buf);
	if (export_seg_held(s))
		fprintf(arg(&a, "stop"), "\"%s\"", export_seg_held(s));
	if (!a.n) { /* nothing known about it */
		fclose(a.f);
		free(a.buf);
		return NULL;
	}
	return args_close(&a);
}

/* The stretches of one process inside the time range, as slices that never overlap. */
static int pf_states(struct pf *pf, const struct export_proc *ep)
{
	const struct export_filter *f = pf->x->filter;

	for (size_t i = 0; i < ep->nsegs; i++) {
		const struct export_seg *s = &ep->segs[i];
		uint64_t from = s->from > f->from ? s->from : f->from;
		uint64_t to = s->to < f->to ? s->to : f->to;
		struct pf_rec *r;

		if (to <= from)
			continue;
		/* a held stretch is named for what holds it: Perfetto colours it apart from a sleep */
		r = rec_add(pf, 'X', PF_STATE, ep, from, "state",
			    export_seg_held(s) ? export_seg_held(s) : model_state_name(s->state), args_state(s));
		if (!r)
			return -ENOMEM;
		r->dur = to - from;
	}
	return 0;
}

/* "1234.567": ns as microseconds with three decimals, exact. */
static const char *us(char buf[32], uint64_t ns)
{
	snprintf(buf, 32, "%llu.%03llu", (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
	return buf;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct pf_rec *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->sub != y->sub)
		return x->sub < y->sub ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/*
 * The duration of a slice from ts, in microseconds. A JavaScript importer
 * (DevTools) adds it to the start in double precision; where that sum rounds
 * past the end, the next slice seems to overlap this one and is dropped. Then
 * the duration is written a tenth of a nanosecond shorter, which Perfetto,
 * rounding to whole nanoseconds, does not see. (double)ns / 1e3 is the double
 * a JSON reader makes of us(): both round the exact quotient to nearest.
 */
static const char *dur_us(char buf[32], uint64_t ts, uint64_t dur)
{
	double from = (double)ts / 1e3, to = (double)(ts + dur) / 1e3;
	uint64_t tenths = dur * 10;

	if (from + (double)dur / 1e3 <= to)
		return us(buf, dur);
	while (tenths && from + (double)tenths / 1e4 > to)
		tenths--;
	snprintf(buf, 32, "%llu.%04llu", (unsigned long long)(tenths / 10000), (unsigned long long)(tenths % 10000));
	return buf;
}

static void rec_write(FILE *f, const struct pf_rec *r)
{
	uint32_t t = r->ep ? r->ep->track : 0;
	char ts[32], dur[32];

	fprintf(f, "{\"ph\":\"%c\",\"cat\":\"%s\",\"name\":\"", r->ph, r->cat);
	export_put_text(f, r->name, strlen(r->name), EXPORT_JSON);
	fprintf(f, "\",\"pid\":%u,\"tid\":%u,\"ts\":%s", t, t, us(ts, r->ts));
	if (r->ph == 'X')
		fprintf(f, ",\"dur\":%s", dur_us(dur, r->ts, r->dur));
	if (r->ph == 'I')
		fprintf(f, ",\"s\":\"%c\"", r->ep ? 't' : 'g');
	if (r->ph == 's' || r->ph == 'f')
		fprintf(f, ",\"id\":%llu", (unsigned long long)r->id);
	if (r->args)
		fprintf(f, ",\"args\":%s", r->args);
	fputc('}', f);
}

/* Names the track "comm pid"; chrome://tracing orders tracks by sort index, i.e. in tree order. */
static void meta_write(FILE *f, const struct export_row *row, size_t index)
{
	const struct model_proc *p = row->ep->p;
	uint32_t t = row->ep->track;
	size_t n = strnlen(p->comm, FS_COMM_LEN);

	fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":\"", t, t);
	export_put_text(f, n ? p->comm : "?", n ? n : 1, EXPORT_JSON);
	fprintf(f, " %u\"}}", p->pid);
	fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":%u,\"tid\":%u,"
		   "\"args\":{\"sort_index\":%zu}}", t, t, index);
	fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"process_labels\",\"pid\":%u,\"tid\":%u,"
		   "\"args\":{\"labels\":\"parent %u, depth %d\"}}", t, t, p->ppid, row->depth);
	fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%u,\"tid\":%u,"
		   "\"args\":{\"name\":\"lifecycle\"}}", t, t);
}

static void header_write(FILE *f, const struct fs_log_header *h)
{
	char start[FS_ISO_TIME_BUF];

	log_iso_time(start, h->start_realtime_ns);
	fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"forkscope\",\"command\":\"", f);
	for (int i = 0; i < h->argc; i++) {
		if (i)
			fputc(' ', f);
		export_put_text(f, h->argv[i], strlen(h->argv[i]), EXPORT_JSON);
	}
	fputs("\",\"kernel\":\"", f);
	export_put_text(f, h->kernel, strnlen(h->kernel, sizeof(h->kernel)), EXPORT_JSON);
	fputs("\",\"host\":\"", f);
	export_put_text(f, h->host, strnlen(h->host, sizeof(h->host)), EXPORT_JSON);
	fprintf(f, "\",\"start\":\"%s\",\"root_pid\":%u},\n\"traceEvents\":[\n", start, h->root_pid);
	fputs("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"session\"}}", f);
}

static int pf_finish(void *state, const struct fs_log_end *end, uint64_t t_end)
{
	struct pf *pf = state;
	FILE *f = pf->x->out;
	struct export_row *rows;
	size_t nrows;
	int ret;

	(void)end, (void)t_end;
	ret = export_tl_rows(pf->x->tl, &rows, &nrows);
	for (size_t i = 0; !ret && i < nrows; i++) {
		if (export_filter_has_type(pf->x->filter, FS_EV_STATE))
			ret = pf_states(pf, rows[i].ep);
	}
	if (!ret) {
		qsort(pf->recs, pf->n, sizeof(*pf->recs), rec_cmp);
		header_write(f, pf->x->hdr);
		for (size_t i = 0; i < nrows; i++)
			meta_write(f, &rows[i], i);
		for (size_t i = 0; i < pf->n; i++) {
			fputs(",\n", f);
			rec_write(f, &pf->recs[i]);
		}
		fputs("\n]}\n", f);
	}
	free(rows);
	return ret;
}

static int pf_begin(const struct export_ctx *x, void **state)
{
	struct pf *pf = calloc(1, sizeof(*pf));

	*state = pf;
	if (!pf)
		return -ENOMEM;
	pf->x = x;
	return 0;
}

static void pf_free(void *state)
{
	struct pf *pf = state;

	if (!pf)
		return;
	for (size_t i = 0; i < pf->n; i++) {
		free(pf->recs[i].name);
		free(pf->recs[i].args);
	}
	free(pf->recs);
	free(pf->forks);
	free(pf);
}

const struct export_format export_perfetto = {
	.name = "perfetto", .timeline = 1,
	.begin = pf_begin, .event = pf_event, .finish = pf_finish, .free = pf_free,
};
