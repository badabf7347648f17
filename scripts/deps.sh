#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installs the Debian packages forkscope needs to build, run and test, and only those missing.
set -eu

# build: compiler, BPF toolchain, libraries; test: bats and its helpers, tmux, strace, jq,
# xmllint (libxml2-utils) for the SVG export, groff and man-db for the manual page, clang's
# sanitizer and fuzzer runtimes (libclang-rt-14-dev) and valgrind for the reliability checks;
# translations: gettext (msgfmt, xgettext) and locales (C.UTF-8 and the locale data).
PACKAGES="make gcc libc6-dev pkg-config clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
libncurses-dev bats bats-assert bats-support bats-file tmux strace jq
libxml2-utils groff-base man-db libclang-rt-14-dev valgrind gettext locales"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# node and npm for tests/export_engine.bats (Chrome's trace engine, from the npm registry, reads
# our Perfetto exports): any node will do, so a NodeSource or nvm install counts too.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -z "$missing" ]; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "forkscope: missing packages:$missing; install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "forkscope: installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; refresh them once if an install cannot find a package.
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
	apt-get update -q
	apt-get install -y -q --no-install-recommends $missing
fi
