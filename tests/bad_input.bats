#!/usr/bin/env bats
# Bad input never crashes forkscope: broken logs and bad command lines give one clear line and a status.

setup() {
	load 'test_helper/common'
	common_setup
	GOOD="$BATS_TEST_DIRNAME/fuzz/corpus/known_tree.jsonl"
}

# Reading FILE fails with status 1 (never a signal) and nothing but "forkscope: want" on
# stderr: in dump, dump --json, replay (which reads the whole log before it needs a terminal)
# and replay --headless (which applies and narrates every event before the bad line).
dump_fails_with() {
	local file=$1 want=$2 cmd
	for cmd in dump "dump --json" replay "replay --headless"; do
		# shellcheck disable=SC2086
		run -1 --separate-stderr "$FORKSCOPE" $cmd "$file" </dev/null
		assert_equal "$stderr" "forkscope: $want"
	done
}

# The event lines of a text dump (the "#" summaries left out).
dump_events() {
	grep -cv '^#' <<<"$output" || true
}

@test "an empty file is refused at line 1" {
	: >empty.jsonl
	dump_fails_with empty.jsonl "empty.jsonl:1: empty file (no header line)"
}

@test "binary garbage is refused at line 1, and the bytes it quotes are escaped" {
	printf '\x1b[2J\x1b]0;owned\x07\n' >garbage.bin
	dump_fails_with garbage.bin "garbage.bin:1: not JSON: '[' or '{' expected near '\x1b'"
	head -c 65536 /dev/urandom >random.bin
	run -1 --separate-stderr "$FORKSCOPE" dump random.bin
	assert_regex "$stderr" '^forkscope: random\.bin:1: not JSON: '
	# whatever the bytes, no control character reaches the terminal
	assert_equal "$(printf '%s' "$stderr" | tr -d '\040-\176' | wc -c)" 0
}

@test "a value with escape sequences is quoted escaped in the error" {
	{ head -1 "$GOOD"; printf '{"type":"state","seq":1,"t":1,"pid":1,"tid":1,"comm":"x","state":"\\u001b]0;owned\\u0007"}\n'; } >esc.jsonl
	dump_fails_with esc.jsonl 'esc.jsonl:2: field "state" has an unknown value "\x1b]0;owned\x07"'
}

@test "a log cut in the middle of a line dumps every complete event, with a warning" {
	nlines=$(wc -l <"$GOOD")
	head -c $(($(head -n 30 "$GOOD" | wc -c) + 25)) "$GOOD" >cut.jsonl
	run -0 --separate-stderr "$FORKSCOPE" dump cut.jsonl
	assert_equal "$(dump_events)" 29
	assert_equal "$stderr" "forkscope: warning: cut.jsonl is truncated (no end line): the tracer did not finish"
	run -0 --separate-stderr "$FORKSCOPE" dump --json cut.jsonl
	assert_equal "$(head -n 30 "$GOOD" | jq -c .)" "$(jq -c . <<<"$output")"
	assert [ "$nlines" -gt 30 ]
	run -0 --separate-stderr "$FORKSCOPE" replay --headless cut.jsonl
	assert_equal "$(dump_events)" 29
	assert_line --regexp '^# model: .* events 29, lost 0, anomalies 0$'
	assert_equal "$stderr" "forkscope: warning: cut.jsonl is truncated (no end line): the tracer did not finish"
}

@test "a 100 MB line is refused as too long, quickly and in bounded memory" {
	{ head -1 "$GOOD"; head -c 100000000 /dev/zero | tr '\0' a; echo; } >big.jsonl
	run -1 --separate-stderr /usr/bin/time -f '%M' "$FORKSCOPE" dump big.jsonl
	rm -f big.jsonl
	assert_equal "${stderr%%$'\n'*}" "forkscope: big.jsonl:2: line too long (more than 1048576 bytes)"
	# peak RSS in KiB: the reader holds at most about one 1 MiB line, never the 100 MB
	# (the limit leaves room for the sanitizers' shadow memory under make asan)
	assert [ "${stderr##*$'\n'}" -lt 65536 ]
}

@test "endless input without a newline stops at the line limit" {
	run -1 --separate-stderr "$FORKSCOPE" dump /dev/zero
	assert_equal "$stderr" "forkscope: /dev/zero:1: line too long (more than 1048576 bytes)"
}

@test "invalid UTF-8 in a string is refused at its line" {
	{ head -2 "$GOOD"; printf '{"type":"mark","seq":999999,"t":1,"pid":1,"tid":1,"comm":"\xff\xfe","text":"x"}\n'; } >utf8.jsonl
	dump_fails_with utf8.jsonl "utf8.jsonl:3: not JSON: unable to decode byte 0xff near '\"'"
	# the same bytes written as the format says, {"hex":...}, are fine
	{ head -2 "$GOOD"; printf '{"type":"mark","seq":999999,"t":1,"pid":1,"tid":1,"comm":{"hex":"fffe"},"text":"x"}\n'; } >hex.jsonl
	run -0 "$FORKSCOPE" dump hex.jsonl
	assert_line --partial '\xff\xfe'
}

@test "a header of another format version is refused" {
	sed '1s/"version":1/"version":5/' "$GOOD" >v5.jsonl
	dump_fails_with v5.jsonl "v5.jsonl:1: log version 5 is not supported (this forkscope reads versions 1 to 4)"
	sed '1s/"format":"forkscope-log"/"format":"other"/' "$GOOD" >other.jsonl
	dump_fails_with other.jsonl "other.jsonl:1: not a forkscope log (no forkscope-log header line)"
}

@test "valid JSON with a missing or mistyped field is refused at its line, after the lines before it" {
	sed '5s/"pid":[0-9]*,//' "$GOOD" >nopid.jsonl
	dump_fails_with nopid.jsonl 'nopid.jsonl:5: missing field "pid"'
	run -1 --separate-stderr "$FORKSCOPE" dump nopid.jsonl
	assert_equal "$(dump_events)" 3
	run -1 --separate-stderr "$FORKSCOPE" replay --headless nopid.jsonl
	assert_equal "$(dump_events)" 3
	sed '7s/"seq":\([0-9]*\)/"seq":"\1"/' "$GOOD" >strseq.jsonl
	dump_fails_with strseq.jsonl 'strseq.jsonl:7: field "seq" is not an integer'
	sed '1s/"root_pid":[0-9]*,//' "$GOOD" >noroot.jsonl
	dump_fails_with noroot.jsonl 'noroot.jsonl:1: missing field "root_pid"'
}

@test "seq going backwards is refused: a spliced log would replay in an order that never happened" {
	{ head -n 10 "$GOOD"; sed -n 3p "$GOOD"; } >back.jsonl
	seq10=$(sed -n 10p "$GOOD" | jq .seq)
	seq3=$(sed -n 3p "$GOOD" | jq .seq)
	dump_fails_with back.jsonl "back.jsonl:11: seq $seq3 after $seq10: the events are out of order"
	{ head -n 10 "$GOOD"; sed -n 10p "$GOOD"; } >dup.jsonl
	dump_fails_with dup.jsonl "dup.jsonl:11: seq $seq10 after $seq10: the events are out of order"
}

@test "time going backwards is accepted: CPUs stamp events before they share the ring buffer" {
	jq -c 'if .type == "header" or .type == "end" then . elif .seq % 2 == 0 then .t = 0 else . end' "$GOOD" >tback.jsonl
	run -0 --separate-stderr "$FORKSCOPE" dump tback.jsonl
	assert_equal "$(dump_events)" "$(($(wc -l <"$GOOD") - 2))"
	assert_equal "$stderr" ""
}

@test "a FIFO is read like a file" {
	mkfifo fifo
	cat "$GOOD" >fifo 3>&- &
	run -0 --separate-stderr "$FORKSCOPE" dump fifo
	wait
	assert_equal "$(dump_events)" "$(($(wc -l <"$GOOD") - 2))"
	assert_line --index 0 --regexp '^# forkscope log v1: pid [0-9]+ '
}

@test "replay - without --headless: the TUI needs the terminal, and the line says what works instead" {
	run -1 --separate-stderr "$FORKSCOPE" replay - <"$GOOD"
	assert_equal "$stderr" "forkscope: the TUI needs a terminal as standard input and output (without one: record, dump or replay --headless)"
	run -0 --separate-stderr "$FORKSCOPE" replay --headless - <"$GOOD"
	assert_line --regexp '^# model: .* anomalies 0$'
}

@test "a directory, a missing file and an unreadable file each give one line and status 1" {
	dump_fails_with "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR: Is a directory"
	dump_fails_with missing.jsonl "missing.jsonl: No such file or directory"
	[ "$(id -u)" = 0 ] || skip "needs root to switch to another user"
	dir=$(mktemp -d /tmp/forkscope-unreadable.XXXXXX)
	chmod 755 "$dir"
	install -m 600 "$GOOD" "$dir/secret.jsonl"
	install -m 644 "$GOOD" "$dir/open.jsonl"
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$FORKSCOPE" dump "$dir/secret.jsonl"
	assert_equal "$stderr" "forkscope: $dir/secret.jsonl: Permission denied"
	# the same user reads a readable file there: the refusal was about the file's mode
	run -0 setpriv --reuid=65534 --regid=65534 --clear-groups "$FORKSCOPE" dump "$dir/open.jsonl"
	rm -rf "$dir"
}

@test "a very long file name still shows the line and the reason" {
	long=$(printf 'd%.0s' {1..250})
	mkdir -p "$long/$long"
	printf '{"type":"header"}\n' >"$long/$long/x.jsonl"
	run -1 --separate-stderr "$FORKSCOPE" dump "$long/$long/x.jsonl"
	assert_regex "$stderr" '^forkscope: \.\.\.d+/x\.jsonl:1: not a forkscope log \(no forkscope-log header line\)$'
}

@test "usage errors exit 2 without a crash: unknown options, missing arguments, absurd values" {
	for args in "--bogus" "-x" "bogus" "" "dump" "dump a b" "dump --bogus x" "record" "record -o" \
		"record --demo" "demo" "record --ring-mb 0 -- true" "record --ring-mb -1 -- true" \
		"record --ring-mb 1e9 -- true" "record --ring-mb 3 -- true" "record --ring-mb 2048 -- true" \
		"record --ring-mb 99999999999999999999 -- true" "record --ring-mb= -- true" \
		"replay --speed 0 x.jsonl" "replay --speed -1 x.jsonl" "replay --speed 1e9 x.jsonl" \
		"replay --speed nan x.jsonl" "replay" "replay --headless" "replay --headless a b" \
		"replay --headless --speed 2 x.jsonl"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$FORKSCOPE" $args
		assert_equal "$output" ""
		assert_regex "${stderr_lines[-1]}" "^Try 'forkscope --help' for more information\.$"
	done
}

@test "a name that is no demo is a usage error (2), one line naming it, for demo, record and run" {
	for args in "demo nosuch" "demo a/b" "record --demo nosuch" "run --demo nosuch"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$FORKSCOPE" $args
		assert_equal "$output" ""
		assert_equal "$stderr" "forkscope: no demo called '${args##* }' (see 'forkscope demo --list')"
	done
}

@test "a demo whose program is neither built nor installed fails with 1, and says so" {
	[ ! -e /usr/local/lib/forkscope/examples/pipe ] || skip "the demos are installed in /usr/local"
	mkdir bin
	cp "$FORKSCOPE" bin/forkscope
	run -1 --separate-stderr bin/forkscope demo pipe
	assert_equal "$stderr" "forkscope: the demo 'pipe' is neither built nor installed"
}

@test "absurd --ring-mb values are named in a one-line message" {
	for v in 0 -1 1e9 3 2048; do
		run -2 --separate-stderr "$FORKSCOPE" record --ring-mb "$v" -- true
		assert_equal "${stderr_lines[0]}" "forkscope: --ring-mb takes a power of two from 1 to 1024, not '$v'"
		assert_equal "${#stderr_lines[@]}" 2
	done
}

@test "an unknown option or a missing argument is one forkscope line, not getopt's and ours" {
	for args in "--bogus" "record --bogus -- true" "record -o" "dump --bogus x"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$FORKSCOPE" $args
		assert_regex "${stderr_lines[0]}" "^forkscope: .*(--bogus|'-o'|requires an argument)"
		assert_equal "${#stderr_lines[@]}" 2
	done
}

@test "a command of 2 x 100 kB of control bytes: recorded cut with a flag, and read back" {
	require_tracing
	arg=$(head -c 100000 /dev/zero | tr '\0' '\001')
	run -0 "$FORKSCOPE" record -q -o big.jsonl -- /bin/true "$arg" "$arg"
	assert_equal "$(head -1 big.jsonl | jq -c '[.command_truncated, (.command | map(length) | add + length)]')" \
		'[true,65536]'
	run -0 "$FORKSCOPE" dump big.jsonl
	assert_line --index 0 --partial "# forkscope log v1: pid "
	# a copy keeps the command and the flag, and the exec's own argv is bounded and flagged
	run -0 "$FORKSCOPE" dump --json big.jsonl
	assert_equal "$(head -1 <<<"$output" | jq -c '[.command, .command_truncated]')" \
		"$(head -1 big.jsonl | jq -c '[.command, .command_truncated]')"
	assert_equal "$(jq -s 'map(select(.type == "exec"))[0].argv_truncated' big.jsonl)" true
}

@test "32,768 one-byte arguments that are not UTF-8 (the costliest to write): cut, written, read back" {
	require_tracing
	mapfile -t args < <(for _ in $(seq 32768); do printf '\xff\n'; done)
	run -0 "$FORKSCOPE" record -q -o hex.jsonl -- /bin/true "${args[@]}"
	# /bin/true costs 10 of the 65,536, each argument 2: 32,763 of them fit
	assert_equal "$(head -1 hex.jsonl | jq -c '[.command_truncated, (.command | length)]')" '[true,32764]'
	run -0 "$FORKSCOPE" dump --json hex.jsonl
}

@test "a header whose command is longer than any writer writes is refused at line 1" {
	long=$(head -c 70000 /dev/zero | tr '\0' a)
	jq -c --arg a "$long" 'if .type == "header" then .command = [$a] else . end' "$GOOD" >long.jsonl
	dump_fails_with long.jsonl 'long.jsonl:1: field "command" is too long (at most 65536 bytes)'
}
