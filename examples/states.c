// SPDX-License-Identifier: GPL-2.0
/* One process cycles visibly through running (CPU loop), blocked (sleep) and blocked on I/O (pipe). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "demo.h"

#define STATES_ROUNDS 3
#define STATES_PHASE_MS 300
#define STATES_FAST_PHASE_MS 20

static double phase_ms(void)
{
	return demo_fast() ? STATES_FAST_PHASE_MS : STATES_PHASE_MS;
}

/* Stays on the CPU for ms: the clock is read through the vDSO, so no system call blocks. */
static void burn_cpu(double ms)
{
	double end = demo_now() + ms / 1000.0;
	volatile unsigned long spins = 0;

	while (demo_now() < end)
		spins++;
}

/* The child: a slow device that answers each one-byte request after a delay. */
static void device_loop(int req_fd, int reply_fd)
{
	char c;

	while (demo_read_full(req_fd, &c, 1) == 1) {
		demo_sleep_ms(phase_ms());
		demo_write_all(reply_fd, &c, 1);
	}
	exit(0);
}

static void one_round(int round, int req_fd, int reply_fd, pid_t device)
{
	char c = 'r';

	printf("Round %d: computing (running on a CPU)...\n", round);
	demo_mark("cpu");
	burn_cpu(phase_ms());
	printf("Round %d: sleeping (blocked in nanosleep)...\n", round);
	demo_mark("sleep");
	demo_sleep_ms(phase_ms());
	printf("Round %d: waiting for the device %d (blocked in read)...\n", round, device);
	demo_mark("io");
	demo_write_all(req_fd, &c, 1);
	if (demo_read_full(reply_fd, &c, 1) != 1)
		demo_fail("the device %d closed its pipe", device);
}

int main(int argc, char **argv)
{
	int req[2], reply[2];
	pid_t device;

	demo_init(argc, argv, "states", NULL, 0);
	demo_pipe(req);
	demo_pipe(reply);
	device = demo_fork();
	if (device == 0) {
		demo_close(req[1]);
		demo_close(reply[0]);
		device_loop(req[0], reply[1]);
	}
	demo_close(req[0]);
	demo_close(reply[1]);
	printf("Process %d cycles through the states %d times; child %d plays a slow device.\n",
	       getpid(), STATES_ROUNDS, device);
	for (int round = 1; round <= STATES_ROUNDS; round++)
		one_round(round, req[1], reply[0], device);
	demo_close(req[1]); /* end of file: the device exits */
	demo_wait_ok(device, "device");
	printf("Done.\n");
	return 0;
}
