/* SPDX-License-Identifier: GPL-2.0 */
/* The interactive TUI: one poll() loop over keys, signals, the ring buffer and the workload's terminal, for live, replay and the demo menu. */
#ifndef FORKSCOPE_UI_H
#define FORKSCOPE_UI_H

#include <stddef.h>
#include <sys/types.h>

struct ui_live_opts {
	char **argv;        /* the command; NULL with attach */
	pid_t attach;       /* --pid: trace this running process and its descendants instead */
	const char *cgroup, *unit; /* --cgroup PATH, --unit NAME: trace a cgroup's processes instead */
	const char *demo;   /* the demo it is, for its lesson; NULL for a user's command */
	const char *out;    /* also record to this log; NULL for none */
	int force, as_root, verbose, no_bpf;
	int log_umask;      /* with out: as record_opts.log_umask (-1: forkscope's own umask) */
	size_t ring_bytes;
	uint32_t step;      /* --step: breakpoints from the start (a bit per enum fs_event_type) */
	int predict;        /* --predict: the lesson's questions from the start, the tree frozen at each */
};

/* Each returns forkscope's exit status; every exit path gives the terminal back first. */
int ui_replay(const char *path, double speed);
int ui_live(const struct ui_live_opts *o);
/* The demo menu: live demos for root, the bundled recordings for everyone. */
int ui_menu(int verbose);

#endif /* FORKSCOPE_UI_H */
