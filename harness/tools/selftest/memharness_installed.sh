#!/usr/bin/env bash
# The proof that the INSTALLED memharness command gives an outside program
# the whole verdict (issue 20): this build is installed under a staging
# directory, small planted programs are built against the installed library
# only, and the installed `memharness run` must
#   - fail a program that exits with status 0 inside a guarded call, naming
#     the call (plain and valgrind);
#   - fail a real leak under valgrind (and asan when clang-14 is there),
#     naming the leaking function;
#   - pass a clean program that uses the call guard under every tool, and
#     not show the guard's watchdog thread as "possibly lost" under Valgrind
#     (the installed valgrind.supp; without it the same run must show it);
#   - refuse bad usage with exit 2 and a message;
# and `memharness report` must write the reports of those runs.
# Usage: memharness_installed.sh SOURCE_ROOT BUILD_ROOT WORK_DIR
set -uo pipefail
src=$1 build=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
# An outside user's environment: no report directory of make check's.
unset NAPUTIL_REPORT_DIR NAPUTIL_PROGRESS_DIR MEMHARNESS_REPORT_DIR MEMHARNESS_PROGRESS_DIR \
  NAPUTIL_TOOL MEMHARNESS_TOOL CRITERION_OUTPUTS NINJA

failures=0
fail() { echo "memharness_installed: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "memharness_installed: ok: $*"; }

stage=$work/stage
# The tests that install this build run in parallel, each into its own
# stage; the lock keeps their installs (which share the build dir's
# meson-logs/install-log.txt) one at a time.
flock "$build/meson-logs/install.lock" \
  meson install -C "$build" --no-rebuild --tags devel --destdir "$stage" >"$work/install.log" 2>&1 ||
  { tail -20 "$work/install.log" >&2; echo "memharness_installed: meson install failed" >&2; exit 1; }
mh=$(find "$stage" -path '*/bin/memharness' -type f | head -n 1)
[ -x "$mh" ] || { echo "memharness_installed: no bin/memharness installed" >&2; exit 1; }
prefix_dir=${mh%/bin/memharness}
# The installed copy must use the installed files, not this source tree's.
supp=$("$mh" suppressions valgrind)
case $supp in
  "$prefix_dir"/*) ok "installed memharness reads $supp" ;;
  *) fail "installed memharness uses $supp, not a file under $prefix_dir" ;;
esac

# The planted programs, built against the installed library (its .pc file
# relocated to the stage, as check_example.sh does).
mkdir -p "$work/pkgconfig"
pc=$(find "$stage" -name 'memharness.pc' | head -n 1)
[ -n "$pc" ] || { echo "memharness_installed: no memharness.pc installed" >&2; exit 1; }
sed "s|^prefix=|prefix=$stage|" "$pc" >"$work/pkgconfig/memharness.pc"
flags=$(PKG_CONFIG_PATH=$work/pkgconfig pkg-config --cflags --libs memharness) ||
  { echo "memharness_installed: pkg-config memharness failed" >&2; exit 1; }
planted=$src/harness/tools/selftest/memharness_planted
bin=$work/bin
mkdir -p "$bin"
for p in exits_in_call leaks clean; do
  # shellcheck disable=SC2086  # pkg-config's words
  gcc -std=c11 -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer -o "$bin/$p" \
    "$planted/$p.c" $flags >"$work/build-$p.log" 2>&1 ||
    { cat "$work/build-$p.log" >&2; echo "memharness_installed: $p did not build" >&2; exit 1; }
done
have_clang=
if command -v clang-14 >/dev/null; then
  have_clang=1
  for p in leaks clean; do
    # shellcheck disable=SC2086
    clang-14 -std=c11 -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer \
      -fsanitize=address,undefined -fno-sanitize-recover=all -o "$bin/${p}_asan" \
      "$planted/$p.c" $flags >"$work/build-${p}_asan.log" 2>&1 ||
      { cat "$work/build-${p}_asan.log" >&2; echo "memharness_installed: ${p}_asan did not build" >&2; exit 1; }
  done
fi
have_valgrind=
command -v valgrind >/dev/null && have_valgrind=1

runs=$work/runs
# expect_run NAME STATUS PATTERN TOOL PROGRAM: the installed memharness run
# of PROGRAM under TOOL must exit STATUS and print a line matching PATTERN.
expect_run() {
  local name=$1 want=$2 pattern=$3 tool=$4 prog=$5 out status
  out=$("$mh" run --tool "$tool" --reports "$runs" -- "$prog" 2>&1)
  status=$?
  printf '%s\n' "$out" >"$work/$name.out"
  if [ "$status" -ne "$want" ]; then
    fail "$name: exit $status, expected $want; output:"; sed 's/^/    /' "$work/$name.out" >&2
  elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$work/$name.out"; then
    fail "$name: no line matches /$pattern/; output:"; sed 's/^/    /' "$work/$name.out" >&2
  else
    ok "$name: exit $status${pattern:+, $(grep -m1 -E -- "$pattern" "$work/$name.out")}"
  fi
}

guard_line='^TOOL-REPORT: call guard: parse_config\(depth=3\): the process exited with status 0 inside the call$'
expect_run plain-exits-in-call 3 "$guard_line" plain "$bin/exits_in_call"
expect_run plain-clean 0 "" plain "$bin/clean"
if [ -n "$have_valgrind" ]; then
  expect_run valgrind-exits-in-call 3 "$guard_line" valgrind "$bin/exits_in_call"
  expect_run valgrind-leak 3 \
    '^TOOL-REPORT: valgrind: [0-9]+ bytes in 1 blocks are definitely lost in make_greeting \(leaks.c:[0-9]+\)$' \
    valgrind "$bin/leaks"
  expect_run valgrind-clean 0 "" valgrind "$bin/clean"
  # The watchdog thread's TLS block, as a user's own Valgrind run that
  # asks for possibly-lost blocks sees it: shown without the installed
  # suppressions, absent with them.
  vg=(valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all
      --error-exitcode=99)
  "${vg[@]}" "$bin/clean" >"$work/watchdog-nosupp.out" 2>&1
  without=$?
  "${vg[@]}" --suppressions="$supp" "$bin/clean" >"$work/watchdog-supp.out" 2>&1
  with=$?
  if [ "$without" -ne 99 ] || ! grep -q 'possibly lost' "$work/watchdog-nosupp.out"; then
    fail "watchdog: without the suppressions Valgrind did not report the watchdog's block (exit $without)"
  elif [ "$with" -ne 0 ]; then
    fail "watchdog: with the installed suppressions Valgrind still reports (exit $with):"
    sed 's/^/    /' "$work/watchdog-supp.out" >&2
  else
    ok "watchdog: 'possibly lost' without the installed valgrind.supp, nothing with it"
  fi
else
  echo "memharness_installed: valgrind is not installed: its runs are not checked"
fi
if [ -n "$have_clang" ]; then
  expect_run asan-leak 3 \
    '^TOOL-REPORT: lsan: direct leak of [0-9]+ bytes \(LeakSanitizer\) in make_greeting' \
    asan "$bin/leaks_asan"
  expect_run asan-clean 0 "" asan "$bin/clean_asan"
  expect_run asan-not-instrumented 2 'was not built with -fsanitize=address' asan "$bin/clean"
else
  echo "memharness_installed: clang-14 is not installed: the asan runs are not checked"
fi
expect_run unknown-tool 2 "^memharness: unknown tool 'purify' \(known: plain, asan, valgrind, tsan\)$" \
  purify "$bin/clean"
expect_run missing-program 2 "^memharness: $work/nope: no such program$" plain "$work/nope"
version=$("$mh" --version)
if [[ $version =~ ^memharness\ [0-9]+\.[0-9]+ ]] && "$mh" --help | grep -q '^usage: memharness run'; then
  ok "--version: $version; --help gives the usage"
else
  fail "--version said '$version', or --help no usage"
fi
out=$("$mh" run --tool plain 2>&1)
status=$?
if [ "$status" -eq 2 ] && [[ $out == "memharness: run: no program given"* ]]; then
  ok "no-program: exit 2, $out"
else
  fail "no-program: exit $status, output: $out"
fi
# Valgrind missing: a PATH without it (bash started by its path, as the
# shebang's env would not find it there either).
out=$(PATH=$work/empty-path /bin/bash "$mh" run --tool valgrind --reports "$runs" -- "$bin/clean" 2>&1)
status=$?
if [ "$status" -eq 2 ] && [ "$out" = "memharness: valgrind is not installed (Debian: apt-get install valgrind)" ]; then
  ok "valgrind-missing: exit 2, $out"
else
  fail "valgrind-missing: exit $status, output: $out"
fi

# The reports of those runs, without any Meson test log.
"$mh" report --out "$work/report" "$runs" >"$work/report.out" 2>&1
status=$?
if [ "$status" -ne 1 ]; then
  fail "report: exit $status, expected 1 (the planted runs failed)"; cat "$work/report.out" >&2
elif ! [ -s "$work/report/index.html" ] || ! [ -s "$work/report/summary.json" ] ||
     ! ls "$work/report/junit/plain/"*.xml >/dev/null 2>&1; then
  fail "report: index.html, summary.json or junit/plain/*.xml missing"
elif ! python3 - "$work/report/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
tests = {(c, t["test"]): t for c, conf in s["configurations"].items() for t in conf["suites"]}
bad = []
for (c, name), t in tests.items():
    want = "FAIL:tool" if name in ("exits_in_call", "leaks", "leaks_asan") else "pass"
    if t["row_verdict"] != want:
        bad.append("%s/%s: %s, expected %s" % (c, name, t["row_verdict"], want))
if ("plain", "exits_in_call") not in tests or not any(
        "parse_config(depth=3)" in r for r in tests[("plain", "exits_in_call")]["tool_reports"]):
    bad.append("plain/exits_in_call: the call is not named")
sys.exit("\n".join(bad) if bad else 0)
PY
then
  fail "report: summary.json verdicts are wrong"
elif grep -q 'AllocConnections' "$work/report/index.html" ||
     ! grep -q '<h1>memharness report</h1>' "$work/report/index.html" ||
     ! grep -q 'parse_config(depth=3)' "$work/report/index.html"; then
  fail "report: index.html is make check's page (NapUtil functions), or does not name the call"
else
  ok "report: $(grep -m1 '^check:' "$work/report.out"), index.html, summary.json and JUnit written"
fi

# A Meson project of a user's, with the test setups README "Running your
# tests with memharness" gives, finding the installed command on PATH.
proj=$work/project
mkdir -p "$proj"
cp "$planted/clean.c" "$planted/exits_in_call.c" "$proj/"
cat >"$proj/meson.build" <<'MESON'
project('memharness_user', 'c', default_options : ['c_std=c11', 'warning_level=2', 'werror=true'])
memharness = dependency('memharness')
foreach p : ['clean', 'exits_in_call']
  test(p, executable('check_' + p, p + '.c', dependencies : memharness))
endforeach
memharness_run = [find_program('memharness'), 'run', '--tool']
add_test_setup('plain', exe_wrapper : memharness_run + ['plain', '--'], is_default : true)
add_test_setup('valgrind', exe_wrapper : memharness_run + ['valgrind', '--'], timeout_multiplier : 8)
MESON
setups=(plain)
[ -n "$have_valgrind" ] && setups+=(valgrind)
if ! PKG_CONFIG_PATH=$work/pkgconfig PATH=$prefix_dir/bin:$PATH \
    meson setup "$proj/build" "$proj" >"$work/project-setup.log" 2>&1; then
  fail "project: meson setup failed"; tail -20 "$work/project-setup.log" >&2
else
  for setup in "${setups[@]}"; do
    PATH=$prefix_dir/bin:$PATH meson test -C "$proj/build" --setup "$setup" \
      >"$work/project-$setup.log" 2>&1
    status=$?
    log=$proj/build/meson-logs/testlog-$setup.json
    "$mh" report --out "$work/project-report-$setup" --testlog "$log" "$proj/build/tool-reports" \
      >"$work/project-report-$setup.out" 2>&1
    if [ "$status" -eq 0 ]; then
      fail "project: meson test --setup $setup passed with exits_in_call in it"
    elif ! grep -q "\"command\": \[\"$prefix_dir/bin/memharness\", \"run\"" "$log"; then
      fail "project: --setup $setup did not run the installed memharness: $(head -c 300 "$log")"
    elif ! grep -qE "^$setup +[^ ]+ +exits_in_call +- +FAIL:tool +call guard: parse_config\(depth=3\)" \
        "$work/project-report-$setup.out" ||
        ! grep -qE "^$setup +[^ ]+ +clean +- +pass" "$work/project-report-$setup.out"; then
      fail "project: memharness report --testlog ($setup) does not show clean passing and exits_in_call failing on the call:"
      sed 's/^/    /' "$work/project-report-$setup.out" >&2
    else
      ok "project: meson test --setup $setup through the installed memharness, then report: $(grep -E "^$setup +[^ ]+ +exits_in_call" "$work/project-report-$setup.out" | tr -s ' ')"
    fi
  done
fi

[ "$failures" -eq 0 ] || { echo "memharness_installed: $failures check(s) failed" >&2; exit 1; }
echo "memharness_installed: the installed memharness judged every planted program right"
