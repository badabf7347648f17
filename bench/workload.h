/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the benchmark workloads: a count argument, a monotonic clock and the result line. */
#ifndef FORKSCOPE_BENCH_WORKLOAD_H
#define FORKSCOPE_BENCH_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t wl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A positive count from the command line, or exit 2 with the usage line. */
static inline long wl_count(const char *s, const char *usage)
{
	char *end;
	long n = s ? strtol(s, &end, 10) : 0;

	if (!s || *end || n <= 0) {
		fprintf(stderr, "usage: %s\n", usage);
		exit(2);
	}
	return n;
}

/*
 * The one line the driver reads: the loop's own duration, so a tracer's
 * start-up and shutdown never count as the workload's slowdown.
 */
static inline void wl_report(const char *name, long n, uint64_t loop_ns)
{
	printf("bench=%s n=%ld loop_ns=%llu\n", name, n, (unsigned long long)loop_ns);
	fflush(stdout);
}

static inline void wl_die(const char *what)
{
	perror(what);
	exit(1);
}

#endif /* FORKSCOPE_BENCH_WORKLOAD_H */
