// SPDX-License-Identifier: GPL-2.0
/* Where the bundled recordings and lessons are: beside the built binary, or where `make install` put them. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "demo_path.h"
#include "session_find.h"

#ifndef FS_PREFIX
#define FS_PREFIX "/usr/local"
#endif

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int session_find_dir(const char *what, char *buf, size_t len)
{
	const char *tree = !strcmp(what, "sessions") ? "examples/sessions" : "docs/lessons";
	char dir[PATH_MAX];

	if (demo_exe_dir(dir, sizeof(dir)) == 0) {
		/* build/forkscope in a source tree, or PREFIX/bin/forkscope */
		snprintf(buf, len, "%s/../%s", dir, tree);
		if (is_dir(buf))
			return 0;
		snprintf(buf, len, "%s/../share/forkscope/%s", dir, what);
		if (is_dir(buf))
			return 0;
	}
	snprintf(buf, len, "%s/share/forkscope/%s", FS_PREFIX, what);
	return is_dir(buf) ? 0 : -ENOENT;
}
