// SPDX-License-Identifier: GPL-2.0
/* Benchmark workload: N times (fork, _exit, waitpid), or vfork for a cheap 100k-process session. */
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "workload.h"

#define USAGE "fork_storm N [--vfork]"

int main(int argc, char **argv)
{
	long n = wl_count(argc > 1 ? argv[1] : NULL, USAGE);
	int use_vfork = argc > 2 && !strcmp(argv[2], "--vfork");
	uint64_t start = wl_now_ns();
	int status;

	for (long i = 0; i < n; i++) {
		pid_t pid = use_vfork ? vfork() : fork();

		if (pid < 0)
			wl_die("fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid || status != 0)
			wl_die("waitpid");
	}
	wl_report(use_vfork ? "vfork_storm" : "fork_storm", n, wl_now_ns() - start);
	return 0;
}
