/* MEMTEST's own proof (memtest.h): its end judgement passes a test that
 * frees what it allocates and fails one with a planted leak or misuse.
 * The planted_* tests must fail (suite 'seam-planted', should_fail), each
 * run alone; the ok_* tests must pass. */
#include <criterion/criterion.h>

#include <memharness/malloc_family.h>

#include "memtest.h"

#define SITE __builtin_return_address(0)

MEMTEST(memtest_probe, ok_frees_what_it_allocates)
{
    void *p = memharness_malloc_at(32, SITE);
    cr_assert(p != NULL);
    memharness_free_at(p, SITE);
}

/* The reset before the body: the injector is off and nothing is live. */
MEMTEST(memtest_probe, ok_starts_on_a_clean_harness)
{
    CHECK(ctx, tracker_live_count() == 0, "%zu block(s) live at the start",
          tracker_live_count());
    CHECK(ctx, fault_current_mode() == FAULT_OFF, "the injector is armed at the start");
}

/* A test that says it commits misuse on purpose is judged for leaks only. */
MEMTEST_JUDGED(memtest_probe, ok_judge_leaks_leaves_misuse_to_the_body, memtest_judge_leaks)
{
    void *p = memharness_malloc_at(8, SITE);
    memharness_free_at(p, SITE);
    memharness_free_at(p, SITE);
    CHECK(ctx, tracker_error_count() == 1, "the double free was not recorded");
}

MEMTEST(memtest_probe, planted_leak)
{
    cr_assert(memharness_malloc_at(24, SITE) != NULL);
}

MEMTEST(memtest_probe, planted_double_free)
{
    void *p = memharness_malloc_at(8, SITE);
    memharness_free_at(p, SITE);
    memharness_free_at(p, SITE);
}

MEMTEST_JUDGED(memtest_probe, planted_leak_under_judge_leaks, memtest_judge_leaks)
{
    cr_assert(memharness_malloc_at(24, SITE) != NULL);
}
