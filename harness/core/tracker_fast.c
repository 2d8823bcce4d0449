/* The tracker's entry points and their fast path: the hot path whole, in
 * one file with the inline helpers it includes (tracker_register.h,
 * tracker_guard.h, tracker_quarantine.h, tracker_poison.h, tracker_block.h,
 * tracker_owner.h, callsite_walk.h, fault_armed.h).  Every call the fast
 * path does not take goes to the general path (tracker_general.c).
 *
 * The fast path is taken by the thread that owns it (tracker_owner.h) while
 * the gate allows it (tracker_lock.c): arena blocks, every check on, no
 * journal.  It runs the same checks through the same helpers as the general
 * path, and hands a call to the general path, before changing anything,
 * whenever that call needs more than the common case: a large block or an
 * arena to grow, an injector that must be asked under its lock or is about
 * to fail, a guard or a quarantined block found written (so that the
 * general path reports it), a large block in the quarantine's way.  It
 * calls nothing, so that it needs no saved registers for calls. */
#include <memharness/tracker.h>

#include <stdbool.h>
#include <stddef.h>

#include "callsite_walk.h"
#include "fault_armed.h"
#include "tracker_block.h"
#include "tracker_general.h"
#include "tracker_guard.h"
#include "tracker_owner.h"
#include "tracker_quarantine.h"
#include "tracker_register.h"
#include "tracker_state.h"

/* make bench's attribution of the fast path's cost builds this file again
 * (harness/bench/meson.build) with TRACKER_FAST_SKIP holding the
 * TRACKER_FEATURE_* bits whose check the fast path then leaves out, one at
 * a time; in every other build it is 0 and FAST_DOES is constant true. */
#ifndef TRACKER_FAST_SKIP
#define TRACKER_FAST_SKIP 0
#endif
#define FAST_DOES(feature) (!(TRACKER_FAST_SKIP & (feature)))
#define FAST_GUARD (FAST_DOES(TRACKER_FEATURE_GUARDS) ? GUARD_SIZE : 0)

/* tracker_alloc's fast path: the block registered, or NULL: ask the
 * general path. */
static inline __attribute__((always_inline)) block_hdr *alloc_fast(size_t size, const void *site)
{
    if (size > STORE_SMALL_LIMIT - STORE_HDR_BYTES - FAST_GUARD)
        return NULL; /* not a small class: the general path sizes it */
    unsigned c = store_small_class(STORE_HDR_BYTES + size + FAST_GUARD);
    block_hdr *h = store_free_lists[c];
    /* A site in code without frame pointers is unwound: not here. */
    if ((h == NULL && !store_has_room(c)) ||
        (FAST_DOES(TRACKER_FEATURE_STACKS) && !callsite_fp_code(site) && site != NULL) ||
        !fault_pass_fast())
        return NULL;
    if (h != NULL)
        store_pop(h);
    else
        h = store_carve(c);
    if (FAST_DOES(TRACKER_FEATURE_STACKS)) {
        /* The owner asked for its stack top when it decided the gate. */
        h->depth = (uint8_t)callsite_walk(__builtin_frame_address(0), site, h->stack,
                                          TRACKER_STACK_DEPTH, 0, 1, 1);
    } else {
        h->stack[0] = site;
        h->depth = 1;
    }
    h->size = size;
    h->guard = FAST_GUARD;
    register_block(h, FAST_GUARD, FAST_DOES(TRACKER_FEATURE_POISON), true);
    return h;
}

/* tracker_free's fast path; false, nothing done: ask the general path. */
static inline __attribute__((always_inline)) bool free_fast(void *ptr, const void *site)
{
    block_hdr *h = store_find_live_arena(ptr);
    if (h == NULL || h->size > STORE_SMALL_LIMIT ||
        (FAST_DOES(TRACKER_FEATURE_GUARDS) && !guard_intact(h)))
        return false;
    if (!FAST_DOES(TRACKER_FEATURE_QUARANTINE)) {
        unregister_block(h, site, FAST_DOES(TRACKER_FEATURE_POISON), true);
        store_put_arena(h);
        return true;
    }
    block_hdr *oldest = NULL;
    if (quarantine_full()) {
        oldest = quarantine_oldest();
        if (oldest->size > STORE_SMALL_LIMIT || !quarantine_block_intact(oldest, true))
            return false;
    }
    unregister_block(h, site, FAST_DOES(TRACKER_FEATURE_POISON), true);
    if (oldest == NULL) {
        quarantine_append(h);
        return true;
    }
    store_put_arena(oldest);
    quarantine_replace_oldest(h);
    return true;
}

/* ---- the entry points ---------------------------------------------------- */

void *tracker_alloc(size_t size, const void *site)
{
    if (owner_enter()) {
        block_hdr *h = alloc_fast(size, site);
        owner_leave();
        if (h != NULL)
            return (unsigned char *)h + STORE_HDR_BYTES; /* an arena block's user area */
    }
    return alloc_general(size, site);
}

void *tracker_alloc_aligned(size_t size, size_t align, const void *site)
{
    if (align <= 16)
        return tracker_alloc(size, site);
    return alloc_general_aligned(size, align, site);
}

/* tracker_free, tracker_free_as and realloc to size 0: one body, so that
 * tracker_free's fast path is not a call longer for names it never uses.
 * The names go on as they came, read only by the general path: a string
 * taken from them here would be a load on every free. */
static inline __attribute__((always_inline)) void free_entry(void *ptr, const void *site,
                                                             const tracker_names *names,
                                                             bool as_realloc)
{
    if (ptr == NULL)
        return;
    if (owner_enter()) {
        bool done = free_fast(ptr, site);
        owner_leave();
        if (done)
            return;
    }
    free_general(ptr, site, names, as_realloc);
}

void tracker_free(void *ptr, const void *site)
{
    free_entry(ptr, site, &tracker_names_cotaskmem, false);
}

void tracker_free_as(void *ptr, const void *site, const tracker_names *names)
{
    free_entry(ptr, site, names, false);
}

void *tracker_realloc(void *ptr, size_t size, const void *site)
{
    return tracker_realloc_as(ptr, size, site, &tracker_names_cotaskmem);
}

void *tracker_realloc_as(void *ptr, size_t size, const void *site, const tracker_names *names)
{
    if (ptr == NULL)
        return tracker_alloc(size, site);
    if (size == 0) { /* a free the caller asked of its realloc, misuse named so */
        free_entry(ptr, site, names, true);
        return NULL;
    }
    return realloc_general(ptr, size, site, names);
}
