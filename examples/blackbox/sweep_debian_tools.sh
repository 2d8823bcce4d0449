#!/usr/bin/env bash
# sweep_debian_tools.sh [OUTDIR]
# Sweeps two programs nobody built here, as Debian 12 ships them, with
# every allocation failing in turn (memharness sweep, issue 21):
#   jq        Debian's jq 1.6, a small filter over a 40-byte document
#   sqlite3   Debian's sqlite3 shell running a small SQL script on an
#             in-memory database, the control: its own code reports each
#             failed allocation and exits 1.  Swept twice: the whole
#             process, and --only libsqlite3.so (only the library's own
#             allocations counted and failed, so the C library's, e.g. its
#             NSS lookup of the home directory, are left out).
# Each sweep is written to OUTDIR/<name>/ (sweep.json, index.html,
# junit.xml; default OUTDIR build/blackbox-examples) and summarised at the
# end: points, points per second, outcomes by kind, one line per distinct
# finding.  README.md in this directory says how to read them.
#
# Not part of make check: a sweep of jq takes minutes (every allocation of
# its start-up, which compiles its builtins, is a point).
# Environment: MEMHARNESS_PRELOAD (default: built here, in
# build/blackbox-examples/build), SWEEP_JOBS (default: every core),
# SWEEP_TIMEOUT (seconds a point may take, default 10), SWEEP_MAX_POINTS
# (a cap per sweep, default none), SWEEPS (which sweeps, default
# "jq sqlite3 sqlite3-only").
# Exit status: 0 when every sweep ran (findings are the result, not a
# failure), 2 when one could not.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/blackbox-examples}
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
memharness=$root/harness/tools/memharness

die() { echo "sweep_debian_tools: $*" >&2; exit 2; }

# The programs, as Debian packages them: installed when missing and root.
need=()
command -v jq >/dev/null || need+=(jq)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing: ${need[*]} (as root: apt-get install ${need[*]})"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
    die "apt-get install ${need[*]} failed"
fi

# The preload seam: the caller's, else this tree's, built once.
if [ -z "${MEMHARNESS_PRELOAD:-}" ]; then
  build=$out/build
  target=harness/core/seams/preload/libmemharness-preload.so
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$root" -Dbuildtype=debugoptimized >"$out/setup.log" 2>&1 ||
      { tail -20 "$out/setup.log" >&2; die "meson setup failed (log $out/setup.log)"; }
  fi
  ninja -C "$build" "$target" >"$out/build.log" 2>&1 ||
    { tail -20 "$out/build.log" >&2; die "the preload seam did not build (log $out/build.log)"; }
  export MEMHARNESS_PRELOAD=$build/$target
fi
[ -f "$MEMHARNESS_PRELOAD" ] || die "MEMHARNESS_PRELOAD=$MEMHARNESS_PRELOAD: no such file"

# The inputs: small, fixed, written here so that the sweep is the same
# everywhere.
inputs=$out/inputs
mkdir -p "$inputs"
printf '%s\n' '{"a":[{"b":1,"c":"x"},{"b":2,"c":"y"}]}' >"$inputs/doc.json"
cat >"$inputs/script.sql" <<'EOF'
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);
INSERT INTO t(name, n) VALUES ('alpha', 1), ('beta', 2), ('gamma', 3), ('beta', 4);
CREATE INDEX t_name ON t(name);
SELECT name, sum(n) FROM t GROUP BY name ORDER BY name;
WITH big AS (SELECT * FROM t WHERE n > 1) SELECT count(*), max(name) FROM big;
EOF

opts=(--timeout "${SWEEP_TIMEOUT:-10}")
[ -n "${SWEEP_JOBS:-}" ] && opts+=(--jobs "$SWEEP_JOBS")
[ -n "${SWEEP_MAX_POINTS:-}" ] && opts+=(--max-points "$SWEEP_MAX_POINTS")

# sweep NAME [sweep options] -- PROGRAM ARGS...   (stdin: the program's)
ran=()
sweep() {
  local name=$1; shift
  echo "sweep_debian_tools: $name: memharness sweep ${opts[*]} $*"
  local t0 t1 rc
  t0=$(date +%s)
  "$memharness" sweep "${opts[@]}" --name "$name" --out "$out/$name" "$@" >"$out/$name.log" 2>&1
  rc=$?
  t1=$(date +%s)
  echo "sweep_debian_tools: $name: exit $rc after $((t1 - t0)) s (console: $out/$name.log)"
  case $rc in
    0|3) ran+=("$name") ;;
    *) tail -20 "$out/$name.log" >&2; echo "sweep_debian_tools: $name: the sweep failed" >&2; failed=1 ;;
  esac
}

failed=0
names=${SWEEPS:-jq sqlite3 sqlite3-only}
for name in $names; do
  case $name in
    jq) sweep jq -- "$(command -v jq)" -c '[.a[] | select(.b > 1) | .c]' "$inputs/doc.json" </dev/null ;;
    sqlite3) sweep sqlite3 -- "$(command -v sqlite3)" -batch :memory: <"$inputs/script.sql" ;;
    sqlite3-only) sweep sqlite3-only --only libsqlite3.so -- "$(command -v sqlite3)" -batch :memory: \
                    <"$inputs/script.sql" ;;
    *) die "SWEEPS: unknown sweep '$name' (known: jq sqlite3 sqlite3-only)" ;;
  esac
done

# The summary, from each sweep.json (the console lines are in NAME.log).
[ ${#ran[@]} -gt 0 ] && python3 - "$out" "${ran[@]}" <<'EOF'
import json, os, sys
out = sys.argv[1]
for name in sys.argv[2:]:
    with open(os.path.join(out, name, "sweep.json")) as f:
        m = json.load(f)
    t = m.get("timings") or {}
    print("\n== %s: %s %s" % (name, m.get("program"), " ".join(m.get("args") or [])))
    print("   points %s, %s s, %s points/s; outcomes %s"
          % (json.dumps(m.get("points")), t.get("wall_s"), t.get("points_per_s"),
             json.dumps(m.get("counts"), sort_keys=True)))
    for note in m.get("notes") or []:
        print("   note: %s" % note)
    for f in m.get("findings") or []:
        print("   %-10s x%-5s first %-16s %s" % (f.get("kind"), f.get("count"), f.get("first"),
                                               f.get("detail")))
        print("              at   %s" % " <- ".join((f.get("stack") or [])[:3]))
        print("              failed allocation in %s" % f.get("failed"))
    print("   report: %s" % os.path.join(out, name, "index.html"))
EOF
exit $((failed ? 2 : 0))
