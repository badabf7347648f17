// SPDX-License-Identifier: GPL-2.0
/* The degraded source without BPF traces a real small command: its tree, programs, exits, reaps, states. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"
#include "model.h"
#include "source_proc.h"
#include "unit.h"

/* What the sink saw besides the model. */
struct seen {
	struct fs_model *m;
	uint32_t root;
	int slept;                /* a sampled state: sleep asleep in clock_nanosleep */
	int unordered;            /* seq numbers not 1, 2, 3, ... */
	uint64_t seq;
};

static int sink(const struct fs_event *e, void *ctx)
{
	struct seen *s = ctx;

	s->unordered |= e->seq != ++s->seq;
	if (e->type == FS_EV_STATE && !strcmp(e->comm, "sleep") && e->state.state == FS_STATE_BLOCKED &&
	    e->state.sysnr == SYS_clock_nanosleep)
		s->slept = 1;
	model_apply(s->m, e);
	return 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Runs argv traced by the proc source, as record does, until the whole tree is reaped. */
static int trace(char *const argv[], struct seen *seen)
{
	struct source_proc *src;
	struct launch l = { .pid = -1 };
	const char *why;
	int status, done = 0;
	pid_t pid;

	if (source_proc_open(&src, NULL, &why)) {
		fprintf(stderr, "source_proc_open: %s\n", why);
		return -1;
	}
	CHECK(launch_prepare(&l, argv, 1) == 0);
	CHECK(source_proc_track(src, (uint32_t)l.pid) == 0);
	source_proc_set_epoch(src, mono_ns());
	seen->root = (uint32_t)l.pid;
	model_seed_root(seen->m, seen->root, (uint32_t)getpid(), 0);
	CHECK(launch_release(&l) == 0);
	while (!done) {
		struct pollfd pfd = { source_proc_fd(src), POLLIN, 0 };

		poll(&pfd, 1, 50);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			;
		done = pid < 0 && errno == ECHILD; /* every descendant reaped: a last drain sees the reaps */
		CHECK(source_proc_drain(src, sink, seen) == 0);
	}
	CHECK(source_proc_lost(src) == 0 && source_proc_events(src) == seen->seq);
	source_proc_close(src);
	return 0;
}

struct tree {
	char line[512];
	size_t len;
};

/* "comm(depth) exit-code state" for every process, in tree order. */
static void tree_line(const struct model_proc *p, int depth, void *ctx)
{
	struct tree *t = ctx;

	t->len += (size_t)snprintf(t->line + t->len, sizeof(t->line) - t->len, "%s%s(%d) %u %s",
				   t->len ? ", " : "", p->comm, depth, p->exit_code,
				   p->state == MS_REAPED ? "reaped" : model_state_name(p->state));
}

/* comm(depth) exit-code state, in tree order: the pipe's two ends, then the background sleep */
#define TREE "sh(0) 3 reaped, sleep(1) 0 reaped, cat(1) 0 reaped, sleep(1) 0 reaped"

int main(void)
{
	/* every program lives long enough for its exec to be read from /proc */
	char *argv[] = { "/bin/sh", "-c", "/bin/sleep 0.2 | /bin/cat; /bin/sleep 0.1 & wait; exit 3", NULL };
	char *killed[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	struct seen seen = { 0 };
	struct tree t = { .len = 0 };
	const struct model_proc *root;

	if (geteuid() != 0) {
		printf("test_source_proc: skipped: the proc connector needs root\n");
		return 0;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return 1;
	seen.m = model_new();
	if (!seen.m || trace(argv, &seen))
		return 1;
	model_for_each_proc(seen.m, tree_line, &t);
	CHECK(!strcmp(t.line, TREE));
	if (strcmp(t.line, TREE))
		fprintf(stderr, "tree: %s\n", t.line);
	root = model_root(seen.m);
	CHECK(root && root->pid == seen.root && root->reaper == (uint32_t)getpid());
	CHECK(root && root->first_child && root->first_child->reaper == seen.root);
	CHECK(root && root->image && !strcmp(root->image->argv, "/bin/sh"));
	CHECK(root && root->last_child && root->last_child->image &&
	      !strcmp(root->last_child->image->filename, "/usr/bin/sleep"));
	CHECK(seen.slept);
	CHECK(!seen.unordered);
	CHECK(model_anomalies(seen.m) == 0);
	model_free(seen.m);

	/* a process killed by a signal: the wait status is decoded as the probes do */
	memset(&seen, 0, sizeof(seen));
	seen.m = model_new();
	if (!seen.m || trace(killed, &seen))
		return 1;
	root = model_root(seen.m);
	CHECK(root && root->exit_sig == SIGTERM && root->exit_code == 0 && root->state == MS_REAPED);
	model_free(seen.m);
	return UNIT_DONE("test_source_proc");
}
