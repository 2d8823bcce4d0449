#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build contract: compiles every fuzz target
# (fuzz/fuzz_<target>.c) with plain $CC invocations, using $CFLAGS for the
# code under test and $LIB_FUZZING_ENGINE for the link, and puts into $OUT
# each target's binary, <target>_seed_corpus.zip (seeds plus past crashes),
# <target>.options and <target>.dict.  Runs from the project checkout
# ($SRC/naputil in the image; the checkout root when run by make check).
ROOT=${NAPUTIL_ROOT:-$PWD}
if [ ! -f "$ROOT/lib/include/naputil.h" ]; then
  echo "build.sh: run from the naputil checkout (or set NAPUTIL_ROOT)" >&2
  exit 1
fi
WORK=${WORK:-$(mktemp -d)}
OBJ=$WORK/naputil-obj
rm -rf "$OBJ"
mkdir -p "$OBJ" "$OUT"

INCLUDES=(-I"$ROOT/lib/include" -I"$ROOT/harness/core/include" -I"$ROOT/harness/nap" -I"$ROOT/fuzz")
# $CFLAGS may hold several words (the engine's flags): split on purpose.
# shellcheck disable=SC2086
compile() {
  $CC $CFLAGS -std=c11 -D_GNU_SOURCE -g "${INCLUDES[@]}" -c "$1" -o "$2"
}

# Everything but the targets: lib's NapUtil functions (not its default
# CoTaskMem*: the harness's tracked one is the seam in force), the harness
# core and NAP layers, and the fuzz support files.
common=()
for src in "$ROOT"/lib/src/*.c "$ROOT"/harness/core/*.c "$ROOT"/harness/core/shape/*.c "$ROOT"/harness/core/seams/cotaskmem_tracked.c "$ROOT"/harness/nap/*.c "$ROOT"/fuzz/*.c; do
  name=$(basename "$src" .c)
  case "$src" in
    */lib/src/cotaskmem_default.c) continue ;;
    */fuzz/fuzz_*.c | */fuzz/replay_main.c) continue ;;
  esac
  obj="$OBJ/$(basename "$(dirname "$src")")_$name.o"
  compile "$src" "$obj" &
  common+=("$obj")
done
# Compiled in parallel; a failed compile fails the build (bash -e does not
# see background jobs, so each is waited for by id).
for job in $(jobs -p); do
  wait "$job"
done

for src in "$ROOT"/fuzz/fuzz_*.c; do
  target=$(basename "$src" .c)
  target=${target#fuzz_}
  compile "$src" "$OBJ/target_$target.o"
  # shellcheck disable=SC2086
  $CC $CFLAGS $LIB_FUZZING_ENGINE -rdynamic "$OBJ/target_$target.o" "${common[@]}" \
    -lpthread -ldl -o "$OUT/$target"
  rm -f "$OUT/${target}_seed_corpus.zip"
  (cd "$ROOT/fuzz" && find "corpus/$target" "regressions/$target" -type f ! -name '.*' -print0 \
    | xargs -0 -r zip -q -j "$OUT/${target}_seed_corpus.zip")
  for extra in options dict; do
    if [ -f "$ROOT/fuzz/$target.$extra" ]; then
      cp "$ROOT/fuzz/$target.$extra" "$OUT/"
    fi
  done
done
