/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The event ABI shared by the BPF probes, every event source and every consumer. */
#ifndef FORKSCOPE_EVENT_H
#define FORKSCOPE_EVENT_H

/*
 * This header is compiled both against vmlinux.h (BPF side) and against
 * <linux/types.h> (user side), so it only uses __u* types.
 * Bump FS_EVENT_ABI whenever a layout below changes.
 */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
#define FS_EVENT_ABI 4

#define FS_COMM_LEN 16
#define FS_PATH_LEN 256 /* exec filename, open path, socket address */
#define FS_ARGV_LEN 512 /* argv as NUL-separated bytes */
#define FS_MARK_LEN 128
#define FS_OUTPUT_LEN 256 /* bytes of one write to a terminal */

/*
 * Marker protocol: a traced process writes text to this file descriptor
 * while it is NOT open. The kernel answers EBADF and nothing else happens;
 * the probe reads the text at syscall entry and emits a mark event.
 * Works from any language, costs one failing syscall when untraced.
 */
#define FS_MARK_FD 987

enum fs_event_type {
	FS_EV_FORK = 1,     /* sched_process_fork: a new process or thread */
	FS_EV_FORK_RETURN,  /* fork/vfork/clone/clone3 returned, on either side */
	FS_EV_EXEC,         /* exec succeeded (result 0) or failed (result -errno) */
	FS_EV_EXIT,         /* a thread or (group_dead) a whole process exited */
	FS_EV_REAP,         /* a zombie was collected (wait4/waitid, or auto-reaped) */
	FS_EV_REPARENT,     /* an orphan now has a new parent */
	FS_EV_STATE,        /* scheduler state of a task changed */
	FS_EV_SIGNAL,       /* a signal was generated or delivered */
	FS_EV_IPC,          /* an IPC operation: channel set-up or data moved */
	FS_EV_MARK,         /* a demo annotated what it is doing */
	FS_EV_LOST,         /* the ring buffer dropped events (made by the source) */
	FS_EV_OUTPUT,       /* a write to a terminal: what the workload printed */
	FS_EV_TOTAL,        /* at the end: what one process moved through one channel, counted in the kernel */
	FS_EV_EXISTING,     /* attaching (--pid): a process of the tree was already running (made by the source) */
	FS_EV_CGROUP,       /* --cgroup: a process was moved into the traced cgroup, or out of it */
	FS_EV_STEP,         /* --step: the tree was frozen at a breakpoint, or thawed (made by user space) */
	FS_EV_ANSWER,       /* a lesson's prediction question was answered (made by user space) */
	FS_EV_TYPE_MAX,
};

enum fs_state {
	FS_STATE_READY = 1,   /* runnable, waiting for a CPU (就绪) */
	FS_STATE_RUNNING,     /* on a CPU (运行) */
	FS_STATE_BLOCKED,     /* sleeping in the kernel (阻塞) */
	FS_STATE_ZOMBIE,      /* exited, waiting to be reaped */
	FS_STATE_DEAD,        /* exited and already released (auto-reaped) */
	FS_STATE_MAX,
};

/* Why a task became ready. */
enum fs_ready_reason {
	FS_READY_PREEMPTED = 1, /* switched out while still runnable */
	FS_READY_WOKEN,         /* sched_wakeup */
	FS_READY_NEW,           /* sched_wakeup_new: first time runnable */
};

/* What kind of object a channel id names. */
enum fs_chan_kind {
	FS_CHAN_NONE = 0,
	FS_CHAN_PIPE,     /* anonymous pipe or FIFO: id = inode */
	FS_CHAN_SOCKET,   /* id = socket inode */
	FS_CHAN_FILE,     /* regular file (also POSIX shm/sem under /dev/shm): id = inode */
	FS_CHAN_MQUEUE,   /* POSIX message queue: id = inode */
	FS_CHAN_SYSV_SHM, /* id = shmid */
	FS_CHAN_SYSV_SEM, /* id = semid */
	FS_CHAN_SYSV_MSG, /* id = msqid */
	FS_CHAN_KIND_MAX,
};

/* What ipc.peer means. */
enum fs_peer_kind {
	FS_PEER_NONE = 0,
	FS_PEER_CHAN,      /* peer = the other end's channel id (same kind) */
	FS_PEER_INET_PORTS, /* peer = local port << 16 | remote port (TCP/UDP) */
};

enum fs_ipc_op {
	FS_IPC_READ = 1,  /* data moved in: bytes = count; arg = the zero-copy syscall, if one */
	FS_IPC_WRITE,     /* data moved out: bytes = count; arg = the zero-copy syscall, if one */
	FS_IPC_PIPE,      /* pipe/pipe2: chan = the pipe, arg = fd0 << 32 | fd1 */
	FS_IPC_SOCKETPAIR,/* chan = end 0, peer = end 1, arg = fd0 << 32 | fd1 */
	FS_IPC_SOCKET,    /* chan = new socket, arg = family << 32 | type */
	FS_IPC_BIND,      /* addr in path (raw sockaddr, path_len bytes) */
	FS_IPC_LISTEN,
	FS_IPC_CONNECT,   /* addr in path */
	FS_IPC_ACCEPT,    /* chan = the new connected socket, addr in path */
	FS_IPC_OPEN,      /* open of a FIFO, a shared file or a /dev/shm object; path */
	FS_IPC_MMAP,      /* MAP_SHARED mapping of chan; bytes = length */
	FS_IPC_SHMGET,    /* chan = shmid, arg = key */
	FS_IPC_SHMAT,
	FS_IPC_SHMDT,     /* arg = address */
	FS_IPC_SHMCTL,    /* arg = cmd */
	FS_IPC_SEMGET,    /* chan = semid, arg = key */
	FS_IPC_SEMOP,     /* arg = first sem_op value (negative: wait, positive: post) */
	FS_IPC_SEMCTL,    /* arg = cmd */
	FS_IPC_MSGGET,    /* chan = msqid, arg = key */
	FS_IPC_MSGSND,    /* bytes = message size */
	FS_IPC_MSGRCV,    /* bytes = message size */
	FS_IPC_MSGCTL,    /* arg = cmd */
	FS_IPC_MQ_OPEN,   /* chan = queue inode, path = name */
	FS_IPC_MQ_UNLINK, /* path = name */
	FS_IPC_MQ_SEND,   /* bytes = message size */
	FS_IPC_MQ_RECV,   /* bytes = message size */
	FS_IPC_OP_MAX,
};

enum fs_signal_op {
	FS_SIG_GENERATE = 1, /* signal_generate: pid sends to target; result below */
	FS_SIG_DELIVER,      /* signal_deliver: target (= pid) takes it; result = action */
};

/* signal_deliver's action, in signal.result for FS_SIG_DELIVER. */
enum fs_sig_action {
	FS_SIGACT_DEFAULT = 0,
	FS_SIGACT_IGNORE,
	FS_SIGACT_HANDLER,
};

struct fs_ev_fork {
	__u32 child_pid;  /* tgid of the child */
	__u32 child_tid;
	__u32 thread;     /* 1: a new thread of the same process */
	__u32 pad;
};

struct fs_ev_fork_return {
	__s64 ret;    /* child pid in the parent, 0 in the child, -errno on failure */
	__u32 sysnr;  /* 56 clone, 57 fork, 58 vfork, 435 clone3 */
	__u32 ns_ret; /* in a pid namespace: what the call returned there; ret is the global pid */
};

struct fs_ev_exec {
	__s32 result;          /* 0, or -errno for a failed execve */
	__u32 old_tid;         /* tid before exec (differs when a non-leader thread execs) */
	__u16 filename_len;
	__u16 argv_len;        /* bytes used in argv, NUL-separated */
	__u8 filename_truncated;
	__u8 argv_truncated;
	__u8 pad[2];
	char filename[FS_PATH_LEN];
	char argv[FS_ARGV_LEN];
};

struct fs_ev_exit {
	__u32 code;      /* exit code (0-255) when sig == 0 */
	__u32 sig;       /* terminating signal, 0 for a normal exit */
	__u32 core;      /* 1 if a core was dumped */
	__u32 thread;    /* 1: only this thread ended; the process lives on */
};

struct fs_ev_reap {
	__u32 child;     /* tgid of the reaped process; pid is the reaper */
	__u32 autoreap;  /* 1: SIGCHLD ignored / SA_NOCLDWAIT, the kernel released it (pid = child's parent);
			  * 2: the process was freed but no reap was seen (pid = 0, reaper unknown) */
	__u32 ns_child;  /* a reaper in a pid namespace: the child's pid there (its wait's result) */
	__u32 pad;
};

struct fs_ev_reparent {
	__u32 old_parent;
	__u32 new_parent;
};

/* Why a blocked task is not running: asleep in a call, or held. */
enum fs_stop_kind {
	FS_STOP_NONE = 0,   /* asleep in the kernel (S or D) */
	FS_STOP_SIGNAL,     /* stopped by SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU (ps T) */
	FS_STOP_TRACED,     /* stopped by a ptracer (ps t) */
	FS_STOP_FROZEN,     /* held by the cgroup v2 freezer (ps S) */
	FS_STOP_KIND_MAX,
};

struct fs_ev_state {
	__u32 state;     /* enum fs_state */
	__s32 sysnr;     /* blocked: syscall it sleeps in, -1 unknown; ready: enum fs_ready_reason */
	__u32 chan_kind; /* blocked in an fd syscall: what the fd is */
	__u32 stop;      /* blocked: enum fs_stop_kind */
	__u64 chan;
};

struct fs_ev_signal {
	__u32 target_pid;
	__u32 target_tid;
	__u32 sig;
	__s32 result;    /* generate: TRACE_SIGNAL_* (0 delivered, 1 ignored, 2 already pending, 3 overflow, 4 lose info); deliver: enum fs_sig_action */
	__u32 op;        /* enum fs_signal_op */
	__u32 pad;
};

struct fs_ev_ipc {
	__u32 op;         /* enum fs_ipc_op */
	__s32 fd;         /* the fd used or created, -1 if none */
	__s64 bytes;      /* bytes moved, or the syscall's result when negative (-errno) */
	__u32 chan_kind;  /* enum fs_chan_kind */
	__u32 peer_kind;  /* enum fs_peer_kind */
	__u64 chan;
	__u64 peer;
	__s64 arg;        /* op-specific, see enum fs_ipc_op */
	__u16 path_len;
	__u8 path_truncated;
	__u8 pad[5];
	char path[FS_PATH_LEN];
};

struct fs_ev_mark {
	__u32 len;
	__u32 unreadable; /* 1: the text's memory could not be read (text is empty) */
	__u32 ns_pid;     /* the writer is in a pid namespace: its pid there, which getpid() gave it */
	__u32 pad;
	char text[FS_MARK_LEN];
};

struct fs_ev_lost {
	__u64 count;
};

struct fs_ev_total {
	__u32 chan_kind;
	__u32 pad;
	__u64 chan;
	__u64 bytes_in, msgs_in;
	__u64 bytes_out, msgs_out;
};

enum fs_step_op {
	FS_STEP_FREEZE = 1, /* the tree is frozen: at_seq is the breakpoint's event */
	FS_STEP_THAW,       /* it runs again after frozen_ns */
};

enum fs_freeze_method {
	FS_FREEZE_CGROUP = 1, /* the cgroup v2 freezer of the workload's own cgroup */
	FS_FREEZE_SIGSTOP,    /* SIGSTOP to every traced process, SIGCONT to thaw */
};

/*
 * Stepping (--step). A breakpoint's event carries FS_EVF_BREAK: its probe
 * stopped the process there (SIGSTOP from the kernel, before it ran on);
 * user space then freezes the rest of the tree and says so with a freeze,
 * and with a thaw when the learner goes on. The session's clock stops while
 * the tree is frozen: every later event's t excludes frozen_ns.
 */
struct fs_ev_step {
	__u32 op;        /* enum fs_step_op */
	__u32 method;    /* enum fs_freeze_method */
	__u64 at_seq;    /* freeze: the seq of the event it stopped at */
	__u64 frozen_ns; /* thaw: how long the tree was frozen */
	__u32 procs;     /* freeze: processes of the tree held */
	__u32 at_type;   /* freeze: the breakpoint event's type (enum fs_event_type); 0 when it was lost */
};

/* A prediction question of the lesson, answered by the learner and checked against the kernel. */
struct fs_ev_answer {
	__u32 question;  /* its number in the lesson's list, from 1 */
	__u32 choice;    /* the learner's choice, from 1; 0 skipped */
	__u32 right;     /* the choice the kernel's events proved right, from 1; 0 not known */
	__u32 pad;
	__u64 asked_seq; /* the event it was asked at */
	__u64 decided_seq; /* the kernel's event that answered it */
	char lesson[32]; /* the lesson's name */
};

struct fs_ev_output {
	__s32 fd;
	__u32 len;       /* bytes in text */
	__u32 truncated; /* 1: the write was longer than FS_OUTPUT_LEN */
	__u32 unreadable; /* 1: the text's memory could not be read (text is empty) */
	char text[FS_OUTPUT_LEN];
};

/* Words of the tracked_bits map, a bit per tgid: 4194304 (PID_MAX_LIMIT) bits unless resized. */
#define FS_TRACKED_WORDS 65536

/* The kernel's record of one traced process (the value of the `tracked` map, seeded by user space). */
struct fs_proc_info {
	__u32 ppid;   /* parent tgid as last seen: a change means the process was reparented */
	__u32 zombie; /* its zombie (or dead) state was reported */
	char comm[FS_COMM_LEN]; /* at exit, for a zombie state reported at the reap */
	__u32 exit_break; /* --step: its exit is the breakpoint, its parent held since exit_group began */
};

/*
 * A process that was already running when forkscope attached to its tree
 * (--pid), as /proc showed it then; the event's pid and comm are its own.
 */
struct fs_ev_existing {
	__u32 ppid;     /* its parent at attach time (outside the tree for the process attached to) */
	__u32 threads;
	__u64 age_ns;   /* how long it had been running when forkscope attached */
	struct fs_ev_state state; /* running, blocked (with the syscall and channel) or zombie */
	struct fs_ev_exec image; /* what it runs: /proc/PID/exe and /proc/PID/cmdline (result 0) */
};

enum fs_cgroup_op {
	FS_CG_ENTER = 1, /* moved into the traced cgroup (or one below it): traced from now on */
	FS_CG_LEAVE,     /* moved out of it: no longer traced */
};

/*
 * --cgroup: a process moved (by a write to cgroup.procs) into the traced
 * cgroup or out of it; pid and comm are the moved process's own, seen from
 * cgroup_attach_task. The BPF side fills everything up to proc.ppid; for an
 * enter, the source fills the rest of proc from /proc as for an existing event.
 */
struct fs_ev_cgroup {
	__u64 cgroup_id;      /* the cgroup it moved to (its kernfs id: the directory's inode) */
	__u32 op;             /* enum fs_cgroup_op */
	__u16 path_len;
	__u8 path_truncated;
	__u8 pad;
	char path[FS_PATH_LEN]; /* that cgroup's path from the v2 root, as the kernel names it */
	struct fs_ev_existing proc;
};

/*
 * What moved through one channel for one process, counted in the kernel
 * (the `chan_totals` map), so the totals are exact even when events were lost.
 */
struct fs_chan_key {
	__u64 chan;
	__u32 kind; /* enum fs_chan_kind */
	__u32 pid;  /* tgid */
};

struct fs_chan_total {
	__u64 bytes_in, msgs_in;   /* read, recv, msgrcv, mq_recv */
	__u64 bytes_out, msgs_out; /* write, send, msgsnd, mq_send */
};

/*
 * One event. The BPF side reserves only the header plus its own payload, so
 * ring buffer records have different sizes; a source copies the record into a
 * zeroed struct fs_event. `ts` is bpf_ktime_get_ns() in the kernel; a source
 * rewrites it to nanoseconds since the session started, and sets `seq`.
 */
struct fs_event {
	__u64 ts;
	__u64 seq;
	__u32 type;  /* enum fs_event_type */
	__u32 pid;   /* tgid */
	__u32 tid;
	__u32 flags; /* FS_EVF_*: live only, never in a log */
	char comm[FS_COMM_LEN];
	union {
		struct fs_ev_fork fork;
		struct fs_ev_fork_return fork_return;
		struct fs_ev_exec exec;
		struct fs_ev_exit exit;
		struct fs_ev_reap reap;
		struct fs_ev_reparent reparent;
		struct fs_ev_state state;
		struct fs_ev_signal signal;
		struct fs_ev_ipc ipc;
		struct fs_ev_mark mark;
		struct fs_ev_lost lost;
		struct fs_ev_output output;
		struct fs_ev_total total;
		struct fs_ev_existing existing;
		struct fs_ev_cgroup cgroup;
		struct fs_ev_step step;
		struct fs_ev_answer answer;
	};
};

#define FS_EVF_BREAK 1u /* a breakpoint: the probe stopped the process at this event (--step) */

#define FS_EVENT_HDR_SIZE ((unsigned long)&((struct fs_event *)0)->fork)

#endif /* FORKSCOPE_EVENT_H */
