// SPDX-License-Identifier: GPL-2.0
/* `forkscope export`: reads a session log once, filters it and hands every event to one output format. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dump.h"
#include "export.h"
#include "export_filter.h"
#include "export_impl.h"
#include "export_output.h"
#include "export_timeline.h"
#include "log.h"
#include "i18n.h"


static const char export_usage[] = N_(
	"Usage: forkscope export --format FORMAT [OPTIONS] FILE\n"
	"Convert a session log for other tools, or filter it.\n"
	"\n"
	"Formats:\n"
	"  perfetto          Chrome/Perfetto JSON trace: open it in ui.perfetto.dev or chrome://tracing\n"
	"  svg               a timeline picture: one row per process, coloured by state\n"
	"  jsonl             the session log again, validated and filtered\n"
	"  text              one line per event, as 'forkscope dump' prints them\n"
	"\n"
	"Options:\n"
	"  -f, --format FORMAT  the output format (required)\n"
	"  -o, --output OUT     write OUT instead of stdout; it is replaced only if the export succeeds\n"
	"      --pid PID        only PID and the processes it forks, with their children\n"
	"      --type LIST      only these event types, comma separated (fork,exec,exit,reap,state,ipc,...)\n"
	"      --from SECONDS   only what happens from this time on (seconds since the start, 0.25 is fine)\n"
	"      --to SECONDS     only what happens up to this time\n"
	"  -h, --help           this help\n"
	"\n"
	"Exit status: 0 done, 1 an unreadable or bad log, a --pid not in it (or OUT cannot be written),\n"
	"2 usage errors.\n");

static const struct export_format *const formats[] = {
	&export_perfetto, &export_svg, &export_jsonl, &export_text,
};

struct export_opts {
	const struct export_format *fmt;
	const char *in, *out;
	struct export_filter filter;
};

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage_error("export", fmt, arg);
}

static const struct export_format *format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!strcmp(formats[i]->name, name))
			return formats[i];
	}
	return NULL;
}

/* One option into o (a cli_option_fn): CLI_CONTINUE, or the status to stop with. */
static int parse_opt(void *ctx, int c, const char *arg)
{
	struct export_opts *o = ctx;
	char err[128];

	switch (c) {
	case 'f':
		o->fmt = format_find(arg);
		return o->fmt ? CLI_CONTINUE : usage_error("unknown format '%s' (perfetto, svg, jsonl or text)", arg);
	case 'o': o->out = arg; return CLI_CONTINUE;
	case 'p':
		return export_filter_subtree(&o->filter, arg) ? usage_error("--pid takes a process id, not '%s'", arg) : CLI_CONTINUE;
	case 't':
		if (export_filter_types(&o->filter, arg, err, sizeof(err)))
			return usage_error("--type: %s", err);
		return CLI_CONTINUE;
	case 'F':
		return export_parse_seconds(arg, &o->filter.from) ? usage_error("--from takes seconds, not '%s'", arg) : CLI_CONTINUE;
	case 'T':
		return export_parse_seconds(arg, &o->filter.to) ? usage_error("--to takes seconds, not '%s'", arg) : CLI_CONTINUE;
	default: fputs(_(export_usage), stdout); return 0; /* 'h' */
	}
}

static int parse_args(struct export_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },    { "type", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'F' },   { "to", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	int ret = cli_parse(argc, argv, "export", "f:o:h", opts, CLI_PERMUTE, parse_opt, o);

	if (ret != CLI_CONTINUE)
		return ret;
	if (!o->fmt)
		return usage_error("%s", "--format is required (perfetto, svg, jsonl or text)");
	if (argc - optind != 1)
		return usage_error("%s", "export needs exactly one FILE");
	if (o->filter.from > o->filter.to)
		return usage_error("%s", "--from is after --to");
	o->in = argv[optind];
	return CLI_CONTINUE;
}

void export_put_text(FILE *f, const char *s, size_t n, enum export_escape how)
{
	uint32_t cp;
	int k;

	for (size_t i = 0; i < n; i += k) {
		unsigned char c = (unsigned char)s[i];

		k = log_text_char(s + i, n - i, &cp);
		if (k) {
			fwrite(s + i, 1, (size_t)k, f);
			continue;
		}
		k = 1;
		if (c == '\n' || c == '\t')
			fputs(how == EXPORT_JSON ? (c == '\n' ? "\\\\n" : "\\\\t") : (c == '\n' ? "\\n" : "\\t"), f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, how == EXPORT_JSON ? "\\\\x%02x" : "\\x%02x", c);
		else if (how == EXPORT_JSON && (c == '"' || c == '\\'))
			fprintf(f, "\\%c", c);
		else if (how == EXPORT_XML && strchr("&<>\"'", c))
			fputs(c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : "&apos;", f);
		else
			fputc(c, f);
	}
}

struct run {
	struct export_opts *o;
	struct fs_log_reader *r;
	struct export_ctx x;
	void *state;
	uint64_t last_ts;
};

/* Every event through the filter and the timeline to the format; 1 for a bad log, -errno. */
static int run_events(struct run *rn)
{
	const struct export_format *fmt = rn->o->fmt;
	struct export_step st = { 0 };
	struct fs_event e;
	char err[512];
	int ret, kept;

	while ((ret = log_reader_next(rn->r, &e, err, sizeof(err))) > 0) {
		kept = export_filter_event(&rn->o->filter, &e);
		if (rn->x.tl && (ret = export_tl_apply(rn->x.tl, &e, &st)))
			return ret;
		ret = fmt->event(rn->state, &e, kept, &st);
		if (ret)
			return ret;
		if (e.ts > rn->last_ts)
			rn->last_ts = e.ts;
	}
	if (ret < 0) {
		fprintf(stderr, "forkscope: %s\n", err);
		return 1;
	}
	return 0;
}

static int run_format(struct run *rn)
{
	const struct export_format *fmt = rn->o->fmt;
	const struct fs_log_end *end;
	uint64_t t_end;
	int ret;

	rn->x.hdr = log_reader_header(rn->r);
	rn->x.filter = &rn->o->filter;
	if (fmt->timeline && (ret = export_tl_new(&rn->x.tl, rn->x.hdr, &rn->o->filter)))
		return ret;
	ret = fmt->begin(&rn->x, &rn->state);
	if (!ret)
		ret = run_events(rn);
	if (ret)
		return ret;
	end = log_reader_end(rn->r);
	t_end = end && end->duration_ns > rn->last_ts ? end->duration_ns : rn->last_ts;
	if (rn->x.tl && (ret = export_tl_finish(rn->x.tl, t_end, end != NULL)))
		return ret;
	return fmt->finish(rn->state, end, t_end);
}

/* A pid that is not in the log would give an empty picture that looks like a result: 1 then. */
static int check_pid_seen(const struct run *rn)
{
	const struct export_filter *f = &rn->o->filter;

	if (!f->pid || f->pid_seen)
		return 0;
	fprintf(stderr, _("forkscope: no process %u in %s\n"), f->pid, log_reader_name(rn->r));
	return 1;
}

static int export_run(struct export_opts *o)
{
	struct run rn = { .o = o };
	struct export_output out;
	char err[512];
	int ret, cerr;

	if (log_reader_open(&rn.r, o->in, err, sizeof(err))) {
		fprintf(stderr, "forkscope: %s\n", err);
		return 1;
	}
	ret = export_output_open(&out, o->out);
	if (ret) {
		fprintf(stderr, "forkscope: %s: %s\n", o->out, strerror(-ret));
		log_reader_close(rn.r);
		return 1;
	}
	rn.x.out = out.f;
	ret = run_format(&rn);
	if (!ret)
		ret = check_pid_seen(&rn);
	o->fmt->free(rn.state);
	export_tl_free(rn.x.tl);
	if (ret < 0)
		fprintf(stderr, _("forkscope: export: %s\n"), strerror(-ret));
	if (!ret)
		dump_warn_if_truncated(stderr, rn.r);
	log_reader_close(rn.r);
	cerr = export_output_close(&out, ret == 0);
	if (cerr && !ret)
		fprintf(stderr, "forkscope: %s: %s\n", o->out && strcmp(o->out, "-") ? o->out : "stdout", strerror(-cerr));
	return ret || cerr ? 1 : 0;
}

int export_main(int argc, char **argv)
{
	struct export_opts o = { 0 };
	int ret;

	export_filter_init(&o.filter);
	ret = parse_args(&o, argc, argv);
	if (ret == CLI_CONTINUE)
		ret = export_run(&o);
	export_filter_free(&o.filter);
	return ret;
}
