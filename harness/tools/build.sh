#!/usr/bin/env bash
# A bare `make`: configures and compiles the plain configuration (of lib/,
# or of NAPUTIL_IMPL) the way make check does, and runs no test.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
TOOLS=$ROOT/harness/tools
# configs.sh runs its long commands through process-guard.sh's guarded.
# shellcheck source=harness/tools/process-guard.sh
source "$TOOLS/process-guard.sh"
# shellcheck source=harness/tools/configs.sh
source "$TOOLS/configs.sh"
bash "$TOOLS/install-deps.sh" base || exit 2
impl=${NAPUTIL_IMPL:-}
dir=$(config_builddir plain "$impl")
build_config plain "$dir" "$impl" || exit 1
echo "make: built $dir (run 'make check' to test it)"
