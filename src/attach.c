// SPDX-License-Identifier: GPL-2.0
/* Attaching to a running tree (--pid) or cgroup (--cgroup): who may, which processes it holds now, and what each was doing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "cgroup.h"
#include "grow.h"
#include "privilege.h"
#include "procfs.h"
#include "subproc.h"

/* What the invoking user may do to one process: one byte from the checking child. */
enum { MAY_TRACE, MAY_NOT, NO_SUCH };

/*
 * Opening /proc/PID/mem for reading is the kernel's ptrace access check
 * (PTRACE_MODE_ATTACH, Yama included) without touching the process; the
 * child makes it once it has become the invoking user, with that user's
 * rights only.
 */
static char verdict(uint32_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/mem", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return MAY_TRACE;
	return errno == ENOENT || errno == ESRCH ? NO_SUCH : MAY_NOT;
}

struct verdict_job {
	const struct attach_proc *procs;
	size_t n;
	int as_root;
};

/* In the child: becomes the invoking user (unless as_root), then one verdict byte per process. */
static void child_verdicts(int fd, void *ctx)
{
	const struct verdict_job *j = ctx;

	if (!j->as_root && priv_become_user())
		_exit(1);
	for (size_t i = 0; i < j->n; i++) {
		char v = verdict(j->procs[i].pid);

		if (write(fd, &v, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

/* The verdict on each of n processes into v, made by one child as the invoking user. 0 or -errno. */
static int verdicts(const struct attach_proc *procs, size_t n, int as_root, char *v)
{
	struct verdict_job j = { procs, n, as_root };
	size_t got;
	int err = subproc_read(child_verdicts, &j, v, n, &got);

	return err ? err : got < n ? -ECHILD : 0; /* it could not become the user, or died */
}

int attach_check(pid_t pid, int as_root)
{
	struct attach_proc one = { (uint32_t)pid, 0 };
	char v;
	int err;

	if (pid <= 0 || (kill(pid, 0) && errno == ESRCH))
		return -ESRCH;
	if (pid == getpid())
		return -EINVAL;
	err = verdicts(&one, 1, as_root, &v);
	if (err)
		return err;
	return v == MAY_TRACE ? 0 : v == NO_SUCH ? -ESRCH : -EPERM;
}

int attach_filter(struct attach_list *l, int as_root, size_t *left_out)
{
	char *v = malloc(l->n ? l->n : 1);
	size_t kept = 0;
	int err = v ? verdicts(l->procs, l->n, as_root, v) : -ENOMEM;

	for (size_t i = 0; !err && i < l->n; i++) {
		if (v[i] == MAY_TRACE)
			l->procs[kept++] = l->procs[i];
		else if (v[i] == MAY_NOT)
			(*left_out)++;
	}
	if (!err)
		l->n = kept;
	free(v);
	return err;
}

/* ---- the tree as /proc shows it --------------------------------------------- */

static int by_ppid(const void *a, const void *b)
{
	const struct attach_proc *x = a, *y = b;

	return x->ppid < y->ppid ? -1 : x->ppid > y->ppid;
}

/* Every process of the system with its parent; *n of them, sorted by parent. */
static struct attach_proc *all_processes(size_t *n)
{
	struct attach_proc *all = NULL;
	size_t cap = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc");
	char letter;

	*n = 0;
	if (!dir)
		return NULL;
	while ((d = readdir(dir))) {
		uint32_t pid = (uint32_t)strtoul(d->d_name, NULL, 10), ppid;

		if (!pid || procfs_stat(pid, &letter, &ppid))
			continue; /* not a process, or gone meanwhile */
		if (grow_array(&all, &cap, *n + 1, sizeof(*all))) {
			free(all);
			all = NULL;
			break;
		}
		all[(*n)++] = (struct attach_proc){ pid, ppid };
	}
	closedir(dir);
	if (all)
		qsort(all, *n, sizeof(*all), by_ppid);
	return all;
}

/* The first of the n entries (sorted by parent) whose parent is ppid or later. */
static size_t first_child(const struct attach_proc *all, size_t n, uint32_t ppid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (all[mid].ppid < ppid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int list_add(struct attach_list *l, uint32_t pid, uint32_t ppid)
{
	if (grow_array(&l->procs, &l->cap, l->n + 1, sizeof(*l->procs)))
		return -ENOMEM;
	l->procs[l->n++] = (struct attach_proc){ pid, ppid };
	return 0;
}

/* forkscope itself, and whatever lies between it and the root (sudo, say): never traced. */
static int own_line(uint32_t root, struct attach_list *line)
{
	uint32_t p = (uint32_t)getpid(), ppid;
	char letter;
	int err = 0;

	while (!err && p > 1 && p != root) {
		err = list_add(line, p, 0);
		if (procfs_stat(p, &letter, &ppid))
			break;
		p = ppid;
	}
	return err;
}

static int on_line(const struct attach_list *line, uint32_t pid)
{
	for (size_t i = 0; i < line->n; i++) {
		if (line->procs[i].pid == pid)
			return 1;
	}
	return 0;
}

/*
 * Adds to l, breadth first, the children (in all, n of them sorted by parent)
 * of every process in l, leaving out those on line: every parent comes
 * before its children.
 */
static int add_descendants(struct attach_list *l, const struct attach_proc *all, size_t n,
			   const struct attach_list *line)
{
	int err = 0;

	for (size_t i = 0; !err && i < l->n; i++) {
		uint32_t parent = l->procs[i].pid;

		for (size_t c = first_child(all, n, parent); !err && c < n && all[c].ppid == parent; c++) {
			if (!on_line(line, all[c].pid))
				err = list_add(l, all[c].pid, parent);
		}
	}
	return err;
}

int attach_scan(uint32_t root, struct attach_list *l)
{
	struct attach_list line = { 0 };
	size_t n;
	struct attach_proc *all = all_processes(&n);
	char letter;
	uint32_t ppid;
	int err;

	l->n = 0;
	if (!all)
		return -ENOMEM;
	err = own_line(root, &line);
	if (!err)
		err = procfs_stat(root, &letter, &ppid);
	if (!err)
		err = list_add(l, root, ppid);
	if (!err)
		err = add_descendants(l, all, n, &line);
	attach_list_free(&line);
	free(all);
	return err;
}

static int by_pid(const void *a, const void *b)
{
	const struct attach_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Whether pid is among the n entries of set, sorted by pid. */
static int in_set(const struct attach_proc *set, size_t n, uint32_t pid)
{
	struct attach_proc key = { pid, 0 };

	return bsearch(&key, set, n, sizeof(*set), by_pid) != NULL;
}

int attach_scan_cgroup(const struct fs_cgroup *cg, struct attach_list *l)
{
	struct attach_list none = { 0 };
	struct attach_proc *set = NULL;
	uint32_t *pids, ppid;
	size_t n, kept = 0;
	char letter;
	int err = cgroup_procs(cg, &pids, &n);

	l->n = 0;
	if (!err && n && !(set = calloc(n, sizeof(*set))))
		err = -ENOMEM;
	for (size_t i = 0; !err && i < n; i++) {
		if (!procfs_stat(pids[i], &letter, &ppid)) /* else gone meanwhile */
			set[kept++] = (struct attach_proc){ pids[i], ppid };
	}
	if (!err && kept) /* an empty cgroup has no set at all */
		qsort(set, kept, sizeof(*set), by_pid);
	/* the tops: processes whose parent is outside the cgroup; then their children in it */
	for (size_t i = 0; !err && i < kept; i++) {
		if (!in_set(set, kept, set[i].ppid))
			err = list_add(l, set[i].pid, set[i].ppid);
	}
	if (!err && kept) {
		qsort(set, kept, sizeof(*set), by_ppid);
		err = add_descendants(l, set, kept, &none);
	}
	free(set);
	free(pids);
	return err;
}

void attach_list_free(struct attach_list *l)
{
	free(l->procs);
	memset(l, 0, sizeof(*l));
}

/* ---- what each one was doing ---------------------------------------------------- */

int attach_describe(uint32_t pid, uint32_t ppid, struct fs_event *e)
{
	struct fs_ev_existing *x = &e->existing;
	struct timespec now;
	uint64_t start, boot;
	uint32_t threads;
	char letter;

	if (procfs_stat_start(pid, &letter, &threads, &start))
		return -ESRCH;
	memset(e, 0, sizeof(*e));
	e->type = FS_EV_EXISTING;
	e->pid = e->tid = pid;
	procfs_comm(pid, e->comm);
	x->ppid = ppid;
	x->threads = threads;
	clock_gettime(CLOCK_BOOTTIME, &now);
	boot = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	x->age_ns = start && start < boot ? boot - start : 0;
	procfs_state(pid, letter, &x->state);
	if (x->state.state == FS_STATE_DEAD)
		x->state.state = FS_STATE_ZOMBIE;
	procfs_image(pid, &x->image);
	return 0;
}
