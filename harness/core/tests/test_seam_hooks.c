/* Self-test of the hook seam (memharness-hooks): a library's hooks set to
 * memharness_hook_* send its allocations, and only those, to the tracker
 * and the fault injector, with the library's function as call site.
 * Linked with a planted hook library that forwards to malloc, this suite
 * fails (the 'seam-planted' test proves it). */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>
#include <memharness/hooks.h>
#include <memharness/tracker.h>

#include "hooked_lib.h"
#include "memtest.h"

/* The library's hooks; the tracker's and the injector's reset is MEMTEST's. */
static void install(void)
{
    hooked_lib_set_hooks(memharness_hook_malloc, memharness_hook_free);
}

MEMTEST(hook_seam, library_allocations_are_tracked_with_their_site, .init = install)
{
    char *p = hooked_lib_copy("hooked");
    cr_assert_not_null(p);
    tracker_block b;
    cr_assert(tracker_lookup(p, &b), "the library's block is not tracked");
    char where[256];
    callsite_describe(b.site, where, sizeof where);
    cr_expect(strstr(where, "hooked_lib_copy") != NULL,
              "call site should name hooked_lib_copy, got %s", where);
    void *own = malloc(16); /* the test's own: never tracked */
    cr_expect_eq(tracker_live_count(), 1, "expected only the library's block live, got %zu",
                 tracker_live_count());
    free(own);
    hooked_lib_release(p);
    cr_expect_eq(tracker_live_count(), 0, "the library's free did not reach the tracker");
    cr_expect_eq(tracker_error_count(), 0);
}

MEMTEST(hook_seam, library_allocations_fail_under_faults, .init = install)
{
    fault_arm(FAULT_PERSISTENT, 1);
    cr_expect_null(hooked_lib_copy("x"), "the library's allocation was not failed");
    void *own = malloc(16);
    cr_expect_not_null(own, "the test's own malloc was failed");
    free(own);
    cr_expect_eq(fault_calls(), 1, "the injector should see the library's call only, saw %llu",
                 (unsigned long long)fault_calls());
    fault_reset();
}

MEMTEST(hook_seam, every_hook_keeps_the_c_allocator_promise, .init = install)
{
    unsigned char *z = memharness_hook_calloc(4, 8);
    cr_assert_not_null(z);
    for (size_t i = 0; i < 32; i++)
        cr_expect_eq(z[i], 0, "calloc byte %zu not zero", i);
    unsigned char *g = memharness_hook_realloc(z, 64);
    cr_assert_not_null(g);
    cr_expect_eq(g[31], 0, "realloc lost the contents");
    char *d = memharness_hook_strdup("dup");
    cr_expect_str_eq(d, "dup");
    cr_expect_eq(tracker_live_count(), 2);
    cr_expect_null(memharness_hook_calloc(SIZE_MAX, 2), "calloc overflow not refused");
    cr_expect_null(memharness_hook_realloc(g, 0), "realloc to 0 should free and return NULL");
    memharness_hook_free(d);
    memharness_hook_free(NULL);
    cr_expect_eq(tracker_live_count(), 0);
    cr_expect_eq(tracker_error_count(), 0);
}

/* The first misuse recorded, or "" (for a message). */
static const char *first_error(void)
{
    const char *t = tracker_error_text(0);
    return t ? t : "";
}

/* True when the first misuse recorded starts with prefix. */
static bool first_error_starts(const char *prefix)
{
    return strncmp(first_error(), prefix, strlen(prefix)) == 0;
}

/* A misuse through the hooks is named by the hook the library called. */
MEMTEST(hook_seam, misuse_is_named_by_the_hook, .init = install)
{
    char *p = hooked_lib_copy("twice");
    cr_assert_not_null(p);
    hooked_lib_release(p);
    hooked_lib_release(p);
    cr_assert_eq(tracker_error_count(), 1, "the double free was not recorded");
    cr_expect(first_error_starts("memharness_hook_free of a freed pointer (double free)"),
              "text: %s", first_error());

    tracker_reset();
    char *own = malloc(16); /* the test's own: the real malloc's */
    cr_assert_not_null(own);
    hooked_lib_release(own);
    cr_assert_eq(tracker_error_count(), 1, "the invalid free was not recorded");
    cr_expect(first_error_starts("memharness_hook_free of ") &&
                  strstr(first_error(), "CoTaskMem") == NULL,
              "text: %s", first_error());

    tracker_reset();
    cr_expect_null(memharness_hook_realloc(own, 32), "realloc of a foreign pointer did not fail");
    cr_expect(first_error_starts("memharness_hook_realloc of ") &&
                  strstr(first_error(), "CoTaskMem") == NULL,
              "text: %s", first_error());
    free(own);
    tracker_reset();
}
