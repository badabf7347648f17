/* SPDX-License-Identifier: GPL-2.0 */
/* The session log: a JSON Lines file of events (docs/log-format.md), its writer and its reader. */
#ifndef FORKSCOPE_LOG_H
#define FORKSCOPE_LOG_H

#include <linux/types.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"

#define FS_LOG_FORMAT "forkscope-log"
#define FS_LOG_VERSION 4          /* the newest version read and written */
#define FS_LOG_VERSION_EXISTING 2 /* the first with existing events (record --pid); else 1 is written */
#define FS_LOG_VERSION_CGROUP 3   /* the first with cgroup events (record --cgroup) */
#define FS_LOG_VERSION_STEP 4     /* the first with step and answer events (--step) */
#define FS_LOG_LINE_MAX (1 << 20) /* the reader refuses longer lines */
/*
 * The header's command: at most this many bytes, each argument counting its length + 1, so that
 * even escaped (6 bytes a byte) it stays far below FS_LOG_LINE_MAX. The writer cuts a longer
 * one and says so ("command_truncated"); the reader refuses a longer one.
 */
#define FS_LOG_COMMAND_MAX (64 * 1024)

struct fs_log_header {
	char kernel[128];
	char host[256];
	uint64_t start_realtime_ns;
	uint32_t root_pid;
	uint32_t tracer_pid;
	int argc;
	char **argv; /* owned by the reader when read */
	int command_truncated; /* the recorder cut argv to FS_LOG_COMMAND_MAX */
	char source[16];
	uint32_t version;
	uint32_t abi;    /* FS_EVENT_ABI of the recorder that wrote it; 0 unknown */
	char cgroup[4096]; /* --cgroup: the traced cgroup's path from the v2 root; "" for none */
	uint64_t cgroup_id; /* and its id */
};

struct fs_log_end {
	int exit_status;
	uint64_t events;
	uint64_t lost;
	uint64_t duration_ns;
	int detached; /* --pid: forkscope stopped while processes of the tree still ran */
};

/* --- writing (log_write.c) ----------------------------------------------- */
struct fs_log_writer;

/*
 * Creates path with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode 0644 less the
 * umask; force=1 first unlinks an existing regular file (never a symlink's
 * target, never a directory). "-" writes to stdout. 0 or -errno.
 */
int log_writer_open(struct fs_log_writer **w, const char *path, int force);
/*
 * The same for a default name that must never collide: creates the first of
 * path, then path with -2, -3, ... before its extension (forkscope-DATE-TIME-2.jsonl)
 * that does not exist, each with O_EXCL, so that two forkscopes started in one
 * second never take the same name; name (len bytes) gets the one taken. 0 or -errno.
 */
int log_writer_open_numbered(struct fs_log_writer **w, const char *path, char *name, size_t len);
/* Writes into an already open stream, which close flushes but leaves open. */
int log_writer_open_stream(struct fs_log_writer **w, FILE *f);
int log_writer_header(struct fs_log_writer *w, const struct fs_log_header *h);
/*
 * Buffers one event line. -EINVAL (and nothing written) for an event the
 * format cannot express: an unknown type, an enum value without a name, or
 * a type the header's version cannot hold (log_event_version).
 */
int log_writer_event(struct fs_log_writer *w, const struct fs_event *e);
/* Writes out the buffer; the caller does so at least every 200 ms. -errno. */
int log_writer_flush(struct fs_log_writer *w);
int log_writer_end(struct fs_log_writer *w, const struct fs_log_end *end);
/* Flushes and closes; accepts NULL. The first write error, or 0. */
int log_writer_close(struct fs_log_writer *w);
/* The file descriptor (for fchown), -1 for a stream writer. */
int log_writer_fd(const struct fs_log_writer *w);

/*
 * The length (1-4) of the valid UTF-8 character at s (n bytes available),
 * or 0 when the bytes there are not one; *cp gets the code point. Shared by
 * the writer (JSON strings) and dump (terminal-safe text).
 */
int log_utf8_char(const char *s, size_t n, uint32_t *cp);
/*
 * The one rule of every text output (dump, export, the TUI, error messages): the length of the
 * non-ASCII character at s when it may be shown as itself, else 0 and its bytes are escaped.
 * Invalid UTF-8, C1 controls and invisible format characters (bidi overrides such as U+202E,
 * zero-width ones) are escaped. *cp gets the code point.
 */
int log_text_char(const char *s, size_t n, uint32_t *cp);
/* "2026-11-28T15:24:38.123Z" (UTC) into buf, which needs FS_ISO_TIME_BUF bytes; the length. */
#define FS_ISO_TIME_BUF 48
size_t log_iso_time(char *buf, uint64_t realtime_ns);
/* The first log version that may hold an event of this type (1 for most). */
unsigned int log_event_version(unsigned int type);
/* Whether the log being written, by its header's version, may hold an event of this type. */
int log_writer_takes(const struct fs_log_writer *w, unsigned int type);
/* ipc ops whose bytes field counts data (or a length); the others only carry errors. */
int log_ipc_moves_bytes(unsigned int op);
/* ipc ops whose path buffer holds a raw struct sockaddr rather than a name. */
int log_ipc_has_addr(unsigned int op);

/* --- reading (log_read.c) ------------------------------------------------ */
struct fs_log_reader;

/*
 * Opens path ("-" = stdin; a FIFO is fine, a directory is not) and reads and
 * validates the header line. On error err holds "FILE:LINE: what is wrong".
 */
int log_reader_open(struct fs_log_reader **r, const char *path, char *err, size_t errlen);
/*
 * 1: the next event is in *e (zeroed first); 0: no more events (the end line
 * was seen, or EOF: see log_reader_truncated); -EINVAL and friends for a bad
 * line, with "FILE:LINE: what is wrong" in err. After an error, every further
 * call fails the same way.
 */
int log_reader_next(struct fs_log_reader *r, struct fs_event *e, char *err, size_t errlen);
const struct fs_log_header *log_reader_header(const struct fs_log_reader *r);
/* NULL when the log had no end line (yet). */
const struct fs_log_end *log_reader_end(const struct fs_log_reader *r);
/*
 * 1 once next returned 0 at EOF without an end line, or dropped a cut-off
 * last line: every complete event before it was still returned.
 */
int log_reader_truncated(const struct fs_log_reader *r);
const char *log_reader_name(const struct fs_log_reader *r); /* the file name in messages */
void log_reader_close(struct fs_log_reader *r);

#endif /* FORKSCOPE_LOG_H */
