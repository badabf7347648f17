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

@test "a step's title keeps the punctuation after its bold lead: title and body read as one sentence" {
	run -0 --separate-stderr "$FORKSCOPE" lesson pool "$SESSIONS/pool.jsonl"
	assert_line '2. The parent queues 5 tasks:'
	assert_line '   5 `ipc write`s of 4 bytes on the queue pipe.'
	refute_line --regexp '^ *[:,;]'
	run -0 --separate-stderr "$FORKSCOPE" --lang zh lesson pool "$SESSIONS/pool.jsonl"
	assert_line '3. `task N started on worker W`，'
	refute_line --regexp '^ *[：，；]'
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
	# its questions too are asked in that part: of the fork demo's fork, not the tour's
	assert_line '1. 1689 has just called `fork()`, and the kernel made 1690. What will `fork()` return in the child 1690?'
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

@test "an unknown lesson is a bad argument (status 2), a bad log one line and status 1; a missing operand is a usage error" {
	run -2 --separate-stderr "$FORKSCOPE" lesson nosuch "$SESSIONS/fork.jsonl"
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

@test "a log cut short mid-line is printed with the one-line warning dump and export give" {
	head -c 3000 "$SESSIONS/pool.jsonl" >cut.jsonl
	run -0 --separate-stderr "$FORKSCOPE" dump cut.jsonl
	dump_warning=$stderr
	assert_equal "$dump_warning" "forkscope: warning: cut.jsonl is truncated (no end line): the tracer did not finish"
	run -0 --separate-stderr "$FORKSCOPE" lesson pool cut.jsonl
	assert_equal "$stderr" "$dump_warning"
	assert_line --partial '(not asked in this run'
	run -0 --separate-stderr "$FORKSCOPE" lesson pool "$SESSIONS/pool.jsonl"
	assert_equal "$stderr" ""
	run -0 --separate-stderr "$FORKSCOPE" -q lesson pool cut.jsonl
	assert_equal "$stderr" ""
}

# fork.jsonl as a version 4 log with the answers a learner gave (lesson, question, choice, right).
with_answers() {
	jq -c --argjson v "$1" 'if .type=="header" then .version=$v else . end' "$SESSIONS/fork.jsonl" | grep -v '"type":"end"'
	shift
	while [ $# -gt 0 ]; do
		printf '{"type":"answer","seq":%d,"t":1,"pid":1,"tid":1,"comm":"forkscope","lesson":"%s","question":%d,"choice":%d,"right":%d,"asked_seq":1,"decided_seq":2}\n' \
			$((1000 + $2)) "$1" "$2" "$3" "$4"
		shift 4
	done
}

@test "lesson prints each question with this run's answer, and the learner's answers and score from the log" {
	run -0 "$FORKSCOPE" lesson fork "$SESSIONS/fork.jsonl"
	assert_line 'Predict'
	assert_line ' → 2) 0'
	assert_line --partial '   the kernel'"'"'s answer: 2. `fork()` returned 0 in the child 850'
	refute_output --partial 'your answer'
	with_answers 4 fork 1 2 2 fork 2 2 1 >"$BATS_TEST_TMPDIR/answers.jsonl"
	run -0 "$FORKSCOPE" lesson fork "$BATS_TEST_TMPDIR/answers.jsonl"
	assert_line '   your answer: 2, right'
	assert_line '   your answer: 2, wrong'
	assert_line 'score: 1 of 2 answers right'
	run -0 "$FORKSCOPE" dump "$BATS_TEST_TMPDIR/answers.jsonl"
	assert_line --partial 'answer      fork question 1 choice=2 right=2 (right) asked at seq 1, decided at seq 2'
	run -0 "$FORKSCOPE" --lang zh lesson fork "$BATS_TEST_TMPDIR/answers.jsonl"
	assert_line '   你的回答：2，错误'
	assert_line '得分：2 个回答中 1 个正确'
}

@test "an answer in a log older than version 4 is refused, as the reader refuses cgroup events there" {
	with_answers 1 fork 1 2 2 >"$BATS_TEST_TMPDIR/v1.jsonl"
	run -1 --separate-stderr "$FORKSCOPE" dump "$BATS_TEST_TMPDIR/v1.jsonl"
	assert_equal "$stderr" "forkscope: $BATS_TEST_TMPDIR/v1.jsonl:43: an answer event needs log version 4"
}
