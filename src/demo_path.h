/* SPDX-License-Identifier: GPL-2.0 */
/* Finds a bundled demo's binary: beside the forkscope binary when built, else where installed. */
#ifndef FORKSCOPE_DEMO_PATH_H
#define FORKSCOPE_DEMO_PATH_H

#include <stddef.h>

/* Fills buf with the demo's executable path; -ENOENT when it is not built or installed. */
int demo_path(const char *name, char *buf, size_t len);

/* The directory forkscope's own binary is in. 0 or -errno. */
int demo_exe_dir(char *buf, size_t len);

#endif
