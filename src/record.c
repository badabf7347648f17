// SPDX-License-Identifier: GPL-2.0
/* Headless recording: launch a command, trace its tree live, write every event to a log. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "dump.h"
#include "launch.h"
#include "log.h"
#include "model.h"
#include "record.h"
#include "source_bpf.h"

#define DRAIN_MS 50        /* the ring buffer is drained on this timer, not per event */
#define FLUSH_NS 200000000 /* the log reaches the disk at least this often */
#define STOP_GRACE_NS 2000000000 /* after a stop signal, give up waiting after this */
#define TOMB_KEEP_NS 10000000000ull /* reaped processes stay in the model this long */

struct recorder {
	const struct record_opts *o;
	struct source_bpf *src;
	struct fs_model *model;
	struct fs_log_writer *log;
	int write_err;
	uint64_t skipped; /* events the log format cannot express (a probe/format mismatch) */
	pid_t root;
	int root_status;
	int root_done;
	int tree_done;   /* no descendant is left: forkscope, their subreaper, reaped them all */
	int stop_signals;
	uint64_t stop_at;
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The sink: every event goes to the model, then to each consumer. */
static int on_event(const struct fs_event *e, void *ctx)
{
	struct recorder *r = ctx;
	char line[1024];

	int err;

	model_apply(r->model, e);
	if (r->log && !r->write_err) {
		err = log_writer_event(r->log, e);
		if (err == -EINVAL)
			r->skipped++;
		else
			r->write_err = err;
	}
	if (r->o->print) {
		dump_event_text(line, sizeof(line), e);
		fprintf(stderr, "%s\n", line);
	}
	return 0;
}

static int open_log(struct recorder *r)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");
	int err;

	if (!r->o->out)
		return 0;
	err = log_writer_open(&r->log, r->o->out, r->o->force);
	if (err) {
		fprintf(stderr, "forkscope: %s: %s%s\n", r->o->out, strerror(-err),
			err == -EEXIST ? " (use --force to replace it)" : "");
		return err;
	}
	/* The log belongs to whoever asked for it, not to root. */
	if (uid && gid && strcmp(r->o->out, "-") &&
	    fchown(log_writer_fd(r->log), (uid_t)atoi(uid), (gid_t)atoi(gid)))
		fprintf(stderr, "forkscope: warning: cannot hand %s to uid %s: %s\n", r->o->out, uid,
			strerror(errno));
	return 0;
}

static void write_header(struct recorder *r, uint64_t realtime)
{
	struct fs_log_header h;
	struct utsname u;
	int argc = 0;

	memset(&h, 0, sizeof(h));
	if (uname(&u) == 0)
		snprintf(h.kernel, sizeof(h.kernel), "%s", u.release);
	gethostname(h.host, sizeof(h.host) - 1);
	while (r->o->argv[argc])
		argc++;
	h.start_realtime_ns = realtime;
	h.root_pid = (uint32_t)r->root;
	h.tracer_pid = (uint32_t)getpid();
	h.argc = argc;
	h.argv = r->o->argv;
	h.version = 1;
	snprintf(h.source, sizeof(h.source), "bpf");
	if (r->log && !r->write_err)
		r->write_err = log_writer_header(r->log, &h);
}

static int block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, set, NULL))
		return -errno;
	return signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/*
 * A stop signal goes on to the command, as `time` would let it, unless the
 * terminal already sent it to the whole foreground group; a second one kills.
 */
static void on_stop_signal(struct recorder *r, const struct signalfd_siginfo *si)
{
	if (r->root_done)
		return;
	if (r->stop_signals++ == 0) {
		r->stop_at = now_ns(CLOCK_MONOTONIC);
		if (si->ssi_code != SI_KERNEL)
			kill(r->root, (int)si->ssi_signo);
	} else {
		kill(r->root, SIGKILL);
	}
}

/* Reaps the root and every orphan handed to forkscope as their subreaper. */
static void reap_children(struct recorder *r)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != r->root)
			continue;
		r->root_done = 1;
		r->root_status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	}
	if (pid < 0 && errno == ECHILD)
		r->tree_done = 1;
}

static void handle_signals(struct recorder *r, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD)
			on_stop_signal(r, &si);
	}
	reap_children(r);
}

/* Done when every descendant has been reaped, or a stop signal went unheeded for too long. */
static int tree_gone(struct recorder *r, uint64_t now)
{
	return r->tree_done || (r->stop_signals && now - r->stop_at > STOP_GRACE_NS);
}

static int trace_loop(struct recorder *r, int sfd)
{
	struct pollfd pfd[2] = { { source_bpf_fd(r->src), POLLIN, 0 }, { sfd, POLLIN, 0 } };
	uint64_t last_flush = now_ns(CLOCK_MONOTONIC), now;
	int err;

	for (;;) {
		if (poll(pfd, 2, DRAIN_MS) < 0 && errno != EINTR)
			return -errno;
		handle_signals(r, sfd);
		err = source_bpf_drain(r->src, on_event, r);
		if (err)
			return err;
		if (model_now(r->model) > TOMB_KEEP_NS)
			model_forget_tombs_before(r->model, model_now(r->model) - TOMB_KEEP_NS);
		now = now_ns(CLOCK_MONOTONIC);
		if (r->log && !r->write_err && now - last_flush >= FLUSH_NS) {
			r->write_err = log_writer_flush(r->log);
			last_flush = now;
		}
		if (r->write_err)
			return r->write_err;
		if (tree_gone(r, now))
			return source_bpf_drain(r->src, on_event, r);
	}
}

static void write_end(struct recorder *r, int status, uint64_t epoch)
{
	struct fs_log_end end = {
		.exit_status = status,
		.events = source_bpf_events(r->src),
		.lost = source_bpf_lost(r->src),
		.duration_ns = now_ns(CLOCK_MONOTONIC) - epoch,
	};

	if (r->log && !r->write_err)
		r->write_err = log_writer_end(r->log, &end);
	if (r->log && !r->write_err)
		r->write_err = log_writer_close(r->log);
	else
		log_writer_close(r->log);
	r->log = NULL;
	if (r->write_err)
		fprintf(stderr, "forkscope: %s: %s: the log ends at the last complete event\n",
			r->o->out, strerror(-r->write_err));
	if (r->skipped)
		fprintf(stderr, "forkscope: warning: %llu events could not be written to the log\n",
			(unsigned long long)r->skipped);
}

/* Loads the probes and starts the command at the gate; 0, or the exit status to give up with. */
static int start(struct recorder *r, struct launch *l)
{
	struct source_bpf_opts so = { .ring_bytes = r->o->ring_bytes, .verbose = r->o->verbose };
	const char *why = NULL;
	int err;

	err = source_bpf_open(&r->src, &so, &why);
	if (err) {
		fprintf(stderr, "forkscope: %s\n", why);
		return 1;
	}
	if (open_log(r))
		return 1;
	err = launch_prepare(l, r->o->argv, r->o->as_root);
	if (!err) {
		err = source_bpf_track(r->src, (uint32_t)l->pid);
		if (err)
			launch_abort(l);
	}
	if (err) {
		fprintf(stderr, "forkscope: cannot start %s: %s\n", r->o->argv[0], strerror(-err));
		return 1;
	}
	r->root = l->pid;
	return 0;
}

int record_run(const struct record_opts *o)
{
	struct recorder r = { .o = o };
	struct launch l = { .pid = -1 };
	uint64_t epoch;
	sigset_t set;
	int sfd, err, status;

	r.model = model_new();
	sfd = block_signals(&set);
	/* Orphans come to forkscope, not to init: it sees every reap and knows when the tree is gone. */
	if (!r.model || sfd < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		fprintf(stderr, "forkscope: out of resources\n");
		return 1;
	}
	status = start(&r, &l);
	if (status)
		goto out;
	epoch = now_ns(CLOCK_MONOTONIC);
	source_bpf_set_epoch(r.src, epoch);
	model_seed_root(r.model, (uint32_t)r.root, (uint32_t)getpid(), 0);
	write_header(&r, now_ns(CLOCK_REALTIME));
	err = launch_release(&l);
	if (err)
		fprintf(stderr, "forkscope: %s: %s\n", o->argv[0], strerror(-err));
	err = trace_loop(&r, sfd);
	if (!err)
		err = source_bpf_totals(r.src, on_event, &r);
	if (err && err != r.write_err)
		fprintf(stderr, "forkscope: tracing failed: %s\n", strerror(-err));
	status = r.root_done ? r.root_status : 1;
	write_end(&r, status, epoch);
	if (r.write_err)
		status = 1;
out:
	if (r.log)
		log_writer_close(r.log);
	if (l.pid > 0 && !r.root_done)
		waitpid(l.pid, NULL, 0);
	source_bpf_close(r.src);
	model_free(r.model);
	close(sfd);
	return status;
}
