/* The wrap seam's self-test fixture: see wrapped_cut.c.  Each function is
 * the C library function of the same suffix, called from the code under
 * test. */
#ifndef WRAPPED_CUT_H
#define WRAPPED_CUT_H

#include <stddef.h>

/* malloc(n), called from the code under test. */
void *cut_malloc(size_t n);
/* calloc(n, size), called from the code under test. */
void *cut_calloc(size_t n, size_t size);
/* realloc(p, n), called from the code under test. */
void *cut_realloc(void *p, size_t n);
/* strdup(s), called from the code under test. */
char *cut_strdup(const char *s);
/* strndup(s, n), called from the code under test. */
char *cut_strndup(const char *s, size_t n);
/* free(p), called from the code under test. */
void cut_free(void *p);

/* vasprintf of fmt and its arguments, called from the code under test;
 * NULL when vasprintf fails. */
char *cut_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
