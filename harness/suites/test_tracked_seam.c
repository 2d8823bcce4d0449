/* The harness's tracked CoTaskMem* (harness/core/seams/cotaskmem_tracked.c)
 * against the same seam rules as lib's default, plus what only the tracker
 * can show: Realloc(p, 0) really frees, and a refused growth leaves the
 * block live and intact. */
#include <criterion/criterion.h>

#include <memharness/fault.h>
#include "seam_rules.h"
#include <memharness/tracker.h>
#include "memtest.h"

static void fail_next(void)
{
    fault_arm(FAULT_TRANSIENT, 1);
}

static void stop_failing(void)
{
    fault_reset();
}

/* Nothing left live and no misuse recorded: MEMTEST's end judgement. */
MEMTEST(tracked_seam, obeys_the_seam_rules)
{
    check_set_context(ctx, "tracked CoTaskMem*");
    const seam_probe tracked = {fail_next, stop_failing, tracker_live_count};
    seam_rules_check(ctx, &tracked);
}
