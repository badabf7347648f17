/* SPDX-License-Identifier: GPL-2.0 */
/* What the export formats share: the interface each one implements, and safe text for JSON and XML. */
#ifndef FORKSCOPE_EXPORT_IMPL_H
#define FORKSCOPE_EXPORT_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fs_event;
struct fs_log_header;
struct fs_log_end;
struct export_filter;
struct export_step;
struct export_tl;

/* What a format works with; it owns none of it. */
struct export_ctx {
	FILE *out;
	const struct fs_log_header *hdr;
	const struct export_filter *filter;
	struct export_tl *tl; /* the model over time; NULL unless the format asks for it */
};

/*
 * One output format. begin makes the format's state; event sees every event
 * in log order (kept: the filter selected it; st: what it meant for the
 * flows, with a timeline); finish gets the end line (NULL for a truncated
 * log) and the time of the last moment of the session (ns). All return 0 or
 * -errno; free accepts NULL.
 */
struct export_format {
	const char *name;
	int timeline;
	int (*begin)(const struct export_ctx *x, void **state);
	int (*event)(void *state, const struct fs_event *e, int kept, const struct export_step *st);
	int (*finish)(void *state, const struct fs_log_end *end, uint64_t t_end);
	void (*free)(void *state);
};

extern const struct export_format export_jsonl, export_text, export_perfetto, export_svg;

/*
 * Writes the n bytes at s (any bytes) as printable text, escaped for a JSON
 * string (EXPORT_JSON) or for XML character data and attributes (EXPORT_XML).
 * Valid printable UTF-8 passes; a newline or tab becomes \n or \t, and any
 * other control character, DEL or invalid byte becomes \xNN: the output is
 * always valid UTF-8 and valid in either format.
 */
enum export_escape { EXPORT_JSON, EXPORT_XML };
void export_put_text(FILE *f, const char *s, size_t n, enum export_escape how);

#endif /* FORKSCOPE_EXPORT_IMPL_H */
