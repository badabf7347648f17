#!/usr/bin/env bats
# The manual page renders without warnings and documents every command and option forkscope has.

setup() {
	load 'test_helper/common'
	common_setup
	MAN="$BATS_TEST_DIRNAME/../docs/forkscope.1"
}

@test "the man page renders without a warning" {
	run -0 --separate-stderr groff -man -ww -z "$MAN"
	assert_equal "$stderr" ""
	run -0 --separate-stderr env MANWIDTH=80 man -l "$MAN"
	assert_equal "$stderr" ""
	assert_output --partial "EXIT STATUS"
}

@test "every command and every long option of the help texts is in the man page" {
	page=$(MANWIDTH=200 man -l "$MAN" 2>/dev/null)
	help=$("$FORKSCOPE" --help; "$FORKSCOPE" export --help)
	for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
		grep -q -- "$opt\b" <<<"$page" || fail "the man page lacks $opt"
	done
	for cmd in run demo replay record dump export; do
		grep -q "^       $cmd " <<<"$page" || fail "the man page lacks the $cmd command"
	done
}
