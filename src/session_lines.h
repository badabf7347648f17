/* SPDX-License-Identifier: GPL-2.0 */
/* What the workload printed, cut into lines and attributed to the process that wrote them. */
#ifndef FORKSCOPE_SESSION_LINES_H
#define FORKSCOPE_SESSION_LINES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes come in pieces (a line may take several writes, a write may hold
 * several lines, two processes may interleave): each process has its own
 * open line, which the next write of the same process continues. Terminal
 * colour sequences (ESC [ ... ) are dropped, "\r\n" ends a line like "\n",
 * tabs become spaces; other control bytes stay for the drawing code to
 * escape. At most `max` lines are kept, the oldest go first.
 */
struct text_line {
	uint64_t seq;   /* line number since the buffer was created or reset */
	uint64_t ts;    /* session time of the write that started it */
	uint32_t pid;   /* the writer; 0 for the terminal's raw output */
	uint32_t len, cap;
	uint8_t open;   /* no newline yet: the writer may continue it */
	char *text;
};

struct line_buf;

int lines_new(struct line_buf **lb, size_t max);
void lines_free(struct line_buf *lb);
void lines_reset(struct line_buf *lb);
/* Adds the n bytes pid wrote at ts. 0 or -ENOMEM. */
int lines_feed(struct line_buf *lb, uint32_t pid, uint64_t ts, const char *s, size_t n);
/* Lines held, and line i of them (0 = oldest). */
size_t lines_count(const struct line_buf *lb);
const struct text_line *lines_get(const struct line_buf *lb, size_t i);
/* Every line ever added (held or dropped): grows by one per new line. */
uint64_t lines_total(const struct line_buf *lb);

#endif /* FORKSCOPE_SESSION_LINES_H */
