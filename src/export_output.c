// SPDX-License-Identifier: GPL-2.0
/* Where an export writes: standard output, a file replaced only on success, or a device or FIFO written into. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "export_output.h"

/* A temporary file beside o->target, with the mode a new file would get. */
static int open_tmp(struct export_output *o)
{
	mode_t mask;
	int fd;

	if (asprintf(&o->tmp, "%s.XXXXXX", o->target) < 0) {
		o->tmp = NULL;
		return -ENOMEM;
	}
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || !(o->f = fdopen(fd, "w"))) {
		int err = -errno;

		close(fd);
		unlink(o->tmp);
		return err;
	}
	return 0;
}

/* A device or FIFO: written into, never created or replaced (O_TRUNC: had it become a file). */
static int open_direct(struct export_output *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!(o->f = fdopen(fd, "w"))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return 0;
}

/*
 * The file a symbolic link leads to, as the kernel follows it (fs.protected_symlinks refuses
 * another user's link in a sticky directory, as it would for the shell's '>'): its path in
 * *target when it is a regular file, for the temporary file to go beside it; 1 for a device or
 * FIFO; -ENOENT for a link to nothing, -EISDIR for one to a directory. Or -errno.
 */
static int link_target(const char *path, char **target)
{
	char proc[64], buf[PATH_MAX];
	int fd = open(path, O_PATH | O_CLOEXEC), err = 0;
	struct stat st;
	ssize_t n = -1;

	if (fd < 0)
		return -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) || (S_ISREG(st.st_mode) && (n = readlink(proc, buf, sizeof(buf) - 1)) < 0))
		err = -errno;
	close(fd);
	if (err || S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode))
		return err ? err : S_ISDIR(st.st_mode) ? -EISDIR : 1;
	buf[n] = '\0';
	*target = strdup(buf);
	return *target ? 0 : -ENOMEM;
}

static void output_forget(struct export_output *o)
{
	free(o->tmp);
	free(o->target);
	memset(o, 0, sizeof(*o));
}

int export_output_open(struct export_output *o, const char *path)
{
	struct stat st;
	int err, missing;

	memset(o, 0, sizeof(*o));
	/* /dev/stdout too: opened again, a stdout the shell opened to append to would be truncated */
	if (!path || !strcmp(path, "-") || !strcmp(path, "/dev/stdout")) {
		o->f = stdout;
		return 0;
	}
	missing = lstat(path, &st) != 0;
	if (missing && errno != ENOENT)
		return -errno;
	if (!missing && S_ISLNK(st.st_mode)) {
		err = link_target(path, &o->target);
		if (err)
			return err == 1 ? open_direct(o, path) : err;
	} else if (!missing && S_ISDIR(st.st_mode)) {
		return -EISDIR;
	} else if (!missing && !S_ISREG(st.st_mode)) {
		return open_direct(o, path);
	} else if (!(o->target = strdup(path))) {
		return -ENOMEM;
	}
	err = open_tmp(o);
	if (err)
		output_forget(o);
	return err;
}

int export_output_close(struct export_output *o, int ok)
{
	int err = 0;

	if (o->f == stdout)
		return fflush(stdout) ? -errno : 0;
	if (o->f && ferror(o->f))
		err = -EIO;
	if (o->f && fclose(o->f) && !err)
		err = -errno;
	if (o->tmp && ok && !err && rename(o->tmp, o->target))
		err = -errno;
	if (o->tmp && (!ok || err))
		unlink(o->tmp);
	output_forget(o);
	return err;
}
