#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh as OSS-Fuzz would (clang-14, ASan, libFuzzer
# as the engine) into a scratch $OUT, then checks that every fuzz target came
# out with its seed corpus and options and runs its seeds once.
# Usage: check_clusterfuzzlite_build.sh PROJECT_ROOT SCRATCH_DIR
set -euo pipefail
root=$1
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/work"
cd "$root"
CC=clang-14 CFLAGS='-fsanitize=address,fuzzer-no-link' LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
  OUT="$scratch/out" WORK="$scratch/work" SRC="$(dirname "$root")" NAPUTIL_ROOT="$root" \
  bash .clusterfuzzlite/build.sh

status=0
count=0
for src in fuzz/fuzz_*.c; do
  target=$(basename "$src" .c)
  target=${target#fuzz_}
  count=$((count + 1))
  for f in "$target" "${target}_seed_corpus.zip" "$target.options"; do
    if [ ! -s "$scratch/out/$f" ]; then
      echo "clusterfuzzlite build: missing \$OUT/$f" >&2
      status=1
    fi
  done
  [ -x "$scratch/out/$target" ] || continue
  # The seeds once each (no mutation): the binary links and runs.
  seeds="$scratch/seeds-$target"
  mkdir -p "$seeds"
  unzip -q -o "$scratch/out/${target}_seed_corpus.zip" -d "$seeds"
  if ! "$scratch/out/$target" -runs=0 "$seeds" >"$scratch/run-$target.log" 2>&1; then
    echo "clusterfuzzlite build: $target failed on its seeds:" >&2
    tail -30 "$scratch/run-$target.log" >&2
    status=1
  fi
done
if [ "$count" -eq 0 ]; then
  echo "clusterfuzzlite build: no fuzz/fuzz_*.c target found" >&2
  exit 1
fi
[ $status -eq 0 ] && echo "clusterfuzzlite build: $count target(s) built and ran their seeds"
exit $status
