// SPDX-License-Identifier: GPL-2.0
/* What the workload printed, cut into lines and attributed to the process that wrote them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "session_lines.h"

#define LINE_MAX_BYTES 2048 /* a longer line is cut into several */
#define TAB_WIDTH 8

struct line_buf {
	struct text_line *ring; /* max slots; line seq s lives at s % max */
	size_t max;
	uint64_t first, next;   /* seq of the oldest line held, and of the next one */
};

int lines_new(struct line_buf **out, size_t max)
{
	struct line_buf *lb = calloc(1, sizeof(*lb));

	if (!lb || max == 0 || !(lb->ring = calloc(max, sizeof(*lb->ring)))) {
		free(lb);
		return -ENOMEM;
	}
	lb->max = max;
	*out = lb;
	return 0;
}

void lines_reset(struct line_buf *lb)
{
	for (size_t i = 0; i < lb->max; i++) {
		free(lb->ring[i].text);
		memset(&lb->ring[i], 0, sizeof(lb->ring[i]));
	}
	lb->first = lb->next = 0;
}

void lines_free(struct line_buf *lb)
{
	if (!lb)
		return;
	lines_reset(lb);
	free(lb->ring);
	free(lb);
}

size_t lines_count(const struct line_buf *lb)
{
	return (size_t)(lb->next - lb->first);
}

const struct text_line *lines_get(const struct line_buf *lb, size_t i)
{
	if (i >= lines_count(lb))
		return NULL;
	return &lb->ring[(lb->first + i) % lb->max];
}

uint64_t lines_total(const struct line_buf *lb)
{
	return lb->next;
}

/* The newest line still open for pid, or NULL: a process continues only its own line. */
static struct text_line *open_line(struct line_buf *lb, uint32_t pid)
{
	for (uint64_t s = lb->next; s > lb->first; s--) {
		struct text_line *l = &lb->ring[(s - 1) % lb->max];

		if (l->pid == pid)
			return l->open ? l : NULL;
	}
	return NULL;
}

static struct text_line *new_line(struct line_buf *lb, uint32_t pid, uint64_t ts)
{
	struct text_line *l = &lb->ring[lb->next % lb->max];

	if (lb->next - lb->first == lb->max)
		lb->first++;
	l->seq = lb->next++;
	l->ts = ts;
	l->pid = pid;
	l->len = 0;
	l->open = 1;
	return l;
}

static int line_add(struct text_line *l, char c)
{
	if (l->len == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 64;
		char *t = realloc(l->text, cap);

		if (!t)
			return -ENOMEM;
		l->text = t;
		l->cap = cap;
	}
	l->text[l->len++] = c;
	return 0;
}

/* Bytes of a terminal escape sequence at s (ESC [ params final, or ESC + one byte), 0 if none. */
static size_t escape_len(const char *s, size_t n)
{
	size_t i = 2;

	if (n < 2 || s[0] != '\033')
		return 0;
	if (s[1] != '[')
		return 2;
	while (i < n && ((unsigned char)s[i] < 0x40 || (unsigned char)s[i] > 0x7e))
		i++;
	return i < n ? i + 1 : n;
}

int lines_feed(struct line_buf *lb, uint32_t pid, uint64_t ts, const char *s, size_t n)
{
	struct text_line *l = open_line(lb, pid);
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		size_t esc = escape_len(s + i, n - i);

		if (esc) {
			i += esc - 1;
			continue;
		}
		if (s[i] == '\r')
			continue;
		if (!l)
			l = new_line(lb, pid, ts);
		if (s[i] == '\n') {
			l->open = 0;
			l = NULL;
		} else if (s[i] == '\t') {
			do
				err = line_add(l, ' ');
			while (!err && l->len % TAB_WIDTH);
		} else {
			err = line_add(l, s[i]);
		}
		if (l && l->len >= LINE_MAX_BYTES) {
			l->open = 0;
			l = NULL;
		}
	}
	return err;
}
