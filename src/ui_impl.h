/* SPDX-License-Identifier: GPL-2.0 */
/* What the TUI loop's files share: the state of one session on screen. */
#ifndef FORKSCOPE_UI_IMPL_H
#define FORKSCOPE_UI_IMPL_H

#include <stdint.h>
#include "lesson_quiz.h"
#include "pty.h"
#include "record.h"
#include "session.h"
#include "source_replay.h"
#include "tui.h"
#include "ui.h"
#include "view.h"

#define UI_FRAME_NS 33000000ull /* at most 30 frames a second */

struct ui {
	struct session *s;
	struct view *view;
	struct view_grid grid;
	struct view_state vs;
	struct view_status st;
	int sfd;               /* SIGINT, SIGTERM, SIGHUP, SIGCHLD */
	int quit;              /* the user asked to leave */
	int dirty;             /* something to show that the last frame did not */
	uint64_t last_draw;
	char search[64];
	int searching;
	uint64_t rate_at;
	size_t rate_applied;
	char title[256];

	/* replay */
	int replay;
	struct replay_clock clock;
	struct replay_info info;

	/* live */
	struct recorder *rec;  /* NULL once the tree is gone and the log is closed */
	const char *recording; /* the log being written, NULL for none */
	uint64_t epoch;        /* monotonic ns of time zero */
	struct pty pty;
	int has_pty;
	int input;             /* the keyboard goes to the workload */
	struct line_buf *raw;  /* the terminal's raw output */
	int paused;            /* live: events are collected, not applied */
	uint64_t frozen_at;    /* live: when the tree was seen frozen at a breakpoint; 0 while it runs */
	uint32_t step_kinds;   /* live: the breakpoints 'b' turns on */
	int stepping;          /* live: the learner's breakpoints are on (--step, b) */
	uint64_t stop_deadline; /* quitting: when to stop waiting for the workload */
	int exit_status;

	/* the lesson's prediction questions (ui_quiz.c) */
	struct lesson_quiz *quiz;
	struct quiz_entry result; /* the newest decided question, */
	uint64_t result_until;    /* on screen until then (UI ns), 0 not shown */
	int quiz_resume;          /* replay: it was playing when the question opened */
	int predict;              /* questions are asked (p toggles; --predict from the start) */
};

uint64_t ui_now(void);
int ui_signals(void);
int ui_init(struct ui *u, const char *title);
void ui_fini(struct ui *u);
/* Runs until the user quits; the session must be set up. */
void ui_loop(struct ui *u);

/* A replay or a live session in the running TUI (the menu's); 0, or 1 with the reason in why. */
int ui_run_replay(const char *path, double speed, char *why, size_t whylen);
int ui_run_live(const struct ui_live_opts *o, char *why, size_t whylen);

/*
 * ui_quiz.c: predict, then see, the same for live and replay. After each
 * event applied (the replay clock calls it itself, through its hold hook),
 * the loop calls ui_quiz_applied: 1 when a question has just opened, and
 * from then on ui_quiz_holds says 1 until the learner answers or skips
 * (ui_quiz_key): live, no further event may be applied meanwhile. A decided
 * question is shown, and live its answer event is recorder_inject'ed.
 */
int ui_quiz_init(struct ui *u);
void ui_quiz_replay(struct ui *u); /* the replay clock holds where a question opens */
void ui_quiz_fini(struct ui *u);
int ui_quiz_applied(struct ui *u, uint64_t now);
int ui_quiz_holds(const struct ui *u);
/* The event types (bit 1 << FS_EV_*) at which a question of the current lesson can open: the breakpoints. */
uint32_t ui_quiz_stop_mask(const struct ui *u);
/* After a seek or a jump: an open question left behind closes; one at the new place opens (the clock holds). */
void ui_quiz_after_jump(struct ui *u, uint64_t now);
/* 1-4 answer, Esc skips, space and step wait for an answer; 1 when the key was the quiz's. */
int ui_quiz_key(struct ui *u, const struct tui_key *k, uint64_t now);
void ui_quiz_status(const struct ui *u, struct view_status *st, uint64_t now);
/* UI ns until the result on screen goes (UINT64_MAX: none); 0 and dirty once it has. */
uint64_t ui_quiz_due(struct ui *u, uint64_t now);

/* ui_live.c: the live parts of the loop */
void live_poll(struct ui *u, uint64_t now);   /* drain ring and terminal, apply, reap */
void live_quit(struct ui *u, uint64_t now);   /* stop the workload, wait a little, end the log */
int live_tracing(const struct ui *u);
void live_key(struct ui *u, const struct tui_key *k); /* input mode: keys to the workload */
void live_resize(struct ui *u);
int live_stepping(const struct ui *u);  /* breakpoints are on */
/* The session's time at UI time now: it stands still while the tree is frozen. */
uint64_t live_clock(const struct ui *u, uint64_t now);
/* s, space (the frozen tree goes on) and b (stepping on or off); 1 when the key was one of them. */
int live_step_key(struct ui *u, const struct tui_key *k);

#endif /* FORKSCOPE_UI_IMPL_H */
