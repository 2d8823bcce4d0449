/* The tracker's verdict inside a Criterion test body.  Criterion ignores a
 * failed cr_expect in .fini, so every test ends by asserting here instead;
 * static inline so that any number of suite libraries can be linked into
 * one program without clashing symbols. */
#ifndef SUITES_TRACKER_VERDICT_H
#define SUITES_TRACKER_VERDICT_H

#include <criterion/criterion.h>

#include <memharness/check.h>
#include <memharness/fault.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

/* .init of every suite: no block, error, journal or armed fault left over. */
static inline void verdict_clean_slate(void)
{
    tracker_reset();
    fault_reset();
}

/* Records into ctx every block still live and every misuse the tracker saw
 * since the last reset, then resets it, so the next case starts clean and a
 * failure names the case that caused it. */
static inline void verdict_case_end(check_ctx *ctx)
{
    tracker_check_clean(ctx);
    verdict_clean_slate();
}

/* Fails the test with every failure ctx collected (and how many more it
 * did not show because they repeat one shown, as a sweep's runs do), after
 * checking the tracker one last time. */
static inline void verdict_assert(check_ctx *ctx)
{
    verdict_case_end(ctx);
    if (ctx->repeats == 0)
        cr_assert(check_ok(ctx), "%u failure(s):\n%s", ctx->failures, ctx->message);
    cr_assert(check_ok(ctx), "%u failure(s) (%u of them repeat a line below in other runs):\n%s",
              ctx->failures, ctx->repeats, ctx->message);
}

#endif
