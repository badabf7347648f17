// SPDX-License-Identifier: GPL-2.0
/*
 * Turns a terminal capture with colour escapes (tmux capture-pane -e -p) into an SVG of
 * that terminal: a fixed grid of cells, each glyph placed at its own cell, box-drawing
 * characters drawn as lines so that they join, the SGR colours in a dark terminal palette.
 * Usage: ansi2svg COLS ROWS < capture > screen.svg   (a dev tool for scripts/screenshot.sh)
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define FONT_PX 15  /* DejaVu Sans Mono advances 0.602 em: 9.03 px */
#define CELL_W 9    /* whole pixels: box lines fall on pixel boundaries at 1x and 2x */
#define CELL_H 20
#define BASELINE 15 /* from the top of a cell */
#define PAD 14
#define MAX_COLS 400
#define MAX_ROWS 200
#define DEFAULT (-1)
#define RGB_FLAG 0x1000000

enum { A_BOLD = 1, A_DIM = 2, A_ITALIC = 4, A_UNDER = 8, A_REVERSE = 16 };

struct style {
	int fg, bg; /* DEFAULT, 0..255, or RGB_FLAG | 0xrrggbb */
	int attr;
};

struct cell {
	wchar_t ch; /* 0: the right half of a wide character */
	struct style st;
};

static struct cell grid[MAX_ROWS][MAX_COLS];
static int cols, rows;

/* VS Code's dark terminal palette: vivid enough to read on a dark background, well known. */
static const uint32_t basic16[16] = {
	0x000000, 0xcd3131, 0x0dbc79, 0xe5e510, 0x2472c8, 0xbc3fbc, 0x11a8cd, 0xe5e5e5,
	0x666666, 0xf14c4c, 0x23d18b, 0xf5f543, 0x3b8eea, 0xd670d6, 0x29b8db, 0xe5e5e5,
};
static const uint32_t default_fg = 0xcccccc, default_bg = 0x1e1e1e;

/* The xterm 256-colour cube and grey ramp above the 16 basic colours. */
static uint32_t colour_rgb(int c, uint32_t dflt)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int g;

	if (c == DEFAULT)
		return dflt;
	if (c & RGB_FLAG)
		return (uint32_t)c & 0xffffff;
	if (c < 16)
		return basic16[c];
	if (c >= 232) {
		g = 8 + (c - 232) * 10;
		return (uint32_t)(g << 16 | g << 8 | g);
	}
	c -= 16;
	return (uint32_t)(level[c / 36] << 16 | level[c / 6 % 6] << 8 | level[c % 6]);
}

/* 38;5;N or 38;2;R;G;B (and 48;...): the colour, and how many parameters it used. */
static int extended_colour(const int *p, int n, int *used)
{
	if (n >= 2 && p[0] == 5) {
		*used = 2;
		return p[1] & 0xff;
	}
	if (n >= 4 && p[0] == 2) {
		*used = 4;
		return RGB_FLAG | (p[1] & 0xff) << 16 | (p[2] & 0xff) << 8 | (p[3] & 0xff);
	}
	*used = n;
	return DEFAULT;
}

static void sgr_one(struct style *st, const int *p, int n, int *used)
{
	static const int attr_on[10] = { [1] = A_BOLD, [2] = A_DIM, [3] = A_ITALIC, [4] = A_UNDER,
					 [7] = A_REVERSE };
	int v = p[0];

	*used = 1;
	if (v == 0)
		*st = (struct style){ DEFAULT, DEFAULT, 0 };
	else if (v < 10)
		st->attr |= attr_on[v];
	else if (v == 22)
		st->attr &= ~(A_BOLD | A_DIM);
	else if (v == 23 || v == 24 || v == 27)
		st->attr &= ~(v == 23 ? A_ITALIC : v == 24 ? A_UNDER : A_REVERSE);
	else if (v >= 30 && v <= 37)
		st->fg = v - 30;
	else if (v >= 90 && v <= 97)
		st->fg = v - 90 + 8;
	else if (v >= 40 && v <= 47)
		st->bg = v - 40;
	else if (v >= 100 && v <= 107)
		st->bg = v - 100 + 8;
	else if (v == 39 || v == 49)
		*(v == 39 ? &st->fg : &st->bg) = DEFAULT;
	else if (v == 38 || v == 48) {
		int c = extended_colour(p + 1, n - 1, used);

		*(v == 38 ? &st->fg : &st->bg) = c;
		(*used)++;
	}
}

/* ESC [ params m; returns the bytes consumed after the ESC. Other sequences are skipped. */
static size_t parse_csi(const char *s, size_t len, struct style *st)
{
	int p[32], n = 0, used;
	size_t i = 1;

	if (len < 2 || s[0] != '[')
		return len ? 1 : 0;
	p[0] = 0;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (p[n] < 100000) /* no SGR number is that long: keep garbage from overflowing */
				p[n] = p[n] * 10 + (s[i] - '0');
		} else if (s[i] == ';') {
			if (n < 31)
				p[++n] = 0;
		} else {
			break;
		}
	}
	if (i >= len)
		return len;
	if (s[i] == 'm')
		for (int k = 0; k <= n; k += used)
			sgr_one(st, p + k, n + 1 - k, &used);
	return i + 1;
}

/* One line of the capture into grid row r; the style carries over, as tmux writes it. */
static void parse_line(int r, const char *s, size_t len, struct style *st)
{
	mbstate_t mb;
	wchar_t wc;
	size_t i = 0, k;
	int c = 0, w;

	memset(&mb, 0, sizeof(mb));
	while (i < len) {
		if (s[i] == '\033') {
			i += 1 + parse_csi(s + i + 1, len - i - 1, st);
			continue;
		}
		k = mbrtowc(&wc, s + i, len - i, &mb);
		if (k == (size_t)-1 || k == (size_t)-2) { /* not UTF-8: one byte, shown as '?' */
			memset(&mb, 0, sizeof(mb));
			wc = L'?';
			k = 1;
		}
		k += !k; /* a NUL byte is one byte too */
		i += k;
		w = wcwidth(wc);
		if (w <= 0 || c + w > cols)
			continue;
		grid[r][c] = (struct cell){ wc, *st };
		if (w == 2)
			grid[r][c + 1] = (struct cell){ 0, *st };
		c += w;
	}
}

static void read_capture(FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct style st = { DEFAULT, DEFAULT, 0 };

	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++)
			grid[r][c] = (struct cell){ L' ', { DEFAULT, DEFAULT, 0 } };
	for (int r = 0; r < rows && (n = getline(&line, &cap, in)) >= 0; r++) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		parse_line(r, line, (size_t)n, &st);
	}
	free(line);
}

/* The colours a cell is drawn with, reverse video and dim applied. */
static void cell_colours(const struct style *st, uint32_t *fg, uint32_t *bg)
{
	uint32_t f = colour_rgb(st->fg, default_fg), b = colour_rgb(st->bg, default_bg), t;

	if (st->attr & A_REVERSE)
		t = f, f = b, b = t;
	if (st->attr & A_DIM) /* halfway to the background, as terminals draw faint text */
		f = ((f >> 1) & 0x7f7f7f) + ((b >> 1) & 0x7f7f7f);
	*fg = f;
	*bg = b;
}

static void backgrounds(void)
{
	uint32_t fg, bg, run_bg;
	int start;

	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c = start) {
			cell_colours(&grid[r][c].st, &fg, &run_bg);
			for (start = c + 1; start < cols; start++) {
				cell_colours(&grid[r][start].st, &fg, &bg);
				if (bg != run_bg)
					break;
			}
			if (run_bg != default_bg)
				printf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"/>\n",
				       PAD + c * CELL_W, PAD + r * CELL_H, (start - c) * CELL_W, CELL_H, run_bg);
		}
	}
}

/* Arms of a light box-drawing character: 1 left, 2 right, 4 up, 8 down; 0 when it is none. */
static int box_arms(wchar_t ch)
{
	switch (ch) {
	case L'─': return 3;
	case L'│': return 12;
	case L'┌': case L'╭': return 10;
	case L'┐': case L'╮': return 9;
	case L'└': case L'╰': return 6;
	case L'┘': case L'╯': return 5;
	case L'├': return 14;
	case L'┤': return 13;
	case L'┬': return 11;
	case L'┴': return 7;
	case L'┼': return 15;
	default: return 0;
	}
}

/*
 * The state and lane symbols as figures that fit their cell: the font's triangles are wider
 * than a cell and would run into the next one. Coordinates from the cell's top left corner.
 */
static const struct figure {
	wchar_t ch;
	const char *svg; /* printf format: the x and y offset come first, the colour last */
} figures[] = {
	{ L'▶', "<path transform=\"translate(%d %d)\" d=\"M1 7L8 11L1 15Z\" fill=\"#%06x\"/>" },
	{ L'◀', "<path transform=\"translate(%d %d)\" d=\"M8 7L1 11L8 15Z\" fill=\"#%06x\"/>" },
	{ L'▸', "<path transform=\"translate(%d %d)\" d=\"M2 8L7 11L2 14Z\" fill=\"#%06x\"/>" },
	{ L'◆', "<path transform=\"translate(%d %d)\" d=\"M4.5 6.5L8.5 11L4.5 15.5L0.5 11Z\" fill=\"#%06x\"/>" },
	{ L'◇', "<path transform=\"translate(%d %d)\" d=\"M4.5 7L8 11L4.5 15L1 11Z\" fill=\"none\" stroke=\"#%06x\"/>" },
	{ L'●', "<circle transform=\"translate(%d %d)\" cx=\"4.5\" cy=\"11\" r=\"3.5\" fill=\"#%06x\"/>" },
	{ L'○', "<circle transform=\"translate(%d %d)\" cx=\"4.5\" cy=\"11\" r=\"3\" fill=\"none\" stroke=\"#%06x\"/>" },
};

static const struct figure *figure_of(wchar_t ch)
{
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (figures[i].ch == ch)
			return &figures[i];
	return NULL;
}

static int is_shape(wchar_t ch)
{
	return box_arms(ch) || ch == L'█' || ch == L'░' || figure_of(ch);
}

/* A character drawn from the font (not a space, not a shape). */
static int is_glyph(wchar_t ch)
{
	return ch && ch != L' ' && !is_shape(ch);
}

/* Lines from the cell's centre to the edges it joins, on half pixels: crisp at 1x and 2x. */
static void draw_box(int x, int y, int arms, uint32_t fg)
{
	int mx = x + CELL_W / 2, my = y + CELL_H / 2;

	printf("<path stroke=\"#%06x\" d=\"", fg);
	if (arms & 1)
		printf("M%d %d.5H%d.5", x, my, mx);
	if (arms & 2)
		printf("M%d.5 %d.5H%d", mx, my, x + CELL_W);
	if (arms & 4)
		printf("M%d.5 %dV%d.5", mx, y, my);
	if (arms & 8)
		printf("M%d.5 %d.5V%d", mx, my, y + CELL_H);
	printf("\"/>\n");
}

/* Box lines, blocks and symbols as shapes: they meet their neighbours whatever the font does. */
static void draw_shape(int r, int c, wchar_t ch, uint32_t fg)
{
	int x = PAD + c * CELL_W, y = PAD + r * CELL_H;
	const struct figure *f = figure_of(ch);

	if (box_arms(ch))
		draw_box(x, y, box_arms(ch), fg);
	else if (f)
		printf(f->svg, x, y, fg), putchar('\n');
	else
		printf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"%s/>\n", x, y, CELL_W,
		       CELL_H, fg, ch == L'░' ? " fill-opacity=\"0.3\"" : "");
}

static void put_escaped(wchar_t ch)
{
	if (ch == L'&')
		fputs("&amp;", stdout);
	else if (ch == L'<')
		fputs("&lt;", stdout);
	else if (ch == L'>')
		fputs("&gt;", stdout);
	else
		printf("%lc", (wint_t)ch);
}

static int same_look(const struct style *a, const struct style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attr == b->attr;
}

/*
 * A run of cells in one style: its shapes, its underline, and each glyph in a <text> of its
 * own at its cell (librsvg takes only the first of several x values, and a fallback font's
 * advance is not the cell's).
 */
static void text_run(int r, int c0, int c1)
{
	const struct style *st = &grid[r][c0].st;
	int y = PAD + r * CELL_H;
	uint32_t fg, bg;
	int c, glyphs = 0;

	cell_colours(st, &fg, &bg);
	for (c = c0; c < c1; c++) {
		if (is_shape(grid[r][c].ch))
			draw_shape(r, c, grid[r][c].ch, fg);
		glyphs += is_glyph(grid[r][c].ch);
	}
	if (st->attr & A_UNDER)
		printf("<path stroke=\"#%06x\" d=\"M%d %d.5H%d\"/>\n", fg, PAD + c0 * CELL_W, y + BASELINE + 2,
		       PAD + c1 * CELL_W);
	if (!glyphs)
		return;
	printf("<g fill=\"#%06x\"%s%s>", fg, st->attr & A_BOLD ? " font-weight=\"bold\"" : "",
	       st->attr & A_ITALIC ? " font-style=\"italic\"" : "");
	for (c = c0; c < c1; c++) {
		if (!is_glyph(grid[r][c].ch))
			continue;
		printf("<text x=\"%d\" y=\"%d\">", PAD + c * CELL_W, y + BASELINE);
		put_escaped(grid[r][c].ch);
		printf("</text>");
	}
	printf("</g>\n");
}

static void texts(void)
{
	for (int r = 0; r < rows; r++) {
		for (int c = 0, end; c < cols; c = end) {
			for (end = c + 1; end < cols && same_look(&grid[r][end].st, &grid[r][c].st); end++)
				;
			text_run(r, c, end);
		}
	}
}

int main(int argc, char **argv)
{
	int w, h;

	if (argc != 3 || (cols = atoi(argv[1])) <= 0 || cols > MAX_COLS || (rows = atoi(argv[2])) <= 0 ||
	    rows > MAX_ROWS) {
		fprintf(stderr, "usage: ansi2svg COLS ROWS < capture > screen.svg\n");
		return 2;
	}
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		fprintf(stderr, "ansi2svg: no C.UTF-8 locale\n");
		return 1;
	}
	read_capture(stdin);
	w = cols * CELL_W + 2 * PAD;
	h = rows * CELL_H + 2 * PAD;
	printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	       "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"%d\" stroke-width=\"1\" stroke-linecap=\"square\">\n",
	       w, h, w, h, FONT_PX);
	printf("<rect width=\"%d\" height=\"%d\" rx=\"8\" fill=\"#%06x\"/>\n", w, h, default_bg);
	backgrounds();
	texts();
	printf("</svg>\n");
	return 0;
}
