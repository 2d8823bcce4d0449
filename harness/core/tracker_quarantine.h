/* The quarantine: freed blocks, poisoned, held back in a FIFO ring
 * (tracker_st.quarantine) before the store gets them back, so that a stale
 * pointer reads poison rather than a recycled block, and a write after free
 * shows when the block leaves with its poison changed.  The inline helpers
 * below are the fast path's too; the rest is in tracker_quarantine.c.
 * Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_QUARANTINE_H
#define HARNESS_TRACKER_QUARANTINE_H

#include <stdbool.h>
#include <stddef.h>

#include "tracker_guard.h"
#include "tracker_misuse.h"
#include "tracker_poison.h"
#include "tracker_state.h"

/* The large blocks (over STORE_SMALL_LIMIT bytes) the quarantine may hold;
 * the small ones are bounded by its slots, to 2 MB. */
#define QUARANTINE_MAX_BYTES ((size_t)8 << 20)

/* Whether a quarantined block still holds the poison written when it was
 * freed (a block freed while poison was off has none to check).  arena: the
 * block is the arena's. */
static inline bool quarantine_block_intact(const block_hdr *h, bool arena)
{
    return !h->poisoned ||
           all_bytes(h->user, h->size, TRACKER_POISON_FREED, arena, h->guard == GUARD_SIZE);
}

/* Records a write after free into h, if any. */
static inline void quarantine_audit_block(block_hdr *h, bool arena)
{
    if (!quarantine_block_intact(h, arena))
        report_write_after_free(h);
}

/* A block's share of the quarantine's bytes. */
static inline size_t quarantine_bytes(size_t size)
{
    return size > STORE_SMALL_LIMIT ? size : 0;
}

/* Whether the ring has no free slot. */
static inline bool quarantine_full(void)
{
    return tracker_st.quarantine.len == QUARANTINE_SLOTS;
}

/* The block to leave next; the ring must not be empty. */
static inline block_hdr *quarantine_oldest(void)
{
    return tracker_st.quarantine.slots[tracker_st.quarantine.head];
}

/* The next block to leave was last touched a thousand frees ago: its
 * header and first bytes are fetched now, while this free finishes. */
static inline void quarantine_fetch_next(void)
{
    const char *next = (const char *)quarantine_oldest();
    __builtin_prefetch(next);
    __builtin_prefetch(next + 64);
    __builtin_prefetch(next + 128);
}

/* Takes the oldest block out of the quarantine, without a check. */
static inline block_hdr *quarantine_take_oldest(void)
{
    struct tracker_quarantine *q = &tracker_st.quarantine;
    block_hdr *h = q->slots[q->head];
    q->bytes -= quarantine_bytes(h->size);
    q->head = (q->head + 1) & (QUARANTINE_SLOTS - 1);
    q->len--;
    return h;
}

/* Puts a freed block at the quarantine's young end, with room known. */
static inline void quarantine_append(block_hdr *h)
{
    struct tracker_quarantine *q = &tracker_st.quarantine;
    q->slots[(q->head + q->len) & (QUARANTINE_SLOTS - 1)] = h;
    q->len++;
    q->bytes += quarantine_bytes(h->size);
    quarantine_fetch_next();
}

/* A full ring's step: h takes the oldest block's slot, which the caller
 * has taken care of, with no share of the bytes to move (both are
 * small). */
static inline void quarantine_replace_oldest(block_hdr *h)
{
    struct tracker_quarantine *q = &tracker_st.quarantine;
    q->slots[q->head] = h;
    q->head = (q->head + 1) & (QUARANTINE_SLOTS - 1);
    quarantine_fetch_next();
}

/* Gives the oldest quarantined block back to the store, first checking
 * that nobody wrote into it after it was freed; lock held. */
TRACKER_HIDDEN void quarantine_evict(void);

/* Quarantines a freed block, evicting the oldest ones as the ring's slots
 * and QUARANTINE_MAX_BYTES require; lock held. */
TRACKER_HIDDEN void quarantine_push(block_hdr *h);

/* Audits every quarantined block, so that a verdict taken at the end of a
 * case sees writes after free into blocks not yet evicted; lock held. */
TRACKER_HIDDEN void quarantine_audit_locked(void);

#endif
