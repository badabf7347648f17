// SPDX-License-Identifier: GPL-2.0
/* IPC through a file: one process writes it, then another reads it; the parent removes it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

static char file_path[256];

static int file_remove(void *path)
{
	int err = unlink(path) < 0 ? -errno : 0;

	if (err)
		perror(path);
	return err;
}

static void file_writer(void)
{
	char line[128];
	int fd, len;

	fd = open(file_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		demo_die(file_path);
	demo_mark("write file");
	for (int i = 1; i <= 3; i++) {
		len = snprintf(line, sizeof(line), "line %d from the writer\n", i);
		demo_write_all(fd, line, (size_t)len);
	}
	demo_close(fd);
	printf("Writer process %d wrote 3 lines.\n", getpid());
	exit(0);
}

static void file_reader(void)
{
	char buf[512];
	size_t len;
	int fd;

	fd = open(file_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		demo_die(file_path);
	demo_mark("read file");
	len = demo_read_upto(fd, buf, sizeof(buf) - 1);
	demo_close(fd);
	buf[len] = '\0';
	printf("Reader process %d read:\n%s", getpid(), buf);
	exit(0);
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	pid_t pid;

	demo_init(argc, argv, "file", NULL, 0);
	snprintf(file_path, sizeof(file_path), "%s/forkscope-file-%d.txt", tmp ? tmp : "/tmp",
		 getpid());
	demo_defer(file_remove, file_path);
	printf("Parent process %d: the processes share the file %s.\n", getpid(), file_path);
	pid = demo_fork();
	if (pid == 0)
		file_writer();
	/* A file tells no one it changed: waiting for the writer to exit is our synchronisation. */
	demo_wait_ok(pid, "writer");
	demo_pause(1000);
	pid = demo_fork();
	if (pid == 0)
		file_reader();
	demo_wait_ok(pid, "reader");
	demo_mark("unlink");
	return demo_cleanup() != 0;
}
