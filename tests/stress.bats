#!/usr/bin/env bats
# Hard workloads traced for real: thousands of live processes, pid reuse, auto-reaping, daemons,
# vfork, failed and threaded execs. The log must hold every lifecycle event in a consistent
# order, and the model replayed from it (build/tests/model_check) must agree with /proc.

setup() {
	load 'test_helper/common'
	common_setup
	require_tracing
	CHECK="$BATS_TEST_DIRNAME/../build/tests/model_check"
}

# record LOG FIXTURE [ARGS...]: traces a fixture that must succeed; sets ROOT and TRACER. The
# ring is 64 MiB, eight times the default, so that a burst loses nothing even on a busy machine
# (losing events, and counting them, is tests/record.bats's business).
record() {
	local log=$1 fixture=$2
	shift 2
	run -0 --separate-stderr "$FORKSCOPE" record --ring-mb 64 -o "$log" -- "$FIXTURES/$fixture" "$@"
	ROOT=$(head -1 "$log" | jq .root_pid)
	TRACER=$(head -1 "$log" | jq .tracer_pid)
}

# Checks the process lifecycle in a log, incarnation by incarnation: every fork of a process is
# followed by its exit and then its reap before its pid is forked again. Prints
# "forks=N exits=N reaps=N reused=N unreaped=N bad=N codes_off=N"; with codes=1 the child forked
# i-th must have exited with i % 256 (codes_off counts those that did not).
lifecycle() {
	grep -E '"type":"(fork|exit|reap)"' "$1" |
		jq -r '[.type, .pid, (.child // 0), (.thread // false), (.code // -1)] | @tsv' |
		awk -F'\t' -v root="$ROOT" -v codes="${2:-0}" '
		BEGIN { st[root] = "forked" }
		function bad(msg) { if (nbad++ < 5) print "lifecycle: " msg > "/dev/stderr" }
		$1 == "fork" && $4 == "false" {
			if (st[$3] == "forked" || st[$3] == "exited") bad("fork of live pid " $3)
			reused += st[$3] == "reaped"
			st[$3] = "forked"; idx[$3] = forks++
		}
		$1 == "exit" && $4 == "false" {
			if (st[$2] != "forked") bad("exit of pid " $2 " in state " st[$2])
			st[$2] = "exited"; exits++
			if (codes && $2 != root && $5 != idx[$2] % 256) codes_off++
		}
		$1 == "reap" {
			if (st[$3] != "exited") bad("reap of pid " $3 " in state " st[$3])
			st[$3] = "reaped"; reaps++
		}
		END {
			for (p in st) unreaped += st[p] != "reaped"
			printf "forks=%d exits=%d reaps=%d reused=%d unreaped=%d bad=%d codes_off=%d\n",
				forks, exits, reaps, reused, unreaped, nbad, codes_off
		}'
}

# Every fork of N children, its exit and its reap, in order, with nothing lost; or, when the
# ring buffer did drop events, the log says exactly how many (the lost events add up to the end
# line's count) and no more lifecycle events are missing than that. codes=1 as for lifecycle.
# Sets LOST.
assert_lifecycle() {
	local log=$1 n=$2 codes=${3:-0} lost missing
	lost=$(tail -1 "$log" | jq .lost)
	LOST=$lost
	assert_equal "$(grep '"type":"lost"' "$log" | jq -s 'map(.count) | add // 0')" "$lost"
	# the summary only: with events lost, lifecycle also explains the gaps on stderr
	run -0 --separate-stderr lifecycle "$log" "$codes"
	if [ "$lost" = 0 ]; then
		assert_output "forks=$n exits=$((n + 1)) reaps=$((n + 1)) reused=${REUSED:-0} unreaped=0 bad=0 codes_off=0"
		return
	fi
	echo "# $log: $lost events lost" >&3
	missing=$(sed -E 's/forks=([0-9]+) exits=([0-9]+) reaps=([0-9]+).*/\1 \2 \3/' <<<"$output" |
		awk -v n="$n" '{ print (n - $1) + (n + 1 - $2) + (n + 1 - $3) }')
	assert [ "$missing" -le "$lost" ]
}

@test "10,000 processes alive at once: every fork, exit and reap is logged, or counted as lost" {
	record log.jsonl many_live 10000
	assert_line --index 0 "live 10000" # /proc listed them all at once
	assert_line --index 1 "reaped 10000"
	assert_lifecycle log.jsonl 10000
	# the children, all blocked on one pipe, held at once in the model too
	assert_equal "lost $LOST" "lost 0" # else the model cannot be exact
	run -0 "$CHECK" log.jsonl
	assert_output --regexp '^events=[0-9]+ anomalies=0 lost=0 live=0 zombies=0 held=10001 peak_live=10001 '
}

@test "pid reuse: a fork storm past pid_max keeps each incarnation's fork, exit and reap in order" {
	record log.jsonl pid_wrap 500
	read -r forks reused <<<"$(sed -E 's/forks ([0-9]+) reused ([0-9]+)/\1 \2/' <<<"$output")"
	# it wrapped: 500 pids came round again (how many forks that took depends on what else on
	# the machine takes pids meanwhile, so it is not counted here), the highest near pid_max
	assert_equal "$reused" 500
	max=$(jq -r 'select(.type == "fork") | .child' log.jsonl | sort -n | tail -1)
	assert [ "$max" -gt $(($(cat /proc/sys/kernel/pid_max) - 1000)) ]
	# the log sees the same reuses the workload saw, and every child's own exit code
	REUSED=$reused assert_lifecycle log.jsonl "$forks" 1
	# the model keeps one incarnation per pid and, forgetting old tombs, stays small
	assert_equal "lost $LOST" "lost 0" # else the model cannot be exact
	run -0 "$CHECK" --forget 100000000 log.jsonl
	assert_output --regexp '^events=[0-9]+ anomalies=0 lost=0 live=0 zombies=0 '
	peak=$(sed -E 's/.*peak_held=([0-9]+).*/\1/' <<<"$output")
	assert [ "$peak" -lt 5000 ]
}

@test "a parent that ignores SIGCHLD, or sets SA_NOCLDWAIT: its children are dead, never zombies" {
	for mode in ignore nocldwait; do
		record "$mode.jsonl" nowait "$mode"
		assert_output "released 3" # gone from /proc without a wait
		kids=$(jq -r --argjson r "$ROOT" 'select(.type == "fork" and .pid == $r) | .child' "$mode.jsonl")
		assert_equal "$(wc -w <<<"$kids")" 3
		for k in $kids; do
			assert_equal "$(jq -c --argjson k "$k" 'select(.type == "reap" and .child == $k) | [.pid, .auto]' "$mode.jsonl")" "[$ROOT,true]"
			assert_equal "$(jq -r --argjson k "$k" 'select(.type == "state" and .pid == $k and (.state == "zombie" or .state == "dead")) | .state' "$mode.jsonl")" dead
			run -0 "$CHECK" "$mode.jsonl" "$k"
			assert_line --index 1 --regexp "^pid=$k ppid=$ROOT .* state=reaped code=1[012] sig=0 reaper=0 auto=1 "
		done
	done
}

@test "a double-forked daemon is reparented to forkscope, which reaps it; the log waits for it" {
	record log.jsonl daemon
	read -r _ daemon _ _ adopter <<<"$output"
	assert_equal "$adopter" "$TRACER" # getppid() in the daemon
	mid=$(jq -r --argjson r "$ROOT" 'select(.type == "fork" and .pid == $r) | .child' log.jsonl)
	assert_equal "$(jq -r --argjson m "$mid" 'select(.type == "fork" and .pid == $m) | .child' log.jsonl)" "$daemon"
	assert_equal "$(jq -c --argjson d "$daemon" 'select(.type == "reparent" and .pid == $d) | [.old_parent, .new_parent]' log.jsonl)" "[$mid,$TRACER]"
	assert_equal "$(jq -c --argjson d "$daemon" 'select(.type == "reap" and .child == $d) | .pid' log.jsonl)" "$TRACER"
	assert_equal "$(jq -r 'select(.seq and .type != "total") | .type' log.jsonl | tail -1)" reap
	run -0 lifecycle log.jsonl
	assert_output "forks=2 exits=3 reaps=3 reused=0 unreaped=0 bad=0 codes_off=0"
	run -0 "$CHECK" log.jsonl "$daemon"
	assert_line --index 1 --regexp "^pid=$daemon ppid=$TRACER orig_ppid=$mid state=reaped code=5 sig=0 reaper=$TRACER auto=0 "
}

@test "vfork: the parent sleeps in vfork until its child has run; both returns are logged" {
	record log.jsonl vfork
	run -0 jq -r --argjson r "$ROOT" 'select(.type == "fork_return" and .pid == $r and .ret != 0) | .syscall' log.jsonl
	assert_output $'vfork\nvfork'
	read -r a b <<<"$(jq -r --argjson r "$ROOT" 'select(.type == "fork" and .pid == $r) | .child' log.jsonl | paste -sd' ')"
	for k in $a $b; do
		assert_equal "$(jq -c --argjson k "$k" 'select(.type == "fork_return" and .pid == $k) | [.syscall, .ret]' log.jsonl)" '["vfork",0]'
	done
	# the parent sleeps in vfork: it returns after the child has run (its own return is logged)
	for k in $a $b; do
		run -0 jq -s --argjson r "$ROOT" --argjson k "$k" '[
			(.[] | select(.type == "fork" and .child == $k) | .seq),
			[.[] | select(.type == "state" and .pid == $r and .state == "blocked" and .syscall == "vfork") | .seq],
			(.[] | select(.type == "fork_return" and .pid == $k) | .seq),
			(.[] | select(.type == "fork_return" and .pid == $r and .ret == $k) | .seq)
		] as [$fork, $slept, $child_ret, $parent_ret]
		| $child_ret < $parent_ret and any($slept[]; . > $fork and . < $parent_ret)' log.jsonl
		assert_output true
	done
	# strace -f sees the same calls
	strace -f -qq -e trace=vfork -o strace.txt "$FIXTURES/vfork"
	assert_equal "$(grep -c 'vfork() *= [1-9]' strace.txt)" 2
	run -0 "$CHECK" log.jsonl "$a" "$b"
	assert_line --index 1 --regexp "^pid=$a ppid=$ROOT .* state=reaped code=0 .* exec=/bin/true$"
	assert_line --index 2 --regexp "^pid=$b ppid=$ROOT .* state=reaped code=7 "
}

@test "failed execs are events with -errno: a missing file, a file that is not executable" {
	record log.jsonl exec_fail
	child=$(jq -r --argjson r "$ROOT" 'select(.type == "fork" and .pid == $r) | .child' log.jsonl)
	ours=$(jq -r --argjson k "$child" 'select(.type == "exec" and .pid == $k) | "\(.filename) \(.result)"' log.jsonl)
	assert_equal "$ours" "/nonexistent/prog -2
/etc/passwd -13
/bin/true 0"
	# strace -f: the same execs of the child, with the same results
	strace -f -qq -e trace=execve -e signal=none -o strace.txt "$FIXTURES/exec_fail"
	theirs=$(grep 'execve(' strace.txt | grep -v "$FIXTURES/exec_fail" |
		sed -E 's/^[0-9]+ +execve\("([^"]*)".*= (-1 ([A-Z]+)|0).*/\1 \3/' | sed 's/ ENOENT$/ -2/; s/ EACCES$/ -13/; s/ $/ 0/')
	assert_equal "$ours" "$theirs"
	run -0 "$CHECK" log.jsonl "$child"
	assert_line --index 1 --regexp "^pid=$child .* state=reaped code=0 .* exec=/bin/true$"
}

@test "a command that is not executable fails like exec does, with 126" {
	run -126 --separate-stderr "$FORKSCOPE" record -o log.jsonl -- /etc/passwd
	assert_equal "$stderr" "forkscope: /etc/passwd: Permission denied"
	assert_equal "$(jq -c 'select(.type == "exec") | [.filename, .result, .errno]' log.jsonl)" '["/etc/passwd",-13,"EACCES"]'
}

@test "a thread that execs: the process keeps its pid, the exec names the old tid" {
	record log.jsonl thread_exec
	tid=$(sed -E 's/thread ([0-9]+) execs/\1/' <<<"$output") # gettid() in the thread
	assert_equal "$(jq -r 'select(.type == "fork" and .thread) | .child_tid' log.jsonl)" "$tid"
	run -0 jq -c 'select(.type == "exec" and .result == 0) | [.pid, .tid, (.old_tid // .tid), .filename]' log.jsonl
	assert_line --index 1 "[$ROOT,$ROOT,$tid,\"/bin/true\"]"
	# the leader, killed by the exec, ends as a thread; the process ends once, as a whole
	assert_equal "$(jq -c 'select(.type == "exit") | [.pid, .tid, .thread // false]' log.jsonl | paste -sd' ')" \
		"[$ROOT,$ROOT,true] [$ROOT,$ROOT,false]"
	run -0 "$CHECK" log.jsonl "$ROOT"
	assert_line --index 0 --regexp '^events=[0-9]+ anomalies=0 lost=0 live=0 zombies=0 held=1 '
	assert_line --index 1 --regexp "^pid=$ROOT ppid=$TRACER .* state=reaped code=0 sig=0 reaper=$TRACER .* exec=/bin/true$"
}

@test "the leader calls pthread_exit, another thread exits the process: one process exit, then its reap" {
	record log.jsonl leader_exit
	read -r _ child _ state _ tid <<<"$output" # from /proc: "leader PID state Z thread TID"
	assert_equal "$state" Z
	assert_equal "$(jq -r --argjson c "$child" 'select(.type == "fork" and .pid == $c and .thread) | .child_tid' log.jsonl)" "$tid"
	run -0 jq -c --argjson c "$child" 'select(.pid == $c and (.type == "exit" or (.type == "state" and .state == "zombie"))) | [.type, .tid, (if .type == "exit" then .thread // false else .state end), .code]' log.jsonl
	# the leader's exit and its zombie state (as /proc shows it) come before the process's exit
	assert_output "[\"exit\",$child,true,0]
[\"state\",$child,\"zombie\",null]
[\"exit\",$tid,false,3]"
	assert_equal "$(jq -r --argjson c "$child" 'select(.type == "reap" and .child == $c) | .pid' log.jsonl)" "$ROOT"
	run -0 "$CHECK" log.jsonl "$child"
	assert_line --index 0 --regexp '^events=[0-9]+ anomalies=0 lost=0 live=0 zombies=0 '
	assert_line --index 1 --regexp "^pid=$child ppid=$ROOT .* state=reaped code=3 sig=0 reaper=$ROOT auto=0 threads=0 "
}
