// SPDX-License-Identifier: GPL-2.0
/* Benchmark workload: pairs of processes bounce small messages over two pipes, and count them. */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "workload.h"

#define USAGE "pingpong ROUNDS [SIZE [PAIRS]]"
#define SIZE_MAX_BYTES 4096 /* PIPE_BUF: one write is one message */

/* What this process itself did on one pipe, as the log should show it. */
struct chan_count {
	int fd;
	uint64_t ops;
	uint64_t bytes;
};

static void put(struct chan_count *c, const char *buf, size_t size)
{
	ssize_t n = write(c->fd, buf, size);

	if (n != (ssize_t)size)
		wl_die("write");
	c->ops++;
	c->bytes += (uint64_t)n;
}

/* Reads one whole message, however many read calls it takes. */
static void get(struct chan_count *c, char *buf, size_t size)
{
	for (size_t got = 0; got < size;) {
		ssize_t n = read(c->fd, buf + got, size - got);

		if (n <= 0)
			wl_die("read");
		c->ops++;
		c->bytes += (uint64_t)n;
		got += (size_t)n;
	}
}

static void print_chan(const struct chan_count *c, const char *dir)
{
	struct stat st;

	if (fstat(c->fd, &st))
		wl_die("fstat");
	printf("chan=pipe:[%llu] %ss=%llu %cbytes=%llu\n", (unsigned long long)st.st_ino, dir,
	       (unsigned long long)c->ops, dir[0], (unsigned long long)c->bytes);
}

/* One side of a pair: ping writes first, pong answers. Waits at the start gate. */
static void player(int gate, int in, int out, long rounds, size_t size, int ping)
{
	struct chan_count rx = { .fd = in }, tx = { .fd = out };
	char buf[SIZE_MAX_BYTES];
	char go;

	memset(buf, 'x', size);
	if (read(gate, &go, 1) != 0)
		wl_die("gate");
	for (long i = 0; i < rounds; i++) {
		if (ping) {
			put(&tx, buf, size);
			get(&rx, buf, size);
		} else {
			get(&rx, buf, size);
			put(&tx, buf, size);
		}
	}
	print_chan(&tx, "write");
	print_chan(&rx, "read");
	fflush(stdout);
	_exit(0);
}

static void start_pair(const int gate[2], long rounds, size_t size)
{
	int ab[2], ba[2];

	if (pipe(ab) || pipe(ba))
		wl_die("pipe");
	for (int ping = 0; ping < 2; ping++) {
		pid_t pid = fork();

		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			close(gate[1]); /* or the gate never reads EOF */
			player(gate[0], ping ? ba[0] : ab[0], ping ? ab[1] : ba[1], rounds, size, ping);
		}
	}
	close(ab[0]), close(ab[1]), close(ba[0]), close(ba[1]);
}

int main(int argc, char **argv)
{
	long rounds = wl_count(argc > 1 ? argv[1] : NULL, USAGE);
	long size = argc > 2 ? wl_count(argv[2], USAGE) : 64;
	long pairs = argc > 3 ? wl_count(argv[3], USAGE) : 1;
	int gate[2], status, failed = 0;
	uint64_t start;

	if (size > SIZE_MAX_BYTES) {
		fprintf(stderr, "pingpong: SIZE is at most %d\n", SIZE_MAX_BYTES);
		return 2;
	}
	if (pipe(gate))
		wl_die("pipe");
	fflush(stdout);
	for (long p = 0; p < pairs; p++)
		start_pair(gate, rounds, (size_t)size);
	close(gate[0]);
	start = wl_now_ns();
	close(gate[1]); /* every player reads EOF at once: go */
	while (wait(&status) > 0)
		failed |= status != 0;
	if (failed)
		wl_die("pingpong: a player failed");
	wl_report("pingpong", rounds * pairs, wl_now_ns() - start);
	return 0;
}
