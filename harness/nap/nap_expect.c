/* Contract expectations for NapUtil calls (see nap_expect.h). */
#include "nap_expect.h"

#include <string.h>

#include <memharness/fault.h>
#include "mock_connection.h"
#include "nap_types.h"
#include <memharness/shape_check.h>
#include <memharness/tracker.h>

const char *nap_hresult_name(HRESULT hr)
{
    switch (hr) {
    case S_OK:
        return "S_OK";
    case E_INVALIDARG:
        return "E_INVALIDARG";
    case E_OUTOFMEMORY:
        return "E_OUTOFMEMORY";
    default:
        return "an unexpected HRESULT";
    }
}

bool nap_expect_alloc_outcome(check_ctx *ctx, const char *fn, HRESULT hr, bool valid,
                              const void *out)
{
    bool faulted = fault_hits() > 0;
    bool ok;
    if (!valid)
        /* Validation may come after an allocation (contract section 3). */
        ok = hr == E_INVALIDARG || (faulted && hr == E_OUTOFMEMORY);
    else if (faulted)
        ok = hr == E_OUTOFMEMORY;
    else
        ok = hr == S_OK;
    if (!ok) {
        check_fail(ctx, "%s returned %s (0x%08X), expected %s", fn, nap_hresult_name(hr),
                   (unsigned)hr,
                   !valid    ? "E_INVALIDARG"
                   : faulted ? "E_OUTOFMEMORY (an allocation was failed)"
                             : "S_OK");
    }
    if (hr != S_OK) {
        if (out == NAP_SENTINEL)
            check_fail(ctx, "%s failed with %s but left *out unchanged (must be set to NULL)", fn,
                       nap_hresult_name(hr));
        else if (out != NULL)
            check_fail(ctx, "%s failed with %s but *out = %p (must be NULL)", fn,
                       nap_hresult_name(hr), out);
        return false;
    }
    if (out == NULL || out == NAP_SENTINEL) {
        check_fail(ctx, "%s returned S_OK but *out is %s", fn, out ? "unchanged" : "NULL");
        return false;
    }
    return ok;
}

/* The reachable side of an Alloc result: everything the description says
 * (sizes, zeros, NULL slots, terminators, no sharing). */
static void expect_described(check_ctx *ctx, const char *fn, const shape_type *type,
                             const void *p)
{
    shape_root root = {NULL, type, p, 1, 0};
    shape_check_alloc(ctx, fn, &root, SHAPE_SEQ_UNKNOWN);
}

void nap_expect_alloc_exact(check_ctx *ctx, const char *fn, const shape_type *type,
                            const void *out, uint64_t seq_before)
{
    shape_root root = {NULL, type, out, 1, 0};
    shape_check_created(ctx, fn, &root, seq_before);
}

/* What the description cannot know: the counts the caller asked for, and
 * the contract's NULL (not an empty block) for count 0. */
static void expect_count(check_ctx *ctx, const char *path, unsigned got, unsigned want,
                         const void *array)
{
    if (got != want)
        check_fail(ctx, "%s.count = %u, expected %u", path, got, want);
    if (want == 0 && array != NULL)
        check_fail(ctx, "%s: pointer must be NULL when the count is 0", path);
}

void nap_expect_connections_shape(check_ctx *ctx, const Connections *c, UINT16 count)
{
    expect_described(ctx, "AllocConnections", &nap_type_Connections, c);
    expect_count(ctx, "Connections", c->count, count, c->connections);
}

void nap_expect_fixup_info_shape(check_ctx *ctx, const FixupInfo *f, UINT16 count)
{
    expect_described(ctx, "AllocFixupInfo", &nap_type_FixupInfo, f);
    expect_count(ctx, "FixupInfo.resultCodes", f->resultCodes.count, count,
                 f->resultCodes.results);
}

void nap_expect_counted_string_shape(check_ctx *ctx, const CountedString *s, const WCHAR *src,
                                     UINT16 length)
{
    expect_described(ctx, "AllocCountedString", &nap_type_CountedString, s);
    if (s->length != length)
        check_fail(ctx, "CountedString.length = %u, expected %u", s->length, length);
    if (s->string == NULL) {
        check_fail(ctx, "CountedString.string is NULL");
        return;
    }
    tracker_block b;
    size_t copied = (size_t)length * sizeof(WCHAR);
    if (tracker_lookup(s->string, &b) && b.size >= copied &&
        memcmp(s->string, src, copied) != 0)
        check_fail(ctx, "CountedString.string: copy differs from the source");
}

void nap_expect_released_once(check_ctx *ctx, const mock_pool *pool)
{
    for (unsigned i = 0; i < pool->count; i++) {
        const mock_connection *m = &pool->items[i];
        if (m->releases != 1)
            check_fail(ctx, "connection %u: released %d times, expected exactly once", m->id,
                       m->releases);
        if (m->add_refs != 0)
            check_fail(ctx, "connection %u: AddRef called %d times, expected none", m->id,
                       m->add_refs);
        if (m->other_calls != 0)
            check_fail(ctx, "connection %u: %d calls of other interface methods", m->id,
                       m->other_calls);
    }
}
