#!/usr/bin/env bats
# End-to-end: every command README.md shows in a ```sh block, and every line of the man page's
# EXAMPLES, typed as written into an interactive shell in a real terminal (a private tmux
# server), in order, so that a file one command writes is there for the next. A command that
# opens the TUI is looked at and left with q. Each must exit 0.
# Left out, and named: `sudo make test`, the command that runs this very test.

setup() {
	load 'test_helper/common'
	load 'test_helper/tmux'
	common_setup
	require_tracing
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	# a work directory that looks like the source tree, so that what the commands write stays here
	mkdir work
	for f in "$TOP"/* "$TOP"/.ci; do
		ln -s "$f" work/
	done
}

teardown() {
	tui_stop
}

# The commands of README.md's ```sh blocks, one a line.
readme_commands() {
	awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on && NF' "$TOP/README.md"
}

# The lines of the man page's EXAMPLES, with roff's escapes undone.
man_commands() {
	awk '/^\.SH EXAMPLES/ { on = 1 } /^\.SH SEE ALSO/ { on = 0 }
	     on && /^\.EX/ { ex = 1; next } /^\.EE/ { ex = 0 } on && ex' "$TOP/docs/forkscope.1" |
		sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g'
}

# Whether a command line opens the TUI: the menu, demo and run without -p or --list, replay
# without --headless, and make run. The subcommand is the first word after forkscope's own
# global options.
opens_tui() {
	local words

	[[ $1 == *"make run"* ]] && return 0
	read -r -a words <<<"${1%%#*}"
	set -- "${words[@]}"
	while [ $# -gt 0 ] && [[ $1 != *forkscope ]]; do
		shift
	done
	[ $# -gt 0 ] || return 1
	shift
	while [[ ${1:-} == -* ]]; do
		[[ $1 == --lang ]] && shift
		shift
	done
	case ${1:-} in
	"") return 0 ;;
	demo | run) [[ " $* " != *" -p "* && " $* " != *" --print "* && " $* " != *" --list "* ]] ;;
	replay) [[ " $* " != *" --headless "* ]] ;;
	*) return 1 ;;
	esac
}

# An interactive bash in a 100x30 terminal in work/; after each command its status is appended
# to status (PROMPT_COMMAND), which is how the test knows a command has ended. pipefail: a
# forkscope that fails before a '| tail -1' fails the line.
shell_start() {
	TUI_SOCKET="forkscope-docs-$$-$BATS_TEST_NUMBER"
	tui_tmux new-session -d -x 100 -y 30 -c "$BATS_TEST_TMPDIR/work" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		-e PS1='$ ' -e PROMPT_COMMAND="echo \$? >>$BATS_TEST_TMPDIR/status" \
		"$@" bash --norc --noprofile -o pipefail -i
	wait_status 1 10
}

# wait_status N SECONDS: until work/status has N lines.
wait_status() {
	local deadline=$((SECONDS + $2))

	until [ "$({ wc -l <"$BATS_TEST_TMPDIR/status"; } 2>/dev/null || echo 0)" -ge "$1" ]; do
		if [ "$SECONDS" -gt "$deadline" ]; then
			echo "no prompt after $2 s; the terminal shows:" >&2
			tui_screen >&2
			return 1
		fi
		sleep 0.05
	done
}

# Until the terminal is on the alternate screen: a TUI has started (what the shell printed
# before is off the screen then).
wait_alternate_screen() {
	local deadline=$((SECONDS + 30))

	until [ "$(tui_tmux display -p -t 0 '#{alternate_on}')" = 1 ]; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "no TUI after 30 s:" >&2; tui_screen >&2; return 1; }
		sleep 0.05
	done
}

# Presses s until a stepped live run has ended (at most 60 s): each press lets the frozen tree
# run to its next breakpoint.
step_to_end() {
	local deadline=$(($(date +%s) + 60))

	until grep -qE 'ended \(|已结束' "$BATS_TEST_TMPDIR/screen"; do
		[ "$(date +%s)" -lt "$deadline" ] || { cat "$BATS_TEST_TMPDIR/screen" >&2; return 1; }
		grep -qE 'FROZEN|已冻结' "$BATS_TEST_TMPDIR/screen" && tui_keys s
		sleep 0.2
		tui_screen >"$BATS_TEST_TMPDIR/screen"
	done
}

# Types one command; a TUI is looked at (a live run that records, or steps, is let finish) and
# quit. Fails unless the command's status is 0.
type_command() {
	local line=$1 n rc

	n=$(($(wc -l <"$BATS_TEST_TMPDIR/status") + 1))
	echo "\$ $line"
	tui_keys -l "$line"
	tui_keys Enter
	if opens_tui "$line"; then
		wait_alternate_screen
		# (a line with --lang zh speaks Chinese: 实时 is LIVE, 回放 REPLAY)
		tui_wait 'forkscope  pick a demo|LIVE |REPLAY |实时 |回放 ' 30
		if grep -qE 'LIVE |实时 ' "$BATS_TEST_TMPDIR/screen" && [[ $line == *" --step"* ]]; then
			step_to_end
		elif grep -q 'LIVE ' "$BATS_TEST_TMPDIR/screen" && [[ $line == *" -o "* ]]; then
			tui_wait 'ended \(' 60
		fi
		tui_keys q
	fi
	wait_status "$n" 120
	rc=$(sed -n "${n}p" "$BATS_TEST_TMPDIR/status")
	[ "$rc" = 0 ] || {
		echo "exit status $rc; the terminal shows:" >&2
		tui_screen >&2
		return 1
	}
}

@test "the classifier tells the README's TUI commands from the others" {
	opens_tui "sudo build/forkscope"
	opens_tui "build/forkscope                      # the menu"
	opens_tui "sudo build/forkscope demo pool -o pool.jsonl"
	opens_tui "sudo forkscope run -- sh -c 'ls | wc -l'"
	opens_tui "build/forkscope replay pool.jsonl --speed 0.5"
	opens_tui "sudo make run    # opens the TUI"
	run ! opens_tui "sudo build/forkscope demo pool -p"
	run ! opens_tui "build/forkscope demo --list"
	run ! opens_tui "build/forkscope replay --headless session.jsonl"
	run ! opens_tui "sudo build/forkscope record -o s.jsonl -- sh -c 'echo hi'"
	run ! opens_tui "sudo make test   # installs what is missing"
	run ! opens_tui "sudo forkscope record -o pipe.jsonl --demo pipe -- --fast"
	run ! opens_tui "forkscope replay --headless pipe.jsonl | tail -1"
	opens_tui "sudo build/forkscope --lang zh run --pid \$pid"
}

@test "every command of the README works as written, in order" {
	local shown=0

	readme_commands >commands
	shell_start
	while IFS= read -r line; do
		[[ $line == "sudo make test"* ]] && continue
		type_command "$line"
		shown=$((shown + 1))
	done <commands
	# the README shows at least these: a change that drops its examples must not pass silently
	[ "$shown" -ge 20 ]
	[ -s work/pool.jsonl ] && [ -s work/session.jsonl ] && [ -s work/srv.jsonl ] && [ -s work/tree.svg ]
}

@test "every example of the man page works as written, with forkscope installed" {
	local shown=0

	make --no-print-directory -C "$TOP" install DESTDIR="$BATS_TEST_TMPDIR/inst" PREFIX=/usr/local >/dev/null
	man_commands >commands
	# the installed forkscope in /usr/local, for this terminal's shell alone (its own mount namespace)
	shell_start unshare --mount --propagation private \
		sh -c "mount --bind '$BATS_TEST_TMPDIR/inst/usr/local' /usr/local && exec \"\$@\"" sh
	while IFS= read -r line; do
		type_command "$line"
		shown=$((shown + 1))
	done <commands
	[ "$shown" -ge 8 ]
	[ -s work/pipe.jsonl ] && [ -s work/pipe.json ] && [ -s work/tree.svg ] && [ -s work/make.jsonl ]
}
