#!/usr/bin/env bash
# make suppressions-audit: runs the two tool configurations (their logs name
# the suppressions they used: Valgrind -v 'used_suppression', LSan
# 'Suppressions used'), then lists the entries no run used, so that dead
# suppressions get deleted instead of hiding tomorrow's bug.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD  # read by configs.sh
export ROOT
# shellcheck source=harness/tools/configs.sh
source harness/tools/configs.sh
# shellcheck source=harness/tools/wrap-common.sh
source harness/tools/wrap-common.sh
bash harness/tools/check.sh asan valgrind >/dev/null 2>&1 ||
  echo "suppressions-audit: make check-asan/check-valgrind failed; auditing what ran"
logs=()
for c in asan valgrind; do
  logs+=(--logs "$(config_builddir "$c" "${NAPUTIL_IMPL:-}")/tool-reports/$c")
done
"$(pick_python)" harness/tools/suppressions_audit.py unused "${logs[@]}" \
  suppressions/valgrind.supp suppressions/lsan.supp suppressions/ubsan.supp
