// SPDX-License-Identifier: GPL-2.0
/* What /proc tells about a process: its files, comm, parent, state and image, in the probes' terms. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "names.h"
#include "procfs.h"

ssize_t procfs_read(uint32_t pid, const char *name, char *buf, size_t len)
{
	char path[96];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

ssize_t procfs_link(uint32_t pid, const char *name, char *buf, size_t len)
{
	char path[96];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, name);
	n = readlink(path, buf, len);
	return n < 0 ? -errno : n;
}

void procfs_comm(uint32_t pid, char comm[FS_COMM_LEN])
{
	char buf[FS_COMM_LEN + 1];
	ssize_t n = procfs_read(pid, "comm", buf, sizeof(buf));

	if (n <= 0)
		return; /* gone already: keep what was known */
	if (buf[n - 1] == '\n')
		n--;
	memset(comm, 0, FS_COMM_LEN);
	memcpy(comm, buf, (size_t)n < FS_COMM_LEN ? (size_t)n : FS_COMM_LEN);
}

/* /proc/PID/stat into buf; *rest: the fields after the comm. 0 or -errno. */
static int stat_rest(uint32_t pid, char *buf, size_t len, char **rest)
{
	ssize_t n = procfs_read(pid, "stat", buf, len - 1);

	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	*rest = strrchr(buf, ')'); /* the comm may hold anything, ')' too */
	if (!*rest)
		return -EINVAL;
	(*rest)++;
	return 0;
}

int procfs_stat(uint32_t pid, char *state, uint32_t *ppid)
{
	char buf[512], *p = NULL;
	int err = stat_rest(pid, buf, sizeof(buf), &p);

	if (err)
		return err;
	return sscanf(p, " %c %u", state, ppid) == 2 ? 0 : -EINVAL;
}

int procfs_stat_start(uint32_t pid, char *state, uint32_t *threads, uint64_t *start_ns)
{
	char buf[1024], *p = NULL;
	unsigned long long ticks;
	long hz = sysconf(_SC_CLK_TCK);
	int err = stat_rest(pid, buf, sizeof(buf), &p);

	if (err)
		return err;
	/* fields 3 (state), 20 (num_threads) and 22 (starttime, in clock ticks since boot) */
	if (sscanf(p, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %u %*d %llu",
		   state, threads, &ticks) != 3 || hz <= 0)
		return -EINVAL;
	*start_ns = ticks * (1000000000ull / (unsigned long long)hz);
	return 0;
}

/* Syscalls whose first argument is the file descriptor they wait on. */
static int waits_on_fd(long nr)
{
	static const long fd_calls[] = {
		SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_pread64, SYS_pwrite64, SYS_recvfrom,
		SYS_recvmsg, SYS_sendto, SYS_sendmsg, SYS_accept, SYS_accept4, SYS_connect,
		SYS_mq_timedsend, SYS_mq_timedreceive,
	};

	for (size_t i = 0; i < sizeof(fd_calls) / sizeof(fd_calls[0]); i++) {
		if (fd_calls[i] == nr)
			return 1;
	}
	return 0;
}

/* Where a sleeping process sleeps: /proc/PID/syscall, and the channel behind its fd if any. */
static void blocked_in(uint32_t pid, struct fs_ev_state *st)
{
	char buf[256], link[64], *end;
	unsigned int kind;
	unsigned long fd;
	uint64_t id;
	ssize_t n = procfs_read(pid, "syscall", buf, sizeof(buf) - 1);
	long nr;

	st->sysnr = -1;
	if (n <= 0)
		return;
	buf[n] = '\0';
	nr = strtol(buf, &end, 10); /* "running", or "-1 ..." outside a syscall, give no number */
	if (end == buf || nr < 0)
		return;
	st->sysnr = (int32_t)nr;
	fd = strtoul(end, NULL, 16);
	if (!waits_on_fd(nr) || fd > 1u << 30)
		return;
	snprintf(link, sizeof(link), "fd/%lu", fd);
	n = procfs_link(pid, link, buf, sizeof(buf));
	if (n > 0 && fs_chan_parse(buf, (size_t)n, &kind, &id) == 0) {
		st->chan_kind = kind;
		st->chan = id;
	}
}

void procfs_state(uint32_t pid, char letter, struct fs_ev_state *st)
{
	memset(st, 0, sizeof(*st));
	switch (letter) {
	case 'R':
		st->state = FS_STATE_RUNNING; /* on a CPU or waiting for one: /proc cannot tell */
		break;
	case 'Z':
		st->state = FS_STATE_ZOMBIE;
		break;
	case 'X':
		st->state = FS_STATE_DEAD;
		break;
	case 'S': case 'D':
		st->state = FS_STATE_BLOCKED;
		blocked_in(pid, st);
		break;
	case 'T': case 't': /* held, in no call of its own, as the probes report it */
		st->state = FS_STATE_BLOCKED;
		st->sysnr = -1;
		st->stop = letter == 'T' ? FS_STOP_SIGNAL : FS_STOP_TRACED;
		break;
	default: /* parked, idle */
		st->state = FS_STATE_BLOCKED;
		st->sysnr = -1;
		break;
	}
}

void procfs_image(uint32_t pid, struct fs_ev_exec *x)
{
	ssize_t n = procfs_link(pid, "exe", x->filename, FS_PATH_LEN);

	x->filename_len = (uint16_t)(n > 0 ? n : 0);
	x->filename_truncated = n == FS_PATH_LEN;
	n = procfs_read(pid, "cmdline", x->argv, FS_ARGV_LEN);
	x->argv_len = (uint16_t)(n > 0 ? n : 0);
	x->argv_truncated = n == FS_ARGV_LEN;
}
