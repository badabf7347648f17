// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark helper: a log replayed headless at full speed (load, then apply every event to the
 * model), and the time the TUI's view takes to render one frame at the log's first mark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "session.h"
#include "source_replay.h"
#include "view.h"
#include "workload.h"

#define FRAME_W 200 /* a large terminal: every pane has room */
#define FRAME_H 60

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The index just after the first mark, or the whole log when it has none. */
static size_t first_mark_end(const struct session *s)
{
	struct fs_event e;

	for (size_t i = session_first(s); i < session_count(s); i++)
		if (session_event(s, i, &e) == 0 && e.type == FS_EV_MARK)
			return i + 1;
	return session_count(s);
}

/* Renders frames times at the first mark: the median, 95th percentile and first frame, in ns. */
static int time_frames(struct session *s, const struct replay_info *info, int frames)
{
	struct view_grid g = { 0 };
	struct view_state vs = { .lesson_top = -1 };
	struct view_status st = { .mode = VIEW_REPLAY, .title = "bench", .speed = 1, .paused = 1,
				  .exit_status = -1, .duration = info->duration };
	uint64_t *ns = calloc((size_t)frames, sizeof(*ns));
	struct view *v = NULL;
	int err = ns ? view_new(&v) : -1;

	if (!err)
		err = session_seek(s, first_mark_end(s));
	if (!err)
		err = view_grid_resize(&g, FRAME_W, FRAME_H);
	st.now = model_now(session_model(s));
	for (int i = 0; !err && i < frames; i++) {
		uint64_t t0 = wl_now_ns();

		view_render(v, &g, &view_glyphs_utf8, s, &vs, &st, NULL, st.now);
		ns[i] = wl_now_ns() - t0;
	}
	if (!err) {
		uint64_t first = ns[0]; /* cold: the view meets this session for the first time */

		qsort(ns, (size_t)frames, sizeof(*ns), cmp_u64);
		printf("frame_procs=%zu frame_w=%d frame_h=%d frame_ns=%llu frame_p95_ns=%llu "
		       "frame_first_ns=%llu\n", model_live_count(session_model(s)), FRAME_W, FRAME_H,
		       (unsigned long long)ns[frames / 2], (unsigned long long)ns[frames * 95 / 100],
		       (unsigned long long)first);
	}
	view_grid_free(&g);
	view_free(v);
	free(ns);
	return err;
}

int main(int argc, char **argv)
{
	int frames = argc > 2 ? (int)wl_count(argv[2], "replay_bench LOG [FRAMES]") : 0;
	struct replay_info info;
	struct session *s = NULL;
	uint64_t t0, t1, t2;
	size_t n = 0;
	char err[512];

	if (argc < 2 || session_new(&s)) {
		fprintf(stderr, "usage: replay_bench LOG [FRAMES]\n");
		return 2;
	}
	t0 = wl_now_ns();
	if (replay_load(s, argv[1], &info, err, sizeof(err))) {
		fprintf(stderr, "replay_bench: %s\n", err);
		return 1;
	}
	t1 = wl_now_ns();
	while (session_apply_next(s, 0))
		n++;
	t2 = wl_now_ns();
	printf("replay_events=%zu load_ns=%llu apply_ns=%llu\n", n, (unsigned long long)(t1 - t0),
	       (unsigned long long)(t2 - t1));
	if (frames && time_frames(s, &info, frames)) {
		fprintf(stderr, "replay_bench: cannot render\n");
		return 1;
	}
	session_free(s);
	return 0;
}
