// SPDX-License-Identifier: GPL-2.0
/* The table of bundled demos, built from the list the demos themselves use (examples/demo_list.h). */
#include <string.h>

#include "demo_table.h"
#include "../examples/demo_list.h"

#define DEMO_ENTRY(name, summary) {name, summary},

static const struct fs_demo demos[] = {DEMO_LIST(DEMO_ENTRY)};

const struct fs_demo *demo_table(size_t *count)
{
	*count = sizeof(demos) / sizeof(demos[0]);
	return demos;
}

const struct fs_demo *demo_find(const char *name)
{
	for (size_t i = 0; i < sizeof(demos) / sizeof(demos[0]); i++)
		if (strcmp(demos[i].name, name) == 0)
			return &demos[i];
	return NULL;
}
