// SPDX-License-Identifier: GPL-2.0
/* The tutorial's Queue example: a writer and a reader process share a pipe; the reader is terminated. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

/* The writer, as write(q) in the tutorial: three values with random pauses. */
static void writer(int queue_fd)
{
	static const char values[] = {'A', 'B', 'C'};

	printf("Process to write: %d\n", getpid());
	demo_reseed(1);
	for (size_t i = 0; i < sizeof(values); i++) {
		printf("Put %c to queue...\n", values[i]);
		demo_mark("put %c", values[i]);
		demo_write_all(queue_fd, &values[i], 1);
		demo_sleep_random(1.0);
	}
}

/* The reader, as read(q): an endless loop of blocking gets, ended only by a signal. */
static void reader(int queue_fd)
{
	char value;

	printf("Process to read: %d\n", getpid());
	for (;;) {
		if (demo_read_full(queue_fd, &value, 1) != 1)
			demo_fail("reader: the queue was closed");
		demo_mark("get %c", value);
		printf("Get %c from queue.\n", value);
	}
}

/* Process(target=..., args=(q,)).start(): the child keeps only the end it uses. */
static pid_t start(void (*target)(int), int keep_fd, int drop_fd)
{
	pid_t pid = demo_fork();

	if (pid == 0) {
		demo_close(drop_fd);
		target(keep_fd);
		exit(0);
	}
	return pid;
}

/*
 * Blocks until the queue holds an item, without taking it: starting the reader
 * only then gives the tutorial's transcript ("Put A" before "Process to read").
 */
static void wait_first_item(int queue_fd)
{
	struct pollfd pfd = {.fd = queue_fd, .events = POLLIN};

	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			demo_die("poll");
}

int main(int argc, char **argv)
{
	int queue[2], status;
	pid_t pw, pr;

	demo_init(argc, argv, "queue", NULL, 0);
	demo_pipe(queue);
	pw = start(writer, queue[1], queue[0]);
	wait_first_item(queue[0]);
	pr = start(reader, queue[0], queue[1]);
	/* We keep the write end, as the parent's Queue object does: the reader never sees EOF. */
	demo_close(queue[0]);
	demo_mark("join writer");
	demo_wait_ok(pw, "writer");
	/* The last "Get" is printed right after the last put: give it that moment. */
	demo_settle();
	demo_pause(500);
	demo_mark("terminate reader");
	if (kill(pr, SIGTERM) < 0)
		demo_die("kill");
	status = demo_wait(pr);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
		demo_fail("reader (%d) did not die by SIGTERM (status 0x%x)", pr, status);
	demo_close(queue[1]);
	return 0;
}
