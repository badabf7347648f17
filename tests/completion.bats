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

# The options a subcommand's parser takes, from the source: its own table and short letters
# (in FUNCTION of FILE), then those main gives every command (-q, --lang, ...), sorted.
accepted() {
	local src="$BATS_TEST_DIRNAME/../src" body
	body=$(sed -n "/^\(static \)\{0,1\}int $2(/,/^}/p" "$src/$1")
	[ -n "$body" ] || return 1
	{
		sed -n 's/.*cli_parse(argc, argv, [^,]*, "\([^"]*\)".*/\1/p' <<<"$body"
		sed -n 's/.*cli_set_global_options(globals, "\([^"]*\)".*/\1/p' "$src/main.c"
	} | tr -d ':+\n' | grep -o . | sed 's/^/-/' | sort -u
	{
		grep -o '{ "[a-z-]*", [a-z_]*_argument' <<<"$body"
		sed -n '/struct option globals\[\]/,/};/p' "$src/main.c" | grep -o '{ "[a-z-]*", [a-z_]*_argument'
	} | sed 's/{ "\([a-z-]*\)".*/--\1/' | sort -u
}

# Words of $1 that are not in the rest: a set difference, sorted and space-joined.
without() {
	local all=$1
	shift
	comm -23 <(tr ' ' '\n' <<<"$all" | sort -u) <(printf '%s\n' "$@" | sort -u) | paste -sd' '
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
	assert_equal "$(complete_line forkscope dump --)" "--color --help --json --lang --quiet --verbose"
	assert_equal "$(complete_line forkscope replay --s)" "--speed"
	assert_equal "$(complete_line forkscope replay --h)" "--headless --help"
	assert_equal "$(complete_line forkscope export --f)" "--format --from"
	assert_equal "$(complete_line forkscope record --de)" "--demo"
	assert_equal "$(complete_line forkscope demo --li)" "--list"
	assert_equal "$(complete_line forkscope run --demo)" ""
}

@test "export completes formats and comma-separated event types" {
	assert_equal "$(complete_line forkscope export --format '')" "jsonl perfetto svg text"
	assert_equal "$(complete_line forkscope export -f s)" "svg"
	assert_equal "$(complete_line forkscope export --type ex)" "exec existing exit"
	assert_equal "$(complete_line forkscope export --type fork,re)" "fork,reap fork,reparent"
	assert_equal "$(complete_line forkscope export --pid '')" ""
	# every type of the program's names table (src/names.c)
	want=$(sed -n '/event_type_names\[\] = {/,/};/p' "$BATS_TEST_DIRNAME/../src/names.c" |
		grep -o '= "[a-z_]*"' | tr -d '= "' | sort | paste -sd' ')
	[ -n "$want" ]
	assert_equal "$(complete_line forkscope export --type '')" "$want"
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
	assert_equal "$(complete_line "$FORKSCOPE" lesson -)" "--color --help --lang --quiet --verbose -h -q -v"
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
	assert_equal "$(complete_line forkscope run --p)" "--pid --predict --print"
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

@test "every subcommand offers every option its parser takes, and no other" {
	# taken by the parser but never offered, each for a reason:
	# record: --step and --predict are always refused (they need the TUI), --list is demo's;
	# run: --demo is record's (run's is 'demo NAME'), --list is demo's;
	# demo: its name is an operand, not --demo; --pid, --cgroup and --unit are always refused with a demo
	declare -A func=([record]=cmd_record [run]=cmd_record [demo]=cmd_record [replay]=cmd_replay
		[dump]=cmd_dump [lesson]=cmd_lesson [export]=parse_args)
	declare -A skip=([record]="--step --predict --list" [run]="--demo --list"
		[demo]="--demo --pid --cgroup --unit")
	for sub in record run demo replay dump lesson export; do
		file=main.c
		[ "$sub" = export ] && file=export.c
		all=$(accepted "$file" "${func[$sub]}" | paste -sd' ')
		[[ $all == *--help* && $all == *--lang* ]] || fail "no option table found for $sub: '$all'"
		# shellcheck disable=SC2086
		want=$(without "$all" ${skip[$sub]:-})
		assert_equal "$sub: $(complete_line forkscope "$sub" -)" "$sub: $want"
	done
	want=$(without "$(accepted main.c main | paste -sd' ')")
	assert_equal "top: $(complete_line forkscope -)" "top: $want"
}

@test "--lang and --color complete their values after a command too, and their value is no operand" {
	touch a.jsonl
	assert_equal "$(complete_line forkscope dump --lang '')" "en zh"
	assert_equal "$(complete_line forkscope export --color = n)" "never"
	assert_equal "$(complete_line forkscope dump --lang zh '')" "a.jsonl"
	assert_equal "$(complete_line forkscope dump --color = never '')" "a.jsonl"
	assert_equal "$(complete_line forkscope export --output = out.svg '')" "a.jsonl"
	assert_equal "$(complete_line forkscope dump -q -v '')" "a.jsonl"
}

@test "run and demo --step=LIST complete the breakpoint kinds; after '--step ' comes the command" {
	assert_equal "$(complete_line forkscope run --step = '')" "exec exit fork mark"
	assert_equal "$(complete_line forkscope demo --step = fork,e)" "fork,exec fork,exit"
	run complete_line forkscope run --step = fork ech
	assert_output --regexp '(^| )echo( |$)'
	run complete_line forkscope run --step ech
	assert_output --regexp '(^| )echo( |$)'
	assert_equal "$(complete_line forkscope record --umask '')" ""
}
