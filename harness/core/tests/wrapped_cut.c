/* The wrap seam's self-test fixture: code under test that calls the plain
 * C allocator.  It is compiled into a library of its own and passed through
 * memharness-wrap-malloc, so that only these calls reach the tracker. */
#include "wrapped_cut.h"

#include <dirent.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

void *cut_malloc(size_t n) { return malloc(n); }
void *cut_calloc(size_t n, size_t size) { return calloc(n, size); }
void *cut_realloc(void *p, size_t n) { return realloc(p, n); }
char *cut_strdup(const char *s) { return strdup(s); }
char *cut_strndup(const char *s, size_t n) { return strndup(s, n); }
void cut_free(void *p) { free(p); }

char *cut_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    return n < 0 ? NULL : s;
}

void *cut_reallocarray(void *p, size_t n, size_t size) { return reallocarray(p, n, size); }
wchar_t *cut_wcsdup(const wchar_t *s) { return wcsdup(s); }
int cut_posix_memalign(void **p, size_t align, size_t size) { return posix_memalign(p, align, size); }
void *cut_aligned_alloc(size_t align, size_t size) { return aligned_alloc(align, size); }
void *cut_memalign(size_t align, size_t size) { return memalign(align, size); }
void *cut_valloc(size_t size) { return valloc(size); }
void *cut_pvalloc(size_t size) { return pvalloc(size); }

int cut_asprintf(char **s, int v)
{
    return asprintf(s, "<%d>", v);
}

ssize_t cut_getline(char **line, size_t *n, FILE *f) { return getline(line, n, f); }
ssize_t cut_getdelim(char **line, size_t *n, int delim, FILE *f)
{
    return getdelim(line, n, delim, f);
}
FILE *cut_open_memstream(char **p, size_t *n) { return open_memstream(p, n); }
FILE *cut_open_wmemstream(wchar_t **p, size_t *n) { return open_wmemstream(p, n); }
int cut_fclose(FILE *f) { return fclose(f); }
char *cut_realpath(const char *path, char *buf) { return realpath(path, buf); }
char *cut_canonicalize_file_name(const char *path) { return canonicalize_file_name(path); }
char *cut_getcwd(char *buf, size_t size) { return getcwd(buf, size); }
char *cut_get_current_dir_name(void) { return get_current_dir_name(); }

int cut_scandir(const char *dir, char ***names)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        return n;
    *names = (char **)list;
    return n;
}

const char *cut_dirent_name(char **names, int i)
{
    return ((struct dirent **)names)[i]->d_name;
}
