/* The tracking allocator (see tracker.h).
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
 * (arena blocks, every check on, no journal) belongs to one thread at a
 * time and takes no lock (tracker_owner.h); it calls nothing and hands any
 * call that needs more than the common case to the general path before it
 * has changed anything.  The general path takes the global lock once the
 * process has a second thread, and is where every check can be switched
 * off and every misuse is reported. */
#include <memharness/tracker.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/single_threaded.h>

#include "asan_detect.h"
#include "callsite_walk.h"
#include "fault_armed.h"
#include <memharness/callsite.h>
#include <memharness/fault.h>
#include "tracker_block.h"
#include "tracker_owner.h"
#include "tracker_poison.h"
#include "tracker_state.h"

#ifdef HARNESS_ASAN
#include <sanitizer/asan_interface.h>
#define TOOL_NOACCESS(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define TOOL_ACCESS(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#elif defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TOOL_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define TOOL_ACCESS(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#endif
#endif
#ifndef TOOL_NOACCESS
#define TOOL_NOACCESS(p, n) ((void)(p), (void)(n))
#define TOOL_ACCESS(p, n) ((void)(p), (void)(n))
#endif

_Static_assert(TRACKER_STACK_DEPTH >= FAULT_MAX_DEPTH, "site:DEPTH needs that many frames");

#define GUARD_SIZE 16
#define GUARD_BYTE 0xFB
/* The large blocks (over STORE_SMALL_LIMIT bytes) the quarantine may hold;
 * the small ones are bounded by its slots, to 2 MB. */
#define QUARANTINE_MAX_BYTES ((size_t)8 << 20)

tracker_state tracker_st = {
    .stats = TRACKER_COUNTERS_START,
    .live = {.prev = &tracker_st.live, .next = &tracker_st.live},
    .features = TRACKER_FEATURE_ALL,
    .tool = -1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

/* Takes the lock unless this is the only thread, and ends another thread's
 * ownership of the fast path (tracker_owner.h); returns whether it took the
 * lock. */
static inline bool lock_acquire(void)
{
    if (__libc_single_threaded)
        return false;
    pthread_mutex_lock(&tracker_st.lock);
    if (__builtin_expect(owner_foreign(), 0))
        owner_revoke_locked();
    return true;
}

static inline void lock_release(bool held)
{
    if (held)
        pthread_mutex_unlock(&tracker_st.lock);
}

static size_t guard_size(void)
{
    return under_tool() || !(tracker_st.features & TRACKER_FEATURE_GUARDS) ? 0 : GUARD_SIZE;
}

/* Whether the fast path (below) may run at all: arena blocks, every check
 * on, no journal, no memory tool.  Whatever changes one of those makes the
 * gate undecided again (owner_reset_locked), and the next general call
 * decides it, handing the fast path to its own thread. */
static bool fast_path_allowed(void)
{
    return !under_tool() && tracker_st.features == TRACKER_FEATURE_ALL && !tracker_st.journal.on && !callsite_memcheck;
}

/* At the exit of a thread that owned the fast path (tracker_owner.h). */
static void owner_exits(void)
{
    bool held = lock_acquire();
    owner_release_locked();
    lock_release(held);
}

/* The general path's first step: decides an undecided gate, and ends
 * another thread's ownership before this thread touches anything, even
 * the injector's counters outside the lock. */
static inline void gate_settle(void)
{
    if (__builtin_expect(owner_undecided() || owner_foreign(), 0)) {
        bool held = lock_acquire();
        if (owner_undecided()) {
            if (callsite_stack_top == 0) /* the fast path's walk does not ask */
                callsite_stack_top_slow();
            owner_decide_locked(fast_path_allowed(), owner_exits);
        }
        lock_release(held);
    }
}

bool tracker_guards_enabled(void)
{
    return !store_uses_malloc();
}

void tracker_set_features(unsigned mask)
{
    bool held = lock_acquire();
    tracker_st.features = mask & TRACKER_FEATURE_ALL;
    owner_reset_locked();
    lock_release(held);
}

unsigned tracker_features(void)
{
    return tracker_st.features;
}

static void to_block(const block_hdr *h, tracker_block *b)
{
    b->ptr = h->user;
    b->size = h->size;
    b->seq = h->seq;
    b->depth = h->depth;
    /* A header's frames past its depth are stale (the fast path does not
     * clear them); the copy has them NULL. */
    memset(b->stack, 0, sizeof b->stack);
    memcpy(b->stack, h->stack, h->depth * sizeof b->stack[0]);
    b->site = h->depth ? h->stack[0] : NULL;
}

static void record_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void record_error(const char *fmt, ...)
{
    if (tracker_st.misuse.count < MISUSE_KEPT) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tracker_st.misuse.texts[tracker_st.misuse.count], MISUSE_TEXT_MAX, fmt, ap);
        va_end(ap);
    }
    tracker_st.misuse.count++;
}

static void journal_add(tracker_event_kind kind, const block_hdr *h, const void *ptr,
                        const void *site)
{
    if (tracker_st.journal.len == tracker_st.journal.cap) {
        size_t cap = tracker_st.journal.cap ? tracker_st.journal.cap * 2 : 256;
        tracker_event *grown = realloc(tracker_st.journal.events, cap * sizeof *grown);
        if (grown == NULL) {
            record_error("tracker journal: out of memory, events lost");
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
        to_block(h, &ev->block);
    ev->block.ptr = (void *)ptr;
    ev->site = site;
}

void tracker_describe_stack(const tracker_block *b, char *buf, size_t len)
{
    if (b->depth == 0)
        callsite_describe(b->site, buf, len);
    else
        callsite_describe_stack(b->stack, b->depth, buf, len);
}

static void describe_block(const block_hdr *h, char *buf, size_t len)
{
    tracker_block b;
    to_block(h, &b);
    char where[900];
    tracker_describe_stack(&b, where, sizeof where);
    snprintf(buf, len, "block #%llu (%zu bytes) allocated at %s", (unsigned long long)h->seq,
             h->size, where);
}

/* Records a guard overrun: the cold half of check_guard. */
static __attribute__((noinline, cold)) void report_overrun(const block_hdr *h)
{
    size_t i = first_changed(h->user + h->size, h->guard, GUARD_BYTE);
    if (i < h->guard) {
        char what[1000];
        describe_block(h, what, sizeof what);
        record_error("heap overrun: byte %zu past the end of %s was written (found when it "
                     "was freed)",
                     i, what);
    }
}

/* Whether a block has its full guard, unwritten: two loads. */
static inline bool guard_intact(const block_hdr *h)
{
    if (h->guard != GUARD_SIZE)
        return false;
    const uint64_t pattern = word_of(GUARD_BYTE);
    uint64_t lo, hi;
    memcpy(&lo, h->user + h->size, sizeof lo);
    memcpy(&hi, h->user + h->size + 8, sizeof hi);
    return lo == pattern && hi == pattern;
}

static inline void check_guard(const block_hdr *h)
{
    if (!guard_intact(h))
        report_overrun(h);
}

/* Records a write after free into a quarantined block, then restores the
 * poison so that the same write is reported once: the cold half of
 * quarantine_audit_block. */
static __attribute__((noinline, cold)) void report_write_after_free(block_hdr *h)
{
    size_t span = poison_span(h->size, store_mode == 0, h->guard == GUARD_SIZE);
    size_t i = first_changed(h->user, span, TRACKER_POISON_FREED);
    if (i < span) {
        char what[1000];
        describe_block(h, what, sizeof what);
        record_error("write after free: byte %zu of %s changed after it was freed", i, what);
        memset(h->user, TRACKER_POISON_FREED, span);
    }
}

/* Whether a quarantined block still holds the poison written when it was
 * freed (a block freed while poison was off has none to check).  arena: the
 * block is the arena's. */
static inline bool quarantine_block_intact(const block_hdr *h, bool arena)
{
    return !h->poisoned ||
           all_bytes(h->user, h->size, TRACKER_POISON_FREED, arena, h->guard == GUARD_SIZE);
}

static inline void quarantine_audit_block(block_hdr *h, bool arena)
{
    if (!quarantine_block_intact(h, arena))
        report_write_after_free(h);
}

/* Audits every quarantined block, so that a verdict taken at the end of a
 * case sees writes after free into blocks not yet evicted.  Under ASan and
 * Valgrind the blocks are inaccessible and the tool reports such writes. */
static void quarantine_audit_locked(void)
{
    if (store_uses_malloc())
        return;
    for (size_t n = 0; n < tracker_st.quarantine.len; n++)
        quarantine_audit_block(tracker_st.quarantine.slots[(tracker_st.quarantine.head + n) & (QUARANTINE_SLOTS - 1)], true);
}

/* A block's share of the quarantine's bytes. */
static inline size_t quarantine_bytes(size_t size)
{
    return size > STORE_SMALL_LIMIT ? size : 0;
}

/* Takes the oldest block out of the quarantine, without a check. */
static inline block_hdr *quarantine_take_oldest(void)
{
    block_hdr *h = tracker_st.quarantine.slots[tracker_st.quarantine.head];
    tracker_st.quarantine.bytes -= quarantine_bytes(h->size);
    tracker_st.quarantine.head = (tracker_st.quarantine.head + 1) & (QUARANTINE_SLOTS - 1);
    tracker_st.quarantine.len--;
    return h;
}

/* The next block to leave was last touched a thousand frees ago: its
 * header and first bytes are fetched now, while this free finishes. */
static inline void quarantine_fetch_next(void)
{
    const char *next = (const char *)tracker_st.quarantine.slots[tracker_st.quarantine.head];
    __builtin_prefetch(next);
    __builtin_prefetch(next + 64);
    __builtin_prefetch(next + 128);
}

/* Puts a freed block at the quarantine's young end, with room known. */
static inline void quarantine_append(block_hdr *h)
{
    tracker_st.quarantine.slots[(tracker_st.quarantine.head + tracker_st.quarantine.len) & (QUARANTINE_SLOTS - 1)] = h;
    tracker_st.quarantine.len++;
    tracker_st.quarantine.bytes += quarantine_bytes(h->size);
    quarantine_fetch_next();
}

/* Gives the oldest quarantined block back to the store, first checking
 * that nobody wrote into it after it was freed. */
static void quarantine_evict(void)
{
    block_hdr *h = tracker_st.quarantine.slots[tracker_st.quarantine.head];
    if (under_tool()) /* a client request costs a dozen instructions even unused */
        TOOL_ACCESS(h->user, h->size);
    quarantine_audit_block(h, store_mode == 0);
    store_put(quarantine_take_oldest());
}

static void quarantine_push(block_hdr *h)
{
    while (tracker_st.quarantine.len > 0 && (tracker_st.quarantine.len == QUARANTINE_SLOTS ||
                         tracker_st.quarantine.bytes + quarantine_bytes(h->size) > QUARANTINE_MAX_BYTES))
        quarantine_evict();
    if (under_tool())
        TOOL_NOACCESS(h->user, h->size);
    quarantine_append(h);
}

const tracker_names tracker_names_cotaskmem = {
    "CoTaskMemFree", "CoTaskMemRealloc", "CoTaskMem block", "memory from malloc",
};

/* The live block whose bytes hold p, if any: a scan, for misuse reports
 * only. */
static block_hdr *live_block_around(const void *p)
{
    const unsigned char *u = p;
    for (block_hdr *h = tracker_st.live.next; h != &tracker_st.live; h = h->next)
        if (u > h->user && u < h->user + h->size)
            return h;
    return NULL;
}

/* op is the seam's function the caller called, names->free_fn or
 * names->realloc_fn.  The CoTaskMem seam keeps the wording its users and
 * the report's readers have always seen. */
static void report_bad_pointer(const char *op, const tracker_names *names, const void *ptr,
                               const void *site)
{
    char here[600];
    callsite_describe(site, here, sizeof here);
    block_hdr *h = store_find(ptr);
    block_hdr *around = NULL;
    if (h != NULL && hdr_is(h, HDR_FREED)) {
        char what[1000], first[600];
        describe_block(h, what, sizeof what);
        callsite_describe(h->free_site, first, sizeof first);
        record_error("%s of a freed pointer (double free) at %s: %s, first freed at %s", op, here,
                     what, first);
    } else if (names == &tracker_names_cotaskmem) {
        record_error("%s of %p at %s: not a live %s (never allocated by it, an interior pointer, "
                     "or %s)",
                     op, ptr, here, names->block, names->foreign);
    } else if ((around = live_block_around(ptr)) != NULL) {
        char what[1000];
        describe_block(around, what, sizeof what);
        record_error("%s of %p at %s: an interior pointer, %zu bytes into %s", op, ptr, here,
                     (size_t)((const unsigned char *)ptr - around->user), what);
    } else {
        record_error("%s of %p at %s: not a live %s nor inside one: %s", op, ptr, here,
                     names->block, names->foreign);
    }
    if (tracker_st.journal.on)
        journal_add(TRACKER_EV_BAD_FREE, NULL, ptr, site);
}

static inline block_hdr *find_live(const void *ptr)
{
    block_hdr *h = store_find(ptr);
    return h != NULL && hdr_is(h, HDR_LIVE) ? h : NULL;
}

/* Makes a block the store handed out live: header, poison, guard, list,
 * counters.  Its size, guard (the bytes given, guard) and stack are
 * already set. */
static inline __attribute__((always_inline)) void register_block(block_hdr *h, size_t guard,
                                                                 bool poison, bool arena)
{
    size_t size = h->size;
    hdr_set(h, HDR_LIVE);
    h->seq = tracker_st.stats.next_seq++;
    h->poisoned = 0;
    if (poison)
        poison_fill(h->user, size, TRACKER_POISON_NEW, arena, guard == GUARD_SIZE);
    if (guard == GUARD_SIZE) {
        const uint64_t pattern = word_of(GUARD_BYTE);
        memcpy(h->user + size, &pattern, sizeof pattern);
        memcpy(h->user + size + 8, &pattern, sizeof pattern);
    }
    h->prev = tracker_st.live.prev;
    h->next = &tracker_st.live;
    tracker_st.live.prev->next = h;
    tracker_st.live.prev = h;
    tracker_st.stats.live_bytes += size;
}

/* Takes a live block off the list and marks it freed, poisoned if asked. */
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
    if (tracker_st.journal.on)
        journal_add(TRACKER_EV_ALLOC, h, h->user, stack[0]);
    return h->user;
}

/* Unregisters and quarantines a live block; lock held. */
static void free_locked(block_hdr *h, const void *site)
{
    if (h->guard)
        check_guard(h);
    if (tracker_st.journal.on)
        journal_add(TRACKER_EV_FREE, h, h->user, site);
    unregister_block(h, site, tracker_st.features & TRACKER_FEATURE_POISON, store_mode == 0);
    if (tracker_st.features & TRACKER_FEATURE_QUARANTINE) {
        quarantine_push(h);
    } else {
        quarantine_audit_block(h, store_mode == 0);
        store_put(h);
    }
}

/* The allocating stack, innermost first, from the seam's return address;
 * inline, so the walk starts at the caller's frame (tracker_alloc's or
 * tracker_realloc's), two hops below the frame that returns to site. */
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
    if (tracker_st.journal.on)
        journal_add(TRACKER_EV_FAILED_ALLOC, NULL, NULL, site);
    lock_release(held);
    return true;
}

/* ---- the fast path ------------------------------------------------------
 * Taken by the thread that owns it (tracker_owner.h) while
 * fast_path_allowed() holds: arena blocks, every check on, no journal.  It
 * runs the same checks through the same helpers as the general path, and
 * hands a call to the general path, before changing anything, whenever
 * that call needs more than the common case: a large block or an arena to
 * grow, an injector that must be asked under its lock or is about to fail,
 * a guard or a quarantined block found written (so that the general path
 * reports it), a large block in the quarantine's way.  It calls nothing,
 * so that it needs no saved registers for calls. */

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
    if (tracker_st.quarantine.len == QUARANTINE_SLOTS) {
        oldest = tracker_st.quarantine.slots[tracker_st.quarantine.head];
        if (oldest->size > STORE_SMALL_LIMIT || !quarantine_block_intact(oldest, true))
            return false;
    }
    unregister_block(h, site, FAST_DOES(TRACKER_FEATURE_POISON), true);
    if (oldest == NULL) {
        quarantine_append(h);
        return true;
    }
    /* A full ring: the block takes the oldest one's slot, with no share of
     * the quarantine's bytes to move (both are small). */
    store_put_arena(oldest);
    tracker_st.quarantine.slots[tracker_st.quarantine.head] = h;
    tracker_st.quarantine.head = (tracker_st.quarantine.head + 1) & (QUARANTINE_SLOTS - 1);
    quarantine_fetch_next();
    return true;
}

/* ---- the entry points ---------------------------------------------------- */

/* The general path of an allocation, in both entry points below: one per
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

static __attribute__((noinline)) void *alloc_general(size_t size, const void *site)
{
    return alloc_general_body(size, 16, site);
}

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

static __attribute__((noinline)) void *alloc_general_aligned(size_t size, size_t align,
                                                             const void *site)
{
    return alloc_general_body(size, align, site);
}

void *tracker_alloc_aligned(size_t size, size_t align, const void *site)
{
    if (align <= 16)
        return tracker_alloc(size, site);
    return alloc_general_aligned(size, align, site);
}

/* names travel only on this path and realloc's: the fast path never
 * reports, so it carries no names. */
static __attribute__((noinline)) void free_general(void *ptr, const void *site, const char *op,
                                                   const tracker_names *names)
{
    gate_settle();
    bool held = lock_acquire();
    tracker_st.stats.general_calls++;
    block_hdr *h = find_live(ptr);
    if (h == NULL)
        report_bad_pointer(op, names, ptr, site);
    else
        free_locked(h, site);
    lock_release(held);
}

/* tracker_free, tracker_free_as and realloc to size 0: one body, so that
 * tracker_free's fast path is not a call longer for names it never uses. */
static inline __attribute__((always_inline)) void free_entry(void *ptr, const void *site,
                                                             const char *op,
                                                             const tracker_names *names)
{
    if (ptr == NULL)
        return;
    if (owner_enter()) {
        bool done = free_fast(ptr, site);
        owner_leave();
        if (done)
            return;
    }
    free_general(ptr, site, op, names);
}

void tracker_free(void *ptr, const void *site)
{
    free_entry(ptr, site, tracker_names_cotaskmem.free_fn, &tracker_names_cotaskmem);
}

void tracker_free_as(void *ptr, const void *site, const tracker_names *names)
{
    free_entry(ptr, site, names->free_fn, names);
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
        free_entry(ptr, site, names->realloc_fn, names);
        return NULL;
    }
    bool held = lock_acquire();
    bool live = find_live(ptr) != NULL;
    if (!live)
        report_bad_pointer(names->realloc_fn, names, ptr, site);
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
        report_bad_pointer(names->realloc_fn, names, ptr, site);
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

void tracker_reset(void)
{
    bool held = lock_acquire();
    while (tracker_st.live.next != &tracker_st.live) {
        block_hdr *h = tracker_st.live.next;
        tracker_st.live.next = h->next;
        hdr_set(h, HDR_SPARE); /* a pointer from before the reset is no block now */
        store_put(h);
    }
    tracker_st.live.prev = tracker_st.live.next = &tracker_st.live;
    while (tracker_st.quarantine.len > 0)
        quarantine_evict();
    tracker_st.quarantine.head = 0;
    tracker_st.misuse.count = 0;
    tracker_st.stats = (tracker_counters){.next_seq = 1};
    tracker_st.journal.on = false;
    tracker_st.journal.len = 0;
    tracker_st.features = TRACKER_FEATURE_ALL;
    owner_reset_locked();
    lock_release(held);
}

/* The tracker_counters as one consistent copy. */
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
        to_block(h, out);
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
            to_block(h, &out[found]);
        found++;
    }
    lock_release(held);
    return found;
}

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
    const char *t = i < tracker_st.misuse.count && i < MISUSE_KEPT ? tracker_st.misuse.texts[i] : NULL;
    lock_release(held);
    return t;
}

size_t tracker_format_leaks(char *buf, size_t len, uint64_t min_seq)
{
    size_t n = tracker_live_since(min_seq, NULL, 0);
    if (len > 0)
        buf[0] = '\0';
    if (n == 0)
        return 0;
    tracker_block *blocks = malloc(n * sizeof *blocks);
    if (blocks == NULL)
        return n;
    n = tracker_live_since(min_seq, blocks, n);
    size_t used = 0;
    for (size_t i = 0; i < n && used + 1 < len; i++) {
        char where[900];
        tracker_describe_stack(&blocks[i], where, sizeof where);
        int w = snprintf(buf + used, len - used, "%sleaked block #%llu (%zu bytes) allocated at %s",
                         i ? "\n" : "", (unsigned long long)blocks[i].seq, blocks[i].size, where);
        if (w < 0)
            break;
        used += (size_t)w < len - used ? (size_t)w : len - used - 1;
    }
    free(blocks);
    return n;
}

size_t tracker_report_leaks(FILE *f, uint64_t min_seq)
{
    char buf[16384];
    size_t n = tracker_format_leaks(buf, sizeof buf, min_seq);
    if (n > 0)
        fprintf(f, "%s\n", buf);
    return n;
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
