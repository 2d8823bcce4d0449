#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets (build/fuzz, clang, -Dfuzzing=true)
# and fuzzes one of them on every core, then prints executions, exec/s,
# coverage and corpus size, a line-coverage summary of the implementation,
# and the command that reproduces each crash.
#
#   fuzz.sh                 run FUZZ_TARGET (connections) for FUZZ_TIME (60)
#   fuzz.sh selftest        make fuzz-selftest: each planted bug
#                           (fuzz/planted/*.patch, applied to a copy of
#                           lib/src) must be found within 60 s by the
#                           target its "fuzz-target:" line names
#
# FUZZ_TIME takes seconds or an s/m/h suffix (90, 90s, 10m, 8h).  Runs under
# an hour use -jobs/-workers = nproc and stop at the first crash; runs of an
# hour or more ("overnight") use -fork = nproc, keep going past crashes, and
# merge what they found back into the seed corpus.  FUZZ_JOBS, FUZZ_MERGE,
# FUZZ_MODE (fork|jobs) and FUZZ_COVERAGE=0 override the defaults.
#
# Corpora: the working corpus is build/fuzz/corpus-<target>, seeded from
# fuzz/corpus/<target> and fuzz/regressions/<target> at each run and
# minimised (-merge=1) at the end; fuzz/corpus/ in the git tree only changes
# when FUZZ_MERGE=1, or for overnight runs (FUZZ_MERGE=0 forbids it).
# Crashes go to fuzz/artifacts/<target>/ (ignored by git), each with a .repro
# file holding the one command that reproduces it.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
TOOLS=$ROOT/harness/tools
BUILD=$ROOT/build/fuzz
JOBS=${FUZZ_JOBS:-$(nproc)}

die() { echo "make fuzz: $*" >&2; exit 2; }

# Seconds from "60", "90s", "10m", "8h".
parse_time() {
  local t=$1
  case "$t" in
    *[0-9]s) t=${t%s}; mult=1 ;;
    *[0-9]m) t=${t%m}; mult=60 ;;
    *[0-9]h) t=${t%h}; mult=3600 ;;
    *) mult=1 ;;
  esac
  case "$t" in
    '' | *[!0-9]*) return 1 ;;
  esac
  echo $((t * mult))
}

# libFuzzer flags from fuzz/<target>.options, through the one reader
# (harness/tools/fuzz-options.sh); a malformed file stops the run.
load_options() {
  local text
  text=$(bash "$TOOLS/fuzz-options.sh" "$@") || die "cannot read fuzz/$1.options"
  opts=()
  [ -n "$text" ] && mapfile -t opts <<<"$text"
  return 0
}

# Configures (or reconfigures for another NAPUTIL_IMPL) and builds a clang
# fuzzing build directory; extra meson options follow the directory.
build_fuzz_dir() {
  local dir=$1 impl=$2 target=$3
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" -Dnaputil_impl="$impl" >/dev/null || return 1
  else
    mkdir -p "$(dirname "$dir")"
    CC=clang-14 meson setup "$dir" -Dfuzzing=true -Dtests=false -Dnaputil_impl="$impl" \
      >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log" >&2; return 1; }
  fi
  ninja -C "$dir" "fuzz/fuzz_$target" >"$dir.build.log" 2>&1 ||
    { tail -40 "$dir.build.log" >&2; return 1; }
}

bash "$TOOLS/install-deps.sh" base clang fuzz || exit 2

# ---- make fuzz-selftest ----------------------------------------------------
if [ "${1:-}" = selftest ]; then
  status=0
  for planted in "$ROOT"/fuzz/planted/*.patch; do
    name=$(basename "$planted" .patch)
    t=$(sed -n 's/^fuzz-target: *\([a-z_]*\).*/\1/p' "$planted" | head -1)
    [ -n "$t" ] || { echo "fuzz-selftest: $planted has no 'fuzz-target:' line" >&2; status=1; continue; }
    dir=$ROOT/build/h-fuzz-selftest-$name
    echo "=== fuzz-selftest: $name, target $t (build dir $dir)"
    mkdir -p "$dir-src"
    # lib/src with the patch, built as the fuzz build's planted_* sources are
    # (fuzz/meson.build): the tracked CoTaskMem* stays the allocator in force.
    lib_files=()
    for f in "$ROOT"/lib/src/*.c "$ROOT"/lib/src/*.h; do
      [ "$(basename "$f")" = cotaskmem_default.c ] || lib_files+=("$f")
    done
    python3 "$ROOT/harness/zoo/zoo_source.py" "$dir-src/$name.c" "$planted" "${lib_files[@]}" ||
      { status=1; continue; }
    build_fuzz_dir "$dir" "$dir-src/$name.c" "$t" || { status=1; continue; }
    # From an empty corpus, without the dictionary: the fuzzer, not the
    # seeds (which hold 32768), has to find the bug.
    work=$dir/selftest
    rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
    start=$(date +%s.%N)
    load_options "$t" --no-dict
    "$dir/fuzz/fuzz_$t" -max_total_time=60 "${opts[@]}" \
      -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
    rc=$?
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    crash=$(ls "$work/artifacts" 2>/dev/null | head -1)
    if [ $rc -ne 0 ] && [ -n "$crash" ] &&
      grep -qE "NapUtil contract violation|ERROR: AddressSanitizer" "$work/log"; then
      echo "fuzz-selftest: $name found in ${secs} s: $(grep -m1 -E 'contract violation|ERROR: AddressSanitizer' "$work/log")"
      # The finding must replay: same input, same verdict.
      if "$dir/fuzz/fuzz_$t" "$work/artifacts/$crash" >/dev/null 2>&1; then
        echo "fuzz-selftest: $name: the saved crash does not reproduce" >&2
        status=1
      fi
    else
      echo "fuzz-selftest: $name NOT found within 60 s (exit $rc); log: $work/log" >&2
      status=1
    fi
  done
  [ $status -eq 0 ] && echo "fuzz-selftest: every planted bug found"
  exit $status
fi

# ---- make fuzz-regress ARTIFACT=path -----------------------------------------
# Turns a crash into a permanent regression: replays it to learn what it
# found, minimises it (-minimize_crash), files it as
# fuzz/regressions/<target>/<kind>-<function>-<hash>, and runs the replay
# test, which fails until the bug is fixed (make check replays the file).
if [ "${1:-}" = regress ]; then
  artifact=${2:-}
  [ -n "$artifact" ] || die "fuzz-regress needs ARTIFACT=path (a crash file, e.g. under fuzz/artifacts/<target>/)"
  [ -f "$artifact" ] || die "fuzz-regress: ARTIFACT '$artifact' is not a file"
  artifact=$(cd "$(dirname "$artifact")" && pwd)/$(basename "$artifact")
  # The target: FUZZ_TARGET if given on the command line, else the
  # directory make fuzz saved the crash in.
  t=${FUZZ_TARGET_SET:-}
  if [ -z "$t" ]; then
    t=$(basename "$(dirname "$artifact")")
    [ -f "$ROOT/fuzz/fuzz_$t.c" ] ||
      die "fuzz-regress: cannot tell the target from '$artifact'; add FUZZ_TARGET=<target>"
  fi
  [ -f "$ROOT/fuzz/fuzz_$t.c" ] || die "fuzz-regress: unknown target '$t'"
  impl=${NAPUTIL_IMPL:-}
  echo "=== make fuzz-regress: $artifact, target $t${impl:+, against $impl}"
  build_fuzz_dir "$BUILD" "$impl" "$t" || die "build failed"
  ninja -C "$BUILD" "fuzz/replay_$t" >>"$BUILD.build.log" 2>&1 || die "replay build failed (see $BUILD.build.log)"
  bin=$BUILD/fuzz/fuzz_$t
  work=$BUILD/regress
  rm -rf "$work" && mkdir -p "$work"
  load_options "$t"
  # What it found: the kind our verdict names, or the sanitizer's own.
  crash_kind() {
    local log=$1 k
    k=$(sed -nE 's/^==== NapUtil contract violation, kind ([a-z-]+):.*/\1/p' "$log" | head -1)
    [ -n "$k" ] || k=$(sed -nE 's/^==[0-9]+==ERROR: [A-Za-z]+Sanitizer: ([a-z-]+).*/\1/p' "$log" | head -1)
    [ -n "$k" ] || { grep -q 'runtime error:' "$log" && k=undefined-behaviour; }
    [ -n "$k" ] || { grep -q 'ERROR: libFuzzer: timeout' "$log" && k=timeout; }
    [ -n "$k" ] || { grep -q 'ERROR: libFuzzer: out-of-memory' "$log" && k=out-of-memory; }
    [ -n "$k" ] || { grep -q 'ERROR: libFuzzer: deadly signal' "$log" && k=crash; }
    echo "$k"
  }
  "$bin" "${opts[@]}" "$artifact" >"$work/replay.log" 2>&1 &&
    die "fuzz-regress: $artifact does not crash $bin (fixed already, or another NAPUTIL_IMPL?); log: $work/replay.log"
  kind=$(crash_kind "$work/replay.log")
  [ -n "$kind" ] || die "fuzz-regress: $artifact crashes, but in no way make fuzz reports (log: $work/replay.log)"
  echo "make fuzz-regress: it reproduces: $kind"
  # Minimise; keep the original when libFuzzer finds nothing smaller that
  # still crashes the same way.
  input=$artifact
  (cd "$work" && "$bin" "${opts[@]}" -minimize_crash=1 -max_total_time=30 \
    -exact_artifact_path="$work/minimized" "$artifact" >"$work/minimize.log" 2>&1)
  if [ -s "$work/minimized" ] && ! "$bin" "${opts[@]}" "$work/minimized" >"$work/min-replay.log" 2>&1 &&
    [ "$(crash_kind "$work/min-replay.log")" = "$kind" ]; then
    echo "make fuzz-regress: minimised $(wc -c <"$artifact") -> $(wc -c <"$work/minimized") bytes"
    input=$work/minimized
  else
    echo "make fuzz-regress: no smaller input crashes the same way; keeping all $(wc -c <"$artifact") bytes"
  fi
  fn=$(sed -nE 's/^==== NapUtil contract violation, kind [a-z-]+: \([0-9]+ violation\(s\)\) in ([A-Za-z]+).*/\1/p' \
    "$work/replay.log" | head -1)
  hash=$(sha1sum "$input" | cut -c1-12)
  dest_dir=$ROOT/fuzz/regressions/$t
  dest=$dest_dir/$kind${fn:+-$fn}-$hash
  mkdir -p "$dest_dir"
  if [ -f "$dest" ]; then
    echo "make fuzz-regress: already filed as ${dest#"$ROOT"/}"
  else
    cp "$input" "$dest"
    echo "make fuzz-regress: filed ${dest#"$ROOT"/} (add it to git)"
  fi
  echo "make fuzz-regress: the replay test over fuzz/regressions/$t (meson test -C build/fuzz replay_$t):"
  if meson test -C "$BUILD" --no-rebuild "replay_$t" >"$work/meson-test.log" 2>&1; then
    echo "make fuzz-regress: replay_$t PASSES: the implementation under test no longer has this bug"
    exit 0
  fi
  grep -E 'contract violation|ERROR: [A-Za-z]+Sanitizer|runtime error' "$BUILD/meson-logs/testlog.txt" | head -3 | sed 's/^/  /'
  echo "make fuzz-regress: replay_$t FAILS on ${dest#"$ROOT"/}, as it should until the bug is fixed;"
  echo "  make check runs it in every configuration (suite fuzz-replay) and passes once the bug is fixed."
  exit 1
fi

# ---- make fuzz ---------------------------------------------------------------
target=${FUZZ_TARGET:-connections}
[ -f "$ROOT/fuzz/fuzz_$target.c" ] ||
  die "unknown FUZZ_TARGET '$target' (have: $(cd fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//' | tr '\n' ' '))"
secs=$(parse_time "${FUZZ_TIME:-60}") || die "FUZZ_TIME '${FUZZ_TIME}' is not N, Ns, Nm or Nh"
[ "$secs" -gt 0 ] || die "FUZZ_TIME must be positive"
impl=${NAPUTIL_IMPL:-}
overnight=0
[ "$secs" -ge 3600 ] && overnight=1
# FUZZ_MODE=fork or jobs overrides the choice by duration (e.g. to try the
# overnight path briefly).
case "${FUZZ_MODE:-}" in
  fork) overnight=1 ;;
  jobs) overnight=0 ;;
esac
merge=${FUZZ_MERGE:-$overnight}

echo "=== make fuzz: target '$target' for ${secs} s on $JOBS core(s)${impl:+ against $impl} (build dir $BUILD)"
build_fuzz_dir "$BUILD" "$impl" "$target" || die "build failed"
bin=$BUILD/fuzz/fuzz_$target

corpus=$BUILD/corpus-$target
artifacts=$ROOT/fuzz/artifacts/$target
logs=$BUILD/logs-$target
mkdir -p "$corpus" "$artifacts"
rm -rf "$logs" && mkdir -p "$logs"
# Seeds and past crashes are (re)copied each run; earlier finds stay.
find "$ROOT/fuzz/corpus/$target" "$ROOT/fuzz/regressions/$target" -type f ! -name '.*' \
  -exec cp -n -t "$corpus" {} + 2>/dev/null
before=$(ls "$artifacts" | grep -v '\.repro$' | sort)

load_options "$target"
common=(-artifact_prefix="$artifacts/" -max_total_time="$secs" -print_final_stats=1 "${opts[@]}")
if [ $overnight -eq 1 ]; then
  mode=(-fork="$JOBS" -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
else
  mode=(-jobs="$JOBS" -workers="$JOBS")
fi
echo "make fuzz: $bin ${mode[*]} ${common[*]} $corpus"
(cd "$logs" && "$bin" "${mode[@]}" "${common[@]}" "$corpus" >"$logs/main.log" 2>&1)
rc=$?

# Figures: fork mode's parent prints totals; -jobs leaves one log per job.
if [ $overnight -eq 1 ]; then
  last=$(grep -E '^#[0-9]+: cov:' "$logs/main.log" | tail -1)
  execs=$(echo "$last" | sed -E 's/^#([0-9]+):.*/\1/')
  cov=$(echo "$last" | sed -E 's/.* cov: ([0-9]+).*/\1/')
  ft=$(echo "$last" | sed -E 's/.* ft: ([0-9]+).*/\1/')
else
  execs=0 cov=0 ft=0
  for log in "$logs"/fuzz-*.log; do
    [ -f "$log" ] || continue
    last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -1)
    [ -n "$last" ] || continue
    n=$(echo "$last" | sed -E 's/^#([0-9]+).*/\1/')
    c=$(echo "$last" | sed -E 's/.* cov: ([0-9]+).*/\1/')
    f=$(echo "$last" | sed -E 's/.* ft: ([0-9]+).*/\1/')
    execs=$((execs + n))
    [ "$c" -gt "$cov" ] && cov=$c
    [ "$f" -gt "$ft" ] && ft=$f
  done
fi
execs=${execs:-0}

# Minimise the working corpus; merge new coverage into the seeds on request.
min=$corpus.min
rm -rf "$min" && mkdir -p "$min"
"$bin" -merge=1 "${opts[@]}" "$min" "$corpus" >"$logs/merge.log" 2>&1 &&
  rm -rf "$corpus" && mv "$min" "$corpus"
if [ "$merge" = 1 ]; then
  seeds_before=$(ls "$ROOT/fuzz/corpus/$target" | wc -l)
  "$bin" -merge=1 "${opts[@]}" "$ROOT/fuzz/corpus/$target" "$corpus" >"$logs/merge-seeds.log" 2>&1
  echo "make fuzz: merged into fuzz/corpus/$target: $seeds_before -> $(ls "$ROOT/fuzz/corpus/$target" | wc -l) files"
fi

echo "make fuzz: $target: executions $execs in ${secs} s, $((execs / secs)) exec/s on $JOBS core(s)," \
  "cov $cov, ft $ft, corpus $(ls "$corpus" | wc -l) files (minimised, in $corpus)"

# Coverage of the implementation: a -fprofile-instr-generate build of the
# replay driver, run over the minimised corpus.  Any failure of this step
# fails make fuzz (after the crashes are listed): a run that promised a
# coverage report and printed none must not end with "no crash".
cov_dir=$BUILD-coverage
cov_error=
coverage_report() {
  local tool
  for tool in llvm-profdata-14 llvm-cov-14; do
    command -v "$tool" >/dev/null ||
      { cov_error="$tool is not installed (harness/tools/install-deps.sh fuzz installs llvm-14)"; return 1; }
  done
  if [ ! -f "$cov_dir/build.ninja" ]; then
    # Meson's compiler checks run instrumented programs: their profiles
    # must not land in the checkout.
    LLVM_PROFILE_FILE=$BUILD-coverage-setup.profraw CC=clang-14 meson setup "$cov_dir" -Dtests=false -Dfuzzing=true -Dnaputil_impl="$impl" \
      -Dc_args='-fprofile-instr-generate -fcoverage-mapping' \
      -Dc_link_args='-fprofile-instr-generate -fcoverage-mapping' >"$cov_dir.setup.log" 2>&1 ||
      { cov_error="coverage build setup failed (see $cov_dir.setup.log)"; return 1; }
  else
    meson configure "$cov_dir" -Dfuzzing=true -Dnaputil_impl="$impl" >/dev/null ||
      { cov_error="meson configure $cov_dir failed"; return 1; }
  fi
  ninja -C "$cov_dir" "fuzz/replay_$target" >"$cov_dir.build.log" 2>&1 ||
    { cov_error="coverage build failed (see $cov_dir.build.log)"; return 1; }
  rm -f "$cov_dir"/replay-*.profraw
  # The replay's own verdict is the fuzzer's business; a crash here still
  # leaves the profiles of the inputs before it.
  LLVM_PROFILE_FILE="$cov_dir/replay-%p.profraw" "$cov_dir/fuzz/replay_$target" "$corpus" \
    >"$cov_dir.replay.log" 2>&1
  ls "$cov_dir"/replay-*.profraw >/dev/null 2>&1 ||
    { cov_error="the coverage replay wrote no profile (see $cov_dir.replay.log)"; return 1; }
  llvm-profdata-14 merge -sparse "$cov_dir"/replay-*.profraw -o "$cov_dir/$target.profdata" \
    >"$cov_dir.profdata.log" 2>&1 ||
    { cov_error="llvm-profdata-14 merge failed: $(tail -1 "$cov_dir.profdata.log")"; return 1; }
  local report
  report=$(llvm-cov-14 report "$cov_dir/fuzz/replay_$target" -instr-profile="$cov_dir/$target.profdata" \
    -ignore-filename-regex='/(harness|fuzz)/' 2>&1) ||
    { cov_error="llvm-cov-14 report failed: $(echo "$report" | tail -1)"; return 1; }
  echo "make fuzz: line coverage of the implementation over the corpus:"
  echo "$report" | sed 's/^/  /'
}
if [ "${FUZZ_COVERAGE:-1}" = 1 ]; then
  coverage_report || echo "make fuzz: ERROR: coverage step: $cov_error" >&2
fi

# Crashes of this run, each with the command that reproduces it.
found=0
for f in $(ls "$artifacts" | grep -v '\.repro$' | sort); do
  grep -qxF -- "$f" <<<"$before" && continue
  found=$((found + 1))
  cmd="$bin $artifacts/$f"
  echo "$cmd" >"$artifacts/$f.repro"
  echo "make fuzz: CRASH saved: $artifacts/$f"
  echo "  reproduce: $cmd"
  echo "  (or without libFuzzer: $ROOT/build/plain/fuzz/replay_$target $artifacts/$f);"
  echo "  to keep it as a regression: make fuzz-regress ARTIFACT=$artifacts/$f"
done
if [ $found -gt 0 ] || [ $rc -ne 0 ]; then
  [ $found -eq 0 ] && echo "make fuzz: libFuzzer exited with $rc; see $logs" >&2
  exit 1
fi
if [ -n "$cov_error" ]; then
  echo "make fuzz: no crash, but the coverage step failed: $cov_error" >&2
  exit 1
fi
echo "make fuzz: no crash"
