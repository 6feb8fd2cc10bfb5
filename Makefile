# anchorwatch: build, test, install.  See README.md.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
# libunbound.pc names libevent, whose -dev package Debian's libunbound-dev
# does not pull in; libunbound needs no flags beyond -lunbound.
PKGS = yaml-0.1 libcrypto json-c libpcap libfstrm libprotobuf-c expat
AW_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wno-unused-parameter -Wno-format-truncation -pthread -Isrc -I$(BUILD)/gen \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
AW_LIBS = -lunbound $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread

# SANITIZE=1 builds everything under ASan and UBSan into build-san/.
ifeq ($(SANITIZE),1)
BUILD ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS =
endif

LIBSRCS = \
	src/config.c \
	src/calendar.c \
	src/date.c \
	src/yamlwalk.c \
	src/scenario.c \
	src/keyset.c \
	src/fileio.c \
	src/log.c \
	src/reader.c \
	src/resolver.c \
	src/anchor-bind.c \
	src/bind-conf.c \
	src/bind-conf-write.c \
	src/bind-fix.c \
	src/bind-check.c \
	src/bind-keys.c \
	src/namedconf.c \
	src/anchor-knot.c \
	src/knot-keys.c \
	src/knot-yaml.c \
	src/anchor-pdns.c \
	src/pdns-fix.c \
	src/anchor-resolved.c \
	src/anchor-dnsmasq.c \
	src/dnsmasq-opt.c \
	src/luascan.c \
	src/luascan-write.c \
	src/pdns-conf.c \
	src/pdns-daemon.c \
	src/units.c \
	src/rfc5011.c \
	src/replay.c \
	src/anchor-unbound.c \
	src/zonefile.c \
	src/zonefile-write.c \
	src/autotrust.c \
	src/unbound-conf.c \
	src/spawn.c \
	src/query.c \
	src/probe.c \
	src/discover.c \
	src/detect.c \
	src/events.c \
	src/traffic.c \
	src/traffic-report.c \
	src/traffic-counts.c \
	src/traffic-cmd.c \
	src/traffic-signers.c \
	src/traffic-zones.c \
	src/capture.c \
	src/dnstap.c \
	src/dnstap-listen.c \
	src/tcpflow.c \
	src/events-ready.c \
	src/state.c \
	src/output-nagios.c \
	src/output-text.c \
	src/output-json.c \
	src/output-syslog.c \
	src/output-prom.c \
	src/summary.c \
	src/record.c \
	src/plugin.c \
	src/help.c \
	src/fix.c \
	src/fix-trust.c \
	src/fix-xml.c \
	src/fix-smime.c \
	src/fix-apply.c
LIBOBJS = $(LIBSRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/dnstap.pb-c.o
UNITSRCS = $(wildcard tests/unit/test_*.c)
UNITBINS = $(UNITSRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check unit install clean lint bench
all: anchorwatch

deps:
	@sh packaging/deps.sh

$(BUILD)/%.o: src/%.c src/anchorwatch.h src/aw-formats.h src/aw-replay.h src/aw-traffic.h src/aw-fix.h src/aw-probe.h src/aw-bind.h src/aw-summary.h src/aw-plugin.h src/aw-fileio.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(SANFLAGS) $(AW_CFLAGS) -c -o $@ $<

# protoc-c output (not committed): one rule makes both files.
$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: src/%.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --proto_path=src --c_out=$(BUILD)/gen $<

$(BUILD)/dnstap.pb-c.o: $(BUILD)/gen/dnstap.pb-c.c $(BUILD)/gen/dnstap.pb-c.h
	$(CC) $(CFLAGS) $(SANFLAGS) $(AW_CFLAGS) -c -o $@ $<

$(BUILD)/dnstap.o $(BUILD)/tests/test_dnstap $(BUILD)/tests/test_dnstap_listen: \
	$(BUILD)/gen/dnstap.pb-c.h
$(BUILD)/dnstap.o $(BUILD)/dnstap-listen.o: src/dnstap-io.h

$(BUILD)/libaw.a: $(LIBOBJS)
	rm -f $@ && ar rcs $@ $(LIBOBJS)

$(BUILD)/anchorwatch: $(BUILD)/main.o $(BUILD)/libaw.a
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(BUILD)/main.o $(BUILD)/libaw.a $(AW_LIBS)

anchorwatch: $(BUILD)/anchorwatch
	cp $(BUILD)/anchorwatch $@

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libaw.a
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) $(SANFLAGS) $(AW_CFLAGS) -Itests/unit -o $@ $< \
		$(BUILD)/libaw.a $(AW_LIBS) -lcmocka

unit: $(UNITBINS) $(BUILD)/anchorwatch

# The test command of the README: set up, build (plain and sanitized),
# run every test, end with "N passed, N failed".
check: deps
	$(MAKE) all unit
	$(MAKE) SANITIZE=1 unit
	bash tests/run.sh

demo: deps all
	sh tests/harness/demo.sh

bench: all
	@sh packaging/deps.sh --bench
	sh tests/bench/check-vs-unbound-anchor.sh
	sh tests/bench/traffic.sh

lint:
	mandoc -Tlint -Wwarning man/anchorwatch.8 man/anchorwatch.yaml.5

install: anchorwatch
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/anchorwatch
	install -m 0755 anchorwatch $(DESTDIR)$(SBINDIR)/anchorwatch
	install -m 0644 man/anchorwatch.8 $(DESTDIR)$(MANDIR)/man8/anchorwatch.8
	install -m 0644 man/anchorwatch.yaml.5 \
		$(DESTDIR)$(MANDIR)/man5/anchorwatch.yaml.5
	install -m 0644 etc/anchorwatch.yaml \
		$(DESTDIR)$(SYSCONFDIR)/anchorwatch/anchorwatch.yaml.example
	install -d $(DESTDIR)$(PREFIX)/share/anchorwatch/scenarios
	install -m 0644 etc/anchorwatch/scenarios/2017-2019.yaml \
		etc/anchorwatch/scenarios/2024-2027.yaml \
		$(DESTDIR)$(PREFIX)/share/anchorwatch/scenarios
	install -m 0644 etc/anchorwatch/events.yaml \
		$(DESTDIR)$(SYSCONFDIR)/anchorwatch/events.yaml
	install -m 0644 etc/anchorwatch/icannbundle.pem \
		$(DESTDIR)$(SYSCONFDIR)/anchorwatch/icannbundle.pem

clean:
	rm -rf build build-san anchorwatch
