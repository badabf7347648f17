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
 * another user's link in a sticky directory, as it would for the shell's '>'): its stat in *st
 * and, when it is a regular file, its path in *target, for the temporary file to go beside it.
 * 0 or -errno (-ENOENT: a link to nothing).
 */
static int link_target(const char *path, struct stat *st, char **target)
{
	char proc[64], buf[PATH_MAX];
	int fd = open(path, O_PATH | O_CLOEXEC), err = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (fstat(fd, st) || (S_ISREG(st->st_mode) && (n = readlink(proc, buf, sizeof(buf) - 1)) < 0))
		err = -errno;
	close(fd);
	if (err || !S_ISREG(st->st_mode))
		return err;
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
	int err;

	memset(o, 0, sizeof(*o));
	/* /dev/stdout too: opened again, a stdout the shell opened to append to would be truncated */
	if (!path || !strcmp(path, "-") || !strcmp(path, "/dev/stdout")) {
		o->f = stdout;
		return 0;
	}
	if (lstat(path, &st)) {
		if (errno != ENOENT)
			return -errno;
		st.st_mode = S_IFREG; /* a new name: made as a regular file is replaced */
	} else if (S_ISLNK(st.st_mode) && (err = link_target(path, &st, &o->target))) {
		return err;
	}
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return open_direct(o, path);
	if (!o->target && !(o->target = strdup(path)))
		return -ENOMEM;
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
