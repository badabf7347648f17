#!/usr/bin/env bats
# Predict, then see: a lesson's questions in a replay in a real terminal (a private tmux server),
# answered with a key and checked against the recorded kernel's events (tests/lesson.bats: the
# questions and answers as `forkscope lesson` prints them).

setup() {
	load 'test_helper/common'
	load 'test_helper/tmux'
	common_setup
	SESSIONS="$BATS_TEST_DIRNAME/../examples/sessions"
	AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
}

teardown() {
	tui_stop
}

# The "N/M ev" of the status bar now.
applied() {
	tui_screen | sed -n '1s|.* \([0-9]*\)/[0-9]* ev .*|\1|p'
}

# Starts replaying $3 at $1 x $2 (with the rest as options) and turns the questions on from the start.
start_predicting() {
	local w=$1 h=$2 log=$3
	shift 3
	tui_start "$w" "$h" "${AS_NOBODY[@]}" "$FORKSCOPE" "$@" replay "$log"
	tui_wait 'p (predict|预测)'
	# p, then back to the start: whatever was applied meanwhile, every trigger comes again
	tui_keys p Home
}

@test "replay: the question holds the replay at its event, a right answer says why and scores" {
	log="$SESSIONS/fork.jsonl"
	parent=$(jq -r 'select(.type=="fork") | .pid' "$log" | head -1)
	child=$(jq -r 'select(.type=="fork") | .child' "$log" | head -1)
	start_predicting 80 24 "$log"
	tui_wait 'Predict: fork, question 1'
	tui_wait "$parent has just called fork\(\), and the kernel made $child\."
	tui_wait "1   $child"
	tui_wait '2   0'
	tui_wait '‖ PREDICT'
	# nothing more is applied while the question waits: the fork is the newest event, not told
	# while it is asked, since its narration says what fork() returns in the child
	n=$(applied)
	tui_wait '▸0\.[0-9]+ the event of the question'
	sleep 0.3
	[ "$(applied)" = "$n" ] || fail "events were applied while the question waited"
	# space and step wait for an answer
	tui_keys Space
	tui_wait 'answer with 1-3, or Esc to skip'
	[ "$(applied)" = "$n" ] || fail "space played on under the question"
	tui_keys 2
	# the child's return decides it, and the next question comes a moment later, the verdict above it
	tui_wait 'Predict: fork, question 2'
	tui_wait 'question 1, right: 0'
	tui_wait "fork\(\) returned 0 in the child $child"
	tui_wait 'score 1/1'
	[ "$(applied)" -gt "$n" ] || fail "the replay did not go on after the answer"
	tui_keys 1
	tui_wait '✓ Right: question 2'
	tui_wait 'your answer: 1   yes: it stays a zombie'
	tui_wait "$child became a zombie"
	tui_wait 'score 2/2'
}

# Fails when the screen shows /$1/ while the question is open.
refute_screen() {
	! grep -qE -- "$1" "$BATS_TEST_TMPDIR/screen" || {
		cat "$BATS_TEST_TMPDIR/screen" >&2
		fail "the screen says /$1/ while the question is asked"
	}
}

@test "replay: nothing beside an open question gives its answer away: not the event log, not the lesson" {
	# fork, 80x24: the fork's narration says what fork() returns in the child
	start_predicting 80 24 "$SESSIONS/fork.jsonl"
	tui_wait 'Predict: fork, question 1'
	tui_wait 'the event of the question'
	refute_screen '0 in the child|returns twice'
	tui_stop
	# pool, 120x40: step 5's text names task 4's worker, "a reused worker, no new fork"; the
	# lesson shows the titles of the steps reached, and nothing after them
	start_predicting 120 40 "$SESSIONS/pool.jsonl"
	tui_wait 'Which process will run task 4\?'
	tui_wait '▸ 5\. task N done'
	tui_wait 'once you answer'
	refute_screen 'reused worker|no new fork|task 4 started|End of queue|shortest task'
	tui_keys 1
	tui_wait 'Right: question 1'
	tui_wait 'End of queue'
}

@test "replay: a wrong answer shows the right one; Esc skips, and a skip scores nothing" {
	log="$SESSIONS/fork.jsonl"
	child=$(jq -r 'select(.type=="fork") | .child' "$log" | head -1)
	start_predicting 80 24 "$log"
	tui_wait 'Predict: fork, question 1'
	tui_keys Escape
	tui_wait 'Predict: fork, question 2'
	tui_wait 'question 1, skipped; the kernel: 0'
	tui_wait 'predicting' # a skip is no answer: no score yet
	tui_wait "Will $child be a zombie before it is reaped\?"
	tui_keys 2
	tui_wait 'Wrong: question 2'
	tui_wait 'your answer: 2   no: the kernel frees it at once'
	tui_wait 'the right one: 1   yes: it stays a zombie'
	tui_wait "$child became a zombie"
	tui_wait 'score 0/1'
	tui_wait 'ended \(exit 0\)'
}

@test "replay in Chinese at 120x40: the question, the verdict and the score in Chinese" {
	log="$SESSIONS/pool.jsonl"
	worker=$(jq -r 'select(.type=="mark" and (.text|test("^task [0-9]+ done"))) | .pid' "$log" | head -1)
	root=$(jq -r 'select(.type=="header") | .root_pid' "$log")
	start_predicting 120 40 "$log" --lang zh
	tui_wait '预测：pool，问题 1'
	tui_wait "在工作进程 $worker 上完成了，任务 4 还在"
	tui_wait "2   父进程 $root 自己"
	tui_wait '‖ 预测'
	tui_keys 2
	tui_wait '答错了：问题 1'
	tui_wait "正确的是：1   $worker，刚刚完成任务的工作进程"
	tui_wait "任务 4 在 $worker 上运行"
	tui_wait '得分 0/1'
}

@test "p turns the questions off again; seeking away from an open question closes it" {
	start_predicting 80 24 "$SESSIONS/fork.jsonl"
	tui_wait 'Predict: fork, question 1'
	tui_keys End
	tui_wait_gone 'Predict: fork'
	tui_wait 'ended \(exit 0\)'
	tui_keys p
	tui_wait 'no more questions'
	tui_keys Home
	tui_wait 'ended \(exit 0\)'
	! grep -q 'Predict: fork' "$BATS_TEST_TMPDIR/screen" || fail "a question was asked with the questions off"
}
