/* SPDX-License-Identifier: GPL-2.0 */
/* Where an export writes: standard output, a file replaced only on success, or a device or FIFO written into. */
#ifndef FORKSCOPE_EXPORT_OUTPUT_H
#define FORKSCOPE_EXPORT_OUTPUT_H

#include <stdio.h>

struct export_output {
	FILE *f;
	char *target; /* the regular file to replace (OUT, its symlinks followed); NULL otherwise */
	char *tmp;    /* the temporary file beside target that replaces it */
};

/*
 * Opens OUT for an export (NULL or "-": standard output). A regular file, or
 * a name that does not exist yet, is written to a temporary file in the same
 * directory, renamed over it by export_output_close; a symbolic link is
 * followed, so its target is replaced and the link kept. Anything else that
 * exists (a character device, a FIFO, a socket) is opened and written into:
 * renaming over it would replace the node itself. A directory is -EISDIR.
 * 0 or -errno.
 */
int export_output_open(struct export_output *o, const char *path);

/* Publishes the output when ok, else throws the temporary file away (a device or FIFO keeps what it got). 0 or -errno. */
int export_output_close(struct export_output *o, int ok);

#endif /* FORKSCOPE_EXPORT_OUTPUT_H */
