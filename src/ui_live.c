// SPDX-License-Identifier: GPL-2.0
/* The live parts of the TUI: the workload on its own pseudo-terminal, traced, recorded if asked, stopped on quit. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include "session_find.h"
#include "ui_impl.h"
#include "i18n.h"

#define RAW_LINES 2000
/* The breakpoints 'b' turns on when --step named none. */
#define STEP_ALL (1u << FS_EV_FORK | 1u << FS_EV_EXEC | 1u << FS_EV_EXIT | 1u << FS_EV_MARK)
#define LIVE_KEEP 200000          /* events kept for the event log; older ones are dropped */
#define STOP_WAIT_NS 1500000000ull /* on quit, the workload gets this long to end after SIGHUP/SIGTERM */

int live_tracing(const struct ui *u)
{
	return u->rec != NULL;
}

/* The ring buffer's events only go into the store here: applying and drawing happen in the loop. */
static int sink(const struct fs_event *e, void *ctx)
{
	struct ui *u = ctx;

	session_append(u->s, e); /* out of memory: the event is lost to the screen, not to the log */
	return 0;
}

/* The workload's terminal is as big as the output pane (before the first frame: a guess from the terminal's size). */
static void pane_size(const struct ui *u, int *cols, int *rows)
{
	struct winsize ws = { 0 };

	view_pane_size(u->view, PANE_OUTPUT, cols, rows);
	if (*cols > 0 && *rows > 0)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_col < VIEW_MIN_W)
		ws = (struct winsize){ .ws_col = VIEW_MIN_W, .ws_row = VIEW_MIN_H };
	*cols = ws.ws_col - ws.ws_col * 55 / 100 - 2;
	*rows = (ws.ws_row - 2) / 4;
}

/*
 * What forkscope prints while starting (a missing demo, no BTF, no root) is
 * kept for the screen instead of scribbling over it. The workload does not
 * inherit this stderr: it gets the pty.
 */
static int capture_begin(int *saved)
{
	int fd = memfd_create("forkscope-stderr", MFD_CLOEXEC);

	fflush(stderr);
	*saved = fd >= 0 ? dup(STDERR_FILENO) : -1;
	if (fd < 0 || *saved < 0 || dup2(fd, STDERR_FILENO) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void capture_end(int fd, int saved, char *buf, size_t len)
{
	ssize_t n;

	if (fd < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, buf, len - 1, 0);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static int start_recorder(struct ui *u, const struct ui_live_opts *o, int quiet, char *why, size_t whylen)
{
	struct record_opts ro = {
		.out = o->out, .force = o->force, .as_root = o->as_root, .verbose = o->verbose, .no_bpf = o->no_bpf,
		.log_umask = o->log_umask, .ring_bytes = o->ring_bytes, .argv = o->argv, .attach = o->attach,
		.cgroup = o->cgroup, .unit = o->unit, .pty = u->has_pty ? &u->pty : NULL, .sink = sink, .sink_ctx = u,
		/* the questions' breakpoints are armed before the command starts: a demo forks at once */
		.stepping = 1, .step = o->step | (o->predict ? ui_quiz_stop_mask(u) : 0),
		.freezer = o->step || o->predict,
	};
	int saved = -1, fd = quiet ? capture_begin(&saved) : -1;
	int status = recorder_start(&u->rec, &ro);

	capture_end(fd, saved, why, whylen);
	if (status)
		u->rec = NULL;
	return status;
}

/* Starts the workload on a new pty, traced; quiet: the TUI is up, keep messages for it. */
static int start(struct ui *u, const struct ui_live_opts *o, int quiet, char *why, size_t whylen)
{
	char lessons[4096];
	int cols, rows, err, status;

	pane_size(u, &cols, &rows);
	/* an attached tree keeps its own terminal: there is no output to show */
	int attached = o->attach || o->cgroup || o->unit;

	err = attached ? 0 : pty_open(&u->pty, cols, rows);
	if (err || lines_new(&u->raw, RAW_LINES)) {
		snprintf(why, whylen, _("cannot open a pseudo-terminal: %s"), strerror(err ? -err : ENOMEM));
		return 1;
	}
	u->has_pty = !attached;
	u->recording = o->out;
	if (o->demo && !session_find_dir("lessons", lessons, sizeof(lessons)))
		session_set_lesson(u->s, lessons, o->demo);
	/* orphans come to forkscope, not to init: it sees every reap and knows when the tree is gone */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	status = start_recorder(u, o, quiet, why, whylen);
	if (status)
		return status;
	u->epoch = recorder_epoch(u->rec);
	u->step_kinds = o->step ? o->step : STEP_ALL;
	u->stepping = o->step != 0;
	u->predict = o->predict;
	if ((o->step || o->predict) && recorder_step_how(u->rec))
		snprintf(u->vs.message, sizeof(u->vs.message), "%s", recorder_step_how(u->rec));
	session_set_root(u->s, recorder_root(u->rec), (uint32_t)getpid());
	session_set_cgroup(u->s, recorder_cgroup(u->rec));
	return 0;
}

/* The tree is gone: last events, totals, the end line; the probes are detached. */
static void live_end(struct ui *u)
{
	int saved = -1, fd = capture_begin(&saved);

	u->exit_status = recorder_finish(u->rec);
	capture_end(fd, saved, u->vs.message, sizeof(u->vs.message));
	session_end(u->s); /* its last events are stored: no more will come */
	u->rec = NULL;
	u->input = 0;
	u->stop_deadline = 0;
	u->dirty = 1;
}

/* The session's clock stands still while the tree is frozen: time zero moves on by the frozen time. */
static void follow_freeze(struct ui *u, uint64_t now)
{
	int frozen = u->rec && recorder_frozen(u->rec);

	if (u->rec)
		u->epoch = recorder_epoch(u->rec);
	if (frozen != (u->frozen_at != 0))
		u->dirty = 1;
	if (frozen && !u->frozen_at)
		u->frozen_at = now;
	else if (!frozen)
		u->frozen_at = 0;
}

/*
 * The breakpoints: the learner's (b, --step) and, while questions are on, the kinds of event
 * the lesson asks at, so that the tree is frozen when a question is asked.
 */
static void sync_breaks(struct ui *u)
{
	if (!u->rec || !recorder_can_step(u->rec))
		return;
	recorder_set_step(u->rec, (u->stepping ? u->step_kinds : 0) | (u->predict ? ui_quiz_stop_mask(u) : 0));
}

/*
 * A breakpoint that is there for the questions only, once its events are on screen and no
 * question was asked at it (or the one asked is answered), lets the tree go on by itself.
 */
static void pass_breakpoint(struct ui *u, uint64_t now)
{
	uint32_t type;

	if (!u->rec || !recorder_frozen(u->rec) || u->paused || ui_quiz_holds(u) ||
	    session_applied(u->s) < session_count(u->s))
		return;
	type = recorder_break_type(u->rec);
	if (u->stepping && (!type || (u->step_kinds & (1u << type))))
		return;
	recorder_continue(u->rec);
	follow_freeze(u, now);
}

uint64_t live_clock(const struct ui *u, uint64_t now)
{
	return (u->frozen_at ? u->frozen_at : now) - u->epoch;
}

static void drain_pty(struct ui *u, uint64_t now)
{
	char buf[4096];
	ssize_t n;

	while ((n = pty_read(&u->pty, buf, sizeof(buf))) > 0) {
		lines_feed(u->raw, 0, live_clock(u, now), buf, (size_t)n);
		u->dirty |= u->vs.raw_output;
	}
}

void live_poll(struct ui *u, uint64_t now)
{
	if (u->has_pty)
		drain_pty(u, now);
	if (u->rec && recorder_drain(u->rec))
		recorder_stop(u->rec, SIGKILL); /* the log cannot be written: end it all */
	follow_freeze(u, now);
	if (u->rec && recorder_reap(u->rec))
		live_end(u);
	if (u->stop_deadline && u->rec && now >= u->stop_deadline) {
		recorder_stop(u->rec, SIGKILL);
		live_end(u);
	}
	while (!u->paused && !ui_quiz_holds(u) && session_apply_next(u->s, now))
		u->dirty = 1, ui_quiz_applied(u, now);
	session_trim(u->s, LIVE_KEEP);
	sync_breaks(u);
	pass_breakpoint(u, now);
}

int live_stepping(const struct ui *u)
{
	return u->rec && u->stepping;
}

int live_step_key(struct ui *u, const struct tui_key *k)
{
	if (!u->rec || k->code != TK_CHAR)
		return 0;
	if (k->ch == 'b' && !recorder_can_step(u->rec)) {
		snprintf(u->vs.message, sizeof(u->vs.message), "%s",
			 _("stepping needs the probes and a command forkscope started (not --pid, --cgroup or --no-bpf)"));
		return 1;
	}
	if (k->ch == 'b') {
		u->stepping = !u->stepping;
		sync_breaks(u);
		if (!u->stepping && recorder_frozen(u->rec) && !ui_quiz_holds(u))
			recorder_continue(u->rec);
		snprintf(u->vs.message, sizeof(u->vs.message), "%s",
			 u->stepping ? recorder_step_how(u->rec) : _("stepping off: the tree runs freely"));
		follow_freeze(u, ui_now());
		return 1;
	}
	if ((k->ch == 's' || k->ch == ' ' || k->ch == '.') && recorder_frozen(u->rec)) {
		recorder_continue(u->rec);
		follow_freeze(u, ui_now());
		return 1;
	}
	return 0;
}

void live_quit(struct ui *u, uint64_t now)
{
	if (u->stop_deadline)
		return;
	u->stop_deadline = now + STOP_WAIT_NS;
	/* hanging up its terminal sends SIGHUP to the workload, as closing a terminal window would */
	pty_close(&u->pty);
	u->has_pty = 0;
	u->input = 0;
	recorder_stop(u->rec, SIGTERM);
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80)
		return out[0] = (char)cp, 1;
	if (cp < 0x800)
		return out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return out[0] = (char)(0xe0 | cp >> 12), out[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
		       out[2] = (char)(0x80 | (cp & 0x3f)), 3;
	return out[0] = (char)(0xf0 | cp >> 18), out[1] = (char)(0x80 | (cp >> 12 & 0x3f)),
	       out[2] = (char)(0x80 | (cp >> 6 & 0x3f)), out[3] = (char)(0x80 | (cp & 0x3f)), 4;
}

#define CTRL_RIGHT_BRACKET 0x1d

void live_key(struct ui *u, const struct tui_key *k)
{
	static const struct { int code; const char *seq; } keys[] = {
		{ TK_UP, "\033[A" }, { TK_DOWN, "\033[B" }, { TK_RIGHT, "\033[C" }, { TK_LEFT, "\033[D" },
		{ TK_HOME, "\033[H" }, { TK_END, "\033[F" }, { TK_PGUP, "\033[5~" }, { TK_PGDN, "\033[6~" },
		{ TK_DELETE, "\033[3~" }, { TK_ENTER, "\r" }, { TK_TAB, "\t" }, { TK_ESC, "\033" },
		{ TK_BACKSPACE, "\177" },
	};
	char buf[8];

	if (k->code == TK_CHAR && k->ch == CTRL_RIGHT_BRACKET) {
		u->input = 0;
		return;
	}
	if (!u->has_pty)
		return;
	if (k->code == TK_CHAR) {
		pty_write(&u->pty, buf, utf8_encode(k->ch, buf));
		return;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].code == k->code)
			pty_write(&u->pty, keys[i].seq, strlen(keys[i].seq));
}

void live_resize(struct ui *u)
{
	int cols, rows, w, h;

	if (!u->has_pty)
		return;
	/* the layout follows the new size at the next frame; this guess is corrected then */
	tui_size(&w, &h);
	if (view_grid_resize(&u->grid, w, h) == 0) {
		view_render(u->view, &u->grid, tui_glyphs(), u->s, &u->vs, &u->st, u->raw, ui_now());
		pane_size(u, &cols, &rows);
		pty_resize(&u->pty, cols, rows);
	}
}

/* The demo's name, the command line with its program's base name, or the process attached to. */
static const char *live_title(const struct ui_live_opts *o, char *buf, size_t len)
{
	const char *slash;
	size_t n;

	if (o->demo)
		return o->demo;
	if (o->attach) {
		snprintf(buf, len, _("pid %d"), (int)o->attach);
		return buf;
	}
	if (o->unit) {
		snprintf(buf, len, _("unit %s"), o->unit);
		return buf;
	}
	if (o->cgroup) {
		snprintf(buf, len, _("cgroup %s"), o->cgroup);
		return buf;
	}
	slash = strrchr(o->argv[0], '/');
	n = (size_t)snprintf(buf, len, "%s", slash ? slash + 1 : o->argv[0]);
	for (int i = 1; o->argv[i] && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, " %s", o->argv[i]);
	return buf;
}

int ui_run_live(const struct ui_live_opts *o, char *why, size_t whylen)
{
	char title[256];
	struct ui u;
	int status;

	if (ui_init(&u, live_title(o, title, sizeof(title)))) {
		ui_fini(&u);
		snprintf(why, whylen, _("out of memory"));
		return 1;
	}
	status = start(&u, o, 1, why, whylen);
	if (!status)
		ui_loop(&u);
	ui_fini(&u);
	return status;
}

int ui_live(const struct ui_live_opts *o)
{
	char why[512] = "", title[256];
	const char *err;
	struct ui u;
	int status = ui_init(&u, live_title(o, title, sizeof(title))) ? 1 : 0;

	if (!status)
		status = start(&u, o, 0, why, sizeof(why));
	if (!status && tui_init(&err)) {
		snprintf(why, sizeof(why), "%s", err);
		status = 1;
	}
	if (!status) {
		ui_loop(&u);
		tui_done();
		status = u.exit_status >= 0 ? u.exit_status : 1;
	} else if (why[0]) {
		fprintf(stderr, "forkscope: %s\n", why);
	}
	ui_fini(&u);
	return status;
}
