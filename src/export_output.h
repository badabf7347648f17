/* SPDX-License-Identifier: GPL-2.0 */
/* Where an export writes: standard output, a file replaced only on success, or a device or FIFO written into. */
#ifndef FORKSCOPE_EXPORT_OUTPUT_H
#define FORKSCOPE_EXPORT_OUTPUT_H

#include <stdio.h>

struct export_output {
	FILE *f;
	char *target; /* the regular file to replace (OUT); NULL otherwise */
	char *tmp;    /* the temporary file beside target that replaces it */
};

/*
 * Opens OUT for an export (NULL, "-" or /dev/stdout: standard output). A
 * regular file, or a name that does not exist yet, is written to a temporary
 * file in the same directory, renamed over it by export_output_close.
 * Anything else that exists (a symbolic link, a character device, a FIFO) is
 * opened as the shell's '>' opens it and written into: renaming over it would
 * replace the node itself, and the kernel decides whether a link may be
 * followed. A directory is -EISDIR. 0 or -errno.
 */
int export_output_open(struct export_output *o, const char *path);

/* Publishes the output when ok, else throws the temporary file away (a device or FIFO keeps what it got). 0 or -errno. */
int export_output_close(struct export_output *o, int ok);

#endif /* FORKSCOPE_EXPORT_OUTPUT_H */
