/* AllocConnections against CONTRACT.md section 3: every valid count, the
 * boundaries above the maximum, and a NULL out pointer.  *out starts as
 * NAP_SENTINEL, so a call that reads or frees it is caught by the tracker
 * (invalid free) and one that forgets to write it by nap_expect. */
#include <criterion/criterion.h>

#include "crash_guard.h"
#include "nap_expect.h"
#include "naputil.h"
#include "tracker_verdict.h"

TestSuite(alloc_connections, .init = verdict_clean_slate);

Test(alloc_connections, every_valid_count_0_to_20)
{
    check_ctx ctx;
    check_init(&ctx, "AllocConnections");
    for (unsigned n = 0; n <= maxConnectionCountPerEnforcer; n++) {
        check_set_context(&ctx, "AllocConnections(count=%u)", n);
        Connections *c = NAP_SENTINEL;
        crash_guard_enter("%s", ctx.context);
        HRESULT hr = AllocConnections(&c, (UINT16)n);
        unsigned before = ctx.failures;
        bool misshapen = false;
        if (nap_expect_alloc_outcome(&ctx, "AllocConnections", hr, true, c)) {
            nap_expect_connections_shape(&ctx, c, (UINT16)n);
            size_t blocks = n == 0 ? 1 : 2;
            CHECK(&ctx, tracker_live_count() == blocks,
                  "%zu blocks live after the call, expected %zu (the struct%s)",
                  tracker_live_count(), blocks, n ? " and the slot array" : "");
            misshapen = ctx.failures != before;
            if (!misshapen)
                FreeConnections(c);
        }
        crash_guard_leave();
        if (!misshapen)
            verdict_case_end(&ctx);
        else
            verdict_case_discard(&ctx); /* never free a misshapen result */
    }
    verdict_assert(&ctx);
}

Test(alloc_connections, counts_above_maximum_are_invalid)
{
    static const unsigned counts[] = {maxConnectionCountPerEnforcer + 1, 32767, 32768, 65535};
    check_ctx ctx;
    check_init(&ctx, "AllocConnections");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check_set_context(&ctx, "AllocConnections(count=%u)", counts[i]);
        Connections *c = NAP_SENTINEL;
        crash_guard_enter("%s", ctx.context);
        HRESULT hr = AllocConnections(&c, (UINT16)counts[i]);
        crash_guard_leave();
        nap_expect_alloc_outcome(&ctx, "AllocConnections", hr, false, c);
        if (hr == S_OK && c != NULL && c != NAP_SENTINEL)
            FreeConnections(c); /* a wrongful success must not also count as a leak */
        verdict_case_end(&ctx);
    }
    verdict_assert(&ctx);
}

Test(alloc_connections, null_out_pointer)
{
    check_ctx ctx;
    static const unsigned counts[] = {0, 1, maxConnectionCountPerEnforcer, 65535};
    check_init(&ctx, "AllocConnections");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check_set_context(&ctx, "AllocConnections(NULL, count=%u)", counts[i]);
        HRESULT hr = AllocConnections(NULL, (UINT16)counts[i]);
        CHECK(&ctx, hr == E_INVALIDARG, "returned %s (0x%08X), expected E_INVALIDARG",
              nap_hresult_name(hr), (unsigned)hr);
        CHECK(&ctx, tracker_alloc_total() == 0, "allocated %llu block(s), expected none",
              (unsigned long long)tracker_alloc_total());
        verdict_case_end(&ctx);
    }
    verdict_assert(&ctx);
}
