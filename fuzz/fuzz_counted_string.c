/* libFuzzer target `counted_string`: AllocCountedString then
 * FreeCountedString against docs/CONTRACT.md section 3 and 4.
 *
 * Input: empty means a NULL string.  Otherwise [0] is the fault schedule
 * (schedule_byte.h) and the rest are UTF-16 code units, little endian (an
 * odd last byte is dropped).  The units are copied into a heap buffer that
 * ends right after the last unit the contract lets an implementation read:
 *   - a NUL among units 0..1024: the buffer ends with that NUL;
 *   - no NUL in the first 1025 units: the buffer holds exactly those 1025
 *     units, unterminated (the contract's "longer" case, E_INVALIDARG);
 *   - fewer than 1025 units and no NUL: a NUL is appended (a caller can only
 *     pass a terminated string) and the buffer ends with it.
 * So any read past what the contract allows leaves the buffer, and
 * AddressSanitizer (or Valgrind in the replay) reports it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <memharness/fault.h>
#include "schedule_byte.h"
#include "verdict.h"
#include "nap_expect.h"
#include "nap_types.h"
#include <memharness/tracker.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Most units the contract ever lets an implementation read. */
#define READABLE_UNITS (maxStringLength + 1)

static WCHAR unit_at(const uint8_t *units, size_t i)
{
    return (WCHAR)(units[2 * i] | units[2 * i + 1] << 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_verdict_begin();
    check_ctx ctx;
    if (size == 0) {
        check_init(&ctx, "%s", "");
        CountedString *s = NAP_SENTINEL;
        uint64_t seq = tracker_next_seq();
        HRESULT hr = AllocCountedString(&s, NULL);
        nap_expect_alloc_outcome(&ctx, "AllocCountedString", hr, false, s);
        fuzz_verdict_blame(&ctx, FAILED(hr) && s != NULL ? FUZZ_KIND_OUT_NOT_NULL
                                                         : FUZZ_KIND_WRONG_RESULT);
        nap_release_result(&nap_type_CountedString, s, seq); /* only its verdict counts */
        fuzz_verdict_end(&ctx, fuzz_schedule_decode(0), "AllocCountedString(NULL)");
        return 0;
    }

    fuzz_schedule sched = fuzz_schedule_decode(data[0]);
    const uint8_t *units = data + 1;
    size_t n = (size - 1) / 2;
    size_t nul = n; /* index of the first NUL unit, n when none */
    for (size_t i = 0; i < n && i < READABLE_UNITS; i++) {
        if (unit_at(units, i) == 0) {
            nul = i;
            break;
        }
    }
    bool valid;
    size_t buf_units;
    if (nul < READABLE_UNITS && nul < n) {
        valid = true;
        buf_units = nul + 1;
    } else if (n >= READABLE_UNITS) {
        valid = false;
        buf_units = READABLE_UNITS;
    } else {
        valid = true;
        nul = n;
        buf_units = n + 1;
    }
    /* malloc, not the tracker: the string belongs to the caller, and its
     * exact size puts the sanitizer's redzone right after its end. */
    WCHAR *buf = malloc(buf_units * sizeof *buf);
    if (buf == NULL)
        abort();
    for (size_t i = 0; i < buf_units; i++)
        buf[i] = i < n ? unit_at(units, i) : 0;
    if (valid)
        buf[nul] = 0;

    check_init(&ctx, "%s", "");
    CountedString *s = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    fuzz_schedule_arm(sched);
    HRESULT hr = AllocCountedString(&s, buf);
    fault_disarm();
    /* A success under a fault (a retry) is judged like any other. */
    bool succeeded = nap_expect_alloc_outcome(&ctx, "AllocCountedString", hr, valid, s);
    fuzz_verdict_blame(&ctx, FAILED(hr) && s != NULL ? FUZZ_KIND_OUT_NOT_NULL
                                                     : FUZZ_KIND_WRONG_RESULT);
    if (succeeded && valid) {
        nap_expect_counted_string_shape(&ctx, s, buf, (UINT16)nul);
        fuzz_verdict_blame(&ctx, FUZZ_KIND_SHAPE_ERROR);
    }
    /* Whatever the verdict, what the call returned is freed: a leak the
     * verdict reports is then the implementation's, never the target's. */
    if (succeeded && valid && check_ok(&ctx))
        FreeCountedString(s);
    else
        nap_release_result(&nap_type_CountedString, s, seq);
    /* A copy must not alias the caller's string: it is freed here. */
    free(buf);
    fuzz_verdict_end(&ctx, sched, "AllocCountedString(%s of %zu units)",
                     valid ? "string" : "unterminated buffer", valid ? nul : buf_units);
    return 0;
}
