# exectop - live performance monitor for executor pipelines.
#
#   make run     install missing dependencies, build, start the demo
#   make test    install missing dependencies, build, run every test
#   make         build build/exectop
#
# SANITIZE=1 builds with ASan+UBSan into build-asan/ instead of build/,
# SANITIZE=thread with TSan into build-tsan/.

CC	?= cc
PREFIX	?= /usr/local
DESTDIR	?=

ifeq ($(SANITIZE),1)
BUILD	?= build-asan
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SANITIZE),thread)
BUILD	?= build-tsan
SANFLAGS = -fsanitize=thread -fno-omit-frame-pointer
else
BUILD	?= build
SANFLAGS =
endif

PKGS	 = ncursesw yaml-0.1 jansson yajl hiredis
WARN	 = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	   -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
CFLAGS	?= -O2 -g

# pkg-config's $(1) (--cflags or --libs) for the packages $(2).  A missing
# package stops make with pkg-config's own message, rather than compiling
# on without the flags into a confusing error.
pkg_missing = $(error $(shell pkg-config --print-errors --exists $(1) 2>&1 | \
	    head -n 1) ('make deps' installs what the build needs and \
	    'make test-deps' what the tests need))
pkg_flags = $(if $(shell pkg-config --exists $(2) && echo ok),$(shell \
	    pkg-config $(1) $(2)),$(call pkg_missing,$(2)))
# Each asked once, when first needed (not for clean, deps, ...).
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg_flags,--cflags,$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $(call pkg_flags,--libs,$(PKGS)))$(PKG_LIBS)
TEST_LIBS = $(eval TEST_LIBS := $(call pkg_flags,--libs,criterion))$(TEST_LIBS)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude \
	   $(PKG_CFLAGS) -MMD -MP
LIBS	 = $(PKG_LIBS) -lm -lpthread

SRCS	 = $(shell find src -name '*.c' | sort)
MAIN_SRCS = $(sort $(wildcard src/cli/*.c))
LIB_SRCS = $(filter-out $(MAIN_SRCS),$(SRCS))
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
MAIN_OBJS = $(MAIN_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_SRCS = $(sort $(wildcard tests/unit/test_*.c tests/e2e/test_*.c))
TEST_HELPER_SRCS = $(wildcard tests/lib/*.c)
TEST_HELPER_OBJS = $(TEST_HELPER_SRCS:%.c=$(BUILD)/obj/%.o)
# Kept: made by the pattern rule, they would be deleted as intermediates.
.SECONDARY: $(TEST_HELPER_OBJS)
TEST_BINS = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
# Tests see include/, tests/lib, and src/ only for tests/lib/internal.h.
TEST_INC = -Itests/lib -Isrc

.PHONY: all deps test-deps run test check check-python check-unit check-e2e \
	check-threads check-sanitizers clean bench eval fuzz fuzz-build \
	fuzz-smoke valgrind soak FORCE

all: $(BUILD)/exectop

# Dependencies first, then a sub-make so pkg-config sees what was installed.
deps:
	@sh .ci/deps.sh build
test-deps:
	@sh .ci/deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/exectop demo

test: test-deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory check-sanitizers
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory valgrind

$(BUILD)/exectop: $(MAIN_OBJS) $(BUILD)/libexectop.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libexectop.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libexectop.a $(TEST_HELPER_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_INC) -o $@ $< $(TEST_HELPER_OBJS) $(BUILD)/libexectop.a $(LIBS) $(TEST_LIBS)

# check: every test binary, each run to the end; fails if any failed.
check: $(BUILD)/exectop $(TEST_BINS)
	@sh tests/run-all.sh $(BUILD) $(TEST_BINS)
	@$(MAKE) --no-print-directory check-python

# The Python package's tests (python/tests, unittest), against this build's
# exectop.  PYTHON picks the interpreter (default: the system's python3).
PYTHON	?= $(firstword $(wildcard /usr/bin/python3) python3)
check-python: $(BUILD)/exectop
	cd python/tests && EXECTOP_BIN=$(CURDIR)/$(BUILD)/exectop \
	    $(PYTHON) -m unittest discover -s . -p 'test_*.py' 2>&1

# The unit tests again under ASan+UBSan (invoked with SANITIZE=1).
check-unit: $(BUILD)/exectop $(filter $(BUILD)/tests/unit/%,$(TEST_BINS))
	@sh tests/run-all.sh $(BUILD) $(filter $(BUILD)/tests/unit/%,$(TEST_BINS))

# The end-to-end tests with every exectop they start built with ASan+UBSan
# (SANITIZE=1 check-e2e), and the threaded reading (the parallel report,
# the TUI's catch-up on every core, FIFOs and files followed while caught
# up) with exectop built with TSan (SANITIZE=thread check-threads; the
# test programs themselves are the plain build's: Criterion does not run
# under TSan, Criterion issue 274).  tests/run-all.sh collects each
# process's sanitizer report: any from exectop fails, and so does any
# error (not a leak) in a test process.  The install test (a make install
# of the plain build) and the browser test (chromium's time) stay out;
# memory bounds are asserted in the plain build only (EXECTOP_SANITIZER
# tells the tests).
SAN_E2E	 = $(filter-out %/test_install %/test_browser, \
	   $(filter $(BUILD)/tests/e2e/%,$(TEST_BINS)))
TSAN_TESTS = $(addprefix build/tests/e2e/,test_tui_catchup test_report_e2e \
	   test_faults_fifo test_faults_files test_hostile_e2e)
check-e2e: $(BUILD)/exectop $(SAN_E2E)
	@EXECTOP_SANITIZER=$(SANITIZE) sh tests/run-all.sh $(BUILD) $(SAN_E2E)
check-threads: $(BUILD)/exectop
	@$(MAKE) --no-print-directory SANITIZE= BUILD=build $(TSAN_TESTS)
	@EXECTOP_SANITIZER=$(SANITIZE) sh tests/run-all.sh $(BUILD) $(TSAN_TESTS)
# What make test runs of these.
check-sanitizers:
	@$(MAKE) --no-print-directory SANITIZE=1 check-unit check-e2e
	@$(MAKE) --no-print-directory SANITIZE=thread check-threads

# Fuzzing with clang's libFuzzer (plus ASan and UBSan): one target per
# parser of outside input (tests/fuzz/fuzz_*.c), the library built again
# into build-fuzz/.  `make fuzz` runs each FUZZ_SECONDS (60); `make test`
# runs each 15 s as a smoke.  Found inputs stay in build-fuzz/corpus/.
FUZZ_CC	 ?= clang
FUZZ_BUILD = build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = record config baseline theme
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g $(FUZZ_SAN) \
	   -Iinclude $(PKG_CFLAGS) -MMD -MP
FUZZ_LIB_OBJS = $(LIB_SRCS:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/libexectop.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libexectop.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(TEST_INC) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_BUILD)/libexectop.a $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: test-deps
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) 15 $(FUZZ_TARGETS)

# An end-to-end `exectop report` (every format, a baseline, a hostile
# stream through a file, a FIFO and stdin), `baseline` and `gen` under
# valgrind memcheck: any error or definite/possible leak fails.
valgrind: $(BUILD)/exectop
	@sh tests/memcheck.sh $(BUILD)/exectop

# The soak: SOAK_RECORDS records through a FIFO into the TUI, writers
# restarted every 20,000 records, 1% bad lines; every record counted once,
# RSS flat.  `make check` runs it with 300,000 records.
SOAK_RECORDS ?= 5000000
soak: $(BUILD)/exectop $(BUILD)/tests/e2e/test_faults_tui
	SOAK_RECORDS=$(SOAK_RECORDS) EXECTOP_BIN=$(CURDIR)/$(BUILD)/exectop \
	    EXECTOP_ROOT=$(CURDIR) $(BUILD)/tests/e2e/test_faults_tui \
	    --filter 'faults_tui/soak' --jobs 1 --short-filename

# Benchmarks (not tests: nothing asserts on time).  Inputs go to
# build/bench; the table to tests/bench/results.md.  BENCH=quick for a
# short run.  bench.c drives the TUI (a pty of its own, and tmux); frame.c
# times the TUI's frame function, linked with the library.
$(BUILD)/bench/bench: tests/bench/bench.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $< -lutil -lpthread -lm
$(BUILD)/bench/bare_parse: tests/bench/bare_parse.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 $(call pkg_flags,--cflags,jansson) -o $@ $< $(call pkg_flags,--libs,jansson)
$(BUILD)/bench/frame: tests/bench/frame.c $(BUILD)/libexectop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_INC) -o $@ $< $(BUILD)/libexectop.a $(LIBS)

# `make eval`: the regression detector on issue 9's realistic stream,
# measured against its targets (tests/eval/eval.c; not part of `make test`).
EVAL_SEEDS ?= 3
$(BUILD)/eval/eval: tests/eval/eval.c $(BUILD)/libexectop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libexectop.a $(LIBS)

eval: $(BUILD)/eval/eval
	$(BUILD)/eval/eval $(EVAL_SEEDS)

bench:
	@sh .ci/deps.sh bench
	@$(MAKE) --no-print-directory eval
	@$(MAKE) --no-print-directory all $(BUILD)/bench/bench \
	    $(BUILD)/bench/bare_parse $(BUILD)/bench/frame
	$(BUILD)/bench/bench $(CURDIR)/$(BUILD)/exectop \
	    $(CURDIR)/$(BUILD)/bench/bare_parse $(CURDIR)/$(BUILD)/bench/frame \
	    $(CURDIR)/$(BUILD)/bench $(BENCH)
	cp $(BUILD)/bench/results.md tests/bench/results.md
	$(PYTHON) python/bench/overhead.py $(CURDIR)/$(BUILD)/exectop \
	    > $(BUILD)/bench/python.md
	cp $(BUILD)/bench/python.md python/bench/results.md
	sh tests/bench/side_by_side.sh $(CURDIR)/$(BUILD)/exectop $(CURDIR)/$(BUILD)/bench \
	    $(if $(BENCH),200000,200000 2000000)
	{ echo; cat $(BUILD)/bench/side.md; } >> tests/bench/results.md

# ---------------------------------------------------------------------------
# install / uninstall (issue 6)
#
#   make install [PREFIX=/usr/local] [DESTDIR=]
#     $(PREFIX)/bin/exectop
#     $(PREFIX)/share/man/man1/exectop.1
#     $(PREFIX)/share/exectop/exectop.yaml     the default config
#     $(PREFIX)/share/exectop/baseline.yaml    the demo's baseline
#     $(PREFIX)/share/exectop/themes/*.yaml
#     $(PREFIX)/share/bash-completion/completions/exectop
#     $(PYTHONDIR)/exectop/*.py               the Python package (python/)
#   make uninstall removes exactly those (and the two exectop directories
#   when empty).  PYTHONDIR is where $(PYTHON) looks for modules under
#   PREFIX: Debian's python3 reads PREFIX/lib/python3.X/dist-packages for
#   /usr/local and /usr/lib/python3/dist-packages for /usr.
#
# The binary finds its data relative to itself (PREFIX/bin/../share/exectop),
# so a DESTDIR staging tree or a moved PREFIX works; DATADIR is also compiled
# into src/util/paths.c as a fallback for when /proc/self/exe is unreadable.
INSTALL	?= install
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man
DATADIR	 = $(PREFIX)/share/exectop
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
THEMES	 = $(sort $(wildcard themes/*.yaml))
PYTHONDIR ?= $(shell $(PYTHON) -c 'import sys; p = "$(PREFIX)"; \
	    d = any(x.endswith("dist-packages") for x in sys.path); \
	    print(p + "/lib/python3/dist-packages" if d and p == "/usr" else \
	    p + "/lib/python%d.%d/%s" % (sys.version_info[:2] + \
	    ("dist-packages" if d else "site-packages",)))' 2>/dev/null)
PYMODS	 = $(sort $(wildcard python/exectop/*.py))

$(BUILD)/obj/src/util/paths.o: ALL_CFLAGS += -DEXECTOP_DATADIR='"$(DATADIR)"'
# paths.o holds DATADIR: the stamp holds the value it was built with and
# is rewritten (so paths.o rebuilt) only when PREFIX or DATADIR changes.
$(BUILD)/obj/src/util/paths.o: $(BUILD)/datadir.stamp
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
FORCE:

.PHONY: install uninstall
install: $(BUILD)/exectop
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 $(BUILD)/exectop $(DESTDIR)$(BINDIR)/exectop
	$(INSTALL) -m 644 exectop.1 $(DESTDIR)$(MANDIR)/man1/exectop.1
	$(INSTALL) -m 644 config/exectop.yaml $(DESTDIR)$(DATADIR)/exectop.yaml
	$(INSTALL) -m 644 config/baseline.yaml $(DESTDIR)$(DATADIR)/baseline.yaml
	$(INSTALL) -m 644 $(THEMES) $(DESTDIR)$(DATADIR)/themes/
	$(INSTALL) -m 644 config/exectop.bash-completion \
	    $(DESTDIR)$(BASHCOMPDIR)/exectop
	@test -n "$(PYTHONDIR)" || { echo "exectop: no $(PYTHON): the Python \
	    package is not installed (use PYTHONPATH=python)" >&2; exit 0; }; \
	$(INSTALL) -d $(DESTDIR)$(PYTHONDIR)/exectop && \
	$(INSTALL) -m 644 $(PYMODS) $(DESTDIR)$(PYTHONDIR)/exectop/ && \
	echo "exectop: Python package in $(PYTHONDIR)/exectop"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/exectop $(DESTDIR)$(MANDIR)/man1/exectop.1 \
	    $(DESTDIR)$(DATADIR)/exectop.yaml $(DESTDIR)$(DATADIR)/baseline.yaml \
	    $(addprefix $(DESTDIR)$(DATADIR)/,$(THEMES)) \
	    $(DESTDIR)$(BASHCOMPDIR)/exectop
	rmdir $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR) 2>/dev/null || true
	@test -z "$(PYTHONDIR)" || { \
	    rm -f $(addprefix $(DESTDIR)$(PYTHONDIR)/exectop/,$(notdir $(PYMODS))) \
	    $(DESTDIR)$(PYTHONDIR)/exectop/__pycache__/*.pyc; \
	    rmdir $(DESTDIR)$(PYTHONDIR)/exectop/__pycache__ \
	    $(DESTDIR)$(PYTHONDIR)/exectop 2>/dev/null || true; }

clean:
	rm -rf build build-asan build-tsan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
