/* A planted broken hook seam for the 'seam-planted' test: memharness_hook_*
 * that forward to the C allocator, bypassing the tracker.  The hook seam's
 * self-test linked with this must fail. */
#include <stdlib.h>
#include <string.h>

#include <memharness/hooks.h>

void *memharness_hook_malloc(size_t size) { return malloc(size); }
void *memharness_hook_calloc(size_t n, size_t size) { return calloc(n, size); }
void *memharness_hook_realloc(void *ptr, size_t size) { return realloc(ptr, size); }
void memharness_hook_free(void *ptr) { free(ptr); }
char *memharness_hook_strdup(const char *s) { return strdup(s); }
