// SPDX-License-Identifier: GPL-2.0
/* forkscope's command line: parses options and hands each subcommand to its module. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "demo_path.h"
#include "demo_table.h"
#include "dump.h"
#include "export.h"
#include "i18n.h"
#include "lesson_print.h"
#include "record.h"
#include "replay_headless.h"
#include "tui.h"
#include "ui.h"

#ifndef FS_VERSION
#define FS_VERSION "0.0.0"
#endif

static const char usage_text[] = N_(
	"Usage: forkscope [-q|-v] [--color=WHEN] [COMMAND [OPTIONS] [ARGS]]\n"
	"Watch a process tree live with eBPF: fork, exec, exit, reaping, scheduler states and IPC.\n"
	"Only the tree forkscope starts (or attaches to) is traced, never anything outside it.\n"
	"\n"
	"Commands:\n"
	"  (none)                               the demo menu: live demos as root, else their recordings\n"
	"  run [-o FILE] [--] CMD [ARGS...]     run CMD in the TUI, traced live (optionally recorded)\n"
	"  run --pid PID [-o FILE]              the same for a running process and its descendants\n"
	"  run --cgroup PATH | --unit NAME      the same for every process of a cgroup or a unit\n"
	"  demo NAME [-o FILE] [-- DEMO-ARGS]   the same for a bundled demo, with its lesson\n"
	"  run|demo --step[=LIST] ...           the same, the tree frozen at each breakpoint\n"
	"  demo --list                          list the bundled demos\n"
	"  replay FILE [--speed X]              a recorded session in the TUI; no root needed\n"
	"  replay --headless FILE               the same without a terminal, at full speed: each\n"
	"                                       event's narration, then the model's final state\n"
	"  record [-o FILE] [--] CMD [ARGS...]  run CMD, trace its tree, write the session log\n"
	"  record [-o FILE] --demo NAME [-- DEMO-ARGS...]\n"
	"                                       the same for a bundled demo\n"
	"  record [-o FILE] --pid PID           trace a running process and its descendants from now\n"
	"  record [-o FILE] --cgroup PATH       trace every process of a cgroup v2 from now\n"
	"  record [-o FILE] --unit NAME         the same for a systemd unit's cgroup\n"
	"  dump [--json] FILE                   print a session log, one event a line\n"
	"  lesson NAME FILE                     a demo's lesson as text, with the pids and values\n"
	"                                       of the recorded session FILE\n"
	"  export --format FMT [OPTIONS] FILE   a log for Perfetto, as SVG, or filtered (export --help)\n"
	"\n"
	"run, demo and record options:\n"
	"  -o, --output FILE   the log (JSON Lines; - for stdout); record's default is\n"
	"                      forkscope-DATE-TIME[-N].jsonl, run and demo write none unless asked\n"
	"  -f, --force         replace FILE if it exists\n"
	"  -p, --print         narrate every event on stderr as it happens (run and demo do so,\n"
	"                      without the TUI, when they have no terminal)\n"
	"      --as-root       run the command as root even under sudo (default: as the sudo user)\n"
	"      --ring-mb N     ring buffer size in MiB, a power of two (default 8)\n"
	"      --umask MASK    create the log with mode 0644 less MASK (octal; default: your umask)\n"
	"      --pid PID       attach to a running process instead of starting one: its tree as\n"
	"                      /proc shows it is marked already running; you must be allowed to\n"
	"                      ptrace PID (the rule of strace -p); Ctrl-C detaches, the tree runs on\n"
	"      --cgroup PATH   attach to a cgroup v2 instead (absolute, or relative to the v2 mount):\n"
	"                      its processes and those of the cgroups below it, and every process\n"
	"                      that enters it later; one that is moved out is reported leaving;\n"
	"                      ends once it has been emptied or removed; you must own PATH\n"
	"      --unit NAME     the same for a systemd unit (NAME.service unless NAME has a suffix),\n"
	"                      by systemd's cgroup for it, or without systemd by its directory\n"
	"      --no-bpf        trace without eBPF: the proc connector and /proc samples (fork,\n"
	"                      exec, exit, reap and states only; needs root for the connector)\n"
	"      --step[=LIST]   run and demo: stop the whole tree at each breakpoint, a comma list\n"
	"                      of fork, exec, exit, mark (default: all four); s goes on. Frozen\n"
	"                      with the cgroup v2 freezer (the command gets a cgroup of its own),\n"
	"                      else with SIGSTOP; frozen time is left out of the session's times\n"
	"      --predict       run and demo: ask the lesson's questions from the start, the tree\n"
	"                      frozen at each (p turns them on and off)\n"
	"\n"
	"replay options:\n"
	"  -s, --speed X       start at X times the recorded speed (default 1)\n"
	"      --headless      no TUI: print what the TUI's event log would say, one event a\n"
	"                      line, and a summary of the model (for scripts, CI, memory checks)\n"
	"\n"
	"Every command, and forkscope before it, takes these (options go anywhere before --;\n"
	"for run and record, CMD starts at the first operand and the rest is its own):\n"
	"      --lang zh|en    the language of forkscope's text (default: from LANG/LANGUAGE)\n"
	"      --color=WHEN    colours in the TUI (text output has none): auto (default: unless\n"
	"                      NO_COLOR is set), always (even then), never\n"
	"  -q, --quiet         no warnings or other messages that are not errors (errors and\n"
	"                      -p's narration still print); of -q and -v the later one counts\n"
	"  -v, --verbose       show libbpf's messages\n"
	"  -h, --help          this help\n"
	"  -V, --version       the version\n"
	"\n"
	"In the TUI, ? shows every key. Tracing needs root (or CAP_BPF and CAP_PERFMON) and a kernel\n"
	"with BTF; replay and dump do not.\n"
	"Exit status: the traced command's (128+N if a signal N killed it), 126/127 when it cannot\n"
	"be executed or found, 0 after --pid, --cgroup or --unit, 1 for forkscope's own errors,\n"
	"2 for usage errors.\n");

static int verbose;

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage_error(NULL, fmt, arg);
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

/*
 * argv for a demo in *out: its binary, then the arguments meant for it. 0, EXIT_USAGE for a
 * name that is no demo (a bad argument, as the man page's EXIT STATUS says), or 1.
 */
static int demo_argv(const char *name, char **args, int nargs, char ***out)
{
	static char path[PATH_MAX];
	char **argv;

	if (!demo_find(name)) {
		fprintf(stderr, _("forkscope: no demo called '%s' (see 'forkscope demo --list')\n"), name);
		return EXIT_USAGE;
	}
	if (demo_path(name, path, sizeof(path))) {
		fprintf(stderr, _("forkscope: the demo '%s' is neither built nor installed\n"), name);
		return 1;
	}
	argv = calloc((size_t)nargs + 2, sizeof(*argv));
	if (!argv)
		return 1;
	argv[0] = path;
	memcpy(argv + 1, args, (size_t)nargs * sizeof(*argv));
	*out = argv;
	return 0;
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
		printf("%-11s %s\n", d[i].name, _(d[i].summary));
	return 0;
}

enum cmd { CMD_RECORD, CMD_DEMO, CMD_RUN };

static int has_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* run and demo open the TUI on a terminal; without one (or with -p) they narrate like record -p. */
static int run_command(struct record_opts *o, const char *demo, enum cmd cmd, int print, int predict)
{
	struct ui_live_opts u = {
		.argv = o->argv, .demo = demo, .out = o->out, .force = o->force,
		.as_root = o->as_root, .verbose = verbose, .ring_bytes = o->ring_bytes, .no_bpf = o->no_bpf,
		.log_umask = o->log_umask, .attach = o->attach, .cgroup = o->cgroup, .unit = o->unit,
		.step = o->step, .predict = predict,
	};

	o->verbose = verbose;
	if ((o->step || predict) && (cmd == CMD_RECORD || print || !has_terminal()))
		return usage_error("%s", cmd == CMD_RECORD ? _("--step and --predict need the TUI: use run or demo")
							     : _("--step and --predict need the TUI, on a terminal (not -p)"));
	if (cmd == CMD_RECORD || print || !has_terminal())
		return record_run(o);
	/* the TUI draws on stdout (tui_init wants it to be the terminal): a log there would scribble on it */
	if (o->out && !strcmp(o->out, "-"))
		return usage_error("%s",
				   _("-o - would write the log over the TUI's screen: name a file (or use record -o -)"));
	return ui_live(&u);
}

static int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v <= 0 || v > INT32_MAX)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

/* record/run --pid, --cgroup, --unit: nothing to start, so neither a command nor a demo; BPF only. */
static int attach_command(struct record_opts *o, const char *demo, int operands, enum cmd cmd, int print)
{
	int targets = (o->attach != 0) + (o->cgroup != NULL) + (o->unit != NULL);

	if (targets > 1)
		return usage_error("%s", _("give one of --pid, --cgroup and --unit"));
	if (o->attach && (demo || operands > 0))
		return usage_error("%s", _("--pid traces a running process: give no command or demo"));
	if (demo || operands > 0)
		return usage_error("%s", _("--cgroup and --unit trace running processes: give no command or demo"));
	if (o->step)
		return usage_error("%s", _("--step stops a tree forkscope started: not with --pid, --cgroup or --unit"));
	if (o->no_bpf)
		return usage_error("%s", o->attach ? _("--pid needs BPF (--no-bpf cannot attach)")
						   : _("--cgroup and --unit need BPF (--no-bpf cannot select by cgroup)"));
	return run_command(o, NULL, cmd, print, 0);
}

static int parse_umask(const char *s, int *mask)
{
	char *end;
	unsigned long v = strtoul(s, &end, 8);

	if (!*s || *end || v > 0777)
		return -1;
	*mask = (int)v;
	return 0;
}

/* --step's LIST: fork, exec, exit, mark, comma-separated, as a bit per event type; NULL: all. */
static int parse_step(const char *s, uint32_t *kinds)
{
	static const struct { const char *name; uint32_t type; } names[] = {
		{ "fork", FS_EV_FORK }, { "exec", FS_EV_EXEC }, { "exit", FS_EV_EXIT }, { "mark", FS_EV_MARK },
	};
	const char *p = s ? s : "fork,exec,exit,mark";

	*kinds = 0;
	while (*p) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n && !strncmp(p, names[i].name, n))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return -1;
		*kinds |= 1u << names[i].type;
		p += n + (p[n] == ',');
	}
	return *kinds ? 0 : -1;
}

/* What record, demo and run's options say, while they are parsed. */
struct record_args {
	struct record_opts o;
	const char *demo;
	int print;
	int predict;
};

static int record_option(void *ctx, int c, const char *arg)
{
	struct record_args *a = ctx;

	switch (c) {
	case 'o': a->o.out = (char *)arg; a->o.out_numbered = 0; break;
	case 'f': a->o.force = 1; break;
	case 'p': a->o.print = a->print = 1; break;
	case 'd': a->demo = arg; break;
	case 'R': a->o.as_root = 1; break;
	case 'N': a->o.no_bpf = 1; break;
	case 'P':
		if (parse_pid(arg, &a->o.attach))
			return usage_error("--pid takes a process id, not '%s'", arg);
		break;
	case 'G': a->o.cgroup = arg; break;
	case 'S': a->o.unit = arg; break;
	case 'Q': a->predict = 1; break;
	case 'T':
		if (parse_step(arg, &a->o.step))
			return usage_error("--step takes a comma list of fork, exec, exit and mark, not '%s'", arg);
		break;
	case 'U':
		if (parse_umask(arg, &a->o.log_umask))
			return usage_error("--umask takes an octal mask such as 022 or 077, not '%s'", arg);
		break;
	case 'r':
		if (parse_ring(arg, &a->o.ring_bytes))
			return usage_error("--ring-mb takes a power of two from 1 to 1024, not '%s'", arg);
		break;
	case 'l': return list_demos();
	default: fputs(_(usage_text), stdout); return 0; /* 'h' */
	}
	return CLI_CONTINUE;
}

/* record, demo and run share these options; demo names its demo as the first operand. */
static int cmd_record(int argc, char **argv, enum cmd cmd)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'f' },
		{ "print", no_argument, NULL, 'p' },        { "demo", required_argument, NULL, 'd' },
		{ "as-root", no_argument, NULL, 'R' },      { "ring-mb", required_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },         { "help", no_argument, NULL, 'h' },
		{ "no-bpf", no_argument, NULL, 'N' },       { "umask", required_argument, NULL, 'U' },
		{ "pid", required_argument, NULL, 'P' },     { "cgroup", required_argument, NULL, 'G' },
		{ "unit", required_argument, NULL, 'S' },    { "step", optional_argument, NULL, 'T' },
		{ "predict", no_argument, NULL, 'Q' },
		{ NULL, 0, NULL, 0 },
	};
	struct record_args a = { .o = { .out = cmd == CMD_RECORD ? default_log_name() : NULL,
					.out_numbered = cmd == CMD_RECORD, .print = cmd != CMD_RECORD,
					.log_umask = -1 } };
	struct record_opts *o = &a.o;
	/* run and record: the command starts at the first operand, so that its options (and any --
	 * among them) stay its own, as with strace and sudo; demo NAME takes options either side */
	int status = cli_parse(argc, argv, NULL, "o:fph", opts, cmd == CMD_DEMO ? CLI_PERMUTE : CLI_IN_ORDER,
			       record_option, &a);

	if (status != CLI_CONTINUE)
		return status;
	if (cmd == CMD_DEMO && !a.demo && optind < argc)
		a.demo = argv[optind++]; /* demo NAME */
	if (cmd == CMD_DEMO && !a.demo)
		return usage_error("%s", _("demo needs a NAME or --list"));
	if ((o->attach || o->cgroup || o->unit) && a.predict)
		return usage_error("%s", _("--predict asks a demo's lesson: not with --pid, --cgroup or --unit"));
	if (o->attach || o->cgroup || o->unit)
		return attach_command(o, a.demo, argc - optind, cmd, a.print);
	if (a.demo) {
		status = demo_argv(a.demo, argv + optind, argc - optind, &o->argv);
		if (status)
			return status;
	} else if (optind < argc) {
		o->argv = argv + optind;
	} else {
		return usage_error("%s", cmd == CMD_RUN ? _("run needs a command to run") :
					 _("record needs a command to run (or --demo NAME)"));
	}
	status = run_command(o, a.demo, cmd, a.print, a.predict);
	if (a.demo)
		free(o->argv);
	return status;
}

struct replay_args {
	double speed; /* 0: not given */
	int headless;
};

static int replay_option(void *ctx, int c, const char *arg)
{
	struct replay_args *a = ctx;
	char *end;

	switch (c) {
	case 's':
		a->speed = strtod(arg, &end);
		if (*end || !(a->speed >= 1.0 / 64 && a->speed <= 256))
			return usage_error("--speed takes a number from 0.015625 to 256, not '%s'", arg);
		return CLI_CONTINUE;
	case 'H': a->headless = 1; return CLI_CONTINUE;
	default: fputs(_(usage_text), stdout); return 0; /* 'h' */
	}
}

static int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "speed", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' },
		{ "headless", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_args a = { 0 };
	int status = cli_parse(argc, argv, NULL, "s:h", opts, CLI_PERMUTE, replay_option, &a);

	if (status != CLI_CONTINUE)
		return status;
	if (a.headless && a.speed)
		return usage_error("%s", _("--headless replays at full speed: --speed has no meaning with it"));
	if (argc - optind != 1)
		return usage_error("%s", _("replay needs exactly one FILE"));
	if (a.headless)
		return replay_headless(argv[optind], stdout, stderr);
	return ui_replay(argv[optind], a.speed ? a.speed : 1.0);
}

static int dump_option(void *ctx, int c, const char *arg)
{
	(void)arg;
	if (c == 'j') {
		*(int *)ctx = 1;
		return CLI_CONTINUE;
	}
	fputs(_(usage_text), stdout); /* 'h' */
	return 0;
}

static int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0;
	int status = cli_parse(argc, argv, NULL, "jh", opts, CLI_PERMUTE, dump_option, &json);

	if (status != CLI_CONTINUE)
		return status;
	if (argc - optind != 1)
		return usage_error("%s", _("dump needs exactly one FILE"));
	return dump_file(argv[optind], json, stdout, stderr);
}

static int help_option(void *ctx, int c, const char *arg)
{
	(void)ctx, (void)c, (void)arg; /* 'h' */
	fputs(_(usage_text), stdout);
	return 0;
}

static int cmd_lesson(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int status = cli_parse(argc, argv, NULL, "h", opts, CLI_PERMUTE, help_option, NULL);

	if (status != CLI_CONTINUE)
		return status;
	if (argc - optind != 2)
		return usage_error("%s", _("lesson needs a NAME and a FILE"));
	return lesson_print(argv[optind], argv[optind + 1], stdout, stderr);
}

/* The options of every command, the top level's and each subcommand's alike. */
static int global_option(void *ctx, int c, const char *arg)
{
	(void)ctx;
	switch (c) {
	/* the later of -q and -v wins, so that an alias with one can be overridden */
	case 'q': verbose = 0; cli_set_quiet(1); break;
	case 'v': verbose = 1; cli_set_quiet(0); break;
	case 'L':
		if (i18n_init(arg))
			return usage_error("--lang takes zh or en, not '%s'", arg);
		break;
	default: /* 'C' */
		if (tui_set_color(arg))
			return usage_error("--color takes auto, always or never, not '%s'", arg);
		break;
	}
	return CLI_CONTINUE;
}

static int top_option(void *ctx, int c, const char *arg)
{
	(void)ctx;
	(void)arg;
	if (c == 'V')
		printf("forkscope %s\n", FS_VERSION);
	else
		fputs(_(usage_text), stdout); /* 'h' */
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option globals[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "lang", required_argument, NULL, 'L' },
		{ "quiet", no_argument, NULL, 'q' },   { "color", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd;
	int status;

	i18n_init(NULL);
	cli_set_global_options(globals, "qv", global_option);
	status = cli_parse(argc, argv, NULL, "hV", opts, CLI_IN_ORDER, top_option, NULL);
	if (status != CLI_CONTINUE)
		return status;
	if (optind >= argc)
		return has_terminal() ? ui_menu(verbose) : usage_error("%s", _("missing COMMAND (the menu needs a terminal)"));
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (!strcmp(cmd, "record"))
		return cmd_record(argc, argv, CMD_RECORD);
	if (!strcmp(cmd, "demo"))
		return cmd_record(argc, argv, CMD_DEMO);
	if (!strcmp(cmd, "run"))
		return cmd_record(argc, argv, CMD_RUN);
	if (!strcmp(cmd, "replay"))
		return cmd_replay(argc, argv);
	if (!strcmp(cmd, "export"))
		return export_main(argc, argv);
	if (!strcmp(cmd, "dump"))
		return cmd_dump(argc, argv);
	if (!strcmp(cmd, "lesson"))
		return cmd_lesson(argc, argv);
	return usage_error("unknown command '%s'", cmd);
}
