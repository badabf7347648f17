/* SPDX-License-Identifier: GPL-2.0 */
/* A demo's lesson (docs/lessons/NAME.md): its numbered steps and the marks that start them. */
#ifndef FORKSCOPE_SESSION_LESSON_H
#define FORKSCOPE_SESSION_LESSON_H

#include <stddef.h>

/*
 * A lesson's "## Steps" section is a numbered list; a step's bold spans
 * name the marks that begin it in backquotes ("2. **`fork returned 877 in
 * parent`** ..."). Numbers and the placeholders N, W, M, NAME, PORT, PID, ID
 * in a lesson match any one word or number of a mark, so "task N started on
 * worker W" matches the mark "task 3 started on worker 2"; the key with the
 * fewest of them wins ("tour: orphan" before "tour: NAME").
 */
struct lesson_step {
	char *title;  /* the step's bold lead, as plain text */
	char *body;   /* the rest of the step, as plain text */
	char **keys;  /* the marks, normalised */
	int nkeys;
};

struct lesson {
	char *name;   /* the demo */
	char *title;  /* the page's first heading, as plain text */
	struct lesson_step *steps;
	int nsteps;
};

/* Parses the markdown text (n bytes). 0, -ENOENT when it has no steps, or -ENOMEM. */
int lesson_parse(struct lesson **l, const char *name, const char *text, size_t n);
/* Reads and parses the file at path. 0 or -errno. */
int lesson_load(struct lesson **l, const char *name, const char *path);
void lesson_free(struct lesson *l); /* accepts NULL */

/* The step a mark (n bytes) begins, or -1. */
int lesson_match(const struct lesson *l, const char *mark, size_t n);

#endif /* FORKSCOPE_SESSION_LESSON_H */
