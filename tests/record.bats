#!/usr/bin/env bats
# End-to-end: `forkscope record` traces real programs with the real probes; the log must match.

setup() {
	load 'test_helper/common'
	load 'test_helper/tmux'
	common_setup
	require_tracing
}

teardown() {
	tui_stop
	! mountpoint -q "$BATS_TEST_TMPDIR/tiny" || umount "$BATS_TEST_TMPDIR/tiny"
	[ ! -s "$BATS_TEST_TMPDIR/busy.pids" ] || kill $(cat "$BATS_TEST_TMPDIR/busy.pids") 2>/dev/null || true
}

record_known_tree() {
	run -7 "$FORKSCOPE" record -o log.jsonl -- "$FIXTURES/known_tree"
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' log.jsonl)
	TRACER=$(jq -r 'select(.type=="header") | .tracer_pid' log.jsonl)
	KIDS=$(jq -r --argjson r "$ROOT" 'select(.type=="fork" and .pid==$r and .thread==false) | .child' log.jsonl | paste -sd' ')
	read -r A B C <<<"$KIDS"
}

@test "record exits with the command's status and writes header, events and end" {
	record_known_tree
	assert_equal "$(head -1 log.jsonl | jq -r '.format, .version' | paste -sd' ')" "forkscope-log 1"
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status, lost}')" '{"type":"end","exit_status":7,"lost":0}'
	# events counts every event line; seq runs 1..N without a gap
	n=$(jq -s '[.[] | select(.seq)] | length' log.jsonl)
	assert_equal "$(tail -1 log.jsonl | jq .events)" "$n"
	assert_equal "$(jq -s '[.[] | select(.seq) | .seq] | . == [range(1; length + 1)]' log.jsonl)" true
}

@test "every fork of the known tree is recorded once, with both return values" {
	record_known_tree
	assert_equal "$(jq -s --argjson r "$ROOT" '[.[] | select(.type=="fork")] | length' log.jsonl)" 3
	assert [ -n "$C" ]
	assert_equal "$(jq -r --argjson r "$ROOT" 'select(.type=="fork_return" and .pid==$r) | .ret' log.jsonl | paste -sd' ')" "$A $B $C"
	for k in $A $B $C; do
		assert_equal "$(jq -r --argjson k "$k" 'select(.type=="fork_return" and .pid==$k) | .ret' log.jsonl)" 0
	done
}

@test "exit codes and the killing signal are decoded" {
	record_known_tree
	exits=$(jq -c 'select(.type=="exit") | {pid, code, signal}' log.jsonl | sort)
	expected=$(printf '%s\n' \
		"{\"pid\":$ROOT,\"code\":7,\"signal\":null}" \
		"{\"pid\":$A,\"code\":3,\"signal\":null}" \
		"{\"pid\":$B,\"code\":null,\"signal\":\"SIGTERM\"}" \
		"{\"pid\":$C,\"code\":0,\"signal\":null}" | sort)
	assert_equal "$exits" "$expected"
}

@test "reaps name the reaper: the root reaps its children, the tracer reaps the root" {
	record_known_tree
	reaps=$(jq -c 'select(.type=="reap") | [.pid, .child]' log.jsonl | paste -sd' ')
	assert_equal "$reaps" "[$ROOT,$A] [$ROOT,$B] [$ROOT,$C] [$TRACER,$ROOT]"
}

@test "the pipe carries exactly 1000 bytes from child A to the root on one channel" {
	record_known_tree
	chan=$(jq -r --argjson a "$A" 'select(.type=="ipc" and .op=="write" and .pid==$a) | .channel' log.jsonl | sort -u)
	assert_regex "$chan" '^pipe:\[[0-9]+\]$'
	assert_equal "$(jq -s --argjson a "$A" --arg c "$chan" '[.[] | select(.type=="ipc" and .op=="write" and .pid==$a and .channel==$c) | .bytes] | add' log.jsonl)" 1000
	assert_equal "$(jq -s --argjson r "$ROOT" --arg c "$chan" '[.[] | select(.type=="ipc" and .op=="read" and .pid==$r and .channel==$c) | .bytes] | add' log.jsonl)" 1000
	# the kernel's own totals agree: two writes of 1000 bytes in all, 1000 bytes read
	assert_equal "$(jq -r --argjson a "$A" --arg c "$chan" 'select(.type=="total" and .pid==$a and .channel==$c) | "\(.bytes_out) \(.msgs_out)"' log.jsonl)" "1000 2"
	assert_equal "$(jq -r --argjson r "$ROOT" --arg c "$chan" 'select(.type=="total" and .pid==$r and .channel==$c) | .bytes_in' log.jsonl)" 1000
	# the pipe's inode is the one the pipe() call reported
	assert_equal "$(jq -r --argjson r "$ROOT" 'select(.type=="ipc" and .op=="pipe" and .pid==$r) | .channel' log.jsonl | head -1)" "$chan"
}

@test "the SIGTERM from the root to child B is seen sent and B dies of it" {
	record_known_tree
	run jq -c --argjson r "$ROOT" --argjson b "$B" 'select(.type=="signal" and .op=="generate" and .pid==$r and .target==$b) | [.sig, .result]' log.jsonl
	assert_output '["SIGTERM","delivered"]'
}

@test "exec records filename and argv; C becomes /bin/true" {
	record_known_tree
	assert_equal "$(jq -c --argjson c "$C" 'select(.type=="exec" and .pid==$c) | [.filename, .argv, .result]' log.jsonl)" '["/bin/true",["true","--known-tree"],0]'
	assert_equal "$(jq -r --argjson r "$ROOT" 'select(.type=="exec" and .pid==$r and .result==0) | .filename' log.jsonl)" "$FIXTURES/known_tree"
}

@test "scheduler states: the root blocks in read on the pipe and in wait4; children turn zombie" {
	record_known_tree
	chan=$(jq -r --argjson r "$ROOT" 'select(.type=="ipc" and .op=="pipe" and .pid==$r) | .channel' log.jsonl | head -1)
	run jq -c --argjson r "$ROOT" --arg c "$chan" 'select(.type=="state" and .pid==$r and .state=="blocked" and .syscall=="read" and .channel==$c) | .state' log.jsonl
	assert_line --index 0 '"blocked"'
	run jq -c --argjson r "$ROOT" 'select(.type=="state" and .pid==$r and .state=="blocked" and .syscall=="wait4")' log.jsonl
	assert [ "${#lines[@]}" -ge 1 ]
	for k in $A $B $C; do
		assert_equal "$(jq -r --argjson k "$k" 'select(.type=="state" and .pid==$k and .state=="zombie") | .state' log.jsonl | sort -u)" zombie
		assert_equal "$(jq -r --argjson k "$k" 'select(.type=="state" and .pid==$k and .state=="running") | .state' log.jsonl | sort -u)" running
	done
}

@test "a command killed by a signal gives 128+N" {
	run -137 "$FORKSCOPE" record -o log.jsonl -- sh -c 'kill -9 $$'
	assert_equal "$(jq -r 'select(.type=="exit") | .signal' log.jsonl)" SIGKILL
	assert_equal "$(tail -1 log.jsonl | jq .exit_status)" 137
}

@test "a missing command fails like exec does, with 127, and the failed exec is logged" {
	run -127 "$FORKSCOPE" record -o log.jsonl -- /nonexistent/cmd
	assert_output "forkscope: /nonexistent/cmd: No such file or directory"
	assert_equal "$(jq -c 'select(.type=="exec") | [.filename, .result]' log.jsonl)" '["/nonexistent/cmd",-2]'
}

@test "without root, record says what is missing in one line and exits 1" {
	run -1 setpriv --reuid=65534 --regid=65534 --clear-groups "$FORKSCOPE" record -o /tmp/never.jsonl -- true
	assert_output "forkscope: tracing needs root (or CAP_BPF and CAP_PERFMON): run it with sudo"
	assert [ ! -e /tmp/never.jsonl ]
}

@test "an existing log is not overwritten without --force" {
	echo keep > log.jsonl
	run -1 "$FORKSCOPE" record -o log.jsonl -- true
	assert_output --partial "use --force"
	assert_equal "$(cat log.jsonl)" keep
	run -0 "$FORKSCOPE" record -f -o log.jsonl -- true
	assert_equal "$(tail -1 log.jsonl | jq -r .type)" end
}

@test "-f never replaces what is not a regular file, and says so: a symlink, a directory, a device" {
	echo keep >target
	ln -s target link
	mkdir dir
	for out in link dir /dev/null; do
		for force in -f ""; do
			run -1 --separate-stderr "$FORKSCOPE" record $force -o "$out" -- true
			assert_equal "$stderr" "forkscope: $out is not a regular file"
		done
	done
	assert_equal "$(cat target)" keep
	assert [ -L link ]
	assert [ -d dir ]
}

@test "without -o, the default log name never collides: -2, -3 when the second's name is taken" {
	# the names of this second and the next few are taken already: record must not touch them
	now=$(date +%s)
	for s in 0 1 2 3 4; do
		echo keep >"forkscope-$(date -d "@$((now + s))" +%Y%m%d-%H%M%S).jsonl"
	done
	run -0 --separate-stderr "$FORKSCOPE" record -- true
	# the name it made up is said, as script(1) says its own
	assert_regex "$stderr" '^forkscope: recording to forkscope-[0-9]{8}-[0-9]{6}-[23]\.jsonl$'
	[ -s "${stderr#forkscope: recording to }" ]
	run -0 "$FORKSCOPE" record -- true
	for f in forkscope-????????-??????.jsonl; do
		assert_equal "$(cat "$f")" keep
	done
	# each recording in a log of its own, complete
	assert_equal "$(ls forkscope-*-[23].jsonl | wc -l)" 2
	for f in forkscope-*-[23].jsonl; do
		assert_equal "$(tail -1 "$f" | jq -r .type)" end
	done
	# at once, each of three gets a name of its own (O_EXCL: never the same one twice)
	mkdir at_once && cd at_once
	for _ in 1 2 3; do "$FORKSCOPE" record -- true 3>&- & done
	wait
	assert_equal "$(cat forkscope-*.jsonl | jq -r 'select(.type=="end") | .exit_status' | paste -sd' ')" "0 0 0"
}

@test "-o -: stdout is the log alone, and the command's own output goes to stderr" {
	run -0 --separate-stderr "$FORKSCOPE" record -o - -- sh -c 'echo hi; echo oops >&2'
	assert_equal "$stderr" $'hi\noops'
	printf '%s\n' "$output" >log.jsonl
	run -0 "$FORKSCOPE" dump - <log.jsonl
	assert_output --partial "# end: exit status 0"
	assert_equal "$(jq -r 'select(.type=="exec") | .argv[0]' log.jsonl)" sh
}

@test "run -o - without a terminal: no TUI to draw over, so the log goes to stdout" {
	run -0 --separate-stderr "$FORKSCOPE" run -o - -- sh -c 'echo hi'
	assert_regex "$stderr" $'(^|\n)hi(\n|$)'
	printf '%s\n' "$output" >log.jsonl
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_output --partial "# end: exit status 0"
}

# An interactive shell on a private tmux server in the test's directory: what is typed there is the
# terminal's foreground job, so Ctrl-C reaches it as it reaches a user's. Each prompt appends the
# last status to status.
ctrl_c_shell() {
	TUI_SOCKET="forkscope-rec-$$-$BATS_TEST_NUMBER"
	tui_tmux new-session -d -x 120 -y 30 -c "$BATS_TEST_TMPDIR" -e PS1='$ ' \
		-e PROMPT_COMMAND="echo \$? >>$BATS_TEST_TMPDIR/status" bash --norc --noprofile -i
	within 10 lines_at_least status 1
}

lines_at_least() {
	[ "$(cat "$1" 2>/dev/null | wc -l)" -ge "$2" ]
}

# within SECONDS COMMAND...: until COMMAND succeeds, tried every 50 ms.
within() {
	local deadline=$(($(date +%s%N) + $1 * 1000000000))

	shift
	until "$@"; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# Types a record of COMMAND (sh -c) into the shell, its stdout in out.txt and stderr in err.txt,
# and waits until the command runs its sleep.
record_typed() {
	ctrl_c_shell
	tui_keys "$FORKSCOPE record -o log.jsonl -- sh -c '$1' >out.txt 2>err.txt" Enter
	wait_events log.jsonl exec 2
}

# Every process the log saw start has its exit and its reap in it.
assert_all_reaped() {
	local born exited reaped
	born=$(jq -r 'if .type=="header" then .root_pid elif .type=="fork" and .thread==false then .child else empty end' log.jsonl | sort -n)
	exited=$(jq -r 'select(.type=="exit") | .pid' log.jsonl | sort -n)
	reaped=$(jq -r 'select(.type=="reap") | .child' log.jsonl | sort -n)
	assert_equal "$exited" "$born"
	assert_equal "$reaped" "$born"
	assert_equal "$(tail -1 log.jsonl | jq .lost)" 0
}

@test "Ctrl-C that ends the command ends the recording at once, with the command's status" {
	record_typed 'sleep 30'
	tui_keys C-c
	within 5 lines_at_least status 2
	assert_equal "$(tail -1 status)" 130
	assert_equal "$(cat err.txt)" ""
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status}')" '{"type":"end","exit_status":130}'
	assert_all_reaped
}

@test "a command that ignores Ctrl-C is recorded to its end, and forkscope says once that it goes on" {
	record_typed 'trap "" INT; sleep 4; echo survived'
	tui_keys C-c
	within 10 lines_at_least status 2
	assert_equal "$(tail -1 status)" 0
	assert_equal "$(cat err.txt)" "forkscope: the command goes on after SIGINT; still recording (Ctrl-C again stops it)"
	assert_equal "$(cat out.txt)" survived
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status}')" '{"type":"end","exit_status":0}'
	assert_all_reaped
}

@test "a second Ctrl-C kills the whole tree, and the log still has every exit and reap" {
	record_typed 'trap "" INT; sleep 30; echo survived'
	tui_keys C-c
	within 10 grep -q "still recording" err.txt
	tui_keys C-c
	within 5 lines_at_least status 2
	assert_equal "$(tail -1 status)" 137
	assert_equal "$(cat out.txt)" ""
	assert_equal "$(jq -r 'select(.type=="exit") | .signal' log.jsonl | paste -sd' ')" "SIGKILL SIGKILL"
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status}')" '{"type":"end","exit_status":137}'
	assert_all_reaped
}

@test "an orphan is reparented to forkscope, its subreaper, which reaps it; recording waits for it" {
	run -0 "$FORKSCOPE" record -o log.jsonl -- sh -c 'sleep 0.3 & exit 0'
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' log.jsonl)
	TRACER=$(jq -r 'select(.type=="header") | .tracer_pid' log.jsonl)
	orphan=$(jq -r 'select(.type=="exec" and (.filename | endswith("sleep"))) | .pid' log.jsonl)
	assert [ -n "$orphan" ]
	run jq -c --argjson o "$orphan" 'select(.type=="reparent" and .pid==$o) | [.old_parent, .new_parent]' log.jsonl
	assert_output "[$ROOT,$TRACER]"
	assert_equal "$(jq -r --argjson o "$orphan" 'select(.type=="exit" and .pid==$o) | .code' log.jsonl)" 0
	assert_equal "$(jq -r --argjson o "$orphan" 'select(.type=="reap" and .child==$o) | .pid' log.jsonl)" "$TRACER"
	# the orphan outlived the root: the log ends after its reap
	assert_equal "$(jq -r 'select(.seq) | .type' log.jsonl | tail -1)" reap
}

@test "orphans are reported reparented when their parent exits, not when they next run" {
	run -0 "$FORKSCOPE" record -o log.jsonl -- sh -c 'sleep 0.4 & sleep 0.4 & sleep 0.05; exit 0'
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' log.jsonl)
	# the kernel reparents in the parent's exit: each reparent follows the root's exit and comes
	# before anything else the orphan does after it (its sleep ends 0.35 s later)
	run -0 jq -sr --argjson r "$ROOT" '
		(map(select(.type == "exit" and .pid == $r))[0].seq) as $exit
		| [map(select(.type == "reparent"))[] as $p
		   | ([.[] | select(.pid == $p.pid and .seq > $exit and .type != "reparent")][0].seq) as $next
		   | $p.seq > $exit and $p.seq < $next] | [length, all] | @tsv' log.jsonl
	assert_output "$(printf '2\ttrue')"
}

@test "a fork restarted after a signal (ERESTARTNOINTR) is one fork, never a failure" {
	# a 100 us interval timer interrupts clone over and over; every fork the program made succeeded
	run -0 "$FORKSCOPE" record -o log.jsonl -- /usr/bin/python3 -c '
import os, signal
signal.signal(signal.SIGALRM, lambda *a: None)
signal.setitimer(signal.ITIMER_REAL, 0.0001, 0.0001)
for _ in range(200):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
signal.setitimer(signal.ITIMER_REAL, 0)'
	assert_equal "$(jq -s 'map(select(.type == "fork_return" and .ret < 0)) | length' log.jsonl)" 0
	assert_equal "$(jq -s 'map(select(.type == "fork" and .thread == false)) | length' log.jsonl)" 200
	assert_equal "$(jq -s 'map(select(.type == "fork_return" and .ret > 0)) | length' log.jsonl)" 200
}

@test "a child of a parent that ignores SIGCHLD is auto-reaped by the kernel" {
	run -0 "$FORKSCOPE" record -o log.jsonl -- "$FIXTURES/autoreap"
	child=$(jq -r 'select(.type=="fork") | .child' log.jsonl)
	run jq -c --argjson c "$child" 'select(.type=="reap" and .child==$c) | .auto' log.jsonl
	assert_output true
	assert_equal "$(jq -r --argjson c "$child" 'select(.type=="state" and .pid==$c and (.state=="zombie" or .state=="dead")) | .state' log.jsonl)" dead
}

@test "threads are threads of their process: thread forks, clone3 returning 0 in the thread" {
	run -0 "$FORKSCOPE" record -o log.jsonl -- "$FIXTURES/threads"
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' log.jsonl)
	assert_equal "$(jq -c 'select(.type=="fork") | [.pid, .thread]' log.jsonl | sort -u)" "[$ROOT,true]"
	assert_equal "$(jq -s '[.[] | select(.type=="fork")] | length' log.jsonl)" 2
	assert_equal "$(jq -s --argjson r "$ROOT" '[.[] | select(.type=="fork_return" and .pid==$r and .tid!=$r and .ret==0)] | length' log.jsonl)" 2
	assert_equal "$(jq -s '[.[] | select(.type=="exit" and .thread==true)] | length' log.jsonl)" 2
	assert_equal "$(jq -s '[.[] | select(.type=="exit" and .thread!=true)] | length' log.jsonl)" 1
}

@test "the execs of a shell pipeline are the ones strace -f sees" {
	script='echo a b | tr a-z A-Z | wc -c'
	run -0 "$FORKSCOPE" record -o log.jsonl -- sh -c "$script"
	ours=$(jq -r 'select(.type=="exec" and .result==0) | .filename' log.jsonl | sort)
	# -ff: one file per process, so no call is split into <unfinished ...> and <... resumed>
	strace -ff -qq -e trace=execve -e signal=none -o strace sh -c "$script" >/dev/null
	theirs=$(cat strace.* | grep -E '^execve\(.*= 0$' | sed -E 's/^execve\("([^"]*)".*/\1/' | sort)
	assert [ -n "$ours" ]
	assert_equal "$ours" "$theirs"
}

@test "nothing outside the traced tree is recorded" {
	sleep 2 &
	outsider=$!
	run -0 "$FORKSCOPE" record -o log.jsonl -- sh -c 'true; sleep 0.1'
	TRACER=$(jq -r 'select(.type=="header") | .tracer_pid' log.jsonl)
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' log.jsonl)
	tree=$(jq -r --argjson r "$ROOT" 'select(.type=="fork" and .thread==false) | .child' log.jsonl; echo "$ROOT")
	# every event comes from the tree, except the tracer reaping the root
	strays=$(jq -r --argjson t "$TRACER" 'select(.seq and .pid!=$t) | .pid' log.jsonl | sort -u | grep -vxF -f <(echo "$tree") || true)
	assert_equal "$strays" ""
	kill "$outsider"
}

@test "SIGTERM to forkscope goes on to the command; the log still ends with its end line" {
	"$FORKSCOPE" record -o log.jsonl -- sleep 30 3>&- &
	tracer=$!
	for _ in $(seq 50); do [ -s log.jsonl ] && break; sleep 0.1; done
	sleep 0.2
	kill -TERM "$tracer"
	status=0
	wait "$tracer" || status=$?
	assert_equal "$status" 143
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status}')" '{"type":"end","exit_status":143}'
	assert_equal "$(jq -r 'select(.type=="exit") | .signal' log.jsonl)" SIGTERM
}

@test "SIGTERM to forkscope after the root is gone goes on to the orphans it left" {
	# the root exits at once; its orphan waits for the signal and says so in its exit code
	"$FORKSCOPE" record -o log.jsonl -- sh -c '(trap "exit 3" TERM; sleep 30 & wait) & exit 0' 3>&- &
	tracer=$!
	for _ in $(seq 100); do
		[ "$(jq -s 'map(select(.type=="exit")) | length' log.jsonl 2>/dev/null)" = 1 ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -TERM "$tracer"
	wait "$tracer"
	# the orphan took the SIGTERM and left with its 3, long before its sleep would have ended
	assert_equal "$(jq -s '[.[] | select(.type=="exit") | .code] | index(3) != null' log.jsonl)" true
	assert_equal "$(tail -1 log.jsonl | jq -r .type)" end
}

@test "the log on disk is readable while recording: flushed at least every 200 ms" {
	"$FORKSCOPE" record -o log.jsonl -- sh -c 'sleep 0.1; exec sleep 3' 3>&- &
	tracer=$!
	sleep 1
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_output --partial 'exec        /usr/bin/sleep ["sleep", "3"]'
	assert_output --partial "is truncated (no end line)"
	kill -TERM "$tracer"
	wait "$tracer" || true
}

@test "a full ring buffer loses events, and the log counts every one of them" {
	# the workload pumps 100 MB through a pipe while forkscope is stopped: its 1 MiB ring overflows
	"$FORKSCOPE" record --ring-mb 1 -o log.jsonl -- sh -c \
		'while [ ! -e go ]; do sleep 0.02; done; yes | head -c 100000000 >/dev/null; touch done' 3>&- &
	tracer=$!
	for _ in $(seq 100); do [ -s log.jsonl ] && break; sleep 0.05; done
	kill -STOP "$tracer"
	touch go
	for _ in $(seq 600); do [ -e done ] && break; sleep 0.05; done
	kill -CONT "$tracer"
	wait "$tracer"
	lost=$(tail -1 log.jsonl | jq .lost)
	assert [ "$lost" -gt 0 ]
	assert_equal "$(jq -s '[.[] | select(.type=="lost") | .count] | add' log.jsonl)" "$lost"
	# the kernel-side totals stay exact: head read its 100 MB through the pipe, yes wrote at least that
	head_in=$(jq -s '[.[] | select(.type=="total" and .bytes_in >= 100000000)] | length' log.jsonl)
	assert_equal "$head_in" 1
	assert [ "$(jq -s '[.[] | select(.type=="total") | .bytes_out] | max' log.jsonl)" -ge 100000000 ]
	# the lost events are numbered in the stream like any other
	assert_equal "$(jq -s '[.[] | select(.seq) | .seq] | . == [range(1; length + 1)]' log.jsonl)" true
	# the exits of yes and head were lost (their reaps too): at the end line the model knows them gone
	run -0 "$FORKSCOPE" replay --headless log.jsonl
	assert_regex "${lines[-1]}" "^# model: .* still live 0, zombies 0, .* exit unknown [1-9][0-9]*; .* lost $lost, "
}

@test "a FIFO, a SysV message queue, a bound unix socket and UDP: each channel with its bytes" {
	run -0 "$FORKSCOPE" record -o log.jsonl -- "$FIXTURES/ipc_extra" "$BATS_TEST_TMPDIR"
	# the FIFO is a pipe inode, opened by name on both sides, 10 bytes across
	fifo=$(jq -r 'select(.type=="ipc" and .op=="open" and (.path | endswith("/fifo"))) | .channel' log.jsonl | sort -u)
	assert_regex "$fifo" '^pipe:\[[0-9]+\]$'
	assert_equal "$(jq -r --arg c "$fifo" 'select(.type=="ipc" and .channel==$c and (.op=="read" or .op=="write")) | "\(.op) \(.bytes)"' log.jsonl | sort | paste -sd,)" "read 10,write 10"
	# the message queue: 16 bytes sent, 16 received, on the id msgget returned
	mq=$(jq -r 'select(.type=="ipc" and .op=="msgget") | .channel' log.jsonl)
	assert_regex "$mq" '^sysvmsg:\[[0-9]+\]$'
	assert_equal "$(jq -r --arg c "$mq" 'select(.type=="ipc" and .channel==$c and (.op=="msgsnd" or .op=="msgrcv")) | "\(.op) \(.bytes)"' log.jsonl | sort | paste -sd,)" "msgrcv 16,msgsnd 16"
	# the unix socket: the accepted end names the client's socket as its peer, which wrote 5 bytes
	assert_equal "$(jq -r 'select(.type=="ipc" and .op=="bind") | .addr' log.jsonl | head -1)" "unix:$BATS_TEST_TMPDIR/sock"
	read -r srv client <<<"$(jq -r 'select(.type=="ipc" and .op=="accept") | "\(.channel) \(.peer)"' log.jsonl)"
	assert_equal "$(jq -r 'select(.type=="ipc" and .op=="connect") | .channel' log.jsonl)" "$client"
	assert_equal "$(jq -r --arg c "$client" 'select(.type=="ipc" and .op=="write" and .channel==$c) | .bytes' log.jsonl)" 5
	assert_equal "$(jq -r --arg c "$srv" 'select(.type=="ipc" and .op=="read" and .channel==$c) | .bytes' log.jsonl)" 5
	# UDP: one 7-byte datagram written and read
	assert_equal "$(jq -r 'select(.type=="ipc" and .op=="bind" and (.addr | startswith("127.0.0.1:"))) | .addr' log.jsonl)" "127.0.0.1:0"
	assert_equal "$(jq -s '[.[] | select(.type=="ipc" and .op=="read" and (.lport // 0) > 0) | .bytes] | add' log.jsonl)" 7
}

@test "under sudo the command runs as the sudo user, and forkscope drops to it too, keeping only CAP_BPF" {
	SUDO_UID=65534 SUDO_GID=65534 "$FORKSCOPE" record -o log.jsonl -- sh -c 'id -u | cat >&2; sleep 1' 2>uid.txt 3>&- &
	tracer=$!
	for _ in $(seq 100); do [ -s uid.txt ] && break; sleep 0.05; done
	status_lines=$(grep -E '^(Uid|Gid|CapEff|CapPrm):' "/proc/$tracer/status" | tr -s '\t ' ' ')
	wait "$tracer"
	assert_equal "$(cat uid.txt)" 65534
	assert_equal "$status_lines" "$(printf 'Uid: 65534 65534 65534 65534\nGid: 65534 65534 65534 65534\nCapPrm: 0000008000000000\nCapEff: 0000008000000000')"
	assert_equal "$(stat -c %u log.jsonl)" 65534
	# the kernel-side totals still come back after the drop (bpf() on its own maps needs CAP_BPF)
	assert_equal "$(jq -s '[.[] | select(.type=="total" and (.channel | startswith("pipe:"))) | .bytes_out] | add' log.jsonl)" 6
}

@test "a full disk: one clear error, status 1, and every complete event on disk still reads" {
	mkdir tiny
	mount -t tmpfs -o size=64k tmpfs tiny
	run -1 "$FORKSCOPE" record -o tiny/log.jsonl -- sh -c 'for i in $(seq 200); do /bin/true; done'
	assert_output --partial "forkscope: tiny/log.jsonl: No space left on device: the log ends at the last complete event"
	run -0 "$FORKSCOPE" dump tiny/log.jsonl
	assert_output --partial "is truncated (no end line)"
	assert [ "$(echo "$output" | grep -c ' exec ')" -gt 10 ]
}

@test "--umask sets the log's mode and leaves the command's umask alone" {
	run -0 "$FORKSCOPE" record --umask 077 -o log.jsonl -- sh -c umask
	assert_output "$(umask)"
	assert_equal "$(stat -c %a log.jsonl)" 600
	run -2 "$FORKSCOPE" record --umask 9 -o other.jsonl -- true
	assert_line --index 0 "forkscope: --umask takes an octal mask such as 022 or 077, not '9'"
}

@test "text from a page not yet mapped in: output read at the write's exit, an unread mark flagged" {
	# on a terminal, so that what it writes to fd 1 is an output event
	script -qefc "$FORKSCOPE record -q -o log.jsonl -- $FIXTURES/cold_text" /dev/null >/dev/null
	assert_equal "$(jq -c 'select(.type == "output") | [.text, .unreadable]' log.jsonl)" \
		'["hello from a cold page\n",null]'
	# the kernel refused the mark's write (fd 987 is not open) without reading the page: nothing
	# could read it, and the log says so instead of an empty text
	assert_equal "$(jq -c 'select(.type == "mark") | [.text, .unreadable]' log.jsonl)" '["",true]'
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_output --partial '"" (unreadable)'
}

@test "zero-copy moves count on both ends: vmsplice, splice, tee, sendfile, copy_file_range" {
	run -0 "$FORKSCOPE" record -q -o log.jsonl -- "$FIXTURES/zero_copy"
	declare -A ino
	while read -r name n; do ino[$name]=$n; done <<<"$output"
	# bytes by channel and direction, from the events: what went in came out, end to end
	sum() {
		jq -s --arg c "$1" --arg op "$2" 'map(select(.type == "ipc" and .channel == $c and .op == $op) | .bytes) | add // 0' log.jsonl
	}
	assert_equal "p $(sum "pipe:[${ino[p]}]" write) $(sum "pipe:[${ino[p]}]" read)" "p 1000 1000"
	assert_equal "q $(sum "pipe:[${ino[q]}]" write) $(sum "pipe:[${ino[q]}]" read)" "q 500 500"
	assert_equal "r $(sum "pipe:[${ino[r]}]" write) $(sum "pipe:[${ino[r]}]" read)" "r 500 500"
	assert_equal "s $(sum "socket:[${ino[s0]}]" write) $(sum "socket:[${ino[s1]}]" read)" "s 1300 1300"
	assert_equal "g $(sum "file:[${ino[g]}]" write)" "g 300"
	# each zero-copy move says which call made it
	assert_equal "$(jq -r 'select(.via) | .via' log.jsonl | sort | uniq -c | awk '{ print $2 "=" $1 }' | paste -sd' ')" \
		"copy_file_range=2 sendfile=2 splice=2 tee=1 vmsplice=1"
	# the exact totals the probes keep agree with the events
	assert_equal "$(jq -s --arg c "socket:[${ino[s0]}]" 'map(select(.type == "total" and .channel == $c) | .bytes_out) | add' log.jsonl)" 1300
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_output --partial "1000 bytes via vmsplice"
}

@test "under a ptracer, each reap is the real parent's: strace's waits only report the exits" {
	run -0 "$FORKSCOPE" record -q -o log.jsonl -- strace -f -o /dev/null sh -c '/bin/true; /bin/true'
	sh=$(jq -r 'select(.type == "exec" and .filename == "/usr/bin/sh") | .pid' log.jsonl)
	trues=$(jq -r 'select(.type == "exec" and .filename == "/bin/true") | .pid' log.jsonl | sort | paste -sd' ')
	assert [ -n "$sh" ]
	# strace (a ptracer, not their parent) waited for the trues first; sh's wait reaped them
	assert_equal "$(jq -r --argjson sh "$sh" 'select(.type == "reap" and .pid == $sh) | .child' log.jsonl | sort | paste -sd' ')" "$trues"
	assert_equal "$(jq -s 'map(select(.type == "reap")) | length' log.jsonl)" \
		"$(jq -s 'map(select(.type == "fork" and .thread == false)) | length + 1' log.jsonl)"
	run -0 "$FORKSCOPE" replay --headless log.jsonl
	assert_line --regexp '^# model: processes seen [0-9]+, still live 0, zombies 0, .* anomalies 0$'
}

@test "in a pid namespace, fork returns and reaps carry global pids, and the namespace's own" {
	run -3 "$FORKSCOPE" record -q -o log.jsonl -- unshare --pid --fork sh -c '/bin/true; sh -c "exit 3"'
	sh=$(jq -r 'select(.type == "exec" and .filename == "/usr/bin/sh") | .pid' log.jsonl | head -1)
	kids=$(jq -r --argjson p "$sh" 'select(.type == "fork" and .pid == $p) | .child' log.jsonl | paste -sd' ')
	# sh is pid 1 of its namespace: its children are 2 and 3 there, known by their global pids
	assert_equal "$(jq -r --argjson p "$sh" 'select(.type == "fork_return" and .pid == $p and .ret > 0) | "\(.ret)/\(.ns_ret)"' log.jsonl | paste -sd' ')" \
		"$(set -- $kids; echo "$1/2 $2/3")"
	assert_equal "$(jq -r --argjson p "$sh" 'select(.type == "reap" and .pid == $p) | "\(.child)/\(.ns_child)"' log.jsonl | paste -sd' ')" \
		"$(set -- $kids; echo "$1/2 $2/3")"
	run -0 "$FORKSCOPE" replay --headless log.jsonl
	assert_line --regexp '^# model: processes seen 4, still live 0, zombies 0, reaped 4, .* anomalies 0$'
	assert_output --partial "vfork() returned 2 in the parent $sh: the pid its new child"
}

@test "a mark from a pid namespace says its pids are the namespace's, and which the writer has there" {
	run -0 "$FORKSCOPE" record -q -o log.jsonl -- unshare --pid --fork /usr/bin/python3 -c '
import os
try: os.write(987, ("I am %d" % os.getpid()).encode())
except OSError: pass'
	assert_equal "$(jq -c 'select(.type == "mark") | [.text, .ns_pid, .pid > 1]' log.jsonl)" '["I am 1",1,true]'
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_output --partial '"I am 1" (pids in its pid namespace'"'"'s numbers: it is 1 there)'
}

@test "during an exec, state events keep the old name: none names the new program before its exec" {
	# two busy loops of the test's own keep both CPUs contended, so execs get preempted mid-way
	for _ in 1 2; do
		timeout 60 sh -c 'while :; do :; done' 3>&- &
		echo $! >>busy.pids
	done
	run -0 "$FORKSCOPE" record -q -o log.jsonl -- sh -c 'for i in $(seq 300); do /bin/true; done'
	kill $(cat busy.pids)
	early=$(jq -s '[.[] | select(.seq)] as $ev
		| ($ev | map(select(.type == "exec")) | group_by(.pid) | map({key: (.[0].pid | tostring), value: .[0].seq}) | from_entries) as $exec
		| $ev | map(select(.type != "exec" and .comm == "true" and $exec[.pid | tostring] != null and .seq < $exec[.pid | tostring])) | length' log.jsonl)
	assert_equal "$early" 0
	assert_equal "$(jq -s 'map(select(.type == "exec" and .filename == "/bin/true")) | length' log.jsonl)" 300
}

@test "an outside strace -p waits for the tree's exits, and none of its waits is a reap" {
	mkfifo go
	"$FORKSCOPE" record -q -o log.jsonl -- sh -c 'read -r _ <go; /bin/true; /bin/true' 3>&- &
	recorder=$!
	for _ in $(seq 100); do
		sh=$(pgrep -P "$recorder" -x sh) && break
		sleep 0.05
	done
	strace -f -o /dev/null -p "$sh" 3>&- &
	tracer=$!
	for _ in $(seq 100); do
		[ "$(awk '/^TracerPid:/ { print $2 }' "/proc/$sh/status")" = "$tracer" ] && break
		sleep 0.05
	done
	echo >go
	wait "$recorder"
	wait "$tracer" || true
	# the reaps are the tree's own (sh's of its children, forkscope's of sh), strace is not in it
	run -0 jq -r 'select(.type == "reap") | .pid' log.jsonl
	refute_line "$tracer"
	assert_equal "$(jq -s --argjson sh "$sh" 'map(select(.type == "reap" and .pid == $sh)) | length' log.jsonl)" 2
}
