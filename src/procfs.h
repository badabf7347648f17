/* SPDX-License-Identifier: GPL-2.0 */
/* What /proc tells about a process: its files, comm, parent, state and image, in the probes' terms. */
#ifndef FORKSCOPE_PROCFS_H
#define FORKSCOPE_PROCFS_H

#include <stdint.h>
#include <sys/types.h>
#include "event.h"

/* Up to len bytes of /proc/PID/name; the count or -errno. */
ssize_t procfs_read(uint32_t pid, const char *name, char *buf, size_t len);
/* The target of the link /proc/PID/name (not NUL-terminated); its length or -errno. */
ssize_t procfs_link(uint32_t pid, const char *name, char *buf, size_t len);
/* comm from /proc/PID/comm; left as it was when the process is gone. */
void procfs_comm(uint32_t pid, char comm[FS_COMM_LEN]);
/* The state letter and parent from /proc/PID/stat; -errno once the process is gone. */
int procfs_stat(uint32_t pid, char *state, uint32_t *ppid);
/*
 * The state letter, the number of threads and the start time (ns since
 * boot, CLOCK_BOOTTIME) from one read of /proc/PID/stat; -errno once gone.
 */
int procfs_stat_start(uint32_t pid, char *state, uint32_t *threads, uint64_t *start_ns);
/* The state /proc shows (letter from procfs_stat), as the probes would report it. */
void procfs_state(uint32_t pid, char letter, struct fs_ev_state *st);
/* What it runs: /proc/PID/exe and /proc/PID/cmdline, with truncation flags; empty when gone. */
void procfs_image(uint32_t pid, struct fs_ev_exec *x);

#endif
