#!/usr/bin/env bats
# forkscope lesson NAME FILE: a lesson as text, its placeholders filled from that recording.

setup() {
	load 'test_helper/common'
	common_setup
	SESSIONS="$BATS_TEST_DIRNAME/../examples/sessions"
}

@test "the fork lesson speaks of the recording's own pids, in both languages" {
	# fork.jsonl: the demo is 849, its child 850
	run -0 --separate-stderr "$FORKSCOPE" lesson fork "$SESSIONS/fork.jsonl"
	assert_line --index 0 "fork: one call, two returns (调用一次，返回两次)"
	assert_line --partial '2. `fork returned 850 in parent` and `fork returned 0 in child`.'
	assert_output --partial '`fork` (849 created 850)'
	assert_output --partial 'a `reap` of 850 follows'
	refute_output --regexp '876|877|\{'
	run -0 --separate-stderr "$FORKSCOPE" --lang zh lesson fork "$SESSIONS/fork.jsonl"
	assert_output --partial '849 用 `fork()` 创建了 850'
	refute_output --regexp '876|877|\{'
}

@test "every lesson has every value in its demo's recording; another demo's leaves them unknown" {
	for f in "$SESSIONS"/*.jsonl; do
		name=$(basename "$f" .jsonl)
		for lang in en zh; do
			run -0 --separate-stderr "$FORKSCOPE" --lang "$lang" lesson "$name" "$f"
			refute_output --partial '…'
			refute_output --regexp '\{[a-z_]+[0-9]*\.|\{mark\('
		done
	done
	run -0 --separate-stderr "$FORKSCOPE" lesson pool "$SESSIONS/fork.jsonl"
	assert_output --partial 'task 4 started on worker …'
}

@test "the tour's part of a lesson is that demo's, not the tour's" {
	run -0 --separate-stderr "$FORKSCOPE" lesson fork "$SESSIONS/tour.jsonl"
	assert_output --partial '`fork` (1689 created 1690)'
}

@test "recorded now, with the demo's stdout a pipe, a lesson has all its values, those of the log" {
	require_tracing
	for d in fork pipe subprocess pool signal queue; do
		record_demo "$d"
		run -0 --separate-stderr "$FORKSCOPE" lesson "$d" "$d.jsonl"
		refute_output --partial '…'
	done
	# the bytes the parent wrote into the pipe it made, not the lines it printed into its stdout
	run -0 "$FORKSCOPE" lesson pipe pipe.jsonl
	assert_output --partial 'the parent writes 23 bytes'
	run -0 "$FORKSCOPE" lesson subprocess subprocess.jsonl
	assert_output --partial 'The parent writes 20 bytes to'
	worker=$(jq -r 'select(.type=="mark" and (.text | startswith("task 4 started"))) | .pid' pool.jsonl)
	run -0 "$FORKSCOPE" lesson pool pool.jsonl
	assert_output --partial "with the same worker and pid ($worker)"
}

@test "an unknown lesson or a bad log is one line and status 1; a missing operand is a usage error" {
	run -1 --separate-stderr "$FORKSCOPE" lesson nosuch "$SESSIONS/fork.jsonl"
	assert_equal "$stderr" "forkscope: no lesson called 'nosuch' (see 'forkscope demo --list')"
	assert_equal "$output" ""
	run -1 --separate-stderr "$FORKSCOPE" lesson fork "$BATS_TEST_TMPDIR/none.jsonl"
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$output" ""
	echo 'not a log' >bad.jsonl
	run -1 --separate-stderr "$FORKSCOPE" lesson fork bad.jsonl
	assert_equal "${#stderr_lines[@]}" 1
	run -2 --separate-stderr "$FORKSCOPE" lesson fork
	assert_equal "${stderr_lines[0]}" "forkscope: lesson needs a NAME and a FILE"
	run -2 --separate-stderr "$FORKSCOPE" lesson --bogus fork "$SESSIONS/fork.jsonl"
	run -0 "$FORKSCOPE" lesson --help
	assert_line --index 0 --partial "Usage: forkscope"
}
