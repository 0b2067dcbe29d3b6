# errata — build, test, eval, bench, install.
#   make            build/errata, build/liberrata.a, build/liberrata.so
#   make test       unit + CLI tests, then all again under ASan/UBSan
#   make eval       accuracy figures      make bench   speed figures

BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
SANITIZE ?=

# The sanitizer runtimes of GCC 12 and clang 14 take a dynamic TLS block that
# happens to start 16 bytes into a page for one of glibc 2.19 and read a
# bogus range before it; LeakSanitizer then dies at exit ("Tracer caught
# signal 11", google/sanitizers#1322), depending only on where malloc put the
# block.  Not intercepting __tls_get_addr avoids it; leaks are still found.
ifeq ($(findstring intercept_tls_get_addr,$(ASAN_OPTIONS)),)
export ASAN_OPTIONS := $(if $(ASAN_OPTIONS),$(ASAN_OPTIONS):)intercept_tls_get_addr=0
endif

PKGS     := icu-uc hunspell
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
# ICU and hunspell are not linked but opened on first use (lib/encoding.c,
# lib/latin.c): loading them and their libstdc++ at start-up took longer than
# the rest of a small run.  They are opened by the names (sonames) that
# linking against them would record.
soname = $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" 2>/dev/null | \
                 awk '/SONAME/ {print $$2}')
ICUUC_SONAME    := $(call soname,icuuc)
HUNSPELL_SONAME := $(call soname,$(patsubst -l%,%,$(filter -lhunspell%,$(shell pkg-config --libs hunspell))))
ifeq ($(and $(ICUUC_SONAME),$(HUNSPELL_SONAME)),)
$(error cannot find the sonames of libicuuc and libhunspell (install libicu-dev, libhunspell-dev, binutils))
endif
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
             -fPIC -fvisibility=hidden -Ilib $(shell pkg-config --cflags $(PKGS)) \
             -DERRATA_ICUUC_SONAME='"$(ICUUC_SONAME)"' -DERRATA_HUNSPELL_SONAME='"$(HUNSPELL_SONAME)"'
LIBS     := -lpthread -lm
# The program and the shared library carry 30 MB of models read in place.
# Segments aligned to 2 MiB let the kernel load them at a 2 MiB boundary, so
# that where the page cache holds the file in large folios (a freshly linked
# file on ext4 or XFS) one page fault maps a whole folio of the models: a
# 1 KB fix takes 120 page faults instead of 230.  The padding is a hole in
# the file, not disk space.
LDBIG    := -Wl,-z,max-page-size=0x200000
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDSAN    := -fsanitize=address,undefined
endif
# FUZZ=1: also instrumented for libFuzzer (see fuzz; needs CC=clang).
FUZZ     ?=
ifneq ($(FUZZ),)
ALL_CFLAGS += -fsanitize=fuzzer-no-link
endif
# TSAN=1: ThreadSanitizer instead (see tsan-tests).
TSAN     ?=
ifneq ($(TSAN),)
ALL_CFLAGS += -fsanitize=thread -fno-omit-frame-pointer
LDSAN    := -fsanitize=thread
endif

LIB_SRCS  := $(wildcard lib/*.c)
# The layout passes are built twice: over a view held whole and over one
# decoded in windows (ERRATA_LAYOUT_WINDOWED, see lib/layout.h).
LAYOUT_PASS_SRCS := $(filter-out lib/layout.c,$(wildcard lib/layout*.c))
LAYOUT_WINDOWED_OBJS := $(LAYOUT_PASS_SRCS:lib/%.c=$(BUILD)/obj/lib/windowed/%.o)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(LAYOUT_WINDOWED_OBJS) $(BUILD)/obj/lib/embedded.o
CLI_SRCS  := $(wildcard cli/*.c)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/cli/html_assets.o
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
EMBEDDED  := $(wildcard dictionaries/*.dict) dictionaries/zh-lm.bin dictionaries/zh-formal-chars.bin \
             dictionaries/lookalike.tsv

.PHONY: all test unit-tests cli-tests sanitize-tests valgrind-tests eval bench install clean
all: $(BUILD)/errata $(BUILD)/liberrata.a $(BUILD)/liberrata.so

# Each object depends on the headers it includes, as the compiler lists them in
# its .d file; an object without one (an older build) is compiled again.
# encoding.c and latin.c once more for the static errata command (see below).
LINKED_DEPS_OBJS := $(BUILD)/obj/lib/linked/encoding.o $(BUILD)/obj/lib/linked/latin.o
DEP_FILES := $(LIB_SRCS:%.c=$(BUILD)/obj/%.d) $(CLI_SRCS:%.c=$(BUILD)/obj/%.d) \
             $(LAYOUT_WINDOWED_OBJS:%.o=%.d) $(LINKED_DEPS_OBJS:%.o=%.d)
$(BUILD)/obj/%.o: %.c $(BUILD)/obj/%.d
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -MF $(BUILD)/obj/$*.d -c $< -o $@
$(BUILD)/obj/lib/windowed/%.o: lib/%.c $(BUILD)/obj/lib/windowed/%.d
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DERRATA_LAYOUT_WINDOWED -MMD -MP -MF $(BUILD)/obj/lib/windowed/$*.d \
	    -c $< -o $@

$(DEP_FILES):
include $(wildcard $(DEP_FILES))

IMAGES := $(BUILD)/automaton.bin $(BUILD)/dictionary.bin $(BUILD)/char-tables.bin
IMAGE_FLAGS = -DERRATA_AUTOMATON_IMAGE='"$(BUILD)/automaton.bin"' \
              -DERRATA_DICTIONARY_IMAGE='"$(BUILD)/dictionary.bin"' \
              -DERRATA_CHAR_TABLES_IMAGE='"$(BUILD)/char-tables.bin"'
$(BUILD)/obj/lib/embedded.o: lib/embedded.S $(EMBEDDED) $(IMAGES)
	@mkdir -p $(dir $@)
	$(CC) $(IMAGE_FLAGS) -c $< -o $@

# The built-in dictionary, parsed, its automaton and the character model's
# tables, made once here instead of at every start-up, by a program linked
# against the library without them.
$(BUILD)/obj/lib/embedded-base.o: lib/embedded.S $(EMBEDDED)
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(BUILD)/tools/build-images: tools/build-images.c $(filter-out %/embedded.o,$(LIB_OBJS)) \
                             $(BUILD)/obj/lib/embedded-base.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(LDSAN)

$(IMAGES): $(BUILD)/%.bin: $(BUILD)/tools/build-images
	$< $* $@.tmp && mv $@.tmp $@

# The review and report pages' style sheets, skeleton and script.
$(BUILD)/obj/cli/html_assets.o: cli/html_assets.S $(wildcard cli/html/*)
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(BUILD)/liberrata.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/liberrata.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,liberrata.so.0 $(LDBIG) $(LDSAN) -o $@ $^ $(LIBS)

# The errata command is a static PIE: glibc, ICU, hunspell and libstdc++
# linked in from their .a files, with encoding.c and latin.c built to call
# ICU and hunspell directly (ERRATA_LINKED_DEPS) instead of opening them.
# A run then executes no dynamic loader: a 1 KB fix takes 35 system calls
# instead of 62, 0.48 M instructions instead of 0.59 M, and 16 to 28 fewer
# page faults (182 instead of 198 for a copy made by install, 156 instead
# of 184 once read back from disk).  ICU's data makes the file 32 MB larger (never read unless
# a text is not UTF-8).  (The linker warns that ICU's plug-in loader calls
# dlopen; ICU loads no plug-ins.)  The relative relocations are packed
# (-z pack-relative-relocs) and unused sections dropped (--gc-sections).
# $(BUILD)/errata-dynamic is the same program linked as before, against
# liberrata.a: Memcheck (valgrind-tests) can follow only the heap of a
# dynamically linked program, and the signal tests stall its writes with an
# LD_PRELOAD shim.  Sanitizer and fuzzer builds link errata dynamically.
STATIC_CLI := $(if $(SANITIZE)$(TSAN)$(FUZZ),,1)
STATIC_CLI_OBJS := $(CLI_OBJS) $(LINKED_DEPS_OBJS) \
                   $(filter-out $(BUILD)/obj/lib/encoding.o $(BUILD)/obj/lib/latin.o \
                                $(BUILD)/obj/lib/embedded.o,$(LIB_OBJS))
STATIC_LIBS := $(shell pkg-config --libs --static $(PKGS)) -lstdc++
$(BUILD)/obj/lib/linked/%.o: lib/%.c $(BUILD)/obj/lib/linked/%.d
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DERRATA_LINKED_DEPS -MMD -MP -MF $(BUILD)/obj/lib/linked/$*.d -c $< -o $@

# The command's models lie after ICU's data (30 MB that a UTF-8 run never
# reads): its object comes right after ICU's libraries on the command line,
# so the linker lays it out there.  A run touches the code and data before
# the engine advises huge pages over the models (lib/engine.c), and the
# kernel reads the megabytes around each such first touch (8 MB here) in
# small folios; so far away, the models are read after the advice, in
# 2 MiB folios.  Their images come first (ERRATA_IMAGES_FIRST, see
# lib/embedded.S), the look-alike table last, nearest the data written at
# start-up.  After a cold read, a 1 KB fix takes 101 page faults instead
# of 134.
$(BUILD)/obj/lib/linked/embedded.o: lib/embedded.S $(EMBEDDED) $(IMAGES)
	@mkdir -p $(dir $@)
	$(CC) -DERRATA_IMAGES_FIRST $(IMAGE_FLAGS) -c $< -o $@

ifneq ($(STATIC_CLI),)
$(BUILD)/errata-dynamic: $(CLI_OBJS) $(BUILD)/liberrata.a
	$(CC) $(LDBIG) -o $@ $(CLI_OBJS) $(BUILD)/liberrata.a $(LIBS)

$(BUILD)/errata: $(STATIC_CLI_OBJS) $(BUILD)/obj/lib/linked/embedded.o cli/pad-text.ld
	$(CC) -static-pie $(LDBIG) -Wl,--gc-sections -Wl,-z,pack-relative-relocs \
	    -Wl,-T,cli/pad-text.ld -o $@ $(STATIC_CLI_OBJS) $(filter -licu%,$(STATIC_LIBS)) \
	    $(BUILD)/obj/lib/linked/embedded.o $(filter-out -licu%,$(STATIC_LIBS))
else
$(BUILD)/errata: $(CLI_OBJS) $(BUILD)/liberrata.a
	$(CC) $(LDBIG) $(LDSAN) -o $@ $(CLI_OBJS) $(BUILD)/liberrata.a $(LIBS)

$(BUILD)/errata-dynamic: $(BUILD)/errata
	ln -sf errata $@
endif

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liberrata.a $(wildcard lib/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -Icli -o $@ $< $(filter %.o,$^) $(BUILD)/liberrata.a $(LIBS) \
	    -lcmocka $(LDSAN)

# Unit tests of CLI modules link the CLI objects they test.
$(BUILD)/tests/test_json: $(BUILD)/obj/cli/json.o $(BUILD)/obj/cli/common.o $(BUILD)/obj/cli/signals.o

unit-tests: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

cli-tests: $(BUILD)/errata $(BUILD)/errata-dynamic
	ERRATA_DYNAMIC=$(BUILD)/errata-dynamic bash tests/cli/run.sh $(BUILD)/errata

# The whole suite once more under AddressSanitizer and UBSan, in its own tree.
sanitize-tests:
	$(MAKE) BUILD=$(BUILD)/san SANITIZE=1 unit-tests cli-tests

# Memcheck over the unit tests and the main CLI paths.
valgrind-tests: all $(UNIT_BINS) $(BUILD)/errata-dynamic
	bash tests/valgrind.sh $(BUILD)

test: all unit-tests cli-tests python-tests sanitize-tests tsan-tests embed-test valgrind-tests

eval: $(BUILD)/errata
	python3 scripts/eval.py --errata $(BUILD)/errata
	python3 scripts/eval_learn.py --errata $(BUILD)/errata

bench: $(BUILD)/errata
	bash scripts/bench.sh $(BUILD)/errata

# errata lsp: time to diagnostics, memory with ten documents open.
.PHONY: lsp-bench
lsp-bench: $(BUILD)/errata
	python3 tests/bench/lsp-bench.py $(BUILD)/errata

clean:
	rm -rf $(BUILD)

# The review page in a real browser (headless Chromium through Selenium;
# Debian's python3 for its python3-selenium), and the README's screenshot.
.PHONY: html-tests screenshot html-figures
test: html-tests
html-tests: $(BUILD)/errata
	/usr/bin/python3 tests/html/test_pages.py $(BUILD)/errata

html-figures: $(BUILD)/errata
	/usr/bin/python3 scripts/html-figures.py $(BUILD)/errata

screenshot: $(BUILD)/errata
	/usr/bin/python3 scripts/screenshot.py $(BUILD)/errata docs/review-page.png

# The character model of formal text: regenerate dictionaries/zh-formal-chars.bin
# from ../shared/data/formal-zh (CHARMODEL_SOURCES=files to use others, FILE:N to
# count one N times over). $(BUILD)/charmodel/NAME.txt is the text of a public
# repository cloned under CHARMODEL_CLONES (dictionaries/CHARMODEL.md, "Other sources").
CHARMODEL_CLONES ?= ../charmodel-clones
CHARMODEL_SOURCES ?= $(sort $(wildcard ../shared/data/formal-zh/*.txt.xz))
CHARMODEL_EXTRACTED = $(filter $(BUILD)/charmodel/%,$(foreach s,$(CHARMODEL_SOURCES),$(firstword $(subst :, ,$(s)))))
.PHONY: charmodel charmodel-check
charmodel: $(CHARMODEL_EXTRACTED)
	python3 scripts/build-charmodel.py $(CHARMODEL_SOURCES)

# Which evaluation texts under corpus/ share a passage with those sources (no model written).
charmodel-check: $(CHARMODEL_EXTRACTED)
	python3 scripts/build-charmodel.py --check $(CHARMODEL_SOURCES)

$(BUILD)/charmodel/%.txt: scripts/extract-formal-sources.py
	@mkdir -p $(@D)
	python3 scripts/extract-formal-sources.py $* $(CHARMODEL_CLONES) $@

# The judge's per-pair bars (PAIR_BARS in lib/judge.c), learnt from simulated damage of
# the State Council's work reports and of corpus/docs: prints the C table to paste.
.PHONY: pair-bars
pair-bars: $(BUILD)/errata $(BUILD)/charmodel/state-council-reports.txt
	python3 scripts/fit-pair-bars.py $(BUILD)/errata $(BUILD)/charmodel/state-council-reports.txt corpus/docs

# The language model: regenerate dictionaries/zh-lm.bin from the ARPA text
# (MODEL=path to use another copy), measure it, check it on minimal pairs.
.PHONY: model lm-bench lm-check
model:
	python3 scripts/build-lm.py $(MODEL)

$(BUILD)/lm-bench: tests/bench/lm-bench.c $(BUILD)/liberrata.a lib/lm.h lib/internal.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/liberrata.a $(LIBS) $(LDSAN)

lm-bench: $(BUILD)/lm-bench
	$(BUILD)/lm-bench dictionaries/zh-lm.bin

lm-check: $(BUILD)/lm-bench
	python3 scripts/lm-pairs-check --tool $(BUILD)/lm-bench $(MODEL)

# The thread-safety test once more, library included, under ThreadSanitizer.
.PHONY: tsan-tests
tsan-tests:
	$(MAKE) BUILD=$(BUILD)/tsan TSAN=1 $(BUILD)/tsan/tests/test_threads
	setarch -R $(BUILD)/tsan/tests/test_threads

# ---------------------------------------------------------------- install
# make install [PREFIX=/usr/local] [DESTDIR=staging root]
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
VERSION    := $(shell sed -n 's/^.define ERRATA_VERSION_STRING "\(.*\)"/\1/p' lib/errata.h)
SHARE_FILES := $(sort $(wildcard dictionaries/*.dict) dictionaries/zh-lm.bin dictionaries/zh-formal-chars.bin \
               dictionaries/lookalike.tsv $(wildcard dictionaries/*.md dictionaries/*LICENSE*))

# Made anew by every install: PREFIX and LIBDIR may differ from the last one.
.PHONY: $(BUILD)/errata.pc
$(BUILD)/errata.pc: errata.pc.in lib/errata.h
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@DATADIR@|$(DATADIR)|' -e 's|@VERSION@|$(VERSION)|' $< >$@

# The program and the shared library are written with 4 MiB writes instead
# of by install(1), which copies in small pieces (copy_file_range): where the
# kernel and file system give written files large folios (ext4 on Linux
# 6.18, here), the page cache then holds them in 2 MiB folios, and with their
# 2 MiB-aligned segments (LDBIG) one page fault maps a whole folio of the
# models: a 1 KB fix just after make install took 98 page faults instead
# of 182 (78 with the code padded, see cli/pad-text.ld).  That lasts while the file stays in the page cache; read back from
# disk, it is held as the kernel's readahead makes it (about 100 faults, see
# the layout of the command's models above).
# Written under a temporary name and renamed, as install does, so that a
# running errata is never written over.  dd writes the alignment padding,
# a hole in the built file, as zeros: 3 MB more on disk.
install_large = dd if=$(1) of=$(2).tmp bs=4M status=none && chmod $(3) $(2).tmp && mv -f $(2).tmp $(2)

install: all $(BUILD)/errata.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(DATADIR)/errata $(DESTDIR)$(MANDIR)/man1
	$(call install_large,$(BUILD)/errata,$(DESTDIR)$(BINDIR)/errata,0755)
	install -m 0644 $(BUILD)/liberrata.a $(DESTDIR)$(LIBDIR)/liberrata.a
	$(call install_large,$(BUILD)/liberrata.so,$(DESTDIR)$(LIBDIR)/liberrata.so.$(VERSION),0755)
	ln -sf liberrata.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liberrata.so.0
	ln -sf liberrata.so.0 $(DESTDIR)$(LIBDIR)/liberrata.so
	install -m 0644 lib/errata.h $(DESTDIR)$(INCLUDEDIR)/errata.h
	install -m 0644 $(BUILD)/errata.pc $(DESTDIR)$(LIBDIR)/pkgconfig/errata.pc
	install -m 0644 $(SHARE_FILES) $(DESTDIR)$(DATADIR)/errata/
	install -m 0644 cli/errata.1 $(DESTDIR)$(MANDIR)/man1/errata.1

# The Python package (python/errata), for Debian's python3: into the
# version's dist-packages under /usr/local, the shared one under /usr.
PYTHON     ?= /usr/bin/python3
PYTHONDIR  ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')/dist-packages)
PY_FILES   := $(wildcard python/errata/*.py) python/errata/py.typed

.PHONY: install-python python-tests
install: install-python
install-python:
	install -d $(DESTDIR)$(PYTHONDIR)/errata
	install -m 0644 $(filter-out %/_installed.py,$(PY_FILES)) $(DESTDIR)$(PYTHONDIR)/errata/
	echo 'LIBRARY = "$(LIBDIR)/liberrata.so.0"' >$(DESTDIR)$(PYTHONDIR)/errata/_installed.py

# pytest over the package (tests/python), against build/ and its command.
python-tests: all
	PYTHONPATH=python PYTHONDONTWRITEBYTECODE=1 ERRATA_LIBRARY=$(abspath $(BUILD))/liberrata.so \
	    ERRATA_CLI=$(abspath $(BUILD))/errata ERRATA_BUILD=$(BUILD) \
	    $(PYTHON) -m pytest -q -p no:cacheprovider tests/python

.PHONY: uninstall embed-test
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/errata $(DESTDIR)$(LIBDIR)/liberrata.a \
	    $(DESTDIR)$(LIBDIR)/liberrata.so $(DESTDIR)$(LIBDIR)/liberrata.so.0 \
	    $(DESTDIR)$(LIBDIR)/liberrata.so.$(VERSION) $(DESTDIR)$(INCLUDEDIR)/errata.h \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/errata.pc $(DESTDIR)$(MANDIR)/man1/errata.1
	rm -rf $(DESTDIR)$(DATADIR)/errata $(DESTDIR)$(PYTHONDIR)/errata

# Install into a scratch root, build examples/embed.c against it through
# pkg-config, run it.
embed-test: all
	bash tests/cli/embed.sh "$(MAKE)" $(BUILD)

# ---------------------------------------------------------------- fuzzing
# The libFuzzer harnesses of tests/fuzz, built with clang, ASan and UBSan in
# $(BUILD)/fuzz.  make fuzz runs each for FUZZ_SECONDS, growing its corpus in
# $(BUILD)/fuzz/corpus (the committed seeds in tests/fuzz/corpus stay as they
# are) and leaving what it finds in $(BUILD)/fuzz/findings; make test replays
# the committed seeds (the inputs of past findings among them) and runs each
# harness 500 times from a fixed seed (the same verdict on every run).
.PHONY: fuzz fuzz-smoke fuzz-harnesses
test: fuzz-smoke
FUZZ_CC           ?= clang
FUZZ_SECONDS      ?= 60
FUZZ_HARNESSES    := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
CLI_PARTS         := $(filter-out %/main.o,$(CLI_OBJS))

# fuzz_lsp keeps the server away from files by wrapping the calls that open them.
FUZZ_LINK_fuzz_lsp := -Wl,--wrap=open,--wrap=fopen,--wrap=access,--wrap=mkdir

$(BUILD)/fuzzers/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(BUILD)/liberrata.a $(CLI_PARTS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icli -o $@ $< $(CLI_PARTS) $(BUILD)/liberrata.a $(LIBS) \
	    -fsanitize=fuzzer $(LDSAN) $(FUZZ_LINK_$*)

fuzz-harnesses: $(FUZZ_HARNESSES:%=$(BUILD)/fuzzers/%)

$(BUILD)/fuzz/.built: $(wildcard lib/*.c lib/*.h cli/*.c cli/*.h tests/fuzz/*.c tests/fuzz/*.h) $(EMBEDDED)
	$(MAKE) BUILD=$(BUILD)/fuzz CC=$(FUZZ_CC) CFLAGS="-O1 -g" SANITIZE=1 FUZZ=1 fuzz-harnesses
	touch $@

fuzz: $(BUILD)/fuzz/.built
	bash tests/fuzz/run.sh $(BUILD)/fuzz/fuzzers $(FUZZ_SECONDS) $(BUILD)/fuzz $(FUZZ_HARNESSES)

fuzz-smoke: $(BUILD)/fuzz/.built
	bash tests/fuzz/run.sh --smoke $(BUILD)/fuzz/fuzzers 0 $(BUILD)/fuzz $(FUZZ_HARNESSES)

# ---------------------------------------------------------------- allocation failures
# tests/alloc: the library and CLI code linked with malloc, calloc, realloc,
# strdup and strndup wrapped so that the N-th allocation fails, walked for
# N = 1, 2, ... over the main calls, under ASan and its leak checker.
.PHONY: alloc-tests
test: alloc-tests
ALLOC_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup

$(BUILD)/tests/alloc_failures: tests/alloc/alloc_failures.c $(BUILD)/liberrata.a $(CLI_PARTS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icli -o $@ $< $(CLI_PARTS) $(BUILD)/liberrata.a $(LIBS) $(ALLOC_WRAP) $(LDSAN)

alloc-tests:
	$(MAKE) BUILD=$(BUILD)/san SANITIZE=1 $(BUILD)/san/tests/alloc_failures
	rm -rf $(BUILD)/alloc-work
	$(BUILD)/san/tests/alloc_failures . $(BUILD)/alloc-work
