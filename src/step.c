// SPDX-License-Identifier: GPL-2.0
/* Live stepping: the traced tree frozen at a breakpoint and thawed, and the watchdog that thaws it if forkscope dies. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include "cgroup.h"
#include "event.h"
#include "procfs.h"
#include "step.h"
#include "i18n.h"

#define HELD_WAIT_MS 1000 /* a freeze waits this long for the last process to be held */
#define HELD_MAX 4096     /* more than the held map holds: a bound for its emptying */

struct step {
	int method;
	int held_fd, tracked_fd;
	char dir[PATH_MAX + 32]; /* the workload's cgroup; "" without one */
	int procs_fd, freeze_fd, events_fd; /* its files, opened as root */
	int watchdog_fd;      /* the write end of the watchdog's socket: its EOF is forkscope's end */
	int frozen;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Empties the held map into pids (at most HELD_MAX); returns how many. */
static size_t take_held(int fd, uint32_t *pids)
{
	__u32 pid;
	size_t n = 0;

	while (n < HELD_MAX && bpf_map_get_next_key(fd, NULL, &pid) == 0) {
		bpf_map_delete_elem(fd, &pid);
		pids[n++] = pid;
	}
	return n;
}

/* What forkscope asks the watchdog to send for it. */
struct relay {
	__s32 sig; /* SIGSTOP or SIGCONT */
	__u32 pid;
};

/*
 * Sends sig to pid; one forkscope may not signal (it dropped root, and a setuid program of
 * the tree runs as root) goes through the watchdog, which kept root but signals only the
 * traced tree's processes, only to stop or continue them.
 */
static void send_sig(const struct step *st, uint32_t pid, int sig)
{
	struct relay m = { sig, pid };

	/* MSG_NOSIGNAL: a watchdog killed by someone costs this one signal, not forkscope's life */
	if (kill((pid_t)pid, sig) && errno == EPERM && send(st->watchdog_fd, &m, sizeof(m), MSG_NOSIGNAL) < 0)
		perror("forkscope: watchdog");
}

static void relayed(const struct step *st, const struct relay *m)
{
	struct fs_proc_info info;

	if ((m->sig == SIGSTOP || m->sig == SIGCONT) &&
	    bpf_map_lookup_elem(st->tracked_fd, &m->pid, &info) == 0)
		kill((pid_t)m->pid, m->sig);
}

static void cont(const struct step *st, const uint32_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		send_sig(st, pids[i], SIGCONT);
}

/*
 * Lets the tree go; arm (if not NULL) lets the next breakpoint fire. With the freezer the
 * stopped processes are continued while still frozen and breakpoints armed before the thaw,
 * so none can pass a breakpoint unseen (a pool's next fork is microseconds away) and no
 * SIGCONT can undo a new breakpoint's stop. With SIGSTOP alone that cannot be had: armed
 * first, a process continued early may stop again before the rest are continued.
 */
static void release(const struct step *st, void (*arm)(void *), void *arg)
{
	static uint32_t pids[HELD_MAX];
	size_t n = take_held(st->held_fd, pids);

	if (st->freeze_fd >= 0)
		cont(st, pids, n);
	if (arm)
		arm(arg);
	if (st->freeze_fd >= 0 && pwrite(st->freeze_fd, "0", 1, 0) < 0)
		perror("forkscope: cgroup.freeze");
	if (st->freeze_fd < 0)
		cont(st, pids, n);
}

/* Waits for a change of cgroup.events (the kernel notifies with POLLPRI) until ms_left. */
static void events_wait(const struct step *st, int ms_left)
{
	struct pollfd pfd = { st->events_fd, POLLPRI, 0 };

	poll(&pfd, 1, ms_left);
}

/* The watchdog's last job: once the workload has left the cgroup, the cgroup goes too. */
static void remove_when_empty(const struct step *st)
{
	while (cgroup_event(st->events_fd, "populated") > 0)
		events_wait(st, -1);
	rmdir(st->dir);
}

/* Closes every descriptor from 3 on but the sorted, distinct keep[n] (-1 entries are skipped). */
static void keep_only(const int *keep, int n)
{
	unsigned int from = 3;

	for (int i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if (keep[i] > (int)from)
			close_range(from, (unsigned int)keep[i] - 1, 0);
		from = (unsigned int)keep[i] + 1;
	}
	close_range(from, ~0u, 0);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * The watchdog: its own session, deaf to the terminal's signals, holding
 * nothing of forkscope's but the socket, the held and tracked maps and the
 * cgroup's files (not the probes' links: they end with forkscope). It sends
 * the signals forkscope may not, and at the socket's end lets the tree go.
 * Never returns.
 */
static void watchdog(const struct step *st, int ctl)
{
	int keep[] = { ctl, st->held_fd, st->tracked_fd, st->freeze_fd, st->events_fd };
	int null = open("/dev/null", O_RDWR);
	const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE };
	struct relay m;
	sigset_t none;

	setsid();
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	qsort(keep, sizeof(keep) / sizeof(keep[0]), sizeof(keep[0]), cmp_int);
	keep_only(keep, sizeof(keep) / sizeof(keep[0]));
	prctl(PR_SET_NAME, "forkscope-wdog");
	for (;;) { /* a seqpacket socket: each of forkscope's sends is one whole record */
		ssize_t n = recv(ctl, &m, sizeof(m), 0);

		if (n == (ssize_t)sizeof(m))
			relayed(st, &m);
		else if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	release(st, NULL, NULL);
	if (st->dir[0])
		remove_when_empty(st);
	_exit(0);
}

/*
 * Forked twice, so that it is nobody's child in the tree: forkscope, a child
 * subreaper, would otherwise wait for it as for the workload. The workload is
 * not started yet, so no orphan can miss forkscope meanwhile.
 */
static int watchdog_start(struct step *st)
{
	int p[2], subreaper = 0;
	pid_t mid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p))
		return -errno;
	prctl(PR_GET_CHILD_SUBREAPER, &subreaper);
	if (subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 0);
	mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			close(p[1]);
			watchdog(st, p[0]);
		}
		_exit(0);
	}
	close(p[0]);
	if (mid > 0)
		waitpid(mid, NULL, 0); /* the watchdog, orphaned, has gone to init by now */
	if (subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (mid < 0) {
		close(p[1]);
		return -ECHILD;
	}
	st->watchdog_fd = p[1];
	return 0;
}

static int open_in(const char *dir, const char *name, int flags)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, flags | O_CLOEXEC);
}

/* The workload's own cgroup, below forkscope's (so it keeps the limits forkscope has). */
static int make_cgroup(struct step *st, char *why, size_t len)
{
	char own[PATH_MAX];
	int err = cgroup_dir_of(getpid(), own, sizeof(own), why, len);

	if (err)
		return err;
	snprintf(st->dir, sizeof(st->dir), "%s/forkscope-step-%d", own, (int)getpid());
	if (mkdir(st->dir, 0755)) {
		err = -errno;
		snprintf(why, len, "%s: %s", st->dir, strerror(errno));
		st->dir[0] = '\0';
		return err;
	}
	st->procs_fd = open_in(st->dir, "cgroup.procs", O_WRONLY);
	st->freeze_fd = open_in(st->dir, "cgroup.freeze", O_WRONLY);
	st->events_fd = open_in(st->dir, "cgroup.events", O_RDONLY);
	if (st->procs_fd >= 0 && st->freeze_fd >= 0 && st->events_fd >= 0)
		return 0;
	err = -errno;
	snprintf(why, len, _("%s has no cgroup.freeze (the cgroup v2 freezer needs Linux 5.2)"), st->dir);
	return err;
}

static void drop_cgroup(struct step *st)
{
	int *fds[] = { &st->procs_fd, &st->freeze_fd, &st->events_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	if (st->dir[0])
		rmdir(st->dir);
	st->dir[0] = '\0';
}

int step_open(struct step **out, const struct step_opts *o, char *how, size_t len)
{
	struct step *st = calloc(1, sizeof(*st));
	char why[PATH_MAX + 128] = "";
	int err;

	*out = NULL;
	if (!st)
		return -ENOMEM;
	st->held_fd = o->held_fd;
	st->tracked_fd = o->tracked_fd;
	st->procs_fd = st->freeze_fd = st->events_fd = st->watchdog_fd = -1;
	st->method = FS_FREEZE_CGROUP;
	if (!o->cgroup || make_cgroup(st, why, sizeof(why))) {
		drop_cgroup(st);
		st->method = FS_FREEZE_SIGSTOP;
	}
	err = watchdog_start(st);
	if (err) {
		drop_cgroup(st);
		free(st);
		return err;
	}
	if (st->method == FS_FREEZE_CGROUP)
		snprintf(how, len, _("stepping: the tree is frozen with the cgroup v2 freezer (%s)"), st->dir);
	else if (why[0])
		snprintf(how, len, _("stepping: the tree is stopped with SIGSTOP (no cgroup v2 freezer: %s)"), why);
	else
		snprintf(how, len, "%s", _("stepping: the tree is stopped with SIGSTOP"));
	*out = st;
	return 0;
}

int step_method(const struct step *st)
{
	return st->method;
}

int step_adopt(struct step *st, pid_t pid)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (st->procs_fd < 0)
		return 0;
	return pwrite(st->procs_fd, buf, (size_t)n, 0) == n ? 0 : -errno;
}

/* Whether pid is held: stopped (T, t), frozen tasks aside, or no longer running code at all. */
static int is_held(uint32_t pid)
{
	uint32_t ppid;
	char state = 0;

	return procfs_stat(pid, &state, &ppid) < 0 || state == 'T' || state == 't' || state == 'Z' ||
	       state == 'X';
}

static void wait_stopped(const uint32_t *pids, size_t n)
{
	uint64_t deadline = now_ms() + HELD_WAIT_MS;

	for (size_t i = 0; i < n; i++)
		while (!is_held(pids[i]) && now_ms() < deadline)
			usleep(1000);
}

static void wait_frozen(const struct step *st)
{
	uint64_t deadline = now_ms() + HELD_WAIT_MS, now;

	while (cgroup_event(st->events_fd, "frozen") == 0 && (now = now_ms()) < deadline)
		events_wait(st, (int)(deadline - now));
}

uint32_t step_freeze(struct step *st, const uint32_t *pids, size_t n)
{
	uint32_t held = 0;
	__u8 one = 1;

	st->frozen = 1;
	if (st->method == FS_FREEZE_CGROUP && pwrite(st->freeze_fd, "1", 1, 0) == 1) {
		wait_frozen(st);
	} else {
		for (size_t i = 0; i < n; i++) {
			bpf_map_update_elem(st->held_fd, &pids[i], &one, BPF_ANY);
			send_sig(st, pids[i], SIGSTOP);
		}
		wait_stopped(pids, n);
	}
	for (size_t i = 0; i < n; i++)
		held += kill((pid_t)pids[i], 0) == 0;
	return held;
}

void step_thaw(struct step *st, void (*arm)(void *), void *arg)
{
	release(st, arm, arg);
	st->frozen = 0;
}

int step_held(const struct step *st)
{
	__u32 pid;

	return bpf_map_get_next_key(st->held_fd, NULL, &pid) == 0;
}

int step_frozen(const struct step *st)
{
	return st->frozen;
}

void step_close(struct step *st)
{
	if (!st)
		return;
	release(st, NULL, NULL);
	/* an rmdir of a cgroup still in use fails: the watchdog removes it once it is empty */
	drop_cgroup(st);
	if (st->watchdog_fd >= 0)
		close(st->watchdog_fd);
	free(st);
}
