/* SPDX-License-Identifier: GPL-2.0 */
/* One way to grow an array: geometric, new items zeroed. */
#ifndef FORKSCOPE_GROW_H
#define FORKSCOPE_GROW_H

#include <stddef.h>

/*
 * Makes the array at *(void **)arr, of *cap items of size bytes, hold at
 * least need items: its capacity doubles (from 64), the new items are
 * zeroed, *cap is updated. 0, or -ENOMEM with the array left as it was.
 */
int grow_array(void *arr, size_t *cap, size_t need, size_t size);

#endif
