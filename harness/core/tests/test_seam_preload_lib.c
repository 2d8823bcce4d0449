/* A library of the preload seam's self-test: allocations whose first frame
 * outside the C library lies here, for MEMHARNESS_ONLY. */
#include <stdlib.h>
#include <string.h>

#include "test_seam_preload_lib.h"

void *seam_preload_lib_alloc(size_t n)
{
    void *p = malloc(n);
    __asm__ volatile("" ::: "memory"); /* no tail call: this frame names the site */
    return p;
}

char *seam_preload_lib_dup(const char *s)
{
    char *p = strdup(s);
    __asm__ volatile("" ::: "memory");
    return p;
}
