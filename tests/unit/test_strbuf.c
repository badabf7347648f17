// SPDX-License-Identifier: GPL-2.0
/* strbuf_printf writes what snprintf writes, on its own conversions and on those it hands to vsnprintf. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "strbuf.h"
#include "unit.h"

#define BUF 64

/*
 * strbuf_printf after prefix, into a buffer of len bytes, against snprintf of the same: the same
 * length, and the same bytes but the last one (where snprintf puts its NUL; a strbuf has none).
 */
#define SAME(len, prefix, fmt, ...)                                                      \
	do {                                                                                 \
		char got[BUF], want[BUF];                                                        \
		struct strbuf b = { got, (len), 0 };                                             \
		int n;                                                                           \
		memset(got, 'x', sizeof(got));                                                   \
		strbuf_puts(&b, prefix);                                                         \
		strbuf_printf(&b, fmt, __VA_ARGS__);                                             \
		n = snprintf(want, sizeof(want), "%s" fmt, prefix, __VA_ARGS__);                 \
		CHECK(b.pos == (size_t)n);                                                       \
		CHECK(!memcmp(got, want, b.pos < (len) ? b.pos : (len) - 1));                    \
	} while (0)

static void test_own_conversions(void)
{
	const char *volatile none = NULL; /* glibc prints "(null)": so does strbuf_printf */

	SAME(BUF, "", "%u forked %u: %s", 876u, 877u, "fork() returns twice");
	SAME(BUF, "a ", "%d %d %lld %lld", INT_MIN, INT_MAX, LLONG_MIN, 0LL);
	SAME(BUF, "", "%llu%% and %u", ULLONG_MAX, UINT_MAX);
	SAME(BUF, "", "%s|%s", "", "x");
	SAME(BUF, "", "%s", "no directive after this one");
	SAME(BUF, "", "%s", none);
	SAME(BUF, "", "ends with text %u!", 0u);
	SAME(BUF, "", "%s", "中文的格式也一样");
}

/* Too little room: what fits is the text's beginning, pos counts the whole text. */
static void test_cut(void)
{
	SAME(10, "", "%u forked %u: fork() returns twice", 876u, 877u);
	SAME(10, "0123456789abc", "%u and %s", 12u, "more");
	SAME(1, "", "%lld", -12345LL);
}

/* Flags, width, precision and other conversions go to vsnprintf, even after own ones. */
static void test_handed_on(void)
{
	SAME(BUF, "", "ppid=%u threads=%u age=%.3fs ", 1u, 2u, 1.5);
	SAME(BUF, "x", "%5u|%-4d|%x", 7u, -3, 255u);
	SAME(BUF, "", "%s %c %lu", "a", 'b', 3ul);
	SAME(12, "", "%u %u %.2f", 123456u, 654321u, 2.25);
}

int main(void)
{
	test_own_conversions();
	test_cut();
	test_handed_on();
	return UNIT_DONE("test_strbuf");
}
