/* The assertion the checkers' own self-tests share: a planted bug's report
 * failed and names the finding.  static inline like tracker_verdict.h. */
#ifndef SUITES_CHECKER_REPORT_EXPECT_H
#define SUITES_CHECKER_REPORT_EXPECT_H

#include <criterion/criterion.h>
#include <string.h>

#include <memharness/check.h>

/* Asserts that the report ctx on planted bug number `bug` of `kind`
 * ("free", "alloc") failed and contains `needle`. */
static inline void expect_checker_report(check_ctx ctx, const char *kind, int bug,
                                         const char *needle)
{
    cr_assert(!check_ok(&ctx), "%s bug %d passed the checker", kind, bug);
    cr_assert(strstr(ctx.message, needle) != NULL, "%s bug %d: expected \"%s\" in:\n%s", kind,
              bug, needle, ctx.message);
}

#endif
