#!/usr/bin/env bash
# Writes one zoo entry as a one-file implementation, the form NAPUTIL_IMPL
# takes, for the runner self-tests: lib/src with the entry's patch applied
# (harness/zoo/zoo_source.py), so no file in the tree copies lib's code.
# Usage: zoo-impl.sh SOURCE_ROOT ENTRY OUT_DIR   (prints the .c path)
set -euo pipefail
root=$1 entry=$2 out=$3
mkdir -p "$out"
lib=()
for f in "$root"/lib/src/*.c "$root"/lib/src/*.h; do
  case "$f" in */cotaskmem_default.c) continue ;; esac  # the harness provides CoTaskMem*
  lib+=("$f")
done
python3 "$root/harness/zoo/zoo_source.py" "$out/zoo_$entry.c" \
  "$root/harness/zoo/$entry.patch" "${lib[@]}" >&2
echo "$out/zoo_$entry.c"
