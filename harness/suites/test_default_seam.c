/* lib's own default CoTaskMem* (lib/src/cotaskmem_default.c), linked
 * without the harness allocator, against the seam rules of docs/CONTRACT.md
 * section 2.  Growth failure cannot be provoked here without a fault hook,
 * so that rule is checked on the tracked seam only. */
#include <criterion/criterion.h>

#include "seam_rules.h"

Test(default_seam, obeys_the_seam_rules)
{
    check_ctx ctx;
    check_init(&ctx, "default CoTaskMem*");
    const seam_probe none = {NULL, NULL, NULL};
    seam_rules_check(&ctx, &none);
    cr_assert(check_ok(&ctx), "%u failure(s):\n%s", ctx.failures, ctx.message);
}
