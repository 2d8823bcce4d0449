/* A block made live and unmade: header, poison, guard, the live list and
 * the counters.  Inline, and used by both paths (tracker_fast.c and
 * tracker_general.c), so that they run the same steps; the caller says
 * which checks apply.  Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_REGISTER_H
#define HARNESS_TRACKER_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "tracker_guard.h"
#include "tracker_poison.h"
#include "tracker_state.h"

/* The live block whose user pointer is exactly ptr, or NULL. */
static inline block_hdr *find_live(const void *ptr)
{
    block_hdr *h = store_find(ptr);
    return h != NULL && hdr_is(h, HDR_LIVE) ? h : NULL;
}

/* Makes a block the store handed out live: header, poison, guard, list,
 * counters.  Its size, guard (the bytes given, guard) and stack are
 * already set.  arena: the block is the arena's. */
static inline __attribute__((always_inline)) void register_block(block_hdr *h, size_t guard,
                                                                 bool poison, bool arena)
{
    size_t size = h->size;
    hdr_set(h, HDR_LIVE);
    h->seq = tracker_st.stats.next_seq++;
    h->poisoned = 0;
    if (poison)
        poison_fill(h->user, size, TRACKER_POISON_NEW, arena, guard == GUARD_SIZE);
    if (guard == GUARD_SIZE)
        guard_write(h->user + size);
    block_hdr *live = &tracker_st.live;
    h->prev = live->prev;
    h->next = live;
    live->prev->next = h;
    live->prev = h;
    tracker_st.stats.live_bytes += size;
}

/* Takes a live block off the list and marks it freed at site, poisoned if
 * asked. */
static inline __attribute__((always_inline)) void unregister_block(block_hdr *h,
                                                                   const void *site, bool poison,
                                                                   bool arena)
{
    h->prev->next = h->next;
    h->next->prev = h->prev;
    tracker_st.stats.live_bytes -= h->size;
    tracker_st.stats.free_total++;
    hdr_set(h, HDR_FREED);
    h->free_site = site;
    if (poison) {
        poison_fill(h->user, h->size, TRACKER_POISON_FREED, arena, h->guard == GUARD_SIZE);
        h->poisoned = 1;
    }
}

#endif
