#!/usr/bin/env bash
# The ninja that `meson test` builds the selected tests' programs with under
# make check (configs.sh sets NINJA to this file): the build's output goes
# to BUILDDIR.compile.log, and a failed build shows only the failing steps
# and where the full log is, as make check's own compile step does.
# Usage (by Meson): ninja-logged.sh --version | [-C BUILDDIR] [TARGET...]
set -uo pipefail
[ "${1:-}" = --version ] && exec ninja --version
dir=$PWD
[ "${1:-}" = -C ] && dir=$(cd "$2" && pwd)
log=$dir.compile.log
ninja "$@" >>"$log" 2>&1 && exit 0
TOOLS=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=harness/tools/configs.sh
source "$TOOLS/configs.sh"
failed_steps "$log" >&2
echo "make check: build failed in $dir (full log: $log)" >&2
exit 1
