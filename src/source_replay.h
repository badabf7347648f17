/* SPDX-License-Identifier: GPL-2.0 */
/* The replay source: a recorded log fed to a session on a playback clock (speed, pause, single-step, seek both ways). */
#ifndef FORKSCOPE_SOURCE_REPLAY_H
#define FORKSCOPE_SOURCE_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include "session.h"

#define REPLAY_SPEED_MIN (1.0 / 64)
#define REPLAY_SPEED_MAX 256.0

/* What the log says about itself. */
struct replay_info {
	char demo[64];       /* the bundled demo it recorded, "" if another command */
	char command[256];   /* the command line, for the title */
	uint32_t root_pid, tracer_pid;
	int has_end, exit_status, truncated;
	uint64_t duration;   /* the last event's time */
};

/*
 * Reads every event of the log at path into s (stored, not applied) and
 * seeds its root. 0, or -errno with "FILE:LINE: what" in err.
 */
int replay_load(struct session *s, const char *path, struct replay_info *info, char *err,
		size_t errlen);

/*
 * replay_load one event at a time, for a caller that applies as it reads
 * (replay --headless). replay_open reads the header into info and seeds s's
 * root: 0 or -errno. replay_read stores the next event in s: 1; or 0 at the
 * end, when info gets what the end says and s learns the session ended (the
 * end line; not for a truncated log); or -errno. err as for replay_load.
 */
struct fs_log_reader;
int replay_open(struct fs_log_reader **r, struct session *s, const char *path,
		struct replay_info *info, char *err, size_t errlen);
int replay_read(struct fs_log_reader *r, struct session *s, struct replay_info *info, char *err,
		size_t errlen);

/*
 * The playback clock: pos is the session time shown. Playing, pos advances
 * by speed times the wall-clock time, and every event up to pos is applied.
 */
struct replay_clock {
	double speed;
	int paused;
	uint64_t pos;       /* session ns */
	uint64_t wall;      /* wall ns of the last advance */
	/*
	 * Called after each event the clock applies (playing or stepping, not
	 * seeking); 1 stops the clock there, paused: a lesson's question was
	 * asked at that event. NULL for none (replay_clock_init's).
	 */
	int (*hold)(void *ctx);
	void *hold_ctx;
	int holding;        /* held: nothing is applied until replay_set_paused or a jump */
};

void replay_clock_init(struct replay_clock *c, double speed, uint64_t wall_now);
/* Applies what is due at wall_now; returns how many events were applied. */
size_t replay_advance(struct replay_clock *c, struct session *s, uint64_t wall_now, uint64_t ui_now);
/* Wall ns until the next event is due while playing; UINT64_MAX when paused or at the end. */
uint64_t replay_next_due(const struct replay_clock *c, const struct session *s);
int replay_at_end(const struct session *s);
void replay_set_paused(struct replay_clock *c, int paused, uint64_t wall_now);
/* Multiplies the speed by factor, within the limits. */
void replay_speed(struct replay_clock *c, double factor, uint64_t wall_now);
/* One event forwards (animated) or backwards (rebuilt); the clock jumps to its time. */
void replay_step(struct replay_clock *c, struct session *s, int dir, uint64_t wall_now, uint64_t ui_now);
/* Holds exactly the first n events; the clock jumps to the last one's time. 0 or -errno. */
int replay_seek(struct replay_clock *c, struct session *s, size_t n, uint64_t wall_now);
/* Seeks to the first event at or after session time t. */
int replay_seek_time(struct replay_clock *c, struct session *s, uint64_t t, uint64_t wall_now);
/* Seeks just past the next (dir > 0) or previous mark; -ENOENT when there is none. */
int replay_seek_mark(struct replay_clock *c, struct session *s, int dir, uint64_t wall_now);

#endif /* FORKSCOPE_SOURCE_REPLAY_H */
