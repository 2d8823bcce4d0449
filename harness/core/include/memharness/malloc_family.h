/* The C allocator's promises (malloc, calloc, realloc, free, strdup,
 * strndup) kept over the tracker and the fault injector, with the call
 * site passed in: the seams that route a library's hooks or its plain
 * malloc calls into the harness (memharness/hooks.h, the link-time wrap)
 * are thin layers over these. */
#ifndef HARNESS_MALLOC_FAMILY_H
#define HARNESS_MALLOC_FAMILY_H

#include <stddef.h>

/* malloc: size bytes filled with TRACKER_POISON_NEW, or NULL when refused. */
void *memharness_malloc_at(size_t size, const void *site);
/* calloc: n * size zero bytes; NULL when refused or when n * size overflows
 * (an overflow is not an allocation: the injector is not asked). */
void *memharness_calloc_at(size_t n, size_t size, const void *site);
/* realloc: NULL ptr allocates, size 0 frees and returns NULL, a refusal
 * returns NULL and leaves ptr live. */
void *memharness_realloc_at(void *ptr, size_t size, const void *site);
/* free: releases a tracked block (NULL is a no-op); a foreign or stale
 * pointer is recorded as misuse, never passed on. */
void memharness_free_at(void *ptr, const void *site);
/* The two above report a misuse as realloc's and free's; a seam with
 * functions of its own passes their names (memharness/tracker.h). */
struct tracker_names;
/* memharness_realloc_at, a misuse reported under names. */
void *memharness_realloc_named_at(void *ptr, size_t size, const void *site,
                                  const struct tracker_names *names);
/* memharness_free_at, a misuse reported under names. */
void memharness_free_named_at(void *ptr, const void *site, const struct tracker_names *names);
/* strdup: a tracked copy of s, or NULL when refused. */
char *memharness_strdup_at(const char *s, const void *site);
/* strndup: a tracked copy of at most n bytes of s, NUL-terminated. */
char *memharness_strndup_at(const char *s, size_t n, const void *site);

#endif
