// SPDX-License-Identifier: GPL-2.0
/* Text names for every number forkscope shows: event enums, syscalls, signals, errnos, channels, socket addresses. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/types.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "event.h"
#include "names.h"
#include "strbuf.h"

#define TABLE(arr) { (arr), (int)(sizeof(arr) / sizeof((arr)[0])) }

static const char *const event_type_names[] = {
	[FS_EV_FORK] = "fork",         [FS_EV_FORK_RETURN] = "fork_return",
	[FS_EV_EXEC] = "exec",         [FS_EV_EXIT] = "exit",
	[FS_EV_REAP] = "reap",         [FS_EV_REPARENT] = "reparent",
	[FS_EV_STATE] = "state",       [FS_EV_SIGNAL] = "signal",
	[FS_EV_IPC] = "ipc",           [FS_EV_MARK] = "mark",
	[FS_EV_LOST] = "lost",         [FS_EV_OUTPUT] = "output",
	[FS_EV_TOTAL] = "total",       [FS_EV_EXISTING] = "existing",
	[FS_EV_CGROUP] = "cgroup",     [FS_EV_STEP] = "step",
	[FS_EV_ANSWER] = "answer",
};
const struct fs_names fs_event_types = TABLE(event_type_names);

static const char *const state_names[] = {
	[FS_STATE_READY] = "ready",   [FS_STATE_RUNNING] = "running",
	[FS_STATE_BLOCKED] = "blocked", [FS_STATE_ZOMBIE] = "zombie",
	[FS_STATE_DEAD] = "dead",
};
const struct fs_names fs_states = TABLE(state_names);

static const char *const ready_reason_names[] = {
	[FS_READY_PREEMPTED] = "preempted",
	[FS_READY_WOKEN] = "woken",
	[FS_READY_NEW] = "new",
};
const struct fs_names fs_ready_reasons = TABLE(ready_reason_names);

static const char *const ipc_op_names[] = {
	[FS_IPC_READ] = "read",         [FS_IPC_WRITE] = "write",
	[FS_IPC_PIPE] = "pipe",         [FS_IPC_SOCKETPAIR] = "socketpair",
	[FS_IPC_SOCKET] = "socket",     [FS_IPC_BIND] = "bind",
	[FS_IPC_LISTEN] = "listen",     [FS_IPC_CONNECT] = "connect",
	[FS_IPC_ACCEPT] = "accept",     [FS_IPC_OPEN] = "open",
	[FS_IPC_MMAP] = "mmap",         [FS_IPC_SHMGET] = "shmget",
	[FS_IPC_SHMAT] = "shmat",       [FS_IPC_SHMDT] = "shmdt",
	[FS_IPC_SHMCTL] = "shmctl",     [FS_IPC_SEMGET] = "semget",
	[FS_IPC_SEMOP] = "semop",       [FS_IPC_SEMCTL] = "semctl",
	[FS_IPC_MSGGET] = "msgget",     [FS_IPC_MSGSND] = "msgsnd",
	[FS_IPC_MSGRCV] = "msgrcv",     [FS_IPC_MSGCTL] = "msgctl",
	[FS_IPC_MQ_OPEN] = "mq_open",   [FS_IPC_MQ_UNLINK] = "mq_unlink",
	[FS_IPC_MQ_SEND] = "mq_send",   [FS_IPC_MQ_RECV] = "mq_recv",
};
const struct fs_names fs_ipc_ops = TABLE(ipc_op_names);

static const char *const cgroup_op_names[] = {
	[FS_CG_ENTER] = "enter", [FS_CG_LEAVE] = "leave",
};
const struct fs_names fs_cgroup_ops = TABLE(cgroup_op_names);

static const char *const stop_kind_names[] = {
	[FS_STOP_NONE] = "none", [FS_STOP_SIGNAL] = "stopped",
	[FS_STOP_TRACED] = "traced", [FS_STOP_FROZEN] = "frozen",
};
const struct fs_names fs_stop_kinds = TABLE(stop_kind_names);

static const char *const step_op_names[] = {
	[FS_STEP_FREEZE] = "freeze", [FS_STEP_THAW] = "thaw",
};
const struct fs_names fs_step_ops = TABLE(step_op_names);

static const char *const freeze_method_names[] = {
	[FS_FREEZE_CGROUP] = "cgroup", [FS_FREEZE_SIGSTOP] = "sigstop",
};
const struct fs_names fs_freeze_methods = TABLE(freeze_method_names);

static const char *const signal_op_names[] = {
	[FS_SIG_GENERATE] = "generate",
	[FS_SIG_DELIVER] = "deliver",
};
const struct fs_names fs_signal_ops = TABLE(signal_op_names);

/* TRACE_SIGNAL_* from include/trace/events/signal.h */
static const char *const sig_result_names[] = {
	"delivered", "ignored", "pending", "overflow", "lose_info",
};
const struct fs_names fs_sig_results = TABLE(sig_result_names);

static const char *const sig_action_names[] = {
	[FS_SIGACT_DEFAULT] = "default",
	[FS_SIGACT_IGNORE] = "ignore",
	[FS_SIGACT_HANDLER] = "handler",
};
const struct fs_names fs_sig_actions = TABLE(sig_action_names);

static const char *const chan_kind_names[] = {
	[FS_CHAN_PIPE] = "pipe",         [FS_CHAN_SOCKET] = "socket",
	[FS_CHAN_FILE] = "file",         [FS_CHAN_MQUEUE] = "mqueue",
	[FS_CHAN_SYSV_SHM] = "sysvshm",  [FS_CHAN_SYSV_SEM] = "sysvsem",
	[FS_CHAN_SYSV_MSG] = "sysvmsg",
};
const struct fs_names fs_chan_kinds = TABLE(chan_kind_names);

/* x86_64 numbers: the syscalls a process can fork, exec, exit, block or talk in. */
static const char *const syscall_names[] = {
	[0] = "read", [1] = "write", [2] = "open", [3] = "close", [7] = "poll",
	[9] = "mmap", [16] = "ioctl", [17] = "pread64", [18] = "pwrite64",
	[19] = "readv", [20] = "writev", [22] = "pipe", [23] = "select",
	[24] = "sched_yield", [29] = "shmget", [30] = "shmat", [31] = "shmctl",
	[34] = "pause", [35] = "nanosleep", [40] = "sendfile", [41] = "socket",
	[42] = "connect", [43] = "accept", [44] = "sendto", [45] = "recvfrom",
	[46] = "sendmsg", [47] = "recvmsg", [49] = "bind", [50] = "listen",
	[53] = "socketpair", [56] = "clone", [57] = "fork", [58] = "vfork",
	[59] = "execve", [60] = "exit", [61] = "wait4", [62] = "kill",
	[64] = "semget", [65] = "semop", [66] = "semctl", [67] = "shmdt",
	[68] = "msgget", [69] = "msgsnd", [70] = "msgrcv", [71] = "msgctl",
	[72] = "fcntl", [73] = "flock", [74] = "fsync", [128] = "rt_sigtimedwait",
	[129] = "rt_sigqueueinfo", [130] = "rt_sigsuspend", [200] = "tkill",
	[202] = "futex", [208] = "io_getevents", [219] = "restart_syscall",
	[220] = "semtimedop", [230] = "clock_nanosleep", [231] = "exit_group",
	[232] = "epoll_wait", [234] = "tgkill", [240] = "mq_open",
	[241] = "mq_unlink", [242] = "mq_timedsend", [243] = "mq_timedreceive",
	[247] = "waitid", [257] = "openat", [270] = "pselect6", [271] = "ppoll",
	[275] = "splice", [276] = "tee", [278] = "vmsplice", [281] = "epoll_pwait", [288] = "accept4",
	[289] = "signalfd4", [290] = "eventfd2", [293] = "pipe2",
	[297] = "rt_tgsigqueueinfo", [299] = "recvmmsg", [307] = "sendmmsg",
	[318] = "getrandom", [319] = "memfd_create", [322] = "execveat", [326] = "copy_file_range",
	[424] = "pidfd_send_signal", [426] = "io_uring_enter", [434] = "pidfd_open",
	[435] = "clone3", [441] = "epoll_pwait2", [449] = "futex_waitv",
};
static const struct fs_names syscalls = TABLE(syscall_names);

static const char *const signal_names[] = {
	[1] = "SIGHUP",   [2] = "SIGINT",     [3] = "SIGQUIT",  [4] = "SIGILL",
	[5] = "SIGTRAP",  [6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",
	[9] = "SIGKILL",  [10] = "SIGUSR1",   [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM",   [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT",   [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU",   [23] = "SIGURG",  [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO",   [30] = "SIGPWR",    [31] = "SIGSYS",
};
static const struct fs_names signals = TABLE(signal_names);

/* Each errno once: EWOULDBLOCK, EDEADLOCK and ENOTSUP are aliases on Linux. */
#define E(x) [x] = #x
static const char *const errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(EDOM),
	E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS),
	E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ENODATA), E(ETIME),
	E(EOVERFLOW), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE),
	E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(EOPNOTSUPP), E(EAFNOSUPPORT),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
	E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ECANCELED), E(EOWNERDEAD), E(ENOTRECOVERABLE),
	/* kernel-internal restart codes, seen in raw syscall results */
	[512] = "ERESTARTSYS", [513] = "ERESTARTNOINTR", [514] = "ERESTARTNOHAND",
	[516] = "ERESTART_RESTARTBLOCK",
};
#undef E
static const struct fs_names errnos = TABLE(errno_names);

const char *fs_name_get(const struct fs_names *t, long value)
{
	if (value < 0 || value >= t->count)
		return NULL;
	return t->names[value];
}

long fs_name_find(const struct fs_names *t, const char *name, size_t n)
{
	if (n == 0)
		return -ENOENT;
	for (int i = 0; i < t->count; i++) {
		const char *s = t->names[i];

		if (s && s[0] == name[0] && strnlen(s, n + 1) == n && !memcmp(s, name, n))
			return i;
	}
	return -ENOENT;
}

/* Decimal digits only (no sign, no spaces), at most max. */
static int parse_uint(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 20)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
	}
	if (x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

/* s starts with prefix: returns the length of the prefix, else 0. */
static size_t has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);

	return n >= p && !memcmp(s, prefix, p) ? p : 0;
}

/* Table name, or prefix + number; parse accepts both. */
static const char *name_or_number(const struct fs_names *t, long v, const char *prefix,
				  char *buf, size_t len)
{
	const char *s = fs_name_get(t, v);

	if (s)
		return s;
	snprintf(buf, len, "%s%ld", prefix, v);
	return buf;
}

static int parse_name_or_number(const struct fs_names *t, const char *s, size_t n,
				const char *prefix, uint64_t max, uint64_t *v)
{
	long found = fs_name_find(t, s, n);
	size_t p;

	if (found >= 0) {
		*v = found;
		return 0;
	}
	p = has_prefix(s, n, prefix);
	return p ? parse_uint(s + p, n - p, max, v) : -EINVAL;
}

const char *fs_syscall_name(long nr, char *buf, size_t len)
{
	return name_or_number(&syscalls, nr, "sys_", buf, len);
}

int fs_syscall_parse(const char *s, size_t n, long *nr)
{
	uint64_t v;
	int err = parse_name_or_number(&syscalls, s, n, "sys_", INT32_MAX, &v);

	if (!err)
		*nr = v;
	return err;
}

const char *fs_errno_name(int err, char *buf, size_t len)
{
	return name_or_number(&errnos, err, "E", buf, len);
}

int fs_errno_parse(const char *s, size_t n, int *err)
{
	uint64_t v;
	int ret = parse_name_or_number(&errnos, s, n, "E", INT32_MAX, &v);

	if (!ret)
		*err = v;
	return ret;
}

const char *fs_signal_name(int sig, char *buf, size_t len)
{
	if (sig == FS_SIGRTMIN)
		return "SIGRTMIN";
	if (sig > FS_SIGRTMIN && sig <= FS_SIGMAX) {
		snprintf(buf, len, "SIGRTMIN+%d", sig - FS_SIGRTMIN);
		return buf;
	}
	return name_or_number(&signals, sig, "SIG", buf, len);
}

int fs_signal_parse(const char *s, size_t n, int *sig)
{
	size_t p = has_prefix(s, n, "SIGRTMIN");
	uint64_t v;
	int err;

	if (p && n == p) {
		*sig = FS_SIGRTMIN;
		return 0;
	}
	if (p && s[p] == '+') {
		err = parse_uint(s + p + 1, n - p - 1, FS_SIGMAX - FS_SIGRTMIN, &v);
		if (!err)
			*sig = FS_SIGRTMIN + v;
		return err;
	}
	err = parse_name_or_number(&signals, s, n, "SIG", INT32_MAX, &v);
	if (!err)
		*sig = v;
	return err;
}

/* "pipe:[N]" as snprintf would write it, without its cost: the log writer calls this per IPC event. */
int fs_chan_format(unsigned int kind, uint64_t id, char *buf, size_t len)
{
	const char *name = fs_name_get(&fs_chan_kinds, kind);
	char digits[20], *d = strbuf_u64_before(digits + sizeof(digits), id);
	struct strbuf b = { buf, len, 0 };

	if (!name)
		return -EINVAL;
	strbuf_put(&b, name, strlen(name));
	strbuf_put(&b, ":[", 2);
	strbuf_put(&b, d, (size_t)(digits + sizeof(digits) - d));
	strbuf_put(&b, "]", 1);
	if (len)
		buf[b.pos < len ? b.pos : len - 1] = '\0';
	return (int)b.pos;
}

int fs_chan_parse(const char *s, size_t n, unsigned int *kind, uint64_t *id)
{
	const char *colon = memchr(s, ':', n);
	size_t k;
	long found;

	if (!colon)
		return -EINVAL;
	k = colon - s;
	found = fs_name_find(&fs_chan_kinds, s, k);
	if (found < 0 || n < k + 4 || colon[1] != '[' || s[n - 1] != ']')
		return -EINVAL;
	if (parse_uint(colon + 2, n - k - 3, UINT64_MAX, id))
		return -EINVAL;
	*kind = found;
	return 0;
}

/* "unix:PATH", "unix:@NAME" or "unix:" from a sockaddr_un of len bytes. */
static int unix_format(const struct sockaddr_un *sun, size_t len, char *buf)
{
	size_t n = len - offsetof(struct sockaddr_un, sun_path);
	size_t max = FS_ADDR_BUF - 6;

	memcpy(buf, "unix:", 5);
	if (n == 0)
		return 5;
	if (sun->sun_path[0] == '\0') {
		/* abstract: every byte of the name counts, NULs included */
		n = n - 1 < max ? n - 1 : max;
		buf[5] = '@';
		memcpy(buf + 6, sun->sun_path + 1, n);
		return 6 + n;
	}
	n = strnlen(sun->sun_path, n < max ? n : max);
	memcpy(buf + 5, sun->sun_path, n);
	return 5 + n;
}

int fs_sockaddr_format(const void *raw, size_t len, char *buf)
{
	sa_family_t family;
	char ip[INET6_ADDRSTRLEN];

	if (len < sizeof(family))
		return -EINVAL;
	memcpy(&family, raw, sizeof(family));
	if (family == AF_UNIX)
		return unix_format(raw, len, buf);
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;

		memcpy(&sin, raw, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, ip, sizeof(ip));
		return sprintf(buf, "%s:%u", ip, ntohs(sin.sin_port));
	}
	if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, raw, sizeof(sin6));
		inet_ntop(AF_INET6, &sin6.sin6_addr, ip, sizeof(ip));
		return sprintf(buf, "[%s]:%u", ip, ntohs(sin6.sin6_port));
	}
	return sprintf(buf, "family:%u", family);
}

/* A pathname gets its NUL counted, as the kernel's getsockname() does. */
static int unix_parse(const char *s, size_t n, void *raw, size_t cap, size_t *len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t hdr = offsetof(struct sockaddr_un, sun_path);
	size_t total = n == 0 ? hdr : s[0] == '@' ? hdr + n : hdr + n + 1;

	if (total > cap)
		return -ENAMETOOLONG;
	memset(raw, 0, total);
	memcpy(raw, &sun, hdr);
	if (n && s[0] == '@')
		memcpy((char *)raw + hdr + 1, s + 1, n - 1);
	else
		memcpy((char *)raw + hdr, s, n);
	*len = total;
	return 0;
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into a sockaddr_in / sockaddr_in6. */
static int inet_parse(const char *s, size_t n, void *raw, size_t cap, size_t *len)
{
	const char *colon = memrchr(s, ':', n);
	int v6 = n && s[0] == '[';
	size_t alen = colon ? (size_t)(colon - s) - 2 * v6 : 0;
	char ip[INET6_ADDRSTRLEN];
	uint64_t port;

	if (!colon || alen == 0 || alen >= sizeof(ip) || (v6 && colon[-1] != ']'))
		return -EINVAL;
	if (parse_uint(colon + 1, n - (colon - s) - 1, 65535, &port))
		return -EINVAL;
	memcpy(ip, s + v6, alen);
	ip[alen] = '\0';
	if (v6) {
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

		if (cap < sizeof(sin6) || inet_pton(AF_INET6, ip, &sin6.sin6_addr) != 1)
			return -EINVAL;
		memcpy(raw, &sin6, sizeof(sin6));
		*len = sizeof(sin6);
	} else {
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

		if (cap < sizeof(sin) || inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
			return -EINVAL;
		memcpy(raw, &sin, sizeof(sin));
		*len = sizeof(sin);
	}
	return 0;
}

int fs_sockaddr_parse(const char *s, size_t n, void *raw, size_t cap, size_t *len)
{
	size_t p;
	uint64_t family;

	if ((p = has_prefix(s, n, "unix:")))
		return unix_parse(s + p, n - p, raw, cap, len);
	if ((p = has_prefix(s, n, "family:"))) {
		sa_family_t f;

		if (parse_uint(s + p, n - p, UINT16_MAX, &family) || cap < sizeof(f))
			return -EINVAL;
		f = family;
		memcpy(raw, &f, sizeof(f));
		*len = sizeof(f);
		return 0;
	}
	return inet_parse(s, n, raw, cap, len);
}
