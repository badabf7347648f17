/* SPDX-License-Identifier: GPL-2.0 */
/* `replay --headless`: a log through the replay source, the model and the narration at full speed, as text. */
#ifndef FORKSCOPE_REPLAY_HEADLESS_H
#define FORKSCOPE_REPLAY_HEADLESS_H

#include <stdio.h>

/*
 * Replays the log at path ("-" = stdin) with no terminal: each event is read,
 * applied to a session's model as the TUI's replay applies it, and its
 * narration (the sentence of the TUI's event log, made terminal-safe the way
 * the TUI draws it) printed to out after its time; then a "#" line with the
 * model's final state. Problems go to errout, as dump's do: a truncated log
 * gets a warning, a bad line stops the replay after every complete event
 * before it. Returns the exit status: 0, or 1 for an unreadable or bad log.
 */
int replay_headless(const char *path, FILE *out, FILE *errout);

#endif /* FORKSCOPE_REPLAY_HEADLESS_H */
