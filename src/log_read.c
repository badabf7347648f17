// SPDX-License-Identifier: GPL-2.0
/* The session log reader: splits JSON Lines itself, scans each with json_scan and validates it into a struct fs_event. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_scan.h"
#include "log.h"
#include "names.h"

#define READ_CHUNK (128 * 1024) /* the least one read() asks for */
#define RBUF_SIZE (FS_LOG_LINE_MAX + 2 * READ_CHUNK) /* what the longest line needs */
#define NAME_SHOWN 200 /* bytes of the file name in a message: with the rest, well under msg[] */
#define FIELDS_MAX 128 /* members of one line; a writer's lines have fewer than 20 */
#define NAME_TEXT 64   /* a name field decoded from escapes: longer ones are no name */

struct fs_log_reader {
	int fd;
	int own_fd;
	char *name;          /* the file name in messages */
	char *buf;
	size_t cap;          /* of buf: 2 * READ_CHUNK, grown to RBUF_SIZE for long lines */
	size_t start, end;   /* unread bytes in buf */
	int eof;
	unsigned long line;  /* number of the line last read */
	int err;             /* sticky: set by a bad line */
	int ended;           /* the end line was seen */
	int truncated;
	int seen_event;      /* an event line was read: last_seq is its seq */
	__u64 last_seq;
	char msg[512];       /* the message of err */
	struct fs_log_header hdr;
	struct fs_log_end end_rec;
	struct json_member fields[FIELDS_MAX]; /* of the line last read */
};

/* One line being parsed. */
struct line {
	struct fs_log_reader *r;
	size_t nfields; /* in r->fields */
};

/* A long file name is shown by its last bytes, so that the line and the reason still fit in a message. */
static int put_file_name(char *buf, size_t cap, const char *name)
{
	size_t n = strlen(name);

	if (n <= NAME_SHOWN)
		return snprintf(buf, cap, "%s", name);
	return snprintf(buf, cap, "...%s", name + n - NAME_SHOWN);
}

/* "FILE: reason", for a file that cannot be read at all. */
static void file_error(char *buf, size_t cap, const char *name, int err)
{
	size_t n = put_file_name(buf, cap, name);

	if (n < cap)
		snprintf(buf + n, cap - n, ": %s", strerror(err));
}

/*
 * The log is untrusted: what a message quotes from it (values, the scanner's
 * "near" text) must not reach a terminal raw, so bytes outside printable
 * ASCII and printable UTF-8 become \xNN. Cuts at a whole character.
 */
static void put_safe(char *dst, size_t cap, const char *s)
{
	size_t o = 0, n = strlen(s);
	uint32_t cp;
	int k;

	for (size_t i = 0; i < n; i += k) {
		k = log_text_char(s + i, n - i, &cp);
		if (k) {
			if (o + k >= cap)
				break;
			memcpy(dst + o, s + i, k);
			o += k;
			continue;
		}
		k = 1;
		if (o + 5 >= cap)
			break;
		if (s[i] >= 0x20 && s[i] < 0x7f)
			dst[o++] = s[i];
		else
			o += snprintf(dst + o, cap - o, "\\x%02x", (unsigned char)s[i]);
	}
	dst[o] = '\0';
}

__attribute__((format(printf, 2, 3)))
static int bad(struct line *l, const char *fmt, ...)
{
	struct fs_log_reader *r = l->r;
	char what[sizeof(r->msg)];
	int n = put_file_name(r->msg, sizeof(r->msg), r->name);
	va_list ap;

	n += snprintf(r->msg + n, sizeof(r->msg) - n, ":%lu: ", r->line);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	put_safe(r->msg + n, sizeof(r->msg) - n, what);
	return -EINVAL;
}

/* --- fields: 0 = stored, -ENOENT = absent (optional only), -EINVAL = bad --- */

static const struct json_value *field(struct line *l, const char *key, int need)
{
	const struct json_value *v = json_find(l->r->fields, l->nfields, key);

	if (!v && need)
		bad(l, "missing field \"%s\"", key);
	return v;
}

static int get_int(struct line *l, const char *key, int need, long long min, long long max,
		   long long *out)
{
	const struct json_value *v = field(l, key, need);

	if (!v)
		return need ? -EINVAL : -ENOENT;
	if (v->kind != JSON_INT)
		return bad(l, "field \"%s\" is not an integer", key);
	if (v->num < min || v->num > max)
		return bad(l, "field \"%s\" is out of range (%lld)", key, v->num);
	*out = v->num;
	return 0;
}

static int req_u32(struct line *l, const char *key, __u32 *dst)
{
	long long v = 0;
	int err = get_int(l, key, 1, 0, UINT32_MAX, &v);

	if (!err)
		*dst = v;
	return err;
}

static int opt_u32(struct line *l, const char *key, __u32 *dst)
{
	long long v = 0;
	int err = get_int(l, key, 0, 0, UINT32_MAX, &v);

	if (!err)
		*dst = v;
	return err == -ENOENT ? 0 : err;
}

static int req_u64(struct line *l, const char *key, __u64 *dst)
{
	long long v = 0;
	int err = get_int(l, key, 1, 0, INT64_MAX, &v);

	if (!err)
		*dst = v;
	return err;
}

/* A present field is range-checked and stored; an absent one leaves *dst alone. */
static int opt_s64(struct line *l, const char *key, long long min, long long max, __s64 *dst)
{
	long long v = 0;
	int err = get_int(l, key, 0, min, max, &v);

	if (!err)
		*dst = v;
	return err == -ENOENT ? 0 : err;
}

static int get_bool(struct line *l, const char *key, int need)
{
	const struct json_value *v = field(l, key, need);

	if (!v)
		return need ? -EINVAL : 0;
	if (v->kind != JSON_TRUE && v->kind != JSON_FALSE)
		return bad(l, "field \"%s\" is not true or false", key);
	return v->kind == JSON_TRUE;
}

/*
 * A name-like string (a type, a state, a channel): n bytes at *s, which is
 * the line itself or, when the string has escapes, buf.
 */
static int get_string(struct line *l, const char *key, int need, char buf[NAME_TEXT],
		      const char **s, size_t *n)
{
	const struct json_value *v = field(l, key, need);

	if (!v)
		return need ? -EINVAL : -ENOENT;
	if (v->kind != JSON_STRING)
		return bad(l, "field \"%s\" is not a string", key);
	if (v->str_len > NAME_TEXT)
		return bad(l, "field \"%s\" is too long (%zu bytes, at most %d)", key, v->str_len, NAME_TEXT);
	*s = v->escaped ? buf : v->text;
	*n = v->escaped ? json_string_decode(v, buf, NAME_TEXT) : v->len;
	return 0;
}

/* At most 40 bytes of a value, for a message. */
#define SHOWN(n) ((int)((n) < 40 ? (n) : 40))

static int str_is(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(s, lit, n);
}

/* {"hex":"..."}'s digits into at most cap bytes at dst. */
static int decode_hex(struct line *l, const char *key, const struct json_value *hex, char *dst,
		      size_t cap, size_t *len)
{
	const char *p = hex->text, *end = hex->text + hex->len;
	size_t n = hex->str_len / 2;

	if (hex->str_len % 2)
		return bad(l, "field \"%s\" has an odd number of hex digits", key);
	if (n > cap)
		return bad(l, "field \"%s\" is too long (%zu bytes, at most %zu)", key, n, cap);
	for (size_t i = 0; i < n; i++) {
		int hi = json_hex_digit(json_string_next(&p, end));
		int lo = json_hex_digit(json_string_next(&p, end));

		if (hi < 0 || lo < 0)
			return bad(l, "field \"%s\" has a bad hex digit", key);
		dst[i] = hi << 4 | lo;
	}
	*len = n;
	return 0;
}

/* The "hex" string of a {"hex":...} value: 1 with *hex set, or 0. */
static int hex_member(const struct json_value *v, struct json_value *hex)
{
	return v->kind == JSON_OBJECT && json_object_find(v, "hex", hex) && hex->kind == JSON_STRING;
}

/* Bytes from a JSON string or {"hex":"..."}: at most cap into dst, length in *len. */
static int decode_bytes(struct line *l, const char *key, const struct json_value *v, char *dst,
			size_t cap, size_t *len)
{
	struct json_value hex;

	if (v->kind == JSON_STRING) {
		if (v->str_len > cap)
			return bad(l, "field \"%s\" is too long (%zu bytes, at most %zu)", key, v->str_len, cap);
		*len = json_string_decode(v, dst, cap);
		return 0;
	}
	if (!hex_member(v, &hex))
		return bad(l, "field \"%s\" is neither a string nor {\"hex\":...}", key);
	return decode_hex(l, key, &hex, dst, cap, len);
}

static int get_bytes(struct line *l, const char *key, int need, char *dst, size_t cap, size_t *len)
{
	const struct json_value *v = field(l, key, need);

	if (!v)
		return need ? -EINVAL : -ENOENT;
	return decode_bytes(l, key, v, dst, cap, len);
}

/* An upper bound of what decode_bytes makes of v. */
static size_t decoded_size(const struct json_value *v)
{
	struct json_value hex;

	if (v->kind == JSON_STRING)
		return v->str_len;
	return hex_member(v, &hex) ? hex.str_len / 2 : 0;
}

/* A NUL-terminated string of at most cap - 1 bytes (header fields). */
static int get_cstr(struct line *l, const char *key, const struct json_value *v, char *dst, size_t cap)
{
	size_t n;
	int err = decode_bytes(l, key, v, dst, cap - 1, &n);

	if (err)
		return err;
	if (memchr(dst, '\0', n))
		return bad(l, "field \"%s\" holds a NUL byte", key);
	dst[n] = '\0';
	return 0;
}

/* An enum field's value from its name in t; -ENOENT when an optional one (need 0) is absent. */
static int get_enum(struct line *l, const char *key, int need, const struct fs_names *t, long *v)
{
	char buf[NAME_TEXT];
	const char *s;
	size_t n;
	int err = get_string(l, key, need, buf, &s, &n);

	if (err)
		return err;
	*v = fs_name_find(t, s, n);
	return *v < 0 ? bad(l, "field \"%s\" has an unknown value \"%.*s\"", key, SHOWN(n), s) : 0;
}

static int get_name(struct line *l, const char *key, const struct fs_names *t, long *v)
{
	return get_enum(l, key, 1, t, v);
}

static int get_syscall(struct line *l, const char *key, int need, long *nr)
{
	char buf[NAME_TEXT];
	const char *s;
	size_t n;
	int err = get_string(l, key, need, buf, &s, &n);

	if (err)
		return err;
	if (fs_syscall_parse(s, n, nr))
		return bad(l, "field \"%s\" is not a syscall name: \"%.*s\"", key, SHOWN(n), s);
	return 0;
}

static int get_chan(struct line *l, const char *key, __u32 *kind, __u64 *id)
{
	char buf[NAME_TEXT];
	const char *s;
	size_t n;
	unsigned int k;
	uint64_t v;
	int err = get_string(l, key, 0, buf, &s, &n);

	if (err)
		return err;
	if (fs_chan_parse(s, n, &k, &v))
		return bad(l, "field \"%s\" is not a channel like \"pipe:[1234]\": \"%.*s\"", key, SHOWN(n), s);
	*kind = k;
	*id = v;
	return 0;
}

/* --- event types: each fills its part of *e, or returns -EINVAL --- */

static int parse_fork(struct line *l, struct fs_event *e)
{
	int thread;

	if (req_u32(l, "child", &e->fork.child_pid) || req_u32(l, "child_tid", &e->fork.child_tid))
		return -EINVAL;
	thread = get_bool(l, "thread", 1);
	e->fork.thread = thread;
	return thread < 0 ? thread : 0;
}

static int parse_fork_return(struct line *l, struct fs_event *e)
{
	long nr;

	if (get_syscall(l, "syscall", 1, &nr))
		return -EINVAL;
	e->fork_return.sysnr = nr;
	if (opt_u32(l, "ns_ret", &e->fork_return.ns_ret))
		return -EINVAL;
	return get_int(l, "ret", 1, INT64_MIN, INT64_MAX, &e->fork_return.ret);
}

/* Items back into NUL-terminated strings; the last NUL is dropped when the buffer is full. */
static int parse_argv(struct line *l, struct fs_ev_exec *x)
{
	const struct json_value *arr = field(l, "argv", 1);
	struct json_member item;
	struct json_iter it;
	size_t pos = 0, n;

	if (!arr)
		return -EINVAL;
	if (arr->kind != JSON_ARRAY)
		return bad(l, "field \"argv\" is not an array");
	json_iter_init(&it, arr);
	for (size_t i = 0; json_iter_next(&it, &item); i++) {
		if (pos >= FS_ARGV_LEN && i)
			return bad(l, "field \"argv\" is too long (at most %d bytes)", FS_ARGV_LEN);
		if (decode_bytes(l, "argv", &item.val, x->argv + pos, FS_ARGV_LEN - pos, &n))
			return -EINVAL;
		pos += n;
		if (pos < FS_ARGV_LEN)
			x->argv[pos++] = '\0';
	}
	x->argv_len = pos;
	return 0;
}

/* filename, argv and their truncation flags: what an exec, or an existing process, runs. */
static int parse_image(struct line *l, struct fs_ev_exec *x)
{
	size_t n;
	int at, ft;

	if (get_bytes(l, "filename", 1, x->filename, FS_PATH_LEN, &n) || parse_argv(l, x))
		return -EINVAL;
	x->filename_len = n;
	at = get_bool(l, "argv_truncated", 0);
	ft = get_bool(l, "filename_truncated", 0);
	if (at < 0 || ft < 0)
		return -EINVAL;
	x->argv_truncated = at;
	x->filename_truncated = ft;
	return 0;
}

static int parse_exec(struct line *l, struct fs_event *e)
{
	struct fs_ev_exec *x = &e->exec;
	long long result;

	if (parse_image(l, x) || get_int(l, "result", 1, INT32_MIN, INT32_MAX, &result))
		return -EINVAL;
	x->result = result;
	x->old_tid = e->tid;
	return opt_u32(l, "old_tid", &x->old_tid);
}

/* "signo" (not the informational "signal" name) says the process was killed. */
static int parse_exit(struct line *l, struct fs_event *e)
{
	int core = 0, thread;

	if (field(l, "signo", 0)) {
		long long sig;

		if (get_int(l, "signo", 1, 1, UINT32_MAX, &sig) || (core = get_bool(l, "core", 1)) < 0)
			return -EINVAL;
		e->exit.sig = sig;
	} else if (req_u32(l, "code", &e->exit.code)) {
		return -EINVAL;
	}
	thread = get_bool(l, "thread", 0);
	e->exit.core = core;
	e->exit.thread = thread;
	return thread < 0 ? thread : 0;
}

static int parse_reap(struct line *l, struct fs_event *e)
{
	int autoreap;

	if (req_u32(l, "child", &e->reap.child) || opt_u32(l, "ns_child", &e->reap.ns_child))
		return -EINVAL;
	autoreap = get_bool(l, "auto", 0);
	e->reap.autoreap = autoreap;
	return autoreap < 0 ? autoreap : 0;
}

static int parse_reparent(struct line *l, struct fs_event *e)
{
	if (req_u32(l, "old_parent", &e->reparent.old_parent))
		return -EINVAL;
	return req_u32(l, "new_parent", &e->reparent.new_parent);
}

/* "state" and what goes with it: why it is ready, where it is blocked. */
static int parse_state_fields(struct line *l, struct fs_ev_state *s)
{
	long v;
	int err;

	if (get_name(l, "state", &fs_states, &v))
		return -EINVAL;
	s->state = v;
	if (v == FS_STATE_READY) {
		err = get_name(l, "reason", &fs_ready_reasons, &v);
		s->sysnr = v;
		return err;
	}
	if (v != FS_STATE_BLOCKED)
		return 0;
	err = get_syscall(l, "syscall", 0, &v);
	if (err == -EINVAL)
		return err;
	s->sysnr = err ? -1 : v;
	err = get_enum(l, "stop", 0, &fs_stop_kinds, &v);
	if (err == -EINVAL)
		return err;
	s->stop = err ? FS_STOP_NONE : (__u32)v;
	err = get_chan(l, "channel", &s->chan_kind, &s->chan);
	return err == -ENOENT ? 0 : err;
}

static int parse_state(struct line *l, struct fs_event *e)
{
	return parse_state_fields(l, &e->state);
}

static int parse_signal(struct line *l, struct fs_event *e)
{
	struct fs_ev_signal *s = &e->signal;
	long op, result;

	if (get_name(l, "op", &fs_signal_ops, &op) || req_u32(l, "target", &s->target_pid) ||
	    req_u32(l, "target_tid", &s->target_tid) || req_u32(l, "signo", &s->sig))
		return -EINVAL;
	if (get_name(l, "result", op == FS_SIG_GENERATE ? &fs_sig_results : &fs_sig_actions, &result))
		return -EINVAL;
	s->op = op;
	s->result = result;
	return 0;
}

/* "peer" (a channel of the same kind) or "lport" + "rport". */
static int parse_ipc_peer(struct line *l, struct fs_ev_ipc *x)
{
	__u32 kind;
	long long lport, rport;
	int err = get_chan(l, "peer", &kind, &x->peer);
	int el, er;

	if (!err && kind != x->chan_kind)
		return bad(l, "field \"peer\" is not of the same kind as \"channel\"");
	if (err != -ENOENT) {
		x->peer_kind = err ? 0 : FS_PEER_CHAN;
		return err;
	}
	el = get_int(l, "lport", 0, 0, 65535, &lport);
	er = get_int(l, "rport", 0, 0, 65535, &rport);
	if (el == -EINVAL || er == -EINVAL)
		return -EINVAL;
	if (el != er)
		return bad(l, "fields \"lport\" and \"rport\" go together");
	if (!el) {
		x->peer_kind = FS_PEER_INET_PORTS;
		x->peer = lport << 16 | rport;
	}
	return 0;
}

/* "addr" text back into the raw struct sockaddr the path buffer holds. */
static int get_addr(struct line *l, char *raw, size_t *len)
{
	char text[FS_ADDR_BUF];
	size_t n;
	int err = get_bytes(l, "addr", 0, text, sizeof(text), &n);

	if (!err && fs_sockaddr_parse(text, n, raw, FS_PATH_LEN, len))
		return bad(l, "field \"addr\" is not a socket address like 127.0.0.1:80 or unix:/path");
	return err;
}

static int parse_ipc_path(struct line *l, struct fs_ev_ipc *x)
{
	size_t n;
	int truncated, err;

	if (log_ipc_has_addr(x->op))
		err = get_addr(l, x->path, &n);
	else
		err = get_bytes(l, "path", 0, x->path, FS_PATH_LEN, &n);
	if (err == -EINVAL)
		return err;
	x->path_len = err ? 0 : n;
	truncated = get_bool(l, "path_truncated", 0);
	x->path_truncated = truncated;
	return truncated < 0 ? truncated : 0;
}

static int parse_ipc(struct line *l, struct fs_event *e)
{
	struct fs_ev_ipc *x = &e->ipc;
	long op;
	__s64 fd = -1;
	int err, rw;

	if (get_name(l, "op", &fs_ipc_ops, &op))
		return -EINVAL;
	x->op = op;
	err = get_chan(l, "channel", &x->chan_kind, &x->chan);
	if (err == -EINVAL || opt_s64(l, "fd", 0, INT32_MAX, &fd))
		return -EINVAL;
	x->fd = fd;
	/* a read's or write's arg is the syscall it came by (written as "via"): a number of one */
	rw = op == FS_IPC_READ || op == FS_IPC_WRITE;
	if (opt_s64(l, "bytes", 0, INT64_MAX, &x->bytes) ||
	    opt_s64(l, "error", INT64_MIN, -1, &x->bytes) ||
	    opt_s64(l, "arg", rw ? 0 : INT64_MIN, rw ? INT32_MAX : INT64_MAX, &x->arg) || parse_ipc_peer(l, x))
		return -EINVAL;
	if (field(l, "via", 0)) {
		long nr;

		if (get_syscall(l, "via", 1, &nr))
			return -EINVAL;
		x->arg = nr;
	}
	return parse_ipc_path(l, x);
}

static int parse_mark(struct line *l, struct fs_event *e)
{
	size_t n;
	int err = get_bytes(l, "text", 1, e->mark.text, FS_MARK_LEN, &n), unreadable;

	e->mark.len = err ? 0 : n;
	if (!err && opt_u32(l, "ns_pid", &e->mark.ns_pid))
		return -EINVAL;
	unreadable = err ? 0 : get_bool(l, "unreadable", 0);
	e->mark.unreadable = unreadable > 0;
	return err ? err : unreadable < 0 ? unreadable : 0;
}

static int parse_lost(struct line *l, struct fs_event *e)
{
	return req_u64(l, "count", &e->lost.count);
}

static int parse_output(struct line *l, struct fs_event *e)
{
	long long fd = 0;
	size_t n = 0;
	int err = get_int(l, "fd", 1, 0, INT32_MAX, &fd), truncated, unreadable;

	if (!err)
		err = get_bytes(l, "text", 1, e->output.text, FS_OUTPUT_LEN, &n);
	truncated = err ? 0 : get_bool(l, "truncated", 0);
	unreadable = err ? 0 : get_bool(l, "unreadable", 0);
	if (truncated < 0 || unreadable < 0)
		return -EINVAL;
	e->output.fd = (__s32)fd;
	e->output.len = n;
	e->output.truncated = truncated;
	e->output.unreadable = unreadable;
	return err;
}

static int parse_total(struct line *l, struct fs_event *e)
{
	struct fs_ev_total *t = &e->total;

	int err = get_chan(l, "channel", &t->chan_kind, &t->chan);

	if (err == -ENOENT || (!err && t->chan_kind == FS_CHAN_NONE))
		return bad(l, "field \"channel\" is missing or names no channel");
	if (err)
		return err;
	return req_u64(l, "bytes_in", &t->bytes_in) || req_u64(l, "msgs_in", &t->msgs_in) ||
	       req_u64(l, "bytes_out", &t->bytes_out) || req_u64(l, "msgs_out", &t->msgs_out)
		       ? -EINVAL : 0;
}

/* A process already running at attach time: alive (or a zombie), never reaped or dead. */
static int parse_running(struct line *l, struct fs_ev_existing *x)
{
	if (req_u32(l, "ppid", &x->ppid) || req_u32(l, "threads", &x->threads) ||
	    req_u64(l, "age_ns", &x->age_ns) || parse_state_fields(l, &x->state))
		return -EINVAL;
	if (x->state.state == FS_STATE_DEAD)
		return bad(l, "field \"state\" cannot be \"dead\" for a process already running");
	return parse_image(l, &x->image);
}

static int parse_existing(struct line *l, struct fs_event *e)
{
	return parse_running(l, &e->existing);
}

/* A process entered the traced cgroup (what /proc showed of it, as for existing) or left it. */
static int parse_cgroup(struct line *l, struct fs_event *e)
{
	struct fs_ev_cgroup *c = &e->cgroup;
	long op;
	size_t n;
	int truncated, err;

	if (get_name(l, "op", &fs_cgroup_ops, &op) || req_u64(l, "cgroup_id", &c->cgroup_id))
		return -EINVAL;
	c->op = op;
	err = get_bytes(l, "path", 0, c->path, FS_PATH_LEN, &n);
	if (err == -EINVAL)
		return err;
	c->path_len = err ? 0 : n;
	truncated = get_bool(l, "path_truncated", 0);
	if (truncated < 0)
		return truncated;
	c->path_truncated = truncated;
	if (op == FS_CG_ENTER)
		return parse_running(l, &c->proc);
	return req_u32(l, "ppid", &c->proc.ppid) ? -EINVAL : 0;
}

static int parse_step(struct line *l, struct fs_event *e)
{
	struct fs_ev_step *st = &e->step;
	long op, method, at;
	int err;

	if (get_name(l, "op", &fs_step_ops, &op) || get_name(l, "method", &fs_freeze_methods, &method) ||
	    req_u64(l, "at_seq", &st->at_seq))
		return -EINVAL;
	st->op = op;
	st->method = method;
	if (op == FS_STEP_THAW)
		return req_u64(l, "frozen_ns", &st->frozen_ns) ? -EINVAL : 0;
	err = get_enum(l, "at", 0, &fs_event_types, &at); /* from forkscope 0.1.0's later logs on */
	if (err && err != -ENOENT)
		return err;
	st->at_type = err ? 0 : at;
	return req_u32(l, "procs", &st->procs) ? -EINVAL : 0;
}

/* A lesson's question answered: the lesson's name as text, numbers from 1 (choice and right: 0 none). */
static int parse_answer(struct line *l, struct fs_event *e)
{
	struct fs_ev_answer *a = &e->answer;
	const struct json_value *lesson = field(l, "lesson", 1);

	if (!lesson || get_cstr(l, "lesson", lesson, a->lesson, sizeof(a->lesson)) ||
	    req_u32(l, "question", &a->question) || req_u32(l, "choice", &a->choice) ||
	    req_u32(l, "right", &a->right) || req_u64(l, "asked_seq", &a->asked_seq) ||
	    req_u64(l, "decided_seq", &a->decided_seq))
		return -EINVAL;
	return a->question ? 0 : bad(l, "field \"question\" counts from 1");
}

typedef int (*parse_fn)(struct line *l, struct fs_event *e);

static const parse_fn type_fns[FS_EV_TYPE_MAX] = {
	[FS_EV_FORK] = parse_fork,         [FS_EV_FORK_RETURN] = parse_fork_return,
	[FS_EV_EXEC] = parse_exec,         [FS_EV_EXIT] = parse_exit,
	[FS_EV_REAP] = parse_reap,         [FS_EV_REPARENT] = parse_reparent,
	[FS_EV_STATE] = parse_state,       [FS_EV_SIGNAL] = parse_signal,
	[FS_EV_IPC] = parse_ipc,           [FS_EV_MARK] = parse_mark,
	[FS_EV_LOST] = parse_lost,         [FS_EV_OUTPUT] = parse_output,
	[FS_EV_TOTAL] = parse_total,       [FS_EV_EXISTING] = parse_existing,
	[FS_EV_CGROUP] = parse_cgroup,     [FS_EV_STEP] = parse_step,
	[FS_EV_ANSWER] = parse_answer,
};

static int parse_event(struct line *l, long type, struct fs_event *e)
{
	size_t n;

	e->type = type;
	if (!type_fns[type]) /* a type of the ABI that this reader has no line for */
		return bad(l, "unknown event type \"%s\"", fs_name_get(&fs_event_types, (unsigned int)type));
	if (l->r->hdr.version < log_event_version((unsigned int)type)) {
		const char *name = fs_name_get(&fs_event_types, (unsigned int)type);

		return bad(l, "%s %s event needs log version %u", strchr("aeiou", name[0]) ? "an" : "a", name,
			   log_event_version((unsigned int)type));
	}
	if (req_u64(l, "seq", &e->seq) || req_u64(l, "t", &e->ts) || req_u32(l, "pid", &e->pid) ||
	    req_u32(l, "tid", &e->tid) || get_bytes(l, "comm", 1, e->comm, FS_COMM_LEN, &n))
		return -EINVAL;
	/* comm is the bytes before the first NUL (docs/log-format.md): nothing after it survives a copy */
	n = strnlen(e->comm, n);
	memset(e->comm + n, 0, FS_COMM_LEN - n);
	return type_fns[type](l, e);
}

static int parse_end(struct line *l, struct fs_log_end *end)
{
	long long status;
	__u64 events, lost, duration;
	int detached = get_bool(l, "detached", 0);

	if (get_int(l, "exit_status", 1, INT32_MIN, INT32_MAX, &status) ||
	    req_u64(l, "events", &events) || req_u64(l, "lost", &lost) ||
	    req_u64(l, "duration_ns", &duration) || detached < 0)
		return -EINVAL;
	end->detached = detached;
	end->exit_status = status;
	end->events = events;
	end->lost = lost;
	end->duration_ns = duration;
	return 0;
}

/* --- lines --------------------------------------------------------------- */

/*
 * At least READ_CHUNK bytes free after the unread ones: moves them to the
 * front, or doubles the buffer when a long line fills it. 0 or -ENOMEM.
 */
static int make_room(struct fs_log_reader *r)
{
	size_t cap = r->cap * 2 < RBUF_SIZE ? r->cap * 2 : RBUF_SIZE;
	char *buf;

	if (r->cap - r->end >= READ_CHUNK)
		return 0;
	memmove(r->buf, r->buf + r->start, r->end - r->start);
	r->end -= r->start;
	r->start = 0;
	if (r->cap - r->end >= READ_CHUNK)
		return 0;
	buf = realloc(r->buf, cap);
	if (!buf)
		return -ENOMEM;
	r->buf = buf;
	r->cap = cap;
	return 0;
}

/* 1: a line (without its '\n'; *cut when EOF came first), 0: EOF, -errno. */
static int read_line(struct fs_log_reader *r, char **line, size_t *len, int *cut)
{
	for (;;) {
		char *start = r->buf + r->start;
		char *nl = memchr(start, '\n', r->end - r->start);
		ssize_t n;

		if (nl || (r->eof && r->end > r->start)) {
			*line = start;
			*len = nl ? (size_t)(nl - start) : r->end - r->start;
			*cut = !nl;
			r->start += *len + !!nl;
			r->line++;
			return *len > FS_LOG_LINE_MAX ? -E2BIG : 1;
		}
		if (r->eof)
			return 0;
		if (r->end - r->start > FS_LOG_LINE_MAX) {
			r->line++;
			return -E2BIG;
		}
		if (make_room(r))
			return -ENOMEM;
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0 && errno != EINTR)
			return -errno;
		r->eof = n == 0;
		r->end += n > 0 ? n : 0;
	}
}

/*
 * Reads and scans the next line into r->fields. 1: a JSON object, 0: EOF or
 * a cut-off last line that is not valid JSON (r->truncated), -errno.
 */
static int next_object(struct line *l)
{
	struct fs_log_reader *r = l->r;
	char jerr[JSON_ERR_LEN];
	char *s = NULL;
	size_t n = 0;
	int cut = 0;
	int ret = read_line(r, &s, &n, &cut);

	if (ret == -E2BIG) {
		bad(l, "line too long (more than %d bytes)", FS_LOG_LINE_MAX);
		return ret;
	}
	if (ret < 0) {
		file_error(r->msg, sizeof(r->msg), r->name, -ret);
		return ret;
	}
	if (ret == 0)
		return 0;
	ret = json_scan_object(s, n, r->fields, FIELDS_MAX, jerr);
	if (ret < 0 && ret != -EMEDIUMTYPE && cut) {
		r->truncated = 1;
		return 0;
	}
	if (ret == -EINVAL)
		return bad(l, "not JSON: %s", jerr);
	if (ret == -EMEDIUMTYPE)
		return bad(l, "not a JSON object");
	if (ret == -E2BIG)
		return bad(l, "more than %d fields", FIELDS_MAX);
	l->nfields = ret;
	return 1;
}

static int parse_command(struct line *l, struct fs_log_header *h)
{
	const struct json_value *arr = field(l, "command", 1);
	struct json_member item;
	struct json_iter it;
	size_t count = 0, total = 0;

	if (!arr)
		return -EINVAL;
	if (arr->kind != JSON_ARRAY)
		return bad(l, "field \"command\" is not an array");
	for (json_iter_init(&it, arr); json_iter_next(&it, &item);)
		count++;
	h->argv = calloc(count + 1, sizeof(char *));
	if (!h->argv)
		return -ENOMEM;
	for (json_iter_init(&it, arr); json_iter_next(&it, &item);) {
		size_t cap = decoded_size(&item.val) + 1;
		char **arg = &h->argv[h->argc];

		*arg = malloc(cap);
		if (!*arg)
			return -ENOMEM;
		h->argc++;
		if (get_cstr(l, "command", &item.val, *arg, cap))
			return -EINVAL;
		total += strlen(*arg) + 1;
		if (total > FS_LOG_COMMAND_MAX)
			return bad(l, "field \"command\" is too long (at most %d bytes)", FS_LOG_COMMAND_MAX);
	}
	return 0;
}

static int check_format(struct line *l)
{
	char buf[NAME_TEXT];
	const char *s;
	size_t n;
	long long version;

	if (get_string(l, "type", 0, buf, &s, &n) || !str_is(s, n, "header") ||
	    get_string(l, "format", 0, buf, &s, &n) || !str_is(s, n, FS_LOG_FORMAT))
		return bad(l, "not a forkscope log (no forkscope-log header line)");
	if (get_int(l, "version", 1, 0, INT32_MAX, &version))
		return -EINVAL;
	if (version < 1 || version > FS_LOG_VERSION)
		return bad(l, "log version %lld is not supported (this forkscope reads versions 1 to %d)",
			   version, FS_LOG_VERSION);
	l->r->hdr.version = version;
	return 0;
}

static int header_cstr(struct line *l, const char *key, char *dst, size_t cap)
{
	const struct json_value *v = field(l, key, 1);

	return v ? get_cstr(l, key, v, dst, cap) : -EINVAL;
}

static int parse_header(struct line *l, struct fs_log_header *h)
{
	__u64 start;
	__s64 cgroup_id = 0;

	if (check_format(l) || header_cstr(l, "kernel", h->kernel, sizeof(h->kernel)) ||
	    header_cstr(l, "host", h->host, sizeof(h->host)) ||
	    header_cstr(l, "source", h->source, sizeof(h->source)) ||
	    req_u64(l, "start_realtime_ns", &start) ||
	    req_u32(l, "root_pid", &h->root_pid) || req_u32(l, "tracer_pid", &h->tracer_pid) ||
	    opt_u32(l, "abi", &h->abi) || opt_s64(l, "cgroup_id", 0, INT64_MAX, &cgroup_id))
		return -EINVAL;
	h->cgroup_id = (uint64_t)cgroup_id;
	if (field(l, "cgroup", 0) && header_cstr(l, "cgroup", h->cgroup, sizeof(h->cgroup)))
		return -EINVAL;
	h->start_realtime_ns = start;
	h->command_truncated = get_bool(l, "command_truncated", 0);
	if (h->command_truncated < 0)
		return -EINVAL;
	return parse_command(l, h);
}

static int reader_read_header(struct fs_log_reader *r)
{
	struct line l = { .r = r };
	int ret = next_object(&l);

	if (ret == 0 && r->line == 0) {
		r->line = 1;
		return bad(&l, "empty file (no header line)");
	}
	if (ret == 0)
		return bad(&l, "the header line is cut off");
	return ret > 0 ? parse_header(&l, &r->hdr) : ret;
}

static int reader_new(struct fs_log_reader **out, const char *path)
{
	struct fs_log_reader *r = calloc(1, sizeof(*r));
	int stdin_ = !strcmp(path, "-");

	if (!r)
		return -ENOMEM;
	*out = r;
	r->fd = -1;
	r->name = strdup(stdin_ ? "<stdin>" : path);
	r->cap = 2 * READ_CHUNK;
	r->buf = malloc(r->cap);
	if (!r->name || !r->buf)
		return -ENOMEM;
	r->fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	r->own_fd = !stdin_;
	return r->fd < 0 ? -errno : 0;
}

int log_reader_open(struct fs_log_reader **out, const char *path, char *err, size_t errlen)
{
	struct fs_log_reader *r = NULL;
	struct stat st;
	int ret = reader_new(&r, path);

	if (!ret && fstat(r->fd, &st))
		ret = -errno;
	if (!ret && S_ISDIR(st.st_mode))
		ret = -EISDIR;
	if (ret)
		file_error(err, errlen, path, -ret);
	else if ((ret = reader_read_header(r)))
		snprintf(err, errlen, "%s", r->msg);
	if (ret) {
		log_reader_close(r);
		return ret;
	}
	*out = r;
	return 0;
}

/*
 * A source numbers its events in the order it saw them, so seq only grows
 * (with gaps in an edited log); a seq that does not is a spliced or shuffled
 * log that the model would replay in an order that never happened. Times may
 * go back a little: CPUs stamp events before they reach the one ring buffer.
 */
static int check_order(struct line *l, const struct fs_event *e)
{
	struct fs_log_reader *r = l->r;

	if (r->seen_event && e->seq <= r->last_seq)
		return bad(l, "seq %llu after %llu: the events are out of order",
			   (unsigned long long)e->seq, (unsigned long long)r->last_seq);
	r->seen_event = 1;
	r->last_seq = e->seq;
	return 1;
}

/* One line after the header: 1 = an event in *e, 0 = the end line or EOF. */
static int reader_line(struct fs_log_reader *r, struct line *l, struct fs_event *e)
{
	char buf[NAME_TEXT];
	const char *type;
	size_t n;
	long t;
	int ret = next_object(l);

	if (ret <= 0)
		return ret;
	if (r->ended)
		return bad(l, "a line after the end line");
	if (get_string(l, "type", 1, buf, &type, &n))
		return -EINVAL;
	if (str_is(type, n, "end")) {
		ret = parse_end(l, &r->end_rec);
		r->ended = !ret;
		return ret ? ret : 2;
	}
	t = fs_name_find(&fs_event_types, type, n);
	if (t < 0)
		return bad(l, "unknown event type \"%.*s\"", SHOWN(n), type);
	ret = parse_event(l, t, e);
	return ret ? ret : check_order(l, e);
}

int log_reader_next(struct fs_log_reader *r, struct fs_event *e, char *err, size_t errlen)
{
	struct line l = { .r = r };
	int ret;

	if (r->err)
		goto fail;
	memset(e, 0, sizeof(*e));
	do {
		ret = reader_line(r, &l, e);
	} while (ret == 2); /* the end line: EOF must follow */
	if (ret == 0 && !r->ended)
		r->truncated = 1;
	if (ret >= 0)
		return ret;
	r->err = ret;
fail:
	snprintf(err, errlen, "%s", r->msg);
	return r->err;
}

const struct fs_log_header *log_reader_header(const struct fs_log_reader *r)
{
	return &r->hdr;
}

const struct fs_log_end *log_reader_end(const struct fs_log_reader *r)
{
	return r->ended ? &r->end_rec : NULL;
}

int log_reader_truncated(const struct fs_log_reader *r)
{
	return r->truncated;
}

const char *log_reader_name(const struct fs_log_reader *r)
{
	return r->name;
}

void log_reader_close(struct fs_log_reader *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	for (int i = 0; i < r->hdr.argc; i++)
		free(r->hdr.argv[i]);
	free(r->hdr.argv);
	free(r->buf);
	free(r->name);
	free(r);
}
