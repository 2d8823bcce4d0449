/* Leak regressions: every leak the harness has ever found becomes one named
 * test here, so that it can never come back unnoticed.
 *
 * Convention for adding one (after a sweep, the fuzzer or a tool reported a
 * leak):
 *   - name the test after the behaviour a caller relies on, in words a
 *     user checking their own file understands (<Function>_frees_the_struct_
 *     when_<what failed>), and say in a comment where and when the leak was
 *     found and which internal block leaked;
 *   - write the fault schedule exactly as the failing run named it, in the
 *     NAPUTIL_FAULTS syntax: "[persistent fault at allocation 2]" becomes
 *     "persistent:2", "[transient fault at allocation 3]" "transient:3";
 *   - replay the exact call that leaked, in a replay function that returns
 *     what the out-parameter received (NULL on failure), then
 *     LEAK_REGRESSION(test_name, "schedule", replay_function).
 * The replay asserts the contract for a failed allocation (E_OUTOFMEMORY,
 * *out NULL), that the schedule really injected a fault (a replay that no
 * longer reaches the failing allocation proves nothing), and that no block
 * is left live; a leak fails the test with each block's allocating call
 * site, which make check prints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <memharness/crash_guard.h>
#include <memharness/fault.h>
#include "naputil.h"
#include <memharness/tracker.h>

/* One past leak: the call that leaked, run under its fault schedule. */
typedef HRESULT (*leak_replay)(void **out);

static void replay_under_schedule(const char *name, const char *schedule, leak_replay replay)
{
    char err[256];
    tracker_reset();
    fault_reset();
    cr_assert(fault_configure(schedule, err, sizeof err), "%s: bad fault schedule '%s': %s",
              name, schedule, err);

    void *out = (void *)0x1; /* any value: the contract says it is never read */
    crash_guard_enter("%s [%s]", name, schedule);
    HRESULT hr = replay(&out);
    crash_guard_leave();
    fault_disarm();
    uint64_t hits = fault_hits();

    char leaks[4096];
    size_t live = tracker_live_count();
    tracker_format_leaks(leaks, sizeof leaks, 1);
    /* Free the leaked blocks now, so that a failure here does not show up
     * again as a tool's leak report at worker exit. */
    tracker_reset();
    fault_reset();

    cr_assert(hits > 0, "%s [%s]: no allocation failed: the replay no longer reaches the "
              "allocation that leaked", name, schedule);
    cr_expect(hr == E_OUTOFMEMORY, "%s [%s]: returned 0x%08x, expected E_OUTOFMEMORY", name,
              schedule, (unsigned)hr);
    cr_expect(out == NULL, "%s [%s]: *out is %p after a failure, expected NULL", name,
              schedule, out);
    cr_assert(live == 0, "%s [%s]: %zu block(s) leaked:\n%s", name, schedule, live, leaks);
}

#define LEAK_REGRESSION(test_name, schedule, replay)                        \
    Test(leak_regressions, test_name)                                       \
    {                                                                       \
        replay_under_schedule(#test_name, schedule, replay);                \
    }

static const WCHAR abc[] = {'a', 'b', 'c', 0};

static HRESULT alloc_connections_1(void **out)
{
    return AllocConnections((Connections **)out, 1);
}

static HRESULT alloc_connections_20(void **out)
{
    return AllocConnections((Connections **)out, 20);
}

static HRESULT alloc_fixup_info_1(void **out)
{
    return AllocFixupInfo((FixupInfo **)out, 1);
}

static HRESULT alloc_counted_string_abc(void **out)
{
    return AllocCountedString((CountedString **)out, abc);
}

/* Found by the persistent sweep of AllocConnections(count=1) (zoo:
 * oom_leak_struct_when_slots_fail.c): the slot array failed and the
 * Connections block was returned to nobody. */
LEAK_REGRESSION(AllocConnections_frees_the_struct_when_the_slot_array_cannot_be_allocated,
                "persistent:2", alloc_connections_1)
/* The same leak seen by the transient sweep, at the largest valid count. */
LEAK_REGRESSION(AllocConnections_count_20_frees_the_struct_when_only_the_slot_array_fails,
                "transient:2", alloc_connections_20)
/* Found by the persistent sweep of AllocCountedString (zoo:
 * oom_leak_persistent_only.c): the copy failed, then so did an allocation
 * on the failure path, which returned without freeing the CountedString. */
LEAK_REGRESSION(AllocCountedString_frees_the_struct_when_every_allocation_after_it_fails,
                "persistent:2", alloc_counted_string_abc)
/* The transient twin: only the copy fails; it must be cleaned up as well. */
LEAK_REGRESSION(AllocCountedString_frees_the_struct_when_only_the_string_copy_fails,
                "transient:2", alloc_counted_string_abc)
/* Found by the transient sweep of AllocFixupInfo(count=1) (zoo:
 * oom_leak_transient_only.c): the failure path of the results array made a
 * scratch block it never freed; only a transient fault reaches it. */
LEAK_REGRESSION(AllocFixupInfo_leaves_nothing_behind_when_only_the_results_array_fails,
                "transient:2", alloc_fixup_info_1)
/* The persistent twin, which that bug survived: keeps the path covered. */
LEAK_REGRESSION(AllocFixupInfo_frees_the_struct_when_every_allocation_after_it_fails,
                "persistent:2", alloc_fixup_info_1)
