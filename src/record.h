/* SPDX-License-Identifier: GPL-2.0 */
/* Headless recording: launch a command, trace its tree live, write every event to a log. */
#ifndef FORKSCOPE_RECORD_H
#define FORKSCOPE_RECORD_H

#include <stddef.h>

struct record_opts {
	const char *out;    /* log path, "-" for stdout, NULL for none */
	int force;          /* replace an existing log */
	int print;          /* narrate each event on stderr as it comes */
	int as_root;        /* do not drop to the sudo user for the command */
	int verbose;
	size_t ring_bytes;
	char **argv;        /* the command */
};

/* Returns the exit status for forkscope: the command's (128+N if killed by N), or 1/126/127. */
int record_run(const struct record_opts *o);

#endif
