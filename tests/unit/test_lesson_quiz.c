// SPDX-License-Identifier: GPL-2.0
/* lesson_quiz: the "## Predict" questions parsed, asked and decided against the bundled recordings. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "i18n.h"
#include "lesson_bind.h"
#include "lesson_quiz.h"
#include "recording.h"
#include "unit.h"

#define SEC_NS 1000000000ull

/* Each lesson's questions, and the choice the kernel proved right in its recording. */
static const struct {
	const char *name;
	int right[3];
} lessons[] = {
	{ "file", { 1 } },      { "fork", { 2, 1 } },   { "mqueue", { 2 } },  { "orphan", { 3 } },
	{ "pipe", { 1 } },      { "pool", { 1 } },      { "process", { 1 } }, { "queue", { 1 } },
	{ "semaphore", { 1 } }, { "shm", { 1 } },       { "signal", { 1 } },  { "socket", { 1 } },
	{ "states", { 2, 1 } }, { "subprocess", { 1 } }, { "tour", { 1 } },   { "zombie", { 1, 1 } },
};

/* A recording with its lesson, nothing applied yet. */
static struct session *load(const char *name)
{
	struct session *s = recording_load(name);

	if (s)
		session_set_lesson(s, "docs/lessons", name);
	return s;
}

/*
 * Plays s one event at a time as the TUI does; each question opened is answered with
 * choice(number), and nothing else may be applied meanwhile. Returns the questions asked.
 */
static int play(struct session *s, struct lesson_quiz *q, int (*choice)(const struct quiz_entry *), int *events)
{
	struct fs_event e;
	int opened = 0;

	*events = 0;
	while (session_apply_next(s, 0)) {
		if (lesson_quiz_update(q, s, 1)) {
			const struct quiz_entry *o = lesson_quiz_open(q);

			opened++;
			CHECK(o && o->asked_at + 1 == session_applied(s));
			CHECK(!strchr(o->ask, '{') && !strstr(o->ask, "\x01"));
			CHECK(lesson_quiz_choose(q, o->nchoices + 1) == -EINVAL);
			CHECK(lesson_quiz_choose(q, choice(o)) == 0);
		}
		while (lesson_quiz_result(q, &e, NULL)) {
			CHECK(e.type == FS_EV_ANSWER && e.answer.asked_seq < e.answer.decided_seq);
			(*events)++;
		}
	}
	return opened;
}

/* The right choice the table expects for question number of lesson name; -1 for an unknown lesson. */
static int expected(const char *name, int number)
{
	for (size_t i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++)
		if (!strcmp(lessons[i].name, name))
			return number >= 1 && number <= 3 ? lessons[i].right[number - 1] : -1;
	return -1;
}

static int first(const struct quiz_entry *e)
{
	(void)e;
	return 1;
}

/* Every lesson's recording asks each of its questions once, decides each, and as the list says. */
static void test_recordings(void)
{
	for (size_t i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++) {
		struct session *s = load(lessons[i].name);
		const struct lesson *l = s ? session_lesson(s) : NULL;
		struct lesson_quiz *q;
		int events, right, answered, n = 0;

		if (!l || lesson_quiz_new(&q, LESSON_FILL_PLAIN, "?")) {
			CHECK(!"lesson and recording");
			continue;
		}
		CHECK(l->nquestions >= 1 && l->nquestions <= 3);
		play(s, q, first, &events);
		/* the tour asks its demos' questions too, each in its demo's part, decided alike */
		for (size_t k = 0; k < lesson_quiz_count(q); k++) {
			const struct quiz_entry *e = lesson_quiz_entry(q, k);

			n += !strcmp(e->lesson, lessons[i].name);
			CHECK(e->status == QUIZ_DECIDED && e->number >= 1 && e->number <= 3);
			if (e->right != expected(e->lesson, e->number))
				fprintf(stderr, "%s in %s, question %d: right %d, got '%s'\n", e->lesson, lessons[i].name,
					e->number, e->right, e->got);
			CHECK(e->right == expected(e->lesson, e->number));
			/* every value the explanation names is known by the time it is said ('?' marks one that is not) */
			CHECK(e->why[0] && (strcmp(e->lesson, lessons[i].name) ||
					    !strchr(e->why, '?') == !strchr(l->questions[e->number - 1].why, '?')));
		}
		if (n != l->nquestions)
			fprintf(stderr, "%s: %d of %d questions asked\n", lessons[i].name, n, l->nquestions);
		CHECK(n == l->nquestions);
		CHECK((size_t)events == lesson_quiz_count(q));
		if (!strcmp(lessons[i].name, "tour")) /* every lesson's, the tour's own included */
			CHECK(lesson_quiz_count(q) == 19);
		lesson_quiz_score(q, &right, &answered);
		CHECK(answered == (int)lesson_quiz_count(q));
		lesson_quiz_free(q);
		session_free(s);
	}
}

/* The Chinese lessons ask the same questions: triggers, answers and values alike. */
static void test_same_in_chinese(void)
{
	for (size_t i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++) {
		struct lesson *en = NULL, *zh = NULL;
		char path[128];

		snprintf(path, sizeof(path), "docs/lessons/%s.md", lessons[i].name);
		lesson_load(&en, lessons[i].name, path);
		snprintf(path, sizeof(path), "docs/lessons/zh/%s.md", lessons[i].name);
		lesson_load(&zh, lessons[i].name, path);
		CHECK(en && zh && en->nquestions == zh->nquestions);
		for (int k = 0; en && zh && k < en->nquestions && k < zh->nquestions; k++) {
			const struct lesson_question *a = &en->questions[k], *b = &zh->questions[k];

			CHECK(!strcmp(a->when, b->when) && !strcmp(a->answer, b->answer));
			CHECK(!a->before == !b->before && (!a->before || !strcmp(a->before, b->before)));
			CHECK(a->nchoices == b->nchoices);
			for (int c = 0; c < a->nchoices && c < b->nchoices; c++)
				CHECK(!strcmp(a->value[c], b->value[c]));
		}
		lesson_free(en);
		lesson_free(zh);
	}
}

static const char page[] =
	"# t\n\n## Steps\n\n1. **Start.** go\n\n## Predict\n\n"
	"1. When: fork\n   Ask: What will `fork()`\n   return? - not a choice\n   - {fork.child}\n"
	"   - [0] zero,\n     the child\n   Answer: {fork_return@{fork.child}.ret}\n   Why: it did.\n"
	"2. When: mark(task N done)\n   Ask: q\n   - [yes] y\n   - [no] n\n   Answer: {zombie@{fork.child}.pid} before {reap.pid}\n   Why: w\n"
	"3. When: reap\n   Ask: not a trigger of live stepping\n   - a\n   - b\n   Answer: {exit.code}\n   Why: w\n"
	"4. When: fork\n   Ask: one choice only\n   - a\n   Answer: {exit.code}\n   Why: w\n"
	"5. When: exit\n   Ask: no why\n   - a\n   - b\n   Answer: {exit.code}\n"
	"6. When: exit\n   Ask: an answer that names no event\n   - a\n   - b\n   Answer: 0\n   Why: w\n"
	"7. When: mark\n   Ask: a mark without its text\n   - a\n   - b\n   Answer: {exit.code}\n   Why: w\n"
	"8. When: exec\n   Ask: five choices\n   - a\n   - b\n   - c\n   - d\n   - e\n   Answer: {exit.code}\n   Why: w\n"
	"\n## Questions\n\n1. Not a prediction.\n";

/* The syntax: what a question is made of, and the malformed ones left out. */
static void test_parse(void)
{
	struct lesson *l = NULL;
	const struct lesson_question *q;

	CHECK(lesson_parse(&l, "t", page, sizeof(page) - 1) == 0);
	if (!l)
		return;
	CHECK(l->nsteps == 1 && l->nquestions == 2);
	q = &l->questions[0];
	CHECK(!strcmp(q->when, "fork.parent") && q->when_type == FS_EV_FORK);
	CHECK(!strcmp(q->ask, "What will `fork()` return? - not a choice"));
	CHECK(q->nchoices == 2 && !strcmp(q->choice[0], "{fork.child}") && !strcmp(q->value[0], "{fork.child}"));
	CHECK(!strcmp(q->choice[1], "zero, the child") && !strcmp(q->value[1], "0"));
	CHECK(!strcmp(q->answer, "{fork_return@{fork.child}.ret}") && !q->before && !strcmp(q->why, "it did."));
	q = &l->questions[1];
	CHECK(!strcmp(q->when, "mark(task N done).pid") && q->when_type == FS_EV_MARK);
	CHECK(!strcmp(q->answer, "{zombie@{fork.child}.pid}") && !strcmp(q->before, "{reap.pid}"));
	CHECK(lesson_quiz_stop_mask(l) == (1u << FS_EV_FORK | 1u << FS_EV_MARK));
	CHECK(lesson_quiz_stop_mask(NULL) == 0);
	lesson_free(l);
}

static int skip(const struct quiz_entry *e)
{
	(void)e;
	return 0;
}

static int wrong(const struct quiz_entry *e)
{
	return e->nchoices; /* the last choice is never the right one in fork */
}

/* fork.jsonl: the question shows this run's pids; skipping is logged, a wrong choice scores nothing. */
static void test_fork_answers(void)
{
	struct session *s = load("fork");
	struct lesson_quiz *q;
	const struct quiz_entry *e;
	int events, right, answered;

	if (!s || lesson_quiz_new(&q, LESSON_FILL_PLAIN, "?"))
		return;
	CHECK(play(s, q, wrong, &events) == 2);
	lesson_quiz_score(q, &right, &answered);
	CHECK(right == 0 && answered == 2);
	e = lesson_quiz_entry(q, 0);
	CHECK(e && strstr(e->ask, "849 has just called fork(), and the kernel made 850"));
	CHECK(e && !strcmp(e->choices[0], "850") && !strcmp(e->choices[1], "0") && !strcmp(e->choices[2], "849"));
	CHECK(e && !strcmp(e->got, "0") && e->right == 2 && e->choice == 3);
	CHECK(e && !strncmp(e->why, "fork() returned 0 in the child 850:", 35));
	lesson_quiz_free(q);
	/* a seek back asks nothing again; a new engine skipping everything logs choice 0 */
	session_seek(s, 0);
	CHECK(lesson_quiz_new(&q, LESSON_FILL_CODE, "?") == 0);
	CHECK(play(s, q, skip, &events) == 2 && events == 2);
	lesson_quiz_score(q, &right, &answered);
	CHECK(right == 0 && answered == 0);
	e = lesson_quiz_entry(q, 0);
	CHECK(e && strstr(e->ask, "`fork()`") && e->choice == 0 && e->right == 2);
	lesson_quiz_free(q);
	session_free(s);
}

/* Seeking away from an open question closes it; a question whose answer is known is never asked. */
static void test_seek_and_known(void)
{
	struct session *s = load("fork");
	struct lesson_quiz *q;
	int opened = 0;

	if (!s || lesson_quiz_new(&q, LESSON_FILL_PLAIN, "?"))
		return;
	while (!opened && session_apply_next(s, 0))
		opened = lesson_quiz_update(q, s, 1);
	CHECK(opened && lesson_quiz_open(q));
	session_seek(s, session_count(s));
	CHECK(lesson_quiz_update(q, s, 1) == 0 && !lesson_quiz_open(q) && lesson_quiz_count(q) == 0);
	session_seek(s, 0);
	while (session_apply_next(s, 0))
		CHECK(lesson_quiz_update(q, s, 1) == 0 || lesson_quiz_choose(q, 1) == 0);
	CHECK(lesson_quiz_count(q) == 2);
	lesson_quiz_free(q);
	session_free(s);
}

static const char known_page[] =
	"# fork\n\n## Steps\n\n1. **Start.** go\n\n## Predict\n\n"
	"1. When: fork\n   Ask: answered by the trigger itself\n   - {fork.child}\n   - 0\n   Answer: {fork.child}\n   Why: w\n"
	"2. When: exit\n   Ask: answered before the trigger\n   - [yes] y\n   - [no] n\n"
	"   Answer: {fork_return@{fork.child}.pid} before {reap.pid}\n   Why: w\n"
	"3. When: fork\n   Ask: a choice not known yet\n   - {exit.code}\n   - 0\n   Answer: {exit.code}\n   Why: w\n"
	"4. When: exit@{fork.child}\n   Ask: asked {fork.child}\n   - {fork.parent}\n   - [*] other\n"
	"   Answer: {zombie@{fork.child}.pid}\n   Why: w\n"
	"5. When: exit@{fork.child}\n   Ask: due at the same event as 4, asked after it\n   - [yes] y\n   - [no] n\n"
	"   Answer: {zombie@{fork.child}.pid} before {reap@{fork.child}.pid}\n   Why: zombie {zombie@{fork.child}.pid}\n"
	"6. When: fork\n   Ask: code spans\n   - `{fork.child}`\n   - `0`\n   Answer: {fork_return@{fork.child}.ret}\n   Why: w\n";

/*
 * A question whose answer is known when its trigger comes is never asked, nor one whose choices
 * cannot be filled then; two due at one event are asked one after the other, the second at once.
 * (Filled as lesson prints them, with their code spans.)
 */
static void test_never_known(void)
{
	char dir[] = "/tmp/test_lesson_quiz.XXXXXX", path[64];
	struct session *s = recording_load("fork");
	struct lesson_quiz *q;
	const struct quiz_entry *e;
	FILE *f;
	int opened = 0;

	if (!s || !mkdtemp(dir) || lesson_quiz_new(&q, LESSON_FILL_CODE, "?"))
		return;
	snprintf(path, sizeof(path), "%s/fork.md", dir);
	f = fopen(path, "w");
	fputs(known_page, f);
	fclose(f);
	session_set_lesson(s, dir, "fork");
	CHECK(session_lesson(s) && session_lesson(s)->nquestions == 6);
	while (session_apply_next(s, 0)) {
		int open = lesson_quiz_update(q, s, 1);

		opened += open;
		/* the second one due at this event opens once the first is answered, without another event */
		while (open && lesson_quiz_choose(q, 1) == 0 && (open = lesson_quiz_update(q, s, 1)))
			opened++;
	}
	CHECK(opened == 3 && lesson_quiz_count(q) == 3);
	/* a choice's value is compared as plain text, its text keeps the code span */
	e = lesson_quiz_entry(q, 0);
	CHECK(e && e->number == 6 && !strcmp(e->choices[1], "`0`") && e->right == 2);
	e = lesson_quiz_entry(q, 1);
	CHECK(e && e->number == 4 && !strcmp(e->ask, "asked 850") && !strcmp(e->choices[0], "849") && e->right == 2);
	e = lesson_quiz_entry(q, 2);
	CHECK(e && e->number == 5 && e->right == 1 && !strcmp(e->why, "zombie 850"));
	lesson_quiz_free(q);
	session_free(s);
	unlink(path);
	rmdir(dir);
}

/* The replay clock's hold hook: the question's engine, as the TUI wires it. */
static int hold(void *ctx)
{
	void **c = ctx;

	return lesson_quiz_update(c[0], c[1], 1);
}

/*
 * Playing at any speed, the clock stops at the trigger itself, not at the end of its batch, and
 * applies nothing more, even what is due, until it is set playing again; a step holds as well.
 */
static void test_clock_holds(void)
{
	struct session *s = load("fork");
	struct lesson_quiz *q;
	struct replay_clock c;
	void *ctx[2];
	size_t at;

	if (!s || lesson_quiz_new(&q, LESSON_FILL_PLAIN, "?"))
		return;
	ctx[0] = q, ctx[1] = s;
	replay_clock_init(&c, 256, 0);
	c.hold = hold, c.hold_ctx = ctx;
	replay_advance(&c, s, 10 * SEC_NS, 1);
	at = session_applied(s);
	CHECK(lesson_quiz_open(q) && lesson_quiz_open(q)->asked_at + 1 == at && c.paused && c.holding);
	CHECK(session_peek(s, at - 1)->type == FS_EV_FORK && c.pos == session_peek(s, at - 1)->ts);
	CHECK(replay_advance(&c, s, 20 * SEC_NS, 2) == 0 && session_applied(s) == at);
	CHECK(lesson_quiz_choose(q, 2) == 0);
	replay_set_paused(&c, 0, 20 * SEC_NS);
	CHECK(!c.holding && replay_advance(&c, s, 30 * SEC_NS, 3) > 0 && lesson_quiz_open(q));
	CHECK(lesson_quiz_choose(q, 1) == 0 && lesson_quiz_count(q) == 2);
	/* stepping onto a trigger holds too: back before the mark of the second question, then one step */
	at = lesson_quiz_entry(q, 1)->asked_at;
	lesson_quiz_free(q);
	CHECK(lesson_quiz_new(&q, LESSON_FILL_PLAIN, "?") == 0);
	ctx[0] = q;
	replay_seek(&c, s, at, 40 * SEC_NS);
	replay_step(&c, s, 1, 40 * SEC_NS, 4);
	CHECK(session_applied(s) == at + 1 && lesson_quiz_open(q) && c.paused && c.holding);
	lesson_quiz_free(q);
	session_free(s);
}

int main(void)
{
	i18n_init("en");
	test_parse();
	test_recordings();
	test_same_in_chinese();
	test_fork_answers();
	test_seek_and_known();
	test_never_known();
	test_clock_holds();
	return UNIT_DONE("test_lesson_quiz");
}
