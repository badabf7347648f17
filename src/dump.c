// SPDX-License-Identifier: GPL-2.0
/* `forkscope dump`: events as aligned, terminal-safe text lines (or re-validated JSON Lines). */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "dump.h"
#include "i18n.h"
#include "strbuf.h"
#include "log.h"
#include "names.h"

#define COMM_WIDTH 15 /* TASK_COMM_LEN - 1 */
#define TYPE_WIDTH 11 /* "fork_return" */
#define LINE_BUF (16 * 1024) /* more than any escaped event line */

/* Pads what was written since from to width, then one space to keep columns apart. */
static void out_pad(struct strbuf *o, size_t from, size_t width)
{
	while (o->pos - from < width)
		strbuf_put(o, " ", 1);
	strbuf_put(o, " ", 1);
}

/* Printable UTF-8 passes; C0/C1 controls, DEL and invalid bytes become escapes. */
static void out_bytes(struct strbuf *o, const char *s, size_t n)
{
	uint32_t cp;
	int k;

	for (size_t i = 0; i < n; i += k) {
		unsigned char c = s[i];

		k = log_utf8_char(s + i, n - i, &cp);
		if (k > 1 && cp >= 0xa0) {
			strbuf_put(o, s + i, k);
			continue;
		}
		k = 1;
		if (c == '\\' || c == '"')
			strbuf_printf(o, "\\%c", c);
		else if (c == '\n')
			strbuf_put(o, "\\n", 2);
		else if (c == '\t')
			strbuf_put(o, "\\t", 2);
		else if (c >= 0x20 && c < 0x7f)
			strbuf_put(o, s + i, 1);
		else
			strbuf_printf(o, "\\x%02x", c);
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

	strbuf_printf(o, " = %lld", ret);
	if (ret < 0 && ret >= -4095)
		strbuf_printf(o, " %s", fs_errno_name(-ret, buf, sizeof(buf)));
}

static void out_chan(struct strbuf *o, const char *prefix, unsigned int kind, uint64_t id)
{
	char buf[FS_CHAN_BUF];

	if (fs_chan_format(kind, id, buf, sizeof(buf)) >= 0)
		strbuf_printf(o, "%s%s", prefix, buf);
}

static size_t min_len(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void text_fork(struct strbuf *o, const struct fs_event *e)
{
	if (e->fork.thread)
		strbuf_printf(o, "child=%u/%u (thread)", e->fork.child_pid, e->fork.child_tid);
	else
		strbuf_printf(o, "child=%u (process)", e->fork.child_pid);
}

static void text_fork_return(struct strbuf *o, const struct fs_event *e)
{
	char buf[FS_NAME_BUF];

	strbuf_printf(o, "%s", fs_syscall_name(e->fork_return.sysnr, buf, sizeof(buf)));
	out_result(o, e->fork_return.ret);
}

static void text_exec(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_exec *x = &e->exec;
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
	if (x->result)
		out_result(o, x->result);
	if (x->old_tid != e->tid)
		strbuf_printf(o, " (was tid %u)", x->old_tid);
}

static void text_exit(struct strbuf *o, const struct fs_event *e)
{
	char buf[FS_NAME_BUF];

	if (e->exit.sig)
		strbuf_printf(o, "killed by %s%s", fs_signal_name(e->exit.sig, buf, sizeof(buf)),
			   e->exit.core ? " (core dumped)" : "");
	else
		strbuf_printf(o, "code=%u", e->exit.code);
	if (e->exit.thread)
		strbuf_put(o, " (thread)", 9);
}

static void text_reap(struct strbuf *o, const struct fs_event *e)
{
	strbuf_printf(o, "child=%u%s", e->reap.child, e->reap.autoreap ? " (auto-reaped)" : "");
}

static void text_reparent(struct strbuf *o, const struct fs_event *e)
{
	strbuf_printf(o, "parent %u -> %u", e->reparent.old_parent, e->reparent.new_parent);
}

static void text_state(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_state *s = &e->state;
	const char *name = fs_name_get(&fs_states, s->state);
	const char *reason = fs_name_get(&fs_ready_reasons, s->sysnr);
	char buf[FS_NAME_BUF];

	if (!name) {
		strbuf_printf(o, "state=%u", s->state);
		return;
	}
	strbuf_printf(o, "%s", name);
	if (s->state == FS_STATE_READY && reason)
		strbuf_printf(o, " (%s)", reason);
	if (s->state != FS_STATE_BLOCKED)
		return;
	if (s->sysnr >= 0)
		strbuf_printf(o, " in %s", fs_syscall_name(s->sysnr, buf, sizeof(buf)));
	out_chan(o, " on ", s->chan_kind, s->chan);
}

static void text_signal(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_signal *s = &e->signal;
	int generate = s->op == FS_SIG_GENERATE;
	const char *result = fs_name_get(generate ? &fs_sig_results : &fs_sig_actions, s->result);
	char buf[FS_NAME_BUF];
	const char *sig = fs_signal_name(s->sig, buf, sizeof(buf));

	if (generate)
		strbuf_printf(o, "%u -> %u", e->pid, s->target_pid);
	else
		strbuf_printf(o, "%u takes", s->target_pid);
	if (s->target_tid != s->target_pid)
		strbuf_printf(o, "/%u", s->target_tid);
	strbuf_printf(o, generate ? " %s %s" : " %s: %s", sig, result ? result : "?");
}

static void text_ipc_extra(struct strbuf *o, const struct fs_ev_ipc *x)
{
	size_t n = min_len(x->path_len, FS_PATH_LEN);
	char addr[FS_ADDR_BUF];
	int len;

	if (x->peer_kind == FS_PEER_CHAN)
		out_chan(o, " peer=", x->chan_kind, x->peer);
	else if (x->peer_kind == FS_PEER_INET_PORTS)
		strbuf_printf(o, " ports=%u->%u", (unsigned int)(x->peer >> 16 & 0xffff),
			   (unsigned int)(x->peer & 0xffff));
	if (x->arg && (x->op == FS_IPC_PIPE || x->op == FS_IPC_SOCKETPAIR))
		strbuf_printf(o, " fds=[%d,%d]", (int)(x->arg >> 32), (int)x->arg);
	else if (x->arg)
		strbuf_printf(o, " arg=%lld", (long long)x->arg);
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

	if (op)
		strbuf_printf(o, "%s", op);
	else
		strbuf_printf(o, "op=%u", x->op);
	out_chan(o, " ", x->chan_kind, x->chan);
	if (x->fd >= 0)
		strbuf_printf(o, " fd=%d", x->fd);
	if (x->bytes >= 0 && log_ipc_moves_bytes(x->op))
		strbuf_printf(o, " %lld bytes", (long long)x->bytes);
	else if (x->bytes)
		out_result(o, x->bytes);
	text_ipc_extra(o, x);
}

static void text_mark(struct strbuf *o, const struct fs_event *e)
{
	out_quoted(o, e->mark.text, min_len(e->mark.len, FS_MARK_LEN));
}

static void text_lost(struct strbuf *o, const struct fs_event *e)
{
	strbuf_printf(o, "LOST %llu events", (unsigned long long)e->lost.count);
}

static void text_output(struct strbuf *o, const struct fs_event *e)
{
	strbuf_printf(o, "fd %d: ", e->output.fd);
	out_quoted(o, e->output.text, min_len(e->output.len, FS_OUTPUT_LEN));
	if (e->output.truncated)
		strbuf_printf(o, "...");
}

static void text_total(struct strbuf *o, const struct fs_event *e)
{
	const struct fs_ev_total *t = &e->total;

	out_chan(o, "", t->chan_kind, t->chan);
	strbuf_printf(o, " in %llu bytes/%llu msgs, out %llu bytes/%llu msgs",
		   (unsigned long long)t->bytes_in, (unsigned long long)t->msgs_in,
		   (unsigned long long)t->bytes_out, (unsigned long long)t->msgs_out);
}

typedef void (*text_fn)(struct strbuf *o, const struct fs_event *e);

static const text_fn type_fns[FS_EV_TYPE_MAX] = {
	[FS_EV_FORK] = text_fork,         [FS_EV_FORK_RETURN] = text_fork_return,
	[FS_EV_EXEC] = text_exec,         [FS_EV_EXIT] = text_exit,
	[FS_EV_REAP] = text_reap,         [FS_EV_REPARENT] = text_reparent,
	[FS_EV_STATE] = text_state,       [FS_EV_SIGNAL] = text_signal,
	[FS_EV_IPC] = text_ipc,           [FS_EV_MARK] = text_mark,
	[FS_EV_LOST] = text_lost,         [FS_EV_OUTPUT] = text_output,
	[FS_EV_TOTAL] = text_total,
};

int dump_event_text(char *buf, size_t len, const struct fs_event *e)
{
	struct strbuf o = { buf, len, 0 };
	const char *type = fs_name_get(&fs_event_types, e->type);
	size_t col;

	strbuf_printf(&o, "%6llu.%06llu [%5u/%-5u] ", (unsigned long long)e->ts / 1000000000,
		   (unsigned long long)e->ts % 1000000000 / 1000, e->pid, e->tid);
	col = o.pos;
	out_bytes(&o, e->comm, strnlen(e->comm, FS_COMM_LEN));
	out_pad(&o, col, COMM_WIDTH);
	col = o.pos;
	strbuf_printf(&o, "%s", type ? type : "?");
	out_pad(&o, col, TYPE_WIDTH);
	if (type)
		type_fns[e->type](&o, e);
	else
		strbuf_printf(&o, "type=%u", e->type);
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return o.pos;
}

void dump_print_header(FILE *out, const struct fs_log_header *h)
{
	char buf[8192], time[FS_ISO_TIME_BUF];
	struct strbuf o = { buf, sizeof(buf) - 4, 0 };

	log_iso_time(time, h->start_realtime_ns);
	strbuf_printf(&o, _("# forkscope log v%u: pid %u"), h->version, h->root_pid);
	for (int i = 0; i < h->argc; i++) {
		strbuf_put(&o, " ", 1);
		out_bytes(&o, h->argv[i], strlen(h->argv[i]));
	}
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
	fprintf(out, _("# end: exit status %d, %llu events, %llu lost, %llu.%06llu s\n"),
		end->exit_status, (unsigned long long)end->events, (unsigned long long)end->lost,
		(unsigned long long)end->duration_ns / 1000000000,
		(unsigned long long)end->duration_ns % 1000000000 / 1000);
}

/* Text or JSON output: one of the two is set. */
struct sink {
	FILE *out;
	struct fs_log_writer *w;
	char line[LINE_BUF];
};

static int sink_event(struct sink *s, const struct fs_event *e)
{
	if (s->w)
		return log_writer_event(s->w, e);
	dump_event_text(s->line, sizeof(s->line), e);
	fprintf(s->out, "%s\n", s->line);
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

void dump_warn_if_truncated(FILE *errout, const struct fs_log_reader *r)
{
	if (log_reader_truncated(r))
		fprintf(errout, _("forkscope: warning: %s is truncated (no end line): the tracer did not finish\n"),
			log_reader_name(r));
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
