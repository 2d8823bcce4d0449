/* What the tracker's state says, for the API's queries (see tracker.h):
 * counters, live blocks, the misuse record.  Each takes the lock, so that
 * a query from another thread sees one consistent state. */
#include <memharness/tracker.h>

#include "tracker_lock.h"
#include "tracker_quarantine.h"
#include "tracker_register.h"
#include "tracker_state.h"
#include "tracker_text.h"

bool tracker_guards_enabled(void)
{
    return !store_uses_malloc();
}

/* The counters as one consistent copy. */
static tracker_counters counters_now(void)
{
    bool held = lock_acquire();
    tracker_counters c = tracker_st.stats;
    lock_release(held);
    return c;
}

size_t tracker_live_count(void)
{
    tracker_counters c = counters_now();
    return (size_t)(c.next_seq - 1 - c.free_total);
}

size_t tracker_live_bytes(void)
{
    return counters_now().live_bytes;
}

uint64_t tracker_next_seq(void)
{
    return counters_now().next_seq;
}

uint64_t tracker_alloc_total(void)
{
    return counters_now().next_seq - 1;
}

uint64_t tracker_free_total(void)
{
    return counters_now().free_total;
}

uint64_t tracker_general_calls(void)
{
    return counters_now().general_calls;
}

bool tracker_fast_path_across_threads(void)
{
    bool held = lock_acquire();
    bool across = owner_across_threads_locked();
    lock_release(held);
    return across;
}

bool tracker_lookup(const void *ptr, tracker_block *out)
{
    bool held = lock_acquire();
    block_hdr *h = find_live(ptr);
    if (h != NULL && out != NULL)
        block_copy(h, out);
    lock_release(held);
    return h != NULL;
}

size_t tracker_live_since(uint64_t min_seq, tracker_block *out, size_t max)
{
    bool held = lock_acquire();
    size_t found = 0;
    /* The list is in allocation order, so the result needs no sort. */
    for (block_hdr *h = tracker_st.live.next; h != &tracker_st.live; h = h->next) {
        if (h->seq < min_seq)
            continue;
        if (out != NULL && found < max)
            block_copy(h, &out[found]);
        found++;
    }
    lock_release(held);
    return found;
}

/* The quarantine audited first, so that the count has every write after
 * free into a block still held. */
size_t tracker_error_count(void)
{
    bool held = lock_acquire();
    quarantine_audit_locked();
    size_t n = tracker_st.misuse.count;
    lock_release(held);
    return n;
}

const char *tracker_error_text(size_t i)
{
    bool held = lock_acquire();
    const char *t =
        i < tracker_st.misuse.count && i < MISUSE_KEPT ? tracker_st.misuse.texts[i] : NULL;
    lock_release(held);
    return t;
}
