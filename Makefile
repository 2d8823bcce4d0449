# Thin front door; the work is in harness/tools/*.sh.
#   make check                          every configuration, every suite
#   make check NAPUTIL_IMPL=/abs/f.c    the same against an outside implementation
#   make check-plain | check-asan | check-valgrind   one configuration
#   make fuzz [FUZZ_TIME=60] [FUZZ_TARGET=connections]
#   make bench
NAPUTIL_IMPL ?=
FUZZ_TIME ?= 60
FUZZ_TARGET ?= connections
export NAPUTIL_IMPL FUZZ_TIME FUZZ_TARGET

TOOLS := harness/tools

.PHONY: check check-plain check-asan check-valgrind fuzz bench deps clean

check:
	@bash $(TOOLS)/check.sh all

check-plain check-asan check-valgrind:
	@bash $(TOOLS)/check.sh $(patsubst check-%,%,$@)

fuzz:
	@bash $(TOOLS)/fuzz.sh

# Each planted bug in fuzz/planted/ must be found by the connections target
# within 60 s (a test of the fuzzer; slow, so not part of make check).
.PHONY: fuzz-selftest
fuzz-selftest:
	@bash $(TOOLS)/fuzz.sh selftest

bench:
	@bash $(TOOLS)/bench.sh

# Runs the asan and valgrind configurations and lists suppressions no run used.
.PHONY: suppressions-audit
suppressions-audit:
	@bash $(TOOLS)/suppressions-audit.sh

deps:
	@bash $(TOOLS)/install-deps.sh base clang valgrind fuzz

clean:
	rm -rf build
