// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the process model: lifecycle, incarnations, threads, reparenting, channels, losses. */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "model.h"
#include "model_ev.h"
#include "unit.h"

static int do_ipc(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t op, uint32_t kind,
		  uint64_t chan, int64_t bytes)
{
	struct fs_event e = ev(FS_EV_IPC, ts, pid, pid);

	e.ipc.op = op;
	e.ipc.chan_kind = kind;
	e.ipc.chan = chan;
	e.ipc.bytes = bytes;
	e.ipc.fd = 3;
	return model_apply(m, &e);
}

static int do_ipc_peer(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t op, uint64_t chan,
		       uint32_t peer_kind, uint64_t peer)
{
	struct fs_event e = ev(FS_EV_IPC, ts, pid, pid);

	e.ipc.op = op;
	e.ipc.chan_kind = FS_CHAN_SOCKET;
	e.ipc.chan = chan;
	e.ipc.peer_kind = peer_kind;
	e.ipc.peer = peer;
	return model_apply(m, &e);
}

/* What a tree walk saw, in walk order. */
struct walk {
	uint32_t pid[16];
	uint64_t serial[16];
	int depth[16];
	int n;
};

static void walk_fn(const struct model_proc *p, int depth, void *ctx)
{
	struct walk *w = ctx;

	if (w->n < 16) {
		w->pid[w->n] = p->pid;
		w->serial[w->n] = p->serial;
		w->depth[w->n] = depth;
	}
	w->n++;
}

static const struct model_endpoint *endpoint_of(const struct model_chan *c, uint32_t pid)
{
	for (const struct model_endpoint *ep = c->first_endpoint; ep; ep = ep->next_in_chan) {
		if (ep->proc->pid == pid)
			return ep;
	}
	return NULL;
}

static void test_lifecycle(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;
	uint64_t sum = 0;

	CHECK(model_seed_root(m, ROOT, 1, 0) == 0);
	CHECK(model_root(m) && model_root(m)->pid == ROOT && model_root(m)->parent == NULL);
	CHECK(do_fork(m, 100, ROOT, 200) == 0);
	p = model_find(m, 200);
	CHECK(p && p->state == MS_CREATED && p->parent == model_root(m) && p->ppid == ROOT);
	CHECK(p && p->born_at == 100 && !p->uncertain && !p->born_unseen);
	CHECK(model_live_count(m) == 2);
	CHECK(do_state(m, 110, 200, 200, FS_STATE_READY, FS_READY_NEW) == 0);
	CHECK(p->state == MS_READY && p->ready_reason == FS_READY_NEW);
	CHECK(do_state(m, 130, 200, 200, FS_STATE_RUNNING, -1) == 0);
	CHECK(do_state(m, 160, 200, 200, FS_STATE_BLOCKED, 0) == 0);
	CHECK(p->state == MS_BLOCKED && p->blocked_sysnr == 0 && p->state_since == 160);
	CHECK(do_state(m, 200, 200, 200, FS_STATE_READY, FS_READY_WOKEN) == 0);
	CHECK(do_state(m, 210, 200, 200, FS_STATE_RUNNING, -1) == 0);
	CHECK(p->state == MS_RUNNING);
	CHECK(do_exit(m, 250, 200, 200, 3, 0) == 0);
	CHECK(p->state == MS_ZOMBIE && p->exited && p->exit_code == 3 && p->exited_at == 250);
	CHECK(model_live_count(m) == 1 && model_zombie_count(m) == 1);
	/* the last switch after the exit event leaves it a zombie */
	CHECK(do_state(m, 260, 200, 200, FS_STATE_ZOMBIE, -1) == 0);
	CHECK(p->state == MS_ZOMBIE);
	CHECK(do_reap(m, 300, ROOT, 200, 0) == 0);
	CHECK(p->state == MS_REAPED && p->reaper == ROOT && !p->autoreaped && p->reaped_at == 300);
	CHECK(model_zombie_count(m) == 0 && model_live_count(m) == 1 && model_proc_count(m) == 2);
	CHECK(model_find(m, 200) == p); /* a tomb stays findable until its pid is reused */

	CHECK(p->time_in[MS_CREATED] == 10);
	CHECK(p->time_in[MS_READY] == 20 + 10);
	CHECK(p->time_in[MS_RUNNING] == 30 + 40);
	CHECK(p->time_in[MS_BLOCKED] == 40);
	CHECK(p->time_in[MS_ZOMBIE] == 50);
	for (int s = 0; s < MS_COUNT; s++)
		sum += p->time_in[s];
	CHECK(sum == p->reaped_at - p->born_at);
	CHECK(model_proc_time_in(p, MS_REAPED, 450) == 150);
	CHECK(model_proc_time_in(p, MS_RUNNING, 450) == 70);
	CHECK(!strcmp(model_state_name(MS_BLOCKED), "blocked") &&
	      !strcmp(model_state_name(MS_REAPED), "reaped") && !strcmp(model_state_name(42), "?"));
	CHECK(model_now(m) == 300 && model_anomalies(m) == 0);
	model_free(m);
}

static void test_fork_return(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *parent, *child;

	model_seed_root(m, ROOT, 1, 0);
	CHECK(do_fork(m, 10, ROOT, 877) == 0);
	/* the child may return before the parent does */
	CHECK(do_fork_return(m, 20, 877, 877, 0) == 0);
	CHECK(do_fork_return(m, 30, ROOT, ROOT, 877) == 0);
	parent = model_find(m, ROOT);
	child = model_find(m, 877);
	CHECK(parent->fork_ret == 877 && !parent->saw_fork_zero);
	CHECK(child->saw_fork_zero && child->fork_ret == 0);
	CHECK(do_fork_return(m, 40, ROOT, ROOT, -EAGAIN) == 0);
	CHECK(parent->fork_ret == -EAGAIN);
	CHECK(model_proc_count(m) == 2);
	model_free(m);
}

static void test_threads(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 300);
	do_state(m, 20, 300, 300, FS_STATE_RUNNING, -1);
	CHECK(do_thread(m, 30, 300, 301) == 0);
	p = model_find(m, 300);
	CHECK(model_proc_count(m) == 2 && model_find(m, 301) == NULL);
	CHECK(p->nthreads == 2 && p->threads && p->threads->n == 2);
	/* pthread_create returns the thread's tid: that is not a fork */
	CHECK(do_fork_return(m, 31, 300, 300, 301) == 0 && p->fork_ret == 0);
	CHECK(do_fork_return(m, 32, 300, 301, 0) == 0 && !p->saw_fork_zero);
	CHECK(do_state(m, 40, 300, 300, FS_STATE_BLOCKED, 7) == 0);
	CHECK(p->state == MS_BLOCKED); /* 301 is only created */
	CHECK(do_state(m, 50, 300, 301, FS_STATE_RUNNING, -1) == 0);
	CHECK(p->state == MS_RUNNING);
	CHECK(do_state(m, 60, 300, 301, FS_STATE_READY, FS_READY_PREEMPTED) == 0);
	CHECK(p->state == MS_READY);
	CHECK(do_state(m, 70, 300, 301, FS_STATE_BLOCKED, 0) == 0);
	CHECK(p->state == MS_BLOCKED);
	CHECK(do_state(m, 80, 300, 301, FS_STATE_RUNNING, -1) == 0);
	CHECK(do_exit(m, 90, 300, 301, 0, 1) == 0);
	CHECK(p->nthreads == 1 && !p->exited && p->state == MS_BLOCKED);
	/* the exited thread is still switched out once more: no ghost thread comes back */
	CHECK(do_state(m, 91, 300, 301, FS_STATE_READY, FS_READY_PREEMPTED) == 0);
	CHECK(p->nthreads == 1 && p->threads->n == 1 && p->state == MS_BLOCKED);
	CHECK(p->time_in[MS_RUNNING] == 20 + 10 + 10 && p->time_in[MS_BLOCKED] == 10 + 10);
	do_thread(m, 92, 300, 305);
	do_state(m, 93, 300, 305, FS_STATE_RUNNING, -1);
	CHECK(do_state(m, 94, 300, 300, FS_STATE_READY, FS_READY_WOKEN) == 0);
	CHECK(p->state == MS_RUNNING); /* running outranks ready */
	do_exit(m, 95, 300, 305, 0, 1);
	CHECK(p->state == MS_READY && p->nthreads == 1);
	model_free(m);
}

static void test_exec(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;
	struct fs_event e;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 300);
	p = model_find(m, 300);
	/* a non-leader thread execs: it becomes the leader, the others are gone */
	do_thread(m, 100, 300, 302);
	do_thread(m, 101, 300, 303);
	CHECK(p->nthreads == 3);
	e = ev(FS_EV_EXEC, 110, 300, 300);
	strcpy(e.comm, "cat");
	e.exec.old_tid = 302;
	strcpy(e.exec.filename, "/bin/cat");
	e.exec.filename_len = 8;
	memcpy(e.exec.argv, "cat\0-n\0", 7);
	e.exec.argv_len = 7;
	CHECK(model_apply(m, &e) == 0);
	CHECK(p->nthreads == 1 && p->threads == NULL && p->state == MS_RUNNING);
	CHECK(!strcmp(p->comm, "cat") && p->image && !strcmp(p->image->filename, "/bin/cat"));
	CHECK(p->image->argv_len == 7 && !memcmp(p->image->argv, "cat\0-n\0", 7));
	/* a failed exec records the error and keeps the image */
	e.exec.result = -ENOENT;
	strcpy(e.exec.filename, "/nope");
	CHECK(model_apply(m, &e) == 0);
	CHECK(p->last_exec_result == -ENOENT && !strcmp(p->image->filename, "/bin/cat"));
	/* children share their parent's image until they exec */
	do_fork(m, 120, 300, 310);
	CHECK(model_find(m, 310)->image == p->image && p->image->refs == 2);
	model_free(m);
}

static void test_pid_reuse(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *old, *young;
	struct walk w = { 0 };

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 400);
	old = model_find(m, 400);
	do_exit(m, 20, 400, 400, 0, 0);
	do_reap(m, 30, ROOT, 400, 0);
	CHECK(do_fork(m, 40, ROOT, 400) == 0);
	young = model_find(m, 400);
	CHECK(young && young != old && young->serial > old->serial);
	CHECK(young->state == MS_CREATED && old->state == MS_REAPED);
	CHECK(model_proc_count(m) == 3 && model_live_count(m) == 2);
	model_for_each_proc(m, walk_fn, &w);
	CHECK(w.n == 3 && w.pid[0] == ROOT && w.depth[0] == 0);
	CHECK(w.pid[1] == 400 && w.serial[1] == old->serial && w.depth[1] == 1);
	CHECK(w.pid[2] == 400 && w.serial[2] == young->serial && w.depth[2] == 1);
	/* forgetting the old tomb must not take the new incarnation out of the pid table */
	model_forget_tombs_before(m, 1000);
	CHECK(model_proc_count(m) == 2 && model_find(m, 400) == young);
	model_free(m);
}

/* 40,000 lives of one child, its pid walking past pid_max: nothing piles up. */
static void test_wraparound(void)
{
	struct fs_model *m = model_new();
	size_t before, after, max_held = 0;
	int live_wrong = 0, errors = 0;
	uint64_t t = 1000;

	model_seed_root(m, ROOT, 1, 0);
	before = mallinfo2().uordblks;
	for (int i = 0; i < 40000; i++, t += 100) {
		uint32_t pid = 300 + (uint32_t)(i % 32468); /* 300..32767, then around again */

		errors += do_fork(m, t, ROOT, pid) != 0;
		errors += do_state(m, t + 10, pid, pid, FS_STATE_READY, FS_READY_NEW) != 0;
		errors += do_state(m, t + 20, pid, pid, FS_STATE_RUNNING, -1) != 0;
		errors += do_exit(m, t + 30, pid, pid, 0, 0) != 0;
		errors += do_state(m, t + 40, pid, pid, FS_STATE_ZOMBIE, -1) != 0;
		errors += do_reap(m, t + 50, ROOT, pid, 0) != 0;
		live_wrong += model_live_count(m) != 1;
		if (model_proc_count(m) > max_held)
			max_held = model_proc_count(m);
		if (i % 1000 == 999)
			model_forget_tombs_before(m, t - 50000); /* keep the last ~500 tombs */
	}
	CHECK(errors == 0 && live_wrong == 0 && model_anomalies(m) == 0);
	CHECK(max_held <= 1 + 1000 + 501);
	model_forget_tombs_before(m, t);
	after = mallinfo2().uordblks;
	CHECK(model_proc_count(m) == 1 && model_root(m) && model_live_count(m) == 1);
	CHECK(model_zombie_count(m) == 0 && model_find(m, 300) == NULL);
	/* only the pid table's slots may have grown */
	CHECK(after < before + 64 * 1024);
	model_free(m);
}

static void test_missed_reap(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *old, *young;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 500);
	old = model_find(m, 500);
	/* 500's exit and reap were lost: the kernel must have reaped it */
	CHECK(do_fork(m, 20, ROOT, 500) == -EINVAL);
	young = model_find(m, 500);
	CHECK(young != old && young->state == MS_CREATED && !young->uncertain);
	CHECK(old->state == MS_REAPED && old->uncertain && old->exit_unknown && old->reaper == 0);
	CHECK(!old->autoreaped && old->reaped_at == 20);
	CHECK(model_live_count(m) == 2 && model_zombie_count(m) == 0 && model_proc_count(m) == 3);
	CHECK(model_anomalies(m) == 1);
	model_free(m);
}

static void test_reparent(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *mid, *a, *b;
	struct fs_event e;
	struct walk w = { 0 };

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 600);
	do_fork(m, 20, 600, 601);
	do_fork(m, 30, 600, 602);
	mid = model_find(m, 600);
	a = model_find(m, 601);
	b = model_find(m, 602);
	CHECK(a->parent == mid && mid->first_child == a && a->next_sibling == b);
	do_exit(m, 40, 600, 600, 0, 0);
	e = ev(FS_EV_REPARENT, 50, 601, 601);
	e.reparent.old_parent = 600;
	e.reparent.new_parent = 1; /* init: outside the tree */
	CHECK(model_apply(m, &e) == 0);
	CHECK(a->parent == NULL && a->ppid == 1 && a->orig_ppid == 600 && a->reparented_at == 50);
	CHECK(mid->first_child == b && b->prev_sibling == NULL);
	e = ev(FS_EV_REPARENT, 60, 602, 602);
	e.reparent.old_parent = 600;
	e.reparent.new_parent = ROOT; /* a subreaper in the tree */
	CHECK(model_apply(m, &e) == 0);
	CHECK(b->parent == model_root(m) && b->ppid == ROOT && mid->first_child == NULL);
	model_for_each_proc(m, walk_fn, &w);
	CHECK(w.n == 4);
	CHECK(w.pid[0] == ROOT && w.depth[0] == 0 && w.pid[1] == 600 && w.depth[1] == 1);
	CHECK(w.pid[2] == 602 && w.depth[2] == 1 && w.pid[3] == 601 && w.depth[3] == 0);
	/* a reparent that would make a cycle leaves the child outside */
	e = ev(FS_EV_REPARENT, 70, ROOT, ROOT);
	e.reparent.new_parent = 602;
	CHECK(model_apply(m, &e) == -EINVAL && model_root(m)->parent == NULL);
	model_free(m);
}

static void test_autoreap(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 700);
	p = model_find(m, 700);
	do_exit(m, 20, 700, 700, 0, 0);
	CHECK(do_state(m, 30, 700, 700, FS_STATE_DEAD, -1) == 0);
	CHECK(p->state == MS_ZOMBIE && model_zombie_count(m) == 1);
	CHECK(do_reap(m, 30, ROOT, 700, 1) == 0);
	CHECK(p->state == MS_REAPED && p->autoreaped && p->reaper == 0);
	/* the reap may win the race with the last switch: a late event changes nothing */
	CHECK(do_state(m, 35, 700, 700, FS_STATE_DEAD, -1) == 0);
	CHECK(do_state(m, 36, 700, 700, FS_STATE_READY, FS_READY_PREEMPTED) == 0);
	CHECK(p->state == MS_REAPED && model_find(m, 700) == p && model_proc_count(m) == 2);
	CHECK(do_reap(m, 40, ROOT, 700, 0) == -EINVAL); /* reaped twice */
	model_free(m);
}

static void test_pipe(void)
{
	struct fs_model *m = model_new();
	const struct model_chan *c;
	const struct model_endpoint *a, *b;

	model_seed_root(m, ROOT, 1, 0);
	CHECK(do_ipc(m, 10, ROOT, FS_IPC_PIPE, FS_CHAN_PIPE, 5000, 0) == 0);
	do_fork(m, 20, ROOT, 800);
	CHECK(do_ipc(m, 30, ROOT, FS_IPC_WRITE, FS_CHAN_PIPE, 5000, 12) == 0);
	CHECK(do_ipc(m, 40, 800, FS_IPC_READ, FS_CHAN_PIPE, 5000, 12) == 0);
	CHECK(do_ipc(m, 50, 800, FS_IPC_READ, FS_CHAN_PIPE, 5000, -EINTR) == 0);
	CHECK(model_chan_count(m) == 1);
	c = model_find_chan(m, FS_CHAN_PIPE, 5000);
	CHECK(c && c->nendpoints == 2 && c->creator == ROOT && c->created_at == 10);
	a = c ? endpoint_of(c, ROOT) : NULL;
	b = c ? endpoint_of(c, 800) : NULL;
	CHECK(a && a->bytes_written == 12 && a->msgs_written == 1 && a->bytes_read == 0);
	CHECK(a && a->ops == 2 && a->errors == 0 && a->chan == c);
	CHECK(b && b->bytes_read == 12 && b->msgs_read == 1 && b->bytes_written == 0);
	CHECK(b && b->errors == 1 && b->last_error == -EINTR && b->ops == 2);
	CHECK(model_find(m, 800)->endpoints == b && b->next_in_proc == NULL);
	CHECK(model_find_chan(m, FS_CHAN_SOCKET, 5000) == NULL);

	/* a channel lives as long as a held process used it */
	do_fork(m, 60, ROOT, 801);
	do_ipc(m, 70, 801, FS_IPC_PIPE, FS_CHAN_PIPE, 5100, 0);
	do_exit(m, 80, 801, 801, 0, 0);
	do_exit(m, 81, 800, 800, 0, 0);
	do_reap(m, 90, ROOT, 801, 0);
	do_reap(m, 91, ROOT, 800, 0);
	CHECK(model_chan_count(m) == 2);
	model_forget_tombs_before(m, 100);
	CHECK(model_chan_count(m) == 1 && model_find_chan(m, FS_CHAN_PIPE, 5100) == NULL);
	CHECK(c->nendpoints == 1 && c->first_endpoint == a);
	model_free(m);
}

static void test_sockets(void)
{
	struct fs_model *m = model_new();
	const struct model_chan *e0, *e1, *srv, *cli, *acc;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(8080) };
	struct fs_event e;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 5, ROOT, 900);
	CHECK(do_ipc_peer(m, 10, ROOT, FS_IPC_SOCKETPAIR, 6000, FS_PEER_CHAN, 6001) == 0);
	e0 = model_find_chan(m, FS_CHAN_SOCKET, 6000);
	e1 = model_find_chan(m, FS_CHAN_SOCKET, 6001);
	CHECK(e0 && e1 && e0->peer == e1 && e1->peer == e0 && e1->peer_id == 6000);
	CHECK(e0 && e1 && endpoint_of(e0, ROOT) && endpoint_of(e1, ROOT));
	CHECK(do_ipc_peer(m, 20, 900, FS_IPC_WRITE, 6001, FS_PEER_CHAN, 6000) == 0);
	CHECK(e1->peer == e0 && e1->nendpoints == 2);

	/* a server and a client: accepted and connected sockets pair by swapped ports */
	e = ev(FS_EV_IPC, 30, ROOT, ROOT);
	e.ipc.op = FS_IPC_SOCKET;
	e.ipc.chan_kind = FS_CHAN_SOCKET;
	e.ipc.chan = 7000;
	e.ipc.arg = (int64_t)AF_INET << 32 | SOCK_STREAM;
	CHECK(model_apply(m, &e) == 0);
	e.ts = 31;
	e.ipc.op = FS_IPC_BIND;
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	memcpy(e.ipc.path, &sin, sizeof(sin));
	e.ipc.path_len = sizeof(sin);
	CHECK(model_apply(m, &e) == 0);
	srv = model_find_chan(m, FS_CHAN_SOCKET, 7000);
	CHECK(srv && srv->family == AF_INET && srv->type == SOCK_STREAM);
	CHECK(srv && srv->name && !strcmp(srv->name, "127.0.0.1:8080"));
	CHECK(do_ipc_peer(m, 40, 900, FS_IPC_CONNECT, 7001, FS_PEER_INET_PORTS,
			  (uint64_t)40000 << 16 | 8080) == 0);
	CHECK(do_ipc_peer(m, 41, ROOT, FS_IPC_ACCEPT, 7002, FS_PEER_INET_PORTS,
			  (uint64_t)8080 << 16 | 40000) == 0);
	cli = model_find_chan(m, FS_CHAN_SOCKET, 7001);
	acc = model_find_chan(m, FS_CHAN_SOCKET, 7002);
	CHECK(cli && acc && cli->peer == acc && acc->peer == cli);
	CHECK(cli && cli->lport == 40000 && cli->rport == 8080 && srv->peer == NULL);
	model_free(m);
}

static void test_lost(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *root, *p, *tomb;
	struct fs_event e;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 950);
	do_fork(m, 11, ROOT, 951);
	do_exit(m, 12, 951, 951, 0, 0);
	do_reap(m, 13, ROOT, 951, 0);
	root = model_root(m);
	p = model_find(m, 950);
	tomb = model_find(m, 951);
	CHECK(!root->uncertain && !p->uncertain);
	e = ev(FS_EV_LOST, 20, 0, 0);
	e.lost.count = 5;
	CHECK(model_apply(m, &e) == 0);
	CHECK(model_apply(m, &e) == 0);
	CHECK(model_lost(m) == 10);
	CHECK(root->uncertain && p->uncertain && !tomb->uncertain);
	CHECK(do_state(m, 30, 950, 950, FS_STATE_BLOCKED, 0) == 0);
	CHECK(!p->uncertain && root->uncertain);
	model_free(m);
}

/* A freeze names its breakpoint until the thaw, which adds the frozen time; pid 0 may step. */
static void test_step(void)
{
	struct fs_model *m = model_new();
	struct fs_event e;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 950);
	e = ev(FS_EV_STEP, 11, ROOT, ROOT);
	e.step = (struct fs_ev_step){ .op = FS_STEP_FREEZE, .method = FS_FREEZE_CGROUP, .at_seq = 4, .procs = 2 };
	CHECK(model_apply(m, &e) == 0);
	CHECK(model_break_seq(m) == 4 && model_frozen_ns(m) == 0);
	e = ev(FS_EV_STEP, 11, 0, 0);
	e.step = (struct fs_ev_step){ .op = FS_STEP_THAW, .method = FS_FREEZE_CGROUP, .at_seq = 4, .frozen_ns = 900 };
	CHECK(model_apply(m, &e) == 0);
	CHECK(model_break_seq(m) == 0 && model_frozen_ns(m) == 900 && model_anomalies(m) == 0);
	CHECK(model_find(m, 950)->state == MS_READY || model_find(m, 950)->state == MS_CREATED);
	model_free(m);
}

static void test_unknown_pids(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;
	struct fs_event e;

	model_seed_root(m, ROOT, 1, 0);
	e = ev(FS_EV_IPC, 10, 1234, 1234);
	strcpy(e.comm, "stray");
	e.ipc.op = FS_IPC_WRITE;
	e.ipc.chan_kind = FS_CHAN_PIPE;
	e.ipc.chan = 42;
	e.ipc.bytes = 3;
	CHECK(model_apply(m, &e) == 0);
	p = model_find(m, 1234);
	CHECK(p && p->uncertain && p->born_unseen && p->parent == NULL);
	CHECK(p && p->state == MS_RUNNING && !strcmp(p->comm, "stray"));
	CHECK(model_live_count(m) == 2);

	CHECK(do_state(m, 20, 1235, 1235, FS_STATE_BLOCKED, 0) == 0);
	p = model_find(m, 1235);
	CHECK(p && p->born_unseen && !p->uncertain && p->state == MS_BLOCKED);

	CHECK(do_reap(m, 30, ROOT, 1236, 0) == 0);
	p = model_find(m, 1236);
	CHECK(p && p->state == MS_REAPED && p->exit_unknown && p->uncertain && p->reaper == ROOT);
	CHECK(model_zombie_count(m) == 0 && model_live_count(m) == 3);

	/* a reaped pid that acts again is a new incarnation whose fork was lost */
	CHECK(do_ipc(m, 40, 1236, FS_IPC_WRITE, FS_CHAN_PIPE, 42, 1) == 0);
	CHECK(model_find(m, 1236) != p && model_find(m, 1236)->born_unseen);
	CHECK(model_anomalies(m) == 0);
	model_free(m);
}

static void test_signals_and_marks(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *root, *child;
	struct fs_event e;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 1300);
	root = model_root(m);
	child = model_find(m, 1300);
	e = ev(FS_EV_SIGNAL, 20, ROOT, ROOT);
	e.signal.op = FS_SIG_GENERATE;
	e.signal.target_pid = e.signal.target_tid = 1300;
	e.signal.sig = 15;
	CHECK(model_apply(m, &e) == 0);
	e = ev(FS_EV_SIGNAL, 30, 1, 1); /* from init, outside the tree */
	e.signal.op = FS_SIG_GENERATE;
	e.signal.target_pid = e.signal.target_tid = 1300;
	e.signal.sig = 9;
	CHECK(model_apply(m, &e) == 0);
	e = ev(FS_EV_SIGNAL, 40, 1300, 1300);
	e.signal.op = FS_SIG_DELIVER;
	e.signal.sig = 9;
	CHECK(model_apply(m, &e) == 0);
	CHECK(root->signals && root->signals->sent == 1 && root->signals->last_out_to == 1300);
	CHECK(child->signals && child->signals->received == 2 && child->signals->last_in_sig == 9);
	CHECK(child->signals->last_in_from == 1 && child->signals->taken == 1);
	CHECK(model_find(m, 1) == NULL);

	e = ev(FS_EV_MARK, 50, 1300, 1300);
	strcpy(e.mark.text, "step 1\n");
	e.mark.len = 7;
	CHECK(model_apply(m, &e) == 0);
	strcpy(e.mark.text, "step 2");
	e.mark.len = 6;
	e.ts = 60;
	CHECK(model_apply(m, &e) == 0);
	CHECK(child->mark && !strcmp(child->mark->text, "step 2") && child->mark->at == 60);
	CHECK(model_marks(m) == 2);
	e = ev(99, 70, 1300, 1300);
	CHECK(model_apply(m, &e) == -EINVAL && model_anomalies(m) == 1);
	model_free(m);
}

static int do_existing(struct fs_model *m, uint32_t pid, uint32_t ppid, uint32_t state, const char *argv,
		       size_t len)
{
	struct fs_event e = ev(FS_EV_EXISTING, 0, pid, pid);

	e.existing.ppid = ppid;
	e.existing.threads = 1;
	e.existing.age_ns = 5000;
	e.existing.state.state = state;
	e.existing.state.sysnr = state == FS_STATE_BLOCKED ? 61 : 0;
	memcpy(e.existing.image.argv, argv, len);
	e.existing.image.argv_len = (uint16_t)len;
	return model_apply(m, &e);
}

/* record --pid: the seeded root takes its real parent, the others hang under theirs. */
static void test_existing(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *root, *kid, *zombie;
	struct walk w = { 0 };

	CHECK(model_seed_root(m, ROOT, 999, 0) == 0);
	CHECK(do_existing(m, ROOT, 50, FS_STATE_BLOCKED, "sh\0-c\0", 6) == 0);
	CHECK(do_existing(m, 101, ROOT, FS_STATE_RUNNING, "sleep\0", 6) == 0);
	CHECK(do_existing(m, 102, 101, FS_STATE_ZOMBIE, "", 0) == 0);
	CHECK(do_existing(m, 101, ROOT, FS_STATE_RUNNING, "sleep\0", 6) == -EINVAL); /* alive already */
	root = model_find(m, ROOT);
	kid = model_find(m, 101);
	zombie = model_find(m, 102);
	CHECK(root == model_root(m) && root->ppid == 50 && root->already_running && !root->born_unseen);
	CHECK(root->state == MS_BLOCKED && root->blocked_sysnr == 61 && root->age_at_attach == 5000);
	CHECK(root->image && !strcmp(root->image->argv, "sh"));
	CHECK(kid->parent == root && kid->state == MS_RUNNING && kid->already_running);
	CHECK(zombie->parent == kid && zombie->state == MS_ZOMBIE && zombie->exit_unknown);
	model_for_each_proc(m, walk_fn, &w);
	CHECK(w.n == 3 && w.pid[0] == ROOT && w.pid[1] == 101 && w.pid[2] == 102 && w.depth[2] == 2);
	CHECK(model_live_count(m) == 2);
	/* then life goes on as usual: the zombie is reaped by its parent */
	CHECK(do_reap(m, 10, 101, 102, 0) == 0 && zombie->state == MS_REAPED);
	model_free(m);
}

static int do_held(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t stop)
{
	struct fs_event e = ev(FS_EV_STATE, ts, pid, pid);

	e.state = (struct fs_ev_state){ .state = FS_STATE_BLOCKED, .sysnr = -1, .stop = stop };
	return model_apply(m, &e);
}

/* A held task's stop kind lasts as long as its blocked state, and no sleep after inherits it. */
static void test_held(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;

	CHECK(model_seed_root(m, ROOT, 1, 0) == 0);
	p = model_find(m, ROOT);
	CHECK(do_state(m, 10, ROOT, ROOT, FS_STATE_RUNNING, -1) == 0 && p->blocked_stop == FS_STOP_NONE);
	CHECK(do_held(m, 20, ROOT, FS_STOP_SIGNAL) == 0);
	CHECK(p->state == MS_BLOCKED && p->blocked_stop == FS_STOP_SIGNAL && p->blocked_sysnr == -1);
	CHECK(do_state(m, 30, ROOT, ROOT, FS_STATE_READY, FS_READY_WOKEN) == 0); /* SIGCONT */
	CHECK(p->state == MS_READY && p->blocked_stop == FS_STOP_NONE);
	CHECK(do_held(m, 40, ROOT, FS_STOP_TRACED) == 0 && p->blocked_stop == FS_STOP_TRACED);
	CHECK(do_state(m, 50, ROOT, ROOT, FS_STATE_RUNNING, -1) == 0 && p->blocked_stop == FS_STOP_NONE);
	CHECK(do_state(m, 60, ROOT, ROOT, FS_STATE_BLOCKED, 35) == 0); /* an ordinary sleep after it */
	CHECK(p->state == MS_BLOCKED && p->blocked_stop == FS_STOP_NONE && p->blocked_sysnr == 35);
	CHECK(do_held(m, 70, ROOT, FS_STOP_FROZEN) == 0 && p->blocked_stop == FS_STOP_FROZEN);
	CHECK(do_held(m, 75, ROOT, FS_STOP_KIND_MAX) == 0 && p->blocked_stop == FS_STOP_NONE); /* not a kind */
	CHECK(do_held(m, 80, ROOT, FS_STOP_FROZEN) == 0);
	CHECK(do_exit(m, 90, ROOT, ROOT, 0, 0) == 0); /* killed while frozen: no longer held */
	CHECK(p->state == MS_ZOMBIE && p->blocked_stop == FS_STOP_NONE);
	model_free(m);
}

/* Threads it had at attach time are met by their first state, up to the count /proc gave. */
static void test_existing_threads(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;
	struct fs_event e = ev(FS_EV_EXISTING, 0, ROOT, ROOT);

	e.existing.ppid = 1;
	e.existing.threads = 3;
	e.existing.state.state = FS_STATE_BLOCKED;
	CHECK(model_apply(m, &e) == 0);
	p = model_find(m, ROOT);
	CHECK(p->nthreads == 3 && p->threads_unseen == 2);
	CHECK(do_state(m, 10, ROOT, ROOT + 1, FS_STATE_RUNNING, 0) == 0);
	CHECK(p->nthreads == 3 && p->threads_unseen == 1 && p->state == MS_RUNNING);
	CHECK(do_state(m, 20, ROOT, ROOT + 2, FS_STATE_BLOCKED, 202) == 0);
	CHECK(p->nthreads == 3 && p->threads_unseen == 0);
	/* a fourth unknown tid is not one of them: ignored, as for any process */
	CHECK(do_state(m, 30, ROOT, ROOT + 3, FS_STATE_RUNNING, 0) == 0 && p->nthreads == 3);
	CHECK(do_exit(m, 40, ROOT, ROOT + 1, 0, 1) == 0 && p->nthreads == 2);
	CHECK(do_state(m, 50, ROOT, ROOT + 1, FS_STATE_RUNNING, 0) == 0 && p->nthreads == 2); /* no ghost */
	model_free(m);
}

/* --cgroup: a process moved in joins like an existing one; one moved out stays, no longer traced. */
static void test_cgroup(void)
{
	struct fs_model *m = model_new();
	struct fs_event e = ev(FS_EV_CGROUP, 100, 300, 300);
	const struct model_proc *p, *kid;

	CHECK(do_existing(m, 200, 1, FS_STATE_BLOCKED, "sh\0", 3) == 0);
	e.cgroup.op = FS_CG_ENTER;
	e.cgroup.proc.ppid = 200;
	e.cgroup.proc.threads = 1;
	e.cgroup.proc.age_ns = 77;
	e.cgroup.proc.state.state = FS_STATE_RUNNING;
	CHECK(model_apply(m, &e) == 0);
	p = model_find(m, 300);
	CHECK(p && p->parent == model_find(m, 200) && p->entered_at == 100 && p->already_running);
	CHECK(p->born_at == 100 && p->age_at_attach == 77 && p->state == MS_RUNNING && !p->left_at);
	CHECK(model_apply(m, &e) == -EINVAL); /* it is in already */
	CHECK(do_fork(m, 110, 300, 301) == 0);
	kid = model_find(m, 301);
	e.ts = 120;
	e.cgroup.op = FS_CG_LEAVE;
	CHECK(model_apply(m, &e) == 0 && p->left_at == 120 && p->state == MS_RUNNING);
	CHECK(kid->parent == p && !kid->left_at); /* its child stays in the cgroup */
	/* back again: the same incarnation, traced once more */
	e.ts = 130;
	e.cgroup.op = FS_CG_ENTER;
	CHECK(model_apply(m, &e) == 0 && model_find(m, 300) == p && !p->left_at && p->entered_at == 130);
	e = ev(FS_EV_CGROUP, 140, 999, 999);
	e.cgroup.op = FS_CG_LEAVE;
	CHECK(model_apply(m, &e) == -EINVAL); /* never seen */
	CHECK(model_anomalies(m) == 2);
	model_free(m);
}

int main(void)
{
	test_lifecycle();
	test_fork_return();
	test_threads();
	test_exec();
	test_pid_reuse();
	test_wraparound();
	test_missed_reap();
	test_reparent();
	test_autoreap();
	test_pipe();
	test_sockets();
	test_lost();
	test_step();
	test_unknown_pids();
	test_signals_and_marks();
	test_existing();
	test_existing_threads();
	test_cgroup();
	test_held();
	return UNIT_DONE("test_model");
}
