// SPDX-License-Identifier: GPL-2.0
/* The session log: every event type round-trips byte-exactly, bad logs fail at the right line, dump prints safely. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dump.h"
#include "log.h"
#include "names.h"
#include "unit.h"

#define MAX_EVENTS 128

static char dir[] = "/tmp/test_log.XXXXXX";
static struct fs_event events[MAX_EVENTS];
static int nevents;

static char *tmp_path(const char *name)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

/* A zeroed event of type with the common fields set, appended to events[]. */
static struct fs_event *add(unsigned int type)
{
	struct fs_event *e = &events[nevents];

	memset(e, 0, sizeof(*e));
	e->type = type;
	e->seq = nevents;
	e->ts = nevents * 1000003ULL;
	e->pid = 877;
	e->tid = 877;
	strcpy(e->comm, "bash");
	nevents++;
	return e;
}

static void set_bytes(char *dst, __u16 *len, const char *s, size_t n)
{
	memcpy(dst, s, n);
	*len = n;
}

static void add_process_events(void)
{
	struct fs_event *e;

	e = add(FS_EV_FORK);
	e->fork = (struct fs_ev_fork){ .child_pid = 878, .child_tid = 878 };
	e = add(FS_EV_FORK);
	e->fork = (struct fs_ev_fork){ .child_pid = 877, .child_tid = 879, .thread = 1 };
	memcpy(e->comm, "abcdefghijklmnop", FS_COMM_LEN); /* full, no NUL */
	e->ts = 1ULL << 62;
	e = add(FS_EV_FORK_RETURN);
	e->fork_return = (struct fs_ev_fork_return){ .ret = 878, .sysnr = 56 };
	e = add(FS_EV_FORK_RETURN);
	e->fork_return = (struct fs_ev_fork_return){ .ret = 0, .sysnr = 435 };
	e = add(FS_EV_FORK_RETURN);
	e->fork_return = (struct fs_ev_fork_return){ .ret = -EAGAIN, .sysnr = 57 };
	e = add(FS_EV_FORK_RETURN);
	e->fork_return = (struct fs_ev_fork_return){ .ret = -100000, .sysnr = 999 };
}

static void add_exec_events(void)
{
	static const char argv_tricky[] = "a\"b\\c\0\x01\x1b[31m\x7f\0h\xc3\xa9llo \xc2\x9b\0\xff\xfe\0\0";
	struct fs_event *e;

	e = add(FS_EV_EXEC);
	e->exec.old_tid = e->tid;
	set_bytes(e->exec.filename, &e->exec.filename_len, "/bin/ls", 7);
	set_bytes(e->exec.argv, &e->exec.argv_len, "ls\0-l\0", 6);
	e = add(FS_EV_EXEC);
	e->exec.old_tid = 880; /* a non-leader thread exec'd */
	e->exec.result = -ENOENT;
	set_bytes(e->exec.filename, &e->exec.filename_len, "\xff\xfe/x\n", 5);
	set_bytes(e->exec.argv, &e->exec.argv_len, argv_tricky, sizeof(argv_tricky) - 1);
	e = add(FS_EV_EXEC);
	e->exec.old_tid = e->tid;
	e->exec.filename_truncated = 1;
	e->exec.argv_truncated = 1;
	memset(e->exec.filename, 'f', FS_PATH_LEN);
	e->exec.filename_len = FS_PATH_LEN;
	memset(e->exec.argv, 'a', FS_ARGV_LEN); /* the buffer full: the last item has no NUL */
	e->exec.argv[10] = '\0';
	e->exec.argv_len = FS_ARGV_LEN;
	e = add(FS_EV_EXEC);
	e->exec.old_tid = e->tid;
	memset(e->exec.argv, '\0', FS_ARGV_LEN); /* 512 empty strings */
	e->exec.argv_len = FS_ARGV_LEN;
}

static void add_exit_events(void)
{
	struct fs_event *e;

	e = add(FS_EV_EXIT);
	e->exit.code = 3;
	e = add(FS_EV_EXIT);
	e->exit = (struct fs_ev_exit){ .sig = 9, .core = 1 };
	e = add(FS_EV_EXIT);
	e->exit = (struct fs_ev_exit){ .sig = 40 };
	e = add(FS_EV_EXIT);
	e->exit = (struct fs_ev_exit){ .code = 0, .thread = 1 };
	e = add(FS_EV_REAP);
	e->reap.child = 878;
	e = add(FS_EV_REAP);
	e->reap = (struct fs_ev_reap){ .child = 879, .autoreap = 1 };
	e = add(FS_EV_REPARENT);
	e->reparent = (struct fs_ev_reparent){ .old_parent = 877, .new_parent = 1 };
}

static void add_state_signal_events(void)
{
	struct fs_event *e;

	for (int r = FS_READY_PREEMPTED; r <= FS_READY_NEW; r++) {
		e = add(FS_EV_STATE);
		e->state = (struct fs_ev_state){ .state = FS_STATE_READY, .sysnr = r };
	}
	e = add(FS_EV_STATE);
	e->state = (struct fs_ev_state){ .state = FS_STATE_RUNNING };
	e = add(FS_EV_STATE);
	e->state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = 0,
					 .chan_kind = FS_CHAN_PIPE, .chan = 1234 };
	e = add(FS_EV_STATE);
	e->state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = -1 };
	e = add(FS_EV_STATE);
	e->state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = 999,
					 .chan_kind = FS_CHAN_SYSV_MSG, .chan = UINT64_MAX };
	e = add(FS_EV_STATE);
	e->state = (struct fs_ev_state){ .state = FS_STATE_ZOMBIE };
	e = add(FS_EV_STATE);
	e->state = (struct fs_ev_state){ .state = FS_STATE_DEAD };
	for (int k = FS_STOP_SIGNAL; k < FS_STOP_KIND_MAX; k++) { /* held: stopped, traced, frozen */
		e = add(FS_EV_STATE);
		e->state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = -1, .stop = k };
	}

	e = add(FS_EV_SIGNAL);
	e->signal = (struct fs_ev_signal){ .target_pid = 878, .target_tid = 878, .sig = 15,
					   .result = 0, .op = FS_SIG_GENERATE };
	e = add(FS_EV_SIGNAL);
	e->signal = (struct fs_ev_signal){ .target_pid = 878, .target_tid = 879, .sig = 10,
					   .result = 4, .op = FS_SIG_GENERATE };
	e = add(FS_EV_SIGNAL);
	e->signal = (struct fs_ev_signal){ .target_pid = 877, .target_tid = 877, .sig = 50,
					   .result = FS_SIGACT_HANDLER, .op = FS_SIG_DELIVER };
	e = add(FS_EV_SIGNAL);
	e->signal = (struct fs_ev_signal){ .target_pid = 877, .target_tid = 877, .sig = 2,
					   .result = FS_SIGACT_DEFAULT, .op = FS_SIG_DELIVER };
}

static struct fs_event *add_ipc(unsigned int op, unsigned int kind, uint64_t chan, int fd, __s64 bytes)
{
	struct fs_event *e = add(FS_EV_IPC);

	e->ipc.op = op;
	e->ipc.chan_kind = kind;
	e->ipc.chan = chan;
	e->ipc.fd = fd;
	e->ipc.bytes = bytes;
	return e;
}

/* raw sockaddr bytes from its text, with the kernel's length */
static void set_addr(struct fs_event *e, const char *text, size_t n)
{
	size_t len = 0;

	CHECK(fs_sockaddr_parse(text, n, e->ipc.path, FS_PATH_LEN, &len) == 0);
	e->ipc.path_len = len;
}

static void add_ipc_events(void)
{
	struct fs_event *e;

	add_ipc(FS_IPC_READ, FS_CHAN_PIPE, 1234, 3, 12);
	add_ipc(FS_IPC_WRITE, FS_CHAN_PIPE, 1234, 4, 0);
	add_ipc(FS_IPC_READ, FS_CHAN_PIPE, 1234, 3, -EAGAIN);
	e = add_ipc(FS_IPC_PIPE, FS_CHAN_PIPE, 1234, -1, 0);
	e->ipc.arg = 3LL << 32 | 4;
	e = add_ipc(FS_IPC_SOCKETPAIR, FS_CHAN_SOCKET, 5000, -1, 0);
	e->ipc.peer_kind = FS_PEER_CHAN;
	e->ipc.peer = 5001;
	e->ipc.arg = 5LL << 32 | 6;
	e = add_ipc(FS_IPC_SOCKET, FS_CHAN_SOCKET, 5002, 7, 7); /* a non-data op with a result */
	e->ipc.arg = (long long)AF_INET << 32 | SOCK_STREAM;
	e = add_ipc(FS_IPC_BIND, FS_CHAN_SOCKET, 5002, 7, 0);
	set_addr(e, "unix:/tmp/x.sock", 16);
	e = add_ipc(FS_IPC_BIND, FS_CHAN_SOCKET, 5002, 7, 0);
	set_addr(e, "unix:@ab\0s\"t\n", 13);
	e = add_ipc(FS_IPC_CONNECT, FS_CHAN_SOCKET, 5003, 8, -ECONNREFUSED);
	set_addr(e, "127.0.0.1:8080", 14);
	e = add_ipc(FS_IPC_CONNECT, FS_CHAN_SOCKET, 5003, 8, 0);
	set_addr(e, "unix:", 5);
	e = add_ipc(FS_IPC_ACCEPT, FS_CHAN_SOCKET, 5004, 9, 0);
	set_addr(e, "[::1]:45678", 11);
	e->ipc.peer_kind = FS_PEER_INET_PORTS;
	e->ipc.peer = 8080 << 16 | 45678;
	e = add_ipc(FS_IPC_BIND, FS_CHAN_SOCKET, 5005, 10, 0);
	set_addr(e, "family:17", 9);
	add_ipc(FS_IPC_LISTEN, FS_CHAN_SOCKET, 5002, 7, 0);
	e = add_ipc(FS_IPC_OPEN, FS_CHAN_PIPE, 77, 5, 0);
	set_bytes(e->ipc.path, &e->ipc.path_len, "/tmp/fifo\xff", 10);
	e->ipc.path_truncated = 1;
	add_ipc(FS_IPC_MMAP, FS_CHAN_FILE, 88, 6, 4096);
	e = add_ipc(FS_IPC_SHMGET, FS_CHAN_SYSV_SHM, 32768, -1, 0);
	e->ipc.arg = -1; /* IPC_PRIVATE is 0; any key prints */
	add_ipc(FS_IPC_SHMAT, FS_CHAN_SYSV_SHM, 32768, -1, 0);
	e = add_ipc(FS_IPC_SEMOP, FS_CHAN_SYSV_SEM, 3, -1, 0);
	e->ipc.arg = -1;
	add_ipc(FS_IPC_MSGRCV, FS_CHAN_SYSV_MSG, 4, -1, -EINTR);
	e = add_ipc(FS_IPC_MQ_OPEN, FS_CHAN_MQUEUE, 99, 3, 0);
	set_bytes(e->ipc.path, &e->ipc.path_len, "/q", 2);
	add_ipc(FS_IPC_MQ_SEND, FS_CHAN_MQUEUE, 99, 3, 64);
	add_ipc(FS_IPC_MQ_UNLINK, FS_CHAN_NONE, 0, -1, 0);
	add_ipc(FS_IPC_WRITE, FS_CHAN_NONE, 0, 1, INT64_MAX);
}

static void add_other_events(void)
{
	struct fs_event *e;

	e = add(FS_EV_MARK);
	memcpy(e->mark.text, "put A", 5);
	e->mark.len = 5;
	e = add(FS_EV_MARK);
	memset(e->mark.text, 'm', FS_MARK_LEN);
	e->mark.len = FS_MARK_LEN;
	e = add(FS_EV_MARK);
	memcpy(e->mark.text, "line\nnext\x80", 10);
	e->mark.len = 10;
	e = add(FS_EV_LOST);
	e->lost.count = 12;
	e = add(FS_EV_LOST);
	e->lost.count = INT64_MAX;
	e = add(FS_EV_OUTPUT);
	e->output.fd = 1;
	memcpy(e->output.text, "hello\x1b[31mred\n\xff", 14);
	e->output.len = 14;
	e = add(FS_EV_OUTPUT);
	e->output.fd = 2;
	memset(e->output.text, 'o', FS_OUTPUT_LEN);
	e->output.len = FS_OUTPUT_LEN;
	e->output.truncated = 1;
	e = add(FS_EV_TOTAL);
	e->total.chan_kind = FS_CHAN_SYSV_MSG;
	e->total.chan = 0;
	e->total.bytes_in = 16;
	e->total.msgs_in = 1;
	e->total.bytes_out = UINT64_MAX >> 1;
	e->total.msgs_out = 7;
}

/* Processes found running by record --pid: their state as /proc showed it, and their image. */
static void add_existing_events(void)
{
	struct fs_event *e;

	e = add(FS_EV_EXISTING);
	e->existing.ppid = 1;
	e->existing.threads = 3;
	e->existing.age_ns = 86400ull * 1000000000ull;
	e->existing.state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = 0,
						  .chan_kind = FS_CHAN_PIPE, .chan = 42 };
	set_bytes(e->existing.image.filename, &e->existing.image.filename_len, "/usr/bin/python3", 16);
	set_bytes(e->existing.image.argv, &e->existing.image.argv_len, "python3\0srv.py\0", 15);
	e = add(FS_EV_EXISTING);
	e->existing.ppid = 877;
	e->existing.threads = 1;
	e->existing.state = (struct fs_ev_state){ .state = FS_STATE_ZOMBIE };
	e->existing.image.argv_truncated = 1; /* a kernel thread's image is empty */
}

/* A cgroup session's moves: one in (described from /proc as an existing process is), one out. */
static void add_cgroup_events(void)
{
	struct fs_event *e;

	e = add(FS_EV_CGROUP);
	e->cgroup.op = FS_CG_ENTER;
	e->cgroup.cgroup_id = 4242;
	set_bytes(e->cgroup.path, &e->cgroup.path_len, "/svc/web", 8);
	e->cgroup.proc.ppid = 1;
	e->cgroup.proc.threads = 2;
	e->cgroup.proc.age_ns = 1500;
	e->cgroup.proc.state = (struct fs_ev_state){ .state = FS_STATE_RUNNING };
	set_bytes(e->cgroup.proc.image.filename, &e->cgroup.proc.image.filename_len, "/usr/sbin/nginx", 15);
	set_bytes(e->cgroup.proc.image.argv, &e->cgroup.proc.image.argv_len, "nginx\0", 6);
	e = add(FS_EV_CGROUP);
	e->cgroup.op = FS_CG_LEAVE;
	e->cgroup.cgroup_id = 7;
	memset(e->cgroup.path, 'p', FS_PATH_LEN - 1);
	e->cgroup.path_len = FS_PATH_LEN - 1;
	e->cgroup.path_truncated = 1;
	e->cgroup.proc.ppid = 900;
}

/* Stepping: the tree frozen at the event seq 7 by the freezer, then thawed after 2.5 s. */
static void add_step_events(void)
{
	struct fs_event *e;

	e = add(FS_EV_STEP);
	e->step = (struct fs_ev_step){ .op = FS_STEP_FREEZE, .method = FS_FREEZE_CGROUP, .at_seq = 7, .procs = 3,
				       .at_type = FS_EV_FORK };
	e = add(FS_EV_STEP);
	e->step = (struct fs_ev_step){ .op = FS_STEP_THAW, .method = FS_FREEZE_SIGSTOP, .at_seq = 7,
				       .frozen_ns = 2500000000ull };
}

/* A learner's answers to a lesson's questions: one right, one skipped. */
static void add_answer_events(void)
{
	struct fs_event *e = add(FS_EV_ANSWER);

	e->answer = (struct fs_ev_answer){ .question = 1, .choice = 2, .right = 2, .asked_seq = 3, .decided_seq = 9 };
	strcpy(e->answer.lesson, "fork");
	e = add(FS_EV_ANSWER);
	e->answer = (struct fs_ev_answer){ .question = 3, .choice = 0, .right = 1, .asked_seq = 10, .decided_seq = 12 };
	memset(e->answer.lesson, 'l', sizeof(e->answer.lesson) - 1);
}

static char *test_argv[] = { "sh", "-c", "echo \"hi\"\t\x01", NULL };

static const struct fs_log_header test_header = {
	.kernel = "6.1.0-13-amd64",
	.host = "h\xc3\xb6st\x02",
	.start_realtime_ns = 1795879478123456789ULL,
	.root_pid = 877,
	.tracer_pid = 876,
	.argc = 3,
	.argv = test_argv,
	.source = "bpf",
	.version = FS_LOG_VERSION_STEP, /* the events include existing, cgroup, step and answer ones */
	.cgroup = "/svc/web",
	.cgroup_id = 4241,
};

static const struct fs_log_end test_end = { .exit_status = -3, .events = 42, .lost = 7, .duration_ns = 1234567890 };

static int write_log(const char *path, int n, int with_end)
{
	struct fs_log_writer *w;
	int err = log_writer_open(&w, path, 1);

	if (err)
		return err;
	err = log_writer_header(w, &test_header);
	for (int i = 0; i < n && !err; i++)
		err = log_writer_event(w, &events[i]);
	if (!err && with_end)
		err = log_writer_end(w, &test_end);
	return log_writer_close(w) ?: err;
}

static void check_same_event(const struct fs_event *a, const struct fs_event *b)
{
	char text[512];

	if (!memcmp(a, b, sizeof(*a))) {
		CHECK(1);
		return;
	}
	dump_event_text(text, sizeof(text), a);
	fprintf(stderr, "round trip differs for seq %llu: %s\n", (unsigned long long)a->seq, text);
	for (size_t i = 0; i < sizeof(*a); i++)
		if (((const char *)a)[i] != ((const char *)b)[i])
			fprintf(stderr, "  byte %zu: %02x != %02x\n", i, ((const unsigned char *)a)[i],
				((const unsigned char *)b)[i]);
	CHECK(!"event round trip");
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(64 << 20);
	*len = fread(buf, 1, 64 << 20, f);
	fclose(f);
	return buf;
}

static void test_round_trip(void)
{
	const char *path = tmp_path("all.jsonl");
	const struct fs_log_header *h;
	const struct fs_log_end *end;
	struct fs_log_reader *r;
	struct fs_event e;
	char err[512];
	size_t len;
	char *text;
	int i;

	CHECK(write_log(path, nevents, 1) == 0);
	CHECK(log_reader_open(&r, path, err, sizeof(err)) == 0);
	h = log_reader_header(r);
	CHECK(!strcmp(h->kernel, test_header.kernel) && !strcmp(h->host, test_header.host));
	CHECK(!strcmp(h->source, "bpf") && h->version == FS_LOG_VERSION_STEP);
	CHECK(!strcmp(h->cgroup, "/svc/web") && h->cgroup_id == 4241);
	CHECK(h->start_realtime_ns == test_header.start_realtime_ns);
	CHECK(h->root_pid == 877 && h->tracer_pid == 876 && h->argc == 3 && h->argv[3] == NULL);
	for (i = 0; i < 3 && h->argc == 3; i++)
		CHECK(!strcmp(h->argv[i], test_argv[i]));
	for (i = 0; log_reader_next(r, &e, err, sizeof(err)) == 1; i++)
		check_same_event(&events[i], &e);
	CHECK(i == nevents);
	end = log_reader_end(r);
	CHECK(end && !memcmp(end, &test_end, sizeof(test_end)));
	CHECK(!log_reader_truncated(r));
	CHECK(log_reader_next(r, &e, err, sizeof(err)) == 0); /* still the end */
	log_reader_close(r);

	/* the file itself: no raw control byte besides the line ends, and no NUL */
	text = read_file(path, &len);
	for (size_t k = 0; k < len; k++)
		if ((unsigned char)text[k] < 0x20 && text[k] != '\n')
			CHECK(!"raw control byte in the log");
	CHECK(strstr(text, "\"start\":\"2026-11-28T") != NULL);
	CHECK(strstr(text, "\"errno\":\"EAGAIN\"") != NULL);
	CHECK(strstr(text, "\"addr\":\"127.0.0.1:8080\"") != NULL);
	CHECK(strstr(text, "\"channel\":\"pipe:[1234]\"") != NULL);
	CHECK(strstr(text, "\"state\":\"blocked\",\"stop\":\"traced\"}") != NULL);
	CHECK(strstr(text, "\"stop\":\"none\"") == NULL); /* optional: none is left out */
	free(text);
}

/* Events the format cannot express are refused, and nothing of them is written. */
static void test_writer_refuses(void)
{
	const char *path = tmp_path("refuse.jsonl");
	struct fs_log_writer *w;
	struct fs_event e;
	size_t len;
	char *text;

	CHECK(log_writer_open(&w, path, 1) == 0);
	memset(&e, 0, sizeof(e));
	CHECK(log_writer_event(w, &e) == -EINVAL);
	e.type = FS_EV_TYPE_MAX;
	CHECK(log_writer_event(w, &e) == -EINVAL);
	e.type = FS_EV_STATE;
	CHECK(log_writer_event(w, &e) == -EINVAL);
	e.state.state = FS_STATE_READY;
	CHECK(log_writer_event(w, &e) == -EINVAL); /* reason 0 */
	e.state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .chan_kind = 99 };
	CHECK(log_writer_event(w, &e) == -EINVAL);
	e.state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .stop = FS_STOP_KIND_MAX };
	CHECK(log_writer_event(w, &e) == -EINVAL);
	e.type = FS_EV_IPC;
	e.ipc = (struct fs_ev_ipc){ .op = FS_IPC_READ, .peer_kind = FS_PEER_CHAN };
	CHECK(log_writer_event(w, &e) == -EINVAL); /* a peer channel without a channel */
	e.ipc = (struct fs_ev_ipc){ .op = 0 };
	CHECK(log_writer_event(w, &e) == -EINVAL);
	e.type = FS_EV_SIGNAL;
	e.signal = (struct fs_ev_signal){ .op = FS_SIG_GENERATE, .result = 5 };
	CHECK(log_writer_event(w, &e) == -EINVAL);
	CHECK(log_writer_close(w) == 0);
	text = read_file(path, &len);
	CHECK(len == 0);
	free(text);

	/* an answer in a log whose header says version 1: a reader would refuse the line */
	CHECK(log_writer_open(&w, path, 1) == 0);
	CHECK(log_writer_header(w, &(struct fs_log_header){ .version = 1, .argv = (char *[]){ NULL } }) == 0);
	memset(&e, 0, sizeof(e));
	e.type = FS_EV_ANSWER;
	e.answer.question = 1;
	CHECK(!log_writer_takes(w, FS_EV_ANSWER) && log_writer_takes(w, FS_EV_FORK));
	CHECK(log_writer_event(w, &e) == -EINVAL);
	CHECK(log_writer_close(w) == 0);
	text = read_file(path, &len);
	CHECK(text && !strstr(text, "answer"));
	free(text);
}

static void test_writer_open(void)
{
	const char *path = tmp_path("open.jsonl"), *link = tmp_path("link.jsonl");
	struct fs_log_writer *w;
	struct stat st;
	mode_t old = umask(022);

	CHECK(log_writer_open(&w, path, 0) == 0);
	CHECK(log_writer_fd(w) >= 0);
	CHECK(fstat(log_writer_fd(w), &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(log_writer_close(w) == 0);
	CHECK(log_writer_open(&w, path, 0) == -EEXIST);
	CHECK(log_writer_open(&w, path, 1) == 0);
	CHECK(log_writer_close(w) == 0);
	/* force never goes through a symlink or replaces one */
	CHECK(symlink(path, link) == 0);
	CHECK(log_writer_open(&w, link, 1) == -EEXIST);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(log_writer_open(&w, dir, 1) == -EEXIST);
	CHECK(log_writer_open(&w, "/nonexistent-dir/x.jsonl", 0) == -ENOENT);
	CHECK(log_writer_close(NULL) == 0);
	unlink(link);

	/* a full disk: the error sticks, and close reports it too */
	FILE *full = fopen("/dev/full", "w");

	CHECK(full && log_writer_open_stream(&w, full) == 0);
	CHECK(log_writer_event(w, &events[0]) == 0);
	CHECK(log_writer_flush(w) == -ENOSPC);
	CHECK(log_writer_event(w, &events[0]) == -ENOSPC);
	CHECK(log_writer_close(w) == -ENOSPC);
	fclose(full);
	umask(old);
}

static void write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f && fwrite(text, 1, len, f) == len);
	if (f)
		fclose(f);
}

#define HDR "{\"type\":\"header\",\"format\":\"forkscope-log\",\"version\":1,\"kernel\":\"k\",\"host\":\"h\"," \
	    "\"start_realtime_ns\":1,\"root_pid\":2,\"tracer_pid\":3,\"command\":[\"x\"],\"source\":\"bpf\"}\n"
#define HDR3 "{\"type\":\"header\",\"format\":\"forkscope-log\",\"version\":3,\"kernel\":\"k\",\"host\":\"h\"," \
	     "\"start_realtime_ns\":1,\"root_pid\":0,\"tracer_pid\":3,\"command\":[],\"cgroup\":\"/c\",\"source\":\"bpf\"}\n"
#define HDR4 "{\"type\":\"header\",\"format\":\"forkscope-log\",\"version\":4,\"kernel\":\"k\",\"host\":\"h\"," \
	     "\"start_realtime_ns\":1,\"root_pid\":2,\"tracer_pid\":3,\"command\":[\"x\"],\"source\":\"bpf\"}\n"
#define TXT(s) (s), strlen(s)
/* An answer to question q (a number) of the lesson written as the JSON value lesson. */
#define ANSWER(q, lesson) "{\"type\":\"answer\",\"seq\":1,\"t\":1,\"pid\":5,\"tid\":5,\"comm\":\"\",\"lesson\":" lesson \
	",\"question\":" q ",\"choice\":1,\"right\":1,\"asked_seq\":1,\"decided_seq\":1}\n"
#define EV(n) "{\"type\":\"lost\",\"seq\":" #n ",\"t\":5,\"pid\":1,\"tid\":1,\"comm\":\"c\",\"count\":1}\n"

/* Opening fails with a message that contains want. */
static void check_open_error(const char *name, const char *text, const char *want)
{
	const char *path = tmp_path(name);
	struct fs_log_reader *r = NULL;
	char err[512] = "";

	write_text(path, text, strlen(text));
	CHECK(log_reader_open(&r, path, err, sizeof(err)) < 0 && r == NULL);
	if (!strstr(err, want)) {
		fprintf(stderr, "wanted \"%s\" in \"%s\"\n", want, err);
		CHECK(!"open error message");
	}
}

/* Opens, reads good events, then fails with want; returns the events read. */
static int check_next_error(const char *name, const char *text, size_t len, const char *want)
{
	const char *path = tmp_path(name);
	struct fs_log_reader *r;
	struct fs_event e;
	char err[512] = "";
	int n = 0, ret;

	write_text(path, text, len);
	CHECK(log_reader_open(&r, path, err, sizeof(err)) == 0);
	while ((ret = log_reader_next(r, &e, err, sizeof(err))) == 1)
		n++;
	CHECK(ret < 0);
	if (!strstr(err, want)) {
		fprintf(stderr, "wanted \"%s\" in \"%s\"\n", want, err);
		CHECK(!"next error message");
	}
	CHECK(log_reader_next(r, &e, err, sizeof(err)) == ret); /* errors stick */
	log_reader_close(r);
	return n;
}

static void test_bad_logs(void)
{
	char want[300];
	char *big;
	size_t n;

	check_open_error("empty", "", "empty:1: empty file");
	check_open_error("garbage", "hello\n", "garbage:1: not JSON");
	check_open_error("notlog", "{\"type\":\"fork\"}\n", "notlog:1: not a forkscope log");
	check_open_error("version", "{\"type\":\"header\",\"format\":\"forkscope-log\",\"version\":5}\n",
			 "version:1: log version 5 is not supported");
	check_open_error("nohost", "{\"type\":\"header\",\"format\":\"forkscope-log\",\"version\":1,\"kernel\":\"k\"}\n",
			 "nohost:1: missing field \"host\"");
	check_open_error("cuthdr", "{\"type\":\"header\",\"for", "cuthdr:1: the header line is cut off");
	CHECK(log_reader_open(&(struct fs_log_reader *){ NULL }, dir, want, sizeof(want)) == -EISDIR);
	CHECK(!strncmp(want, dir, strlen(dir)) && strstr(want, ": Is a directory"));

	CHECK(check_next_error("nopid", TXT(HDR EV(0) "{\"type\":\"fork\",\"seq\":1,\"t\":1,\"tid\":1,\"comm\":\"\"}\n"),
			 "nopid:3: missing field \"pid\"") == 1);
	/* a cgroup event needs version 3; an enter needs what /proc showed */
	check_next_error("cgv1", TXT(HDR "{\"type\":\"cgroup\",\"seq\":1,\"t\":1,\"pid\":5,\"tid\":5,\"comm\":\"\","
				     "\"op\":\"leave\",\"cgroup_id\":3,\"ppid\":1}\n"),
			 "cgv1:2: a cgroup event needs log version 3");
	check_next_error("stepv3", TXT(HDR3 "{\"type\":\"step\",\"seq\":1,\"t\":1,\"pid\":5,\"tid\":5,\"comm\":\"\","
				       "\"op\":\"freeze\",\"method\":\"cgroup\",\"at_seq\":0,\"procs\":1}\n"),
			 "stepv3:2: a step event needs log version 4");
	check_next_error("cgop", TXT(HDR3 "{\"type\":\"cgroup\",\"seq\":1,\"t\":1,\"pid\":5,\"tid\":5,\"comm\":\"\","
				     "\"op\":\"moved\",\"cgroup_id\":3,\"ppid\":1}\n"),
			 "cgop:2: field \"op\"");
	check_next_error("cgin", TXT(HDR3 "{\"type\":\"cgroup\",\"seq\":1,\"t\":1,\"pid\":5,\"tid\":5,\"comm\":\"\","
				     "\"op\":\"enter\",\"cgroup_id\":3,\"ppid\":1}\n"),
			 "cgin:2: missing field \"threads\"");
	check_next_error("ansv1", TXT(HDR ANSWER("1", "\"fork\"")), "ansv1:2: an answer event needs log version 4");
	check_next_error("ans0", TXT(HDR4 ANSWER("0", "\"fork\"")), "ans0:2: field \"question\" counts from 1");
	check_next_error("ansnul", TXT(HDR4 ANSWER("1", "{\"hex\":\"6600\"}")), "ansnul:2: field \"lesson\" holds a NUL byte");
	check_next_error("strpid", TXT(HDR "{\"type\":\"lost\",\"seq\":1,\"t\":1,\"pid\":\"1\",\"tid\":1,\"comm\":\"\",\"count\":1}\n"),
			 "strpid:2: field \"pid\" is not an integer");
	check_next_error("range", TXT(HDR "{\"type\":\"lost\",\"seq\":1,\"t\":1,\"pid\":4294967296,\"tid\":1,\"comm\":\"\",\"count\":1}\n"),
			 "range:2: field \"pid\" is out of range");
	check_next_error("type", TXT(HDR EV(0) EV(1) "{\"type\":\"frok\"}\n"),
			 "type:4: unknown event type \"frok\"");
	check_next_error("after", TXT(HDR "{\"type\":\"end\",\"exit_status\":0,\"events\":0,\"lost\":0,\"duration_ns\":0}\n" EV(0)),
			 "after:3: a line after the end line");
	check_next_error("blank", TXT(HDR "\n"), "blank:2: not JSON");
	check_next_error("hexodd", TXT(HDR "{\"type\":\"mark\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":{\"hex\":\"abc\"},\"text\":\"\"}\n"),
			 "hexodd:2: field \"comm\" has an odd number of hex digits");
	check_next_error("longcomm", TXT(HDR "{\"type\":\"mark\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"12345678901234567\",\"text\":\"\"}\n"),
			 "longcomm:2: field \"comm\" is too long");
	check_next_error("chan", TXT(HDR "{\"type\":\"state\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"\",\"state\":\"blocked\",\"channel\":\"pipe:1\"}\n"),
			 "chan:2: field \"channel\" is not a channel");
	check_next_error("stop", TXT(HDR "{\"type\":\"state\",\"seq\":1,\"t\":1,\"pid\":1,\"tid\":1,\"comm\":\"\",\"state\":\"blocked\",\"stop\":\"parked\"}\n"),
			 "stop:2: field \"stop\" has an unknown value \"parked\"");

	/* a 2 MiB line after two good events */
	n = strlen(HDR EV(0) EV(1));
	big = malloc(n + (2 << 20) + 2);
	memcpy(big, HDR EV(0) EV(1), n);
	memset(big + n, 'x', 2 << 20);
	big[n + (2 << 20)] = '\n';
	CHECK(check_next_error("big", big, n + (2 << 20) + 1, "big:4: line too long") == 2);
	free(big);
}

/* A log that stops early: every complete event, then 0 with the truncated flag. */
static void check_truncated(const char *name, const char *text, int want_events)
{
	const char *path = tmp_path(name);
	struct fs_log_reader *r;
	struct fs_event e;
	char err[512];
	int n = 0, ret;

	write_text(path, text, strlen(text));
	CHECK(log_reader_open(&r, path, err, sizeof(err)) == 0);
	while ((ret = log_reader_next(r, &e, err, sizeof(err))) == 1)
		n++;
	CHECK(ret == 0 && n == want_events);
	CHECK(log_reader_truncated(r) == 1 && log_reader_end(r) == NULL);
	log_reader_close(r);
}

static void test_truncated(void)
{
	check_truncated("cut", HDR EV(0) EV(1) "{\"type\":\"lost\",\"se", 2);
	check_truncated("noend", HDR EV(0) EV(1), 2);
	check_truncated("onlyhdr", HDR, 0);
	/* the last line lost only its newline: it is whole, so it counts */
	check_truncated("nonl", HDR EV(0) "{\"type\":\"lost\",\"seq\":1,\"t\":5,\"pid\":1,\"tid\":1,\"comm\":\"c\",\"count\":1}", 2);
}

static void test_dump_text(void)
{
	struct fs_event e;
	static char buf[16384];
	int n;

	memset(&e, 0, sizeof(e));
	e.type = FS_EV_FORK;
	e.ts = 1234567;
	e.pid = e.tid = 877;
	strcpy(e.comm, "bash");
	e.fork.child_pid = e.fork.child_tid = 878;
	n = dump_event_text(buf, sizeof(buf), &e);
	CHECK(n == (int)strlen(buf));
	CHECK(!strcmp(buf, "     0.001234 [  877/877  ] bash            fork        child=878 (process)"));
	e.type = FS_EV_STATE;
	e.state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = 0, .chan_kind = FS_CHAN_PIPE, .chan = 1234 };
	dump_event_text(buf, sizeof(buf), &e);
	CHECK(strstr(buf, "state       blocked in read on pipe:[1234]") != NULL);
	e.state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = -1, .stop = FS_STOP_FROZEN };
	dump_event_text(buf, sizeof(buf), &e);
	CHECK(strstr(buf, "state       blocked (frozen)") != NULL && !strstr(buf, " in "));
	e.type = FS_EV_IPC;
	e.ipc = (struct fs_ev_ipc){ .op = FS_IPC_WRITE, .fd = 4, .bytes = 12, .chan_kind = FS_CHAN_PIPE, .chan = 1234 };
	dump_event_text(buf, sizeof(buf), &e);
	CHECK(strstr(buf, "ipc         write pipe:[1234] fd=4 12 bytes") != NULL);
	e.type = FS_EV_ANSWER;
	e.answer = (struct fs_ev_answer){ .question = 2, .choice = 1, .right = 3, .asked_seq = 5, .decided_seq = 8 };
	strcpy(e.answer.lesson, "zombie");
	dump_event_text(buf, sizeof(buf), &e);
	CHECK(strstr(buf, "answer      zombie question 2 choice=1 right=3 (wrong) asked at seq 5, decided at seq 8") != NULL);
	/* a short buffer: cut, terminated, and the full length reported */
	CHECK(dump_event_text(buf, 10, &e) > 10 && strlen(buf) == 9);

	/* nothing a terminal would act on survives, whatever the event holds */
	for (int i = 0; i < nevents; i++) {
		n = dump_event_text(buf, sizeof(buf), &events[i]);
		CHECK(n > 0 && n < (int)sizeof(buf));
		for (int k = 0; k < n; k++)
			if ((unsigned char)buf[k] < 0x20 || buf[k] == 0x7f ||
			    ((unsigned char)buf[k] == 0xc2 && (unsigned char)buf[k + 1] >= 0x80 &&
			     (unsigned char)buf[k + 1] < 0xa0))
				CHECK(!"control byte in dump text");
	}
}

static char *dump_to_string(const char *path, int json, int *status, char **errtext)
{
	char *out = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *fo = open_memstream(&out, &outlen), *fe = open_memstream(errtext, &errlen);

	*status = dump_file(path, json, fo, fe);
	fclose(fo);
	fclose(fe);
	return out;
}

static void test_dump_file(void)
{
	const char *path = tmp_path("all.jsonl"), *cut = tmp_path("cut"), *bad = tmp_path("nopid");
	char *out, *errtext, *orig;
	size_t len;
	int status;

	/* JSON out is the writer's own output again: byte-identical to the file */
	out = dump_to_string(path, 1, &status, &errtext);
	orig = read_file(path, &len);
	CHECK(status == 0 && strlen(out) == len && !memcmp(out, orig, len) && errtext[0] == '\0');
	free(out);
	free(errtext);
	free(orig);

	out = dump_to_string(path, 0, &status, &errtext);
	CHECK(status == 0 && !strncmp(out, "# forkscope log v4: cgroup /svc/web sh -c echo \\\"hi\\\"\\t\\x01, kernel", 67));
	CHECK(strstr(out, "\n# end: exit status -3, 42 events, 7 lost, 1.234567 s\n") != NULL);
	CHECK(strstr(out, "exec        /bin/ls [\"ls\", \"-l\"]\n") != NULL);
	CHECK(strstr(out, "killed by SIGKILL (core dumped)") != NULL);
	CHECK(strstr(out, "877 -> 878 SIGTERM delivered") != NULL);
	CHECK(strstr(out, "mark        \"put A\"") != NULL);
	CHECK(strstr(out, "LOST 12 events") != NULL);
	free(out);
	free(errtext);

	out = dump_to_string(cut, 0, &status, &errtext);
	CHECK(status == 0 && strstr(out, "LOST 1 events") != NULL);
	CHECK(strstr(errtext, "forkscope: warning: ") && strstr(errtext, "/cut is truncated (no end line)"));
	free(out);
	free(errtext);

	out = dump_to_string(bad, 1, &status, &errtext);
	CHECK(status == 1 && strstr(errtext, "forkscope: ") && strstr(errtext, "/nopid:3: missing field \"pid\"\n"));
	CHECK(strstr(out, "\"type\":\"header\"") && strstr(out, "\"type\":\"lost\",\"seq\":0")); /* kept */
	free(out);
	free(errtext);

	out = dump_to_string(tmp_path("missing"), 0, &status, &errtext);
	CHECK(status == 1 && strstr(errtext, "No such file or directory") && out[0] == '\0');
	free(out);
	free(errtext);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Informational: a typical mix of state and ipc events. */
static void test_speed(void)
{
	const char *path = tmp_path("speed.jsonl");
	const int count = 1000000;
	struct fs_log_writer *w;
	struct fs_log_reader *r;
	struct fs_event e;
	char err[512];
	double t0, t1, t2;
	int n = 0, failed = 0;

	CHECK(log_writer_open(&w, path, 1) == 0 && log_writer_header(w, &test_header) == 0);
	t0 = now();
	for (int i = 0; i < count; i++) {
		e = events[i % nevents];
		if (i % 4 != 3)
			e = events[i % 2 ? 18 : 21]; /* ready / blocked in read on a pipe */
		e.seq = i;
		e.ts = i * 1000ULL;
		failed += log_writer_event(w, &e) != 0;
	}
	CHECK(log_writer_close(w) == 0 && failed == 0);
	t1 = now();
	CHECK(log_reader_open(&r, path, err, sizeof(err)) == 0);
	while (log_reader_next(r, &e, err, sizeof(err)) == 1)
		n++;
	t2 = now();
	CHECK(n == count && log_reader_truncated(r));
	log_reader_close(r);
	printf("log speed: write %.2f M events/s, read %.2f M events/s\n", count / (t1 - t0) / 1e6,
	       count / (t2 - t1) / 1e6);
	unlink(path);
}

static void cleanup(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
}

/* comm is the bytes before its first NUL: nothing after it may survive, or a copy would differ. */
static void test_comm_nul(void)
{
	char path[512];
	struct fs_log_reader *r;
	struct fs_event e;
	char err[256], want[FS_COMM_LEN] = "sema";
	FILE *f;

	snprintf(path, sizeof(path), "%s/nul.jsonl", dir);
	f = fopen(path, "w");
	fprintf(f, "{\"type\":\"header\",\"format\":\"forkscope-log\",\"version\":1,\"kernel\":\"k\","
		   "\"host\":\"h\",\"start_realtime_ns\":1,\"root_pid\":2,\"tracer_pid\":1,"
		   "\"command\":[\"x\"],\"source\":\"bpf\"}\n"
		   "{\"type\":\"mark\",\"seq\":1,\"t\":5,\"pid\":2,\"tid\":2,"
		   "\"comm\":\"sema\\u0000phore\",\"text\":\"m\"}\n");
	fclose(f);
	CHECK(log_reader_open(&r, path, err, sizeof(err)) == 0);
	CHECK(log_reader_next(r, &e, err, sizeof(err)) == 1 && !memcmp(e.comm, want, FS_COMM_LEN));
	log_reader_close(r);
}

int main(int argc, char **argv)
{
	if (!mkdtemp(dir))
		return 1;
	add_process_events();
	add_exec_events();
	add_exit_events();
	add_state_signal_events();
	add_ipc_events();
	add_other_events();
	add_existing_events();
	add_cgroup_events();
	add_step_events();
	add_answer_events();
	CHECK(events[18].state.state == FS_STATE_READY && events[21].state.chan_kind == FS_CHAN_PIPE);
	test_round_trip();
	test_writer_refuses();
	test_writer_open();
	test_bad_logs();
	test_truncated();
	test_dump_text();
	test_dump_file();
	test_comm_nul();
	if (!(argc > 1 && !strcmp(argv[1], "--no-speed")))
		test_speed();
	cleanup();
	return UNIT_DONE("test_log");
}
