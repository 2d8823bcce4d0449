/* lib's own default CoTaskMem* (lib/src/cotaskmem_default.c), linked
 * without the harness allocator, against the seam rules of docs/CONTRACT.md
 * section 2.  Growth failure cannot be provoked here without a fault hook,
 * so that rule is checked on the tracked seam only. */
#include <criterion/criterion.h>

#include "memtest.h"
#include "seam_rules.h"

/* MEMTEST's end judgement finds the tracker empty here (this seam does not
 * use it); what counts is what seam_rules_check records. */
MEMTEST(default_seam, obeys_the_seam_rules)
{
    check_set_context(ctx, "default CoTaskMem*");
    const seam_probe none = {NULL, NULL, NULL};
    seam_rules_check(ctx, &none);
}
