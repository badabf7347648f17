// SPDX-License-Identifier: GPL-2.0
/* IPC through a POSIX message queue: messages keep their boundaries and come out by priority. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

#define MQ_MSG_MAX 64

static char mq_name[64];

struct mq_item {
	const char *text;
	unsigned prio;
};

static int mq_remove(void *name)
{
	if (mq_unlink(name) < 0) {
		perror(name);
		return -errno;
	}
	return 0;
}

static void mq_put(mqd_t mq, const struct mq_item *m)
{
	printf("Send '%s' with priority %u.\n", m->text, m->prio);
	demo_mark("mq_send %s", m->text);
	while (mq_send(mq, m->text, strlen(m->text), m->prio) < 0)
		if (errno != EINTR)
			demo_die("mq_send");
}

/* The receiver: opens the queue by name and takes n messages, blocking when it is empty. */
static void receiver(int n)
{
	mqd_t mq = mq_open(mq_name, O_RDONLY);
	char buf[MQ_MSG_MAX + 1];
	unsigned prio;
	ssize_t len;

	if (mq == (mqd_t)-1)
		demo_die(mq_name);
	for (int i = 0; i < n; i++) {
		while ((len = mq_receive(mq, buf, MQ_MSG_MAX, &prio)) < 0)
			if (errno != EINTR)
				demo_die("mq_receive");
		buf[len] = '\0';
		demo_mark("mq_receive %s", buf);
		printf("Receiver %d got '%s' (priority %u).\n", getpid(), buf, prio);
	}
	if (mq_close(mq) < 0)
		demo_die("mq_close");
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct mq_item early[] = {{"low", 1}, {"high", 5}, {"medium", 3}};
	static const struct mq_item late = {"bye", 0};
	const size_t n_early = sizeof(early) / sizeof(early[0]);
	struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = MQ_MSG_MAX};
	mqd_t mq;
	pid_t pid;

	demo_init(argc, argv, "mqueue", NULL, 0);
	snprintf(mq_name, sizeof(mq_name), "/forkscope-mq-%d", getpid());
	mq = mq_open(mq_name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600, &attr);
	if (mq == (mqd_t)-1)
		demo_die(mq_name);
	demo_defer(mq_remove, mq_name);
	printf("Parent process %d opened the message queue %s.\n", getpid(), mq_name);
	/* Queued before anyone reads: the receiver will get them highest priority first. */
	for (size_t i = 0; i < n_early; i++)
		mq_put(mq, &early[i]);
	pid = demo_fork();
	if (pid == 0)
		receiver((int)n_early + 1);
	/* The receiver empties the queue, then blocks in mq_receive until "bye". */
	demo_settle();
	demo_pause(1500);
	mq_put(mq, &late);
	demo_wait_ok(pid, "receiver");
	if (mq_close(mq) < 0)
		demo_die("mq_close");
	demo_mark("mq_unlink");
	return demo_cleanup() != 0;
}
