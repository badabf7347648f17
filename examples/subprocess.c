// SPDX-License-Identifier: GPL-2.0
/* The tutorial's subprocess example: call() a program, then Popen one with pipes and communicate(). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

#define SUB_OUT_MAX 4096

/* A child started with its stdin, stdout and stderr on pipes, as subprocess.Popen(PIPE...). */
struct sub_popen {
	pid_t pid;
	int in, out, err; /* our ends */
};

/* In the child: run argv (an absolute path: no PATH search, so the log shows one exec). */
static void sub_exec(char *const argv[])
{
	execv(argv[0], argv);
	perror(argv[0]);
	_exit(127);
}

/* Python's returncode: the exit code, or minus the signal that killed the child. */
static int sub_returncode(int status)
{
	return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

/* subprocess.call(): the child shares our stdin/stdout/stderr; we block until it exits. */
static int sub_call(char *const argv[])
{
	pid_t pid = demo_fork();

	if (pid == 0)
		sub_exec(argv);
	return sub_returncode(demo_wait(pid));
}

static struct sub_popen sub_popen(char *const argv[])
{
	int in[2], out[2], err[2];
	struct sub_popen p;

	demo_pipe(in);
	demo_pipe(out);
	demo_pipe(err);
	p.pid = demo_fork();
	if (p.pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
			demo_die("dup2");
		/* Only fds 0-2 may stay: a stray write end would keep the parent's read from ending. */
		for (int i = 0; i < 2; i++) {
			demo_close(in[i]);
			demo_close(out[i]);
			demo_close(err[i]);
		}
		sub_exec(argv);
	}
	demo_close(in[0]);
	demo_close(out[1]);
	demo_close(err[1]);
	p.in = in[1];
	p.out = out[0];
	p.err = err[0];
	return p;
}

/* Moves data for one ready fd; returns false when that fd is finished (and closed). */
static bool sub_pump(struct pollfd *pfd, const char **input, size_t *input_len, char *buf,
		     size_t *len)
{
	ssize_t n;

	if (pfd->events & POLLOUT) {
		n = write(pfd->fd, *input, *input_len);
		if (n < 0 && errno != EINTR)
			demo_die("write to the child's stdin");
		*input += n > 0 ? n : 0;
		*input_len -= n > 0 ? (size_t)n : 0;
	} else {
		if (*len == SUB_OUT_MAX)
			demo_fail("the child wrote more than %d bytes", SUB_OUT_MAX);
		n = read(pfd->fd, buf + *len, SUB_OUT_MAX - *len);
		if (n < 0 && errno != EINTR)
			demo_die("read from the child");
		*len += n > 0 ? (size_t)n : 0;
	}
	if (n == 0 || (pfd->events & POLLOUT && *input_len == 0)) {
		demo_close(pfd->fd);
		pfd->fd = -1; /* poll() skips negative fds */
		return false;
	}
	return true;
}

/*
 * communicate(): feeds input to stdin and reads stdout and stderr at the same
 * time, so that neither side can fill a pipe and block the other; then waits.
 * out and err get SUB_OUT_MAX + 1 bytes each, NUL-terminated. Returns returncode.
 */
static int sub_communicate(struct sub_popen *p, const char *input, char *out, char *err)
{
	struct pollfd fds[3] = {{p->in, POLLOUT, 0}, {p->out, POLLIN, 0}, {p->err, POLLIN, 0}};
	char *bufs[3] = {NULL, out, err};
	size_t lens[3] = {0, 0, 0}, input_len = strlen(input);
	int n_open = 3;

	while (n_open > 0) {
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			demo_die("poll");
		}
		for (int i = 0; i < 3; i++)
			if (fds[i].fd >= 0 && fds[i].revents &&
			    !sub_pump(&fds[i], &input, &input_len, bufs[i], &lens[i]))
				n_open--;
	}
	out[lens[1]] = '\0';
	err[lens[2]] = '\0';
	return sub_returncode(demo_wait(p->pid));
}

int main(int argc, char **argv)
{
	char *uname_argv[] = {"/usr/bin/uname", "-s", NULL};
	char *sort_argv[] = {"/usr/bin/sort", NULL};
	char out[SUB_OUT_MAX + 1], err[SUB_OUT_MAX + 1];
	struct sub_popen p;
	int r;

	demo_init(argc, argv, "subprocess", NULL, 0);
	/* The tutorial runs nslookup, which needs a network: these programs need none. */
	printf("$ uname -s\n");
	demo_mark("call");
	r = sub_call(uname_argv);
	demo_mark("exit code %d", r);
	printf("Exit code: %d\n", r);
	if (r != 0)
		return 1;

	demo_pause(1000);
	printf("$ sort\n");
	p = sub_popen(sort_argv);
	demo_mark("communicate");
	r = sub_communicate(&p, "cherry\napple\nbanana\n", out, err);
	demo_mark("exit code %d", r);
	printf("%s\n", out);
	fputs(err, stderr);
	printf("Exit code: %d\n", r);
	return r != 0;
}
