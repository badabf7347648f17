/* SPDX-License-Identifier: GPL-2.0 */
/* A lesson's placeholders ({fork.child}, {exit.code}...) filled from the session being watched. */
#ifndef FORKSCOPE_LESSON_BIND_H
#define FORKSCOPE_LESSON_BIND_H

#include <stddef.h>
#include "session.h"

/*
 * A placeholder names one event of the lesson's part of the session and one
 * of its fields (docs/lessons/README.md has the list):
 *
 *   {KIND.FIELD}       the first event of KIND: {fork.child}, {exit.code}
 *   {KINDn.FIELD}      the n-th, from 1: {fork2.child}, {fork_return2.ret};
 *                      {write.bytes} counts data on channels the part made only
 *   {mark(TEXT).FIELD} the first mark that TEXT fits; the words N W M NAME
 *                      PORT PID ID of TEXT match any one word, and as a
 *                      FIELD give that word: {mark(task 4 started on worker W).W}
 *   {KIND@PID.FIELD}   the first (or n-th) event of KIND about process PID:
 *                      the one that acts, but the reaped for a reap and the
 *                      target for a signal: {fork_return@851.ret}, {reap@851.pid};
 *                      a prediction question fills PID from another one
 *                      ({exit@{fork.child}.code}), since its pids differ every run
 *
 * The lesson's part is the whole session, or in a tour the events from the
 * mark "tour: NAME" to the next "tour: " mark, but for the tour's own. A value is known once its event
 * is applied; until then it reads as the caller's marker, never as an
 * example. The binding caches what it found, so that each update only looks
 * at the events applied since the last one, and survives a live session
 * dropping old events.
 */
struct lesson_bind;

/* The value of one placeholder, for the text and for a link to its event. */
struct lesson_value {
	char text[48];
	size_t event;  /* the session index of the event it comes from */
	uint32_t pid;  /* the process that event is about */
};

int lesson_bind_new(struct lesson_bind **b);
void lesson_bind_free(struct lesson_bind *b); /* accepts NULL */

/*
 * Follows the session for the lesson called name: looks at the events
 * applied since the last call; starts over after a seek backwards or when
 * the lesson changes.
 */
void lesson_bind_update(struct lesson_bind *b, const struct session *s, const char *name);

/*
 * The value of the placeholder inside the braces (n bytes): 0, -ENOENT while
 * its event has not happened, -EINVAL for a name that is not a placeholder,
 * -ENOMEM.
 */
int lesson_bind_get(struct lesson_bind *b, const struct session *s, const char *ph, size_t n,
		    struct lesson_value *v);

/*
 * The mark that began step of lesson l (the lesson followed): the first of the lesson's
 * part that lesson_match gives that step, as the session's step follows the marks; its
 * pid is the process that made it. 0, or -ENOENT while none is applied (a step without a
 * key never has one).
 */
int lesson_bind_step(struct lesson_bind *b, const struct session *s, const struct lesson *l, int step,
		     struct lesson_value *v);

/* What lesson_bind_fill keeps of the markdown left in lesson text. */
enum { LESSON_FILL_PLAIN = 0, LESSON_FILL_CODE = 1 /* keep `code` spans' backquotes */ };

/*
 * Copies text into out (len bytes, always terminated) with every placeholder
 * replaced by its value, or by unknown while it has none; a brace that is
 * not a placeholder stays as written. *link (if not NULL) gets the first
 * known value, or link->event = SIZE_MAX when there is none.
 */
void lesson_bind_fill(struct lesson_bind *b, const struct session *s, const char *text,
		      const char *unknown, int flags, char *out, size_t len, struct lesson_value *link);

#endif /* FORKSCOPE_LESSON_BIND_H */
