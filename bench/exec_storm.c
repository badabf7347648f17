// SPDX-License-Identifier: GPL-2.0
/* Benchmark workload: N times (fork, exec /bin/true, waitpid). */
#include <unistd.h>
#include <sys/wait.h>
#include "workload.h"

int main(int argc, char **argv)
{
	long n = wl_count(argc > 1 ? argv[1] : NULL, "exec_storm N");
	uint64_t start = wl_now_ns();
	int status;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || status != 0)
			wl_die("exec /bin/true");
	}
	wl_report("exec_storm", n, wl_now_ns() - start);
	return 0;
}
