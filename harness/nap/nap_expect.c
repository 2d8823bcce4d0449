/* Contract expectations for NapUtil calls (see nap_expect.h). */
#include "nap_expect.h"

#include <string.h>

#include "fault.h"
#include "mock_connection.h"
#include "tracker.h"

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

/* The block at p must be live and exactly size bytes. */
static void expect_block(check_ctx *ctx, const char *path, const void *p, size_t size)
{
    tracker_block b;
    if (!tracker_lookup(p, &b)) {
        check_fail(ctx, "%s = %p is not a live CoTaskMem block", path, p);
        return;
    }
    if (b.size != size)
        check_fail(ctx, "%s: wrong size %zu != %zu", path, b.size, size);
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

void nap_expect_connections_shape(check_ctx *ctx, const Connections *c, UINT16 count)
{
    expect_block(ctx, "Connections", c, sizeof *c);
    if (c->count != count)
        check_fail(ctx, "Connections.count = %u, expected %u", c->count, count);
    if (count == 0) {
        if (c->connections != NULL)
            check_fail(ctx, "Connections.connections must be NULL when count is 0");
        return;
    }
    if (c->connections == NULL) {
        check_fail(ctx, "Connections.connections is NULL for count %u", count);
        return;
    }
    expect_block(ctx, "Connections.connections", c->connections,
                 count * sizeof *c->connections);
    for (UINT16 i = 0; i < count; i++)
        if (c->connections[i] != NULL)
            check_fail(ctx, "Connections.connections[%u] is not NULL", i);
}

void nap_expect_fixup_info_shape(check_ctx *ctx, const FixupInfo *f, UINT16 count)
{
    expect_block(ctx, "FixupInfo", f, sizeof *f);
    if (f->state != 0 || f->percentage != 0 || f->fixupMsgId != 0)
        check_fail(ctx, "FixupInfo: state/percentage/fixupMsgId not zero (%d/%u/%u)",
                   (int)f->state, f->percentage, f->fixupMsgId);
    if (f->resultCodes.count != count)
        check_fail(ctx, "FixupInfo.resultCodes.count = %u, expected %u", f->resultCodes.count,
                   count);
    if (count == 0) {
        if (f->resultCodes.results != NULL)
            check_fail(ctx, "FixupInfo.resultCodes.results must be NULL when count is 0");
        return;
    }
    if (f->resultCodes.results == NULL) {
        check_fail(ctx, "FixupInfo.resultCodes.results is NULL for count %u", count);
        return;
    }
    expect_block(ctx, "FixupInfo.resultCodes.results", f->resultCodes.results,
                 count * sizeof(HRESULT));
    if (!all_zero(f->resultCodes.results, count * sizeof(HRESULT)))
        check_fail(ctx, "FixupInfo.resultCodes.results: not all zero");
}

void nap_expect_counted_string_shape(check_ctx *ctx, const CountedString *s, const WCHAR *src,
                                     UINT16 length)
{
    expect_block(ctx, "CountedString", s, sizeof *s);
    if (s->length != length)
        check_fail(ctx, "CountedString.length = %u, expected %u", s->length, length);
    if (s->string == NULL) {
        check_fail(ctx, "CountedString.string is NULL");
        return;
    }
    expect_block(ctx, "CountedString.string", s->string, (size_t)(length + 1) * sizeof(WCHAR));
    if (memcmp(s->string, src, (size_t)length * sizeof(WCHAR)) != 0)
        check_fail(ctx, "CountedString.string: copy differs from the source");
    if (s->string[length] != 0)
        check_fail(ctx, "CountedString.string[%u]: missing terminating NUL", length);
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
