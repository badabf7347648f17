// SPDX-License-Identifier: GPL-2.0
/* Exports: filters (subtree, types, time), state stretches and IPC flows over time, safe text, the command. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "export.h"
#include "export_filter.h"
#include "export_impl.h"
#include "export_timeline.h"
#include "log.h"
#include "unit.h"

#define ROOT 100
#define TRACER 99

static struct fs_event ev(uint32_t type, uint64_t ts, uint32_t pid)
{
	static uint64_t seq;
	struct fs_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.seq = ++seq;
	e.ts = ts;
	e.pid = e.tid = pid;
	strcpy(e.comm, "demo");
	return e;
}

static struct fs_event fork_ev(uint64_t ts, uint32_t parent, uint32_t child)
{
	struct fs_event e = ev(FS_EV_FORK, ts, parent);

	e.fork.child_pid = e.fork.child_tid = child;
	return e;
}

static struct fs_event reap_ev(uint64_t ts, uint32_t reaper, uint32_t child)
{
	struct fs_event e = ev(FS_EV_REAP, ts, reaper);

	e.reap.child = child;
	return e;
}

static struct fs_event state_ev(uint64_t ts, uint32_t pid, uint32_t state, int32_t sysnr, uint64_t pipe)
{
	struct fs_event e = ev(FS_EV_STATE, ts, pid);

	e.state.state = state;
	e.state.sysnr = sysnr;
	e.state.chan_kind = pipe ? FS_CHAN_PIPE : FS_CHAN_NONE;
	e.state.chan = pipe;
	return e;
}

static struct fs_event ipc_ev(uint64_t ts, uint32_t pid, uint32_t op, uint32_t kind, uint64_t chan,
			      int64_t bytes)
{
	struct fs_event e = ev(FS_EV_IPC, ts, pid);

	e.ipc.op = op;
	e.ipc.fd = 3;
	e.ipc.chan_kind = kind;
	e.ipc.chan = chan;
	e.ipc.bytes = bytes;
	return e;
}

static void test_seconds(void)
{
	uint64_t ns = 0;

	CHECK(export_parse_seconds("1.5", &ns) == 0 && ns == 1500000000ull);
	CHECK(export_parse_seconds("0.000000001", &ns) == 0 && ns == 1);
	CHECK(export_parse_seconds("2", &ns) == 0 && ns == 2000000000ull);
	CHECK(export_parse_seconds(".25", &ns) == 0 && ns == 250000000ull);
	CHECK(export_parse_seconds("3.", &ns) == 0 && ns == 3000000000ull);
	CHECK(export_parse_seconds("", &ns) == -EINVAL);
	CHECK(export_parse_seconds(".", &ns) == -EINVAL);
	CHECK(export_parse_seconds("-1", &ns) == -EINVAL);
	CHECK(export_parse_seconds("1e3", &ns) == -EINVAL);
	CHECK(export_parse_seconds("1.0000000001", &ns) == -EINVAL); /* finer than 1 ns */
	CHECK(export_parse_seconds("99999999999999999999", &ns) == -EINVAL);
}

static void test_types(void)
{
	struct export_filter f;
	char err[64] = "";

	export_filter_init(&f);
	CHECK(export_filter_types(&f, "fork,exec", err, sizeof(err)) == 0);
	CHECK(export_filter_has_type(&f, FS_EV_FORK) && export_filter_has_type(&f, FS_EV_EXEC));
	CHECK(!export_filter_has_type(&f, FS_EV_EXIT) && !export_filter_has_type(&f, FS_EV_STATE));
	CHECK(export_filter_types(&f, "fork,bogus", err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "'bogus'") != NULL);
	CHECK(export_filter_types(&f, "fork,", err, sizeof(err)) == -EINVAL);
	export_filter_free(&f);
}

/* --pid 101: its own events, the fork that made it, its reap, signals to it; not its parent's. */
static void test_subtree(void)
{
	struct export_filter f;
	struct fs_event e;

	export_filter_init(&f);
	CHECK(export_filter_subtree(&f, "0") == -EINVAL);
	CHECK(export_filter_subtree(&f, "12x") == -EINVAL);
	CHECK(export_filter_subtree(&f, "101") == 0);
	e = fork_ev(1, ROOT, 101);
	CHECK(export_filter_event(&f, &e) == 1);
	e = fork_ev(2, 101, 102);
	CHECK(export_filter_event(&f, &e) == 1);
	e = fork_ev(3, ROOT, 103);
	CHECK(export_filter_event(&f, &e) == 0);
	e = state_ev(4, 102, FS_STATE_RUNNING, 0, 0);
	CHECK(export_filter_event(&f, &e) == 1);
	e = ev(FS_EV_SIGNAL, 5, 103);
	e.signal.target_pid = 102;
	CHECK(export_filter_event(&f, &e) == 1);
	e.signal.target_pid = ROOT;
	CHECK(export_filter_event(&f, &e) == 0);
	e = ev(FS_EV_LOST, 6, 0);
	CHECK(export_filter_event(&f, &e) == 1);
	e = reap_ev(7, ROOT, 101);
	CHECK(export_filter_event(&f, &e) == 1);
	e = ev(FS_EV_TOTAL, 8, 101); /* written at the end, after every reap */
	CHECK(export_filter_event(&f, &e) == 1);
	e = fork_ev(9, ROOT, 101); /* the pid comes back as someone else */
	CHECK(export_filter_event(&f, &e) == 0);
	CHECK(export_filter_has_pid(&f, 102) && !export_filter_has_pid(&f, 101));
	export_filter_free(&f);
}

static void test_time_and_type(void)
{
	struct export_filter f;
	struct fs_event e = fork_ev(1500, ROOT, 101);
	char err[64];

	export_filter_init(&f);
	f.from = 1000;
	f.to = 2000;
	CHECK(export_filter_event(&f, &e) == 1);
	e.ts = 2000;
	CHECK(export_filter_event(&f, &e) == 1);
	e.ts = 2001;
	CHECK(export_filter_event(&f, &e) == 0);
	e.ts = 999;
	CHECK(export_filter_event(&f, &e) == 0);
	e.ts = 1500;
	CHECK(export_filter_types(&f, "exec", err, sizeof(err)) == 0);
	CHECK(export_filter_event(&f, &e) == 0);
	export_filter_free(&f);
}

static struct export_tl *tl_new(struct export_filter *f)
{
	struct fs_log_header h = { .root_pid = ROOT, .tracer_pid = TRACER };
	struct export_tl *tl = NULL;

	export_filter_init(f);
	CHECK(export_tl_new(&tl, &h, f) == 0);
	return tl;
}

static int apply(struct export_tl *tl, struct fs_event e, struct export_step *st)
{
	return export_tl_apply(tl, &e, st);
}

static struct export_proc *tl_proc(struct export_tl *tl, uint32_t pid)
{
	return export_tl_proc(tl, model_find(export_tl_model(tl), pid));
}

static int seg_is(const struct export_seg *s, uint64_t from, uint64_t to, int state)
{
	return s->from == from && s->to == to && s->state == state;
}

/* A child's life as stretches: every state from fork to reap, in order, none overlapping. */
static void test_stretches(void)
{
	struct export_filter f;
	struct export_tl *tl = tl_new(&f);
	struct export_step st;
	struct export_proc *c, *r;

	apply(tl, state_ev(10, ROOT, FS_STATE_RUNNING, 0, 0), &st);
	apply(tl, fork_ev(20, ROOT, 101), &st);
	apply(tl, state_ev(25, 101, FS_STATE_READY, FS_READY_NEW, 0), &st);
	apply(tl, state_ev(30, 101, FS_STATE_RUNNING, 0, 0), &st);
	apply(tl, state_ev(40, 101, FS_STATE_BLOCKED, 0, 7), &st);
	apply(tl, state_ev(45, 101, FS_STATE_BLOCKED, 0, 8), &st); /* another channel: a new stretch */
	apply(tl, ev(FS_EV_EXIT, 50, 101), &st);
	apply(tl, reap_ev(60, ROOT, 101), &st);
	CHECK(export_tl_finish(tl, 100, 1) == 0);
	c = tl_proc(tl, 101);
	CHECK(c && c->nsegs == 6);
	if (c && c->nsegs == 6) {
		CHECK(seg_is(&c->segs[0], 20, 25, MS_CREATED));
		CHECK(seg_is(&c->segs[1], 25, 30, MS_READY) && c->segs[1].ready_reason == FS_READY_NEW);
		CHECK(seg_is(&c->segs[2], 30, 40, MS_RUNNING));
		CHECK(seg_is(&c->segs[3], 40, 45, MS_BLOCKED) && c->segs[3].chan == 7 && c->segs[3].sysnr == 0);
		CHECK(seg_is(&c->segs[4], 45, 50, MS_BLOCKED) && c->segs[4].chan == 8);
		CHECK(seg_is(&c->segs[5], 50, 60, MS_ZOMBIE));
		CHECK(c->cur.state == MS_REAPED && c->end == 60);
	}
	r = tl_proc(tl, ROOT);
	CHECK(r && r->nsegs == 2 && seg_is(&r->segs[0], 0, 10, MS_CREATED));
	CHECK(r && r->nsegs == 2 && seg_is(&r->segs[1], 10, 100, MS_RUNNING) && r->end == 100);
	export_tl_free(tl);
}

/* Held is a stretch of its own within blocked: frozen after a sleep, and named for what holds it. */
static void test_held_stretch(void)
{
	struct export_filter f;
	struct export_tl *tl = tl_new(&f);
	struct fs_event held = state_ev(20, ROOT, FS_STATE_BLOCKED, -1, 0);
	struct export_step st;
	struct export_proc *r;

	held.state.stop = FS_STOP_FROZEN;
	apply(tl, state_ev(10, ROOT, FS_STATE_BLOCKED, 35, 0), &st);
	apply(tl, held, &st);
	apply(tl, state_ev(30, ROOT, FS_STATE_READY, FS_READY_WOKEN, 0), &st);
	CHECK(export_tl_finish(tl, 40, 1) == 0);
	r = tl_proc(tl, ROOT);
	CHECK(r && r->nsegs == 4);
	if (r && r->nsegs == 4) {
		CHECK(seg_is(&r->segs[1], 10, 20, MS_BLOCKED) && !export_seg_held(&r->segs[1]));
		CHECK(seg_is(&r->segs[2], 20, 30, MS_BLOCKED) && !strcmp(export_seg_held(&r->segs[2]), "frozen"));
		CHECK(seg_is(&r->segs[3], 30, 40, MS_READY) && !export_seg_held(&r->segs[3]));
	}
	export_tl_free(tl);
}

/* After a loss, a process whose end was never seen is closed at the session's end, as replay does. */
static void test_lost_end(void)
{
	for (int ended = 0; ended <= 1; ended++) {
		struct export_filter f;
		struct export_tl *tl = tl_new(&f);
		struct export_step st;
		struct fs_event lost = ev(FS_EV_LOST, 20, 0);
		struct export_proc *c;

		lost.lost.count = 3;
		apply(tl, fork_ev(10, ROOT, 101), &st);
		apply(tl, lost, &st); /* 101's exit and reap among them */
		CHECK(export_tl_finish(tl, 50, ended) == 0);
		c = tl_proc(tl, 101);
		CHECK(c && c->end == 50);
		CHECK(c && (c->cur.state == MS_REAPED) == ended); /* a cut log: still open */
		export_tl_free(tl);
	}
}

/* A reused pid is a new row with its own track number; the old one ends where the new one begins. */
static void test_incarnations(void)
{
	struct export_filter f;
	struct export_tl *tl = tl_new(&f);
	struct export_step st;
	const struct model_proc *old;
	struct export_proc *a, *b;

	apply(tl, fork_ev(10, ROOT, 101), &st);
	old = model_find(export_tl_model(tl), 101);
	apply(tl, fork_ev(20, ROOT, 101), &st); /* its exit and reap were lost */
	export_tl_finish(tl, 30, 1);
	a = export_tl_proc(tl, old);
	b = tl_proc(tl, 101);
	CHECK(a && b && a != b);
	CHECK(a && a->end == 20 && a->track == 101);
	CHECK(b && b->end == 30 && b->track != 101 && b->track > (1u << 22));
	export_tl_free(tl);
}

/* A read ends a flow from the first unread write on its pipe, or on a socket's peer. */
static void test_flows(void)
{
	struct export_filter f;
	struct export_tl *tl = tl_new(&f);
	struct export_step st;
	struct fs_event e;

	apply(tl, fork_ev(10, ROOT, 101), &st);
	apply(tl, ipc_ev(20, ROOT, FS_IPC_WRITE, FS_CHAN_PIPE, 7, 5), &st);
	CHECK(st.write && st.write->ts == 20);
	if (st.write)
		st.write->cookie = 42;
	apply(tl, ipc_ev(21, ROOT, FS_IPC_WRITE, FS_CHAN_PIPE, 7, 5), &st);
	CHECK(st.write == NULL); /* the flow starts at the first write */
	apply(tl, ipc_ev(30, 101, FS_IPC_READ, FS_CHAN_PIPE, 7, 10), &st);
	CHECK(st.from.p && st.from.p->pid == ROOT && st.from.ts == 20 && st.from.cookie == 42);
	apply(tl, ipc_ev(31, 101, FS_IPC_READ, FS_CHAN_PIPE, 7, 0), &st);
	CHECK(st.from.p == NULL); /* end of file, and nothing unread anyway */
	apply(tl, ipc_ev(32, ROOT, FS_IPC_WRITE, FS_CHAN_PIPE, 7, 1), &st);
	apply(tl, ipc_ev(33, ROOT, FS_IPC_READ, FS_CHAN_PIPE, 7, 1), &st);
	CHECK(st.from.p == NULL); /* a process reading its own write is no flow */

	e = ipc_ev(40, ROOT, FS_IPC_SOCKETPAIR, FS_CHAN_SOCKET, 50, 0);
	e.ipc.peer_kind = FS_PEER_CHAN;
	e.ipc.peer = 51;
	apply(tl, e, &st);
	apply(tl, ipc_ev(41, ROOT, FS_IPC_WRITE, FS_CHAN_SOCKET, 50, 3), &st);
	apply(tl, ipc_ev(42, ROOT, FS_IPC_READ, FS_CHAN_SOCKET, 50, 3), &st);
	CHECK(st.from.p == NULL); /* what one end writes, the other end reads */
	apply(tl, ipc_ev(43, 101, FS_IPC_READ, FS_CHAN_SOCKET, 51, 3), &st);
	CHECK(st.from.p && st.from.p->pid == ROOT && st.from.ts == 41);
	export_tl_free(tl);
}

static char *put_text(const char *s, size_t n, enum export_escape how)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	export_put_text(f, s, n, how);
	fclose(f);
	return buf;
}

static void test_text(void)
{
	static const char in[] = "a\"b\\c<&>\n\x01\xff\xc2\x85\xe2\x82\xac";
	char *json = put_text(in, sizeof(in) - 1, EXPORT_JSON);
	char *xml = put_text(in, sizeof(in) - 1, EXPORT_XML);

	CHECK(!strcmp(json, "a\\\"b\\\\c<&>\\\\n\\\\x01\\\\xff\\\\xc2\\\\x85\xe2\x82\xac"));
	CHECK(!strcmp(xml, "a&quot;b\\c&lt;&amp;&gt;\\n\\x01\\xff\\xc2\\x85\xe2\x82\xac"));
	free(json);
	free(xml);
}

static char dir[] = "/tmp/test_export.XXXXXX";

static char *path_in(const char *name)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

/* A small session: the root forks 101 and 102, 101 writes to 102 through a pipe, both are reaped. */
static void write_log(const char *path, int with_end)
{
	struct fs_event es[] = {
		fork_ev(1000, ROOT, 101), fork_ev(2000, ROOT, 102),
		state_ev(2500, 101, FS_STATE_RUNNING, 0, 0),
		ipc_ev(3000, 101, FS_IPC_WRITE, FS_CHAN_PIPE, 7, 4),
		ipc_ev(4000, 102, FS_IPC_READ, FS_CHAN_PIPE, 7, 4),
		ev(FS_EV_EXIT, 5000, 101), reap_ev(6000, ROOT, 101),
		ev(FS_EV_EXIT, 7000, 102), reap_ev(8000, ROOT, 102),
	};
	char *argv[] = { "demo", "--fast" };
	struct fs_log_header h = { .root_pid = ROOT, .tracer_pid = TRACER, .argc = 2, .argv = argv, .version = 1 };
	struct fs_log_end end = { .events = sizeof(es) / sizeof(es[0]), .duration_ns = 9000 };
	struct fs_log_writer *w;

	strcpy(h.source, "bpf");
	CHECK(log_writer_open(&w, path, 1) == 0);
	CHECK(log_writer_header(w, &h) == 0);
	for (size_t i = 0; i < sizeof(es) / sizeof(es[0]); i++)
		CHECK(log_writer_event(w, &es[i]) == 0);
	if (with_end)
		CHECK(log_writer_end(w, &end) == 0);
	CHECK(log_writer_close(w) == 0);
}

/* Runs export with args (NULL-terminated after "export"), stderr silenced. */
static int run_export(const char *const *args)
{
	char *argv[16] = { "export" };
	int argc = 1, saved = dup(2), null = open("/dev/null", O_WRONLY), ret;

	while (args[argc - 1])
		argv[argc] = (char *)args[argc - 1], argc++;
	dup2(null, 2);
	ret = export_main(argc, argv);
	dup2(saved, 2);
	close(saved);
	close(null);
	return ret;
}

/* The events in a log, as "type:pid" words, and its end line's event count. */
static void read_types(const char *path, char *out, size_t len, uint64_t *events)
{
	struct fs_log_reader *r;
	struct fs_event e;
	char err[256];
	size_t pos = 0;

	out[0] = '\0';
	*events = UINT64_MAX;
	if (log_reader_open(&r, path, err, sizeof(err)))
		return;
	while (log_reader_next(r, &e, err, sizeof(err)) > 0)
		pos += (size_t)snprintf(out + pos, len - pos, "%s%u:%u", pos ? " " : "", e.type, e.pid);
	if (log_reader_end(r))
		*events = log_reader_end(r)->events;
	log_reader_close(r);
}

static void test_command(void)
{
	const char *in = path_in("in.jsonl"), *out = path_in("out.jsonl");
	char got[512], want[64];
	uint64_t events;

	write_log(in, 1);
	CHECK(run_export((const char *[]){ "--format", "jsonl", "--type", "fork,reap", "-o", out, in, NULL }) == 0);
	read_types(out, got, sizeof(got), &events);
	snprintf(want, sizeof(want), "%d:%d %d:%d %d:%d %d:%d", FS_EV_FORK, ROOT, FS_EV_FORK, ROOT,
		 FS_EV_REAP, ROOT, FS_EV_REAP, ROOT);
	CHECK(!strcmp(got, want) && events == 4);
	/* 102's subtree: the fork that made it, its read, its exit and its reap */
	CHECK(run_export((const char *[]){ "--pid", "102", "-o", out, "--format=jsonl", in, NULL }) == 0);
	read_types(out, got, sizeof(got), &events);
	snprintf(want, sizeof(want), "%d:%d %d:102 %d:102 %d:%d", FS_EV_FORK, ROOT, FS_EV_IPC, FS_EV_EXIT,
		 FS_EV_REAP, ROOT);
	CHECK(!strcmp(got, want) && events == 4);
	CHECK(run_export((const char *[]){ "-f", "jsonl", "--from", "0.000003", "--to", "0.000005", "-o", out, in, NULL }) == 0);
	read_types(out, got, sizeof(got), &events);
	snprintf(want, sizeof(want), "%d:101 %d:102 %d:101", FS_EV_IPC, FS_EV_IPC, FS_EV_EXIT);
	CHECK(!strcmp(got, want));

	CHECK(run_export((const char *[]){ in, NULL }) == 2);                       /* no format */
	CHECK(run_export((const char *[]){ "-f", "png", in, NULL }) == 2);
	CHECK(run_export((const char *[]){ "-f", "text", "--type", "forks", in, NULL }) == 2);
	CHECK(run_export((const char *[]){ "-f", "text", "--from", "2", "--to", "1", in, NULL }) == 2);
	CHECK(run_export((const char *[]){ "-f", "text", in, in, NULL }) == 2);
	CHECK(run_export((const char *[]){ "-f", "text", "--bogus", in, NULL }) == 2);
	CHECK(run_export((const char *[]){ "-f", "svg", "-o", out, path_in("missing.jsonl"), NULL }) == 1);
}

/* A bad log leaves OUT as it was: the export goes to a temporary file first. */
static void test_bad_log_keeps_output(void)
{
	const char *bad = path_in("bad.jsonl"), *out = path_in("keep.svg");
	char buf[16] = "";
	int fd;

	fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(write(fd, "{\"type\":\"header\"}\n", 18) == 18);
	close(fd);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(write(fd, "before", 6) == 6);
	close(fd);
	CHECK(run_export((const char *[]){ "-f", "svg", "-o", out, bad, NULL }) == 1);
	fd = open(out, O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf) - 1) == 6 && !strcmp(buf, "before"));
	close(fd);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_seconds();
	test_types();
	test_subtree();
	test_time_and_type();
	test_stretches();
	test_held_stretch();
	test_incarnations();
	test_lost_end();
	test_flows();
	test_text();
	test_command();
	test_bad_log_keeps_output();
	for (const char *const *f = (const char *const[]){ "in.jsonl", "out.jsonl", "bad.jsonl", "keep.svg", NULL }; *f; f++)
		unlink(path_in(*f));
	rmdir(dir);
	return UNIT_DONE("test_export");
}
