#!/usr/bin/env bats
# End-to-end: `record --no-bpf` traces a real command without eBPF (proc connector and /proc sampling).

setup() {
	load 'test_helper/common'
	common_setup
	[ "$(id -u)" = 0 ] || skip "the proc connector needs root"
}

# Each program lives long enough (0.2 s) for its exec to be read from /proc.
record_tree() {
	run -3 "$FORKSCOPE" record --no-bpf -o log.jsonl -- /bin/sh -c '/bin/sleep 0.2 | /bin/cat; /bin/sleep 0.1 & wait; exit 3'
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' log.jsonl)
	TRACER=$(jq -r 'select(.type=="header") | .tracer_pid' log.jsonl)
}

@test "the header says the events came from the proc connector, and the log is complete" {
	record_tree
	assert_equal "$(head -1 log.jsonl | jq -r .source)" proc
	assert_equal "$(tail -1 log.jsonl | jq -c '{type, exit_status}')" '{"type":"end","exit_status":3}'
	run -0 "$FORKSCOPE" dump log.jsonl
}

@test "the tree: the root forks three children, each execs, exits and is reaped by the root" {
	record_tree
	kids=$(jq -r --argjson r "$ROOT" 'select(.type == "fork" and .pid == $r and .thread == false) | .child' log.jsonl | paste -sd' ')
	assert_equal "$(wc -w <<<"$kids")" 3
	# the two ends of the pipe exec at the same time, in either order
	assert_equal "$(jq -r 'select(.type == "exec") | .filename' log.jsonl | sort | paste -sd' ')" \
		"/usr/bin/cat /usr/bin/dash /usr/bin/sleep /usr/bin/sleep"
	for k in $kids; do
		assert_equal "$(jq -c --argjson k "$k" 'select(.type == "exit" and .pid == $k) | .code' log.jsonl)" 0
		assert_equal "$(jq -c --argjson k "$k" 'select(.type == "reap" and .child == $k) | .pid' log.jsonl)" "$ROOT"
	done
	assert_equal "$(jq -c --argjson r "$ROOT" 'select(.type == "exit" and .pid == $r) | .code' log.jsonl)" 3
	assert_equal "$(jq -c --argjson r "$ROOT" 'select(.type == "reap" and .child == $r) | .pid' log.jsonl)" "$TRACER"
}

@test "states are sampled: sleep is seen blocked in clock_nanosleep, and no BPF-only event appears" {
	record_tree
	run -0 jq -e -s '[.[] | select(.type == "state" and .comm == "sleep" and .syscall == "clock_nanosleep")] | length > 0' log.jsonl
	assert_equal "$(jq -r 'select(.type == "ipc" or .type == "signal" or .type == "mark" or .type == "fork_return") | .type' log.jsonl)" ""
}
