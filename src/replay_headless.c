// SPDX-License-Identifier: GPL-2.0
/* `replay --headless`: a log through the replay source, the model and the narration at full speed, as text. */
#include <errno.h>
#include <stdio.h>
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
#define LINE_MAX_LEN (64 + 4 * SENTENCE_BUF) /* the time, and a sentence of bytes escaped as \xNN */
#define OUT_BUF (64 * 1024) /* text is written out in chunks about this big, not line by line */

struct headless {
	struct session *s;
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

/* e's time, and its sentence as the TUI's event pane shows it: controls as ^X, bytes that are no text as \xNN. */
static void tell(struct headless *h, const struct fs_event *e)
{
	char text[SENTENCE_BUF];

	narrate_event(text, sizeof(text), e);
	if (h->o.len - h->o.pos < LINE_MAX_LEN)
		out_flush(h);
	strbuf_time(&h->o, e->ts);
	strbuf_put(&h->o, "  ", 2);
	h->o.pos += view_text_plain(&view_glyphs_utf8, text, strlen(text), h->o.buf + h->o.pos);
	h->o.buf[h->o.pos++] = '\n';
}

/* Applies the event just read, as the TUI's replay does, and tells it. */
static void tell_next(struct headless *h)
{
	const struct fs_event *e = session_peek(h->s, session_applied(h->s));

	if (!e || !session_apply_next(h->s, 0))
		return;
	tell(h, e);
	session_trim(h->s, KEEP_EVENTS);
}

/* Every event up to the end or the first bad line; 0, or -errno with the reason in err. */
static int replay_all(struct headless *h, struct fs_log_reader *r, struct replay_info *info, char *err,
		      size_t errlen)
{
	int ret;

	while ((ret = replay_read(r, h->s, info, err, errlen)) > 0)
		tell_next(h);
	return ret;
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
	session_free(h.s);
	return ret ? 1 : 0;
}
