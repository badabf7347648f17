// SPDX-License-Identifier: GPL-2.0
/* The tutorial's multiprocessing.Pool example: N workers created up front take tasks from a pipe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

#define POOL_MAX_WORKERS 64
#define POOL_TASK_MAX_S 3.0

/* The queue and its read lock, shared by every worker. */
struct pool_queue {
	int tasks[2]; /* task numbers, written by the parent */
	int lock[2];  /* holds one token byte while nobody is taking a task */
};

/*
 * Takes the next task number into *task, and announces it while still holding
 * the lock, as Python's Pool reads its queue under a lock: tasks start (and
 * print) in queue order. Returns false at end of queue.
 */
static bool take_task(struct pool_queue *q, int *task)
{
	bool got;
	char token;

	if (demo_read_full(q->lock[0], &token, 1) != 1)
		demo_fail("worker %d: the lock pipe closed", getpid());
	got = demo_read_full(q->tasks[0], task, sizeof(*task)) == sizeof(*task);
	if (got)
		printf("Run task %d (%d)...\n", *task, getpid());
	demo_write_all(q->lock[1], &token, 1);
	return got;
}

/* The rest of the task body, as long_time_task(name) in the tutorial. */
static void long_time_task(int task, double start)
{
	/* The sleep depends on the task, not on which worker runs it: --seed fixes the transcript. */
	demo_reseed((unsigned)task + 1);
	demo_sleep_random(POOL_TASK_MAX_S);
	printf("Task %d runs %0.2f seconds.\n", task, demo_now() - start);
}

/* A worker: takes one task at a time from the queue until the parent closes it. */
static void worker_loop(int worker, struct pool_queue *q)
{
	int task;

	demo_close(q->tasks[1]);
	while (take_task(q, &task)) {
		double start = demo_now();

		demo_mark("task %d started on worker %d", task, worker);
		long_time_task(task, start);
		demo_mark("task %d done", task);
	}
	exit(0);
}

static int parse_workers(const char *value)
{
	long n;

	if (strcmp(value, "auto") == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			demo_die("sysconf(_SC_NPROCESSORS_ONLN)");
	} else {
		n = demo_parse_count("--workers", value);
	}
	if (n < 1 || n > POOL_MAX_WORKERS) {
		fprintf(stderr, "--workers: %ld is not from 1 to %d\n", n, POOL_MAX_WORKERS);
		exit(2);
	}
	return (int)n;
}

int main(int argc, char **argv)
{
	const char *workers_arg = "4", *tasks_arg = "5";
	const struct demo_opt opts[] = {
		{"--workers", "N|auto", "pool size; auto = number of CPUs (default 4)", &workers_arg},
		{"--tasks", "N", "tasks to submit (default 5)", &tasks_arg},
	};
	pid_t workers[POOL_MAX_WORKERS];
	struct pool_queue q;
	int n_workers, n_tasks;
	char token = 't';

	demo_init(argc, argv, "pool", opts, sizeof(opts) / sizeof(opts[0]));
	n_workers = parse_workers(workers_arg);
	n_tasks = demo_parse_count("--tasks", tasks_arg);

	printf("Parent process %d.\n", getpid());
	demo_pipe(q.tasks);
	demo_pipe(q.lock);
	demo_write_all(q.lock[1], &token, 1);
	for (int w = 0; w < n_workers; w++) {
		workers[w] = demo_fork();
		if (workers[w] == 0)
			worker_loop(w, &q);
	}
	demo_close(q.tasks[0]);
	demo_close(q.lock[0]);
	demo_close(q.lock[1]);
	/*
	 * Printed before the tasks are queued: Python's apply_async only hands the
	 * task to a helper thread, so there too the workers see it after this line.
	 */
	printf("Waiting for all subprocesses done...\n");
	for (int task = 0; task < n_tasks; task++)
		demo_write_all(q.tasks[1], &task, sizeof(task));
	demo_mark("close");
	demo_close(q.tasks[1]); /* end of file: each idle worker exits */
	demo_mark("join");
	for (int w = 0; w < n_workers; w++)
		demo_wait_ok(workers[w], "worker");
	printf("All subprocesses done.\n");
	return 0;
}
