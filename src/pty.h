/* SPDX-License-Identifier: GPL-2.0 */
/* The pseudo-terminal the live TUI runs its workload on, so the workload's output never reaches the screen directly. */
#ifndef FORKSCOPE_PTY_H
#define FORKSCOPE_PTY_H

#include <stddef.h>
#include <sys/types.h>

struct pty {
	int master; /* forkscope's end: the workload's output comes out, keys go in */
	int slave;  /* the workload's terminal */
};

/* Opens a pty of cols x rows; the slave belongs to the sudo user, if any. 0 or -errno. */
int pty_open(struct pty *p, int cols, int rows);
/* Closing the master hangs up the workload's terminal (SIGHUP to its foreground group). */
void pty_close(struct pty *p);
int pty_resize(const struct pty *p, int cols, int rows);
/* Reads what the workload wrote; 0 when nothing is waiting, -errno (-EIO: every slave end is closed). */
ssize_t pty_read(const struct pty *p, char *buf, size_t len);
/* Writes keys to the workload's terminal. 0 or -errno. */
int pty_write(const struct pty *p, const char *buf, size_t len);

/*
 * The next fork() in this process makes its child the leader of a new
 * session whose controlling terminal is slave, on its stdin, stdout and
 * stderr (a pthread_atfork child handler: src/launch.c forks and execs the
 * command without knowing about terminals). pty_disarm() right after the
 * fork leaves every other fork alone.
 */
int pty_arm(int slave);
void pty_disarm(void);

#endif /* FORKSCOPE_PTY_H */
