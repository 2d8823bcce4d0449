#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh as OSS-Fuzz's compile step would, with
# clang-14 and libFuzzer, in the address, undefined and coverage flavours
# (the flags below are OSS-Fuzz's base-clang CFLAGS plus its
# SANITIZER_FLAGS_<flavour> and COVERAGE_FLAGS[_coverage]), each into a
# scratch $OUT; checks that every fuzz target came out with its seed corpus
# and options, and runs each target once over its seeds.
# Usage: check_clusterfuzzlite_build.sh PROJECT_ROOT SCRATCH_DIR [FLAVOUR...]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: check_clusterfuzzlite_build.sh ROOT SCRATCH [address|undefined|coverage...]" >&2; exit 2; }
root=$1
scratch=$2
shift 2
flavours=("$@")
[ ${#flavours[@]} -gt 0 ] || flavours=(address undefined coverage)

# The builds link clang's runtimes (ASan, UBSan, profile, libFuzzer), which
# Debian ships apart from clang-14: the plain configuration of make check
# does not install them, so this test does (as root; else it says how).
bash "$root/harness/tools/install-deps.sh" clang || exit 1

base='-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION'
feedback='-fsanitize=fuzzer-no-link'
ubsan_checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
flags_for() {
  case "$1" in
    address) echo "$base -fsanitize=address -fsanitize-address-use-after-scope $feedback" ;;
    undefined) echo "$base -fsanitize=$ubsan_checks,unsigned-integer-overflow -fno-sanitize-recover=$ubsan_checks $feedback" ;;
    coverage) echo "$base -fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument" ;;
    *) return 1 ;;
  esac
}

# What only the flavour's instrumentation puts into the implementation's
# objects (the runtimes themselves are linked into every flavour's
# binaries, so the binaries cannot tell).
instrumentation_symbol() {
  case "$1" in
    address) echo ' U __asan_report_' ;;
    undefined) echo ' U __ubsan_handle_' ;;
    coverage) echo ' __profc_' ;;
  esac
}

rm -rf "$scratch"
cd "$root"
status=0
for flavour in "${flavours[@]}"; do
  flags=$(flags_for "$flavour") || { echo "clusterfuzzlite build: unknown flavour '$flavour'" >&2; exit 2; }
  dir=$scratch/$flavour
  mkdir -p "$dir/out" "$dir/work"
  start=$(date +%s)
  if ! CC=clang-14 CXX=clang++-14 CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    SANITIZER=$flavour OUT="$dir/out" WORK="$dir/work" SRC="$(dirname "$root")" NAPUTIL_ROOT="$root" \
    LLVM_PROFILE_FILE="$dir/work/build-%p.profraw" \
    bash .clusterfuzzlite/build.sh >"$dir/build.log" 2>&1; then
    echo "clusterfuzzlite build ($flavour): build.sh failed:" >&2
    tail -30 "$dir/build.log" >&2
    status=1
    continue
  fi
  # The flavour's flags reached the implementation under test.
  impl_lib=$dir/work/naputil-build/fuzz/libfuzz_impl.a
  # (grep reads all of nm's output: with -q, nm's SIGPIPE fails the pipe.)
  if ! nm "$impl_lib" 2>/dev/null | grep -c "$(instrumentation_symbol "$flavour")" >/dev/null; then
    echo "clusterfuzzlite build ($flavour): $impl_lib has no '$(instrumentation_symbol "$flavour")': the flavour's flags did not reach the implementation" >&2
    status=1
  fi
  count=0
  for src in fuzz/fuzz_*.c; do
    target=$(basename "$src" .c)
    target=${target#fuzz_}
    count=$((count + 1))
    for f in "$target" "${target}_seed_corpus.zip" "$target.options"; do
      if [ ! -s "$dir/out/$f" ]; then
        echo "clusterfuzzlite build ($flavour): missing \$OUT/$f" >&2
        status=1
      fi
    done
    [ -x "$dir/out/$target" ] || continue
    # The seeds once each (no mutation): the binary links and runs.
    seeds="$dir/seeds-$target"
    mkdir -p "$seeds"
    unzip -q -o "$dir/out/${target}_seed_corpus.zip" -d "$seeds"
    if ! UBSAN_OPTIONS=silence_unsigned_overflow=1 LLVM_PROFILE_FILE="$dir/work/$target-%p.profraw" \
      "$dir/out/$target" -runs=0 "$seeds" >"$dir/run-$target.log" 2>&1; then
      echo "clusterfuzzlite build ($flavour): $target failed on its seeds:" >&2
      tail -30 "$dir/run-$target.log" >&2
      status=1
    fi
  done
  if [ "$count" -eq 0 ]; then
    echo "clusterfuzzlite build: no fuzz/fuzz_*.c target found" >&2
    exit 1
  fi
  if [ "$flavour" = coverage ] && ! ls "$dir"/work/*-*.profraw >/dev/null 2>&1; then
    echo "clusterfuzzlite build (coverage): the targets wrote no profile" >&2
    status=1
  fi
  echo "clusterfuzzlite build ($flavour): $count target(s) built and ran their seeds in $(($(date +%s) - start)) s"
done
exit $status
