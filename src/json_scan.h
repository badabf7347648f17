/* SPDX-License-Identifier: GPL-2.0 */
/* A strict JSON scanner for one line of a session log: one pass, no allocation, values as spans of the line. */
#ifndef FORKSCOPE_JSON_SCAN_H
#define FORKSCOPE_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64 /* nested arrays and objects; a log line needs 3 */
#define JSON_ERR_LEN 128

enum json_kind {
	JSON_NULL = 1,
	JSON_FALSE,
	JSON_TRUE,
	JSON_INT,    /* no fraction, no exponent, in the int64 range */
	JSON_REAL,   /* any other number */
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

/* A checked value: it points into the scanned text, which must outlive it. */
struct json_value {
	const char *text; /* a string's raw bytes between its quotes; a container from its
			   * bracket to the matching one; else the token */
	size_t len;       /* of text */
	size_t str_len;   /* JSON_STRING: its length once decoded */
	long long num;    /* JSON_INT */
	unsigned char kind;
	unsigned char escaped; /* JSON_STRING: holds a backslash escape (else text is the value) */
};

struct json_member {
	struct json_value key; /* a string; unused for array elements */
	struct json_value val;
};

/*
 * Scans s[0..n) as exactly one JSON object (RFC 8259, whitespace around it
 * allowed): every byte is checked (UTF-8, escapes and surrogate pairs, no raw
 * control characters, numbers, nesting up to JSON_MAX_DEPTH, nothing after
 * the object). Its members go into m in order. Returns how many, or:
 * -EINVAL, invalid JSON, with jansson's wording in err ("'}' expected near 'x'");
 * -EMEDIUMTYPE, valid JSON but not an object; -E2BIG, more than cap members.
 */
int json_scan_object(const char *s, size_t n, struct json_member *m, size_t cap,
		     char err[JSON_ERR_LEN]);

/* Whether a checked key string is key (decoded: escapes in the key count as what they stand for). */
int json_key_is(const struct json_value *k, const char *key);
/* The value of the member named key, or NULL; of duplicates the last wins, as in jq and JavaScript. */
const struct json_value *json_find(const struct json_member *m, size_t n, const char *key);
/* The same in an object value nested in a checked line: 1 with *out set, or 0. */
int json_object_find(const struct json_value *obj, const char *key, struct json_value *out);

/* The elements of an array (or the members of an object) value of a checked line, in order. */
struct json_iter {
	const char *p, *end;
	int object;
};
void json_iter_init(struct json_iter *it, const struct json_value *container);
/* 1: the next one is in *out (for an object, with its key); 0: no more. */
int json_iter_next(struct json_iter *it, struct json_member *out);

/*
 * A checked string's bytes, decoded, into dst: at most cap of them. Returns
 * its whole decoded length (v->str_len), as snprintf does.
 */
size_t json_string_decode(const struct json_value *v, char *dst, size_t cap);
/*
 * The next character of a checked string's raw text at *p (before end): a
 * byte as it is, or the code point an escape stands for. Advances *p.
 */
uint32_t json_string_next(const char **p, const char *end);
/* 0-15 for a hex digit (either case), else -1. */
int json_hex_digit(uint32_t c);

#endif /* FORKSCOPE_JSON_SCAN_H */
