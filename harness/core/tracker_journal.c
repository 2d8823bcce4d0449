/* The journal (see tracker_journal.h). */
#include "tracker_journal.h"

#include <stdlib.h>
#include <string.h>

#include "tracker_lock.h"
#include "tracker_misuse.h"
#include "tracker_text.h"

void journal_add(tracker_event_kind kind, const block_hdr *h, const void *ptr, const void *site)
{
    if (tracker_st.journal.len == tracker_st.journal.cap) {
        size_t cap = tracker_st.journal.cap ? tracker_st.journal.cap * 2 : 256;
        tracker_event *grown = realloc(tracker_st.journal.events, cap * sizeof *grown);
        if (grown == NULL) {
            misuse_record("tracker journal: out of memory, events lost");
            tracker_st.journal.on = false;
            owner_reset_locked();
            return;
        }
        tracker_st.journal.events = grown;
        tracker_st.journal.cap = cap;
    }
    tracker_event *ev = &tracker_st.journal.events[tracker_st.journal.len++];
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    if (h != NULL)
        block_copy(h, &ev->block);
    ev->block.ptr = (void *)ptr;
    ev->site = site;
}

void tracker_journal_start(void)
{
    bool held = lock_acquire();
    tracker_st.journal.len = 0;
    tracker_st.journal.on = true;
    owner_reset_locked();
    lock_release(held);
}

void tracker_journal_stop(void)
{
    bool held = lock_acquire();
    tracker_st.journal.on = false;
    owner_reset_locked();
    lock_release(held);
}

const tracker_event *tracker_journal(size_t *count)
{
    bool held = lock_acquire();
    *count = tracker_st.journal.len;
    const tracker_event *ev = tracker_st.journal.events;
    lock_release(held);
    return ev;
}
