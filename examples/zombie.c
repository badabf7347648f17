// SPDX-License-Identifier: GPL-2.0
/* A child exits at once; its parent sleeps before waitpid, so the child stays a zombie meanwhile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

/* The state letter of pid from /proc/PID/stat ('Z' for a zombie), or '?' once it is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f) {
		if (errno != ENOENT)
			demo_die(path);
		return '?';
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The comm field may hold spaces and parentheses: the state follows the last ')'. */
	close_paren = strrchr(buf, ')');
	if (!close_paren || close_paren[1] != ' ')
		demo_fail("%s: unexpected format", path);
	return close_paren[2];
}

/* Blocks until pid has exited, without collecting it (WNOWAIT): it is a zombie on return. */
static void wait_until_exited(pid_t pid)
{
	siginfo_t info;

	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			demo_die("waitid");
}

int main(int argc, char **argv)
{
	pid_t pid;
	int status;

	demo_init(argc, argv, "zombie", NULL, 0);
	printf("Parent process %d.\n", getpid());
	pid = demo_fork();
	if (pid == 0) {
		printf("Child process %d exits at once.\n", getpid());
		demo_mark("child exits");
		exit(0);
	}
	wait_until_exited(pid);
	demo_mark("zombie");
	printf("Child %d has exited but is not reaped: state %c (zombie).\n", pid, proc_state(pid));
	demo_pause(2000);
	demo_mark("waitpid");
	status = demo_wait(pid);
	demo_mark("reaped");
	printf("Parent %d reaped child %d (exit status %d).\n", getpid(), pid, WEXITSTATUS(status));
	if (proc_state(pid) != '?')
		demo_fail("child %d is still in /proc after waitpid", pid);
	printf("Child %d is gone from /proc.\n", pid);
	return 0;
}
