/* The path and directory functions that allocate for their caller: the
 * real function runs (their logic is the kernel's and libc's, not worth
 * redoing) and its result is moved into tracked blocks, the original
 * given back with the real free.  The move is the allocation the injector
 * can refuse; a refusal returns what glibc returns out of memory. */
#include <memharness/malloc_family.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <memharness/tracker.h>

#include "malloc_family_api.h"

/* real (the C library's, or NULL: its errno stands) as a tracked string
 * of max(size, strlen + 1) bytes; NULL with ENOMEM when refused. */
static char *moved(char *real, size_t size, const void *site)
{
    if (real == NULL)
        return NULL;
    size_t len = strlen(real) + 1;
    char *t = tracker_alloc(size > len ? size : len, site);
    if (t != NULL)
        memcpy(t, real, len);
    free(real);
    if (t == NULL)
        errno = ENOMEM;
    return t;
}

char *memharness_realpath_at(const char *path, char *resolved, const void *site)
{
    if (resolved != NULL)
        return realpath(path, resolved);
    return moved(realpath(path, NULL), 0, site);
}

char *memharness_canonicalize_file_name_at(const char *path, const void *site)
{
    return moved(canonicalize_file_name(path), 0, site);
}

char *memharness_getcwd_at(char *buf, size_t size, const void *site)
{
    if (buf != NULL)
        return getcwd(buf, size);
    char *real = getcwd(NULL, 0);
    if (real != NULL && size != 0 && strlen(real) >= size) {
        free(real);
        errno = ERANGE;
        return NULL;
    }
    return moved(real, size, site);
}

char *memharness_get_current_dir_name_at(const void *site)
{
    return moved(get_current_dir_name(), 0, site);
}

char *memharness_tempnam_at(const char *dir, const char *pfx, const void *site)
{
    /* Looked up rather than linked: a link against tempnam draws libc's
     * "dangerous" warning into every program that links this seam. */
    char *(*real)(const char *, const char *) =
        (char *(*)(const char *, const char *))dlsym(RTLD_DEFAULT, "tempnam");
    if (real == NULL) {
        errno = ENOSYS;
        return NULL;
    }
    return moved(real(dir, pfx), 0, site);
}

/* Moves n real entries (names at name_off) and their array into tracked
 * blocks; the real ones are freed either way.  -1, ENOMEM and nothing
 * tracked left, when one is refused; glibc leaves *out untouched then. */
static int entries_moved(void **real, int n, size_t name_off, void ***out, const void *site)
{
    void **list = NULL;
    int done = 0;
    if (n > 0) {
        list = tracker_alloc((size_t)n * sizeof *list, site);
        for (; list != NULL && done < n; done++) {
            size_t bytes = name_off + strlen((const char *)real[done] + name_off) + 1;
            list[done] = tracker_alloc(bytes, site);
            if (list[done] == NULL)
                break;
            memcpy(list[done], real[done], bytes);
        }
    }
    for (int i = 0; i < n; i++)
        free(real[i]);
    free(real);
    if (n > 0 && (list == NULL || done < n)) {
        for (int i = 0; list != NULL && i < done; i++)
            tracker_free_as(list[i], site, &memharness_malloc_names);
        tracker_free_as(list, site, &memharness_malloc_names);
        errno = ENOMEM;
        return -1;
    }
    *out = list;
    return n;
}

int memharness_scandir_at(const char *dir, struct dirent ***namelist,
                          int (*filter)(const struct dirent *),
                          int (*compar)(const struct dirent **, const struct dirent **),
                          const void *site)
{
    struct dirent **real = NULL;
    int n = scandir(dir, &real, filter, compar);
    if (n < 0)
        return n;
    return entries_moved((void **)real, n, offsetof(struct dirent, d_name), (void ***)namelist,
                         site);
}

int memharness_scandir64_at(const char *dir, struct dirent64 ***namelist,
                            int (*filter)(const struct dirent64 *),
                            int (*compar)(const struct dirent64 **, const struct dirent64 **),
                            const void *site)
{
    struct dirent64 **real = NULL;
    int n = scandir64(dir, &real, filter, compar);
    if (n < 0)
        return n;
    return entries_moved((void **)real, n, offsetof(struct dirent64, d_name),
                         (void ***)namelist, site);
}
