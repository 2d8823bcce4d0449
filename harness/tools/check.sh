#!/usr/bin/env bash
# make check: builds and runs every suite in each tool configuration, then
# prints one table (configuration x suite) and a closing count line.
# Usage: check.sh all | plain | asan | valgrind ...
# NAPUTIL_IMPL=/abs/file.c checks that file instead of lib/ (docs/CONTRACT.md s.6).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
TOOLS=$ROOT/harness/tools
# shellcheck source=harness/tools/configs.sh
source "$TOOLS/configs.sh"
# shellcheck source=harness/tools/wrap-common.sh
source "$TOOLS/wrap-common.sh"

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
  deps=$(config_deps "$c") || exit 2
  read -r -a more <<<"$deps"
  groups+=("${more[@]}")
done
bash "$TOOLS/install-deps.sh" "${groups[@]}" || exit 2

logs=()
status=0
for c in "${configs[@]}"; do
  dir=$(config_builddir "$c" "$impl")
  logs+=("$c=$(config_testlog "$c" "$dir")")
  echo "=== make check: configuration '$c' (build dir $dir)${impl:+ on $impl}"
  if ! run_config "$c" "$dir" "$impl"; then
    status=1
  fi
done

py=$(pick_python)
"$py" "$TOOLS/summarize.py" "${logs[@]}" || status=1
# The report page (build/reports/index.html, summary.json, junit/) and the
# proof that it renders: a headless Chromium screenshot, build/reports/index.png.
# Only a full run of lib/ writes them: a partial or NAPUTIL_IMPL run would
# overwrite the page with a part of the picture.
if [ "${configs[*]}" = "${ALL_CONFIGS[*]}" ] && [ -z "$impl" ]; then
  "$py" "$TOOLS/report.py" "${logs[@]}" || status=1
  if bash "$TOOLS/install-deps.sh" chromium; then
    "$py" "$TOOLS/report_render_check.py" "$ROOT/build/reports" || status=1
  else
    status=1
  fi
fi
exit $status
