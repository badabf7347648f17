# SPDX-License-Identifier: GPL-2.0
# Builds forkscope (BPF object, skeleton, binary), the demos and the tests; sets the machine up.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
BUILD      := build
CC         ?= cc
CLANG      ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL    ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
MULTIARCH  := $(shell $(CC) -print-multiarch 2>/dev/null)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2);
endif

CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror
CPPFLAGS += -Isrc -I$(BUILD) -D_GNU_SOURCE -DFS_VERSION='"$(VERSION)"' -DFS_PREFIX='"$(PREFIX)"'
DEPFLAGS  = -MMD -MP
LDLIBS   := -lbpf -lelf -lz
EX_LDLIBS := -lrt -lpthread
# the TUI (src/tui.c is the only file that includes curses.h)
NCURSES_CFLAGS := $(shell pkg-config --cflags ncursesw 2>/dev/null)
NCURSES_LIBS   := $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)

SRCS      := $(wildcard src/*.c)
OBJS      := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS  := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
EX_COMMON := $(wildcard examples/demo_*.c)
EX_SRCS   := $(filter-out $(EX_COMMON),$(wildcard examples/*.c))
EXAMPLES  := $(EX_SRCS:examples/%.c=$(BUILD)/examples/%)
FIXTURES  := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(wildcard tests/fixtures/*.c))
# translations: po/LANG.po -> build/locale/LANG/LC_MESSAGES/forkscope.mo (found beside the binary)
PO_LANGS  := $(patsubst po/%.po,%,$(wildcard po/*.po))
MOS       := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/forkscope.mo)
UNITS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
# model_check replays a log through the model for tests/stress.bats; it is no unit test
CHECKS    := $(BUILD)/tests/model_check

.PHONY: pot all deps test-deps run sessions test unit e2e install uninstall clean fuzz fuzz-smoke asan valgrind
all: $(BUILD)/forkscope $(MOS) $(EXAMPLES) $(FIXTURES) $(UNITS) $(CHECKS)

# --- BPF ------------------------------------------------------------------
$(BUILD)/vmlinux.h:
	$(Q)mkdir -p $(@D)
	$(Q)test -r /sys/kernel/btf/vmlinux || { echo "forkscope: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF (needs CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 1; }
	$(call msg,BTF,$@)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/forkscope.bpf.o: bpf/forkscope.bpf.c src/event.h $(BUILD)/vmlinux.h
	$(call msg,BPF,$@)$(CLANG) -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(ARCH) \
		-I$(BUILD) -Isrc $(if $(MULTIARCH),-I/usr/include/$(MULTIARCH)) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BUILD)/forkscope.skel.h: $(BUILD)/forkscope.bpf.o
	$(call msg,GEN-SKEL,$@)$(BPFTOOL) gen skeleton $< name forkscope_bpf > $@.tmp && mv $@.tmp $@

# --- user space -----------------------------------------------------------
$(BUILD)/obj/%.o: src/%.c | $(BUILD)/forkscope.skel.h
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEPFLAGS) -c $< -o $@

$(BUILD)/obj/tui.o: CPPFLAGS += $(NCURSES_CFLAGS)

$(BUILD)/libforkscope.a: $(LIB_OBJS)
	$(call msg,AR,$@)$(AR) rcs $@ $^

$(BUILD)/forkscope: $(BUILD)/obj/main.o $(BUILD)/libforkscope.a
	$(call msg,LINK,$@)$(CC) $(CFLAGS) $^ $(LDLIBS) $(NCURSES_LIBS) -lpthread -o $@

$(BUILD)/examples/%: examples/%.c $(EX_COMMON) $(wildcard examples/*.h)
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CFLAGS) $(WARN) -D_GNU_SOURCE -Iexamples $< $(EX_COMMON) $(EX_LDLIBS) -o $@

$(BUILD)/fixtures/%: tests/fixtures/%.c
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CFLAGS) $(WARN) -D_GNU_SOURCE $< $(EX_LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libforkscope.a
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(WARN) $< $(BUILD)/libforkscope.a $(LDLIBS) -o $@

$(BUILD)/locale/%/LC_MESSAGES/forkscope.mo: po/%.po
	$(Q)mkdir -p $(@D)
	$(call msg,MSGFMT,$@)msgfmt --check -o $@ $<

# pot: the template from the marked strings; msgmerge brings each catalogue up to date with it
# X:2 is the summary in examples/demo_list.h
XGETTEXT_KEYS := -k_ -kN_ -kngettext:1,2 -kusage_error:1 -kcli_usage_error:2 -kX:2
pot:
	$(Q)xgettext --from-code=UTF-8 --language=C $(XGETTEXT_KEYS) --add-comments=TRANSLATORS: \
		--package-name=forkscope --package-version=$(VERSION) -o po/forkscope.pot $(sort $(SRCS)) examples/demo_list.h
	$(Q)for po in $(wildcard po/*.po); do msgmerge -q --update --backup=none $$po po/forkscope.pot; done

-include $(OBJS:.o=.d)

# --- set-up, run, test ----------------------------------------------------
# deps installs missing Debian packages (root only), and for test the pinned npm packages
# (tests/npm, cached in build/npm); chown hands build/ back to the sudo user.
deps:
	$(Q)BUILD=$(BUILD) scripts/deps.sh build

test-deps:
	$(Q)BUILD=$(BUILD) scripts/deps.sh test

chown = $(if $(SUDO_UID),chown -R $(SUDO_UID):$(SUDO_GID) $(BUILD); [ ! -d $(ASAN_BUILD) ] || chown -R $(SUDO_UID):$(SUDO_GID) $(ASAN_BUILD))

# run ends in the TUI's demo menu (live demos as root, their recordings otherwise).
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(chown)
	$(Q)$(BUILD)/forkscope

# sessions (root): records every demo with the real tracer, on a pseudo-terminal so that what
# it prints is traced too, into examples/sessions/NAME.jsonl: the recordings the menu offers
# to users without root.
SESSIONS_DIR := examples/sessions
sessions: all
	$(Q)mkdir -p $(SESSIONS_DIR)
	$(Q)for d in $$($(BUILD)/forkscope demo --list | cut -d' ' -f1); do \
		printf '  %-8s %s\n' REC $(SESSIONS_DIR)/$$d.jsonl; \
		script -qefc "$(BUILD)/forkscope record -f -o $(SESSIONS_DIR)/$$d.jsonl --demo $$d" /dev/null >/dev/null || exit 1; \
	done
	$(Q)$(if $(SUDO_UID),chown -R $(SUDO_UID):$(SUDO_GID) $(SESSIONS_DIR))

unit: $(UNITS)
	$(Q)set -e; for t in $(UNITS); do $$t; done

e2e: all
	$(Q)bats tests/

test: test-deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(chown)
	$(Q)$(MAKE) --no-print-directory unit e2e fuzz-smoke asan; rc=$$?; $(or $(chown),true); exit $$rc

# --- fuzzing and sanitizers -----------------------------------------------
# fuzz: libFuzzer (clang) feeds the log reader, the model and dump for FUZZ_SECONDS;
# new inputs go to build/fuzz/work, a crash to build/fuzz/crash-*. fuzz-smoke: 8000 inputs from
# seed 1 (about 10 s), for CI.
# asan: the unit tests and the binary with ASan+UBSan (and its catalogue) in build-asan/, then
# dump, dump --json and replay --headless of every corpus log and bundled session, and the
# bad-input and replay tests with that binary. valgrind: the same three, under memcheck.
FUZZ_SECONDS ?= 60
FUZZ_LIMIT   ?= -max_total_time=$(FUZZ_SECONDS) # and a new random seed each run
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_ENV     := ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1
ASAN_BUILD  := build-asan
FUZZ_SRCS   := src/json_scan.c src/log_read.c src/log_write.c src/names.c src/dump.c src/strbuf.c src/model.c src/cli.c \
	       src/i18n.c
CORPUS      := $(wildcard tests/fuzz/corpus/*.jsonl)
# each log goes through these readers: the dumps and the replay's source, model and narration
LOG_READERS := dump 'dump --json' 'replay --headless'

$(BUILD)/fuzz/fuzz_log: tests/fuzz/fuzz_log.c $(FUZZ_SRCS) $(wildcard src/*.h)
	$(Q)mkdir -p $(@D)/work
	$(call msg,FUZZ-CC,$@)$(CLANG) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer $(SAN_FLAGS) $(WARN) \
		$< $(FUZZ_SRCS) -o $@

fuzz: $(BUILD)/fuzz/fuzz_log
	$(Q)$< $(FUZZ_LIMIT) -max_len=65536 -timeout=10 -print_final_stats=1 \
		-dict=tests/fuzz/fuzz_log.dict \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/work tests/fuzz/corpus

fuzz-smoke: # a fixed seed and count: the same inputs every run, so that a red CI is a change's, not chance's
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_LIMIT='-runs=8000 -seed=1'

asan:
	$(Q)$(SAN_ENV) $(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CFLAGS='-O1 -g $(SAN_FLAGS)' \
		$(ASAN_BUILD)/forkscope $(MOS:$(BUILD)/%=$(ASAN_BUILD)/%) unit
	$(Q)set -e; for f in $(CORPUS) $(wildcard $(SESSIONS_DIR)/*.jsonl); do for cmd in $(LOG_READERS); do \
		err=$$($(SAN_ENV) $(ASAN_BUILD)/forkscope $$cmd $$f 2>&1 >/dev/null) || \
			{ echo "asan: $$cmd $$f failed: $$err" >&2; exit 1; }; \
	done; done; echo "asan: dump, dump --json and replay --headless of $(words $(CORPUS) $(wildcard $(SESSIONS_DIR)/*.jsonl)) logs clean"
	$(Q)$(SAN_ENV) FORKSCOPE_BIN=$(CURDIR)/$(ASAN_BUILD)/forkscope bats tests/bad_input.bats tests/replay.bats

VALGRIND_LOGS := $(addprefix tests/fuzz/corpus/,known_tree.jsonl demo_pool.jsonl doc_examples.jsonl \
		 lost_trimmed.jsonl truncated_midline.jsonl)
VALGRIND_RUN   = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
		 $(BUILD)/forkscope $$cmd $$f >/dev/null 2>$(BUILD)/valgrind.txt || \
		 { echo "valgrind: $$cmd $$f:" >&2; cat $(BUILD)/valgrind.txt >&2; exit 1; }

# every reader on five varied logs, and the replay (source, model, narration) of every session
valgrind: $(BUILD)/forkscope
	$(Q)set -e; for f in $(VALGRIND_LOGS); do for cmd in $(LOG_READERS); do $(VALGRIND_RUN); done; done; \
	cmd='replay --headless'; for f in $(wildcard $(SESSIONS_DIR)/*.jsonl); do $(VALGRIND_RUN); done; \
	echo "valgrind: dump, dump --json and replay --headless of $(words $(VALGRIND_LOGS)) logs, replay --headless of $(words $(wildcard $(SESSIONS_DIR)/*.jsonl)) sessions: clean"

# --- benchmark (docs/performance.md) --------------------------------------
# bench: forkscope against strace, bpftrace, forkstat and libbpf-tools on four workloads, and
# the reading side; root only, installs the peers. QUICK=1: the short version (under 2 minutes).
.PHONY: bench
BENCH_WL    := $(patsubst %,$(BUILD)/bench/%,fork_storm exec_storm pingpong mixed wide_tree)
BENCH_LIB   := $(BUILD)/bench/logstat $(BUILD)/bench/replay_bench
BENCH_TOOLS := $(BENCH_WL) $(BENCH_LIB) $(BUILD)/bench/rusage_shim.so

$(BENCH_WL): $(BUILD)/bench/%: bench/%.c bench/workload.h
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CFLAGS) $(WARN) -D_GNU_SOURCE $< -o $@

$(BENCH_LIB): $(BUILD)/bench/%: bench/%.c bench/workload.h $(BUILD)/libforkscope.a
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $< $(BUILD)/libforkscope.a $(LDLIBS) \
		$(NCURSES_LIBS) -lpthread -o $@

$(BUILD)/bench/rusage_shim.so: bench/rusage_shim.c
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CFLAGS) $(WARN) -D_GNU_SOURCE -shared -fPIC $< -o $@

bench: $(BUILD)/forkscope $(BENCH_TOOLS)
	$(Q)BUILD=$(BUILD) QUICK=$(QUICK) bench/bench.sh; rc=$$?; $(or $(chown),true); exit $$rc

# soak: an hour (SOAK_S) of a paced, pid-recycling workload under record, then the log checked
# headless and forkscope's memory and descriptors over time (bench/soak.sh); root only.
.PHONY: soak
soak: $(BUILD)/forkscope $(BUILD)/bench/mixed
	$(Q)BUILD=$(BUILD) bench/soak.sh

# check-trace: Chrome DevTools' trace engine, pinned in tests/npm and installed into build/npm by
# scripts/deps.sh, reads the Perfetto export of bundled sessions (scripts/check_trace.mjs,
# tests/export_engine.bats). Needs node, and the npm registry the first time only.
.PHONY: check-trace test-deps
check-trace: $(BUILD)/forkscope
	$(Q)BUILD=$(BUILD) scripts/deps.sh npm
	$(Q)bats tests/export_engine.bats

# screenshot: the README's docs/screenshot.txt and .png, from the TUI replaying a bundled
# recording in a private tmux server (scripts/screenshot.sh). A dev tool, not part of test.
.PHONY: screenshot
screenshot: $(BUILD)/forkscope
	$(Q)BUILD=$(BUILD) CC=$(CC) scripts/screenshot.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/forkscope/examples
	install -m 0755 $(BUILD)/forkscope $(DESTDIR)$(PREFIX)/bin/forkscope
	$(if $(EXAMPLES),install -m 0755 $(EXAMPLES) $(DESTDIR)$(PREFIX)/lib/forkscope/examples/)
	install -d $(DESTDIR)$(PREFIX)/share/forkscope/sessions $(DESTDIR)$(PREFIX)/share/forkscope/lessons
	$(if $(wildcard $(SESSIONS_DIR)/*.jsonl),install -m 0644 $(wildcard $(SESSIONS_DIR)/*.jsonl) $(DESTDIR)$(PREFIX)/share/forkscope/sessions/)
	install -m 0644 $(wildcard docs/lessons/*.md) $(DESTDIR)$(PREFIX)/share/forkscope/lessons/
	install -d $(DESTDIR)$(PREFIX)/share/forkscope/lessons/zh
	$(if $(wildcard docs/lessons/zh/*.md),install -m 0644 $(wildcard docs/lessons/zh/*.md) $(DESTDIR)$(PREFIX)/share/forkscope/lessons/zh/)
	$(Q)for l in $(PO_LANGS); do install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
		install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/forkscope.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; done
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 docs/forkscope.1 $(DESTDIR)$(PREFIX)/share/man/man1/forkscope.1
	install -m 0644 completion/forkscope.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/forkscope

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/forkscope
	rm -rf $(DESTDIR)$(PREFIX)/lib/forkscope
	rm -rf $(DESTDIR)$(PREFIX)/share/forkscope
	rm -f $(DESTDIR)$(PREFIX)/share/locale/*/LC_MESSAGES/forkscope.mo
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/forkscope.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/forkscope

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
