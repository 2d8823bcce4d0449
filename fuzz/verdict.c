/* Verdict of one fuzz input (see verdict.h). */
#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <memharness/fault.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

/* Per input, reset by fuzz_verdict_begin: failures already blamed on a
 * kind, and the first kind blamed. */
static unsigned blamed_failures;
static fuzz_kind first_kind;

const char *fuzz_kind_name(fuzz_kind kind)
{
    switch (kind) {
    case FUZZ_KIND_DOUBLE_FREE: return "double-free";
    case FUZZ_KIND_OUT_NOT_NULL: return "out-not-null";
    case FUZZ_KIND_WRONG_RESULT: return "wrong-result";
    case FUZZ_KIND_SHAPE_ERROR: return "shape-error";
    case FUZZ_KIND_RELEASE_COUNT: return "release-count";
    case FUZZ_KIND_LEAK: return "leak";
    case FUZZ_KIND_NONE: break;
    }
    return "violation";
}

void fuzz_verdict_begin(void)
{
    fault_reset();
#ifndef NAPFUZZ_UNTRACKED
    tracker_reset();
#endif
    blamed_failures = 0;
    first_kind = FUZZ_KIND_NONE;
}

void fuzz_verdict_blame(const check_ctx *ctx, fuzz_kind kind)
{
    if (ctx->failures > blamed_failures && first_kind == FUZZ_KIND_NONE)
        first_kind = kind;
    blamed_failures = ctx->failures;
}

/* The crash sites: one non-inlined function per kind, each with its own
 * text so that no compiler or linker folds them into one.  The stack of a
 * finding reads <kind function> <- fuzz_verdict_end <- the target. */
#define CRASH_SITE(fn, kind_text)                                                    \
    __attribute__((noinline, noreturn)) void fn(const char *report);               \
    __attribute__((noinline, noreturn)) void fn(const char *report)                \
    {                                                                              \
        fprintf(stderr, "\n==== NapUtil contract violation, kind " kind_text " %s\n", \
                report);                                                           \
        fflush(stderr);                                                            \
        abort();                                                                   \
    }
CRASH_SITE(napfuzz_crash_leak, "leak:")
CRASH_SITE(napfuzz_crash_double_free, "double-free:")
CRASH_SITE(napfuzz_crash_release_count, "release-count:")
CRASH_SITE(napfuzz_crash_wrong_result, "wrong-result:")
CRASH_SITE(napfuzz_crash_out_not_null, "out-not-null:")
CRASH_SITE(napfuzz_crash_shape_error, "shape-error:")

/* Not static and not inlined: it must stay a frame of its own between the
 * crash site and the target. */
__attribute__((noinline, noreturn)) void napfuzz_crash(fuzz_kind kind, const char *report);
__attribute__((noinline, noreturn)) void napfuzz_crash(fuzz_kind kind, const char *report)
{
    switch (kind) {
    case FUZZ_KIND_LEAK: napfuzz_crash_leak(report);
    case FUZZ_KIND_DOUBLE_FREE: napfuzz_crash_double_free(report);
    case FUZZ_KIND_RELEASE_COUNT: napfuzz_crash_release_count(report);
    case FUZZ_KIND_WRONG_RESULT: napfuzz_crash_wrong_result(report);
    case FUZZ_KIND_OUT_NOT_NULL: napfuzz_crash_out_not_null(report);
    case FUZZ_KIND_SHAPE_ERROR:
    case FUZZ_KIND_NONE: break;
    }
    /* A failure no phase blamed is a shape error: the checks that do not
     * say otherwise compare structures. */
    napfuzz_crash_shape_error(report);
}

void fuzz_verdict_end(check_ctx *ctx, fuzz_schedule sched, const char *fmt, ...)
{
    /* Whatever the input armed must not fail the harness's own reporting. */
    fault_disarm();
    fuzz_verdict_blame(ctx, FUZZ_KIND_SHAPE_ERROR);
    /* Misuse and leaks apart, so that each gets its kind: a double free
     * outranks whatever it caused; a leak is blamed only when nothing
     * earlier explains it. */
    check_ctx misuse, clean;
    check_init(&misuse, "%s", "");
    check_init(&clean, "%s", "");
#ifndef NAPFUZZ_UNTRACKED /* make bench's yardstick: no tracker to ask */
    tracker_check_misuse(&misuse);
    tracker_check_clean(&clean);
#endif
    check_merge(ctx, &clean);
    if (check_ok(ctx))
        return;
    fuzz_kind kind = first_kind;
    if (!check_ok(&misuse))
        kind = FUZZ_KIND_DOUBLE_FREE;
    else if (kind == FUZZ_KIND_NONE)
        kind = FUZZ_KIND_LEAK;
    char input[256], what[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(input, sizeof input, fmt, ap);
    va_end(ap);
    static char report[CHECK_MESSAGE_MAX + 512];
    snprintf(report, sizeof report, "(%u violation(s)) in %s [%s]:\n%s\n", ctx->failures, input,
             fuzz_schedule_describe(sched, what, sizeof what), ctx->message);
    napfuzz_crash(kind, report);
}
