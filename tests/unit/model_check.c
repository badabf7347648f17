// SPDX-License-Identifier: GPL-2.0
/*
 * Not a unit test but a tool for tests/stress.bats: replays a session log
 * through the model as a replay session does, and prints what the model
 * concluded, so a test can compare it with what the workload itself saw.
 *
 *   model_check [--forget NS] LOG [PID...]
 *
 * prints "events=N anomalies=N lost=N live=N zombies=N held=N peak_live=N
 * peak_held=N", then one line per PID about its last incarnation. Tombs
 * reaped more than NS ago (default 60 s, as a session) are forgotten on
 * the way. The first events the model found contradictory go to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "log.h"
#include "model.h"

struct stats {
	unsigned long events, anomalies;
	size_t peak_live, peak_held;
};

static void apply_one(struct fs_model *m, const struct fs_event *e, uint64_t forget_ns,
		      struct stats *st)
{
	char line[1024];

	if (model_apply(m, e) == -EINVAL && st->anomalies++ < 10) {
		dump_event_text(line, sizeof(line), e);
		fprintf(stderr, "model_check: contradicts the model: %s\n", line);
	}
	if (model_live_count(m) > st->peak_live)
		st->peak_live = model_live_count(m);
	if (model_proc_count(m) > st->peak_held)
		st->peak_held = model_proc_count(m);
	if (++st->events % 256 == 0 && model_now(m) > forget_ns)
		model_forget_tombs_before(m, model_now(m) - forget_ns);
}

static void print_proc(const struct fs_model *m, uint32_t pid)
{
	const struct model_proc *p = model_find(m, pid);

	if (!p) {
		printf("pid=%u unknown\n", pid);
		return;
	}
	printf("pid=%u ppid=%u orig_ppid=%u state=%s code=%u sig=%u reaper=%u auto=%u threads=%u "
	       "uncertain=%u unseen=%u exec=%s\n",
	       p->pid, p->ppid, p->orig_ppid, model_state_name(p->state), p->exit_code, p->exit_sig,
	       p->reaper, p->autoreaped, p->nthreads, p->uncertain, p->born_unseen,
	       p->image ? p->image->filename : "-");
}

int main(int argc, char **argv)
{
	uint64_t forget_ns = 60000000000ull;
	struct stats st = { 0 };
	struct fs_log_reader *r;
	struct fs_model *m;
	struct fs_event e;
	char err[512];
	int i = 1, ret;

	if (argc > 2 && !strcmp(argv[1], "--forget")) {
		forget_ns = strtoull(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc || !(m = model_new())) {
		fprintf(stderr, "usage: model_check [--forget NS] LOG [PID...]\n");
		return 2;
	}
	if (log_reader_open(&r, argv[i], err, sizeof(err))) {
		fprintf(stderr, "model_check: %s\n", err);
		return 1;
	}
	model_seed_root(m, log_reader_header(r)->root_pid, log_reader_header(r)->tracer_pid, 0);
	while ((ret = log_reader_next(r, &e, err, sizeof(err))) > 0)
		apply_one(m, &e, forget_ns, &st);
	if (ret < 0)
		fprintf(stderr, "model_check: %s\n", err);
	printf("events=%lu anomalies=%lu lost=%llu live=%zu zombies=%zu held=%zu peak_live=%zu "
	       "peak_held=%zu\n", st.events, st.anomalies, (unsigned long long)model_lost(m),
	       model_live_count(m), model_zombie_count(m), model_proc_count(m), st.peak_live,
	       st.peak_held);
	while (++i < argc)
		print_proc(m, (uint32_t)strtoul(argv[i], NULL, 10));
	log_reader_close(r);
	model_free(m);
	return ret < 0;
}
