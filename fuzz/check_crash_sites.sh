#!/usr/bin/env bash
# Proves that different kinds of contract violation crash in different top
# stack frames (what ClusterFuzz groups crashes by): replays a leak
# (planted leak_at_13, count 13) and a wrong result (planted signed_cast,
# count 40000) under AddressSanitizer, reads the first frame of each report
# that is not libc's abort machinery from the sanitizer's log file, and
# fails unless they are the leak's and the wrong result's own functions and
# the crash text still names the scenario.
# Usage: check_crash_sites.sh REPLAY_LEAK_AT_13 REPLAY_SIGNED_CAST SCRATCH_DIR
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: check_crash_sites.sh REPLAY_LEAK REPLAY_SIGNED SCRATCH" >&2; exit 2; }
leak_bin=$1 signed_bin=$2 scratch=$3
rm -rf "$scratch" && mkdir -p "$scratch"

# Top frame: the first "#N 0x... in FUNCTION" line of the sanitizer's log
# that is not part of abort() itself.
top_frame() {
  sed -nE 's/^ *#[0-9]+ 0x[0-9a-f]+ in ([A-Za-z_][A-Za-z0-9_.]*).*/\1/p' "$1" |
    grep -vE '^(__)?(pthread_kill|raise|abort|gsignal|__pthread_kill_implementation|__pthread_kill_internal|__GI_.*|__sanitizer.*|__asan.*)$' |
    head -1
}

status=0
# name, replay, input bytes (count LE, schedule, mask), expected function, scenario
run() {
  local name=$1 bin=$2 bytes=$3 want=$4 scenario=$5
  printf "$bytes" >"$scratch/$name.input"
  ASAN_OPTIONS="handle_abort=1:detect_leaks=0:log_path=$scratch/$name.asan" \
    "$bin" "$scratch/$name.input" >"$scratch/$name.out" 2>"$scratch/$name.err"
  local rc=$? log
  log=$(ls "$scratch/$name.asan".* 2>/dev/null | head -1)
  if [ $rc -eq 0 ] || [ -z "$log" ]; then
    echo "crash_sites: $name did not crash under ASan (exit $rc); see $scratch" >&2
    status=1
    return
  fi
  local top
  top=$(top_frame "$log")
  echo "crash_sites: $name: top frame $top"
  if [ "$top" != "$want" ]; then
    echo "crash_sites: $name: expected top frame $want, got '${top:-none}' (log $log)" >&2
    status=1
  fi
  if ! grep -qF "$scenario" "$scratch/$name.err"; then
    echo "crash_sites: $name: the crash text does not name '$scenario'" >&2
    status=1
  fi
  eval "top_$name=\$top"
}
run leak "$leak_bin" '\x0d\x00\x00' napfuzz_crash_leak 'kind leak: (1 violation(s)) in AllocConnections(count=13)'
run signed "$signed_bin" '\x40\x9c\x00' napfuzz_crash_wrong_result 'kind wrong-result:'
if [ $status -eq 0 ] && [ "${top_leak:-}" = "${top_signed:-}" ]; then
  echo "crash_sites: a leak and a wrong result share the top frame ${top_leak}" >&2
  status=1
fi
[ $status -eq 0 ] && echo "crash_sites: a leak and a wrong result crash in different top frames"
exit $status
