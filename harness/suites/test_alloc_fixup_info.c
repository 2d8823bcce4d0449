/* AllocFixupInfo against CONTRACT.md section 3: every valid count 0..1000
 * in one test (one process, cheap under Valgrind), the counts above the
 * maximum, and a NULL out pointer. */
#include <criterion/criterion.h>

#include "crash_guard.h"
#include "nap_expect.h"
#include "naputil.h"
#include "tracker_verdict.h"

TestSuite(alloc_fixup_info, .init = verdict_clean_slate);

Test(alloc_fixup_info, every_valid_count_0_to_1000)
{
    check_ctx ctx;
    check_init(&ctx, "AllocFixupInfo");
    for (unsigned n = 0; n <= maxDwordCountPerSoHAttribute; n++) {
        check_set_context(&ctx, "AllocFixupInfo(count=%u)", n);
        FixupInfo *f = NAP_SENTINEL;
        crash_guard_enter("%s", ctx.context);
        HRESULT hr = AllocFixupInfo(&f, (UINT16)n);
        unsigned before = ctx.failures;
        bool misshapen = false;
        if (nap_expect_alloc_outcome(&ctx, "AllocFixupInfo", hr, true, f)) {
            nap_expect_fixup_info_shape(&ctx, f, (UINT16)n);
            size_t blocks = n == 0 ? 1 : 2;
            CHECK(&ctx, tracker_live_count() == blocks,
                  "%zu blocks live after the call, expected %zu", tracker_live_count(), blocks);
            misshapen = ctx.failures != before;
            if (!misshapen)
                FreeFixupInfo(f);
        }
        crash_guard_leave();
        if (!misshapen)
            verdict_case_end(&ctx);
        else
            verdict_case_discard(&ctx); /* never free a misshapen result */
    }
    verdict_assert(&ctx);
}

Test(alloc_fixup_info, counts_above_maximum_are_invalid)
{
    static const unsigned counts[] = {maxDwordCountPerSoHAttribute + 1, 32767, 32768, 65535};
    check_ctx ctx;
    check_init(&ctx, "AllocFixupInfo");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check_set_context(&ctx, "AllocFixupInfo(count=%u)", counts[i]);
        FixupInfo *f = NAP_SENTINEL;
        crash_guard_enter("%s", ctx.context);
        HRESULT hr = AllocFixupInfo(&f, (UINT16)counts[i]);
        crash_guard_leave();
        nap_expect_alloc_outcome(&ctx, "AllocFixupInfo", hr, false, f);
        if (hr == S_OK && f != NULL && f != NAP_SENTINEL)
            FreeFixupInfo(f); /* a wrongful success must not also count as a leak */
        verdict_case_end(&ctx);
    }
    verdict_assert(&ctx);
}

Test(alloc_fixup_info, null_out_pointer)
{
    static const unsigned counts[] = {0, 1, maxDwordCountPerSoHAttribute, 65535};
    check_ctx ctx;
    check_init(&ctx, "AllocFixupInfo");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check_set_context(&ctx, "AllocFixupInfo(NULL, count=%u)", counts[i]);
        HRESULT hr = AllocFixupInfo(NULL, (UINT16)counts[i]);
        CHECK(&ctx, hr == E_INVALIDARG, "returned %s (0x%08X), expected E_INVALIDARG",
              nap_hresult_name(hr), (unsigned)hr);
        CHECK(&ctx, tracker_alloc_total() == 0, "allocated %llu block(s), expected none",
              (unsigned long long)tracker_alloc_total());
        verdict_case_end(&ctx);
    }
    verdict_assert(&ctx);
}
