// SPDX-License-Identifier: GPL-2.0
/* Predict, then see: a lesson's questions asked at their trigger and checked against the kernel's later events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "lesson_bind.h"
#include "lesson_quiz.h"

#define PH_NAME 200      /* a placeholder's name, its own placeholders filled */
#define UNKNOWN "\x01"   /* marks a placeholder without a value: such a text cannot be asked */

/* An entry and what deciding it needs. */
struct item {
	struct quiz_entry e;
	const struct lesson_question *lq; /* in the session's lesson, which lives as long as the session */
	struct lesson_bind *b;            /* the entry's own lesson, which a tour may have left since */
	char answer[PH_NAME], before[PH_NAME]; /* the placeholders, as this session's */
	char values[LESSON_CHOICES_MAX][48];   /* the choices' values, compared with the answer's */
	int reported;                     /* lesson_quiz_result gave it */
};

struct lesson_quiz {
	struct item *items;
	size_t n, cap;
	struct lesson_bind *b; /* the current lesson's, for the triggers */
	int flags;
	char unknown[16];
	long open;             /* the open item, or -1 */
};

int lesson_quiz_new(struct lesson_quiz **out, int flags, const char *unknown)
{
	struct lesson_quiz *q = calloc(1, sizeof(*q));

	if (!q || lesson_bind_new(&q->b)) {
		free(q);
		return -ENOMEM;
	}
	q->flags = flags;
	q->open = -1;
	snprintf(q->unknown, sizeof(q->unknown), "%s", unknown);
	*out = q;
	return 0;
}

void lesson_quiz_free(struct lesson_quiz *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		lesson_bind_free(q->items[i].b);
	free(q->items);
	lesson_bind_free(q->b);
	free(q);
}

/* ---- filling ------------------------------------------------------------------------------ */

/*
 * text with its placeholders filled, nested ones too ({fork_return@{fork.child}.ret}: the inner
 * one first, then the one it made); -ENOENT when one has no value yet (and unknown is UNKNOWN).
 */
static int fill(int flags, struct lesson_bind *b, const struct session *s, const char *text, const char *unknown,
		char *out, size_t len)
{
	char inner[QUIZ_TEXT];

	lesson_bind_fill(b, s, text, unknown, flags, inner, sizeof(inner), NULL);
	lesson_bind_fill(b, s, inner, unknown, flags, out, len, NULL);
	return strstr(out, UNKNOWN) ? -ENOENT : 0;
}

/* A placeholder's name (n bytes, no braces) with the pids it names filled: "exit@{fork.child}.pid" -> "exit@850.pid". */
static int resolve(struct lesson_bind *b, const struct session *s, const char *ph, size_t n, char *out, size_t len)
{
	char name[PH_NAME];

	if (n >= sizeof(name))
		return -EINVAL;
	memcpy(name, ph, n);
	name[n] = '\0';
	lesson_bind_fill(b, s, name, UNKNOWN, LESSON_FILL_CODE, out, len, NULL);
	return strstr(out, UNKNOWN) ? -ENOENT : 0;
}

/* "{NAME}" resolved into out; "" stays "" (no before). */
static int resolve_braced(struct lesson_bind *b, const struct session *s, const char *ph, char *out, size_t len)
{
	out[0] = '\0';
	return ph ? resolve(b, s, ph + 1, strlen(ph) - 2, out, len) : 0;
}

static int known(struct lesson_bind *b, const struct session *s, const char *name, struct lesson_value *v)
{
	return name[0] && !lesson_bind_get(b, s, name, strlen(name), v);
}

/*
 * Whether the kernel has answered: the answer's value, or for "A before B" yes when A's event
 * came first and no when B's did. 1 with got and the deciding event in *v, else 0.
 */
static int evaluate(struct item *it, const struct session *s, struct lesson_value *v)
{
	struct lesson_value a, b;
	int ka = known(it->b, s, it->answer, &a), kb = known(it->b, s, it->before, &b);

	if (!it->before[0] && ka)
		*v = a, snprintf(it->e.got, sizeof(it->e.got), "%s", a.text);
	else if (it->before[0] && ka && (!kb || a.event < b.event))
		*v = a, snprintf(it->e.got, sizeof(it->e.got), "yes");
	else if (it->before[0] && kb)
		*v = b, snprintf(it->e.got, sizeof(it->e.got), "no");
	else
		return 0;
	return 1;
}

/* ---- asking ------------------------------------------------------------------------------- */

static int asked(const struct lesson_quiz *q, const char *lesson, int number)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->items[i].e.number == number && !strcmp(q->items[i].e.lesson, lesson))
			return 1;
	return 0;
}

/* The texts as the learner reads them, and the values the answer is compared with: all known now. */
static int fill_question(const struct lesson_quiz *q, struct item *it, const struct session *s)
{
	const struct lesson_question *lq = it->lq;
	int err = fill(q->flags, it->b, s, lq->ask, UNKNOWN, it->e.ask, sizeof(it->e.ask));

	for (int c = 0; c < lq->nchoices && !err; c++) {
		err = fill(q->flags, it->b, s, lq->choice[c], UNKNOWN, it->e.choices[c], sizeof(it->e.choices[c]));
		/* a value is compared as plain text, whatever the texts keep: "`0`" is 0 */
		if (!err)
			err = fill(LESSON_FILL_PLAIN, it->b, s, lq->value[c], UNKNOWN, it->values[c], sizeof(it->values[c]));
	}
	it->e.nchoices = lq->nchoices;
	return err;
}

/* Makes the item for question k asked at event i; -ENOENT when it cannot or must not be asked. */
static int prepare(const struct lesson_quiz *q, struct item *it, const struct session *s, const struct lesson *l,
		   int k, size_t i)
{
	const struct lesson_question *lq = &l->questions[k];
	struct lesson_value v;

	memset(it, 0, sizeof(*it));
	it->lq = lq;
	if (lesson_bind_new(&it->b))
		return -ENOMEM;
	lesson_bind_update(it->b, s, l->name);
	snprintf(it->e.lesson, sizeof(it->e.lesson), "%s", l->name);
	it->e.number = k + 1;
	it->e.status = QUIZ_OPEN;
	it->e.asked_at = i;
	it->e.asked_seq = session_peek(s, i)->seq;
	if (resolve_braced(it->b, s, lq->answer, it->answer, sizeof(it->answer)) ||
	    resolve_braced(it->b, s, lq->before, it->before, sizeof(it->before)))
		return -ENOENT;
	if (evaluate(it, s, &v)) /* known before it is asked: it would teach nothing */
		return -ENOENT;
	return fill_question(q, it, s);
}

static int add_item(struct lesson_quiz *q, const struct item *it)
{
	if (grow_array(&q->items, &q->cap, q->n + 1, sizeof(*q->items)))
		return -ENOMEM;
	q->items[q->n++] = *it;
	return 0;
}

static int try_open(struct lesson_quiz *q, const struct session *s, const struct lesson *l, int k, size_t i)
{
	struct item it;

	if (prepare(q, &it, s, l, k, i) || add_item(q, &it)) {
		lesson_bind_free(it.b);
		return 0;
	}
	q->open = (long)q->n - 1;
	return 1;
}

/* The first question of l whose trigger is event i, the one just applied, opens. */
static int ask_due(struct lesson_quiz *q, const struct session *s, const struct lesson *l, size_t i)
{
	char name[PH_NAME];
	struct lesson_value v;

	for (int k = 0; k < l->nquestions; k++) {
		const char *when = l->questions[k].when;

		if (asked(q, l->name, k + 1) || resolve(q->b, s, when, strlen(when), name, sizeof(name)))
			continue;
		if (known(q->b, s, name, &v) && v.event == i && try_open(q, s, l, k, i))
			return 1;
	}
	return 0;
}

/* ---- answering ---------------------------------------------------------------------------- */

static void decide(struct lesson_quiz *q, struct item *it, const struct session *s, const struct lesson_value *v)
{
	const struct fs_event *e = session_peek(s, v->event);

	/* the value "*" is the choice for anything the others do not name */
	it->e.right = 0;
	for (int c = 0; c < it->e.nchoices; c++)
		if (!strcmp(it->values[c], it->e.got) || (!it->e.right && !strcmp(it->values[c], "*")))
			it->e.right = c + 1;
	it->e.decided_seq = e ? e->seq : 0;
	it->e.decided_ts = e ? e->ts : 0;
	it->e.decided_pid = v->pid;
	fill(q->flags, it->b, s, it->lq->why, q->unknown, it->e.why, sizeof(it->e.why));
	it->e.status = QUIZ_DECIDED;
}

static void decide_waiting(struct lesson_quiz *q, const struct session *s)
{
	struct lesson_value v;

	for (size_t i = 0; i < q->n; i++) {
		struct item *it = &q->items[i];

		if (it->e.status != QUIZ_WAITING)
			continue;
		lesson_bind_update(it->b, s, it->e.lesson);
		if (evaluate(it, s, &v))
			decide(q, it, s, &v);
	}
}

/* A seek took the session away from the open question's event: it goes, to be asked again there. */
static void drop_open(struct lesson_quiz *q)
{
	lesson_bind_free(q->items[q->open].b);
	memmove(&q->items[q->open], &q->items[q->open + 1], (q->n - (size_t)q->open - 1) * sizeof(*q->items));
	q->n--;
	q->open = -1;
}

int lesson_quiz_update(struct lesson_quiz *q, const struct session *s, int ask)
{
	const struct lesson *l = session_lesson(s);
	size_t applied = session_applied(s);

	if (q->open >= 0 && applied != q->items[q->open].e.asked_at + 1)
		drop_open(q);
	decide_waiting(q, s);
	if (!ask || !l || !applied || applied <= session_first(s))
		return 0;
	lesson_bind_update(q->b, s, l->name);
	return q->open < 0 && ask_due(q, s, l, applied - 1);
}

const struct quiz_entry *lesson_quiz_open(const struct lesson_quiz *q)
{
	return q->open >= 0 ? &q->items[q->open].e : NULL;
}

int lesson_quiz_choose(struct lesson_quiz *q, int choice)
{
	struct item *it = q->open >= 0 ? &q->items[q->open] : NULL;

	if (!it || choice < 0 || choice > it->e.nchoices)
		return -EINVAL;
	it->e.choice = choice;
	it->e.status = QUIZ_WAITING;
	q->open = -1;
	return 0;
}

int lesson_quiz_result(struct lesson_quiz *q, struct fs_event *e, const struct quiz_entry **entry)
{
	for (size_t i = 0; i < q->n; i++) {
		struct item *it = &q->items[i];

		if (it->e.status != QUIZ_DECIDED || it->reported)
			continue;
		it->reported = 1;
		memset(e, 0, sizeof(*e));
		e->type = FS_EV_ANSWER;
		e->ts = it->e.decided_ts;
		e->pid = e->tid = it->e.decided_pid;
		snprintf(e->comm, sizeof(e->comm), "forkscope");
		e->answer.question = (__u32)it->e.number;
		e->answer.choice = (__u32)it->e.choice;
		e->answer.right = (__u32)it->e.right;
		e->answer.asked_seq = it->e.asked_seq;
		e->answer.decided_seq = it->e.decided_seq;
		snprintf(e->answer.lesson, sizeof(e->answer.lesson), "%s", it->e.lesson);
		if (entry)
			*entry = &it->e;
		return 1;
	}
	return 0;
}

size_t lesson_quiz_count(const struct lesson_quiz *q)
{
	return q->n;
}

const struct quiz_entry *lesson_quiz_entry(const struct lesson_quiz *q, size_t i)
{
	return i < q->n ? &q->items[i].e : NULL;
}

void lesson_quiz_score(const struct lesson_quiz *q, int *right, int *answered)
{
	*right = *answered = 0;
	for (size_t i = 0; i < q->n; i++) {
		const struct quiz_entry *e = &q->items[i].e;

		if (e->status != QUIZ_DECIDED || !e->choice)
			continue;
		(*answered)++;
		*right += e->choice == e->right;
	}
}

uint32_t lesson_quiz_stop_mask(const struct lesson *l)
{
	uint32_t mask = 0;

	for (int k = 0; l && k < l->nquestions; k++)
		mask |= 1u << l->questions[k].when_type;
	return mask;
}
