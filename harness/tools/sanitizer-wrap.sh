#!/usr/bin/env bash
# exe_wrapper of Meson's 'asan' test setup (a clang build with
# -fsanitize=address,undefined): sends each process's ASan, LSan and UBSan
# report to its own file (log_path) and lets tool_reports.py judge the run
# from those files.
# Usage: sanitizer-wrap.sh PROGRAM [ARG...]
set -u
TOOLS_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=harness/tools/wrap-common.sh
source "$TOOLS_DIR/wrap-common.sh"
skip_blind_canary NAPUTIL_EXPECT_ASAN
export NAPUTIL_TOOL=asan
begin_run "$@" || exit 2
supp=$TOOLS_DIR/../../suppressions
# log_path gives every process its own san.<pid>; halt_on_error and the
# build's -fno-sanitize-recover=all make the first error final.
export ASAN_OPTIONS="log_path=$REPORTS/san:halt_on_error=1:detect_leaks=1:abort_on_error=0:check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=1"
export UBSAN_OPTIONS="log_path=$REPORTS/san:halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
judge_run asan "$@"
