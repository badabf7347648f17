/* SPDX-License-Identifier: GPL-2.0 */
/* One traced session as the TUI sees it: every event, the model built from a prefix of them, and what the views need besides. */
#ifndef FORKSCOPE_SESSION_H
#define FORKSCOPE_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "model.h"
#include "session_lesson.h"
#include "session_lines.h"

/*
 * A source appends events (live: as they are drained; replay: the whole log
 * at once); the session applies a prefix of them to its model. Applying is
 * separate from appending so that a paused session keeps collecting, a
 * replay can step one event at a time, and a seek backwards rebuilds the
 * model from the first event. Live and replay differ only in who calls what.
 *
 * Besides the model, applying keeps: the workload's output as attributed
 * lines, the lesson step the demo's marks reached, and for each process
 * when (on the UI clock) something visible last happened to it, so that the
 * views can animate changes. A rebuild sets no animation times.
 */
struct session_anim {
	uint64_t serial;     /* the model_proc incarnation */
	uint64_t born;       /* UI ns: it appeared */
	uint64_t changed;    /* its state, program or exit status changed */
	uint64_t forked;     /* a fork returned in it */
	uint64_t reparented;
	uint64_t signalled;  /* a signal was sent to it */
	uint64_t io;         /* it used a channel */
	uint64_t marked;     /* it emitted a mark */
	uint64_t reaped;
	uint32_t sig, sig_from;
};

struct session;

int session_new(struct session **s);
void session_free(struct session *s); /* accepts NULL */

/* The first process, which has no fork event (the tracer forked it): seeded at time 0. */
void session_set_root(struct session *s, uint32_t pid, uint32_t parent);
/* A cgroup session (--cgroup): the cgroup's name, shown as the tree's root; NULL for none. */
int session_set_cgroup(struct session *s, const char *name);
const char *session_cgroup(const struct session *s);
/* Where lessons are (docs/lessons), and the demo whose lesson to show; NULL for none. */
void session_set_lesson(struct session *s, const char *dir, const char *demo);

/* Stores one more event, not applied yet. 0 or -ENOMEM. */
int session_append(struct session *s, const struct fs_event *e);
/*
 * The source is done: no event follows (the log's end line, or the live
 * recorder's end). Once the last event is applied (now, or after a pause or
 * a rebuild), the model closes the processes whose end was lost (model_end).
 */
void session_end(struct session *s);
/* Applies the next stored event; ui_now stamps the animations. 1, or 0 when all are applied. */
int session_apply_next(struct session *s, uint64_t ui_now);
/*
 * Makes the model hold exactly the first n events (clamped to the store):
 * forwards by applying, backwards by rebuilding from the first event. No
 * animation. -EINVAL when events before n were already dropped.
 */
int session_seek(struct session *s, size_t n);
/* Drops applied events older than the newest keep ones (a live session's memory bound). */
void session_trim(struct session *s, size_t keep);

size_t session_count(const struct session *s);   /* events stored or dropped: indices are absolute */
size_t session_first(const struct session *s);   /* the oldest index still stored */
size_t session_applied(const struct session *s); /* the model holds events [0, applied) */
/* Copies event i into *e; -ENOENT when it is not stored. */
int session_event(const struct session *s, size_t i, struct fs_event *e);
/*
 * Event i where it is stored, or NULL: no copy, for scanning. Only the header
 * and the payload of the event's own type may be read (the store keeps no more).
 */
const struct fs_event *session_peek(const struct session *s, size_t i);
/* The index of the first stored event at or after session time t. */
size_t session_find_time(const struct session *s, uint64_t t);

const struct fs_model *session_model(const struct session *s);
const struct session_anim *session_anim(const struct session *s, uint64_t serial);
const struct line_buf *session_output(const struct session *s);
/* The lesson being shown (NULL if none) and the step its marks reached (-1 before the first). */
const struct lesson *session_lesson(const struct session *s);
int session_lesson_step(const struct session *s);
/* The UI time of the newest animation stamp: the views animate until it is old enough. */
uint64_t session_last_change(const struct session *s);

#endif /* FORKSCOPE_SESSION_H */
