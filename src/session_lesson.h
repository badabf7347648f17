/* SPDX-License-Identifier: GPL-2.0 */
/* A demo's lesson (docs/lessons/NAME.md): its numbered steps and the marks that start them. */
#ifndef FORKSCOPE_SESSION_LESSON_H
#define FORKSCOPE_SESSION_LESSON_H

#include <stddef.h>

/* A tour's mark before each demo: "tour: NAME". */
#define LESSON_TOUR_MARK "tour: "

struct fs_event;
/* For a tour's mark, the length of the NAME that follows LESSON_TOUR_MARK in its text; else 0. */
size_t lesson_tour_mark(const struct fs_event *e);

/*
 * A lesson's "## Steps" section is a numbered list; a step's bold spans
 * name the marks that begin it in backquotes ("2. **`fork returned
 * {fork.child} in parent`** ..."). Numbers, the words N, W, M, NAME, PORT,
 * PID, ID and the {placeholders} of lesson_bind.h in a key match any one
 * word or number of a mark, so "task N started on
 * worker W" matches the mark "task 3 started on worker 2"; the key with the
 * fewest of them wins ("tour: orphan" before "tour: NAME").
 */
struct lesson_step {
	char *title;  /* the step's bold lead and the punctuation right after it, as plain text */
	char *body;   /* the rest of the step, as plain text */
	char **keys;  /* the marks, as written */
	int nkeys;
};

#define LESSON_CHOICES_MAX 4

/*
 * A prediction question of the lesson's "## Predict" section (the syntax is
 * in docs/lessons/README.md): asked when the event its trigger names is
 * applied, with choices filled from the session then, and answered by the
 * event its answer names. Every text may hold placeholders (lesson_bind.h),
 * the answer's nested ones ({fork_return@{fork.child}.ret}).
 */
struct lesson_question {
	char *when;      /* the trigger as a placeholder: "fork2.parent", "mark(task N done).pid" */
	unsigned int when_type; /* FS_EV_FORK, FS_EV_EXEC, FS_EV_EXIT or FS_EV_MARK */
	char *ask;       /* the question, as plain text */
	char *choice[LESSON_CHOICES_MAX]; /* what the learner reads */
	char *value[LESSON_CHOICES_MAX];  /* what is compared with the answer: [VALUE], else the choice */
	int nchoices;
	char *answer;    /* "{PH}": the choice whose value it is */
	char *before;    /* "{A} before {B}": B; the answer is "yes" when A's event comes first, else "no" */
	char *why;       /* said with the result, filled once the answer is known */
};

struct lesson {
	char *name;   /* the demo */
	char *title;  /* the page's first heading, as plain text */
	struct lesson_step *steps;
	int nsteps;
	struct lesson_question *questions;
	int nquestions;
};

/*
 * Parses the markdown text (n bytes): steps, and the questions of "## Predict"
 * ("## 预测"), of which a malformed one is left out. 0, -ENOENT when it has no
 * steps, or -ENOMEM.
 */
int lesson_parse(struct lesson **l, const char *name, const char *text, size_t n);
/* Reads and parses the file at path. 0 or -errno. */
int lesson_load(struct lesson **l, const char *name, const char *path);
/* The lesson called name in dir (docs/lessons): Chinese (dir/zh) when the interface is, and it exists. */
int lesson_load_lang(struct lesson **l, const char *dir, const char *name);
void lesson_free(struct lesson *l); /* accepts NULL */

/*
 * The step to show as current when the marks reached step: the same, but once the
 * session has ended (ended != 0), the last step when none after step has a key,
 * since a closing step without a mark of its own ("End of queue.") is reached at the end.
 */
int lesson_step_current(const struct lesson *l, int step, int ended);

/* The step a mark (n bytes) begins, or -1. */
int lesson_match(const struct lesson *l, const char *mark, size_t n);

/* A placeholder word of a mark pattern (name, len) and, after a match, the mark's word for it. */
struct lesson_word {
	const char *name;
	size_t len;
	size_t at, n;
};
/*
 * Whether the mark (n bytes) fits the pattern (pn bytes) as a lesson key
 * does, but with its numbers as written; when w is given, the pattern must
 * hold w's placeholder and w gets the word of the mark it stood for. 0 or -1.
 */
int lesson_mark_fits(const char *pat, size_t pn, const char *mark, size_t n, struct lesson_word *w);

/* Markdown to plain text: emphasis marks go, a link keeps its text, `code` stays. NULL: out of memory. */
char *lesson_plain(const char *s, size_t n);

/* lesson_predict.c: one numbered item of "## Predict", its lines joined by '\n'. 0, -EINVAL or -ENOMEM. */
int lesson_question_parse(struct lesson_question *q, const char *item, size_t n);
void lesson_question_free(struct lesson_question *q);
/* Whether a line of a question item begins a new part of it (Ask:, a choice, Answer:, Why:). */
int lesson_question_key(const char *line, size_t n);

#endif /* FORKSCOPE_SESSION_LESSON_H */
