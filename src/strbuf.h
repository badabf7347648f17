/* SPDX-License-Identifier: GPL-2.0 */
/* Text appended to a fixed buffer, counting on past its end as snprintf does. */
#ifndef FORKSCOPE_STRBUF_H
#define FORKSCOPE_STRBUF_H

#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t len; /* the buffer's size */
	size_t pos; /* what the whole text needs; may exceed len */
};

/* Appends n bytes (as many as fit; pos counts them all). */
void strbuf_put(struct strbuf *b, const char *s, size_t n);
/* Appends a NUL-terminated string. */
void strbuf_puts(struct strbuf *b, const char *s);

/* v in decimal, written backwards so that it ends just before end (up to 20 digits); its first digit. */
static inline char *strbuf_u64_before(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* v in decimal, right-aligned in width columns of fill: printf's %*llu (fill ' ') and %0*llu. */
static inline void strbuf_uint(struct strbuf *b, uint64_t v, int width, char fill)
{
	char tmp[24], *end = tmp + sizeof(tmp), *s = strbuf_u64_before(end, v);

	while (s > tmp && s > end - width)
		*--s = fill;
	strbuf_put(b, s, (size_t)(end - s));
}

/* v in decimal, with its sign: printf's %lld. */
static inline void strbuf_int(struct strbuf *b, int64_t v)
{
	if (v < 0)
		strbuf_put(b, "-", 1);
	strbuf_uint(b, v < 0 ? -(uint64_t)v : (uint64_t)v, 0, ' ');
}

/* A session time, "%6llu.%06llu" of its seconds and microseconds: the time column of dump and replay. */
static inline void strbuf_time(struct strbuf *b, uint64_t ns)
{
	strbuf_uint(b, ns / 1000000000, 6, ' ');
	strbuf_put(b, ".", 1);
	strbuf_uint(b, ns % 1000000000 / 1000, 6, '0');
}

/*
 * Appends what snprintf would write. %%, %s, %d, %u, %lld and %llu with no
 * flags, width or precision (every format of the narration, in every
 * language) are converted here; any other format goes to vsnprintf.
 */
__attribute__((format(printf, 2, 3)))
void strbuf_printf(struct strbuf *b, const char *fmt, ...);

#endif
