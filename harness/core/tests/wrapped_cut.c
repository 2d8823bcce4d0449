/* The wrap seam's self-test fixture: code under test that calls the plain
 * C allocator.  It is compiled into a library of its own and passed through
 * memharness-wrap-malloc, so that only these calls reach the tracker. */
#include "wrapped_cut.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
