// SPDX-License-Identifier: GPL-2.0
/* `forkscope lesson NAME LOG`: a lesson as text, with the values of that recorded session. */
#include <stdlib.h>
#include "i18n.h"
#include "lesson_bind.h"
#include "lesson_print.h"
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

/* The whole log in a session, applied: the values are those of its end. */
static int load(struct session **s, const char *log, char *why, size_t len)
{
	struct replay_info info;

	if (session_new(s)) {
		snprintf(why, len, "%s", _("out of memory"));
		return 1;
	}
	if (replay_load(*s, log, &info, why, len))
		return 1;
	return session_seek(*s, session_count(*s)) ? 1 : 0;
}

int lesson_print(const char *name, const char *log, FILE *out, FILE *err)
{
	char dir[4096], why[512] = "";
	struct lesson *l = NULL;
	struct lesson_bind *b = NULL;
	struct session *s = NULL;
	int status = 1;

	if (session_find_dir("lessons", dir, sizeof(dir)) || lesson_load_lang(&l, dir, name))
		snprintf(why, sizeof(why), _("no lesson called '%s' (see 'forkscope demo --list')"), name);
	else if (!load(&s, log, why, sizeof(why)) && !lesson_bind_new(&b))
		status = 0;
	if (!status)
		print_lesson(l, s, b, out);
	else
		fprintf(err, "forkscope: %s\n", why[0] ? why : _("out of memory"));
	lesson_bind_free(b);
	session_free(s);
	lesson_free(l);
	return status;
}
