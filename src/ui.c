// SPDX-License-Identifier: GPL-2.0
/* The interactive TUI: one poll() loop over keys, signals, the ring buffer and the workload's terminal, for live and replay. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "dump.h"
#include "session_find.h"
#include "ui_impl.h"
#include "i18n.h"

#define DRAIN_NS 50000000ull    /* live: the ring buffer is drained this often */
#define TICK_NS 1000000000ull   /* the events/s figure, and the live clock, move once a second */
#define SEEK_FRACTION 20        /* < and > move by 1/20 of the session */

uint64_t ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Stop signals and children's exits come as data on one descriptor, never as interruptions. */
int ui_signals(void)
{
	static int sfd = -1;
	sigset_t set;

	if (sfd >= 0)
		return sfd;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return sfd < 0 ? -errno : sfd;
}

int ui_init(struct ui *u, const char *title)
{
	memset(u, 0, sizeof(*u));
	u->pty.master = u->pty.slave = -1;
	u->exit_status = -1;
	u->sfd = ui_signals();
	snprintf(u->title, sizeof(u->title), "%s", title);
	u->vs.lesson_top = -1;
	u->dirty = 1;
	if (u->sfd < 0 || session_new(&u->s) || view_new(&u->view) || ui_quiz_init(u))
		return -ENOMEM;
	return 0;
}

void ui_fini(struct ui *u)
{
	if (u->rec) {
		recorder_stop(u->rec, SIGKILL); /* the loop never ran, or gave up: do not wait for the workload */
		recorder_finish(u->rec);
	}
	pty_close(&u->pty);
	lines_free(u->raw);
	ui_quiz_fini(u);
	view_free(u->view);
	view_grid_free(&u->grid);
	session_free(u->s);
	u->s = NULL;
}

/* ---- drawing ----------------------------------------------------------------------- */

static void fill_status(struct ui *u, uint64_t now)
{
	struct view_status *st = &u->st;

	st->mode = u->replay ? VIEW_REPLAY : VIEW_LIVE;
	st->title = u->title;
	st->recording = u->recording;
	st->input = u->input;
	st->has_pty = u->has_pty && live_tracing(u);
	st->exit_status = u->replay ? u->info.exit_status : u->exit_status;
	st->lost = model_lost(session_model(u->s));
	if (u->replay) {
		st->paused = u->clock.paused;
		st->ended = replay_at_end(u->s);
		st->truncated = u->info.truncated;
		st->speed = u->clock.speed;
		st->duration = u->info.duration;
		st->now = u->clock.pos < st->duration ? u->clock.pos : st->duration;
	} else {
		st->paused = u->paused;
		st->ended = !live_tracing(u);
		st->frozen = u->frozen_at != 0;
		st->frozen_ns = st->frozen ? now - u->frozen_at : 0;
		st->stepping = live_stepping(u);
		st->now = st->ended ? model_now(session_model(u->s)) : live_clock(u, now);
	}
	ui_quiz_status(u, st, now);
}

static void draw(struct ui *u, uint64_t now)
{
	int w, h;

	tui_size(&w, &h);
	if (view_grid_resize(&u->grid, w, h))
		return;
	fill_status(u, now);
	view_render(u->view, &u->grid, tui_glyphs(), u->s, &u->vs, &u->st, u->raw, now);
	tui_blit(&u->grid);
	u->dirty = 0;
	u->last_draw = now;
}

/* Something on screen moves: a change still highlighted, a replay playing. */
/*
 * Frames go on until one is drawn after the last change's animations and
 * notes have faded: otherwise the screen could keep a fading note forever.
 */
static int animating(const struct ui *u)
{
	if (session_last_change(u->s) + VIEW_ANIM_NS > u->last_draw)
		return 1;
	return u->replay && !u->clock.paused && !replay_at_end(u->s);
}

/* How long poll may sleep: until the next frame, event, drain or tick, whichever is first. */
static int poll_timeout(struct ui *u, uint64_t now)
{
	uint64_t wait = UINT64_MAX, frame = u->last_draw + UI_FRAME_NS, result;

	if (u->dirty || animating(u))
		wait = frame > now ? frame - now : 0;
	if (u->replay) {
		uint64_t due = replay_next_due(&u->clock, u->s);

		wait = due < wait ? due : wait;
	} else if (live_tracing(u)) {
		wait = DRAIN_NS < wait ? DRAIN_NS : wait;
	}
	if (u->stop_deadline)
		wait = wait < DRAIN_NS ? wait : DRAIN_NS;
	result = ui_quiz_due(u, now);
	wait = result < wait ? result : wait;
	if (u->st.rate > 0) { /* until the rate shown has gone back to 0 */
		uint64_t tick = u->rate_at + TICK_NS;

		wait = tick <= now ? 0 : tick - now < wait ? tick - now : wait;
	}
	return wait == UINT64_MAX ? -1 : (int)((wait + 999999) / 1000000);
}

/* Events applied per second, measured each second; live, the clock in the status bar moves too. */
static void update_rate(struct ui *u, uint64_t now)
{
	size_t applied = session_applied(u->s);
	double rate;

	if (now - u->rate_at < TICK_NS)
		return;
	/* after a seek backwards fewer events are applied than before: no rate for that second */
	rate = u->rate_at && applied >= u->rate_applied
		       ? (double)(applied - u->rate_applied) * 1e9 / (double)(now - u->rate_at) : 0;
	u->dirty |= rate != u->st.rate || live_tracing(u);
	u->st.rate = rate;
	u->rate_at = now;
	u->rate_applied = applied;
}

/* ---- keys ---------------------------------------------------------------------------- */

static void scroll_pane(struct ui *u, int delta)
{
	struct view_state *vs = &u->vs;

	switch (vs->focus) {
	case PANE_TREE: view_select_move(u->view, vs, delta); break;
	case PANE_EVENTS:
		vs->events_back = delta < 0 ? vs->events_back + (size_t)-delta
			: vs->events_back > (size_t)delta ? vs->events_back - (size_t)delta : 0;
		break;
	case PANE_OUTPUT:
		vs->output_back = delta < 0 ? vs->output_back + (size_t)-delta
			: vs->output_back > (size_t)delta ? vs->output_back - (size_t)delta : 0;
		break;
	case PANE_LESSON:
		vs->lesson_top = vs->lesson_top < 0 ? 0 : vs->lesson_top;
		vs->lesson_top = vs->lesson_top + delta < 0 ? 0 : vs->lesson_top + delta;
		break;
	}
}

/* The search line: typing, Backspace, Enter searches, Esc gives up. */
static void key_prompt(struct ui *u, const struct tui_key *k)
{
	size_t n = strlen(u->search);

	if (k->code == TK_ENTER || k->code == TK_ESC) {
		u->searching = 0;
		u->vs.prompt = NULL;
		if (k->code == TK_ENTER && view_search(u->view, &u->vs, u->search))
			snprintf(u->vs.message, sizeof(u->vs.message), _("no process matches '%s'"), u->search);
		return;
	}
	if (k->code == TK_BACKSPACE && n)
		u->search[n - 1] = '\0';
	else if (k->code == TK_CHAR && k->ch >= 0x20 && k->ch < 0x7f && n + 1 < sizeof(u->search))
		u->search[n] = (char)k->ch, u->search[n + 1] = '\0';
	u->vs.prompt = u->search;
}

static int key_overlay(struct ui *u, const struct tui_key *k)
{
	struct view_state *vs = &u->vs;

	if (vs->overlay == OVERLAY_HELP) {
		vs->overlay = OVERLAY_NONE;
		return 1;
	}
	if (vs->overlay != OVERLAY_DETAIL)
		return 0;
	if (k->code == TK_UP || (k->code == TK_CHAR && k->ch == 'k'))
		vs->detail_top = vs->detail_top > 0 ? vs->detail_top - 1 : 0;
	else if (k->code == TK_DOWN || (k->code == TK_CHAR && k->ch == 'j'))
		vs->detail_top++;
	else if (k->code == TK_ENTER || k->code == TK_ESC || (k->code == TK_CHAR && k->ch == 'q'))
		vs->overlay = OVERLAY_NONE;
	else
		return 0; /* other keys (space, step...) still work under the details */
	return 1;
}

static void pause_toggle(struct ui *u, uint64_t now)
{
	if (u->replay)
		replay_set_paused(&u->clock, !u->clock.paused, now);
	else
		u->paused = !u->paused;
}

static void step(struct ui *u, int dir, uint64_t now)
{
	if (u->replay) {
		replay_set_paused(&u->clock, 1, now);
		replay_step(&u->clock, u->s, dir, now, dir > 0 ? now : 0);
	} else if (dir > 0) {
		u->paused = 1;
		if (session_apply_next(u->s, now))
			ui_quiz_applied(u, now);
	}
	u->vs.events_back = 0;
}

/* Replay only: speed and seeking. Returns 1 when the key was one of them. */
static int key_replay(struct ui *u, const struct tui_key *k, uint64_t now)
{
	uint64_t jump = u->info.duration / SEEK_FRACTION, pos = u->clock.pos;

	if (!u->replay)
		return 0;
	if (k->code == TK_HOME)
		replay_seek(&u->clock, u->s, 0, now);
	else if (k->code == TK_END)
		replay_seek(&u->clock, u->s, session_count(u->s), now);
	else if (k->code != TK_CHAR)
		return 0;
	else if (k->ch == '+' || k->ch == '=')
		replay_speed(&u->clock, 2, now);
	else if (k->ch == '-')
		replay_speed(&u->clock, 0.5, now);
	else if (k->ch == '<')
		replay_seek_time(&u->clock, u->s, pos > jump ? pos - jump : 0, now);
	else if (k->ch == '>')
		replay_seek_time(&u->clock, u->s, pos + jump, now);
	else if (k->ch == '[' || k->ch == ']')
		replay_seek_mark(&u->clock, u->s, k->ch == ']' ? 1 : -1, now);
	else if (k->ch == ',')
		step(u, -1, now);
	else
		return 0;
	u->vs.events_back = 0;
	ui_quiz_after_jump(u, now);
	return 1;
}

static void key_toggle(struct ui *u, uint32_t ch)
{
	struct view_state *vs = &u->vs;

	switch (ch) {
	case 'f': vs->follow = !vs->follow; vs->events_back = 0; break;
	case 't': vs->hide_tombs = !vs->hide_tombs; break;
	case 'o':
		vs->raw_output = u->raw ? !vs->raw_output : 0;
		vs->output_back = 0;
		if (!u->raw)
			snprintf(vs->message, sizeof(vs->message), "%s",
				 _("no raw terminal here: only a live run on its own terminal has one"));
		break;
	case 'i':
		if (u->has_pty && live_tracing(u)) {
			u->input = 1;
			vs->raw_output = 1;
			vs->focus = PANE_OUTPUT;
		}
		break;
	case '/': u->searching = 1; u->search[0] = '\0'; vs->prompt = u->search; break;
	case 'n':
		if (u->search[0] && view_search(u->view, vs, u->search))
			snprintf(vs->message, sizeof(vs->message), _("no process matches '%s'"), u->search);
		break;
	}
}

/* Enter on the lesson: the event log scrolls to the event the step names, the tree selects its process. */
static void lesson_jump(struct ui *u)
{
	size_t event;
	uint32_t pid;

	if (view_lesson_link(u->view, &event, &pid) || event >= session_applied(u->s)) {
		snprintf(u->vs.message, sizeof(u->vs.message), "%s", _("this step names no event yet"));
		return;
	}
	if (session_applied(u->s) - event > VIEW_EVENTS_SCAN) {
		snprintf(u->vs.message, sizeof(u->vs.message), "%s", _("the step's event is too far back for the event log"));
		return;
	}
	u->vs.follow = 0;
	u->vs.events_back = session_applied(u->s) - 1 - event;
	u->vs.sel_serial = 0;
	u->vs.sel_pid = pid;
	snprintf(u->vs.message, sizeof(u->vs.message), "%s", _("the step's event is the newest shown (End in the event log: back)"));
}

static void key_nav(struct ui *u, const struct tui_key *k)
{
	int page = view_pane_height(u->view, u->vs.focus);
	int up = k->code == TK_UP || (k->code == TK_CHAR && k->ch == 'k');
	int down = k->code == TK_DOWN || (k->code == TK_CHAR && k->ch == 'j');

	if (up || down)
		scroll_pane(u, up ? -1 : 1);
	else if (k->code == TK_PGUP || k->code == TK_PGDN)
		scroll_pane(u, k->code == TK_PGUP ? -page : page);
	else if (k->code == TK_HOME || k->code == TK_END)
		scroll_pane(u, k->code == TK_HOME ? -1000000 : 1000000);
	else if (k->code == TK_TAB || k->code == TK_BTAB)
		u->vs.focus = (u->vs.focus + (k->code == TK_TAB ? 1 : PANE_COUNT - 1)) % PANE_COUNT;
	else if (k->code == TK_CLICK)
		view_click(u->view, &u->vs, k->x, k->y);
	else if (k->code == TK_WHEEL_UP || k->code == TK_WHEEL_DOWN)
		scroll_pane(u, k->code == TK_WHEEL_UP ? -3 : 3);
	else if (k->code == TK_ENTER && u->vs.focus == PANE_LESSON)
		lesson_jump(u);
	else if (k->code == TK_ENTER)
		u->vs.overlay = OVERLAY_DETAIL, u->vs.detail_top = 0;
	else if (k->code == TK_ESC)
		u->vs.overlay = OVERLAY_NONE;
}

static void on_key(struct ui *u, const struct tui_key *k, uint64_t now)
{
	u->dirty = 1;
	u->vs.message[0] = '\0';
	if (k->code == TK_RESIZE) {
		live_resize(u);
		return;
	}
	if (u->input) {
		live_key(u, k);
		return;
	}
	if (u->searching) {
		key_prompt(u, k);
		return;
	}
	/* help and details close first: their keys (any, Esc) must not answer the question under them */
	if (key_overlay(u, k) || ui_quiz_key(u, k, now) || key_replay(u, k, now) || live_step_key(u, k))
		return;
	if (k->code == TK_F10 || (k->code == TK_CHAR && (k->ch == 'q' || k->ch == 3)))
		u->quit = 1;
	else if (k->code == TK_F1 || (k->code == TK_CHAR && k->ch == '?'))
		u->vs.overlay = OVERLAY_HELP;
	else if (k->code == TK_CHAR && k->ch == ' ')
		pause_toggle(u, now);
	else if (k->code == TK_CHAR && (k->ch == '.' || k->ch == 's'))
		step(u, 1, now);
	else if (k->code == TK_CHAR && k->ch && k->ch < 0x80 && strchr("ftoi/n", (int)k->ch))
		key_toggle(u, k->ch);
	else
		key_nav(u, k);
}

/* ---- the loop ------------------------------------------------------------------------- */

static void read_signals(struct ui *u)
{
	struct signalfd_siginfo si;

	while (read(u->sfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			u->quit = 1;
}

void ui_loop(struct ui *u)
{
	struct tui_key k;

	for (;;) {
		struct pollfd pfd[4] = { { tui_fd(), POLLIN, 0 }, { u->sfd, POLLIN, 0 } };
		int n = 2;
		uint64_t now = ui_now();

		if (u->rec)
			pfd[n++] = (struct pollfd){ recorder_fd(u->rec), POLLIN, 0 };
		if (u->has_pty)
			pfd[n++] = (struct pollfd){ u->pty.master, POLLIN, 0 };
		if (poll(pfd, (nfds_t)n, poll_timeout(u, now)) < 0 && errno != EINTR)
			break;
		now = ui_now();
		read_signals(u);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			u->quit = 1; /* the terminal is gone: nobody is watching */
		/* keys after a quit are left for whoever reads the terminal next (the menu) */
		while (!u->quit && tui_key(&k))
			on_key(u, &k, now);
		if (u->replay)
			u->dirty |= replay_advance(&u->clock, u->s, now, now) > 0;
		else
			live_poll(u, now);
		if (u->quit && !u->replay && live_tracing(u))
			live_quit(u, now);
		else if (u->quit)
			break;
		update_rate(u, now);
		if ((u->dirty || animating(u)) && now - u->last_draw >= UI_FRAME_NS)
			draw(u, now);
	}
}

/* ---- replay ----------------------------------------------------------------------------- */

/* Loads the log into a new session on screen; 0, or 1 with the reason in why. */
static int replay_prepare(struct ui *u, const char *path, double speed, char *why, size_t whylen)
{
	char lessons[4096];

	if (ui_init(u, path)) {
		snprintf(why, whylen, _("out of memory"));
		return 1;
	}
	if (replay_load(u->s, path, &u->info, why, whylen))
		return 1;
	if (u->info.demo[0] && !session_find_dir("lessons", lessons, sizeof(lessons)))
		session_set_lesson(u->s, lessons, u->info.demo);
	u->replay = 1;
	if (u->info.truncated)
		snprintf(u->vs.message, sizeof(u->vs.message), "%s",
			 _("the log is truncated (no end line): the tracer did not finish"));
	replay_clock_init(&u->clock, speed, ui_now());
	ui_quiz_replay(u);
	return 0;
}

int ui_run_replay(const char *path, double speed, char *why, size_t whylen)
{
	struct ui u;
	int status = replay_prepare(&u, path, speed, why, whylen);

	if (!status)
		ui_loop(&u);
	ui_fini(&u);
	return status;
}

int ui_replay(const char *path, double speed)
{
	char err[512] = "";
	const char *why;
	struct ui u;
	int status = replay_prepare(&u, path, speed, err, sizeof(err));

	if (!status && tui_init(&why)) {
		snprintf(err, sizeof(err), "%s", why);
		status = 1;
	}
	if (!status) {
		ui_loop(&u);
		tui_done();
	}
	if (!status && u.info.truncated)
		dump_warn_truncated(stderr, path);
	ui_fini(&u);
	if (status)
		fprintf(stderr, "forkscope: %s\n", err);
	return status;
}
