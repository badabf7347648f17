// SPDX-License-Identifier: GPL-2.0
/* The tutorial's multiprocessing.Process example: start a child running a function, then join it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "demo.h"

/* The child's target function, as run_proc(name) in the tutorial. */
static void run_proc(const char *name)
{
	printf("Run child process %s (%d)...\n", name, getpid());
	/* Some work, so the parent is seen blocked in join meanwhile. */
	demo_pause(1000);
}

int main(int argc, char **argv)
{
	pid_t pid;

	demo_init(argc, argv, "process", NULL, 0);
	printf("Parent process %d.\n", getpid());
	printf("Child process will start.\n");
	demo_pause(500);
	demo_mark("start");
	pid = demo_fork();
	if (pid == 0) {
		run_proc("test");
		exit(0);
	}
	demo_mark("join");
	demo_wait_ok(pid, "child process");
	demo_mark("joined");
	printf("Child process end.\n");
	return 0;
}
