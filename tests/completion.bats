#!/usr/bin/env bats
# Bash completion (completion/forkscope.bash): subcommands, options, demo names, event types, session logs.

setup() {
	load 'test_helper/common'
	common_setup
	source "$BATS_TEST_DIRNAME/../completion/forkscope.bash"
}

teardown() {
	[ -z "${COMPL_CG:-}" ] || rmdir "$COMPL_CG" "$COMPL_CG.service" 2>/dev/null || true
}

# The completions bash would offer for a command line; the last word is the one being completed.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_forkscope
	printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' '
}

@test "the subcommands, and the global options" {
	assert_equal "$(complete_line forkscope '')" "demo dump export lesson record replay run"
	assert_equal "$(complete_line forkscope re)" "record replay"
	assert_equal "$(complete_line forkscope -v ex)" "export"
	assert_equal "$(complete_line forkscope --v)" "--verbose --version"
	assert_equal "$(complete_line forkscope --lang '')" "en zh"
	assert_equal "$(complete_line forkscope --lang zh re)" "record replay"
	assert_equal "$(complete_line forkscope --q)" "--quiet"
}

@test "--color completes its values, written apart or with = (which bash splits off)" {
	assert_equal "$(complete_line forkscope --color '')" "always auto never"
	assert_equal "$(complete_line forkscope --color = '')" "always auto never"
	assert_equal "$(complete_line forkscope --color =)" "always auto never"
	assert_equal "$(complete_line forkscope --color = n)" "never"
	# its value is no subcommand
	assert_equal "$(complete_line forkscope --color = always re)" "record replay"
	assert_equal "$(complete_line forkscope -q --color never dump -j)" "-j"
}

@test "each subcommand offers its own options" {
	assert_equal "$(complete_line forkscope dump -)" "--help --json -h -j"
	assert_equal "$(complete_line forkscope replay --s)" "--speed"
	assert_equal "$(complete_line forkscope replay --h)" "--headless --help"
	assert_equal "$(complete_line forkscope export --f)" "--format --from"
	assert_equal "$(complete_line forkscope record --de)" "--demo"
	assert_equal "$(complete_line forkscope demo --l)" "--list"
	assert_equal "$(complete_line forkscope run --demo)" ""
}

@test "export completes formats and comma-separated event types" {
	assert_equal "$(complete_line forkscope export --format '')" "jsonl perfetto svg text"
	assert_equal "$(complete_line forkscope export -f s)" "svg"
	assert_equal "$(complete_line forkscope export --type ex)" "exec existing exit"
	assert_equal "$(complete_line forkscope export --type fork,re)" "fork,reap fork,reparent"
	assert_equal "$(complete_line forkscope export --pid '')" ""
}

@test "dump, replay and export complete session logs and directories, nothing else" {
	mkdir logs
	touch a.jsonl b.jsonl notes.txt
	assert_equal "$(complete_line forkscope dump '')" "a.jsonl b.jsonl logs"
	assert_equal "$(complete_line forkscope replay --speed 2 a)" "a.jsonl"
	assert_equal "$(complete_line forkscope replay --headless a)" "a.jsonl"
	assert_equal "$(complete_line forkscope export --format svg -o out.svg '')" "a.jsonl b.jsonl logs"
	# one log is all they take
	assert_equal "$(complete_line forkscope dump a.jsonl '')" ""
	# -o names any file
	assert_equal "$(complete_line forkscope record -o n)" "notes.txt"
}

@test "demo names come from forkscope demo --list" {
	want=$("$FORKSCOPE" demo --list | awk '{ print $1 }' | sort | paste -sd' ')
	assert [ -n "$want" ]
	assert_equal "$(complete_line "$FORKSCOPE" demo '')" "$want"
	assert_equal "$(complete_line "$FORKSCOPE" record --demo pi)" "pipe"
	# after the demo's name come its own arguments
	assert_equal "$(complete_line "$FORKSCOPE" demo pipe '')" ""
}

@test "lesson completes a demo's name, then a session log, then nothing" {
	touch a.jsonl notes.txt
	assert_equal "$(complete_line "$FORKSCOPE" lesson fo)" "fork"
	assert_equal "$(complete_line "$FORKSCOPE" lesson fork '')" "a.jsonl"
	assert_equal "$(complete_line "$FORKSCOPE" lesson fork a.jsonl '')" ""
	assert_equal "$(complete_line "$FORKSCOPE" lesson -)" "--help -h"
}

@test "record and run complete the command to trace, then leave its arguments alone" {
	run complete_line forkscope record -o x.jsonl -f bas
	assert_output --regexp '(^| )bash( |$)'
	refute_output --regexp '(^| )(record|--force)( |$)'
	run complete_line forkscope run -- ech
	assert_output --regexp '(^| )echo( |$)'
	assert_equal "$(complete_line forkscope run sh '')" ""
}

@test "record and run --pid complete the pids of running processes" {
	local me=$$
	assert_equal "$(complete_line forkscope run --p)" "--pid --print"
	run complete_line forkscope record --pid ''
	assert_output --regexp "(^| )1( |\$)"
	assert_output --regexp "(^| )${me}( |\$)"
	refute_output --regexp "[^0-9 ]"
}

@test "record and run --cgroup complete cgroup v2 directories, --unit the unit-named ones" {
	[ "$(id -u)" = 0 ] || skip "making a cgroup needs root"
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	name="fs-compl-$$-$BATS_TEST_NUMBER"
	COMPL_CG="$v2/$name"
	mkdir "$v2/$name" "$v2/$name.service"
	assert_equal "$(complete_line forkscope run --cg)" "--cgroup"
	assert_equal "$(complete_line forkscope record --cgroup "$name")" "$name $name.service"
	assert_equal "$(complete_line forkscope record --cgroup "$v2/$name.")" "$v2/$name.service"
	[ -d /run/systemd/system ] || assert_equal "$(complete_line forkscope run --unit "$name")" "$name.service"
	# the cgroup is no command to trace
	assert_equal "$(complete_line forkscope record --cgroup "$name" -)" \
		"$(complete_line forkscope record -)"
}
