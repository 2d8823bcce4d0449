/* Verdict of one fuzz input (see verdict.h). */
#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fault.h"
#include "tracker.h"

void fuzz_verdict_begin(void)
{
    fault_reset();
    tracker_reset();
}

void fuzz_verdict_end(check_ctx *ctx, fuzz_schedule sched, const char *fmt, ...)
{
    /* Whatever the input armed must not fail the harness's own reporting. */
    fault_disarm();
    size_t live = tracker_live_count();
    if (live != 0) {
        char leaks[2048];
        tracker_format_leaks(leaks, sizeof leaks, 1);
        check_fail(ctx, "%zu block(s) still live after the calls:\n%s", live, leaks);
    }
    size_t errors = tracker_error_count();
    for (size_t i = 0; i < errors; i++) {
        const char *text = tracker_error_text(i);
        if (text == NULL) {
            check_fail(ctx, "%zu more allocator misuse(s) not kept", errors - i);
            break;
        }
        check_fail(ctx, "allocator misuse: %s", text);
    }
    if (check_ok(ctx))
        return;
    char input[256], what[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(input, sizeof input, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n==== NapUtil contract violation(s) (%u) in %s [%s]:\n%s\n",
            ctx->failures, input, fuzz_schedule_describe(sched, what, sizeof what),
            ctx->message);
    fflush(stderr);
    abort();
}
