// SPDX-License-Identifier: GPL-2.0
/* IPC through pipe(2): a parent writes to its child, then two children form a shell-like pipeline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

/* The child of part 1: reads until end of file, i.e. until every write end is closed. */
static void pipe_reader(int fds[2])
{
	char buf[256];
	size_t len;

	demo_close(fds[1]); /* else our own write end would keep end of file from coming */
	len = demo_read_upto(fds[0], buf, sizeof(buf) - 1);
	buf[len] = '\0';
	demo_mark("read %zu bytes", len);
	printf("Child process %d read: %s", getpid(), buf);
	exit(0);
}

static void parent_to_child(void)
{
	const char *msg = "hello through the pipe\n";
	int fds[2];
	pid_t pid;

	demo_pipe(fds);
	demo_mark("pipe");
	printf("Parent process %d created a pipe.\n", getpid());
	pid = demo_fork();
	if (pid == 0)
		pipe_reader(fds);
	demo_close(fds[0]);
	demo_pause(1000); /* the child is blocked in read meanwhile */
	demo_mark("write");
	demo_write_all(fds[1], msg, strlen(msg));
	demo_close(fds[1]);
	demo_wait_ok(pid, "reader");
}

/* Runs in a child: stdin or stdout becomes one end of the pipe, then both ends go. */
static void redirect(int fds[2], int end, int target)
{
	if (dup2(fds[end], target) < 0)
		demo_die("dup2");
	demo_close(fds[0]);
	demo_close(fds[1]);
}

/* The left side of "producer | tr a-z A-Z": this program's own code writing to a pipe. */
static void producer(int fds[2])
{
	static const char *const lines[] = {"first line\n", "second line\n", "third line\n"};

	redirect(fds, 1, STDOUT_FILENO);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		demo_write_all(STDOUT_FILENO, lines[i], strlen(lines[i]));
		demo_pause(300);
	}
	exit(0);
}

/* The right side: a real program whose stdin is the pipe. */
static void consumer(int fds[2])
{
	redirect(fds, 0, STDIN_FILENO);
	execl("/usr/bin/tr", "tr", "a-z", "A-Z", (char *)NULL);
	demo_die("/usr/bin/tr");
}

static void pipeline(void)
{
	pid_t left, right;
	int fds[2];

	printf("$ producer | tr a-z A-Z\n");
	demo_pipe(fds);
	demo_mark("pipeline");
	left = demo_fork();
	if (left == 0)
		producer(fds);
	right = demo_fork();
	if (right == 0)
		consumer(fds);
	/* The parent must close both ends too: tr only ends when no write end is left. */
	demo_close(fds[0]);
	demo_close(fds[1]);
	demo_wait_ok(left, "producer");
	demo_wait_ok(right, "tr");
}

int main(int argc, char **argv)
{
	demo_init(argc, argv, "pipe", NULL, 0);
	parent_to_child();
	demo_pause(1000);
	pipeline();
	return 0;
}
