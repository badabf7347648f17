// SPDX-License-Identifier: GPL-2.0
/* The parent exits without waiting; its child lives on, is reparented, and reports its new parent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

#define ORPHAN_TIMEOUT_S 10.0

/* The command name of pid from /proc/PID/comm, into buf. */
static void proc_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		demo_die(path);
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* The child: waits until its parent is gone, then prints who adopted it. */
static void orphan_child(pid_t parent)
{
	double deadline = demo_now() + ORPHAN_TIMEOUT_S;
	char comm[32];
	pid_t ppid;

	printf("Child process %d: my parent is %d.\n", getpid(), parent);
	demo_mark("child sleeping");
	demo_pause(1500);
	/* With --fast the parent may still be exiting: poll until the reparenting happened. */
	while ((ppid = getppid()) == parent) {
		if (demo_now() > deadline)
			demo_fail("child %d: parent %d still alive after %.0f s", getpid(), parent,
				  ORPHAN_TIMEOUT_S);
		demo_sleep_ms(5);
	}
	demo_mark("getppid %d", ppid);
	proc_comm(ppid, comm, sizeof(comm));
	printf("Child process %d: my parent is now %d (%s).\n", getpid(), ppid, comm);
	exit(0);
}

int main(int argc, char **argv)
{
	pid_t parent = getpid(), pid;

	demo_init(argc, argv, "orphan", NULL, 0);
	printf("Parent process %d.\n", parent);
	pid = demo_fork();
	if (pid == 0)
		orphan_child(parent);
	demo_settle(); /* the child's first line comes first, as a fixed transcript */
	printf("Parent %d created child %d and exits without waiting for it.\n", getpid(), pid);
	demo_pause(500);
	demo_mark("parent exits");
	return 0;
}
