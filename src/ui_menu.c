// SPDX-License-Identifier: GPL-2.0
/* The demo menu: `forkscope` with no arguments. Live demos for root, the bundled recordings for everyone. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include "demo_path.h"
#include "demo_table.h"
#include "session_find.h"
#include "ui_impl.h"
#include "i18n.h"

#define MAX_DEMOS 64

struct menu {
	struct view_menu_item items[MAX_DEMOS];
	char marks[MAX_DEMOS][32];
	int live[MAX_DEMOS], recorded[MAX_DEMOS];
	int n, sel, root, verbose;
	char sessions[PATH_MAX - 128]; /* room for "/NAME.jsonl" in a path */
	char message[512];
};

static void menu_build(struct menu *m)
{
	char path[PATH_MAX];
	size_t n;
	const struct fs_demo *d = demo_table(&n);
	int have_sessions = session_find_dir("sessions", m->sessions, sizeof(m->sessions)) == 0;

	m->root = geteuid() == 0;
	for (size_t i = 0; i < n && m->n < MAX_DEMOS; i++, m->n++) {
		m->live[m->n] = m->root && demo_path(d[i].name, path, sizeof(path)) == 0;
		snprintf(path, sizeof(path), "%s/%s.jsonl", m->sessions, d[i].name);
		m->recorded[m->n] = have_sessions && access(path, R_OK) == 0;
		snprintf(m->marks[m->n], sizeof(m->marks[m->n]), "%s%s%s", m->live[m->n] ? _("live") : "",
			 m->live[m->n] && m->recorded[m->n] ? " + " : "", m->recorded[m->n] ? _("recorded") : "");
		m->items[m->n] = (struct view_menu_item){ d[i].name, _(d[i].summary), m->marks[m->n] };
	}
}

static void menu_draw(struct menu *m, struct view_grid *g)
{
	static const char root_footer[] = N_(" Enter run it live, traced   r replay its recording   q quit");
	static const char user_footer[] = N_(" Enter replay the recording (to trace live: sudo forkscope)   q quit");
	int w, h;

	tui_size(&w, &h);
	if (view_grid_resize(g, w, h))
		return;
	view_render_menu(g, tui_glyphs(), m->root ? _("pick a demo: it runs live and is traced") :
			 _("pick a demo: its bundled recording is replayed"), m->items, m->n, m->sel,
			 _(m->root ? root_footer : user_footer), m->message);
	tui_blit(g);
}

/* Runs the selected demo: live when possible and wanted, else its recording. */
static void menu_launch(struct menu *m, int want_live)
{
	const struct view_menu_item *it = &m->items[m->sel];
	char path[PATH_MAX];

	m->message[0] = '\0';
	if (want_live && m->live[m->sel]) {
		char *argv[] = { path, NULL };
		struct ui_live_opts o = { .argv = argv, .demo = it->name, .verbose = m->verbose };

		demo_path(it->name, path, sizeof(path));
		ui_run_live(&o, m->message, sizeof(m->message));
	} else if (m->recorded[m->sel]) {
		snprintf(path, sizeof(path), "%s/%s.jsonl", m->sessions, it->name);
		ui_run_replay(path, 1.0, m->message, sizeof(m->message));
	} else {
		snprintf(m->message, sizeof(m->message), _(" %s: no recording found%s"), it->name,
			 m->root ? _(" (make sessions records them)") : _("; run 'sudo forkscope' to trace it live"));
	}
}

/* One key: 1 to leave the menu. */
static int menu_key(struct menu *m, const struct tui_key *k)
{
	if (k->code == TK_F10 || (k->code == TK_CHAR && (k->ch == 'q' || k->ch == 3)))
		return 1;
	if (k->code == TK_UP || (k->code == TK_CHAR && k->ch == 'k'))
		m->sel = m->sel > 0 ? m->sel - 1 : 0;
	else if (k->code == TK_DOWN || (k->code == TK_CHAR && k->ch == 'j'))
		m->sel = m->sel + 1 < m->n ? m->sel + 1 : m->sel;
	else if (k->code == TK_HOME || k->code == TK_END)
		m->sel = k->code == TK_HOME ? 0 : m->n - 1;
	else if (k->code == TK_ENTER)
		menu_launch(m, 1);
	else if (k->code == TK_CHAR && k->ch == 'r')
		menu_launch(m, 0);
	else if (k->code == TK_CLICK && k->y >= 2 && k->y - 2 < m->n)
		m->sel = k->y - 2;
	return 0;
}

/* 1 for SIGINT, SIGTERM or SIGHUP from outside; a SIGCHLD only reaps a stray orphan. */
static int stop_signal(int sfd)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(sfd, &si, sizeof(si)) == sizeof(si))
		stop |= si.ssi_signo != SIGCHLD;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return stop;
}

int ui_menu(int verbose)
{
	struct menu m = { .verbose = verbose };
	struct view_grid g = { 0 };
	const char *why;
	struct tui_key k;
	int sfd = ui_signals(), done = 0;

	menu_build(&m);
	if (sfd < 0 || tui_init(&why)) {
		fprintf(stderr, "forkscope: %s\n", sfd < 0 ? _("out of resources") : why);
		return 1;
	}
	while (!done) {
		struct pollfd pfd[2] = { { tui_fd(), POLLIN, 0 }, { sfd, POLLIN, 0 } };

		menu_draw(&m, &g);
		/* a resize interrupts the wait: its KEY_RESIZE is read below, the next draw has the new size */
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			done = stop_signal(sfd);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			done = 1; /* the terminal is gone */
		while (!done && tui_key(&k))
			done = menu_key(&m, &k);
	}
	tui_done();
	view_grid_free(&g);
	return 0;
}
