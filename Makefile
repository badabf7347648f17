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
LDLIBS   := -lbpf -lelf -lz -ljansson
EX_LDLIBS := -lrt -lpthread

SRCS      := $(wildcard src/*.c)
OBJS      := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS  := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
EX_COMMON := $(wildcard examples/demo_*.c)
EX_SRCS   := $(filter-out $(EX_COMMON),$(wildcard examples/*.c))
EXAMPLES  := $(EX_SRCS:examples/%.c=$(BUILD)/examples/%)
FIXTURES  := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(wildcard tests/fixtures/*.c))
UNITS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps run test unit e2e install uninstall clean
all: $(BUILD)/forkscope $(EXAMPLES) $(FIXTURES) $(UNITS)

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

$(BUILD)/libforkscope.a: $(LIB_OBJS)
	$(call msg,AR,$@)$(AR) rcs $@ $^

$(BUILD)/forkscope: $(BUILD)/obj/main.o $(BUILD)/libforkscope.a
	$(call msg,LINK,$@)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/examples/%: examples/%.c $(EX_COMMON) $(wildcard examples/*.h)
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CFLAGS) $(WARN) -D_GNU_SOURCE -Iexamples $< $(EX_COMMON) $(EX_LDLIBS) -o $@

$(BUILD)/fixtures/%: tests/fixtures/%.c
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CFLAGS) $(WARN) -D_GNU_SOURCE $< $(EX_LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libforkscope.a
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(WARN) $< $(BUILD)/libforkscope.a $(LDLIBS) -o $@

-include $(OBJS:.o=.d)

# --- set-up, run, test ----------------------------------------------------
# deps installs missing Debian packages (root only); chown hands build/ back to the sudo user.
deps:
	$(Q)scripts/deps.sh

chown = $(if $(SUDO_UID),chown -R $(SUDO_UID):$(SUDO_GID) $(BUILD))

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(chown)
	$(Q)$(BUILD)/forkscope record -o $(BUILD)/demo-fork.jsonl --demo fork
	$(Q)$(chown)
	$(Q)$(BUILD)/forkscope dump $(BUILD)/demo-fork.jsonl

unit: $(UNITS)
	$(Q)set -e; for t in $(UNITS); do $$t; done

e2e: all
	$(Q)bats tests/

test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(chown)
	$(Q)$(MAKE) --no-print-directory unit e2e; rc=$$?; $(chown); exit $$rc

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/forkscope/examples
	install -m 0755 $(BUILD)/forkscope $(DESTDIR)$(PREFIX)/bin/forkscope
	$(if $(EXAMPLES),install -m 0755 $(EXAMPLES) $(DESTDIR)$(PREFIX)/lib/forkscope/examples/)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/forkscope
	rm -rf $(DESTDIR)$(PREFIX)/lib/forkscope

clean:
	rm -rf $(BUILD)
