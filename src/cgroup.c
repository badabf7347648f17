// SPDX-License-Identifier: GPL-2.0
/* Tracing a cgroup v2 (--cgroup, --unit): which directory, its id and depth, who is in it, whether it is empty. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "cgroup.h"
#include "grow.h"
#include "i18n.h"
#include "subproc.h"

#define CGROUP2_MAGIC 0x63677270
#define CGROUP1_MAGIC 0x27e0eb
#define MAX_DEPTH 32 /* below the traced cgroup; deeper directories are not scanned */

/* Where the v2 hierarchy is mounted, and which of its directories that mount shows as its root. */
struct v2_mount {
	char point[PATH_MAX];
	char root[PATH_MAX];
};

/* The first cgroup2 mount in /proc/self/mountinfo; -ENOENT when there is none (cgroup v1 only). */
static int find_v2(struct v2_mount *m)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], root[PATH_MAX], point[PATH_MAX];
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		const char *dash = strstr(line, " - ");

		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2)
			continue;
		snprintf(m->root, sizeof(m->root), "%s", strcmp(root, "/") ? root : "");
		snprintf(m->point, sizeof(m->point), "%s", point);
		err = 0;
	}
	fclose(f);
	return err;
}

static int count_levels(const char *name)
{
	int n = 0;

	for (const char *p = name; *p; p++)
		n += *p == '/' && p[1] && p[1] != '/';
	return n;
}

/* Checks dir is a cgroup v2 directory below the root, and fills cg from it. */
static int fill(struct fs_cgroup *cg, const struct v2_mount *m, const char *dir, char *why, size_t len)
{
	char real[PATH_MAX], events[PATH_MAX + 16];
	struct statfs sf;
	struct stat st;
	size_t plen = strlen(m->point);

	if (stat(dir, &st) || statfs(dir, &sf)) {
		snprintf(why, len, _("%s: no such cgroup directory"), dir);
		return -ENOENT;
	}
	if (!S_ISDIR(st.st_mode) || sf.f_type != CGROUP2_MAGIC) {
		snprintf(why, len, sf.f_type == CGROUP1_MAGIC && S_ISDIR(st.st_mode) ?
			 _("%s is a cgroup v1 directory: --cgroup needs cgroup v2") :
			 _("%s is not a cgroup v2 directory"), dir);
		return -ENOTDIR;
	}
	if (!realpath(dir, real) || strncmp(real, m->point, plen) || (real[plen] && real[plen] != '/')) {
		snprintf(why, len, _("%s is not below the cgroup v2 mount %s"), dir, m->point);
		return -EXDEV;
	}
	snprintf(cg->dir, sizeof(cg->dir), "%s", real);
	snprintf(cg->name, sizeof(cg->name), "%s%s", m->root, real + plen);
	cg->id = st.st_ino;
	cg->level = (uint32_t)count_levels(cg->name);
	if (!cg->level) {
		snprintf(why, len, _("%s is the root cgroup, that is every process: name one below it"), dir);
		return -EINVAL;
	}
	snprintf(events, sizeof(events), "%s/cgroup.events", real);
	cg->events_fd = open(events, O_RDONLY | O_CLOEXEC);
	if (cg->events_fd < 0) {
		snprintf(why, len, "%s: %s", events, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Starts filling cg: where the v2 hierarchy is, or why there is none. */
static int need_v2(struct fs_cgroup *cg, struct v2_mount *m, char *why, size_t len)
{
	memset(cg, 0, sizeof(*cg));
	cg->events_fd = -1;
	if (find_v2(m) == 0)
		return 0;
	snprintf(why, len, "%s", _("this system has only cgroup v1 (no cgroup2 hierarchy is mounted): --cgroup and --unit need cgroup v2"));
	return -EOPNOTSUPP;
}

int cgroup_open(struct fs_cgroup *cg, const char *path, char *why, size_t len)
{
	char dir[PATH_MAX * 2];
	struct v2_mount m;
	int err;

	err = need_v2(cg, &m, why, len);
	if (err)
		return err;
	/*
	 * Relative: below the v2 mount, else below /sys/fs/cgroup, as the user may
	 * have meant. Absolute but no directory: maybe a cgroup's name as
	 * /proc/PID/cgroup shows it, from the v2 root.
	 */
	snprintf(dir, sizeof(dir), "%s%s%s", path[0] == '/' ? "" : m.point, path[0] == '/' ? "" : "/", path);
	if (access(dir, F_OK)) {
		char other[PATH_MAX * 2];

		snprintf(other, sizeof(other), "%s%s", path[0] == '/' ? m.point : "/sys/fs/cgroup/", path);
		if (!access(other, F_OK))
			memcpy(dir, other, sizeof(dir));
	}
	return fill(cg, &m, dir, why, len);
}

/* ---- --unit --------------------------------------------------------------------- */

/* NAME with ".service" added unless it ends in a unit type already. */
static void unit_name(const char *unit, char *out, size_t len)
{
	static const char *const types[] = { ".service", ".scope", ".slice", ".socket", ".mount",
					     ".swap", ".target", ".timer", ".path", ".device" };
	size_t n = strlen(unit);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t t = strlen(types[i]);

		if (n > t && !strcmp(unit + n - t, types[i])) {
			snprintf(out, len, "%s", unit);
			return;
		}
	}
	snprintf(out, len, "%s.service", unit);
}

static void run_systemctl(int fd, void *unit)
{
	dup2(fd, STDOUT_FILENO);
	execlp("systemctl", "systemctl", "show", "--property=LoadState", "--property=ControlGroup",
	       "--property=MainPID", "--", (const char *)unit, (char *)NULL);
	_exit(127);
}

/* What `systemctl show` says of the unit's LoadState, ControlGroup and MainPID, into buf. */
static int systemctl_show(const char *unit, char *buf, size_t len)
{
	size_t got;
	int err = subproc_read(run_systemctl, (void *)unit, buf, len - 1, &got);

	buf[got] = '\0';
	return err;
}

/* The value of KEY= in systemctl's output, into out ("" when absent). */
static void show_value(const char *show, const char *key, char *out, size_t len)
{
	size_t k = strlen(key);

	out[0] = '\0';
	for (const char *l = show; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (!strncmp(l, key, k) && l[k] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(l + k + 1, "\n"), l + k + 1);
			return;
		}
	}
}

/* pid's cgroup v2 path (the "0::" line of /proc/PID/cgroup) into out; -errno when gone. */
static int proc_cgroup(pid_t pid, char *out, size_t len)
{
	char path[64], line[PATH_MAX + 8];
	int err = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		err = snprintf(out, len, "%s", line + 3) < (int)len ? 0 : -ENAMETOOLONG;
	}
	fclose(f);
	return err;
}

/* systemd's cgroup for the unit (from the v2 root) into out; -errno with why. */
static int unit_by_systemd(const char *unit, char *out, size_t len, char *why, size_t wlen)
{
	char show[8192], load[64], pid[32];

	if (systemctl_show(unit, show, sizeof(show))) {
		snprintf(why, wlen, _("no unit called %s: systemctl cannot tell"), unit);
		return -ENOENT;
	}
	show_value(show, "LoadState", load, sizeof(load));
	if (!strcmp(load, "not-found")) {
		snprintf(why, wlen, _("no unit called %s"), unit);
		return -ENOENT;
	}
	show_value(show, "ControlGroup", out, len);
	show_value(show, "MainPID", pid, sizeof(pid));
	if (!out[0] && atoi(pid) > 0)
		proc_cgroup(atoi(pid), out, len);
	if (out[0])
		return 0;
	snprintf(why, wlen, _("unit %s is not running: it has no cgroup"), unit);
	return -ESRCH;
}

/* Breadth first below dir: the first directory called name, into out. */
static int find_dir(const char *dir, const char *name, int depth, char *out, size_t len)
{
	DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
	struct dirent *e;
	int found = -ENOENT;

	while (d && found && (e = readdir(d))) {
		if (e->d_type == DT_DIR && !strcmp(e->d_name, name)) {
			snprintf(out, len, "%s/%s", dir, name);
			found = 0;
		}
	}
	if (d)
		rewinddir(d);
	while (d && found && (e = readdir(d))) {
		char sub[PATH_MAX];

		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		found = find_dir(sub, name, depth + 1, out, len);
	}
	if (d)
		closedir(d);
	return found;
}

int cgroup_open_unit(struct fs_cgroup *cg, const char *unit, char *why, size_t len)
{
	char name[256], rel[PATH_MAX], dir[PATH_MAX * 2];
	struct v2_mount m;
	int err;

	err = need_v2(cg, &m, why, len);
	if (err)
		return err;
	unit_name(unit, name, sizeof(name));
	if (access("/run/systemd/system", F_OK) == 0) {
		err = unit_by_systemd(name, rel, sizeof(rel), why, len);
		if (err)
			return err;
		/* ControlGroup is from the v2 root; the mount may show a subtree of it */
		snprintf(dir, sizeof(dir), "%s%s", m.point,
			 m.root[0] && !strncmp(rel, m.root, strlen(m.root)) ? rel + strlen(m.root) : rel);
	} else if (find_dir(m.point, name, 0, dir, sizeof(dir))) {
		snprintf(why, len, _("no unit called %s: systemd is not running and %s has no cgroup of that name"),
			 name, m.point);
		return -ENOENT;
	}
	return fill(cg, &m, dir, why, len);
}

/* ---- who is in it ----------------------------------------------------------------- */

int cgroup_event(int events_fd, const char *key)
{
	char buf[256];
	ssize_t n = pread(events_fd, buf, sizeof(buf) - 1, 0);
	size_t len = strlen(key);
	const char *p;

	if (n < 0)
		return -ENOENT; /* rmdir'd: the open file answers ENODEV */
	buf[n] = '\0';
	p = strstr(buf, key); /* "populated 1\nfrozen 0\n": no key is part of another */
	return p && p[len] == ' ' ? p[len + 1] == '1' : -ENOENT;
}

int cgroup_populated(const struct fs_cgroup *cg)
{
	return access(cg->dir, F_OK) ? -ENOENT : cgroup_event(cg->events_fd, "populated");
}

int cgroup_holds(const struct fs_cgroup *cg, pid_t pid)
{
	char path[PATH_MAX];
	size_t n = strlen(cg->name);

	if (proc_cgroup(pid, path, sizeof(path)))
		return 0;
	return !strncmp(path, cg->name, n) && (path[n] == '\0' || path[n] == '/');
}

/* The pids in dir's cgroup.procs and in every directory below it, appended to *pids. */
static int procs_below(const char *dir, int depth, uint32_t **pids, size_t *n, size_t *cap)
{
	char path[PATH_MAX];
	struct dirent *e;
	unsigned long pid;
	int err = 0;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	while (f && !err && fscanf(f, "%lu", &pid) == 1) {
		err = grow_array(pids, cap, *n + 1, sizeof(**pids));
		if (!err)
			(*pids)[(*n)++] = (uint32_t)pid;
	}
	if (f)
		fclose(f);
	d = depth < MAX_DEPTH ? opendir(dir) : NULL;
	while (d && !err && (e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		err = procs_below(path, depth + 1, pids, n, cap);
	}
	if (d)
		closedir(d);
	return err;
}

int cgroup_procs(const struct fs_cgroup *cg, uint32_t **pids, size_t *n)
{
	size_t cap = 0;

	*pids = NULL;
	*n = 0;
	return procs_below(cg->dir, 0, pids, n, &cap);
}

void cgroup_close(struct fs_cgroup *cg)
{
	if (cg->id && cg->events_fd >= 0)
		close(cg->events_fd);
	cg->events_fd = -1;
}

int cgroup_dir_of(pid_t pid, char *dir, size_t len, char *why, size_t wlen)
{
	char name[PATH_MAX];
	struct v2_mount m;
	size_t rlen;
	int err = find_v2(&m);

	if (err) {
		snprintf(why, wlen, "%s", _("this system has no cgroup v2 hierarchy mounted"));
		return err;
	}
	err = proc_cgroup(pid, name, sizeof(name));
	if (err) {
		snprintf(why, wlen, _("cannot read the cgroup of process %d: %s"), (int)pid, strerror(-err));
		return err;
	}
	/* the mount shows the hierarchy from m.root down (a container's view): name is below it */
	rlen = strlen(m.root);
	if (strncmp(name, m.root, rlen) || (name[rlen] && name[rlen] != '/')) {
		snprintf(why, wlen, _("process %d's cgroup %s is outside the cgroup v2 mount %s"), (int)pid, name, m.point);
		return -EXDEV;
	}
	if (snprintf(dir, len, "%s%s", m.point, strcmp(name + rlen, "/") ? name + rlen : "") >= (int)len) {
		snprintf(why, wlen, "%s", strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	return 0;
}
