/* SPDX-License-Identifier: GPL-2.0 */
/* The table of bundled demos: names and one-line summaries, in tour order. */
#ifndef FORKSCOPE_DEMO_TABLE_H
#define FORKSCOPE_DEMO_TABLE_H

#include <stddef.h>

struct fs_demo {
	const char *name;    /* binary examples/NAME, lesson docs/lessons/NAME.md */
	const char *summary; /* one line, English */
};

/* All demos in teaching (tour) order, the tour itself last; *count gets the length. */
const struct fs_demo *demo_table(size_t *count);

/* The demo called name, or NULL if there is none. */
const struct fs_demo *demo_find(const char *name);

#endif /* FORKSCOPE_DEMO_TABLE_H */
