// SPDX-License-Identifier: GPL-2.0
/* IPC through shared memory: POSIX shm_open+mmap, then System V shmget with a semaphore as a lock. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include "demo.h"

#define SHM_SIZE 4096
#define SHM_ROUNDS 3

static char shm_name[64];
static int sysv_shmid = -1, sysv_semid = -1;

static int posix_shm_remove(void *name)
{
	if (shm_unlink(name) < 0) {
		perror(name);
		return -errno;
	}
	return 0;
}

static int sysv_shm_remove(void *shmid)
{
	if (shmctl(*(int *)shmid, IPC_RMID, NULL) < 0) {
		perror("shmctl IPC_RMID");
		return -errno;
	}
	return 0;
}

/* Opens the named object and maps it shared: what one process stores, the other sees. */
static char *posix_map(int flags)
{
	int fd = shm_open(shm_name, flags, 0600);
	char *mem;

	if (fd < 0)
		demo_die(shm_name);
	if ((flags & O_CREAT) && ftruncate(fd, SHM_SIZE) < 0)
		demo_die("ftruncate");
	mem = mmap(NULL, SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED)
		demo_die("mmap");
	demo_close(fd); /* the mapping keeps the memory alive */
	return mem;
}

static void posix_demo(void)
{
	char *mem;
	pid_t pid;

	snprintf(shm_name, sizeof(shm_name), "/forkscope-shm-%d", getpid());
	mem = posix_map(O_CREAT | O_EXCL | O_RDWR);
	demo_defer(posix_shm_remove, shm_name);
	printf("Parent process %d created the shared memory %s.\n", getpid(), shm_name);
	pid = demo_fork();
	if (pid == 0) {
		char *child_mem = posix_map(O_RDWR);

		printf("Child process %d writes into it.\n", getpid());
		demo_mark("store");
		snprintf(child_mem, SHM_SIZE, "hello from process %d", getpid());
		if (munmap(child_mem, SHM_SIZE) < 0)
			demo_die("munmap");
		exit(0);
	}
	/* Memory has no end of file and no wake-up: the child's exit is our signal it is done. */
	demo_wait_ok(pid, "writer");
	demo_pause(1000);
	demo_mark("load");
	printf("Parent process %d reads: %s\n", getpid(), mem);
	if (munmap(mem, SHM_SIZE) < 0)
		demo_die("munmap");
}

static void sysv_op(short delta)
{
	struct sembuf op = {.sem_num = 0, .sem_op = delta, .sem_flg = 0};

	while (semop(sysv_semid, &op, 1) < 0)
		if (errno != EINTR)
			demo_die("semop");
}

/* Read, pause, write back: without the lock the two processes would lose each other's updates. */
static void add_rounds(volatile int *counter)
{
	for (int i = 0; i < SHM_ROUNDS; i++) {
		int value;

		demo_mark("lock");
		sysv_op(-1);
		value = *counter;
		demo_sleep_ms(demo_fast() ? 2 : 200);
		*counter = value + 1;
		demo_mark("unlock (counter %d)", value + 1);
		sysv_op(1);
	}
}

static void sysv_demo(void)
{
	volatile int *counter;
	pid_t pid;

	sysv_shmid = shmget(IPC_PRIVATE, SHM_SIZE, IPC_CREAT | 0600);
	if (sysv_shmid < 0)
		demo_die("shmget");
	demo_defer(sysv_shm_remove, &sysv_shmid);
	sysv_semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (sysv_semid < 0)
		demo_die("semget");
	demo_defer(demo_sysv_sem_remove, &sysv_semid);
	if (semctl(sysv_semid, 0, SETVAL, 1) < 0) /* 1: unlocked */
		demo_die("semctl SETVAL");
	counter = shmat(sysv_shmid, NULL, 0);
	if (counter == (void *)-1)
		demo_die("shmat");
	*counter = 0; /* shmget memory starts zeroed; said here for the reader */
	printf("Two processes add 1 to a shared counter %d times each, under a semaphore.\n",
	       SHM_ROUNDS);
	pid = demo_fork(); /* the child inherits the attachment */
	if (pid == 0) {
		add_rounds(counter);
		exit(0);
	}
	add_rounds(counter);
	demo_wait_ok(pid, "child");
	printf("Counter: %d (expected %d).\n", *counter, 2 * SHM_ROUNDS);
	if (*counter != 2 * SHM_ROUNDS)
		demo_fail("lost updates: the semaphore did not protect the counter");
	if (shmdt((const void *)counter) < 0)
		demo_die("shmdt");
}

int main(int argc, char **argv)
{
	demo_init(argc, argv, "shm", NULL, 0);
	posix_demo();
	demo_pause(1000);
	sysv_demo();
	demo_mark("remove shared memory");
	return demo_cleanup() != 0;
}
