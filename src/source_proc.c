// SPDX-License-Identifier: GPL-2.0
/* The degraded live source without BPF: fork, exec and exit from the proc connector, states sampled from /proc. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "names.h"
#include "procfs.h"
#include "source_proc.h"
#include "i18n.h"

#define DEFAULT_SAMPLE_MS 20
#define RCVBUF_BYTES (4 << 20) /* the connector reports every process of the system */

/* What the source knows of one process of the tree. */
struct proc_ent {
	uint32_t pid, ppid;
	char comm[FS_COMM_LEN];
	uint8_t exited;
	uint8_t dying;    /* seen as a zombie before its exit event came */
	struct fs_ev_state last; /* the last state reported, so that only changes are */
};

struct source_proc {
	int nl, timer, epfd;
	uint64_t epoch, seq, lost;
	struct proc_ent *ents;
	size_t n, cap;
	fs_sink_fn sink;
	void *ctx;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t since_epoch(const struct source_proc *s, uint64_t monotonic)
{
	return monotonic > s->epoch ? monotonic - s->epoch : 0;
}

static void ev_init(struct fs_event *e, uint32_t type, uint64_t ts, uint32_t pid, uint32_t tid,
		    const char *comm)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->ts = ts;
	e->pid = pid;
	e->tid = tid;
	memcpy(e->comm, comm, strnlen(comm, FS_COMM_LEN));
}

static int emit(struct source_proc *s, struct fs_event *e)
{
	e->seq = ++s->seq;
	return s->sink(e, s->ctx);
}

/* ---- the processes of the tree ------------------------------------------- */

static struct proc_ent *ent_find(struct source_proc *s, uint32_t pid)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->ents[i].pid == pid)
			return &s->ents[i];
	}
	return NULL;
}

static struct proc_ent *ent_add(struct source_proc *s, uint32_t pid, uint32_t ppid, const char *comm)
{
	struct proc_ent *p;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct proc_ent *ents = realloc(s->ents, cap * sizeof(*ents));

		if (!ents)
			return NULL;
		s->ents = ents;
		s->cap = cap;
	}
	p = &s->ents[s->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	memcpy(p->comm, comm, FS_COMM_LEN);
	return p;
}

/* Keeps the order of the others: parents before their children, as they were forked. */
static void ent_del(struct source_proc *s, struct proc_ent *p)
{
	size_t i = (size_t)(p - s->ents);

	memmove(p, p + 1, (s->n - i - 1) * sizeof(*p));
	s->n--;
}

static int sample_one(struct source_proc *s, struct proc_ent *p, uint64_t now)
{
	struct fs_event e;
	struct fs_ev_state st;
	uint32_t ppid;
	char letter;
	int err;

	if (procfs_stat(p->pid, &letter, &ppid))
		return 0; /* gone: its exit event says so */
	if (ppid != p->ppid && ppid) {
		ev_init(&e, FS_EV_REPARENT, now, p->pid, p->pid, p->comm);
		e.reparent = (struct fs_ev_reparent){ .old_parent = p->ppid, .new_parent = ppid };
		p->ppid = ppid;
		if ((err = emit(s, &e)))
			return err;
	}
	procfs_state(p->pid, letter, &st);
	if (!memcmp(&st, &p->last, sizeof(st))) /* procfs_state zeroes it all, so no stray byte differs */
		return 0;
	/*
	 * The kernel sends the exit event just after the task becomes a
	 * zombie: a zombie still without one at the next sample lost it.
	 */
	if ((st.state == FS_STATE_ZOMBIE || st.state == FS_STATE_DEAD) && !p->dying++)
		return 0;
	p->last = st;
	p->exited = p->dying;
	ev_init(&e, FS_EV_STATE, now, p->pid, p->pid, p->comm);
	e.state = st;
	return emit(s, &e);
}

static int sample(struct source_proc *s, uint64_t now)
{
	struct proc_ent *p;
	uint32_t ppid;
	char letter;
	int err;

	for (size_t i = 0; i < s->n; i++) {
		p = &s->ents[i];
		if (!p->exited && (err = sample_one(s, p, now)))
			return err;
		/* a zombie whose parent died has a new parent, who will reap it */
		if (p->exited && !procfs_stat(p->pid, &letter, &ppid) && ppid)
			p->ppid = ppid;
	}
	return 0;
}

static int emit_reap(struct source_proc *s, struct proc_ent *p, uint64_t ts)
{
	struct proc_ent *parent = ent_find(s, p->ppid);
	char comm[FS_COMM_LEN] = "";
	struct fs_event e;

	if (parent)
		memcpy(comm, parent->comm, FS_COMM_LEN);
	else
		procfs_comm(p->ppid, comm);
	ev_init(&e, FS_EV_REAP, ts, p->ppid, p->ppid, comm);
	e.reap.child = p->pid;
	ent_del(s, p);
	return emit(s, &e);
}

/*
 * An exited process is reaped once its /proc entry is gone (of the children
 * of parent only, unless 0). Children come after their parents in the
 * table: going backwards reports a child's reap before its reaper's own.
 */
static int check_reaps(struct source_proc *s, uint64_t now, uint32_t parent)
{
	char path[32];
	int err;

	for (size_t i = s->n; i-- > 0;) {
		struct proc_ent *p = &s->ents[i];

		if (!p->exited || (parent && p->ppid != parent))
			continue;
		snprintf(path, sizeof(path), "/proc/%u", p->pid);
		if (access(path, F_OK) && errno == ENOENT && (err = emit_reap(s, p, now)))
			return err;
	}
	return 0;
}

/* ---- the proc connector --------------------------------------------------- */

static int cn_fork(struct source_proc *s, uint64_t ts, const struct fork_proc_event *f)
{
	struct proc_ent *parent, *old = ent_find(s, (uint32_t)f->child_tgid);
	int thread = f->child_pid != f->child_tgid;
	struct fs_event e;
	int err;

	/*
	 * The birth of a tracked process that is alive is old news (the root was
	 * forked before it was tracked); one that exited was reaped before the
	 * check saw it, and its pid is born again.
	 */
	if (!thread && old && !old->exited)
		return 0;
	if (!thread && old && (err = emit_reap(s, old, ts)))
		return err;
	parent = ent_find(s, (uint32_t)f->parent_tgid);
	if (!parent)
		return 0;
	ev_init(&e, FS_EV_FORK, ts, parent->pid, (uint32_t)f->parent_pid, parent->comm);
	e.fork = (struct fs_ev_fork){ .child_pid = (uint32_t)f->child_tgid,
				      .child_tid = (uint32_t)f->child_pid, .thread = (uint32_t)thread };
	if (!thread && !ent_add(s, e.fork.child_pid, parent->pid, parent->comm))
		return -ENOMEM;
	return emit(s, &e);
}

/* The program comes from /proc at once: exe is the binary as resolved, cmdline the new argv. */
static int cn_exec(struct source_proc *s, uint64_t ts, const struct exec_proc_event *x)
{
	struct proc_ent *p = ent_find(s, (uint32_t)x->process_tgid);
	struct fs_ev_exec *ex;
	struct fs_event e;

	if (!p)
		return 0;
	procfs_comm(p->pid, p->comm);
	ev_init(&e, FS_EV_EXEC, ts, p->pid, (uint32_t)x->process_pid, p->comm);
	ex = &e.exec;
	ex->old_tid = e.tid;
	procfs_image(p->pid, ex);
	return emit(s, &e);
}

static int cn_exit(struct source_proc *s, uint64_t ts, const struct exit_proc_event *x)
{
	struct proc_ent *p = ent_find(s, (uint32_t)x->process_tgid);
	uint32_t status = x->exit_code; /* a wait status */
	struct fs_event e;
	int err;

	if (!p)
		return 0;
	/* the children it reaped are gone by now: their reaps came before its exit */
	if (x->process_pid == x->process_tgid && (err = check_reaps(s, ts, p->pid)))
		return err;
	if (!(p = ent_find(s, (uint32_t)x->process_tgid))) /* the table moved */
		return 0;
	ev_init(&e, FS_EV_EXIT, ts, p->pid, (uint32_t)x->process_pid, p->comm);
	e.exit.sig = status & 0x7f;
	e.exit.core = e.exit.sig && (status & 0x80);
	e.exit.code = e.exit.sig ? 0 : (status >> 8) & 0xff;
	e.exit.thread = x->process_pid != x->process_tgid;
	if (!e.exit.thread) {
		p->exited = 1;
		if (x->parent_tgid > 0) /* kernels before 6.2 leave it 0 */
			p->ppid = (uint32_t)x->parent_tgid;
	}
	return emit(s, &e);
}

static int on_proc_event(struct source_proc *s, const struct proc_event *ev)
{
	uint64_t ts = since_epoch(s, ev->timestamp_ns); /* ktime_get_ns: CLOCK_MONOTONIC */
	struct proc_ent *p;

	switch (ev->what) {
	case PROC_EVENT_FORK:
		return cn_fork(s, ts, &ev->event_data.fork);
	case PROC_EVENT_EXEC:
		return cn_exec(s, ts, &ev->event_data.exec);
	case PROC_EVENT_EXIT:
		return cn_exit(s, ts, &ev->event_data.exit);
	case PROC_EVENT_COMM:
		if (ev->event_data.comm.process_pid == ev->event_data.comm.process_tgid &&
		    (p = ent_find(s, (uint32_t)ev->event_data.comm.process_tgid)))
			memcpy(p->comm, ev->event_data.comm.comm, FS_COMM_LEN);
		return 0;
	default:
		return 0;
	}
}

static int emit_lost(struct source_proc *s)
{
	struct fs_event e;

	/* the kernel dropped an unknown number of messages: at least one */
	ev_init(&e, FS_EV_LOST, since_epoch(s, now_ns()), 0, 0, "");
	e.lost.count = 1;
	s->lost++;
	return emit(s, &e);
}

/* Every message waiting on the socket; only the kernel's (nl_pid 0) count. */
static int read_connector(struct source_proc *s)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl from;
	socklen_t fromlen;
	struct nlmsghdr *nh;
	ssize_t n;
	int err;

	for (;;) {
		fromlen = sizeof(from);
		n = recvfrom(s->nl, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			if ((err = emit_lost(s)))
				return err;
			continue;
		}
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (from.nl_pid != 0)
			continue;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
			struct cn_msg *cn = NLMSG_DATA(nh);
			struct proc_event ev; /* the payload sits 4 bytes off an 8-byte boundary: copy it */

			if (nh->nlmsg_type != NLMSG_DONE || cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
				continue;
			memset(&ev, 0, sizeof(ev));
			memcpy(&ev, cn->data, cn->len < sizeof(ev) ? cn->len : sizeof(ev));
			if ((err = on_proc_event(s, &ev)))
				return err;
		}
	}
}

/* ---- the source ----------------------------------------------------------- */

static int connector_open(struct source_proc *s)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	struct {
		struct nlmsghdr nh;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) msg;
	int size = RCVBUF_BYTES;

	s->nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (s->nl < 0)
		return -errno;
	/* root may go past rmem_max; otherwise the default stays, with more losses */
	if (setsockopt(s->nl, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(s->nl, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(s->nl, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	memset(&msg, 0, sizeof(msg));
	msg.nh.nlmsg_len = sizeof(msg);
	msg.nh.nlmsg_type = NLMSG_DONE;
	msg.nh.nlmsg_pid = (uint32_t)getpid();
	msg.cn.id.idx = CN_IDX_PROC;
	msg.cn.id.val = CN_VAL_PROC;
	msg.cn.len = sizeof(msg.op);
	msg.op = PROC_CN_MCAST_LISTEN;
	return send(s->nl, &msg, sizeof(msg), 0) < 0 ? -errno : 0;
}

static int poll_open(struct source_proc *s, unsigned int sample_ms)
{
	struct itimerspec every = {
		.it_interval = { sample_ms / 1000, (long)(sample_ms % 1000) * 1000000 },
		.it_value = { sample_ms / 1000, (long)(sample_ms % 1000) * 1000000 },
	};
	struct epoll_event ev = { .events = EPOLLIN };

	s->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->timer < 0 || s->epfd < 0 || timerfd_settime(s->timer, 0, &every, NULL))
		return -errno;
	ev.data.fd = s->nl;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->nl, &ev))
		return -errno;
	ev.data.fd = s->timer;
	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->timer, &ev) ? -errno : 0;
}

int source_proc_open(struct source_proc **out, const struct source_proc_opts *o, const char **why)
{
	struct source_proc *s = calloc(1, sizeof(*s));
	unsigned int ms = o && o->sample_ms ? o->sample_ms : DEFAULT_SAMPLE_MS;
	int err;

	*out = NULL;
	*why = _("out of memory");
	if (!s)
		return -ENOMEM;
	s->nl = s->timer = s->epfd = -1;
	err = connector_open(s);
	if (err) {
		*why = err == -EPERM || err == -EACCES ?
			"the proc connector needs root (CAP_NET_ADMIN): run it with sudo" :
			"the proc connector is not available (CONFIG_PROC_EVENTS)";
		goto out_free;
	}
	err = poll_open(s, ms);
	if (err) {
		*why = _("could not set up the /proc sampling timer");
		goto out_free;
	}
	*out = s;
	*why = NULL;
	return 0;
out_free:
	source_proc_close(s);
	return err;
}

int source_proc_track(struct source_proc *s, uint32_t pid)
{
	char comm[FS_COMM_LEN] = "", letter;
	uint32_t ppid = (uint32_t)getpid();

	procfs_stat(pid, &letter, &ppid);
	procfs_comm(pid, comm);
	return ent_find(s, pid) || ent_add(s, pid, ppid, comm) ? 0 : -ENOMEM;
}

void source_proc_set_epoch(struct source_proc *s, uint64_t monotonic_ns)
{
	s->epoch = monotonic_ns;
}

int source_proc_fd(const struct source_proc *s)
{
	return s->epfd;
}

int source_proc_drain(struct source_proc *s, fs_sink_fn sink, void *ctx)
{
	uint64_t expirations, now;
	int err;

	s->sink = sink;
	s->ctx = ctx;
	err = read_connector(s);
	now = since_epoch(s, now_ns());
	if (!err)
		err = check_reaps(s, now, 0);
	if (!err && read(s->timer, &expirations, sizeof(expirations)) == sizeof(expirations))
		err = sample(s, now);
	return err;
}

int source_proc_emit(struct source_proc *s, struct fs_event *e, fs_sink_fn sink, void *ctx)
{
	s->sink = sink;
	s->ctx = ctx;
	return emit(s, e);
}

uint64_t source_proc_events(const struct source_proc *s)
{
	return s->seq;
}

uint64_t source_proc_lost(const struct source_proc *s)
{
	return s->lost;
}

void source_proc_close(struct source_proc *s)
{
	if (!s)
		return;
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->timer >= 0)
		close(s->timer);
	if (s->nl >= 0)
		close(s->nl);
	free(s->ents);
	free(s);
}
