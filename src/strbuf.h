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

/* v in decimal, written backwards so that it ends just before end (up to 20 digits); its first digit. */
static inline char *strbuf_u64_before(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

__attribute__((format(printf, 2, 3)))
void strbuf_printf(struct strbuf *b, const char *fmt, ...);

#endif
