/* Names the scenario that was running when the process dies of a signal, so
 * that a crashing implementation under test is reported as "CRASH in
 * AllocConnections(count=3) [persistent fault at allocation 2]" and not as
 * an anonymous signal.  The process still dies (the test framework records
 * the crash and carries on with the next test). */
#ifndef HARNESS_CRASH_GUARD_H
#define HARNESS_CRASH_GUARD_H

/* Installs the handlers (once) and sets the label printed on a crash. */
void crash_guard_enter(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Clears the label; a crash outside a labelled region prints nothing extra. */
void crash_guard_leave(void);

#endif
