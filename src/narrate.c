// SPDX-License-Identifier: GPL-2.0
/* Human sentences for events: "876 forked 877: fork() returns twice, 877 in the parent and 0 in the child". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "names.h"
#include "narrate.h"
#include "strbuf.h"

#define SIGHUP_NR 1

static size_t min_len(size_t a, size_t b)
{
	return a < b ? a : b;
}

static const char *sysname(long nr)
{
	static char buf[FS_NAME_BUF];

	return fs_syscall_name(nr, buf, sizeof(buf));
}

static const char *signame(int sig)
{
	static char buf[FS_NAME_BUF];

	return fs_signal_name(sig, buf, sizeof(buf));
}

static const char *errname(long long ret)
{
	static char buf[FS_NAME_BUF];

	return fs_errno_name((int)-ret, buf, sizeof(buf));
}

static const char *channame(unsigned int kind, uint64_t id)
{
	static char buf[FS_CHAN_BUF];

	if (fs_chan_format(kind, id, buf, sizeof(buf)) < 0)
		return _("an unknown object");
	return buf;
}

static void say_fork(struct strbuf *s, const struct fs_event *e)
{
	if (e->fork.thread)
		strbuf_printf(s, _("%u started thread %u"), e->pid, e->fork.child_tid);
	else
		strbuf_printf(s, _("%u forked %u: fork() returns twice, %u in the parent and 0 in the child"),
		    e->pid, e->fork.child_pid, e->fork.child_pid);
}

static void say_fork_return(struct strbuf *s, const struct fs_event *e)
{
	long long ret = e->fork_return.ret;
	const char *call = sysname(e->fork_return.sysnr);

	if (ret < 0)
		strbuf_printf(s, _("%s() failed in %u: %s, no child was made"), call, e->pid, errname(ret));
	else if (ret > 0 && e->fork_return.ns_ret)
		strbuf_printf(s, _("%s() returned %u in the parent %u: the pid its new child %lld has in their pid namespace"),
		    call, e->fork_return.ns_ret, e->pid, ret);
	else if (ret > 0)
		strbuf_printf(s, _("%s() returned %lld in the parent %u: the pid of its new child"), call, ret,
		    e->pid);
	else if (e->tid != e->pid)
		strbuf_printf(s, _("%s() returned 0 in the new thread %u of %u"), call, e->tid, e->pid);
	else
		strbuf_printf(s, _("%s() returned 0 in the child %u: the same code, the other branch"), call,
		    e->pid);
}

static void say_argv(struct strbuf *s, const struct fs_ev_exec *x)
{
	size_t len = min_len(x->argv_len, FS_ARGV_LEN);

	for (size_t i = 0; i < len;) {
		const char *nul = memchr(x->argv + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - x->argv) - i : len - i;

		strbuf_printf(s, i ? " " : " (");
		strbuf_put(s, x->argv + i, n);
		i += n + 1;
	}
	if (len)
		strbuf_printf(s, "%s)", x->argv_truncated ? " ..." : "");
}

static void say_exec(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_exec *x = &e->exec;
	size_t n = min_len(x->filename_len, FS_PATH_LEN);

	strbuf_printf(s, x->result ? _("%u could not execute ") : _("%u now runs "), e->pid);
	strbuf_put(s, x->filename, n);
	if (x->result) {
		strbuf_printf(s, ": %s", errname(x->result));
		return;
	}
	say_argv(s, x);
	strbuf_printf(s, "%s", _(": exec replaced its program, the pid stays"));
}

/* A held task is blocked in no call of its own: what holds it, what ps shows, what lets it go. */
static void say_held(struct strbuf *s, uint32_t stop)
{
	static const char *const held[FS_STOP_KIND_MAX] = {
		[FS_STOP_SIGNAL] = N_("is stopped (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU): ps shows T until SIGCONT lets it run on"),
		[FS_STOP_TRACED] = N_("is stopped by its tracer: ps shows t until the tracer lets it go on"),
		[FS_STOP_FROZEN] = N_("is held by the cgroup freezer: ps still shows S, but it cannot run until the cgroup is thawed"),
	};

	strbuf_printf(s, "%s", stop < FS_STOP_KIND_MAX && held[stop] ? _(held[stop]) : _("is held"));
}

/* A process that joined the trace held (/proc said T or t): say so after what it runs. */
static void say_joined_held(struct strbuf *s, uint32_t pid, const struct fs_ev_state *st)
{
	if (st->state != FS_STATE_BLOCKED || !st->stop)
		return;
	strbuf_printf(s, "; %u ", pid);
	say_held(s, st->stop);
}

static void say_existing(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_existing *x = &e->existing;

	strbuf_printf(s, _("%u was already running, a child of %u: "), e->pid, x->ppid);
	strbuf_put(s, x->image.filename, min_len(x->image.filename_len, FS_PATH_LEN));
	say_argv(s, &x->image);
	if (x->threads > 1)
		strbuf_printf(s, _(", %u threads"), x->threads);
	say_joined_held(s, e->pid, &x->state);
}

static void say_cgroup(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_cgroup *c = &e->cgroup;
	size_t n = min_len(c->path_len, FS_PATH_LEN);

	if (c->op != FS_CG_ENTER) {
		strbuf_printf(s, _("%u left the cgroup (moved to "), e->pid);
		strbuf_put(s, n ? c->path : "?", n ? n : 1);
		strbuf_printf(s, "%s", _("): it is no longer traced"));
		return;
	}
	strbuf_printf(s, _("%u entered the cgroup (%s"), e->pid, n ? "" : "?");
	strbuf_put(s, c->path, n);
	strbuf_printf(s, _("), a child of %u: "), c->proc.ppid);
	strbuf_put(s, c->proc.image.filename, min_len(c->proc.image.filename_len, FS_PATH_LEN));
	say_argv(s, &c->proc.image);
	say_joined_held(s, e->pid, &c->proc.state);
}

static void say_exit(struct strbuf *s, const struct fs_event *e)
{
	if (e->exit.thread)
		strbuf_printf(s, _("thread %u of %u"), e->tid, e->pid);
	else
		strbuf_printf(s, "%u", e->pid);
	if (e->exit.sig)
		strbuf_printf(s, _(" was killed by %s%s"), signame((int)e->exit.sig),
		    e->exit.core ? _(" (core dumped)") : "");
	else
		strbuf_printf(s, _(" exited with code %u"), e->exit.code);
}

static void say_reap(struct strbuf *s, const struct fs_event *e)
{
	if (e->reap.autoreap == 1)
		strbuf_printf(s, _("the kernel reaped %u at once: its parent %u ignores SIGCHLD"), e->reap.child,
		    e->pid);
	else if (e->reap.autoreap)
		strbuf_printf(s, _("%u is gone; who reaped it was not seen"), e->reap.child);
	else if (e->reap.ns_child)
		strbuf_printf(s, _("%u reaped %u (%u in its pid namespace) with wait: the zombie is gone and its pid is free"),
		    e->pid, e->reap.child, e->reap.ns_child);
	else
		strbuf_printf(s, _("%u reaped %u with wait: the zombie is gone and its pid is free"), e->pid,
		    e->reap.child);
}

static void say_reparent(struct strbuf *s, const struct fs_event *e)
{
	strbuf_printf(s, _("%u is an orphan: its parent %u ended, %u adopted it"), e->pid,
	    e->reparent.old_parent, e->reparent.new_parent);
}

static void say_state(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_state *st = &e->state;
	static const char *const ready_why[] = {
		[FS_READY_PREEMPTED] = N_("was preempted: ready, waiting for a CPU again"),
		[FS_READY_WOKEN] = N_("woke up: ready, waiting for a CPU"),
		[FS_READY_NEW] = N_("is ready to run for the first time"),
	};

	strbuf_printf(s, "%u ", e->pid);
	if (e->tid != e->pid)
		strbuf_printf(s, _("(thread %u) "), e->tid);
	switch (st->state) {
	case FS_STATE_READY:
		strbuf_printf(s, "%s", st->sysnr >= 1 && st->sysnr <= FS_READY_NEW ? _(ready_why[st->sysnr]) : _("is ready"));
		return;
	case FS_STATE_RUNNING: strbuf_printf(s, "%s", _("is running on a CPU")); return;
	case FS_STATE_ZOMBIE: strbuf_printf(s, "%s", _("is a zombie: it has exited, its parent has not reaped it yet")); return;
	case FS_STATE_DEAD: strbuf_printf(s, "%s", _("has exited and was released at once")); return;
	case FS_STATE_BLOCKED: break;
	default: strbuf_printf(s, _("changed to state %u"), st->state); return;
	}
	if (st->stop) {
		say_held(s, st->stop);
		return;
	}
	strbuf_printf(s, "%s", _("blocked"));
	if (st->sysnr >= 0)
		strbuf_printf(s, _(" in %s()"), sysname(st->sysnr));
	if (st->chan_kind)
		strbuf_printf(s, _(" on %s"), channame(st->chan_kind, st->chan));
}

static void say_signal(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_signal *x = &e->signal;
	static const char *const taken[] = {
		[FS_SIGACT_DEFAULT] = N_("its default action runs"),
		[FS_SIGACT_IGNORE] = N_("it is ignored"),
		[FS_SIGACT_HANDLER] = N_("its handler runs"),
	};
	/* the words of fs_sig_results (TRACE_SIGNAL_*), as the reader reads them */
	static const char *const results[] = {
		N_("delivered"), N_("ignored"), N_("pending"), N_("overflow"), N_("lose_info"),
	};
	const char *result = x->result >= 0 && x->result < (int)(sizeof(results) / sizeof(results[0])) ?
				     _(results[x->result]) : NULL;

	if (x->op == FS_SIG_DELIVER) {
		strbuf_printf(s, _("%u takes %s: %s"), x->target_pid, signame((int)x->sig),
		    x->result >= 0 && x->result <= FS_SIGACT_HANDLER ? _(taken[x->result]) : "?");
		return;
	}
	if (e->pid && e->pid == x->target_pid && x->sig == SIGHUP_NR)
		strbuf_printf(s, _("%u sent SIGHUP to itself: a session leader's exit hangs up its terminal"), e->pid);
	else if (e->pid)
		strbuf_printf(s, _("%u sent %s to %u"), e->pid, signame((int)x->sig), x->target_pid);
	else
		strbuf_printf(s, _("the kernel sent %s to %u"), signame((int)x->sig), x->target_pid);
	if (x->result)
		strbuf_printf(s, " (%s)", result ? result : "?");
}

/* "3 bytes", "1 message of 12 bytes" */
static void say_amount(struct strbuf *s, const struct fs_ev_ipc *x, int messages)
{
	if (messages)
		strbuf_printf(s, _("a %lld-byte message"), (long long)x->bytes);
	else
		strbuf_printf(s, ngettext("%lld byte", "%lld bytes", (unsigned long)x->bytes), (long long)x->bytes);
}

static void say_name(struct strbuf *s, const struct fs_ev_ipc *x)
{
	size_t n = min_len(x->path_len, FS_PATH_LEN);
	char addr[FS_ADDR_BUF];
	int len;

	if (!n)
		return;
	strbuf_printf(s, " ");
	if (log_ipc_has_addr(x->op) && (len = fs_sockaddr_format(x->path, n, addr)) >= 0)
		strbuf_put(s, addr, (size_t)len);
	else
		strbuf_put(s, x->path, n);
}

/* Data moved: read, write, msgsnd/msgrcv, mq_send/mq_recv. */
static void say_ipc_data(struct strbuf *s, const struct fs_event *e, const char *chan)
{
	const struct fs_ev_ipc *x = &e->ipc;
	int in = x->op == FS_IPC_READ || x->op == FS_IPC_MSGRCV || x->op == FS_IPC_MQ_RECV;
	int messages = x->op != FS_IPC_READ && x->op != FS_IPC_WRITE;

	if (in && x->bytes == 0 && !messages) {
		strbuf_printf(s, _("%u read end of file from %s: every writer has closed it"), e->pid, chan);
		return;
	}
	strbuf_printf(s, in ? (messages ? _("%u received ") : _("%u read ")) : (messages ? _("%u sent ") : _("%u wrote ")),
	    e->pid);
	say_amount(s, x, messages);
	strbuf_printf(s, in ? _(" from %s") : _(" to %s"), chan);
	if (x->arg && !messages)
		strbuf_printf(s, _(" with %s(), without a copy through user space"), sysname(x->arg));
}

static void say_ipc_setup(struct strbuf *s, const struct fs_event *e, const char *chan)
{
	const struct fs_ev_ipc *x = &e->ipc;

	switch (x->op) {
	case FS_IPC_PIPE:
		strbuf_printf(s, _("%u made %s: fd %d reads it, fd %d writes it"), e->pid, chan, (int)(x->arg >> 32),
		    (int)x->arg);
		return;
	case FS_IPC_SOCKETPAIR:
		strbuf_printf(s, _("%u made a socket pair %s and %s"), e->pid, chan,
		    channame(x->chan_kind, x->peer));
		return;
	case FS_IPC_SOCKET: strbuf_printf(s, _("%u made %s"), e->pid, chan); return;
	case FS_IPC_BIND: strbuf_printf(s, _("%u bound %s to"), e->pid, chan); break;
	case FS_IPC_LISTEN: strbuf_printf(s, _("%u listens for connections on %s"), e->pid, chan); return;
	case FS_IPC_CONNECT: strbuf_printf(s, _("%u connected %s to"), e->pid, chan); break;
	case FS_IPC_ACCEPT: strbuf_printf(s, _("%u accepted a connection %s from"), e->pid, chan); break;
	case FS_IPC_OPEN: strbuf_printf(s, _("%u opened %s"), e->pid, chan); break;
	case FS_IPC_MQ_OPEN: strbuf_printf(s, _("%u opened the message queue %s"), e->pid, chan); break;
	case FS_IPC_MQ_UNLINK: strbuf_printf(s, _("%u removed the message queue"), e->pid); break;
	default: return;
	}
	say_name(s, x);
}

static void say_ipc_sysv(struct strbuf *s, const struct fs_event *e, const char *chan)
{
	const struct fs_ev_ipc *x = &e->ipc;

	switch (x->op) {
	case FS_IPC_MMAP: strbuf_printf(s, _("%u shares %lld bytes of %s in its memory"), e->pid, (long long)x->bytes, chan); return;
	case FS_IPC_SHMGET: strbuf_printf(s, _("%u got the shared memory %s (key %lld)"), e->pid, chan, (long long)x->arg); return;
	case FS_IPC_SHMAT: strbuf_printf(s, _("%u attached %s to its memory"), e->pid, chan); return;
	case FS_IPC_SHMDT: strbuf_printf(s, _("%u detached shared memory"), e->pid); return;
	case FS_IPC_SEMGET: strbuf_printf(s, _("%u got the semaphore set %s (key %lld)"), e->pid, chan, (long long)x->arg); return;
	case FS_IPC_MSGGET: strbuf_printf(s, _("%u got the message queue %s (key %lld)"), e->pid, chan, (long long)x->arg); return;
	case FS_IPC_SEMOP:
		if (x->arg < 0)
			strbuf_printf(s, _("%u waits on %s (%lld)"), e->pid, chan, (long long)x->arg);
		else
			strbuf_printf(s, _("%u posts to %s (+%lld)"), e->pid, chan, (long long)x->arg);
		return;
	default: /* shmctl, semctl, msgctl */
		strbuf_printf(s, _("%u controls %s (command %lld)"), e->pid, chan, (long long)x->arg);
		return;
	}
}

static void say_ipc(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_ipc *x = &e->ipc;
	const char *op = fs_name_get(&fs_ipc_ops, x->op);
	char chan[FS_CHAN_BUF];

	snprintf(chan, sizeof(chan), "%s", x->chan_kind ? channame(x->chan_kind, x->chan) : _("it"));
	if (x->bytes < 0) {
		strbuf_printf(s, _("%u: %s on %s failed with %s"), e->pid, op ? op : "?", chan, errname(x->bytes));
		return;
	}
	if (x->op == FS_IPC_READ || x->op == FS_IPC_WRITE || x->op == FS_IPC_MSGSND ||
	    x->op == FS_IPC_MSGRCV || x->op == FS_IPC_MQ_SEND || x->op == FS_IPC_MQ_RECV)
		say_ipc_data(s, e, chan);
	else if (x->op <= FS_IPC_OPEN || x->op >= FS_IPC_MQ_OPEN)
		say_ipc_setup(s, e, chan);
	else
		say_ipc_sysv(s, e, chan);
}

/* Text without its trailing newlines, which the sentence would show as ^J. */
static size_t trim_newlines(const char *t, size_t n)
{
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r'))
		n--;
	return n;
}

static void say_mark(struct strbuf *s, const struct fs_event *e)
{
	size_t n = min_len(e->mark.len, FS_MARK_LEN);

	strbuf_printf(s, _("%u says: "), e->pid);
	strbuf_put(s, e->mark.text, trim_newlines(e->mark.text, n));
	if (e->mark.unreadable)
		strbuf_printf(s, "%s", _("(text not readable)"));
}

static void say_output(struct strbuf *s, const struct fs_event *e)
{
	size_t n = min_len(e->output.len, FS_OUTPUT_LEN);

	strbuf_printf(s, _("%u printed \""), e->pid);
	strbuf_put(s, e->output.text, trim_newlines(e->output.text, n));
	strbuf_printf(s, "\"%s", e->output.truncated ? "..." : "");
}

static void say_lost(struct strbuf *s, const struct fs_event *e)
{
	strbuf_printf(s, _("LOST %llu events: the ring buffer was full, states may be stale"),
	    (unsigned long long)e->lost.count);
}

/* Where the tree was frozen: at which event of which process (its pid is the step's). */
static void say_break_at(struct strbuf *s, const struct fs_event *e)
{
	switch (e->pid ? e->step.at_type : 0) {
	case FS_EV_FORK: strbuf_printf(s, _("frozen at %u's fork(), before parent or child runs past it"), e->pid); break;
	case FS_EV_EXEC: strbuf_printf(s, _("frozen at %u's exec, before the new program's first instruction"), e->pid); break;
	case FS_EV_EXIT: strbuf_printf(s, _("frozen at %u's exit"), e->pid); break;
	case FS_EV_MARK: strbuf_printf(s, _("frozen at %u's mark"), e->pid); break;
	default: strbuf_printf(s, "%s", _("frozen at a breakpoint")); break;
	}
}

static void say_step(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_step *st = &e->step;

	if (st->op == FS_STEP_THAW) {
		strbuf_printf(s, _("the tree runs on after %.1f s frozen (not counted in the session's times)"),
			      (double)st->frozen_ns / 1e9);
		return;
	}
	say_break_at(s, e);
	strbuf_printf(s, st->method == FS_FREEZE_CGROUP
			 ? ngettext(": %u process held by the cgroup freezer",
				    ": %u processes held by the cgroup freezer", st->procs)
			 : ngettext(": %u process stopped with SIGSTOP",
				    ": %u processes stopped with SIGSTOP", st->procs),
		      st->procs);
}

/* " wrote 5 bytes in 2 calls" */
static void say_moved(struct strbuf *s, const char *verb, unsigned long long bytes, unsigned long long calls)
{
	strbuf_printf(s, "%s", verb);
	strbuf_printf(s, ngettext("%llu byte", "%llu bytes", (unsigned long)bytes), bytes);
	strbuf_printf(s, ngettext(" in %llu call", " in %llu calls", (unsigned long)calls), calls);
}

static void say_total(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_total *t = &e->total;

	strbuf_printf(s, _("%u, in all,"), e->pid);
	if (t->msgs_out)
		say_moved(s, _(" wrote "), (unsigned long long)t->bytes_out, (unsigned long long)t->msgs_out);
	if (t->msgs_out && t->msgs_in)
		strbuf_printf(s, "%s", _(" and"));
	if (t->msgs_in || !t->msgs_out)
		say_moved(s, _(" read "), (unsigned long long)t->bytes_in, (unsigned long long)t->msgs_in);
	strbuf_printf(s, t->msgs_out && !t->msgs_in ? _(" to %s (counted in the kernel)") :
			 t->msgs_in && !t->msgs_out ? _(" from %s (counted in the kernel)") :
						      _(" on %s (counted in the kernel)"),
	    channame(t->chan_kind, t->chan));
}

static void say_answer(struct strbuf *s, const struct fs_event *e)
{
	const struct fs_ev_answer *a = &e->answer;
	int n = (int)strnlen(a->lesson, sizeof(a->lesson));

	if (!a->choice)
		strbuf_printf(s, _("question %u of the lesson %.*s skipped; the kernel's answer was choice %u"),
		    a->question, n, a->lesson, a->right);
	else if (a->choice == a->right)
		strbuf_printf(s, _("question %u of the lesson %.*s: you chose %u, and the kernel did the same"),
		    a->question, n, a->lesson, a->choice);
	else
		strbuf_printf(s, _("question %u of the lesson %.*s: you chose %u, but the kernel's answer was %u"),
		    a->question, n, a->lesson, a->choice, a->right);
}

int narrate_event(char *buf, size_t len, const struct fs_event *e)
{
	static void (*const fns[FS_EV_TYPE_MAX])(struct strbuf *, const struct fs_event *) = {
		[FS_EV_FORK] = say_fork,         [FS_EV_FORK_RETURN] = say_fork_return,
		[FS_EV_EXEC] = say_exec,         [FS_EV_EXIT] = say_exit,
		[FS_EV_REAP] = say_reap,         [FS_EV_REPARENT] = say_reparent,
		[FS_EV_STATE] = say_state,       [FS_EV_SIGNAL] = say_signal,
		[FS_EV_IPC] = say_ipc,           [FS_EV_MARK] = say_mark,
		[FS_EV_LOST] = say_lost,         [FS_EV_OUTPUT] = say_output,
		[FS_EV_TOTAL] = say_total,       [FS_EV_EXISTING] = say_existing,
		[FS_EV_CGROUP] = say_cgroup,     [FS_EV_STEP] = say_step,
		[FS_EV_ANSWER] = say_answer,
	};
	struct strbuf s = { buf, len, 0 };

	if (e->type < FS_EV_TYPE_MAX && fns[e->type])
		fns[e->type](&s, e);
	else
		strbuf_printf(&s, _("%u: an event of unknown type %u"), e->pid, e->type);
	if (len)
		buf[s.pos < len ? s.pos : len - 1] = '\0';
	return (int)s.pos;
}
