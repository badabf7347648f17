// SPDX-License-Identifier: GPL-2.0
/* `forkscope lesson NAME LOG`: a lesson as text, with the values of that recorded session. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "dump.h"
#include "i18n.h"
#include "lesson_bind.h"
#include "lesson_print.h"
#include "lesson_quiz.h"
#include "log.h"
#include "session_find.h"
#include "source_replay.h"

#define TEXT_MAX 8192 /* a step's text, filled */

static void print_text(struct lesson_bind *b, const struct session *s, const char *text, FILE *out)
{
	char buf[TEXT_MAX];

	lesson_bind_fill(b, s, text, "\u2026", LESSON_FILL_CODE, buf, sizeof(buf), NULL);
	fputs(buf, out);
}

static void print_lesson(const struct lesson *l, const struct session *s, struct lesson_bind *b, FILE *out)
{
	lesson_bind_update(b, s, l->name);
	print_text(b, s, l->title ? l->title : l->name, out);
	fputs("\n", out);
	/* as the pane shows a step: its title on the number's line, the body below it */
	for (int i = 0; i < l->nsteps; i++) {
		fprintf(out, "\n%d. ", i + 1);
		print_text(b, s, l->steps[i].title, out);
		if (l->steps[i].body[0])
			fputs("\n   ", out), print_text(b, s, l->steps[i].body, out);
		fputs("\n", out);
	}
}

/* ---- the questions ------------------------------------------------------------------------ */

static const struct quiz_entry *asked(const struct lesson_quiz *q, const char *name, int number)
{
	for (size_t i = 0; i < lesson_quiz_count(q); i++) {
		const struct quiz_entry *e = lesson_quiz_entry(q, i);

		if (e->number == number && !strcmp(e->lesson, name))
			return e;
	}
	return NULL;
}

/* The learner's answer to question number in the log's answer events, or NULL. */
static const struct fs_event *answered(const struct session *s, const char *name, int number)
{
	for (size_t i = session_first(s); i < session_count(s); i++) {
		const struct fs_event *e = session_peek(s, i);

		if (e && e->type == FS_EV_ANSWER && e->answer.question == (__u32)number &&
		    !strncmp(e->answer.lesson, name, sizeof(e->answer.lesson)))
			return e;
	}
	return NULL;
}

static void print_answer(const struct fs_event *a, int *right, int *answers, FILE *out)
{
	if (!a->answer.choice) {
		fprintf(out, "   %s\n", _("your answer: skipped"));
		return;
	}
	(*answers)++;
	*right += a->answer.choice == a->answer.right;
	fprintf(out, a->answer.choice == a->answer.right ? _("   your answer: %u, right\n") : _("   your answer: %u, wrong\n"),
		a->answer.choice);
}

/* A question as this run asked it, the choice the kernel proved right marked, and the learner's answer. */
static void print_question(const struct session *s, const struct lesson_quiz *q, const char *name, int number,
			   int *right, int *answers, FILE *out)
{
	const struct quiz_entry *e = asked(q, name, number);
	const struct fs_event *a = answered(s, name, number);

	fprintf(out, "\n%d. ", number);
	if (!e) {
		fprintf(out, "%s\n", _("(not asked in this run: its trigger did not come, or its answer was known by then)"));
		return;
	}
	fprintf(out, "%s\n", e->ask);
	for (int c = 0; c < e->nchoices; c++)
		fprintf(out, " %s %d) %s\n", e->right == c + 1 ? "\u2192" : " ", c + 1, e->choices[c]);
	if (e->status != QUIZ_DECIDED)
		fprintf(out, "   %s\n", _("the kernel did not answer it in this run"));
	else if (e->right)
		fprintf(out, _("   the kernel's answer: %d. %s\n"), e->right, e->why);
	else
		fprintf(out, _("   the kernel did none of these (it said %s). %s\n"), e->got, e->why);
	if (a)
		print_answer(a, right, answers, out);
}

/* Each question with the kernel's answer of this run (every question skipped, to see them all). */
static void print_questions(const struct lesson *l, struct session *s, FILE *out)
{
	struct lesson_quiz *q;
	int right = 0, answers = 0;

	if (!l->nquestions || lesson_quiz_new(&q, LESSON_FILL_CODE, "\u2026"))
		return;
	session_seek(s, 0);
	while (session_apply_next(s, 0))
		if (lesson_quiz_update(q, s, 1))
			lesson_quiz_choose(q, 0);
	fprintf(out, "\n%s\n", _("Predict"));
	for (int k = 0; k < l->nquestions; k++)
		print_question(s, q, l->name, k + 1, &right, &answers, out);
	if (answers)
		fprintf(out, _("\nscore: %d of %d answers right\n"), right, answers);
	lesson_quiz_free(q);
}

/*
 * The whole log in a session, applied: the values are those of its end. The session follows
 * the lessons as the TUI's replay of it does (a tour's switch at each demo), for the questions.
 * A log cut short is warned about on err as dump and export do: its questions may not be asked.
 */
static int load(struct session **s, const char *log, const char *dir, const char *name, FILE *err, char *why,
		size_t len)
{
	struct replay_info info;

	if (session_new(s)) {
		snprintf(why, len, "%s", _("out of memory"));
		return 1;
	}
	if (replay_load(*s, log, &info, why, len))
		return 1;
	if (info.truncated)
		dump_warn_truncated(err, log);
	session_set_lesson(*s, dir, info.demo[0] ? info.demo : name);
	return session_seek(*s, session_count(*s)) ? 1 : 0;
}

int lesson_print(const char *name, const char *log, FILE *out, FILE *err)
{
	char dir[4096], why[512] = "";
	struct lesson *l = NULL;
	struct lesson_bind *b = NULL;
	struct session *s = NULL;
	int status = 1;

	if (session_find_dir("lessons", dir, sizeof(dir)) || lesson_load_lang(&l, dir, name)) {
		snprintf(why, sizeof(why), _("no lesson called '%s' (see 'forkscope demo --list')"), name);
		status = EXIT_USAGE; /* a bad argument, as with a demo's name */
	} else if (!load(&s, log, dir, name, err, why, sizeof(why)) && !lesson_bind_new(&b))
		status = 0;
	if (!status) {
		print_lesson(l, s, b, out);
		print_questions(l, s, out);
	}
	else
		fprintf(err, "forkscope: %s\n", why[0] ? why : _("out of memory"));
	lesson_bind_free(b);
	session_free(s);
	lesson_free(l);
	return status;
}
