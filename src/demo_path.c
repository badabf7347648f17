// SPDX-License-Identifier: GPL-2.0
/* Finds a bundled demo's binary: beside the forkscope binary when built, else where installed. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "demo_path.h"

#ifndef FS_PREFIX
#define FS_PREFIX "/usr/local"
#endif

int demo_exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -errno;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	return 0;
}

int demo_path(const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (strchr(name, '/'))
		return -ENOENT;
	if (demo_exe_dir(dir, sizeof(dir)) == 0) {
		snprintf(buf, len, "%s/examples/%s", dir, name);
		if (access(buf, X_OK) == 0)
			return 0;
		snprintf(buf, len, "%s/../lib/forkscope/examples/%s", dir, name);
		if (access(buf, X_OK) == 0)
			return 0;
	}
	snprintf(buf, len, "%s/lib/forkscope/examples/%s", FS_PREFIX, name);
	return access(buf, X_OK) == 0 ? 0 : -ENOENT;
}
