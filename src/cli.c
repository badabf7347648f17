// SPDX-License-Identifier: GPL-2.0
/* Usage errors as every subcommand reports them, and the one switch for messages that are not errors. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include "cli.h"
#include "i18n.h"

static int quiet;

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
