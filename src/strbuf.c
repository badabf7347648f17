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

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_put(b, s, strlen(s));
}

/* Converts the directive at fmt (a '%'); its length, or 0 for one only vsnprintf knows. */
static size_t put_directive(struct strbuf *b, const char *fmt, va_list *ap)
{
	const char *s;

	switch (fmt[1]) {
	case '%': strbuf_put(b, "%", 1); return 2;
	case 'd': strbuf_int(b, va_arg(*ap, int)); return 2;
	case 'u': strbuf_uint(b, va_arg(*ap, unsigned int), 0, ' '); return 2;
	case 's':
		s = va_arg(*ap, const char *);
		strbuf_puts(b, s ? s : "(null)"); /* as glibc prints it */
		return 2;
	}
	if (fmt[1] != 'l' || fmt[2] != 'l')
		return 0;
	if (fmt[3] == 'd')
		strbuf_int(b, va_arg(*ap, long long));
	else if (fmt[3] == 'u')
		strbuf_uint(b, va_arg(*ap, unsigned long long), 0, ' ');
	else
		return 0;
	return 4;
}

/* The format converted here, or 0 (b as it was) at the first directive only vsnprintf knows. */
static int put_format(struct strbuf *b, const char *fmt, va_list *ap)
{
	size_t start = b->pos, n;

	while (*fmt) {
		const char *pct = strchrnul(fmt, '%');

		strbuf_put(b, fmt, (size_t)(pct - fmt));
		if (!*pct)
			break;
		if (!(n = put_directive(b, pct, ap))) {
			b->pos = start;
			return 0;
		}
		fmt = pct + n;
	}
	return 1;
}

/* printf's own way: a vsnprintf that counts on past the end of the buffer. */
static void put_vsnprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	size_t room = b->pos < b->len ? b->len - b->pos : 0;
	int n = vsnprintf(room ? b->buf + b->pos : NULL, room, fmt, ap);

	b->pos += n > 0 ? (size_t)n : 0;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	if (!put_format(b, fmt, &ap))
		put_vsnprintf(b, fmt, again);
	va_end(again);
	va_end(ap);
}
