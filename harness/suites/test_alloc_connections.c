/* AllocConnections against docs/CONTRACT.md section 3: every valid count, the
 * boundaries above the maximum, and a NULL out pointer.  *out starts as
 * NAP_SENTINEL, so a call that reads or frees it is caught by the tracker
 * (invalid free) and one that forgets to write it by nap_expect. */
#include <criterion/criterion.h>

#include "counted_alloc_cases.h"

/* Through a typed local, so that the out pointer is never written through
 * a pointer of another type; the sentinel goes in, the result comes out. */
static HRESULT alloc(void **out, UINT16 count)
{
    if (out == NULL)
        return AllocConnections(NULL, count);
    Connections *result = *out;
    HRESULT hr = AllocConnections(&result, count);
    *out = result;
    return hr;
}

static void release(void *result)
{
    FreeConnections(result);
}

static void shape(check_ctx *ctx, const void *result, UINT16 count)
{
    nap_expect_connections_shape(ctx, result, count);
}

static const counted_alloc api = {"AllocConnections", "FreeConnections",
                                  maxConnectionCountPerEnforcer,
                                  "the slot array", alloc, release, shape};

TestSuite(alloc_connections, .init = verdict_clean_slate);

Test(alloc_connections, every_valid_count_0_to_20)
{
    counted_alloc_every_valid_count(&api);
}

Test(alloc_connections, counts_above_maximum_are_invalid)
{
    counted_alloc_counts_above_maximum(&api);
}

Test(alloc_connections, null_out_pointer)
{
    counted_alloc_null_out_pointer(&api);
}
