#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installs what forkscope needs to build and run (scripts/deps.sh) or also to test it
# (scripts/deps.sh test): the Debian packages that are missing, and for the tests the npm
# packages pinned in tests/npm/package-lock.json, cached in the build tree ($BUILD, default
# build/) so that a second run needs no registry. Any failure is one line and a non-zero exit.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WHAT=${1:-build}

# build: compiler, BPF toolchain, libraries; translations: gettext (msgfmt, xgettext) and locales.
BUILD_PACKAGES="make gcc libc6-dev pkg-config clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
libncurses-dev gettext locales"
# test: bats and its helpers, tmux, strace, jq, xmllint (libxml2-utils) for the SVG export, groff
# and man-db for the manual page, clang's sanitizer and fuzzer runtimes (libclang-rt-14-dev),
# valgrind, python3 for the tutorial's Pool (tests/demos.bats), and node with npm for Chrome's
# trace engine (tests/export_engine.bats): any node will do, so a NodeSource or nvm install counts.
TEST_PACKAGES="bats bats-assert bats-support bats-file tmux strace jq libxml2-utils groff-base
man-db libclang-rt-14-dev valgrind python3"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || TEST_PACKAGES="$TEST_PACKAGES nodejs npm"

fail() {
	echo "forkscope: $*" >&2
	exit 1
}

# retry N COMMAND...: up to N tries, 3 s apart, for a registry that fails now and then.
retry() {
	n=$1
	shift
	i=1
	until "$@"; do
		[ "$i" -lt "$n" ] || return 1
		i=$((i + 1))
		sleep 3
	done
}

missing_packages() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || printf ' %s' "$p"
	done
}

apt_install() {
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Acquire::Retries=3 \
		--no-install-recommends $1 >"$BUILD/apt.log" 2>&1
}

# A fresh machine has no package lists yet: refresh them once when an install cannot find one.
debian_packages() {
	# shellcheck disable=SC2086
	missing=$(missing_packages $1)
	[ -n "$missing" ] || return 0
	[ "$(id -u)" = 0 ] || fail "missing packages:$missing; install them with: sudo apt-get install$missing"
	echo "forkscope: installing missing Debian packages:$missing"
	mkdir -p "$BUILD"
	apt_install "$missing" && return 0
	retry 3 apt-get update -q -o Acquire::Retries=3 >"$BUILD/apt.log" 2>&1 ||
		fail "apt-get update failed (see $BUILD/apt.log)"
	apt_install "$missing" || fail "could not install$missing (see $BUILD/apt.log)"
}

# npm ci into $BUILD/npm with its cache in $BUILD/npm-cache, failing within a minute or so.
npm_ci() {
	npm ci --prefix "$BUILD/npm" --cache "$BUILD/npm-cache" "$@" --fetch-retries=1 \
		--fetch-timeout=20000 --no-audit --no-fund --loglevel=error >"$BUILD/npm.log" 2>&1
}

# The npm packages of tests/npm, exactly as its lockfile pins them (integrity hashes checked by
# npm ci), into $BUILD/npm; a stamp with the lockfile's hash skips all of it the next time.
# Node trusts only its own certificate list unless told: the system's store is added, as apt
# and curl use it (a registry behind a TLS-inspecting proxy works under sudo too).
npm_packages() {
	lock=tests/npm/package-lock.json
	want=$(sha256sum "$lock" | cut -d' ' -f1)
	stamp="$BUILD/npm/.installed"
	[ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || return 0
	mkdir -p "$BUILD/npm"
	cp tests/npm/package.json "$lock" "$BUILD/npm/"
	[ -n "${NODE_EXTRA_CA_CERTS:-}" ] || [ ! -r /etc/ssl/certs/ca-certificates.crt ] ||
		export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
	npm_ci --offline || retry 3 npm_ci --prefer-offline ||
		fail "npm could not install the pinned test packages of $lock (see $BUILD/npm.log)"
	echo "$want" >"$stamp"
}

case $WHAT in
build) debian_packages "$BUILD_PACKAGES" ;;
test)
	debian_packages "$BUILD_PACKAGES $TEST_PACKAGES"
	npm_packages
	;;
npm) npm_packages ;;
*) fail "deps.sh: usage: scripts/deps.sh [build|test|npm]" ;;
esac
