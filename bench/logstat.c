// SPDX-License-Identifier: GPL-2.0
/* Benchmark helper: a session log's size, event and lost counts, and its per-channel data totals. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "log.h"
#include "names.h"

#define CHAN_SLOTS 65536 /* open addressing; far more channels than any benchmark makes */

struct chan_total {
	uint64_t id;
	unsigned int kind; /* FS_CHAN_NONE: a free slot */
	uint64_t writes, wbytes, reads, rbytes;
};

static struct chan_total *chan_slot(struct chan_total *t, unsigned int kind, uint64_t id)
{
	size_t i = (size_t)((id * 0x9e3779b97f4a7c15ull + kind) >> 48) % CHAN_SLOTS;

	for (size_t n = 0; n < CHAN_SLOTS; n++, i = (i + 1) % CHAN_SLOTS) {
		if (t[i].kind == FS_CHAN_NONE) {
			t[i].kind = kind;
			t[i].id = id;
		}
		if (t[i].kind == kind && t[i].id == id)
			return &t[i];
	}
	return NULL;
}

/* Successful reads and writes only: the workloads count what their calls returned. */
static int count_ipc(struct chan_total *t, const struct fs_ev_ipc *x)
{
	struct chan_total *c;

	if ((x->op != FS_IPC_READ && x->op != FS_IPC_WRITE) || x->bytes < 0 ||
	    x->chan_kind == FS_CHAN_NONE)
		return 0;
	c = chan_slot(t, x->chan_kind, x->chan);
	if (!c)
		return -ENOSPC;
	if (x->op == FS_IPC_WRITE)
		c->writes++, c->wbytes += (uint64_t)x->bytes;
	else
		c->reads++, c->rbytes += (uint64_t)x->bytes;
	return 0;
}

static void print_totals(const char *path, uint64_t events, const struct fs_log_end *end,
			 const struct chan_total *t)
{
	char name[FS_CHAN_BUF];
	struct stat st;

	if (end && end->events != events)
		fprintf(stderr, "logstat: %s: %llu event lines, but the end line says %llu\n", path,
			(unsigned long long)events, (unsigned long long)end->events);
	printf("read=%llu events=%lld lost=%lld bytes=%lld\n", (unsigned long long)events,
	       end ? (long long)end->events : -1, end ? (long long)end->lost : -1,
	       stat(path, &st) ? -1 : (long long)st.st_size);
	for (size_t i = 0; i < CHAN_SLOTS; i++) {
		if (t[i].kind == FS_CHAN_NONE || fs_chan_format(t[i].kind, t[i].id, name, sizeof(name)) < 0)
			continue;
		printf("chan=%s writes=%llu wbytes=%llu reads=%llu rbytes=%llu\n", name,
		       (unsigned long long)t[i].writes, (unsigned long long)t[i].wbytes,
		       (unsigned long long)t[i].reads, (unsigned long long)t[i].rbytes);
	}
}

int main(int argc, char **argv)
{
	struct chan_total *t = calloc(CHAN_SLOTS, sizeof(*t));
	struct fs_log_reader *r;
	struct fs_event e;
	uint64_t events = 0;
	char err[512];
	int ret = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: logstat LOG\n");
		return 2;
	}
	if (!t || log_reader_open(&r, argv[1], err, sizeof(err))) {
		fprintf(stderr, "logstat: %s\n", t ? err : strerror(ENOMEM));
		return 1;
	}
	while (!ret && (ret = log_reader_next(r, &e, err, sizeof(err))) > 0) {
		events++;
		ret = e.type == FS_EV_IPC ? count_ipc(t, &e.ipc) : 0;
	}
	if (ret < 0)
		fprintf(stderr, "logstat: %s\n", ret == -ENOSPC ? "too many channels" : err);
	else
		print_totals(argv[1], events, log_reader_end(r), t);
	log_reader_close(r);
	free(t);
	return ret < 0;
}
