# kioskd: the two commands of the README are `make demo` and `make test`.
# Both install the Debian packages they need when missing, build, then run.

SWIFT        ?= swift
BUILD_FLAGS  ?=
# Debian packages: SQLite, CUPS and libqrencode headers for the build, and the CJK font
# documents embed; pyte (an independent terminal emulator) and systemd-analyze for the
# tests, a private cupsd with lp/ipptool for the printing tests and bench, poppler to read
# the PDFs back, zbarimg to read the payment QR codes back, python3-cryptography for the
# independent ledger verifier; unicode-data for the width table; chromium (headless) to
# render case-service's fleet page; gdb for the stacks of a kioskd that does not stop in a test.
APT_BUILD    := libsqlite3-dev libcups2-dev libqrencode-dev fonts-wqy-microhei
APT_TEST     := gdb python3 python3-pyte python3-cryptography sqlite3 systemd cups-daemon cups-client cups-ipp-utils poppler-utils zbar-tools prometheus chromium
# PyPI packages for Debian's python3 (scripts/pip-ensure): varlink, the reference Varlink
# client the control-socket test calls every method with; schemathesis, pinned, which fuzzes
# case-service against its contract (Tests/EndToEndTests/CaseServiceSchemathesisEndToEndTests.swift).
PIP_TEST     := varlink schemathesis==4.32.5:schemathesis
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# `make bench BENCH=outbox` runs one benchmark (startup, status, printing, outbox, idle,
# terminals, terminals-flood); the release build lives in .build-release, so it never
# holds the debug build's lock.
BENCH        ?=
# libFuzzer (scripts/fuzz): `make fuzz` runs every target FUZZ_SECONDS each (or only
# FUZZ_TARGETS, e.g. `make fuzz FUZZ_TARGETS=escpos`); `make test` (and so CI, .ci/run)
# gives each a short pass of FUZZ_TEST_SECONDS on a quicker build (scripts/fuzz --quick).
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 2
FUZZ_TARGETS ?= all
# How many tests run at once (Swift Testing's own limit). Unbounded, every suite started its
# daemons, cupsds and case-services together on the two cores, and the test process went
# quiet for 30 s and more about one run in three, failing tests that wait for a reply; at 8
# the full suite passed in 65 s instead of failing in 160 s.
TEST_WIDTH   ?= 8
BIN          := $(shell $(SWIFT) build $(BUILD_FLAGS) --show-bin-path 2>/dev/null)
# The release build (bench, install, deb): the Swift runtime linked in, so the binaries need
# only Debian's libraries; it lives in .build-release and never holds the debug build's lock.
RELEASE_FLAGS := -c release --static-swift-stdlib --scratch-path .build-release
RELEASE_BIN   = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path 2>/dev/null)
# Where `make install` puts things (GNU names; DESTDIR for staging). Units, sysusers and
# tmpfiles go where systemd looks for them under PREFIX; the config always under SYSCONFDIR.
PREFIX       ?= /usr/local
SYSCONFDIR   ?= /etc
BINDIR       ?= $(PREFIX)/bin
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
DOCDIR       ?= $(DATADIR)/doc/kioskd
UNITDIR      ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR  ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR  ?= $(PREFIX)/lib/tmpfiles.d
CATALOGDIR   ?= $(PREFIX)/lib/systemd/catalog
# systemd 253 and later reload kioskd as Type=notify-reload (a drop-in); older ones, like
# Debian 12's 252, with the unit's ExecReload. Set it to install for another machine.
SYSTEMD_VERSION ?= $(shell systemctl --version 2>/dev/null | awk 'NR == 1 { print $$2 }')

.PHONY: demo test soak bench build deps test-deps check-units fuzz width-table pinyin-table openapi clean \
        release man install install-case-service deb package-test

demo: deps build
	$(BIN)/kioskd --demo

test: deps test-deps
	$(SWIFT) build $(BUILD_FLAGS) --build-tests
	$(MAKE) --no-print-directory check-units
	@# The build leaves gigabytes to write back; the tests' fsyncs should not queue behind them.
	sync
	@# scripts/run-tests ends a failed run with the failed tests, the ones running when a crash
	@# stopped the process, and the crash's frames: CI shows only the output's tail.
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) SWIFT=$(SWIFT) scripts/run-tests .build/test.log $(BUILD_FLAGS) --skip-build
	scripts/fuzz --quick all $(FUZZ_TEST_SECONDS)

# The long drills (short versions run in `make test`), ending with one table of their
# figures (scripts/soak-table); fails if a test failed or any drill lost, duplicated, broke
# integrity or printed twice:
#   payments kill -9: 1,000 kills while kioskd records payments (50 in `make test`);
#   printer faults: 25 rounds of cupsd stopped, killed mid-job, queue disabled, device
#     unreachable (1 round in `make test`);
#   central outage: 50 kiosks through 4 simulated hours of outage with 40 applications each
#     (20 minutes and 6 each in `make test`);
#   mixed load kill -9: 1,000 kills while a citizen applies on a pty, payers pay, slips
#     print and a technician polls (50 in `make test`).
# The terminal flood drill is timing, so it is a benchmark: `make bench BENCH=terminals-flood`.
SOAK_ENV     ?= KIOSKD_PAYMENT_CYCLES=1000 KIOSKD_PRINTER_FAULT_ROUNDS=25 KIOSKD_OUTAGE_MINUTES=240 KIOSKD_OUTAGE_APPLICATIONS=40 \
                KIOSKD_MIXED_CYCLES=1000
SOAK_FILTER  := PaymentCrashEndToEndTests|PrinterFaultsEndToEndTests|CentralOutageDrillTests|MixedLoadCrashEndToEndTests
soak: deps test-deps
	$(SWIFT) build $(BUILD_FLAGS) --build-tests
	{ $(SOAK_ENV) SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) $(SWIFT) test $(BUILD_FLAGS) --skip-build --filter '$(SOAK_FILTER)' 2>&1; \
	  echo "tests exited $$?"; } | tee .build/soak.log
	@scripts/soak-table .build/soak.log

bench: deps test-deps
	scripts/apt-ensure wrk
	$(SWIFT) build $(RELEASE_FLAGS)
	$(RELEASE_BIN)/kioskd-bench $(BENCH)

build:
	$(SWIFT) build $(BUILD_FLAGS)

# Installs what is missing, and nothing when everything is there.
deps:
	@scripts/apt-ensure $(APT_BUILD)

test-deps:
	@scripts/apt-ensure $(APT_TEST)
	@scripts/pip-ensure $(PIP_TEST)

# The shipped unit files must pass systemd's own checker.
check-units: build
	scripts/check-units $(BIN)

# libFuzzer on the parsers and encoders (scripts/fuzz); seeds in Fuzz/corpus/, what the
# fuzzer adds in .build-fuzz/corpus/, failing inputs in .build-fuzz/artifacts/.
fuzz:
	for target in $(FUZZ_TARGETS); do scripts/fuzz $$target $(FUZZ_SECONDS) || exit 1; done

# Regenerates the display width table from Debian's Unicode Character Database.
# Regenerates the committed OpenAPI client, server and types from Resources/openapi/.
openapi:
	$(SWIFT) build -c release --package-path scripts/openapi-generator --scratch-path .build-openapi --product swift-openapi-generator
	rm -rf Sources/CaseServiceAPI/Generated
	.build-openapi/release/swift-openapi-generator generate \
	  --config Resources/openapi/openapi-generator-config.yaml \
	  --output-directory Sources/CaseServiceAPI/Generated Resources/openapi/case-service.yaml
	# Swift 6.3 warns on the generator's unused `public import`s (it silences them only from
	# 6.4 on); a plain import is public in Swift 6 mode anyway, so the code means the same.
	sed -i 's/^\(@_spi(Generated) \)\{0,1\}public import /\1import /' Sources/CaseServiceAPI/Generated/*.swift

width-table:
	@scripts/apt-ensure unicode-data
	python3 scripts/generate-width-table.py

# Regenerates the pinyin table of search from Unihan's readings in Debian's unicode-data.
pinyin-table:
	@scripts/apt-ensure unicode-data
	python3 scripts/generate-pinyin-table.py

clean:
	rm -rf .build

# The release binaries (for install and the Debian packages).
release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

# Man pages generated from the commands themselves by swift-argument-parser's
# generate-manual (built from the checkout the release build resolved), into .build-release/man.
man: release
	$(SWIFT) build -c release --package-path .build-release/checkouts/swift-argument-parser \
	  --scratch-path .build-manual --product generate-manual
	rm -rf .build-release/man && mkdir -p .build-release/man
	.build-manual/release/generate-manual $(RELEASE_BIN)/kioskctl --section 1 --date 2026-12-01 -o .build-release/man
	.build-manual/release/generate-manual $(RELEASE_BIN)/kioskd --section 8 --date 2026-12-01 -o .build-release/man
	.build-manual/release/generate-manual $(RELEASE_BIN)/case-service --section 1 --date 2026-12-01 -o .build-release/man

# kioskd, kioskctl, their units, users, config, catalog, man pages, completions and docs.
# Paths inside the units follow PREFIX and SYSCONFDIR.
install: release man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/kioskd $(DESTDIR)$(DATADIR)/kioskd $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
	  $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR)/bash-completion/completions \
	  $(DESTDIR)$(DATADIR)/zsh/vendor-completions $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 0755 $(RELEASE_BIN)/kioskd $(RELEASE_BIN)/kioskctl $(DESTDIR)$(BINDIR)/
	for unit in kioskd.service kioskd.socket kioskd-attach@.service; do \
	  sed -e 's#/usr/bin/#$(BINDIR)/#g' -e 's#/usr/share/doc/kioskd#$(DOCDIR)#g' -e 's#/etc/kioskd#$(SYSCONFDIR)/kioskd#g' \
	    systemd/$$unit > $(DESTDIR)$(UNITDIR)/$$unit && chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit; done
	install -m 0644 systemd/kioskd.sysusers $(DESTDIR)$(SYSUSERSDIR)/kioskd.conf
	install -m 0644 systemd/kioskd.tmpfiles $(DESTDIR)$(TMPFILESDIR)/kioskd.conf
	install -D -m 0644 systemd/kioskd.catalog $(DESTDIR)$(CATALOGDIR)/kioskd.catalog
	if [ "$(SYSTEMD_VERSION)" -ge 253 ] 2>/dev/null; then \
	  install -D -m 0644 systemd/kioskd.service.d/notify-reload.conf $(DESTDIR)$(UNITDIR)/kioskd.service.d/notify-reload.conf; fi
	install -m 0644 Resources/kioskd.toml $(DESTDIR)$(SYSCONFDIR)/kioskd/kioskd.toml
	cp -R Resources/catalog Resources/locales Resources/templates Resources/prometheus Resources/varlink $(DESTDIR)$(DATADIR)/kioskd/
	chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/kioskd
	install -m 0644 .build-release/man/kioskctl*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 .build-release/man/kioskd.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	$(RELEASE_BIN)/kioskctl --generate-completion-script bash > $(DESTDIR)$(DATADIR)/bash-completion/completions/kioskctl
	$(RELEASE_BIN)/kioskctl --generate-completion-script zsh > $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_kioskctl
	$(RELEASE_BIN)/kioskctl --generate-completion-script fish > $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/kioskctl.fish

# The reference central service, for its own package.
install-case-service: release man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/case-service
	install -m 0755 $(RELEASE_BIN)/case-service $(DESTDIR)$(BINDIR)/
	install -m 0644 .build-release/man/case-service.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 Resources/openapi/case-service.yaml $(DESTDIR)$(DATADIR)/case-service/

# kioskd_VERSION_ARCH.deb and case-service_VERSION_ARCH.deb in .build-deb, with debhelper
# (debian/), then checked by lintian.
deb: deps
	@scripts/apt-ensure debhelper lintian fakeroot
	scripts/build-deb .build-deb

# Installs the packages into a Debian 12 root made by debootstrap (cached) and runs them there.
package-test: deb
	@scripts/apt-ensure debootstrap
	scripts/package-test .build-deb
