// SPDX-License-Identifier: GPL-2.0
/* Runs every other demo in teaching order, each as its own program from this binary's directory. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "demo_list.h"

#define TOUR_NAME(name, summary) name,

static const char *const tour_names[] = {DEMO_LIST(TOUR_NAME)};

/* The directory holding this binary, and so its sibling demos. */
static void tour_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n < 0)
		demo_die("readlink /proc/self/exe");
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		demo_fail("/proc/self/exe: '%s' has no directory", dir);
	*slash = '\0';
}

/* Runs one demo with our --fast/--seed and waits for it: exit status 0 or dies. */
static void tour_run(const char *dir, const char *name)
{
	char path[PATH_MAX], seed_arg[16];
	char *argv[5];
	int argc = 0;
	unsigned seed;
	pid_t pid;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		demo_fail("%s/%s: path too long", dir, name);
	argv[argc++] = path;
	if (demo_fast())
		argv[argc++] = "--fast";
	if (demo_seed(&seed)) {
		snprintf(seed_arg, sizeof(seed_arg), "%u", seed);
		argv[argc++] = "--seed";
		argv[argc++] = seed_arg;
	}
	argv[argc] = NULL;
	demo_mark("tour: %s", name);
	pid = demo_fork();
	if (pid == 0) {
		execv(path, argv);
		perror(path);
		_exit(127);
	}
	demo_wait_ok(pid, name);
}

/* Collects descendants adopted by us (a subreaper), such as the orphan demo's child. */
static void tour_reap_adopted(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, 0)) > 0 || (pid < 0 && errno == EINTR))
		if (pid > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			demo_fail("adopted process %d ended with status 0x%x", pid, status);
	if (errno != ECHILD)
		demo_die("waitpid");
}

int main(int argc, char **argv)
{
	const size_t n = sizeof(tour_names) / sizeof(tour_names[0]);
	char dir[PATH_MAX];

	demo_init(argc, argv, "tour", NULL, 0);
	tour_dir(dir, sizeof(dir));
	/* Orphans of the demos are adopted by us, not by init, so each demo ends before the next. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		demo_die("prctl PR_SET_CHILD_SUBREAPER");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tour_names[i], "tour") == 0)
			continue;
		if (i > 0) {
			demo_pause(1500);
			printf("\n");
		}
		printf("=== %s ===\n", tour_names[i]);
		tour_run(dir, tour_names[i]);
		tour_reap_adopted();
	}
	printf("\nTour done.\n");
	return 0;
}
