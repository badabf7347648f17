// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the model after lost events: what a reap, a reparent and the session's end imply. */
#include <errno.h>
#include "model.h"
#include "model_ev.h"
#include "session.h"
#include "unit.h"

static int do_lost(struct fs_model *m, uint64_t ts, uint64_t count)
{
	struct fs_event e = ev(FS_EV_LOST, ts, 0, 0);

	e.lost.count = count;
	return model_apply(m, &e);
}

static int do_reparent(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t old_parent,
		       uint32_t new_parent)
{
	struct fs_event e = ev(FS_EV_REPARENT, ts, pid, pid);

	e.reparent.old_parent = old_parent;
	e.reparent.new_parent = new_parent;
	return model_apply(m, &e);
}

/* Every incarnation is in exactly one of live, zombie and reaped, forgotten or not. */
static int totals_add_up(const struct fs_model *m)
{
	return model_seen_total(m) == model_live_count(m) + model_zombie_count(m) + model_reaped_total(m);
}

/* Time in every state adds up to the whole life, however its end was learnt. */
static uint64_t life_in_states(const struct model_proc *p)
{
	uint64_t sum = 0;

	for (int s = 0; s < MS_COUNT; s++)
		sum += model_proc_time_in(p, s, p->reaped_at);
	return sum;
}

static void test_reap_implies_exit(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *p;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 500);
	p = model_find(m, 500);
	CHECK(do_lost(m, 20, 3) == 0); /* 500's exit was among them */
	CHECK(p->state == MS_CREATED && p->uncertain && !p->exited);
	CHECK(do_reap(m, 30, ROOT, 500, 0) == -EINVAL);
	CHECK(p->state == MS_REAPED && p->exited && p->exit_unknown && p->reaper == ROOT);
	CHECK(p->exited_at == 30 && p->reaped_at == 30 && life_in_states(p) == 20);
	CHECK(model_live_count(m) == 1 && model_zombie_count(m) == 0);
	CHECK(model_reaped_total(m) == 1 && model_exit_unknown_total(m) == 1 && totals_add_up(m));
	model_free(m);
}

static void test_reparent_implies_exit(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *mid, *kid;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 600);
	do_fork(m, 20, 600, 601);
	mid = model_find(m, 600);
	kid = model_find(m, 601);
	do_lost(m, 30, 1);
	/* the kernel hands 601 on when 600 exits: that exit was the event lost */
	CHECK(do_reparent(m, 40, 601, 600, ROOT) == -EINVAL);
	CHECK(mid->exited && mid->exit_unknown && mid->state == MS_ZOMBIE && mid->exited_at == 40);
	CHECK(kid->parent == model_root(m) && !kid->exited);
	CHECK(model_live_count(m) == 2 && model_zombie_count(m) == 1);
	/* its reap follows; the exit is not inferred twice */
	CHECK(do_reap(m, 50, ROOT, 600, 0) == 0);
	CHECK(mid->state == MS_REAPED && model_exit_unknown_total(m) == 1 && totals_add_up(m));
	model_free(m);
}

static void test_reparent_seen_exit(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *mid, *young;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 600);
	do_fork(m, 20, 600, 601);
	do_fork(m, 21, 600, 602);
	mid = model_find(m, 600);
	do_exit(m, 30, 600, 600, 4, 0);
	CHECK(do_reparent(m, 40, 601, 600, ROOT) == 0);
	CHECK(!mid->exit_unknown && mid->exit_code == 4);
	/* 600 is reaped and its pid forked again before 602 wakes: the new 600 lives on */
	do_reap(m, 50, ROOT, 600, 0);
	do_fork(m, 60, ROOT, 600);
	young = model_find(m, 600);
	CHECK(do_reparent(m, 70, 602, 600, ROOT) == 0);
	CHECK(young != mid && !young->exited && model_anomalies(m) == 0);
	/* a parent the model does not know (its fork was before a loss) implies nothing */
	CHECK(do_reparent(m, 80, 603, 600, ROOT) == 0);
	CHECK(!young->exited && model_find(m, 603)->born_unseen);
	model_free(m);
}

static void test_end_closes_what_was_lost(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *live, *threaded, *zombie, *done;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 700);
	do_fork(m, 11, ROOT, 701);
	do_thread(m, 12, 701, 7011);
	do_fork(m, 13, ROOT, 702);
	do_fork(m, 14, ROOT, 703);
	do_state(m, 15, 700, 700, FS_STATE_BLOCKED, 0);
	do_exit(m, 20, 702, 702, 9, 0);
	do_exit(m, 21, 703, 703, 0, 0);
	do_reap(m, 22, ROOT, 703, 0);
	do_lost(m, 30, 100); /* every other exit and reap */
	live = model_find(m, 700);
	threaded = model_find(m, 701);
	zombie = model_find(m, 702);
	done = model_find(m, 703);
	CHECK(model_live_count(m) == 3 && model_zombie_count(m) == 1);
	CHECK(model_end(m, 90) == 4);
	CHECK(model_live_count(m) == 0 && model_zombie_count(m) == 0 && totals_add_up(m));
	CHECK(live->state == MS_REAPED && live->exit_unknown && live->uncertain && live->reaper == 0);
	CHECK(!live->autoreaped && live->exited_at == 90 && live->reaped_at == 90);
	CHECK(life_in_states(live) == 80 && model_proc_time_in(live, MS_BLOCKED, 90) == 75);
	CHECK(threaded->state == MS_REAPED && threaded->nthreads == 0 && !threaded->threads);
	/* an exit that was seen keeps its code; only its reap was lost */
	CHECK(zombie->state == MS_REAPED && !zombie->exit_unknown && zombie->exit_code == 9);
	CHECK(zombie->exited_at == 20 && zombie->reaped_at == 90);
	CHECK(done->reaped_at == 22 && !done->uncertain && model_root(m)->exit_unknown);
	CHECK(model_exit_unknown_total(m) == 3 && model_reaped_total(m) == 5);
	CHECK(model_end(m, 95) == 0 && model_reaped_total(m) == 5);
	model_free(m);
}

static void test_end_of_clean_session(void)
{
	struct fs_model *m = model_new();

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 800);
	do_exit(m, 20, 800, 800, 0, 0);
	do_reap(m, 21, ROOT, 800, 0);
	do_exit(m, 30, ROOT, ROOT, 0, 0);
	do_reap(m, 31, 1, ROOT, 0);
	/* forgotten tombs still count as seen and reaped */
	model_forget_tombs_before(m, 100);
	CHECK(model_proc_count(m) == 0 && model_seen_total(m) == 2 && model_reaped_total(m) == 2);
	CHECK(model_end(m, 40) == 0 && model_exit_unknown_total(m) == 0 && model_anomalies(m) == 0);
	model_free(m);
}

static void test_end_keeps_what_is_certain(void)
{
	struct fs_model *m = model_new();
	const struct model_proc *daemon, *stray;

	model_seed_root(m, ROOT, 1, 0);
	do_fork(m, 10, ROOT, 900);
	do_exit(m, 20, ROOT, ROOT, 0, 0);
	do_reap(m, 21, 1, ROOT, 0);
	do_state(m, 30, 900, 900, FS_STATE_BLOCKED, 0);
	daemon = model_find(m, 900);
	/* nothing was lost: a process still there when tracing stopped is still there */
	CHECK(model_end(m, 40) == 0 && daemon->state == MS_BLOCKED && model_live_count(m) == 1);
	/* one met without its fork is in doubt; an end before the latest event closes at that event */
	do_fork_return(m, 50, 901, 901, 0);
	stray = model_find(m, 901);
	CHECK(stray->uncertain && model_end(m, 45) == 1);
	CHECK(stray->state == MS_REAPED && stray->reaped_at == 50 && model_now(m) == 50);
	CHECK(daemon->state == MS_BLOCKED && totals_add_up(m));
	model_free(m);
}

/* A session (the TUI's replay) tells its model of the end once the last event is applied, and again after a rebuild. */
static void test_session_end(void)
{
	struct session *s;
	struct fs_event e;

	CHECK(session_new(&s) == 0);
	session_set_root(s, ROOT, 1);
	e = ev(FS_EV_FORK, 10, ROOT, ROOT);
	e.fork.child_pid = e.fork.child_tid = 500;
	session_append(s, &e);
	e = ev(FS_EV_LOST, 20, 0, 0);
	e.lost.count = 1;
	session_append(s, &e);
	session_end(s);
	CHECK(model_live_count(session_model(s)) == 1 && model_exit_unknown_total(session_model(s)) == 0);
	CHECK(session_apply_next(s, 0) == 1 && model_live_count(session_model(s)) == 2);
	CHECK(session_apply_next(s, 0) == 1 && model_live_count(session_model(s)) == 0);
	CHECK(model_exit_unknown_total(session_model(s)) == 2);
	/* stepping back rebuilds the model without the end; reaching the end again ends it again */
	CHECK(session_seek(s, 1) == 0 && model_live_count(session_model(s)) == 2);
	CHECK(session_seek(s, 2) == 0 && model_live_count(session_model(s)) == 0);
	CHECK(model_reaped_total(session_model(s)) == 2);
	session_free(s);
	/* an ended session without a single event: the root, seeded and certain, is not closed */
	CHECK(session_new(&s) == 0);
	session_set_root(s, ROOT, 1);
	session_end(s);
	CHECK(session_seek(s, 0) == 0 && model_live_count(session_model(s)) == 1);
	session_free(s);
}

int main(void)
{
	test_reap_implies_exit();
	test_reparent_implies_exit();
	test_reparent_seen_exit();
	test_end_closes_what_was_lost();
	test_end_of_clean_session();
	test_end_keeps_what_is_certain();
	test_session_end();
	return UNIT_DONE("test_model_loss");
}
