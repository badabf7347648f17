#!/usr/bin/env bats
# End-to-end: `forkscope record|run --cgroup` and `--unit` trace a cgroup v2 with real probes:
# its processes at attach, what they do, who is moved in or out, and nothing outside it.

setup() {
	load 'test_helper/common'
	load 'test_helper/tmux'
	common_setup
	require_tracing
	V2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$V2" ] || fail "no cgroup v2 hierarchy is mounted: these tests need one"
	NAME="fs-test-$$-$BATS_TEST_NUMBER"
	CG="$V2/$NAME"
	OUT="$V2/$NAME-out"
	mkdir "$CG" "$CG/sub" "$OUT"
	mkfifo go
}

# Every process still in one of this test's cgroups is killed, then the cgroups go, deepest first.
remove_cgroup() {
	local dir=$1

	[ -d "$dir" ] || return 0
	for _ in $(seq 50); do
		local pids
		pids=$(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null)
		[ -z "$pids" ] && break
		kill -9 $pids 2>/dev/null || true
		sleep 0.1
	done
	find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
}

teardown() {
	tui_stop
	[ -z "${RECORDER:-}" ] || kill -9 "$RECORDER" 2>/dev/null || true
	[ -z "${MOVED:-}" ] || kill -9 "$MOVED" 2>/dev/null || true
	remove_cgroup "$CG"
	remove_cgroup "$OUT"
	remove_cgroup "$V2/$NAME.service"
}

# Waits (at most 10 s) until cgroup directory $1 holds $2 processes (below it included).
wait_procs() {
	for _ in $(seq 100); do
		[ "$(find "$1" -name cgroup.procs -exec cat {} + | wc -l)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# Waits (at most 10 s) until pid $1 runs the program called $2 (it has exec'd).
wait_comm() {
	for _ in $(seq 100); do
		[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# The workload, started from this shell (outside forkscope's tree) and moved into the cgroup
# before it runs anything: a shell with a sleeper in the sub-cgroup; once `go` is written it
# kills the sleeper, runs /bin/true three times and a subshell that exits 5, and exits 3.
start_workload() {
	cat > workload.sh <<-'EOF'
		bash -c 'echo $$ > "$1/sub/cgroup.procs"; exec sleep 1000' _ "$1" &
		read -r _ < go
		kill $!
		wait
		for i in 1 2 3; do /bin/true; done
		(exit 5)
		exit 3
	EOF
	bash -c 'echo $$ > "$1/cgroup.procs"; exec bash workload.sh "$1"' _ "$CG" &
	WORKLOAD=$!
	wait_procs "$CG/sub" 1 # the sleeper, once it has moved itself there
	SLEEPER=$(cat "$CG/sub/cgroup.procs")
	wait_comm "$SLEEPER" sleep
}

@test "record --cgroup: the cgroup's processes are marked existing, then each fork, exec, exit and reap" {
	start_workload
	"$FORKSCOPE" record --cgroup "$NAME" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl existing 2
	# an outsider that forks and execs meanwhile must not appear
	/bin/echo outside >/dev/null
	echo > go
	wait "$WORKLOAD" || assert_equal "$?" 3
	wait_recorder
	assert_equal "$(jq -r 'select(.type=="header") | [.version, .root_pid, .cgroup, (.command | length)] | @tsv' log.jsonl)" \
		"$(printf '3\t0\t/%s\t0' "$NAME")"
	assert_equal "$(jq -r 'select(.type=="header") | .cgroup_id' log.jsonl)" "$(stat -c %i "$CG")"
	# at attach: the shell (its parent is this test's shell, outside) and the sleeper in the sub-cgroup
	assert_equal "$(jq -c 'select(.type=="existing") | [.pid, .ppid, .argv[0]]' log.jsonl | paste -sd' ')" \
		"[$WORKLOAD,$BASHPID,\"bash\"] [$SLEEPER,$WORKLOAD,\"sleep\"]"
	assert_equal "$(jq -r --argjson s "$SLEEPER" 'select(.type=="exit" and .pid==$s) | .signal' log.jsonl)" SIGTERM
	assert_equal "$(jq -r --argjson s "$SLEEPER" 'select(.type=="reap" and .child==$s) | .pid' log.jsonl)" "$WORKLOAD"
	# four forks by the shell: the three /bin/true and the subshell that exits 5 (the sleeper's came before)
	assert_equal "$(jq -s --argjson w "$WORKLOAD" '[.[] | select(.type=="fork" and .pid==$w and .thread==false)] | length' log.jsonl)" 4
	assert_equal "$(jq -r 'select(.type=="exec") | .filename' log.jsonl | paste -sd' ')" "/bin/true /bin/true /bin/true"
	assert_equal "$(jq -s --argjson w "$WORKLOAD" '[.[] | select(.type=="exit" and .pid!=$w and .code==5)] | length' log.jsonl)" 1
	assert_equal "$(jq -s --argjson w "$WORKLOAD" '[.[] | select(.type=="reap" and .pid==$w)] | length' log.jsonl)" 5
	assert_equal "$(jq -r --argjson w "$WORKLOAD" 'select(.type=="exit" and .pid==$w) | .code' log.jsonl)" 3
	# reaped by its parent outside the cgroup: the reap is still seen
	assert_equal "$(jq -r --argjson w "$WORKLOAD" 'select(.type=="reap" and .child==$w) | .pid' log.jsonl)" "$BASHPID"
	# nothing from outside: every actor is a process of the cgroup, but for the outside parent's reap
	# and the signals it gets
	run jq -r 'select(.type=="exec") | .filename' log.jsonl
	refute_output --partial /bin/echo
	run jq -rs --argjson o "$BASHPID" '
		([.[] | select(.type=="existing") | .pid] + [.[] | select(.type=="fork") | .child]) as $in
		| .[] | select(.type != "header" and .type != "end" and .type != "total")
		| select((.pid as $p | $in | index($p)) == null)
		| select(.pid != $o or (.type != "reap" and .type != "signal"))
		| .type' log.jsonl
	assert_output ""
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status, lost, detached}')" \
		'{"type":"end","exit_status":0,"lost":0,"detached":null}'
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_line --index 0 --partial "# forkscope log v3: cgroup /$NAME, kernel "
}

@test "a process moved in during the session is picked up, one moved out is reported leaving" {
	start_workload
	sleep 1000 &
	MOVED=$!
	wait_comm "$MOVED" sleep
	# the cgroup named as /proc/PID/cgroup shows it, from the v2 root
	"$FORKSCOPE" record --cgroup "$(sed -n 's/^0:://p' "/proc/$SLEEPER/cgroup" | sed 's#/sub$##')" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl existing 2
	echo "$MOVED" > "$CG/sub/cgroup.procs"
	wait_events log.jsonl cgroup 1
	echo "$MOVED" > "$OUT/cgroup.procs"
	wait_events log.jsonl cgroup 2
	# out of the cgroup, its end is none of forkscope's business
	kill "$MOVED"
	wait "$MOVED" || true
	moved=$MOVED
	MOVED=
	echo > go
	wait "$WORKLOAD" || true
	wait_recorder
	assert_equal "$(jq -c 'select(.type=="cgroup") | [.pid, .op, .path, .ppid]' log.jsonl | paste -sd' ')" \
		"[$moved,\"enter\",\"/$NAME/sub\",$BASHPID] [$moved,\"leave\",\"/$NAME-out\",$BASHPID]"
	assert_equal "$(jq -r 'select(.type=="cgroup" and .op=="enter") | [.argv[0], .state, .syscall, .cgroup_id] | @tsv' log.jsonl)" \
		"$(printf 'sleep\tblocked\tclock_nanosleep\t%s' "$(stat -c %i "$CG/sub")")"
	assert_equal "$(jq -r 'select(.type=="cgroup" and .op=="leave") | .cgroup_id' log.jsonl)" "$(stat -c %i "$OUT")"
	# after it left: nothing about it, not even its death
	assert_equal "$(jq -s --argjson m "$moved" '[.[] | select(.type=="exit" and .pid==$m)] | length' log.jsonl)" 0
	# the readers take the new event: dump, replay and the perfetto export
	run -0 "$FORKSCOPE" dump log.jsonl
	assert_line --regexp "\\[ *$moved/$moved *\\] sleep +cgroup +enter \"/$NAME/sub\" \\(id [0-9]+\\) ppid=$BASHPID threads=1 age=[0-9.]+s /usr/bin/sleep \\[\"sleep\", \"1000\"\\] blocked in clock_nanosleep"
	assert_line --regexp "\\[ *$moved/$moved *\\] sleep +cgroup +leave \"/$NAME-out\" \\(id [0-9]+\\) ppid=$BASHPID"
	run -0 "$FORKSCOPE" replay --headless log.jsonl
	assert_line --regexp "$moved entered the cgroup \\(/$NAME/sub\\), a child of $BASHPID: /usr/bin/sleep \\(sleep 1000\\)"
	assert_line --regexp "$moved left the cgroup \\(moved to /$NAME-out\\): it is no longer traced"
	assert_line --regexp "anomalies 0$"
	run -0 "$FORKSCOPE" export --format perfetto log.jsonl -o trace.json
	assert_equal "$(jq '[.traceEvents[] | select(.name=="entered the cgroup" or .name=="left the cgroup")] | length' trace.json)" 2
	run -0 "$FORKSCOPE" export --format jsonl log.jsonl -o copy.jsonl
	assert_equal "$(jq -c 'select(.type=="cgroup" or .type=="header") | del(.forkscope)' copy.jsonl)" \
		"$(jq -c 'select(.type=="cgroup" or .type=="header") | del(.forkscope)' log.jsonl)"
	run -0 "$FORKSCOPE" export --format svg log.jsonl -o timeline.svg
	run -0 "$FORKSCOPE" export --format jsonl --type cgroup log.jsonl -o only.jsonl
	assert_equal "$(jq -s '[.[] | select(.type=="cgroup")] | length' only.jsonl)" 2
}

@test "clone3 into the cgroup from outside is an enter; a traced child born elsewhere leaves" {
	"$FORKSCOPE" record --cgroup "$CG" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl header 1
	# a keeper in the cgroup, whose child clones a grandchild straight into the other cgroup
	bash -c 'echo $$ > "$1/cgroup.procs"; "$2" "$3" 8 > inner.pid; read -r _ < go' _ "$CG" "$FIXTURES/clone_into" "$OUT" &
	WORKLOAD=$!
	wait_events log.jsonl exit 1
	# from this shell, outside: a child born into the cgroup, exiting with 7, reaped outside
	"$FIXTURES/clone_into" "$CG" 7 > outer.pid &
	outer=$!
	wait "$outer"
	echo > go
	wait "$WORKLOAD"
	wait_recorder
	born=$(cat outer.pid)
	assert_equal "$(jq -c --argjson b "$born" 'select(.type=="cgroup" and .pid==$b) | [.op, .ppid, .cgroup_id, .path]' log.jsonl)" \
		"[\"enter\",$outer,$(stat -c %i "$CG"),null]"
	assert_equal "$(jq -r --argjson b "$born" 'select(.type=="exit" and .pid==$b) | .code' log.jsonl)" 7
	assert_equal "$(jq -r --argjson b "$born" 'select(.type=="reap" and .child==$b) | .pid' log.jsonl)" "$outer"
	# the outsider's own fork is not traced
	assert_equal "$(jq -s --argjson o "$outer" '[.[] | select(.pid==$o and .type!="reap")] | length' log.jsonl)" 0
	gone=$(cat inner.pid)
	assert_equal "$(jq -r --argjson g "$gone" 'select(.type=="fork" and .child==$g) | .pid' log.jsonl | wc -l)" 1
	assert_equal "$(jq -c --argjson g "$gone" 'select(.type=="cgroup" and .pid==$g) | [.op, .cgroup_id]' log.jsonl)" \
		"[\"leave\",$(stat -c %i "$OUT")]"
	assert_equal "$(jq -s --argjson g "$gone" '[.[] | select(.type=="exit" and .pid==$g)] | length' log.jsonl)" 0
	run -0 "$FORKSCOPE" replay --headless log.jsonl
	assert_line --regexp "anomalies 0$"
}

@test "an empty cgroup is waited on until a process enters; the session ends when it is removed" {
	"$FORKSCOPE" record --cgroup "$CG" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl header 1 || true
	sleep 0.5
	run kill -0 "$RECORDER"
	assert_success
	bash -c 'echo $$ > "$1/cgroup.procs"; exec /bin/true' _ "$CG"
	wait_events log.jsonl reap 1
	wait_recorder
	assert_equal "$(jq -r 'select(.type=="cgroup") | .op' log.jsonl)" enter
	# a second session on the now empty cgroup: removing it ends the session
	"$FORKSCOPE" record --cgroup "$CG" -f -o log2.jsonl &
	RECORDER=$!
	wait_events log2.jsonl header 1 || true
	rmdir "$CG/sub" "$CG"
	wait_recorder
	assert_equal "$(tail -1 log2.jsonl | jq -r .type)" end
}

@test "--unit finds a unit's cgroup by its directory when systemd is not running" {
	[ ! -e /run/systemd/system ] || skip "systemd runs here: --unit asks it instead (not exercised)"
	mkdir "$V2/$NAME.service"
	bash -c 'echo $$ > "$1/cgroup.procs"; read -r _ < go' _ "$V2/$NAME.service" &
	WORKLOAD=$!
	wait_procs "$V2/$NAME.service" 1
	"$FORKSCOPE" record --unit "$NAME" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl existing 1
	echo > go
	wait "$WORKLOAD" || true
	wait_recorder
	assert_equal "$(jq -r 'select(.type=="header") | .cgroup' log.jsonl)" "/$NAME.service"
	assert_equal "$(jq -r 'select(.type=="existing") | .pid' log.jsonl)" "$WORKLOAD"
	run -1 "$FORKSCOPE" record --unit "nosuch-$NAME" -o no.jsonl
	assert_output "forkscope: no unit called nosuch-$NAME.service: systemd is not running and $V2 has no cgroup of that name"
	[ ! -e no.jsonl ]
}

# A systemd of this test's own, in a mount namespace of forkscope's: /run/systemd/system exists
# there, and bin/systemctl answers `show` for NAME.service (ControlGroup), bypid.service (no
# ControlGroup, a main pid) and anything else (not found). Becomes forkscope ARGS... in it:
# call it in a subshell (&, run).
with_fake_systemd() {
	mkdir -p bin
	cat > bin/systemctl <<-EOF
		#!/bin/sh
		echo "\$*" >> systemctl.args
		case "\$*" in
		*" $NAME.service") printf 'LoadState=loaded\nControlGroup=/$NAME.service\nMainPID=0\n' ;;
		*" bypid.service") printf 'LoadState=loaded\nControlGroup=\nMainPID=%s\n' "\$MAINPID" ;;
		*) printf 'LoadState=not-found\nControlGroup=\nMainPID=0\n' ;;
		esac
	EOF
	chmod +x bin/systemctl
	exec unshare -m --propagation private sh -c 'mount -t tmpfs none /run && mkdir -p /run/systemd/system &&
		PATH="$PWD/bin:$PATH" exec "$@"' _ "$FORKSCOPE" "$@"
}

@test "--unit asks systemd when it runs: its ControlGroup, else its main pid's cgroup" {
	mkdir "$V2/$NAME.service" "$V2/$NAME.service/main"
	bash -c 'echo $$ > "$1/cgroup.procs"; read -r _ < go' _ "$V2/$NAME.service/main" &
	WORKLOAD=$!
	wait_procs "$V2/$NAME.service" 1
	export MAINPID=$WORKLOAD
	with_fake_systemd record --unit "$NAME" -o log.jsonl &
	RECORDER=$!
	wait_events log.jsonl existing 1
	echo > go
	wait "$WORKLOAD" || true
	wait_recorder
	assert_equal "$(cat systemctl.args)" \
		"show --property=LoadState --property=ControlGroup --property=MainPID -- $NAME.service"
	assert_equal "$(jq -r 'select(.type=="header") | .cgroup' log.jsonl)" "/$NAME.service"
	assert_equal "$(jq -r 'select(.type=="existing") | .pid' log.jsonl)" "$WORKLOAD"
	# no ControlGroup: the cgroup its main pid is in
	bash -c 'echo $$ > "$1/cgroup.procs"; exec sleep 1000' _ "$V2/$NAME.service/main" &
	MOVED=$!
	wait_procs "$V2/$NAME.service" 1
	export MAINPID=$MOVED
	with_fake_systemd record --unit bypid -o bypid.jsonl &
	RECORDER=$!
	wait_events bypid.jsonl existing 1
	kill -INT "$RECORDER"
	wait_recorder
	assert_equal "$(jq -r 'select(.type=="header") | .cgroup' bypid.jsonl)" "/$NAME.service/main"
	run -1 with_fake_systemd record --unit nosuch -o no.jsonl
	assert_output "forkscope: no unit called nosuch.service"
	[ ! -e no.jsonl ]
}

@test "bad cgroups are refused with one clear line and exit 1" {
	run -1 "$FORKSCOPE" record --cgroup "$NAME-nosuch" -o log.jsonl
	assert_output "forkscope: $V2/$NAME-nosuch: no such cgroup directory"
	run -1 "$FORKSCOPE" record --cgroup "$BATS_TEST_TMPDIR" -o log.jsonl
	assert_output "forkscope: $BATS_TEST_TMPDIR is not a cgroup v2 directory"
	run -1 "$FORKSCOPE" record --cgroup "$V2" -o log.jsonl
	assert_output "forkscope: $V2 is the root cgroup, that is every process: name one below it"
	v1=$(awk '$3 == "cgroup" { print $2; exit }' /proc/self/mounts)
	if [ -n "$v1" ]; then
		run -1 "$FORKSCOPE" record --cgroup "$v1" -o log.jsonl
		assert_output "forkscope: $v1 is a cgroup v1 directory: --cgroup needs cgroup v2"
	fi
	# cgroup v1 only: the v2 mount unmounted in a mount namespace of forkscope's own
	for opt in --cgroup --unit; do
		run -1 unshare -m --propagation private sh -c 'umount -l "$1" && exec "$2" record "$3" x -o log.jsonl' \
			_ "$V2" "$FORKSCOPE" "$opt"
		assert_output "forkscope: this system has only cgroup v1 (no cgroup2 hierarchy is mounted): --cgroup and --unit need cgroup v2"
	done
	[ ! -e log.jsonl ]
	# forkscope inside the cgroup it would trace
	run -1 bash -c 'echo $$ > "$1/cgroup.procs"; exec "$2" record --cgroup "$1" -o log.jsonl' _ "$CG" "$FORKSCOPE"
	assert_output "forkscope: forkscope itself runs in $CG: start it from outside that cgroup"
	# a sudo user who does not own it
	SUDO_UID=65534 SUDO_GID=65534 run -1 "$FORKSCOPE" record --cgroup "$CG" -o log.jsonl
	assert_output "forkscope: not allowed to trace $CG: user 65534 does not own it"
	[ ! -e log.jsonl ]
}

@test "--cgroup and --unit refuse what they cannot do, with usage errors" {
	run -2 "$FORKSCOPE" record --cgroup "$CG" -- /bin/true
	assert_output --partial "--cgroup and --unit trace running processes: give no command or demo"
	run -2 "$FORKSCOPE" record --cgroup "$CG" --pid "$$"
	assert_output --partial "give one of --pid, --cgroup and --unit"
	run -2 "$FORKSCOPE" record --unit x --cgroup "$CG"
	assert_output --partial "give one of --pid, --cgroup and --unit"
	run -2 "$FORKSCOPE" record --cgroup "$CG" --no-bpf
	assert_output --partial "--cgroup and --unit need BPF"
	run -2 "$FORKSCOPE" run --cgroup
	assert_output --partial "option '--cgroup' requires an argument"
}

@test "run --cgroup: the TUI shows the cgroup as the root of its processes, in English and Chinese" {
	start_workload
	tui_start 100 30 "$FORKSCOPE" run --cgroup "$CG"
	tui_wait "LIVE cgroup "
	tui_wait "^│ +cgroup +/$NAME +1 top-level process in it"
	tui_wait "^│ +$WORKLOAD .* └─ bash workload.sh "
	tui_wait "^│ +$SLEEPER .* +└─ sleep 1000 +in clock_nanosleep\(\); already running"
	tui_keys q
	tui_wait "^EXIT=0"
	tui_stop
	tui_start 100 30 "$FORKSCOPE" --lang zh run --cgroup "$CG"
	tui_wait "^│ +cgroup +/$NAME +其中有 1 个顶层进程"
	tui_wait "^│ +$SLEEPER .* +└─ sleep 1000 +在 clock_nanosleep\(\); 已在运行"
	echo > go
	tui_wait "^│ +cgroup +/$NAME +其中有 0 个顶层进程"
	tui_keys q
	tui_wait "^EXIT=0"
}
