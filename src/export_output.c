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

#define LINKS_MAX 40 /* the kernel's limit on the symlinks of one lookup */

/* What the symlink at path points to, as a path from the current directory, in *next. 0 or -errno. */
static int link_step(const char *path, char **next)
{
	char link[PATH_MAX];
	const char *slash = strrchr(path, '/');
	ssize_t n = readlink(path, link, sizeof(link) - 1);

	if (n < 0)
		return -errno;
	link[n] = '\0';
	if (link[0] == '/' || !slash)
		*next = strdup(link);
	else if (asprintf(next, "%.*s/%s", (int)(slash - path), path, link) < 0)
		*next = NULL;
	return *next ? 0 : -ENOMEM;
}

/*
 * The file that path names once the symlinks of its last component are
 * followed (it may not exist yet), in *target: the temporary file must go
 * beside it, in its own directory, for the rename to replace it and keep the link.
 */
static int follow_links(const char *path, char **target)
{
	char *cur = strdup(path), *next;
	int err = cur ? 0 : -ENOMEM, links = 0;
	struct stat st;

	while (!err) {
		if (lstat(cur, &st)) {
			if (errno != ENOENT)
				err = -errno;
			break;
		}
		if (!S_ISLNK(st.st_mode))
			break;
		err = ++links > LINKS_MAX ? -ELOOP : link_step(cur, &next);
		if (!err) {
			free(cur);
			cur = next;
		}
	}
	if (err) {
		free(cur);
		return err;
	}
	*target = cur;
	return 0;
}

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

/* A device, FIFO or socket: written as a shell's '>' would, never created or replaced. */
static int open_direct(struct export_output *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!(o->f = fdopen(fd, "w"))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return 0;
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
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode))
			return open_direct(o, path);
	} else if (errno != ENOENT) {
		return -errno;
	}
	err = follow_links(path, &o->target);
	if (!err)
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
