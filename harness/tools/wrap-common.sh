# shellcheck shell=bash
# Sourced by check.sh and suppressions-audit.sh.  (The tool wrappers that
# once shared this file are now memharness run, harness/tools/memharness.)

# The system interpreter: a version-manager shim on PATH can cost seconds per
# call.
pick_python() {
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}
