// SPDX-License-Identifier: GPL-2.0
/* Benchmark workload: a pool of workers fed by pipes, nudged by signals, each task a short-lived child. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "workload.h"

#define WORKERS 4
#define NUDGE_EVERY 4 /* rounds between two SIGUSR1 to every worker */

static volatile sig_atomic_t nudges;

static void on_nudge(int sig)
{
	(void)sig;
	nudges++;
}

/* Runs each task in a child whose exit code is the task; answers with the code it reaped. */
static void worker(int req, int rep)
{
	struct sigaction sa = { .sa_handler = on_nudge, .sa_flags = SA_RESTART };
	int task, status;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		wl_die("sigaction");
	while (read(req, &task, sizeof(task)) == sizeof(task)) {
		pid_t pid = fork();

		if (pid < 0)
			wl_die("fork");
		if (pid == 0)
			_exit(task & 0x7f);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			wl_die("waitpid");
		task = WEXITSTATUS(status);
		if (write(rep, &task, sizeof(task)) != sizeof(task))
			wl_die("write");
	}
	_exit(0);
}

static pid_t start_worker(int req[2], int rep[2])
{
	pid_t pid = fork();

	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		close(req[1]);
		close(rep[0]);
		worker(req[0], rep[1]);
	}
	close(req[0]);
	return pid;
}

/* One round: a task to every worker, every answer back; true if each came back right. */
static int round_trip(const int *req, int rep, int round)
{
	int sum = 0, want = 0, answer;

	for (int w = 0; w < WORKERS; w++) {
		int task = (round + w) & 0x7f;

		want += task;
		if (write(req[w], &task, sizeof(task)) != sizeof(task))
			wl_die("write");
	}
	for (int w = 0; w < WORKERS; w++) {
		if (read(rep, &answer, sizeof(answer)) != sizeof(answer))
			wl_die("read");
		sum += answer;
	}
	return sum == want;
}

int main(int argc, char **argv)
{
	long rounds = wl_count(argc > 1 ? argv[1] : NULL, "mixed ROUNDS");
	int req[WORKERS], rep[2], pipefd[2], status, failed = 0;
	pid_t pids[WORKERS];
	uint64_t start = wl_now_ns();

	if (pipe(rep))
		wl_die("pipe");
	for (int w = 0; w < WORKERS; w++) {
		if (pipe(pipefd))
			wl_die("pipe");
		pids[w] = start_worker(pipefd, rep);
		req[w] = pipefd[1];
	}
	close(rep[1]);
	for (long r = 0; r < rounds; r++) {
		failed |= !round_trip(req, rep[0], (int)r);
		for (int w = 0; r % NUDGE_EVERY == 0 && w < WORKERS; w++)
			kill(pids[w], SIGUSR1);
	}
	for (int w = 0; w < WORKERS; w++)
		close(req[w]); /* EOF: the worker leaves */
	while (wait(&status) > 0)
		failed |= status != 0;
	if (failed)
		wl_die("mixed: a worker failed");
	wl_report("mixed", rounds * WORKERS, wl_now_ns() - start);
	return 0;
}
