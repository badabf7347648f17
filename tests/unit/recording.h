/* SPDX-License-Identifier: GPL-2.0 */
/* The bundled recordings, for the tests of what follows a session (lesson_bind, lesson_quiz). */
#ifndef FORKSCOPE_RECORDING_H
#define FORKSCOPE_RECORDING_H
#include <stdio.h>
#include "source_replay.h"

static const char *const recordings[] = { "file", "fork", "mqueue", "orphan", "pipe", "pool", "process", "queue",
					  "semaphore", "shm", "signal", "socket", "states", "subprocess", "tour", "zombie" };

/* examples/sessions/NAME.jsonl stored in a new session, nothing applied yet; NULL (said on stderr) if it cannot be. */
static struct session *recording_load(const char *name)
{
	struct replay_info info;
	struct session *s;
	char path[128], err[256];

	snprintf(path, sizeof(path), "examples/sessions/%s.jsonl", name);
	if (session_new(&s))
		return NULL;
	if (replay_load(s, path, &info, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", path, err);
		session_free(s);
		return NULL;
	}
	return s;
}

#endif
