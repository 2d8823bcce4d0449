/* Backing memory of the tracker's blocks (see tracker_block.h).
 *
 * Outside memory tools the blocks come from one reserved arena: headers and
 * blocks carved from it in size classes, reused through per-class free
 * lists.  Asking whether a pointer is ours is then a range check and a
 * header read that cannot fault (the arena below the bump pointer is always
 * mapped), which is what lets a free skip the global table while a foreign,
 * interior or wild pointer is still refused safely.
 * Under AddressSanitizer and Valgrind every block is malloc'd, so the tool
 * keeps its redzones, use-after-free and leak reports; the header then lives
 * apart from the block, in a pool of headers, and a hash table keyed by the
 * user pointer answers store_find (those builds are slow anyway, and
 * precise is what they are for). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "asan_detect.h"
#include "tracker_block.h"

/* HARNESS_STORE_ARENA_ALWAYS: the arena even under Valgrind, for counting
 * the fast path's instructions with Callgrind (make bench). */
#ifdef HARNESS_ASAN
#define UNDER_TOOL() 1
#elif defined(HARNESS_STORE_ARENA_ALWAYS)
#define UNDER_TOOL() 0
#elif defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_TOOL() (RUNNING_ON_VALGRIND != 0)
#endif
#endif
#ifndef UNDER_TOOL
#define UNDER_TOOL() 0
#endif

_Static_assert(sizeof(block_hdr) % 16 == 0, "blocks must stay 16-byte aligned");
#define HDR_BYTES STORE_HDR_BYTES

#define ARENA_RESERVE ((size_t)64 << 30)
#define ARENA_COMMIT_STEP ((size_t)4 << 20)
#define SMALL_LIMIT STORE_SMALL_LIMIT

int store_mode = -1;

/* ---- arena ---------------------------------------------------------- */

unsigned char *store_arena_lo, *store_arena_bump, *store_arena_committed;
block_hdr *store_free_lists[STORE_CLASS_COUNT];
static unsigned char *arena_hi;

/* Address space only, committed as the bump pointer reaches it; smaller
 * reservations for a process whose address space is limited (ulimit -v,
 * Valgrind). */
static bool arena_reserve(void)
{
    for (size_t size = ARENA_RESERVE; size >= ((size_t)256 << 20); size /= 16) {
        void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p != MAP_FAILED) {
            store_arena_lo = store_arena_bump = store_arena_committed = p;
            arena_hi = store_arena_lo + size;
            return true;
        }
    }
    return false;
}

/* Class of a block needing total bytes, and that class's block size. */
static unsigned class_of(size_t total, size_t *class_bytes)
{
    if (total <= SMALL_LIMIT) {
        unsigned c = (unsigned)((total + 15) / 16);
        *class_bytes = (size_t)c * 16;
        return c;
    }
    unsigned bits = 64 - (unsigned)__builtin_clzll((unsigned long long)(total - 1));
    *class_bytes = (size_t)1 << bits;
    return SMALL_LIMIT / 16 + (bits - 11);
}

static block_hdr *arena_carve(size_t bytes)
{
    if ((size_t)(arena_hi - store_arena_bump) < bytes)
        return NULL;
    if ((size_t)(store_arena_committed - store_arena_bump) < bytes) {
        size_t need = bytes - (size_t)(store_arena_committed - store_arena_bump);
        size_t step = (need + ARENA_COMMIT_STEP - 1) / ARENA_COMMIT_STEP * ARENA_COMMIT_STEP;
        if (step > (size_t)(arena_hi - store_arena_committed))
            step = (size_t)(arena_hi - store_arena_committed);
        if (mprotect(store_arena_committed, step, PROT_READ | PROT_WRITE) != 0)
            return NULL;
        store_arena_committed += step;
    }
    block_hdr *h = (block_hdr *)store_arena_bump;
    store_arena_bump += bytes;
    return h;
}

/* ---- malloc and its table (tools) -------------------------------------- */

static block_hdr **table;
static size_t table_cap; /* power of two */
static size_t table_used;

static size_t hash_ptr(const void *p)
{
    uintptr_t x = (uintptr_t)p >> 4;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 7);
}

static bool table_grow(void)
{
    size_t cap = table_cap ? table_cap * 2 : 1024;
    block_hdr **fresh = calloc(cap, sizeof *fresh);
    if (fresh == NULL)
        return false;
    for (size_t i = 0; i < table_cap; i++) {
        if (table[i] == NULL)
            continue;
        size_t j = hash_ptr(table[i]->user) & (cap - 1);
        while (fresh[j] != NULL)
            j = (j + 1) & (cap - 1);
        fresh[j] = table[i];
    }
    free(table);
    table = fresh;
    table_cap = cap;
    return true;
}

static block_hdr **table_slot(const void *p)
{
    if (table_cap == 0)
        return NULL;
    size_t i = hash_ptr(p) & (table_cap - 1);
    while (table[i] != NULL) {
        if (table[i]->user == p)
            return &table[i];
        i = (i + 1) & (table_cap - 1);
    }
    return NULL;
}

static bool table_insert(block_hdr *h)
{
    if ((table_used + 1) * 2 > table_cap && !table_grow())
        return false;
    size_t i = hash_ptr(h->user) & (table_cap - 1);
    while (table[i] != NULL)
        i = (i + 1) & (table_cap - 1);
    table[i] = h;
    table_used++;
    return true;
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void table_remove(block_hdr **slot)
{
    size_t mask = table_cap - 1;
    size_t hole = (size_t)(slot - table);
    table_used--;
    for (size_t i = hole;;) {
        i = (i + 1) & mask;
        if (table[i] == NULL)
            break;
        size_t home = hash_ptr(table[i]->user) & mask;
        bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
        if (!stays) {
            table[hole] = table[i];
            hole = i;
        }
    }
    table[hole] = NULL;
}

/* ---- headers under memory tools ---------------------------------------- */

/* The header of a malloc'd block comes from a pool of our own rather than
 * from a second malloc per block, which doubled the tool allocator's work
 * (under ASan a malloc+free pair is the dearest thing the tracker does).
 * The pool's chunks are malloc'd and stay listed here, so that
 * LeakSanitizer and Memcheck still see a live block reachable through its
 * header, as they did. */
#define HEADERS_PER_CHUNK 256
typedef struct header_chunk {
    struct header_chunk *next;
    block_hdr headers[HEADERS_PER_CHUNK];
} header_chunk;
static header_chunk *header_chunks;
static block_hdr *spare_headers;

static block_hdr *header_get(void)
{
    if (spare_headers == NULL) {
        header_chunk *c = malloc(sizeof *c);
        if (c == NULL)
            return NULL;
        c->next = header_chunks;
        header_chunks = c;
        for (size_t i = 0; i < HEADERS_PER_CHUNK; i++) {
            c->headers[i].next = spare_headers;
            spare_headers = &c->headers[i];
        }
    }
    block_hdr *h = spare_headers;
    spare_headers = h->next;
    return h;
}

static void header_put(block_hdr *h)
{
    h->next = spare_headers;
    spare_headers = h;
}

/* ---- the store --------------------------------------------------------- */

bool store_uses_malloc(void)
{
    if (store_mode < 0)
        store_mode = UNDER_TOOL() || !arena_reserve() ? 1 : 0;
    return store_mode == 1;
}

/* store_get_slow's and store_get_aligned's one body: align 0 asks for no
 * more than every block has (malloc's, or the arena's 16 bytes).  Inlined
 * into each, so that the constant 0 leaves store_get_slow, the fast path's
 * fallback, the code it had alone. */
static inline __attribute__((always_inline)) block_hdr *get_block(size_t size, size_t guard,
                                                                  size_t align)
{
    if (size > ((size_t)1 << 40) || align > ((size_t)1 << 30))
        return NULL;
    if (store_mode < 0)
        store_uses_malloc();
    block_hdr *h;
    if (store_mode == 1) {
        h = header_get();
        if (h == NULL)
            return NULL;
        size_t want = size + guard ? size + guard : 1;
        void *user = NULL;
        if (align == 0)
            user = malloc(want);
        else if (posix_memalign(&user, align, want) != 0)
            user = NULL;
        h->user = user;
        if (user == NULL || !table_insert(h)) {
            free(user);
            header_put(h);
            return NULL;
        }
        h->size_class = 0;
    } else {
        size_t bytes;
        unsigned c = class_of(HDR_BYTES + size + guard, &bytes);
        h = store_free_lists[c];
        if (h != NULL && (align == 0 || ((uintptr_t)h + HDR_BYTES) % align == 0)) {
            store_free_lists[c] = h->next;
        } else {
            if (align != 0) {
                /* A new block whose user area falls on the boundary.  The
                 * gap in front of it is never handed out and stays zero, so
                 * no pointer into it can pass for a block
                 * (store_arena_header). */
                uintptr_t at = (uintptr_t)store_arena_bump + HDR_BYTES;
                size_t gap = (align - at % align) % align;
                if (gap != 0 && arena_carve(gap) == NULL)
                    return NULL;
            }
            h = arena_carve(bytes);
            if (h == NULL)
                return NULL;
        }
        h->user = (unsigned char *)h + HDR_BYTES;
        h->size_class = c;
    }
    h->size = size;
    h->guard = (uint8_t)guard;
    return h;
}

block_hdr *store_get_slow(size_t size, size_t guard)
{
    return get_block(size, guard, 0);
}

block_hdr *store_get_aligned(size_t size, size_t guard, size_t align)
{
    return get_block(size, guard, align);
}

void store_put_slow(block_hdr *h)
{
    hdr_set(h, HDR_SPARE);
    block_hdr **slot = table_slot(h->user);
    if (slot != NULL)
        table_remove(slot);
    free(h->user);
    header_put(h);
}

block_hdr *store_find_slow(const void *p)
{
    block_hdr **slot = store_mode == 1 ? table_slot(p) : NULL;
    return slot != NULL ? *slot : NULL;
}
