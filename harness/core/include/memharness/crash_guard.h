/* The call guard: names the call under test that was in progress when its
 * process ended, so that a test can never pass by ending early, and no call
 * can hang a run.
 *
 * On entering a call the caller's label ("parse_config(size=7) [no
 * fault]") is written into a small per-process progress file,
 * $MEMHARNESS_PROGRESS_DIR/progress.<pid>, mapped into memory (no system call
 * per call); it is cleared on return.  When the process ends inside a call,
 * the file says how:
 *   - exit(any status): an on_exit handler records "exited with status N";
 *   - a fatal signal: the handler records it (the process still dies of it;
 *     under AddressSanitizer only SIGABRT is ours, ASan reports the rest);
 *   - _exit or SIGKILL: the label is simply left behind;
 *   - a call that does not return within the bound: a watchdog thread
 *     records "did not return within N s" and kills the process.
 * A process that ends outside a call removes its file, so only the files
 * that name a call are left.
 * harness/tools/progress_verdict.py reads those files after each test
 * program and fails the test naming the call.  Each event is also printed
 * on stderr, so a run by hand without the reader still says it.
 *
 * The bound is MEMHARNESS_CALL_TIMEOUT seconds (default 5; 0 turns the
 * watchdog off, e.g. under a debugger), ten times that under Valgrind.
 * Without MEMHARNESS_PROGRESS_DIR nothing is written to disk.
 *
 * The labels come from the callers: the guard knows nothing of the API. */
#ifndef HARNESS_CRASH_GUARD_H
#define HARNESS_CRASH_GUARD_H

/* Starts the guard (once per process) and names the call now in progress. */
void crash_guard_enter(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The call returned: clears the label. */
void crash_guard_leave(void);
/* Replaces MEMHARNESS_CALL_TIMEOUT's bound for this process (0: off), for a
 * test whose calls are bulk work by design; scaled under a tool like it. */
void crash_guard_set_timeout(unsigned seconds);
/* The watchdog's bound in seconds as configured for this process (0: off). */
unsigned crash_guard_timeout_seconds(void);

#endif
