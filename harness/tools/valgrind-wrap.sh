#!/usr/bin/env bash
# exe_wrapper of Meson's 'valgrind' test setup: runs one test under Memcheck,
# each process (Criterion re-executes itself for every worker) logging to its
# own file, then lets tool_reports.py judge the run from those files, because
# Criterion ignores what Valgrind finds at worker exit (docs/TOOLCHAIN-NOTES.md section 1).
# Usage: valgrind-wrap.sh PROGRAM [ARG...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=harness/tools/wrap-common.sh
source "$here/wrap-common.sh"
skip_blind_canary NAPUTIL_EXPECT_VALGRIND
export NAPUTIL_TOOL=valgrind
if ! is_elf "$1"; then
  exec "$@"
fi
reports=$(new_report_dir "$1") || exit 2
# The call guard's progress files (progress_verdict.py) go there too.
export NAPUTIL_PROGRESS_DIR=$reports
# -v makes the logs name the suppressions used (make suppressions-audit).
# The exit code 99 only marks the outer process; the verdict is the logs'.
# Not traced: the addr2line (and its /bin/sh) that leak reports spawn to
# name call sites; a third-party program's own leaks are not ours to judge.
valgrind --tool=memcheck -v \
  --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect \
  --track-origins=yes --error-exitcode=99 --trace-children=yes --vgdb=no \
  --trace-children-skip='/bin/sh,/usr/bin/sh,*/addr2line' \
  --suppressions="$root/suppressions/valgrind.supp" \
  --log-file="$reports/vg.%p.%n.log" \
  "$@"
status=$?
"$(pick_python)" "$here/progress_verdict.py" "$reports" "$status"
status=$?
exec "$(pick_python)" "$here/tool_reports.py" valgrind "$reports" "$status"
