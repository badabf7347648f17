// SPDX-License-Identifier: GPL-2.0
/* The replay source: a recorded log fed to a session on a playback clock (speed, pause, single-step, seek both ways). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "demo_table.h"
#include "i18n.h"
#include "log.h"
#include "source_replay.h"

/* The demo a log recorded: argv[0] is build/examples/NAME or .../lib/forkscope/examples/NAME. */
static void find_demo(const struct fs_log_header *h, struct replay_info *info)
{
	const char *slash, *base;

	info->demo[0] = '\0';
	if (h->argc < 1 || !(slash = strrchr(h->argv[0], '/')))
		return;
	base = slash + 1;
	if (slash - h->argv[0] >= 9 && !memcmp(slash - 9, "/examples", 9) && demo_find(base))
		snprintf(info->demo, sizeof(info->demo), "%s", base);
}

static void describe(const struct fs_log_header *h, struct replay_info *info)
{
	size_t o = 0;

	info->command[0] = '\0';
	for (int i = 0; i < h->argc && o + 2 < sizeof(info->command); i++)
		o += (size_t)snprintf(info->command + o, sizeof(info->command) - o, "%s%s", i ? " " : "",
				      i ? h->argv[i] : (strrchr(h->argv[0], '/') ? strrchr(h->argv[0], '/') + 1 : h->argv[0]));
	if (h->cgroup[0])
		snprintf(info->command, sizeof(info->command), _("cgroup %s"), h->cgroup);
	info->root_pid = h->root_pid;
	info->tracer_pid = h->tracer_pid;
	find_demo(h, info);
}

int replay_open(struct fs_log_reader **r, struct session *s, const char *path,
		struct replay_info *info, char *err, size_t errlen)
{
	int ret;

	memset(info, 0, sizeof(*info));
	info->exit_status = -1;
	if ((ret = log_reader_open(r, path, err, errlen)))
		return ret;
	describe(log_reader_header(*r), info);
	session_set_root(s, info->root_pid, info->tracer_pid);
	return session_set_cgroup(s, log_reader_header(*r)->cgroup);
}

/* What the end says; a session that ended (an end line, not a cut) is told so. */
static void note_end(struct fs_log_reader *r, struct session *s, struct replay_info *info)
{
	const struct fs_log_end *end = log_reader_end(r);

	info->has_end = end != NULL;
	info->exit_status = end ? end->exit_status : -1;
	info->truncated = log_reader_truncated(r);
	if (end)
		session_end(s);
}

int replay_read(struct fs_log_reader *r, struct session *s, struct replay_info *info, char *err,
		size_t errlen)
{
	struct fs_event e;
	int ret = log_reader_next(r, &e, err, errlen);

	if (ret == 0)
		note_end(r, s, info);
	if (ret <= 0)
		return ret;
	if ((ret = session_append(s, &e))) {
		snprintf(err, errlen, "%s: %s", log_reader_name(r), strerror(-ret));
		return ret;
	}
	if (e.ts > info->duration)
		info->duration = e.ts;
	return 1;
}

int replay_load(struct session *s, const char *path, struct replay_info *info, char *err,
		size_t errlen)
{
	struct fs_log_reader *r;
	int ret = replay_open(&r, s, path, info, err, errlen);

	if (ret)
		return ret;
	while ((ret = replay_read(r, s, info, err, errlen)) > 0)
		;
	log_reader_close(r);
	return ret;
}

void replay_clock_init(struct replay_clock *c, double speed, uint64_t wall_now)
{
	c->speed = speed;
	c->paused = 0;
	c->pos = 0;
	c->wall = wall_now;
	c->hold = NULL;
	c->hold_ctx = NULL;
	c->holding = 0;
}

static uint64_t ts_of(const struct session *s, size_t i)
{
	const struct fs_event *e = session_peek(s, i);

	return e ? e->ts : UINT64_MAX;
}

/* Whether the event just applied holds the clock: then it pauses at that event's time. */
static int held(struct replay_clock *c, const struct session *s)
{
	size_t n = session_applied(s);

	if (!c->hold || !c->hold(c->hold_ctx))
		return 0;
	c->paused = c->holding = 1;
	c->pos = n ? ts_of(s, n - 1) : 0;
	return 1;
}

int replay_at_end(const struct session *s)
{
	return session_applied(s) >= session_count(s);
}

size_t replay_advance(struct replay_clock *c, struct session *s, uint64_t wall_now, uint64_t ui_now)
{
	size_t n = 0;

	if (!c->paused && !replay_at_end(s) && wall_now > c->wall)
		c->pos += (uint64_t)((double)(wall_now - c->wall) * c->speed);
	c->wall = wall_now;
	while (!c->holding && !replay_at_end(s) && ts_of(s, session_applied(s)) <= c->pos &&
	       session_apply_next(s, ui_now)) {
		n++;
		if (held(c, s))
			break;
	}
	return n;
}

uint64_t replay_next_due(const struct replay_clock *c, const struct session *s)
{
	uint64_t next;

	if (c->paused || replay_at_end(s))
		return UINT64_MAX;
	next = ts_of(s, session_applied(s));
	return next <= c->pos ? 0 : (uint64_t)((double)(next - c->pos) / c->speed);
}

void replay_set_paused(struct replay_clock *c, int paused, uint64_t wall_now)
{
	c->paused = paused;
	c->holding = 0;
	c->wall = wall_now;
}

void replay_speed(struct replay_clock *c, double factor, uint64_t wall_now)
{
	double v = c->speed * factor;

	c->speed = v < REPLAY_SPEED_MIN ? REPLAY_SPEED_MIN : v > REPLAY_SPEED_MAX ? REPLAY_SPEED_MAX : v;
	c->wall = wall_now;
}

/* After a jump, the clock shows the time of the last event the model holds. */
static void clock_follow(struct replay_clock *c, const struct session *s, uint64_t wall_now)
{
	size_t n = session_applied(s);

	c->pos = n ? ts_of(s, n - 1) : 0;
	c->wall = wall_now;
	c->holding = 0; /* a jump leaves the event that held the clock */
}

void replay_step(struct replay_clock *c, struct session *s, int dir, uint64_t wall_now, uint64_t ui_now)
{
	int applied = dir > 0 && session_apply_next(s, ui_now);

	if (dir < 0 && session_applied(s))
		session_seek(s, session_applied(s) - 1);
	clock_follow(c, s, wall_now);
	if (applied)
		held(c, s);
}

int replay_seek(struct replay_clock *c, struct session *s, size_t n, uint64_t wall_now)
{
	int err = session_seek(s, n);

	clock_follow(c, s, wall_now);
	return err;
}

int replay_seek_time(struct replay_clock *c, struct session *s, uint64_t t, uint64_t wall_now)
{
	size_t n = session_find_time(s, t);
	int err = session_seek(s, n);

	c->pos = t;
	c->wall = wall_now;
	c->holding = 0;
	return err;
}

int replay_seek_mark(struct replay_clock *c, struct session *s, int dir, uint64_t wall_now)
{
	size_t i = session_applied(s), count = session_count(s);
	const struct fs_event *e;

	/* the mark just applied is the one we are at: going back starts before it */
	if (dir < 0 && i >= 1)
		i--;
	while (dir > 0 ? i < count : i > session_first(s)) {
		size_t k = dir > 0 ? i++ : --i;

		if ((e = session_peek(s, k)) && e->type == FS_EV_MARK)
			return replay_seek(c, s, k + 1, wall_now);
	}
	return dir < 0 ? replay_seek(c, s, 0, wall_now) : -ENOENT;
}
