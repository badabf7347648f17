/* SPDX-License-Identifier: GPL-2.0 */
/* A forked child that reports back through a pipe: forkscope's checks as another user, and systemctl. */
#ifndef FORKSCOPE_SUBPROC_H
#define FORKSCOPE_SUBPROC_H

#include <stddef.h>

/*
 * Forks a child that runs fn(fd, ctx) with fd the write end of a pipe; fn
 * must end the child (_exit or exec). Reads what it writes, up to len bytes,
 * into buf (*got of them), and waits for it. 0 when it exited with 0;
 * -ECHILD when it failed or died; else -errno.
 */
int subproc_read(void (*fn)(int fd, void *ctx), void *ctx, char *buf, size_t len, size_t *got);

#endif
