# shellcheck shell=bash
# Sourced by the tool wrappers (sanitizer-wrap.sh, valgrind-wrap.sh,
# tsan-wrap.sh); plain-wrap.sh does the same inline, leaner.

# Makes a fresh directory for one test run's report files, under
# NAPUTIL_REPORT_DIR (check.sh sets it per configuration; by hand it
# defaults to tool-reports/ in the working directory, which is the build
# directory under meson test).
new_report_dir() {
  local base=${NAPUTIL_REPORT_DIR:-$PWD/tool-reports} exe=$1
  mkdir -p "$base" || return 1
  mktemp -d "$base/$(basename "$exe").XXXXXX"
}

# begin_run PROGRAM [ARG...]: makes the run's report directory, REPORTS,
# and points everything the run writes there (harness/report/runs.py reads
# it): the call guard's progress files, the harness's findings.jsonl and
# metrics.jsonl, Criterion's own JSON report, and the command line (argv,
# NUL-separated), by which the report finds the Meson test it belongs to.
begin_run() {
  REPORTS=$(new_report_dir "$1") || return 1
  printf '%s\0' "$@" >"$REPORTS/argv" || return 1
  export NAPUTIL_PROGRESS_DIR=$REPORTS NAPUTIL_REPORT_DIR=$REPORTS
  export CRITERION_OUTPUTS=json:$REPORTS/criterion.json
}

# judge_run TOOL COMMAND...: runs COMMAND (the test under its tool), then
# judges it by the report files alone, because Criterion ignores what a
# tool reports when a worker exits (docs/TOOLCHAIN-NOTES.md section 1):
# the call guard's reader, then tool_reports.py TOOL.  Exits with the verdict.
judge_run() {
  local tool=$1
  shift
  "$@"
  judge_status "$tool" $?
}

# judge_status TOOL STATUS: the same judgement of a run that has ended with
# STATUS.
judge_status() {
  local tool=$1 status=$2
  "$(pick_python)" "$TOOLS_DIR/progress_verdict.py" "$REPORTS" "$status"
  status=$?
  exec "$(pick_python)" "$TOOLS_DIR/tool_reports.py" "$tool" "$REPORTS" "$status"
}

# True when the file is an ELF executable; scripts run as they are, since a
# tool would only check their interpreter.
is_elf() {
  [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# A canary whose bug this tool cannot see is skipped (Meson's 77), not run.
skip_blind_canary() {
  local expect_var=$1
  if [ -n "${NAPUTIL_CANARY:-}" ] && [ -z "${!expect_var:-}" ]; then
    echo "canary ${NAPUTIL_CANARY}: not in the reach of this configuration's tool: skipped"
    exit 77
  fi
}

# The system interpreter: a version-manager shim on PATH can cost seconds per
# call, and the wrappers run once per test.
pick_python() {
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}
