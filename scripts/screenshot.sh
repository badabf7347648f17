#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Makes the README's screenshot: the TUI replaying a bundled recording in a private tmux server,
# captured as text (docs/screenshot.txt) and, with its colours, drawn as docs/screenshot.png.
# A dev tool (make screenshot), not a test; installs tmux, librsvg2-bin and the DejaVu fonts if
# they are missing (as root).
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
# the pool demo at the moment worker 1061 has just become a zombie: a tree of four workers,
# running, zombie and blocked states, its two pipes as lanes, the event log and the lesson
SESSION=examples/sessions/pool.jsonl
EVENT=120
COLS=100
ROWS=30
SOCKET=forkscope-shot-$$

die() {
	echo "screenshot: $*" >&2
	exit 1
}

# need PACKAGE TEST...: installs PACKAGE unless TEST succeeds (apt-get update only if needed).
need() {
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 && return 0
	[ "$(id -u)" = 0 ] || die "$pkg is missing: sudo apt-get install $pkg"
	echo "screenshot: installing $pkg"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends "$pkg" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$pkg" >/dev/null; } ||
		die "cannot install $pkg"
}

shot() {
	tmux -L "$SOCKET" -f /dev/null "$@"
}

# wait_for REGEX: polls the screen every 50 ms for up to 10 s.
wait_for() {
	i=0
	until shot capture-pane -p -t 0 | grep -qE -- "$1"; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || { shot capture-pane -p -t 0 >&2; die "timed out waiting for /$1/"; }
		sleep 0.05
	done
}

# wait_still: until two captures 0.25 s apart are the same, with the event rate in the status bar
# (counted over a second) back to 0/s after the steps: no frame half drawn, and the notes of the
# last steps, which fade after 3 s, still shown (the highlights fade after 2 s).
wait_still() {
	prev=""
	while :; do
		now=$(shot capture-pane -e -p -t 0)
		[ "$now" = "$prev" ] && printf '%s\n' "$now" | grep -q ' 0/s ' && return 0
		prev=$now
		sleep 0.25
	done
}

need tmux command -v tmux
need librsvg2-bin command -v rsvg-convert
need fonts-dejavu-core test -r /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
[ -x "$BUILD/forkscope" ] || make --no-print-directory BUILD="$BUILD" "$BUILD/forkscope"
# the converter from the colour capture to SVG is this script's own tool (built in a second)
${CC:-cc} -O2 -Wall -Wextra -Werror -D_GNU_SOURCE scripts/ansi2svg.c -o "$BUILD/ansi2svg"

trap 'shot kill-server 2>/dev/null || true' EXIT
shot new-session -d -x "$COLS" -y "$ROWS" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e NO_COLOR= \
	"$BUILD/forkscope --lang en replay $SESSION; sleep 600"
wait_for "REPLAY $(basename "$SESSION")"
shot send-keys -t 0 space
wait_for PAUSED
shot send-keys -t 0 Home
wait_for ' 0/[0-9]+ ev'
shot send-keys -t 0 -N "$EVENT" s
wait_for " $EVENT/[0-9]+ ev"
wait_still

shot capture-pane -p -t 0 >docs/screenshot.txt
shot capture-pane -e -N -p -t 0 >"$BUILD/screenshot.ans"
"$BUILD/ansi2svg" "$COLS" "$ROWS" <"$BUILD/screenshot.ans" >"$BUILD/screenshot.svg"
# twice the size: sharp on high-density screens, and GitHub scales it down for the others
rsvg-convert --zoom 2 -o docs/screenshot.png "$BUILD/screenshot.svg"
echo "screenshot: docs/screenshot.txt and docs/screenshot.png, $COLS x $ROWS, $SESSION at event $EVENT"
