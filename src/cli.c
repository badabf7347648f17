// SPDX-License-Identifier: GPL-2.0
/* Usage errors as every subcommand reports them: one forkscope line, then where help is. */
#include <getopt.h>
#include <stdio.h>
#include "cli.h"
#include "i18n.h"

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
