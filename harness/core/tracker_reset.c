/* tracker_reset: the tracker's state started over (see tracker_state.h),
 * part by part as it says a reset leaves each. */
#include <memharness/tracker.h>

#include "tracker_lock.h"
#include "tracker_quarantine.h"
#include "tracker_state.h"

void tracker_reset(void)
{
    bool held = lock_acquire();
    block_hdr *live = &tracker_st.live;
    while (live->next != live) {
        block_hdr *h = live->next;
        live->next = h->next;
        hdr_set(h, HDR_SPARE); /* a pointer from before the reset is no block now */
        store_put(h);
    }
    live->prev = live->next = live;
    while (tracker_st.quarantine.len > 0)
        quarantine_evict();
    tracker_st.quarantine.head = 0;
    tracker_st.stats = (tracker_counters)TRACKER_COUNTERS_START;
    tracker_st.features = TRACKER_FEATURE_ALL;
    tracker_st.misuse.count = 0;
    tracker_st.journal.on = false;
    tracker_st.journal.len = 0;
    owner_reset_locked();
    lock_release(held);
}
