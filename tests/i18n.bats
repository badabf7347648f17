#!/usr/bin/env bats
# Chinese and English: --lang and the environment choose, the catalogue covers every string,
# and a missing translation falls back to English. No root and no zh_CN locale needed.

setup() {
	load test_helper/common
	load test_helper/tmux
	common_setup
	ROOTDIR="$BATS_TEST_DIRNAME/.."
	LOG="$ROOTDIR/tests/golden/pipe.jsonl"
}

teardown() {
	tui_stop
}

@test "--lang zh prints the help in Chinese, --lang en in English" {
	run -0 "$FORKSCOPE" --lang zh --help
	assert_line --index 0 --partial "用法：forkscope"
	assert_output --partial "--lang zh|en"
	LANGUAGE=zh_CN run -0 "$FORKSCOPE" --lang en --help
	assert_line --index 0 --partial "Usage: forkscope"
	[[ $output != *[![:ascii:]]* ]] || fail "not all English: $output"
}

@test "LANGUAGE=zh_CN and LANG=zh_CN.UTF-8 (not installed here) make dump speak Chinese" {
	LANGUAGE=zh_CN run -0 "$FORKSCOPE" dump "$LOG"
	assert_line --index 0 --partial "# forkscope 日志 v1："
	assert_line --partial "# 结束：退出状态 0"
	LC_ALL= LANG=zh_CN.UTF-8 run -0 "$FORKSCOPE" dump "$LOG"
	assert_line --index 0 --partial "日志"
	run -0 "$FORKSCOPE" dump "$LOG"
	assert_line --index 0 --partial "# forkscope log v1: pid"
}

@test "the JSON log stays English whatever the language" {
	LANGUAGE=zh_CN run -0 "$FORKSCOPE" dump --json "$LOG"
	[[ $output != *[![:ascii:]]* ]] || fail "not all English: $output"
	assert_output --partial '"state":"running"'
}

@test "errors are translated, and --lang refuses an unknown language" {
	run -2 "$FORKSCOPE" --lang zh nosuch
	assert_output --partial "未知的命令 'nosuch'"
	run -2 "$FORKSCOPE" --lang fr --help
	assert_output --partial "--lang takes zh or en, not 'fr'"
}

@test "the Chinese catalogue has every marked string, none untranslated or fuzzy" {
	cd "$ROOTDIR"
	xgettext --from-code=UTF-8 --language=C -k_ -kN_ -kngettext:1,2 -kusage_error:1 \
		-kcli_usage_error:2 -kX:2 -o "$BATS_TEST_TMPDIR/now.pot" src/*.c examples/demo_list.h
	run -0 msgcmp po/zh_CN.po "$BATS_TEST_TMPDIR/now.pot"
	run -0 msgfmt --check --statistics -o /dev/null po/zh_CN.po
	refute_output --partial "untranslated"
	refute_output --partial "fuzzy"
}

@test "a message missing from the catalogue falls back to English, never to nothing" {
	mkdir -p "$BATS_TEST_TMPDIR/locale/zh_CN/LC_MESSAGES"
	msggrep --invert-match --msgid -F -e "unknown command '%s'" "$ROOTDIR/po/zh_CN.po" |
		msgfmt -o "$BATS_TEST_TMPDIR/locale/zh_CN/LC_MESSAGES/forkscope.mo" -
	FORKSCOPE_LOCALEDIR="$BATS_TEST_TMPDIR/locale" run -2 "$FORKSCOPE" --lang zh nosuch
	assert_line --index 0 "forkscope: unknown command 'nosuch'"
	assert_line --index 1 --partial "请运行"
}

@test "every lesson exists in Chinese, with the English steps, numbered alike, and the same marks" {
	cd "$ROOTDIR/docs/lessons"
	steps() { grep -oE '^[0-9]+\. |\*\*`[^`]*`' "$1"; }
	n=0
	for en in *.md; do
		[ "$en" = README.md ] && continue
		zh=zh/$en
		[ -e "$zh" ] || fail "$en has no Chinese lesson $zh"
		grep -q '^## 步骤$' "$zh" || fail "$zh has no '## 步骤' section"
		diff <(steps "$en") <(steps "$zh") || fail "$zh: steps or marks differ from $en"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
	[ -e zh/README.md ] || fail "the lessons' index has no Chinese version"
	for zh in zh/*.md; do
		[ -e "${zh#zh/}" ] || fail "$zh has no English lesson"
	done
}

@test "every Chinese lesson predicts what the English one does: the same triggers, answers and choices' values" {
	cd "$ROOTDIR/docs/lessons"
	# the syntax of a question, which is the same in both languages: all but the texts
	syntax() { grep -oE '^[0-9]+\. When: .*|^ +Answer: .*|^ +- \[[^]]*\]' "$1"; }
	for en in *.md; do
		[ "$en" = README.md ] && continue
		grep -q '^## 预测$' "zh/$en" || fail "zh/$en has no '## 预测' section"
		[ "$(syntax "$en" | grep -c When)" -ge 1 ] || fail "$en asks nothing"
		diff <(syntax "$en") <(syntax "zh/$en") || fail "zh/$en: its questions differ from $en's"
	done
}

@test "every Chinese lesson's questions are printed, each with the kernel's answer in its recording" {
	for f in "$ROOTDIR"/docs/lessons/zh/*.md; do
		name=$(basename "$f" .md)
		[[ $name == README ]] && continue
		run -0 "$FORKSCOPE" --lang zh lesson "$name" "$ROOTDIR/examples/sessions/$name.jsonl"
		assert_line "预测"
		[ "$(grep -c '^   内核的答案：' <<<"$output")" -eq "$(grep -c '^[0-9]*\. When: ' "$f")" ] ||
			fail "$name: not every question is answered in its recording: $output"
	done
}

# What of the Chinese lesson $1, bound to its demo's recording, is English, one line each. What
# may stay English: a `code` span that is program output (a mark of the recording), a command,
# an identifier or the demo's name, but not an event or state name of the log, which the lesson
# says in Chinese; outside code, only the names CPU, POSIX, System V, Linux, glibc, TCP, IPC and
# the signal names. Then no two ASCII letters in a row may be left.
zh_english() {
	local name=$1 log=$ROOTDIR/examples/sessions/$1.jsonl text marks span
	text=$("$FORKSCOPE" --lang zh lesson "$name" "$log") || return 1
	marks=$("$FORKSCOPE" dump "$log" | sed -n 's/^.* mark  *"\(.*\)"$/\1/p' | sort -u)
	while IFS= read -r span; do
		span=${span:1:-1}
		[[ $span == "$name" ]] || grep -qxF -- "$span" <<<"$marks" && continue
		if [[ $span =~ ^(fork|fork_return|exec|exit|reap|reparent|zombie|state|signal|ipc|mark|output|lost)(\ |$) ]]; then
			echo "an event or state name in code: $span"
		fi
	done < <(grep -o '`[^`]*`' <<<"$text")
	sed 's/`[^`]*`//g' <<<"$text" | sed -E 's/\b(CPU|POSIX|System V|Linux|glibc|TCP|IPC|SIG[A-Z0-9]+)\b//g' |
		{ grep -oE '[A-Za-z]{2,}' || true; } | sed 's/^/an English word: /'
}

@test "every Chinese lesson, bound to its recording, is Chinese but for output, commands and identifiers" {
	local n=0 left
	for f in "$ROOTDIR"/docs/lessons/zh/*.md; do
		name=$(basename "$f" .md)
		[[ $name == README ]] && continue
		left=$(zh_english "$name") || fail "$name: forkscope lesson failed"
		[[ -z $left ]] || fail "$name: $left"
		n=$((n + 1))
	done
	[ "$n" -eq 16 ]
}

@test "the Chinese check finds a dump line and an English word" {
	# a copy of the tree whose fork lesson quotes the log and says pid
	mkdir -p t/build t/docs
	cp "$FORKSCOPE" t/build/
	cp -r "$ROOTDIR/build/locale" t/build/
	cp -r "$ROOTDIR/docs/lessons" t/docs/
	mkdir -p t/examples && ln -s "$ROOTDIR/examples/sessions" t/examples/sessions
	sed -i 's/第一次就绪（/`state ready (new)`，它的 pid（/' t/docs/lessons/zh/fork.md
	ROOTDIR=$PWD/t FORKSCOPE=$PWD/t/build/forkscope run -0 zh_english fork
	assert_line "an event or state name in code: state ready (new)"
	assert_line "an English word: pid"
}

# The English words of the narration of a log ($2) in language $1: what is left once program output
# ("..."), marks (after 说：), exec's program and argv, channels (pipe:[N]), calls (read()),
# paths, hyphenated names (forkscope-mq-100) and the names the lessons keep are taken out.
narration_english() {
	"$FORKSCOPE" --lang "$1" replay --headless "$2" | grep -v '^#' |
		sed -E 's/"([^"\\]|\\.)*"//g; s/说：.*$//; s/现在运行 [^ ]+ \([^)]*\)//; s/[A-Za-z_]+:\[[0-9A-Za-z]+\]//g' |
		sed -E 's/[A-Za-z_0-9]+\(\)//g; s#/[^ ），]*##g; s/[A-Za-z0-9_.]+-[A-Za-z0-9_.-]+//g' |
		sed -E 's/\b(CPU|POSIX|System V|Linux|glibc|TCP|UDP|IPC|SIG[A-Z0-9]+|E[A-Z]+|ps|cgroup)\b//g' |
		{ grep -oE '[A-Za-z]{2,}' || true; } | sort -u
}

@test "the Chinese narration of every bundled recording has no English word of its own" {
	for f in "$ROOTDIR"/examples/sessions/*.jsonl; do
		left=$(narration_english zh "$f")
		[[ -z $left ]] || fail "$(basename "$f"): $left"
	done
	# the check does see English
	run -0 narration_english en "$ROOTDIR/examples/sessions/fork.jsonl"
	assert_line "reaped"
}

@test "the Chinese narration of held tasks (stopped, traced, frozen) has no English word of its own" {
	local n=0 hdr='{"type":"header","format":"forkscope-log","version":1,"root_pid":10,"tracer_pid":9,"command":["sleep"],"source":"bpf","kernel":"k","host":"h","start_realtime_ns":0}'
	{
		echo "$hdr"
		for k in stopped traced frozen; do
			n=$((n + 1))
			echo '{"type":"state","seq":'$((2 * n - 1))',"t":'$n',"pid":10,"tid":10,"comm":"sleep","state":"blocked","stop":"'$k'"}'
			echo '{"type":"state","seq":'$((2 * n))',"t":'$n',"pid":10,"tid":10,"comm":"sleep","state":"ready","reason":"woken"}'
		done
		echo '{"type":"end","exit_status":0,"events":6,"lost":0,"duration_ns":9}'
	} >held.jsonl
	left=$(narration_english zh held.jsonl)
	[[ -z $left ]] || fail "$left"
	run -0 "$FORKSCOPE" --lang zh replay --headless held.jsonl
	assert_output --partial "10 已停止"
	assert_output --partial "10 被 cgroup 冻结器冻结"
	# the check does see English
	run -0 narration_english en held.jsonl
	assert_line "stopped"
}

@test "the golden copy of the Chinese pipe lesson is the one in docs" {
	cmp "$ROOTDIR/docs/lessons/zh/pipe.md" "$ROOTDIR/tests/golden/lessons/zh/pipe.md"
}

@test "the TUI in Chinese, in a real terminal: states, titles, the Chinese lesson, help" {
	tui_start 120 40 "$FORKSCOPE" --lang zh replay --speed 64 "$LOG"
	tui_wait '已结束（退出 0）'
	tui_wait '^│ +[0-9]+ · 已回收 .* ├─ pipe'
	tui_wait '课程：pipe：进程之间的单向通道'
	tui_wait '─ 进程：0 个存活，0 个僵尸 ─'
	tui_keys '?'
	tui_wait '帮助：按键与图例'
	tui_wait '阻塞 +在内核中睡眠'
}

@test "choosing Chinese does not change the traced command's own LANGUAGE" {
	require_tracing
	LANGUAGE=fr run -0 "$FORKSCOPE" --lang zh record -f -o log.jsonl -- sh -c 'echo "[$LANGUAGE]" > out.txt'
	assert_equal "$(cat out.txt)" "[fr]"
	run -0 "$FORKSCOPE" --lang zh record -f -o log.jsonl -- sh -c 'echo "[${LANGUAGE-unset}]" > out.txt'
	assert_equal "$(cat out.txt)" "[unset]"
}
