// SPDX-License-Identifier: GPL-2.0
/* Starts the traced command held at a gate, so tracing is in place before it execs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "i18n.h"
#include "launch.h"
#include "privilege.h"

/*
 * The file execvp would run, looked up once here so the child makes one exec,
 * not one failed exec per PATH entry; a name not found is exec'd as it is, to fail there.
 */
static void resolve(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	snprintf(out, len, "%s", name);
	if (strchr(name, '/') || !path)
		return;
	for (p = path; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(out, len, "%.*s%s%s", (int)(end - p), p, end > p ? "/" : "", name);
		if (access(out, X_OK) == 0)
			return;
	}
	snprintf(out, len, "%s", name);
}

/* Whether the child sleeps in read(2) at the gate: /proc/PID/syscall starts with "0 ". */
static int at_gate(pid_t pid)
{
	char path[64], buf[8] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strncmp(buf, "0 ", 2) == 0;
}

/* Waits (up to a second) for the child to reach the gate; it goes on anyway after that. */
static void wait_at_gate(pid_t pid)
{
	struct timespec pause = { 0, 200 * 1000 };
	int i;

	for (i = 0; i < 5000 && at_gate(pid) == 0; i++)
		nanosleep(&pause, NULL);
}

static void child_main(const struct launch *l, int gate, int error_fd, char *const argv[], int as_root)
{
	char go;
	int err = 0;

	sigset_t none;

	if (read(gate, &go, 1) != 1)
		_exit(1); /* the tracer gave up before opening the gate */
	close(gate);
	/* The tracer blocks its stop signals for its signalfd; the command must not inherit that. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	i18n_restore_env();
	if (l->stdout_to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		err = -errno;
	if (!err && !as_root)
		err = priv_become_user();
	if (!err) {
		execv(l->path, argv);
		err = -errno;
	}
	if (write(error_fd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(launch_exec_status(err));
}

int launch_prepare(struct launch *l, char *const argv[], int as_root)
{
	int gate[2], error[2];

	resolve(argv[0], l->path, sizeof(l->path));
	if (pipe2(gate, O_CLOEXEC))
		return -errno;
	if (pipe2(error, O_CLOEXEC)) {
		close(gate[0]), close(gate[1]);
		return -errno;
	}
	l->pid = fork();
	if (l->pid < 0) {
		int err = -errno;

		close(gate[0]), close(gate[1]), close(error[0]), close(error[1]);
		return err;
	}
	if (l->pid == 0) {
		close(gate[1]);
		close(error[0]);
		child_main(l, gate[0], error[1], argv, as_root);
	}
	close(gate[0]);
	close(error[1]);
	wait_at_gate(l->pid);
	l->gate_fd = gate[1];
	l->error_fd = error[0];
	return 0;
}

int launch_release(struct launch *l)
{
	int err = 0;
	ssize_t n;

	n = write(l->gate_fd, "g", 1);
	close(l->gate_fd);
	if (n != 1)
		return -EPIPE;
	do
		n = read(l->error_fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(l->error_fd);
	return n == sizeof(err) ? err : 0;
}

void launch_abort(struct launch *l)
{
	close(l->gate_fd);
	close(l->error_fd);
	waitpid(l->pid, NULL, 0);
	l->pid = -1;
}

int launch_exec_status(int err)
{
	return err == -ENOENT ? 127 : 126;
}
