// SPDX-License-Identifier: GPL-2.0
/*
 * The TUI without a terminal: golden screens of a recorded session at 80x24 and
 * 120x40 (UPDATE_GOLDEN=1 rewrites them: review every one by eye), and the
 * pieces under them: escaping, narration, output lines, lessons, seeking, replay; then the
 * same screens in Chinese (the catalogue built in build/locale) and CJK and emoji in argv.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "i18n.h"
#include "lesson_bind.h"
#include "lesson_quiz.h"
#include "narrate.h"
#include "session.h"
#include "session_lesson.h"
#include "source_replay.h"
#include "unit.h"
#include "view.h"

#define GOLDEN "tests/golden/"
#define SEC 1000000000ull

/* A recorded session and its demo's lesson from the lessons directory. */
static struct session *load_log(const char *path, const char *lessons, struct replay_info *info)
{
	struct session *s;
	char err[256];

	if (session_new(&s))
		return NULL;
	if (replay_load(s, path, info, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		session_free(s);
		return NULL;
	}
	session_set_lesson(s, lessons, info->demo);
	return s;
}

/* The recorded session (the pipe demo, traced for real under a pty) and its lesson. */
static struct session *load(struct replay_info *info)
{
	return load_log(GOLDEN "pipe.jsonl", GOLDEN "lessons", info);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 1 << 20);
	n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The first line that differs, both ways (the roles block follows the text block). */
static void show_difference(const char *path, const char *want, const char *have)
{
	int line = 1;

	if (!want || !have) {
		fprintf(stderr, "%s: %s\n", path, want ? "no screen" : "missing (UPDATE_GOLDEN=1 writes it)");
		return;
	}
	while (*want && *want == *have) {
		line += *want == '\n';
		want++, have++;
	}
	while (line > 1 && want[-1] != '\n')
		want--, have--;
	fprintf(stderr, "%s:%d differs:\n  want: %.*s\n  have: %.*s\n", path, line,
		(int)strcspn(want, "\n"), want, (int)strcspn(have, "\n"), have);
}

/* Compares the grid (text and roles) with tests/golden/NAME.txt, or writes it under UPDATE_GOLDEN. */
static int golden(const char *name, const struct view_grid *g)
{
	char path[256], *want, *have = view_grid_text(g, 1);
	int same;

	snprintf(path, sizeof(path), GOLDEN "%s.txt", name);
	if (getenv("UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		if (f) {
			fputs(have, f);
			fclose(f);
		}
	}
	want = read_file(path);
	same = want && have && !strcmp(want, have);
	if (!same)
		show_difference(path, want, have);
	free(want);
	free(have);
	return same;
}

struct screen {
	struct view *v;
	struct view_grid g;
	struct view_state vs;
	struct view_status st;
};

static void screen_init(struct screen *sc, const struct replay_info *info)
{
	memset(sc, 0, sizeof(*sc));
	view_new(&sc->v);
	sc->vs.lesson_top = -1;
	sc->st.mode = VIEW_REPLAY;
	sc->st.title = "pipe.jsonl";
	sc->st.speed = 1;
	sc->st.paused = 1;
	sc->st.duration = info->duration;
	sc->st.exit_status = info->exit_status;
}

static void render(struct screen *sc, const struct session *s, int w, int h, uint64_t ui_now,
		   const struct view_glyphs *gl)
{
	view_grid_resize(&sc->g, w, h);
	sc->st.now = model_now(session_model(s));
	sc->st.ended = session_applied(s) == session_count(s);
	view_render(sc->v, &sc->g, gl, s, &sc->vs, &sc->st, NULL, ui_now);
}

static void screen_free(struct screen *sc)
{
	view_free(sc->v);
	view_grid_free(&sc->g);
}

static int has_role(const struct view_grid *g, int role)
{
	for (int i = 0; i < g->w * g->h; i++)
		if (g->cells[i].role == role)
			return 1;
	return 0;
}

/* No cell may hold a control character: nothing from the kernel reaches the terminal raw. */
static int grid_clean(const struct view_grid *g)
{
	for (int i = 0; i < g->w * g->h; i++)
		if ((g->cells[i].ch && g->cells[i].ch < 0x20) || g->cells[i].ch == 0x7f ||
		    (g->cells[i].ch >= 0x80 && g->cells[i].ch < 0xa0))
			return 0;
	return 1;
}

static int grid_has(const struct view_grid *g, const char *text)
{
	char *t = view_grid_text(g, 0);
	int has = t && strstr(t, text);

	free(t);
	return has;
}

static void test_golden_end(void)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct screen sc;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(!strcmp(info.demo, "pipe"));
	screen_init(&sc, &info);
	CHECK(session_seek(s, session_count(s)) == 0);
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	CHECK(golden("pipe-end-80x24", &sc.g));
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	CHECK(golden("pipe-end-120x40", &sc.g));
	render(&sc, s, 80, 24, 0, &view_glyphs_ascii);
	CHECK(golden("pipe-end-ascii-80x24", &sc.g));
	/* every process is a tomb: hidden, the tree says so, not "no process yet" */
	sc.vs.hide_tombs = 1;
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	CHECK(grid_has(&sc.g, "every process is a hidden tomb: t shows them") && !grid_has(&sc.g, "no process yet"));
	screen_free(&sc);
	session_free(s);
}

/* The second child was just forked and the first writes: what is new is highlighted. */
static void test_golden_mid(void)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct screen sc;

	if (!s)
		return;
	screen_init(&sc, &info);
	session_seek(s, 38);
	for (int i = 0; i < 8; i++)
		session_apply_next(s, SEC + (uint64_t)i * 10000000);
	render(&sc, s, 80, 24, SEC + 200000000, &view_glyphs_utf8);
	CHECK(golden("pipe-mid-80x24", &sc.g));
	CHECK(has_role(&sc.g, VR_FLASH));
	render(&sc, s, 120, 40, SEC + 200000000, &view_glyphs_utf8);
	CHECK(golden("pipe-mid-120x40", &sc.g));
	/* long after, nothing is highlighted any more */
	render(&sc, s, 80, 24, SEC + VIEW_ANIM_NS + SEC, &view_glyphs_utf8);
	CHECK(!has_role(&sc.g, VR_FLASH));
	screen_free(&sc);
	session_free(s);
}

/*
 * The details of a child that never forked say only that fork() returned 0 there: no number of
 * a fork of its own after it (there was none). At least one process of the session is such a child.
 */
static int child_side_alone(struct screen *sc, struct session *s)
{
	const char *side = "returned 0 here (the child's side)";
	uint32_t root = model_root(session_model(s))->pid;
	int seen = 0, clean = 1;

	for (uint32_t pid = root + 1; pid <= root + 6; pid++) {
		char *text, *at;

		sc->vs.sel_pid = pid;
		sc->vs.sel_serial = 0; /* found by its pid */
		render(sc, s, 120, 40, 0, &view_glyphs_utf8);
		text = view_grid_text(&sc->g, 0);
		at = text ? strstr(text, side) : NULL;
		seen |= at != NULL;
		clean &= !at || at[strlen(side)] == ' ' || at[strlen(side)] == ';';
		free(text);
	}
	return seen && clean;
}

static void test_golden_overlays(void)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct screen sc;

	if (!s)
		return;
	screen_init(&sc, &info);
	session_seek(s, 50);
	sc.vs.overlay = OVERLAY_HELP;
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	CHECK(golden("help-80x24", &sc.g));
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	CHECK(golden("help-120x40", &sc.g));
	sc.vs.overlay = OVERLAY_DETAIL;
	sc.vs.sel_pid = model_root(session_model(s))->pid + 3; /* the pipeline's writer */
	sc.vs.sel_serial = 0; /* found by its pid */
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	CHECK(golden("detail-120x40", &sc.g));
	CHECK(child_side_alone(&sc, s));
	sc.vs.overlay = OVERLAY_NONE;
	sc.vs.follow = 1;
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	CHECK(golden("follow-120x40", &sc.g));
	render(&sc, s, 60, 20, 0, &view_glyphs_utf8);
	CHECK(golden("small-60x20", &sc.g));
	screen_free(&sc);
	session_free(s);
}

static void test_golden_menu(void)
{
	static const struct view_menu_item items[] = {
		{ "fork", "os.fork(): one call returns twice", "live + recorded" },
		{ "zombie", "a child stays a zombie until reaped", "recorded" },
		/* longer than its column: cut with an ellipsis */
		{ "pool", "multiprocessing.Pool: 4 worker processes take 5 tasks from one queue", "live" },
	};
	struct view_grid g = { 0 };

	view_grid_resize(&g, 80, 24);
	view_render_menu(&g, &view_glyphs_utf8, "pick a demo", items, 3, 1, " Enter run it", NULL);
	CHECK(golden("menu-80x24", &g));
	view_grid_free(&g);
}

static struct fs_event ev(uint32_t type, uint64_t ts, uint32_t pid, const char *comm)
{
	struct fs_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.ts = ts;
	e.pid = e.tid = pid;
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	return e;
}

/* A workload that prints terminal escapes and names itself with them cannot reach the terminal. */
static void test_hostile_text(void)
{
	static const char evil[] = "\033[2J\033]0;pwned\007\r\x9b" "31m\xff\xfe";
	struct fs_event e = ev(FS_EV_EXEC, 1000, 100, "\033[31mred");
	struct session *s;
	struct screen sc;
	struct replay_info info = { .duration = 3000 };

	CHECK(session_new(&s) == 0);
	session_set_root(s, 100, 1);
	e.exec.filename_len = (uint16_t)sprintf(e.exec.filename, "/bin/%s", evil);
	memcpy(e.exec.argv, "a\0\033[H\0", 6);
	e.exec.argv_len = 6;
	session_append(s, &e);
	e = ev(FS_EV_OUTPUT, 2000, 100, "x");
	e.output.len = (uint32_t)sprintf(e.output.text, "hi %s there\n", evil);
	session_append(s, &e);
	e = ev(FS_EV_MARK, 3000, 100, "x");
	e.mark.len = (uint32_t)sprintf(e.mark.text, "%s", evil);
	session_append(s, &e);
	session_seek(s, 3);
	screen_init(&sc, &info);
	sc.vs.overlay = OVERLAY_DETAIL;
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	CHECK(grid_clean(&sc.g));
	sc.vs.overlay = OVERLAY_NONE;
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	CHECK(grid_clean(&sc.g));
	CHECK(golden("hostile-80x24", &sc.g));
	screen_free(&sc);
	session_free(s);
}

static void test_put_escapes(void)
{
	struct view_grid g = { 0 };
	struct view_rect all = { 0, 0, 20, 1 };
	char *t;

	view_grid_resize(&g, 20, 1);
	CHECK(view_puts(&g, &view_glyphs_utf8, all, 0, 0, "\033[1m\tok\xff", VR_NORMAL, 0) == 12);
	t = view_grid_text(&g, 0);
	CHECK(!strcmp(t, "^[[1m ok\\xff\n"));
	free(t);
	view_grid_clear(&g);
	/* a wide character takes two cells; one that would be cut by the edge is not drawn */
	CHECK(view_puts(&g, &view_glyphs_utf8, all, 18, 0, "进程", VR_NORMAL, 0) == 22);
	CHECK(g.cells[18].ch == 0x8fdb && g.cells[19].ch == 0);
	view_grid_clear(&g);
	CHECK(view_puts(&g, &view_glyphs_ascii, all, 0, 0, "é", VR_NORMAL, 0) == 8);
	t = view_grid_text(&g, 0);
	CHECK(!strcmp(t, "\\xc3\\xa9\n"));
	free(t);
	view_grid_free(&g);
}

/* view_text_plain is the row view_put would draw, read back: checked against the grid itself. */
static void check_plain(const struct view_glyphs *gl, const char *s)
{
	struct view_grid g = { 0 };
	size_t n = strlen(s), len;
	int w = view_text_width(gl, s, n);
	char out[256], *t;

	view_grid_resize(&g, w > 0 ? w : 1, 1);
	view_put(&g, gl, (struct view_rect){ 0, 0, g.w, 1 }, 0, 0, s, n, VR_NORMAL, 0);
	t = view_grid_text(&g, 0);
	len = view_text_plain(gl, s, n, out);
	CHECK(len + 1 == strlen(t) && !memcmp(out, t, len));
	free(t);
	view_grid_free(&g);
}

static void test_text_plain(void)
{
	static const char *const texts[] = {
		"876 forked 877", "", "   ", "trailing blanks \t \t", "\033[1m\tok\xff", "\x7f^\x01",
		"e\xcc\x81 (a combining accent)", "进程 878 退出了", "\xc2\x85 C1, \xc2\xa0 no-break space ",
		"\xf0\x9f\x98\x80 and a cut \xe8\xbf", "\xed\xa0\x80 a surrogate", "x\xe2\x80\x8b",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		check_plain(&view_glyphs_utf8, texts[i]);
		check_plain(&view_glyphs_ascii, texts[i]);
	}
}

static void test_narrate(void)
{
	struct fs_event e = ev(FS_EV_FORK, 1, 876, "sh");
	char buf[256];

	e.fork.child_pid = e.fork.child_tid = 877;
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, "876 forked 877: fork() returns twice, 877 in the parent and 0 in the child"));
	e = ev(FS_EV_FORK_RETURN, 1, 877, "sh");
	e.fork_return.sysnr = 56;
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, "clone() returned 0 in the child 877: the same code, the other branch"));
	e = ev(FS_EV_REAP, 1, 876, "sh");
	e.reap.child = 877;
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, "876 reaped 877 with wait: the zombie is gone and its pid is free"));
	e = ev(FS_EV_IPC, 1, 877, "sh");
	e.ipc.op = FS_IPC_READ;
	e.ipc.chan_kind = FS_CHAN_PIPE;
	e.ipc.chan = 20247;
	e.ipc.bytes = -11;
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, "877: read on pipe:[20247] failed with EAGAIN"));
	/* the length needed comes back when the buffer is short, as with snprintf */
	CHECK(narrate_event(buf, 8, &e) == (int)strlen("877: read on pipe:[20247] failed with EAGAIN"));
	CHECK(strlen(buf) == 7);
	/* a freeze names the breakpoint's event and process, or says only that it was one when lost */
	e = ev(FS_EV_STEP, 1, 876, "sh");
	e.step = (struct fs_ev_step){ .op = FS_STEP_FREEZE, .method = FS_FREEZE_CGROUP, .procs = 2, .at_type = FS_EV_FORK };
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, "frozen at 876's fork(), before parent or child runs past it: 2 processes held by the cgroup freezer"));
	e.step.method = FS_FREEZE_SIGSTOP;
	e.step.at_type = FS_EV_EXEC;
	e.step.procs = 1;
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, "frozen at 876's exec, before the new program's first instruction: 1 process stopped with SIGSTOP"));
	e.pid = 0;
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, "frozen at a breakpoint: 1 process stopped with SIGSTOP"));
}

static void feed(struct line_buf *lb, uint32_t pid, const char *s)
{
	lines_feed(lb, pid, 1, s, strlen(s));
}

static void test_lines(void)
{
	struct line_buf *lb;

	CHECK(lines_new(&lb, 3) == 0);
	feed(lb, 1, "hel");
	feed(lb, 2, "other\r\n");
	feed(lb, 1, "lo\n\033[31mred\033[0m\tx\n");
	CHECK(lines_count(lb) == 3);
	CHECK(lines_get(lb, 0)->pid == 1 && lines_get(lb, 0)->len == 5 && !memcmp(lines_get(lb, 0)->text, "hello", 5));
	CHECK(lines_get(lb, 1)->pid == 2 && lines_get(lb, 1)->len == 5);
	CHECK(lines_get(lb, 2)->len == 9 && !memcmp(lines_get(lb, 2)->text, "red     x", 9));
	feed(lb, 3, "more");
	CHECK(lines_count(lb) == 3 && lines_total(lb) == 4 && lines_get(lb, 2)->open);
	lines_free(lb);
}

static void test_lesson(void)
{
	static const char md[] =
		"# demo: a title with a [link](x.md)\n\nintro\n\n## Steps\n\n"
		"1. **Start.** It begins\n   and goes on.\n"
		"2. **`task N started on worker W`** for tasks 0-3:\n   each.\n"
		"3. **`tour: NAME`** before each, **`tour: orphan`** once.\n"
		"4. **`listen on 127.0.0.1:PORT`.** `pipe:[N]` stays.\n"
		"5. **The parent queues 5 tasks**: 5 writes.\n"
		"6. Steps 2-4 repeat.\n\n## Questions\n\n1. Why?\n";
	struct lesson *l;

	CHECK(lesson_parse(&l, "demo", md, strlen(md)) == 0);
	CHECK(l->nsteps == 6);
	CHECK(!strcmp(l->title, "demo: a title with a link"));
	CHECK(!strcmp(l->steps[0].title, "Start.") && !strcmp(l->steps[0].body, "It begins and goes on."));
	CHECK(!strcmp(l->steps[3].body, "`pipe:[N]` stays."));
	/* the punctuation after a bold lead is the title's: the body never begins with it */
	CHECK(!strcmp(l->steps[4].title, "The parent queues 5 tasks:") && !strcmp(l->steps[4].body, "5 writes."));
	CHECK(!strcmp(l->steps[1].title, "`task N started on worker W`") && l->steps[1].body[0] == 'f');
	/* a step without a bold lead is all title, not an empty line */
	CHECK(!strcmp(l->steps[5].title, "Steps 2-4 repeat.") && !l->steps[5].body[0] && !l->steps[5].nkeys);
	CHECK(lesson_match(l, "task 3 started on worker 2", 26) == 1);
	CHECK(lesson_match(l, "tour: fork", 10) == 2);
	CHECK(lesson_match(l, "listen on 127.0.0.1:40123", 25) == 3);
	CHECK(lesson_match(l, "task started", 12) == -1);
	lesson_free(l);
	CHECK(lesson_parse(&l, "x", "# no steps\n", 11) == -ENOENT);
}

/* A Chinese lesson: "## 步骤", a body after "。**", Chinese lines joined without a space. */
static void test_lesson_zh(void)
{
	static const char md[] = "# pipe：单向通道\n\n## 步骤\n\n1. **开始。** 日志以\n   exec 开头，父进程\n   打印。\n"
				 "2. **`fork returned 877 in parent`** 和 **`fork returned 0 in child`.** 就在它们之前。\n"
				 "3. **父进程放入 5 个任务**：5 次写入。\n";
	struct lesson *l;

	CHECK(lesson_parse(&l, "pipe", md, strlen(md)) == 0);
	if (!l)
		return;
	CHECK(l->nsteps == 3);
	CHECK(!strcmp(l->steps[2].title, "父进程放入 5 个任务：") && !strcmp(l->steps[2].body, "5 次写入。"));
	CHECK(!strcmp(l->steps[0].title, "开始。"));
	CHECK(!strcmp(l->steps[0].body, "日志以 exec 开头，父进程打印。"));
	CHECK(!strcmp(l->steps[1].title, "`fork returned 877 in parent` 和 `fork returned 0 in child`."));
	CHECK(l->steps[1].nkeys == 2);
	lesson_free(l);
	/* after full-width punctuation no space either, even before code; before it, as written */
	CHECK(lesson_parse(&l, "x", "## 步骤\n\n1. **开始。** 信号 SIGTERM。\n   `read()` 结束，\n   然后 `x`\n   退出。\n", 95) == 0);
	CHECK(l && !strcmp(l->steps[0].body, "信号 SIGTERM。`read()` 结束，然后 `x` 退出。"));
	lesson_free(l);
}

/* Every Chinese lesson in docs/ has the English one's steps, and each step the same marks. */
static void test_lessons_both_languages(void)
{
	static const char *const names[] = { "file", "fork", "mqueue", "orphan", "pipe", "pool", "process", "queue",
					     "semaphore", "shm", "signal", "socket", "states", "subprocess", "tour", "zombie" };
	char path[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct lesson *en = NULL, *zh = NULL;

		snprintf(path, sizeof(path), "docs/lessons/%s.md", names[i]);
		CHECK(lesson_load(&en, names[i], path) == 0);
		snprintf(path, sizeof(path), "docs/lessons/zh/%s.md", names[i]);
		CHECK(lesson_load(&zh, names[i], path) == 0);
		CHECK(en && zh && en->nsteps == zh->nsteps);
		for (int k = 0; en && zh && k < en->nsteps && k < zh->nsteps; k++) {
			CHECK(en->steps[k].nkeys == zh->steps[k].nkeys);
			for (int j = 0; j < en->steps[k].nkeys && j < zh->steps[k].nkeys; j++)
				CHECK(!strcmp(en->steps[k].keys[j], zh->steps[k].keys[j]));
		}
		lesson_free(en);
		lesson_free(zh);
	}
}

/* A closing step without a mark of its own is current once the session has ended, not before. */
static void test_lesson_closing_step(void)
{
	static const char *const ends[][2] = {
		{ "pool", "\u25b8 6. End of queue." }, { "states", "\u25b8 6. End." }, { "orphan", "\u25b8 4. The orphan exits." },
	};
	struct replay_info info;
	struct screen sc;
	char path[128];

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		struct session *s;

		snprintf(path, sizeof(path), "examples/sessions/%s.jsonl", ends[i][0]);
		if (!(s = load_log(path, "docs/lessons", &info)))
			continue;
		screen_init(&sc, &info);
		session_seek(s, session_count(s) - 1);
		render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
		CHECK(!grid_has(&sc.g, ends[i][1]));
		session_seek(s, session_count(s));
		render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
		CHECK(grid_has(&sc.g, ends[i][1]));
		screen_free(&sc);
		session_free(s);
	}
}

/* The first applied mark that begins step, or SIZE_MAX. */
static size_t first_mark_of(const struct session *s, const struct lesson *l, int step)
{
	for (size_t i = 0; i < session_applied(s); i++) {
		const struct fs_event *e = session_peek(s, i);

		if (e && e->type == FS_EV_MARK &&
		    lesson_match(l, e->mark.text, e->mark.len < FS_MARK_LEN ? e->mark.len : FS_MARK_LEN) == step)
			return i;
	}
	return SIZE_MAX;
}

/*
 * At every moment, Enter in the lesson pane goes to the mark that made the current step
 * current (pipe's `pipeline` names no value, `write` only one that its mark comes before).
 */
static void test_lesson_link(void)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct screen sc;
	int marked = 0;

	if (!s)
		return;
	screen_init(&sc, &info);
	for (size_t n = 0; n <= session_count(s); n++) {
		size_t want, event = SIZE_MAX;
		uint32_t pid = 0;

		session_seek(s, n);
		render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
		if (!session_lesson(s) || session_lesson_step(s) < 0)
			continue;
		want = first_mark_of(s, session_lesson(s), session_lesson_step(s));
		if (want == SIZE_MAX)
			continue;
		marked++;
		CHECK(view_lesson_link(sc.v, &event, &pid) == 0 && event == want && pid == session_peek(s, want)->pid);
	}
	CHECK(marked > 60);
	screen_free(&sc);
	session_free(s);
}

/* Seeking backwards rebuilds the model: the screen is the one a forward replay shows. */
static void test_seek_back(void)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct screen a, b;
	char *ta, *tb;

	if (!s)
		return;
	screen_init(&a, &info);
	screen_init(&b, &info);
	session_seek(s, 30);
	render(&a, s, 120, 40, 0, &view_glyphs_utf8);
	ta = view_grid_text(&a.g, 1);
	session_seek(s, session_count(s));
	session_seek(s, 30);
	CHECK(session_applied(s) == 30);
	render(&b, s, 120, 40, 0, &view_glyphs_utf8);
	tb = view_grid_text(&b.g, 1);
	CHECK(ta && tb && !strcmp(ta, tb));
	free(ta);
	free(tb);
	screen_free(&a);
	screen_free(&b);
	session_free(s);
}

static void test_replay_clock(void)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct replay_clock c;
	struct fs_event e;

	if (!s)
		return;
	replay_clock_init(&c, 1.0, 0);
	replay_advance(&c, s, 0, 1);
	/* after 5 ms of wall time at 1x, exactly the events up to 5 ms are applied */
	replay_advance(&c, s, 5000000, 1);
	CHECK(session_applied(s) > 0 && !session_event(s, session_applied(s) - 1, &e) && e.ts <= 5000000);
	CHECK(!session_event(s, session_applied(s), &e) && e.ts > 5000000);
	replay_speed(&c, 2, 5000000);
	replay_advance(&c, s, 6000000, 1); /* 1 ms at 2x: 7 ms of session */
	CHECK(c.pos == 7000000);
	replay_set_paused(&c, 1, 6000000);
	replay_advance(&c, s, 60000000, 1);
	CHECK(c.pos == 7000000);
	size_t n = session_applied(s);
	replay_step(&c, s, 1, 60000000, 1);
	CHECK(session_applied(s) == n + 1);
	replay_step(&c, s, -1, 60000000, 1);
	replay_step(&c, s, -1, 60000000, 1);
	CHECK(session_applied(s) == n - 1);
	CHECK(replay_seek_mark(&c, s, 1, 0) == 0);
	CHECK(!session_event(s, session_applied(s) - 1, &e) && e.type == FS_EV_MARK);
	CHECK(replay_seek(&c, s, session_count(s), 0) == 0 && replay_at_end(s));
	CHECK(c.pos == info.duration);
	session_free(s);
}

/* A wide character always has its second column (a 0 cell) beside it, inside the row. */
static int grid_wide_whole(const struct view_grid *g)
{
	for (int y = 0; y < g->h; y++)
		for (int x = 0; x < g->w; x++) {
			const struct view_cell *c = &g->cells[y * g->w + x];
			int wide = c->ch >= 0x80 && wcwidth((wchar_t)c->ch) == 2;

			if (wide && (x + 1 == g->w || c[1].ch != 0))
				return 0;
			if (c->ch == 0 && (x == 0 || wcwidth((wchar_t)c[-1].ch) != 2))
				return 0;
		}
	return 1;
}

/* The column a box's right border is in on row y, or -1: boxes must close at the same column. */
static int right_border(const struct view_grid *g, int y, int from)
{
	for (int x = g->w - 1; x >= from; x--)
		if (g->cells[y * g->w + x].ch == 0x2502 || g->cells[y * g->w + x].ch == 0x2510)
			return x;
	return -1;
}

/* The recorded session in Chinese: state words, titles, notes, narration, help and details. */
/* Applies events until the engine opens a question (1) or decides one (its result), or the end. */
static int play_until(struct session *s, struct lesson_quiz *q, const struct quiz_entry **result)
{
	struct fs_event e;

	while (session_apply_next(s, 0)) {
		if (lesson_quiz_update(q, s, 1))
			return 1;
		if (result && lesson_quiz_result(q, &e, result))
			return 1;
	}
	return 0;
}

/* Row y of the grid's text, trailing blanks cut (the caller frees it). */
static char *row_of(const struct view_grid *g, int y)
{
	char *text = view_grid_text(g, 0), *row = text;
	size_t len;

	for (int i = 0; row && i < y && (row = strchr(row, '\n')); i++)
		row++;
	if (!row) {
		free(text);
		return NULL;
	}
	len = strcspn(row, "\n");
	memmove(text, row, len);
	text[len] = '\0';
	return text;
}

/* The words of the status and key bars that test_bars_narrow looks for, in one language. */
struct bar_words {
	const char *name, *state_speed_predict, *counts_rate_lost, *counts_lost0, *hint_last[3];
	const char *ended, *counts_lost, *lost_max;
};

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);

	return n >= k && !strcmp(s + n - k, end);
}

/*
 * The bar at rate 16 (top) and at rates that take more digits: each the same but for the rate,
 * which shows in the same columns or in none (not one frame shown, the next given up).
 */
static int rate_moves_nothing(struct screen *sc, struct session *s, int w, const char *top)
{
	static const char *const rates[][2] = { { "0", "   0/s" }, { "9876", "9.9k/s" }, { "647000", "647k/s" } };
	const char *at = strstr(top, "  16/s");
	int same = 1;

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		char *other;

		sc->st.rate = atof(rates[i][0]);
		render(sc, s, w, 24, 0, &view_glyphs_utf8);
		other = row_of(&sc->g, 0);
		if (other && at && strlen(other) == strlen(top)) {
			same &= !memcmp(other + (at - top), rates[i][1], 6);
			memcpy(other + (at - top), "  16/s", 6);
		}
		same &= other && !strcmp(other, top);
		free(other);
	}
	sc->st.rate = 16;
	render(sc, s, w, 24, 0, &view_glyphs_utf8);
	return same;
}

/*
 * A narrow terminal gives up the bars' lesser parts whole, at every width from 80 columns: the
 * mode, the state, the clock, the counts and "lost" stay on the status bar whatever else it
 * holds, the rate goes (below 90 columns here) and then the predict key when the name would keep
 * less than TITLE_MIN columns, the name is cut; no key hint is cut short, nothing runs past the
 * edge.
 */
static void test_bars_narrow(const struct bar_words *bw)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct screen sc;
	char *top, *bottom;

	if (!s)
		return;
	screen_init(&sc, &info);
	sc.st.title = "/home/learner/sessions/pool-first-try.jsonl";
	sc.st.paused = 0;
	sc.st.questions = 1;
	sc.st.rate = 16;
	for (int w = 80; w <= 120; w++) {
		render(&sc, s, w, 24, 0, &view_glyphs_utf8);
		top = row_of(&sc.g, 0);
		bottom = row_of(&sc.g, 23);
		CHECK(top && strstr(top, bw->name) && strstr(top, bw->state_speed_predict) &&
		      (ends_with(top, bw->counts_rate_lost) || (w < 90 && ends_with(top, bw->counts_lost0))));
		CHECK(bottom && (ends_with(bottom, bw->hint_last[0]) || ends_with(bottom, bw->hint_last[1]) ||
				 ends_with(bottom, bw->hint_last[2])));
		CHECK(grid_wide_whole(&sc.g));
		CHECK(rate_moves_nothing(&sc, s, w, top));
		free(top);
		free(bottom);
	}
	/* everything as wide as it gets: an ended replay, a long clock, a million events, many lost */
	while (session_apply_next(s, 0))
		;
	sc.st.rate = 1234567;
	sc.st.lost = 1234;
	sc.st.exit_status = 1;
	sc.st.speed = 0.25;
	sc.st.duration = 1234567000000ull;
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	top = row_of(&sc.g, 0);
	CHECK(top && strstr(top, bw->ended) && strstr(top, "/1234.567 s") && ends_with(top, bw->counts_lost));
	free(top);
	/* the slowest speeds as the fractions they are */
	sc.st.speed = 1.0 / 64;
	render(&sc, s, 120, 24, 0, &view_glyphs_utf8);
	top = row_of(&sc.g, 0);
	CHECK(top && strstr(top, "  1/64x  "));
	free(top);
	sc.st.speed = 0.25;
	/* the most a count can say: the name and the lesser parts give way, the count stays whole */
	sc.st.lost = UINT64_MAX;
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	top = row_of(&sc.g, 0);
	CHECK(top && strstr(top, bw->ended) && ends_with(top, bw->lost_max) && !strstr(top, "pool"));
	free(top);
	screen_free(&sc);
	session_free(s);
}

static const struct bar_words bars_en = {
	"REPLAY pool-", "playing  1x  p predict  0.000/0.022 s", "0/82 ev   16/s  lost 0", "0/82 ev  lost 0",
	{ "pane", "details", "search" }, "ended (exit 1)  ", "82/82 ev  lost 1234", "ev  lost 18446744073709551615",
};
static const struct bar_words bars_zh = {
	"回放 pool-", "回放中  1x  p 预测  0.000/0.022 s", "0/82 ev   16/s  丢失 0", "0/82 ev  丢失 0",
	{ "窗格", "详情", "搜索" }, "已结束（退出 1）  ", "82/82 ev  丢失 1234", "ev  丢失 18446744073709551615",
};

/* The pipe lesson's question over the screen, then the kernel's verdict on a wrong answer, with the score. */
static void test_golden_quiz(const char *prefix)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct lesson_quiz *q;
	const struct quiz_entry *result = NULL;
	struct screen sc;
	char name[64];

	if (!s || lesson_quiz_new(&q, LESSON_FILL_PLAIN, "\u2026"))
		return;
	screen_init(&sc, &info);
	CHECK(play_until(s, q, NULL) && lesson_quiz_open(q));
	sc.st.question = lesson_quiz_open(q);
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	snprintf(name, sizeof(name), "%spredict-80x24", prefix);
	CHECK(golden(name, &sc.g));
	CHECK(grid_wide_whole(&sc.g));
	/* nothing beside the question gives its answer away: not the step's text, nor a later step */
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	snprintf(name, sizeof(name), "%spredict-120x40", prefix);
	CHECK(golden(name, &sc.g));
	CHECK(!grid_has(&sc.g, "3. read") && grid_has(&sc.g, "2. write."));
	CHECK(prefix[0] || (!grid_has(&sc.g, "reads them") && !grid_has(&sc.g, "says: write")));
	CHECK(lesson_quiz_choose(q, 3) == 0);
	CHECK(play_until(s, q, &result) && result && result->right == 1);
	sc.st.question = NULL;
	sc.st.result = result;
	sc.st.quiz = 1;
	lesson_quiz_score(q, &sc.st.score_right, &sc.st.score_answered);
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	snprintf(name, sizeof(name), "%spredict-wrong-120x40", prefix);
	CHECK(golden(name, &sc.g));
	CHECK(prefix[0] || grid_has(&sc.g, "says: write")); /* answered: the question's event is told */
	CHECK(grid_wide_whole(&sc.g));
	lesson_quiz_free(q);
	screen_free(&sc);
	session_free(s);
}

static void test_golden_zh(void)
{
	struct replay_info info;
	struct session *s = load(&info);
	struct screen sc;

	if (!s)
		return;
	screen_init(&sc, &info);
	CHECK(session_seek(s, session_count(s)) == 0);
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	CHECK(golden("zh-pipe-end-80x24", &sc.g));
	CHECK(grid_wide_whole(&sc.g));
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	CHECK(golden("zh-pipe-end-120x40", &sc.g));
	CHECK(grid_wide_whole(&sc.g));
	session_seek(s, 50);
	sc.vs.overlay = OVERLAY_HELP;
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	CHECK(golden("zh-help-80x24", &sc.g));
	CHECK(grid_wide_whole(&sc.g));
	sc.vs.overlay = OVERLAY_DETAIL;
	sc.vs.sel_pid = model_root(session_model(s))->pid + 3;
	sc.vs.sel_serial = 0; /* found by its pid */
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	CHECK(golden("zh-detail-120x40", &sc.g));
	CHECK(grid_wide_whole(&sc.g));
	screen_free(&sc);
	session_free(s);
}

/* The words a held process is shown with, in the language of the moment. */
struct held_words {
	const char *word, *note, *label, *sentence;
};

/*
 * A process stopped while its registers still name a call: the tree says why it is held, not
 * that it sleeps in that call, the details add what lets it go, the narration says both.
 */
static void test_held(const struct held_words *w)
{
	struct fs_event e = ev(FS_EV_STATE, 1000, 100, "sleep");
	struct replay_info info = { .duration = 2000 };
	struct session *s;
	struct screen sc;
	char *text, buf[256];

	CHECK(session_new(&s) == 0);
	session_set_root(s, 100, 1);
	e.state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = 230, .stop = FS_STOP_SIGNAL };
	session_append(s, &e);
	session_seek(s, 1);
	screen_init(&sc, &info);
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	text = view_grid_text(&sc.g, 0);
	CHECK(text && strstr(text, w->word) && strstr(text, w->note) && !strstr(text, "clock_nanosleep"));
	free(text);
	sc.vs.overlay = OVERLAY_DETAIL;
	sc.vs.sel_pid = 100;
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	text = view_grid_text(&sc.g, 0);
	CHECK(text && strstr(text, w->label) && strstr(text, w->note));
	free(text);
	narrate_event(buf, sizeof(buf), &e);
	CHECK(!strcmp(buf, w->sentence));
	screen_free(&sc);
	session_free(s);
}

static const struct held_words held_en = {
	"stopped", "until SIGCONT (ps T)", "held",
	"100 is stopped (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU): ps shows T until SIGCONT lets it run on",
};
static const struct held_words held_zh = {
	"停止", "直到 SIGCONT（ps 显示 T）", "挂起",
	"100 已停止（SIGSTOP、SIGTSTP、SIGTTIN 或 SIGTTOU）：ps 显示 T，直到 SIGCONT 让它继续运行",
};

/* CJK and emoji in comm, argv and output: columns, tree lines and boxes stay aligned. */
static void test_golden_cjk_argv(const char *lang)
{
	char name[64];
	static const char args[] = "\xe4\xb8\x8b\xe8\xbd\xbd\xe5\x99\xa8\0--\xe5\x90\x8d\xe5\xad\x97=\xe4\xb8\x96\xe7\x95\x8c"
				    "\xf0\x9f\x8c\x8d\0\xf0\x9f\x98\x80\xe4\xbd\xa0\xe5\xa5\xbd\xf0\x9f\x98\x80\xe4\xbd\xa0\xe5\xa5\xbd"
				    "\xf0\x9f\x98\x80\xe4\xbd\xa0\xe5\xa5\xbd\xf0\x9f\x98\x80\xe4\xbd\xa0\xe5\xa5\xbd";
	struct fs_event e = ev(FS_EV_FORK, 1000, 100, "sh");
	struct replay_info info = { .duration = 4000 };
	struct session *s;
	struct screen sc;
	int border;

	CHECK(session_new(&s) == 0);
	session_set_root(s, 100, 1);
	e.fork.child_pid = e.fork.child_tid = 101;
	session_append(s, &e);
	e = ev(FS_EV_EXEC, 2000, 101, "\xe4\xb8\x8b\xe8\xbd\xbd\xe5\x99\xa8"); /* 下载器 */
	e.exec.filename_len = (uint16_t)sprintf(e.exec.filename, "/opt/\xe5\xb7\xa5\xe5\x85\xb7/%s", e.comm);
	memcpy(e.exec.argv, args, sizeof(args));
	e.exec.argv_len = sizeof(args);
	session_append(s, &e);
	e = ev(FS_EV_OUTPUT, 3000, 101, "x");
	e.output.len = (uint32_t)sprintf(e.output.text, "\xe4\xb8\x8b\xe8\xbd\xbd\xe5\xae\x8c\xe6\x88\x90 \xe2\x9c\x85\n");
	session_append(s, &e);
	session_seek(s, 3);
	screen_init(&sc, &info);
	render(&sc, s, 80, 24, 0, &view_glyphs_utf8);
	snprintf(name, sizeof(name), "%scjk-argv-80x24", lang);
	CHECK(golden(name, &sc.g));
	CHECK(grid_wide_whole(&sc.g));
	/* every row of the process box ends in its border at the same column */
	border = right_border(&sc.g, 2, 0);
	for (int y = 2; y < 7; y++)
		CHECK(right_border(&sc.g, y, 0) == border);
	render(&sc, s, 120, 40, 0, &view_glyphs_utf8);
	snprintf(name, sizeof(name), "%scjk-argv-120x40", lang);
	CHECK(golden(name, &sc.g));
	CHECK(grid_wide_whole(&sc.g));
	screen_free(&sc);
	session_free(s);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_put_escapes();
	test_text_plain();
	test_narrate();
	test_lines();
	test_lesson();
	test_lesson_zh();
	test_lessons_both_languages();
	test_golden_end();
	test_golden_mid();
	test_golden_overlays();
	test_golden_menu();
	test_hostile_text();
	test_lesson_closing_step();
	test_lesson_link();
	test_seek_back();
	test_replay_clock();
	test_golden_cjk_argv("");
	test_held(&held_en);
	test_golden_quiz("");
	test_bars_narrow(&bars_en);
	/* last: Chinese from here on (the catalogue of this build tree) */
	setenv("FORKSCOPE_LOCALEDIR", "build/locale", 1);
	CHECK(i18n_init("zh") == 0);
	CHECK(i18n_is_zh());
	test_golden_zh();
	test_golden_cjk_argv("zh-");
	test_held(&held_zh);
	test_golden_quiz("zh-");
	test_bars_narrow(&bars_zh);
	return UNIT_DONE("test_view");
}
