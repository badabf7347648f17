/* SPDX-License-Identifier: GPL-2.0 */
/* Usage errors as every subcommand reports them, and the one switch for messages that are not errors. */
#ifndef FORKSCOPE_CLI_H
#define FORKSCOPE_CLI_H

#include <getopt.h>
#include <stdio.h>

#define EXIT_USAGE 2
/* What an option handler returns to go on parsing; any other value is the status to stop with. */
#define CLI_CONTINUE (-1)

/* One option (getopt's c and optarg) for ctx: CLI_CONTINUE, or the status to stop with. */
typedef int cli_option_fn(void *ctx, int c, const char *arg);

/* Where a subcommand's options may be: anywhere before "--", or only before its first operand. */
enum cli_order { CLI_PERMUTE, CLI_IN_ORDER };

/*
 * The options every subcommand takes besides its own (-q, --lang, ...), as main handles them:
 * cli_parse offers them everywhere, so "forkscope dump -q F" is "forkscope -q dump F".
 * Their values (val, and the letters of shorts) must differ from every subcommand's own.
 */
void cli_set_global_options(const struct option *longs, const char *shorts, cli_option_fn *fn);

/*
 * getopt_long over argv (argv[0] is the (sub)command) with a fresh state: the command's own
 * options (shorts without a leading ':' or '+', longs ending in a zero entry) go to fn with ctx,
 * the global ones to theirs, a bad one is reported for cmd (NULL: the top level). Returns
 * CLI_CONTINUE with optind at the first operand, or the status to stop with.
 */
int cli_parse(int argc, char **argv, const char *cmd, const char *shorts, const struct option *longs,
	      enum cli_order order, cli_option_fn *fn, void *ctx);

/* Prints "forkscope: [CMD: ]FMT(arg)" and the help hint; returns EXIT_USAGE. cmd may be NULL. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

/*
 * For getopt_long's '?' or ':' (opterr = 0, optstring starting with ':' after any '+'):
 * names the option at fault. Returns EXIT_USAGE.
 */
int cli_option_error(const char *cmd, int c, char **argv);

/* -q: from now on cli_info prints nothing. Errors do not go through cli_info and always print. */
void cli_set_quiet(int quiet);

/*
 * A message that is not an error (a warning, a summary): printed to f unless -q was given.
 * Every such message goes through here, so -q has one place that decides.
 */
__attribute__((format(printf, 2, 3)))
void cli_info(FILE *f, const char *fmt, ...);

#endif
