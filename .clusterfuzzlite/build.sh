#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build contract, through the project's own Meson
# build (fuzz/meson.build, -Dfuzzing_engine): the same source lists as every
# other build.  $CC/$CXX, $CFLAGS/$CXXFLAGS (the flavour's sanitizer and
# coverage flags) and $LIB_FUZZING_ENGINE come from the builder; the targets
# are linked by $CXX.  Puts into $OUT each target's binary,
# <target>_seed_corpus.zip (seeds plus past crashes), <target>.options and
# <target>.dict.  Runs from the project checkout ($SRC/naputil in the image;
# the checkout root when make check runs it, with NAPUTIL_ROOT set).
ROOT=${NAPUTIL_ROOT:-$PWD}
if [ ! -f "$ROOT/lib/include/naputil.h" ]; then
  echo "build.sh: run from the naputil checkout (or set NAPUTIL_ROOT)" >&2
  exit 1
fi
: "${OUT:?build.sh: \$OUT is not set}" "${LIB_FUZZING_ENGINE:?build.sh: \$LIB_FUZZING_ENGINE is not set}"
WORK=${WORK:-$(mktemp -d)}
BUILD=$WORK/naputil-build
rm -rf "$BUILD"
mkdir -p "$OUT"

targets=()
for src in "$ROOT"/fuzz/fuzz_*.c; do
  t=$(basename "$src" .c)
  targets+=("${t#fuzz_}")
done

# buildtype=plain: the flavour's -O1 and debug info, not Meson's.  No
# -Werror: the builder's clang is not ours, and warnings are make check's
# business.  b_lundef=false: sanitizers with any shared library.
if ! CC=$CC CXX=$CXX meson setup "$BUILD" "$ROOT" \
  -Dfuzzing=true -Dtests=false -Dfuzzing_engine="$LIB_FUZZING_ENGINE" \
  -Dbuildtype=plain -Dwerror=false -Ddefault_library=static -Db_lundef=false \
  -Dc_args="$CFLAGS" -Dc_link_args="$CFLAGS" -Dcpp_args="$CXXFLAGS" -Dcpp_link_args="$CXXFLAGS" \
  >"$WORK/meson-setup.log" 2>&1; then
  cat "$WORK/meson-setup.log" >&2
  echo "build.sh: meson setup failed" >&2
  exit 1
fi
ninja -C "$BUILD" "${targets[@]/#/fuzz/fuzz_}"

for target in "${targets[@]}"; do
  cp "$BUILD/fuzz/fuzz_$target" "$OUT/$target"
  rm -f "$OUT/${target}_seed_corpus.zip"
  (cd "$ROOT/fuzz" && find "corpus/$target" "regressions/$target" -type f ! -name '.*' -print0 |
    xargs -0 -r zip -q -j "$OUT/${target}_seed_corpus.zip")
  for extra in options dict; do
    if [ -f "$ROOT/fuzz/$target.$extra" ]; then
      cp "$ROOT/fuzz/$target.$extra" "$OUT/"
    fi
  done
done
