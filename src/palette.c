// SPDX-License-Identifier: GPL-2.0
/* The colours of forkscope's pictures, by meaning: one palette for the TUI, the SVG export and the docs. */
#include "model.h"
#include "palette.h"

_Static_assert(PALETTE_STATES == MS_COUNT, "one colour per model state");

/*
 * Chosen to tell apart on a projector and for the common colour-vision
 * deficiencies: running (green) and blocked (blue) differ in lightness too,
 * ready is amber, a zombie purple, a reaped tomb grey.
 */
const struct palette_state palette_states[PALETTE_STATES] = {
	{ "created", { "#a6cee3", 153, 6 } }, /* light blue; basic: cyan */
	{ "ready",   { "#f2b134", 214, 3 } }, /* amber; yellow */
	{ "running", { "#2ca02c", 34, 2 } },  /* green */
	{ "blocked", { "#4e79a7", 67, 4 } },  /* steel blue */
	{ "zombie",  { "#9467bd", 134, 5 } }, /* purple; magenta */
	{ "reaped",  { "#8c8c8c", 245, 7 } }, /* grey; white (dim) */
};

const struct palette_colour palette_roles[PAL_ROLES] = {
	[PAL_TEXT] = { "#222222", 235, 7 },
	[PAL_DIM] = { "#9a9a9a", 247, 7 },
	[PAL_FORK] = { "#444444", 238, 7 },
	[PAL_EXEC] = { "#e07b00", 172, 3 },
	[PAL_EXIT] = { "#000000", 16, 7 },
	[PAL_LINK] = { "#17a2b8", 37, 6 },
	[PAL_SIGNAL] = { "#d62728", 160, 1 },
	[PAL_MARK] = { "#8c564b", 95, 5 },
	[PAL_ALERT] = { "#d62728", 196, 1 },
	[PAL_GRID] = { "#e6e6e6", 254, 7 },
};
