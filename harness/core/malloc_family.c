#include <memharness/malloc_family.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <memharness/tracker.h>

#include "malloc_family_api.h"

/* The C library's own names: the wrap seam's callers call free and
 * realloc.  A pointer that is neither a block nor inside one most often
 * comes from a libc function the seam does not route to the tracker: say
 * so, since the report is otherwise read as a bug in the code under test. */
const tracker_names memharness_malloc_names = {
    "free", "realloc", "block of the wrapped malloc",
    "memory the seam never saw allocated, most likely from a C library function it does not "
    "cover (memharness-wrap's list is in the README) or from code outside the wrapped objects; "
    "else a static or stack buffer, or a wild pointer"};

/* glibc's allocators set errno on refusal; error paths may print it. */
static void *refused_unless(void *p)
{
    if (p == NULL)
        errno = ENOMEM;
    return p;
}

void *memharness_malloc_at(size_t size, const void *site)
{
    return refused_unless(tracker_alloc(size, site));
}

void *memharness_calloc_at(size_t n, size_t size, const void *site)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = tracker_alloc(n * size, site);
    if (p)
        memset(p, 0, n * size);
    return refused_unless(p);
}

void *memharness_realloc_at(void *ptr, size_t size, const void *site)
{
    /* glibc's realloc(p, 0) also frees and returns NULL, so the tracker's
     * COM semantics are the C library's here. */
    void *p = tracker_realloc_as(ptr, size, site, &memharness_malloc_names);
    return size == 0 && ptr != NULL ? p : refused_unless(p);
}

void *memharness_reallocarray_at(void *ptr, size_t n, size_t size, const void *site)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return memharness_realloc_at(ptr, n * size, site);
}

void memharness_free_at(void *ptr, const void *site)
{
    tracker_free_as(ptr, site, &memharness_malloc_names);
}

void *memharness_realloc_named_at(void *ptr, size_t size, const void *site,
                                  const struct tracker_names *names)
{
    /* glibc's realloc(p, 0) also frees and returns NULL, so the tracker's
     * COM semantics are the C library's here. */
    void *p = tracker_realloc_as(ptr, size, site, names);
    return size == 0 && ptr != NULL ? p : refused_unless(p);
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
    return refused_unless(p);
}

char *memharness_strndup_at(const char *s, size_t n, const void *site)
{
    size_t len = strnlen(s, n);
    char *p = tracker_alloc(len + 1, site);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return refused_unless(p);
}

wchar_t *memharness_wcsdup_at(const wchar_t *s, const void *site)
{
    size_t n = (wcslen(s) + 1) * sizeof *s;
    wchar_t *p = tracker_alloc(n, site);
    if (p)
        memcpy(p, s, n);
    return refused_unless(p);
}
