/* libFuzzer target `fixup_info`: AllocFixupInfo then FreeFixupInfo against
 * docs/CONTRACT.md section 3 and 4.
 *
 * Input (missing bytes read as 0, extra bytes are ignored):
 *   [0..1]  countResultCodes, little endian: every UINT16 is reachable
 *   [2]     fault schedule (schedule_byte.h)
 * Any contract violation aborts with the check_ctx report. */
#include <stddef.h>
#include <stdint.h>

#include <memharness/fault.h>
#include "schedule_byte.h"
#include "verdict.h"
#include "nap_expect.h"
#include "nap_types.h"
#include <memharness/tracker.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t byte_at(const uint8_t *data, size_t size, size_t i)
{
    return i < size ? data[i] : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    UINT16 count = (UINT16)(byte_at(data, size, 0) | byte_at(data, size, 1) << 8);
    fuzz_schedule sched = fuzz_schedule_decode(byte_at(data, size, 2));
    bool valid = count <= maxDwordCountPerSoHAttribute;

    fuzz_verdict_begin();
    check_ctx ctx;
    check_init(&ctx, "%s", "");

    FixupInfo *f = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    fuzz_schedule_arm(sched);
    HRESULT hr = AllocFixupInfo(&f, count);
    fault_disarm();
    /* A success under a fault (a retry) is judged like any other. */
    bool succeeded = nap_expect_alloc_outcome(&ctx, "AllocFixupInfo", hr, valid, f);
    fuzz_verdict_blame(&ctx, FAILED(hr) && f != NULL ? FUZZ_KIND_OUT_NOT_NULL
                                                     : FUZZ_KIND_WRONG_RESULT);
    if (succeeded && valid) {
        nap_expect_fixup_info_shape(&ctx, f, count);
        fuzz_verdict_blame(&ctx, FUZZ_KIND_SHAPE_ERROR);
    }
    /* Whatever the verdict, what the call returned is freed: a leak the
     * verdict reports is then the implementation's, never the target's. */
    if (succeeded && valid && check_ok(&ctx))
        FreeFixupInfo(f);
    else
        nap_release_result(&nap_type_FixupInfo, f, seq);
    fuzz_verdict_end(&ctx, sched, "AllocFixupInfo(count=%u)", count);
    return 0;
}
