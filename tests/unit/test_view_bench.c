// SPDX-License-Identifier: GPL-2.0
/*
 * How fast the TUI keeps up: events applied per second, and the time to render
 * one 120x40 frame with 2,000 live processes, which must fit the 33 ms frame
 * budget. The session is synthetic unless FORKSCOPE_BENCH_LOG names a real log.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "session.h"
#include "source_replay.h"
#include "unit.h"
#include "view.h"

#define PROCS 2000
#define FRAMES 20
#define RUNS 5
#define FRAME_BUDGET_NS 33000000.0

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void add(struct session *s, struct fs_event *e, uint64_t *t)
{
	e->ts = (*t)++ * 1000;
	session_append(s, e);
}

/* A shell forks PROCS children; each execs, blocks reading a pipe it shares with the shell. */
static void synthesize(struct session *s)
{
	struct fs_event e;
	uint64_t t = 1;

	session_set_root(s, 100, 1);
	for (uint32_t i = 0; i < PROCS; i++) {
		uint32_t pid = 1000 + i;

		memset(&e, 0, sizeof(e));
		e.type = FS_EV_FORK, e.pid = e.tid = 100, e.fork.child_pid = e.fork.child_tid = pid;
		strcpy(e.comm, "sh");
		add(s, &e, &t);
		memset(&e, 0, sizeof(e));
		e.type = FS_EV_EXEC, e.pid = e.tid = pid;
		strcpy(e.comm, "sleep");
		e.exec.filename_len = (uint16_t)sprintf(e.exec.filename, "/usr/bin/sleep");
		memcpy(e.exec.argv, "sleep\0" "3\0", 8);
		e.exec.argv_len = 8;
		add(s, &e, &t);
		memset(&e, 0, sizeof(e));
		e.type = FS_EV_IPC, e.pid = e.tid = i % 2 ? pid : 100, e.ipc.op = FS_IPC_WRITE;
		e.ipc.chan_kind = FS_CHAN_PIPE, e.ipc.chan = 5000 + i % 8, e.ipc.bytes = 10, e.ipc.fd = 1;
		add(s, &e, &t);
		memset(&e, 0, sizeof(e));
		e.type = FS_EV_STATE, e.pid = e.tid = pid, e.state.state = FS_STATE_BLOCKED;
		e.state.sysnr = 0, e.state.chan_kind = FS_CHAN_PIPE, e.state.chan = 5000 + i % 8;
		add(s, &e, &t);
	}
}

int main(void)
{
	const char *log = getenv("FORKSCOPE_BENCH_LOG");
	struct view_status st = { .mode = VIEW_REPLAY, .title = "bench", .speed = 1 };
	struct view_state vs = { .lesson_top = -1 };
	struct replay_info info;
	struct view_grid g = { 0 };
	struct session *s;
	struct view *v;
	double t0, first_ns = 0, apply_ns, frame_ns;
	char err[256];
	size_t n;

	setlocale(LC_ALL, "C.UTF-8");
	CHECK(session_new(&s) == 0 && view_new(&v) == 0);
	if (log)
		CHECK(replay_load(s, log, &info, err, sizeof(err)) == 0);
	else
		synthesize(s);
	n = session_count(s);
	/* the best of a few runs: the machine's other work only ever adds time */
	apply_ns = frame_ns = 1e18;
	for (int run = 0; run < RUNS; run++) {
		double ns;

		session_seek(s, 0);
		t0 = now_ns();
		while (session_apply_next(s, 1))
			;
		ns = now_ns() - t0;
		first_ns = run ? first_ns : ns; /* the first run allocates every process, as a live session does */
		apply_ns = ns < apply_ns ? ns : apply_ns;
	}
	CHECK(session_applied(s) == n);
	view_grid_resize(&g, 120, 40);
	st.now = model_now(session_model(s));
	for (int run = 0; run < RUNS; run++) {
		t0 = now_ns();
		for (int i = 0; i < FRAMES; i++)
			view_render(v, &g, &view_glyphs_utf8, s, &vs, &st, NULL, 2);
		frame_ns = (now_ns() - t0) / FRAMES < frame_ns ? (now_ns() - t0) / FRAMES : frame_ns;
	}
	printf("view bench: %zu events applied at %.0f k/s (first run %.0f k/s); %zu processes held, "
	       "one 120x40 frame in %.2f ms\n", n, (double)n / apply_ns * 1e6, (double)n / first_ns * 1e6,
	       model_proc_count(session_model(s)), frame_ns / 1e6);
	CHECK(log || model_live_count(session_model(s)) == PROCS + 1);
	CHECK(frame_ns < FRAME_BUDGET_NS);
	CHECK((double)n / apply_ns * 1e9 > 100000); /* faster than the 100k events/s the issue asks for */
	view_grid_free(&g);
	view_free(v);
	session_free(s);
	return UNIT_DONE("test_view_bench");
}
