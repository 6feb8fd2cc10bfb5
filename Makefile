# anchorwatch: build, test, install, package.  See README.md.
VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/anchorwatch
SYSCONFDIR ?= /etc
# The shipped calendar, CA certificate and scenarios: the binary looks for
# them here (-DAW_DATADIR), so, like SYSCONFDIR, it is not under PREFIX.
PKGDATADIR ?= /usr/share/anchorwatch
PLUGINDIR ?= $(PREFIX)/lib/nagios/plugins
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
ICINGA2DIR ?= $(PREFIX)/share/icinga2/include/plugins-contrib.d
NRPEDIR ?= $(SYSCONFDIR)/nagios/nrpe.d
CRONDIR ?= $(SYSCONFDIR)/cron.d
DESTDIR ?=

# CPPFLAGS, CFLAGS and LDFLAGS come from the environment (dpkg-buildflags,
# %optflags); ours go before them.  -Werror is for development: the
# package builds say WERROR=0, since a newer compiler's new warning must
# not break a distribution's build.
CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= 1
# libunbound.pc names libevent, whose -dev package Debian's libunbound-dev
# does not pull in; libunbound needs no flags beyond -lunbound.
PKGS = yaml-0.1 nettle libcrypto json-c libpcap libfstrm libprotobuf-c expat
# Linked: libunbound, libyaml and nettle (base64 and the DS digests; the
# libunbound of Debian loads it anyway).  The others are loaded by their
# soname at their first use (capture.c for libpcap, lazy.c for the rest):
# each start of `check` paid 1.4 ms for libpcap and the libraries it
# needs, 1.2 ms for libcrypto, 0.5 ms for json-c, fstrm, protobuf-c and
# expat.  The tests link them all, and call some of them themselves.
LAZY_PKGS = libcrypto json-c libpcap libfstrm libprotobuf-c expat
soname = $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" \
	2>/dev/null | sed -n 's/^ *SONAME *//p')
PCAP_SONAME := $(call soname,pcap)
CRYPTO_SONAME := $(call soname,crypto)
JSONC_SONAME := $(call soname,json-c)
FSTRM_SONAME := $(call soname,fstrm)
PROTOBUFC_SONAME := $(call soname,protobuf-c)
EXPAT_SONAME := $(call soname,expat)
AW_CPPFLAGS = -D_GNU_SOURCE -Isrc -I$(BUILD)/gen \
	-DAW_VERSION='"$(VERSION)"' -DAW_DATADIR='"$(PKGDATADIR)"' \
	$(foreach l,PCAP CRYPTO JSONC FSTRM PROTOBUFC EXPAT,$(if \
	$($(l)_SONAME),-DAW_$(l)_SONAME='"$($(l)_SONAME)"'))
AW_CFLAGS = -std=c11 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-Wshadow -Wno-unused-parameter -Wno-format-truncation -pthread \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
AW_LIBS = -lunbound $(shell pkg-config --libs \
	$(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null) -pthread
TEST_LIBS = $(AW_LIBS) $(shell pkg-config --libs $(LAZY_PKGS) 2>/dev/null)
COMPILE = $(CC) $(AW_CPPFLAGS) $(CPPFLAGS) $(AW_CFLAGS) $(CFLAGS) $(SANFLAGS)
LINK = $(CC) $(AW_CFLAGS) $(CFLAGS) $(SANFLAGS) $(LDFLAGS)

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
	src/access.c \
	src/lazy.c \
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
	src/remote.c \
	src/discover.c \
	src/detect.c \
	src/events.c \
	src/traffic.c \
	src/traffic-table.c \
	src/traffic-report.c \
	src/traffic-counts.c \
	src/traffic-cmd.c \
	src/traffic-signers.c \
	src/traffic-zones.c \
	src/traffic-encap.c \
	src/traffic-frag.c \
	src/capture.c \
	src/dnstap.c \
	src/dnstap-listen.c \
	src/tcpflow.c \
	src/tcpflow-stream.c \
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
	src/priv.c \
	src/fix.c \
	src/fix-trust.c \
	src/fix-xml.c \
	src/fix-smime.c \
	src/fix-apply.c
LIBOBJS = $(LIBSRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/dnstap.pb-c.o
UNITSRCS = $(wildcard tests/unit/test_*.c)
UNITBINS = $(UNITSRCS:tests/unit/%.c=$(BUILD)/tests/%)

# The fuzz targets (tests/fuzz, README "Fuzzing"): each fuzz_NAME.c links
# with replay.c into $(BUILD)/tests/test_fuzz_NAME, which `make check`
# runs under ASan+UBSan on every file of tests/fuzz/corpus/NAME/, and with
# libFuzzer into build-fuzz/fuzz/fuzz_NAME (`make fuzz`, clang).
FUZZNAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS = -Itests/fuzz -DFUZZ_SRCDIR='"$(CURDIR)"'
FUZZ_SECONDS ?= 60
FUZZ_SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps demo check test unit install clean lint bench dist deb rpm \
	fuzz fuzz-build fuzz-replay-clang FORCE
all: anchorwatch

deps:
	@sh packaging/deps.sh

# VERSION and PKGDATADIR reach the objects through -D: rebuild them when
# either changes.
$(BUILD)/defs: FORCE
	@mkdir -p $(BUILD)
	@printf '%s %s\n' '$(VERSION)' '$(PKGDATADIR)' | cmp -s - $@ || \
		printf '%s %s\n' '$(VERSION)' '$(PKGDATADIR)' >$@

$(BUILD)/%.o: src/%.c src/anchorwatch.h src/aw-formats.h src/aw-replay.h src/aw-traffic.h src/aw-fix.h src/aw-probe.h src/aw-bind.h src/aw-summary.h src/aw-plugin.h src/aw-priv.h src/aw-io.h $(wildcard src/lazy*.h) $(BUILD)/defs
	@mkdir -p $(BUILD)
	$(COMPILE) -c -o $@ $<

# protoc-c output (not committed): one rule makes both files.
$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: src/%.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --proto_path=src --c_out=$(BUILD)/gen $<

# Its calls of protobuf-c go through lazy.c's table, as dnstap.c's do.
$(BUILD)/dnstap.pb-c.o: $(BUILD)/gen/dnstap.pb-c.c $(BUILD)/gen/dnstap.pb-c.h \
	src/lazy.h src/lazy-protobuf.h
	$(COMPILE) -include src/lazy-protobuf.h -c -o $@ $<

$(BUILD)/dnstap.o $(BUILD)/tests/test_dnstap $(BUILD)/tests/test_dnstap_listen: \
	$(BUILD)/gen/dnstap.pb-c.h
$(BUILD)/dnstap.o $(BUILD)/dnstap-listen.o: src/dnstap-io.h
$(BUILD)/tcpflow.o $(BUILD)/tcpflow-stream.o: src/tcpflow-flow.h

$(BUILD)/libaw.a: $(LIBOBJS)
	rm -f $@ && ar rcs $@ $(LIBOBJS)

$(BUILD)/anchorwatch: $(BUILD)/main.o $(BUILD)/libaw.a
	$(LINK) -o $@ $(BUILD)/main.o $(BUILD)/libaw.a $(AW_LIBS)

anchorwatch: $(BUILD)/anchorwatch
	cp $(BUILD)/anchorwatch $@

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libaw.a
	@mkdir -p $(BUILD)/tests
	$(COMPILE) -Itests/unit -o $@ $< $(LDFLAGS) \
		$(BUILD)/libaw.a $(TEST_LIBS) -lcmocka

unit: $(UNITBINS) $(BUILD)/anchorwatch

# The unit tests alone: no network, no root, nothing installed (the
# package builds run it).
test: unit
	bash tests/run.sh $(UNITBINS)

$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(BUILD)/libaw.a
	@mkdir -p $(BUILD)/tests
	$(COMPILE) $(FUZZ_CFLAGS) -DFUZZ_NAME='"$*"' -o $@ $< \
		tests/fuzz/replay.c tests/fuzz/fuzz.c $(LDFLAGS) \
		$(BUILD)/libaw.a $(TEST_LIBS)

# The corpus replays are sanitizer tests: built with the sanitized units.
ifeq ($(SANITIZE),1)
unit: $(FUZZNAMES:%=$(BUILD)/tests/test_fuzz_%)
endif

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h \
    $(BUILD)/libaw.a
	@mkdir -p $(BUILD)/fuzz
	$(COMPILE) -fsanitize=fuzzer $(FUZZ_CFLAGS) -o $@ $< \
		tests/fuzz/fuzz.c $(LDFLAGS) $(BUILD)/libaw.a $(TEST_LIBS)

fuzz-build: $(FUZZNAMES:%=$(BUILD)/fuzz/fuzz_%)

# The corpus replays once more, built by clang under its ASan and UBSan
# into build-clang/: clang's UBSan checks what gcc's does not (a zero
# offset applied to a null pointer, found by fuzz_tcpflow), as libFuzzer
# does.  -O1: the replays are short, the build is most of their cost.
fuzz-replay-clang:
	$(MAKE) CC=clang CFLAGS="-O1 -g0 -Wno-unknown-warning-option" \
		BUILD=build-clang SANITIZE=1 \
		$(FUZZNAMES:%=build-clang/tests/test_fuzz_%)

# libFuzzer on every target in turn, FUZZ_SECONDS each (FUZZ_TARGETS: a
# few names instead), under nice; see tests/fuzz/run.sh.
fuzz:
	@sh packaging/deps.sh --fuzz
	$(MAKE) CC=clang CFLAGS="$(CFLAGS) -Wno-unknown-warning-option" \
		BUILD=build-fuzz SANFLAGS="$(FUZZ_SANFLAGS)" fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_TARGETS)

# The test command of the README: set up, build (plain and sanitized),
# run every test, end with "N passed, N failed".
# Both builds at once, one job per CPU unless -j was given.
CHECK_JOBS = $(if $(findstring j,$(filter-out --%,$(MAKEFLAGS))),,-j$$(nproc))
check: deps
	$(MAKE) $(CHECK_JOBS) all unit
	$(MAKE) $(CHECK_JOBS) SANITIZE=1 unit
	$(MAKE) $(CHECK_JOBS) fuzz-replay-clang
	bash tests/run.sh

demo: deps all
	sh tests/harness/demo.sh

bench: all
	@sh packaging/deps.sh --bench
	sh tests/bench/check-vs-unbound-anchor.sh
	sh tests/bench/traffic.sh

lint:
	mandoc -Tlint -Wwarning man/anchorwatch.8 man/anchorwatch.yaml.5

# Installed files that name other installed files follow the directories
# given here (the source files say /usr/sbin, /usr/lib/nagios/plugins and
# /etc/anchorwatch, as Debian installs them).
SUBST = sed -e 's|/usr/sbin/anchorwatch|$(SBINDIR)/anchorwatch|g' \
	-e 's|/usr/lib/nagios/plugins|$(PLUGINDIR)|g' \
	-e 's|/etc/anchorwatch/|$(SYSCONFDIR)/anchorwatch/|g'
# $(call install_conf,SOURCE,DIR,NAME): a configuration file is installed
# only where none exists, so that reinstalling never replaces an edited one.
define install_conf
	@install -d $(DESTDIR)$(2)
	@if [ -e $(DESTDIR)$(2)/$(3) ]; then \
		echo "install: kept $(DESTDIR)$(2)/$(3) (new one: $(1))"; \
	else \
		echo "install: $(DESTDIR)$(2)/$(3)"; \
		$(SUBST) $(1) >$(DESTDIR)$(2)/$(3).new && \
		chmod 0644 $(DESTDIR)$(2)/$(3).new && \
		mv $(DESTDIR)$(2)/$(3).new $(DESTDIR)$(2)/$(3); \
	fi
endef
# $(call install_subst,SOURCE,DIR): the same for files of the package.
define install_subst
	install -d $(DESTDIR)$(2)
	$(SUBST) $(1) >$(DESTDIR)$(2)/$(notdir $(1)).new
	chmod 0644 $(DESTDIR)$(2)/$(notdir $(1)).new
	mv $(DESTDIR)$(2)/$(notdir $(1)).new $(DESTDIR)$(2)/$(notdir $(1))
endef

# Everything a working system needs.  The system user and the state
# directory come from sysusers.d and tmpfiles.d: after installing by hand,
# run systemd-sysusers and systemd-tmpfiles --create (packages do).
install: anchorwatch
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(PLUGINDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(PKGDATADIR)/scenarios $(DESTDIR)$(DOCDIR)/examples \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 anchorwatch $(DESTDIR)$(SBINDIR)/anchorwatch
	ln -sfr $(DESTDIR)$(SBINDIR)/anchorwatch \
		$(DESTDIR)$(PLUGINDIR)/check_anchorwatch
	install -m 0644 man/anchorwatch.8 $(DESTDIR)$(MANDIR)/man8/anchorwatch.8
	install -m 0644 man/anchorwatch.yaml.5 \
		$(DESTDIR)$(MANDIR)/man5/anchorwatch.yaml.5
	install -m 0644 etc/anchorwatch/events.yaml \
		etc/anchorwatch/icannbundle.pem $(DESTDIR)$(PKGDATADIR)
	install -m 0644 etc/anchorwatch/scenarios/2017-2019.yaml \
		etc/anchorwatch/scenarios/2024-2027.yaml \
		$(DESTDIR)$(PKGDATADIR)/scenarios
	install -m 0644 etc/anchorwatch.yaml \
		packaging/icinga2/anchorwatch-service.conf \
		$(DESTDIR)$(DOCDIR)/examples
	install -m 0644 packaging/systemd/anchorwatch.sysusers \
		$(DESTDIR)$(SYSUSERSDIR)/anchorwatch.conf
	install -m 0644 packaging/systemd/anchorwatch.tmpfiles \
		$(DESTDIR)$(TMPFILESDIR)/anchorwatch.conf
	$(call install_subst,packaging/systemd/anchorwatch.service,$(UNITDIR))
	$(call install_subst,packaging/systemd/anchorwatch.timer,$(UNITDIR))
	$(call install_subst,packaging/icinga2/anchorwatch.conf,$(ICINGA2DIR))
	$(call install_conf,packaging/anchorwatch.yaml,$(SYSCONFDIR)/anchorwatch,anchorwatch.yaml)
	$(call install_conf,packaging/nrpe/anchorwatch.cfg,$(NRPEDIR),anchorwatch.cfg)
	$(call install_conf,packaging/cron.d/anchorwatch,$(CRONDIR),anchorwatch)

# ---- packages: build/pkg/ ------------------------------------------------

PKGBUILD = $(BUILD)/pkg
DISTNAME = anchorwatch-$(VERSION)
DISTFILES = LICENSE NEWS README.md VERSION Makefile src etc \
	man packaging tests
# The source tarball, from the work tree as it is (tests/out excluded).
dist: FORCE
	rm -rf $(PKGBUILD)/$(DISTNAME) && mkdir -p $(PKGBUILD)/$(DISTNAME)
	tar -cf - --exclude=tests/out $(wildcard $(DISTFILES)) | \
		tar -xf - -C $(PKGBUILD)/$(DISTNAME)
	tar -czf $(PKGBUILD)/$(DISTNAME).tar.gz --sort=name --owner=0 \
		--group=0 --numeric-owner -C $(PKGBUILD) $(DISTNAME)
	rm -rf $(PKGBUILD)/$(DISTNAME)

# The .deb, built from the tarball in build/pkg/deb/ (never in this tree:
# dh's clean would remove the tests' binaries): build/pkg/deb/*.deb.
deb: dist
	rm -rf $(PKGBUILD)/deb && mkdir -p $(PKGBUILD)/deb
	cp $(PKGBUILD)/$(DISTNAME).tar.gz \
		$(PKGBUILD)/deb/anchorwatch_$(VERSION).orig.tar.gz
	tar -xzf $(PKGBUILD)/$(DISTNAME).tar.gz -C $(PKGBUILD)/deb
	cp -R $(PKGBUILD)/deb/$(DISTNAME)/packaging/debian \
		$(PKGBUILD)/deb/$(DISTNAME)/debian
	cd $(PKGBUILD)/deb/$(DISTNAME) && dpkg-buildpackage -us -uc -b -J2
	@ls $(PKGBUILD)/deb/*.deb

# The .rpm, with a private _topdir: build/pkg/rpm/RPMS/*/*.rpm.  The build
# dependencies are Debian's here, hence --nodeps.
rpm: dist
	rm -rf $(PKGBUILD)/rpm && mkdir -p $(PKGBUILD)/rpm/SOURCES
	cp $(PKGBUILD)/$(DISTNAME).tar.gz packaging/systemd/anchorwatch.sysusers \
		$(PKGBUILD)/rpm/SOURCES
	rpmbuild -bb --nodeps --define '_topdir $(abspath $(PKGBUILD)/rpm)' \
		packaging/rpm/anchorwatch.spec
	@ls $(PKGBUILD)/rpm/RPMS/*/*.rpm

clean:
	rm -rf build build-san build-fuzz build-clang anchorwatch
