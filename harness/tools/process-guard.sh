# shellcheck shell=bash
# Sourced by check.sh: runs the long commands of a check (meson setup,
# compile, test) so that an interrupted check leaves no process behind.
#
# Why this is needed (docs/TOOLCHAIN-NOTES.md): Meson's test runner puts every test in a
# session of its own, Criterion's workers and the zoo's programs follow their
# test, so a Ctrl-C or a SIGTERM that reaches make never reaches them, and
# `timeout CMD` signals only CMD.  So every process of a run carries one
# marker in its environment, NAPUTIL_RUN_ID (fresh for each check.sh, so a
# check run by a test of another check is a run of its own), and on INT, TERM
# or EXIT the guard asks Meson to stop (SIGTERM: it cancels every test), then
# kills whatever still carries the marker, wherever it was reparented.

NAPUTIL_RUN_ID="$$.$(date +%s%N)"
export NAPUTIL_RUN_ID
guard_pid=""        # process group of the command in progress
guard_parent=$PPID  # make: when it dies (even by SIGKILL), the run ends too
guard_watcher=""

# The pids of this run's processes, except this shell and its subshells.
guard_members() {
  local f pid
  # shellcheck disable=SC2013  # /proc/N/environ paths hold no blanks
  for f in $(grep -lzx "NAPUTIL_RUN_ID=$NAPUTIL_RUN_ID" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${f#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] || echo "$pid"
  done
}

# Stops everything the run started: Meson first, politely (it kills its
# tests' sessions itself), then any process still carrying the marker.
guard_stop_all() {
  local pids
  if [ -n "$guard_pid" ]; then
    kill -TERM -- "-$guard_pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 -- "-$guard_pid" 2>/dev/null || break
      sleep 0.3
    done
  fi
  for _ in 1 2 3; do
    pids=$(guard_members)
    [ -z "$pids" ] && break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null
    sleep 0.2
  done
  guard_pid=""
}

guard_on_signal() {
  local sig=$1
  trap - INT TERM
  echo "make check: interrupted (SIG$sig): stopping every process of this run" >&2
  guard_stop_all
  [ -n "$guard_watcher" ] && kill "$guard_watcher" 2>/dev/null
  trap - EXIT
  [ "$sig" = INT ] && exit 130
  exit 143
}

guard_on_exit() {
  [ -n "$guard_watcher" ] && kill "$guard_watcher" 2>/dev/null
  [ -n "$(guard_members)" ] && guard_stop_all
}

trap 'guard_on_signal INT' INT
trap 'guard_on_signal TERM' TERM
trap guard_on_exit EXIT

# A watcher that ends the run when make itself dies without passing a
# signal on (SIGKILL, a closed terminal): this shell would go on alone.
# It carries no marker, so the cleanup never kills it by mistake.
guard_start_watcher() {
  [ "$guard_parent" -le 1 ] && return 0
  ( trap - INT TERM EXIT
    unset NAPUTIL_RUN_ID
    while kill -0 "$guard_parent" 2>/dev/null; do sleep 2; done
    kill -TERM "$$" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
  guard_watcher=$!
}

# Runs one command in a process group of its own (so that a terminal's
# Ctrl-C reaches this shell's trap, not Meson's one-test-at-a-time handler)
# and returns its status.  Output goes where this shell's goes.
guarded() {
  setsid "$@" </dev/null &
  guard_pid=$!
  local status
  # wait returns early (>128) when a trapped signal arrives; the trap exits.
  wait "$guard_pid"
  status=$?
  guard_pid=""
  return "$status"
}
