/* SPDX-License-Identifier: GPL-2.0 */
/* Usage errors as every subcommand reports them, and the one switch for messages that are not errors. */
#ifndef FORKSCOPE_CLI_H
#define FORKSCOPE_CLI_H

#include <stdio.h>

#define EXIT_USAGE 2

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
