#!/usr/bin/env bash
# The runner's own proof that simultaneous NAPUTIL_IMPL runs are isolated
# (issue 11 item 3): a correct and a buggy implementation checked at the
# same time must each get their own verdict, and a second run of the same
# implementation must wait for the first (it would share its build) and say
# so.  Cheap: each run builds and runs only the thread probe, which sees the
# buggy entry's wrong CountedString length.
# Usage: parallel_runs.sh SOURCE_ROOT SCRATCH_DIR
set -uo pipefail
root=$1 scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch"
good=$(bash "$root/harness/tools/selftest/zoo-impl.sh" "$root" correct_reverse_release "$scratch/impl") || exit 1
bad=$(bash "$root/harness/tools/selftest/zoo-impl.sh" "$root" length_counts_nul "$scratch/impl") || exit 1

run() {  # run NAME IMPL: one make check-plain in the background
  NAPUTIL_IMPL=$2 NAPUTIL_TESTS=thread_probe make -s -C "$root" check-plain \
    >"$scratch/$1.log" 2>&1 &
  pids+=($!)
}
pids=()
run good1 "$good"
run bad "$bad"
run good2 "$good"
status=()
for p in "${pids[@]}"; do wait "$p"; status+=($?); done

fail=0
expect() {  # expect NAME EXIT_OK(0|1) PATTERN
  local name=$1 ok=$2 pattern=$3 st
  case $name in good1) st=${status[0]} ;; bad) st=${status[1]} ;; good2) st=${status[2]} ;; esac
  if { [ "$ok" = 0 ] && [ "$st" != 0 ]; } || { [ "$ok" = 1 ] && [ "$st" = 0 ]; }; then
    echo "FAIL: run '$name' exited $st"; fail=1
  fi
  if ! grep -qE "$pattern" "$scratch/$name.log"; then
    echo "FAIL: run '$name' does not say /$pattern/"; fail=1
  fi
}
expect good1 0 '^check: 1 passed, 0 failed'
expect good2 0 '^check: 1 passed, 0 failed'
expect bad 1 'race_probe: [0-9]+ wrong result'
expect bad 1 '^check: 0 passed, 1 failed'
# grep over both files, not `cat | grep -q`: under pipefail, grep -q leaving
# at its first match can fail the pipeline with cat's SIGPIPE.
if ! grep -q 'is in use by another run; waiting' "$scratch/good1.log" "$scratch/good2.log"; then
  echo "FAIL: neither run of the same implementation waited for the other"; fail=1
fi
if [ $fail != 0 ]; then
  for n in good1 bad good2; do echo "----- $n"; cat "$scratch/$n.log"; done
  exit 1
fi
echo "parallel runs: correct passed twice (one waited for the other's build), buggy failed alone"
