#!/bin/bash
# check_example.sh SRCROOT BUILDROOT WORKDIR
# Proves that a project outside the tree (examples/kvstore) can use
# memharness both ways a user would, and that its check works:
#   installed  the library installed from BUILDROOT (staged under WORKDIR),
#              found only through pkg-config and PATH;
#   subproject the naputil tree as a Meson subproject (subprojects/naputil).
# In each build the correct kvstore must pass and the planted leak must
# fail with the member path named; verdicts are read from Criterion's JSON.
set -euo pipefail
src=$1 build=$2 work=$3
example=$src/examples/kvstore
rm -rf "$work"
mkdir -p "$work"

fail() { echo "check_example: $*" >&2; exit 1; }
# An outside user's Meson: not make check's ninja-logged.sh (configs.sh).
unset NINJA

# Reads one Criterion JSON report: "pass" needs every test passed; "leak"
# needs a failure whose message names the planted member path.
verdict() {
  python3 - "$1" "$2" <<'PY'
import json, sys
path, want = sys.argv[1], sys.argv[2]
report = json.load(open(path))
tests = [t for s in report["test_suites"] for t in s["tests"]]
messages = [m for t in tests for m in t.get("messages", [])]
if want == "pass":
    bad = [t["name"] for t in tests if t["status"] != "PASSED"]
    if not tests or bad:
        sys.exit("expected every test to pass; not passed: %s" % (bad or "no tests"))
else:
    needle = "kv_free: store.pairs[0].value: leaked (not freed)"
    if report["failed"] == 0 or not any(needle in m for m in messages):
        sys.exit("expected a failure naming '%s'; got %d failed, messages: %s"
                 % (needle, report["failed"], messages[:3]))
PY
}

# Builds the example in $1 (already set up), runs both checks, judges them.
run_checks() {
  local dir=$1 label=$2
  ninja -C "$dir" check_kvstore check_kvstore_planted_leak >"$dir.build.log" 2>&1 ||
    { tail -30 "$dir.build.log" >&2; fail "$label: the example did not build"; }
  "$dir/check_kvstore" --json="$dir/correct.json" >"$dir/correct.log" 2>&1 ||
    { cat "$dir/correct.log" >&2; fail "$label: the correct kvstore failed its check"; }
  verdict "$dir/correct.json" pass || fail "$label: correct kvstore"
  if "$dir/check_kvstore_planted_leak" --json="$dir/planted.json" >"$dir/planted.log" 2>&1; then
    fail "$label: the planted leak passed its check"
  fi
  verdict "$dir/planted.json" leak || fail "$label: planted leak"
  echo "check_example: $label build: correct kvstore passes, planted leak named at store.pairs[0].value"
}

# 1. Installed.  meson install stages under DESTDIR; the staged .pc files
# are relocated to where they were staged, as a package manager would.
stage=$work/stage
# The tests that install this build run in parallel, each into its own
# stage; the lock keeps their installs (which share the build dir's
# meson-logs/install-log.txt) one at a time.
flock "$build/meson-logs/install.lock" \
  meson install -C "$build" --no-rebuild --tags devel --destdir "$stage" >"$work/install.log" 2>&1 ||
  { tail -20 "$work/install.log" >&2; fail "meson install of the library failed"; }
mkdir -p "$work/pkgconfig"
found=0
while IFS= read -r pc; do
  prefix=$(sed -n 's/^prefix=//p' "$pc")
  sed "s|^prefix=.*|prefix=$stage$prefix|" "$pc" >"$work/pkgconfig/$(basename "$pc")"
  bindir=$stage$prefix/bin
  found=$((found + 1))
done < <(find "$stage" -name 'memharness*.pc')
[ "$found" -ge 2 ] || fail "no memharness .pc files were installed"
PKG_CONFIG_PATH=$work/pkgconfig PATH=$bindir:$PATH \
  meson setup "$work/installed" "$example" --wrap-mode=nofallback >"$work/installed.setup.log" 2>&1 ||
  { tail -20 "$work/installed.setup.log" >&2; fail "installed: meson setup failed"; }
grep -q "$stage" "$work/installed/build.ninja" || fail "installed: the build does not use the staged library"
run_checks "$work/installed" installed

# 2. Subproject: no pkg-config file and no program on PATH to find.
PKG_CONFIG_PATH= meson setup "$work/subproject" "$example" \
  --force-fallback-for=memharness,memharness-wrap >"$work/subproject.setup.log" 2>&1 ||
  { tail -20 "$work/subproject.setup.log" >&2; fail "subproject: meson setup failed"; }
run_checks "$work/subproject" subproject
[ -f "$work/subproject/subprojects/naputil/harness/core/libmemharness.a" ] ||
  fail "subproject: memharness was not built from the subproject"
