// SPDX-License-Identifier: GPL-2.0
/* Which events an export keeps: a process subtree, event types, a time range. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "event.h"
#include "export_filter.h"
#include "names.h"

#define PID_LIMIT (1u << 22) /* PID_MAX_LIMIT on 64-bit kernels */

void export_filter_init(struct export_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->types = ~0u;
	f->to = UINT64_MAX;
}

void export_filter_free(struct export_filter *f)
{
	free(f->tree);
	f->tree = NULL;
}

int export_filter_types(struct export_filter *f, const char *list, char *err, size_t errlen)
{
	const char *s = list;
	uint32_t types = 0;

	do {
		size_t n = strcspn(s, ",");
		long t = fs_name_find(&fs_event_types, s, n);

		if (t < 0) {
			snprintf(err, errlen, "unknown event type '%.*s'", (int)n, s);
			return -EINVAL;
		}
		types |= 1u << t;
		s += n;
	} while (*s++);
	f->types = types;
	return 0;
}

static void tree_set(struct export_filter *f, uint32_t pid, int on)
{
	if (pid >= PID_LIMIT)
		return;
	if (on)
		f->tree[pid / 8] |= (uint8_t)(1u << (pid % 8));
	else
		f->tree[pid / 8] &= (uint8_t)~(1u << (pid % 8));
}

int export_filter_subtree(struct export_filter *f, const char *pid)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(pid, &end, 10);
	if (errno || end == pid || *end || v == 0 || v >= PID_LIMIT || pid[0] == '-')
		return -EINVAL;
	if (!f->tree && !(f->tree = calloc(PID_LIMIT / 8, 1)))
		return -ENOMEM;
	f->pid = (uint32_t)v;
	tree_set(f, f->pid, 1);
	return 0;
}

int export_parse_seconds(const char *s, uint64_t *ns)
{
	uint64_t whole = 0, frac = 0, scale = 1000000000ull; /* scale: ns per digit */
	const char *p = s;

	if (!*p || (*p == '.' && !p[1]))
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX / 1000000000ull - 10) / 10)
			return -EINVAL;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale == 1)
				return -EINVAL; /* finer than a nanosecond */
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p)
		return -EINVAL;
	*ns = whole * 1000000000ull + frac;
	return 0;
}

int export_filter_has_pid(const struct export_filter *f, uint32_t pid)
{
	if (!f->pid)
		return 1;
	return pid < PID_LIMIT && (f->tree[pid / 8] >> (pid % 8) & 1);
}

int export_filter_has_type(const struct export_filter *f, unsigned int type)
{
	return type < 32 && (f->types >> type & 1);
}

int export_filter_has_time(const struct export_filter *f, uint64_t t)
{
	return t >= f->from && t <= f->to;
}

/* Whether e is done by or to a process of the subtree; keeps the subtree up to date. */
static int follow_tree(struct export_filter *f, const struct fs_event *e)
{
	int mine = export_filter_has_pid(f, e->pid);

	switch (e->type) {
	case FS_EV_FORK:
		if (e->fork.thread)
			break;
		if (e->fork.child_pid == f->pid && !f->pid_forked) {
			f->pid_forked = 1; /* the birth of the process asked for */
			mine = 1;
			break;
		}
		/* a pid belongs to the subtree from its fork until it is reused outside */
		tree_set(f, e->fork.child_pid, mine);
		break;
	case FS_EV_REAP:
		mine = mine || export_filter_has_pid(f, e->reap.child);
		break;
	case FS_EV_SIGNAL:
		mine = mine || export_filter_has_pid(f, e->signal.target_pid);
		break;
	case FS_EV_LOST:
		return 1; /* a loss may hide anyone's events */
	case FS_EV_STEP:
		return 1; /* the whole tree was frozen, whichever process stopped it */
	default:
		break;
	}
	f->pid_seen |= mine;
	return mine;
}

int export_filter_event(struct export_filter *f, const struct fs_event *e)
{
	int mine = f->pid ? follow_tree(f, e) : 1;

	return mine && export_filter_has_type(f, e->type) && export_filter_has_time(f, e->ts);
}
