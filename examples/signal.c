// SPDX-License-Identifier: GPL-2.0
/* IPC through signals: the child catches SIGUSR1 with a sigaction handler; the parent sees SIGCHLD. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

/* Handlers only record what came: printing is left to the main flow (async-signal-safety). */
static volatile sig_atomic_t got_usr1_from, got_chld_from;

static void on_usr1(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	got_usr1_from = info->si_pid;
}

static void on_chld(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	got_chld_from = info->si_pid;
}

static void install(int sig, void (*handler)(int, siginfo_t *, void *))
{
	struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO | SA_RESTART};

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		demo_die("sigaction");
}

/* Sleeps until flag is set: the signals stay blocked except inside sigsuspend, so none is missed. */
static void wait_for(volatile sig_atomic_t *flag)
{
	sigset_t none;

	sigemptyset(&none);
	while (!*flag)
		sigsuspend(&none);
}

static void child(void)
{
	install(SIGUSR1, on_usr1);
	demo_mark("sigaction");
	wait_for(&got_usr1_from);
	demo_mark("handler ran");
	printf("Child process %d caught SIGUSR1 from %d.\n", getpid(), (int)got_usr1_from);
	demo_pause(500);
	exit(3);
}

int main(int argc, char **argv)
{
	sigset_t block;
	int status;
	pid_t pid;

	demo_init(argc, argv, "signal", NULL, 0);
	/* Blocked before fork: a SIGUSR1 sent before the child's handler exists waits, pending. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, NULL) < 0)
		demo_die("sigprocmask");
	install(SIGCHLD, on_chld);
	pid = demo_fork();
	if (pid == 0)
		child();
	demo_pause(1000);
	printf("Parent process %d sends SIGUSR1 to child %d.\n", getpid(), pid);
	demo_mark("kill SIGUSR1");
	if (kill(pid, SIGUSR1) < 0)
		demo_die("kill");
	wait_for(&got_chld_from);
	demo_mark("SIGCHLD");
	status = demo_wait(pid);
	demo_mark("waitpid");
	printf("Parent process %d got SIGCHLD from %d: it exited with code %d.\n", getpid(),
	       (int)got_chld_from, WEXITSTATUS(status));
	return WEXITSTATUS(status) == 3 ? 0 : 1;
}
