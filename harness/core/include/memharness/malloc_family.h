/* The C library's allocating functions (the malloc family, the aligned
 * forms, the string duplicators, and the stdio, path and directory
 * functions that hand the caller a block to free) kept over the tracker
 * and the fault injector, with the call site passed in: the seams that
 * route a library's hooks or its plain libc calls into the harness
 * (memharness/hooks.h, the link-time wrap) are thin layers over these.
 * Each is tracked at site and can be failed by the injector; a failure
 * returns what glibc returns when out of memory (NULL, -1 or ENOMEM, errno
 * ENOMEM), and the result is released with memharness_free_at. */
#ifndef HARNESS_MALLOC_FAMILY_H
#define HARNESS_MALLOC_FAMILY_H

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <wchar.h>

/* malloc: size bytes filled with TRACKER_POISON_NEW, or NULL when refused. */
void *memharness_malloc_at(size_t size, const void *site);
/* calloc: n * size zero bytes; NULL when refused or when n * size overflows
 * (an overflow is not an allocation: the injector is not asked). */
void *memharness_calloc_at(size_t n, size_t size, const void *site);
/* realloc: NULL ptr allocates, size 0 frees and returns NULL, a refusal
 * returns NULL and leaves ptr live. */
void *memharness_realloc_at(void *ptr, size_t size, const void *site);
/* reallocarray: realloc of n * size bytes; an overflow is ENOMEM without
 * asking the injector, and leaves ptr live. */
void *memharness_reallocarray_at(void *ptr, size_t n, size_t size, const void *site);
/* free: releases a tracked block (NULL is a no-op); a foreign or stale
 * pointer is recorded as misuse, never passed on, with its likely cause. */
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
/* wcsdup: a tracked copy of the wide string s, or NULL when refused. */
wchar_t *memharness_wcsdup_at(const wchar_t *s, const void *site);

/* posix_memalign: 0 and *memptr a block on an align boundary; EINVAL for an
 * align that is not a power of two multiple of sizeof(void *), ENOMEM when
 * refused; *memptr untouched on failure. */
int memharness_posix_memalign_at(void **memptr, size_t align, size_t size, const void *site);
/* memalign: a block on align rounded up to a power of two (glibc's rule);
 * NULL with EINVAL for an alignment too large to round, ENOMEM when refused. */
void *memharness_memalign_at(size_t align, size_t size, const void *site);
/* aligned_alloc: memalign's rule before glibc 2.38; from 2.38, an align
 * that is not a power of two is EINVAL, as there. */
void *memharness_aligned_alloc_at(size_t align, size_t size, const void *site);
/* valloc: memalign on the page size. */
void *memharness_valloc_at(size_t size, const void *site);
/* pvalloc: valloc of size rounded up to whole pages. */
void *memharness_pvalloc_at(size_t size, const void *site);

/* vasprintf: the formatted length and *strp a tracked string; -1 and *strp
 * untouched when refused (errno ENOMEM), when formatting fails, or for a
 * NULL strp or fmt (EINVAL). */
int memharness_vasprintf_at(char **strp, const char *fmt, va_list ap, const void *site)
    __attribute__((format(printf, 2, 0)));
/* getdelim: reads up to and including delim into *lineptr, grown with a
 * tracked realloc as glibc grows it (120 bytes first, then doubling), and
 * returns the bytes read; -1 at end of file, -1 with ENOMEM when refused
 * (*lineptr then still the caller's to free), EINVAL for NULL arguments. */
ssize_t memharness_getdelim_at(char **lineptr, size_t *n, int delim, FILE *stream,
                               const void *site);
/* open_memstream: a write-only stream into a tracked buffer; at each fflush
 * and fclose *ptr is the buffer and *sizeloc the position, the buffer is
 * NUL-terminated, and after fclose the caller frees *ptr.  NULL with ENOMEM
 * when the buffer is refused; a refused growth fails the write. */
FILE *memharness_open_memstream_at(char **ptr, size_t *sizeloc, const void *site);
/* open_wmemstream: glibc's stream (NULL with ENOMEM when the injector
 * refuses the open); its buffer becomes a tracked block, to free, when
 * memharness_fclose_at closes the stream (*ptr NULL and errno ENOMEM when
 * that block is refused). */
FILE *memharness_open_wmemstream_at(wchar_t **ptr, size_t *sizeloc, const void *site);
/* fclose: the real one (EOF with EINVAL for NULL), and for a stream of
 * memharness_open_wmemstream_at the move of its buffer into a tracked block. */
int memharness_fclose_at(FILE *f, const void *site);

/* realpath: with resolved NULL, the real result moved into a tracked block
 * (NULL with ENOMEM when refused); with a buffer, the real function. */
char *memharness_realpath_at(const char *path, char *resolved, const void *site);
/* canonicalize_file_name: realpath(path, NULL). */
char *memharness_canonicalize_file_name_at(const char *path, const void *site);
/* getcwd: with buf NULL, a tracked block of size bytes (0: just enough),
 * ERANGE when size is too small; with a buffer, the real function. */
char *memharness_getcwd_at(char *buf, size_t size, const void *site);
/* get_current_dir_name: the real result in a tracked block. */
char *memharness_get_current_dir_name_at(const void *site);
/* tempnam: the real result in a tracked block. */
char *memharness_tempnam_at(const char *dir, const char *pfx, const void *site);
/* scandir: the real result moved into tracked blocks (the array and each
 * entry); -1 with ENOMEM, nothing left allocated, when one is refused. */
int memharness_scandir_at(const char *dir, struct dirent ***namelist,
                          int (*filter)(const struct dirent *),
                          int (*compar)(const struct dirent **, const struct dirent **),
                          const void *site);
#if defined(_GNU_SOURCE) || defined(_LARGEFILE64_SOURCE)
/* scandir64: scandir for struct dirent64 (what scandir is under
 * _FILE_OFFSET_BITS=64). */
int memharness_scandir64_at(const char *dir, struct dirent64 ***namelist,
                            int (*filter)(const struct dirent64 *),
                            int (*compar)(const struct dirent64 **, const struct dirent64 **),
                            const void *site);
#endif

#endif
