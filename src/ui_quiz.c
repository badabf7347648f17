// SPDX-License-Identifier: GPL-2.0
/* Predict, then see, in the TUI: a lesson's question held on screen until answered, then checked against the kernel. */
#include <stdio.h>
#include "i18n.h"
#include "lesson_bind.h"
#include "ui_impl.h"

#define RESULT_NS 10000000000ull /* how long a result stays on screen, unless a key closes it */

/* The replay clock asks after each event it applies: a question holds it there. */
static int replay_hold(void *ctx)
{
	struct ui *u = ctx;
	int playing = !u->clock.paused;

	if (!ui_quiz_applied(u, ui_now()))
		return 0;
	u->quiz_resume = playing;
	return 1;
}

int ui_quiz_init(struct ui *u)
{
	return lesson_quiz_new(&u->quiz, LESSON_FILL_PLAIN, "\u2026");
}

void ui_quiz_replay(struct ui *u)
{
	u->clock.hold = replay_hold;
	u->clock.hold_ctx = u;
}

void ui_quiz_fini(struct ui *u)
{
	lesson_quiz_free(u->quiz);
	u->quiz = NULL;
}

int ui_quiz_holds(const struct ui *u)
{
	return u->quiz && lesson_quiz_open(u->quiz) != NULL;
}

uint32_t ui_quiz_stop_mask(const struct ui *u)
{
	return lesson_quiz_stop_mask(session_lesson(u->s));
}

/* Live, the answer is written when it is decided: after every event recorded so far, and not before them in time. */
static void inject(struct ui *u, struct fs_event *e)
{
	const struct fs_event *last = session_count(u->s) ? session_peek(u->s, session_count(u->s) - 1) : NULL;

	if (last && last->ts > e->ts)
		e->ts = last->ts;
	/* a log too old for answers (recorded without --step) keeps only the kernel's events: -EPROTO */
	recorder_inject(u->rec, e);
}

/* A decided question: shown; live, its answer event goes into the recording as the learner's record. */
static void take_results(struct ui *u, uint64_t now)
{
	const struct quiz_entry *entry;
	struct fs_event e;

	while (lesson_quiz_result(u->quiz, &e, &entry)) {
		if (u->rec)
			inject(u, &e);
		u->result = *entry;
		u->result_until = now + RESULT_NS;
		u->vs.message[0] = '\0'; /* "now watch": it has been seen */
		u->dirty = 1;
	}
}

int ui_quiz_applied(struct ui *u, uint64_t now)
{
	int opened;

	if (!u->quiz)
		return 0;
	opened = lesson_quiz_update(u->quiz, u->s, u->predict);
	take_results(u, now); /* a result still on screen is shown with the question that opens */
	if (opened) {
		u->vs.message[0] = '\0';
		u->dirty = 1;
	}
	return opened;
}

void ui_quiz_after_jump(struct ui *u, uint64_t now)
{
	int was_open = ui_quiz_holds(u), opened = ui_quiz_applied(u, now), playing;

	if (!u->replay)
		return;
	if (was_open && !ui_quiz_holds(u)) /* left behind: play is as it was before the question */
		replay_set_paused(&u->clock, !u->quiz_resume, now);
	playing = !u->clock.paused;
	if (!opened)
		return;
	/* a jump that lands just past a trigger asks there, as playing would have */
	u->quiz_resume = playing;
	u->clock.paused = u->clock.holding = 1;
}

/*
 * The answer is in: play goes on as it was before the question. A live tree held at a
 * breakpoint stays held, the learner lets it go (s): it may be held at a later event than the
 * question's, which the learner has not seen yet.
 */
static void choose(struct ui *u, int choice, uint64_t now)
{
	int n = lesson_quiz_open(u->quiz)->nchoices;

	lesson_quiz_choose(u->quiz, choice);
	u->result_until = 0; /* the verdict shown above the question has been read */
	if (choice && !u->replay && u->rec && recorder_frozen(u->rec) && live_stepping(u))
		snprintf(u->vs.message, sizeof(u->vs.message), _("your answer: %d of %d; s lets the tree go on: watch what the kernel does"),
			 choice, n);
	else if (choice)
		snprintf(u->vs.message, sizeof(u->vs.message), _("your answer: %d of %d; now watch what the kernel does"),
			 choice, n);
	else
		snprintf(u->vs.message, sizeof(u->vs.message), "%s", _("skipped; the kernel will show the answer"));
	if (ui_quiz_applied(u, now))
		return; /* another question of the same moment: the clock keeps holding */
	if (u->replay)
		replay_set_paused(&u->clock, !u->quiz_resume, now);
}

/* p: the questions from now on, or no more (an open one is skipped: the kernel still answers it). */
static void toggle(struct ui *u, uint64_t now)
{
	const struct lesson *l = session_lesson(u->s);

	if (!l || !l->nquestions) {
		snprintf(u->vs.message, sizeof(u->vs.message), "%s", _("this lesson has no questions to predict"));
		return;
	}
	u->predict = !u->predict;
	if (!u->predict && ui_quiz_holds(u))
		choose(u, 0, now);
	snprintf(u->vs.message, sizeof(u->vs.message), "%s",
		 u->predict ? _("predict, then see: the lesson's questions are asked as their moment comes")
			    : _("no more questions (p asks them again)"));
}

int ui_quiz_key(struct ui *u, const struct tui_key *k, uint64_t now)
{
	const struct quiz_entry *q = u->quiz ? lesson_quiz_open(u->quiz) : NULL;

	if (k->code == TK_CHAR && k->ch == 'p') {
		toggle(u, now);
		return 1;
	}
	if (!q) {
		int shown = u->result_until != 0;

		u->result_until = 0; /* any key closes a result, and does what it does */
		return shown && k->code == TK_ESC;
	}
	if (k->code == TK_ESC)
		choose(u, 0, now);
	else if (k->code == TK_CHAR && k->ch >= '1' && k->ch < '1' + (uint32_t)q->nchoices)
		choose(u, (int)(k->ch - '0'), now);
	else if (k->code == TK_CHAR && (k->ch == ' ' || k->ch == '.' || k->ch == 's'))
		snprintf(u->vs.message, sizeof(u->vs.message), _("answer with 1-%d, or Esc to skip"), q->nchoices);
	else
		return 0; /* quitting, help, scrolling and seeking still work */
	return 1;
}

void ui_quiz_status(const struct ui *u, struct view_status *st, uint64_t now)
{
	st->question = u->quiz ? lesson_quiz_open(u->quiz) : NULL;
	st->result = u->result_until > now ? &u->result : NULL;
	st->quiz = u->quiz && lesson_quiz_count(u->quiz) > 0;
	st->predict = u->predict;
	st->questions = session_lesson(u->s) && session_lesson(u->s)->nquestions;
	if (u->quiz)
		lesson_quiz_score(u->quiz, &st->score_right, &st->score_answered);
}

uint64_t ui_quiz_due(struct ui *u, uint64_t now)
{
	if (!u->result_until)
		return UINT64_MAX;
	if (u->result_until > now)
		return u->result_until - now;
	u->result_until = 0; /* gone: one more frame without it */
	u->dirty = 1;
	return 0;
}
