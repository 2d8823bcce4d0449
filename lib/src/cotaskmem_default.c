/* The default CoTaskMem* seam over the C allocator.  Kept in its own
 * translation unit (and its own static library) so that a harness can link
 * its own definitions instead without touching the NapUtil sources. */
#include <stdlib.h>

#include "naputil.h"

void *CoTaskMemAlloc(SIZE_T cb)
{
    /* COM promises a unique pointer for cb == 0; malloc(0) may return NULL. */
    return malloc(cb ? cb : 1);
}

void *CoTaskMemRealloc(void *pv, SIZE_T cb)
{
    if (pv == NULL)
        return CoTaskMemAlloc(cb);
    if (cb == 0) {
        free(pv);
        return NULL;
    }
    /* On failure realloc leaves pv untouched, which is what COM promises. */
    return realloc(pv, cb);
}

void CoTaskMemFree(void *pv)
{
    free(pv);
}
