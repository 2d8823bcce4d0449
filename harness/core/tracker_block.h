/* The tracker's record of one block, kept in front of the block itself so
 * that a free finds it without a table lookup, and the store that hands out
 * the memory (tracker_store.c).  Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_BLOCK_H
#define HARNESS_TRACKER_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <memharness/tracker.h>

/* A header's check word is its state XOR its own address, so that a stale
 * copy elsewhere, or user data, cannot pass for a header. */
#define HDR_LIVE ((uintptr_t)0x4C1FE0B10C4ED5A1ull)
#define HDR_FREED ((uintptr_t)0xF7EED0B10C4ED5A2ull)
#define HDR_SPARE ((uintptr_t)0x5BA7E0B10C4ED5A3ull)

typedef struct block_hdr {
    uintptr_t check;        /* HDR_* ^ (uintptr_t)this */
    unsigned char *user;    /* the caller's pointer */
    size_t size;
    uint64_t seq;
    struct block_hdr *prev; /* live: neighbours in allocation order */
    struct block_hdr *next; /* live: as prev; spare: the free list */
    const void *free_site;  /* freed: where */
    uint32_t size_class;    /* the store's */
    uint8_t depth;          /* frames in stack */
    uint8_t guard;          /* guard bytes written after the block */
    uint8_t poisoned;       /* freed: TRACKER_POISON_FREED written over it */
    uint8_t unused;
    const void *stack[TRACKER_STACK_DEPTH];
} block_hdr;

static inline bool hdr_is(const block_hdr *h, uintptr_t state)
{
    return h->check == (state ^ (uintptr_t)h);
}

static inline void hdr_set(block_hdr *h, uintptr_t state)
{
    h->check = state ^ (uintptr_t)h;
}

#define STORE_HIDDEN __attribute__((visibility("hidden")))
#define STORE_HDR_BYTES sizeof(block_hdr)
#define STORE_SMALL_LIMIT 2048 /* 16-byte classes up to here */
#define STORE_CLASS_COUNT (STORE_SMALL_LIMIT / 16 + 40)

/* The store's state, visible here only so that its fast paths below inline
 * into the tracker (each was a call on every allocation and free): -1
 * undecided, 0 arena, 1 malloc; the free list of each size class; the arena
 * carved so far and committed so far.  tracker_store.c owns them. */
extern STORE_HIDDEN int store_mode;
extern STORE_HIDDEN block_hdr *store_free_lists[STORE_CLASS_COUNT];
extern STORE_HIDDEN unsigned char *store_arena_lo, *store_arena_bump, *store_arena_committed;

/* True while blocks come from malloc (under AddressSanitizer or Valgrind,
 * whose redzones and leak checks then see every block; or when the arena
 * could not be reserved); false while they come from the tracker's arena. */
STORE_HIDDEN bool store_uses_malloc(void);
/* store_get, store_put and store_find for every case the fast paths below
 * leave out. */
STORE_HIDDEN block_hdr *store_get_slow(size_t size, size_t guard);
STORE_HIDDEN void store_put_slow(block_hdr *h);
/* store_get for a block whose user pointer is a multiple of align (a power
 * of two above 16): the general path's only, for the aligned allocators. */
STORE_HIDDEN block_hdr *store_get_aligned(size_t size, size_t guard, size_t align);
STORE_HIDDEN block_hdr *store_find_slow(const void *p);

/* The arena's fast paths, for a caller that knows blocks come from the
 * arena (store_uses_malloc() false).  The small class that holds total
 * bytes, header included; total must be at most STORE_SMALL_LIMIT, since
 * the classes above are the large ones. */
static inline unsigned store_small_class(size_t total)
{
    return (unsigned)((total + 15) / 16);
}

/* Takes h, the head of its class's free list, off that list. */
static inline void store_pop(block_hdr *h)
{
    store_free_lists[h->size_class] = h->next;
}

/* A block of size user bytes followed by guard bytes, header filled with
 * user, size_class and guard; NULL when out of memory. */
static inline block_hdr *store_get(size_t size, size_t guard)
{
    size_t total = STORE_HDR_BYTES + size + guard;
    if (store_mode == 0 && total <= STORE_SMALL_LIMIT) {
        block_hdr *h = store_free_lists[store_small_class(total)];
        if (h != NULL) {
            store_pop(h);
            h->size = size;
            h->guard = (uint8_t)guard;
            return h;
        }
    }
    return store_get_slow(size, guard);
}

/* Whether a new block of class c fits in the committed arena, so that
 * store_carve can cut it without growing the arena (store_get_slow does). */
static inline bool store_has_room(unsigned c)
{
    return (size_t)(store_arena_committed - store_arena_bump) >= (size_t)c * 16;
}

/* A new block of class c, which store_has_room promised.  Its user pointer
 * and class are the block's for life. */
static inline block_hdr *store_carve(unsigned c)
{
    block_hdr *h = (block_hdr *)store_arena_bump;
    store_arena_bump += (size_t)c * 16;
    h->user = (unsigned char *)h + STORE_HDR_BYTES;
    h->size_class = c;
    return h;
}

/* store_put for an arena block.  The header keeps its state: a freed
 * block stays HDR_FREED until it is handed out again, so that freeing it
 * once more is still named a double free, with its history. */
static inline void store_put_arena(block_hdr *h)
{
    h->next = store_free_lists[h->size_class];
    store_free_lists[h->size_class] = h;
}

/* Gives a block's memory back for reuse; the block must not be live (the
 * caller has marked it freed or spare). */
static inline void store_put(block_hdr *h)
{
    if (store_mode == 0)
        store_put_arena(h);
    else
        store_put_slow(h);
}

/* The arena header whose user pointer p would be, if p could be one (16-
 * aligned, its header in carved arena) and the header names it, else NULL;
 * reads nothing outside carved arena.  The caller checks the state. */
static inline block_hdr *store_arena_header(const void *p)
{
    const unsigned char *u = p;
    if (((uintptr_t)u & 15) != 0 || u < store_arena_lo + STORE_HDR_BYTES || u > store_arena_bump)
        return NULL;
    block_hdr *h = (block_hdr *)(u - STORE_HDR_BYTES);
    return h->user == u ? h : NULL;
}

/* The header of the block whose user pointer is exactly p, live or freed,
 * or NULL; never reads memory the store does not own, so any pointer,
 * foreign or wild, may be asked about.  A header ends where its user area
 * starts, so p may equal the bump pointer: the last block carved, when it
 * has no byte (zero size, no guard). */
static inline block_hdr *store_find(const void *p)
{
    if (store_mode != 0)
        return store_find_slow(p);
    block_hdr *h = store_arena_header(p);
    return h != NULL && (hdr_is(h, HDR_LIVE) || hdr_is(h, HDR_FREED)) ? h : NULL;
}

/* store_find for a live block while blocks come from the arena (the
 * caller knows they do): one header compare instead of two. */
static inline block_hdr *store_find_live_arena(const void *p)
{
    block_hdr *h = store_arena_header(p);
    return h != NULL && hdr_is(h, HDR_LIVE) ? h : NULL;
}

#endif
