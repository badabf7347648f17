// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: any bytes as a session log, through the reader, the model, dump and a write-read round trip. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump.h"
#include "log.h"
#include "model.h"

#define MAX_EVENTS 4096 /* an input of at most -max_len bytes holds far fewer lines */

/* One memfd per role, reused for every input: the reader opens it by path, as it opens a real log. */
struct memfile {
	int fd;
	char path[64];
};

static struct memfile in_file, json_file;
static struct fs_event events[MAX_EVENTS];
static FILE *devnull;

static void memfile_init(struct memfile *f, const char *name)
{
	f->fd = memfd_create(name, MFD_CLOEXEC);
	if (f->fd < 0)
		abort();
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
}

static void memfile_set(struct memfile *f, const uint8_t *data, size_t size)
{
	if (ftruncate(f->fd, 0) || pwrite(f->fd, data, size, 0) != (ssize_t)size)
		abort();
}

/* A FILE that writes into the memfd from its start; the caller fcloses it. */
static FILE *memfile_stream(struct memfile *f)
{
	int fd;

	if (ftruncate(f->fd, 0) || (fd = open(f->path, O_WRONLY | O_CLOEXEC)) < 0)
		abort();
	return fdopen(fd, "w");
}

/*
 * Reads every event, feeding each to the model and to dump_event_text as a
 * live or replay session would; keeps at most MAX_EVENTS in events[].
 * Returns how many were read, or -1 when the header itself was refused.
 */
static int read_all(const char *path, struct fs_event *out, int *bad)
{
	struct fs_model *m = model_new();
	struct fs_log_reader *r;
	struct fs_event e;
	char err[512], line[16 * 1024];
	int n = 0, ret;

	if (!m)
		abort();
	if (log_reader_open(&r, path, err, sizeof(err))) {
		model_free(m);
		return -1;
	}
	model_seed_root(m, log_reader_header(r)->root_pid, log_reader_header(r)->tracer_pid, 0);
	while ((ret = log_reader_next(r, &e, err, sizeof(err))) > 0) {
		model_apply(m, &e);
		dump_event_text(line, sizeof(line), &e);
		dump_event_text(line, 40, &e); /* a cut line is NUL-terminated too */
		if (n % 64 == 0)
			model_forget_tombs_before(m, model_now(m));
		if (n < MAX_EVENTS)
			out[n] = e;
		n++;
	}
	*bad = ret < 0;
	if (ret < 0 && log_reader_next(r, &e, err, sizeof(err)) != ret)
		abort(); /* an error is sticky */
	log_reader_close(r);
	model_free(m);
	return n;
}

/* What dump --json writes is a valid log holding the same events: the format round-trips. */
static void check_round_trip(const struct fs_event *first, int n)
{
	static struct fs_event again[MAX_EVENTS];
	FILE *f = memfile_stream(&json_file);
	int bad = 0, m;

	if (!f)
		abort();
	dump_file(in_file.path, 1, f, devnull);
	fclose(f);
	m = read_all(json_file.path, again, &bad);
	if (m != n || bad)
		abort();
	for (int i = 0; i < n && i < MAX_EVENTS; i++) {
		if (memcmp(&first[i], &again[i], sizeof(again[i])))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int bad = 0, n;

	if (!devnull) {
		memfile_init(&in_file, "fuzz_log_in");
		memfile_init(&json_file, "fuzz_log_json");
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	memfile_set(&in_file, data, size);
	n = read_all(in_file.path, events, &bad);
	if (n < 0)
		return 0;
	dump_file(in_file.path, 0, devnull, devnull);
	check_round_trip(events, n);
	return 0;
}
