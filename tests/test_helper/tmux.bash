# A private tmux server per test, for driving the TUI: fixed size, the screen polled every 50 ms
# up to a deadline (never a bare sleep), printed when a wait fails, the server killed in teardown.

TUI_STARTS=0
TUI_SOCKET=""

tui_tmux() {
	tmux -L "$TUI_SOCKET" -f /dev/null "$@"
}

# tui_start W H COMMAND...: runs COMMAND in a W x H terminal; when it ends, the pane shows
# "EXIT=<status>" and the terminal's modes (stty), and stays open for inspection.
tui_start() {
	local w=$1 h=$2
	shift 2
	# a new server each time: a killed one may still be going away
	TUI_STARTS=$((TUI_STARTS + 1))
	TUI_SOCKET="forkscope-tui-$$-${BATS_TEST_NUMBER:-0}-$TUI_STARTS"
	printf '%q ' "$@" >"$BATS_TEST_TMPDIR/cmd"
	cat >"$BATS_TEST_TMPDIR/pane.sh" <<-EOF
		$(cat "$BATS_TEST_TMPDIR/cmd")
		echo "EXIT=\$?"
		echo "MODES: \$(stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo|isig)' | tr '\n' ' ')"
		exec sleep 600
	EOF
	tui_tmux new-session -d -x "$w" -y "$h" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		-e NO_COLOR= sh "$BATS_TEST_TMPDIR/pane.sh"
}

tui_stop() {
	[ -z "$TUI_SOCKET" ] || tui_tmux kill-server 2>/dev/null || true
}

tui_screen() {
	tui_tmux capture-pane -p -t 0
}

tui_keys() {
	tui_tmux send-keys -t 0 "$@"
}

tui_resize() {
	tui_tmux resize-window -t 0 -x "$1" -y "$2"
}

# The pid of the program the pane runs (the child of its shell), once it is up.
tui_pid() {
	pgrep -P "$(tui_tmux display -p -t 0 '#{pane_pid}')" | head -1
}

# tui_poll present|absent REGEX [SECONDS]: until the screen matches (or no longer does),
# or fail showing the screen.
tui_poll() {
	local want=$1 re=$2 deadline=$(($(date +%s%N) + ${3:-10} * 1000000000))

	while :; do
		tui_screen >"$BATS_TEST_TMPDIR/screen" 2>/dev/null
		if grep -qE -- "$re" "$BATS_TEST_TMPDIR/screen"; then
			[ "$want" = present ] && return 0
		else
			[ "$want" = absent ] && return 0
		fi
		if [ "$(date +%s%N)" -gt "$deadline" ]; then
			echo "timed out waiting for /$re/ to be $want, on this screen:" >&2
			cat "$BATS_TEST_TMPDIR/screen" >&2
			return 1
		fi
		sleep 0.05
	done
}

# tui_wait REGEX [SECONDS]: until the screen matches.
tui_wait() {
	tui_poll present "$@"
}

# tui_wait_gone REGEX [SECONDS]: until the screen no longer matches.
tui_wait_gone() {
	tui_poll absent "$@"
}

# The terminal is as the program found it: normal screen, canonical mode, echo, signals.
tui_assert_restored() {
	tui_wait 'EXIT=[0-9]+'
	tui_wait 'MODES: '
	[ "$(tui_tmux display -p -t 0 '#{alternate_on}')" = 0 ] || {
		echo "the terminal is still on the alternate screen" >&2
		return 1
	}
	for mode in isig icanon echo; do
		grep -qE "^MODES:.* $mode( |\$)" "$BATS_TEST_TMPDIR/screen" || {
			echo "terminal mode $mode not restored:" >&2
			cat "$BATS_TEST_TMPDIR/screen" >&2
			return 1
		}
	done
}
