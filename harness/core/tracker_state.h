/* The tracker's state, all of it in one struct: one object, tracker_st,
 * that every tracker_*.c file reads and writes, so that what the tracker
 * remembers is listed here once instead of in statics spread over its
 * files.  tracker_reset (tracker_state.c) starts it over; each part below
 * says what a reset does to it.  Fields are read and written with the lock
 * held (tracker_lock.h), except by the fast path's owner (tracker_owner.h)
 * and where a field says otherwise.  Internal to tracker_*.c. */
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
    tracker_counters stats; /* reset: TRACKER_COUNTERS_START */
    /* Live blocks, oldest first: the list's sentinel, whose next is the
     * oldest block.  Reset: every block given back to the store. */
    block_hdr live;
    /* Freed blocks held back, a FIFO ring (tracker_quarantine.h).  Reset:
     * every block evicted (and audited), the ring back to slot 0. */
    struct {
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
