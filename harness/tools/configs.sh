# shellcheck shell=bash
# The tool configurations of make check, sourced by check.sh.  Each one is a
# build directory plus a Meson test setup; a tool configuration's verdict is
# read from the tool's own report files by its wrapper (valgrind-wrap.sh,
# sanitizer-wrap.sh via tool_reports.py), never from Criterion's exit status
# alone (docs/TOOLCHAIN-NOTES.md s.1: Criterion hides what a tool finds at worker exit).
#
#   plain     gcc, build/plain, no tool: every suite but the canaries (the
#             zoo and bench live here only: they are too slow under a tool)
#   asan      clang-14 with ASan+UBSan (LSan on), build/asan, setup 'asan'
#   valgrind  Memcheck over the plain build, setup 'valgrind'
# Both tool configurations run TOOL_SUITES; a suite that does not exist yet
# selects nothing (meson 1.0: 'No suitable tests defined', exit 0).

# shellcheck disable=SC2034  # used by check.sh
ALL_CONFIGS=(plain asan valgrind)
TOOL_SUITES=(core contract faults shape fuzz-replay canary)

# Debian package groups a configuration needs (see install-deps.sh).
config_deps() {
  case "$1" in
    plain) echo "" ;;
    asan) echo "clang" ;;
    valgrind) echo "valgrind" ;;
    *) echo "configs.sh: unknown configuration '$1'" >&2; return 2 ;;
  esac
}

# Build directory of a configuration; outside implementations get their own
# so that lib/'s builds are never clobbered.  Valgrind needs no build of its
# own: it runs over the plain one.  NAPUTIL_BUILD_PREFIX lets an experiment
# use build/<prefix>plain etc. instead of the shared directories.
config_builddir() {
  local name=$1 impl=$2
  [ "$name" = valgrind ] && name=plain
  if [ -n "$impl" ]; then
    echo "$ROOT/build/${NAPUTIL_BUILD_PREFIX:-}impl-$name"
  else
    echo "$ROOT/build/${NAPUTIL_BUILD_PREFIX:-}$name"
  fi
}

# The Meson test log a configuration writes in its build directory (meson
# names a setup's log testlog-<setup>; plain gets its own name so that the
# valgrind run over the same directory never overwrites it).
config_testlog() {
  echo "$2/meson-logs/testlog-$1.json"
}

# Configures (or reconfigures for a new NAPUTIL_IMPL) a build directory.
setup_builddir() {
  local dir=$1 impl=$2; shift 2
  mkdir -p "$(dirname "$dir")"
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" -Dnaputil_impl="$impl" >/dev/null || return 1
  else
    meson setup "$dir" -Dnaputil_impl="$impl" "$@" >"$dir.setup.log" 2>&1 || {
      cat "$dir.setup.log" >&2
      return 1
    }
  fi
}

build_config() {
  local name=$1 dir=$2 impl=$3
  case "$name" in
    plain|valgrind)
      CC=gcc setup_builddir "$dir" "$impl" || return 1 ;;
    asan)
      # b_lundef=false: required for shared libraries with sanitizers.
      CC=clang-14 setup_builddir "$dir" "$impl" \
        -Db_sanitize=address,undefined -Db_lundef=false \
        "-Dc_args=['-fno-sanitize-recover=all','-fno-omit-frame-pointer']" || return 1 ;;
    *) echo "configs.sh: unknown configuration '$name'" >&2; return 2 ;;
  esac
  meson compile -C "$dir" >"$dir.compile.log" 2>&1 || {
    grep -E 'error|FAILED' "$dir.compile.log" | head -40 >&2
    echo "make check: build failed in $dir (full log: $dir.compile.log)" >&2
    return 1
  }
}

# Runs one configuration's suites.  The console shows one line per test;
# failure details come from summarize.py, filtered to what names the fault.
run_config() {
  local name=$1 dir=$2 impl=$3
  local log
  log=$(config_testlog "$name" "$dir")
  rm -f "$log"   # a stale log must not speak for a run that did not happen
  build_config "$name" "$dir" "$impl" || return 1
  local args=(--no-rebuild --num-processes 2)
  case "$name" in
    plain) args+=(--logbase testlog-plain --no-suite canary) ;;
    asan|valgrind)
      args+=(--setup "$name")
      for s in "${TOOL_SUITES[@]}"; do args+=(--suite "$s"); done ;;
  esac
  # Criterion then names passing tests too, so the JUnit files list them.
  export CRITERION_VERBOSITY_LEVEL=1
  export NAPUTIL_REPORT_DIR="$dir/tool-reports/$name"
  rm -rf "$NAPUTIL_REPORT_DIR"
  mkdir -p "$NAPUTIL_REPORT_DIR"
  local status TIMEFORMAT="=== configuration '$name': tests took %0R s wall, %0U s user + %0S s sys CPU"
  # CPU time is the figure to compare: wall time depends on the machine's load.
  time {
    meson test -C "$dir" "${args[@]}" 2>&1 | grep -v -E '^(>>> |$)'
    status=${PIPESTATUS[0]}
  }
  return "$status"
}
