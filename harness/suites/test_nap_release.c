/* nap_release_result, the harness's way of freeing an Alloc result it will
 * not hand to the implementation's Free function: whatever the result
 * looks like, the harness must not leak it, free something twice or free
 * what is not the call's, or every verdict after it would be its own.
 * The structures are built by hand through the tracked CoTaskMem*, as a
 * broken implementation could return them; no implementation is called. */
#include <criterion/criterion.h>
#include <string.h>

#include <memharness/shape_check.h>
#include <memharness/tracker.h>
#include "nap_expect.h"
#include "nap_types.h"
#include "naputil.h"
#include "memtest.h"

/* A zeroed tracked block, as an implementation would allocate it. */
static void *block(size_t size)
{
    void *p = CoTaskMemAlloc(size);
    cr_assert(p != NULL, "CoTaskMemAlloc(%zu) failed", size);
    memset(p, 0, size);
    return p;
}

/* Nothing left live, nothing freed twice or invalidly: each of these is
 * recorded into ctx under what, and the tracker reset for the next case;
 * the test's end judgement (MEMTEST) fails it. */
static void expect_all_freed(check_ctx *ctx, const char *what)
{
    check_set_context(ctx, "%s", what);
    verdict_case_end(ctx);
}

/* Position of the free of p in the journal, -1 when it was not freed. */
static long free_index(const void *p)
{
    size_t n;
    const tracker_event *ev = tracker_journal(&n);
    for (size_t i = 0; i < n; i++)
        if (ev[i].kind == TRACKER_EV_FREE && ev[i].block.ptr == p)
            return (long)i;
    return -1;
}

MEMTEST(nap_release, frees_a_misshapen_result_children_first)
{
    uint64_t seq = tracker_next_seq();
    CountedString *s = block(sizeof *s);
    s->length = 99; /* a wrong count: the string block holds 4 units */
    s->string = block(4 * sizeof(WCHAR));
    const void *string = s->string;
    tracker_journal_start();
    nap_release_result(&nap_type_CountedString, s, seq);
    tracker_journal_stop();
    long child = free_index(string), parent = free_index(s);
    cr_assert(child >= 0 && parent >= 0, "freed string: %s, freed struct: %s",
              child >= 0 ? "yes" : "no", parent >= 0 ? "yes" : "no");
    cr_assert(child < parent, "the struct was freed before the string it points to");
    expect_all_freed(ctx, "a CountedString with a wrong length");
}

MEMTEST(nap_release, never_follows_what_is_not_a_live_block)
{
    uint64_t seq = tracker_next_seq();
    INapEnforcementClientConnection *not_a_block[3] = {NULL, NULL, NULL};
    Connections *c = block(sizeof *c);
    c->count = 3;
    c->connections = not_a_block; /* garbage to the allocator */
    nap_release_result(&nap_type_Connections, c, seq);
    expect_all_freed(ctx, "a Connections whose slot array is not a heap block");

    seq = tracker_next_seq();
    CountedString *s = block(sizeof *s);
    s->length = 3;
    s->string = block(4 * sizeof(WCHAR));
    CoTaskMemFree(s->string); /* dangling, as a broken failure path leaves it */
    nap_release_result(&nap_type_CountedString, s, seq);
    expect_all_freed(ctx, "a CountedString whose string was already freed");
}

MEMTEST(nap_release, frees_a_block_two_pointers_share_once)
{
    uint64_t seq = tracker_next_seq();
    SoH *soh = block(sizeof *soh);
    soh->count = 2;
    soh->attributes = block(2 * sizeof *soh->attributes);
    BYTE *shared = block(8);
    for (unsigned i = 0; i < 2; i++) {
        soh->attributes[i].size = 8;
        soh->attributes[i].value = shared;
    }
    nap_release_result(&nap_type_SoH, soh, seq);
    expect_all_freed(ctx, "a SoH whose two attributes share one value block");
}

MEMTEST(nap_release, leaves_blocks_from_before_the_call)
{
    WCHAR *older = block(4 * sizeof(WCHAR)); /* the caller's, not the call's */
    uint64_t seq = tracker_next_seq();
    CountedString *s = block(sizeof *s);
    s->length = 3;
    s->string = older;
    nap_release_result(&nap_type_CountedString, s, seq);
    cr_assert(tracker_live_count() == 1 && tracker_lookup(older, NULL),
              "%zu block(s) live, expected only the block allocated before the call",
              tracker_live_count());
    CoTaskMemFree(older);
    expect_all_freed(ctx, "a CountedString pointing to an older block");
}

MEMTEST(nap_release, null_and_the_sentinel_hold_nothing)
{
    void *unrelated = block(16);
    nap_release_result(&nap_type_CountedString, NULL, SHAPE_SEQ_UNKNOWN);
    nap_release_result(&nap_type_Connections, NAP_SENTINEL, SHAPE_SEQ_UNKNOWN);
    cr_assert(tracker_live_count() == 1 && tracker_lookup(unrelated, NULL),
              "a release of NULL or of the sentinel freed something");
    CoTaskMemFree(unrelated);
    expect_all_freed(ctx, "NULL and NAP_SENTINEL");
}
