#!/usr/bin/env bash
# exe_wrapper of Meson's 'valgrind' test setup: runs one test under Memcheck,
# each process (Criterion re-executes itself for every worker) writing its
# own XML report, then lets tool_reports.py judge the run from those files.
# Usage: valgrind-wrap.sh PROGRAM [ARG...]
set -u
TOOLS_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=harness/tools/wrap-common.sh
source "$TOOLS_DIR/wrap-common.sh"
skip_blind_canary NAPUTIL_EXPECT_VALGRIND
export NAPUTIL_TOOL=valgrind
if ! is_elf "$1"; then
  exec "$@"
fi
begin_run "$@" || exit 2
# --child-silent-after-fork: a forked child writing into its parent's XML
# file until it execs leaves about half the files invalid XML.  The XML
# also lists the suppressions used (make suppressions-audit).  The text log
# keeps what Valgrind says about itself (a bad option, a failed start).
# The exit code 99 only marks the outer process; the verdict is the reports'.
# Not traced: the addr2line (and its /bin/sh) that leak reports spawn to
# name call sites; a third-party program's own leaks are not ours to judge.
judge_run valgrind valgrind --tool=memcheck \
  --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect \
  --track-origins=yes --error-exitcode=99 --trace-children=yes --vgdb=no \
  --trace-children-skip='/bin/sh,/usr/bin/sh,*/addr2line' \
  --suppressions="$TOOLS_DIR/../../suppressions/valgrind.supp" \
  --xml=yes --xml-file="$REPORTS/vg.%p.xml" --child-silent-after-fork=yes \
  --log-file="$REPORTS/vg.%p.log" \
  "$@"
