#!/usr/bin/env bats
# End-to-end: Chrome DevTools' trace engine (a real, independent importer) reads forkscope's Perfetto export.
# scripts/check_trace.mjs prints what the engine understood; the counts must be those of
# `forkscope dump --json` for the same bundled session. No root needed. The engine is pinned in
# tests/npm and installed by scripts/deps.sh test (make test does it): without it this FAILS.

setup_file() {
	local pkg="$BATS_TEST_DIRNAME/../build/npm/node_modules/@paulirish/trace_engine/package.json"

	command -v node >/dev/null || { echo "node is not installed: run scripts/deps.sh test" >&3; return 1; }
	[ -r "$pkg" ] || { echo "the trace engine is not installed: run scripts/deps.sh test" >&3; return 1; }
}

setup() {
	load 'test_helper/common'
	common_setup
	CHECK="$BATS_TEST_DIRNAME/../scripts/check_trace.mjs"
}

# Exports SESSION, runs the engine over it (which must raise no problem), and dumps the log:
# leaves sum.json (what the engine understood) and log.json (dump --json as one array).
engine_reads() {
	local log="$BATS_TEST_DIRNAME/../examples/sessions/$1.jsonl"

	run -0 "$FORKSCOPE" export --format perfetto -o trace.json "$log"
	run -0 --separate-stderr node "$CHECK" trace.json
	printf '%s\n' "$output" >sum.json
	"$FORKSCOPE" dump --json "$log" | jq -s . >log.json
}

# The number of events of a log that pass a jq condition.
in_log() {
	jq "[.[] | select($1)] | length" log.json
}

# A number from the engine's summary.
in_engine() {
	jq "$1" sum.json
}

# Everything the engine should have understood of one session, against dump --json.
check_session() {
	engine_reads "$1"
	# one track per process of the tree: the root and every forked child, named "comm pid"
	assert_equal "$(in_engine '[.tracks[].pid] | sort')" \
		"$(jq '[(.[] | select(.type == "header") | .root_pid), (.[] | select(.type == "fork" and .thread == false) | .child)] | sort' log.json)"
	run -0 jq -e '.tracks | map(.process == "\(.process | split(" ")[0]) \(.pid)" and .thread == "lifecycle") | all' sum.json
	# every state slice kept, none left out of the tree, none overlapping the next
	assert_equal "$(in_engine '.totals.slices.state')" "$(jq '[.traceEvents[] | select(.ph == "X" and .cat == "state")] | length' trace.json)"
	assert_equal "$(in_engine '[.tracks[] | .dropped + .overlaps] | add')" 0
	assert_equal "$(in_engine '.totals.slices.ipc')" "$(in_log '.type == "ipc"')"
	for t in exec exit signal reap mark; do
		assert_equal "$t $(in_engine ".totals.instants.$t")" "$t $(in_log ".type == \"$t\"")"
	done
	# fork instants: one on each parent, one on each child where it returned from the fork
	assert_equal "fork $(in_engine '.totals.instants.fork')" \
		"fork $(($(in_log '.type == "fork"') + $(in_log '.type == "fork_return" and .ret == 0')))"
	# fork arrows: parent -> child, exactly the log's process forks
	assert_equal "$(jq -c '[.flows[] | select(.cat == "fork") | [.from.pid, .to.pid]] | sort' sum.json)" \
		"$(jq -c '[.[] | select(.type == "fork" and .thread == false) | [.pid, .child]] | sort' log.json)"
	# IPC arrows: each from a write to a read of the same channel in another process, later
	assert [ "$(in_engine '[.flows[] | select(.cat == "ipc")] | length')" -gt 0 ]
	run -0 jq -e '[.flows[] | select(.cat == "ipc") | .from.name == "write" and .to.name == "read"
		and .from.pid != .to.pid and .from.ts < .to.ts] | all' sum.json
	assert_equal "$(in_engine '[.flows[] | select(.cat == "ipc")] | length')" "$(ipc_reads_of_others)"
}

# The export's rule for pipes (docs/exports.md): a read that got data ends the arrow from the first
# write on that channel since the last read, when another process wrote it.
ipc_reads_of_others() {
	jq 'reduce (.[] | select(.type == "ipc" and (.op == "write" or .op == "read") and .bytes > 0)) as $e
		({pending: {}, n: 0}; if $e.op == "write" then .pending[$e.channel] //= $e.pid
			else (if (.pending[$e.channel] // $e.pid) != $e.pid then .n += 1 else . end)
				| .pending[$e.channel] = null end) | .n' log.json
}

@test "engine: the pipe session's export is read whole: tracks, slices, instants and arrows" {
	check_session pipe
}

@test "engine: the pool session's export is read whole: tracks, slices, instants and arrows" {
	check_session pool
}

@test "engine: check_trace fails on a trace the engine cannot read whole" {
	engine_reads pipe
	# the lowercase instant phase, which Perfetto reads and DevTools ignores
	sed 's/"ph":"I"/"ph":"i"/' trace.json >lower.json
	run -1 --separate-stderr node "$CHECK" lower.json
	assert_regex "$stderr" "the engine kept [0-9]+ of the [0-9]+ slices and instants"
}
