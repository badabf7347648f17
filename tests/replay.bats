#!/usr/bin/env bats
# replay --headless: a log through the replay source, the model and the TUI's narration with no
# terminal; and the model's verdict on processes whose exit was lost.

setup() {
	load 'test_helper/common'
	common_setup
	SESSIONS="$BATS_TEST_DIRNAME/../examples/sessions"
	CORPUS="$BATS_TEST_DIRNAME/fuzz/corpus"
}

# The narrated lines of a headless replay (the "#" summary left out).
told() {
	grep -cv '^#' <<<"$output" || true
}

# The events of a log, as dump counts them.
events_in() {
	"$FORKSCOPE" dump "$1" | grep -cv '^#'
}

@test "every bundled session is told event by event and ends with no process left" {
	for f in "$SESSIONS"/*.jsonl; do
		run -0 --separate-stderr "$FORKSCOPE" replay --headless "$f"
		assert_equal "$stderr" ""
		n=$(events_in "$f")
		assert_equal "$(told)" "$n"
		assert_equal "${lines[-1]}" "$(printf '# model: processes seen %s, still live 0, zombies 0, reaped %s, exit unknown 0; events %s, lost 0, anomalies 0' \
			"$(jq -s '[.[] | select(.type == "fork" and .thread != true)] | length + 1' "$f")" \
			"$(jq -s '[.[] | select(.type == "fork" and .thread != true)] | length + 1' "$f")" "$n")"
	done
}

@test "each line is the TUI's sentence for the event, after its time" {
	run -0 "$FORKSCOPE" replay --headless "$SESSIONS/orphan.jsonl"
	read -r orphan old new <<<"$(jq -r 'select(.type == "reparent") | "\(.pid) \(.old_parent) \(.new_parent)"' "$SESSIONS/orphan.jsonl")"
	t=$(jq -r 'select(.type == "reparent") | .t / 1e9 | tostring' "$SESSIONS/orphan.jsonl")
	assert_line --regexp "^ +${t%%.*}\.[0-9]{6}  $orphan is an orphan: its parent $old ended, $new adopted it$"
	assert_line --regexp "^ +[0-9]+\.[0-9]{6}  $old forked $orphan: fork\(\) returns twice, $orphan in the parent and 0 in the child$"
}

@test "the narration and the summary speak the user's language" {
	run -0 "$FORKSCOPE" --lang zh replay --headless "$SESSIONS/zombie.jsonl"
	assert_line --partial '成为僵尸：它已退出，父进程还没有回收它'
	assert_regex "${lines[-1]}" '^# 模型：'
	LANGUAGE=zh_CN run -0 "$FORKSCOPE" replay --headless "$SESSIONS/zombie.jsonl"
	assert_line --partial '成为僵尸'
}

@test "bytes from the log that a terminal would obey are shown as the TUI shows them" {
	{ head -3 "$CORPUS/known_tree.jsonl"
	  printf '{"type":"mark","seq":999999,"t":1,"pid":1,"tid":1,"comm":"x","text":"\\u001b]0;owned\\u0007 \\u00e9 \\u4e2d"}\n'
	  printf '{"type":"mark","seq":1000000,"t":1,"pid":1,"tid":1,"comm":"x","text":{"hex":"fffe9b41"}}\n'; } >esc.jsonl
	run -0 --separate-stderr "$FORKSCOPE" replay --headless esc.jsonl
	assert_line '     0.000000  1 says: ^[]0;owned^G é 中'
	assert_line '     0.000000  1 says: \xff\xfe\x9bA'
	# no control byte at all is left, only printable ASCII and UTF-8
	assert_equal "$(printf '%s' "$output" | tr -d '\n\040-\176\200-\377' | wc -c)" 0
}

@test "a log read from stdin replays the same" {
	run -0 "$FORKSCOPE" replay --headless "$SESSIONS/pipe.jsonl"
	want=$output
	run -0 "$FORKSCOPE" replay --headless - <"$SESSIONS/pipe.jsonl"
	assert_equal "$output" "$want"
}

@test "exits lost with the ring buffer: at the end line nothing is left live, each is exit unknown" {
	log="$CORPUS/lost_trimmed.jsonl"
	run -0 --separate-stderr "$FORKSCOPE" replay --headless "$log"
	assert_line --partial 'LOST 54715 events: the ring buffer was full, states may be stale'
	assert_equal "${lines[-1]}" '# model: processes seen 4, still live 0, zombies 0, reaped 4, exit unknown 3; events 105, lost 54715, anomalies 0'
	# without the end line the tracer may still have been watching: the model closes nothing
	head -n -1 "$log" >noend.jsonl
	run -0 --separate-stderr "$FORKSCOPE" replay --headless noend.jsonl
	assert_equal "${lines[-1]}" '# model: processes seen 4, still live 3, zombies 0, reaped 1, exit unknown 0; events 105, lost 54715, anomalies 0'
	assert_equal "$stderr" "forkscope: warning: noend.jsonl is truncated (no end line): the tracer did not finish"
}

@test "--speed has no meaning with --headless: a usage error" {
	run -2 --separate-stderr "$FORKSCOPE" replay --headless --speed 2 "$SESSIONS/fork.jsonl"
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "forkscope: --headless replays at full speed: --speed has no meaning with it"
}

@test "invisible format characters (U+202E, U+200B) are escaped alike by every text output" {
	{ head -3 "$CORPUS/known_tree.jsonl"
	  printf '{"type":"mark","seq":999999,"t":1,"pid":1,"tid":1,"comm":"x","text":"evil\\u202etxt.exe\\u200b é"}\n'; } >rlo.jsonl
	for cmd in "replay --headless" dump "export --format text"; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr "$FORKSCOPE" $cmd rlo.jsonl
		assert_output --partial 'evil\xe2\x80\xaetxt.exe\xe2\x80\x8b é'
		refute_output --partial $'\u202e'
		refute_output --partial $'\u200b'
	done
}
