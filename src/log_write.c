// SPDX-License-Identifier: GPL-2.0
/* The session log writer: formats events as JSON Lines by hand into a big buffer (no printf per field). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "names.h"
#include "strbuf.h"

#define WBUF_SIZE (256 * 1024)
/*
 * Room reserved before formatting one event, so the formatters need no
 * bounds checks. Worst case: a string costs at most 6 bytes per input byte
 * (\u00XX) plus quotes, the argv list at most 11 bytes per input byte
 * ({"hex":"00"},): comm ~100 + filename ~1.6K + argv ~5.7K + fixed fields.
 */
#define EVENT_LINE_MAX (16 * 1024)
#define MAX_ERRNO 4095 /* larger negative values are not errno codes */

struct fs_log_writer {
	int fd;       /* -1 when writing to stream */
	int own_fd;
	FILE *stream; /* NULL when writing to fd */
	int err;      /* the first write error: once set, nothing more is written */
	size_t len;
	size_t cap;
	char *buf;
	uint32_t version; /* the header's: an event a newer version holds is refused */
};

/* Appends a string literal. */
#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)
/* ,"key":VALUE */
#define KEY_U64(p, key, v) put_u64(LIT(p, ",\"" key "\":"), (v))
#define KEY_I64(p, key, v) put_i64(LIT(p, ",\"" key "\":"), (v))
#define KEY_NAME(p, key, name) put_name(LIT(p, ",\"" key "\":"), (name))
#define KEY_BYTES(p, key, s, n) put_bytes(LIT(p, ",\"" key "\":"), (s), (n))

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20], *s = strbuf_u64_before(tmp + sizeof(tmp), v);

	memcpy(p, s, (size_t)(tmp + sizeof(tmp) - s));
	return p + (tmp + sizeof(tmp) - s);
}

static char *put_i64(char *p, int64_t v)
{
	if (v >= 0)
		return put_u64(p, v);
	*p++ = '-';
	return put_u64(p, -(uint64_t)v);
}

/* A table name: plain ASCII, needs no escaping. */
static char *put_name(char *p, const char *name)
{
	size_t n = strlen(name);

	*p++ = '"';
	memcpy(p, name, n);
	p += n;
	*p++ = '"';
	return p;
}

static char *put_hex(char *p, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	p = LIT(p, "{\"hex\":\"");
	for (size_t i = 0; i < n; i++) {
		*p++ = digits[(unsigned char)s[i] >> 4];
		*p++ = digits[(unsigned char)s[i] & 15];
	}
	return LIT(p, "\"}");
}

int log_utf8_char(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t k;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] < 0xc2 || u[0] > 0xf4) /* a continuation byte, overlong, or past U+10FFFF */
		return 0;
	k = u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	min = k == 2 ? 0x80 : k == 3 ? 0x800 : 0x10000;
	c = u[0] & (0x7f >> k);
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

/*
 * Format characters that change how the text around them reads without showing themselves:
 * bidi overrides and isolates (Trojan Source), zero-width spaces and joiners, the soft hyphen,
 * the BOM, line and paragraph separators, interlinear annotation marks.
 */
static int invisible_format(uint32_t cp)
{
	return cp == 0xad || cp == 0x61c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb);
}

int log_text_char(const char *s, size_t n, uint32_t *cp)
{
	int k = log_utf8_char(s, n, cp);

	return k > 1 && *cp >= 0xa0 && !invisible_format(*cp) ? k : 0;
}

/*
 * Arbitrary bytes: a JSON string when they are valid UTF-8 without NUL
 * (control characters, DEL and C1 as \u00XX), else {"hex":"..."}.
 */
static char *put_bytes(char *p, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *start = p;
	uint32_t cp;
	int k;

	*p++ = '"';
	for (size_t i = 0; i < n; i += k) {
		unsigned char c = s[i];

		k = 1;
		if (c >= 0x20 && c < 0x7f) {
			if (c == '"' || c == '\\')
				*p++ = '\\';
			*p++ = c;
			continue;
		}
		k = c ? log_utf8_char(s + i, n - i, &cp) : 0;
		if (!k)
			return put_hex(start, s, n);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			p = LIT(p, "\\u00");
			*p++ = digits[cp >> 4];
			*p++ = digits[cp & 15];
		} else {
			memcpy(p, s + i, k);
			p += k;
		}
	}
	*p++ = '"';
	return p;
}

/* ,"errno":"EAGAIN" for a negative syscall result */
static char *put_errno(char *p, int64_t ret)
{
	uint64_t err = -(uint64_t)ret;
	char buf[FS_NAME_BUF];

	if (ret >= 0 || err > MAX_ERRNO)
		return p;
	return KEY_NAME(p, "errno", fs_errno_name(err, buf, sizeof(buf)));
}

static char *put_chan(char *p, unsigned int kind, uint64_t id)
{
	char buf[FS_CHAN_BUF];
	int n = fs_chan_format(kind, id, buf, sizeof(buf));

	return n < 0 ? NULL : put_bytes(p, buf, n);
}

static size_t min_len(size_t a, size_t b)
{
	return a < b ? a : b;
}

static char *put_fork(char *p, const struct fs_event *e)
{
	p = KEY_U64(p, "child", e->fork.child_pid);
	p = KEY_U64(p, "child_tid", e->fork.child_tid);
	return e->fork.thread ? LIT(p, ",\"thread\":true") : LIT(p, ",\"thread\":false");
}

static char *put_fork_return(char *p, const struct fs_event *e)
{
	char buf[FS_NAME_BUF];

	p = KEY_NAME(p, "syscall", fs_syscall_name(e->fork_return.sysnr, buf, sizeof(buf)));
	p = KEY_I64(p, "ret", e->fork_return.ret);
	if (e->fork_return.ns_ret)
		p = KEY_U64(p, "ns_ret", e->fork_return.ns_ret);
	return put_errno(p, e->fork_return.ret);
}

/* argv: NUL-terminated strings; the last may lack its NUL when it fills the buffer. */
static char *put_argv(char *p, const char *argv, size_t len)
{
	p = LIT(p, ",\"argv\":[");
	for (size_t i = 0; i < len;) {
		const char *nul = memchr(argv + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - argv) - i : len - i;

		if (i)
			*p++ = ',';
		p = put_bytes(p, argv + i, n);
		i += n + 1;
	}
	*p++ = ']';
	return p;
}

/* What a process runs: the file and its argv. */
static char *put_image(char *p, const struct fs_ev_exec *x)
{
	p = KEY_BYTES(p, "filename", x->filename, min_len(x->filename_len, FS_PATH_LEN));
	return put_argv(p, x->argv, min_len(x->argv_len, FS_ARGV_LEN));
}

static char *put_image_truncation(char *p, const struct fs_ev_exec *x)
{
	if (x->argv_truncated)
		p = LIT(p, ",\"argv_truncated\":true");
	if (x->filename_truncated)
		p = LIT(p, ",\"filename_truncated\":true");
	return p;
}

static char *put_exec(char *p, const struct fs_event *e)
{
	const struct fs_ev_exec *x = &e->exec;

	p = put_image(p, x);
	p = KEY_I64(p, "result", x->result);
	p = put_image_truncation(put_errno(p, x->result), x);
	if (x->old_tid != e->tid)
		p = KEY_U64(p, "old_tid", x->old_tid);
	return p;
}

static char *put_exit(char *p, const struct fs_event *e)
{
	char buf[FS_NAME_BUF];

	if (e->exit.sig) {
		p = KEY_NAME(p, "signal", fs_signal_name(e->exit.sig, buf, sizeof(buf)));
		p = KEY_U64(p, "signo", e->exit.sig);
		p = e->exit.core ? LIT(p, ",\"core\":true") : LIT(p, ",\"core\":false");
	} else {
		p = KEY_U64(p, "code", e->exit.code);
	}
	return e->exit.thread ? LIT(p, ",\"thread\":true") : p;
}

static char *put_reap(char *p, const struct fs_event *e)
{
	p = KEY_U64(p, "child", e->reap.child);
	if (e->reap.ns_child)
		p = KEY_U64(p, "ns_child", e->reap.ns_child);
	return e->reap.autoreap ? LIT(p, ",\"auto\":true") : p;
}

static char *put_reparent(char *p, const struct fs_event *e)
{
	p = KEY_U64(p, "old_parent", e->reparent.old_parent);
	return KEY_U64(p, "new_parent", e->reparent.new_parent);
}

/* "state" and what goes with it: why it is ready, where it is blocked. */
static char *put_state_fields(char *p, const struct fs_ev_state *s)
{
	const char *name = fs_name_get(&fs_states, s->state);
	char buf[FS_NAME_BUF];

	if (!name)
		return NULL;
	p = KEY_NAME(p, "state", name);
	if (s->state == FS_STATE_READY) {
		name = fs_name_get(&fs_ready_reasons, s->sysnr);
		return name ? KEY_NAME(p, "reason", name) : NULL;
	}
	if (s->state != FS_STATE_BLOCKED)
		return p;
	if (s->sysnr >= 0)
		p = KEY_NAME(p, "syscall", fs_syscall_name(s->sysnr, buf, sizeof(buf)));
	if (s->chan_kind != FS_CHAN_NONE)
		p = put_chan(LIT(p, ",\"channel\":"), s->chan_kind, s->chan);
	if (s->stop == FS_STOP_NONE)
		return p; /* optional: absent means asleep in a call, as every older log says */
	name = fs_name_get(&fs_stop_kinds, s->stop);
	return name ? KEY_NAME(p, "stop", name) : NULL;
}

static char *put_state(char *p, const struct fs_event *e)
{
	return put_state_fields(p, &e->state);
}

static char *put_signal(char *p, const struct fs_event *e)
{
	const struct fs_ev_signal *s = &e->signal;
	const char *op = fs_name_get(&fs_signal_ops, s->op);
	const char *result = fs_name_get(s->op == FS_SIG_GENERATE ? &fs_sig_results : &fs_sig_actions,
					 s->result);
	char buf[FS_NAME_BUF];

	if (!op || !result)
		return NULL;
	p = KEY_NAME(p, "op", op);
	p = KEY_U64(p, "target", s->target_pid);
	p = KEY_U64(p, "target_tid", s->target_tid);
	p = KEY_NAME(p, "sig", fs_signal_name(s->sig, buf, sizeof(buf)));
	p = KEY_U64(p, "signo", s->sig);
	return KEY_NAME(p, "result", result);
}

unsigned int log_event_version(unsigned int type)
{
	switch (type) {
	case FS_EV_EXISTING: return FS_LOG_VERSION_EXISTING;
	case FS_EV_CGROUP: return FS_LOG_VERSION_CGROUP;
	case FS_EV_STEP: case FS_EV_ANSWER: return FS_LOG_VERSION_STEP;
	default: return 1;
	}
}

int log_writer_takes(const struct fs_log_writer *w, unsigned int type)
{
	return !w->version || log_event_version(type) <= w->version;
}

int log_ipc_moves_bytes(unsigned int op)
{
	switch (op) {
	case FS_IPC_READ: case FS_IPC_WRITE: case FS_IPC_MMAP: case FS_IPC_MSGSND:
	case FS_IPC_MSGRCV: case FS_IPC_MQ_SEND: case FS_IPC_MQ_RECV:
		return 1;
	}
	return 0;
}

int log_ipc_has_addr(unsigned int op)
{
	return op == FS_IPC_BIND || op == FS_IPC_CONNECT || op == FS_IPC_ACCEPT;
}

static char *put_ipc_path(char *p, const struct fs_ev_ipc *x)
{
	size_t n = min_len(x->path_len, FS_PATH_LEN);
	char addr[FS_ADDR_BUF];
	int len;

	if (n && !log_ipc_has_addr(x->op))
		p = KEY_BYTES(p, "path", x->path, n);
	else if (n && (len = fs_sockaddr_format(x->path, n, addr)) >= 0)
		p = KEY_BYTES(p, "addr", addr, len);
	return x->path_truncated ? LIT(p, ",\"path_truncated\":true") : p;
}

static char *put_ipc(char *p, const struct fs_event *e)
{
	const struct fs_ev_ipc *x = &e->ipc;
	const char *op = fs_name_get(&fs_ipc_ops, x->op);
	char buf[32];

	if (!op || (x->chan_kind == FS_CHAN_NONE && x->peer_kind == FS_PEER_CHAN))
		return NULL;
	p = KEY_NAME(p, "op", op);
	if (x->chan_kind != FS_CHAN_NONE && !(p = put_chan(LIT(p, ",\"channel\":"), x->chan_kind, x->chan)))
		return NULL;
	if (x->fd >= 0)
		p = KEY_I64(p, "fd", x->fd);
	if (x->bytes < 0)
		p = put_errno(KEY_I64(p, "error", x->bytes), x->bytes);
	else if (x->bytes > 0 || log_ipc_moves_bytes(x->op))
		p = KEY_I64(p, "bytes", x->bytes);
	if (x->peer_kind == FS_PEER_CHAN) {
		p = put_chan(LIT(p, ",\"peer\":"), x->chan_kind, x->peer);
	} else if (x->peer_kind == FS_PEER_INET_PORTS) {
		p = KEY_U64(p, "lport", x->peer >> 16 & 0xffff);
		p = KEY_U64(p, "rport", x->peer & 0xffff);
	} else if (x->peer_kind != FS_PEER_NONE) {
		return NULL;
	}
	if (x->arg && (x->op == FS_IPC_READ || x->op == FS_IPC_WRITE))
		p = KEY_NAME(p, "via", fs_syscall_name(x->arg, buf, sizeof(buf)));
	else if (x->arg)
		p = KEY_I64(p, "arg", x->arg);
	return put_ipc_path(p, x);
}

static char *put_unreadable(char *p, __u32 unreadable)
{
	return unreadable ? LIT(p, ",\"unreadable\":true") : p;
}

static char *put_mark(char *p, const struct fs_event *e)
{
	p = KEY_BYTES(p, "text", e->mark.text, min_len(e->mark.len, FS_MARK_LEN));
	if (e->mark.ns_pid)
		p = KEY_U64(p, "ns_pid", e->mark.ns_pid);
	return put_unreadable(p, e->mark.unreadable);
}

static char *put_lost(char *p, const struct fs_event *e)
{
	return KEY_U64(p, "count", e->lost.count);
}

static char *put_output(char *p, const struct fs_event *e)
{
	p = KEY_I64(p, "fd", e->output.fd);
	p = KEY_BYTES(p, "text", e->output.text, min_len(e->output.len, FS_OUTPUT_LEN));
	if (e->output.truncated)
		p = LIT(p, ",\"truncated\":true");
	return put_unreadable(p, e->output.unreadable);
}

static char *put_total(char *p, const struct fs_event *e)
{
	const struct fs_ev_total *t = &e->total;

	p = put_chan(LIT(p, ",\"channel\":"), t->chan_kind, t->chan);
	if (!p)
		return NULL;
	p = KEY_U64(p, "bytes_in", t->bytes_in);
	p = KEY_U64(p, "msgs_in", t->msgs_in);
	p = KEY_U64(p, "bytes_out", t->bytes_out);
	return KEY_U64(p, "msgs_out", t->msgs_out);
}

/* What /proc showed of a process that joined the trace while running: existing, or cgroup enter. */
static char *put_running(char *p, const struct fs_ev_existing *x)
{
	p = KEY_U64(p, "threads", x->threads);
	p = KEY_U64(p, "age_ns", x->age_ns);
	p = put_state_fields(p, &x->state);
	return p ? put_image_truncation(put_image(p, &x->image), &x->image) : NULL;
}

static char *put_existing(char *p, const struct fs_event *e)
{
	return put_running(KEY_U64(p, "ppid", e->existing.ppid), &e->existing);
}

static char *put_cgroup(char *p, const struct fs_event *e)
{
	const struct fs_ev_cgroup *c = &e->cgroup;
	const char *op = fs_name_get(&fs_cgroup_ops, c->op);
	size_t n = min_len(c->path_len, FS_PATH_LEN);

	if (!op)
		return NULL;
	p = KEY_NAME(p, "op", op);
	p = KEY_U64(p, "cgroup_id", c->cgroup_id);
	if (n)
		p = KEY_BYTES(p, "path", c->path, n);
	if (c->path_truncated)
		p = LIT(p, ",\"path_truncated\":true");
	p = KEY_U64(p, "ppid", c->proc.ppid);
	return c->op == FS_CG_ENTER ? put_running(p, &c->proc) : p;
}

static char *put_step(char *p, const struct fs_event *e)
{
	const struct fs_ev_step *st = &e->step;
	const char *op = fs_name_get(&fs_step_ops, st->op);
	const char *method = fs_name_get(&fs_freeze_methods, st->method);
	const char *at = fs_name_get(&fs_event_types, st->at_type); /* NULL: not known */

	if (!op || !method)
		return NULL;
	p = KEY_NAME(p, "op", op);
	p = KEY_NAME(p, "method", method);
	p = KEY_U64(p, "at_seq", st->at_seq);
	if (st->op == FS_STEP_THAW)
		return KEY_U64(p, "frozen_ns", st->frozen_ns);
	if (at)
		p = KEY_NAME(p, "at", at);
	return KEY_U64(p, "procs", st->procs);
}

/* A lesson's question, answered by the learner and decided by the kernel's event. */
static char *put_answer(char *p, const struct fs_event *e)
{
	const struct fs_ev_answer *a = &e->answer;

	p = KEY_BYTES(p, "lesson", a->lesson, strnlen(a->lesson, sizeof(a->lesson)));
	p = KEY_U64(p, "question", a->question);
	p = KEY_U64(p, "choice", a->choice);
	p = KEY_U64(p, "right", a->right);
	p = KEY_U64(p, "asked_seq", a->asked_seq);
	return KEY_U64(p, "decided_seq", a->decided_seq);
}

typedef char *(*put_fn)(char *p, const struct fs_event *e);

static const put_fn type_fns[FS_EV_TYPE_MAX] = {
	[FS_EV_FORK] = put_fork,         [FS_EV_FORK_RETURN] = put_fork_return,
	[FS_EV_EXEC] = put_exec,         [FS_EV_EXIT] = put_exit,
	[FS_EV_REAP] = put_reap,         [FS_EV_REPARENT] = put_reparent,
	[FS_EV_STATE] = put_state,       [FS_EV_SIGNAL] = put_signal,
	[FS_EV_IPC] = put_ipc,           [FS_EV_MARK] = put_mark,
	[FS_EV_LOST] = put_lost,         [FS_EV_OUTPUT] = put_output,
	[FS_EV_TOTAL] = put_total,       [FS_EV_EXISTING] = put_existing,
	[FS_EV_CGROUP] = put_cgroup,     [FS_EV_STEP] = put_step,
	[FS_EV_ANSWER] = put_answer,
};

static int writer_new(struct fs_log_writer **out, int fd, int own_fd, FILE *stream)
{
	struct fs_log_writer *w = calloc(1, sizeof(*w));

	if (!w || !(w->buf = malloc(WBUF_SIZE))) {
		free(w);
		return -ENOMEM;
	}
	w->fd = fd;
	w->own_fd = own_fd;
	w->stream = stream;
	w->cap = WBUF_SIZE;
	*out = w;
	return 0;
}

/* O_EXCL even with force, so a file that appears in between is never followed or truncated. */
int log_writer_open(struct fs_log_writer **w, const char *path, int force)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	struct stat st;
	int fd, err;

	if (!strcmp(path, "-"))
		return writer_new(w, STDOUT_FILENO, 0, NULL);
	fd = open(path, flags, 0644);
	if (fd < 0 && errno == EEXIST && force) {
		if (lstat(path, &st))
			return -errno;
		if (!S_ISREG(st.st_mode))
			return -EEXIST;
		if (unlink(path) && errno != ENOENT)
			return -errno;
		fd = open(path, flags, 0644);
	}
	if (fd < 0)
		return -errno;
	err = writer_new(w, fd, 1, NULL);
	if (err)
		close(fd);
	return err;
}

#define LOG_NUMBERED_MAX 9999 /* forkscopes started in one second: far more than can happen */

int log_writer_open_numbered(struct fs_log_writer **w, const char *path, char *name, size_t len)
{
	const char *dot = strrchr(path, '.');
	int stem = dot && !strchr(dot, '/') ? (int)(dot - path) : (int)strlen(path);
	int err = -EEXIST;

	for (int n = 1; n <= LOG_NUMBERED_MAX && err == -EEXIST; n++) {
		int k = n == 1 ? snprintf(name, len, "%s", path)
			       : snprintf(name, len, "%.*s-%d%s", stem, path, n, path + stem);

		if (k < 0 || (size_t)k >= len)
			return -ENAMETOOLONG;
		/* O_EXCL: of two forkscopes at once, one gets the name, the other tries the next */
		err = log_writer_open(w, name, 0);
	}
	return err;
}

int log_writer_open_stream(struct fs_log_writer **w, FILE *f)
{
	return writer_new(w, -1, 0, f);
}

int log_writer_fd(const struct fs_log_writer *w)
{
	return w->fd;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

/* A failed write drops the buffer and sticks: a log with a hole in it would lie. */
int log_writer_flush(struct fs_log_writer *w)
{
	if (w->err || !w->len)
		goto out;
	errno = 0;
	if (w->stream && (fwrite(w->buf, 1, w->len, w->stream) != w->len || fflush(w->stream)))
		w->err = errno ? -errno : -EIO;
	else if (!w->stream)
		w->err = write_all(w->fd, w->buf, w->len);
out:
	w->len = 0;
	return w->err;
}

/* Makes room for need bytes at buf + len: flushes, and grows for an oversized header. */
static int writer_reserve(struct fs_log_writer *w, size_t need)
{
	char *buf;

	if (w->err)
		return w->err;
	if (w->cap - w->len >= need)
		return 0;
	if (log_writer_flush(w))
		return w->err;
	if (w->cap >= need)
		return 0;
	buf = realloc(w->buf, need);
	if (!buf)
		return -ENOMEM;
	w->buf = buf;
	w->cap = need;
	return 0;
}

int log_writer_event(struct fs_log_writer *w, const struct fs_event *e)
{
	const char *type = fs_name_get(&fs_event_types, e->type);
	char *p;
	int err;

	if (!type || !type_fns[e->type] || !log_writer_takes(w, e->type))
		return -EINVAL; /* a reader would refuse the line, and the rest of the log with it */
	err = writer_reserve(w, EVENT_LINE_MAX);
	if (err)
		return err;
	p = put_name(LIT(w->buf + w->len, "{\"type\":"), type);
	p = KEY_U64(p, "seq", e->seq);
	p = KEY_U64(p, "t", e->ts);
	p = KEY_U64(p, "pid", e->pid);
	p = KEY_U64(p, "tid", e->tid);
	p = KEY_BYTES(p, "comm", e->comm, strnlen(e->comm, FS_COMM_LEN));
	p = type_fns[e->type](p, e);
	if (!p)
		return -EINVAL; /* w->len unchanged: the partial line is discarded */
	p = LIT(p, "}\n");
	w->len = p - w->buf;
	return 0;
}

size_t log_iso_time(char *buf, uint64_t realtime_ns)
{
	time_t sec = realtime_ns / 1000000000;
	unsigned int ms = realtime_ns % 1000000000 / 1000000;
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, FS_ISO_TIME_BUF, "%Y-%m-%dT%H:%M:%S", &tm);
	return n + snprintf(buf + n, FS_ISO_TIME_BUF - n, ".%03uZ", ms);
}

/* The command, cut to FS_LOG_COMMAND_MAX (an argument costs its length + 1), and whether it was. */
static char *put_command(char *p, const struct fs_log_header *h)
{
	size_t left = FS_LOG_COMMAND_MAX;
	int cut = 0;

	p = LIT(p, ",\"command\":[");
	for (int i = 0; i < h->argc && !cut; i++) {
		size_t n = strlen(h->argv[i]);

		cut = n + 1 > left;
		if (cut && !left)
			break;
		n = cut ? left - 1 : n;
		if (i)
			*p++ = ',';
		p = put_bytes(p, h->argv[i], n);
		left -= n + 1;
	}
	*p++ = ']';
	if (cut || h->command_truncated) /* a copy keeps the recorder's verdict */
		p = LIT(p, ",\"command_truncated\":true");
	return p;
}

int log_writer_header(struct fs_log_writer *w, const struct fs_log_header *h)
{
	/*
	 * The fixed fields, the strings escaped, and the command at its bound: an argument of n
	 * bytes costs n + 1 of it and takes at most 7(n + 1) bytes, escaped (6n + 2) or in hex
	 * (2n + 10), with its comma.
	 */
	size_t need = 1024 + 6 * (sizeof(h->kernel) + sizeof(h->host) + sizeof(h->source) + sizeof(h->cgroup)) +
		      7 * FS_LOG_COMMAND_MAX;
	char *p;
	int err;

	err = writer_reserve(w, need);
	if (err)
		return err;
	p = LIT(w->buf + w->len, "{\"type\":\"header\",\"format\":\"" FS_LOG_FORMAT "\"");
	p = KEY_U64(p, "version", h->version);
	if (h->abi) /* a copy (dump --json, export) keeps the recorder's */
		p = KEY_U64(p, "abi", h->abi);
	p = KEY_NAME(p, "forkscope", FS_VERSION);
	p = KEY_BYTES(p, "kernel", h->kernel, strnlen(h->kernel, sizeof(h->kernel)));
	p = KEY_BYTES(p, "host", h->host, strnlen(h->host, sizeof(h->host)));
	p = KEY_U64(p, "start_realtime_ns", h->start_realtime_ns);
	p = LIT(p, ",\"start\":\"");
	p += log_iso_time(p, h->start_realtime_ns);
	*p++ = '"';
	p = KEY_U64(p, "root_pid", h->root_pid);
	p = KEY_U64(p, "tracer_pid", h->tracer_pid);
	p = put_command(p, h);
	if (h->cgroup[0]) {
		p = KEY_BYTES(p, "cgroup", h->cgroup, strnlen(h->cgroup, sizeof(h->cgroup)));
		p = KEY_U64(p, "cgroup_id", h->cgroup_id);
	}
	p = KEY_BYTES(p, "source", h->source, strnlen(h->source, sizeof(h->source)));
	p = LIT(p, "}\n");
	w->len = p - w->buf;
	w->version = h->version;
	return 0;
}

int log_writer_end(struct fs_log_writer *w, const struct fs_log_end *end)
{
	int err = writer_reserve(w, 256);
	char *p;

	if (err)
		return err;
	p = LIT(w->buf + w->len, "{\"type\":\"end\"");
	p = KEY_I64(p, "exit_status", end->exit_status);
	p = KEY_U64(p, "events", end->events);
	p = KEY_U64(p, "lost", end->lost);
	p = KEY_U64(p, "duration_ns", end->duration_ns);
	if (end->detached)
		p = LIT(p, ",\"detached\":true");
	p = LIT(p, "}\n");
	w->len = p - w->buf;
	return 0;
}

int log_writer_close(struct fs_log_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = log_writer_flush(w);
	if (w->own_fd && close(w->fd) && !err)
		err = -errno;
	free(w->buf);
	free(w);
	return err;
}
