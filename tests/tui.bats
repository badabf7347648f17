#!/usr/bin/env bats
# End-to-end: the TUI in a real terminal (a private tmux server), replaying committed sessions
# as a user without privileges, and tracing a demo live as root.

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

root_of() {
	jq -r 'select(.type=="header") | .root_pid' "$1"
}

# The first pid a log's root forked.
first_child_of() {
	jq -r --argjson r "$(root_of "$1")" 'select(.type=="fork" and .pid==$r and .thread==false) | .child' "$1" | head -1
}

@test "replay as a user without privileges: tree, states, fork returns and IPC lanes" {
	log="$SESSIONS/pipe.jsonl"
	root=$(root_of "$log")
	child=$(first_child_of "$log")
	tui_start 120 40 "${AS_NOBODY[@]}" "$FORKSCOPE" replay --speed 64 "$log"
	tui_wait 'REPLAY pipe.jsonl'
	tui_wait 'ended \(exit 0\)'
	# every process is a tomb now; the root's fork() column shows its last child, the child's 0
	tui_wait "^│ +$root · reaped .* →[0-9]+ +pipe"
	tui_wait "^│ +$child · reaped .* →0 +├─ pipe"
	tui_wait "└─ tr a-z A-Z"
	# the pipe from the parent to its child is a lane, and its legend says who wrote to whom
	tui_wait "a pipe:\[[0-9]+\] $root ▶ $child  23 B in 1 write"
	tui_wait "Lesson: pipe"
	tui_wait "FIRST LINE"
}

@test "replay: pause, step forwards and back, speed, seek to the start, the end and marks" {
	log="$SESSIONS/fork.jsonl"
	n=$(jq -s '[.[] | select(.seq)] | length' "$log")
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE" replay "$log"
	tui_wait 'REPLAY fork.jsonl'
	tui_keys space
	tui_wait 'PAUSED'
	tui_keys Home
	tui_wait " 0/$n ev"
	tui_wait 'no process yet|◇ created|▶ running'
	tui_keys s
	tui_wait " 1/$n ev"
	tui_keys .
	tui_wait " 2/$n ev"
	tui_keys ,
	tui_wait " 1/$n ev"
	tui_keys +
	tui_wait 'PAUSED  2x'
	tui_keys - -
	tui_wait 'PAUSED  0.5x'
	# the next mark: its sentence is the newest line of the event log, and the lesson moves on
	tui_keys ]
	tui_wait '▸[0-9.]+ [0-9]+ says: fork returned'
	tui_wait '▸ 2\. fork returned'
	tui_keys End
	tui_wait " $n/$n ev"
	tui_wait 'reaped by'
	tui_keys '<'
	tui_wait_gone " $n/$n ev"
	tui_keys q
	tui_assert_restored
}

@test "the lesson speaks of the replayed run: its pids once they happened, Enter shows the event" {
	log="$SESSIONS/fork.jsonl"
	child=$(first_child_of "$log")
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE" replay --speed 0.015625 "$log"
	tui_wait 'REPLAY fork.jsonl'
	tui_keys space Home
	tui_wait ' 0/[0-9]+ ev'
	# before the fork its value is unknown, never another run's pid
	tui_wait '2\. fork returned … in parent'
	tui_keys ]
	tui_wait "▸ 2\. fork returned $child in parent"
	# two events on, Enter scrolls back to the mark that made the step current
	tui_keys . .
	tui_wait ' 16/[0-9]+ ev'
	# Tab goes the way the panes are drawn: the tree, the events, the lesson above the output
	tui_keys Tab Tab
	tui_keys Enter
	tui_wait "the step's event is the newest shown"
	tui_wait 'Events \(scrolled: End\)'
	tui_wait "[0-9.]+ [0-9]+ says: fork returned $child in"
	# a replay has no raw terminal to show, and says so
	tui_keys o
	tui_wait 'no raw terminal here: only a live run on its own terminal has one'
	tui_keys q
	tui_assert_restored
}

@test "replay shows states as they change: zombie until reaped, then a tomb" {
	log="$SESSIONS/zombie.jsonl"
	child=$(first_child_of "$log")
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE" replay "$log"
	tui_wait "$child † zombie .*└─ zombie"
	tui_wait "$child · reaped .*reaped by"
	tui_wait "$child +· reaped .*exit 0, reaped by [0-9]+"
}

@test "help lists the keys and the legend of every state; any key closes it" {
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE" replay "$SESSIONS/fork.jsonl"
	tui_wait 'REPLAY fork.jsonl'
	tui_keys '?'
	tui_wait 'Help: keys and legend'
	for s in '◇ created' '○ ready' '▶ running' '‖ blocked' '† zombie' '· reaped'; do
		grep -q "$s " "$BATS_TEST_TMPDIR/screen" || { cat "$BATS_TEST_TMPDIR/screen"; false; }
	done
	for k in 'space' 'Tab/S-Tab' 'Enter' '\+ / -' '< / >' 'Home/End' 'Ctrl-\]' 'q F10'; do
		grep -qE "$k" "$BATS_TEST_TMPDIR/screen" || { cat "$BATS_TEST_TMPDIR/screen"; false; }
	done
	tui_keys x
	tui_wait_gone 'Help: keys and legend'
	tui_keys F1
	tui_wait 'Help: keys and legend'
}

@test "details of the selected process, search and follow" {
	log="$SESSIONS/pipe.jsonl"
	child=$(first_child_of "$log")
	tui_start 120 40 "${AS_NOBODY[@]}" "$FORKSCOPE" replay --speed 64 "$log"
	tui_wait 'ended \(exit 0\)'
	tui_keys / "$child" Enter
	tui_keys Enter
	tui_wait "process +$child pipe"
	tui_wait "reaped +by [0-9]+ at"
	tui_wait "channels +pipe:\["
	tui_keys Escape
	tui_wait_gone 'Process details'
	tui_keys f
	tui_wait "Events of $child"
	tui_keys / nosuchprocess Enter
	tui_wait "no process matches 'nosuchprocess'"
}

@test "smaller than 80x24 shows a message, and the screen comes back at 80x24" {
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE" replay "$SESSIONS/fork.jsonl"
	tui_wait 'REPLAY fork.jsonl'
	tui_resize 60 20
	tui_wait 'forkscope needs 80x24'
	tui_wait 'this terminal is 60x20'
	tui_resize 80 24
	tui_wait 'REPLAY fork.jsonl'
	tui_wait_gone 'forkscope needs'
	tui_keys q
	tui_assert_restored
	grep -q 'EXIT=0' "$BATS_TEST_TMPDIR/screen"
}

@test "a truncated log: the replay says so on screen, at its end, and on stderr once quit" {
	head -c $(($(head -n 30 "$SESSIONS/pipe.jsonl" | wc -c) + 25)) "$SESSIONS/pipe.jsonl" >"$BATS_TEST_TMPDIR/cut.jsonl"
	tui_start 80 24 sh -c '"$0" replay "$1" 2>"$2"' "$FORKSCOPE" "$BATS_TEST_TMPDIR/cut.jsonl" "$BATS_TEST_TMPDIR/err"
	tui_wait 'the log is truncated \(no end line\): the tracer did not finish'
	tui_keys End
	tui_wait 'ended: log truncated +1x +[0-9.]+/[0-9.]+ s +29/29 ev'
	tui_keys q
	tui_assert_restored
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
		"forkscope: warning: $BATS_TEST_TMPDIR/cut.jsonl is truncated (no end line): the tracer did not finish"
}

@test "the menu redraws at once when the terminal is resized, without a key" {
	tui_start 120 40 "${AS_NOBODY[@]}" "$FORKSCOPE"
	tui_wait 'its bundled recording is replayed'
	tui_resize 60 15
	tui_wait 'this terminal is 60x15'
	tui_resize 80 24
	tui_wait 'its bundled recording is replayed'
	tui_wait_gone 'forkscope needs'
	tui_keys q
	tui_assert_restored
}

@test "Ctrl-C and SIGTERM quit with the terminal restored" {
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE" replay "$SESSIONS/fork.jsonl"
	tui_wait 'REPLAY fork.jsonl'
	tui_keys C-c
	tui_assert_restored
	tui_stop
	tui_start 80 24 "$FORKSCOPE" replay "$SESSIONS/fork.jsonl"
	tui_wait 'REPLAY fork.jsonl'
	kill -TERM "$(tui_pid)"
	tui_assert_restored
}

# Starts forkscope with these arguments on the terminal; it must refuse -o - there, with status 2.
refuses_log_on_tui() {
	tui_start 100 30 "$FORKSCOPE" "$@"
	tui_wait 'EXIT=2'
	grep -qx "forkscope: -o - would write the log over the TUI's screen: name a file (or use record -o -)" \
		"$BATS_TEST_TMPDIR/screen"
	! grep -q '"type"' "$BATS_TEST_TMPDIR/screen"
	tui_stop
}

@test "run and demo refuse -o - on the TUI's terminal, before anything starts" {
	refuses_log_on_tui run -o - -- sh -c 'echo started >started'
	refuses_log_on_tui demo pipe -o -
	assert [ ! -e started ]
}

@test "a crash restores the terminal before the default action" {
	tui_start 80 24 "$FORKSCOPE" replay "$SESSIONS/fork.jsonl"
	tui_wait 'REPLAY fork.jsonl'
	kill -SEGV "$(tui_pid)"
	tui_assert_restored
	grep -q 'EXIT=139' "$BATS_TEST_TMPDIR/screen"
}

@test "without root, the menu offers every demo's recording and replays it" {
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE"
	tui_wait 'its bundled recording is replayed'
	while read -r name _; do
		grep -qE "^│ $name +.*recorded" "$BATS_TEST_TMPDIR/screen" || { cat "$BATS_TEST_TMPDIR/screen"; false; }
	done < <("$FORKSCOPE" demo --list)
	tui_keys Down Enter
	tui_wait 'REPLAY process.jsonl'
	tui_keys q
	tui_wait 'its bundled recording is replayed'
	tui_keys q
	tui_assert_restored
}

# CPU time (user + system, in clock ticks) a process has used.
cpu_ticks() {
	awk '{ print $14 + $15 }' /proc/"$1"/stat
}

@test "idle, the TUI does not wake up: a paused replay uses no CPU" {
	# 100 columns: room for the events/s rate, which an 80-column replay of pool gives up
	tui_start 100 30 "${AS_NOBODY[@]}" "$FORKSCOPE" replay "$SESSIONS/pool.jsonl"
	tui_wait 'REPLAY pool.jsonl'
	tui_keys space
	tui_wait 'PAUSED'
	# a seek animates nothing, and the events/s figure falls to 0 a second later:
	# then nothing moves on screen
	tui_keys Home
	tui_wait ' 0/[0-9]+ ev +0/s'
	pid=$(tui_pid)
	before=$(cpu_ticks "$pid")
	sleep 3
	after=$(cpu_ticks "$pid")
	# at most one tick (10 ms) in 3 s: under 0.4% of a CPU
	assert [ $((after - before)) -le 1 ]
}

@test "when its terminal goes away, forkscope leaves instead of spinning" {
	tui_start 80 24 "${AS_NOBODY[@]}" "$FORKSCOPE"
	tui_wait 'its bundled recording is replayed'
	pid=$(tui_pid)
	tui_stop
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.05
	done
	echo "forkscope $pid is still running after its terminal closed: $(ps -o stat=,pcpu= -p "$pid")"
	false
}

# The BPF programs and links a process holds, by id, from its fdinfo.
bpf_ids() {
	grep -hE '^(prog_id|link_id):' /proc/"$1"/fdinfo/* 2>/dev/null | sort -u
}

# None of those programs and links (bpf_ids output) exists any more. A link's id goes when its
# last descriptor closes; a raw tracepoint link lets its program go only after an RCU grace
# period (bpf_link_free defers the dealloc), so a program may be listed for some milliseconds
# after forkscope exits: each is given 5 s, and one still there after that is a leak.
assert_bpf_gone() {
	local kind id deadline

	while read -r kind id; do
		case $kind in
		link_id:)
			run bpftool link show id "$id"
			assert_failure
			;;
		prog_id:)
			deadline=$((SECONDS + 5))
			while bpftool prog show id "$id" >/dev/null 2>&1; do
				[ "$SECONDS" -lt "$deadline" ] || { bpftool prog show id "$id"; false; }
				sleep 0.05
			done
			;;
		esac
	done <<<"$1"
}

@test "live: a demo runs traced on its own terminal, its output attributed; quitting detaches every probe" {
	require_tracing
	tui_start 80 24 "$FORKSCOPE" demo fork
	tui_wait 'LIVE fork'
	pid=$(tui_pid)
	ids=$(bpf_ids "$pid")
	[ -n "$ids" ]
	tui_wait '→0 +└─ fork'
	tui_wait '[0-9]+ I am child process \([0-9]+\)'
	tui_wait 'Lesson: fork'
	tui_wait 'ended \(exit 0\)' 15
	tui_wait "· reaped .*reaped by"
	tui_keys q
	tui_assert_restored
	grep -q 'EXIT=0' "$BATS_TEST_TMPDIR/screen"
	assert_bpf_gone "$ids"
}

@test "live: quitting while the workload runs stops it and every probe" {
	require_tracing
	tui_start 80 24 "$FORKSCOPE" demo pool
	tui_wait 'Run task 3'
	pid=$(tui_pid)
	ids=$(bpf_ids "$pid")
	root=$(pgrep -P "$pid" | head -1)
	tui_keys q
	tui_assert_restored
	run pgrep -s "$root"
	assert_failure
	assert_bpf_gone "$ids"
}

@test "live: keys typed in input mode reach the workload's terminal" {
	require_tracing
	tui_start 80 24 "$FORKSCOPE" run -- sh -c 'printf "name? "; read -r x; echo "got [$x]"; sleep 0.2'
	tui_wait 'name\?'
	tui_keys i
	tui_wait 'INPUT: your keys go to the workload'
	tui_keys h e l l o Enter
	tui_wait 'got \[hello\]'
	tui_keys C-]
	tui_wait 'ended \(exit 0\)'
	tui_keys q
	tui_assert_restored
}
