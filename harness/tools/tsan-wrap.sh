#!/usr/bin/env bash
# exe_wrapper of Meson's 'tsan' test setup (a clang build with
# -fsanitize=thread, holding the thread probe only): sends each process's
# ThreadSanitizer report to its own file and lets tsan_reports.py judge the
# run from them and name the NapUtil function each race happened in.
# Usage: tsan-wrap.sh PROGRAM [ARG...]
set -u
TOOLS_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=harness/tools/wrap-common.sh
source "$TOOLS_DIR/wrap-common.sh"
export NAPUTIL_TOOL=tsan
begin_run "$@" || exit 2
# The symbolizer names the functions in the reports (llvm-14).
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
# halt_on_error: one race is a verdict; the report names it.
export TSAN_OPTIONS="log_path=$REPORTS/tsan:halt_on_error=1:exitcode=66:second_deadlock_stack=1${symbolizer:+:external_symbolizer_path=$symbolizer}"
"$@"
status=$?
exec "$(pick_python)" "$TOOLS_DIR/tsan_reports.py" "$REPORTS" "$status"
