/* AllocCountedString against docs/CONTRACT.md section 3.  Source strings sit at
 * the very end of a readable page followed by an inaccessible one, so that
 * reading one code unit too far is a crash (named by crash_guard), not a
 * silent pass: the contract lets the function read indices 0..1024 only,
 * and nothing past the terminator of a shorter string. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <memharness/crash_guard.h>
#include "nap_expect.h"
#include "nap_types.h"
#include "naputil.h"
#include "memtest.h"

typedef struct guarded {
    void *map;
    size_t map_len;
    WCHAR *units; /* units[n] is the first inaccessible unit */
} guarded;

/* Room for n code units whose end touches a PROT_NONE page. */
static WCHAR *guarded_units(guarded *g, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (n * sizeof(WCHAR) + page - 1) / page;
    g->map_len = (data_pages + 1) * page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(g->map != MAP_FAILED, "mmap failed");
    char *guard_page = (char *)g->map + data_pages * page;
    cr_assert(mprotect(guard_page, page, PROT_NONE) == 0, "mprotect failed");
    g->units = (WCHAR *)(void *)guard_page - n;
    return g->units;
}

/* A string of n code units cycling through `period` letters from `first`,
 * its NUL the last unit before the guard page. */
static WCHAR *guarded_string(guarded *g, unsigned n, char first, unsigned period)
{
    WCHAR *src = guarded_units(g, n + 1);
    for (unsigned j = 0; j < n; j++)
        src[j] = (WCHAR)(first + j % period);
    src[n] = 0;
    return src;
}

static void guarded_release(guarded *g)
{
    munmap(g->map, g->map_len);
}

/* Calls AllocCountedString on src, which must be valid with the given
 * length, and checks the result; src must stay untouched. */
static void expect_copy(check_ctx *ctx, const WCHAR *src, UINT16 length)
{
    WCHAR before[maxStringLength + 1];
    memcpy(before, src, (size_t)(length + 1) * sizeof(WCHAR));
    CountedString *s = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    crash_guard_enter("%s [no fault]", ctx->context);
    HRESULT hr = AllocCountedString(&s, src);
    crash_guard_leave();
    unsigned failures = ctx->failures;
    bool well_formed = false;
    if (nap_expect_alloc_outcome(ctx, "AllocCountedString", hr, true, s)) {
        nap_expect_counted_string_shape(ctx, s, src, length);
        CHECK(ctx, tracker_live_count() == 2,
              "%zu blocks live after the call, expected 2 (struct and string)",
              tracker_live_count());
        well_formed = ctx->failures == failures;
    }
    if (well_formed) {
        crash_guard_enter("FreeCountedString(the result of %s) [no fault]", ctx->context);
        FreeCountedString(s);
        crash_guard_leave();
    } else {
        /* Never handed to Free, which could crash on it, yet freed: what
         * stays live is the implementation's leak, not the harness's. */
        nap_release_result(&nap_type_CountedString, s, seq);
    }
    CHECK(ctx, memcmp(before, src, (size_t)(length + 1) * sizeof(WCHAR)) == 0,
          "the source string was modified");
    verdict_case_end(ctx);
}

/* Calls AllocCountedString on an argument the contract calls invalid. */
static void expect_invalid(check_ctx *ctx, const WCHAR *src)
{
    CountedString *s = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    crash_guard_enter("%s [no fault]", ctx->context);
    HRESULT hr = AllocCountedString(&s, src);
    crash_guard_leave();
    nap_expect_alloc_outcome(ctx, "AllocCountedString", hr, false, s);
    if (hr == S_OK && s != NULL && s != NAP_SENTINEL) {
        /* A wrongful success must not also count as a leak. */
        crash_guard_enter("FreeCountedString(the result of %s) [no fault]", ctx->context);
        FreeCountedString(s);
        crash_guard_leave();
    } else {
        nap_release_result(&nap_type_CountedString, s, seq); /* left by a failure */
    }
    verdict_case_end(ctx);
}

/* AllocCountedString on terminated strings of each length, the NUL the
 * last unit before a guard page: copied when valid, refused otherwise. */
static void check_lengths(check_ctx *ctx, const unsigned *lengths, size_t count, bool valid)
{
    check_set_context(ctx, "AllocCountedString");
    for (size_t i = 0; i < count; i++) {
        unsigned n = lengths[i];
        guarded g;
        WCHAR *src = valid ? guarded_string(&g, n, 'a', 26) : guarded_string(&g, n, 'x', 3);
        check_set_context(ctx, "AllocCountedString(%u code units, NUL last before a guard page)",
                          n);
        if (valid)
            expect_copy(ctx, src, (UINT16)n);
        else
            expect_invalid(ctx, src);
        guarded_release(&g);
    }
}

MEMTEST(alloc_counted_string, lengths_0_1_1023_1024)
{
    static const unsigned lengths[] = {0, 1, 2, 1023, maxStringLength};
    check_lengths(ctx, lengths, sizeof lengths / sizeof lengths[0], true);
}

MEMTEST(alloc_counted_string, unterminated_1025_units_read_no_further)
{
    guarded g;
    WCHAR *src = guarded_units(&g, maxStringLength + 1);
    for (unsigned j = 0; j <= maxStringLength; j++)
        src[j] = (WCHAR)('A' + j % 26);
    check_set_context(ctx, "AllocCountedString(1025 code units, no NUL, index 1025 unreadable)");
    expect_invalid(ctx, src);
    guarded_release(&g);
}

MEMTEST(alloc_counted_string, longer_strings_are_invalid)
{
    static const unsigned lengths[] = {maxStringLength + 1, 2000, 40000};
    check_lengths(ctx, lengths, sizeof lengths / sizeof lengths[0], false);
}

MEMTEST(alloc_counted_string, non_ascii_and_surrogates_copied_exactly)
{
    /* é, two CJK ideographs, U+1F600 as a surrogate pair, U+FFFF, a lone
     * high and a lone low surrogate, U+0080: every unit is copied as is. */
    static const WCHAR mixed[] = {0x00E9, 0x4E2D, 0x6587, 0xD83D, 0xDE00, 0xFFFF,
                                  0xD800, 0xDC00, 0x0080, 0};
    check_set_context(ctx, "AllocCountedString(mixed non-ASCII)");
    expect_copy(ctx, mixed, (UINT16)(sizeof mixed / sizeof mixed[0] - 1));

    /* 512 surrogate pairs: 1024 code units, the maximum, though 512 characters. */
    guarded g;
    WCHAR *pairs = guarded_units(&g, maxStringLength + 1);
    for (unsigned j = 0; j < maxStringLength; j += 2) {
        pairs[j] = (WCHAR)(0xD800 + (j / 2) % 0x400);
        pairs[j + 1] = (WCHAR)(0xDC00 + (j * 7) % 0x400);
    }
    pairs[maxStringLength] = 0;
    check_set_context(ctx, "AllocCountedString(512 surrogate pairs = 1024 code units)");
    expect_copy(ctx, pairs, maxStringLength);
    guarded_release(&g);

    /* 513 pairs are 1026 code units: too long, whatever the character count. */
    WCHAR *over = guarded_units(&g, maxStringLength + 3);
    for (unsigned j = 0; j < maxStringLength + 2; j += 2) {
        over[j] = 0xD83D;
        over[j + 1] = 0xDE00;
    }
    over[maxStringLength + 2] = 0;
    check_set_context(ctx, "AllocCountedString(513 surrogate pairs = 1026 code units)");
    expect_invalid(ctx, over);
    guarded_release(&g);
}

MEMTEST(alloc_counted_string, null_string_and_null_out)
{
    static const WCHAR hello[] = {'h', 'i', 0};
    check_set_context(ctx, "AllocCountedString(&out, NULL)");
    expect_invalid(ctx, NULL);

    const WCHAR *sources[] = {hello, NULL};
    for (size_t i = 0; i < 2; i++) {
        check_set_context(ctx, "AllocCountedString(NULL, %s)", sources[i] ? "\"hi\"" : "NULL");
        HRESULT hr = AllocCountedString(NULL, sources[i]);
        nap_expect_rejected_without_alloc(ctx, hr);
        verdict_case_end(ctx);
    }
}
