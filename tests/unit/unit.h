/* SPDX-License-Identifier: GPL-2.0 */
/* A two-macro test harness: CHECK records a failure and goes on, UNIT_DONE prints the tally. */
#ifndef FORKSCOPE_UNIT_H
#define FORKSCOPE_UNIT_H
#include <stdio.h>

static int unit_failed, unit_passed;

#define CHECK(cond)                                                              \
	do {                                                                         \
		if (cond) {                                                              \
			unit_passed++;                                                       \
		} else {                                                                 \
			unit_failed++;                                                       \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                        \
	} while (0)

/* Ends main(): prints "N passed, N failed" (the line CI reads) and the exit code. */
#define UNIT_DONE(name)                                                          \
	(printf("%s: %d passed, %d failed\n", (name), unit_passed, unit_failed),     \
	 unit_failed != 0)

#endif
