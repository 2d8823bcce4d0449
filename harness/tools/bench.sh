#!/usr/bin/env bash
# make bench: what the harness costs and how fast it finds bugs, all measured
# in one run on this machine; prints a table (each figure beside its limit,
# PASS or FAIL) and writes build/reports/bench.json.
#   1. CoTaskMemAlloc+CoTaskMemFree pair: lib's default seam vs the tracker
#      (median and fastest short run), each check's share of the tracker's
#      fast path (variants of tracker_fast.c that leave one check out), the pair
#      with a second thread, and instructions per pair counted by Callgrind
#      (load cannot move it)
#   2. AllocConnections+FreeConnections per second at counts 0, 1, 20
#   3. the full transient+persistent sweep of every scenario
#   4. libFuzzer exec/s of the connections target against the same target
#      over malloc without the tracker's checks, and against an empty
#      target, with ASan+UBSan and without sanitizers
#   5. wall time of each make check configuration, in a fresh copy of the
#      tree (cold, as CI sees it)
#   6. time to verdict of one outside implementation: make check-asan
#      NAPUTIL_IMPL=<a copy of lib/src> (a new build directory, as every
#      edit of an implementation gets), then the same run again (built)
#   7. fault points per second of a black-box sweep of an unmodified
#      program (Debian's jq when installed, else harness/blackbox's planted
#      program): memharness sweep (fork server) against the naive loop the
#      LD_PRELOAD tools are driven by (one exec per point), on the same
#      points, one after the other on the same CPU
# Environment: BENCH_SKIP_CHECK=1 skips item 5 (the slow one);
# BENCH_FUZZ_RUNS=100000 inputs per libFuzzer run of the connections
# target (the empty one runs ten times as many); BENCH_SWEEP_POINTS=300
# fault points on each side of item 7; BENCH_ROUNDS=3 alternating
# rounds of items 1 and 2 (the median is reported); NAPUTIL_IMPL as for make
# check.  A benchmark reports, it does not judge: the exit status is 0
# unless a benchmark could not run at all.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
TOOLS=$ROOT/harness/tools
BENCH_SRC=$ROOT/harness/bench
BUILD=$ROOT/build/bench
REPORTS=$ROOT/build/reports
FIGURES=$BUILD/figures.jsonl
ROUNDS=${BENCH_ROUNDS:-3}
FUZZ_RUNS=${BENCH_FUZZ_RUNS:-100000}
SWEEP_POINTS=${BENCH_SWEEP_POINTS:-300}
impl=${NAPUTIL_IMPL:-}

die() { echo "make bench: $*" >&2; exit 2; }
case "$ROUNDS$FUZZ_RUNS$SWEEP_POINTS" in
  *[!0-9]*) die "BENCH_ROUNDS, BENCH_FUZZ_RUNS and BENCH_SWEEP_POINTS take whole numbers" ;;
esac
[ "$SWEEP_POINTS" -ge 1 ] || die "BENCH_SWEEP_POINTS must be at least 1"
[ "$ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be at least 1"

# Seconds on a clock that never jumps (the kernel's uptime), for item 5.
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# A figure line from this script (the programs print theirs themselves).
figure() { echo "BENCH $1" >>"$FIGURES"; }

# Configures (once) and builds the given targets of one build directory.
build_targets() {
  local dir=$1 cc=$2 opts=$3; shift 3
  if [ ! -f "$dir/build.ninja" ]; then
    mkdir -p "$(dirname "$dir")"
    # shellcheck disable=SC2086
    CC=$cc meson setup "$dir" $opts -Dnaputil_impl="$impl" >"$dir.setup.log" 2>&1 ||
      { tail -30 "$dir.setup.log" >&2; return 1; }
  else
    meson configure "$dir" -Dnaputil_impl="$impl" >/dev/null || return 1
  fi
  ninja -C "$dir" "$@" >"$dir.build.log" 2>&1 || { tail -30 "$dir.build.log" >&2; return 1; }
}

bash "$TOOLS/install-deps.sh" base || exit 2
mkdir -p "$REPORTS" "$(dirname "$BUILD")"

# ---- items 1-3: one release-like build (-O2, no debug checks) -------------
fast_variants=(all poison guards quarantine stacks none)
programs=(bench_pair_default bench_pair_tracked bench_features bench_instructions_default
          bench_nofp bench_connections_plain bench_connections_tracked bench_sweep
          "${fast_variants[@]/#/bench_fast_}")
echo "make bench: building $BUILD (gcc -O2)"
build_targets "$BUILD" gcc "-Dbuildtype=release -Doptimization=2" \
  "${programs[@]/#/harness/bench/}" || die "could not build the benchmarks"
: >"$FIGURES"

# The timed programs of a round run on one CPU.  The CPUs of a virtual
# machine need not be equal, nor stay so: on the 2-core machine this was
# written on, one CPU at a time ran the same loop at half the other's speed,
# and which one changed from minute to minute.  A ratio whose two sides ran
# on different CPUs measured the CPUs, not the tracker.  Each round takes
# the CPU that is fastest by a short calibration loop at its start, and the
# table takes each side's fastest round.
PIN=()
pick_cpu() {
  command -v taskset >/dev/null || { echo "make bench: taskset missing: timed runs are not pinned to one CPU" >&2; return; }
  local cpus best='' best_ns='' cpu ns line=''
  cpus=$(python3 -c 'import os; print(" ".join(map(str, sorted(os.sched_getaffinity(0))[:16])))')
  for cpu in $cpus; do
    ns=$(taskset -c "$cpu" "$BUILD/harness/bench/bench_pair_default" --iterations 200000 |
      sed -n 's/.*"ns_min":\([0-9.]*\).*/\1/p' | head -1)
    [ -n "$ns" ] || continue
    line="$line CPU $cpu: $ns ns;"
    if [ -z "$best" ] || awk -v a="$ns" -v b="$best_ns" 'BEGIN { exit !(a < b) }'; then
      best=$cpu best_ns=$ns
    fi
  done
  [ -n "$best" ] || return
  PIN=(taskset -c "$best")
  echo "make bench: $1 pinned to CPU $best, the fastest by a 16 B default pair loop:${line%;}"
  figure "{\"item\":\"cpu\",\"when\":\"$1\",\"pinned\":$best,\"calibration\":\"${line# }\"}"
}

run_program() {
  local prog=$1 round=$2 out
  out=$("${PIN[@]}" "$BUILD/harness/bench/$prog") || { echo "make bench: $prog failed" >&2; return 1; }
  # Tag each figure with its round so the table can take the median.
  echo "$out" | sed -n "s/^BENCH {/BENCH {\"round\":$round,/p" >>"$FIGURES"
}

# Items 1 and 2 alternate seams round by round, so that a burst of load on
# a shared machine hits both sides of a ratio rather than one.
for round in $(seq 1 "$ROUNDS"); do
  echo "make bench: items 1-2, round $round of $ROUNDS"
  pick_cpu "round $round"
  for prog in bench_pair_default bench_pair_tracked bench_features \
              "${fast_variants[@]/#/bench_fast_}" bench_connections_plain \
              bench_connections_tracked; do
    run_program "$prog" "$round" || exit 2
  done
done
# Item 1c: instructions per pair, (Ir at 2N - Ir at N) / N under Callgrind,
# for lib's seam and for each variant of the tracker's fast path.
callgrind_ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
    sed -n 's/.*Collected : *//p' | tail -1
}
if command -v valgrind >/dev/null; then
  echo "make bench: item 1c, instructions per pair (Callgrind)"
  n=20000
  for spec in default "${fast_variants[@]}"; do
    if [ "$spec" = default ]; then
      run=("$BUILD/harness/bench/bench_instructions_default") key='"seam":"default"'
    else
      run=("$BUILD/harness/bench/bench_fast_$spec" --pairs) key="\"variant\":\"$spec\""
    fi
    a=$(callgrind_ir "${run[@]}" "$n") b=$(callgrind_ir "${run[@]}" $((2 * n)))
    if [ -n "$a" ] && [ -n "$b" ]; then
      figure "{\"item\":\"instructions\",$key,\"ir_per_pair\":$(( (b - a) / n ))}"
    else
      figure "{\"item\":\"instructions\",\"skipped\":\"callgrind run of $spec failed\"}"
    fi
  done
  # Item 1d: the same pair with its site in a library without frame
  # pointers, whose stacks are unwound from .eh_frame.
  n=2000
  a=$(callgrind_ir "$BUILD/harness/bench/bench_nofp" "$n")
  b=$(callgrind_ir "$BUILD/harness/bench/bench_nofp" $((2 * n)))
  if [ -n "$a" ] && [ -n "$b" ]; then
    figure "{\"item\":\"instructions_nofp\",\"ir_per_pair\":$(( (b - a) / n ))}"
  else
    figure '{"item":"instructions_nofp","skipped":"callgrind run of bench_nofp failed"}'
  fi
else
  figure '{"item":"instructions","skipped":"valgrind is not installed (make deps)"}'
fi

echo "make bench: item 3, the full sweep"
run_program bench_sweep 1 || exit 2

# ---- item 7: black-box sweep, fork server vs one exec per point ------------
# The same program, input and points on both sides: transient:1..P, P the
# points the sweep ran (its fault-free run 0 aside), on one CPU, so that
# the ratio is the fork server's, not parallelism's (--jobs 1).
blackbox_skip() { figure "{\"item\":\"blackbox\",\"skipped\":\"$1\"}"; echo "make bench: item 7 skipped: $1"; }
preload_target=harness/core/seams/preload/libmemharness-preload.so
if ! ninja -C "$BUILD" -t query "$preload_target" >/dev/null 2>&1; then
  blackbox_skip "no preload seam ($preload_target) in this tree"
elif ! ninja -C "$BUILD" "$preload_target" harness/blackbox/planted_sweep >"$BUILD.blackbox.log" 2>&1; then
  blackbox_skip "the preload seam or the planted program did not build (see $BUILD.blackbox.log)"
else
  # jq is the bench group's package (install-deps.sh): Debian's own binary,
  # as the issue measured the naive loop on; without it (not root), the
  # planted program, and the table says which.
  bash "$TOOLS/install-deps.sh" bench >/dev/null 2>&1 ||
    echo "make bench: item 7: jq could not be installed; the planted program stands in"
  work=$BUILD/blackbox
  rm -rf "$work" && mkdir -p "$work"
  if command -v jq >/dev/null; then
    printf '%s\n' '{"a":[{"b":1,"c":"x"},{"b":2,"c":"y"}]}' >"$work/doc.json"
    prog=("$(command -v jq)" -c '[.a[] | select(.b > 1) | .c]' "$work/doc.json")
    what="Debian's $(jq --version 2>/dev/null || echo jq), a small filter over a $(wc -c <"$work/doc.json")-byte document"
  else
    prog=("$BUILD/harness/blackbox/planted_sweep" "$ROOT/harness/blackbox/planted_input.txt")
    what="harness/blackbox/planted_sweep (jq is not installed)"
  fi
  preload=$BUILD/$preload_target
  # Runs a command; prints its exit status, wall seconds and CPU seconds
  # (user+system of it and every process it waited for).  On a loaded
  # machine the wall time also counts the waits for a CPU, which a short
  # process pays at every start; the CPU time does not.
  timed() {
    python3 -c 'import resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], "w") as log:
    rc = subprocess.call(sys.argv[2:], stdout=log, stderr=log)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, round(time.monotonic() - t, 3), round(r.ru_utime + r.ru_stime, 3))' "$@"
  }
  pick_cpu "item 7"
  echo "make bench: item 7, memharness sweep of $what"
  read -r sweep_rc sweep_s sweep_cpu < <(MEMHARNESS_PRELOAD=$preload timed "$work/sweep.log" \
    "${PIN[@]}" "$TOOLS/memharness" sweep --mode transient --max-points "$SWEEP_POINTS" \
    --jobs 1 --out "$work/sweep" -- "${prog[@]}")
  # The points it ran, from its model (run 0, the fault-free run, aside).
  points=$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["points"]["transient"])' \
    "$work/sweep/sweep.json" 2>/dev/null)
  if [ "${sweep_rc:-2}" -ne 0 ] && [ "${sweep_rc:-2}" -ne 3 ] || [ -z "$points" ] || [ "$points" -lt 1 ]; then
    blackbox_skip "memharness sweep exited ${sweep_rc:-?} without points (see $work/sweep.log)"
  else
    echo "make bench: item 7, the naive loop over the same $points points"
    # The loop the LD_PRELOAD tools are driven by; timeout guards a hang.
    # shellcheck disable=SC2016  # the inner bash expands them
    read -r _ naive_s naive_cpu < <(timed "$work/naive.log" "${PIN[@]}" bash -c '
      preload=$1 n=$2; shift 2
      for k in $(seq 1 "$n"); do
        MEMHARNESS_FAULTS=transient:$k LD_PRELOAD=$preload timeout 10 "$@" >/dev/null 2>&1
      done' _ "$preload" "$points" "${prog[@]}")
    # This machine's floor under both sides, the same number of times: a
    # fork of a shell that exits (a point of the fork server can cost no
    # less) and a fork+exec of /bin/true (nor a point of the loop): where a
    # fork is dear, no fork server reaches the ratio a cheap fork allows.
    read -r _ fork_s fork_cpu < <(timed "$work/floor-fork.log" "${PIN[@]}" bash -c '
      for k in $(seq 1 "$1"); do ( : ); done' _ "$points")
    read -r _ exec_s exec_cpu < <(timed "$work/floor-exec.log" "${PIN[@]}" bash -c '
      for k in $(seq 1 "$1"); do /bin/true; done' _ "$points")
    figure "$(python3 -c 'import json, sys
a = sys.argv
print(json.dumps({"item": "blackbox", "program": a[1], "points": int(a[2]), "sweep_exit": int(a[3]),
                  "sweep_seconds": float(a[4]), "sweep_cpu_seconds": float(a[5]),
                  "naive_seconds": float(a[6]), "naive_cpu_seconds": float(a[7]),
                  "fork_seconds": float(a[8]), "fork_cpu_seconds": float(a[9]),
                  "exec_seconds": float(a[10]), "exec_cpu_seconds": float(a[11])}))' \
      "$what" "$points" "$sweep_rc" "$sweep_s" "$sweep_cpu" "$naive_s" "$naive_cpu" \
      "$fork_s" "$fork_cpu" "$exec_s" "$exec_cpu")"
  fi
fi

# ---- item 4: libFuzzer exec/s ---------------------------------------------
# Two builds of our own (the fuzz engineer's build/fuzz is left alone): the
# fuzz targets as fuzz/meson.build builds them (ASan+UBSan), and the same
# with the sanitizers stripped by a compiler wrapper.  Each run is a fixed
# number of inputs from a copy of the fixed corpus with a fixed seed, so the
# work is the same from run to run; the time is taken here, since
# libFuzzer's own exec/s divides by whole seconds.
# Runs one libFuzzer binary over RUNS inputs and records its exec/s.
fuzz_run() {
  local build=$1 target=$2 exe=$3 runs=$4; shift 4
  local log=$BUILD/fuzz-$build-$target.log work t0 t1
  work=$(mktemp -d)
  # A copy: libFuzzer adds what it finds to its corpus directory.
  mkdir "$work/corpus" && cp "$ROOT/fuzz/corpus/connections/"* "$work/corpus/"
  t0=$(date +%s.%N)
  (cd "$work" && "${PIN[@]}" "$exe" -runs="$runs" -print_final_stats=1 -seed=1 \
     -artifact_prefix="$work/" "$@" "$work/corpus" >"$log" 2>&1)
  local rc=$?
  t1=$(date +%s.%N)
  rm -rf "$work"
  local execs per_s
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_s=$(awk -v n="${execs:-0}" -v a="$t0" -v b="$t1" 'BEGIN { if (n > 0 && b > a) printf "%.0f", n / (b - a) }')
  figure "{\"item\":\"fuzz\",\"build\":\"$build\",\"target\":\"$target\",\"runs\":${execs:-null},\"seconds\":$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'),\"exit\":$rc,\"execs_per_s\":${per_s:-null}}"
  echo "make bench: fuzz $build/$target: ${per_s:-?} exec/s (exit $rc, log $log)"
}

fuzz_skip() { figure "{\"item\":\"fuzz\",\"skipped\":\"$1\"}"; echo "make bench: item 4 skipped: $1"; }

if ! command -v clang-14 >/dev/null; then
  fuzz_skip "clang-14 is not installed (make deps)"
elif [ ! -f "$ROOT/fuzz/meson.build" ] || [ ! -f "$ROOT/fuzz/fuzz_connections.c" ]; then
  fuzz_skip "no libFuzzer target 'connections' in fuzz/"
else
  bash "$TOOLS/install-deps.sh" clang || exit 2
  mapfile -t opts < <(bash "$TOOLS/fuzz-options.sh" connections)
  max_len=()
  for o in "${opts[@]}"; do case "$o" in -max_len=*) max_len=("$o") ;; esac; done
  for build in asan nosan; do
    dir=$ROOT/build/h-bench-fuzz-$build
    cc=clang-14
    [ "$build" = nosan ] && cc=$BENCH_SRC/cc_without_sanitizers.sh
    echo "make bench: item 4, building $dir"
    if build_targets "$dir" "$cc" "-Dfuzzing=true -Db_lundef=false" \
         fuzz/fuzz_connections fuzz/fuzz_connections_untracked harness/bench/fuzz_empty; then
      pick_cpu "fuzz $build"
      fuzz_run "$build" connections "$dir/fuzz/fuzz_connections" "$FUZZ_RUNS" "${opts[@]}"
      fuzz_run "$build" untracked "$dir/fuzz/fuzz_connections_untracked" "$FUZZ_RUNS" "${opts[@]}"
      fuzz_run "$build" empty "$dir/harness/bench/fuzz_empty" $((FUZZ_RUNS * 10)) "${max_len[@]}"
    else
      fuzz_skip "the $build fuzz build failed (see $dir.build.log)"
    fi
  done
fi

# ---- item 5: make check, configuration by configuration --------------------
if [ "${BENCH_SKIP_CHECK:-0}" = 1 ]; then
  figure '{"item":"check","skipped":"BENCH_SKIP_CHECK=1"}'
  echo "make bench: item 5 skipped (BENCH_SKIP_CHECK=1)"
else
  # A fresh copy of the tree without build/ or .git, so every configuration
  # builds from nothing as in CI, and no developer's build dir is touched.
  tree=$ROOT/build/h-bench-check/tree
  rm -rf "$tree" && mkdir -p "$tree"
  tar -C "$ROOT" --exclude=./build --exclude=./.git -cf - . | tar -C "$tree" -xf - ||
    die "could not copy the tree for item 5"
  configs=$(bash -c 'ROOT=$1; source "$1/harness/tools/configs.sh"; echo "${ALL_CONFIGS[@]}"' \
    _ "$tree")
  for c in $configs; do
    echo "make bench: item 5, timing 'make check-$c' (log build/h-bench-check/$c.log)"
    t0=$(uptime_s)
    NAPUTIL_IMPL="$impl" bash "$tree/harness/tools/check.sh" "$c" \
      >"$ROOT/build/h-bench-check/$c.log" 2>&1
    rc=$?
    t1=$(uptime_s)
    figure "{\"item\":\"check\",\"config\":\"$c\",\"exit\":$rc,\"seconds\":$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')}"
  done
fi

# ---- item 6: time to verdict of an outside implementation -----------------
# lib/'s own sources but its default seam, under a path of their own: the
# run a user makes with NAPUTIL_IMPL, from nothing (its content is new, so
# its build directory is), and once more with that build in place.
impl_dir=$ROOT/build/h-bench-impl/impl
rm -rf "$ROOT/build/h-bench-impl" && mkdir -p "$impl_dir"
for f in "$ROOT"/lib/src/*.[ch]; do
  case $f in */cotaskmem_default.c) ;; *) cp "$f" "$impl_dir/" ;; esac
done
# Its build directory, as check.sh names it: removed so the first run is cold.
impl_build=$(bash -c 'source "$1"; impl_resolve "$2" >/dev/null && impl_key' _ \
  "$TOOLS/impl-spec.sh" "$impl_dir") || die "item 6: cannot name the implementation's build"
rm -rf "$ROOT/build/impl/$impl_build"
for run in cold built; do
  echo "make bench: item 6, timing 'make check-asan NAPUTIL_IMPL=...' ($run; log build/h-bench-impl/$run.log)"
  t0=$(uptime_s)
  NAPUTIL_IMPL=$impl_dir bash "$TOOLS/check.sh" asan >"$ROOT/build/h-bench-impl/$run.log" 2>&1
  rc=$?
  t1=$(uptime_s)
  figure "{\"item\":\"impl_verdict\",\"run\":\"$run\",\"exit\":$rc,\"seconds\":$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')}"
done

python3 "$BENCH_SRC/bench_table.py" "$FIGURES" "$REPORTS/bench.json" || exit 2
