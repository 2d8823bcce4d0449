/* The stdio functions that allocate for their caller, written over the
 * tracker rather than called: glibc's would allocate with its own malloc,
 * out of the injector's reach.  vasprintf formats twice (measure, then
 * write), getdelim grows its line with a tracked realloc as glibc does, and
 * open_memstream is a fopencookie stream over a tracked buffer that keeps
 * glibc's *ptr / *sizeloc rules. */
#include <memharness/malloc_family.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <memharness/tracker.h>

#include "malloc_family_api.h"

int memharness_vasprintf_at(char **strp, const char *fmt, va_list ap, const void *site)
{
    if (strp == NULL || fmt == NULL) {
        errno = EINVAL;
        return -1;
    }
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = NULL;
    if (n >= 0) {
        s = tracker_alloc((size_t)n + 1, site);
        if (s != NULL)
            vsnprintf(s, (size_t)n + 1, fmt, again);
        else
            errno = ENOMEM;
    }
    va_end(again);
    if (s == NULL)
        return -1;
    *strp = s;
    return n;
}

/* Grows *lineptr to want bytes with a tracked realloc; false (ENOMEM, the
 * old buffer still the caller's) when refused. */
static bool line_grow(char **lineptr, size_t *n, size_t want, const void *site)
{
    char *p = tracker_realloc_as(*lineptr, want, site, &memharness_malloc_names);
    if (p == NULL) {
        errno = ENOMEM;
        return false;
    }
    *lineptr = p;
    *n = want;
    return true;
}

ssize_t memharness_getdelim_at(char **lineptr, size_t *n, int delim, FILE *stream,
                               const void *site)
{
    if (lineptr == NULL || n == NULL || stream == NULL) {
        errno = EINVAL;
        return -1;
    }
    ssize_t result = -1;
    flockfile(stream);
    if ((*lineptr == NULL || *n == 0) && !line_grow(lineptr, n, 120, site))
        goto out;
    size_t len = 0;
    for (;;) {
        int c = getc_unlocked(stream);
        if (c == EOF)
            break;
        if (len + 2 > *n) { /* room for c and the NUL */
            if (*n > (size_t)SSIZE_MAX / 2) {
                errno = EOVERFLOW;
                goto out;
            }
            if (!line_grow(lineptr, n, *n * 2, site))
                goto out;
        }
        (*lineptr)[len++] = (char)c;
        if (c == (unsigned char)delim)
            break;
    }
    (*lineptr)[len] = '\0';
    if (len > 0)
        result = (ssize_t)len;
out:
    funlockfile(stream);
    return result;
}

/* ---- open_memstream ------------------------------------------------------ */

/* The stream's state; the cookie is the harness's own (the real malloc),
 * as glibc's stream state is its own: only the buffer is the caller's. */
typedef struct memstream {
    char **bufloc;
    size_t *sizeloc;
    char *buf;
    size_t cap; /* bytes in buf */
    size_t len; /* bytes written or sought over; buf[len] is NUL */
    size_t pos;
    const void *site; /* the open_memstream call: the buffer's site for life */
} memstream;

/* What fflush and fclose promise the caller; kept true after every call
 * into the stream, which is more often than they need. */
static void memstream_publish(memstream *m)
{
    *m->bufloc = m->buf;
    *m->sizeloc = m->pos;
}

/* Extends the written extent to end bytes, zero-filled (glibc fills a
 * seek past the end with zeros), with room for the NUL after it. */
static bool memstream_extend(memstream *m, size_t end)
{
    if (end == SIZE_MAX) {
        errno = EFBIG;
        return false;
    }
    if (end + 1 > m->cap) {
        size_t cap = m->cap * 2 > end + 1 ? m->cap * 2 : end + 1;
        char *p = tracker_realloc_as(m->buf, cap, m->site, &memharness_malloc_names);
        if (p == NULL) {
            errno = ENOMEM;
            return false;
        }
        m->buf = p;
        m->cap = cap;
    }
    if (end > m->len) {
        memset(m->buf + m->len, 0, end - m->len);
        m->len = end;
        m->buf[end] = '\0';
    }
    return true;
}

static ssize_t memstream_write(void *cookie, const char *data, size_t size)
{
    memstream *m = cookie;
    if (size > SIZE_MAX - m->pos || !memstream_extend(m, m->pos + size))
        return 0; /* the stream's error flag; errno says why */
    memcpy(m->buf + m->pos, data, size);
    m->pos += size;
    memstream_publish(m);
    return (ssize_t)size;
}

static int memstream_seek(void *cookie, off64_t *offset, int whence)
{
    memstream *m = cookie;
    off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off64_t)m->pos
                                         : whence == SEEK_END ? (off64_t)m->len : -1;
    if (base < 0 || (*offset < 0 && -*offset > base) ||
        (*offset > 0 && *offset > INT64_MAX - base)) {
        errno = EINVAL;
        return -1;
    }
    size_t to = (size_t)(base + *offset);
    if (to > m->len && !memstream_extend(m, to))
        return -1;
    m->pos = to;
    *offset = (off64_t)to;
    memstream_publish(m);
    return 0;
}

static int memstream_close(void *cookie)
{
    memstream *m = cookie;
    /* glibc cuts the string at the position on close. */
    m->buf[m->pos] = '\0';
    memstream_publish(m);
    free(m);
    return 0;
}

FILE *memharness_open_memstream_at(char **ptr, size_t *sizeloc, const void *site)
{
    if (ptr == NULL || sizeloc == NULL) {
        errno = EINVAL;
        return NULL;
    }
    memstream *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    *m = (memstream){.bufloc = ptr, .sizeloc = sizeloc, .cap = 64, .site = site};
    m->buf = tracker_alloc(m->cap, site);
    if (m->buf == NULL) {
        free(m);
        errno = ENOMEM;
        return NULL;
    }
    m->buf[0] = '\0';
    FILE *f = fopencookie(m, "w", (cookie_io_functions_t){.write = memstream_write,
                                                          .seek = memstream_seek,
                                                          .close = memstream_close});
    if (f == NULL) {
        tracker_free_as(m->buf, site, &memharness_malloc_names);
        free(m);
        return NULL;
    }
    memstream_publish(m);
    return f;
}
