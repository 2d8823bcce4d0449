/* The general path (see tracker_general.h). */
#include "tracker_general.h"

#include <stdbool.h>
#include <string.h>

#include <memharness/fault.h>

#include "callsite_walk.h"
#include "fault_armed.h"
#include "tracker_guard.h"
#include "tracker_journal.h"
#include "tracker_lock.h"
#include "tracker_misuse.h"
#include "tracker_quarantine.h"
#include "tracker_register.h"

_Static_assert(TRACKER_STACK_DEPTH >= FAULT_MAX_DEPTH, "site:DEPTH needs that many frames");

/* Allocates and registers a block on an align boundary (16 at least);
 * lock held. */
static void *alloc_locked(size_t size, size_t align, const void *const *stack, unsigned depth)
{
    size_t guard = guard_size();
    block_hdr *h = align > 16 ? store_get_aligned(size, guard, align) : store_get(size, guard);
    if (h == NULL)
        return NULL;
    h->depth = (uint8_t)depth;
    memcpy(h->stack, stack, sizeof h->stack);
    register_block(h, guard, tracker_st.features & TRACKER_FEATURE_POISON, store_mode == 0);
    journal_note(TRACKER_EV_ALLOC, h, h->user, stack[0]);
    return h->user;
}

/* Unregisters and quarantines a live block; lock held. */
static void free_locked(block_hdr *h, const void *site)
{
    if (h->guard)
        check_guard(h);
    journal_note(TRACKER_EV_FREE, h, h->user, site);
    unregister_block(h, site, tracker_st.features & TRACKER_FEATURE_POISON, store_mode == 0);
    if (tracker_st.features & TRACKER_FEATURE_QUARANTINE) {
        quarantine_push(h);
    } else {
        quarantine_audit_block(h, store_mode == 0);
        store_put(h);
    }
}

/* A free or realloc of a pointer that is no live block's: reported and
 * journaled; lock held. */
static void bad_pointer(const char *op, const tracker_names *names, const void *ptr,
                        const void *site)
{
    report_bad_pointer(op, names, ptr, site);
    journal_note(TRACKER_EV_BAD_FREE, NULL, ptr, site);
}

/* The allocating stack, innermost first, from the seam's return address;
 * inline, so the walk starts at the caller's frame (alloc_general's or
 * realloc_general's), the frame that returns to site when the entry point
 * jumped to it. */
static inline __attribute__((always_inline)) unsigned capture(const void *site,
                                                              const void **stack)
{
    if (!(tracker_st.features & TRACKER_FEATURE_STACKS)) {
        stack[0] = site;
        return 1;
    }
    return callsite_walk(__builtin_frame_address(0), site, stack, TRACKER_STACK_DEPTH, 1, 0, 0);
}

/* Captures the allocating stack and asks the injector (outside the lock,
 * as any allocation); true, the refusal journaled, when it says fail. */
static inline __attribute__((always_inline)) bool refused(const void *site, const void **stack,
                                                          unsigned *depth)
{
    *depth = capture(site, stack);
    if (!fault_decide(stack, *depth))
        return false;
    bool held = lock_acquire();
    journal_note(TRACKER_EV_FAILED_ALLOC, NULL, NULL, site);
    lock_release(held);
    return true;
}

/* The general path of an allocation, in both entries below: one per
 * caller, so that tracker_alloc's call keeps its two arguments (a third
 * costs its fast path a register move). */
static inline __attribute__((always_inline)) void *alloc_general_body(size_t size, size_t align,
                                                                      const void *site)
{
    gate_settle();
    const void *stack[TRACKER_STACK_DEPTH] = {0};
    unsigned depth;
    if (refused(site, stack, &depth))
        return NULL;
    bool held = lock_acquire();
    tracker_st.stats.general_calls++;
    void *p = alloc_locked(size, align, stack, depth);
    lock_release(held);
    return p;
}

void *alloc_general(size_t size, const void *site)
{
    return alloc_general_body(size, 16, site);
}

void *alloc_general_aligned(size_t size, size_t align, const void *site)
{
    return alloc_general_body(size, align, site);
}

void free_general(void *ptr, const void *site, const tracker_names *names, bool as_realloc)
{
    gate_settle();
    bool held = lock_acquire();
    tracker_st.stats.general_calls++;
    block_hdr *h = find_live(ptr);
    if (h == NULL)
        bad_pointer(as_realloc ? names->realloc_fn : names->free_fn, names, ptr, site);
    else
        free_locked(h, site);
    lock_release(held);
}

void *realloc_general(void *ptr, size_t size, const void *site, const tracker_names *names)
{
    bool held = lock_acquire();
    bool live = find_live(ptr) != NULL;
    if (!live)
        bad_pointer(names->realloc_fn, names, ptr, site);
    lock_release(held);
    if (!live)
        return NULL;

    /* A refusal leaves the old block live and untouched. */
    const void *stack[TRACKER_STACK_DEPTH] = {0};
    unsigned depth;
    if (refused(site, stack, &depth))
        return NULL;
    held = lock_acquire();
    block_hdr *old = find_live(ptr); /* another thread may have freed it meanwhile */
    void *fresh = NULL;
    if (old == NULL) {
        bad_pointer(names->realloc_fn, names, ptr, site);
    } else {
        /* Always move, so that a caller keeping the old pointer is caught. */
        fresh = alloc_locked(size, 16, stack, depth);
        if (fresh != NULL) {
            memcpy(fresh, ptr, old->size < size ? old->size : size);
            free_locked(old, site);
        }
    }
    lock_release(held);
    return fresh;
}
