#!/usr/bin/env bash
# exe_wrapper of Meson's default 'plain' test setup: runs one test program
# with its report files in a fresh directory (see below), then lets
# progress_verdict.py fail the test when a process ended inside a call
# under test (Criterion counts a worker that exits with status 0 as a pass).
# It runs once per test, so it starts no other program on the common path
# (no subshell, no mktemp): about 1/10 of the CPU of the tool wrappers.
# Usage: plain-wrap.sh PROGRAM [ARG...]
set -u
here=${BASH_SOURCE[0]%/*}
# NAPUTIL_TEST_WRAPPER: a command each test program runs under (gdb, rr; the
# runner's own interrupt test), in the plain configuration.
inner=()
[ -n "${NAPUTIL_TEST_WRAPPER:-}" ] && inner=("$NAPUTIL_TEST_WRAPPER")
# Scripts run as they are (the zoo runner reads progress files itself).
magic=
LC_ALL=C read -r -n 4 magic <"$1" 2>/dev/null
if [ "$magic" != $'\x7fELF' ]; then
  exec "${inner[@]}" "$@"
fi
# Like wrap-common.sh's begin_run: under NAPUTIL_REPORT_DIR (check.sh
# sets it), else tool-reports/ in the working directory (the build dir),
# the run's directory receives the call guard's progress files, the
# harness's findings and figures, Criterion's JSON report and the command
# line, by which the report finds the Meson test it belongs to.
reports=${NAPUTIL_REPORT_DIR:-$PWD/tool-reports}/${1##*/}.$$
mkdir -p "$reports" || exit 2
printf '%s\0' "$@" >"$reports/argv" || exit 2
export NAPUTIL_PROGRESS_DIR=$reports NAPUTIL_REPORT_DIR=$reports
export CRITERION_OUTPUTS=json:$reports/criterion.json
"${inner[@]}" "$@"
status=$?
# A process that ended outside a call removed its progress file: without
# any left there is nothing to judge.
if ! compgen -G "$reports/progress.*" >/dev/null; then
  exit "$status"
fi
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" "$here/progress_verdict.py" "$reports" "$status"
