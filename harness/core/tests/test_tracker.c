/* Self-tests of the tracking allocator: each commits one deliberate misuse
 * and demands that the tracker records it, with text a person can act on.
 * Each is a MEMTEST; those that commit misuse say so (memtest_judge_leaks:
 * they judge the misuse themselves, and must still leave nothing live).
 * Misuses that AddressSanitizer or Valgrind would themselves stop (writing
 * past a block, writing after free) run only when the tracker's own guards
 * are on, i.e. outside those tools. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memharness/crash_guard.h>
#include <memharness/fault.h>
#include <memharness/tracker.h>

#include "memtest.h"

/* Declared by the seam, not by a core header: the core is NAP- and
 * COM-agnostic, and this test uses the seam only to allocate from a named
 * function. */
void *CoTaskMemAlloc(size_t cb);
void CoTaskMemFree(void *pv);

/* True when some recorded misuse contains needle. */
static bool error_mentions(const char *needle)
{
    for (size_t i = 0; i < tracker_error_count(); i++) {
        const char *t = tracker_error_text(i);
        if (t != NULL && strstr(t, needle) != NULL)
            return true;
    }
    return false;
}

/* Not static and not inlined: the leak report must be able to name it. */
__attribute__((noinline)) void *tracker_selftest_leaky_function(size_t n)
{
    void *p = CoTaskMemAlloc(n);
    __asm__ volatile("" ::: "memory"); /* keep the call from becoming a tail call */
    return p;
}

/* The leaky function's caller, so that a stack has a frame to show above
 * the allocating function. */
__attribute__((noinline)) void *tracker_selftest_leak_caller(size_t n)
{
    void *p = tracker_selftest_leaky_function(n);
    __asm__ volatile("" ::: "memory");
    return p;
}

MEMTEST(tracker, leak_stacks_show_three_frames_on_every_path)
{
    /* The first allocation after a reset decides who may take the fast
     * path; the ones after it take it: both must record the whole stack. */
    for (int i = 0; i < 3; i++) {
        void *p = tracker_selftest_leak_caller(24);
        tracker_block b;
        cr_assert(tracker_lookup(p, &b), "allocation %d is not live", i);
        cr_assert_geq(b.depth, 3, "allocation %d: %u frames recorded", i, b.depth);
        char where[1024];
        tracker_describe_stack(&b, where, sizeof where);
        cr_assert(strstr(where, "tracker_selftest_leaky_function") != NULL &&
                      strstr(where, "tracker_selftest_leak_caller") != NULL,
                  "allocation %d: the stack lacks the allocating function or its caller: %s",
                  i, where);
        CoTaskMemFree(p);
    }
    cr_assert_eq(tracker_error_count(), 0);
}

MEMTEST(tracker, leak_names_the_allocating_function)
{
    void *kept = tracker_selftest_leaky_function(40);
    cr_assert_not_null(kept);
    cr_assert_eq(tracker_live_count(), 1, "live blocks: %zu", tracker_live_count());
    cr_assert_eq(tracker_live_bytes(), 40);
    char text[2048];
    size_t n = tracker_format_leaks(text, sizeof text, 1);
    cr_assert_eq(n, 1, "leaks reported: %zu", n);
    cr_assert(strstr(text, "leaked") != NULL && strstr(text, "40 bytes") != NULL,
              "leak text lacks the size: %s", text);
    cr_assert(strstr(text, "tracker_selftest_leaky_function") != NULL,
              "leak text does not name the allocating function: %s", text);
    CoTaskMemFree(kept);
    cr_assert_eq(tracker_live_count(), 0);
    cr_assert_eq(tracker_format_leaks(text, sizeof text, 1), 0);
}

MEMTEST_JUDGED(tracker, double_free_is_recorded_once_with_history, memtest_judge_leaks)
{
    void *p = tracker_alloc(16, NULL);
    tracker_free(p, NULL);
    cr_assert_eq(tracker_error_count(), 0);
    tracker_free(p, NULL);
    cr_assert_eq(tracker_error_count(), 1, "errors: %zu", tracker_error_count());
    cr_assert(error_mentions("double free"), "text: %s", tracker_error_text(0));
    cr_assert(error_mentions("16 bytes"), "text lacks the block: %s", tracker_error_text(0));
    cr_assert_eq(tracker_free_total(), 1);
}

MEMTEST_JUDGED(tracker, invalid_free_of_malloc_memory_is_recorded_not_freed, memtest_judge_leaks)
{
    char *foreign = malloc(32);
    cr_assert_not_null(foreign);
    tracker_free(foreign, NULL);
    cr_assert_eq(tracker_error_count(), 1);
    cr_assert(error_mentions("not a live CoTaskMem block"), "text: %s", tracker_error_text(0));
    /* Still ours: the tracker must not have handed it to free(). */
    memset(foreign, 1, 32);
    free(foreign);

    char *inner = tracker_alloc(32, NULL);
    tracker_free(inner + 8, NULL);
    cr_assert_eq(tracker_error_count(), 2, "an interior pointer was accepted");
    cr_assert_eq(tracker_live_count(), 1);
    tracker_free(inner, NULL);
}

MEMTEST_JUDGED(tracker, realloc_of_a_foreign_pointer_is_recorded, memtest_judge_leaks)
{
    char *foreign = malloc(8);
    cr_assert_not_null(foreign);
    void *r = tracker_realloc(foreign, 64, NULL);
    cr_assert_null(r, "realloc of a foreign pointer returned %p", r);
    cr_assert_eq(tracker_error_count(), 1);
    cr_assert(error_mentions("CoTaskMemRealloc"), "text: %s", tracker_error_text(0));
    cr_assert_eq(tracker_live_count(), 0);
    free(foreign);
}

MEMTEST_JUDGED(tracker, guard_overrun_is_recorded_at_free, memtest_judge_leaks)
{
    if (!tracker_guards_enabled())
        cr_skip_test("guards are left to the memory tool in this configuration");
    unsigned char *p = tracker_alloc(10, NULL);
    p[10] = 0; /* one byte past the end */
    cr_assert_eq(tracker_error_count(), 0, "reported before the free");
    tracker_free(p, NULL);
    cr_assert_eq(tracker_error_count(), 1);
    cr_assert(error_mentions("heap overrun: byte 0 past the end"), "text: %s",
              tracker_error_text(0));
}

MEMTEST_JUDGED(tracker, write_after_free_is_recorded_at_quarantine_eviction, memtest_judge_leaks)
{
    if (!tracker_guards_enabled())
        cr_skip_test("the memory tool itself stops writes after free here");
    unsigned char *p = tracker_alloc(24, NULL);
    tracker_free(p, NULL);
    p[5] = 0x42;
    /* Enough later frees to push p out of the quarantine; no verdict is
     * asked meanwhile, since asking audits the whole quarantine and would
     * find the write before the eviction does. */
    for (int i = 0; i < 4096; i++)
        tracker_free(tracker_alloc(8, NULL), NULL);
    cr_assert_eq(tracker_error_count(), 1, "write after free not reported");
    cr_assert(error_mentions("write after free: byte 5"), "text: %s", tracker_error_text(0));
}

MEMTEST(tracker, new_blocks_are_poisoned_and_freed_ones_too)
{
    /* Several sizes, small and large, and more than one of each: the first
     * allocation after a reset and the ones after it take different paths. */
    static const size_t sizes[] = {1, 15, 16, 33, 100, 2000, 5000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (int twice = 0; twice < 2; twice++) {
            unsigned char *q = tracker_alloc(sizes[k], NULL);
            for (size_t i = 0; i < sizes[k]; i++)
                cr_assert_eq(q[i], TRACKER_POISON_NEW, "byte %zu of a new %zu-byte block is 0x%02X",
                             i, sizes[k], q[i]);
            tracker_free(q, NULL);
        }
    }
    tracker_reset();
    unsigned char *p = tracker_alloc(64, NULL);
    for (size_t i = 0; i < 64; i++)
        cr_assert_eq(p[i], TRACKER_POISON_NEW, "byte %zu of a new block is 0x%02X", i, p[i]);
    void *z1 = tracker_alloc(0, NULL), *z2 = tracker_alloc(0, NULL);
    cr_assert(z1 != NULL && z2 != NULL && z1 != z2, "zero-size blocks not unique");
    tracker_block b;
    cr_assert(tracker_lookup(p, &b) && b.size == 64 && b.seq == 1, "lookup: size %zu seq %llu",
              b.size, (unsigned long long)b.seq);
    tracker_free(z1, NULL);
    tracker_free(z2, NULL);
    tracker_free(p, NULL);
    cr_assert_eq(tracker_error_count(), 0);
}

MEMTEST(tracker, refused_realloc_leaves_the_block_live_and_intact)
{
    unsigned char *p = tracker_alloc(12, NULL);
    memset(p, 0x11, 12);
    fault_arm(FAULT_TRANSIENT, 1);
    void *r = tracker_realloc(p, 4000, NULL);
    fault_reset();
    cr_assert_null(r, "a refused realloc returned %p", r);
    tracker_block b;
    cr_assert(tracker_lookup(p, &b), "the old block is no longer live");
    cr_assert_eq(b.size, 12);
    for (int i = 0; i < 12; i++)
        cr_assert_eq(p[i], 0x11, "byte %d changed", i);
    unsigned char *q = tracker_realloc(p, 4000, NULL);
    cr_assert(q != NULL && q != p, "a successful realloc must move (got %p from %p)",
              (void *)q, (void *)p);
    cr_assert(!tracker_lookup(p, NULL), "the old block is still live after a move");
    cr_assert_eq(q[11], 0x11);
    tracker_free(q, NULL);
    cr_assert_eq(tracker_error_count(), 0);
    cr_assert_eq(tracker_live_count(), 0);
}

MEMTEST(tracker, journal_records_events_in_order)
{
    int here;
    const void *site_a = &here, *site_b = (const char *)&here + 1;
    tracker_journal_start();
    void *a = tracker_alloc(1, site_a);
    void *b = tracker_alloc(2, site_b);
    tracker_free(a, site_b);
    fault_arm(FAULT_TRANSIENT, 1);
    void *refused = tracker_alloc(3, site_a);
    fault_reset();
    tracker_free(a, site_a); /* double free */
    tracker_free(b, site_a);
    tracker_journal_stop();
    tracker_free(tracker_alloc(4, NULL), NULL); /* after stop: not recorded */
    cr_assert_null(refused);

    static const tracker_event_kind want[] = {TRACKER_EV_ALLOC, TRACKER_EV_ALLOC,
                                              TRACKER_EV_FREE, TRACKER_EV_FAILED_ALLOC,
                                              TRACKER_EV_BAD_FREE, TRACKER_EV_FREE};
    size_t n;
    const tracker_event *ev = tracker_journal(&n);
    cr_assert_eq(n, 6, "journal holds %zu events", n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(ev[i].kind, want[i], "event %zu has kind %d, expected %d", i, ev[i].kind,
                     want[i]);
    cr_assert(ev[0].block.ptr == a && ev[0].block.size == 1 && ev[0].block.seq == 1);
    cr_assert(ev[1].block.ptr == b && ev[1].block.seq == 2);
    cr_assert(ev[2].block.ptr == a && ev[2].site == site_b && ev[2].block.site == site_a,
              "a FREE event carries the block as allocated and the freeing site");
    cr_assert(ev[4].block.ptr == a);
    cr_assert(ev[5].block.ptr == b);

    tracker_reset();
    cr_assert_eq(tracker_live_count(), 0);
    cr_assert_eq(tracker_error_count(), 0, "reset must forget the double free");
    cr_assert_eq(tracker_next_seq(), 1);
    tracker_journal(&n);
    cr_assert_eq(n, 0, "reset must empty the journal");
}

/* A three-level call chain with an inlined helper at the bottom: the leak
 * report must name every level, innermost first, and the inline chain. */
static inline __attribute__((always_inline)) void *tracker_selftest_inlined(size_t n)
{
    return CoTaskMemAlloc(n);
}
__attribute__((noinline)) void *tracker_selftest_inner(size_t n)
{
    void *p = tracker_selftest_inlined(n);
    __asm__ volatile("" ::: "memory");
    return p;
}
__attribute__((noinline)) void *tracker_selftest_middle(size_t n)
{
    void *p = tracker_selftest_inner(n);
    __asm__ volatile("" ::: "memory");
    return p;
}
__attribute__((noinline)) void *tracker_selftest_outer(size_t n)
{
    void *p = tracker_selftest_middle(n);
    __asm__ volatile("" ::: "memory");
    return p;
}

MEMTEST(tracker, leak_report_shows_the_stack_and_the_inline_chain)
{
    void *kept = tracker_selftest_outer(24);
    cr_assert_not_null(kept);
    char text[4096];
    cr_assert_eq(tracker_format_leaks(text, sizeof text, 1), 1);
    const char *inlined = strstr(text, "tracker_selftest_inlined");
    const char *inner = strstr(text, "inlined in tracker_selftest_inner");
    const char *middle = strstr(text, " <- tracker_selftest_middle");
    const char *outer = strstr(text, " <- tracker_selftest_outer");
    cr_assert(inlined && inner && middle && outer && inlined < inner && inner < middle &&
                  middle < outer,
              "the leak report lacks a frame or the inline chain: %s", text);
    cr_assert(strstr(text, "test_tracker.c:") != NULL, "no file:line: %s", text);
    CoTaskMemFree(kept);
}

/* One helper reached from two callers: depth 1 sees one site, depth 2 two. */
__attribute__((noinline)) void *tracker_selftest_helper(void)
{
    void *p = CoTaskMemAlloc(8);
    __asm__ volatile("" ::: "memory");
    return p;
}
__attribute__((noinline)) void *tracker_selftest_caller_one(void)
{
    void *p = tracker_selftest_helper();
    __asm__ volatile("" ::: "memory");
    return p;
}
__attribute__((noinline)) void *tracker_selftest_caller_two(void)
{
    void *p = tracker_selftest_helper();
    __asm__ volatile("" ::: "memory");
    return p;
}

/* Arms site mode at depth and returns how many of the two callers' calls
 * failed over a few armings (each arming fails at most one new site). */
static unsigned failures_over_armings(unsigned depth)
{
    fault_reset();
    unsigned failed = 0;
    for (int arming = 0; arming < 4; arming++) {
        fault_arm_sites_depth(depth);
        void *a = tracker_selftest_caller_one(), *b = tracker_selftest_caller_two();
        failed += (a == NULL) + (b == NULL);
        CoTaskMemFree(a);
        CoTaskMemFree(b);
    }
    fault_reset();
    return failed;
}

MEMTEST(tracker, site_faults_by_stack_tell_callers_of_one_helper_apart)
{
    cr_assert_eq(failures_over_armings(1), 1, "depth 1: one helper is one site");
    cr_assert_eq(failures_over_armings(2), 2, "depth 2: each caller of the helper is a site");
    cr_assert_eq(tracker_error_count(), 0);
    cr_assert_eq(tracker_live_count(), 0);
}

/* Sizes on both sides of the store's small-class limit, recycled through
 * the quarantine and alive together: a block handed out twice, or from the
 * wrong class, shows as another block's bytes or as a guard overrun. */
MEMTEST(tracker, blocks_around_the_small_class_limit_never_overlap)
{
    enum { FIRST = 1800, LAST = 4200, STEP = 40, COUNT = (LAST - FIRST) / STEP + 1 };
    unsigned char *blocks[COUNT];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < COUNT; i++) {
            size_t n = FIRST + (size_t)i * STEP;
            blocks[i] = tracker_alloc(n, NULL);
            cr_assert_not_null(blocks[i]);
            memset(blocks[i], i + 1, n);
        }
        for (int i = 0; i < COUNT; i++) {
            size_t n = FIRST + (size_t)i * STEP;
            for (size_t j = 0; j < n; j += 97)
                cr_assert_eq(blocks[i][j], (unsigned char)(i + 1),
                             "round %d: byte %zu of the %zu-byte block was overwritten", round,
                             j, n);
            tracker_free(blocks[i], NULL);
        }
        /* Push this round's blocks out of the quarantine for reuse. */
        for (int i = 0; i < 2048; i++)
            tracker_free(tracker_alloc(1, NULL), NULL);
    }
    cr_assert_eq(tracker_error_count(), 0, "%s", tracker_error_text(0));
    cr_assert_eq(tracker_live_count(), 0);
}

/* Without guards a zero-size block has no byte of its own: poisoning it
 * must write nothing, or it writes into the header of the block after it. */
MEMTEST(tracker, zero_size_blocks_without_guards_leave_their_neighbours_alone)
{
    tracker_set_features(TRACKER_FEATURE_ALL & ~TRACKER_FEATURE_GUARDS);
    void *blocks[64];
    for (int i = 0; i < 64; i++)
        blocks[i] = tracker_alloc(0, NULL);
    for (int i = 0; i < 64; i++)
        tracker_free(blocks[i], NULL);
    cr_assert_eq(tracker_error_count(), 0, "%s", tracker_error_text(0));
    cr_assert_eq(tracker_live_count(), 0);
}

/* The common case must take the fast path even in a Criterion worker, which
 * has a second thread: otherwise the checks of the fast path would go
 * untested here, and its cost unmeasured anywhere but in benchmarks. */
MEMTEST(tracker, the_common_case_takes_the_fast_path)
{
    if (!tracker_guards_enabled())
        cr_skip_test("under a memory tool every block is malloc'd: no fast path");
    if (!tracker_fast_path_across_threads())
        cr_skip_test("membarrier(2) is unavailable: the fast path runs only in single-threaded "
                     "processes, and this worker has a second thread");
    for (int i = 0; i < 1000; i++)
        tracker_free(tracker_alloc(24, NULL), NULL);
    /* The first allocation after a reset decides who owns the fast path. */
    cr_assert_leq(tracker_general_calls(), 2, "%llu of 2000 calls took the general path",
                  (unsigned long long)tracker_general_calls());
    uint64_t before = tracker_general_calls();
    tracker_set_features(TRACKER_FEATURE_ALL & ~TRACKER_FEATURE_POISON);
    tracker_free(tracker_alloc(24, NULL), NULL);
    cr_assert_eq(tracker_general_calls() - before, 2,
                 "with a check switched off, %llu of 2 calls took the general path",
                 (unsigned long long)(tracker_general_calls() - before));
}

/* A block that left the quarantine for its free list keeps its history, so
 * that freeing it again is still named a double free; a pointer from
 * before a reset is no block at all. */
MEMTEST_JUDGED(tracker, double_free_after_the_quarantine_is_named_with_history, memtest_judge_leaks)
{
    void *p = tracker_alloc(40, NULL);
    tracker_free(p, NULL);
    for (int i = 0; i < 2048; i++) /* another size class: p waits in its free list */
        tracker_free(tracker_alloc(8, NULL), NULL);
    cr_assert_eq(tracker_error_count(), 0);
    tracker_free(p, NULL);
    cr_assert_eq(tracker_error_count(), 1);
    /* Under a memory tool the block went back to malloc: no history left. */
    if (tracker_guards_enabled())
        cr_assert(error_mentions("double free") && error_mentions("40 bytes"), "text: %s",
                  tracker_error_text(0));

    void *q = tracker_alloc(40, NULL);
    tracker_reset();
    tracker_free(q, NULL);
    cr_assert_eq(tracker_error_count(), 1);
    cr_assert(error_mentions("not a live CoTaskMem block"), "text: %s", tracker_error_text(0));
}

/* crash_guard_set_timeout(0) promises "off" also once the watchdog runs: a
 * call that then takes longer than a poll (0.2 s) must not be killed.  The
 * guard lives here because this suite has no sweep of its own to start it. */
MEMTEST(tracker, call_guard_timeout_zero_turns_a_running_watchdog_off)
{
    crash_guard_set_timeout(5);
    crash_guard_enter("starts the guard and its watchdog");
    crash_guard_leave();
    crash_guard_set_timeout(0);
    cr_assert_eq(crash_guard_timeout_seconds(), 0);
    crash_guard_enter("a slow call with the bound off");
    struct timespec pause = {0, 700000000L};
    nanosleep(&pause, NULL);
    crash_guard_leave();
    crash_guard_set_timeout(5);
}
