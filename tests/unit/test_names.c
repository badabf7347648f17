// SPDX-License-Identifier: GPL-2.0
/* Every name table round-trips; channel ids match what /proc shows; socket addresses format stably. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/types.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "event.h"
#include "names.h"
#include "unit.h"

/* Every value from first to last - 1 has a name that finds it again. */
static void check_table(const struct fs_names *t, int first, int last)
{
	for (int v = first; v < last; v++) {
		const char *name = fs_name_get(t, v);

		CHECK(name != NULL);
		if (name)
			CHECK(fs_name_find(t, name, strlen(name)) == v);
	}
	CHECK(fs_name_get(t, last) == NULL);
	CHECK(fs_name_get(t, -1) == NULL);
	CHECK(fs_name_find(t, "no such name", 12) == -ENOENT);
	CHECK(fs_name_find(t, "", 0) == -ENOENT);
}

static void test_enums(void)
{
	check_table(&fs_event_types, FS_EV_FORK, FS_EV_TYPE_MAX);
	check_table(&fs_states, FS_STATE_READY, FS_STATE_MAX);
	check_table(&fs_ready_reasons, FS_READY_PREEMPTED, FS_READY_NEW + 1);
	check_table(&fs_ipc_ops, FS_IPC_READ, FS_IPC_OP_MAX);
	check_table(&fs_signal_ops, FS_SIG_GENERATE, FS_SIG_DELIVER + 1);
	check_table(&fs_sig_results, 0, 5);
	check_table(&fs_sig_actions, FS_SIGACT_DEFAULT, FS_SIGACT_HANDLER + 1);
	check_table(&fs_chan_kinds, FS_CHAN_PIPE, FS_CHAN_KIND_MAX);
	CHECK(!strcmp(fs_name_get(&fs_ipc_ops, FS_IPC_MQ_UNLINK), "mq_unlink"));
	CHECK(!strcmp(fs_name_get(&fs_event_types, FS_EV_FORK_RETURN), "fork_return"));
	/* a prefix of a name is not the name */
	CHECK(fs_name_find(&fs_ipc_ops, "mq_open", 2) == -ENOENT);
}

static void test_syscalls(void)
{
	char buf[FS_NAME_BUF];
	long nr;

	for (long i = 0; i < 600; i++) {
		const char *name = fs_syscall_name(i, buf, sizeof(buf));

		CHECK(fs_syscall_parse(name, strlen(name), &nr) == 0 && nr == i);
	}
	CHECK(!strcmp(fs_syscall_name(999, buf, sizeof(buf)), "sys_999"));
	CHECK(fs_syscall_parse("sys_999", 7, &nr) == 0 && nr == 999);
	CHECK(fs_syscall_parse("wait4", 5, &nr) == 0 && nr == 61);
	CHECK(fs_syscall_parse("sys_", 4, &nr) == -EINVAL);
	CHECK(fs_syscall_parse("sys_1x", 6, &nr) == -EINVAL);
	CHECK(fs_syscall_parse("sys_-1", 6, &nr) == -EINVAL);
	CHECK(fs_syscall_parse("nosuch", 6, &nr) == -EINVAL);
	CHECK(fs_syscall_parse("", 0, &nr) == -EINVAL);
#ifdef __x86_64__
	/* the table's numbers are the x86_64 ABI's */
	static const struct { long nr; const char *name; } abi[] = {
		{ SYS_read, "read" }, { SYS_fork, "fork" }, { SYS_clone, "clone" },
		{ SYS_clone3, "clone3" }, { SYS_vfork, "vfork" }, { SYS_wait4, "wait4" },
		{ SYS_waitid, "waitid" }, { SYS_futex, "futex" }, { SYS_semtimedop, "semtimedop" },
		{ SYS_mq_timedreceive, "mq_timedreceive" }, { SYS_epoll_pwait, "epoll_pwait" },
		{ SYS_accept4, "accept4" }, { SYS_rt_sigtimedwait, "rt_sigtimedwait" },
		{ SYS_execveat, "execveat" }, { SYS_pselect6, "pselect6" }, { SYS_msgrcv, "msgrcv" },
	};
	for (size_t i = 0; i < sizeof(abi) / sizeof(abi[0]); i++)
		CHECK(!strcmp(fs_syscall_name(abi[i].nr, buf, sizeof(buf)), abi[i].name));
#endif
}

static void test_signals(void)
{
	char buf[FS_NAME_BUF];
	int sig;

	for (int i = 0; i <= 70; i++) {
		const char *name = fs_signal_name(i, buf, sizeof(buf));

		CHECK(fs_signal_parse(name, strlen(name), &sig) == 0 && sig == i);
	}
	CHECK(!strcmp(fs_signal_name(15, buf, sizeof(buf)), "SIGTERM"));
	CHECK(!strcmp(fs_signal_name(31, buf, sizeof(buf)), "SIGSYS"));
	CHECK(!strcmp(fs_signal_name(FS_SIGRTMIN, buf, sizeof(buf)), "SIGRTMIN"));
	CHECK(!strcmp(fs_signal_name(FS_SIGRTMIN + 3, buf, sizeof(buf)), "SIGRTMIN+3"));
	CHECK(!strcmp(fs_signal_name(32, buf, sizeof(buf)), "SIG32"));
	CHECK(fs_signal_parse("SIGRTMIN+31", 11, &sig) == -EINVAL);
	CHECK(fs_signal_parse("SIGRTMIN+", 9, &sig) == -EINVAL);
	CHECK(fs_signal_parse("TERM", 4, &sig) == -EINVAL);
}

static void test_errnos(void)
{
	char buf[FS_NAME_BUF];
	int err;

	for (int i = 1; i < 600; i++) {
		const char *name = fs_errno_name(i, buf, sizeof(buf));

		CHECK(fs_errno_parse(name, strlen(name), &err) == 0 && err == i);
	}
	CHECK(!strcmp(fs_errno_name(EAGAIN, buf, sizeof(buf)), "EAGAIN"));
	CHECK(!strcmp(fs_errno_name(ECONNREFUSED, buf, sizeof(buf)), "ECONNREFUSED"));
	CHECK(!strcmp(fs_errno_name(E2BIG, buf, sizeof(buf)), "E2BIG"));
	CHECK(!strcmp(fs_errno_name(999, buf, sizeof(buf)), "E999"));
	CHECK(fs_errno_parse("E", 1, &err) == -EINVAL);
}

/* The id of an fd, formatted, is exactly what readlink(/proc/self/fd/N) says. */
static void check_proc_fd(int fd, unsigned int kind)
{
	char path[64], link[64], buf[FS_CHAN_BUF];
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK(n > 0 && fstat(fd, &st) == 0);
	if (n <= 0)
		return;
	link[n] = '\0';
	CHECK(fs_chan_format(kind, st.st_ino, buf, sizeof(buf)) == n);
	CHECK(!strcmp(buf, link));
}

static void test_channels(void)
{
	static const uint64_t ids[] = { 0, 1, 1234, 4026531840ULL, UINT64_MAX };
	char buf[FS_CHAN_BUF];
	unsigned int kind;
	uint64_t id;
	int fds[2];

	for (unsigned int k = FS_CHAN_PIPE; k < FS_CHAN_KIND_MAX; k++) {
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			int n = fs_chan_format(k, ids[i], buf, sizeof(buf));

			CHECK(n > 0 && n < FS_CHAN_BUF);
			CHECK(fs_chan_parse(buf, n, &kind, &id) == 0 && kind == k && id == ids[i]);
		}
	}
	CHECK(fs_chan_format(FS_CHAN_NONE, 1, buf, sizeof(buf)) == -EINVAL);
	CHECK(fs_chan_format(FS_CHAN_KIND_MAX, 1, buf, sizeof(buf)) == -EINVAL);
	CHECK(fs_chan_format(FS_CHAN_SYSV_MSG, 7, buf, sizeof(buf)) == 11 && !strcmp(buf, "sysvmsg:[7]"));
	static const char *const bad[] = { "pipe:[]", "pipe:[12", "pipe[12]", ":[1]", "nope:[1]",
					   "pipe:[1x]", "pipe:[18446744073709551616]", "pipe:", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(fs_chan_parse(bad[i], strlen(bad[i]), &kind, &id) == -EINVAL);

	CHECK(pipe(fds) == 0);
	check_proc_fd(fds[0], FS_CHAN_PIPE);
	close(fds[0]);
	close(fds[1]);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
	check_proc_fd(fds[1], FS_CHAN_SOCKET);
	close(fds[0]);
	close(fds[1]);
}

/* text -> raw (expected length) -> text again, identical */
static void check_addr(const char *text, size_t want_len)
{
	char raw[FS_PATH_LEN], again[FS_ADDR_BUF];
	size_t len = 0;
	int n;

	CHECK(fs_sockaddr_parse(text, strlen(text), raw, sizeof(raw), &len) == 0);
	CHECK(len == want_len);
	n = fs_sockaddr_format(raw, len, again);
	CHECK(n == (int)strlen(text) && !memcmp(again, text, n));
}

static void test_sockaddrs(void)
{
	size_t un = offsetof(struct sockaddr_un, sun_path);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(8080) };
	char raw[FS_PATH_LEN], text[FS_ADDR_BUF];
	size_t len;
	int n;

	check_addr("127.0.0.1:8080", sizeof(struct sockaddr_in));
	check_addr("0.0.0.0:0", sizeof(struct sockaddr_in));
	check_addr("[::1]:8080", sizeof(struct sockaddr_in6));
	check_addr("[fe80::1:2]:65535", sizeof(struct sockaddr_in6));
	check_addr("unix:/tmp/x.sock", un + strlen("/tmp/x.sock") + 1);
	check_addr("unix:@abstract", un + 1 + strlen("abstract"));
	check_addr("unix:", un);
	check_addr("family:17", sizeof(sa_family_t));

	/* what a program passes: sizeof(struct sockaddr_un) with the path NUL-padded */
	strcpy(sun.sun_path, "/run/s");
	n = fs_sockaddr_format(&sun, sizeof(sun), text);
	CHECK(n == 11 && !memcmp(text, "unix:/run/s", 11));
	/* an abstract name keeps its NULs */
	CHECK(fs_sockaddr_parse("unix:@a\0b", 9, raw, sizeof(raw), &len) == 0 && len == un + 4);
	CHECK(fs_sockaddr_format(raw, len, text) == 9 && !memcmp(text, "unix:@a\0b", 9));
	inet_pton(AF_INET, "10.1.2.3", &sin.sin_addr);
	n = fs_sockaddr_format(&sin, sizeof(sin), text);
	CHECK(n == 13 && !memcmp(text, "10.1.2.3:8080", 13));
	/* a cut-off inet address says only its family */
	CHECK(fs_sockaddr_format(&sin, 8, text) == 8 && !memcmp(text, "family:2", 8));
	CHECK(fs_sockaddr_format(&sin, 1, text) == -EINVAL);
	CHECK(fs_sockaddr_parse("1.2.3.4", 7, raw, sizeof(raw), &len) == -EINVAL);
	CHECK(fs_sockaddr_parse("1.2.3.4:65536", 13, raw, sizeof(raw), &len) == -EINVAL);
	CHECK(fs_sockaddr_parse("[::1:80", 7, raw, sizeof(raw), &len) == -EINVAL);
	CHECK(fs_sockaddr_parse("[]:80", 5, raw, sizeof(raw), &len) == -EINVAL);
	CHECK(fs_sockaddr_parse("host:80", 7, raw, sizeof(raw), &len) == -EINVAL);
	CHECK(fs_sockaddr_parse("unix:/x", 7, raw, 4, &len) == -ENAMETOOLONG);
}

int main(void)
{
	test_enums();
	test_syscalls();
	test_signals();
	test_errnos();
	test_channels();
	test_sockaddrs();
	return UNIT_DONE("test_names");
}
