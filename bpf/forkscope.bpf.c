// SPDX-License-Identifier: GPL-2.0
/* Probes: follow one process tree in the kernel and stream its lifecycle, scheduling and IPC. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "event.h"

char LICENSE[] SEC("license") = "GPL";

/* x86_64 syscall numbers (the only ABI this probe set decodes). */
enum {
	NR_read = 0, NR_write = 1, NR_open = 2, NR_mmap = 9, NR_pread64 = 17,
	NR_pwrite64 = 18, NR_readv = 19, NR_writev = 20, NR_pipe = 22,
	NR_shmget = 29, NR_shmat = 30, NR_shmctl = 31, NR_socket = 41,
	NR_connect = 42, NR_accept = 43, NR_sendto = 44, NR_recvfrom = 45,
	NR_sendmsg = 46, NR_recvmsg = 47, NR_bind = 49, NR_listen = 50,
	NR_socketpair = 53, NR_clone = 56, NR_fork = 57, NR_vfork = 58,
	NR_execve = 59, NR_wait4 = 61, NR_semget = 64, NR_semop = 65,
	NR_semctl = 66, NR_shmdt = 67, NR_msgget = 68, NR_msgsnd = 69,
	NR_msgrcv = 70, NR_msgctl = 71, NR_semtimedop = 220, NR_mq_open = 240,
	NR_mq_unlink = 241, NR_mq_timedsend = 242, NR_mq_timedreceive = 243,
	NR_waitid = 247, NR_openat = 257, NR_accept4 = 288, NR_pipe2 = 293,
	NR_execveat = 322, NR_clone3 = 435, NR_exit_group = 231, NR_sendfile = 40, NR_splice = 275, NR_tee = 276,
	NR_vmsplice = 278, NR_copy_file_range = 326,
};

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFIFO 0010000
#define S_IFCHR 0020000
#define TTY_MAJOR 4
#define TTYAUX_MAJOR 5
#define PTS_MAJOR_FIRST 136 /* UNIX98_PTY_SLAVE_MAJOR .. + 7 */
#define PTS_MAJOR_LAST 143
#define MQUEUE_MAGIC 0x19800202
#define TASK_DEAD_BIT 0x80
#define TASK_SLEEP_MASK 0x40f /* interruptible, uninterruptible, stopped, traced, parked */
#define TASK_STOPPED_BIT 0x4 /* __TASK_STOPPED: a stop signal (ps T) */
#define TASK_TRACED_BIT 0x8  /* __TASK_TRACED: a ptrace stop (ps t) */
#define JOBCTL_TRAP_FREEZE (1ul << 23) /* include/linux/sched/jobctl.h: the cgroup v2 freezer's trap */
#define EXIT_DEAD 0x10
#define EXIT_ZOMBIE 0x20
#define SIGKILL 9
#define SIGCONT 18
#define SIGSTOP 19
#define SIGCHLD 17
#define SIG_IGN 1
#define SA_NOCLDWAIT 2
#define WNOWAIT 0x01000000
#define MAP_SHARED 0x01
#define FMODE_WRITE 0x2
#define O_ACCMODE 3
#define EAGAIN 11
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define CLD_DUMPED 3
#define SOCKADDR_MAX 128
#define ERESTARTSYS 512 /* ERESTARTSYS .. ERESTART_RESTARTBLOCK: the kernel restarts the call */
#define ERESTART_RESTARTBLOCK 516
#define ORPHANS_MAX 64

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern int bpf_send_signal_task(struct task_struct *task, int sig, enum pid_type type, __u64 value) __ksym;

/* The traced tree: tgid -> info. Seeded with the root by user space, grown on fork, pruned on reap. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct fs_proc_info);
} tracked SEC(".maps");

/*
 * One bit per tgid, set while it may be in tracked (before the insert, cleared after the delete):
 * the test every probe makes first. An array lookup is inlined by the verifier and needs no
 * hashing, so the tasks forkscope does not trace, most of the machine, skip the hash. User space
 * sizes it to pid_max before load and sets bits through its mmap; a tgid past it is looked up.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, FS_TRACKED_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} tracked_bits SEC(".maps");

/*
 * What a syscall entry learnt that its exit needs (for a data syscall, which has no entry
 * work: the socket peer seen when it blocked); nr is NR_NONE once the exit has used it.
 */
struct inflight {
	__u32 nr;
	__s32 fd;
	__u32 chan_kind;
	__u32 peer_kind;
	__u64 chan;
	__u64 peer;
	__u64 args[5];
};

/* Per task, so it needs no key, no delete and no pre-allocation, and dies with the task. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps");

#define NR_NONE 0xffffffffu

/* Regular files opened for writing by the tree: reads and writes of these are IPC ("file"). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, __u8);
} shared_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct fs_chan_key);
	__type(value, struct fs_chan_total);
} chan_totals SEC(".maps");

/*
 * The children an exiting thread had (save_children), keyed by its tid: the kernel reparents
 * them in exit_notify, after sched_process_exit and before the thread's last switch, where each
 * is reported with the parent it then has.
 */
struct orphans {
	__u32 n;
	__u32 pid[ORPHANS_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct orphans);
} orphans SEC(".maps");

/*
 * The pids a traced process in a pid namespace sees: (namespace, pid there) -> global tgid, for
 * every child forked by a parent that is not in the initial namespace. Its fork returns and its
 * waits give those pids; the events carry the global ones. LRU: a reap missed cannot fill it.
 */
struct ns_pid_key {
	__u32 ns; /* the namespace's inode number */
	__u32 nr; /* the pid in it */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ns_pid_key);
	__type(value, __u32);
} ns_pids SEC(".maps");

/*
 * --step: the processes a breakpoint stopped (tgid -> 1), for user space to continue, and for
 * forkscope's watchdog, which holds this map, should forkscope die with the tree stopped.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} held SEC(".maps");

/*
 * --step: the event types that are breakpoints (a bit per enum fs_event_type, 0: none) and
 * whether the next one may fire; the first to fire disarms, user space arms again when the
 * learner goes on. Both are written by user space while the probes run.
 */
__u32 break_kinds = 0;
__u64 break_armed = 0;
__u32 tracer_tgid = 0; /* forkscope, whose SIGSTOP and SIGCONT hold and release the tree */

/* Set on a CPU while a breakpoint sends its SIGSTOP: forkscope's own signal, not the workload's. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} holding SEC(".maps");

/* Entries in orphans: while 0, a task's last switch looks nothing up. */
__u64 orphans_saved = 0;
/*
 * A thread exited with more children than ORPHANS_MAX, or orphans was full: those children's
 * new parents are found when they next run or wake, from then on (see reparent_check).
 */
__u32 orphans_unsaved = 0;
/* The launched command while it waits at forkscope's gate: its first data syscall is the gate's read. */
__u32 gate_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* user space may resize before load */
} events SEC(".maps");

/* Every failed reservation; user space turns increases into lost events. */
__u64 lost_events = 0;

/*
 * --cgroup: the traced cgroup v2 (its kernfs id, the directory's inode) and
 * its depth below the root. 0: the tree under a pid, cgroups play no part.
 */
const volatile __u64 cgroup_id = 0;
const volatile __u32 cgroup_level = 0;
/* Half the ring buffer's size: user space sets it before load, after any resize. */
const volatile __u64 wake_bytes = 4 << 20;

/* -ERESTARTSYS .. -ERESTART_RESTARTBLOCK: no result of the call yet, the kernel goes on with it. */
static __always_inline int restarted(long ret)
{
	return ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK;
}

/* v & mask, done in the program as written: the verifier needs the bound the compiler may drop. */
#define BOUND(v, mask) asm volatile("%[x] &= %[m]" : [x] "+r"(v) : [m] "i"(mask))

/* Makes a pointer that came from a read (a file from the fd array) one the verifier lets us load through. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
#define KERNEL_PTR(type, p) ((type *)bpf_rdonly_cast((p), bpf_core_type_id_kernel(type)))

#define EV_SIZE(member) (FS_EVENT_HDR_SIZE + sizeof(((struct fs_event *)0)->member))

static __always_inline struct fs_event *ev_reserve(__u64 size)
{
	struct fs_event *e = bpf_ringbuf_reserve(&events, size, 0);

	if (!e)
		__sync_fetch_and_add(&lost_events, 1);
	return e;
}

/* Events submitted on this CPU: the ring's fill is asked for every WAKE_CHECK_EVERY of them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} submitted SEC(".maps");

#define WAKE_CHECK_EVERY 16

/* Whether the buffer is past half full, asked every WAKE_CHECK_EVERY events on a CPU (a helper call). */
static __always_inline int ring_half_full(void)
{
	__u32 zero = 0, *n = bpf_map_lookup_elem(&submitted, &zero);

	if (n && ++*n % WAKE_CHECK_EVERY)
		return 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wake_bytes;
}

/*
 * Wake the consumer only when the buffer is half full: it drains on a timer otherwise. A
 * breakpoint wakes it at once: the rest of the tree runs on until user space holds it.
 */
static __always_inline void ev_submit(struct fs_event *e)
{
	bpf_ringbuf_submit(e, e->flags || ring_half_full() ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline void ev_header_task(struct fs_event *e, __u32 type, struct task_struct *t)
{
	e->ts = bpf_ktime_get_ns();
	e->seq = 0;
	e->type = type;
	e->pid = t->tgid;
	e->tid = t->pid;
	e->flags = 0;
	__builtin_memcpy(e->comm, t->comm, sizeof(e->comm));
}

static __always_inline void ev_header(struct fs_event *e, __u32 type)
{
	ev_header_task(e, type, bpf_get_current_task_btf());
}

/* tgid's word in tracked_bits, or NULL past the map's end (then only the hash can tell). */
static __always_inline __u64 *tracked_word(__u32 tgid)
{
	__u32 word = tgid / 64;

	return bpf_map_lookup_elem(&tracked_bits, &word);
}

#define TRACKED_BIT(tgid) (1ull << ((tgid) % 64))

static __always_inline struct fs_proc_info *tracked_info(__u32 tgid)
{
	__u64 *bits = tracked_word(tgid);

	if (bits && !(*bits & TRACKED_BIT(tgid)))
		return NULL;
	return bpf_map_lookup_elem(&tracked, &tgid);
}

/* Whether tgid is traced: its bit alone, or past the bits' end the hash (no load of its record). */
static __always_inline int is_tracked(__u32 tgid)
{
	__u64 *bits = tracked_word(tgid);

	if (bits)
		return (*bits & TRACKED_BIT(tgid)) != 0;
	return bpf_map_lookup_elem(&tracked, &tgid) != NULL;
}

static __always_inline void track(__u32 tgid, struct fs_proc_info *info)
{
	__u64 *bits = tracked_word(tgid);

	if (bits)
		__sync_fetch_and_or(bits, TRACKED_BIT(tgid));
	bpf_map_update_elem(&tracked, &tgid, info, BPF_ANY);
}

static __always_inline void untrack(__u32 tgid)
{
	__u64 *bits;

	bpf_map_delete_elem(&tracked, &tgid);
	bits = tracked_word(tgid);
	if (bits)
		__sync_fetch_and_and(bits, ~TRACKED_BIT(tgid));
}

/* Whether an event of this type stops the tree here: one breakpoint at a time. */
static __always_inline int break_here(__u32 type)
{
	if (!(break_kinds & (1u << type)))
		return 0;
	return __sync_val_compare_and_swap(&break_armed, 1, 0) == 1;
}

/*
 * Stops process t where it is: SIGSTOP takes effect on its way back to user space, so it
 * runs no instruction of its own past the event (user space then freezes the rest).
 */
static __always_inline void hold(struct task_struct *t)
{
	__u32 tgid = t->tgid, zero = 0, *busy = bpf_map_lookup_elem(&holding, &zero);
	__u8 one = 1;

	bpf_map_update_elem(&held, &tgid, &one, BPF_ANY);
	if (busy)
		*busy = 1;
	bpf_send_signal_task(t, SIGSTOP, PIDTYPE_TGID, 0);
	if (busy)
		*busy = 0;
}

/*
 * The dying process cannot stop: its parent does, before it can reap the zombie. Held at
 * exit_group's entry, a whole exit ahead of the zombie (at sched_process_exit a parent in
 * wait4 on another CPU, woken by the SIGSTOP, may find the zombie before it takes the signal).
 */
static __always_inline void hold_parent(struct task_struct *p)
{
	__u32 ptgid = p->real_parent->tgid;
	struct task_struct *parent;

	if (tracked_info(ptgid) && (parent = bpf_task_from_pid(ptgid))) {
		hold(parent);
		bpf_task_release(parent);
	}
}

static __always_inline __u32 current_tgid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

/* t's pid namespace level (0: the initial one) and, at level, its pid there and that namespace. */
static __always_inline __u32 pid_level(struct task_struct *t)
{
	return t->thread_pid->level;
}

static __always_inline struct ns_pid_key ns_pid_of(struct task_struct *t, __u32 level)
{
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	struct upid up = {};

	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	return (struct ns_pid_key){ .ns = BPF_CORE_READ(up.ns, ns.inum), .nr = up.nr };
}

/* The global tid of the pid nr that current, at pid namespace level > 0, was given; 0 if not known. */
static __always_inline __u32 global_pid(__u32 level, __u32 nr)
{
	struct ns_pid_key key = ns_pid_of(bpf_get_current_task_btf(), level);
	__u32 *g;

	key.nr = nr;
	g = bpf_map_lookup_elem(&ns_pids, &key);
	return g ? *g : 0;
}

/* ---- fd -> channel --------------------------------------------------------- */

static __always_inline struct file *fd_file(int fd)
{
	struct fdtable *fdt = bpf_get_current_task_btf()->files->fdt;
	struct file *f = NULL;

	if (!fdt || fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fdt->fd[fd]);
	return f ? KERNEL_PTR(struct file, f) : NULL;
}

static __always_inline __u64 socket_ino(struct socket *sock)
{
	struct socket_alloc *sa = container_of(sock, struct socket_alloc, socket);

	return BPF_CORE_READ(sa, vfs_inode.i_ino);
}

/* The other end of a socket: an AF_UNIX peer's inode, or the inet ports. */
static __always_inline void socket_peer(struct file *f, struct inflight *in)
{
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 family;

	if (!sk)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family == AF_UNIX) {
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		struct socket *psock = peer ? BPF_CORE_READ(peer, sk_socket) : NULL;

		if (psock) {
			in->peer_kind = FS_PEER_CHAN;
			in->peer = socket_ino(psock);
		}
	} else if (family == AF_INET || family == AF_INET6) {
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));

		in->peer_kind = FS_PEER_INET_PORTS;
		in->peer = ((__u64)lport << 16) | rport;
	}
}

/* Classify the file behind fd into in->chan_kind/chan (and the socket peer); returns its S_IFMT. */
static __always_inline __u32 fd_channel(int fd, struct inflight *in)
{
	struct file *f = fd_file(fd);
	struct inode *inode;
	__u32 mode;

	in->fd = fd;
	in->chan_kind = FS_CHAN_NONE;
	if (!f)
		return 0;
	inode = f->f_inode;
	mode = inode->i_mode & S_IFMT;
	in->chan = inode->i_ino;
	if (mode == S_IFIFO) {
		in->chan_kind = FS_CHAN_PIPE;
	} else if (mode == S_IFSOCK) {
		in->chan_kind = FS_CHAN_SOCKET;
		socket_peer(f, in);
	} else if (mode == S_IFREG) {
		if (inode->i_sb->s_magic == MQUEUE_MAGIC)
			in->chan_kind = FS_CHAN_MQUEUE;
		else if (bpf_map_lookup_elem(&shared_files, &in->chan))
			in->chan_kind = FS_CHAN_FILE;
	}
	return mode;
}

/* A terminal: a tty, the console, or a pseudo-terminal slave (where the TUI runs the workload). */
static __always_inline int fd_is_terminal(int fd)
{
	struct file *f = fd_file(fd);
	struct inode *inode;
	__u32 major;

	if (!f)
		return 0;
	inode = f->f_inode;
	if ((inode->i_mode & S_IFMT) != S_IFCHR)
		return 0;
	major = inode->i_rdev >> 20; /* MINORBITS */
	return major == TTY_MAJOR || major == TTYAUX_MAJOR ||
	       (major >= PTS_MAJOR_FIRST && major <= PTS_MAJOR_LAST);
}

/* ---- the traced cgroup ----------------------------------------------------- */

/* Whether cg is the traced cgroup or lies below it: its ancestor at the traced level is it. */
static __always_inline int cgroup_within(struct cgroup *cg)
{
	__u32 level = cgroup_level;
	struct cgroup *anc;

	if (!cg || BPF_CORE_READ(cg, level) < (int)level || level > 255)
		return 0;
	anc = BPF_CORE_READ(cg, ancestors[level]);
	return anc && BPF_CORE_READ(anc, kn, id) == cgroup_id;
}

/* A task's cgroup on the v2 hierarchy (not current: bpf_get_current_cgroup_id would not do). */
static __always_inline int task_within(struct task_struct *t)
{
	return cgroup_id && cgroup_within(BPF_CORE_READ(t, cgroups, dfl_cgrp));
}

/*
 * A process entered the traced cgroup or left it (op); dst is where it went,
 * path that cgroup's name when the kernel gave one.
 */
static __always_inline void emit_cgroup(struct task_struct *task, __u32 op, struct cgroup *dst,
					const char *path, __u32 ppid)
{
	struct fs_event *e = ev_reserve(FS_EVENT_HDR_SIZE + offsetof(struct fs_ev_cgroup, proc.threads));
	long n;

	if (!e)
		return;
	ev_header_task(e, FS_EV_CGROUP, task);
	e->tid = e->pid;
	e->cgroup.cgroup_id = BPF_CORE_READ(dst, kn, id);
	e->cgroup.op = op;
	n = path ? bpf_probe_read_kernel_str(e->cgroup.path, FS_PATH_LEN, path) : 0;
	e->cgroup.path_len = n > 0 ? n - 1 : 0;
	e->cgroup.path_truncated = n == FS_PATH_LEN;
	e->cgroup.pad = 0;
	e->cgroup.proc.ppid = ppid;
	ev_submit(e);
}

/* exit_group's entry while exits are breakpoints: the breakpoint is this process's exit. */
static __always_inline void exit_group_break(void)
{
	struct fs_proc_info *info = tracked_info(current_tgid());

	if (info && !info->exit_break && break_here(FS_EV_EXIT)) {
		info->exit_break = 1;
		hold_parent(bpf_get_current_task_btf());
	}
}

/* ---- lifecycle ------------------------------------------------------------- */

static __always_inline void emit_fork(struct task_struct *parent, struct task_struct *child,
				      __u32 ctgid, int thread, __u32 flags)
{
	struct fs_event *e = ev_reserve(EV_SIZE(fork));

	if (!e)
		return;
	ev_header_task(e, FS_EV_FORK, parent);
	e->flags = flags;
	e->fork.child_pid = ctgid;
	e->fork.child_tid = BPF_CORE_READ(child, pid);
	e->fork.thread = thread;
	e->fork.pad = 0;
	ev_submit(e);
}

/*
 * A child is followed when its parent is; with --cgroup, when it is born in
 * the cgroup instead: clone3's CLONE_INTO_CGROUP puts the child of an outsider
 * there (reported as entering), or the child of a traced process elsewhere
 * (reported as leaving right after its fork).
 */
/* A child of a parent in a pid namespace: the number the parent's calls will see, for its fork
 * return (the new thread's tid, or the child's pid) and its waits. */
static __always_inline void remember_ns_pid(struct task_struct *parent, struct task_struct *child)
{
	__u32 level = pid_level(parent), tid = child->pid;
	struct ns_pid_key key;

	if (!level)
		return;
	key = ns_pid_of(child, level);
	bpf_map_update_elem(&ns_pids, &key, &tid, BPF_ANY);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid;
	__u32 ctgid = child->tgid;
	int parent_tracked = tracked_info(ptgid) != NULL, follow;
	struct fs_proc_info info = { .ppid = child->real_parent->tgid };

	if (parent_tracked)
		remember_ns_pid(parent, child);
	if (ctgid == ptgid) {
		if (parent_tracked)
			emit_fork(parent, child, ctgid, 1, 0);
		return 0;
	}
	follow = cgroup_id ? task_within(child) : parent_tracked;
	if (follow)
		track(ctgid, &info);
	if (parent_tracked && follow && break_here(FS_EV_FORK)) {
		/* both stop before their first instruction past fork(): the child has not run yet */
		hold(parent);
		hold(child);
		emit_fork(parent, child, ctgid, 0, FS_EVF_BREAK);
	} else if (parent_tracked) {
		emit_fork(parent, child, ctgid, 0, 0);
	}
	if (parent_tracked != follow)
		emit_cgroup(child, follow ? FS_CG_ENTER : FS_CG_LEAVE,
			    BPF_CORE_READ(child, cgroups, dfl_cgrp), NULL, ptgid);
	return 0;
}

static __always_inline void read_argv(struct fs_event *e, struct task_struct *task)
{
	struct mm_struct *mm = task->mm;
	unsigned long start = mm ? mm->arg_start : 0;
	unsigned long end = mm ? mm->arg_end : 0;
	__u64 len = end > start ? end - start : 0;

	e->exec.argv_truncated = len > FS_ARGV_LEN - 1;
	if (len > FS_ARGV_LEN - 1)
		len = FS_ARGV_LEN - 1;
	BOUND(len, FS_ARGV_LEN - 1);
	if (len && bpf_probe_read_user(e->exec.argv, len, (void *)start) == 0)
		e->exec.argv_len = len;
	else
		e->exec.argv_len = 0;
}

static __always_inline void exec_filename(struct fs_event *e, const char *src, int user)
{
	long n = user ? bpf_probe_read_user_str(e->exec.filename, FS_PATH_LEN, src)
		      : bpf_probe_read_kernel_str(e->exec.filename, FS_PATH_LEN, src);

	e->exec.filename_len = n > 0 ? n - 1 : 0;
	e->exec.filename_truncated = n == FS_PATH_LEN;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct fs_event *e;

	if (!tracked_info(p->tgid))
		return 0;
	e = ev_reserve(EV_SIZE(exec));
	if (!e)
		return 0;
	ev_header_task(e, FS_EV_EXEC, p);
	e->exec.result = 0;
	e->exec.old_tid = old_pid;
	e->exec.pad[0] = e->exec.pad[1] = 0;
	exec_filename(e, bprm->filename, 0);
	read_argv(e, p);
	if (break_here(FS_EV_EXEC)) { /* stopped before the new program's first instruction */
		hold(p);
		e->flags = FS_EVF_BREAK;
	}
	ev_submit(e);
	return 0;
}

/*
 * p's children (the first ORPHANS_MAX), which its exit is about to hand to a new parent, if p's
 * process (traced) or one of them is traced. Any exiting thread's, not only the last one's: a
 * sibling thread exiting at the same time cannot take them, so they may leave the process.
 */
static __always_inline void save_children(struct task_struct *p, int traced)
{
	struct list_head *head = &p->children, *pos = p->children.next;
	__u32 tid = p->pid;
	struct orphans o = {};

	if (pos == head)
		return; /* no children: the common case, and nothing to report (no map touched) */
	for (int i = 0; i < ORPHANS_MAX && pos != head; i++) {
		struct task_struct *c = (void *)pos - bpf_core_field_offset(struct task_struct, sibling);
		__u32 tgid = BPF_CORE_READ(c, tgid);

		o.pid[i & (ORPHANS_MAX - 1)] = tgid;
		o.n = i + 1;
		traced |= is_tracked(tgid);
		pos = BPF_CORE_READ(c, sibling.next);
	}
	if (pos != head)
		orphans_unsaved = 1; /* past ORPHANS_MAX, traced or not: nobody can tell here */
	if (!traced)
		return;
	if (bpf_map_update_elem(&orphans, &tid, &o, BPF_ANY) == 0)
		__sync_fetch_and_add(&orphans_saved, 1);
	else
		orphans_unsaved = 1;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p, bool group_dead)
{
	struct fs_event *e;
	__u32 code;

	struct fs_proc_info *info = tracked_info(p->tgid);

	save_children(p, info != NULL);
	if (!info)
		return 0;
	if (group_dead)
		__builtin_memcpy(info->comm, p->comm, sizeof(info->comm));
	e = ev_reserve(EV_SIZE(exit));
	if (!e)
		return 0;
	code = p->exit_code;
	ev_header_task(e, FS_EV_EXIT, p);
	e->exit.code = (code >> 8) & 0xff;
	e->exit.sig = code & 0x7f;
	e->exit.core = (code & 0x80) != 0;
	e->exit.thread = !group_dead;
	if (group_dead && (info->exit_break || break_here(FS_EV_EXIT))) {
		if (!info->exit_break) /* killed by a signal: no exit_group came first */
			hold_parent(p);
		e->flags = FS_EVF_BREAK;
	}
	ev_submit(e);
	return 0;
}

/* A state event's body: the state, why (a syscall, a ready reason or -1), its channel and stop. */
static __always_inline void state_body(struct fs_event *e, __u32 state, __s32 why,
				       struct inflight *chan, __u32 stop)
{
	e->state.state = state;
	e->state.sysnr = why;
	e->state.chan_kind = chan ? chan->chan_kind : FS_CHAN_NONE;
	e->state.stop = stop;
	e->state.chan = chan && chan->chan_kind ? chan->chan : 0;
}

/*
 * The parent's wait can win the race with the child's last context switch:
 * then the zombie state is reported here, just before the reap, so every
 * reaped process is seen as a zombie first.
 */
static __always_inline void zombie_before_reap(__u32 child, struct fs_proc_info *info)
{
	struct fs_event *e;

	if (info->zombie)
		return;
	e = ev_reserve(EV_SIZE(state));
	if (!e)
		return;
	ev_header(e, FS_EV_STATE);
	e->pid = e->tid = child;
	__builtin_memcpy(e->comm, info->comm, sizeof(e->comm));
	state_body(e, FS_STATE_ZOMBIE, -1, NULL, FS_STOP_NONE);
	ev_submit(e);
}

/* info: child's entry in tracked, which the caller looked up. */
static __always_inline void emit_reap(__u32 reaper_tgid, __u32 child, struct fs_proc_info *info,
				      __u32 autoreap, struct task_struct *reaper, __u32 ns_child)
{
	struct fs_event *e;

	if (!autoreap)
		zombie_before_reap(child, info);
	untrack(child);
	e = ev_reserve(EV_SIZE(reap));
	if (!e)
		return;
	if (reaper) {
		ev_header_task(e, FS_EV_REAP, reaper);
	} else {
		ev_header(e, FS_EV_REAP);
		e->pid = e->tid = reaper_tgid;
		if (!reaper_tgid)
			__builtin_memset(e->comm, 0, sizeof(e->comm));
	}
	e->reap.child = child;
	e->reap.autoreap = autoreap;
	e->reap.ns_child = ns_child;
	e->reap.pad = 0;
	ev_submit(e);
}

/* Whether the kernel releases p's zombie itself: its parent ignores SIGCHLD or set SA_NOCLDWAIT. */
static __always_inline int parent_autoreaps(struct task_struct *parent)
{
	struct sighand_struct *sh = parent->sighand;
	unsigned long handler, flags;

	if (!sh)
		return 0;
	handler = (unsigned long)sh->action[SIGCHLD - 1].sa.sa_handler;
	flags = sh->action[SIGCHLD - 1].sa.sa_flags;
	return handler == SIG_IGN || (flags & SA_NOCLDWAIT);
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free, struct task_struct *p)
{
	__u32 tgid = p->tgid;
	struct fs_proc_info *info;

	/* A backstop only: this hook misses some exits, and a reap is normally seen first. */
	if (p->pid == tgid && (info = tracked_info(tgid)))
		emit_reap(0, tgid, info, 2, NULL, 0);
	return 0;
}

/*
 * --cgroup: a write to cgroup.procs moved a process (task is its leader) into
 * dst. Into the traced cgroup or below it: tracked from now on; out of it:
 * no longer. A move between two cgroups that are both inside, or both
 * outside, is no news. A single thread moved (cgroup.threads) is ignored.
 */
SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(on_cgroup_attach, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	int inside = cgroup_within(dst), was = tracked_info(tgid) != NULL;
	struct fs_proc_info info = { .ppid = BPF_CORE_READ(task, real_parent, tgid) };

	if (!cgroup_id || inside == was || (!threadgroup && BPF_CORE_READ(task, pid) != tgid))
		return 0;
	/* a move in a cgroup v1 hierarchy (systemd's name=systemd on a hybrid host) is no news */
	if (BPF_CORE_READ(dst, root) != BPF_CORE_READ(task, cgroups, dfl_cgrp, root))
		return 0;
	if (inside)
		track(tgid, &info);
	else
		untrack(tgid);
	emit_cgroup(task, inside ? FS_CG_ENTER : FS_CG_LEAVE, dst, path, info.ppid);
	return 0;
}

/* ---- scheduler states ------------------------------------------------------ */

/*
 * An exec sets the new comm before sched_process_exec reports it; a state change in between (a
 * preemption, mostly) would name the new program before its exec. During an exec a state
 * event keeps the name the process had when it called execve (saved at its entry).
 */
static __always_inline void exec_comm(struct fs_event *e, struct task_struct *t)
{
	struct fs_proc_info *info = tracked_info(t->tgid);

	if (info && info->comm[0])
		__builtin_memcpy(e->comm, info->comm, sizeof(e->comm));
}

/* stop: enum fs_stop_kind, for a blocked task only */
static __always_inline void emit_state_stop(struct task_struct *t, __u32 state, __s32 why,
					    struct inflight *chan, __u32 stop)
{
	struct fs_event *e = ev_reserve(EV_SIZE(state));

	if (!e)
		return;
	ev_header_task(e, FS_EV_STATE, t);
	if (BPF_CORE_READ_BITFIELD(t, in_execve))
		exec_comm(e, t);
	state_body(e, state, why, chan, stop);
	ev_submit(e);
}

static __always_inline void emit_state(struct task_struct *t, __u32 state, __s32 why,
				       struct inflight *chan)
{
	emit_state_stop(t, state, why, chan, FS_STOP_NONE);
}

/*
 * A dead leader's last state, named by the pid it had when the caller saw it lead: a thread
 * execing on another CPU may be taking that pid from it right now (exchange_tids in
 * de_thread), and a second read would name the thread, alive, as the zombie.
 */
static __always_inline void emit_leader_end(struct task_struct *leader, __u32 state)
{
	struct fs_event *e = ev_reserve(EV_SIZE(state));

	if (!e)
		return;
	ev_header_task(e, FS_EV_STATE, leader);
	e->tid = e->pid;
	state_body(e, state, -1, NULL, FS_STOP_NONE);
	ev_submit(e);
}

/*
 * The data syscalls, the most frequent: everything they need is known at their exit, so their
 * entry costs nothing and their exit needs no in-flight state.
 */
static __always_inline int data_call(long nr)
{
	switch (nr) {
	case NR_read: case NR_write: case NR_readv: case NR_writev:
	case NR_pread64: case NR_pwrite64: case NR_sendto: case NR_recvfrom:
	case NR_sendmsg: case NR_recvmsg: case NR_mq_timedsend: case NR_mq_timedreceive:
		return 1;
	}
	return 0;
}

/*
 * A data syscall that blocks on a socket: its peer as it is now, for the syscall's exit, when
 * the peer may have closed already (a read that waited for the peer's last write).
 */
static __always_inline void remember_peer(struct task_struct *t, long nr, struct inflight *chan)
{
	struct inflight *slot;

	if (!data_call(nr) || chan->chan_kind != FS_CHAN_SOCKET || !chan->peer_kind)
		return;
	slot = bpf_task_storage_get(&inflight, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!slot)
		return;
	slot->nr = nr;
	slot->fd = chan->fd;
	slot->chan = chan->chan;
	slot->peer_kind = chan->peer_kind;
	slot->peer = chan->peer;
}

/* The syscall a task sleeps in, and for fd syscalls what the fd is. Runs in prev's context. */
static __always_inline __s32 blocked_in(struct task_struct *t, struct inflight *chan)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	long nr = regs->orig_ax;

	switch (nr) {
	case NR_read: case NR_write: case NR_readv: case NR_writev:
	case NR_recvfrom: case NR_sendto: case NR_recvmsg: case NR_sendmsg:
	case NR_accept: case NR_accept4: case NR_connect:
	case NR_mq_timedsend: case NR_mq_timedreceive:
		fd_channel((int)regs->di, chan);
		remember_peer(t, nr, chan);
		break;
	}
	return nr;
}

/*
 * A process whose real_parent changed: reported when its parent's last thread switches out
 * for good (report_orphans), else when it next runs or wakes.
 */
static __always_inline void check_reparent(struct task_struct *t, struct fs_proc_info *info)
{
	/* ppid and zombie are one aligned 8-byte word, ppid its low half (x86 is little-endian) */
	__u64 *word = (__u64 *)info, seen = *word;
	__u32 now = t->real_parent->tgid, old = (__u32)seen;
	struct fs_event *e;

	/*
	 * The dying parent's CPU and the orphan's own may both see the change: the one whose swap
	 * lands reports it (clang 14 has no 32-bit compare-and-swap for BPF, hence the word).
	 */
	if (now == old ||
	    __sync_val_compare_and_swap(word, seen, (seen & ~0xffffffffull) | now) != seen)
		return;
	e = ev_reserve(EV_SIZE(reparent));
	if (e) {
		ev_header_task(e, FS_EV_REPARENT, t);
		e->reparent.old_parent = old;
		e->reparent.new_parent = now;
		ev_submit(e);
	}
}

/* At the last switch of a thread that saved its children: each, with the parent it now has. */
static __always_inline void report_orphans(struct task_struct *prev)
{
	__u32 tid = prev->pid;
	struct orphans *o = bpf_map_lookup_elem(&orphans, &tid);

	if (!o)
		return;
	__sync_fetch_and_add(&orphans_saved, -1);
	for (int i = 0; i < ORPHANS_MAX && i < o->n; i++) {
		__u32 pid = o->pid[i & (ORPHANS_MAX - 1)];
		struct fs_proc_info *info = tracked_info(pid);
		struct task_struct *c;

		if (!info || !(c = bpf_task_from_pid(pid)))
			continue;
		check_reparent(c, info);
		bpf_task_release(c);
	}
	bpf_map_delete_elem(&orphans, &tid);
}

/*
 * A process's parent changes only when the thread it was forked by exits (exit_notify, after
 * sched_process_exit): while such an exit's orphans wait for report_orphans, each may also be
 * seen on another CPU first, when it runs or wakes. Otherwise nothing is looked up.
 */
static __always_inline void reparent_check(struct task_struct *t)
{
	struct fs_proc_info *info;

	if (!orphans_saved && !orphans_unsaved)
		return;
	info = tracked_info(t->tgid);
	if (info)
		check_reparent(t, info);
}

/*
 * Why a blocked task is held, if it is: the stop bits of prev_state first, because the kernel
 * sets ->frozen for every stop (do_signal_stop and ptrace_stop count stopped tasks as frozen for
 * the cgroup v2 freezer) and for a vfork parent's wait too; so ->frozen means the freezer holds
 * it only while the freezer's trap is pending (cgroup_freeze_task sets JOBCTL_TRAP_FREEZE on every
 * task of a frozen cgroup, do_freezer_trap sleeps with ->frozen set). jobctl is a plain load and
 * rarely has that bit, so an ordinary sleep costs one load and test; the bitfield only then.
 */
static __always_inline __u32 stop_kind(struct task_struct *t, unsigned int prev_state)
{
	if (prev_state & TASK_STOPPED_BIT)
		return FS_STOP_SIGNAL;
	if (prev_state & TASK_TRACED_BIT)
		return FS_STOP_TRACED;
	if ((t->jobctl & JOBCTL_TRAP_FREEZE) && BPF_CORE_READ_BITFIELD(t, frozen))
		return FS_STOP_FROZEN;
	return FS_STOP_NONE;
}

/*
 * A held task sleeps in no call of its own: its saved registers hold whatever the stop
 * interrupted (a call to be restarted, a tracer's syscall stop, a fault), so neither a syscall
 * nor a channel is reported for it, as /proc's T and t give none (src/procfs.c).
 */
static __always_inline void switch_blocked(struct task_struct *prev, unsigned int prev_state)
{
	__u32 stop = stop_kind(prev, prev_state);
	struct inflight chan = {};

	if (stop)
		emit_state_stop(prev, FS_STATE_BLOCKED, -1, NULL, stop);
	else
		emit_state(prev, FS_STATE_BLOCKED, blocked_in(prev, &chan), &chan);
}

/* A dead leader's end: its zombie state, or, released already, its dead state and its reap. */
static __always_inline void leader_end(struct task_struct *prev)
{
	__u32 tgid = prev->tgid;
	struct fs_proc_info *info = tracked_info(tgid);
	struct task_struct *parent = prev->real_parent;

	if (!info)
		return;
	info->zombie = 1;
	/*
	 * EXIT_DEAD means released: by the kernel when the parent ignores SIGCHLD,
	 * or by a wait4 that won the race on another CPU, which reports the reap.
	 */
	if ((prev->exit_state & EXIT_DEAD) && parent_autoreaps(parent)) {
		emit_leader_end(prev, FS_STATE_DEAD);
		emit_reap(parent->tgid, tgid, info, 1, parent, 0);
	} else {
		emit_leader_end(prev, FS_STATE_ZOMBIE);
	}
}

static __always_inline void switch_out(struct task_struct *prev, unsigned int prev_state)
{
	if (!(prev_state & TASK_DEAD_BIT)) {
		if (prev_state & TASK_SLEEP_MASK)
			switch_blocked(prev, prev_state);
		else
			emit_state(prev, FS_STATE_READY, FS_READY_PREEMPTED, NULL);
	} else if (prev->pid == prev->tgid) {
		leader_end(prev);
	} /* else a thread's end: its exit event */
}

/* The idle task (pid 0), one side of most switches on a CPU that idles, is never traced. */
static __always_inline int task_tracked(struct task_struct *t)
{
	return t->pid && is_tracked(t->tgid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	/* before the tracked test: a parent reaped on another CPU is no longer tracked here */
	if ((prev_state & TASK_DEAD_BIT) && orphans_saved)
		report_orphans(prev);
	if (task_tracked(prev))
		switch_out(prev, prev_state);
	if (task_tracked(next)) {
		reparent_check(next);
		emit_state(next, FS_STATE_RUNNING, -1, NULL);
	}
	return 0;
}

static __always_inline int wakeup(struct task_struct *p, __s32 why)
{
	if (is_tracked(p->tgid)) {
		reparent_check(p);
		emit_state(p, FS_STATE_READY, why, NULL);
	}
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p)
{
	return wakeup(p, FS_READY_WOKEN);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *p)
{
	return wakeup(p, FS_READY_NEW);
}

/*
 * Stepping's own signals, which the step events stand for: a breakpoint's SIGSTOP, forkscope's
 * SIGSTOP and SIGCONT (sent by tracer_tgid), and the stop of a held process (tgid; 0: none).
 */
static __always_inline int breakpoint_signal(int sig, __u32 tgid)
{
	__u32 zero = 0, *busy;

	if ((sig != SIGSTOP && sig != SIGCONT) || !break_kinds)
		return 0;
	if (current_tgid() == tracer_tgid)
		return 1;
	busy = bpf_map_lookup_elem(&holding, &zero);
	return sig == SIGSTOP && ((busy && *busy) || bpf_map_lookup_elem(&held, &tgid));
}

/* ---- signals --------------------------------------------------------------- */

static __always_inline void emit_signal(__u32 op, int sig, struct task_struct *target, int result)
{
	struct fs_event *e = ev_reserve(EV_SIZE(signal));

	if (!e)
		return;
	ev_header(e, FS_EV_SIGNAL);
	e->signal.target_pid = target->tgid;
	e->signal.target_tid = target->pid;
	e->signal.sig = sig;
	e->signal.result = result;
	e->signal.op = op;
	e->signal.pad = 0;
	ev_submit(e);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task,
	     int group, int result)
{
	if ((tracked_info(current_tgid()) || tracked_info(task->tgid)) && !breakpoint_signal(sig, 0))
		emit_signal(FS_SIG_GENERATE, sig, task, result);
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(on_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	unsigned long handler;

	if (!tracked_info(current_tgid()) || breakpoint_signal(sig, current_tgid()))
		return 0;
	handler = (unsigned long)ka->sa.sa_handler;
	/* A fatal signal reaches each thread as SIGKILL; the group exit code names the real one. */
	if (sig == SIGKILL) {
		int code = bpf_get_current_task_btf()->signal->group_exit_code & 0x7f;

		if (code)
			sig = code;
	}
	emit_signal(FS_SIG_DELIVER, sig, bpf_get_current_task_btf(),
		    handler == 0 ? FS_SIGACT_DEFAULT
		    : handler == SIG_IGN ? FS_SIGACT_IGNORE : FS_SIGACT_HANDLER);
	return 0;
}

/* ---- syscalls: entry ------------------------------------------------------- */

static __always_inline void emit_mark(const char *buf, __u64 len)
{
	struct fs_event *e = ev_reserve(EV_SIZE(mark));
	__u32 level;

	if (!e)
		return;
	ev_header(e, FS_EV_MARK);
	if (len > FS_MARK_LEN - 1)
		len = FS_MARK_LEN - 1;
	BOUND(len, FS_MARK_LEN - 1);
	e->mark.unreadable = len && bpf_probe_read_user(e->mark.text, len, buf) != 0;
	e->mark.len = e->mark.unreadable ? 0 : len;
	e->mark.pad = 0;
	level = pid_level(bpf_get_current_task_btf());
	/* in a pid namespace, pids in its text are the namespace's: say which the writer has */
	e->mark.ns_pid = level ? ns_pid_of(bpf_get_current_task_btf(), level).nr : 0;
	if (break_here(FS_EV_MARK)) { /* stopped before the instruction after its write */
		hold(bpf_get_current_task_btf());
		e->flags = FS_EVF_BREAK;
	}
	ev_submit(e);
}

static __always_inline void save_args(struct pt_regs *regs, struct inflight *in)
{
	in->args[0] = regs->di;
	in->args[1] = regs->si;
	in->args[2] = regs->dx;
	in->args[3] = regs->r10;
	in->args[4] = regs->r8;
}

static __always_inline void emit_output(int fd, const char *buf, __u64 len)
{
	struct fs_event *e = ev_reserve(EV_SIZE(output));

	if (!e)
		return;
	ev_header(e, FS_EV_OUTPUT);
	e->output.fd = fd;
	e->output.truncated = len > FS_OUTPUT_LEN - 1;
	if (len > FS_OUTPUT_LEN - 1)
		len = FS_OUTPUT_LEN - 1;
	BOUND(len, FS_OUTPUT_LEN - 1);
	e->output.unreadable = len && bpf_probe_read_user(e->output.text, len, buf) != 0;
	e->output.len = e->output.unreadable ? 0 : len;
	ev_submit(e);
}

/*
 * Data syscalls, at their exit (the saved registers still hold the arguments): whether the fd
 * is a channel we follow; catches markers and terminal output.
 */
static __always_inline int data_channel(struct inflight *in, long id)
{
	if (fd_channel((int)in->args[0], in) == S_IFCHR && id == NR_write &&
	    fd_is_terminal(in->fd)) {
		emit_output(in->fd, (const char *)in->args[1], in->args[2]);
		return 0;
	}
	if (id == NR_write && in->fd == FS_MARK_FD && !fd_file(FS_MARK_FD)) {
		emit_mark((const char *)in->args[1], in->args[2]);
		return 0;
	}
	return in->chan_kind != FS_CHAN_NONE;
}

/* The syscalls other than waits and data calls whose entry is recorded for their exit. */
static __always_inline int entered(long nr)
{
	switch (nr) {
	case NR_mmap: case NR_listen: case NR_bind: case NR_connect:
	case NR_execve: case NR_execveat: case NR_pipe: case NR_pipe2:
	case NR_socketpair: case NR_socket: case NR_accept: case NR_accept4:
	case NR_open: case NR_openat: case NR_shmget: case NR_shmat: case NR_shmdt:
	case NR_shmctl: case NR_semget: case NR_semop: case NR_semtimedop:
	case NR_semctl: case NR_msgget: case NR_msgsnd: case NR_msgrcv: case NR_msgctl:
	case NR_mq_open: case NR_mq_unlink:
		return 1;
	}
	return 0;
}

/* Whether an entered syscall's exit needs to be seen; fills what the exit will need. */
static __always_inline int enter_wanted(struct inflight *in, long id)
{
	switch (id) {
	case NR_mmap: /* a MAP_SHARED mapping of a shared file (POSIX shm, sem) */
		if (!(in->args[3] & MAP_SHARED))
			return 0;
		fd_channel((int)in->args[4], in);
		return in->chan_kind == FS_CHAN_FILE;
	case NR_listen: case NR_bind: case NR_connect:
		fd_channel((int)in->args[0], in);
		return 1;
	}
	return entered(id);
}

/* The syscalls whose exit may matter and whose entry is recorded: a test before any lookup. */
static __always_inline int followed(long nr)
{
	return nr == NR_wait4 || nr == NR_waitid || entered(nr);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	struct inflight in = { .nr = id, .fd = -1 }, *slot;
	int wait = id == NR_wait4 || id == NR_waitid;
	struct fs_proc_info *info;

	if (id == NR_exit_group && (break_kinds & (1u << FS_EV_EXIT)))
		exit_group_break();
	/* Waits are followed everywhere: an orphan is reaped outside the tree. */
	if (!followed(id))
		return 0;
	info = wait ? NULL : tracked_info(current_tgid());
	if (!wait && !info)
		return 0;
	if (id == NR_execve || id == NR_execveat) /* the name state events keep until the exec */
		__builtin_memcpy(info->comm, bpf_get_current_task_btf()->comm, sizeof(info->comm));
	save_args(regs, &in);
	if (!wait && !enter_wanted(&in, id))
		return 0;
	slot = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (slot)
		*slot = in;
	return 0;
}

/* ---- syscalls: exit -------------------------------------------------------- */

static __always_inline struct fs_event *ipc_event(struct inflight *in, __u32 op, __s64 bytes)
{
	struct fs_event *e = ev_reserve(EV_SIZE(ipc));

	if (!e)
		return NULL;
	ev_header(e, FS_EV_IPC);
	e->ipc.op = op;
	e->ipc.fd = in->fd;
	e->ipc.bytes = bytes;
	e->ipc.chan_kind = in->chan_kind;
	e->ipc.peer_kind = in->peer_kind;
	e->ipc.chan = in->chan;
	e->ipc.peer = in->peer;
	e->ipc.arg = 0;
	e->ipc.path_len = 0;
	e->ipc.path_truncated = 0;
	return e;
}

static __always_inline void emit_ipc(struct inflight *in, __u32 op, __s64 bytes, __s64 arg)
{
	struct fs_event *e = ipc_event(in, op, bytes);

	if (e) {
		e->ipc.arg = arg;
		ev_submit(e);
	}
}

/* An IPC event carrying a user string (a path or a queue name). */
static __always_inline void emit_ipc_path(struct inflight *in, __u32 op, __s64 bytes,
					  const char *upath)
{
	struct fs_event *e = ipc_event(in, op, bytes);
	long n;

	if (!e)
		return;
	n = bpf_probe_read_user_str(e->ipc.path, FS_PATH_LEN, upath);
	e->ipc.path_len = n > 0 ? n - 1 : 0;
	e->ipc.path_truncated = n == FS_PATH_LEN;
	ev_submit(e);
}

/* An IPC event carrying a raw sockaddr copied from user memory. */
static __always_inline void emit_ipc_addr(struct inflight *in, __u32 op, __s64 ret,
					  const void *uaddr, __u64 len)
{
	struct fs_event *e = ipc_event(in, op, ret);

	if (!e)
		return;
	if (len > SOCKADDR_MAX)
		len = SOCKADDR_MAX;
	BOUND(len, FS_PATH_LEN - 1);
	if (uaddr && len && bpf_probe_read_user(e->ipc.path, len, uaddr) == 0)
		e->ipc.path_len = len;
	ev_submit(e);
}

static __always_inline void exit_fork(long nr, long ret)
{
	struct fs_event *e = ev_reserve(EV_SIZE(fork_return));
	__u32 level;

	if (!e)
		return;
	ev_header(e, FS_EV_FORK_RETURN);
	e->fork_return.ret = ret;
	e->fork_return.sysnr = nr;
	e->fork_return.ns_ret = 0;
	level = ret > 0 ? pid_level(bpf_get_current_task_btf()) : 0;
	if (level) {
		/* in a pid namespace: the child's number there, and its global pid if known */
		e->fork_return.ns_ret = ret;
		e->fork_return.ret = global_pid(level, ret) ?: ret;
	}
	ev_submit(e);
}

static __always_inline void exit_exec_failed(struct inflight *in, long ret)
{
	struct fs_event *e = ev_reserve(EV_SIZE(exec));

	if (!e)
		return;
	ev_header(e, FS_EV_EXEC);
	e->exec.result = ret;
	e->exec.old_tid = e->tid;
	e->exec.argv_len = 0;
	e->exec.argv_truncated = 0;
	e->exec.pad[0] = e->exec.pad[1] = 0;
	exec_filename(e, (const char *)(in->nr == NR_execveat ? in->args[1] : in->args[0]), 1);
	ev_submit(e);
}

static __always_inline void exit_wait(struct inflight *in, long ret)
{
	__u32 child = ret;
	int status = 0;

	if (in->nr == NR_waitid) {
		int code = 0;

		if (ret != 0 || !in->args[2] || (in->args[3] & WNOWAIT))
			return;
		bpf_probe_read_user(&code, sizeof(code), (void *)(in->args[2] + 8));
		bpf_probe_read_user(&child, sizeof(child), (void *)(in->args[2] + 16));
		if (code < 1 || code > CLD_DUMPED)
			return; /* stopped, trapped or continued: not a reap */
	} else {
		if (ret <= 0)
			return;
		if (in->args[1] &&
		    bpf_probe_read_user(&status, sizeof(status), (void *)in->args[1]) == 0 &&
		    ((status & 0xff) == 0x7f || status == 0xffff))
			return; /* stopped or continued */
	}
	__u32 level = pid_level(bpf_get_current_task_btf()), ns_child = level ? child : 0;
	struct fs_proc_info *info;
	struct task_struct *zombie;

	if (ns_child)
		child = global_pid(level, ns_child); /* the waiter's namespace gave its own number */
	info = child ? tracked_info(child) : NULL;
	if (!info)
		return;
	/*
	 * A reap releases the zombie, and its pid with it. A ptracer's wait reports the exit of a
	 * tracee it is not the parent of and leaves the zombie to the real parent, whose wait is
	 * the reap: while the pid still finds the task, nothing was reaped. The parent's own wait
	 * (the common case) always reaps, and needs no look-up.
	 */
	if (info->ppid != current_tgid() && (zombie = bpf_task_from_pid(child))) {
		/* not its parent, and the zombie is still there: a ptracer's report */
		bpf_task_release(zombie);
		return;
	}
	emit_reap(current_tgid(), child, info, 0, bpf_get_current_task_btf(), ns_child);
}

/* pipe, pipe2, socketpair: two fds written to user memory. */
static __always_inline void exit_fd_pair(struct inflight *in, long ret)
{
	int fds[2] = {};
	struct inflight second = {};
	const void *ufds = (const void *)(in->nr == NR_socketpair ? in->args[3] : in->args[0]);

	if (ret < 0 || bpf_probe_read_user(fds, sizeof(fds), ufds))
		return;
	fd_channel(fds[0], in);
	if (in->nr == NR_socketpair) {
		fd_channel(fds[1], &second);
		in->peer_kind = FS_PEER_CHAN;
		in->peer = second.chan;
	}
	emit_ipc(in, in->nr == NR_socketpair ? FS_IPC_SOCKETPAIR : FS_IPC_PIPE, 0,
		 ((__s64)fds[0] << 32) | (__u32)fds[1]);
}

/* open/openat: only FIFOs and regular files that tracked processes share. */
static __always_inline void exit_open(struct inflight *in, long ret)
{
	int at = in->nr == NR_openat;
	__u64 flags = at ? in->args[2] : in->args[1];
	__u8 one = 1;

	if (ret < 0)
		return;
	if (fd_channel(ret, in) == S_IFREG && in->chan_kind == FS_CHAN_NONE &&
	    (flags & O_ACCMODE)) {
		bpf_map_update_elem(&shared_files, &in->chan, &one, BPF_ANY);
		in->chan_kind = FS_CHAN_FILE;
	}
	if (in->chan_kind == FS_CHAN_PIPE || in->chan_kind == FS_CHAN_FILE)
		emit_ipc_path(in, FS_IPC_OPEN, 0, (const char *)(at ? in->args[1] : in->args[0]));
}

static __always_inline void exit_socket(struct inflight *in, long ret)
{
	switch (in->nr) {
	case NR_socket:
		if (ret >= 0) {
			fd_channel(ret, in);
			emit_ipc(in, FS_IPC_SOCKET, 0, ((__s64)in->args[0] << 32) | (__u32)in->args[1]);
		}
		break;
	case NR_bind:
	case NR_connect:
		if (in->nr == NR_connect && ret == 0)
			fd_channel(in->fd, in); /* the inet ports are known now */
		emit_ipc_addr(in, in->nr == NR_bind ? FS_IPC_BIND : FS_IPC_CONNECT, ret,
			      (const void *)in->args[1], in->args[2]);
		break;
	case NR_listen:
		emit_ipc(in, FS_IPC_LISTEN, ret, in->args[1]);
		break;
	default: { /* accept, accept4 */
		int alen = 0;

		if (ret < 0)
			return;
		if (in->args[2])
			bpf_probe_read_user(&alen, sizeof(alen), (void *)in->args[2]);
		fd_channel(ret, in);
		emit_ipc_addr(in, FS_IPC_ACCEPT, 0, (const void *)in->args[1], alen > 0 ? alen : 0);
	}
	}
}

/* Adds one message of bytes to the kernel-side totals of (channel, process). */
static __always_inline void count_moved(struct inflight *in, int out, long bytes)
{
	struct fs_chan_key key = { .chan = in->chan, .kind = in->chan_kind, .pid = current_tgid() };
	struct fs_chan_total *t, zero = {};

	if (bytes <= 0 || in->chan_kind == FS_CHAN_NONE)
		return;
	t = bpf_map_lookup_elem(&chan_totals, &key);
	if (!t) {
		bpf_map_update_elem(&chan_totals, &key, &zero, BPF_NOEXIST);
		t = bpf_map_lookup_elem(&chan_totals, &key);
		if (!t)
			return;
	}
	if (out) {
		__sync_fetch_and_add(&t->bytes_out, bytes);
		__sync_fetch_and_add(&t->msgs_out, 1);
	} else {
		__sync_fetch_and_add(&t->bytes_in, bytes);
		__sync_fetch_and_add(&t->msgs_in, 1);
	}
}

static __always_inline void exit_sysv(struct inflight *in, long ret)
{
	__u32 kind = FS_CHAN_SYSV_SHM, op;
	__s64 arg = 0, bytes = ret < 0 ? ret : 0;
	short semop[2] = {};

	in->chan = in->args[0];
	switch (in->nr) {
	case NR_shmget: op = FS_IPC_SHMGET; in->chan = ret; arg = in->args[0];
		if (ret >= 0)
			bytes = in->args[1];
		break;
	case NR_shmat: op = FS_IPC_SHMAT; break;
	case NR_shmdt: op = FS_IPC_SHMDT; kind = FS_CHAN_NONE; arg = in->args[0]; break;
	case NR_shmctl: op = FS_IPC_SHMCTL; arg = in->args[1]; break;
	case NR_semget: op = FS_IPC_SEMGET; kind = FS_CHAN_SYSV_SEM; in->chan = ret;
		arg = in->args[0]; break;
	case NR_semop: case NR_semtimedop:
		op = FS_IPC_SEMOP; kind = FS_CHAN_SYSV_SEM;
		bpf_probe_read_user(semop, sizeof(semop), (void *)in->args[1]);
		arg = semop[1];
		break;
	case NR_semctl: op = FS_IPC_SEMCTL; kind = FS_CHAN_SYSV_SEM; arg = in->args[2]; break;
	case NR_msgget: op = FS_IPC_MSGGET; kind = FS_CHAN_SYSV_MSG; in->chan = ret;
		arg = in->args[0]; break;
	case NR_msgsnd: op = FS_IPC_MSGSND; kind = FS_CHAN_SYSV_MSG;
		if (ret == 0)
			bytes = in->args[2];
		break;
	case NR_msgrcv: op = FS_IPC_MSGRCV; kind = FS_CHAN_SYSV_MSG; bytes = ret; break;
	default: op = FS_IPC_MSGCTL; kind = FS_CHAN_SYSV_MSG; arg = in->args[1]; break;
	}
	if (ret < 0 && (in->nr == NR_shmget || in->nr == NR_semget || in->nr == NR_msgget))
		in->chan = 0;
	in->chan_kind = kind;
	if (op == FS_IPC_MSGSND || op == FS_IPC_MSGRCV)
		count_moved(in, op == FS_IPC_MSGSND, bytes);
	emit_ipc(in, op, bytes, arg);
}

static __always_inline void exit_data(struct inflight *in, long ret)
{
	int out = in->nr == NR_write || in->nr == NR_writev || in->nr == NR_pwrite64 ||
		  in->nr == NR_sendto || in->nr == NR_sendmsg;
	__u32 op = out ? FS_IPC_WRITE : FS_IPC_READ;

	/* a non-blocking poll that moved nothing, or a call a signal (the freezer's too) cut short:
	 * the kernel restarts it, or the handler's return makes it EINTR, and the signal is seen */
	if (ret == -EAGAIN || restarted(ret))
		return;
	if (in->nr == NR_mq_timedsend) {
		op = FS_IPC_MQ_SEND;
		if (ret == 0)
			ret = in->args[2];
	} else if (in->nr == NR_mq_timedreceive) {
		op = FS_IPC_MQ_RECV;
	}
	count_moved(in, op == FS_IPC_WRITE || op == FS_IPC_MQ_SEND, ret);
	emit_ipc(in, op, ret, 0);
}

static __always_inline void exit_dispatch(struct inflight *in, long ret)
{
	switch (in->nr) {
	case NR_wait4: case NR_waitid:
		exit_wait(in, ret); break;
	case NR_execve: case NR_execveat:
		if (ret < 0)
			exit_exec_failed(in, ret);
		break;
	case NR_pipe: case NR_pipe2: case NR_socketpair:
		exit_fd_pair(in, ret); break;
	case NR_open: case NR_openat:
		exit_open(in, ret); break;
	case NR_socket: case NR_bind: case NR_connect: case NR_listen:
	case NR_accept: case NR_accept4:
		exit_socket(in, ret); break;
	case NR_mmap:
		if (ret >= 0)
			emit_ipc(in, FS_IPC_MMAP, in->args[1], 0);
		break;
	case NR_mq_open:
		if (ret >= 0) {
			fd_channel(ret, in);
			emit_ipc_path(in, FS_IPC_MQ_OPEN, 0, (const char *)in->args[0]);
		}
		break;
	case NR_mq_unlink:
		emit_ipc_path(in, FS_IPC_MQ_UNLINK, ret, (const char *)in->args[0]);
		break;
	case NR_shmget: case NR_shmat: case NR_shmdt: case NR_shmctl: case NR_semget:
	case NR_semop: case NR_semtimedop: case NR_semctl: case NR_msgget: case NR_msgsnd:
	case NR_msgrcv: case NR_msgctl:
		exit_sysv(in, ret); break;
	}
}

/* A socket whose peer is gone now: the peer remembered when the syscall blocked, if it did. */
static __always_inline void peer_when_blocked(struct inflight *in)
{
	struct inflight *slot = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);

	if (!slot || slot->nr != in->nr || slot->fd != in->fd || slot->chan != in->chan)
		return;
	in->peer_kind = slot->peer_kind;
	in->peer = slot->peer;
	slot->nr = NR_NONE;
}

/* The calls that move bytes between two fds without user space seeing them (or, vmsplice, into
 * or out of a pipe from user pages): each end that is a channel counts them. */
static __always_inline int zero_copy_call(long nr)
{
	return nr == NR_sendfile || nr == NR_splice || nr == NR_tee || nr == NR_vmsplice ||
	       nr == NR_copy_file_range;
}

/* One end of a zero-copy move: a read or write of ret bytes on fd, if it is a channel. */
static __always_inline void zero_copy_end(struct pt_regs *regs, long nr, long ret, int fd, int out)
{
	struct inflight in = { .nr = nr, .fd = -1 };

	save_args(regs, &in);
	fd_channel(fd, &in);
	if (in.chan_kind == FS_CHAN_NONE)
		return;
	count_moved(&in, out, ret);
	emit_ipc(&in, out ? FS_IPC_WRITE : FS_IPC_READ, ret, nr);
}

/*
 * sendfile(out, in), splice(in, _, out), copy_file_range(in, _, out): ret bytes left in and
 * went to out. tee(in, out) copies a pipe's bytes without taking them: only out gets them.
 * vmsplice(fd): into a pipe's write end, or out of its read end.
 */
static __always_inline void exit_zero_copy(struct pt_regs *regs, long nr, long ret)
{
	int in_fd = nr == NR_sendfile ? regs->si : regs->di;
	int out_fd = nr == NR_sendfile ? regs->di : nr == NR_tee ? regs->si : regs->dx;
	struct file *f;

	if (ret <= 0)
		return;
	if (nr == NR_vmsplice) {
		f = fd_file(in_fd);
		zero_copy_end(regs, nr, ret, in_fd, f && (BPF_CORE_READ(f, f_mode) & FMODE_WRITE));
		return;
	}
	if (nr != NR_tee)
		zero_copy_end(regs, nr, ret, in_fd, 0);
	zero_copy_end(regs, nr, ret, out_fd, 1);
}

static __always_inline void exit_data_call(struct pt_regs *regs, long nr, long ret)
{
	struct inflight in = { .nr = nr, .fd = -1 };

	save_args(regs, &in);
	if (!data_channel(&in, nr))
		return;
	if (in.chan_kind == FS_CHAN_SOCKET && in.peer_kind == FS_PEER_NONE)
		peer_when_blocked(&in);
	exit_data(&in, ret);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->orig_ax;
	struct inflight *in;

	if (nr == NR_clone || nr == NR_fork || nr == NR_vfork || nr == NR_clone3) {
		/* -ERESTARTNOINTR and its kin are no result: the restarted call will give one */
		if (is_tracked(current_tgid()) && !restarted(ret))
			exit_fork(nr, ret);
		return 0;
	}
	if (data_call(nr)) {
		__u32 tgid = current_tgid();

		if (tgid == gate_tgid)
			gate_tgid = 0; /* forkscope's gate, read before the root was tracked */
		else if (is_tracked(tgid))
			exit_data_call(regs, nr, ret);
		return 0;
	}
	if (zero_copy_call(nr)) {
		if (is_tracked(current_tgid()))
			exit_zero_copy(regs, nr, ret);
		return 0;
	}
	if (!followed(nr))
		return 0;
	in = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	if (in && in->nr == nr) {
		exit_dispatch(in, ret);
		in->nr = NR_NONE;
	} else if (nr == NR_wait4 || nr == NR_waitid) {
		/* a wait that began before the probes (attaching): its arguments are still in regs */
		struct inflight late = { .nr = nr, .fd = -1 };

		save_args(regs, &late);
		exit_dispatch(&late, ret);
	}
	return 0;
}
