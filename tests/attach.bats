#!/usr/bin/env bats
# End-to-end: `forkscope record --pid` attaches to a tree that is already running, with real probes.

setup() {
	load 'test_helper/common'
	load 'test_helper/tmux'
	common_setup
	require_tracing
	mkfifo go
}

teardown() {
	tui_stop
	[ -z "${OUTER:-}" ] || kill "$OUTER" 2>/dev/null || true
	[ -z "${ROOTKID:-}" ] || kill "$ROOTKID" 2>/dev/null || true
	[ -z "${OWN:-}" ] || kill "$OWN" 2>/dev/null || true
	[ -z "${WORKLOAD:-}" ] || pkill -P "$WORKLOAD" 2>/dev/null || true
	[ -z "${WORKLOAD:-}" ] || kill "$WORKLOAD" 2>/dev/null || true
	[ -z "${RECORDER:-}" ] || kill -9 "$RECORDER" 2>/dev/null || true
}

# Waits (at most 10 s) until pid $1 runs bash as nobody: setpriv has changed its ids and exec'd
# (between the two the process is not dumpable, and nobody could not ptrace it).
wait_bash_as_nobody() {
	for _ in $(seq 100); do
		[ "$(stat -c %u "/proc/$1")" = 65534 ] && [ "$(cat "/proc/$1/comm")" = bash ] && return 0
		sleep 0.1
	done
	return 1
}

# Waits (at most 10 s) until pid $1 has a child.
wait_child() {
	for _ in $(seq 100); do
		pgrep -P "$1" >/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# The workload: a shell with one sleeping child; once `go` is written, it kills the child,
# runs /bin/true and exits with 3. Its parent OUTER is already blocked in wait when forkscope
# attaches, so the reap of the workload comes from a wait that began before the probes.
start_workload() {
	bash -c 'bash -c "sleep 1000 & read -r _ < go; kill \$!; wait; /bin/true; exit 3" & wait' &
	OUTER=$!
	wait_child "$OUTER"
	WORKLOAD=$(pgrep -P "$OUTER")
	wait_child "$WORKLOAD"
	SLEEPER=$(pgrep -P "$WORKLOAD")
}

# Records the workload attached into log.jsonl, from its two processes to its end.
record_workload() {
	start_workload
	"$FORKSCOPE" record --pid "$WORKLOAD" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl existing 2
	echo > go
	wait_recorder
}

@test "record --pid: the tree is marked already running, then followed until it is gone" {
	record_workload
	assert_equal "$(jq -r 'select(.type=="header") | .root_pid' log.jsonl)" "$WORKLOAD"
	assert_equal "$(jq -r 'select(.type=="header") | .command[0]' log.jsonl)" bash
	# both processes, parent first, with what /proc said about them
	assert_equal "$(jq -c 'select(.type=="existing") | [.pid, .ppid, .argv[0]]' log.jsonl | paste -sd' ')" \
		"[$WORKLOAD,$OUTER,\"bash\"] [$SLEEPER,$WORKLOAD,\"sleep\"]"
	assert_equal "$(jq -r --argjson s "$SLEEPER" 'select(.type=="existing" and .pid==$s) | .state' log.jsonl)" blocked
	# then what they did: the kill, the sleeper's death and reap, the new child, the root's exit and reap
	assert_equal "$(jq -r --argjson s "$SLEEPER" 'select(.type=="exit" and .pid==$s) | .signal' log.jsonl)" SIGTERM
	assert_equal "$(jq -r --argjson s "$SLEEPER" 'select(.type=="reap" and .child==$s) | .pid' log.jsonl)" "$WORKLOAD"
	run jq -r 'select(.type=="exec") | .filename' log.jsonl
	assert_output /bin/true
	assert_equal "$(jq -r --argjson w "$WORKLOAD" 'select(.type=="exit" and .pid==$w) | .code' log.jsonl)" 3
	# its parent was already waiting in wait4 when the probes came: the reap is still seen, by it
	assert_equal "$(jq -r --argjson w "$WORKLOAD" 'select(.type=="reap" and .child==$w) | .pid' log.jsonl)" "$OUTER"
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status, lost, detached}')" \
		'{"type":"end","exit_status":0,"lost":0,"detached":null}'
	WORKLOAD=
}

@test "record --pid: the existing processes read back in dump and export" {
	record_workload
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_line --regexp "\\[ *$SLEEPER/$SLEEPER *\\] sleep +existing +ppid=$WORKLOAD threads=1 age=[0-9.]+s /usr/bin/sleep \\[\"sleep\", \"1000\"\\] blocked in clock_nanosleep"
	run -0 "$FORKSCOPE" export --format perfetto log.jsonl -o trace.json
	assert_equal "$(jq '[.traceEvents[] | select(.name=="already running")] | length' trace.json)" 2
}

@test "SIGINT detaches like strace -p: the tree runs on, the log ends cleanly" {
	sleep 1000 &
	WORKLOAD=$!
	"$FORKSCOPE" record --pid "$WORKLOAD" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl existing 1
	kill -INT "$RECORDER"
	wait_recorder
	run kill -0 "$WORKLOAD"
	assert_success
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, detached}')" '{"type":"end","detached":true}'
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_line --regexp '^# end: exit status 0, [0-9]+ events, 0 lost, [0-9.]+ s, detached: the tree ran on$'
	run jq -r 'select(.type=="signal") | .signal' log.jsonl
	refute_output --partial SIGINT
}

@test "attached to its own shell, forkscope leaves itself out and traces the rest" {
	run -0 bash -c '"$0" record --pid $$ -o log.jsonl & F=$!
		for _ in $(seq 100); do grep -q "\"existing\"" log.jsonl 2>/dev/null && break; sleep 0.1; done
		/bin/echo traced >/dev/null
		kill -INT $F; wait $F; echo "tracer=$F"' "$FORKSCOPE"
	tracer=${output##*tracer=}
	assert_equal "$(jq -s --argjson f "$tracer" '[.[] | select(.pid == $f)] | length' log.jsonl)" 0
	assert_equal "$(jq -r 'select(.type=="existing") | .argv[0]' log.jsonl | head -1)" bash
	run jq -r 'select(.type=="exec") | .argv[0]' log.jsonl
	assert_line /bin/echo
}

@test "--pid follows strace's rule: the sudo user must be allowed to ptrace the process" {
	sleep 1000 &
	WORKLOAD=$!
	SUDO_UID=65534 SUDO_GID=65534 run -1 "$FORKSCOPE" record --pid "$WORKLOAD" -o log.jsonl
	assert_output "forkscope: not allowed to trace $WORKLOAD: user 65534 may not ptrace it (the rule strace -p follows)"
	[ ! -e log.jsonl ]
	# a process of that user's own is fine, and the log is the user's
	chmod 0777 .
	setpriv --reuid=65534 --regid=65534 --clear-groups bash -c 'read -r _ < go' &
	OWN=$!
	wait_bash_as_nobody "$OWN"
	SUDO_UID=65534 SUDO_GID=65534 "$FORKSCOPE" record --pid "$OWN" -o own.jsonl &
	RECORDER=$!
	wait_events own.jsonl existing 1
	echo > go
	wait_recorder
	assert_equal "$(stat -c %U own.jsonl)" nobody
	assert_equal "$(jq -r 'select(.type=="exit") | .pid' own.jsonl)" "$OWN"
	OWN=
}

@test "--pid leaves out the processes of the tree the sudo user may not ptrace" {
	# a shell of nobody's whose child is root's: the shell was root when it forked, then exec'd as nobody
	bash -c 'sleep 1000 & exec setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "read -r _ < go"' &
	WORKLOAD=$!
	wait_child "$WORKLOAD"
	ROOTKID=$(pgrep -P "$WORKLOAD")
	wait_bash_as_nobody "$WORKLOAD"
	chmod 0777 .
	SUDO_UID=65534 SUDO_GID=65534 "$FORKSCOPE" record --pid "$WORKLOAD" -o mixed.jsonl 2>err &
	RECORDER=$!
	wait_events mixed.jsonl existing 1
	echo > go
	wait_recorder
	assert_equal "$(cat err)" "forkscope: warning: 1 process of the tree is left out: you may not ptrace it"
	assert_equal "$(jq -r 'select(.type=="existing") | .pid' mixed.jsonl)" "$WORKLOAD"
	assert_equal "$(jq -s --argjson k "$ROOTKID" '[.[] | select(.pid == $k)] | length' mixed.jsonl)" 0
	WORKLOAD=
}

@test "--pid refuses what it cannot do, with the usual exit codes" {
	run -2 "$FORKSCOPE" record --pid "$$" -- /bin/true
	assert_output --partial "give no command or demo"
	run -2 "$FORKSCOPE" record --pid 12x
	assert_output --partial "--pid takes a process id"
	run -2 "$FORKSCOPE" record --pid "$$" --no-bpf
	assert_output --partial "--no-bpf cannot attach"
	run -2 "$FORKSCOPE" demo fork --pid "$$"
	run -1 "$FORKSCOPE" record --pid 4194304 -o log.jsonl
	assert_output "forkscope: cannot attach to 4194304: No such process"
	[ ! -e log.jsonl ]
}

@test "run --pid: the TUI shows the tree already running, follows it, and q detaches" {
	start_workload
	tui_start 100 30 "$FORKSCOPE" run --pid "$WORKLOAD"
	tui_wait "LIVE pid $WORKLOAD"
	tui_wait "^│ +$WORKLOAD .* bash -c sleep 1000 .*already running"
	tui_wait "^│ +$SLEEPER .* └─ sleep 1000 +in clock_nanosleep\(\); already running"
	echo > go
	tui_wait "$SLEEPER +· reaped .*killed by SIGTERM, reaped by $WORKLOAD"
	tui_wait "ended"
	tui_keys q
	tui_wait "^EXIT=0"
	tui_stop
	WORKLOAD=
}
