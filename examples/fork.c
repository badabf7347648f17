// SPDX-License-Identifier: GPL-2.0
/* The tutorial's os.fork() example: one call, two returns; here the parent also reaps the child. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "demo.h"

int main(int argc, char **argv)
{
	pid_t pid;

	demo_init(argc, argv, "fork", NULL, 0);
	printf("Process (%d) start...\n", getpid());
	pid = demo_fork();
	if (pid == 0) {
		demo_mark("fork returned 0 in child");
		/* Both processes now race to print; let the parent go first, as in the tutorial. */
		demo_settle();
		demo_pause(500);
		printf("I am child process (%d) and my parent is %d.\n", getpid(), getppid());
		return 0;
	}
	demo_mark("fork returned %d in parent", pid);
	printf("I (%d) just created a child process (%d).\n", getpid(), pid);
	/*
	 * The tutorial's parent never waits. Ours pauses, so the child ends first
	 * and lingers as a zombie, then collects it: the log shows both.
	 */
	demo_pause(1500);
	demo_mark("waitpid");
	demo_wait_ok(pid, "child");
	return 0;
}
