// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark helper, preloaded into a tracer: at its exit, writes the tracer's own CPU time and
 * peak RSS (getrusage(RUSAGE_SELF): never its children, which are the traced workload).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

static pid_t shim_pid;
static char shim_out[4096];

/* Only the process that was started with the shim reports; its descendants never load it. */
__attribute__((constructor)) static void shim_init(void)
{
	const char *out = getenv("FS_BENCH_RUSAGE");

	if (!out || strlen(out) >= sizeof(shim_out))
		return;
	strcpy(shim_out, out);
	shim_pid = getpid();
	unsetenv("FS_BENCH_RUSAGE");
	unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void shim_report(void)
{
	struct rusage ru;
	FILE *f;

	if (!shim_pid || getpid() != shim_pid || getrusage(RUSAGE_SELF, &ru))
		return;
	f = fopen(shim_out, "w");
	if (!f)
		return;
	fprintf(f, "cpu_s=%.3f user_s=%.3f sys_s=%.3f maxrss_kb=%ld\n",
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss);
	fclose(f);
}
