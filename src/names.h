/* SPDX-License-Identifier: GPL-2.0 */
/* Text names for every number forkscope shows: event enums, syscalls, signals, errnos, channels, socket addresses. */
#ifndef FORKSCOPE_NAMES_H
#define FORKSCOPE_NAMES_H

#include <stddef.h>
#include <stdint.h>

/*
 * A name table indexed by value; a NULL slot has no name. The log writer,
 * the log reader, dump and the TUI all use these tables, so a name is spelt
 * in exactly one place.
 */
struct fs_names {
	const char *const *names;
	int count;
};

extern const struct fs_names fs_event_types;  /* enum fs_event_type: "fork", ... */
extern const struct fs_names fs_states;       /* enum fs_state: "ready", ... */
extern const struct fs_names fs_ready_reasons; /* enum fs_ready_reason */
extern const struct fs_names fs_ipc_ops;      /* enum fs_ipc_op: "read", "mq_send", ... */
extern const struct fs_names fs_signal_ops;   /* enum fs_signal_op: "generate", "deliver" */
extern const struct fs_names fs_sig_results;  /* signal_generate results: "delivered", ... */
extern const struct fs_names fs_sig_actions;  /* enum fs_sig_action: "default", ... */
extern const struct fs_names fs_cgroup_ops;   /* enum fs_cgroup_op: "enter", "leave" */
extern const struct fs_names fs_stop_kinds;   /* enum fs_stop_kind: "none", "stopped", "traced", "frozen" */
extern const struct fs_names fs_step_ops;     /* enum fs_step_op: "freeze", "thaw" */
extern const struct fs_names fs_freeze_methods; /* enum fs_freeze_method: "cgroup", "sigstop" */
extern const struct fs_names fs_chan_kinds;   /* enum fs_chan_kind: "pipe", "sysvshm", ... */

/* The name of value, or NULL when it has none. */
const char *fs_name_get(const struct fs_names *t, long value);
/* The value named by the n bytes at name, or -ENOENT. */
long fs_name_find(const struct fs_names *t, const char *name, size_t n);

/*
 * Names with a numeric fallback, so that every value has a name and every
 * name parses back: "read" / "sys_999", "SIGTERM" / "SIGRTMIN+3" / "SIG99",
 * "EAGAIN" / "E999". The name functions return buf or a static string;
 * buf needs FS_NAME_BUF bytes. The parse functions take n bytes (no NUL
 * needed) and return 0 or -EINVAL.
 */
#define FS_NAME_BUF 24
/* glibc's SIGRTMIN (the kernel's 32 and 33 are reserved by the C library) */
#define FS_SIGRTMIN 34
#define FS_SIGMAX 64

const char *fs_syscall_name(long nr, char *buf, size_t len);
int fs_syscall_parse(const char *s, size_t n, long *nr);
const char *fs_signal_name(int sig, char *buf, size_t len);
int fs_signal_parse(const char *s, size_t n, int *sig);
const char *fs_errno_name(int err, char *buf, size_t len); /* err > 0 */
int fs_errno_parse(const char *s, size_t n, int *err);

/*
 * Channel ids as text: "pipe:[N]" and "socket:[N]" exactly as readlink on
 * /proc/PID/fd/N shows them, and "file:[N]", "mqueue:[N]", "sysvshm:[N]",
 * "sysvsem:[N]", "sysvmsg:[N]" for the rest. format returns the length
 * (snprintf-like) or -EINVAL for FS_CHAN_NONE / an unknown kind.
 */
#define FS_CHAN_BUF 32
int fs_chan_format(unsigned int kind, uint64_t id, char *buf, size_t len);
int fs_chan_parse(const char *s, size_t n, unsigned int *kind, uint64_t *id);

/*
 * A raw struct sockaddr (len bytes, as a syscall got it) as text:
 * "127.0.0.1:8080", "[::1]:8080", "unix:/tmp/x.sock", "unix:@abstract",
 * "unix:" (unnamed) or "family:N". The text is bytes, not a C string: an
 * abstract name may hold any byte. format writes at most FS_ADDR_BUF bytes
 * and returns the length, or -EINVAL when len < 2. parse rebuilds the raw
 * bytes with the length the kernel itself reports for such an address, so
 * format -> parse -> format is stable; 0 or -EINVAL / -ENAMETOOLONG.
 */
#define FS_ADDR_BUF 320
int fs_sockaddr_format(const void *raw, size_t len, char *buf);
int fs_sockaddr_parse(const char *s, size_t n, void *raw, size_t cap, size_t *len);

#endif /* FORKSCOPE_NAMES_H */
