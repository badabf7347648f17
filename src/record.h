/* SPDX-License-Identifier: GPL-2.0 */
/* Recording: launch a command, trace its tree live, write every event to a log (headless, or under the TUI). */
#ifndef FORKSCOPE_RECORD_H
#define FORKSCOPE_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "source_bpf.h"

struct pty;

struct record_opts {
	const char *out;    /* log path, "-" for stdout, NULL for none */
	int force;          /* replace an existing log */
	int out_numbered;   /* out is record's default name: never replaced, numbered -2, -3... if taken */
	int print;          /* narrate each event on stderr as it comes */
	int as_root;        /* do not drop to the sudo user for the command */
	int verbose;
	int no_bpf;         /* trace with the proc connector and /proc instead (fewer events) */
	int log_umask;      /* the umask the log is created with (0644 less it); -1: forkscope's own */
	size_t ring_bytes;
	char **argv;        /* the command; NULL with attach */
	pid_t attach;       /* --pid: trace this running process and its descendants instead */
	const char *cgroup; /* --cgroup PATH: trace every process in this cgroup v2 instead */
	const char *unit;   /* --unit NAME: the same for a systemd unit's cgroup */
	const struct pty *pty; /* the command's terminal, or NULL to share forkscope's */
	int stepping;       /* the TUI: breakpoints may be turned on (a watchdog is started first) */
	uint32_t step;      /* --step: breakpoints from the start, a bit per enum fs_event_type */
	int freezer;        /* --step, --predict: the command runs in a cgroup of its own, for the
			     * cgroup v2 freezer (else a tree is held with SIGSTOP) */
	fs_sink_fn sink;    /* also gets every event, after the log (the TUI); NULL for none */
	void *sink_ctx;
};

/*
 * Headless: returns the exit status for forkscope: the command's (128+N if
 * killed by N), or 1/126/127; attached, 0 once the tree is gone or forkscope
 * was told to stop (the tree is left running: forkscope detaches); on a
 * cgroup, 0 once it has been emptied or removed, or on a stop.
 */
int record_run(const struct record_opts *o);

/*
 * The pieces record_run is made of, for a caller with its own loop (the
 * live TUI). That caller blocks SIGCHLD for a signalfd and makes itself the
 * child subreaper first, as record_run does, so that every process of the
 * tree is reaped by forkscope and the end of the tree is known.
 */
struct recorder;

/*
 * Loads the probes, opens the log, starts the command at the gate, writes
 * the header and lets the command exec. Problems are printed; returns 0, or
 * the exit status to give up with.
 */
int recorder_start(struct recorder **r, const struct record_opts *o);
int recorder_fd(const struct recorder *r);       /* readable when the ring buffer wants a drain */
uint32_t recorder_root(const struct recorder *r); /* the command's pid */
const char *recorder_cgroup(const struct recorder *r); /* the traced cgroup's name, or NULL */
uint64_t recorder_lost(const struct recorder *r);
uint64_t recorder_epoch(const struct recorder *r); /* monotonic ns of the session's time zero, moved on by frozen time */
/*
 * Hands every pending event to the log and the sink. 0 or -errno. At a
 * breakpoint it freezes the tree first, takes the events up to the frozen
 * moment and ends them with a freeze step event.
 */
int recorder_drain(struct recorder *r);
/* Stepping: whether it is possible in this session, how the tree is frozen (a line for the user). */
int recorder_can_step(const struct recorder *r);
const char *recorder_step_how(const struct recorder *r);
/* The breakpoints from now on (0: none; a frozen tree then runs on). */
void recorder_set_step(struct recorder *r, uint32_t kinds);
uint32_t recorder_step(const struct recorder *r);
/* The event type of the breakpoint the tree is frozen at; 0 when it runs, or when that event was lost. */
uint32_t recorder_break_type(const struct recorder *r);
int recorder_frozen(const struct recorder *r);
/* Lets a frozen tree run on to the next breakpoint, after a thaw step event. */
void recorder_continue(struct recorder *r);
/*
 * Reaps the command and the orphans forkscope adopted; 1 once no descendant
 * is left (attached: once no process of the tree is left, or after a stop).
 */
int recorder_reap(struct recorder *r);
/*
 * Asks the command to stop: sig to it (to its process group on a pty of its
 * own), or once it is reaped to the orphans it left; SIGKILL, or any call
 * after the first, kills every process of the tree. The tree's exits and reaps are still recorded: recording ends once it
 * is gone. An attached tree is not signalled: forkscope detaches.
 */
void recorder_stop(struct recorder *r, int sig);
/*
 * Ends the recording: the last events, the kernel's channel totals and the
 * end line. Waits for the command if it was not reaped yet. Frees r (NULL
 * is fine) and returns the exit status: the command's, or 1.
 */
int recorder_finish(struct recorder *r);

/*
 * An event made in user space during the session (a lesson's answer): numbered
 * with the next seq, written to the log and given to the sink, as the source's
 * are; e->ts is the caller's. -EPROTO when the log's header is of a version
 * that cannot hold it (nothing is written, nor given to the sink), else 0 or
 * the sink's error.
 */
int recorder_inject(struct recorder *r, const struct fs_event *e);

#endif
