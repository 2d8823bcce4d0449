#!/usr/bin/env bash
# make check: builds and runs every suite in each tool configuration, then
# prints one table (configuration x suite) and a closing count line.
# Usage: check.sh all | plain | asan | valgrind ...
# NAPUTIL_IMPL=/abs/file.c checks that file instead of lib/ (CONTRACT.md s.6).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
TOOLS=$ROOT/harness/tools
# shellcheck source=harness/tools/configs.sh
source "$TOOLS/configs.sh"

impl=${NAPUTIL_IMPL:-}
if [ -n "$impl" ]; then
  case "$impl" in
    /*) ;;
    *) echo "make check: NAPUTIL_IMPL must be an absolute path, got '$impl'" >&2; exit 2 ;;
  esac
  if [ ! -f "$impl" ]; then
    echo "make check: NAPUTIL_IMPL=$impl: no such file" >&2
    exit 2
  fi
fi

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(all)
if [ "${configs[0]}" = all ]; then
  configs=("${ALL_CONFIGS[@]}")
fi

groups=(base)
for c in "${configs[@]}"; do
  groups+=($(config_deps "$c"))
done
bash "$TOOLS/install-deps.sh" "${groups[@]}" || exit 2

builddirs=()
status=0
for c in "${configs[@]}"; do
  dir=$(config_builddir "$c" "$impl")
  builddirs+=("$c=$dir")
  echo "=== make check: configuration '$c' (build dir $dir)${impl:+ on $impl}"
  if ! run_config "$c" "$dir" "$impl"; then
    status=1
  fi
done

python3 "$TOOLS/summarize.py" "${builddirs[@]}" || status=1
exit $status
