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
 *   - replay the exact call that leaked, in a leak_replay naming the call,
 *     the shape of its success and its Free function, then
 *     LEAK_REGRESSION(test_name, "schedule", replay).
 * The replay asserts the contract for a failed allocation (E_OUTOFMEMORY,
 * *out NULL) or, when a retry made the call succeed, a complete result
 * (which it then frees); that the schedule really injected a fault (a
 * replay that no longer reaches the failing allocation proves nothing); and
 * that no block is left live; a leak fails the test with each block's
 * allocating call site, which make check prints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <memharness/crash_guard.h>
#include <memharness/fault.h>
#include "memtest.h"
#include "nap_expect.h"
#include "nap_types.h"
#include "naputil.h"
#include <memharness/tracker.h>

/* One past leak: the call that leaked, and how to judge and free what it
 * returns should a retry make it succeed under the schedule. */
typedef struct leak_replay {
    const char *fn; /* the NapUtil function, for messages */
    HRESULT (*call)(void **out);
    const struct shape_type *type;                       /* its result's description */
    void (*shape)(check_ctx *ctx, const void *result);   /* the success shape */
    void (*release)(void *result);                       /* the Free function */
} leak_replay;

/* A success under a fault is allowed when it is a complete one (contract
 * section 3): judged like any success, then freed, so that the leaks
 * counted below are only ever the implementation's. */
static void judge_and_free_success(check_ctx *ctx, const leak_replay *r, void *out,
                                   uint64_t seq)
{
    unsigned before = ctx->failures;
    if (out == NULL || out == (void *)0x1) {
        check_fail(ctx, "%s returned S_OK but *out is %s", r->fn, out ? "unchanged" : "NULL");
        return;
    }
    r->shape(ctx, out);
    nap_expect_alloc_exact(ctx, r->fn, r->type, out, seq);
    if (ctx->failures != before) {
        nap_release_result(r->type, out, seq); /* Free could crash on it */
        return;
    }
    crash_guard_enter("the Free function on the result of %s", ctx->context);
    r->release(out);
    crash_guard_leave();
}

/* The replay's every demand is recorded into ctx under "NAME [SCHEDULE]";
 * the leaks are MEMTEST's end judgement, which names each block's
 * allocating call site and resets the tracker before failing the test (so
 * that a failure does not show up again as a tool's leak report at worker
 * exit). */
static void replay_under_schedule(check_ctx *ctx, const char *name, const char *schedule,
                                  const leak_replay *r)
{
    char err[256];
    cr_assert(fault_configure(schedule, err, sizeof err), "%s: bad fault schedule '%s': %s",
              name, schedule, err);

    void *out = (void *)0x1; /* any value: the contract says it is never read */
    uint64_t seq = tracker_next_seq();
    crash_guard_enter("%s [%s]", name, schedule);
    HRESULT hr = r->call(&out);
    crash_guard_leave();
    fault_disarm();
    uint64_t hits = fault_hits();

    check_set_context(ctx, "%s [%s] returned S_OK under the fault, but not a complete result",
                      name, schedule);
    if (hr == S_OK)
        judge_and_free_success(ctx, r, out, seq);
    else if (out != NULL && out != (void *)0x1)
        nap_release_result(r->type, out, seq); /* reported below, never leaked by us */
    fault_reset();

    check_set_context(ctx, "%s [%s]", name, schedule);
    CHECK(ctx, hits > 0, "no allocation failed: the replay no longer reaches the allocation "
          "that leaked");
    CHECK(ctx, hr == E_OUTOFMEMORY || hr == S_OK,
          "returned 0x%08x, expected E_OUTOFMEMORY (or S_OK after a retry)", (unsigned)hr);
    CHECK(ctx, hr == S_OK || out == NULL, "*out is %p after a failure, expected NULL", out);
}

#define LEAK_REGRESSION(test_name, schedule, replay)                        \
    MEMTEST(leak_regressions, test_name)                                    \
    {                                                                       \
        replay_under_schedule(ctx, #test_name, schedule, &replay);          \
    }

static const WCHAR abc[] = {'a', 'b', 'c', 0};

static HRESULT call_connections_1(void **out)
{
    return AllocConnections((Connections **)out, 1);
}

static HRESULT call_connections_20(void **out)
{
    return AllocConnections((Connections **)out, 20);
}

static HRESULT call_fixup_info_1(void **out)
{
    return AllocFixupInfo((FixupInfo **)out, 1);
}

static HRESULT call_counted_string_abc(void **out)
{
    return AllocCountedString((CountedString **)out, abc);
}

static void shape_connections_1(check_ctx *ctx, const void *r)
{
    nap_expect_connections_shape(ctx, r, 1);
}

static void shape_connections_20(check_ctx *ctx, const void *r)
{
    nap_expect_connections_shape(ctx, r, 20);
}

static void shape_fixup_info_1(check_ctx *ctx, const void *r)
{
    nap_expect_fixup_info_shape(ctx, r, 1);
}

static void shape_counted_string_abc(check_ctx *ctx, const void *r)
{
    nap_expect_counted_string_shape(ctx, r, abc, 3);
}

static void free_connections(void *r)
{
    FreeConnections(r);
}

static void free_fixup_info(void *r)
{
    FreeFixupInfo(r);
}

static void free_counted_string(void *r)
{
    FreeCountedString(r);
}

static const leak_replay alloc_connections_1 = {"AllocConnections", call_connections_1,
                                                &nap_type_Connections, shape_connections_1,
                                                free_connections},
                         alloc_connections_20 = {"AllocConnections", call_connections_20,
                                                 &nap_type_Connections, shape_connections_20,
                                                 free_connections},
                         alloc_fixup_info_1 = {"AllocFixupInfo", call_fixup_info_1,
                                               &nap_type_FixupInfo, shape_fixup_info_1,
                                               free_fixup_info},
                         alloc_counted_string_abc = {"AllocCountedString",
                                                     call_counted_string_abc,
                                                     &nap_type_CountedString,
                                                     shape_counted_string_abc,
                                                     free_counted_string};

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
