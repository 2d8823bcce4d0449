#!/usr/bin/env bash
# make check: builds and runs every suite in each tool configuration, then
# prints one table (configuration x suite) and a closing count line.
# Usage: check.sh all | plain | asan | valgrind ...
# NAPUTIL_IMPL=/abs/file.c checks that file instead of lib/ (docs/CONTRACT.md s.6);
# also several files, a directory of them or a .a (impl-spec.sh).
# An interrupted run leaves no process behind (process-guard.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
TOOLS=$ROOT/harness/tools
# shellcheck source=harness/tools/configs.sh
source "$TOOLS/configs.sh"
# shellcheck source=harness/tools/wrap-common.sh
source "$TOOLS/wrap-common.sh"

# shellcheck source=harness/tools/impl-spec.sh
source "$TOOLS/impl-spec.sh"
# shellcheck source=harness/tools/process-guard.sh
source "$TOOLS/process-guard.sh"
guard_start_watcher

impl=""
key=""
if [ -n "${NAPUTIL_IMPL:-}" ]; then
  impl_resolve "$NAPUTIL_IMPL" || exit 2
  impl=$(impl_option)
  key=$(impl_key)
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
hung=""
for c in "${configs[@]}"; do
  dir=$(config_builddir "$c" "$key")
  # An outside implementation whose test hit its timeout hangs the same way
  # under a tool, only slower: the remaining configurations would add many
  # minutes and no news.  (lib/'s own runs go on: a timeout there is a
  # loaded machine, see NAPUTIL_TIMEOUT_MULTIPLIER.)
  if [ -n "$hung" ]; then
    echo "=== make check: configuration '$c' skipped: $hung timed out in a previous configuration (a hang); fix that first"
    status=1
    continue
  fi
  logs+=("$c=$(config_testlog "$c" "$dir")")
  echo "=== make check: configuration '$c' (build dir $dir)${impl:+ on ${IMPL_FILES[*]}}"
  lock_builddir "$dir" || { status=1; continue; }
  if ! run_config "$c" "$dir" "$impl"; then
    status=1
    [ -n "$impl" ] && hung=$(timed_out_tests "$(config_testlog "$c" "$dir")")
  fi
done

py=$(pick_python)
# The report page (build/reports/index.html, summary.json, junit/), written
# from the same reading as the table, and the proof that it renders: a
# headless Chromium screenshot, build/reports/index.png.  Only a full run of
# lib/ writes them: a partial or NAPUTIL_IMPL run would overwrite the page
# with a part of the picture.
full=""
[ "${configs[*]}" = "${ALL_CONFIGS[*]}" ] && [ -z "$impl" ] && full=1
"$py" "$TOOLS/summarize.py" ${full:+--reports "$ROOT/build/reports"} "${logs[@]}" || status=1
if [ -n "$full" ]; then
  if bash "$TOOLS/install-deps.sh" chromium; then
    "$py" "$TOOLS/report_render_check.py" "$ROOT/build/reports" || status=1
  else
    status=1
  fi
fi
exit $status
