// SPDX-License-Identifier: GPL-2.0
/* A lesson's prediction questions: the items of its "## Predict" section, parsed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "session_lesson.h"

/* What a trigger may name: the events live stepping can freeze the tree at, and the field that stands for them. */
static const struct trigger {
	const char *kind, *field;
	unsigned int type;
} triggers[] = {
	{ "fork", "parent", FS_EV_FORK },
	{ "exec", "pid", FS_EV_EXEC },
	{ "exit", "pid", FS_EV_EXIT },
	{ "mark", "pid", FS_EV_MARK },
};

static const char *const keys[] = { "Ask:", "- ", "Answer:", "Why:" };

int lesson_question_key(const char *line, size_t n)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (n >= strlen(keys[i]) && !memcmp(line, keys[i], strlen(keys[i])))
			return 1;
	return 0;
}

static const char *skip_blank(const char *s, const char *end)
{
	while (s < end && *s == ' ')
		s++;
	return s;
}

static size_t trim_end(const char *s, size_t n)
{
	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

/*
 * "fork", "fork2", "exit@{fork.child}", "mark(TEXT)": the kind, then an
 * ordinal or a process, or a mark's pattern; becomes a placeholder of the
 * event (lesson_bind.h) with the field that every event of the kind has.
 */
static int parse_when(struct lesson_question *q, const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++) {
		size_t k = strlen(triggers[i].kind);
		char *t;

		if (n < k || memcmp(s, triggers[i].kind, k) || (n > k && !strchr("0123456789@(", s[k])))
			continue;
		if (triggers[i].type == FS_EV_MARK && (n < k + 3 || s[k] != '(' || s[n - 1] != ')'))
			return -EINVAL;
		if (!(t = malloc(n + strlen(triggers[i].field) + 2)))
			return -ENOMEM;
		memcpy(t, s, n);
		t[n] = '.';
		strcpy(t + n + 1, triggers[i].field);
		q->when = t;
		q->when_type = triggers[i].type;
		return 0;
	}
	return -EINVAL;
}

/* "- [VALUE] text" or "- text": the value is compared with the answer, the text is read. */
static int parse_choice(struct lesson_question *q, const char *s, size_t n)
{
	const char *close = n && *s == '[' ? memchr(s, ']', n) : NULL;
	int i = q->nchoices;

	if (i == LESSON_CHOICES_MAX)
		return -EINVAL;
	if (close) {
		const char *text = skip_blank(close + 1, s + n);

		q->value[i] = strndup(s + 1, (size_t)(close - s) - 1);
		q->choice[i] = lesson_plain(text, (size_t)(s + n - text));
	} else {
		q->choice[i] = lesson_plain(s, n);
		q->value[i] = q->choice[i] ? strdup(q->choice[i]) : NULL;
	}
	q->nchoices++;
	return q->value[i] && q->choice[i] ? 0 : -ENOMEM;
}

/* "{PH}" or "{A} before {B}": the answer must name events, so it is braces only. */
static int parse_answer(struct lesson_question *q, const char *s, size_t n)
{
	static const char sep[] = "} before {";
	const char *mid = memmem(s, n, sep, sizeof(sep) - 1);

	if (n < 3 || s[0] != '{' || s[n - 1] != '}')
		return -EINVAL;
	if (mid) {
		q->answer = strndup(s, (size_t)(mid - s) + 1);
		q->before = strndup(mid + sizeof(sep) - 2, (size_t)(s + n - mid) - sizeof(sep) + 2);
		return q->answer && q->before ? 0 : -ENOMEM;
	}
	q->answer = strndup(s, n);
	return q->answer ? 0 : -ENOMEM;
}

/* The text after a key ("Ask: text"), as plain text. */
static int text_after(char **out, const char *s, size_t n, size_t key)
{
	const char *t = skip_blank(s + key, s + n);

	return (*out = lesson_plain(t, (size_t)(s + n - t))) ? 0 : -ENOMEM;
}

static int parse_part(struct lesson_question *q, const char *s, size_t n)
{
	if (n >= 4 && !memcmp(s, "Ask:", 4) && !q->ask)
		return text_after(&q->ask, s, n, 4);
	if (n >= 4 && !memcmp(s, "Why:", 4) && !q->why)
		return text_after(&q->why, s, n, 4);
	if (n >= 7 && !memcmp(s, "Answer:", 7) && !q->answer) {
		const char *a = skip_blank(s + 7, s + n);

		return parse_answer(q, a, (size_t)(s + n - a));
	}
	if (n >= 2 && !memcmp(s, "- ", 2))
		return parse_choice(q, s + 2, n - 2);
	return -EINVAL;
}

/* The item: "When: TRIGGER", then one part a line. Every part is needed, and two choices at least. */
int lesson_question_parse(struct lesson_question *q, const char *item, size_t n)
{
	const char *end = item + n, *line = item;
	int err = 0;

	memset(q, 0, sizeof(*q));
	while (line < end && !err) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = trim_end(line, (size_t)((nl ? nl : end) - line));

		if (line == item)
			err = len > 6 && !memcmp(line, "When: ", 6) ? parse_when(q, line + 6, trim_end(line + 6, len - 6))
								      : -EINVAL;
		else if (len)
			err = parse_part(q, line, len);
		line = nl ? nl + 1 : end;
	}
	if (!err && (!q->when || !q->ask || !q->answer || !q->why || q->nchoices < 2))
		err = -EINVAL;
	if (err)
		lesson_question_free(q);
	return err;
}

void lesson_question_free(struct lesson_question *q)
{
	free(q->when);
	free(q->ask);
	for (int i = 0; i < q->nchoices; i++) {
		free(q->choice[i]);
		free(q->value[i]);
	}
	free(q->answer);
	free(q->before);
	free(q->why);
	memset(q, 0, sizeof(*q));
}
