# kioskd: the two commands of the README are `make demo` and `make test`.
# Both install the Debian packages they need when missing, build, then run.

SWIFT        ?= swift
BUILD_FLAGS  ?=
# Debian packages: SQLite, CUPS and libqrencode headers for the build, and the CJK font
# documents embed; pyte (an independent terminal emulator) and systemd-analyze for the
# tests, a private cupsd with lp/ipptool for the printing tests and bench, poppler to read
# the PDFs back, zbarimg to read the payment QR codes back, python3-cryptography for the
# independent ledger verifier; unicode-data for the width table.
APT_BUILD    := libsqlite3-dev libcups2-dev libqrencode-dev fonts-wqy-microhei
APT_TEST     := python3 python3-pyte python3-cryptography sqlite3 systemd cups-daemon cups-client cups-ipp-utils poppler-utils zbar-tools prometheus
# PyPI packages for Debian's python3 (scripts/pip-ensure): varlink, the reference Varlink
# client the control-socket test calls every method with; schemathesis, pinned, which fuzzes
# case-service against its contract (Tests/EndToEndTests/CaseServiceSchemathesisEndToEndTests.swift).
PIP_TEST     := varlink schemathesis==4.32.5:schemathesis
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# `make bench BENCH=outbox` runs one benchmark (startup, status, printing, outbox, idle,
# terminals); the release build lives in .build-release, so it never holds the debug build's lock.
BENCH        ?=
# libFuzzer (scripts/fuzz): `make fuzz` runs every target FUZZ_SECONDS each (or only
# FUZZ_TARGETS, e.g. `make fuzz FUZZ_TARGETS=escpos`); `make test` (and so CI, .ci/run)
# gives each a short pass of FUZZ_TEST_SECONDS on a quicker build (scripts/fuzz --quick).
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 2
FUZZ_TARGETS ?= all
BIN          := $(shell $(SWIFT) build $(BUILD_FLAGS) --show-bin-path 2>/dev/null)

.PHONY: demo test soak bench build deps test-deps check-units fuzz width-table pinyin-table openapi clean

demo: deps build
	$(BIN)/kioskd --demo

test: deps test-deps
	$(SWIFT) build $(BUILD_FLAGS) --build-tests
	$(MAKE) --no-print-directory check-units
	@# The build leaves gigabytes to write back; the tests' fsyncs should not queue behind them.
	sync
	$(SWIFT) test $(BUILD_FLAGS) --skip-build
	scripts/fuzz --quick all $(FUZZ_TEST_SECONDS)

# The long drills: 1,000 kill -9 cycles while kioskd records payments (50 in `make test`).
soak: deps test-deps
	$(SWIFT) build $(BUILD_FLAGS) --build-tests
	KIOSKD_PAYMENT_CYCLES=1000 $(SWIFT) test $(BUILD_FLAGS) --skip-build --filter PaymentCrashEndToEndTests

bench: deps test-deps
	scripts/apt-ensure wrk
	$(SWIFT) build -c release --scratch-path .build-release
	$$($(SWIFT) build -c release --scratch-path .build-release --show-bin-path)/kioskd-bench $(BENCH)

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
