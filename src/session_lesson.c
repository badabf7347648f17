// SPDX-License-Identifier: GPL-2.0
/* A demo's lesson (docs/lessons/NAME.md): its numbered steps and the marks that start them. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "event.h"
#include "session_lesson.h"

#define LESSON_MAX_BYTES (256 * 1024)

/* A growing string. */
struct str {
	char *s;
	size_t len, cap;
	int err;
};

static void str_add(struct str *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *t = realloc(b->s, cap);

		if (!t) {
			b->err = -ENOMEM;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Markdown to plain text: emphasis marks go, a link [text](url) keeps its text, `code` stays (lesson_bind_fill decides). */
char *lesson_plain(const char *s, size_t n)
{
	struct str b = { 0 };
	int in_link = 0;

	str_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		const char *close = memchr(s + i, ']', n - i);

		if (s[i] == '*')
			continue;
		if (s[i] == '[' && close && (size_t)(close - s) + 1 < n && close[1] == '(') {
			in_link = 1;
			continue;
		}
		if (in_link && s[i] == ']' && (close = memchr(s + i, ')', n - i))) {
			in_link = 0;
			i = (size_t)(close - s);
			continue;
		}
		str_add(&b, s + i, 1);
	}
	if (b.err) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static int is_placeholder(const char *s, size_t n)
{
	static const char *const words[] = { "N", "W", "M", "NAME", "PORT", "PID", "ID" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !memcmp(words[i], s, n))
			return 1;
	return 0;
}

/* A key: the mark as written, without trailing dots and spaces. */
static char *key_text(const char *s, size_t n)
{
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	return strndup(s, n);
}

/* The backquoted spans inside the bold spans of a step become its keys. */
static int step_keys(struct lesson_step *st, const char *s, size_t n)
{
	int bold = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		const char *end;
		char **keys;

		if (s[i] == '*' && s[i + 1] == '*') {
			bold = !bold;
			i++;
			continue;
		}
		if (!bold || s[i] != '`' || !(end = memchr(s + i + 1, '`', n - i - 1)))
			continue;
		keys = realloc(st->keys, (size_t)(st->nkeys + 1) * sizeof(*keys));
		if (!keys)
			return -ENOMEM;
		st->keys = keys;
		if (!(keys[st->nkeys] = key_text(s + i + 1, (size_t)(end - s) - i - 1)))
			return -ENOMEM;
		st->nkeys++;
		i = (size_t)(end - s);
	}
	return 0;
}

/* Whether s (n bytes) begins with full-width punctuation that ends a clause: 。，：；、） */
static int cjk_punct(const char *s, size_t n)
{
	static const char *const punct[] = { "\xe3\x80\x82", "\xef\xbc\x8c", "\xef\xbc\x9a",
					     "\xef\xbc\x9b", "\xe3\x80\x81", "\xef\xbc\x89" };

	for (size_t i = 0; n >= 3 && i < sizeof(punct) / sizeof(punct[0]); i++)
		if (!memcmp(s, punct[i], 3))
			return 1;
	return 0;
}

/*
 * The punctuation right after a bold lead stays with it, so that the body never begins
 * with it: "**The parent queues 5 tasks**: 5 writes" is "The parent queues 5 tasks:", then
 * "5 writes"; "**`task N started on worker W`**，任务" keeps its "，".
 */
static size_t title_punct(const char *s, size_t n, size_t t)
{
	while (t < n && ((s[t] && strchr(".,:;!?", s[t])) || cjk_punct(s + t, n - t)))
		t += (unsigned char)s[t] < 0x80 ? 1 : 3;
	return t;
}

/* Chinese text (no capitals) after a bold lead that ends in "." or "。": the body begins. */
static int cjk_after_stop(const char *s, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;

	return u[i + 2] >= 0x80 && i >= 4 && (u[i - 2] == '.' || !memcmp(u + i - 4, "\xe3\x80\x82", 3));
}

/*
 * The title is the bold lead: up to the closing "**" that a new sentence
 * follows ("**Start.** The log...", "**Start.** 日志..."), else the first bold span;
 * a step without one ("Steps 2–4 repeat twice more.") is a title of its own.
 */
static size_t title_len(const char *s, size_t n)
{
	size_t first = 0;
	int bold = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '*' || s[i + 1] != '*')
			continue;
		bold = !bold;
		i++;
		if (bold)
			continue;
		if (!first)
			first = i + 1;
		if (i + 2 >= n || (s[i + 1] == ' ' && (isupper((unsigned char)s[i + 2]) || cjk_after_stop(s, i))))
			return i + 1;
	}
	return first ? first : n;
}

static int step_parse(struct lesson_step *st, const char *s, size_t n)
{
	size_t t = title_punct(s, n, title_len(s, n));

	memset(st, 0, sizeof(*st));
	st->title = lesson_plain(s, t);
	while (t < n && s[t] == ' ')
		t++;
	st->body = lesson_plain(s + t, n - t);
	if (!st->title || !st->body)
		return -ENOMEM;
	return step_keys(st, s, n);
}

static void step_free(struct lesson_step *st)
{
	free(st->title);
	free(st->body);
	for (int i = 0; i < st->nkeys; i++)
		free(st->keys[i]);
	free(st->keys);
}

int lesson_step_current(const struct lesson *l, int step, int ended)
{
	if (!ended || step < 0)
		return step;
	for (int i = step + 1; i < l->nsteps; i++)
		if (l->steps[i].nkeys)
			return step; /* a step with a mark of its own was not reached: the session was cut */
	return l->nsteps - 1;
}

/* The item text of a numbered line "12. text", or NULL. */
static const char *item_start(const char *line, size_t n)
{
	size_t d = 0;

	while (d < n && isdigit((unsigned char)line[d]))
		d++;
	if (d == 0 || d + 2 > n || line[d] != '.' || line[d + 1] != ' ')
		return NULL;
	return line + d + 2;
}

static int add_step(struct lesson *l, struct str *item)
{
	struct lesson_step *steps;

	if (!item->len)
		return 0;
	steps = realloc(l->steps, (size_t)(l->nsteps + 1) * sizeof(*steps));
	if (!steps)
		return -ENOMEM;
	l->steps = steps;
	if (step_parse(&steps[l->nsteps], item->s, item->len)) {
		step_free(&steps[l->nsteps]);
		return -ENOMEM;
	}
	l->nsteps++;
	item->len = 0;
	return 0;
}

/*
 * Whether a line continues the item without a space: Chinese has none between words, nor
 * after its full-width punctuation (。，：；、）), even before `code`.
 */
static int joins_tight(const struct str *item, const char *line, size_t n)
{
	const char *end = item->s + item->len;

	if ((unsigned char)end[-1] < 0x80)
		return 0;
	if (n && (unsigned char)line[0] >= 0x80)
		return 1;
	return item->len >= 3 && cjk_punct(end - 3, 3);
}

/* The sections that hold numbered items, by their English and Chinese headings. */
enum section { SEC_OTHER, SEC_STEPS, SEC_PREDICT };

static enum section section_of(const char *title, size_t n)
{
	static const struct { const char *title; enum section sec; } known[] = {
		{ "Steps", SEC_STEPS }, { "\xe6\xad\xa5\xe9\xaa\xa4", SEC_STEPS },       /* 步骤 */
		{ "Predict", SEC_PREDICT }, { "\xe9\xa2\x84\xe6\xb5\x8b", SEC_PREDICT }, /* 预测 */
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].title) == n && !memcmp(known[i].title, title, n))
			return known[i].sec;
	return SEC_OTHER;
}

static int add_question(struct lesson *l, struct str *item)
{
	struct lesson_question *qs;
	int err;

	if (!item->len)
		return 0;
	qs = realloc(l->questions, (size_t)(l->nquestions + 1) * sizeof(*qs));
	if (!qs)
		return -ENOMEM;
	l->questions = qs;
	err = lesson_question_parse(&qs[l->nquestions], item->s, item->len);
	item->len = 0;
	if (!err)
		l->nquestions++;
	return err == -ENOMEM ? err : 0; /* a malformed question is left out, not the lesson */
}

/* The item collected so far ends: a step, or a question. */
static int add_item(struct lesson *l, enum section sec, struct str *item)
{
	return sec == SEC_PREDICT ? add_question(l, item) : add_step(l, item);
}

/* A line that continues an item: a question's parts each begin a line of their own. */
static void continue_item(struct str *item, enum section sec, const char *line, size_t n)
{
	while (n && *line == ' ')
		line++, n--;
	if (sec == SEC_PREDICT && lesson_question_key(line, n))
		str_add(item, "\n", 1);
	else if (!joins_tight(item, line, n))
		str_add(item, " ", 1);
	str_add(item, line, n);
}

/* One line of the page: headings switch sections, numbered items in "## Steps" and "## Predict" are kept. */
static int parse_line(struct lesson *l, const char *line, size_t n, enum section *sec,
		      struct str *item)
{
	const char *text;
	int err = 0;

	if (n >= 2 && line[0] == '#' && line[1] == ' ' && !l->title) {
		l->title = lesson_plain(line + 2, n - 2);
		return l->title ? 0 : -ENOMEM;
	}
	if (n >= 3 && !memcmp(line, "## ", 3)) {
		err = add_item(l, *sec, item);
		*sec = section_of(line + 3, n - 3);
		return err;
	}
	if (*sec == SEC_OTHER)
		return 0;
	if ((text = item_start(line, n))) {
		err = add_item(l, *sec, item);
		str_add(item, text, n - (size_t)(text - line));
	} else if (item->len && n) {
		continue_item(item, *sec, line, n);
	}
	return err ? err : item->err;
}

int lesson_parse(struct lesson **out, const char *name, const char *text, size_t n)
{
	struct lesson *l = calloc(1, sizeof(*l));
	struct str item = { 0 };
	enum section sec = SEC_OTHER;
	int err = 0;

	if (!l || !(l->name = strdup(name))) {
		free(l);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && !err;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - text) - i : n - i;

		err = parse_line(l, text + i, len, &sec, &item);
		i += len + 1;
	}
	if (!err)
		err = add_item(l, sec, &item);
	free(item.s);
	if (!err && !l->nsteps)
		err = -ENOENT;
	if (err) {
		lesson_free(l);
		return err;
	}
	*out = l;
	return 0;
}

int lesson_load(struct lesson **l, const char *name, const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;
	int err;

	if (!f)
		return -errno;
	buf = malloc(LESSON_MAX_BYTES);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, LESSON_MAX_BYTES, f);
	err = ferror(f) ? -EIO : lesson_parse(l, name, buf, n);
	fclose(f);
	free(buf);
	return err;
}

int lesson_load_lang(struct lesson **l, const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (strchr(name, '/'))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/zh/%s.md", dir, name);
	if (i18n_is_zh() && !lesson_load(l, name, path))
		return 0;
	snprintf(path, sizeof(path), "%s/%s.md", dir, name);
	return lesson_load(l, name, path);
}

void lesson_free(struct lesson *l)
{
	if (!l)
		return;
	for (int i = 0; i < l->nsteps; i++)
		step_free(&l->steps[i]);
	free(l->steps);
	for (int i = 0; i < l->nquestions; i++)
		lesson_question_free(&l->questions[i]);
	free(l->questions);
	free(l->title);
	free(l->name);
	free(l);
}

static size_t word_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i;
}

/* The length of a wild word at s: a placeholder word, a {placeholder} (lesson_bind.h), a number if numbers_wild; or 0. */
static size_t wild_len(const char *s, size_t n, int numbers_wild)
{
	size_t k = word_len(s, n);
	const char *close = n && *s == '{' ? memchr(s, '}', n) : NULL;

	if (close)
		return (size_t)(close - s) + 1;
	return k && (is_placeholder(s, k) || (numbers_wild && strspn(s, "0123456789") >= k)) ? k : 0;
}

/*
 * Whether the mark (n bytes) fits the pattern: a placeholder word or a
 * {placeholder} of the pattern, and a number when numbers_wild, stands for
 * one word or number of the mark; the rest must be the same, but for the mark's trailing dots and
 * spaces. w (if not NULL) gets the word its placeholder w->name stood for.
 * Returns the number of wild words used, or -1.
 */
static int fits(const char *pat, size_t pn, const char *mark, size_t n, int numbers_wild,
		struct lesson_word *w)
{
	size_t i = 0, j = 0;
	int wild = 0;

	while (i < pn) {
		size_t k = wild_len(pat + i, pn - i, numbers_wild), m = word_len(mark + j, n - j);

		if (k) {
			if (!m)
				return -1;
			if (w && w->len == k && !memcmp(w->name, pat + i, k))
				w->at = j, w->n = m;
			i += k, j += m, wild++;
		} else if (j < n && mark[j] == pat[i]) {
			i++, j++;
		} else {
			return -1;
		}
	}
	while (j < n && (mark[j] == '.' || mark[j] == ' ' || mark[j] == '\n'))
		j++;
	return j == n ? wild : -1;
}

int lesson_mark_fits(const char *pat, size_t pn, const char *mark, size_t n, struct lesson_word *w)
{
	if (w)
		w->n = 0;
	return fits(pat, pn, mark, n, 0, w) < 0 || (w && !w->n) ? -1 : 0;
}

int lesson_match(const struct lesson *l, const char *mark, size_t n)
{
	int found = -1, best = 1 << 30;

	/* the most specific key wins: "tour: orphan" before "tour: NAME" */
	for (int i = 0; i < l->nsteps; i++) {
		for (int k = 0; k < l->steps[i].nkeys; k++) {
			const char *key = l->steps[i].keys[k];
			int wild = fits(key, strlen(key), mark, n, 1, NULL);

			if (wild >= 0 && wild < best) {
				best = wild;
				found = i;
			}
		}
	}
	return found;
}

size_t lesson_tour_mark(const struct fs_event *e)
{
	size_t k = strlen(LESSON_TOUR_MARK), n = e->mark.len < FS_MARK_LEN ? e->mark.len : FS_MARK_LEN;

	if (e->type != FS_EV_MARK || n <= k || memcmp(e->mark.text, LESSON_TOUR_MARK, k))
		return 0;
	return n - k;
}
