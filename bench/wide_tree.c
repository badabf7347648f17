// SPDX-License-Identifier: GPL-2.0
/* Benchmark workload: N children alive at once (blocked on one pipe), a mark, then all leave. */
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "workload.h"

#define MARK_FD 987 /* FS_MARK_FD: a write here while it is not open becomes a mark */
#define ALL_ALIVE "all alive"

int main(int argc, char **argv)
{
	long n = wl_count(argc > 1 ? argv[1] : NULL, "wide_tree N");
	uint64_t start = wl_now_ns();
	int gate[2], status;
	char c;

	if (pipe(gate))
		wl_die("pipe");
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			close(gate[1]);
			_exit(read(gate[0], &c, 1) == 0 ? 0 : 1); /* EOF: time to go */
		}
	}
	/* The replay benchmark renders the screen at this mark. EBADF when untraced. */
	if (write(MARK_FD, ALL_ALIVE, strlen(ALL_ALIVE)) >= 0)
		wl_die("fd 987 is open");
	close(gate[1]);
	while (wait(&status) > 0)
		if (status != 0)
			wl_die("a child failed");
	wl_report("wide_tree", n, wl_now_ns() - start);
	return 0;
}
