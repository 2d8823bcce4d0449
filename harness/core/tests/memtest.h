/* One way to write a Criterion test of code that allocates through the
 * harness (after systemd's TEST() and cmocka's runner, which wrap every
 * test in the same set-up and check):
 *
 *     MEMTEST(suite, name) { ...the body, recording into ctx... }
 *
 * The body runs on a clean harness (tracker_reset, fault_reset: nothing
 * live, no misuse, injector off) with `check_ctx *ctx`, empty, to record
 * its own failures into; when it returns, the end judgement runs every
 * time: whatever the body recorded, plus every block still live and every
 * misuse the tracker saw, fails the test with all of them listed.  The
 * reset happens in the body, after the suite's .init, so a suite's .init
 * must not allocate through the tracker.  Waivers are not reset: those of
 * MEMHARNESS_WAIVERS belong to the whole run.  Extra arguments go to
 * Criterion's Test (.init, .timeout, ...).
 *
 * A test whose end must be judged otherwise says so, naming the judge:
 *
 *     MEMTEST_JUDGED(suite, name, memtest_judge_leaks) { ... }
 *
 * memtest_judge_leaks: the body commits misuse on purpose and checks it
 * itself; leaks are still judged.  memtest_judge_body: the body leaves
 * blocks or misuse on purpose and checks the tracker itself; only what it
 * recorded into ctx is judged.  static inline like tracker_verdict.h. */
#ifndef SUITES_MEMTEST_H
#define SUITES_MEMTEST_H

#include "tracker_verdict.h"

/* Sets the harness and ctx up for a MEMTEST body. */
static inline void memtest_begin(check_ctx *ctx)
{
    verdict_clean_slate();
    check_init(ctx, "%s", "");
}

/* MEMTEST's end judgement: ctx's failures, every block live and every
 * misuse since the reset; fails the test listing them, then resets. */
static inline void memtest_judge_clean(check_ctx *ctx)
{
    verdict_assert(ctx);
}

/* The end judgement of a test that commits misuse on purpose: ctx's
 * failures and every block still live fail it; misuse does not. */
static inline void memtest_judge_leaks(check_ctx *ctx)
{
    CHECK(ctx, tracker_live_count() == 0, "%zu block(s) still live at the end of the test",
          tracker_live_count());
    verdict_clean_slate();
    cr_assert(check_ok(ctx), "%u failure(s):\n%s", ctx->failures, ctx->message);
}

/* The end judgement of a test that judges the tracker itself: ctx's
 * failures only. */
static inline void memtest_judge_body(check_ctx *ctx)
{
    verdict_clean_slate();
    cr_assert(check_ok(ctx), "%u failure(s):\n%s", ctx->failures, ctx->message);
}

/* A Criterion test suite/name whose body (the braces that follow) runs on
 * a clean harness and is judged by judge(ctx) when it returns. */
#define MEMTEST_JUDGED(suite, name, judge, ...)                                           \
    static void memtest_body_##suite##_##name(check_ctx *ctx __attribute__((unused)));    \
    Test(suite, name, ##__VA_ARGS__)                                                      \
    {                                                                                     \
        check_ctx memtest_ctx;                                                            \
        memtest_begin(&memtest_ctx);                                                      \
        memtest_body_##suite##_##name(&memtest_ctx);                                      \
        judge(&memtest_ctx);                                                              \
    }                                                                                     \
    static void memtest_body_##suite##_##name(check_ctx *ctx __attribute__((unused)))

/* A test judged for leaks and misuse at its end (memtest_judge_clean). */
#define MEMTEST(suite, name, ...) MEMTEST_JUDGED(suite, name, memtest_judge_clean, ##__VA_ARGS__)

#endif
