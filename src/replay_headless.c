// SPDX-License-Identifier: GPL-2.0
/* `replay --headless`: a log through the replay source, the model and the narration at full speed, as text. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dump.h"
#include "i18n.h"
#include "log.h"
#include "narrate.h"
#include "replay_headless.h"
#include "session.h"
#include "source_replay.h"
#include "strbuf.h"
#include "view_grid.h"

#define KEEP_EVENTS 64 /* only the event being told is needed: a store this small stays in the cache */
#define SENTENCE_BUF 1024 /* as in the TUI's event pane */
#define OUT_BUF (64 * 1024) /* text is written out in chunks about this big, not line by line */

struct headless {
	struct session *s;
	struct view_grid g; /* one row: the sentence drawn as the event pane draws it */
	FILE *out;
	struct strbuf o; /* text not written out yet */
	char buf[OUT_BUF];
};

/* Writes out what the buffer holds; errors show in ferror(out). */
static void out_flush(struct headless *h)
{
	fwrite(h->o.buf, 1, h->o.pos, h->out);
	h->o.pos = 0;
}

/* Appends n bytes (a line or less, far less than OUT_BUF), writing the buffer out first if they do not fit. */
static void out_put(struct headless *h, const char *text, size_t n)
{
	if (h->o.len - h->o.pos < n)
		out_flush(h);
	strbuf_put(&h->o, text, n);
}

/* Printable ASCII, which the pane draws as it is: the usual sentence, told without the grid. */
static size_t plain_len(const char *text)
{
	size_t n = 0, keep = 0;

	for (; text[n]; n++) {
		if (text[n] < 0x20 || text[n] > 0x7e)
			return SIZE_MAX;
		if (text[n] != ' ')
			keep = n + 1;
	}
	return keep; /* like a grid row, without its trailing blanks */
}

/* The sentence as the TUI's event pane shows it: controls as ^X, bytes that are no text as \xNN. */
static int put_sentence(struct headless *h, const char *text)
{
	size_t n = plain_len(text);
	int w;
	char *line;

	if (n != SIZE_MAX) {
		out_put(h, text, n);
		out_put(h, "\n", 1);
		return 0;
	}
	n = strlen(text);
	w = view_text_width(&view_glyphs_utf8, text, n);

	if (view_grid_resize(&h->g, w > 0 ? w : 1, 1))
		return -ENOMEM;
	view_put(&h->g, &view_glyphs_utf8, (struct view_rect){ 0, 0, h->g.w, 1 }, 0, 0, text, n,
		 VR_NORMAL, 0);
	line = view_grid_text(&h->g, 0);
	if (!line)
		return -ENOMEM;
	out_put(h, line, strlen(line));
	free(line);
	return 0;
}

/* Applies the event just read, as the TUI's replay does, and tells it with its time. */
static int tell_next(struct headless *h)
{
	const struct fs_event *e = session_peek(h->s, session_applied(h->s));
	char text[SENTENCE_BUF], time[64];
	struct strbuf t = { time, sizeof(time), 0 };
	int err;

	if (!e || !session_apply_next(h->s, 0))
		return 0;
	narrate_event(text, sizeof(text), e);
	strbuf_time(&t, e->ts);
	strbuf_put(&t, "  ", 2);
	out_put(h, time, t.pos);
	err = put_sentence(h, text);
	session_trim(h->s, KEEP_EVENTS);
	return err;
}

/* Every event up to the end or the first bad line; 0, or -errno with the reason in err. */
static int replay_all(struct headless *h, struct fs_log_reader *r, struct replay_info *info, char *err,
		      size_t errlen)
{
	int ret, terr = 0;

	while ((ret = replay_read(r, h->s, info, err, errlen)) > 0 && !(terr = tell_next(h)))
		;
	if (terr)
		snprintf(err, errlen, "%s: %s", log_reader_name(r), strerror(-terr));
	return ret < 0 ? ret : terr;
}

/* What the model concluded: every incarnation is live, a zombie or reaped. */
static void print_summary(FILE *out, const struct session *s)
{
	const struct fs_model *m = session_model(s);

	fprintf(out, _("# model: processes seen %llu, still live %zu, zombies %zu, reaped %llu, "
		       "exit unknown %llu; events %zu, lost %llu, anomalies %llu\n"),
		(unsigned long long)model_seen_total(m), model_live_count(m), model_zombie_count(m),
		(unsigned long long)model_reaped_total(m), (unsigned long long)model_exit_unknown_total(m),
		session_applied(s), (unsigned long long)model_lost(m), (unsigned long long)model_anomalies(m));
}

int replay_headless(const char *path, FILE *out, FILE *errout)
{
	struct headless h = { .out = out, .o = { h.buf, sizeof(h.buf), 0 } };
	struct fs_log_reader *r = NULL;
	struct replay_info info;
	char err[512];
	int ret = session_new(&h.s);

	if (ret)
		snprintf(err, sizeof(err), "%s: %s", path, strerror(-ret));
	else if (!(ret = replay_open(&r, h.s, path, &info, err, sizeof(err))))
		ret = replay_all(&h, r, &info, err, sizeof(err));
	out_flush(&h);
	if (ret)
		fprintf(errout, "forkscope: %s\n", err);
	if (r) /* what the complete events made of the model, even before a bad line */
		print_summary(out, h.s);
	if (r && !ret)
		dump_warn_if_truncated(errout, r);
	if ((fflush(out) || ferror(out)) && !ret) {
		fprintf(errout, _("forkscope: writing the replay: %s\n"), strerror(errno));
		ret = -EIO;
	}
	log_reader_close(r);
	view_grid_free(&h.g);
	session_free(h.s);
	return ret ? 1 : 0;
}
