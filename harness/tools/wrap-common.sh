# shellcheck shell=bash
# Sourced by the tool wrappers: makes a fresh directory for one test run's
# report files, under NAPUTIL_REPORT_DIR (check.sh sets it per configuration;
# by hand it defaults to tool-reports/ in the working directory, which is the
# build directory under meson test).
new_report_dir() {
  local base=${NAPUTIL_REPORT_DIR:-$PWD/tool-reports} exe=$1
  mkdir -p "$base" || return 1
  mktemp -d "$base/$(basename "$exe").XXXXXX"
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
