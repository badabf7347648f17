// SPDX-License-Identifier: GPL-2.0
/* The pseudo-terminal the live TUI runs its workload on, so the workload's output never reaches the screen directly. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <termios.h>
#include "pty.h"

static int armed_slave = -1;

int pty_open(struct pty *p, int cols, int rows)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");
	char name[64];
	int err;

	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	p->slave = -1;
	if (p->master < 0)
		return -errno;
	if (grantpt(p->master) || unlockpt(p->master) || ptsname_r(p->master, name, sizeof(name)))
		goto fail;
	p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		goto fail;
	if (fcntl(p->master, F_SETFL, O_NONBLOCK))
		goto fail;
	/* under sudo the workload runs as the user, who may reopen its terminal by name */
	if (uid && gid && geteuid() == 0 && fchown(p->slave, (uid_t)atoi(uid), (gid_t)-1))
		goto fail;
	pty_resize(p, cols, rows);
	return 0;
fail:
	err = -errno;
	pty_close(p);
	return err;
}

void pty_close(struct pty *p)
{
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	p->master = p->slave = -1;
}

int pty_resize(const struct pty *p, int cols, int rows)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };

	return ioctl(p->master, TIOCSWINSZ, &ws) ? -errno : 0;
}

ssize_t pty_read(const struct pty *p, char *buf, size_t len)
{
	ssize_t n = read(p->master, buf, len);

	if (n >= 0)
		return n;
	return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

int pty_write(const struct pty *p, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(p->master, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno; /* EAGAIN: the workload is not reading; the keys are dropped */
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* In the forked child: a new session with the slave as its controlling terminal and stdio. */
static void child_take_terminal(void)
{
	int fd = armed_slave;

	if (fd < 0)
		return;
	armed_slave = -1;
	/*
	 * Nothing here can fail for a fresh child of a process that is not a
	 * session leader; were it to, the command still runs, on the slave.
	 */
	setsid();
	ioctl(fd, TIOCSCTTY, 0);
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

int pty_arm(int slave)
{
	static int registered;

	if (!registered) {
		int err = pthread_atfork(NULL, NULL, child_take_terminal);

		if (err)
			return -err;
		registered = 1;
	}
	armed_slave = slave;
	return 0;
}

void pty_disarm(void)
{
	armed_slave = -1;
}
