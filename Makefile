# Thin front door; the work is in harness/tools/*.sh.
#   make                                builds the plain configuration, runs nothing
#   make check                          every configuration, every suite
#   make check NAPUTIL_IMPL=/abs/f.c    the same against an outside implementation
#   make check-plain | check-asan | check-valgrind | check-tsan   one configuration
#   make fuzz [FUZZ_TIME=60] [FUZZ_TARGET=connections]
#   make fuzz-regress ARTIFACT=path     a crash as a named regression
#   make bench
NAPUTIL_IMPL ?=
FUZZ_TIME ?= 60
FUZZ_TARGET ?= connections
export NAPUTIL_IMPL FUZZ_TIME FUZZ_TARGET

TOOLS := harness/tools

.PHONY: build check check-plain check-asan check-valgrind check-tsan fuzz bench deps clean

# The first target is what a bare `make` does: build, never test.
build:
	@bash $(TOOLS)/build.sh

check:
	@bash $(TOOLS)/check.sh all

check-plain check-asan check-valgrind check-tsan:
	@bash $(TOOLS)/check.sh $(patsubst check-%,%,$@)

fuzz:
	@bash $(TOOLS)/fuzz.sh

# Each planted bug (fuzz/planted/*.patch) must be found within 60 s by the
# target its "fuzz-target:" line names (a test of the fuzzer; slow, so not
# part of make check).
.PHONY: fuzz-selftest
fuzz-selftest:
	@bash $(TOOLS)/fuzz.sh selftest

# Files a crash as a minimised, named regression that make check replays:
#   make fuzz-regress ARTIFACT=fuzz/artifacts/connections/crash-...
.PHONY: fuzz-regress
fuzz-regress:
	@FUZZ_TARGET_SET='$(if $(filter command line,$(origin FUZZ_TARGET)),$(FUZZ_TARGET))' \
	  bash $(TOOLS)/fuzz.sh regress '$(ARTIFACT)'

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
