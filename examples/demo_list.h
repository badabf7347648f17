/* SPDX-License-Identifier: GPL-2.0 */
/* The bundled demos in teaching order, one X-macro list shared by the tour and src/demo_table.c. */
#ifndef FORKSCOPE_DEMO_LIST_H
#define FORKSCOPE_DEMO_LIST_H

/*
 * X(name, summary): name is the binary build/examples/NAME and the lesson
 * docs/lessons/NAME.md; summary is the line `forkscope demo --list` shows.
 * The tour runs every entry but itself, so it stays last.
 */
#define DEMO_LIST(X)                                                                  \
	X("fork", "os.fork(): one call returns twice, in the parent and in the child")    \
	X("process", "multiprocessing.Process: start a child process and join it")       \
	X("zombie", "a child exits at once and stays a zombie until its parent reaps it") \
	X("orphan", "the parent exits first; the orphaned child gets a new parent")       \
	X("states", "one process cycles through running, sleeping and waiting for I/O")   \
	X("pool", "multiprocessing.Pool: 4 worker processes take 5 tasks from a queue")   \
	X("queue", "a writer and a reader process share a queue; the reader is terminated") \
	X("subprocess", "run a program: call(), then Popen with pipes and communicate()") \
	X("pipe", "IPC through pipe(2): parent to child, and a two-process pipeline")     \
	X("file", "IPC through a file: one process writes it, another reads it")          \
	X("socket", "IPC through sockets: a socketpair and TCP on 127.0.0.1")              \
	X("signal", "IPC through signals: a sigaction handler, kill() and SIGCHLD")        \
	X("semaphore", "IPC through semaphores: POSIX named and System V")                 \
	X("shm", "IPC through shared memory: POSIX shm_open+mmap, System V shmget+semaphore") \
	X("mqueue", "IPC through a POSIX message queue, with message priorities")         \
	X("tour", "every demo above, one after another, in teaching order")

#endif /* FORKSCOPE_DEMO_LIST_H */
