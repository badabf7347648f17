#!/usr/bin/env bats
# Each bundled demo, recorded for real: the events that define its lesson must be in the log.

setup() {
	load 'test_helper/common'
	common_setup
	require_tracing
}

@test "demo --list names every demo with a summary, tour last" {
	run -0 "$FORKSCOPE" demo --list
	assert_equal "${#lines[@]}" 16
	assert_line --index 0 --regexp '^fork +.+'
	assert_line --index 15 --regexp '^tour +.+'
}

@test "an unknown demo is a one-line error" {
	run -2 "$FORKSCOPE" record -o x.jsonl --demo nosuch
	assert_output "forkscope: no demo called 'nosuch' (see 'forkscope demo --list')"
}

@test "fork: fork returns twice, the child's pid in the parent and 0 in the child" {
	record_demo fork
	child=$(q fork.jsonl 'select(.type=="fork" and .pid==$r) | .child')
	assert_equal "$(q fork.jsonl 'select(.type=="fork_return" and .pid==$r) | .ret')" "$child"
	assert_equal "$(q fork.jsonl --argjson c "$child" 'select(.type=="fork_return" and .pid==$c) | .ret')" 0
	assert_output --partial "I am child process ($child) and my parent is $ROOT."
	assert_output --partial "I ($ROOT) just created a child process ($child)."
}

@test "process: start then join: the parent reaps its child before it says joined" {
	record_demo process
	child=$(q process.jsonl 'select(.type=="fork" and .pid==$r) | .child')
	order=$(q process.jsonl --argjson c "$child" 'select((.type=="mark" and .pid==$r) or (.type=="reap" and .child==$c)) | if .type=="reap" then "reap" else .text end' | paste -sd' ')
	assert_equal "$order" "start join reap joined"
}

@test "pool: exactly 4 worker processes, 5 tasks, the fifth on a reused worker" {
	record_demo pool
	assert_equal "$(q pool.jsonl 'select(.type=="fork" and .pid==$r and .thread==false) | .child' | wc -l)" 4
	assert_equal "$(q pool.jsonl 'select(.type=="mark" and (.text | test("^task [0-9] started"))) | .text' | wc -l)" 5
	fifth=$(q pool.jsonl 'select(.type=="mark" and (.text | startswith("task 4 started"))) | .pid')
	assert_equal "$(q pool.jsonl --argjson w "$fifth" 'select(.type=="mark" and .pid==$w and (.text | test("^task [0-3] done"))) | .pid' | wc -l)" 1
}

@test "queue: writer and reader share one pipe, bytes written = bytes read, the reader dies of SIGTERM" {
	record_demo queue
	read -r writer reader <<<"$(q queue.jsonl 'select(.type=="fork" and .pid==$r) | .child' | paste -sd' ')"
	# the queue is the pipe the parent made (stdout is a pipe too, to the test runner)
	queue=$(q queue.jsonl 'select(.type=="ipc" and .op=="pipe" and .pid==$r) | .channel')
	assert_regex "$queue" '^pipe:\[[0-9]+\]$'
	assert_equal "$(q queue.jsonl --arg c "$queue" 'select(.type=="ipc" and .channel==$c and .bytes > 0) | "\(.pid) \(.op)"' | sort -u | paste -sd,)" "$(printf '%s\n' "$writer write" "$reader read" | sort | paste -sd,)"
	written=$(jq -s --arg c "$queue" '[.[] | select(.type=="ipc" and .op=="write" and .channel==$c) | .bytes] | add' queue.jsonl)
	assert_equal "$(jq -s --arg c "$queue" '[.[] | select(.type=="ipc" and .op=="read" and .channel==$c and .bytes > 0) | .bytes] | add' queue.jsonl)" "$written"
	assert_equal "$(q queue.jsonl --argjson d "$reader" 'select(.type=="exit" and .pid==$d) | .signal')" SIGTERM
	assert_equal "$(q queue.jsonl --argjson d "$reader" 'select(.type=="signal" and .op=="generate" and .pid==$r and .target==$d) | .sig')" SIGTERM
}

@test "subprocess: the child execs sort, reading its stdin pipe and writing its stdout pipe" {
	record_demo subprocess
	sorter=$(q subprocess.jsonl 'select(.type=="exec" and .filename=="/usr/bin/sort") | .pid')
	assert [ -n "$sorter" ]
	in=$(q subprocess.jsonl --argjson s "$sorter" 'select(.type=="ipc" and .op=="read" and .pid==$s and .fd==0 and .bytes > 0) | .channel' | sort -u)
	out=$(q subprocess.jsonl --argjson s "$sorter" 'select(.type=="ipc" and .op=="write" and .pid==$s and .fd==1) | .channel' | sort -u)
	assert_regex "$in" '^pipe:'
	assert_regex "$out" '^pipe:'
	assert_equal "$(q subprocess.jsonl --arg c "$in" 'select(.type=="ipc" and .op=="write" and .pid==$r and .channel==$c) | .bytes')" \
		"$(q subprocess.jsonl --argjson s "$sorter" --arg c "$in" 'select(.type=="ipc" and .op=="read" and .pid==$s and .channel==$c and .bytes > 0) | .bytes')"
	assert [ -n "$(q subprocess.jsonl --arg c "$out" 'select(.type=="ipc" and .op=="read" and .pid==$r and .channel==$c and .bytes > 0) | .bytes')" ]
	assert_equal "$(q subprocess.jsonl 'select(.type=="exec" and .filename=="/usr/bin/uname") | .argv | join(" ")')" "/usr/bin/uname -s"
}

@test "zombie: the child stays a zombie until the parent reaps it" {
	record_demo zombie
	child=$(q zombie.jsonl 'select(.type=="fork" and .pid==$r) | .child')
	# the last two things that happen to the child: it turns zombie, then it is reaped
	run q zombie.jsonl --argjson c "$child" 'select((.type=="state" and .pid==$c) or (.type=="reap" and .child==$c)) | .state // "reap"'
	assert_equal "$(printf '%s\n' "${lines[@]}" | tail -2 | paste -sd' ')" "zombie reap"
	zt=$(q zombie.jsonl --argjson c "$child" 'select(.type=="state" and .pid==$c and .state=="zombie") | .t')
	rt=$(q zombie.jsonl --argjson c "$child" 'select(.type=="reap" and .child==$c) | .t')
	assert [ "$rt" -gt "$zt" ]
	assert_equal "$(q zombie.jsonl --argjson c "$child" 'select(.type=="reap" and .child==$c) | .pid')" "$ROOT"
}

@test "orphan: the parent exits first and the child is reparented, then reaped by its new parent" {
	record_demo orphan
	child=$(q orphan.jsonl 'select(.type=="fork" and .pid==$r) | .child')
	assert_equal "$(q orphan.jsonl --argjson c "$child" 'select(.type=="reparent" and .pid==$c) | [.old_parent, .new_parent] | join(" ")')" "$ROOT $TRACER"
	et=$(q orphan.jsonl 'select(.type=="exit" and .pid==$r) | .t')
	ct=$(q orphan.jsonl --argjson c "$child" 'select(.type=="exit" and .pid==$c) | .t')
	assert [ "$ct" -gt "$et" ]
	assert_equal "$(q orphan.jsonl --argjson c "$child" 'select(.type=="reap" and .child==$c) | .pid')" "$TRACER"
}

@test "states: one process runs, sleeps and blocks on a pipe, marked cpu, sleep and io" {
	record_demo states
	assert_equal "$(q states.jsonl 'select(.type=="mark" and .pid==$r) | .text' | sort -u | paste -sd' ')" "cpu io sleep"
	assert [ -n "$(q states.jsonl 'select(.type=="state" and .pid==$r and .state=="blocked" and (.syscall | test("nanosleep"))) | .t' | head -1)" ]
	assert [ -n "$(q states.jsonl 'select(.type=="state" and .pid==$r and .state=="blocked" and .syscall=="read" and (.channel | startswith("pipe:"))) | .t' | head -1)" ]
	assert [ -n "$(q states.jsonl 'select(.type=="state" and .pid==$r and .state=="running") | .t' | head -1)" ]
	assert [ -n "$(q states.jsonl 'select(.type=="state" and .pid==$r and .state=="ready") | .t' | head -1)" ]
}

@test "pipe: data crosses from one process to another on the same pipe inode" {
	record_demo pipe
	pipes=$(q pipe.jsonl 'select(.type=="ipc" and .op=="pipe") | .channel' | sort -u)
	assert [ "$(echo "$pipes" | wc -l)" -ge 2 ]
	for c in $pipes; do
		writers=$(q pipe.jsonl --arg c "$c" 'select(.type=="ipc" and .op=="write" and .channel==$c) | .pid' | sort -u)
		readers=$(q pipe.jsonl --arg c "$c" 'select(.type=="ipc" and .op=="read" and .channel==$c and .bytes > 0) | .pid' | sort -u)
		assert [ -n "$readers" ]
		assert [ "$writers" != "$readers" ]
	done
}

@test "file: one process writes a regular file that another then reads" {
	record_demo file
	chan=$(q file.jsonl 'select(.type=="ipc" and .op=="write" and (.channel | startswith("file:"))) | .channel' | sort -u)
	assert_regex "$chan" '^file:\[[0-9]+\]$'
	w=$(jq -s --arg c "$chan" '[.[] | select(.type=="ipc" and .op=="write" and .channel==$c) | .bytes] | add' file.jsonl)
	assert_equal "$(jq -s --arg c "$chan" '[.[] | select(.type=="ipc" and .op=="read" and .channel==$c) | .bytes] | add' file.jsonl)" "$w"
	assert_equal "$(q file.jsonl --arg c "$chan" 'select(.type=="ipc" and .channel==$c) | .pid' | sort -u | wc -l)" 2
	assert_regex "$(q file.jsonl 'select(.type=="ipc" and .op=="open") | .path' | head -1)" '^/tmp/forkscope-file-'
}

@test "socket: socketpair ends name each other; TCP client and server pair up by ports" {
	record_demo socket
	read -r a b <<<"$(q socket.jsonl 'select(.type=="ipc" and .op=="socketpair") | [.channel, .peer] | join(" ")')"
	# a read names the other end while it is open; one that ends after the writer closed its end
	# finds no peer left in the kernel (unix_sock.peer), and names none rather than a wrong one
	assert_equal "$(q socket.jsonl --arg a "$a" 'select(.type=="ipc" and .op=="read" and .channel==$a and .bytes > 0) | .peer // empty' | sort -u)" "$b"
	port=$(q socket.jsonl 'select(.type=="ipc" and .op=="listen") | .lport')
	assert [ "$port" -gt 0 ]
	client=$(q socket.jsonl 'select(.type=="ipc" and .op=="connect") | "\(.lport) \(.rport)"')
	server=$(q socket.jsonl 'select(.type=="ipc" and .op=="accept") | "\(.rport) \(.lport)"')
	assert_equal "$client" "$server"
	assert_equal "$(q socket.jsonl 'select(.type=="ipc" and .op=="connect") | .addr')" "127.0.0.1:$port"
}

@test "signal: the parent's SIGUSR1 reaches the child's handler, and SIGCHLD comes back" {
	record_demo signal
	child=$(q signal.jsonl 'select(.type=="fork" and .pid==$r) | .child')
	assert_equal "$(q signal.jsonl --argjson c "$child" 'select(.type=="signal" and .op=="generate" and .pid==$r and .target==$c) | .sig')" SIGUSR1
	assert_equal "$(q signal.jsonl --argjson c "$child" 'select(.type=="signal" and .op=="deliver" and .pid==$c) | [.sig, .result] | join(" ")')" "SIGUSR1 handler"
	assert_equal "$(q signal.jsonl --argjson c "$child" 'select(.type=="signal" and .op=="generate" and .pid==$c and .target==$r) | .sig')" SIGCHLD
	assert_equal "$(q signal.jsonl 'select(.type=="signal" and .op=="deliver" and .pid==$r) | [.sig, .result] | join(" ")')" "SIGCHLD handler"
}

@test "semaphore: a POSIX named semaphore under /dev/shm and a SysV set used by two processes" {
	record_demo semaphore
	assert_regex "$(q semaphore.jsonl 'select(.type=="ipc" and .op=="open") | .path' | tail -1)" '^/dev/shm/sem\.forkscope-sem-'
	id=$(q semaphore.jsonl 'select(.type=="ipc" and .op=="semget") | .channel')
	assert_regex "$id" '^sysvsem:\[[0-9]+\]$'
	assert_equal "$(q semaphore.jsonl --arg c "$id" 'select(.type=="ipc" and .op=="semop" and .channel==$c) | .arg' | sort -n | paste -sd' ')" "-1 1"
	assert_equal "$(q semaphore.jsonl --arg c "$id" 'select(.type=="ipc" and .op=="semop" and .channel==$c) | .pid' | sort -u | wc -l)" 2
}

@test "shm: POSIX shm mapped by two processes; SysV segment attached by both, guarded by a semaphore" {
	record_demo shm
	chan=$(q shm.jsonl 'select(.type=="ipc" and .op=="open" and (.path | startswith("/dev/shm/forkscope-shm"))) | .channel' | sort -u)
	assert_equal "$(q shm.jsonl --arg c "$chan" 'select(.type=="ipc" and .op=="mmap" and .channel==$c) | .pid' | sort -u | wc -l)" 2
	seg=$(q shm.jsonl 'select(.type=="ipc" and .op=="shmget") | .channel')
	assert_regex "$seg" '^sysvshm:\[[0-9]+\]$'
	assert [ -n "$(q shm.jsonl --arg c "$seg" 'select(.type=="ipc" and .op=="shmat" and .channel==$c) | .pid')" ]
	assert [ "$(q shm.jsonl 'select(.type=="ipc" and .op=="semop") | .pid' | sort -u | wc -l)" -eq 2 ]
}

@test "mqueue: three messages sent by one process are received by another on the same queue" {
	record_demo mqueue
	chan=$(q mqueue.jsonl 'select(.type=="ipc" and .op=="mq_open") | .channel' | sort -u)
	assert_regex "$chan" '^mqueue:\[[0-9]+\]$'
	sent=$(jq -s '[.[] | select(.type=="ipc" and .op=="mq_send") | .bytes] | add' mqueue.jsonl)
	assert_equal "$(jq -s '[.[] | select(.type=="ipc" and .op=="mq_recv") | .bytes] | add' mqueue.jsonl)" "$sent"
	assert [ "$(q mqueue.jsonl 'select(.type=="ipc" and .op=="mq_send") | .pid' | sort -u)" != "$(q mqueue.jsonl 'select(.type=="ipc" and .op=="mq_recv") | .pid' | sort -u)" ]
}

@test "tour: every demo runs, in teaching order, each announced by a mark" {
	record_demo tour
	expected=$("$FORKSCOPE" demo --list | awk '$1 != "tour" { print "tour: " $1 }' | paste -sd,)
	assert_equal "$(q tour.jsonl 'select(.type=="mark" and (.text | startswith("tour: "))) | .text' | paste -sd,)" "$expected"
	# each demo the tour ran (its direct children) ended well
	demos=$(q tour.jsonl '[select(.type=="fork" and .pid==$r and .thread==false) | .child] | .[]')
	assert_equal "$(echo "$demos" | wc -w)" 15
	for d in $demos; do
		assert_equal "$(q tour.jsonl --argjson d "$d" 'select(.type=="exit" and .pid==$d and .thread != true) | .code')" 0
	done
}

@test "python Pool(4): four worker processes, and the Pool's helper threads stay threads" {
	run -0 "$FORKSCOPE" record -o py.jsonl -- /usr/bin/python3 "$BATS_TEST_DIRNAME/../examples/python/pool.py"
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' py.jsonl)
	assert_equal "$(q py.jsonl 'select(.type=="fork" and .pid==$r and .thread==false) | .child' | wc -l)" 4
	assert [ "$(q py.jsonl 'select(.type=="fork" and .pid==$r and .thread==true) | .child' | wc -l)" -ge 3 ]
	assert_output --partial "All subprocesses done."
}
