/* The seam rules checker (see seam_rules.h). */
#include "seam_rules.h"

#include <string.h>

#include "naputil.h"

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

/* Index of the first byte that differs from fill(seed), or n. */
static size_t first_mismatch(const unsigned char *p, size_t n, unsigned char seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7))
            return i;
    return n;
}

static void zero_size_blocks(check_ctx *ctx)
{
    void *a = CoTaskMemAlloc(0);
    void *b = CoTaskMemAlloc(0);
    CHECK(ctx, a != NULL && b != NULL, "CoTaskMemAlloc(0) returned NULL (%p, %p)", a, b);
    CHECK(ctx, a == NULL || a != b, "two CoTaskMemAlloc(0) returned the same pointer %p", a);
    CoTaskMemFree(a);
    CoTaskMemFree(b);
}

static void realloc_null_allocates(check_ctx *ctx)
{
    unsigned char *p = CoTaskMemRealloc(NULL, 64);
    CHECK(ctx, p != NULL, "CoTaskMemRealloc(NULL, 64) returned NULL");
    if (p != NULL) {
        fill(p, 64, 3); /* the whole block must be ours to write */
        CoTaskMemFree(p);
    }
}

static void realloc_zero_frees(check_ctx *ctx, const seam_probe *probe)
{
    size_t before = probe->live_blocks ? probe->live_blocks() : 0;
    void *p = CoTaskMemAlloc(32);
    if (p == NULL) {
        check_fail(ctx, "CoTaskMemAlloc(32) returned NULL");
        return;
    }
    void *q = CoTaskMemRealloc(p, 0);
    CHECK(ctx, q == NULL, "CoTaskMemRealloc(p, 0) returned %p, expected NULL", q);
    if (probe->live_blocks != NULL)
        CHECK(ctx, probe->live_blocks() == before,
              "CoTaskMemRealloc(p, 0) left the block live (%zu live, expected %zu)",
              probe->live_blocks(), before);
    if (q != NULL)
        CoTaskMemFree(q);
}

static void free_null_is_noop(check_ctx *ctx, const seam_probe *probe)
{
    size_t before = probe->live_blocks ? probe->live_blocks() : 0;
    CoTaskMemFree(NULL);
    if (probe->live_blocks != NULL)
        CHECK(ctx, probe->live_blocks() == before, "CoTaskMemFree(NULL) changed the live blocks");
}

static void resize_keeps_content(check_ctx *ctx)
{
    unsigned char *p = CoTaskMemAlloc(16);
    if (p == NULL) {
        check_fail(ctx, "CoTaskMemAlloc(16) returned NULL");
        return;
    }
    fill(p, 16, 11);
    unsigned char *grown = CoTaskMemRealloc(p, 4096);
    if (grown == NULL) {
        check_fail(ctx, "CoTaskMemRealloc(p, 4096) returned NULL");
        CoTaskMemFree(p);
        return;
    }
    size_t at = first_mismatch(grown, 16, 11);
    CHECK(ctx, at == 16, "growing 16 -> 4096 bytes changed byte %zu", at);
    fill(grown + 16, 4096 - 16, 5); /* the new tail must be writable */
    unsigned char *shrunk = CoTaskMemRealloc(grown, 8);
    if (shrunk == NULL) {
        check_fail(ctx, "CoTaskMemRealloc(p, 8) (shrinking) returned NULL");
        CoTaskMemFree(grown);
        return;
    }
    at = first_mismatch(shrunk, 8, 11);
    CHECK(ctx, at == 8, "shrinking 4096 -> 8 bytes changed byte %zu", at);
    CoTaskMemFree(shrunk);
}

static void failed_growth_keeps_block(check_ctx *ctx, const seam_probe *probe)
{
    if (probe->fail_next_alloc == NULL)
        return;
    unsigned char *p = CoTaskMemAlloc(24);
    if (p == NULL) {
        check_fail(ctx, "CoTaskMemAlloc(24) returned NULL");
        return;
    }
    fill(p, 24, 29);
    size_t before = probe->live_blocks ? probe->live_blocks() : 0;
    probe->fail_next_alloc();
    unsigned char *q = CoTaskMemRealloc(p, 1 << 16);
    probe->stop_failing();
    CHECK(ctx, q == NULL, "CoTaskMemRealloc returned %p although its allocation was failed",
          (void *)q);
    if (q != NULL) {
        CoTaskMemFree(q);
        return;
    }
    if (probe->live_blocks != NULL)
        CHECK(ctx, probe->live_blocks() == before,
              "a failed CoTaskMemRealloc changed the live blocks (%zu, expected %zu)",
              probe->live_blocks(), before);
    size_t at = first_mismatch(p, 24, 29);
    CHECK(ctx, at == 24, "a failed CoTaskMemRealloc changed byte %zu of the old block", at);
    CoTaskMemFree(p); /* still owned by the caller */
}

void seam_rules_check(check_ctx *ctx, const seam_probe *probe)
{
    zero_size_blocks(ctx);
    realloc_null_allocates(ctx);
    realloc_zero_frees(ctx, probe);
    free_null_is_noop(ctx, probe);
    resize_keeps_content(ctx);
    failed_growth_keeps_block(ctx, probe);
}
