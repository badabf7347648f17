// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by every demo: options, teaching pauses, markers, checked process calls. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"
#include "demo_list.h"

#define DEMO_SETTLE_MS 20
#define DEMO_MAX_DEFER 8

static struct {
	bool fast;
	bool seeded;
	unsigned seed;
} cfg;

struct demo_deferred {
	int (*fn)(void *);
	void *arg;
	pid_t owner;
};

static struct demo_deferred deferred[DEMO_MAX_DEFER];
static volatile sig_atomic_t n_deferred;

/* ---- options ------------------------------------------------------------ */

/* The demo's one-line summary from demo_list.h, the same text `forkscope demo --list` shows. */
static const char *demo_summary(const char *name)
{
#define DEMO_SUMMARY_IF(n, summary) if (strcmp(name, n) == 0) return summary;
	DEMO_LIST(DEMO_SUMMARY_IF)
#undef DEMO_SUMMARY_IF
	return "";
}

static void demo_usage(FILE *out, const char *name, const struct demo_opt *opts, size_t n_opts)
{
	fprintf(out, "usage: %s [--fast] [--seed N]", name);
	for (size_t i = 0; i < n_opts; i++)
		fprintf(out, " [%s %s]", opts[i].name, opts[i].metavar);
	fprintf(out, "\n%s\n\n", demo_summary(name));
	fprintf(out, "  %-18s %s\n", "--fast", "no teaching pauses (random sleeps 10x shorter)");
	fprintf(out, "  %-18s %s\n", "--seed N", "fix the random sleeps");
	for (size_t i = 0; i < n_opts; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s %s", opts[i].name, opts[i].metavar);
		fprintf(out, "  %-18s %s\n", left, opts[i].help);
	}
	fprintf(out, "  %-18s %s\n", "--help", "show this help");
}

/* Matches argv[*i] against name as "--name V" or "--name=V"; on a match *value gets V. */
static bool demo_match(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, len) != 0)
		return false;
	if (arg[len] == '=') {
		*value = arg + len + 1;
		return true;
	}
	if (arg[len] != '\0')
		return false;
	if (*i + 1 >= argc) {
		fprintf(stderr, "%s needs a value\n", name);
		exit(2);
	}
	*value = argv[++*i];
	return true;
}

static bool demo_match_opts(int argc, char **argv, int *i, const struct demo_opt *opts,
			    size_t n_opts)
{
	for (size_t k = 0; k < n_opts; k++)
		if (demo_match(argc, argv, i, opts[k].name, opts[k].value))
			return true;
	return false;
}

void demo_init(int argc, char **argv, const char *name, const struct demo_opt *opts,
	       size_t n_opts)
{
	const char *seed = NULL;
	sigset_t none;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--fast") == 0) {
			cfg.fast = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			demo_usage(stdout, name, opts, n_opts);
			exit(0);
		} else if (!demo_match(argc, argv, &i, "--seed", &seed) &&
			   !demo_match_opts(argc, argv, &i, opts, n_opts)) {
			fprintf(stderr, "%s: unknown argument '%s'\n", name, argv[i]);
			demo_usage(stderr, name, opts, n_opts);
			exit(2);
		}
	}
	/*
	 * A launcher may leave signals blocked (a tracer that reads them through
	 * signalfd, say); the demos that teach signals need them to arrive.
	 */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		demo_die("sigprocmask");
	if (seed) {
		cfg.seeded = true;
		cfg.seed = (unsigned)demo_parse_count("--seed", seed);
	}
	/* Line-buffered even through a pipe, so the transcript keeps the tutorial's order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	demo_reseed(0);
}

int demo_parse_count(const char *name, const char *value)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno || end == value || *end || n < 0 || n > 1000000) {
		fprintf(stderr, "%s: '%s' is not a number from 0 to 1000000\n", name, value);
		exit(2);
	}
	return (int)n;
}

bool demo_fast(void)
{
	return cfg.fast;
}

bool demo_seed(unsigned *seed)
{
	*seed = cfg.seed;
	return cfg.seeded;
}

/* ---- markers ------------------------------------------------------------ */

void demo_mark(const char *fmt, ...)
{
	char text[DEMO_MARK_LEN];
	int saved = errno;
	va_list ap;
	ssize_t rc;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	if (len > DEMO_MARK_LEN - 1)
		len = DEMO_MARK_LEN - 1;
	/* Fails with EBADF by design: the tracer reads the text at syscall entry. */
	rc = write(DEMO_MARK_FD, text, (size_t)len);
	(void)rc;
	errno = saved;
}

/* ---- time and randomness ------------------------------------------------ */

double demo_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void demo_sleep_ms(double ms)
{
	struct timespec until;
	long long ns;
	int err;

	if (ms <= 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &until);
	ns = until.tv_nsec + (long long)(ms * 1e6);
	until.tv_sec += ns / 1000000000;
	until.tv_nsec = ns % 1000000000;
	/* An absolute deadline keeps the total right when a signal handler interrupts. */
	while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL)) == EINTR)
		;
	if (err) {
		errno = err;
		demo_die("clock_nanosleep");
	}
}

void demo_pause(int ms)
{
	if (!cfg.fast)
		demo_sleep_ms(ms);
}

void demo_settle(void)
{
	demo_sleep_ms(DEMO_SETTLE_MS);
}

void demo_reseed(unsigned salt)
{
	long seed;

	if (cfg.seeded) {
		seed = (long)(cfg.seed * 2654435761u) ^ (long)salt * 40503;
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ts.tv_nsec ^ (long)getpid() << 16 ^ (long)salt;
	}
	srand48(seed);
}

double demo_random(void)
{
	return drand48();
}

void demo_sleep_random(double max_s)
{
	demo_sleep_ms(demo_random() * max_s * (cfg.fast ? 100.0 : 1000.0));
}

/* ---- failures and cleanup ----------------------------------------------- */

int demo_cleanup(void)
{
	pid_t self = getpid();
	int err = 0, rc;

	while (n_deferred > 0) {
		struct demo_deferred *d = &deferred[n_deferred - 1];

		n_deferred--;
		if (d->owner == self && (rc = d->fn(d->arg)) < 0 && err == 0)
			err = rc;
	}
	return err;
}

static void demo_on_signal(int sig)
{
	demo_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Catches the signals that end a demo early, unless the caller chose to ignore them. */
static void demo_catch_fatal_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa = {.sa_handler = demo_on_signal};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
}

int demo_sysv_sem_remove(void *semid)
{
	if (semctl(*(int *)semid, 0, IPC_RMID) < 0) {
		perror("semctl IPC_RMID");
		return -errno;
	}
	return 0;
}

void demo_defer(int (*fn)(void *), void *arg)
{
	if (n_deferred == DEMO_MAX_DEFER)
		demo_fail("demo_defer: more than %d cleanups", DEMO_MAX_DEFER);
	if (n_deferred == 0)
		demo_catch_fatal_signals();
	/* Filled before it is counted: a signal handler only sees complete entries. */
	deferred[n_deferred] = (struct demo_deferred){fn, arg, getpid()};
	n_deferred++;
}

void demo_die(const char *what)
{
	int saved = errno;

	fflush(stdout);
	errno = saved;
	perror(what);
	demo_cleanup();
	exit(1);
}

void demo_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	demo_cleanup();
	exit(1);
}

/* ---- processes and fds --------------------------------------------------- */

pid_t demo_fork(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		demo_die("fork");
	return pid;
}

int demo_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			demo_die("waitpid");
	return status;
}

void demo_wait_ok(pid_t pid, const char *who)
{
	int status = demo_wait(pid);

	if (WIFSIGNALED(status))
		demo_fail("%s (%d) was killed by signal %d", who, pid, WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		demo_fail("%s (%d) exited with %d", who, pid, WEXITSTATUS(status));
}

void demo_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			demo_die("write");
		p += n;
		len -= (size_t)n;
	}
}

size_t demo_read_upto(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			demo_die("read");
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return got;
}

size_t demo_read_full(int fd, void *buf, size_t len)
{
	size_t got = demo_read_upto(fd, buf, len);

	if (got != 0 && got != len)
		demo_fail("read: %zu of %zu bytes before end of file", got, len);
	return got;
}

void demo_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		demo_die("pipe");
}

void demo_close(int fd)
{
	if (close(fd) < 0)
		demo_die("close");
}
