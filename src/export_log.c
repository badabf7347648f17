// SPDX-License-Identifier: GPL-2.0
/* The export formats that stay a log: jsonl (written by the log writer) and text (as dump prints it). */
#include <errno.h>
#include <stdlib.h>

#include "dump.h"
#include "export_impl.h"
#include "log.h"

#define LINE_BUF (16 * 1024) /* more than any escaped event line */

struct log_out {
	FILE *out;
	struct fs_log_writer *w; /* jsonl */
	uint64_t kept;
	char line[LINE_BUF];     /* text */
};

static int log_begin(const struct export_ctx *x, void **state, int json)
{
	struct log_out *s = calloc(1, sizeof(*s));
	int ret = 0;

	*state = s;
	if (!s)
		return -ENOMEM;
	s->out = x->out;
	if (!json) {
		dump_print_header(s->out, x->hdr);
		return 0;
	}
	ret = log_writer_open_stream(&s->w, s->out);
	return ret ? ret : log_writer_header(s->w, x->hdr);
}

static int jsonl_begin(const struct export_ctx *x, void **state)
{
	return log_begin(x, state, 1);
}

static int text_begin(const struct export_ctx *x, void **state)
{
	return log_begin(x, state, 0);
}

static int log_event(void *state, const struct fs_event *e, int kept, const struct export_step *st)
{
	struct log_out *s = state;

	(void)st;
	if (!kept)
		return 0;
	s->kept++;
	if (s->w)
		return log_writer_event(s->w, e);
	dump_event_text(s->line, sizeof(s->line), e);
	fprintf(s->out, "%s\n", s->line);
	return 0;
}

/* The end line counts the events this file holds, so the export is a consistent log. */
static int log_finish(void *state, const struct fs_log_end *end, uint64_t t_end)
{
	struct log_out *s = state;
	struct fs_log_end mine;
	int ret = 0, cret;

	(void)t_end;
	if (end) {
		mine = *end;
		mine.events = s->kept;
		if (s->w)
			ret = log_writer_end(s->w, &mine);
		else
			dump_print_end(s->out, &mine);
	}
	cret = log_writer_close(s->w); /* flushes; the stream stays open */
	s->w = NULL;
	return ret ? ret : cret;
}

static void log_free(void *state)
{
	struct log_out *s = state;

	if (s)
		log_writer_close(s->w);
	free(s);
}

const struct export_format export_jsonl = {
	.name = "jsonl", .begin = jsonl_begin, .event = log_event, .finish = log_finish, .free = log_free,
};

const struct export_format export_text = {
	.name = "text", .begin = text_begin, .event = log_event, .finish = log_finish, .free = log_free,
};
