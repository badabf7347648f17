/* SPDX-License-Identifier: GPL-2.0 */
/* The degraded live source without BPF: fork, exec and exit from the proc connector, states sampled from /proc. */
#ifndef FORKSCOPE_SOURCE_PROC_H
#define FORKSCOPE_SOURCE_PROC_H

#include <stddef.h>
#include <stdint.h>
#include "source.h"

/*
 * Where BPF cannot load, the netlink proc connector still reports every
 * fork, exec and exit in the system (it needs CAP_NET_ADMIN). This source
 * keeps the ones of the tracked tree, in the same events as the BPF source,
 * and adds what /proc shows every sample_ms: each process's state (R
 * running, S/D blocked with the syscall and channel from /proc/PID/syscall,
 * T blocked, Z zombie). A reap is reported when an exited process's /proc
 * entry disappears (the reaper is its last known parent, the time when that
 * was noticed). There are no ready states, signals, IPC, marks or output.
 */
struct source_proc;

struct source_proc_opts {
	unsigned int sample_ms; /* how often /proc is read; 0 = 20 ms */
};

/* Opens and subscribes the connector. On failure *why holds a one-line reason for the user. */
int source_proc_open(struct source_proc **s, const struct source_proc_opts *o, const char **why);

/* Adds a process (and from then on its descendants) to the traced tree. */
int source_proc_track(struct source_proc *s, uint32_t pid);

/* Sets time zero: event timestamps become nanoseconds since this monotonic time. */
void source_proc_set_epoch(struct source_proc *s, uint64_t monotonic_ns);

/* The descriptor to poll: readable when the connector has events or a sample is due. */
int source_proc_fd(const struct source_proc *s);

/* Hands every pending event to sink, numbering them; a lost event when the socket overflowed. */
int source_proc_drain(struct source_proc *s, fs_sink_fn sink, void *ctx);

/* Hands sink an event made in user space (a lesson's answer), numbered; e->ts is the caller's. */
int source_proc_emit(struct source_proc *s, struct fs_event *e, fs_sink_fn sink, void *ctx);

uint64_t source_proc_events(const struct source_proc *s);
uint64_t source_proc_lost(const struct source_proc *s);

void source_proc_close(struct source_proc *s); /* accepts NULL */

#endif /* FORKSCOPE_SOURCE_PROC_H */
