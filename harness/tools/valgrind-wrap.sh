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
# A script, or an interpreter (the report's and the suppressions lint's
# Python), runs no code of ours: Memcheck on CPython cost those three tests
# 31 s of CPU and could judge nothing.
case "$(basename "$1")" in python*) exec "$@" ;; esac
if ! is_elf "$1"; then
  exec "$@"
fi
begin_run "$@" || exit 2
# --child-silent-after-fork: a forked child writing into its parent's XML
# file until it execs leaves about half the files invalid XML.  The XML
# also lists the suppressions used (make suppressions-audit).  The text log
# keeps what Valgrind says about itself (a bad option, a failed start).
# The exit code 99 only marks the outer process; the verdict is the reports'.
# Not traced: a /bin/sh the test starts; a third-party program's own
# errors are not ours to judge.
memcheck=(valgrind --tool=memcheck
  --leak-check=full --show-leak-kinds=definite,indirect
  --errors-for-leak-kinds=definite,indirect
  --error-exitcode=99 --trace-children=yes --vgdb=no
  --trace-children-skip='/bin/sh,/usr/bin/sh'
  --suppressions="$TOOLS_DIR/../../suppressions/valgrind.supp"
  --xml=yes --child-silent-after-fork=yes)
# Origins are not tracked on the first run: --track-origins=yes costs a
# third of the configuration's time and only says where an uninitialised
# value came from.  A run that found one is run again with it, into
# origins/ (not read for the verdict, which stays the first run's: a second
# run that happened not to repeat the error must not clear it).
"${memcheck[@]}" --track-origins=no \
  --xml-file="$REPORTS/vg.%p.xml" --log-file="$REPORTS/vg.%p.log" "$@"
status=$?
if grep -qs '<kind>Uninit' "$REPORTS"/vg.*.xml; then
  mkdir -p "$REPORTS/origins"
  "${memcheck[@]}" --track-origins=yes \
    --xml-file="$REPORTS/origins/vg.%p.xml" --log-file="$REPORTS/origins/vg.%p.log" \
    "$@" >"$REPORTS/origins/output" 2>&1
  echo "valgrind-wrap: an uninitialised value was used; where it came from" \
    "(--track-origins=yes, a second run): $REPORTS/origins/" >&2
fi
judge_status valgrind "$status"
