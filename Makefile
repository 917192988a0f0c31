# IBBIS build. `make` builds build/ibbis; `make check` runs every suite.
# Sources are found by wildcard: a new src/**/*.c or tests/unit/test_*.c
# is picked up without editing this file.

CC      ?= gcc
# Where `make install` puts things (FHS); DESTDIR stages them for a package.
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/ibbis
DOCDIR  := $(PREFIX)/share/doc/ibbis
UNITDIR := $(PREFIX)/lib/systemd/system
SYSUSERSDIR := $(PREFIX)/lib/sysusers.d
SANITIZE ?=
comma := ,
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium zlib libcurl libzip libxml-2.0
VERSION := $(shell cat VERSION)+$(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

ifeq ($(SANITIZE),)
BUILD   := build
SANFLAGS :=
OPT     := -O2
else
BUILD   := build-$(subst $(comma),-,$(SANITIZE))
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wno-unused-parameter -Isrc -pthread $(PKG_CFLAGS) $(SANFLAGS) \
           -MMD -MP
LDFLAGS += -pthread $(SANFLAGS)
LDLIBS  += $(PKG_LIBS) -lm

LIB_SRC  := $(shell find src -name '*.c' ! -name main.c | sort)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%_replay)

.PHONY: FORCE all deps check unit api e2e faults ops screenshots fuzz-replay fuzz demo bench format lint clean install uninstall

all: $(BUILD)/ibbis

EMBED_FILES := $(sort $(wildcard sql/*/*.sql templates/*.mustache templates/*/*.mustache \
                 locale/*.po locale/*/*.po rules/*.conf surveys/*.conf \
                 schemas/*/*.xsd))

$(BUILD)/tools/embed: scripts/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

# The list of embedded files is a prerequisite too, so removing a template
# (not only changing one) regenerates the table.
$(BUILD)/gen/embed.list: FORCE
	@mkdir -p $(@D)
	@echo '$(EMBED_FILES)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/gen/embedded.c: $(BUILD)/tools/embed $(EMBED_FILES) $(BUILD)/gen/embed.list Makefile
	@mkdir -p $(@D)
	$(BUILD)/tools/embed $@ $(EMBED_FILES)

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The version object is rewritten only when the text changes.
$(BUILD)/gen/version.c: FORCE
	@mkdir -p $(@D)
	@printf 'const char ibbis_version[] = "%s";\n' '$(VERSION)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/gen/version.o: $(BUILD)/gen/version.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The installed data folder, compiled in so an installed `ibbis serve` finds
# its static files without flags; rewritten only when PREFIX changes.
$(BUILD)/gen/paths.c: FORCE
	@mkdir -p $(@D)
	@printf 'const char ibbis_datadir[] = "%s";\n' '$(DATADIR)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/gen/paths.o: $(BUILD)/gen/paths.c
	$(CC) $(CFLAGS) -c -o $@ $<

FORCE:

$(BUILD)/libibbis.a: $(LIB_OBJ) $(BUILD)/gen/embedded.o $(BUILD)/gen/version.o $(BUILD)/gen/paths.o
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# Benchmark programs (bench/bench_*.c) link the library like tests do.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libibbis.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libibbis.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/ibbis: $(BUILD)/obj/src/main.o $(BUILD)/libibbis.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libibbis.a tests/unit/testutil.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libibbis.a $(LDFLAGS) $(LDLIBS) -lcmocka

# Fuzz targets: built with clang+libFuzzer by `make fuzz`; `make check`
# replays their stored corpora through a plain driver under gcc.
$(BUILD)/fuzz/%_replay: fuzz/%.c fuzz/replay.c $(BUILD)/libibbis.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< fuzz/replay.c $(BUILD)/libibbis.a $(LDFLAGS) $(LDLIBS)

deps:
	@scripts/deps.sh

unit: $(UNIT_BIN)
	@scripts/run-unit.sh $(BUILD) $(UNIT_BIN)

fuzz-replay: $(FUZZ_REPLAY)
	@scripts/run-fuzz-replay.sh $(BUILD)

api: $(BUILD)/ibbis
	@IBBIS_BIN=$(CURDIR)/$(BUILD)/ibbis node --test --test-concurrency=1 tests/api/

e2e: $(BUILD)/ibbis
	@IBBIS_BIN=$(CURDIR)/$(BUILD)/ibbis node --test --test-concurrency=1 tests/e2e/

# The browser tests again, writing their screenshots to docs/screenshots/
# (every other run writes them to build/screenshots/).
screenshots: $(BUILD)/ibbis
	@IBBIS_SCREENSHOTS=$(CURDIR)/docs/screenshots IBBIS_BIN=$(CURDIR)/$(BUILD)/ibbis \
		node --test --test-concurrency=1 tests/e2e/

# kill -9 under write load, PostgreSQL restarted, a full disk: on SQLite
# and on a private PostgreSQL cluster (docs/operations.md "Faults").
faults: $(BUILD)/ibbis
	@IBBIS_BIN=$(CURDIR)/$(BUILD)/ibbis scripts/faults.sh

# The operator's side: make install, the systemd units, nginx with TLS.
ops: $(BUILD)/ibbis
	@IBBIS_BIN=$(CURDIR)/$(BUILD)/ibbis node --test --test-concurrency=1 tests/ops/

check: deps
	@scripts/check.sh

# The demo installs only what running needs (scripts/deps.sh run).
demo:
	@scripts/deps.sh run
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps all
	@bench/all.sh

fuzz:
	@scripts/fuzz.sh

format:
	clang-format -i $$(find src tests/unit fuzz -name '*.[ch]')

lint:
	@scripts/lint.sh

# Installs the binary, the static files and DKFDS, the systemd units, the
# nginx example and the docs under FHS paths (docs/operations.md). The
# binary is built with this PREFIX, so `ibbis serve` finds its files.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/web $(DESTDIR)$(DATADIR)/dkfds \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(DATADIR)/examples
	install -m 0755 $(BUILD)/ibbis $(DESTDIR)$(BINDIR)/ibbis
	cp -R web/. $(DESTDIR)$(DATADIR)/web/
	cp -R node_modules/dkfds/dist/. $(DESTDIR)$(DATADIR)/dkfds/
	for f in dist/systemd/*.service dist/systemd/*.timer; do \
		sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' $$f \
			> $(DESTDIR)$(UNITDIR)/$$(basename $$f); \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$(basename $$f); \
	done
	install -m 0644 dist/systemd/ibbis.sysusers $(DESTDIR)$(SYSUSERSDIR)/ibbis.conf
	install -m 0644 dist/nginx/ibbis.conf dist/ibbis.env $(DESTDIR)$(DATADIR)/examples/
	install -d $(DESTDIR)$(DOCDIR)/docs
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	@echo "installed under $(DESTDIR)$(PREFIX); next: docs/operations.md"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ibbis $(DESTDIR)$(UNITDIR)/ibbis.service \
		$(DESTDIR)$(UNITDIR)/ibbis-sweep.service $(DESTDIR)$(UNITDIR)/ibbis-sweep.timer \
		$(DESTDIR)$(UNITDIR)/ibbis-backup.service $(DESTDIR)$(UNITDIR)/ibbis-backup.timer \
		$(DESTDIR)$(SYSUSERSDIR)/ibbis.conf
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build build-*

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/src/main.d
