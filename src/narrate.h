/* SPDX-License-Identifier: GPL-2.0 */
/* Human sentences for events: "876 forked 877: fork() returns twice, 877 in the parent and 0 in the child". */
#ifndef FORKSCOPE_NARRATE_H
#define FORKSCOPE_NARRATE_H

#include <stddef.h>

struct fs_event;

/*
 * One English sentence saying what the event means for the processes, from
 * the event alone (so it is the same live, in replay and after a seek).
 * Bytes that came from the kernel (comm, paths, marks, output) are copied
 * as they are: whoever draws the sentence escapes them. Returns the length
 * the whole sentence needs, as snprintf does; buf is NUL-terminated when
 * len > 0.
 */
int narrate_event(char *buf, size_t len, const struct fs_event *e);

#endif /* FORKSCOPE_NARRATE_H */
