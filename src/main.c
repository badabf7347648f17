// SPDX-License-Identifier: GPL-2.0
/* forkscope's command line: parses options and hands each subcommand to its module. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "demo_path.h"
#include "demo_table.h"
#include "dump.h"
#include "record.h"

#ifndef FS_VERSION
#define FS_VERSION "0.0.0"
#endif

#define EXIT_USAGE 2

static const char usage_text[] =
	"Usage: forkscope [-v] COMMAND [OPTIONS] [ARGS]\n"
	"Watch a process tree live with eBPF: fork, exec, exit, reaping, scheduler states and IPC.\n"
	"Only the tree forkscope starts is traced, never anything outside it.\n"
	"\n"
	"Commands:\n"
	"  record [-o FILE] [--] CMD [ARGS...]  run CMD, trace its tree, write the session log\n"
	"  record [-o FILE] --demo NAME [-- DEMO-ARGS...]\n"
	"                                       the same for a bundled demo\n"
	"  demo --list                          list the bundled demos\n"
	"  demo NAME [-o FILE] [-- DEMO-ARGS]   run a demo, narrating its events as they happen\n"
	"  dump [--json] FILE                   print a session log, one event a line\n"
	"\n"
	"Record options:\n"
	"  -o, --output FILE   the log (JSON Lines; - for stdout); default forkscope-DATE-TIME.jsonl\n"
	"  -f, --force         replace FILE if it exists\n"
	"  -p, --print         also narrate every event on stderr as it happens\n"
	"      --as-root       run the command as root even under sudo (default: as the sudo user)\n"
	"      --ring-mb N     ring buffer size in MiB, a power of two (default 8)\n"
	"\n"
	"  -v, --verbose       show libbpf's messages\n"
	"  -h, --help          this help\n"
	"  -V, --version       the version\n"
	"\n"
	"Tracing needs root (or CAP_BPF and CAP_PERFMON) and a kernel with BTF; dump does not.\n"
	"Exit status: the traced command's (128+N if a signal N killed it), 126/127 when it cannot\n"
	"be executed or found, 1 for forkscope's own errors, 2 for usage errors.\n";

static int verbose;

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "forkscope: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'forkscope --help' for more information.\n");
	return EXIT_USAGE;
}

static char *default_log_name(void)
{
	static char name[64];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(name, sizeof(name), "forkscope-%Y%m%d-%H%M%S.jsonl", &tm);
	return name;
}

/* argv for a demo: its binary, then the arguments meant for it. */
static char **demo_argv(const char *name, char **args, int nargs)
{
	static char path[PATH_MAX];
	char **argv;

	if (!demo_find(name) || demo_path(name, path, sizeof(path))) {
		fprintf(stderr, "forkscope: no demo called '%s' (see 'forkscope demo --list')\n", name);
		return NULL;
	}
	argv = calloc((size_t)nargs + 2, sizeof(*argv));
	if (!argv)
		return NULL;
	argv[0] = path;
	memcpy(argv + 1, args, (size_t)nargs * sizeof(*argv));
	return argv;
}

static int parse_ring(const char *s, size_t *bytes)
{
	char *end;
	unsigned long mb = strtoul(s, &end, 10);

	if (*end || mb == 0 || mb > 1024 || (mb & (mb - 1)))
		return -1;
	*bytes = (size_t)mb << 20;
	return 0;
}

static int list_demos(void)
{
	size_t n, i;
	const struct fs_demo *d = demo_table(&n);

	for (i = 0; i < n; i++)
		printf("%-11s %s\n", d[i].name, d[i].summary);
	return 0;
}

/* record and demo share these options; demo names its demo as the first operand. */
static int cmd_record(int argc, char **argv, int is_demo)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'f' },
		{ "print", no_argument, NULL, 'p' },        { "demo", required_argument, NULL, 'd' },
		{ "as-root", no_argument, NULL, 'R' },      { "ring-mb", required_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },         { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct record_opts o = { .out = is_demo ? NULL : default_log_name(), .print = is_demo };
	const char *demo = NULL;
	int c, status;

	for (;;) {
		c = getopt_long(argc, argv, "+o:fph", opts, NULL);
		if (c == -1 && is_demo && !demo && optind < argc && strcmp(argv[optind - 1], "--")) {
			demo = argv[optind++]; /* demo NAME: options may follow the name too */
			continue;
		}
		if (c == -1)
			break;
		switch (c) {
		case 'o': o.out = optarg; break;
		case 'f': o.force = 1; break;
		case 'p': o.print = 1; break;
		case 'd': demo = optarg; break;
		case 'R': o.as_root = 1; break;
		case 'r':
			if (parse_ring(optarg, &o.ring_bytes))
				return usage_error("--ring-mb takes a power of two from 1 to 1024, not '%s'", optarg);
			break;
		case 'l': return list_demos();
		case 'h': fputs(usage_text, stdout); return 0;
		default: return usage_error("%s", "invalid option");
		}
	}
	if (is_demo && !demo)
		return usage_error("%s", "demo needs a NAME or --list");
	if (demo) {
		o.argv = demo_argv(demo, argv + optind, argc - optind);
		if (!o.argv)
			return 1;
	} else if (optind < argc) {
		o.argv = argv + optind;
	} else {
		return usage_error("%s", "record needs a command to run (or --demo NAME)");
	}
	o.verbose = verbose;
	status = record_run(&o);
	if (demo)
		free(o.argv);
	return status;
}

static int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: return usage_error("%s", "invalid option");
		}
	}
	if (argc - optind != 1)
		return usage_error("%s", "dump needs exactly one FILE");
	return dump_file(argv[optind], json, stdout, stderr);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 },
	};
	const char *cmd;
	int c;

	while ((c = getopt_long(argc, argv, "+vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'v': verbose = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V': printf("forkscope %s\n", FS_VERSION); return 0;
		default: return usage_error("%s", "invalid option");
		}
	}
	if (optind >= argc)
		return usage_error("%s", "missing COMMAND");
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 1;
	if (!strcmp(cmd, "record"))
		return cmd_record(argc, argv, 0);
	if (!strcmp(cmd, "demo"))
		return cmd_record(argc, argv, 1);
	if (!strcmp(cmd, "dump"))
		return cmd_dump(argc, argv);
	return usage_error("unknown command '%s'", cmd);
}
