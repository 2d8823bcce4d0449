/* Self-test of the link-time seam (memharness-wrap + memharness-wrap-malloc):
 * the code under test's malloc family reaches the tracker and the fault
 * injector; the test program's own allocations, libc's and Criterion's do
 * not.  Linked against an unwrapped fixture, or with --wrap applied to the
 * whole program, this suite fails (the 'seam-planted' tests prove it). */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>
#include <memharness/tracker.h>

#include "memtest.h"
#include "wrapped_cut.h"

/* True when the tracker knows p and its call site names function fn. */
static bool tracked_from(const void *p, const char *fn)
{
    tracker_block b;
    if (!tracker_lookup(p, &b))
        return false;
    char where[256];
    callsite_describe(b.site, where, sizeof where);
    cr_log_info("block %p from %s", p, where);
    return strstr(where, fn) != NULL;
}

MEMTEST(wrap_seam, code_under_test_allocations_are_tracked_with_their_site)
{
    unsigned char *m = cut_malloc(10);
    unsigned char *c = cut_calloc(3, 4);
    char *d = cut_strdup("abc");
    char *n = cut_strndup("abcdef", 3);
    cr_assert(m && c && d && n);
    cr_expect_eq(tracker_live_count(), 4, "4 blocks of the code under test live, got %zu",
                 tracker_live_count());
    cr_expect(tracked_from(m, "cut_malloc"), "malloc's block not tracked at cut_malloc");
    cr_expect(tracked_from(c, "cut_calloc"), "calloc's block not tracked at cut_calloc");
    cr_expect(tracked_from(d, "cut_strdup"), "strdup's block not tracked at cut_strdup");
    cr_expect(tracked_from(n, "cut_strndup"), "strndup's block not tracked at cut_strndup");
    cr_expect_eq(m[0], TRACKER_POISON_NEW, "malloc's block is not the tracker's (no poison)");
    for (size_t i = 0; i < 12; i++)
        cr_expect_eq(c[i], 0, "calloc's byte %zu not zero", i);
    cr_expect_str_eq(d, "abc");
    cr_expect_str_eq(n, "abc");
    unsigned char *r = cut_realloc(m, 100);
    cr_assert(r);
    cr_expect(tracked_from(r, "cut_realloc"), "realloc's block not tracked at cut_realloc");
    tracker_block old;
    cr_expect(r == m || !tracker_lookup(m, &old), "realloc left the old block live");
    cut_free(r);
    cut_free(c);
    cut_free(d);
    cut_free(n);
    cr_expect_eq(tracker_live_count(), 0, "frees of the code under test not seen");
    cr_expect_eq(tracker_error_count(), 0, "misuse recorded: %s",
                 tracker_error_text(0) ? tracker_error_text(0) : "");
}

MEMTEST(wrap_seam, code_under_test_allocations_fail_under_faults)
{
    fault_arm(FAULT_PERSISTENT, 1);
    cr_expect_null(cut_malloc(8), "malloc of the code under test not failed");
    cr_expect_null(cut_calloc(2, 8), "calloc of the code under test not failed");
    cr_expect_null(cut_strdup("x"), "strdup of the code under test not failed");
    cr_expect_null(cut_realloc(NULL, 8), "realloc of the code under test not failed");
    cr_expect_eq(fault_hits(), 4, "4 injected failures expected, got %llu",
                 (unsigned long long)fault_hits());
    fault_reset();
}

/* A plain Test, not a MEMTEST: its premise is a tracker that nothing has
 * reset in this process, which MEMTEST's reset would make vacuous. */
Test(wrap_seam, harness_libc_and_criterion_allocations_are_never_counted)
{
    /* Criterion set this worker up (and libc its stdio) before the body
     * ran, all with malloc: had any of it reached the tracker, it would
     * show here, since nothing has reset the tracker in this process. */
    cr_expect_eq(tracker_alloc_total(), 0,
                 "%llu allocations from outside the code under test were tracked",
                 (unsigned long long)tracker_alloc_total());
    fault_arm(FAULT_PERSISTENT, 1);
    void *own = malloc(32);
    char *dup = strdup("own");
    void *zero = calloc(4, 4);
    void *grown = realloc(NULL, 64);
    char *formatted = NULL;
    int len = asprintf(&formatted, "%d", 42);
    FILE *f = fopen("/dev/null", "w");
    if (f) {
        fprintf(f, "%s", "buffered");
        fclose(f);
    }
    cr_log_info("a Criterion log line while every counted allocation fails");
    uint64_t seen = fault_calls();
    uint64_t tracked = tracker_alloc_total();
    fault_reset();
    cr_expect(own && dup && zero && grown && len == 2 && f,
              "an allocation outside the code under test was failed");
    free(own);
    free(dup);
    free(zero);
    free(grown);
    free(formatted);
    cr_expect_eq(seen, 0, "the injector saw %llu allocations outside the code under test",
                 (unsigned long long)seen);
    cr_expect_eq(tracked, 0, "%llu allocations outside the code under test were tracked",
                 (unsigned long long)tracked);
    /* And the same program does count its code under test. */
    fault_arm(FAULT_PERSISTENT, 1);
    cr_expect_null(cut_malloc(1), "the code under test's malloc was not counted");
    cr_expect_eq(fault_calls(), 1);
    fault_reset();
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

/* A misuse through the wrapped malloc family is named by the function the
 * code under test called (free, realloc), never by another seam's. */
MEMTEST(wrap_seam, misuse_is_named_by_the_c_library_function)
{
    void *p = cut_malloc(12);
    cr_assert_not_null(p);
    cut_free(p);
    cut_free(p);
    cr_assert_eq(tracker_error_count(), 1, "the double free was not recorded");
    cr_expect(first_error_starts("free of a freed pointer (double free) at cut_free"),
              "text: %s", first_error());

    tracker_reset();
    char *own = malloc(16); /* the test's own: the real malloc's */
    cr_assert_not_null(own);
    cut_free(own);
    cr_assert_eq(tracker_error_count(), 1, "the invalid free was not recorded");
    cr_expect(first_error_starts("free of ") &&
                  strstr(first_error(), "not a live block of the wrapped malloc") != NULL &&
                  strstr(first_error(), "CoTaskMem") == NULL,
              "text: %s", first_error());

    /* realloc(p, 0) frees: a stale p is still realloc's misuse. */
    tracker_reset();
    p = cut_malloc(12);
    cut_free(p);
    cr_expect_null(cut_realloc(p, 0));
    cr_expect(first_error_starts("realloc of a freed pointer (double free) at cut_realloc"),
              "text: %s", first_error());

    tracker_reset();
    cr_expect_null(cut_realloc(own, 32), "realloc of a foreign pointer did not fail");
    cr_expect(first_error_starts("realloc of ") &&
                  strstr(first_error(), "CoTaskMem") == NULL,
              "text: %s", first_error());
    free(own);
    tracker_reset();
}
