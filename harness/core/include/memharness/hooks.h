/* The allocation-hook seam (library memharness-hooks): functions with the C
 * allocator's signatures that a client installs into a library's own hooks,
 * e.g. cJSON_InitHooks(&(cJSON_Hooks){memharness_hook_malloc,
 * memharness_hook_free}).  Only what goes through the hooks is tracked and
 * may be failed; the client's own allocations are not.  The call site
 * recorded is the hook's caller, inside the library. */
#ifndef HARNESS_HOOKS_H
#define HARNESS_HOOKS_H

#include <stddef.h>

/* malloc through the tracker and the fault injector. */
void *memharness_hook_malloc(size_t size);
/* calloc through the tracker and the fault injector. */
void *memharness_hook_calloc(size_t n, size_t size);
/* realloc through the tracker and the fault injector. */
void *memharness_hook_realloc(void *ptr, size_t size);
/* free of a block from any memharness_hook_* allocator. */
void memharness_hook_free(void *ptr);
/* strdup through the tracker and the fault injector. */
char *memharness_hook_strdup(const char *s);

#endif
