// SPDX-License-Identifier: GPL-2.0
/* Recording: launch a command, trace its tree live, write every event to a log (headless, or under the TUI). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "cli.h"
#include "attach.h"
#include "cgroup.h"
#include "dump.h"
#include "grow.h"
#include "launch.h"
#include "log.h"
#include "names.h"
#include "privilege.h"
#include "procfs.h"
#include "pty.h"
#include "record.h"
#include "source_bpf.h"
#include "source_proc.h"
#include "step.h"
#include "i18n.h"

#define DRAIN_MS 50        /* the ring buffer is drained on this timer, not per event */
#define FLUSH_NS 200000000 /* the log reaches the disk at least this often */
#define STOP_GRACE_NS 2000000000 /* a tree still there this long after a stop signal is told of */
#define KILL_GRACE_NS 2000000000 /* after SIGKILL, give up waiting after this (a task stuck in the kernel) */
#define EMPTY_GRACE_NS 1000000000ull /* an emptied cgroup: its zombies' reaps by outsiders come within this */

struct recorder {
	struct record_opts o;
	struct source_bpf *bpf;   /* the live source: BPF, */
	struct source_proc *proc; /* or with --no-bpf the proc connector */
	struct fs_log_writer *log;
	struct launch launch;
	struct fs_event *existing; /* attached: the tree as it was, for the log once it is open */
	struct fs_event scratch;   /* a description from /proc, for a process entering the cgroup */
	size_t nexisting;
	char **root_argv;          /* attached: the root's command line, for the header */
	char log_name[PATH_MAX];   /* the default name as numbered (o.out points here then) */
	int write_err;
	uint64_t skipped; /* events the log format cannot express (a probe/format mismatch) */
	uint64_t epoch, last_flush;
	uint64_t alive_checked; /* attached: when the tree was last looked for */
	int attached;    /* --pid or --cgroup: not forkscope's children, forkscope detaches */
	struct fs_cgroup cg; /* --cgroup, --unit: the traced cgroup (cg.id 0 otherwise) */
	int cg_seen;     /* a process was in it: once it is empty again, the session ends */
	uint64_t empty_since;
	pid_t root;
	int root_status;
	int root_done;
	int tree_done;   /* no descendant is left: forkscope, their subreaper, reaped them all */
	int stop_signals;
	uint64_t stop_at;  /* the first stop signal: when, which, and whether the terminal sent it */
	int stop_sig, stop_by_tty;
	int told_goes_on;  /* the user was told the tree goes on after it */
	uint64_t killed_at; /* when the tree was sent SIGKILL, 0 not yet */
	struct step *step;   /* stepping is possible: the freezer and its watchdog */
	char step_how[512];
	uint32_t break_kinds;
	uint64_t break_seq;  /* the breakpoint event seen in this drain, 0 none */
	uint32_t break_pid;
	uint32_t break_type; /* and its type; 0 when only the held map told */
	uint32_t *tree;      /* the tree's pids, for a freeze */
	size_t tree_cap;
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- the live source: both kinds have the same shape ---------------------------- */

static int src_open(struct recorder *r, const char **why)
{
	struct source_bpf_opts bo = { .ring_bytes = r->o.ring_bytes, .verbose = r->o.verbose,
				      .cgroup_id = r->cg.id, .cgroup_level = r->cg.level };
	struct source_proc_opts po = { 0 };

	if (r->o.no_bpf)
		return source_proc_open(&r->proc, &po, why);
	return source_bpf_open(&r->bpf, &bo, why);
}

/* at_gate: pid is the command held at the launch gate (else a process found by attach). */
static int src_track(struct recorder *r, uint32_t pid, uint32_t ppid, int at_gate)
{
	return r->proc ? source_proc_track(r->proc, pid) : source_bpf_track(r->bpf, pid, ppid, at_gate);
}

static void src_set_epoch(struct recorder *r, uint64_t t)
{
	if (r->proc)
		source_proc_set_epoch(r->proc, t);
	else
		source_bpf_set_epoch(r->bpf, t);
}

static int src_drain(struct recorder *r, fs_sink_fn sink)
{
	return r->proc ? source_proc_drain(r->proc, sink, r) : source_bpf_drain(r->bpf, sink, r);
}

static uint64_t src_events(const struct recorder *r)
{
	return r->proc ? source_proc_events(r->proc) : source_bpf_events(r->bpf);
}

static void src_close(struct recorder *r)
{
	source_proc_close(r->proc);
	source_bpf_close(r->bpf);
}

/*
 * A process that entered the cgroup is described as an existing one is, from
 * /proc as it is now (the kernel told only who it is); one gone meanwhile is
 * a zombie whose end was not seen.
 */
static const struct fs_event *describe_entered(struct recorder *r, const struct fs_event *e,
					       struct fs_event *out)
{
	struct fs_ev_existing *x = &out->cgroup.proc;

	if (e->type != FS_EV_CGROUP || e->cgroup.op != FS_CG_ENTER)
		return e;
	r->cg_seen = 1;
	*out = *e;
	if (attach_describe(e->pid, e->cgroup.proc.ppid, &r->scratch) == 0) {
		*x = r->scratch.existing;
		memcpy(out->comm, r->scratch.comm, sizeof(out->comm));
	} else {
		x->threads = 1;
		x->state.state = FS_STATE_ZOMBIE;
		x->state.sysnr = -1;
	}
	x->ppid = e->cgroup.proc.ppid; /* the kernel's, at the move */
	return out;
}

/* Every event goes to the log, then to the caller's sink. */
static int on_event(const struct fs_event *in, void *ctx)
{
	struct recorder *r = ctx;
	struct fs_event entered;
	const struct fs_event *e = describe_entered(r, in, &entered);
	int err;

	if ((in->flags & FS_EVF_BREAK) && !r->break_seq) {
		r->break_seq = in->seq;
		r->break_pid = in->pid;
		r->break_type = in->type;
	}
	if (r->log && !r->write_err) {
		err = log_writer_event(r->log, e);
		if (err == -EINVAL)
			r->skipped++;
		else
			r->write_err = err;
	}
	return r->o.sink ? r->o.sink(e, r->o.sink_ctx) : 0;
}

/*
 * Why the log could not be created; --force is no help for what is not a regular file, nor for
 * the default name (numbered, never replaced).
 */
static void log_open_error(const char *path, int err, int can_force)
{
	struct stat st;

	if (err == -EEXIST && !lstat(path, &st) && !S_ISREG(st.st_mode))
		fprintf(stderr, _("forkscope: %s is not a regular file\n"), path);
	else if (err == -EEXIST && can_force)
		fprintf(stderr, _("forkscope: %s: %s (use --force to replace it)\n"), path, strerror(-err));
	else
		fprintf(stderr, "forkscope: %s: %s\n", path, strerror(-err));
}

static int open_log(struct recorder *r)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");
	int err;

	if (!r->o.out)
		return 0;
	mode_t old = r->o.log_umask >= 0 ? umask((mode_t)r->o.log_umask) : 0;

	if (r->o.out_numbered)
		err = log_writer_open_numbered(&r->log, r->o.out, r->log_name, sizeof(r->log_name));
	else
		err = log_writer_open(&r->log, r->o.out, r->o.force);
	if (r->o.log_umask >= 0)
		umask(old); /* the command keeps forkscope's own umask */
	if (err) {
		log_open_error(r->o.out, err, !r->o.out_numbered);
		return err;
	}
	if (r->o.out_numbered) { /* a name forkscope made up: say which, as script(1) does */
		r->o.out = r->log_name;
		cli_info(stderr, _("forkscope: recording to %s\n"), r->o.out);
	}
	/* The log belongs to whoever asked for it, not to root. */
	if (uid && gid && strcmp(r->o.out, "-") &&
	    fchown(log_writer_fd(r->log), (uid_t)atoi(uid), (gid_t)atoi(gid)))
		cli_info(stderr, _("forkscope: warning: cannot hand %s to uid %s: %s\n"), r->o.out, uid,
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
	h.argv = r->attached ? r->root_argv : r->o.argv;
	while (h.argv[argc])
		argc++;
	h.start_realtime_ns = realtime;
	h.root_pid = (uint32_t)r->root;
	h.tracer_pid = (uint32_t)getpid();
	h.argc = argc;
	/* older readers still read the rest */
	h.version = r->step ? FS_LOG_VERSION_STEP : r->cg.id ? FS_LOG_VERSION_CGROUP
		  : r->attached ? FS_LOG_VERSION_EXISTING : 1;
	snprintf(h.cgroup, sizeof(h.cgroup), "%s", r->cg.id ? r->cg.name : "");
	h.cgroup_id = r->cg.id;
	h.abi = FS_EVENT_ABI;
	snprintf(h.source, sizeof(h.source), "%s", r->proc ? "proc" : "bpf");
	if (r->log && !r->write_err)
		r->write_err = log_writer_header(r->log, &h);
}

/* Starts the command held at the gate, on the given terminal if any. */
static int launch(struct recorder *r)
{
	int err = r->o.pty ? pty_arm(r->o.pty->slave) : 0;

	/* with -o - the log owns stdout: the command's output goes where forkscope's messages go */
	r->launch.stdout_to_stderr = !r->o.pty && r->o.out && !strcmp(r->o.out, "-");
	if (!err)
		err = launch_prepare(&r->launch, r->o.argv, r->o.as_root);
	pty_disarm();
	return err;
}

/* Starts the command held at the gate and tracks it; 0 or the exit status to give up with. */
static int start_command(struct recorder *r)
{
	int err = launch(r);

	if (!err) {
		err = src_track(r, (uint32_t)r->launch.pid, (uint32_t)getpid(), 1);
		if (!err && r->step)
			err = step_adopt(r->step, r->launch.pid);
		if (err)
			launch_abort(&r->launch);
	}
	if (err) {
		fprintf(stderr, _("forkscope: cannot start %s: %s\n"), r->o.argv[0], strerror(-err));
		return 1;
	}
	r->root = r->launch.pid;
	return 0;
}

/* The root's command line (NUL-separated in its existing event) as an argv, for the header. */
static char **argv_of(const struct fs_ev_exec *x)
{
	size_t len = x->argv_len < FS_ARGV_LEN ? x->argv_len : FS_ARGV_LEN, n = 0;
	char **argv = calloc(len + 2, sizeof(*argv));

	for (size_t i = 0; argv && i < len; i += strnlen(x->argv + i, len - i) + 1)
		argv[n++] = strndup(x->argv + i, len - i);
	if (argv && !n)
		argv[n++] = strndup(x->filename, x->filename_len);
	return argv;
}

/*
 * Tracks one process found by a scan and describes it: 1 when it is new, 0
 * when the probes have it already (an earlier pass, or they saw its fork) or
 * it was gone before it could be described (then it is untracked again).
 */
static int track_one(struct recorder *r, const struct attach_proc *p, size_t *cap)
{
	int err = src_track(r, p->pid, p->ppid, 0);

	if (err == -EEXIST)
		return 0;
	if (!err)
		err = grow_array(&r->existing, cap, r->nexisting + 1, sizeof(*r->existing));
	if (err)
		return err;
	if (attach_describe(p->pid, p->ppid, &r->existing[r->nexisting])) {
		source_bpf_untrack(r->bpf, p->pid);
		return 0;
	}
	r->nexisting++;
	return 1;
}

/*
 * Tracks every process of the tree /proc shows that the user may ptrace,
 * parents first, so that the probes follow their forks from then on; scans
 * again for children forked meanwhile by a process not yet tracked, until a
 * scan finds nothing new. *left_out: the processes the user may not trace.
 */
static int track_tree(struct recorder *r, size_t *left_out)
{
	struct attach_list l = { 0 };
	size_t cap = 0;
	int err = 0, added = 1;

	for (int pass = 0; !err && added > 0 && pass < 8; pass++) {
		size_t refused = 0;

		err = r->cg.id ? attach_scan_cgroup(&r->cg, &l) : attach_scan((uint32_t)r->o.attach, &l);
		if (!err && !r->cg.id) /* a cgroup's processes are the cgroup owner's: see may_trace_cgroup */
			err = attach_filter(&l, r->o.as_root, &refused);
		if (!pass)
			*left_out = refused; /* later passes see the same ones again */
		added = 0;
		for (size_t i = 0; !err && i < l.n; i++) {
			int n = track_one(r, &l.procs[i], &cap);

			if (n < 0)
				err = n;
			else
				added += n;
		}
	}
	attach_list_free(&l);
	return err;
}

/* Attaches to the tree under --pid; 0 or the exit status to give up with. */
static int start_attached(struct recorder *r)
{
	size_t left_out = 0;
	int err = track_tree(r, &left_out);

	if (!err && (!r->nexisting || r->existing[0].pid != (uint32_t)r->o.attach))
		err = -ESRCH; /* the root went away meanwhile */
	if (!err && left_out)
		cli_info(stderr, ngettext("forkscope: warning: %zu process of the tree is left out: you may not ptrace it\n",
					  "forkscope: warning: %zu processes of the tree are left out: you may not ptrace them\n",
					  left_out), left_out);
	if (!err && !(r->root_argv = argv_of(&r->existing[0].existing.image)))
		err = -ENOMEM;
	if (err) {
		fprintf(stderr, _("forkscope: cannot attach to %d: %s\n"), (int)r->o.attach, strerror(-err));
		return 1;
	}
	r->root = r->o.attach;
	return 0;
}

/* Attaches to every process in the cgroup; 0 or the exit status to give up with. */
static int start_cgroup(struct recorder *r)
{
	size_t left_out = 0;
	int err = track_tree(r, &left_out);

	r->cg_seen = r->nexisting > 0;
	if (!err && !(r->root_argv = calloc(1, sizeof(*r->root_argv))))
		err = -ENOMEM; /* no command: the header names the cgroup instead */
	if (err) {
		fprintf(stderr, _("forkscope: cannot attach to cgroup %s: %s\n"), r->cg.name, strerror(-err));
		return 1;
	}
	return 0;
}

/*
 * With --cgroup or --unit: the directory must be a cgroup v2 one below the
 * root; the user who asked must own it (or be root), as whoever may move
 * processes in and out of it does; forkscope must not be inside it, or it
 * would trace itself tracing.
 */
static int may_trace_cgroup(struct recorder *r)
{
	char why[PATH_MAX + 256];
	uid_t user = r->o.as_root ? 0 : priv_user();
	struct stat st;
	int err = r->o.unit ? cgroup_open_unit(&r->cg, r->o.unit, why, sizeof(why))
			    : cgroup_open(&r->cg, r->o.cgroup, why, sizeof(why));

	if (err) {
		fprintf(stderr, "forkscope: %s\n", why);
		r->cg.id = 0;
		return 1;
	}
	if (user && (stat(r->cg.dir, &st) || st.st_uid != user)) {
		fprintf(stderr, _("forkscope: not allowed to trace %s: user %u does not own it\n"), r->cg.dir,
			(unsigned)user);
		return 1;
	}
	if (cgroup_holds(&r->cg, getpid())) {
		fprintf(stderr, _("forkscope: forkscope itself runs in %s: start it from outside that cgroup\n"),
			r->cg.dir);
		return 1;
	}
	return 0;
}

/* With --pid, strace's rule: the user who asked must be allowed to ptrace the process. */
static int may_attach(const struct recorder *r)
{
	int err = attach_check(r->o.attach, r->o.as_root);

	if (err == -EPERM)
		fprintf(stderr, _("forkscope: not allowed to trace %d: user %u may not ptrace it (the rule strace -p follows)\n"),
			(int)r->o.attach, r->o.as_root ? 0u : (unsigned)priv_user());
	else if (err == -EINVAL)
		fprintf(stderr, _("forkscope: %d is forkscope itself\n"), (int)r->o.attach);
	else if (err)
		fprintf(stderr, _("forkscope: cannot attach to %d: %s\n"), (int)r->o.attach, strerror(-err));
	return err ? 1 : 0;
}

/* Before the command starts (the watchdog must not be in its tree): the freezer, breakpoints. */
static int start_stepping(struct recorder *r)
{
	struct step_opts so = { .cgroup = r->o.freezer };
	int err;

	if (!r->o.stepping || !r->bpf || r->attached)
		return 0;
	so.held_fd = source_bpf_held_fd(r->bpf);
	so.tracked_fd = source_bpf_tracked_fd(r->bpf);
	err = step_open(&r->step, &so, r->step_how, sizeof(r->step_how));
	if (err) {
		fprintf(stderr, _("forkscope: cannot start stepping: %s\n"), strerror(-err));
		return err;
	}
	recorder_set_step(r, r->o.step);
	return 0;
}

/* Loads the probes, then starts the command at the gate or attaches; 0, or the exit status to give up with. */
static int start(struct recorder *r)
{
	const char *why = NULL;
	int err, status;

	if (r->o.attach && may_attach(r))
		return 1;
	if ((r->o.cgroup || r->o.unit) && may_trace_cgroup(r))
		return 1;
	err = src_open(r, &why);
	if (err) {
		fprintf(stderr, "forkscope: %s\n", why);
		return 1;
	}
	if (open_log(r))
		return 1;
	if (start_stepping(r))
		return 1;
	status = r->cg.id ? start_cgroup(r) : r->o.attach ? start_attached(r) : start_command(r);
	if (status)
		return status;
	/* Attached and logging: the rest needs no root (unless the command runs as root). */
	err = r->o.as_root ? 0 : priv_drop_tracer();
	if (err) {
		fprintf(stderr, _("forkscope: cannot drop to the sudo user: %s\n"), strerror(-err));
		if (!r->attached)
			launch_abort(&r->launch);
		return 1;
	}
	return 0;
}

static void recorder_free(struct recorder *r)
{
	step_close(r->step);
	free(r->tree);
	if (r->log)
		log_writer_close(r->log);
	if (r->launch.pid > 0 && !r->root_done)
		waitpid(r->launch.pid, NULL, 0);
	src_close(r);
	cgroup_close(&r->cg);
	free(r->existing);
	for (size_t i = 0; r->root_argv && r->root_argv[i]; i++)
		free(r->root_argv[i]);
	free(r->root_argv);
	free(r);
}

/* The tree as it was when forkscope attached, first in the log (at time zero). */
static void emit_existing(struct recorder *r)
{
	for (size_t i = 0; i < r->nexisting && !r->write_err; i++)
		source_bpf_emit(r->bpf, &r->existing[i], on_event, r);
	free(r->existing);
	r->existing = NULL;
}

int recorder_start(struct recorder **out, const struct record_opts *o)
{
	struct recorder *r = calloc(1, sizeof(*r));
	int status, err;

	if (!r) {
		fprintf(stderr, _("forkscope: out of memory\n"));
		return 1;
	}
	r->o = *o;
	r->launch.pid = -1;
	r->attached = o->attach || o->cgroup || o->unit;
	status = start(r);
	if (status) {
		recorder_free(r);
		return status;
	}
	r->epoch = r->last_flush = now_ns(CLOCK_MONOTONIC);
	src_set_epoch(r, r->epoch);
	write_header(r, now_ns(CLOCK_REALTIME));
	if (r->attached) {
		emit_existing(r);
	} else if ((err = launch_release(&r->launch))) {
		fprintf(stderr, "forkscope: %s: %s\n", o->argv[0], strerror(-err));
	}
	*out = r;
	return 0;
}

int recorder_fd(const struct recorder *r)
{
	return r->proc ? source_proc_fd(r->proc) : source_bpf_fd(r->bpf);
}

uint32_t recorder_root(const struct recorder *r)
{
	return (uint32_t)r->root;
}

const char *recorder_cgroup(const struct recorder *r)
{
	return r->cg.id ? r->cg.name : NULL;
}

uint64_t recorder_epoch(const struct recorder *r)
{
	return r->bpf ? source_bpf_epoch(r->bpf) : r->epoch;
}

uint64_t recorder_lost(const struct recorder *r)
{
	return r->proc ? source_proc_lost(r->proc) : source_bpf_lost(r->bpf);
}

/* A step event, made here: at the session's (stopped) clock, about the breakpoint's process. */
static int emit_step(struct recorder *r, uint32_t op, uint64_t frozen_ns, uint32_t procs)
{
	struct fs_event e;

	memset(&e, 0, sizeof(e));
	e.type = FS_EV_STEP;
	e.ts = source_bpf_now(r->bpf);
	e.pid = e.tid = r->break_pid;
	procfs_comm(r->break_pid, e.comm);
	e.step.op = op;
	e.step.method = (uint32_t)step_method(r->step);
	e.step.at_seq = r->break_seq;
	e.step.frozen_ns = frozen_ns;
	e.step.procs = procs;
	e.step.at_type = op == FS_STEP_FREEZE ? r->break_type : 0;
	return source_bpf_emit(r->bpf, &e, on_event, r);
}

/* Whether a breakpoint stopped a process (its event may have been lost: the held map tells). */
static int at_breakpoint(struct recorder *r)
{
	if (!r->step || !r->break_kinds || step_frozen(r->step))
		return 0;
	return r->break_seq || step_held(r->step);
}

/* The tree held: the clock stops, the events up to the frozen moment come, then the freeze. */
static int freeze(struct recorder *r)
{
	size_t n = source_bpf_tracked(r->bpf, r->tree, r->tree_cap);
	uint32_t held;

	if (n > r->tree_cap) {
		if (grow_array(&r->tree, &r->tree_cap, n, sizeof(*r->tree)))
			return -ENOMEM;
		n = source_bpf_tracked(r->bpf, r->tree, r->tree_cap);
	}
	source_bpf_clock_stop(r->bpf);
	held = step_freeze(r->step, r->tree, n < r->tree_cap ? n : r->tree_cap);
	int err = src_drain(r, on_event);

	return err ? err : emit_step(r, FS_STEP_FREEZE, 0, held);
}

int recorder_drain(struct recorder *r)
{
	uint64_t now;
	int err = src_drain(r, on_event);

	if (!err && at_breakpoint(r))
		err = freeze(r);
	if (err)
		return err;
	now = now_ns(CLOCK_MONOTONIC);
	if (r->log && !r->write_err && now - r->last_flush >= FLUSH_NS) {
		r->write_err = log_writer_flush(r->log);
		r->last_flush = now;
	}
	return r->write_err;
}

/*
 * A cgroup is done once removed, or empty after a process was in it (an
 * empty one at attach is waited on: a service may be about to start) and
 * its last zombies reaped, by parents outside, or a grace period later.
 * cgroup.events is read once a drain period, the pace of the loop anyway.
 */
static int cgroup_done(struct recorder *r, uint64_t now)
{
	int populated = cgroup_populated(&r->cg);

	if (populated < 0)
		return 1;
	if (populated) {
		r->cg_seen = 1;
		r->empty_since = 0;
		return 0;
	}
	if (!r->cg_seen)
		return 0;
	if (!r->empty_since)
		r->empty_since = now;
	return !source_bpf_alive(r->bpf) || now - r->empty_since > EMPTY_GRACE_NS;
}

int recorder_reap(struct recorder *r)
{
	int status;
	pid_t pid;

	if (r->attached) { /* not forkscope's children: gone when none is left, or on a stop */
		uint64_t now = now_ns(CLOCK_MONOTONIC);

		if (!r->stop_signals && now - r->alive_checked < DRAIN_MS * 1000000ull)
			return 0; /* one pass over the tree per drain period is enough */
		r->alive_checked = now;
		r->tree_done = r->stop_signals || (r->cg.id ? cgroup_done(r, now) : !source_bpf_alive(r->bpf));
		return r->tree_done;
	}
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != r->root)
			continue;
		r->root_done = 1;
		r->root_status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	}
	if (pid < 0 && errno == ECHILD)
		r->tree_done = 1;
	return r->tree_done;
}

static void arm(void *ctx)
{
	struct recorder *r = ctx;

	source_bpf_arm(r->bpf);
}

int recorder_can_step(const struct recorder *r)
{
	return r->step != NULL;
}

const char *recorder_step_how(const struct recorder *r)
{
	return r->step ? r->step_how : NULL;
}

void recorder_set_step(struct recorder *r, uint32_t kinds)
{
	if (!r->step)
		return;
	if (kinds != r->break_kinds) {
		r->break_kinds = kinds;
		source_bpf_break(r->bpf, kinds);
	}
	if (!kinds)
		recorder_continue(r);
}

uint32_t recorder_step(const struct recorder *r)
{
	return r->break_kinds;
}

uint32_t recorder_break_type(const struct recorder *r)
{
	return recorder_frozen(r) ? r->break_type : 0;
}

int recorder_frozen(const struct recorder *r)
{
	return r->step && step_frozen(r->step);
}

void recorder_continue(struct recorder *r)
{
	uint64_t frozen;

	if (!recorder_frozen(r))
		return;
	src_drain(r, on_event); /* what came while frozen keeps the frozen moment's time */
	frozen = source_bpf_clock_start(r->bpf);
	emit_step(r, FS_STEP_THAW, frozen, 0);
	r->break_seq = 0;
	r->break_pid = 0;
	r->break_type = 0;
	step_thaw(r->step, r->break_kinds ? arm : NULL, r);
}

/* Counts a stop signal; the first is remembered, for the word that the tree goes on after it. */
static void note_stop(struct recorder *r, int sig, int by_tty)
{
	if (r->stop_signals++)
		return;
	r->stop_at = now_ns(CLOCK_MONOTONIC);
	r->stop_sig = sig;
	r->stop_by_tty = by_tty;
}

/*
 * sig to the command: on a pty of its own it leads its own process group, all of which gets it;
 * else the root while it lives (a reaped root's pid may be another process's by now).
 */
static void signal_root(struct recorder *r, int sig)
{
	if (r->o.pty)
		kill(-r->root, sig);
	else if (!r->root_done)
		kill(r->root, sig);
}

/*
 * sig to every process of the tree, not only to the root: one that ignored the first signal may
 * have children that did too, and once the root is reaped its orphans are the tree. Forkscope is
 * their subreaper, so the tree is exactly its descendants (the stepping watchdog went to init).
 */
static void signal_tree(struct recorder *r, int sig)
{
	struct attach_list l = { 0 };

	signal_root(r, sig); /* on a pty, its process group: should the scan miss a newborn */
	if (attach_scan((uint32_t)getpid(), &l) == 0) {
		for (size_t i = 1; i < l.n; i++) /* procs[0] is forkscope */
			if ((pid_t)l.procs[i].pid != r->root)
				kill((pid_t)l.procs[i].pid, sig);
	}
	attach_list_free(&l);
}

/* A stop signal goes to the root (its group on a pty) while it lives, then to the orphans it left;
 * SIGKILL, or a second signal, to the whole tree, whose exits and reaps are still recorded. */
void recorder_stop(struct recorder *r, int sig)
{
	recorder_set_step(r, 0); /* a frozen tree cannot act on the signal, and a stopping one must not stop */
	if (r->attached) { /* like strace -p: detach and leave the tree running */
		r->stop_signals++;
		return;
	}
	note_stop(r, sig, 0);
	if (sig == SIGKILL || r->stop_signals > 1) {
		signal_tree(r, SIGKILL);
		if (!r->killed_at)
			r->killed_at = now_ns(CLOCK_MONOTONIC);
	} else if (r->root_done && !r->o.pty) {
		signal_tree(r, sig);
	} else {
		signal_root(r, sig);
	}
}

static void write_end(struct recorder *r, int status)
{
	struct fs_log_end end = {
		.exit_status = status,
		.events = src_events(r),
		.lost = recorder_lost(r),
		.duration_ns = now_ns(CLOCK_MONOTONIC) - recorder_epoch(r),
		.detached = r->attached && (r->cg.id ? cgroup_populated(&r->cg) > 0 : source_bpf_alive(r->bpf) > 0),
	};

	if (r->log && !r->write_err)
		r->write_err = log_writer_end(r->log, &end);
	if (r->log && !r->write_err)
		r->write_err = log_writer_close(r->log);
	else
		log_writer_close(r->log);
	r->log = NULL;
	if (r->write_err)
		fprintf(stderr, _("forkscope: %s: %s: the log ends at the last complete event\n"),
			r->o.out, strerror(-r->write_err));
	if (r->skipped)
		cli_info(stderr, _("forkscope: warning: %llu events could not be written to the log\n"),
			 (unsigned long long)r->skipped);
}

int recorder_finish(struct recorder *r)
{
	int err, status;

	if (!r)
		return 1;
	recorder_set_step(r, 0); /* a tree frozen at its end (the root's exit) is thawed in the log too */
	err = src_drain(r, on_event);
	/* the kernel's exact channel totals: BPF counts them, the proc connector cannot */
	if (!err && r->bpf)
		err = source_bpf_totals(r->bpf, on_event, r);
	if (err && err != r->write_err)
		fprintf(stderr, _("forkscope: tracing failed: %s\n"), strerror(-err));
	status = r->attached ? 0 : r->root_done ? r->root_status : 1;
	write_end(r, status);
	if (r->write_err)
		status = 1;
	recorder_free(r);
	return status;
}

/* ---- the headless loop ---------------------------------------------------------- */

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
 * terminal already sent it to the whole foreground group; a second one kills
 * the tree. Either way recording goes on until the tree is gone.
 */
static void on_stop_signal(struct recorder *r, const struct signalfd_siginfo *si)
{
	if (r->stop_signals == 0 && si->ssi_code == SI_KERNEL)
		note_stop(r, (int)si->ssi_signo, 1);
	else
		recorder_stop(r, (int)si->ssi_signo);
}

/* A tree that outlives the stop signal is not a hang: say once that forkscope still records it. */
static void tell_goes_on(struct recorder *r)
{
	char name[32];
	const char *sig;

	if (!r->stop_signals || r->killed_at || r->told_goes_on ||
	    now_ns(CLOCK_MONOTONIC) - r->stop_at <= STOP_GRACE_NS)
		return;
	r->told_goes_on = 1;
	sig = fs_signal_name(r->stop_sig, name, sizeof(name));
	cli_info(stderr, _("forkscope: the command goes on after %s; still recording (%s again stops it)\n"),
		 sig, r->stop_by_tty && r->stop_sig == SIGINT ? "Ctrl-C" : sig);
}

static void handle_signals(struct recorder *r, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD)
			on_stop_signal(r, &si);
	}
	recorder_reap(r);
}

/* Done when every descendant has been reaped, or when a killed tree is still not gone after a while. */
static int tree_gone(struct recorder *r)
{
	return r->tree_done || (r->killed_at && now_ns(CLOCK_MONOTONIC) - r->killed_at > KILL_GRACE_NS);
}

static int trace_loop(struct recorder *r, int sfd)
{
	struct pollfd pfd[2] = { { recorder_fd(r), POLLIN, 0 }, { sfd, POLLIN, 0 } };
	int err;

	for (;;) {
		if (poll(pfd, 2, DRAIN_MS) < 0 && errno != EINTR)
			return -errno;
		handle_signals(r, sfd);
		err = recorder_drain(r);
		if (err)
			return err;
		if (tree_gone(r))
			return 0;
		tell_goes_on(r);
	}
}

/* -p: each event as a dump line on stderr, as it comes. */
static int print_event(const struct fs_event *e, void *ctx)
{
	char line[1024];

	(void)ctx;
	dump_event_text(line, sizeof(line), e);
	fprintf(stderr, "%s\n", line);
	return 0;
}

int record_run(const struct record_opts *o)
{
	struct record_opts opts = *o;
	struct recorder *r;
	sigset_t set;
	int sfd, err, status;

	if (opts.print && !opts.sink)
		opts.sink = print_event;
	sfd = block_signals(&set);
	/* Orphans come to forkscope, not to init: it sees every reap and knows when the tree is gone. */
	if (sfd < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		fprintf(stderr, _("forkscope: out of resources\n"));
		return 1;
	}
	status = recorder_start(&r, &opts);
	if (status) {
		close(sfd);
		return status;
	}
	err = trace_loop(r, sfd);
	if (err && err != r->write_err)
		fprintf(stderr, _("forkscope: tracing failed: %s\n"), strerror(-err));
	status = recorder_finish(r);
	close(sfd);
	return status;
}

int recorder_inject(struct recorder *r, const struct fs_event *e)
{
	struct fs_event copy = *e;

	/* an answer in a log of an older version would make a reader refuse the whole log */
	if (r->log && !log_writer_takes(r->log, e->type))
		return -EPROTO;
	if (r->proc)
		return source_proc_emit(r->proc, &copy, on_event, r);
	return source_bpf_emit(r->bpf, &copy, on_event, r);
}
