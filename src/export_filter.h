/* SPDX-License-Identifier: GPL-2.0 */
/* Which events an export keeps: a process subtree, event types, a time range. */
#ifndef FORKSCOPE_EXPORT_FILTER_H
#define FORKSCOPE_EXPORT_FILTER_H

#include <stddef.h>
#include <stdint.h>

struct fs_event;

struct export_filter {
	uint32_t types;    /* bit (1 << enum fs_event_type) per kept type */
	uint64_t from, to; /* ns since the session start, both included */
	uint32_t pid;      /* 0: every process; else that process and its descendants */
	uint8_t *tree;     /* with pid: a bit per pid now in the subtree */
	int pid_forked;    /* the fork of pid itself was seen */
	int pid_seen;      /* an event of the subtree was seen, not just the lost and step ones kept for any */
};

/* Keeps everything. */
void export_filter_init(struct export_filter *f);
void export_filter_free(struct export_filter *f);

/* "fork,exec,..." (names as in the log); -EINVAL with the bad name in err. */
int export_filter_types(struct export_filter *f, const char *list, char *err, size_t errlen);
/* Follows pid and the processes it forks from now on. 0, -EINVAL or -ENOMEM. */
int export_filter_subtree(struct export_filter *f, const char *pid);
/* "1.5" seconds (up to 9 decimals) into ns; -EINVAL for anything else. */
int export_parse_seconds(const char *s, uint64_t *ns);

/*
 * Call for every event in log order: follows forks to keep the subtree,
 * then returns 1 when e is kept. A process of the subtree is in the events
 * it does and in those done to it: the fork that made it, the reap that
 * collected it, the signals sent to it. Its pid leaves the subtree when a
 * process outside forks it again. Lost events are kept for any subtree.
 */
int export_filter_event(struct export_filter *f, const struct fs_event *e);

/* The parts of that decision, for the formats that draw processes. */
int export_filter_has_pid(const struct export_filter *f, uint32_t pid);
int export_filter_has_type(const struct export_filter *f, unsigned int type);
int export_filter_has_time(const struct export_filter *f, uint64_t t);

#endif /* FORKSCOPE_EXPORT_FILTER_H */
