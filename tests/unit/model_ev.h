/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic events for the model's unit tests: one helper per event kind, applied at once. */
#ifndef FORKSCOPE_MODEL_EV_H
#define FORKSCOPE_MODEL_EV_H

#include <string.h>
#include "model.h"

#define ROOT 100

static inline struct fs_event ev(uint32_t type, uint64_t ts, uint32_t pid, uint32_t tid)
{
	struct fs_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.ts = ts;
	e.pid = pid;
	e.tid = tid;
	strcpy(e.comm, "demo");
	return e;
}

static inline int do_fork(struct fs_model *m, uint64_t ts, uint32_t parent, uint32_t child)
{
	struct fs_event e = ev(FS_EV_FORK, ts, parent, parent);

	e.fork.child_pid = child;
	e.fork.child_tid = child;
	return model_apply(m, &e);
}

static inline int do_thread(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t tid)
{
	struct fs_event e = ev(FS_EV_FORK, ts, pid, pid);

	e.fork.child_pid = pid;
	e.fork.child_tid = tid;
	e.fork.thread = 1;
	return model_apply(m, &e);
}

static inline int do_state(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t tid, uint32_t state,
			   int32_t sysnr)
{
	struct fs_event e = ev(FS_EV_STATE, ts, pid, tid);

	e.state.state = state;
	e.state.sysnr = sysnr;
	return model_apply(m, &e);
}

static inline int do_exit(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t tid, uint32_t code,
			  uint32_t thread)
{
	struct fs_event e = ev(FS_EV_EXIT, ts, pid, tid);

	e.exit.code = code;
	e.exit.thread = thread;
	return model_apply(m, &e);
}

static inline int do_reap(struct fs_model *m, uint64_t ts, uint32_t reaper, uint32_t child, uint32_t autoreap)
{
	struct fs_event e = ev(FS_EV_REAP, ts, reaper, reaper);

	e.reap.child = child;
	e.reap.autoreap = autoreap;
	return model_apply(m, &e);
}

static inline int do_fork_return(struct fs_model *m, uint64_t ts, uint32_t pid, uint32_t tid, int64_t ret)
{
	struct fs_event e = ev(FS_EV_FORK_RETURN, ts, pid, tid);

	e.fork_return.ret = ret;
	e.fork_return.sysnr = 56;
	return model_apply(m, &e);
}

#endif /* FORKSCOPE_MODEL_EV_H */
