#!/usr/bin/env bash
# check_jansson.sh SRCROOT BUILDROOT WORKDIR
# Proves that a project outside the tree can check a real Debian library
# with the INSTALLED memharness only (issue 20): this build is installed
# under a staging directory, examples/jansson is built against that install
# alone (pkg-config and PATH, no subproject, no include of this tree) with
# gcc and with clang-14 under ASan+UBSan and under TSan, and the installed
# `memharness run --tool X` must
#   - pass the correct checks in all four configurations (plain, asan,
#     valgrind, tsan), with jansson 2.14's three known bugs shown as waived;
#   - fail the planted caller, naming its NULL dereference at its fault
#     point with its stack and, at a later point, its leak: the sweep went
#     on after the crash (plain, asan).  Under valgrind a sweep runs in the
#     process, so there the call guard names the crash and the run ends.
set -uo pipefail
src=$1 build=$2 work=$3
example=$src/examples/jansson
rm -rf "$work"
mkdir -p "$work"
# An outside user's environment: no report directory of make check's.
unset NAPUTIL_REPORT_DIR NAPUTIL_PROGRESS_DIR MEMHARNESS_REPORT_DIR MEMHARNESS_PROGRESS_DIR \
  NAPUTIL_TOOL MEMHARNESS_TOOL CRITERION_OUTPUTS NAPUTIL_WAIVERS MEMHARNESS_WAIVERS NINJA

failures=0
fail() { echo "check_jansson: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "check_jansson: ok: $*"; }
die() { echo "check_jansson: $*" >&2; exit 1; }

pkg-config --exists jansson ||
  die "jansson is not installed (Debian: apt-get install libjansson-dev)"

# 1. The install, staged; its .pc files relocated to the stage, as a
# package manager would.
stage=$work/stage
# The tests that install this build run in parallel, each into its own
# stage; the lock keeps their installs (which share the build dir's
# meson-logs/install-log.txt) one at a time.
flock "$build/meson-logs/install.lock" \
  meson install -C "$build" --no-rebuild --tags devel --destdir "$stage" >"$work/install.log" 2>&1 ||
  { tail -20 "$work/install.log" >&2; die "meson install of the library failed"; }
mh=$(find "$stage" -path '*/bin/memharness' -type f | head -n 1)
[ -x "$mh" ] || die "no bin/memharness installed"
bindir=${mh%/memharness}
mkdir -p "$work/pkgconfig"
while IFS= read -r pc; do
  sed "s|^prefix=|prefix=$stage|" "$pc" >"$work/pkgconfig/$(basename "$pc")"
done < <(find "$stage" -name 'memharness*.pc')
[ -f "$work/pkgconfig/memharness-hooks.pc" ] || die "no memharness-hooks.pc installed"

# 2. The example, built three ways against the install only.
# setup NAME [meson options]: configures and builds examples/jansson in
# $work/NAME; the build must use the staged headers and no header of this tree.
setup() {
  local name=$1
  shift
  local dir=$work/$name
  if ! PKG_CONFIG_PATH=$work/pkgconfig PATH=$bindir:$PATH \
      meson setup "$dir" "$example" --wrap-mode=nofallback "$@" >"$dir.setup.log" 2>&1; then
    tail -20 "$dir.setup.log" >&2; die "$name: meson setup failed"
  fi
  ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -30 "$dir.build.log" >&2; die "$name: the example did not build"; }
  grep -q -- "-I$stage" "$dir/build.ninja" || die "$name: the build does not use the staged headers"
  ! grep -q -- "$src/harness" "$dir/build.ninja" || die "$name: the build uses this tree's harness/"
}
setup gcc
have_clang=
if command -v clang-14 >/dev/null; then
  have_clang=1
  CC=clang-14 setup asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fno-sanitize-recover=all
  CC=clang-14 setup tsan -Db_sanitize=thread -Db_lundef=false
else
  echo "check_jansson: clang-14 is not installed: the asan and tsan runs are not checked"
fi
have_valgrind=
command -v valgrind >/dev/null && have_valgrind=1 ||
  echo "check_jansson: valgrind is not installed: its runs are not checked"

# 3. The runs, through the installed command.
waivers=$example/check/jansson-2.14.waivers
# run NAME WANT TOOL PROGRAM: the installed memharness run of PROGRAM under
# TOOL must exit WANT; its output is kept in $work/NAME.out.  Only
# check_jansson gets jansson's waivers (as in meson.build): the crash waiver
# would hide the planted crash.
run() {
  local name=$1 want=$2 tool=$3 prog=$4 status
  local -a env=()
  [ "${prog##*/}" = check_jansson ] && env=("MEMHARNESS_WAIVERS=$waivers")
  env "${env[@]}" "$mh" run --tool "$tool" --reports "$work/runs" -- "$prog" \
    >"$work/$name.out" 2>&1
  status=$?
  if [ "$status" -ne "$want" ]; then
    fail "$name: exit $status, expected $want; output:"; sed 's/^/    /' "$work/$name.out" >&2
    return 1
  fi
}
# expect NAME PATTERN...: each pattern matches a line of NAME's output.
expect() {
  local name=$1 p
  shift
  for p in "$@"; do
    if ! grep -qE -- "$p" "$work/$name.out"; then
      fail "$name: no line matches /$p/; output:"; sed 's/^/    /' "$work/$name.out" >&2
      return 1
    fi
  done
  ok "$name: $(grep -m1 -E -- "$1" "$work/$name.out" | cut -c1-160)"
}

known_loads='waived by .*jansson-2\.14\.waivers:5 .*json_loads\(numbers\): result: prints as .*922337203685477807,'
known_dumps='waived by .*jansson-2\.14\.waivers:11 .*json_dumps\(nested\): result: printed .*"f",":\[true'
known_abort='waived by .*jansson-2\.14\.waivers:17 .*the process was killed by SIGABRT .*__assert_fail.*libjansson\.so'
# The crash waiver matches any crash: every crash it waived must be jansson's abort.
only_jansson_aborts() {
  local name=$1
  if grep 'jansson-2\.14\.waivers:17' "$work/$name.out" | grep -qv 'libjansson\.so'; then
    fail "$name: the crash waiver hid a crash that is not jansson's abort:"
    grep 'jansson-2\.14\.waivers:17' "$work/$name.out" | grep -v 'libjansson\.so' >&2
  fi
}

crash_stack='at first_char \([^ ]*planted_crash\.c:[0-9]+\) <- build_planted \([^ ]*planted_crash\.c:[0-9]+\)'
# The planted leak comes at a later point than the crash.
leak_after_crash() {
  local name=$1 crash_re=$2 crash_k leak_k
  crash_k=$(grep -m1 -oE "^build_planted \[transient fault at allocation [0-9]+\]: $crash_re" \
    "$work/$name.out" | grep -oE '[0-9]+' | head -n 1)
  leak_k=$(grep -m1 -oE '^build_planted \[transient fault at allocation [0-9]+\]: [0-9]+ block\(s\) leaked' \
    "$work/$name.out" | grep -oE '[0-9]+' | head -n 1)
  if [ -z "$crash_k" ] || [ -z "$leak_k" ] || [ "$leak_k" -le "$crash_k" ]; then
    fail "$name: expected the crash, then a leak at a later point (crash at '${crash_k:-none}', leak at '${leak_k:-none}')"
  else
    ok "$name: the crash at allocation $crash_k, the sweep went on, the leak at allocation $leak_k"
  fi
}

# plain
run plain-check 0 plain "$work/gcc/check_jansson" &&
  expect plain-check '^check_jansson: no finding$' "$known_loads" "$known_dumps" "$known_abort" &&
  only_jansson_aborts plain-check
run plain-threads 0 plain "$work/gcc/check_jansson_threads" &&
  expect plain-threads '^check_jansson_threads: 2 threads x [0-9]+ rounds, no finding$'
run plain-planted 1 plain "$work/gcc/planted_crash" &&
  expect plain-planted \
    "^build_planted \[transient fault at allocation [0-9]+\]: the process was killed by SIGSEGV $crash_stack; the sweep went on at the next point$" \
    '^build_planted \[transient fault at allocation [0-9]+\]: leaked block #1 \([0-9]+ bytes\) allocated at json_object' \
    '^planted_crash: [0-9]+ fault points, [1-9][0-9]* run\(s\) ended the process' &&
  leak_after_crash plain-planted 'the process was killed by SIGSEGV'

if [ -n "$have_valgrind" ]; then
  run valgrind-check 0 valgrind "$work/gcc/check_jansson" &&
    expect valgrind-check '^check_jansson: no finding$' "$known_loads" "$known_dumps" \
      '^json_loads\(numbers\) \[persistent\]: not swept here: jansson 2\.14 aborts in it'
  run valgrind-threads 0 valgrind "$work/gcc/check_jansson_threads" &&
    expect valgrind-threads '^check_jansson_threads: 2 threads x [0-9]+ rounds, no finding$'
  run valgrind-planted 3 valgrind "$work/gcc/planted_crash" &&
    expect valgrind-planted \
      '^TOOL-REPORT: call guard: build_planted \[transient fault at allocation [0-9]+\]: the process was killed by SIGSEGV inside the call$' \
      '^TOOL-REPORT: valgrind: Invalid read of size 1 in first_char \(planted_crash\.c:[0-9]+\)$'
fi

if [ -n "$have_clang" ]; then
  run asan-check 0 asan "$work/asan/check_jansson" &&
    expect asan-check '^check_jansson: no finding$' "$known_loads" "$known_dumps" "$known_abort" &&
    only_jansson_aborts asan-check
  run asan-threads 0 asan "$work/asan/check_jansson_threads" &&
    expect asan-threads '^check_jansson_threads: 2 threads x [0-9]+ rounds, no finding$'
  # UBSan sees the NULL load first and ends the child with status 1: the
  # sweep names the point, UBSan's report the place.
  run asan-planted 3 asan "$work/asan/planted_crash" &&
    expect asan-planted \
      '^build_planted \[transient fault at allocation [0-9]+\]: the process ended with status 1 inside the run' \
      "^TOOL-REPORT: ubsan: runtime error: load of null pointer of type 'const char' in first_char \(planted_crash\.c:[0-9]+" \
      '^build_planted \[transient fault at allocation [0-9]+\]: leaked block #1 \([0-9]+ bytes\) allocated at json_object' &&
    leak_after_crash asan-planted 'the process ended with status 1'
  run tsan-check 0 tsan "$work/tsan/check_jansson" &&
    expect tsan-check '^check_jansson: no finding$' "$known_loads" "$known_dumps"
  run tsan-threads 0 tsan "$work/tsan/check_jansson_threads" &&
    expect tsan-threads '^check_jansson_threads: 2 threads x [0-9]+ rounds, no finding$'
fi

[ "$failures" -eq 0 ] || die "$failures check(s) failed"
echo "check_jansson: the installed memharness checked Debian's jansson in every configuration"
