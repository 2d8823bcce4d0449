#!/usr/bin/env bash
# exe_wrapper of Meson's default 'plain' test setup: runs one test program
# with the call guard's progress files in a fresh directory, then lets
# progress_verdict.py fail the test when a process ended inside a call
# under test (Criterion counts a worker that exits with status 0 as a pass).
# Usage: plain-wrap.sh PROGRAM [ARG...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=harness/tools/wrap-common.sh
source "$here/wrap-common.sh"
if ! is_elf "$1"; then
  exec "$@"
fi
reports=$(new_report_dir "$1") || exit 2
export NAPUTIL_PROGRESS_DIR=$reports
"$@"
status=$?
exec "$(pick_python)" "$here/progress_verdict.py" "$reports" "$status"
