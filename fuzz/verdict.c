/* Verdict of one fuzz input (see verdict.h). */
#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <memharness/fault.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

void fuzz_verdict_begin(void)
{
    fault_reset();
    tracker_reset();
}

void fuzz_verdict_end(check_ctx *ctx, fuzz_schedule sched, const char *fmt, ...)
{
    /* Whatever the input armed must not fail the harness's own reporting. */
    fault_disarm();
    tracker_check_clean(ctx);
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
