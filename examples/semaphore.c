// SPDX-License-Identifier: GPL-2.0
/* IPC through semaphores: a child waits until its parent posts, with POSIX named and System V ones. */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <unistd.h>

#include "demo.h"

static char sem_name[64];
static int sysv_semid = -1;

static int posix_sem_remove(void *name)
{
	if (sem_unlink(name) < 0) {
		perror(name);
		return -errno;
	}
	return 0;
}

/* The child opens the semaphore by name itself: a name is all two processes need to share. */
static void posix_waiter(void)
{
	sem_t *sem = sem_open(sem_name, 0);

	if (sem == SEM_FAILED)
		demo_die(sem_name);
	printf("Child process %d waits on the semaphore...\n", getpid());
	demo_mark("sem_wait");
	while (sem_wait(sem) < 0)
		if (errno != EINTR)
			demo_die("sem_wait");
	printf("Child process %d got the semaphore.\n", getpid());
	if (sem_close(sem) < 0)
		demo_die("sem_close");
	exit(0);
}

static void posix_demo(void)
{
	sem_t *sem;
	pid_t pid;

	snprintf(sem_name, sizeof(sem_name), "/forkscope-sem-%d", getpid());
	sem = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);
	if (sem == SEM_FAILED)
		demo_die(sem_name);
	demo_defer(posix_sem_remove, sem_name);
	printf("POSIX semaphore %s created with value 0.\n", sem_name);
	pid = demo_fork();
	if (pid == 0)
		posix_waiter();
	demo_settle(); /* the child prints that it waits before we post */
	demo_pause(1000);
	printf("Parent process %d posts the semaphore.\n", getpid());
	demo_mark("sem_post");
	if (sem_post(sem) < 0)
		demo_die("sem_post");
	demo_wait_ok(pid, "waiter");
	if (sem_close(sem) < 0)
		demo_die("sem_close");
}

/* One semop on semaphore 0: -1 waits (P), +1 posts (V). */
static void sysv_op(int semid, short delta)
{
	struct sembuf op = {.sem_num = 0, .sem_op = delta, .sem_flg = 0};

	while (semop(semid, &op, 1) < 0)
		if (errno != EINTR)
			demo_die("semop");
}

static void sysv_demo(void)
{
	pid_t pid;

	/* IPC_PRIVATE: a fresh set known only to this process and its children, by id. */
	sysv_semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (sysv_semid < 0)
		demo_die("semget");
	demo_defer(demo_sysv_sem_remove, &sysv_semid);
	if (semctl(sysv_semid, 0, SETVAL, 0) < 0)
		demo_die("semctl SETVAL");
	demo_mark("semget id %d", sysv_semid);
	printf("System V semaphore created with value 0.\n");
	pid = demo_fork();
	if (pid == 0) {
		printf("Child process %d waits on the semaphore (semop -1)...\n", getpid());
		demo_mark("semop -1");
		sysv_op(sysv_semid, -1);
		printf("Child process %d got the semaphore.\n", getpid());
		exit(0);
	}
	demo_settle();
	demo_pause(1000);
	printf("Parent process %d posts the semaphore (semop +1).\n", getpid());
	demo_mark("semop +1");
	sysv_op(sysv_semid, 1);
	demo_wait_ok(pid, "waiter");
}

int main(int argc, char **argv)
{
	demo_init(argc, argv, "semaphore", NULL, 0);
	posix_demo();
	demo_pause(1000);
	sysv_demo();
	demo_mark("remove semaphores");
	return demo_cleanup() != 0;
}
