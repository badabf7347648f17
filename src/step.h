/* SPDX-License-Identifier: GPL-2.0 */
/* Live stepping: the traced tree frozen at a breakpoint and thawed, and the watchdog that thaws it if forkscope dies. */
#ifndef FORKSCOPE_STEP_H
#define FORKSCOPE_STEP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A breakpoint's probe stops the process it happens in (SIGSTOP from the
 * kernel, recorded in the probes' `held` map); step_freeze then holds the
 * rest of the tree. With the cgroup v2 freezer the workload runs in a cgroup
 * of its own below forkscope's, and freezing is one write to its
 * cgroup.freeze; without one, every traced process gets SIGSTOP (and goes in
 * `held` too). step_thaw undoes both. A watchdog process, started before the
 * workload and outside its tree, waits on a socket from forkscope: when
 * forkscope ends in any way (a quit, a crash, SIGKILL), it thaws the cgroup,
 * sends SIGCONT to every held process and removes the cgroup once empty.
 */
struct step;

struct step_opts {
	int held_fd;    /* the probes' held map (the watchdog keeps a copy) */
	int tracked_fd; /* the traced tree: the only processes the watchdog signals for forkscope */
	int cgroup;     /* try the cgroup v2 freezer: the workload gets its own cgroup */
};

/*
 * Starts the watchdog and, when asked and possible, makes the cgroup (opened
 * while forkscope is root: its files keep working after the drop to the sudo
 * user). *how gets what freezes the tree, or why the cgroup freezer could not
 * be had, as a line for the user. 0 or -errno.
 */
int step_open(struct step **st, const struct step_opts *o, char *how, size_t len);
int step_method(const struct step *st);          /* enum fs_freeze_method */
/* Moves pid (the command at the launch gate) into the workload's cgroup; 0 without one. */
int step_adopt(struct step *st, pid_t pid);
/*
 * Holds the tree (its n pids): the cgroup's freezer, or SIGSTOP to each. Waits
 * up to a second for every process to be held (one asleep in an
 * uninterruptible call is held when it wakes). Returns how many are held.
 */
uint32_t step_freeze(struct step *st, const uint32_t *pids, size_t n);
/*
 * Lets the tree run again: the freezer off, SIGCONT to every held process;
 * arm(arg), if given, at the moment the next breakpoint may fire.
 */
void step_thaw(struct step *st, void (*arm)(void *), void *arg);
int step_frozen(const struct step *st);
/* Whether a probe (or a freeze) stopped a process that is not continued yet. */
int step_held(const struct step *st);
/* Thaws, removes the cgroup if it is empty (else the watchdog does, later), ends the watchdog. NULL is fine. */
void step_close(struct step *st);

#endif
