/* SPDX-License-Identifier: GPL-2.0 */
/* Where the bundled recordings and lessons are: beside the built binary, or where `make install` put them. */
#ifndef FORKSCOPE_SESSION_FIND_H
#define FORKSCOPE_SESSION_FIND_H

#include <stddef.h>

/*
 * what is "sessions" (examples/sessions in the tree, share/forkscope/sessions
 * installed) or "lessons" (docs/lessons, share/forkscope/lessons). Fills buf
 * with the first that exists: 0, or -ENOENT.
 */
int session_find_dir(const char *what, char *buf, size_t len);

#endif /* FORKSCOPE_SESSION_FIND_H */
