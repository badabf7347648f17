/* SPDX-License-Identifier: GPL-2.0 */
/* What every event source hands its events to. */
#ifndef FORKSCOPE_SOURCE_H
#define FORKSCOPE_SOURCE_H

#include "event.h"

/* Every source hands events to one of these; a non-zero return stops the drain. */
typedef int (*fs_sink_fn)(const struct fs_event *e, void *ctx);

#endif
