// SPDX-License-Identifier: GPL-2.0
/* Text appended to a fixed buffer, counting on past its end as snprintf does. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "strbuf.h"

void strbuf_put(struct strbuf *b, const char *s, size_t n)
{
	if (b->pos < b->len)
		memcpy(b->buf + b->pos, s, n < b->len - b->pos ? n : b->len - b->pos);
	b->pos += n;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	size_t room = b->pos < b->len ? b->len - b->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->pos : NULL, room, fmt, ap);
	va_end(ap);
	b->pos += n > 0 ? (size_t)n : 0;
}
