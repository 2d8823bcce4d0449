#!/bin/sh
# clang-14 with ASan and UBSan switched off after whatever a target asked
# for: bench.sh builds the fuzz targets with this as CC to measure them "in a
# build without sanitizers", unchanged otherwise (libFuzzer's -fsanitize=fuzzer
# stays, and fuzz/meson.build need not know about the benchmark).
exec clang-14 "$@" -fno-sanitize=address,undefined
