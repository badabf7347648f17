# Shared set-up for the end-to-end tests: the real binary, real probes, a private temp dir.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# FORKSCOPE_BIN runs the tests against another build (make asan: the sanitized binary).
FORKSCOPE="${FORKSCOPE_BIN:-$BATS_TEST_DIRNAME/../build/forkscope}"
FIXTURES="$BATS_TEST_DIRNAME/../build/fixtures"

common_setup() {
	export LC_ALL=C.UTF-8
	unset LANGUAGE # English unless a test asks for Chinese
	cd "$BATS_TEST_TMPDIR" || return 1
}

# Tracing needs root and BTF; anywhere else these tests say why they do not run.
require_tracing() {
	[ "$(id -u)" = 0 ] || skip "needs root for BPF"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF"
}

# The events of one type in a log, as compact JSON lines.
events() {
	jq -c --arg t "$2" 'select(.type == $t)' "$1"
}

# Records a bundled demo with --fast into NAME.jsonl; sets ROOT and TRACER.
record_demo() {
	run -0 "$FORKSCOPE" record -o "$1.jsonl" --demo "$1" -- --fast "${@:2}"
	ROOT=$(jq -r 'select(.type=="header") | .root_pid' "$1.jsonl")
	TRACER=$(jq -r 'select(.type=="header") | .tracer_pid' "$1.jsonl")
}

# jq over a log with $r bound to the root pid: q FILE [jq options...] FILTER
q() {
	local file=$1
	shift
	jq -r --argjson r "$ROOT" "$@" "$file"
}

# Waits (at most 10 s) until FILE holds N lines of type TYPE; the writer flushes every 200 ms.
wait_events() {
	for _ in $(seq 100); do
		[ "$(jq -s --arg t "$2" '[.[] | select(.type == $t)] | length' "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# Waits for the recorder started in the background ($RECORDER); it must succeed.
wait_recorder() {
	local rc=0
	wait "$RECORDER" || rc=$?
	RECORDER=
	assert_equal "$rc" 0
}
