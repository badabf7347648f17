/* SPDX-License-Identifier: GPL-2.0 */
/* Starts the traced command held at a gate, so tracing is in place before it execs. */
#ifndef FORKSCOPE_LAUNCH_H
#define FORKSCOPE_LAUNCH_H

#include <sys/types.h>

struct launch {
	char path[4096]; /* argv[0] resolved through PATH, as exec will run it */
	pid_t pid;
	int gate_fd;  /* writing a byte lets the child exec */
	int error_fd; /* the child's exec errno, or EOF once exec succeeded */
	int stdout_to_stderr; /* set before launch_prepare: the command's stdout is forkscope's stderr
			       * (forkscope's stdout carries the log) */
};

/*
 * Forks a child that waits at the gate, then (as the sudo user unless as_root)
 * execs argv[0] found in PATH. Returns once the child is asleep at the gate, so
 * that tracing it from then on shows the command's own life, not the launcher's.
 * Returns 0 or -errno.
 */
int launch_prepare(struct launch *l, char *const argv[], int as_root);

/* Opens the gate; returns 0 once the exec happened, or -errno when it failed. */
int launch_release(struct launch *l);

/* Closes the gate without opening it: the child exits at once and is waited for. */
void launch_abort(struct launch *l);

/* The exit status for a command that could not be executed: 127 not found, else 126. */
int launch_exec_status(int err);

#endif
