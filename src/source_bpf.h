/* SPDX-License-Identifier: GPL-2.0 */
/* The live event source: loads and attaches the probes, drains the ring buffer into a sink. */
#ifndef FORKSCOPE_SOURCE_BPF_H
#define FORKSCOPE_SOURCE_BPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "source.h"

struct source_bpf;

struct source_bpf_opts {
	size_t ring_bytes; /* ring buffer size, a power of two >= 4096; 0 = default */
	int verbose;       /* show libbpf's messages */
	uint64_t cgroup_id; /* --cgroup: follow the processes of this cgroup v2 (and below); 0: none */
	uint32_t cgroup_level; /* its depth below the v2 root */
};

/*
 * Checks what tracing needs (root or CAP_BPF+CAP_PERFMON, BTF), loads and
 * attaches every probe. On failure *why holds a one-line reason for the user.
 */
int source_bpf_open(struct source_bpf **s, const struct source_bpf_opts *o, const char **why);

/*
 * Adds a process (and from then on its descendants) to the traced tree;
 * ppid is its parent now. at_gate: it is the launched command, blocked in
 * read(2) at the launch gate, which is not the workload's IPC. -EEXIST when
 * it is in already (the probes saw its fork).
 */
int source_bpf_track(struct source_bpf *s, uint32_t pid, uint32_t ppid, int at_gate);

/* Takes a process out of the traced tree again (it was gone before it could be described). */
void source_bpf_untrack(struct source_bpf *s, uint32_t pid);

/* Hands sink an event made in user space (existing), numbered; e->ts is the caller's. */
int source_bpf_emit(struct source_bpf *s, struct fs_event *e, fs_sink_fn sink, void *ctx);

/*
 * How many processes of the tree are still there (zombies included): for an
 * attached tree, whose processes forkscope does not reap.
 */
size_t source_bpf_alive(const struct source_bpf *s);
/* The tree's pids still there: up to max into pids; returns how many there are. */
size_t source_bpf_tracked(const struct source_bpf *s, uint32_t *pids, size_t max);

/* Sets time zero: event timestamps become nanoseconds since this monotonic time. */
void source_bpf_set_epoch(struct source_bpf *s, uint64_t monotonic_ns);

/*
 * Stepping: the session's clock stops while the tree is frozen (events then
 * keep the time it stopped at) and starts again with time zero moved on by
 * the frozen time, which clock_start returns.
 */
void source_bpf_clock_stop(struct source_bpf *s);
uint64_t source_bpf_clock_start(struct source_bpf *s);
uint64_t source_bpf_epoch(const struct source_bpf *s); /* time zero now, frozen time included */
uint64_t source_bpf_now(const struct source_bpf *s);   /* the session's time now (stopped: when it stopped) */
int source_bpf_held_fd(const struct source_bpf *s);    /* the processes breakpoints stopped */
int source_bpf_tracked_fd(const struct source_bpf *s); /* the traced tree */
/* The event types that are breakpoints (a bit per enum fs_event_type; 0: none), armed. */
void source_bpf_break(struct source_bpf *s, uint32_t kinds);
void source_bpf_arm(struct source_bpf *s); /* the next breakpoint may fire */

/* The descriptor to poll: readable when the kernel asks for an early drain. */
int source_bpf_fd(const struct source_bpf *s);

/* Hands every pending event to sink in ring order, numbering them; a lost event when drops grew. */
int source_bpf_drain(struct source_bpf *s, fs_sink_fn sink, void *ctx);

/*
 * Hands sink one total event per (channel, process) counted in the kernel: exact
 * byte and message counts even where events were lost. Called once, at the end.
 */
int source_bpf_totals(struct source_bpf *s, fs_sink_fn sink, void *ctx);

uint64_t source_bpf_events(const struct source_bpf *s);
uint64_t source_bpf_lost(const struct source_bpf *s);

void source_bpf_close(struct source_bpf *s);

#endif
