/* SPDX-License-Identifier: GPL-2.0 */
/* Least privilege under sudo: the command runs as the user who asked, and so does forkscope once attached. */
#ifndef FORKSCOPE_PRIVILEGE_H
#define FORKSCOPE_PRIVILEGE_H

#include <sys/types.h>

/*
 * For the traced command, in the child before exec: becomes the sudo user
 * (SUDO_UID/SUDO_GID, that user's groups, HOME/USER/LOGNAME) with no
 * capabilities left. Does nothing without sudo or as a non-root caller. 0 or -errno.
 */
int priv_become_user(void);

/*
 * For forkscope itself, once its probes are attached and its log is open:
 * becomes the sudo user too, keeping only CAP_BPF, which the bpf() calls on
 * its own maps still need where unprivileged BPF is disabled. 0 or -errno.
 */
int priv_drop_tracer(void);

/* The user forkscope acts for: the sudo user under sudo, else the real user. */
uid_t priv_user(void);

#endif
