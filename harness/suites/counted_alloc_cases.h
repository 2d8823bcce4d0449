/* The cases docs/CONTRACT.md section 3 demands of every Alloc function whose
 * argument is a count (AllocConnections, AllocFixupInfo): every valid count
 * with its success shape, the counts above the maximum, and a NULL out
 * pointer.  Each suite describes its function once in a counted_alloc and
 * runs these; static inline like tracker_verdict.h, so suite libraries
 * linked into one program do not clash. */
#ifndef SUITES_COUNTED_ALLOC_CASES_H
#define SUITES_COUNTED_ALLOC_CASES_H

#include <memharness/crash_guard.h>
#include "nap_expect.h"
#include "nap_types.h"
#include "naputil.h"
#include "memtest.h"

typedef struct counted_alloc {
    const char *name;  /* the NapUtil function, for messages */
    const char *free_name; /* the Free function release calls */
    unsigned max;      /* the largest valid count */
    const char *array; /* what the second block is, for messages */
    const struct shape_type *type; /* the result's description, to free it without Free */
    /* The call with the out pointer typed as void ** (NULL stays NULL). */
    HRESULT (*alloc)(void **out, UINT16 count);
    void (*release)(void *result);
    void (*shape)(check_ctx *ctx, const void *result, UINT16 count);
} counted_alloc;

/* Defines `static const counted_alloc api` for Alloc function alloc_fn of
 * result type T (described by nap_type_T), freed by free_fn and checked by
 * shape_fn.  The adapter
 * goes through a typed local, so that the out pointer is never written
 * through a pointer of another type; the sentinel goes in, the result
 * comes out. */
#define COUNTED_ALLOC_API(T, alloc_fn, free_fn, shape_fn, max_count, array_what)       \
    static HRESULT api_alloc(void **out, UINT16 count)                                  \
    {                                                                                    \
        if (out == NULL)                                                                 \
            return alloc_fn(NULL, count);                                                \
        T *result = *out;                                                                \
        HRESULT hr = alloc_fn(&result, count);                                           \
        *out = result;                                                                   \
        return hr;                                                                       \
    }                                                                                    \
    static void api_release(void *result) { free_fn(result); }                           \
    static void api_shape(check_ctx *ctx, const void *result, UINT16 count)              \
    {                                                                                    \
        shape_fn(ctx, result, count);                                                    \
    }                                                                                    \
    static const counted_alloc api = {#alloc_fn,     #free_fn,  (max_count),             \
                                      (array_what), &nap_type_##T, api_alloc, api_release,  \
                                      api_shape}

/* The suite of one counted Alloc function described by COUNTED_ALLOC_API:
 * its valid counts (in a test named valid_test), the counts above its
 * maximum and a NULL out pointer. */
#define COUNTED_ALLOC_SUITE(suite, valid_test)                                \
    MEMTEST(suite, valid_test) { counted_alloc_every_valid_count(ctx, &api); } \
    MEMTEST(suite, counts_above_maximum_are_invalid)                          \
    {                                                                         \
        counted_alloc_counts_above_maximum(ctx, &api);                        \
    }                                                                         \
    MEMTEST(suite, null_out_pointer) { counted_alloc_null_out_pointer(ctx, &api); }

/* Every count 0..max: S_OK, the exact shape, exactly one block for the
 * structure plus one for a non-empty array; a misshapen result is never
 * handed to the Free function, which could crash on it, but is freed all
 * the same, so that what stays live is the implementation's leak. */
static inline void counted_alloc_every_valid_count(check_ctx *ctx, const counted_alloc *api)
{
    check_set_context(ctx, "%s", api->name);
    for (unsigned n = 0; n <= api->max; n++) {
        check_set_context(ctx, "%s(count=%u)", api->name, n);
        void *out = NAP_SENTINEL;
        uint64_t seq = tracker_next_seq();
        crash_guard_enter("%s [no fault]", ctx->context);
        HRESULT hr = api->alloc(&out, (UINT16)n);
        unsigned before = ctx->failures;
        bool well_formed = false;
        if (nap_expect_alloc_outcome(ctx, api->name, hr, true, out)) {
            api->shape(ctx, out, (UINT16)n);
            size_t blocks = n == 0 ? 1 : 2;
            CHECK(ctx, tracker_live_count() == blocks,
                  "%zu blocks live after the call, expected %zu (the struct%s%s)",
                  tracker_live_count(), blocks, n ? " and " : "", n ? api->array : "");
            well_formed = ctx->failures == before;
        }
        if (well_formed) {
            crash_guard_enter("%s(the result of %s) [no fault]", api->free_name, ctx->context);
            api->release(out);
        } else {
            nap_release_result(api->type, out, seq);
        }
        crash_guard_leave();
        verdict_case_end(ctx);
    }
}

/* max + 1 and the signed and unsigned edges of UINT16: E_INVALIDARG (or
 * E_OUTOFMEMORY under a fault), *out NULL, nothing left live. */
static inline void counted_alloc_counts_above_maximum(check_ctx *ctx, const counted_alloc *api)
{
    const unsigned counts[] = {api->max + 1, 32767, 32768, 65535};
    check_set_context(ctx, "%s", api->name);
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check_set_context(ctx, "%s(count=%u)", api->name, counts[i]);
        void *out = NAP_SENTINEL;
        uint64_t seq = tracker_next_seq();
        crash_guard_enter("%s [no fault]", ctx->context);
        HRESULT hr = api->alloc(&out, (UINT16)counts[i]);
        crash_guard_leave();
        nap_expect_alloc_outcome(ctx, api->name, hr, false, out);
        if (hr == S_OK && out != NULL && out != NAP_SENTINEL) {
            /* A wrongful success must not also count as a leak. */
            crash_guard_enter("%s(the result of %s) [no fault]", api->free_name, ctx->context);
            api->release(out);
            crash_guard_leave();
        } else {
            nap_release_result(api->type, out, seq); /* left by a failure */
        }
        verdict_case_end(ctx);
    }
}

/* A NULL out pointer: E_INVALIDARG and not one allocation, for valid and
 * invalid counts alike. */
static inline void counted_alloc_null_out_pointer(check_ctx *ctx, const counted_alloc *api)
{
    const unsigned counts[] = {0, 1, api->max, 65535};
    check_set_context(ctx, "%s", api->name);
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check_set_context(ctx, "%s(NULL, count=%u)", api->name, counts[i]);
        crash_guard_enter("%s [no fault]", ctx->context);
        HRESULT hr = api->alloc(NULL, (UINT16)counts[i]);
        crash_guard_leave();
        nap_expect_rejected_without_alloc(ctx, hr);
        verdict_case_end(ctx);
    }
}

#endif
