/* How a fuzz target turns a check_ctx into a libFuzzer finding: after the
 * input's calls are done it adds the tracker's own verdict (no live block,
 * no recorded misuse), and on any failure prints every message and aborts,
 * which libFuzzer (and the replay driver) reports as a crash with the input
 * saved. */
#ifndef FUZZ_VERDICT_H
#define FUZZ_VERDICT_H

#include <memharness/check.h>
#include "schedule_byte.h"

/* Starts an input: empties the tracker and the injector, so nothing of the
 * previous input (a leak, a recorded misuse, an armed fault) can leak into
 * this one's verdict. */
void fuzz_verdict_begin(void);
/* Ends an input: records leaks and tracker misuses into ctx, then aborts
 * with the full report, headed by the input's description (fmt, formatted
 * only on failure: exec/s matters) and its schedule, if ctx holds any
 * failure; returns only when clean. */
void fuzz_verdict_end(check_ctx *ctx, fuzz_schedule sched, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
