/* AllocFixupInfo against docs/CONTRACT.md section 3: every valid count 0..1000
 * in one test (one process, cheap under Valgrind), the counts above the
 * maximum, and a NULL out pointer. */
#include <criterion/criterion.h>

#include "counted_alloc_cases.h"

/* Through a typed local, so that the out pointer is never written through
 * a pointer of another type; the sentinel goes in, the result comes out. */
static HRESULT alloc(void **out, UINT16 count)
{
    if (out == NULL)
        return AllocFixupInfo(NULL, count);
    FixupInfo *result = *out;
    HRESULT hr = AllocFixupInfo(&result, count);
    *out = result;
    return hr;
}

static void release(void *result)
{
    FreeFixupInfo(result);
}

static void shape(check_ctx *ctx, const void *result, UINT16 count)
{
    nap_expect_fixup_info_shape(ctx, result, count);
}

static const counted_alloc api = {"AllocFixupInfo", "FreeFixupInfo",
                                  maxDwordCountPerSoHAttribute,
                                  "the results array", alloc, release, shape};

TestSuite(alloc_fixup_info, .init = verdict_clean_slate);

Test(alloc_fixup_info, every_valid_count_0_to_1000)
{
    counted_alloc_every_valid_count(&api);
}

Test(alloc_fixup_info, counts_above_maximum_are_invalid)
{
    counted_alloc_counts_above_maximum(&api);
}

Test(alloc_fixup_info, null_out_pointer)
{
    counted_alloc_null_out_pointer(&api);
}
