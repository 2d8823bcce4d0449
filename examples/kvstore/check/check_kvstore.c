/* The check a kvstore developer writes with memharness: one scenario
 * (parse, check the result's shape, free, check the frees), run once
 * cleanly and then swept with every allocation failing in turn.  The
 * verdicts, with member paths, come from the library; this file only says
 * what kvstore promises. */
#include <criterion/criterion.h>
#include <string.h>

#include <memharness/check.h>
#include <memharness/fault.h>
#include <memharness/shape_check.h>
#include <memharness/sweep.h>
#include <memharness/tracker.h>

#include "kv_types.h"

static const char *const documents[] = {
    "alpha=1;beta=22;gamma=333",
    "k=",
    "a=1;broken;c=3", /* malformed: must fail cleanly */
};

static void parse_and_free(check_ctx *ctx, void *arg)
{
    const char *text = arg;
    kv_store *store = (kv_store *)&store; /* proves *out is written */
    uint64_t seq = tracker_next_seq();
    int rc = kv_parse(text, &store);
    if (rc != 0) {
        CHECK(ctx, store == NULL, "kv_parse(\"%s\") failed but left *out = %p", text,
              (void *)store);
        CHECK(ctx, fault_hits() > 0 || strstr(text, "broken"),
              "kv_parse(\"%s\") failed with no fault injected", text);
        return;
    }
    CHECK(ctx, !strstr(text, "broken"), "kv_parse accepted malformed \"%s\"", text);
    shape_root root = {"store", &kv_type_store, store, 1, 0};
    shape_check_created(ctx, "kv_parse", &root, seq);
    if (strncmp(text, "alpha", 5) == 0) {
        const char *beta = kv_get(store, "beta");
        CHECK(ctx, beta && strcmp(beta, "22") == 0, "kv_get(beta) = %s", beta ? beta : "NULL");
    }
    shape_free_check fc;
    shape_free_begin(&fc, &root, NULL);
    kv_free(store);
    shape_free_end(&fc, ctx, "kv_free");
}

Test(kvstore, parse_then_free_frees_every_block_once)
{
    check_ctx ctx;
    check_init(&ctx, "kvstore");
    for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++)
        sweep_run_clean("parse_and_free", parse_and_free, (void *)documents[i], &ctx);
    cr_assert(check_ok(&ctx), "%s", ctx.message);
}

Test(kvstore, every_allocation_failure_is_survived)
{
    check_ctx ctx;
    check_init(&ctx, "kvstore sweep");
    uint64_t points = 0;
    for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++) {
        sweep_result r;
        sweep_run("parse_and_free", parse_and_free, (void *)documents[i], FAULT_TRANSIENT, &ctx, &r);
        points += r.points;
        sweep_run("parse_and_free", parse_and_free, (void *)documents[i], FAULT_PERSISTENT, &ctx, &r);
        points += r.points;
    }
    cr_expect_gt(points, 0, "no fault point was reached: is kvstore linked through memharness-wrap-malloc?");
    cr_assert(check_ok(&ctx), "%s", ctx.message);
}
