/* open_wmemstream, which cannot be written over fopencookie as
 * open_memstream is (a wide stream converts through the locale before a
 * cookie sees a byte): glibc's own stream, whose buffer is moved into a
 * tracked block when the code under test closes it, fclose being wrapped
 * for that.  The open asks the injector (glibc's allocates there) and the
 * move is a tracked allocation (glibc's close reallocates there). */
#include <memharness/malloc_family.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <memharness/fault.h>
#include <memharness/tracker.h>

/* One open stream of the code under test's: the registry lives only as
 * long as the streams it names, so a reset has nothing to forget. */
typedef struct wstream {
    FILE *f;
    wchar_t **bufloc;
    size_t *sizeloc;
    const void *site;
    struct wstream *next;
} wstream;

static pthread_mutex_t wstreams_lock = PTHREAD_MUTEX_INITIALIZER;
static wstream *wstreams;

/* Takes f's record off the registry, or NULL.  A stream closed by code
 * that is not wrapped leaves a stale record whose FILE address a later
 * stream may get: only a wide-oriented one (as every wmemstream is from
 * its open) is taken for it. */
static wstream *wstream_take(FILE *f, bool wide)
{
    wstream *w = NULL;
    pthread_mutex_lock(&wstreams_lock);
    for (wstream **p = &wstreams; *p != NULL; p = &(*p)->next) {
        if ((*p)->f == f) {
            w = *p;
            *p = w->next;
            break;
        }
    }
    pthread_mutex_unlock(&wstreams_lock);
    if (w != NULL && !wide) {
        free(w);
        w = NULL;
    }
    return w;
}

FILE *memharness_open_wmemstream_at(wchar_t **ptr, size_t *sizeloc, const void *site)
{
    if (ptr == NULL || sizeloc == NULL) {
        errno = EINVAL;
        return NULL;
    }
    if (fault_should_fail(site)) {
        errno = ENOMEM;
        return NULL;
    }
    wstream *w = malloc(sizeof *w);
    if (w == NULL)
        return NULL;
    FILE *f = open_wmemstream(ptr, sizeloc);
    if (f == NULL) {
        free(w);
        return NULL;
    }
    free(wstream_take(f, true)); /* a stale record of this address */
    *w = (wstream){.f = f, .bufloc = ptr, .sizeloc = sizeloc, .site = site};
    pthread_mutex_lock(&wstreams_lock);
    w->next = wstreams;
    wstreams = w;
    pthread_mutex_unlock(&wstreams_lock);
    return f;
}

int memharness_fclose_at(FILE *f, const void *site)
{
    (void)site;
    if (f == NULL) {
        errno = EINVAL;
        return EOF;
    }
    wstream *w = wstream_take(f, fwide(f, 0) > 0);
    int r = fclose(f);
    if (w == NULL)
        return r;
    wchar_t *real = *w->bufloc;
    if (real != NULL) {
        size_t bytes = (*w->sizeloc + 1) * sizeof *real;
        wchar_t *t = tracker_alloc(bytes, w->site);
        if (t != NULL)
            memcpy(t, real, bytes);
        else
            errno = ENOMEM; /* and *bufloc NULL, as glibc's refused realloc leaves it */
        free(real);
        *w->bufloc = t;
    }
    free(w);
    return r;
}
