#!/usr/bin/env bats
# End-to-end: live stepping (--step, the b key). The real tree is frozen at breakpoints by the
# probes and the cgroup v2 freezer (or SIGSTOP), looked at through /proc, and let go again.

setup() {
	load 'test_helper/common'
	load 'test_helper/tmux'
	common_setup
	require_tracing
}

teardown() {
	tui_stop
}

# The workload's cgroup that forkscope (pid $1) made for stepping.
step_cgroup() {
	local v2
	v2=$(findmnt -n -t cgroup2 -o TARGET | head -1)
	find "$v2" -maxdepth 6 -type d -name "forkscope-step-$1" 2>/dev/null | head -1
}

# The state letter /proc shows for pid $1.
proc_state() {
	sed 's/.*) //' "/proc/$1/stat" | cut -c1
}

# The text of the box titled $2 whose left edge is at display column $1 (wide characters count
# two), its lines joined without spaces or borders.
right_pane() {
	python3 -c '
import sys, unicodedata
col, title = int(sys.argv[1]), sys.argv[2]
def right(line):
    w = 0
    for i, ch in enumerate(line):
        if w >= col:
            return line[i:]
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return ""
out, inside = [], False
for line in sys.stdin.read().splitlines():
    r = right(line)
    if title in r:
        inside = True
    elif inside and r.startswith("└"):
        break
    elif inside:
        out.append(r.replace("│", "").replace(" ", ""))
print("".join(out))' "$1" "$2"
}

# Pid $1 is held by the cgroup freezer's stepping, and the screen says how (in the words $2 and
# $3, English by default; "-" when the screen cannot show it): stopped by its breakpoint
# (ps T), or trapped by the freezer before that stop was taken (ps S; a process preempted on
# its way out of the call, the freezer came first): either way it runs nothing more.
assert_held() {
	local state
	state=$(proc_state "$1")
	[[ $state =~ ^[TS]$ ]] || fail "$1 is $state, neither stopped nor frozen"
	[ "${2:-}" != - ] || return 0
	if [ "$state" = T ]; then
		tui_wait "^│ +$1 . ${2:-stopped} "
	else
		tui_wait "^│ +$1 . ${3:-frozen} "
	fi
}

# Presses s until the screen says the session ended (at most 30 s).
step_to_end() {
	local deadline=$(($(date +%s) + 30))
	until tui_screen | grep -q 'ended (exit'; do
		[ "$(date +%s)" -lt "$deadline" ] || { tui_screen >&2; return 1; }
		tui_keys s
		sleep 0.2
	done
}

@test "--step=fork freezes a demo at its first fork: both processes held, /proc agrees with the screen" {
	tui_start 120 40 "$FORKSCOPE" demo fork --step=fork -o fork.jsonl
	tui_wait 'FROZEN'
	tui_wait "frozen at [0-9]+'s fork\\(\\), before parent" # the sentence wraps in the event pane
	fs=$(tui_pid)
	cg=$(step_cgroup "$fs")
	[ -n "$cg" ] || fail "no cgroup forkscope-step-$fs"
	assert_equal "$(grep frozen "$cg/cgroup.events")" "frozen 1"
	mapfile -t pids <"$cg/cgroup.procs"
	assert_equal "${#pids[@]}" 2
	for p in "${pids[@]}"; do
		assert_held "$p" # neither has run an instruction of its own past fork()
	done
	sleep 1 # frozen time, which the session's clock must leave out
	tui_keys s
	tui_wait 'ended \(exit 0\)' 20
	tui_keys q
	tui_wait 'EXIT=0'
	[ ! -e "$cg" ] || fail "the cgroup $cg is still there"
	fork_seq=$(jq -r 'select(.type=="fork") | .seq' fork.jsonl | head -1)
	assert_equal "$(jq -r 'select(.type=="header") | .version' fork.jsonl)" 4
	fork_pid=$(jq -r 'select(.type=="fork") | .pid' fork.jsonl | head -1)
	assert_equal "$(jq -r 'select(.type=="step" and .op=="freeze") | [.at_seq, .at, .pid, .method, .procs] | @tsv' fork.jsonl)" \
		"$fork_seq	fork	$fork_pid	cgroup	2"
	run "$FORKSCOPE" replay --headless fork.jsonl
	assert_line --regexp "^ *[0-9.]+  frozen at $fork_pid's fork\\(\\), before parent or child runs past it: 2 processes held by the cgroup freezer\$"
	# Perfetto shows the freeze and the thaw across every track, at the freeze's time
	run -0 "$FORKSCOPE" export --format perfetto -o trace.json fork.jsonl
	assert_equal "$(jq -r '.traceEvents[] | select(.cat == "step") | [.ph, .s, .name] | @tsv' trace.json | sed 's/[0-9.]* s frozen/N s frozen/')" \
		"I	g	frozen at the fork of $fork_pid, 2 held by the cgroup freezer
I	g	thawed after N s frozen (not in the session's times)"
	# and the SVG as a dashed line across the rows, labelled with how long
	run -0 "$FORKSCOPE" export --format svg -o pic.svg fork.jsonl
	assert_equal "$(grep -c '<line class="freeze"' pic.svg)" 1
	grep -qE '<text class="freeze" [^>]*>frozen [0-9]+\.[0-9] s</text>' pic.svg || fail "no freeze label in the SVG"
	# a log that ends frozen still shows the freeze; a subtree keeps it, since the whole tree froze
	grep -v '"op":"thaw"' fork.jsonl | grep -v '"type":"end"' >cut.jsonl
	run -0 "$FORKSCOPE" export -q --format svg -o cut.svg cut.jsonl
	grep -qE '<text class="freeze" [^>]*>frozen</text>' cut.svg || fail "no freeze in the SVG of a log cut while frozen"
	child=$(jq -r 'select(.type=="fork") | .child' fork.jsonl | head -1)
	run -0 "$FORKSCOPE" export --format jsonl --pid "$child" fork.jsonl
	assert_equal "$(grep -c '"type":"step"' <<<"$output")" 2
	frozen=$(jq -r 'select(.type=="step" and .op=="thaw") | .frozen_ns' fork.jsonl)
	[ "$frozen" -gt 1000000000 ] || fail "frozen for $frozen ns only"
	# the demo lasts about 1.5 s: the recorded times do not include the second and more frozen
	duration=$(jq -r 'select(.type=="end") | .duration_ns' fork.jsonl)
	last=$(jq -s -r '[.[] | select(.t) | .t] | max' fork.jsonl)
	[ "$duration" -lt 3000000000 ] || fail "duration $duration includes the frozen time"
	[ "$last" -lt 3000000000 ] || fail "event times reach $last: the frozen time is in them"
	# the breakpoint's own SIGSTOPs are not the workload's signals
	assert_equal "$(jq -r 'select(.type=="signal" and .signal=="SIGSTOP") | .seq' fork.jsonl)" ""
}

@test "stepping through every fork, exec and exit leaves the command's output and status as they were" {
	script='for i in 1 2 3; do (echo "child $i"; exit $i); echo "status $?"; done; ls / | wc -l; exit 3'
	run sh -c "$script"
	assert_equal "$status" 3
	want=$output
	tui_start 120 40 "$FORKSCOPE" run --step=fork,exec,exit -o run.jsonl -- sh -c "{ $script; } >$BATS_TEST_TMPDIR/out.txt"
	tui_wait 'FROZEN'
	step_to_end
	tui_keys q
	tui_wait 'EXIT=3'
	assert_equal "$(cat out.txt)" "$want"
	freezes=$(jq -r 'select(.type=="step" and .op=="freeze")' run.jsonl | jq -s length)
	thaws=$(jq -r 'select(.type=="step" and .op=="thaw")' run.jsonl | jq -s length)
	# sh, its 3 subshells, ls and wc: their execs, forks and exits are each a breakpoint
	[ "$freezes" -ge 8 ] || fail "only $freezes breakpoints"
	assert_equal "$thaws" "$freezes"
}

@test "SIGKILL of forkscope while the tree is frozen: the watchdog thaws it and removes the cgroup" {
	tui_start 120 40 "$FORKSCOPE" run --step=fork -- sh -c \
		"trap '' HUP; (sleep 0.3; echo done >$BATS_TEST_TMPDIR/done.txt) & wait"
	tui_wait 'FROZEN'
	fs=$(tui_pid)
	cg=$(step_cgroup "$fs")
	[ -n "$cg" ] || fail "no cgroup forkscope-step-$fs"
	mapfile -t pids <"$cg/cgroup.procs"
	kill -9 "$fs"
	for _ in $(seq 100); do
		[ -e done.txt ] && break
		sleep 0.1
	done
	assert_equal "$(cat done.txt)" done
	for _ in $(seq 50); do
		[ -e "$cg" ] || break
		sleep 0.1
	done
	[ ! -e "$cg" ] || fail "the cgroup $cg was left behind"
	for p in "${pids[@]}"; do
		[ ! -e "/proc/$p/stat" ] || [ "$(proc_state "$p")" != T ] || fail "$p is still stopped"
	done
}

@test "b turns stepping on in a session started without --step: SIGSTOP holds the tree" {
	tui_start 120 40 "$FORKSCOPE" run -o run.jsonl -- sh -c 'sleep 1; sh -c "exit 4"; exit $?'
	tui_wait 'LIVE'
	tui_keys b
	tui_wait 'stepping: the tree is stopped with SIGSTOP'
	tui_wait 'FROZEN' 10
	fs=$(tui_pid)
	root=$(pgrep -P "$fs" -x sh)
	assert_equal "$(proc_state "$root")" T
	for c in $(pgrep -P "$root"); do
		# held, or a zombie: the first breakpoint may be sleep's exit, which holds its parent
		[[ "$(proc_state "$c")" =~ ^[TZ]$ ]] || fail "$c is $(proc_state "$c"), not held"
	done
	tui_keys b
	tui_wait 'stepping off'
	tui_wait 'ended \(exit 4\)' 20
	tui_keys q
	tui_wait 'EXIT=4'
	assert_equal "$(jq -r 'select(.type=="step" and .op=="freeze") | .method' run.jsonl | sort -u)" sigstop
}

@test "quitting while frozen lets the tree go before stopping it" {
	tui_start 120 40 "$FORKSCOPE" run --step=exec -- sh -c 'exec sleep 30'
	tui_wait 'FROZEN'
	fs=$(tui_pid)
	cg=$(step_cgroup "$fs")
	mapfile -t pids <"$cg/cgroup.procs"
	tui_keys q
	tui_wait 'EXIT=' 10
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do
			[ -e "/proc/$p" ] || break
			sleep 0.1
		done
		[ ! -e "/proc/$p" ] || fail "$p is still there: $(cat /proc/$p/stat)"
	done
	for _ in $(seq 50); do
		[ -e "$cg" ] || break
		sleep 0.1
	done
	[ ! -e "$cg" ] || fail "the cgroup $cg was left behind"
}

@test "--step is refused where it cannot work, in one line" {
	run -2 "$FORKSCOPE" record --step -- true
	assert_output --partial "--step and --predict need the TUI: use run or demo"
	run -2 "$FORKSCOPE" record --predict --demo fork
	assert_output --partial "--step and --predict need the TUI: use run or demo"
	run -2 "$FORKSCOPE" run --predict --pid 1
	assert_output --partial "--predict asks a demo's lesson: not with --pid, --cgroup or --unit"
	run -2 "$FORKSCOPE" run --step=fork,bogus -- true
	assert_output --partial "--step takes a comma list of fork, exec, exit and mark, not 'fork,bogus'"
	run -2 "$FORKSCOPE" run --step --pid 1
	assert_output --partial "--step stops a tree forkscope started"
	run -2 "$FORKSCOPE" run --step -- true </dev/null
	assert_output --partial "--step and --predict need the TUI, on a terminal"
}

@test "the pool demo steps fork by fork at 80x24 in Chinese, its lesson naming this run's pids" {
	LANGUAGE=zh tui_start 80 24 "$FORKSCOPE" --lang zh demo pool --step=fork
	tui_wait '已冻结'
	tui_wait '进程：2 个存活'
	fs=$(tui_pid)
	root=$(pgrep -P "$fs" -x pool)
	workers=$(pgrep -P "$root")
	for n in 3 4 5; do
		tui_keys s
		# one s, one more worker: the parent stopped again at its next fork
		tui_wait "进程：$n 个存活"
		tui_wait '已冻结'
		assert_held "$root" 停止 冻结
		# in fork order (by start time: pids wrap, and one s separates two forks)
		workers=$(ps -o pid= --ppid "$root" --sort=start_time | tr -d ' ' | paste -sd' ' | sed 's/ /、/g')
		assert_equal "$(pgrep -P "$root" | wc -l)" $((n - 1))
		# the lesson's first step names this run's parent and the workers forked so far
		lesson=$(tui_screen | right_pane 44 '课程：pool')
		# (as far as the pane shows it: it shrinks as the tree grows)
		[[ "$lesson" == *"父进程${root}"* ]] || fail "lesson pane: $lesson (parent $root)"
		rest=${lesson#*父进程"${root}"} want="创建工作进程${workers}"
		[[ "$rest" == "$want"* || ("$want" == "$rest"* && $n -gt 3) ]] ||
			fail "lesson pane: $lesson (workers $workers)"
	done
	tui_keys b
	tui_wait '单步已关闭'
	tui_wait '已结束' 30
}

@test "an exit breakpoint holds the parent before it can reap; a mark breakpoint holds the writer" {
	# the fork demo's child exits while its parent sleeps in its teaching pause: the parent is
	# stopped there, before it can call waitpid() (a parent already asleep in wait4 on another CPU
	# may still collect the zombie first: the kernel looks for zombies before it looks at signals)
	tui_start 120 40 "$FORKSCOPE" demo fork --step=exit
	tui_wait 'FROZEN'
	fs=$(tui_pid)
	parent=$(pgrep -P "$fs" -x fork)
	child=$(pgrep -P "$parent")
	# the zombie waits for its parent, which is held: it has not reaped
	assert_equal "$(proc_state "$child")" Z
	tui_wait "^│ +$child . zombie "
	assert_held "$parent"
	tui_keys b
	tui_wait 'ended \(exit 0\)' 20
	tui_keys q
	tui_wait 'EXIT=0'
	tui_stop

	tui_start 120 40 "$FORKSCOPE" demo fork --step=mark -- --fast
	tui_wait 'FROZEN'
	fs=$(tui_pid)
	demo=$(pgrep -P "$fs" -x fork)
	assert_held "$demo"
	tui_wait "says: |\"[a-z]"
	tui_keys b
	tui_wait 'ended \(exit 0\)' 20
}

@test "under sudo, a setuid program of the tree is held and let go through the watchdog" {
	# forkscope drops to the sudo user (nobody here) and cannot signal mount, setuid root
	[ -u /usr/bin/mount ] || fail "this test needs the setuid /usr/bin/mount of util-linux"
	tui_start 120 40 env SUDO_UID=65534 SUDO_GID=65534 "$FORKSCOPE" run --step=exec -- sh -c \
		'/usr/bin/mount --version >/dev/null; echo "mount said $?"'
	tui_wait 'FROZEN'
	tui_keys s # past sh's own exec, to mount's
	tui_wait '/usr/bin/mount --version'
	fs=$(pgrep -P "$(tui_tmux display -p -t 0 '#{pane_pid}')" -f forkscope | head -1)
	sh=$(pgrep -P "$fs" -x sh)
	mount=$(pgrep -P "$sh" -x mount)
	assert_equal "$(stat -c %u /proc/$fs)" 65534
	assert_equal "$(awk '/^Uid:/ {print $3}' /proc/$mount/status)" 0
	assert_held "$mount"
	step_to_end
	tui_wait 'mount said 0'
	tui_keys q
	tui_wait 'EXIT=0'
}

@test "--predict asks the lesson's questions live with the tree frozen, and logs the answers" {
	tui_start 100 30 "$FORKSCOPE" demo fork --predict -o fork.jsonl
	tui_wait 'Predict: fork, question 1'
	fs=$(tui_pid)
	cg=$(step_cgroup "$fs")
	[ -n "$cg" ] || fail "--predict made no cgroup for the freezer"
	assert_equal "$(grep frozen "$cg/cgroup.events")" "frozen 1"
	parent=$(pgrep -P "$fs" -x fork)
	child=$(pgrep -P "$parent" -x fork)
	# the question is asked before the child has run a single instruction of its own
	assert_held "$child" - # under the question's box
	tui_wait "What will"
	tui_keys 2 # 0
	tui_wait 'Predict: fork, question 2'
	tui_wait 'question 1, right: 0'
	assert_equal "$(grep frozen "$cg/cgroup.events")" "frozen 1"
	tui_keys 2 # "no: the kernel frees it at once": wrong, it waits for waitpid
	tui_wait 'Wrong: question 2' 20
	tui_wait 'ended \(exit 0\)' 20
	tui_wait 'score 1/2'
	tui_keys q
	tui_wait 'EXIT=0'
	assert_equal "$(jq -r 'select(.type=="answer") | [.question, .choice, .right] | @tsv' fork.jsonl)" \
		"$(printf '1\t2\t2\n2\t2\t1')"
	assert_equal "$(jq -r 'select(.type=="step" and .op=="freeze") | .method' fork.jsonl | sort -u)" cgroup
	# the first question was asked with the tree frozen at its own trigger, the fork
	fork_seq=$(jq -r 'select(.type=="fork") | .seq' fork.jsonl | head -1)
	assert_equal "$(jq -r 'select(.type=="step" and .op=="freeze") | .at_seq' fork.jsonl | head -1)" "$fork_seq"
	assert_equal "$(jq -r 'select(.type=="answer") | .asked_seq' fork.jsonl | head -1)" "$fork_seq"
}
