/* SPDX-License-Identifier: GPL-2.0 */
/* A session replayed through the model for the exports: each process's states over time, and IPC flows. */
#ifndef FORKSCOPE_EXPORT_TIMELINE_H
#define FORKSCOPE_EXPORT_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

struct export_filter;
struct fs_log_header;

/* One stretch of a process in one state. */
struct export_seg {
	uint64_t from, to;   /* ns since the session start; to is the next change */
	uint8_t state;       /* enum model_state */
	uint8_t ready_reason; /* ready: enum fs_ready_reason */
	int32_t sysnr;       /* blocked: the syscall it sleeps in, -1 unknown */
	uint32_t chan_kind;  /* blocked: the channel, FS_CHAN_NONE for none */
	uint32_t stop;       /* blocked: enum fs_stop_kind, held rather than asleep in a call */
	uint64_t chan;
};

/* What the timeline knows of one process incarnation. */
struct export_proc {
	const struct model_proc *p; /* valid until export_tl_free: the timeline forgets no tomb */
	struct export_seg *segs;    /* finished stretches, oldest first (never MS_REAPED) */
	size_t nsegs, cap;
	struct export_seg cur;      /* the current stretch; MS_REAPED once it is gone */
	uint64_t end;               /* when it was reaped, or the session end; 0 until known */
	uint32_t track;             /* a number unique per incarnation: its pid, or above pid_max for a reused pid */
	uint8_t in_tree;            /* in the filter's subtree when it appeared */
};

/* The first write on a channel since the last read: where the next IPC flow starts. */
struct export_write {
	const struct model_proc *p; /* NULL: none pending */
	uint32_t tid;
	uint64_t ts;
	size_t cookie;              /* the format's own reference to that write, 0 for none */
};

/* What one event meant for the flows. */
struct export_step {
	struct export_write *write; /* a write that starts a flow: set its cookie; valid until the next apply */
	struct export_write from;   /* a read that ends a flow: where it started (from.p NULL: no flow) */
};

struct export_tl;

/* "stopped", "traced" or "frozen" for a held stretch (blocked, but in no call); NULL otherwise. */
const char *export_seg_held(const struct export_seg *s);

/* Seeds the model with the log's root process, as the recorder did. 0 or -ENOMEM. */
int export_tl_new(struct export_tl **tl, const struct fs_log_header *h, const struct export_filter *f);
void export_tl_free(struct export_tl *tl); /* accepts NULL */

/* Applies e (every event, in log order) and tells what it meant for the flows. 0 or -ENOMEM. */
int export_tl_apply(struct export_tl *tl, const struct fs_event *e, struct export_step *st);
/* Ends every stretch still open at end. */
int export_tl_finish(struct export_tl *tl, uint64_t end, int ended);

const struct fs_model *export_tl_model(const struct export_tl *tl);
/* The timeline of p, or NULL if the model made it without an event the timeline saw. */
struct export_proc *export_tl_proc(const struct export_tl *tl, const struct model_proc *p);
/* Whether a format shows p: in the subtree, and alive at some time in the filter's range. */
int export_tl_shown(const struct export_tl *tl, const struct export_proc *ep);

/* A shown process and its depth below the shallowest shown one. */
struct export_row {
	struct export_proc *ep;
	int depth;
};

/* The shown processes in tree order (as model_for_each_proc); *rows is malloc'd. 0 or -ENOMEM. */
int export_tl_rows(const struct export_tl *tl, struct export_row **rows, size_t *n);

#endif /* FORKSCOPE_EXPORT_TIMELINE_H */
