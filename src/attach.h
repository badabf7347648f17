/* SPDX-License-Identifier: GPL-2.0 */
/* Attaching to a running tree (--pid) or cgroup (--cgroup): who may, which processes it holds now, and what each was doing. */
#ifndef FORKSCOPE_ATTACH_H
#define FORKSCOPE_ATTACH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "event.h"

/*
 * strace's rule for -p: the invoking user (the sudo user under sudo, unless
 * as_root) must be allowed to ptrace pid. 0; -ESRCH no such process; -EPERM
 * not allowed; -EINVAL it is forkscope itself.
 */
int attach_check(pid_t pid, int as_root);

struct attach_proc {
	uint32_t pid, ppid;
};

struct attach_list {
	struct attach_proc *procs; /* root first, every parent before its children */
	size_t n, cap;
};

/*
 * The processes under root (root included) as /proc shows them now,
 * leaving out forkscope and its own ancestors below root (sudo, a shell).
 * Reuses l's memory; 0 or -errno (-ESRCH: root is gone).
 */
int attach_scan(uint32_t root, struct attach_list *l);

struct fs_cgroup;

/*
 * The processes in cg and below it as /proc shows them now: first those
 * whose parent is outside it, every parent before its children. Reuses l's
 * memory; 0 or -errno.
 */
int attach_scan_cgroup(const struct fs_cgroup *cg, struct attach_list *l);
void attach_list_free(struct attach_list *l);

/*
 * An existing event for pid, as /proc shows it; ts and seq are left for the
 * source. -ESRCH when it is gone (reaped) already.
 */
int attach_describe(uint32_t pid, uint32_t ppid, struct fs_event *e);

/*
 * Leaves out of l the processes the invoking user may not ptrace, by the
 * rule of attach_check, checked in one child for the whole list; adds their
 * number to *left_out (gone ones are dropped without counting). 0 or -errno.
 */
int attach_filter(struct attach_list *l, int as_root, size_t *left_out);

#endif
