// SPDX-License-Identifier: GPL-2.0
/* A strict JSON scanner for one line of a session log: one pass, no allocation, values as spans of the line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_scan.h"
#include "log.h"

#define NEAR_MAX 20 /* as jansson, a longer token is not quoted in a message */

/* What a byte does inside a string: most bytes just pass. */
enum { S_PLAIN, S_QUOTE, S_BACKSLASH, S_CONTROL, S_HIGH };

static const unsigned char str_class[256] = {
	[0 ... 0x1f] = S_CONTROL, ['"'] = S_QUOTE, ['\\'] = S_BACKSLASH, [0x80 ... 0xff] = S_HIGH,
};

/* Invalid escapes (escape_at's results below 1). */
enum { ESC_BAD = -1, ESC_SURROGATE = -2, ESC_END = -3 };

struct scan {
	const char *p, *end;
	char *err; /* NULL when re-scanning a checked line */
};

/*
 * Sets err to "what near 'FROM..TO'" (jansson's wording, which the messages
 * of older forkscope versions used): "near end of file" at the end of the
 * input, nothing when the text is empty or longer than NEAR_MAX.
 */
__attribute__((format(printf, 4, 5)))
static int fail(struct scan *sc, const char *from, const char *to, const char *fmt, ...)
{
	char what[JSON_ERR_LEN - NEAR_MAX - 32]; /* room for the context */
	va_list ap;

	if (!sc->err)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (from == sc->end)
		snprintf(sc->err, JSON_ERR_LEN, "%s near end of file", what);
	else if (to > from && to - from <= NEAR_MAX)
		snprintf(sc->err, JSON_ERR_LEN, "%s near '%.*s'", what, (int)(to - from), from);
	else
		snprintf(sc->err, JSON_ERR_LEN, "%s", what);
	return -EINVAL;
}

/* An error about the token at sc->p: a word or number, else one byte. */
static int fail_here(struct scan *sc, const char *what)
{
	const char *q = sc->p;

	while (q < sc->end && (*q == '-' || *q == '+' || *q == '.' || (*q >= '0' && *q <= '9') ||
			       ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')))
		q++;
	return fail(sc, sc->p, q > sc->p ? q : sc->p + (sc->p < sc->end), "%s", what);
}

static void skip_ws(struct scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
		sc->p++;
}
int json_hex_digit(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Four hex digits at p: 0 with their value in *v, or -1. */
static int hex4(const char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int d = json_hex_digit((unsigned char)p[i]);

		if (d < 0)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/*
 * The escape at p (a backslash) before end: its length (2, 6, or 12 for a
 * surrogate pair) with the code point it stands for in *cp, or an ESC_* error.
 */
static int escape_at(const char *p, const char *end, uint32_t *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *q;
	uint32_t lo;

	if (end - p < 2)
		return ESC_END;
	if (p[1] != 'u') {
		q = p[1] ? memchr(from, p[1], sizeof(from) - 1) : NULL;
		if (!q)
			return ESC_BAD;
		*cp = (unsigned char)to[q - from];
		return 2;
	}
	if (end - p < 6)
		return ESC_END;
	if (hex4(p + 2, cp))
		return ESC_BAD;
	if (*cp < 0xd800 || *cp > 0xdfff)
		return 6;
	if (*cp >= 0xdc00 || end - p < 12 || p[6] != '\\' || p[7] != 'u' || hex4(p + 8, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return ESC_SURROGATE;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 12;
}

static size_t utf8_len(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* The string that starts at quote has an invalid escape at sc->p: escape_at's err. */
static int fail_escape(struct scan *sc, const char *quote, int err)
{
	if (err == ESC_END)
		return fail(sc, quote, sc->end, "premature end of input");
	if (err == ESC_BAD)
		return fail(sc, quote, sc->p + 2, "invalid escape");
	return fail(sc, quote, sc->p + 6, "invalid Unicode '%.6s'", sc->p);
}

/* A string at sc->p (its opening quote). */
static int scan_string(struct scan *sc, struct json_value *v)
{
	const char *quote = sc->p, *p = quote + 1, *end = sc->end;
	size_t shrink = 0; /* what decoding the escapes saves */
	uint32_t cp;
	int k;

	v->escaped = 0;
	for (;; p += k) {
		while (p < end && str_class[(unsigned char)*p] == S_PLAIN)
			p++;
		sc->p = p;
		if (p == end)
			return fail(sc, quote, end, "premature end of input");
		if (*p == '"')
			break;
		if (*p == '\\') {
			v->escaped = 1;
			k = escape_at(p, end, &cp);
			if (k < 0)
				return fail_escape(sc, quote, k);
			shrink += k - utf8_len(cp);
			continue;
		}
		if (str_class[(unsigned char)*p] == S_CONTROL)
			return fail(sc, quote, p, "control character 0x%x", (unsigned char)*p);
		k = log_utf8_char(p, end - p, &cp);
		if (!k)
			return fail(sc, quote, p, "unable to decode byte 0x%x", (unsigned char)*p);
	}
	v->kind = JSON_STRING;
	v->text = quote + 1;
	v->len = p - v->text;
	v->str_len = v->len - shrink;
	sc->p = p + 1;
	return 0;
}

static int is_digit(const struct scan *sc)
{
	return sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9';
}

/* At least one digit, then any more. */
static int scan_digits(struct scan *sc, const char *start)
{
	if (!is_digit(sc))
		return fail(sc, start, sc->p + (sc->p < sc->end), "invalid token");
	while (is_digit(sc))
		sc->p++;
	return 0;
}

/*
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; an integer's value on the
 * way: 19 digits always fit in 64 bits unsigned, 20 never fit in int64.
 */
static int scan_number(struct scan *sc, struct json_value *v)
{
	const char *start = sc->p, *digits = start + (*start == '-');
	uint64_t mag = 0, max = *start == '-' ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
	size_t n;

	for (sc->p = digits; is_digit(sc); sc->p++)
		mag = mag * 10 + (*sc->p - '0');
	n = sc->p - digits;
	if (!n)
		return fail(sc, start, sc->p + (sc->p < sc->end), "invalid token");
	if (*digits == '0' && n > 1)
		return fail(sc, start, sc->p, "invalid token");
	v->kind = JSON_INT;
	if (sc->p < sc->end && *sc->p == '.') {
		sc->p++;
		if (scan_digits(sc, start))
			return -EINVAL;
		v->kind = JSON_REAL;
	}
	if (sc->p < sc->end && (*sc->p | 0x20) == 'e') {
		sc->p++;
		sc->p += sc->p < sc->end && (*sc->p == '+' || *sc->p == '-');
		if (scan_digits(sc, start))
			return -EINVAL;
		v->kind = JSON_REAL;
	}
	v->text = start;
	v->len = sc->p - start;
	if (v->kind == JSON_INT && (n > 19 || mag > max))
		return fail(sc, start, sc->p, *start == '-' ? "too big negative integer" : "too big integer");
	v->num = *start == '-' && mag ? -(long long)(mag - 1) - 1 : (long long)mag;
	return 0;
}

static int scan_literal(struct scan *sc, struct json_value *v)
{
	static const struct { const char *word; size_t len; unsigned char kind; } lits[] = {
		{ "true", 4, JSON_TRUE }, { "false", 5, JSON_FALSE }, { "null", 4, JSON_NULL },
	};

	for (size_t i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		if ((size_t)(sc->end - sc->p) >= lits[i].len && !memcmp(sc->p, lits[i].word, lits[i].len)) {
			v->kind = lits[i].kind;
			v->text = sc->p;
			v->len = lits[i].len;
			sc->p += lits[i].len;
			return 0;
		}
	}
	return fail_here(sc, "invalid token");
}

static int scan_container(struct scan *sc, int depth, struct json_member *m, size_t cap);

static int scan_value(struct scan *sc, struct json_value *v, int depth)
{
	const char *start = sc->p;
	int n;

	if (sc->p == sc->end)
		return fail_here(sc, "unexpected token");
	switch (*sc->p) {
	case '"':
		return scan_string(sc, v);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return scan_number(sc, v);
	case '{': case '[':
		v->kind = *sc->p == '{' ? JSON_OBJECT : JSON_ARRAY;
		n = scan_container(sc, depth + 1, NULL, 0);
		v->text = start;
		v->len = sc->p - start;
		return n < 0 ? n : 0;
	case ',': case ':': case ']': case '}':
		return fail_here(sc, "unexpected token");
	}
	return scan_literal(sc, v);
}

/* "key": at sc->p, then the colon and whitespace. */
static int scan_key(struct scan *sc, struct json_value *k)
{
	if (sc->p == sc->end || *sc->p != '"')
		return fail_here(sc, "string or '}' expected");
	if (scan_string(sc, k))
		return -EINVAL;
	skip_ws(sc);
	if (sc->p == sc->end || *sc->p != ':')
		return fail_here(sc, "':' expected");
	sc->p++;
	skip_ws(sc);
	return 0;
}

/*
 * The object or array at sc->p, every member checked; an object's members go
 * into m (at most cap) when m is set. How many members, or a negative error.
 */
static int scan_container(struct scan *sc, int depth, struct json_member *m, size_t cap)
{
	char close = *sc->p == '{' ? '}' : ']';
	struct json_member scratch;
	size_t n = 0;

	if (depth > JSON_MAX_DEPTH)
		return fail_here(sc, "maximum parsing depth reached");
	sc->p++;
	skip_ws(sc);
	if (sc->p < sc->end && *sc->p == close) {
		sc->p++;
		return 0;
	}
	for (;; n++) {
		struct json_member *slot = m ? m + n : &scratch;

		if (m && n == cap)
			return -E2BIG;
		if ((close == '}' && scan_key(sc, &slot->key)) || scan_value(sc, &slot->val, depth))
			return -EINVAL;
		skip_ws(sc);
		if (sc->p < sc->end && *sc->p == close)
			break;
		if (sc->p == sc->end || *sc->p != ',')
			return fail_here(sc, close == '}' ? "'}' expected" : "']' expected");
		sc->p++;
		skip_ws(sc);
	}
	sc->p++;
	return n + 1;
}

int json_scan_object(const char *s, size_t n, struct json_member *m, size_t cap,
		     char err[JSON_ERR_LEN])
{
	struct scan sc = { .p = s, .end = s + n, .err = err };
	int array, ret;

	skip_ws(&sc);
	if (sc.p == sc.end || (*sc.p != '{' && *sc.p != '['))
		return fail_here(&sc, "'[' or '{' expected");
	array = *sc.p == '[';
	ret = scan_container(&sc, 1, array ? NULL : m, cap);
	if (ret < 0)
		return ret;
	skip_ws(&sc);
	if (sc.p != sc.end)
		return fail_here(&sc, "end of file expected");
	return array ? -EMEDIUMTYPE : ret;
}

/* A code point as UTF-8: as many bytes as utf8_len says. */
static void put_utf8(char *d, uint32_t cp)
{
	size_t n = utf8_len(cp);

	if (n == 1) {
		d[0] = cp;
		return;
	}
	d[0] = (0xf0 << (4 - n)) | cp >> (6 * (n - 1));
	for (size_t i = 1; i < n; i++)
		d[i] = 0x80 | (cp >> (6 * (n - 1 - i)) & 0x3f);
}

/*
 * The next piece of a checked string's decoded bytes, from *p on: a run
 * without escapes (in the text itself) or what one escape stands for (in u).
 * Its length in *piece, 0 at the end.
 */
static size_t next_piece(const char **p, const char *end, char u[4], const char **piece)
{
	const char *bs;
	uint32_t cp;

	if (*p == end)
		return 0;
	if (**p == '\\') {
		cp = json_string_next(p, end);
		put_utf8(u, cp);
		*piece = u;
		return utf8_len(cp);
	}
	bs = memchr(*p, '\\', end - *p);
	*piece = *p;
	*p = bs ? bs : end;
	return *p - *piece;
}

/* Whether checked key string k is the n bytes at key. */
static int key_equal(const struct json_value *k, const char *key, size_t n)
{
	const char *p = k->text, *piece;
	size_t m;
	char u[4];

	if (k->str_len != n)
		return 0;
	if (!k->escaped)
		return !memcmp(p, key, n);
	while ((m = next_piece(&p, k->text + k->len, u, &piece))) {
		if (memcmp(piece, key, m))
			return 0;
		key += m;
	}
	return 1;
}

int json_key_is(const struct json_value *k, const char *key)
{
	return key_equal(k, key, strlen(key));
}

const struct json_value *json_find(const struct json_member *m, size_t n, const char *key)
{
	size_t len = strlen(key);

	while (n--) {
		const struct json_value *k = &m[n].key;

		/* most keys differ in length or in their first byte */
		if (k->str_len != len || (!k->escaped && len && k->text[0] != key[0]))
			continue;
		if (key_equal(k, key, len))
			return &m[n].val;
	}
	return NULL;
}

int json_object_find(const struct json_value *obj, const char *key, struct json_value *out)
{
	struct json_iter it;
	struct json_member mb;
	int found = 0;

	json_iter_init(&it, obj);
	while (json_iter_next(&it, &mb)) {
		if (json_key_is(&mb.key, key)) {
			*out = mb.val;
			found = 1;
		}
	}
	return found;
}

void json_iter_init(struct json_iter *it, const struct json_value *container)
{
	it->p = container->text + 1;
	it->end = container->text + container->len - 1; /* the closing bracket */
	it->object = container->kind == JSON_OBJECT;
}

/* The line was checked when it was scanned: nothing here can fail. */
int json_iter_next(struct json_iter *it, struct json_member *out)
{
	struct scan sc = { .p = it->p, .end = it->end };

	skip_ws(&sc);
	if (sc.p < sc.end && *sc.p == ',') {
		sc.p++;
		skip_ws(&sc);
	}
	if (sc.p == sc.end)
		return 0;
	if (it->object)
		scan_key(&sc, &out->key);
	scan_value(&sc, &out->val, 0);
	it->p = sc.p;
	return 1;
}

static void put_bounded(char *dst, size_t cap, size_t at, const char *s, size_t n)
{
	if (at < cap)
		memcpy(dst + at, s, n < cap - at ? n : cap - at);
}

size_t json_string_decode(const struct json_value *v, char *dst, size_t cap)
{
	const char *p = v->text, *piece;
	size_t n = 0, m;
	char u[4];

	if (!v->escaped) {
		put_bounded(dst, cap, 0, p, v->len);
		return v->len;
	}
	while ((m = next_piece(&p, v->text + v->len, u, &piece))) {
		put_bounded(dst, cap, n, piece, m);
		n += m;
	}
	return n;
}

uint32_t json_string_next(const char **p, const char *end)
{
	uint32_t cp;

	if (**p != '\\')
		return (unsigned char)*(*p)++;
	*p += escape_at(*p, end, &cp);
	return cp;
}
