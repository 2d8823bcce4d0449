/* The link-time seam (library memharness-wrap): the targets of
 * `ld --wrap=malloc,...`.  memharness-wrap-malloc applies --wrap to the
 * objects of the code under test only (a partial link), so their calls of
 * the C library's allocating functions land here while the harness, the
 * test framework and libc keep the real allocator: nothing of theirs is
 * counted or failed.  Each target only passes its return address, the
 * call site, to the core (memharness/malloc_family.h); the list of names
 * is memharness-wrap-malloc's and the README's. */
#include <stdarg.h>
#include <stddef.h>

#include <memharness/fault.h>
#include <memharness/malloc_family.h>

#define SITE __builtin_return_address(0)
#define WRAP __attribute__((noinline))

/* The names ld's --wrap gives; declared here because no header may
 * promise them to anyone but the linker. */
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void *__wrap_reallocarray(void *ptr, size_t n, size_t size);
void __wrap_free(void *ptr);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
wchar_t *__wrap_wcsdup(const wchar_t *s);
int __wrap_posix_memalign(void **memptr, size_t align, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
void *__wrap_memalign(size_t align, size_t size);
void *__wrap_valloc(size_t size);
void *__wrap_pvalloc(size_t size);
int __wrap_asprintf(char **strp, const char *fmt, ...);
int __wrap_vasprintf(char **strp, const char *fmt, va_list ap);
int __wrap___asprintf_chk(char **strp, int flag, const char *fmt, ...);
int __wrap___vasprintf_chk(char **strp, int flag, const char *fmt, va_list ap);
ssize_t __wrap_getline(char **lineptr, size_t *n, FILE *stream);
ssize_t __wrap_getdelim(char **lineptr, size_t *n, int delim, FILE *stream);
ssize_t __wrap___getdelim(char **lineptr, size_t *n, int delim, FILE *stream);
FILE *__wrap_open_memstream(char **ptr, size_t *sizeloc);
FILE *__wrap_open_wmemstream(wchar_t **ptr, size_t *sizeloc);
int __wrap_fclose(FILE *f);
char *__wrap_realpath(const char *path, char *resolved);
char *__wrap_canonicalize_file_name(const char *path);
char *__wrap_getcwd(char *buf, size_t size);
char *__wrap_get_current_dir_name(void);
char *__wrap_tempnam(const char *dir, const char *pfx);
int __wrap_scandir(const char *dir, struct dirent ***namelist,
                   int (*filter)(const struct dirent *),
                   int (*compar)(const struct dirent **, const struct dirent **));
int __wrap_scandir64(const char *dir, struct dirent64 ***namelist,
                     int (*filter)(const struct dirent64 *),
                     int (*compar)(const struct dirent64 **, const struct dirent64 **));

WRAP void *__wrap_malloc(size_t size)
{
    return memharness_malloc_at(size, SITE);
}

WRAP void *__wrap_calloc(size_t n, size_t size)
{
    return memharness_calloc_at(n, size, SITE);
}

WRAP void *__wrap_realloc(void *ptr, size_t size)
{
    return memharness_realloc_at(ptr, size, SITE);
}

WRAP void *__wrap_reallocarray(void *ptr, size_t n, size_t size)
{
    return memharness_reallocarray_at(ptr, n, size, SITE);
}

WRAP void __wrap_free(void *ptr)
{
    memharness_free_at(ptr, SITE);
}

WRAP char *__wrap_strdup(const char *s)
{
    return memharness_strdup_at(s, SITE);
}

WRAP char *__wrap_strndup(const char *s, size_t n)
{
    return memharness_strndup_at(s, n, SITE);
}

WRAP wchar_t *__wrap_wcsdup(const wchar_t *s)
{
    return memharness_wcsdup_at(s, SITE);
}

WRAP int __wrap_posix_memalign(void **memptr, size_t align, size_t size)
{
    return memharness_posix_memalign_at(memptr, align, size, SITE);
}

WRAP void *__wrap_aligned_alloc(size_t align, size_t size)
{
    return memharness_aligned_alloc_at(align, size, SITE);
}

WRAP void *__wrap_memalign(size_t align, size_t size)
{
    return memharness_memalign_at(align, size, SITE);
}

WRAP void *__wrap_valloc(size_t size)
{
    return memharness_valloc_at(size, SITE);
}

WRAP void *__wrap_pvalloc(size_t size)
{
    return memharness_pvalloc_at(size, SITE);
}

WRAP int __wrap_asprintf(char **strp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = memharness_vasprintf_at(strp, fmt, ap, SITE);
    va_end(ap);
    return n;
}

WRAP int __wrap_vasprintf(char **strp, const char *fmt, va_list ap)
{
    return memharness_vasprintf_at(strp, fmt, ap, SITE);
}

/* The _FORTIFY_SOURCE forms: the fortification (%n in a writable format)
 * is given up, the allocation is what the seam is for. */
WRAP int __wrap___asprintf_chk(char **strp, int flag, const char *fmt, ...)
{
    (void)flag;
    va_list ap;
    va_start(ap, fmt);
    int n = memharness_vasprintf_at(strp, fmt, ap, SITE);
    va_end(ap);
    return n;
}

WRAP int __wrap___vasprintf_chk(char **strp, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return memharness_vasprintf_at(strp, fmt, ap, SITE);
}

WRAP ssize_t __wrap_getline(char **lineptr, size_t *n, FILE *stream)
{
    return memharness_getdelim_at(lineptr, n, '\n', stream, SITE);
}

WRAP ssize_t __wrap_getdelim(char **lineptr, size_t *n, int delim, FILE *stream)
{
    return memharness_getdelim_at(lineptr, n, delim, stream, SITE);
}

/* What an optimised build's getline is: glibc's <stdio.h> inlines it as
 * a call of __getdelim. */
WRAP ssize_t __wrap___getdelim(char **lineptr, size_t *n, int delim, FILE *stream)
{
    return memharness_getdelim_at(lineptr, n, delim, stream, SITE);
}

WRAP FILE *__wrap_open_memstream(char **ptr, size_t *sizeloc)
{
    return memharness_open_memstream_at(ptr, sizeloc, SITE);
}

WRAP FILE *__wrap_open_wmemstream(wchar_t **ptr, size_t *sizeloc)
{
    return memharness_open_wmemstream_at(ptr, sizeloc, SITE);
}

WRAP int __wrap_fclose(FILE *f)
{
    return memharness_fclose_at(f, SITE);
}

WRAP char *__wrap_realpath(const char *path, char *resolved)
{
    return memharness_realpath_at(path, resolved, SITE);
}

WRAP char *__wrap_canonicalize_file_name(const char *path)
{
    return memharness_canonicalize_file_name_at(path, SITE);
}

WRAP char *__wrap_getcwd(char *buf, size_t size)
{
    return memharness_getcwd_at(buf, size, SITE);
}

WRAP char *__wrap_get_current_dir_name(void)
{
    return memharness_get_current_dir_name_at(SITE);
}

WRAP char *__wrap_tempnam(const char *dir, const char *pfx)
{
    return memharness_tempnam_at(dir, pfx, SITE);
}

WRAP int __wrap_scandir(const char *dir, struct dirent ***namelist,
                        int (*filter)(const struct dirent *),
                        int (*compar)(const struct dirent **, const struct dirent **))
{
    return memharness_scandir_at(dir, namelist, filter, compar, SITE);
}

WRAP int __wrap_scandir64(const char *dir, struct dirent64 ***namelist,
                          int (*filter)(const struct dirent64 *),
                          int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
    return memharness_scandir64_at(dir, namelist, filter, compar, SITE);
}

/* MEMHARNESS_FAULTS* armed before main: this object is in every program
 * that allocates through this seam, which the core's own objects are not
 * (fault_env.c). */
__attribute__((constructor)) static void wrap_reads_the_environment(void)
{
    fault_env_apply();
}
