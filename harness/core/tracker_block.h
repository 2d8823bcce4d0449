/* The tracker's record of one block, kept in front of the block itself so
 * that a free finds it without a table lookup, and the store that hands out
 * the memory (tracker_store.c).  Internal to tracker*.c. */
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

/* True while blocks come from malloc (under AddressSanitizer or Valgrind,
 * whose redzones and leak checks then see every block; or when the arena
 * could not be reserved); false while they come from the tracker's arena. */
bool store_uses_malloc(void);
/* A block of size user bytes followed by guard bytes, header filled with
 * user, size_class and guard; NULL when out of memory. */
block_hdr *store_get(size_t size, size_t guard);
/* Gives a block's memory back for reuse. */
void store_put(block_hdr *h);
/* The header of the block whose user pointer is exactly p, live or freed,
 * or NULL; never reads memory the store does not own, so any pointer,
 * foreign or wild, may be asked about. */
block_hdr *store_find(const void *p);

#endif
