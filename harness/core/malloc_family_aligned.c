/* The aligned allocators over the tracker: glibc's rules for the alignment
 * (memalign rounds up to a power of two, posix_memalign refuses), then
 * tracker_alloc_aligned, whose blocks are poisoned, guarded and failable
 * like any other. */
#include <memharness/malloc_family.h>

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include <memharness/tracker.h>

static bool power_of_two(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* The alignment glibc's memalign uses for align: at least 16, a power of
 * two; 0 when it cannot be rounded (EINVAL there). */
static size_t rounded_alignment(size_t align)
{
    if (align > SIZE_MAX / 2 + 1)
        return 0;
    size_t a = 16;
    while (a < align)
        a *= 2;
    return a;
}

static void *aligned_block(size_t align, size_t size, const void *site)
{
    void *p = tracker_alloc_aligned(size, align, site);
    if (p == NULL)
        errno = ENOMEM;
    return p;
}

int memharness_posix_memalign_at(void **memptr, size_t align, size_t size, const void *site)
{
    if (memptr == NULL || align % sizeof(void *) != 0 || !power_of_two(align / sizeof(void *)))
        return EINVAL;
    int saved = errno; /* posix_memalign reports through its result only */
    void *p = tracker_alloc_aligned(size, align, site);
    errno = saved;
    if (p == NULL)
        return ENOMEM;
    *memptr = p;
    return 0;
}

void *memharness_memalign_at(size_t align, size_t size, const void *site)
{
    size_t a = rounded_alignment(align);
    if (a == 0) {
        errno = EINVAL;
        return NULL;
    }
    return aligned_block(a, size, site);
}

void *memharness_aligned_alloc_at(size_t align, size_t size, const void *site)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 38))
    if (!power_of_two(align)) {
        errno = EINVAL;
        return NULL;
    }
#endif
    return memharness_memalign_at(align, size, site);
}

void *memharness_valloc_at(size_t size, const void *site)
{
    return aligned_block((size_t)sysconf(_SC_PAGESIZE), size, site);
}

void *memharness_pvalloc_at(size_t size, const void *site)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (size > SIZE_MAX - (page - 1)) {
        errno = ENOMEM;
        return NULL;
    }
    return aligned_block(page, (size + page - 1) & ~(page - 1), site);
}
