// SPDX-License-Identifier: GPL-2.0
/* Usage errors as every subcommand reports them, and the one switch for messages that are not errors. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"

#define CLI_MAX_OPTIONS 32

static int quiet;
static const struct option *global_longs;
static const char *global_shorts = "";
static cli_option_fn *global_fn;

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "forkscope: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	fprintf(stderr, _(fmt), arg);
	fprintf(stderr, _("\nTry 'forkscope %s%s--help' for more information.\n"), cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

int cli_option_error(const char *cmd, int c, char **argv)
{
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' requires an argument", argv[optind - 1]);
	return cli_usage_error(cmd, "invalid option '%s'", argv[optind - 1]);
}

void cli_set_global_options(const struct option *longs, const char *shorts, cli_option_fn *fn)
{
	global_longs = longs;
	global_shorts = shorts;
	global_fn = fn;
}

/* The command's long options followed by the global ones, in one table for getopt_long. */
static const struct option *merged_longs(const struct option *longs)
{
	static struct option all[CLI_MAX_OPTIONS];
	size_t n = 0;

	for (; longs->name && n < CLI_MAX_OPTIONS - 1; longs++)
		all[n++] = *longs;
	for (longs = global_longs; longs && longs->name && n < CLI_MAX_OPTIONS - 1; longs++)
		all[n++] = *longs;
	all[n] = (struct option){ 0 };
	return all;
}

static int is_global(int c)
{
	for (const struct option *o = global_longs; o && o->name; o++) {
		if (o->val == c)
			return 1;
	}
	return c > 0 && c < 256 && strchr(global_shorts, c);
}

int cli_parse(int argc, char **argv, const char *cmd, const char *shorts, const struct option *longs,
	      enum cli_order order, cli_option_fn *fn, void *ctx)
{
	const struct option *all = merged_longs(longs);
	char optstring[64];
	int c, ret;

	snprintf(optstring, sizeof(optstring), "%s:%s%s", order == CLI_IN_ORDER ? "+" : "", shorts,
		 global_shorts);
	opterr = 0;
	optind = 0; /* a full reset: the ordering is read again, and nothing of an earlier parse stays */
	while ((c = getopt_long(argc, argv, optstring, all, NULL)) != -1) {
		if (c == '?' || c == ':')
			return cli_option_error(cmd, c, argv);
		ret = is_global(c) ? global_fn(NULL, c, optarg) : fn(ctx, c, optarg);
		if (ret != CLI_CONTINUE)
			return ret;
	}
	return CLI_CONTINUE;
}

void cli_set_quiet(int q)
{
	quiet = q;
}

void cli_info(FILE *f, const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}
