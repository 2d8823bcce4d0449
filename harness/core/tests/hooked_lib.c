/* A stand-in for a library with allocation hooks of its own (cJSON's
 * cJSON_InitHooks is the model): it allocates only through the pair it was
 * given, and falls back to the C allocator when none was installed. */
#include "hooked_lib.h"

#include <stdlib.h>
#include <string.h>

static void *(*hook_malloc)(size_t) = malloc;
static void (*hook_free)(void *) = free;

void hooked_lib_set_hooks(void *(*malloc_fn)(size_t), void (*free_fn)(void *))
{
    hook_malloc = malloc_fn ? malloc_fn : malloc;
    hook_free = free_fn ? free_fn : free;
}

char *hooked_lib_copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = hook_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void hooked_lib_release(char *p)
{
    hook_free(p);
}
