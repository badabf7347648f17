// SPDX-License-Identifier: GPL-2.0
/* `forkscope dump`: events as aligned, terminal-safe text lines (or re-validated JSON Lines). */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "dump.h"
#include "i18n.h"
#include "strbuf.h"
#include "log.h"
#include "names.h"

#define COMM_WIDTH 15 /* TASK_COMM_LEN - 1 */
#define TYPE_WIDTH 11 /* "fork_return" */
#define LINE_BUF (16 * 1024) /* more than any escaped event line */

/*
 * Text is appended piece by piece, numbers converted here: a dump prints a
 * million lines, and vsnprintf was most of the time it took to format them.
 */
#define OUT_LIT(o, s) strbuf_put((o), (s), sizeof(s) - 1)

/* Pads what was written since from to width with spaces (printf's %-*s); width <= COMM_WIDTH. */
static void out_pad(struct strbuf *o, size_t from, size_t width)
{
	static const char spaces[COMM_WIDTH + 1] = "               ";
	size_t used = o->pos - from;

	if (used < width)
		strbuf_put(o, spaces, width - used);
}

/* Printable ASCII other than \\ and ": passes as it is. */
static int plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
}

/* Printable UTF-8 passes; C0/C1 controls, DEL and invalid bytes become escapes. */
static void out_bytes(struct strbuf *o, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t cp;
	size_t k;

	for (size_t i = 0; i < n; i += k) {
		unsigned char c = s[i];
		char esc[4] = { '\\', 'x', digits[c >> 4], digits[c & 15] };

		for (k = 0; i + k < n && plain_byte(s[i + k]); k++)
			;
		if (k) {
			strbuf_put(o, s + i, k);
			continue;
		}
		k = log_text_char(s + i, n - i, &cp);
		if (k) {
			strbuf_put(o, s + i, k);
			continue;
		}
		k = 1;
		if (c == '\\' || c == '"' || c == '\n' || c == '\t') {
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : c;
			strbuf_put(o, esc, 2);
		} else {
			strbuf_put(o, esc, 4);
		}
	}
}

static void out_quoted(struct strbuf *o, const char *s, size_t n)
{
	strbuf_put(o, "\"", 1);
	out_bytes(o, s, n);
	strbuf_put(o, "\"", 1);
}

/* " = -11 EAGAIN" */
static void out_result(struct strbuf *o, long long ret)
{
	char buf[FS_NAME_BUF];

	OUT_LIT(o, " = ");
	strbuf_int(o, ret);
	if (ret < 0 && ret >= -4095) {
		OUT_LIT(o, " ");
		strbuf_puts(o, fs_errno_name(-ret, buf, sizeof(buf)));
	}
}

static void out_chan(struct strbuf *o, const char *prefix, unsigned int kind, uint64_t id)
{
	char buf[FS_CHAN_BUF];
	int n = fs_chan_format(kind, id, buf, sizeof(buf));

	if (n >= 0) {
		strbuf_puts(o, prefix);
		strbuf_put(o, buf, n);
	}
}

static size_t min_len(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void text_fork(struct strbuf *o, const struct fs_event *e)
{
	OUT_LIT(o, "child=");
	strbuf_uint(o, e->fork.child_pid, 0, ' ');
	if (e->fork.thread) {
		OUT_LIT(o, "/");
		strbuf_uint(o, e->fork.child_tid, 0, ' ');
		OUT_LIT(o, " (thread)");
	} else {
		OUT_LIT(o, " (process)");
	}
}

/* A pid as a pid namespace numbers it, after the global one: " (2 in its namespace)". */
static void out_ns_pid(struct strbuf *o, uint32_t ns_pid)
{
	if (!ns_pid)
		return;
	OUT_LIT(o, " (");
	strbuf_uint(o, ns_pid, 0, ' ');
	OUT_LIT(o, " in its namespace)");
}

static void text_fork_return(struct strbuf *o, const struct fs_event *e)
{
	char buf[FS_NAME_BUF];

	strbuf_puts(o, fs_syscall_name(e->fork_return.sysnr, buf, sizeof(buf)));
	out_result(o, e->fork_return.ret);
	out_ns_pid(o, e->fork_return.ns_ret);
}

/* The file and its argv: /bin/sort ["sort", "-n"]. */
static void text_image(struct strbuf *o, const struct fs_ev_exec *x)
{
	size_t len = min_len(x->argv_len, FS_ARGV_LEN);

	out_bytes(o, x->filename, min_len(x->filename_len, FS_PATH_LEN));
	strbuf_put(o, x->filename_truncated ? "... [" : " [", x->filename_truncated ? 5 : 2);
	for (size_t i = 0; i < len;) {
		const char *nul = memchr(x->argv + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - x->argv) - i : len - i;

		if (i)
			strbuf_put(o, ", ", 2);
		out_quoted(o, x->argv + i, n);
		i += n + 1;
	}
	strbuf_put(o, x->argv_truncated ? ", ...]" : "]", x->argv_truncated ? 6 : 1);
}

static void text_exec(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_exec *x = &e->exec;

	text_image(o, x);
	if (x->result)
		out_result(o, x->result);
	if (x->old_tid != e->tid) {
		OUT_LIT(o, " (was tid ");
		strbuf_uint(o, x->old_tid, 0, ' ');
		OUT_LIT(o, ")");
	}
}

static void text_exit(struct strbuf *o, const struct fs_event *e)
{
	char buf[FS_NAME_BUF];

	if (e->exit.sig) {
		OUT_LIT(o, "killed by ");
		strbuf_puts(o, fs_signal_name(e->exit.sig, buf, sizeof(buf)));
		if (e->exit.core)
			OUT_LIT(o, " (core dumped)");
	} else {
		OUT_LIT(o, "code=");
		strbuf_uint(o, e->exit.code, 0, ' ');
	}
	if (e->exit.thread)
		OUT_LIT(o, " (thread)");
}

static void text_reap(struct strbuf *o, const struct fs_event *e)
{
	OUT_LIT(o, "child=");
	strbuf_uint(o, e->reap.child, 0, ' ');
	out_ns_pid(o, e->reap.ns_child);
	if (e->reap.autoreap)
		OUT_LIT(o, " (auto-reaped)");
}

static void text_reparent(struct strbuf *o, const struct fs_event *e)
{
	OUT_LIT(o, "parent ");
	strbuf_uint(o, e->reparent.old_parent, 0, ' ');
	OUT_LIT(o, " -> ");
	strbuf_uint(o, e->reparent.new_parent, 0, ' ');
}

/* " (why)", as a state says why it is ready or held; nothing for NULL */
static void out_why(struct strbuf *o, const char *why)
{
	if (!why)
		return;
	OUT_LIT(o, " (");
	strbuf_puts(o, why);
	OUT_LIT(o, ")");
}

static void text_state_fields(struct strbuf *o, const struct fs_ev_state *s)
{
	const char *name = fs_name_get(&fs_states, s->state);
	const char *reason = fs_name_get(&fs_ready_reasons, s->sysnr);
	char buf[FS_NAME_BUF];

	if (!name) {
		OUT_LIT(o, "state=");
		strbuf_uint(o, s->state, 0, ' ');
		return;
	}
	strbuf_puts(o, name);
	if (s->state == FS_STATE_READY)
		out_why(o, reason);
	if (s->state != FS_STATE_BLOCKED)
		return;
	if (s->stop) /* held: "blocked (stopped)" */
		out_why(o, fs_name_get(&fs_stop_kinds, s->stop));
	if (s->sysnr >= 0) {
		OUT_LIT(o, " in ");
		strbuf_puts(o, fs_syscall_name(s->sysnr, buf, sizeof(buf)));
	}
	out_chan(o, " on ", s->chan_kind, s->chan);
}

static void text_state(struct strbuf *o, const struct fs_event *e)
{
	text_state_fields(o, &e->state);
}

static void text_signal(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_signal *s = &e->signal;
	int generate = s->op == FS_SIG_GENERATE;
	const char *result = fs_name_get(generate ? &fs_sig_results : &fs_sig_actions, s->result);
	char buf[FS_NAME_BUF];
	const char *sig = fs_signal_name(s->sig, buf, sizeof(buf));

	if (generate) {
		strbuf_uint(o, e->pid, 0, ' ');
		OUT_LIT(o, " -> ");
	}
	strbuf_uint(o, s->target_pid, 0, ' ');
	if (!generate)
		OUT_LIT(o, " takes");
	if (s->target_tid != s->target_pid) {
		OUT_LIT(o, "/");
		strbuf_uint(o, s->target_tid, 0, ' ');
	}
	OUT_LIT(o, " ");
	strbuf_puts(o, sig);
	strbuf_puts(o, generate ? " " : ": ");
	strbuf_puts(o, result ? result : "?");
}

static void text_ipc_extra(struct strbuf *o, const struct fs_ev_ipc *x)
{
	size_t n = min_len(x->path_len, FS_PATH_LEN);
	char addr[FS_ADDR_BUF];
	int len;

	if (x->peer_kind == FS_PEER_CHAN)
		out_chan(o, " peer=", x->chan_kind, x->peer);
	else if (x->peer_kind == FS_PEER_INET_PORTS) {
		OUT_LIT(o, " ports=");
		strbuf_uint(o, x->peer >> 16 & 0xffff, 0, ' ');
		OUT_LIT(o, "->");
		strbuf_uint(o, x->peer & 0xffff, 0, ' ');
	}
	if (x->arg && (x->op == FS_IPC_READ || x->op == FS_IPC_WRITE)) {
		char buf[32];

		OUT_LIT(o, " via ");
		strbuf_puts(o, fs_syscall_name(x->arg, buf, sizeof(buf)));
	} else if (x->arg && (x->op == FS_IPC_PIPE || x->op == FS_IPC_SOCKETPAIR)) {
		OUT_LIT(o, " fds=[");
		strbuf_int(o, (int)(x->arg >> 32));
		OUT_LIT(o, ",");
		strbuf_int(o, (int)x->arg);
		OUT_LIT(o, "]");
	} else if (x->arg) {
		OUT_LIT(o, " arg=");
		strbuf_int(o, x->arg);
	}
	if (n && log_ipc_has_addr(x->op) && (len = fs_sockaddr_format(x->path, n, addr)) >= 0) {
		strbuf_put(o, " ", 1);
		out_bytes(o, addr, len);
	} else if (n) {
		strbuf_put(o, " ", 1);
		out_quoted(o, x->path, n);
	}
	if (x->path_truncated)
		strbuf_put(o, "...", 3);
}

static void text_ipc(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_ipc *x = &e->ipc;
	const char *op = fs_name_get(&fs_ipc_ops, x->op);

	if (op) {
		strbuf_puts(o, op);
	} else {
		OUT_LIT(o, "op=");
		strbuf_uint(o, x->op, 0, ' ');
	}
	out_chan(o, " ", x->chan_kind, x->chan);
	if (x->fd >= 0) {
		OUT_LIT(o, " fd=");
		strbuf_int(o, x->fd);
	}
	if (x->bytes >= 0 && log_ipc_moves_bytes(x->op)) {
		OUT_LIT(o, " ");
		strbuf_int(o, x->bytes);
		OUT_LIT(o, " bytes");
	} else if (x->bytes)
		out_result(o, x->bytes);
	text_ipc_extra(o, x);
}

static void text_mark(struct strbuf *o, const struct fs_event *e)
{
	out_quoted(o, e->mark.text, min_len(e->mark.len, FS_MARK_LEN));
	if (e->mark.ns_pid) { /* what getpid() says in the text is the namespace's number */
		OUT_LIT(o, " (pids in its pid namespace's numbers: it is ");
		strbuf_uint(o, e->mark.ns_pid, 0, ' ');
		OUT_LIT(o, " there)");
	}
	if (e->mark.unreadable)
		OUT_LIT(o, " (unreadable)");
}

static void text_lost(struct strbuf *o, const struct fs_event *e)
{
	OUT_LIT(o, "LOST ");
	strbuf_uint(o, e->lost.count, 0, ' ');
	OUT_LIT(o, " events");
}

static void text_output(struct strbuf *o, const struct fs_event *e)
{
	OUT_LIT(o, "fd ");
	strbuf_int(o, e->output.fd);
	OUT_LIT(o, ": ");
	out_quoted(o, e->output.text, min_len(e->output.len, FS_OUTPUT_LEN));
	if (e->output.truncated)
		OUT_LIT(o, "...");
	if (e->output.unreadable)
		OUT_LIT(o, " (unreadable)");
}

/* A process that was running before it was traced: ppid, threads, age, image, state. */
static void text_running(struct strbuf *o, const struct fs_ev_existing *x)
{
	strbuf_printf(o, "ppid=%u threads=%u age=%.3fs ", x->ppid, x->threads, x->age_ns / 1e9);
	text_image(o, &x->image);
	strbuf_put(o, " ", 1);
	text_state_fields(o, &x->state);
}

static void text_existing(struct strbuf *o, const struct fs_event *e)
{
	text_running(o, &e->existing);
}

/* "enter /svc/web (id 123) ppid=... " or "leave /other (id 9) ppid=...". */
static void text_cgroup(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_cgroup *c = &e->cgroup;
	const char *op = fs_name_get(&fs_cgroup_ops, c->op);

	strbuf_printf(o, "%s ", op ? op : "?");
	if (c->path_len)
		out_quoted(o, c->path, min_len(c->path_len, FS_PATH_LEN));
	strbuf_printf(o, "%s(id %llu) ", c->path_len ? " " : "", (unsigned long long)c->cgroup_id);
	if (c->op == FS_CG_ENTER)
		text_running(o, &c->proc);
	else
		strbuf_printf(o, "ppid=%u", c->proc.ppid);
}

static void text_total(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_total *t = &e->total;

	out_chan(o, "", t->chan_kind, t->chan);
	OUT_LIT(o, " in ");
	strbuf_uint(o, t->bytes_in, 0, ' ');
	OUT_LIT(o, " bytes/");
	strbuf_uint(o, t->msgs_in, 0, ' ');
	OUT_LIT(o, " msgs, out ");
	strbuf_uint(o, t->bytes_out, 0, ' ');
	OUT_LIT(o, " bytes/");
	strbuf_uint(o, t->msgs_out, 0, ' ');
	OUT_LIT(o, " msgs");
}

static void text_step(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_step *st = &e->step;
	const char *op = fs_name_get(&fs_step_ops, st->op), *method = fs_name_get(&fs_freeze_methods, st->method);
	const char *at = fs_name_get(&fs_event_types, st->at_type);

	strbuf_printf(o, "%s at seq %llu (%s%s%s) ", op ? op : "?", (unsigned long long)st->at_seq, at ? at : "",
		      at ? ", " : "", method ? method : "?");
	if (st->op == FS_STEP_THAW) {
		strbuf_printf(o, "after %llu.%06llus", (unsigned long long)(st->frozen_ns / 1000000000u),
			      (unsigned long long)(st->frozen_ns % 1000000000u / 1000u));
	} else {
		strbuf_uint(o, st->procs, 0, ' ');
		OUT_LIT(o, " held");
	}
}

/* "fork question 1 choice=3 right=2 (wrong) asked at seq 10, decided at seq 14" */
static void text_answer(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_answer *a = &e->answer;

	out_bytes(o, a->lesson, strnlen(a->lesson, sizeof(a->lesson)));
	strbuf_printf(o, " question %u choice=%u right=%u (%s) asked at seq %llu, decided at seq %llu", a->question,
		      a->choice, a->right, !a->choice ? "skipped" : a->choice == a->right ? "right" : "wrong",
		      (unsigned long long)a->asked_seq, (unsigned long long)a->decided_seq);
}

typedef void (*text_fn)(struct strbuf *o, const struct fs_event *e);

static const text_fn type_fns[FS_EV_TYPE_MAX] = {
	[FS_EV_FORK] = text_fork,         [FS_EV_FORK_RETURN] = text_fork_return,
	[FS_EV_EXEC] = text_exec,         [FS_EV_EXIT] = text_exit,
	[FS_EV_REAP] = text_reap,         [FS_EV_REPARENT] = text_reparent,
	[FS_EV_STATE] = text_state,       [FS_EV_SIGNAL] = text_signal,
	[FS_EV_IPC] = text_ipc,           [FS_EV_MARK] = text_mark,
	[FS_EV_LOST] = text_lost,         [FS_EV_OUTPUT] = text_output,
	[FS_EV_TOTAL] = text_total,       [FS_EV_EXISTING] = text_existing,
	[FS_EV_CGROUP] = text_cgroup,     [FS_EV_STEP] = text_step,
	[FS_EV_ANSWER] = text_answer,
};

int dump_event_text(char *buf, size_t len, const struct fs_event *e)
{
	struct strbuf o = { buf, len, 0 };
	const char *type = fs_name_get(&fs_event_types, e->type);
	size_t col;

	strbuf_time(&o, e->ts);
	OUT_LIT(&o, " [");
	strbuf_uint(&o, e->pid, 5, ' ');
	OUT_LIT(&o, "/");
	col = o.pos;
	strbuf_uint(&o, e->tid, 0, ' ');
	out_pad(&o, col, 5); /* %-5u */
	OUT_LIT(&o, "] ");
	col = o.pos;
	out_bytes(&o, e->comm, strnlen(e->comm, FS_COMM_LEN));
	out_pad(&o, col, COMM_WIDTH);
	OUT_LIT(&o, " ");
	col = o.pos;
	strbuf_puts(&o, type ? type : "?");
	out_pad(&o, col, TYPE_WIDTH);
	OUT_LIT(&o, " ");
	if (type) {
		type_fns[e->type](&o, e);
	} else {
		OUT_LIT(&o, "type=");
		strbuf_uint(&o, e->type, 0, ' ');
	}
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return o.pos;
}

void dump_print_header(FILE *out, const struct fs_log_header *h)
{
	char buf[8192], time[FS_ISO_TIME_BUF];
	struct strbuf o = { buf, sizeof(buf) - 4, 0 };

	log_iso_time(time, h->start_realtime_ns);
	if (h->cgroup[0]) {
		strbuf_printf(&o, _("# forkscope log v%u: cgroup "), h->version);
		out_bytes(&o, h->cgroup, strnlen(h->cgroup, sizeof(h->cgroup)));
	} else {
		strbuf_printf(&o, _("# forkscope log v%u: pid %u"), h->version, h->root_pid);
	}
	for (int i = 0; i < h->argc; i++) {
		strbuf_put(&o, " ", 1);
		out_bytes(&o, h->argv[i], strlen(h->argv[i]));
	}
	if (h->command_truncated)
		strbuf_printf(&o, "%s", _(" (command truncated)"));
	strbuf_printf(&o, "%s", _(", kernel "));
	out_bytes(&o, h->kernel, strlen(h->kernel));
	strbuf_printf(&o, "%s", _(" on "));
	out_bytes(&o, h->host, strlen(h->host));
	strbuf_printf(&o, _(", started %s UTC, source "), time);
	out_bytes(&o, h->source, strlen(h->source));
	if (o.pos > o.len) { /* a huge command line */
		memcpy(buf + o.len - 3, "...", 3);
		o.pos = o.len;
	}
	fprintf(out, "%.*s\n", (int)o.pos, buf);
}

void dump_print_end(FILE *out, const struct fs_log_end *end)
{
	fprintf(out, _("# end: exit status %d, %llu events, %llu lost, %llu.%06llu s%s\n"),
		end->exit_status, (unsigned long long)end->events, (unsigned long long)end->lost,
		(unsigned long long)end->duration_ns / 1000000000,
		(unsigned long long)end->duration_ns % 1000000000 / 1000,
		end->detached ? _(", detached: the tree ran on") : "");
}

/* Text or JSON output: one of the two is set. */
struct sink {
	FILE *out;
	struct fs_log_writer *w;
	char line[LINE_BUF];
};

static int sink_event(struct sink *s, const struct fs_event *e)
{
	size_t n;

	if (s->w)
		return log_writer_event(s->w, e);
	n = dump_event_text(s->line, sizeof(s->line), e);
	if (n > sizeof(s->line) - 1)
		n = sizeof(s->line) - 1; /* cut, as printing the NUL-terminated line did */
	s->line[n] = '\n';
	fwrite(s->line, 1, n + 1, s->out);
	return 0;
}

/* Every event up to the end or the first bad line; output is flushed either way. */
static int dump_events(struct fs_log_reader *r, struct sink *s, FILE *errout)
{
	struct fs_event e;
	char err[512];
	int ret, wret = 0;

	while ((ret = log_reader_next(r, &e, err, sizeof(err))) > 0 && !(wret = sink_event(s, &e)))
		;
	if (!wret && s->w)
		wret = log_writer_flush(s->w);
	if (ret < 0)
		fprintf(errout, "forkscope: %s\n", err);
	else if (wret)
		fprintf(errout, _("forkscope: writing the dump: %s\n"), strerror(-wret));
	return ret < 0 ? ret : wret;
}

static int dump_start(struct fs_log_reader *r, struct sink *s, int json)
{
	int ret;

	if (!json) {
		dump_print_header(s->out, log_reader_header(r));
		return 0;
	}
	ret = log_writer_open_stream(&s->w, s->out);
	return ret ? ret : log_writer_header(s->w, log_reader_header(r));
}

void dump_warn_truncated(FILE *errout, const char *name)
{
	cli_info(errout, _("forkscope: warning: %s is truncated (no end line): the tracer did not finish\n"), name);
}

void dump_warn_if_truncated(FILE *errout, const struct fs_log_reader *r)
{
	if (log_reader_truncated(r))
		dump_warn_truncated(errout, log_reader_name(r));
}

int dump_file(const char *path, int json, FILE *out, FILE *errout)
{
	struct fs_log_reader *r;
	struct sink s = { .out = out };
	const struct fs_log_end *end;
	char err[512];
	int ret;

	if (log_reader_open(&r, path, err, sizeof(err))) {
		fprintf(errout, "forkscope: %s\n", err);
		return 1;
	}
	ret = dump_start(r, &s, json);
	if (ret)
		fprintf(errout, _("forkscope: dump: %s\n"), strerror(-ret));
	else
		ret = dump_events(r, &s, errout);
	end = log_reader_end(r);
	if (!ret && end && s.w)
		ret = log_writer_end(s.w, end);
	else if (!ret && end)
		dump_print_end(out, end);
	if (log_writer_close(s.w) && !ret)
		ret = -EIO;
	if (!ret)
		dump_warn_if_truncated(errout, r);
	log_reader_close(r);
	fflush(out);
	return ret ? 1 : 0;
}
