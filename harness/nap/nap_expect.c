/* Contract expectations for NapUtil calls (see nap_expect.h). */
#include "nap_expect.h"

#include <stdio.h>
#include <stdlib.h>
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

void nap_expect_rejected_without_alloc(check_ctx *ctx, HRESULT hr)
{
    CHECK(ctx, hr == E_INVALIDARG, "returned %s (0x%08X), expected E_INVALIDARG",
          nap_hresult_name(hr), (unsigned)hr);
    CHECK(ctx, tracker_alloc_total() == 0, "allocated %llu block(s), expected none",
          (unsigned long long)tracker_alloc_total());
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
        /* A retried allocation may still succeed (contract section 3); such
         * a success is judged like any other by the shape checks. */
        ok = hr == E_OUTOFMEMORY || hr == S_OK;
    else
        ok = hr == S_OK;
    if (!ok) {
        check_fail(ctx, "%s returned %s (0x%08X), expected %s", fn, nap_hresult_name(hr),
                   (unsigned)hr,
                   !valid    ? "E_INVALIDARG"
                   : faulted ? "E_OUTOFMEMORY, or S_OK with a complete result (an allocation "
                               "was failed)"
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

void nap_release_result(const shape_type *type, const void *out, uint64_t seq_before)
{
    if (out == NULL || out == NAP_SENTINEL)
        return;
    shape_walk w;
    shape_walk_init(&w);
    shape_root root = {NULL, type, out, 1, 0};
    shape_walk_run(&w, &root, NULL);
    /* A block is listed after the block holding its pointer, so backwards
     * is children first; a block listed twice is live only the first time
     * it is met, and a garbage pointer was never a live block. */
    for (size_t i = w.count; i-- > 0;) {
        const shape_node *n = &w.nodes[i];
        tracker_block b;
        if (n->kind != SHAPE_NODE_BLOCK || !tracker_lookup(n->ptr, &b) || b.seq < seq_before)
            continue;
        CoTaskMemFree((void *)n->ptr);
    }
    shape_walk_free(&w);
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

/* What is wrong with one mock after FreeConnections, as one finding per
 * rule (the slot is named by the caller of this, so that equal findings on
 * many slots can be collapsed into one line). */
enum { RULE_RELEASES, RULE_DESTROYED, RULE_AFTER_DESTROY, RULE_ADDREF, RULE_QI, RULE_OTHER,
       RULE_COUNT };

/* "<what> N time(s)<each><tail>" when n is not zero; false (no finding)
 * otherwise. */
static bool count_finding(char *buf, size_t size, const char *what, int n, const char *tail,
                          const char *each)
{
    if (n == 0)
        return false;
    snprintf(buf, size, "%s %d time%s%s%s", what, n, n == 1 ? "" : "s", each, tail);
    return true;
}

static bool finding(const mock_connection *m, int rule, const char *each, char *buf,
                    size_t size)
{
    int want = m->placed ? 1 : 0;
    int other = m->other_calls - m->query_interface;
    switch (rule) {
    case RULE_RELEASES:
        if (m->releases == want)
            return false;
        if (!m->placed)
            snprintf(buf, size, "Release called %d time%s%s on an object stored in no slot",
                     m->releases, m->releases == 1 ? "" : "s", each);
        else
            snprintf(buf, size, "released %d time%s%s, expected exactly once", m->releases,
                     m->releases == 1 ? "" : "s", each);
        return true;
    case RULE_DESTROYED:
        if (!m->destroyed || m->caller_refs == 0)
            return false;
        snprintf(buf, size, "released down to zero and destroyed while the caller still "
                 "holds %d reference%s%s", m->caller_refs, m->caller_refs == 1 ? "" : "s", each);
        return true;
    case RULE_AFTER_DESTROY:
        return count_finding(buf, size, "Release called", m->releases_after_destroy,
                             " on a destroyed object", each);
    case RULE_ADDREF:
        return count_finding(buf, size, "AddRef called", m->add_refs, ", expected none", each);
    case RULE_QI:
        return count_finding(buf, size, "QueryInterface called", m->query_interface,
                             ", expected none", each);
    default:
        if (other == 0)
            return false;
        snprintf(buf, size, "%d call%s%s of other interface methods, expected none", other,
                 other == 1 ? "" : "s", each);
        return true;
    }
}

/* Appends "a", "a-b" or ", a..." for a run of slots. */
static void append_run(char *buf, size_t size, unsigned first, unsigned last)
{
    size_t used = strlen(buf);
    if (used >= size)
        return;
    const char *sep = used ? ", " : "";
    if (first == last)
        snprintf(buf + used, size - used, "%s%u", sep, first);
    else
        snprintf(buf + used, size - used, "%s%u-%u", sep, first, last);
}

void nap_expect_released_once(check_ctx *ctx, const mock_pool *pool)
{
    /* Named here unless the context already names the call. */
    const char *who = strncmp(ctx->context, "FreeConnections", 15) == 0 ? "" : "FreeConnections: ";
    bool *done = calloc(pool->count ? pool->count : 1, sizeof *done);
    if (done == NULL) {
        check_fail(ctx, "out of memory checking the mock connections");
        return;
    }
    for (int rule = 0; rule < RULE_COUNT; rule++) {
        memset(done, 0, pool->count * sizeof *done);
        for (unsigned i = 0; i < pool->count; i++) {
            char text[160], other_text[160], slots[512] = "";
            if (done[i] || !finding(&pool->items[i], rule, "", text, sizeof text))
                continue;
            /* Every mock with the same finding, in slot order: mocks are
             * placed in increasing slots, so runs of ids are runs of slots. */
            unsigned n = 0, first = 0, last = 0;
            bool open = false;
            for (unsigned j = i; j < pool->count; j++) {
                const mock_connection *m = &pool->items[j];
                if (done[j] || !finding(m, rule, "", other_text, sizeof other_text) ||
                    strcmp(text, other_text) != 0)
                    continue;
                done[j] = true;
                n++;
                if (open && m->slot == last + 1) {
                    last = m->slot;
                    continue;
                }
                if (open)
                    append_run(slots, sizeof slots, first, last);
                first = last = m->slot;
                open = true;
            }
            append_run(slots, sizeof slots, first, last);
            finding(&pool->items[i], rule, n == 1 ? "" : " each", text, sizeof text);
            if (pool->items[i].placed)
                check_fail(ctx, "%s%s %s: %s", who, n == 1 ? "connection" : "connections",
                           slots, text);
            else
                check_fail(ctx, "%s%s: %s", who, n == 1 ? "a mock connection in no slot"
                                                         : "mock connections in no slot",
                           text);
        }
    }
    free(done);
}
