/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by every demo: options, teaching pauses, markers, checked process calls. */
#ifndef FORKSCOPE_DEMO_H
#define FORKSCOPE_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The marker protocol: must equal FS_MARK_FD in src/event.h. Demos do not
 * include the tracer's headers, so that each stays a plain program.
 */
#define DEMO_MARK_FD 987
#define DEMO_MARK_LEN 128 /* FS_MARK_LEN: text is cut to DEMO_MARK_LEN - 1 bytes */

/* A demo-specific option: --NAME VALUE or --NAME=VALUE. */
struct demo_opt {
	const char *name;    /* "--workers" */
	const char *metavar; /* "N|auto" */
	const char *help;
	const char **value;  /* receives the argument; untouched when the option is absent */
};

/*
 * Parses --fast, --seed N, --help and the demo's own options (exits 2 on a bad
 * one, 0 after --help), makes stdout line-buffered and seeds the random sleeps.
 * name is the demo's entry in demo_list.h, whose summary --help shows.
 */
void demo_init(int argc, char **argv, const char *name, const struct demo_opt *opts,
	       size_t n_opts);
bool demo_fast(void);
/* True if --seed was given; *seed gets it. */
bool demo_seed(unsigned *seed);
/* Parses a positive integer option value, or exits 2 naming the option. */
int demo_parse_count(const char *name, const char *value);

/* Emits one marker (see DEMO_MARK_FD); never touches stdout, keeps errno. */
void demo_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A teaching pause: sleeps ms milliseconds, or not at all with --fast. */
void demo_pause(int ms);
/* A short sleep even with --fast, so another process prints first: ordering, not teaching. */
void demo_settle(void);
/* Sleeps exactly ms milliseconds (retrying after signal handlers). */
void demo_sleep_ms(double ms);
/* Monotonic time in seconds. */
double demo_now(void);

/*
 * The tutorial's random sleeps. demo_reseed makes a process's sequence a
 * function of --seed and salt (a task number...), whoever runs it.
 */
void demo_reseed(unsigned salt);
double demo_random(void);
/* Sleeps random() * max_s seconds, ten times shorter with --fast. */
void demo_sleep_random(double max_s);

/* Fatal errors: perror(what) / a message, this process's cleanups, exit(1). */
void demo_die(const char *what) __attribute__((noreturn));
void demo_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * Registers fn(arg) to run in this process at demo_cleanup(), which demo_die
 * and SIGINT/SIGTERM/SIGHUP also call: for IPC objects that outlive processes.
 * Children inherit the list but only the registering process runs an entry.
 * fn returns 0 or -errno, and reports its own errors on stderr.
 */
void demo_defer(int (*fn)(void *), void *arg);
/* Runs and forgets this process's deferred cleanups, newest first: 0 or the first -errno. */
int demo_cleanup(void);
/* A demo_defer() cleanup that removes the SysV semaphore set whose id *semid holds. */
int demo_sysv_sem_remove(void *semid);

/* fork() after flushing stdio, so buffered text is not printed twice; dies on failure. */
pid_t demo_fork(void);
/* waitpid() retried on EINTR; returns the status; dies on failure. */
int demo_wait(pid_t pid);
/* Waits for pid and dies unless it exited with 0; who names it in the message. */
void demo_wait_ok(pid_t pid, const char *who);

/* write() of exactly len bytes. */
void demo_write_all(int fd, const void *buf, size_t len);
/* read() until len bytes or end of file; returns the count. */
size_t demo_read_upto(int fd, void *buf, size_t len);
/* A whole record: len bytes, or 0 at end of file; dies on a partial one. */
size_t demo_read_full(int fd, void *buf, size_t len);
/* pipe() that dies on failure. */
void demo_pipe(int fds[2]);
/* close() that dies on failure. */
void demo_close(int fd);

#endif /* FORKSCOPE_DEMO_H */
