# shellcheck shell=bash
# The tool configurations of make check, sourced by check.sh.  Each one is a
# build directory plus a Meson test setup of the same name (meson.build): the
# setup says which suites the configuration runs, so that
# `meson test -C DIR --setup NAME` alone does what make check does.  A tool
# configuration's verdict is read from the tool's own report files by its
# wrapper (valgrind-wrap.sh, sanitizer-wrap.sh, tsan-wrap.sh), never from
# Criterion's exit status alone (docs/TOOLCHAIN-NOTES.md s.1: Criterion hides what a
# tool finds at worker exit).
#
#   plain     gcc, build/plain, no tool: every suite but the canaries
#   asan      clang-14 with ASan+UBSan (LSan on), build/asan
#   valgrind  Memcheck over the plain build
#   tsan      clang-14 with ThreadSanitizer, build/tsan: only the thread
#             probe (suite 'threads') is built and run there
# An outside implementation (NAPUTIL_IMPL) gets build/impl/<name>-<hash>/
# instead, keyed by its paths and content (impl-spec.sh).  A configuration's
# compiler and flags are its Meson native file, harness/tools/native/<name>.ini,
# so that a build directory made by hand with it is the same as make check's.

# shellcheck disable=SC2034  # used by check.sh
ALL_CONFIGS=(plain asan valgrind tsan)

# Debian package groups a configuration needs (see install-deps.sh).
config_deps() {
  case "$1" in
    plain) echo "" ;;
    asan|tsan) echo "clang" ;;
    valgrind) echo "valgrind" ;;
    *) echo "make check: unknown configuration '$1' (known: ${ALL_CONFIGS[*]})" >&2; return 2 ;;
  esac
}

# Build directory of a configuration.  Valgrind needs no build of its own:
# it runs over the plain one.  NAPUTIL_BUILD_PREFIX lets an experiment use
# build/<prefix>plain etc. instead of the shared directories.
config_builddir() {
  local name=$1 key=$2
  [ "$name" = valgrind ] && name=plain
  if [ -n "$key" ]; then
    echo "$ROOT/build/${NAPUTIL_BUILD_PREFIX:-}impl/$key/$name"
  else
    echo "$ROOT/build/${NAPUTIL_BUILD_PREFIX:-}$name"
  fi
}

# The Meson test log a configuration writes in its build directory (Meson
# names a setup's log testlog-<setup>, so valgrind's run over the plain
# directory never overwrites plain's).
config_testlog() {
  echo "$2/meson-logs/testlog-$1.json"
}

# Holds an exclusive lock on a build directory for the rest of check.sh, so
# that two runs that would share it (same implementation, same checkout)
# take turns instead of mixing their builds and verdicts; says so when it
# has to wait.
declare -A LOCKED_DIRS=()
lock_builddir() {
  local dir=$1 fd
  [ -n "${LOCKED_DIRS[$dir]:-}" ] && return 0   # valgrind reuses plain's
  mkdir -p "$(dirname "$dir")"
  exec {fd}>"$dir.lock"
  if ! flock -n "$fd"; then
    echo "make check: $dir is in use by another run; waiting for it to finish (lock $dir.lock)"
    flock "$fd" || return 1
    echo "make check: $dir is free, going on"
  fi
  LOCKED_DIRS[$dir]=$fd
}

# Configures a build directory the first time.
setup_builddir() {
  local dir=$1 impl=$2; shift 2
  # A directory is keyed by its implementation (or is lib's), so an
  # existing one already has the right naputil_impl: ninja reconfigures by
  # itself when a meson.build changed.
  if [ ! -f "$dir/build.ninja" ]; then
    mkdir -p "${dir%/*}" # its log sits beside it: a bare make in a fresh clone has no build/
    guarded meson setup "$dir" -Dnaputil_impl="$impl" "$@" >"$dir.setup.log" 2>&1 || {
      grep -v -E '^(The Meson build system|Version:|Source dir:|Build dir:|Build type:|Project |C compiler|C linker|Host machine|Found |Run-time dependency|Library |Message:|Program |Dependency |Build targets|$)' \
        "$dir.setup.log" | tail -20 >&2
      echo "make check: meson setup failed in $dir (full log: $dir.setup.log)" >&2
      return 1
    }
  fi
}

# What ninja printed for the steps that failed: the compiler's or linker's
# own lines, without the (long) command lines that precede them.
failed_steps() {
  awk '/^FAILED: /{fail=1; skip=1; print; next}
       /^\[[0-9]+\/[0-9]+\] /{fail=0; next}
       /^ninja: build stopped/{if (!stopped++) print; next}
       fail && skip {skip=0; next}
       fail {print}' "$1" | head -60
  # gcc and clang name C++ keywords only as unknown type names.
  if grep -qE "unknown type name .(class|namespace|template|typename)." "$1"; then
    echo "make check: this looks like C++ (class/namespace/template), not C: the harness builds C11 implementations only"
  fi
}

# An outside implementation's run (NAPUTIL_IMPL) runs only the suites that
# call it: the harness's self-tests (core), the cJSON client, the examples
# and the runner's tests prove the harness with lib/, and cost a run on
# another implementation minutes that say nothing about it.
IMPL_SUITES=(contract faults shape fuzz-replay threads)
IMPL_NOT_SUITES=(cjson core)

# The Meson native file that makes a build directory a configuration's
# (compiler, sanitizers, flags): harness/tools/native/<name>.ini.  Valgrind
# runs over the plain build, so it uses plain's.
config_native_file() {
  local name=$1
  [ "$name" = valgrind ] && name=plain
  local file=$TOOLS/native/$name.ini
  [ -f "$file" ] || { echo "configs.sh: unknown configuration '$1'" >&2; return 2; }
  echo "$file"
}

# Configures DIR for configuration NAME and builds it; with SELECTED set,
# only the implementation under test: `meson test` then builds what the
# selected tests need (run_config).
# Usage: build_config NAME DIR IMPL [SELECTED]
build_config() {
  local name=$1 dir=$2 impl=$3 selected=${4:-} native
  native=$(config_native_file "$name") || return 2
  # (A machine file's compiler wins over a CC in the environment.)
  setup_builddir "$dir" "$impl" --native-file "$native" || return 1
  # The implementation under test alone first: its missing or forbidden
  # symbols are named before any link could fail on them.
  if ! guarded meson compile -C "$dir" naputil_under_test >"$dir.compile.log" 2>&1; then
    failed_steps "$dir.compile.log" >&2
    echo "make check: the implementation under test does not compile (full log: $dir.compile.log)" >&2
    return 1
  fi
  bash "$TOOLS/impl-symbols.sh" "$dir/libnaputil_under_test.a" || return 1
  [ -n "$selected" ] && return 0
  if ! guarded meson compile -C "$dir" >>"$dir.compile.log" 2>&1; then
    failed_steps "$dir.compile.log" >&2
    echo "make check: build failed in $dir (full log: $dir.compile.log)" >&2
    return 1
  fi
}

# Runs one configuration's suites.  The console shows one line per test;
# failure details come from summarize.py, filtered to what names the fault.
# NAPUTIL_TESTS (test names, space-separated) narrows a run to those tests,
# for the runner's own tests.
run_config() {
  local name=$1 dir=$2 impl=$3
  local log
  log=$(config_testlog "$name" "$dir")
  rm -f "$log"   # a stale log must not speak for a run that did not happen
  # `meson test` builds what the selected tests need (the setup's suites,
  # NAPUTIL_TESTS, an outside implementation's suites), through
  # ninja-logged.sh (the same log and failure lines as build_config): the
  # asan build skips the benchmarks it never runs.  Only plain's full run of
  # lib/ builds everything first: its install tests install the whole build
  # (meson install --no-rebuild) and valgrind runs over it.
  local selected=1
  [ "$name" = plain ] && [ -z "${NAPUTIL_TESTS:-}" ] && [ -z "$impl" ] && selected=""
  build_config "$name" "$dir" "$impl" "$selected" || return 1
  local args=(--num-processes "$(nproc)" --setup "$name")
  [ -z "$selected" ] && args+=(--no-rebuild)
  [ -n "${NAPUTIL_TIMEOUT_MULTIPLIER:-}" ] && args+=(--timeout-multiplier "$NAPUTIL_TIMEOUT_MULTIPLIER")
  # NAPUTIL_TEST_WRAPPER, a command every test runs under (gdb, rr; the
  # runner's own tests), is applied by plain-wrap.sh: Meson refuses a
  # --wrapper beside a setup's exe_wrapper, and every setup has one.
  local -a only
  read -r -a only <<<"${NAPUTIL_TESTS:-}"
  args+=("${only[@]}")
  # Meson's --suite overrides a setup's exclusions: the tsan setup already
  # runs the thread probes only, the one impl suite ThreadSanitizer can run
  # (Criterion's suites abort under it), so it gets no --suite.
  if [ -n "$impl" ] && [ ${#only[@]} -eq 0 ] && [ "$name" != tsan ]; then
    local s
    for s in "${IMPL_SUITES[@]}"; do args+=(--suite "$s"); done
    for s in "${IMPL_NOT_SUITES[@]}"; do args+=(--no-suite "$s"); done
  fi
  export NAPUTIL_REPORT_DIR="$dir/tool-reports/$name"
  rm -rf "$NAPUTIL_REPORT_DIR"
  mkdir -p "$NAPUTIL_REPORT_DIR"
  local status TIMEFORMAT="=== configuration '$name': tests took %0R s wall, %0U s user + %0S s sys CPU"
  # CPU time is the figure to compare: wall time depends on the machine's load.
  # Only a run that builds sets NINJA; the tests that set up builds of their
  # own (examples/, the install tests) unset it, as an outside user has none.
  local ninja=""
  [ -n "$selected" ] && ninja=$TOOLS/ninja-logged.sh
  time {
    # shellcheck disable=SC2016
    NINJA=$ninja guarded bash -c \
      'meson test -C "$0" "$@" 2>&1 | grep -v -E "^(>>> |Could not rebuild |\$)"; exit "${PIPESTATUS[0]}"' \
      "$dir" "${args[@]}"
    status=$?
    # 125: Meson's "could not rebuild"; ninja-logged.sh said what failed
    # and no test ran, so there is no time to show.
    [ "$status" -eq 125 ] && TIMEFORMAT=""
  }
  return "$status"
}

# The names of the tests a Meson test log records as timed out, joined by
# ", " (empty when none).
timed_out_tests() {
  "$(pick_python)" "$ROOT/harness/report/testlog.py" timed-out "$1"
}
