// SPDX-License-Identifier: GPL-2.0
/* IPC through sockets: a socketpair between parent and child, then TCP on 127.0.0.1. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "demo.h"

/* Sends msg and half-closes: the peer reads until end of file, like a one-shot request. */
static void send_msg(int fd, const char *msg)
{
	demo_write_all(fd, msg, strlen(msg));
	if (shutdown(fd, SHUT_WR) < 0)
		demo_die("shutdown");
}

/* Reads everything up to the peer's half-close into buf (NUL-terminated). */
static void recv_msg(int fd, char *buf, size_t len)
{
	buf[demo_read_upto(fd, buf, len - 1)] = '\0';
}

static void socketpair_demo(void)
{
	char buf[64];
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		demo_die("socketpair");
	demo_mark("socketpair");
	pid = demo_fork();
	if (pid == 0) {
		demo_close(sv[0]);
		recv_msg(sv[1], buf, sizeof(buf));
		printf("Child process %d got '%s' through the socketpair.\n", getpid(), buf);
		send_msg(sv[1], "pong");
		exit(0);
	}
	demo_close(sv[1]);
	printf("Parent process %d sends 'ping' through the socketpair.\n", getpid());
	send_msg(sv[0], "ping");
	recv_msg(sv[0], buf, sizeof(buf));
	printf("Parent process %d got '%s'.\n", getpid(), buf);
	demo_close(sv[0]);
	demo_wait_ok(pid, "child");
}

/* A listening socket on 127.0.0.1 with a port the kernel picks; *addr gets the address. */
static int tcp_listen(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		demo_die("socket");
	*addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = 0};
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) < 0)
		demo_die("bind 127.0.0.1");
	if (listen(fd, 1) < 0)
		demo_die("listen");
	if (getsockname(fd, (struct sockaddr *)addr, &len) < 0)
		demo_die("getsockname");
	return fd;
}

static void tcp_client(const struct sockaddr_in *addr)
{
	char buf[64];
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		demo_die("socket");
	demo_mark("connect");
	if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0)
		demo_die("connect");
	send_msg(fd, "hello server");
	recv_msg(fd, buf, sizeof(buf));
	printf("Client process %d got '%s'.\n", getpid(), buf);
	demo_close(fd);
	exit(0);
}

static void tcp_demo(void)
{
	struct sockaddr_in addr;
	int lfd, cfd;
	char buf[64];
	pid_t pid;

	lfd = tcp_listen(&addr);
	/* The port changes every run: it goes to the log, not to the transcript. */
	demo_mark("listen on 127.0.0.1:%d", ntohs(addr.sin_port));
	printf("Server process %d listens on 127.0.0.1.\n", getpid());
	pid = demo_fork();
	if (pid == 0) {
		demo_close(lfd);
		tcp_client(&addr);
	}
	demo_mark("accept");
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		demo_die("accept");
	demo_close(lfd);
	recv_msg(cfd, buf, sizeof(buf));
	printf("Server process %d got '%s' from client %d.\n", getpid(), buf, pid);
	send_msg(cfd, "hello client");
	demo_close(cfd);
	demo_wait_ok(pid, "client");
}

int main(int argc, char **argv)
{
	demo_init(argc, argv, "socket", NULL, 0);
	socketpair_demo();
	demo_pause(1000);
	tcp_demo();
	return 0;
}
