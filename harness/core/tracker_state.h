/* The tracking allocator's state (see tracker.h for what it promises).
 *
 * Each block's record is a header in front of it (tracker_block.h), so a
 * free reads the record where the block is instead of looking it up in a
 * global table; the store (tracker_store.c) answers "is this pointer one of
 * ours?" without reading memory it does not own, so foreign, interior and
 * wild pointers are still refused safely.  Live blocks form a list in
 * allocation order (leak reports need no sort).  Freed blocks are poisoned
 * and held in a FIFO quarantine before the store gets them back: a stale
 * pointer then reads poison rather than a recycled block, a double free can
 * name the block's history, and a write after free shows when the block
 * leaves quarantine with its poison changed.  Under AddressSanitizer and
 * Valgrind the quarantine is also marked inaccessible to the tool, and our
 * guard bytes are left out so that the tool's own redzones sit right at the
 * end of each block.
 *
 * Two paths run the same checks through the same helpers.  The fast path
 * (tracker_fast.c: arena blocks, every check on, no journal) belongs to one
 * thread at a time and takes no lock (tracker_owner.h); it calls nothing and
 * hands any call that needs more than the common case to the general path
 * (tracker_general.c) before it has changed anything.  The general path
 * takes the global lock once the process has a second thread, and is where
 * every check can be switched off and every misuse is reported.
 *
 * The files, one job each:
 *   tracker_state.h/.c      this state and its one definition
 *   tracker_reset.c         tracker_reset: the state started over
 *   tracker_lock.h/.c       the lock, the fast path's gate, the checks in force
 *   tracker_register.h      a block made live and unmade (both paths)
 *   tracker_guard.h         guard bytes after a block
 *   tracker_quarantine.h/.c freed blocks held back, audited when they leave
 *   tracker_fast.c          the entry points and their fast path
 *   tracker_general.h/.c    the general path
 *   tracker_misuse.h/.c     misuse found, recorded in words
 *   tracker_journal.h/.c    the journal of events
 *   tracker_text.h/.c       a block in words, and as the API's tracker_block
 *   tracker_query.c         what the state says, for the API's queries
 *   tracker_leaks.c         the leak report
 *   tracker_check.c         the verdict as check failures (public API only)
 * and beneath them, with state of their own for the fast path to inline:
 *   tracker_owner.h/.c      which thread owns the fast path
 *   tracker_block.h         a block's header; the store's inline half
 *   tracker_store.c         the blocks' memory
 *   tracker_poison.h        byte patterns written and checked
 *
 * All of the state is one struct: one object, tracker_st, that every
 * tracker_*.c file reads and writes, so that what the tracker remembers is
 * listed here once.  tracker_reset (tracker_reset.c) starts it over; each
 * part below says what a reset does to it.  Fields are read and written
 * with the lock held (tracker_lock.h), except by the fast path's owner
 * (tracker_owner.h) and where a field says otherwise.  Internal to
 * tracker_*.c. */
#ifndef HARNESS_TRACKER_STATE_H
#define HARNESS_TRACKER_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <memharness/tracker.h>

#include "tracker_block.h"

#define TRACKER_HIDDEN __attribute__((visibility("hidden")))

#define QUARANTINE_SLOTS 1024 /* a power of two: the ring's index is masked */
#define MISUSE_KEPT 16        /* misuse texts kept; the count goes on */
#define MISUSE_TEXT_MAX 1200

/* The counters, together: every allocation and free touches them.  Every
 * allocation takes a sequence number and every free of a live block counts,
 * so the allocation total (next_seq - 1) and the live count (that minus
 * free_total) follow from them instead of costing each call an update. */
typedef struct tracker_counters {
    size_t live_bytes;
    uint64_t next_seq;
    uint64_t free_total;
    uint64_t general_calls; /* the slow path's only */
} tracker_counters;

#define TRACKER_COUNTERS_START {.next_seq = 1}

typedef struct tracker_state {
    /* The parts every allocation and free touches, the fast path's too. */
    /* Reset: TRACKER_COUNTERS_START.  16-aligned, so that the compiler may
     * update two counters with one vector instruction. */
    _Alignas(16) tracker_counters stats;
    /* Live blocks, oldest first: the list's sentinel, whose next is the
     * oldest block.  Reset: every block given back to the store. */
    block_hdr live;
    /* Freed blocks held back, a FIFO ring (tracker_quarantine.h).  Reset:
     * every block evicted (and audited), the ring back to slot 0.  The large
     * blocks it may hold are bounded by QUARANTINE_MAX_BYTES, the small ones
     * by its slots. */
    struct tracker_quarantine {
        size_t head;  /* the oldest block's slot */
        size_t len;   /* blocks held */
        size_t bytes; /* of large blocks only: see QUARANTINE_MAX_BYTES */
        block_hdr *slots[QUARANTINE_SLOTS];
    } quarantine;

    /* The checks in force, TRACKER_FEATURE_*.  Atomic: an allocation reads
     * it outside the lock (the stack capture comes before the lock), while
     * tracker_set_features may change it.  Reset: TRACKER_FEATURE_ALL. */
    _Atomic unsigned features;
    /* The misuse found (tracker_misuse.c): its count, and the texts of the
     * first MISUSE_KEPT.  Reset: count 0. */
    struct {
        size_t count;
        char texts[MISUSE_KEPT][MISUSE_TEXT_MAX];
    } misuse;
    /* The journal (tracker_journal.c).  Reset: off and empty; its buffer
     * is kept for the next run. */
    struct {
        bool on;
        size_t len;
        size_t cap;
        tracker_event *events;
    } journal;

    /* Kept across resets.  tool: -1 undecided, else whether blocks come
     * from malloc under a memory tool; decided once per process, since the
     * store's choice cannot change. */
    int tool;
    pthread_mutex_t lock; /* see tracker_lock.h */
} tracker_state;

extern TRACKER_HIDDEN tracker_state tracker_st;

/* Whether blocks come from malloc under a memory tool (see tool above). */
static inline bool under_tool(void)
{
    if (tracker_st.tool < 0)
        tracker_st.tool = store_uses_malloc();
    return tracker_st.tool;
}

#endif
