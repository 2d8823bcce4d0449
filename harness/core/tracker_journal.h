/* The journal: while tracker_journal_start has it on, every allocation,
 * free, refusal and bad free as an event, in order (tracker.h).  Only the
 * general path journals: the gate keeps the fast path shut while the
 * journal is on (tracker_lock.c).  Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_JOURNAL_H
#define HARNESS_TRACKER_JOURNAL_H

#include <memharness/tracker.h>

#include "tracker_state.h"

/* Appends an event, h's record copied when h is not NULL; lock held.  Out
 * of memory, it records the loss as misuse and turns the journal off. */
TRACKER_HIDDEN void journal_add(tracker_event_kind kind, const block_hdr *h, const void *ptr,
                                const void *site);

/* journal_add when the journal is on. */
static inline void journal_note(tracker_event_kind kind, const block_hdr *h, const void *ptr,
                                const void *site)
{
    if (tracker_st.journal.on)
        journal_add(kind, h, ptr, site);
}

#endif
