/* SPDX-License-Identifier: GPL-2.0 */
/* Usage errors as every subcommand reports them: one forkscope line, then where help is. */
#ifndef FORKSCOPE_CLI_H
#define FORKSCOPE_CLI_H

#define EXIT_USAGE 2

/* Prints "forkscope: [CMD: ]FMT(arg)" and the help hint; returns EXIT_USAGE. cmd may be NULL. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

/*
 * For getopt_long's '?' or ':' (opterr = 0, optstring starting with ':' after any '+'):
 * names the option at fault. Returns EXIT_USAGE.
 */
int cli_option_error(const char *cmd, int c, char **argv);

#endif
