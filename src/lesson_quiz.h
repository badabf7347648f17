/* SPDX-License-Identifier: GPL-2.0 */
/* Predict, then see: a lesson's questions asked at their trigger and checked against the kernel's later events. */
#ifndef FORKSCOPE_LESSON_QUIZ_H
#define FORKSCOPE_LESSON_QUIZ_H

#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "session.h"

#define QUIZ_TEXT 1024  /* a question's or an explanation's text, filled */
#define QUIZ_CHOICE 192 /* a choice's text, filled */

enum quiz_status {
	QUIZ_OPEN = 1, /* asked: the learner has not chosen yet */
	QUIZ_WAITING,  /* chosen (or skipped): the kernel has not answered yet */
	QUIZ_DECIDED,  /* the kernel's event decided it */
};

/* One question as this session asked it: every text filled from the session. */
struct quiz_entry {
	char lesson[32];
	int number;                 /* in its lesson's "## Predict", from 1 */
	int status;                 /* enum quiz_status */
	int choice;                 /* the learner's, from 1; 0 skipped */
	int right;                  /* the choice the kernel proved right, from 1; 0 none of them */
	size_t asked_at;            /* session index of the trigger */
	uint64_t asked_seq, decided_seq;
	uint64_t decided_ts;        /* session time of the deciding event */
	uint32_t decided_pid;       /* the process it was about */
	char ask[QUIZ_TEXT];
	char choices[LESSON_CHOICES_MAX][QUIZ_CHOICE];
	int nchoices;
	char got[48];               /* the kernel's answer: the value compared with the choices' */
	char why[QUIZ_TEXT];        /* filled when decided */
};

/*
 * The engine follows one session, as lesson_bind does: after each applied
 * event, lesson_quiz_update looks at the current lesson's questions. A
 * question opens when the event its trigger names is the one just applied,
 * its choices can be filled, and its answer is not known yet (a question
 * whose answer is already known is never asked); each question is asked
 * once a session. The learner chooses (or skips); from then on every update
 * checks whether the answer's event has been applied, and a decided question
 * gives an answer event (FS_EV_ANSWER) for the caller to log or show. Pure:
 * no I/O, no clock.
 */
struct lesson_quiz;

/* flags and unknown as for lesson_bind_fill: how texts are filled. 0 or -ENOMEM. */
int lesson_quiz_new(struct lesson_quiz **q, int flags, const char *unknown);
void lesson_quiz_free(struct lesson_quiz *q); /* accepts NULL */

/*
 * After each applied event (and after a seek, which closes an open question
 * unanswered): decides what the kernel has answered, and when ask is 1,
 * opens the question due at the newest applied event: 1 when one opened.
 */
int lesson_quiz_update(struct lesson_quiz *q, const struct session *s, int ask);
/* The open question, or NULL. */
const struct quiz_entry *lesson_quiz_open(const struct lesson_quiz *q);
/* The learner's choice for the open question: 1..nchoices, or 0 to skip. 0, or -EINVAL. */
int lesson_quiz_choose(struct lesson_quiz *q, int choice);
/*
 * The next decided question not yet taken, as an answer event (seq 0, the
 * deciding event's time and pid), and its entry; 1, or 0 when there is none.
 */
int lesson_quiz_result(struct lesson_quiz *q, struct fs_event *e, const struct quiz_entry **entry);

/* The questions asked so far, in the order they were asked. */
size_t lesson_quiz_count(const struct lesson_quiz *q);
const struct quiz_entry *lesson_quiz_entry(const struct lesson_quiz *q, size_t i);
/* Decided questions the learner answered (not skipped), and how many of them right. */
void lesson_quiz_score(const struct lesson_quiz *q, int *right, int *answered);

/*
 * The event types (bit 1 << FS_EV_FORK, FS_EV_EXEC, FS_EV_EXIT, FS_EV_MARK)
 * at which a question of lesson l can be asked: where live stepping stops
 * the tree. 0 for NULL.
 */
uint32_t lesson_quiz_stop_mask(const struct lesson *l);

#endif /* FORKSCOPE_LESSON_QUIZ_H */
