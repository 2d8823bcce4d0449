/* The interposed allocation family.  Each function decides, in this order:
 *  - inside the seam or the harness (preload_depth > 0), before main, or
 *    after the end report: glibc's own allocator, untracked, uncounted;
 *  - a free or realloc of a pointer the tracker's store does not own (a
 *    block from before main, or the harness's): glibc's;
 *  - otherwise the core's memharness_X_at with the caller's return address
 *    as the site, the seam's depth raised so that whatever the core itself
 *    allocates goes to glibc.  An allocation that MEMHARNESS_ONLY leaves
 *    out is tracked in an exempt region (not counted, never failed), and
 *    the first counted one starts the fork server when one is asked for.
 * glibc's own allocating functions (strdup, getline, fopen...) call malloc
 * through the PLT, so they land here too, with a site inside libc. */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>
#include <memharness/malloc_family.h>
#include <memharness/tracker.h>

#include "preload.h"
#include "tracker_block.h"

#define SITE __builtin_return_address(0)
#define EXPORT __attribute__((visibility("default"), noinline))

_Thread_local int preload_depth __attribute__((tls_model("initial-exec")));
int preload_active;
int preload_server_pending;
int preload_only_active;
unsigned preload_site_classes = 1;

/* glibc's malloc_usable_size, for blocks that are not the tracker's. */
static size_t (*real_usable_size)(void *);

__attribute__((constructor(101))) static void find_usable_size(void)
{
    preload_depth++;
    real_usable_size = (size_t(*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
    preload_depth--;
}

static inline bool passthrough(void)
{
    return preload_depth > 0 || !preload_active;
}

/* Whether the tracker's store handed out p (or the arena holds it): such a
 * pointer is the tracker's to free or to call a misuse, never glibc's. */
static inline bool store_owns(const void *p)
{
    if (store_mode == 0)
        return (const unsigned char *)p >= store_arena_lo &&
               (const unsigned char *)p < store_arena_committed;
    return store_mode == 1 && store_find_slow(p) != NULL;
}

static inline bool store_live(const void *p)
{
    block_hdr *h = store_find(p);
    return h != NULL && hdr_is(h, HDR_LIVE);
}

/* Decides whether the allocation at site is counted; one that is not runs
 * in an exempt region, which leave() closes. */
static inline bool admit(const void *site)
{
    preload_depth++;
    if (preload_only_active) {
        const void *pcs[CALLSITE_MAX_DEPTH];
        unsigned n = callsite_capture(site, pcs, CALLSITE_MAX_DEPTH);
        if (!preload_only_counts(pcs, n)) {
            fault_exempt_begin();
            return false;
        }
    }
    if (preload_server_pending)
        preload_server_serve();
    if (preload_site_classes > 1)
        preload_site_filter(site);
    return true;
}

static inline void leave(bool counted)
{
    if (!counted)
        fault_exempt_end();
    preload_depth--;
}

EXPORT void *malloc(size_t size)
{
    if (passthrough())
        return __libc_malloc(size);
    bool counted = admit(SITE);
    void *p = memharness_malloc_at(size, SITE);
    leave(counted);
    return p;
}

EXPORT void *calloc(size_t n, size_t size)
{
    if (passthrough())
        return __libc_calloc(n, size);
    bool counted = admit(SITE);
    void *p = memharness_calloc_at(n, size, SITE);
    leave(counted);
    return p;
}

/* realloc and free of a tracker pointer: a pointer that is not live is a
 * misuse, written to the record once the tracker has worded it. */
static inline void *tracked_realloc(void *ptr, size_t size, const void *site, bool counted)
{
    bool was_live = store_live(ptr);
    void *p = memharness_realloc_at(ptr, size, site);
    if (!was_live)
        preload_record_misuse();
    leave(counted);
    return p;
}

EXPORT void *realloc(void *ptr, size_t size)
{
    if (ptr != NULL && !store_owns(ptr))
        return __libc_realloc(ptr, size);
    if (passthrough()) {
        if (ptr == NULL)
            return __libc_malloc(size);
        preload_depth++;
        fault_exempt_begin();
        return tracked_realloc(ptr, size, SITE, false);
    }
    return tracked_realloc(ptr, size, SITE, admit(SITE));
}

EXPORT void *reallocarray(void *ptr, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    if (ptr != NULL && !store_owns(ptr))
        return __libc_realloc(ptr, n * size);
    if (passthrough()) {
        if (ptr == NULL)
            return __libc_malloc(n * size);
        preload_depth++;
        fault_exempt_begin();
        return tracked_realloc(ptr, n * size, SITE, false);
    }
    return tracked_realloc(ptr, n * size, SITE, admit(SITE));
}

EXPORT void free(void *ptr)
{
    if (ptr == NULL)
        return;
    if (!store_owns(ptr)) {
        __libc_free(ptr);
        return;
    }
    preload_depth++;
    bool was_live = store_live(ptr);
    memharness_free_at(ptr, SITE);
    if (!was_live)
        preload_record_misuse();
    preload_depth--;
}

static bool valid_posix_align(size_t align)
{
    return align % sizeof(void *) == 0 && (align & (align - 1)) == 0 && align != 0;
}

EXPORT int posix_memalign(void **memptr, size_t align, size_t size)
{
    if (passthrough()) {
        if (!valid_posix_align(align))
            return EINVAL;
        void *p = __libc_memalign(align, size);
        if (p == NULL)
            return ENOMEM;
        *memptr = p;
        return 0;
    }
    bool counted = admit(SITE);
    int r = memharness_posix_memalign_at(memptr, align, size, SITE);
    leave(counted);
    return r;
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
    if (passthrough())
        return __libc_memalign(align, size);
    bool counted = admit(SITE);
    void *p = memharness_aligned_alloc_at(align, size, SITE);
    leave(counted);
    return p;
}

EXPORT void *memalign(size_t align, size_t size)
{
    if (passthrough())
        return __libc_memalign(align, size);
    bool counted = admit(SITE);
    void *p = memharness_memalign_at(align, size, SITE);
    leave(counted);
    return p;
}

EXPORT void *valloc(size_t size)
{
    if (passthrough())
        return __libc_valloc(size);
    bool counted = admit(SITE);
    void *p = memharness_valloc_at(size, SITE);
    leave(counted);
    return p;
}

EXPORT void *pvalloc(size_t size)
{
    if (passthrough())
        return __libc_pvalloc(size);
    bool counted = admit(SITE);
    void *p = memharness_pvalloc_at(size, SITE);
    leave(counted);
    return p;
}

EXPORT size_t malloc_usable_size(void *ptr)
{
    if (ptr == NULL)
        return 0;
    if (!store_owns(ptr))
        return real_usable_size != NULL ? real_usable_size(ptr) : 0;
    preload_depth++;
    tracker_block b;
    size_t n = tracker_lookup(ptr, &b) ? b.size : 0;
    preload_depth--;
    return n;
}
