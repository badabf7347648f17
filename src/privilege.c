// SPDX-License-Identifier: GPL-2.0
/* Least privilege under sudo: the command runs as the user who asked, and so does forkscope once attached. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "privilege.h"

#define CAP_BPF_NR 39 /* not in older headers */

/* The sudo user, when root runs on someone's behalf; 0 when there is nobody to become. */
static int sudo_user(uid_t *uid, gid_t *gid)
{
	const char *uid_s = getenv("SUDO_UID"), *gid_s = getenv("SUDO_GID");

	if (!uid_s || !gid_s || geteuid() != 0)
		return 0;
	*uid = (uid_t)strtoul(uid_s, NULL, 10);
	*gid = (gid_t)strtoul(gid_s, NULL, 10);
	return *uid != 0;
}

/*
 * Becomes the sudo user (ids and groups): 1 when it did, 0 when there is
 * nobody to become, -errno on failure. *pw (may be NULL) is for the environment.
 */
static int become_sudo_user(struct passwd **pw)
{
	uid_t uid;
	gid_t gid;

	if (!sudo_user(&uid, &gid))
		return 0;
	*pw = getpwuid(uid);
	if (*pw ? initgroups((*pw)->pw_name, gid) : setgroups(0, NULL))
		return -errno;
	if (setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
		return -errno;
	return 1;
}

int priv_become_user(void)
{
	struct passwd *pw = NULL;
	int became = become_sudo_user(&pw); /* setuid from root clears every capability */

	if (became > 0 && pw) {
		setenv("HOME", pw->pw_dir, 1);
		setenv("USER", pw->pw_name, 1);
		setenv("LOGNAME", pw->pw_name, 1);
	}
	return became < 0 ? became : 0;
}

int priv_drop_tracer(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2] = {};
	struct passwd *pw = NULL;
	int became;

	if (prctl(PR_SET_KEEPCAPS, 1))
		return -errno;
	became = become_sudo_user(&pw);
	prctl(PR_SET_KEEPCAPS, 0);
	if (became <= 0)
		return became;
	caps[CAP_BPF_NR / 32].permitted = caps[CAP_BPF_NR / 32].effective = 1u << (CAP_BPF_NR % 32);
	return syscall(SYS_capset, &hdr, caps) ? -errno : 0;
}

uid_t priv_user(void)
{
	uid_t uid;
	gid_t gid;

	return sudo_user(&uid, &gid) ? uid : getuid();
}
