// SPDX-License-Identifier: GPL-2.0
/* The log line scanner: valid JSON is read exactly, every kind of invalid JSON is refused with jansson's wording, and the reader on top of it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_scan.h"
#include "log.h"
#include "unit.h"

#define CAP 128

static struct json_member m[CAP];
static char err[JSON_ERR_LEN];

static int scan(const char *s)
{
	err[0] = '\0';
	return json_scan_object(s, strlen(s), m, CAP, err);
}

/* s is refused as invalid JSON with exactly the message want. */
static void check_bad(const char *s, size_t n, const char *want)
{
	int ret = json_scan_object(s, n, m, CAP, err);

	CHECK(ret == -EINVAL);
	if (ret != -EINVAL || strcmp(err, want)) {
		fprintf(stderr, "input '%.*s': %d \"%s\", wanted \"%s\"\n", (int)n, s, ret, err, want);
		CHECK(!"error message");
	}
}

#define BAD(lit, want) check_bad((lit), sizeof(lit) - 1, (want))

/* The decoded string value of key in the last scan. */
static int str_is(const char *key, const char *want, size_t want_len)
{
	const struct json_value *v = json_find(m, CAP, key);
	char buf[64];
	size_t n;

	if (!v || v->kind != JSON_STRING)
		return 0;
	n = json_string_decode(v, buf, sizeof(buf));
	return n == want_len && v->str_len == n && !memcmp(buf, want, n);
}

#define STR_IS(key, lit) str_is((key), (lit), sizeof(lit) - 1)

static long long int_of(int n, const char *key)
{
	const struct json_value *v = json_find(m, n, key);

	return v && v->kind == JSON_INT ? v->num : -42;
}

static void test_values(void)
{
	int n = scan(" \t{\"a\" : 1 ,\"b\":-0,\"c\":true,\"d\":false,\"e\":null,\"f\":1.5,\"g\":-2e+3,"
		     "\"h\":0.0E-1,\"i\":[],\"j\":{},\"k\":\"\",\"l\":[1,[2,{\"x\":[3]}]]}\r ");

	CHECK(n == 12);
	CHECK(int_of(n, "a") == 1 && int_of(n, "b") == 0);
	CHECK(json_find(m, n, "c")->kind == JSON_TRUE && json_find(m, n, "d")->kind == JSON_FALSE);
	CHECK(json_find(m, n, "e")->kind == JSON_NULL);
	for (const char *k = "fgh"; *k; k++)
		CHECK(json_find(m, n, (char[]){ *k, 0 })->kind == JSON_REAL);
	CHECK(json_find(m, n, "i")->kind == JSON_ARRAY && json_find(m, n, "j")->kind == JSON_OBJECT);
	CHECK(json_find(m, n, "k")->kind == JSON_STRING && json_find(m, n, "k")->str_len == 0);
	CHECK(json_find(m, n, "l")->len == strlen("[1,[2,{\"x\":[3]}]]"));
	CHECK(json_find(m, n, "missing") == NULL && json_find(m, n, "") == NULL);
	CHECK(!memcmp(m[0].key.text, "a", 1) && m[0].key.len == 1); /* members in order */

	CHECK(scan("{}") == 0);
	CHECK(scan("{\"max\":9223372036854775807,\"min\":-9223372036854775808}") == 2);
	CHECK(int_of(2, "max") == INT64_MAX && int_of(2, "min") == INT64_MIN);
	CHECK(scan("{\"big\":1e400,\"long\":0.0000000000000000000000000000001}") == 2);
}

static void test_strings(void)
{
	char buf[8];

	CHECK(scan("{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}") == 1);
	CHECK(STR_IS("s", "a\"b\\c/d\b\f\n\r\t") && json_find(m, 1, "s")->escaped);
	CHECK(scan("{\"s\":\"\\u00e9\\u20AC\\ud83d\\ude00\\u0000x\"}") == 1);
	CHECK(STR_IS("s", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\0x"));
	CHECK(scan("{\"s\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f\"}") == 1); /* raw UTF-8 and DEL pass */
	CHECK(STR_IS("s", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f") && !json_find(m, 1, "s")->escaped);

	/* decoding stops at the buffer's end and still says how long the whole string is */
	CHECK(scan("{\"s\":\"abc\\u00e9defghij\"}") == 1);
	memset(buf, '.', sizeof(buf));
	CHECK(json_string_decode(json_find(m, 1, "s"), buf, 4) == 12 && !memcmp(buf, "abc\xc3.", 5));
	CHECK(scan("{\"s\":\"abcdefghij\"}") == 1);
	CHECK(json_string_decode(json_find(m, 1, "s"), buf, 3) == 10 && !memcmp(buf, "abcd", 3));
}

static void test_keys(void)
{
	struct json_value v;

	/* escapes in keys count as what they stand for */
	CHECK(scan("{\"p\\u0069d\":5,\"\\u00e9t\\u00e9\":6,\"\xc3\xa9t\xc3\xa9\":7}") == 3);
	CHECK(int_of(3, "pid") == 5 && json_key_is(&m[0].key, "pid") && !json_key_is(&m[0].key, "pie"));
	CHECK(json_key_is(&m[1].key, "\xc3\xa9t\xc3\xa9") && json_key_is(&m[2].key, "\xc3\xa9t\xc3\xa9"));
	CHECK(int_of(3, "\xc3\xa9t\xc3\xa9") == 7); /* the later duplicate */
	/* duplicates: the last one wins, as in jq and JavaScript */
	CHECK(scan("{\"a\":1,\"b\":2,\"a\":3}") == 3 && int_of(3, "a") == 3);
	CHECK(scan("{\"o\":{\"hex\":\"00\",\"x\":[1,2],\"hex\":\"ff\"}}") == 1);
	CHECK(json_object_find(json_find(m, 1, "o"), "hex", &v) && v.kind == JSON_STRING && v.text[0] == 'f');
	CHECK(!json_object_find(json_find(m, 1, "o"), "he", &v));
}

static void test_iter(void)
{
	struct json_member e;
	struct json_iter it;
	int kinds[8], n = 0;

	CHECK(scan("{\"a\":[ \"x\" , 12,{\"k\":[]} ,[1,2],null ],\"o\":{ \"p\" : 1 , \"q\":\"r\" }}") == 2);
	json_iter_init(&it, json_find(m, 2, "a"));
	while (n < 8 && json_iter_next(&it, &e))
		kinds[n++] = e.val.kind;
	CHECK(n == 5 && kinds[0] == JSON_STRING && kinds[1] == JSON_INT && kinds[2] == JSON_OBJECT &&
	      kinds[3] == JSON_ARRAY && kinds[4] == JSON_NULL);
	json_iter_init(&it, json_find(m, 2, "o"));
	CHECK(json_iter_next(&it, &e) && json_key_is(&e.key, "p") && e.val.num == 1);
	CHECK(json_iter_next(&it, &e) && json_key_is(&e.key, "q") && e.val.kind == JSON_STRING);
	CHECK(!json_iter_next(&it, &e));
	CHECK(scan("{\"a\":[]}") == 1);
	json_iter_init(&it, json_find(m, 1, "a"));
	CHECK(!json_iter_next(&it, &e));
}

static void test_invalid_text(void)
{
	BAD("", "'[' or '{' expected near end of file");
	BAD("   ", "'[' or '{' expected near end of file");
	BAD("\x1b[2J", "'[' or '{' expected near '\x1b'");
	BAD("hello", "'[' or '{' expected near 'hello'");
	BAD("\"a\"", "'[' or '{' expected near '\"'");
	BAD("{\"a\":\"\xff\xfe\"}", "unable to decode byte 0xff near '\"'");
	BAD("{\"a\":\"xy\xc3\"}", "unable to decode byte 0xc3 near '\"xy'");
	BAD("{\"a\":\"\xc0\x80\"}", "unable to decode byte 0xc0 near '\"'");        /* overlong */
	BAD("{\"a\":\"\xed\xa0\x80\"}", "unable to decode byte 0xed near '\"'");    /* a surrogate */
	BAD("{\"a\":\"\xf4\x90\x80\x80\"}", "unable to decode byte 0xf4 near '\"'"); /* past U+10FFFF */
	BAD("{\"a\":\"x\ty\"}", "control character 0x9 near '\"x'");
	BAD("{\"a\":\"\0\"}", "control character 0x0 near '\"'");
	BAD("{\"a\":\"abc", "premature end of input near '\"abc'");
	BAD("{\"a\":\"\\x\"}", "invalid escape near '\"\\x'");
	BAD("{\"a\":\"\\u12G4\"}", "invalid escape near '\"\\u'");
	BAD("{\"a\":\"\\u12", "premature end of input near '\"\\u12'");
	BAD("{\"a\":\"\\udc00\"}", "invalid Unicode '\\udc00' near '\"\\udc00'");
	BAD("{\"a\":\"\\ud800\"}", "invalid Unicode '\\ud800' near '\"\\ud800'");
	BAD("{\"a\":\"\\ud800\\u0041\"}", "invalid Unicode '\\ud800' near '\"\\ud800'");
	BAD("{\"a\":\"\\ud800\\udbff\"}", "invalid Unicode '\\ud800' near '\"\\ud800'");
}

static void test_invalid_structure(void)
{
	BAD("{", "string or '}' expected near end of file");
	BAD("{\"a\":1,}", "string or '}' expected near '}'");
	BAD("{a:1}", "string or '}' expected near 'a'");
	BAD("{'a':1}", "string or '}' expected near '''");
	BAD("{\"a\" 1}", "':' expected near '1'");
	BAD("{\"a\":}", "unexpected token near '}'");
	BAD("{\"a\":1 \"b\":2}", "'}' expected near '\"'");
	BAD("{\"a\":[1 2]}", "']' expected near '2'");
	BAD("{\"a\":[1,]}", "unexpected token near ']'");
	BAD("{\"a\":1", "'}' expected near end of file");
	BAD("{} x", "end of file expected near 'x'");
	BAD("{}{}", "end of file expected near '{'");
	BAD("{\"a\":tru}", "invalid token near 'tru'");
	BAD("{\"a\":True}", "invalid token near 'True'");
	BAD("{\"a\":NaN}", "invalid token near 'NaN'");
	BAD("{\"a\":nullx}", "'}' expected near 'x'");
}

static void test_invalid_numbers(void)
{
	BAD("{\"a\":01}", "invalid token near '01'");
	BAD("{\"a\":-}", "invalid token near '-}'");
	BAD("{\"a\":1.}", "invalid token near '1.}'");
	BAD("{\"a\":.5}", "invalid token near '.5'");
	BAD("{\"a\":1e}", "invalid token near '1e}'");
	BAD("{\"a\":+1}", "invalid token near '+1'");
	BAD("{\"a\":-Infinity}", "invalid token near '-I'");
	BAD("{\"a\":9223372036854775808}", "too big integer near '9223372036854775808'");
	BAD("{\"a\":-9223372036854775809}", "too big negative integer near '-9223372036854775809'");
	BAD("{\"a\":99999999999999999999999}", "too big integer");
}

static void test_limits(void)
{
	char deep[2 * JSON_MAX_DEPTH + 16], *p = deep;
	char many[CAP * 16]; /* ,"N":N for N up to CAP */
	size_t o = 0;

	/* the object and 63 arrays in it: JSON_MAX_DEPTH levels pass, one more does not */
	p += sprintf(p, "{\"a\":");
	memset(p, '[', JSON_MAX_DEPTH - 1);
	memset(p + JSON_MAX_DEPTH - 1, ']', JSON_MAX_DEPTH - 1);
	strcpy(p + 2 * (JSON_MAX_DEPTH - 1), "}");
	CHECK(scan(deep) == 1);
	p = deep + sprintf(deep, "{\"a\":");
	memset(p, '[', JSON_MAX_DEPTH);
	memset(p + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
	strcpy(p + 2 * JSON_MAX_DEPTH, "}");
	CHECK(scan(deep) == -EINVAL && !strcmp(err, "maximum parsing depth reached near '['"));

	/* more members than the caller has room for */
	many[o++] = '{';
	for (int i = 0; i <= CAP; i++)
		o += sprintf(many + o, "%s\"%d\":%d", i ? "," : "", i, i);
	strcpy(many + o, "}");
	CHECK(scan(many) == -E2BIG);

	/* valid JSON that is no object */
	CHECK(scan("[1,2]") == -EMEDIUMTYPE && scan(" [ ] ") == -EMEDIUMTYPE);
	CHECK(scan("[1,") == -EINVAL);
	CHECK(json_hex_digit('7') == 7 && json_hex_digit('a') == 10 && json_hex_digit('F') == 15);
	CHECK(json_hex_digit('g') == -1 && json_hex_digit(0x130) == -1 && json_hex_digit(0x146) == -1);
}

/* --- the reader on top of it -------------------------------------------- */

#define HDR "{\"type\":\"header\",\"format\":\"forkscope-log\",\"version\":1,\"kernel\":\"k\",\"host\":\"h\"," \
	    "\"start_realtime_ns\":1,\"root_pid\":2,\"tracer_pid\":3,\"command\":[\"x\"],\"source\":\"bpf\"}\n"

static char path[] = "/tmp/test_json_scan.XXXXXX";

/* Reads a log of text: 1 and the first event in *e, or the error in err. */
static int read_log(const char *text, struct fs_event *e)
{
	struct fs_log_reader *r;
	FILE *f = fopen(path, "w");
	int ret;

	fputs(text, f);
	fclose(f);
	ret = log_reader_open(&r, path, err, sizeof(err));
	if (ret)
		return ret;
	ret = log_reader_next(r, e, err, sizeof(err));
	log_reader_close(r);
	return ret;
}

/* The message of a bad line, after "FILE:LINE: ". */
static const char *why(void)
{
	const char *p = strstr(err, ": ");

	return p ? p + 2 : err;
}

static void test_reader(void)
{
	struct fs_event e;
	char line[4096];
	int o;

	/* escapes anywhere, hex digits included, and duplicates: the last counts */
	CHECK(read_log(HDR "{\"t\\u0079pe\":\"m\\u0061rk\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"pid\":7,"
		       "\"comm\":{\"hex\":\"\\u0036\\u0031ff\"},\"text\":\"\\ud83d\\ude00\",\"x\":[[{}]]}\n", &e) == 1);
	CHECK(e.type == FS_EV_MARK && e.pid == 7 && !memcmp(e.comm, "a\xff", 3));
	CHECK(e.mark.len == 4 && !memcmp(e.mark.text, "\xf0\x9f\x98\x80", 4));
	CHECK(read_log(HDR "{\"type\":\"mark\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"\","
		       "\"text\":{\"hex\":\"\\u0130\\u0130\"}}\n", &e) < 0);
	CHECK(!strcmp(why(), "field \"text\" has a bad hex digit"));

	/* a name field has at most 64 bytes */
	CHECK(read_log(HDR "{\"type\":\"lost\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"\",\"count\":1,"
		       "\"x\":1,\"type\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}\n",
		       &e) < 0);
	CHECK(!strcmp(why(), "field \"type\" is too long (70 bytes, at most 64)"));

	/* a line of more than 128 fields */
	o = sprintf(line, HDR "{\"type\":\"lost\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"\",\"count\":1");
	for (int i = 0; i < 128; i++)
		o += sprintf(line + o, ",\"x%d\":%d", i, i);
	strcpy(line + o, "}\n");
	CHECK(read_log(line, &e) < 0 && !strcmp(why(), "more than 128 fields"));
	CHECK(read_log(HDR "[1]\n", &e) < 0 && !strcmp(why(), "not a JSON object"));
	CHECK(read_log(HDR "{\"type\":\"lost\",\"seq\":1.0}\n", &e) < 0 &&
	      !strcmp(why(), "field \"seq\" is not an integer"));
	CHECK(read_log(HDR "{\"type\":\"lost\"} {}\n", &e) < 0 &&
	      !strcmp(why(), "not JSON: end of file expected near '{'"));
	/* a read's or write's arg is the syscall it came by, a number of one (the fuzzer's find:
	 * -1 was read, then written as "via":"sys_-1", which no reader takes) */
	CHECK(read_log(HDR "{\"type\":\"ipc\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"\",\"op\":\"write\","
		       "\"channel\":\"pipe:[5]\",\"arg\":-1}\n", &e) < 0 &&
	      !strcmp(why(), "field \"arg\" is out of range (-1)"));
	CHECK(read_log(HDR "{\"type\":\"ipc\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"\",\"op\":\"write\","
		       "\"channel\":\"pipe:[5]\",\"arg\":20}\n", &e) == 1 && e.ipc.arg == 20);
}

int main(void)
{
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	test_values();
	test_strings();
	test_keys();
	test_iter();
	test_invalid_text();
	test_invalid_structure();
	test_invalid_numbers();
	test_limits();
	test_reader();
	unlink(path);
	return UNIT_DONE("test_json_scan");
}
