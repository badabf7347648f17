#!/usr/bin/env bats
# End-to-end: the global conventions of the command line: -q/--quiet, -v/--verbose and --color.

setup() {
	load 'test_helper/common'
	load 'test_helper/tmux'
	common_setup
	SESSIONS="$BATS_TEST_DIRNAME/../examples/sessions"
	# a recording with its end line cut off: reading it works, with a warning
	head -n -1 "$SESSIONS/fork.jsonl" >cut.jsonl
}

teardown() {
	tui_stop
}

@test "-q silences the warning about a log cut short; the output and the status stay" {
	want="forkscope: warning: cut.jsonl is truncated (no end line): the tracer did not finish"
	for cmd in "dump" "dump --json" "export --format text"; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr "$FORKSCOPE" $cmd cut.jsonl
		assert_equal "$stderr" "$want"
		loud=$output
		# shellcheck disable=SC2086
		run -0 --separate-stderr "$FORKSCOPE" -q $cmd cut.jsonl
		assert_equal "$stderr" ""
		assert_equal "$output" "$loud"
		# shellcheck disable=SC2086
		run -0 --separate-stderr "$FORKSCOPE" --quiet $cmd cut.jsonl
		assert_equal "$stderr" ""
	done
}

@test "-q never silences an error: the same line and the same status" {
	for q in "" -q; do
		# shellcheck disable=SC2086
		run -1 --separate-stderr "$FORKSCOPE" $q dump missing.jsonl
		assert_equal "$stderr" "forkscope: missing.jsonl: No such file or directory"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$FORKSCOPE" $q frobnicate
		assert_equal "${stderr_lines[0]}" "forkscope: unknown command 'frobnicate'"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$FORKSCOPE" $q demo no-such-demo </dev/null
		assert_equal "$stderr" "forkscope: no demo called 'no-such-demo' (see 'forkscope demo --list')"
	done
}

@test "record -q: the traced command's stderr and status pass through, forkscope adds nothing" {
	require_tracing
	run -3 --separate-stderr "$FORKSCOPE" -q record -o log.jsonl -- sh -c 'echo oops >&2; exit 3'
	assert_equal "$stderr" "oops"
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status}')" '{"type":"end","exit_status":3}'
	# an error is still an error
	run -1 --separate-stderr "$FORKSCOPE" -q record -o log.jsonl -- true
	assert_equal "$stderr" "forkscope: log.jsonl: File exists (use --force to replace it)"
	run -126 --separate-stderr "$FORKSCOPE" -q record -f -o log.jsonl -- /etc/passwd
	assert_equal "$stderr" "forkscope: /etc/passwd: Permission denied"
}

@test "-q leaves -p's narration alone: it is the output asked for" {
	require_tracing
	run -0 --separate-stderr "$FORKSCOPE" -q record -p -o log.jsonl -- true
	assert_regex "$stderr" "exec +/usr/bin/true"
	assert_equal "$(grep -c . <<<"$stderr")" "$(jq -s '[.[] | select(.seq)] | length' log.jsonl)"
}

@test "of -q and -v the later one counts" {
	require_tracing
	run -0 --separate-stderr "$FORKSCOPE" -q -v record -o a.jsonl -- true
	assert_regex "$stderr" "libbpf: "
	run -0 --separate-stderr "$FORKSCOPE" -v -q record -o b.jsonl -- true
	assert_equal "$stderr" ""
}

@test "--color takes auto, always or never; anything else is a usage error naming them" {
	for v in auto always never; do
		run -0 --separate-stderr "$FORKSCOPE" --color="$v" dump "$SESSIONS/fork.jsonl"
		run -0 --separate-stderr "$FORKSCOPE" --color "$v" dump "$SESSIONS/fork.jsonl"
	done
	for v in yes "" ALWAYS; do
		run -2 --separate-stderr "$FORKSCOPE" --color="$v" dump "$SESSIONS/fork.jsonl"
		assert_equal "${stderr_lines[0]}" "forkscope: --color takes auto, always or never, not '$v'"
	done
	run -2 --separate-stderr "$FORKSCOPE" --color
	assert_equal "${stderr_lines[0]}" "forkscope: option '--color' requires an argument"
}

# COLOURS: how many colour escapes (foreground or background, not the resets 39/49 or
# attributes) are on the screen of a replay run with NO_COLOR=$1 and the global options that
# follow. Not called in $(...): tui_start's server must be known to tui_stop.
colours_with() {
	local no_color=$1
	shift
	tui_stop
	tui_start 80 24 env NO_COLOR="$no_color" "$FORKSCOPE" "$@" replay "$SESSIONS/fork.jsonl"
	tui_wait 'REPLAY fork.jsonl'
	tui_wait 'reaped'
	COLOURS=$(tui_tmux capture-pane -e -p -t 0 | grep -cE $'\e\\[([0-9]+;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]' || true)
}

@test "--color=always colours the TUI even with NO_COLOR set; --color=never never does" {
	colours_with 1 --color=always
	assert [ "$COLOURS" -gt 0 ]
	colours_with "" --color=never
	assert_equal "$COLOURS" 0
	# auto is the rule without the option: NO_COLOR set and not empty means none
	colours_with 1
	assert_equal "$COLOURS" 0
	colours_with "" --color=auto
	assert [ "$COLOURS" -gt 0 ]
	# the later --color counts
	colours_with "" --color=always --color=never
	assert_equal "$COLOURS" 0
}

@test "options go anywhere before --, for every command, as with GNU tools" {
	log="$SESSIONS/fork.jsonl"
	run -0 "$FORKSCOPE" dump --json "$log"
	json=$output
	run -0 "$FORKSCOPE" dump "$log" --json
	assert_equal "$output" "$json"
	run -0 "$FORKSCOPE" replay --headless "$log"
	headless=$output
	run -0 "$FORKSCOPE" replay "$log" --headless
	assert_equal "$output" "$headless"
	run -0 "$FORKSCOPE" export "$log" --format text
	assert_equal "$output" "$("$FORKSCOPE" dump "$log")"
	# the README's own example: the file, then --speed (refused before; usage error 2 if so)
	run -2 --separate-stderr "$FORKSCOPE" replay "$log" --speed 0.5 --headless
	assert_equal "${stderr_lines[0]}" "forkscope: --headless replays at full speed: --speed has no meaning with it"
	# after --, an option is an operand again: a file called --json
	run -1 --separate-stderr "$FORKSCOPE" dump -- --json
	assert_equal "$stderr" "forkscope: --json: No such file or directory"
}

@test "-q, -v, --lang and --color are taken after the command too" {
	run -0 --separate-stderr "$FORKSCOPE" dump cut.jsonl -q
	assert_equal "$stderr" ""
	run -0 --separate-stderr "$FORKSCOPE" export --quiet --format text cut.jsonl
	assert_equal "$stderr" ""
	run -0 "$FORKSCOPE" replay --headless --lang zh "$SESSIONS/fork.jsonl"
	assert_output --partial "正在 CPU 上运行"
	run -2 --separate-stderr "$FORKSCOPE" dump cut.jsonl --color=sometimes
	assert_equal "${stderr_lines[0]}" "forkscope: --color takes auto, always or never, not 'sometimes'"
}

@test "record and demo: without --, the traced command's own options stay its own" {
	require_tracing
	# no --: the command starts at the first operand, so its -o is its own
	run -0 "$FORKSCOPE" record -q -o mine.jsonl sh -c 'echo "$1"' sh -o
	assert_output "-o"
	[ -s mine.jsonl ]
	# with --: what follows it is the command's, whatever it looks like
	run -3 "$FORKSCOPE" record -q -o two.jsonl -- sh -c 'exit 3' -o three.jsonl
	[ -s two.jsonl ] && [ ! -e three.jsonl ]
	# a -- among the command's own arguments does not make its options forkscope's
	run -0 "$FORKSCOPE" record -q -o four.jsonl sh -c 'echo "$@"' sh -p -- -o five.jsonl
	assert_output "-p -- -o five.jsonl"
	[ -s four.jsonl ] && [ ! -e five.jsonl ]
	# demo NAME takes its options before or after the name
	run -0 "$FORKSCOPE" demo fork -o d.jsonl -p -- --fast </dev/null
	run -0 "$FORKSCOPE" demo -o e.jsonl -p fork -- --fast </dev/null
	[ "$(jq -s 'map(select(.type == "fork")) | length' d.jsonl)" = \
		"$(jq -s 'map(select(.type == "fork")) | length' e.jsonl)" ]
}
