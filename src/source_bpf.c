// SPDX-License-Identifier: GPL-2.0
/* The live event source: loads and attaches the probes, drains the ring buffer into a sink. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "forkscope.skel.h"
#include "source_bpf.h"
#include "i18n.h"

#define DEFAULT_RING_BYTES (8u << 20)

struct source_bpf {
	struct forkscope_bpf *skel;
	struct ring_buffer *ring;
	uint64_t *tracked_bits; /* the tracked_bits map, mapped: a bit per tgid that may be tracked */
	size_t tracked_bits_len;
	uint64_t epoch;
	uint64_t stopped_at; /* the clock is stopped (the tree is frozen) since this monotonic time; 0: it runs */
	uint64_t seq;
	uint64_t lost_seen;
	fs_sink_fn sink;
	void *ctx;
	int stop;
	struct fs_event scratch; /* on_record's: zero but while a record is in it */
};

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int libbpf_loud(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

/* Root, or both CAP_BPF and CAP_PERFMON in the effective set. */
static int can_trace(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};
	const int bpf = 39, perfmon = 38; /* CAP_BPF, CAP_PERFMON (not in older headers) */

	if (geteuid() == 0)
		return 1;
	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return (data[bpf / 32].effective & (1u << (bpf % 32))) &&
	       (data[perfmon / 32].effective & (1u << (perfmon % 32)));
}

static const char *preflight(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): "
		       "it needs CONFIG_DEBUG_INFO_BTF=y";
	if (!can_trace())
		return "tracing needs root (or CAP_BPF and CAP_PERFMON): run it with sudo";
	return NULL;
}

/*
 * A monotonic timestamp as nanoseconds since the session started (0 before it), frozen time
 * left out: while the clock is stopped every event has the time it stopped at.
 */
static uint64_t since_epoch(const struct source_bpf *s, uint64_t monotonic_ns)
{
	if (s->stopped_at && monotonic_ns > s->stopped_at)
		monotonic_ns = s->stopped_at;
	return monotonic_ns > s->epoch ? monotonic_ns - s->epoch : 0;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t source_bpf_now(const struct source_bpf *s)
{
	return since_epoch(s, monotonic_ns());
}

/* The tracked_bits map's words for this machine's pid_max (tgids above it are looked up anyway). */
static uint32_t tracked_words(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	unsigned long pid_max = 0;

	if (f) {
		if (fscanf(f, "%lu", &pid_max) != 1)
			pid_max = 0;
		fclose(f);
	}
	if (!pid_max || pid_max > (unsigned long)FS_TRACKED_WORDS * 64)
		return FS_TRACKED_WORDS;
	return (uint32_t)((pid_max + 63) / 64);
}

static int map_tracked_bits(struct source_bpf *s)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = bpf_map__max_entries(s->skel->maps.tracked_bits) * sizeof(uint64_t);
	void *p;

	len = (len + page - 1) / page * page;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 bpf_map__fd(s->skel->maps.tracked_bits), 0);
	if (p == MAP_FAILED)
		return -errno;
	s->tracked_bits = p;
	s->tracked_bits_len = len;
	return 0;
}

/* Sets or clears pid's bit, atomically: the probes change other bits of the same word. */
static void mark_tracked(struct source_bpf *s, uint32_t pid, int on)
{
	uint64_t bit = 1ull << (pid % 64);

	if (pid / 64 >= s->tracked_bits_len / sizeof(uint64_t))
		return; /* past the map: looked up without the bit */
	if (on)
		__atomic_fetch_or(&s->tracked_bits[pid / 64], bit, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&s->tracked_bits[pid / 64], ~bit, __ATOMIC_SEQ_CST);
}

/*
 * The record as a whole struct fs_event, zero past its own size. The scratch event is zero but
 * for what the last call copied in, which it clears again: a 48-byte record costs 96 bytes of
 * copying and clearing, not the 900 of the whole struct.
 */
static int on_record(void *ctx, void *data, size_t size)
{
	struct source_bpf *s = ctx;
	struct fs_event *e = &s->scratch;
	size_t n = size < sizeof(*e) ? size : sizeof(*e);
	int err;

	if (size < FS_EVENT_HDR_SIZE)
		return 0;
	memcpy(e, data, n);
	e->ts = since_epoch(s, e->ts);
	e->seq = ++s->seq;
	err = s->sink(e, s->ctx);
	memset(e, 0, n);
	return err;
}

/* Opens the skeleton, sizes the ring buffer and the tracked bits, loads, maps the bits. */
static int load(struct source_bpf *s, const struct source_bpf_opts *o)
{
	int err;

	s->skel = forkscope_bpf__open();
	if (!s->skel)
		return -errno;
	err = o->ring_bytes ? bpf_map__set_max_entries(s->skel->maps.events, o->ring_bytes) : 0;
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.tracked_bits, tracked_words());
	if (err)
		return err;
	s->skel->rodata->wake_bytes = bpf_map__max_entries(s->skel->maps.events) / 2;
	s->skel->rodata->cgroup_id = o->cgroup_id;
	s->skel->rodata->cgroup_level = o->cgroup_level;
	/* only --cgroup needs the cgroup tracepoint: the rest runs on a kernel without it */
	err = bpf_program__set_autoload(s->skel->progs.on_cgroup_attach, o->cgroup_id != 0);
	if (!err)
		err = forkscope_bpf__load(s->skel);
	return err ? err : map_tracked_bits(s);
}

int source_bpf_open(struct source_bpf **out, const struct source_bpf_opts *o, const char **why)
{
	struct source_bpf *s;
	int err;

	*out = NULL;
	*why = preflight();
	if (*why)
		return -EPERM;
	libbpf_set_print(o->verbose ? libbpf_loud : libbpf_quiet);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = load(s, o);
	if (err) {
		*why = _("could not load the BPF probes (run with -v to see the verifier's log)");
		goto out_free;
	}
	err = forkscope_bpf__attach(s->skel);
	if (err) {
		*why = _("could not attach the BPF probes (run with -v for libbpf's messages)");
		goto out_free;
	}
	s->ring = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_record, s, NULL);
	if (!s->ring) {
		err = -errno;
		*why = _("could not map the BPF ring buffer");
		goto out_free;
	}
	*out = s;
	return 0;
out_free:
	source_bpf_close(s);
	return err;
}

int source_bpf_track(struct source_bpf *s, uint32_t pid, uint32_t ppid, int at_gate)
{
	struct fs_proc_info info = { .ppid = ppid };

	if (at_gate) /* its first data syscall, the gate's read, is forkscope's, not the command's */
		__atomic_store_n(&s->skel->bss->gate_tgid, pid, __ATOMIC_SEQ_CST);
	mark_tracked(s, pid, 1); /* before the entry, as the probes do: never an entry without it */
	return bpf_map__update_elem(s->skel->maps.tracked, &pid, sizeof(pid), &info, sizeof(info),
				    BPF_NOEXIST);
}

void source_bpf_untrack(struct source_bpf *s, uint32_t pid)
{
	bpf_map__delete_elem(s->skel->maps.tracked, &pid, sizeof(pid), 0);
	mark_tracked(s, pid, 0);
}

int source_bpf_emit(struct source_bpf *s, struct fs_event *e, fs_sink_fn sink, void *ctx)
{
	e->seq = ++s->seq;
	return sink(e, ctx);
}

size_t source_bpf_tracked(const struct source_bpf *s, uint32_t *pids, size_t max)
{
	int fd = bpf_map__fd(s->skel->maps.tracked);
	__u32 key, next, *prev = NULL;
	size_t alive = 0;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (kill((pid_t)key, 0) && errno != EPERM)
			continue;
		if (alive < max)
			pids[alive] = key;
		alive++;
	}
	return alive;
}

size_t source_bpf_alive(const struct source_bpf *s)
{
	return source_bpf_tracked(s, NULL, 0);
}

void source_bpf_set_epoch(struct source_bpf *s, uint64_t monotonic_ns)
{
	s->epoch = monotonic_ns;
}

void source_bpf_clock_stop(struct source_bpf *s)
{
	s->stopped_at = monotonic_ns();
}

uint64_t source_bpf_clock_start(struct source_bpf *s)
{
	uint64_t now = monotonic_ns(), stopped;

	if (!s->stopped_at)
		return 0;
	stopped = now > s->stopped_at ? now - s->stopped_at : 0;
	s->epoch += stopped;
	s->stopped_at = 0;
	return stopped;
}

uint64_t source_bpf_epoch(const struct source_bpf *s)
{
	return s->epoch;
}

int source_bpf_tracked_fd(const struct source_bpf *s)
{
	return bpf_map__fd(s->skel->maps.tracked);
}

int source_bpf_held_fd(const struct source_bpf *s)
{
	return bpf_map__fd(s->skel->maps.held);
}

void source_bpf_break(struct source_bpf *s, uint32_t kinds)
{
	s->skel->bss->tracer_tgid = (__u32)getpid();
	__atomic_store_n(&s->skel->bss->break_kinds, kinds, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->skel->bss->break_armed, kinds != 0, __ATOMIC_SEQ_CST);
}

void source_bpf_arm(struct source_bpf *s)
{
	__atomic_store_n(&s->skel->bss->break_armed, 1, __ATOMIC_SEQ_CST);
}

int source_bpf_fd(const struct source_bpf *s)
{
	return ring_buffer__epoll_fd(s->ring);
}

static int emit_lost(struct source_bpf *s, uint64_t count, uint64_t now)
{
	struct fs_event e;

	memset(&e, 0, sizeof(e));
	e.type = FS_EV_LOST;
	e.ts = now;
	e.seq = ++s->seq;
	e.lost.count = count;
	return s->sink(&e, s->ctx);
}

int source_bpf_drain(struct source_bpf *s, fs_sink_fn sink, void *ctx)
{
	uint64_t lost;
	int n;

	s->sink = sink;
	s->ctx = ctx;
	n = ring_buffer__consume(s->ring);
	if (n < 0)
		return n;
	lost = __atomic_load_n(&s->skel->bss->lost_events, __ATOMIC_RELAXED);
	if (lost > s->lost_seen) {
		n = emit_lost(s, lost - s->lost_seen, source_bpf_now(s));
		s->lost_seen = lost;
	}
	return n < 0 ? n : 0;
}

static int emit_total(struct source_bpf *s, const struct fs_chan_key *k,
		      const struct fs_chan_total *t, uint64_t now)
{
	struct fs_event e;

	memset(&e, 0, sizeof(e));
	e.type = FS_EV_TOTAL;
	e.ts = now;
	e.seq = ++s->seq;
	e.pid = e.tid = k->pid;
	e.total.chan_kind = k->kind;
	e.total.chan = k->chan;
	e.total.bytes_in = t->bytes_in;
	e.total.msgs_in = t->msgs_in;
	e.total.bytes_out = t->bytes_out;
	e.total.msgs_out = t->msgs_out;
	return s->sink(&e, s->ctx);
}

int source_bpf_totals(struct source_bpf *s, fs_sink_fn sink, void *ctx)
{
	int fd = bpf_map__fd(s->skel->maps.chan_totals);
	struct fs_chan_key key, next;
	struct fs_chan_total total;
	void *prev = NULL;
	uint64_t now = source_bpf_now(s);
	int err;

	s->sink = sink;
	s->ctx = ctx;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &total))
			continue;
		err = emit_total(s, &key, &total, now);
		if (err)
			return err;
	}
	return 0;
}

uint64_t source_bpf_events(const struct source_bpf *s)
{
	return s->seq;
}

uint64_t source_bpf_lost(const struct source_bpf *s)
{
	return s->lost_seen;
}

void source_bpf_close(struct source_bpf *s)
{
	if (!s)
		return;
	ring_buffer__free(s->ring);
	if (s->tracked_bits)
		munmap(s->tracked_bits, s->tracked_bits_len);
	forkscope_bpf__destroy(s->skel);
	free(s);
}
