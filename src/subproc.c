// SPDX-License-Identifier: GPL-2.0
/* A forked child that reports back through a pipe: forkscope's checks as another user, and systemctl. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>

#include "subproc.h"

int subproc_read(void (*fn)(int fd, void *ctx), void *ctx, char *buf, size_t len, size_t *got)
{
	int fds[2], status, fork_err;
	ssize_t r;
	pid_t child;

	*got = 0;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	child = fork();
	fork_err = errno;
	if (child == 0) {
		close(fds[0]);
		fn(fds[1], ctx);
		_exit(1);
	}
	close(fds[1]);
	while (child > 0 && *got < len && (r = read(fds[0], buf + *got, len - *got)) > 0)
		*got += (size_t)r;
	close(fds[0]);
	if (child < 0)
		return -fork_err;
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
		return -ECHILD;
	return 0;
}
