// SPDX-License-Identifier: GPL-2.0
/* A terminal-free screen: a grid of cells with semantic roles, and the glyph sets to draw with. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "log.h"
#include "view_grid.h"

const struct view_glyphs view_glyphs_utf8 = {
	.utf8 = 1,
	.h = "─", .v = "│", .tl = "┌", .tr = "┐", .bl = "└", .br = "┘",
	.tree_mid = "├─ ", .tree_last = "└─ ", .tree_pipe = "│  ", .tree_space = "   ",
	.state = { "◇", "○", "▶", "‖", "†", "·" },
	.lane = "│", .lane_top = "┬", .lane_bottom = "┴", .lane_cross = "┼",
	.lane_write = "▶", .lane_read = "◀", .lane_both = "◆", .lane_idle = "●",
	.arrow = "→", .back_arrow = "←",
	.ellipsis = "…", .check = "✓", .current = "▸", .bar_full = "█", .bar_empty = "░",
};

const struct view_glyphs view_glyphs_ascii = {
	.utf8 = 0,
	.h = "-", .v = "|", .tl = "+", .tr = "+", .bl = "+", .br = "+",
	.tree_mid = "|- ", .tree_last = "`- ", .tree_pipe = "|  ", .tree_space = "   ",
	.state = { "+", "o", ">", "=", "Z", "." },
	.lane = "|", .lane_top = "+", .lane_bottom = "+", .lane_cross = "+",
	.lane_write = ">", .lane_read = "<", .lane_both = "x", .lane_idle = "o",
	.arrow = "->", .back_arrow = "<-",
	.ellipsis = "~", .check = "v", .current = ">", .bar_full = "#", .bar_empty = ".",
};

int view_grid_resize(struct view_grid *g, int w, int h)
{
	struct view_cell *cells;

	if (w < 1 || h < 1)
		return -EINVAL;
	if (w != g->w || h != g->h) {
		cells = realloc(g->cells, (size_t)w * (size_t)h * sizeof(*cells));
		if (!cells)
			return -ENOMEM;
		g->cells = cells;
		g->w = w;
		g->h = h;
	}
	view_grid_clear(g);
	return 0;
}

void view_grid_free(struct view_grid *g)
{
	free(g->cells);
	g->cells = NULL;
	g->w = g->h = 0;
}

void view_grid_clear(struct view_grid *g)
{
	for (int i = 0; i < g->w * g->h; i++)
		g->cells[i] = (struct view_cell){ ' ', VR_NORMAL, 0 };
}

struct view_cell *view_grid_at(struct view_grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->cells[y * g->w + x];
}

static int in_rect(struct view_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/*
 * Overwriting half of a wide character (a cell, then a 0 cell for its second column) blanks
 * the other half: a box drawn over CJK text must not leave half a character behind.
 */
static void split_wide(struct view_grid *g, int x, int y, uint32_t ch)
{
	struct view_cell *c = view_grid_at(g, x, y), *left = view_grid_at(g, x - 1, y),
			 *right = view_grid_at(g, x + 1, y);

	if (ch != 0 && c->ch == 0 && left && left->ch != 0)
		left->ch = ' ';
	if (c->ch != 0 && right && right->ch == 0 && !(ch >= 0x80 && wcwidth((wchar_t)ch) == 2))
		right->ch = ' ';
}

static void set_cell(struct view_grid *g, struct view_rect clip, int x, int y, uint32_t ch,
		     int role, int attr)
{
	struct view_cell *c = view_grid_at(g, x, y);

	if (!c || !in_rect(clip, x, y))
		return;
	split_wide(g, x, y, ch);
	*c = (struct view_cell){ ch, (uint8_t)role, (uint8_t)attr };
}

/*
 * How one character of s is shown: its code point and width when it can be
 * drawn as itself, else an escape (written to esc). Returns the bytes used.
 */
static int next_char(const struct view_glyphs *gl, const char *s, size_t n, uint32_t *cp,
		     int *width, char esc[8])
{
	unsigned char c = (unsigned char)s[0];
	int k = log_text_char(s, n, cp);

	esc[0] = '\0';
	if (c == '\t') {
		*cp = ' ';
		*width = 1;
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		snprintf(esc, 8, "^%c", c == 0x7f ? '?' : c + 0x40);
		*width = 2;
		return 1;
	}
	if (c < 0x80) {
		*cp = c;
		*width = 1;
		return 1;
	}
	*width = gl->utf8 && k ? wcwidth((wchar_t)*cp) : -1;
	if (*width >= 0)
		return k;
	snprintf(esc, 8, "\\x%02x", c);
	*width = 4;
	return 1;
}

int view_put(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x, int y,
	     const char *s, size_t n, int role, int attr)
{
	uint32_t cp;
	int width, k;
	char esc[8];

	for (size_t i = 0; i < n; i += k) {
		k = next_char(gl, s + i, n - i, &cp, &width, esc);
		if (esc[0]) {
			for (int j = 0; esc[j]; j++)
				set_cell(g, clip, x++, y, (unsigned char)esc[j], role, attr);
			continue;
		}
		if (width == 0)
			continue;
		/* a wide character that would be cut by the clip edge is not drawn at all */
		if (width == 2 && !in_rect(clip, x + 1, y)) {
			set_cell(g, clip, x, y, ' ', role, attr);
			x += 2;
			continue;
		}
		set_cell(g, clip, x++, y, cp, role, attr);
		if (width == 2)
			set_cell(g, clip, x++, y, 0, role, attr);
	}
	return x;
}

int view_puts(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x,
	      int y, const char *s, int role, int attr)
{
	return view_put(g, gl, clip, x, y, s, strlen(s), role, attr);
}

int view_put_cut(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x,
		 int y, const char *s, size_t n, int role, int attr)
{
	int room = clip.x + clip.w - x;

	if (room <= 0 || view_text_width(gl, s, n) <= room)
		return view_put(g, gl, clip, x, y, s, n, role, attr);
	x = view_put(g, gl, clip, x, y, s, view_text_fit(gl, s, n, room - 1), role, attr);
	return view_puts(g, gl, clip, x, y, gl->ellipsis, role, attr);
}

int view_puts_cut(struct view_grid *g, const struct view_glyphs *gl, struct view_rect clip, int x,
		  int y, const char *s, int role, int attr)
{
	return view_put_cut(g, gl, clip, x, y, s, strlen(s), role, attr);
}

int view_text_width(const struct view_glyphs *gl, const char *s, size_t n)
{
	int w = 0, width, k;
	uint32_t cp;
	char esc[8];

	for (size_t i = 0; i < n; i += k) {
		k = next_char(gl, s + i, n - i, &cp, &width, esc);
		w += width;
	}
	return w;
}

size_t view_text_fit(const struct view_glyphs *gl, const char *s, size_t n, int width)
{
	int w = 0, cw, k;
	uint32_t cp;
	char esc[8];
	size_t i;

	for (i = 0; i < n; i += k) {
		k = next_char(gl, s + i, n - i, &cp, &cw, esc);
		if (w + cw > width)
			break;
		w += cw;
	}
	return i;
}

void view_paint(struct view_grid *g, struct view_rect r, int role, int attr)
{
	for (int y = r.y; y < r.y + r.h; y++) {
		for (int x = r.x; x < r.x + r.w; x++) {
			struct view_cell *c = view_grid_at(g, x, y);

			if (c) {
				c->role = (uint8_t)role;
				c->attr = (uint8_t)attr;
			}
		}
	}
}

void view_fill(struct view_grid *g, struct view_rect r, int role)
{
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++)
			set_cell(g, r, x, y, ' ', role, 0);
}

struct view_rect view_box(struct view_grid *g, const struct view_glyphs *gl, struct view_rect r,
			  const char *title, int role)
{
	struct view_rect in = { r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
	int right = r.x + r.w - 1, bottom = r.y + r.h - 1;

	if (r.w < 2 || r.h < 2)
		return (struct view_rect){ r.x, r.y, 0, 0 };
	for (int x = r.x + 1; x < right; x++) {
		view_puts(g, gl, r, x, r.y, gl->h, role, 0);
		view_puts(g, gl, r, x, bottom, gl->h, role, 0);
	}
	for (int y = r.y + 1; y < bottom; y++) {
		view_puts(g, gl, r, r.x, y, gl->v, role, 0);
		view_puts(g, gl, r, right, y, gl->v, role, 0);
	}
	view_puts(g, gl, r, r.x, r.y, gl->tl, role, 0);
	view_puts(g, gl, r, right, r.y, gl->tr, role, 0);
	view_puts(g, gl, r, r.x, bottom, gl->bl, role, 0);
	view_puts(g, gl, r, right, bottom, gl->br, role, 0);
	if (title && *title && r.w > 6) {
		struct view_rect t = { r.x + 2, r.y, r.w - 4, 1 }, name = { t.x, t.y, t.w - 1, 1 };
		int x = view_puts(g, gl, t, t.x, r.y, " ", role, 0);

		/* whole if it fits, else cut with an ellipsis and a space before the corner */
		if (view_text_width(gl, title, strlen(title)) <= t.x + t.w - x)
			name = t;
		x = view_puts_cut(g, gl, name, x, r.y, title, role == VR_BORDER_FOCUS ? VR_BORDER_FOCUS : VR_TITLE,
				  VA_BOLD);
		view_puts(g, gl, t, x, r.y, " ", role, 0);
	}
	return in;
}

/* One letter per role, for golden files: '.' is normal text. */
static const char role_letters[VR_COUNT + 1] = ".dbBthsSAxpFcyrkzRlgmfeiO";

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One row as text (or role letters) into out, trailing spaces dropped; returns the length. */
static size_t row_text(const struct view_grid *g, int y, int roles, char *out)
{
	size_t len = 0, keep = 0;

	for (int x = 0; x < g->w; x++) {
		const struct view_cell *c = &g->cells[y * g->w + x];

		if (roles)
			out[len++] = c->role < VR_COUNT ? role_letters[c->role] : '?';
		else if (c->ch)
			len += put_utf8(out + len, c->ch);
		if (roles ? out[len - 1] != '.' : c->ch != ' ' && c->ch != 0)
			keep = len;
	}
	return keep;
}

/* Copies the printable ASCII that s (n bytes) starts with, which is drawn as itself: most text is nothing else. */
static size_t copy_printable_ascii(char *out, const char *s, size_t n)
{
	size_t k = 0;

	for (; k < n && (unsigned char)(s[k] - 0x20) < 0x5f; k++)
		out[k] = s[k];
	return k;
}

size_t view_text_plain(const struct view_glyphs *gl, const char *s, size_t n, char *out)
{
	size_t len = 0;
	uint32_t cp;
	int width;
	char esc[8];

	for (size_t i = 0, k; i < n; i += k) {
		k = copy_printable_ascii(out + len, s + i, n - i);
		if (k) { /* as next_char would say, but sooner */
			len += k;
			continue;
		}
		k = (size_t)next_char(gl, s + i, n - i, &cp, &width, esc);
		if (esc[0]) {
			memcpy(out + len, esc, strlen(esc));
			len += strlen(esc);
		} else if (width > 0) {
			len += put_utf8(out + len, cp);
		}
	}
	/* a blank cell is the only one whose text is a space: no escape or UTF-8 sequence has one */
	while (len && out[len - 1] == ' ')
		len--;
	return len;
}

char *view_grid_text(const struct view_grid *g, int roles)
{
	size_t cap = (size_t)g->h * ((size_t)g->w * 4 + 1) * (roles ? 2 : 1) + 16, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (int pass = 0; pass <= roles; pass++) {
		if (pass)
			len += (size_t)sprintf(buf + len, "--- roles ---\n");
		for (int y = 0; y < g->h; y++) {
			len += row_text(g, y, pass, buf + len);
			buf[len++] = '\n';
		}
	}
	buf[len] = '\0';
	return buf;
}
