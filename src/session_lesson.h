/* SPDX-License-Identifier: GPL-2.0 */
/* A demo's lesson (docs/lessons/NAME.md): its numbered steps and the marks that start them. */
#ifndef FORKSCOPE_SESSION_LESSON_H
#define FORKSCOPE_SESSION_LESSON_H

#include <stddef.h>

/* A tour's mark before each demo: "tour: NAME". */
#define LESSON_TOUR_MARK "tour: "

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
	char *title;  /* the step's bold lead, as plain text */
	char *body;   /* the rest of the step, as plain text */
	char **keys;  /* the marks, as written */
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
/* The lesson called name in dir (docs/lessons): Chinese (dir/zh) when the interface is, and it exists. */
int lesson_load_lang(struct lesson **l, const char *dir, const char *name);
void lesson_free(struct lesson *l); /* accepts NULL */

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

#endif /* FORKSCOPE_SESSION_LESSON_H */
