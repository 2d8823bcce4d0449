/* libFuzzer target `connections`: AllocConnections, then FreeConnections
 * with counting mock connections, against docs/CONTRACT.md section 3 and 4.
 *
 * Input (missing bytes read as 0, extra bytes are ignored):
 *   [0..1]  connectionsCount, little endian: every UINT16 is reachable
 *   [2]     fault schedule (schedule_byte.h)
 *   [3..5]  slot mask, little endian: bit i set puts a mock in slot i
 * Any contract violation aborts with the check_ctx report.
 *
 * Built with -DNAPFUZZ_UNTRACKED (by make bench only, as
 * fuzz_connections_untracked) it runs over malloc instead of the tracker,
 * and the checks that read the tracker's records (the shape check, leaks,
 * misuse) are left out: the yardstick the tracked target's exec/s is
 * measured against. */
#include <stddef.h>
#include <stdint.h>

#include <memharness/fault.h>
#include "schedule_byte.h"
#include "verdict.h"
#include "mock_connection.h"
#include "nap_expect.h"
#include "nap_types.h"
#include <memharness/tracker.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t byte_at(const uint8_t *data, size_t size, size_t i)
{
    return i < size ? data[i] : 0;
}

/* Fills the slots the mask names with mocks from pool (sized to match),
 * releases them through FreeConnections and checks each was released once. */
static void free_with_mocks(check_ctx *ctx, Connections *c, uint32_t mask)
{
    UINT16 n = c->count;
    unsigned wanted = 0;
    for (UINT16 i = 0; i < n; i++)
        wanted += (mask >> i) & 1u;
    mock_pool pool;
    if (!mock_pool_init(&pool, wanted)) {
        check_fail(ctx, "out of memory for %u mock connections", wanted);
        FreeConnections(c);
        return;
    }
    unsigned next = 0;
    for (UINT16 i = 0; i < n; i++)
        if ((mask >> i) & 1u)
            c->connections[i] = mock_pool_iface(&pool, next++);
    FreeConnections(c);
    nap_expect_released_once(ctx, &pool);
    mock_pool_destroy(&pool);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    UINT16 count = (UINT16)(byte_at(data, size, 0) | byte_at(data, size, 1) << 8);
    fuzz_schedule sched = fuzz_schedule_decode(byte_at(data, size, 2));
    uint32_t mask = (uint32_t)byte_at(data, size, 3) | (uint32_t)byte_at(data, size, 4) << 8 |
                    (uint32_t)byte_at(data, size, 5) << 16;
    bool valid = count <= maxConnectionCountPerEnforcer;

    fuzz_verdict_begin();
    check_ctx ctx;
    check_init(&ctx, "%s", "");

    Connections *c = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    fuzz_schedule_arm(sched);
    HRESULT hr = AllocConnections(&c, count);
    fault_disarm();
    /* An out-of-range count that "succeeds" is already the finding: the
     * shape check and the mocks below are never run over up to 65535 slots
     * (docs/TOOLCHAIN-NOTES.md section 3: that would cost three orders of magnitude in exec/s).
     * A success under a fault (a retry) is judged like any other. */
    bool succeeded = nap_expect_alloc_outcome(&ctx, "AllocConnections", hr, valid, c);
    fuzz_verdict_blame(&ctx, FAILED(hr) && c != NULL ? FUZZ_KIND_OUT_NOT_NULL
                                                     : FUZZ_KIND_WRONG_RESULT);
    if (succeeded && valid) {
#ifndef NAPFUZZ_UNTRACKED
        nap_expect_connections_shape(&ctx, c, count);
        fuzz_verdict_blame(&ctx, FUZZ_KIND_SHAPE_ERROR);
#endif
    }
    /* Whatever the verdict, what the call returned is freed: a leak the
     * verdict reports is then the implementation's, never the target's. */
    if (succeeded && valid && check_ok(&ctx)) {
        free_with_mocks(&ctx, c, mask);
        fuzz_verdict_blame(&ctx, FUZZ_KIND_RELEASE_COUNT);
    } else {
        nap_release_result(&nap_type_Connections, c, seq);
    }
    fuzz_verdict_end(&ctx, sched, "AllocConnections(count=%u), slot mask 0x%05X", count,
                     (unsigned)mask & 0xFFFFFu);
    return 0;
}
