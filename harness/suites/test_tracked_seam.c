/* The harness's tracked CoTaskMem* (harness/core/seams/cotaskmem_tracked.c)
 * against the same seam rules as lib's default, plus what only the tracker
 * can show: Realloc(p, 0) really frees, and a refused growth leaves the
 * block live and intact. */
#include <criterion/criterion.h>

#include <memharness/fault.h>
#include "seam_rules.h"
#include <memharness/tracker.h>

static void fail_next(void)
{
    fault_arm(FAULT_TRANSIENT, 1);
}

static void stop_failing(void)
{
    fault_reset();
}

static void clean_slate(void)
{
    tracker_reset();
    fault_reset();
}

TestSuite(tracked_seam, .init = clean_slate);

Test(tracked_seam, obeys_the_seam_rules)
{
    check_ctx ctx;
    check_init(&ctx, "tracked CoTaskMem*");
    const seam_probe tracked = {fail_next, stop_failing, tracker_live_count};
    seam_rules_check(&ctx, &tracked);
    CHECK(&ctx, tracker_live_count() == 0, "%zu block(s) left live", tracker_live_count());
    CHECK(&ctx, tracker_error_count() == 0, "misuse recorded: %s",
          tracker_error_text(0) ? tracker_error_text(0) : "?");
    cr_assert(check_ok(&ctx), "%u failure(s):\n%s", ctx.failures, ctx.message);
}
