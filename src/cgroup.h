/* SPDX-License-Identifier: GPL-2.0 */
/* Tracing a cgroup v2 (--cgroup, --unit): which directory, its id and depth, who is in it, whether it is empty. */
#ifndef FORKSCOPE_CGROUP_H
#define FORKSCOPE_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct fs_cgroup {
	char dir[PATH_MAX];  /* the directory, as found */
	char name[PATH_MAX]; /* its path from the v2 root, as the kernel names it ("/svc/web") */
	uint64_t id;         /* the kernel's cgroup id: the directory's inode */
	uint32_t level;      /* its depth below the v2 root (the root is 0) */
	int events_fd;       /* cgroup.events, for "populated"; -1 when closed */
};

/*
 * --cgroup PATH: a cgroup v2 directory, absolute or relative to the v2 mount
 * (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid system). 0, or
 * -errno with a one-line reason for the user in why.
 */
int cgroup_open(struct fs_cgroup *cg, const char *path, char *why, size_t len);

/*
 * --unit NAME: a systemd unit (".service" when NAME has no unit suffix), by
 * systemd's ControlGroup (or its main pid's /proc/PID/cgroup) when systemd
 * runs, else by the directory of that name in the v2 hierarchy, where systemd
 * puts it. 0, or -errno with a reason in why.
 */
int cgroup_open_unit(struct fs_cgroup *cg, const char *unit, char *why, size_t len);

/* The directory of the cgroup v2 that process pid is in now. 0, or -errno with a reason in why. */
int cgroup_dir_of(pid_t pid, char *dir, size_t len, char *why, size_t wlen);

/* A flag of an open cgroup.events ("populated", "frozen"): 1 or 0, -ENOENT once the cgroup is removed. */
int cgroup_event(int events_fd, const char *key);

/* 1 while a process is in the cgroup or below it, 0 when it is empty, -ENOENT once it is removed. */
int cgroup_populated(const struct fs_cgroup *cg);

/* Whether pid's v2 cgroup is cg or lies below it (from /proc/PID/cgroup); 0 when gone. */
int cgroup_holds(const struct fs_cgroup *cg, pid_t pid);

/* Every process in the cgroup and below it now (cgroup.procs of each directory). 0 or -errno. */
int cgroup_procs(const struct fs_cgroup *cg, uint32_t **pids, size_t *n);

void cgroup_close(struct fs_cgroup *cg); /* a zeroed or closed one is fine */

#endif
