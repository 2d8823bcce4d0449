#include <memharness/malloc_family.h>

#include <stdint.h>
#include <string.h>

#include <memharness/tracker.h>

void *memharness_malloc_at(size_t size, const void *site)
{
    return tracker_alloc(size, site);
}

void *memharness_calloc_at(size_t n, size_t size, const void *site)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = tracker_alloc(n * size, site);
    if (p)
        memset(p, 0, n * size);
    return p;
}

/* The C library's own names: the wrap seam's callers call free and
 * realloc, and a pointer it rejects most likely came from code the wrap
 * does not reach. */
static const tracker_names malloc_names = {
    "free", "realloc", "block of the wrapped malloc",
    "memory from the real malloc, outside the wrapped code",
};

void *memharness_realloc_at(void *ptr, size_t size, const void *site)
{
    return memharness_realloc_named_at(ptr, size, site, &malloc_names);
}

void memharness_free_at(void *ptr, const void *site)
{
    tracker_free_as(ptr, site, &malloc_names);
}

void *memharness_realloc_named_at(void *ptr, size_t size, const void *site,
                                  const struct tracker_names *names)
{
    /* glibc's realloc(p, 0) also frees and returns NULL, so the tracker's
     * COM semantics are the C library's here. */
    return tracker_realloc_as(ptr, size, site, names);
}

void memharness_free_named_at(void *ptr, const void *site, const struct tracker_names *names)
{
    tracker_free_as(ptr, site, names);
}

char *memharness_strdup_at(const char *s, const void *site)
{
    size_t n = strlen(s) + 1;
    char *p = tracker_alloc(n, site);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *memharness_strndup_at(const char *s, size_t n, const void *site)
{
    size_t len = strnlen(s, n);
    char *p = tracker_alloc(len + 1, site);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}
