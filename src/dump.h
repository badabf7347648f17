/* SPDX-License-Identifier: GPL-2.0 */
/* `forkscope dump`: events as aligned, terminal-safe text lines (or re-validated JSON Lines). */
#ifndef FORKSCOPE_DUMP_H
#define FORKSCOPE_DUMP_H

#include <stddef.h>
#include <stdio.h>

struct fs_event;
struct fs_log_header;
struct fs_log_end;
struct fs_log_reader;

/*
 * One line, without '\n', like
 *     "     0.001234 [  877/877  ] bash            fork        child=878 (process)"
 * Time is the event's seconds since the session start. Every byte that a
 * terminal could act on is escaped (\n, \xNN). Returns the length the whole
 * line needs (as snprintf does: a result >= len means it was cut); buf is
 * always NUL-terminated when len > 0.
 */
int dump_event_text(char *buf, size_t len, const struct fs_event *e);

/* The "#" summary lines dump prints before the first and after the last event. */
void dump_print_header(FILE *out, const struct fs_log_header *h);
void dump_print_end(FILE *out, const struct fs_log_end *end);
/* After reading all of r: the one-line warning when the log had no end line (the tracer was cut short). */
void dump_warn_if_truncated(FILE *errout, const struct fs_log_reader *r);
/* The same warning, for a log already read (a replay's, once its TUI is gone). */
void dump_warn_truncated(FILE *errout, const char *name);

/*
 * Prints the log at path ("-" = stdin) to out: a "#" header summary, one
 * line per event and a "#" end summary; with json=1 the validated events
 * again as JSON Lines, written by the log writer itself. Problems go to
 * errout as "forkscope: ...". Returns the exit status: 0, also for a
 * truncated log (after a warning), or 1 for an unreadable or bad log (after
 * everything before the bad line was printed).
 */
int dump_file(const char *path, int json, FILE *out, FILE *errout);

#endif /* FORKSCOPE_DUMP_H */
