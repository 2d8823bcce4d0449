/* Self-test of memharness-wrap's coverage of the C library's allocating
 * functions beyond the malloc family: each is tracked at the code under
 * test's call site, fails under a fault the way glibc fails when out of
 * memory, and its result is freed cleanly with free. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <string.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>
#include <memharness/tracker.h>

#include "wrapped_cut.h"

/* No misuse recorded since the last reset; logs the first one. */
static bool no_misuse(void)
{
    size_t n = tracker_error_count();
    if (n > 0)
        cr_log_error("misuse: %s", tracker_error_text(0) ? tracker_error_text(0) : "");
    return n == 0;
}

Test(wrap_libc, vasprintf_result_freed_is_not_misuse)
{
    tracker_reset();
    fault_reset();
    char *s = cut_format("%s-%d", "abc", 42);
    cr_assert_not_null(s);
    cr_expect_str_eq(s, "abc-42");
    cut_free(s);
    cr_expect(no_misuse(), "free of vasprintf's result reported as misuse");
    cr_expect_eq(tracker_live_count(), 0);
}
