#!/usr/bin/env bash
# The runner's own proof that an interrupted make check leaves no process
# behind (issue 11 item 2): a run whose test spawns a process in a session
# of its own (as Meson and Criterion do) is interrupted the three ways a
# user or CI does it, and then no process of that run may remain.
#   INT   Ctrl-C: SIGINT to make's whole process group
#   TERM  SIGTERM to make alone (a CI job cancelled)
#   KILL  SIGKILL to make alone (check.sh must notice it is orphaned)
# Usage: interrupt.sh SOURCE_ROOT SCRATCH_DIR
set -uo pipefail
root=$1 scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch"
impl=$(bash "$root/harness/tools/selftest/zoo-impl.sh" "$root" correct_reverse_release "$scratch/impl") || exit 1

# The test wrapper: leaves a sleeper in a session of its own, runs the test,
# says it is ready, then hangs like a stuck test.
wrapper=$scratch/hang-wrap.sh
cat >"$wrapper" <<'W'
#!/usr/bin/env bash
setsid sleep 600 </dev/null >/dev/null 2>&1 &
"$@"
touch "$NAPUTIL_SELFTEST_READY"
sleep 600
W
chmod +x "$wrapper"

# The pids of every process carrying this mark in its environment.
marked() { grep -lzx "NAPUTIL_SELFTEST_MARK=$1" /proc/[0-9]*/environ 2>/dev/null |
  sed 's|/proc/||; s|/environ||' | grep -vx "$$" ; }

# Whether process PID ignores SIGINT (bit 2 of SigIgn in /proc/PID/status).
ignores_int() {
  local mask
  mask=$(awk '/^SigIgn:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$mask" ] && (( 0x$mask & 2 ))
}

# How long a run may take to stop after the signal: the guard's grace
# (Meson's own SIGTERM handling, then SIGKILL) with room for a loaded machine,
# and far below the hung test's 60 s timeout.
prompt_limit=30
fail=0
for how in INT TERM KILL; do
  mark="interrupt-$how-$$-$RANDOM"
  ready=$scratch/ready.$how
  # A shell without job control starts `cmd &` with SIGINT ignored, and so
  # would everything below it: a Ctrl-C would then stop nothing and the run
  # would end only at the test's timeout.  The subshell restores it.
  ( trap - INT QUIT
    exec setsid env NAPUTIL_SELFTEST_MARK="$mark" NAPUTIL_SELFTEST_READY="$ready" \
      NAPUTIL_IMPL="$impl" NAPUTIL_TESTS=thread_probe NAPUTIL_TEST_WRAPPER="$wrapper" \
      make -s -C "$root" check-plain >"$scratch/$how.log" 2>&1 </dev/null ) &
  make_pid=$!
  for _ in $(seq 600); do [ -e "$ready" ] && break; sleep 0.5; done
  if [ ! -e "$ready" ]; then
    echo "FAIL ($how): the run never reached its test"; cat "$scratch/$how.log"
    kill -KILL -- "-$make_pid" 2>/dev/null; fail=1; continue
  fi
  if ignores_int "$make_pid"; then
    echo "FAIL ($how): make runs with SIGINT ignored, so this cannot test a Ctrl-C"
    kill -KILL -- "-$make_pid" 2>/dev/null; fail=1; continue
  fi
  before=$(marked "$mark" | wc -l)
  sent=$(date +%s)
  case $how in
    INT) kill -INT -- "-$make_pid" ;;
    TERM) kill -TERM "$make_pid" ;;
    KILL) kill -KILL "$make_pid" ;;
  esac
  wait "$make_pid" 2>/dev/null
  # The run must end because of the signal, not because its hung test
  # reached Meson's timeout (60 s) and the check finished on its own.
  took=$(( $(date +%s) - sent ))
  if [ "$took" -gt "$prompt_limit" ] || grep -q TIMEOUT "$scratch/$how.log"; then
    echo "FAIL ($how): the run went on ${took} s after SIG$how (limit ${prompt_limit} s); it ended by itself:"
    cat "$scratch/$how.log"; fail=1
  fi
  left=""
  for _ in $(seq 40); do  # the guard's own grace period, then some
    left=$(marked "$mark")
    [ -z "$left" ] && break
    sleep 0.5
  done
  if [ -n "$left" ]; then
    echo "FAIL ($how): processes left behind after the interrupt:"
    # shellcheck disable=SC2086
    ps -o pid,ppid,pgid,sid,args -p $(echo $left | tr ' ' ',')
    kill -KILL $left 2>/dev/null
    fail=1
  else
    echo "interrupt by SIG$how: $before process(es) of the run, none left"
  fi
done
exit $fail
