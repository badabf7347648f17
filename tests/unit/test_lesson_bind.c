// SPDX-License-Identifier: GPL-2.0
/* lesson_bind: placeholders filled from the bundled recordings, as the learner replays them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lesson_bind.h"
#include "recording.h"
#include "unit.h"

/* A recording with every event applied. */
static struct session *load(const char *name)
{
	struct session *s = recording_load(name);

	if (s && session_seek(s, session_count(s))) {
		session_free(s);
		return NULL;
	}
	return s;
}

/* The text filled for the lesson called name in s as it is now. */
static const char *fill(struct lesson_bind *b, const struct session *s, const char *name, const char *text,
			struct lesson_value *link)
{
	static char out[512];

	lesson_bind_update(b, s, name);
	lesson_bind_fill(b, s, text, "?", LESSON_FILL_PLAIN, out, sizeof(out), link);
	return out;
}

/* fork.jsonl: parent 849, child 850; the values are this run's, and a step links to its first. */
static void test_fork(void)
{
	struct session *s = load("fork");
	struct lesson_bind *b;
	struct lesson_value v;

	if (!s || lesson_bind_new(&b))
		return;
	CHECK(!strcmp(fill(b, s, "fork", "`fork` ({fork.parent} created {fork.child})", &v), "fork (849 created 850)"));
	CHECK(v.event != SIZE_MAX && v.pid == 849);
	CHECK(!strcmp(fill(b, s, "fork", "{fork_return1.pid}:{fork_return1.ret} {fork_return2.pid}:{fork_return2.ret}", NULL),
		      "849:850 850:0"));
	CHECK(!strcmp(fill(b, s, "fork", "{exit.code} {exit2.pid} {reap.child} {signal.sig}", NULL), "0 849 850 SIGCHLD"));
	CHECK(!strcmp(fill(b, s, "fork", "{mark(fork returned PID in parent).PID} by {mark(waitpid).pid}", NULL),
		      "850 by 849"));
	/* KIND@PID: the event about that process; zombie and blocked are states */
	CHECK(!strcmp(fill(b, s, "fork", "{fork_return@850.ret} {fork_return@849.ret} {reap@850.pid} {exit@849.code}", NULL),
		      "0 850 849 0"));
	CHECK(!strcmp(fill(b, s, "fork", "{zombie@850.pid} {blocked@849.syscall} {fork@850.child} {signal@849.sig}", NULL),
		      "850 clock_nanosleep ? SIGCHLD"));
	CHECK(!strcmp(fill(b, s, "fork", "{fork@x.child} {fork@.child} {fork@0.child} {fork@8x.child}", NULL),
		      "{fork@x.child} {fork@.child} {fork@0.child} {fork@8x.child}"));
	/* not placeholders: kept as written */
	CHECK(!strcmp(fill(b, s, "fork", "{} {nope.pid} {fork.nope} {fork0.child} a { b", &v), "{} {nope.pid} {fork.nope} {fork0.child} a { b"));
	CHECK(v.event == SIZE_MAX);
	/* not happened yet: the marker, until it has */
	CHECK(!strcmp(fill(b, s, "fork", "{fork3.child}", NULL), "?"));
	session_seek(s, 5);
	CHECK(!strcmp(fill(b, s, "fork", "{fork.child} {exec.pid}", NULL), "? 849"));
	session_seek(s, session_count(s));
	CHECK(!strcmp(fill(b, s, "fork", "{fork.child} {exec.pid}", NULL), "850 849"));
	lesson_bind_free(b);
	session_free(s);
}

/* pool: the worker that took task 4; pipe: the bytes; the tour: each demo's own part. */
static void test_marks_and_tour(void)
{
	struct session *s = load("pool"), *t = load("tour");
	struct lesson_bind *b;

	if (!s || !t || lesson_bind_new(&b))
		return;
	CHECK(!strcmp(fill(b, s, "pool", "{mark(task 4 started on worker W).W} {mark(task 4 started on worker W).pid}", NULL),
		      "2 1063"));
	CHECK(!strcmp(fill(b, t, "fork", "{fork.parent} {fork.child}", NULL), "1689 1690"));
	CHECK(!strcmp(fill(b, t, "fork", "{fork9.child}", NULL), "?")); /* not from the next demo */
	/* nor the 0 the tour's own fork of the demo returned in it: the demo's fork returned twice */
	CHECK(!strcmp(fill(b, t, "fork", "{fork_return1.ret} in {fork_return1.pid}, {fork_return2.ret} in {fork_return2.pid}",
			   NULL), "1690 in 1689, 0 in 1690"));
	CHECK(!strcmp(fill(b, t, "zombie", "{reap.child}", NULL), "1867"));
	lesson_bind_free(b);
	session_free(s);
	session_free(t);
}

/* The placeholders of one lesson's text, each resolved in the demo's own recording. */
static void check_all_known(struct lesson_bind *b, const struct session *s, const char *name, const char *text)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');
		struct lesson_value v;
		int err = close ? lesson_bind_get(b, s, p + 1, (size_t)(close - p) - 1, &v) : -EINVAL;

		if (err)
			fprintf(stderr, "%s: {%.*s}: %s\n", name, close ? (int)(close - p) - 1 : 8, p + 1,
				err == -ENOENT ? "no such event in its recording" : "not a placeholder");
		CHECK(err == 0);
	}
}

/* Every lesson, in both languages: no placeholder that its bundled recording leaves unknown. */
static void test_every_lesson(void)
{
	for (size_t i = 0; i < sizeof(recordings) / sizeof(recordings[0]); i++) {
		struct session *s = load(recordings[i]);
		struct lesson_bind *b;

		for (int zh = 0; s && zh < 2 && !lesson_bind_new(&b); zh++) {
			struct lesson *l;
			char path[128];

			snprintf(path, sizeof(path), "docs/lessons/%s%s.md", zh ? "zh/" : "", recordings[i]);
			CHECK(lesson_load(&l, recordings[i], path) == 0);
			lesson_bind_update(b, s, recordings[i]);
			for (int k = 0; l && k < l->nsteps; k++) {
				check_all_known(b, s, path, l->steps[k].title);
				check_all_known(b, s, path, l->steps[k].body);
			}
			lesson_free(l);
			lesson_bind_free(b);
		}
		session_free(s);
	}
}

int main(void)
{
	test_fork();
	test_marks_and_tour();
	test_every_lesson();
	return UNIT_DONE("test_lesson_bind");
}
